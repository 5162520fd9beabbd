/* sitrep-postmortem-item.h: one action item of a post-mortem, as the editor's list holds it */
#pragma once

#include <glib-object.h>

#include "sitrep-postmortem.h"

G_BEGIN_DECLS

#define SITREP_TYPE_POSTMORTEM_ITEM (sitrep_postmortem_item_get_type ())

G_DECLARE_FINAL_TYPE (SitrepPostmortemItem, sitrep_postmortem_item, SITREP, POSTMORTEM_ITEM,
                      GObject)

/* @item: (nullable): what was saved; a new, empty item when NULL */
SitrepPostmortemItem *sitrep_postmortem_item_new         (const SitrepActionItem *item);
/* Returns: (transfer full): what the item holds now, to save or render */
SitrepActionItem     *sitrep_postmortem_item_to_action   (SitrepPostmortemItem   *self);
gint64                sitrep_postmortem_item_get_id      (SitrepPostmortemItem   *self);
void                  sitrep_postmortem_item_set_id      (SitrepPostmortemItem   *self,
                                                          gint64                  id);
const char           *sitrep_postmortem_item_get_text    (SitrepPostmortemItem   *self);

G_END_DECLS
