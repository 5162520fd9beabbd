/* sitrep-store-incidents.h: the incidents as the store keeps them: declared, read, and each change
 * with its timeline event in one transaction */
#pragma once

#include "sitrep-store.h"

G_BEGIN_DECLS

gint64          sitrep_store_declare_incident    (SitrepStore             *self,
                                                  const SitrepDeclaration *declaration,
                                                  GError                 **error);
SitrepIncident *sitrep_store_load_incident       (SitrepStore             *self,
                                                  gint64                   id,
                                                  GError                 **error);
GPtrArray      *sitrep_store_list_incidents      (SitrepStore             *self,
                                                  GError                 **error);
SitrepRunbook  *sitrep_store_load_incident_runbook (SitrepStore           *self,
                                                  SitrepIncident          *incident,
                                                  GError                 **error);
gboolean        sitrep_store_set_severity        (SitrepStore             *self,
                                                  SitrepIncident          *incident,
                                                  const char              *severity,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);
gboolean        sitrep_store_set_status          (SitrepStore             *self,
                                                  SitrepIncident          *incident,
                                                  SitrepIncidentStatus     status,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);
gboolean        sitrep_store_change_status       (SitrepStore             *self,
                                                  SitrepIncident          *incident,
                                                  SitrepIncidentStatus     status,
                                                  const char              *status_id,
                                                  const char              *old_label,
                                                  const char              *new_label,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);
gboolean        sitrep_store_set_item            (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  const char              *item_id,
                                                  const char              *item_text,
                                                  gboolean                 done,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);
gboolean        sitrep_store_note_escalation_due (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  guint                    step,
                                                  gint64                   due_at,
                                                  JsonObject              *fields,
                                                  gboolean                *newly,
                                                  GError                 **error);
gboolean        sitrep_store_answer_escalation   (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  guint                    step,
                                                  gint64                   due_at,
                                                  gboolean                 escalated,
                                                  JsonObject              *fields,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);
gboolean        sitrep_store_set_channel         (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  const char              *channel,
                                                  GError                 **error);
gboolean        sitrep_store_mark_update_sent    (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);
gboolean        sitrep_store_note_update_overdue (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  gint64                   due_at,
                                                  gboolean                *newly,
                                                  GError                 **error);

G_END_DECLS
