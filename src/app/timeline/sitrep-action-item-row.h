/* sitrep-action-item-row.h: a post-mortem's action item as a row: done, what, who, by when */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-postmortem-item.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ACTION_ITEM_ROW (sitrep_action_item_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionItemRow, sitrep_action_item_row, SITREP, ACTION_ITEM_ROW,
                      GtkListBoxRow)

GtkWidget            *sitrep_action_item_row_new        (SitrepPostmortemItem *item);
SitrepPostmortemItem *sitrep_action_item_row_get_item   (SitrepActionItemRow  *self);
void                  sitrep_action_item_row_focus_text (SitrepActionItemRow  *self);

G_END_DECLS
