/* sitrep-action-controller-private.h: the controller's fields and the record it keeps
 *
 * Shared by its two files. */
#pragma once

#include "sitrep-action-controller.h"

G_BEGIN_DECLS

struct _SitrepActionController
{
  GObject parent_instance;

  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepIncidentManager *manager;
  gboolean read_only;
  gboolean untrusted;
  char *kubectl;
  char *author;
  GPtrArray *running; /* SitrepActionRun */
  guint n_closing;    /* runs cancelled while their "started" entry was being written, whose
                       * closing entry is queued once it is (sitrep-action-controller-record.c) */
  GPtrArray *pending; /* Pending */
  guint grace_ms;
  GArray *kept_events; /* gint64: incidents whose command events the journal keeps */
};

/* sitrep-action-controller-record.c */
gint64   sitrep_action_controller_current_incident (SitrepActionController *self);
gint64   sitrep_action_controller_now              (SitrepActionController *self);
void     sitrep_action_controller_redact_fields    (SitrepRedactor         *redactor,
                                                    JsonObject             *fields);
const char *sitrep_action_controller_event_author  (const char             *author);
void     sitrep_action_controller_emit_event_recorded (SitrepActionController *self,
                                                       gint64                  incident_id);
void     sitrep_action_controller_follow_journal   (SitrepActionController *self);
gboolean sitrep_action_controller_record_not_run   (SitrepActionController *self,
                                                    SitrepActionRequest    *request,
                                                    const char             *confirmation,
                                                    const char             *outcome,
                                                    const char             *reason,
                                                    GError                **error);
void     sitrep_action_controller_record_run       (SitrepActionController *self,
                                                    SitrepActionRun        *run,
                                                    SitrepActionRequest    *request,
                                                    const char             *confirmation,
                                                    gboolean                dry_run);

/* Defined in sitrep-action-controller-testing.c, which only the tests link. */
void     sitrep_action_controller_set_kubectl      (SitrepActionController *self,
                                                    const char             *kubectl);
void     sitrep_action_controller_set_grace_ms     (SitrepActionController *self,
                                                    guint                   grace_ms);

G_END_DECLS
