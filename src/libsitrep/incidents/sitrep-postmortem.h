/* sitrep-postmortem.h: what only a person knows of an incident, and its Markdown post-mortem */
#pragma once

#include "sitrep-markdown.h"
#include "sitrep-postmortem-model.h"
#include "sitrep-store-timeline.h"

G_BEGIN_DECLS

char                   *sitrep_postmortem_render          (SitrepIncident               *incident,
                                                           SitrepRunbook                *runbook,
                                                           GPtrArray                    *events,
                                                           const SitrepPostmortemFields *fields,
                                                           GPtrArray                    *action_items,
                                                           gboolean                      starred_only,
                                                           gboolean                      utc,
                                                           GError                      **error);
char                   *sitrep_postmortem_export          (SitrepStore                  *store,
                                                           SitrepRunbook                *runbook,
                                                           gint64                        incident_id,
                                                           gboolean                      starred_only,
                                                           gboolean                      utc,
                                                           GError                      **error);

G_END_DECLS
