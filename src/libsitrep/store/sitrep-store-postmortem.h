/* sitrep-store-postmortem.h: what only a person knows of an incident, and the rows the export reads */
#pragma once

#include "sitrep-postmortem-model.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* What a team database's notification names when a console saved a post-mortem
 * (SitrepStoreWatch::changed's kind). */
#define SITREP_STORE_CHANGE_POSTMORTEM "postmortem"

SitrepPostmortemFields *sitrep_store_load_postmortem      (SitrepStore                  *store,
                                                           gint64                        incident_id,
                                                           GError                      **error);
GPtrArray              *sitrep_store_load_action_items    (SitrepStore                  *store,
                                                           gint64                        incident_id,
                                                           GError                      **error);
gboolean                sitrep_store_save_postmortem      (SitrepStore                  *store,
                                                           gint64                        incident_id,
                                                           const SitrepPostmortemFields *base,
                                                           SitrepPostmortemFields       *fields,
                                                           GPtrArray                    *base_items,
                                                           GPtrArray                    *action_items,
                                                           GPtrArray                   **saved_items,
                                                           GError                      **error);

typedef void (*SitrepEventRowFunc) (gint64      at,
                                    const char *kind,
                                    const char *fields,
                                    const char *text,
                                    const char *annotation,
                                    gpointer    user_data);

gboolean                sitrep_store_foreach_event_row    (SitrepStore                  *store,
                                                           gint64                        incident_id,
                                                           gboolean                      starred_only,
                                                           SitrepEventRowFunc            func,
                                                           gpointer                      user_data,
                                                           GError                      **error);

G_END_DECLS
