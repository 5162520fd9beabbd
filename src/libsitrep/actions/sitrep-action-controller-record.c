/* sitrep-action-controller-record.c: what the controller writes down of every run
 *
 * The audit log's entries for every run and attempt, and the action events on the incident's
 * timeline.
 *
 * A run's "started" entry is written by its before-spawn hook, and the process starts only if
 * it was (on a team database the hook holds the start until the store's writer thread has the
 * entry on the server: the main loop never waits on the network); its "finished" entry and its
 * timeline events by its after-finish hook. On a team database the events and every entry but
 * "started" go through the writer, kept in its journal while the server is away. An attempt that
 * never ran is recorded once the log's key is there. Every entry and event names the
 * controller's author (the name in Preferences; the store adds the machine).
 * sitrep-action-controller.c decides what runs; sitrep-action-controller-closing.c closes the
 * "started" entries a Sitrep that stopped left behind.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-action-audit.h"
#include "sitrep-action-controller-private.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"

/* What a run needs to be recorded when it starts and ends. */
typedef struct
{
  SitrepActionController *self;
  SitrepActionRequest *request;
  char *confirmation;
  char *author;           /* who ran it, as the controller said when it started */
  gboolean dry_run;
  gint64 incident_id;
  gint64 started_at;
  gint64 started_id;      /* its "started" entry, once written */
  gboolean not_recorded;  /* the "started" entry could not be written: nothing ran */
  gboolean starting;      /* a team database: its "started" entry is being written */
  gboolean ended_starting; /* cancelled meanwhile: recorded once the entry is written */
} RunData;

/* The entry that closes @run's "started" entry with @outcome. */
static SitrepActionAuditRecord
ending_record (RunData         *data,
               SitrepActionRun *run,
               const char      *outcome)
{
  return (SitrepActionAuditRecord) {
    .request = data->request,
    .argv = sitrep_action_run_get_argv (run),
    .confirmation = data->confirmation,
    .incident_id = data->incident_id,
    .outcome = outcome,
    .run = run,
    .started_id = data->started_id,
    .output_tail = sitrep_action_run_get_output (run),
    .author = data->author,
  };
}

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->request);
  g_free (data->confirmation);
  g_free (data->author);
  g_free (data);
}

gint64
sitrep_action_controller_current_incident (SitrepActionController *self)
{
  SitrepIncident *incident;

  if (self->manager == NULL)
    return 0;
  incident = sitrep_incident_manager_get_current (self->manager);
  return incident ? sitrep_incident_get_id (incident) : 0;
}

gint64
sitrep_action_controller_now (SitrepActionController *self)
{
  return self->manager ? sitrep_incident_manager_now (self->manager) : g_get_real_time ();
}

/* "Scale…" reads "Scale" in a sentence. */
static char *
plain_label (SitrepActionRequest *request)
{
  const char *title = sitrep_action_request_get_title (request);
  g_autofree char *label = g_strdup (title ? title : sitrep_action_request_get_action (request)->id);

  if (g_str_has_suffix (label, "…"))
    label[strlen (label) - strlen ("…")] = '\0';
  else if (g_str_has_suffix (label, "..."))
    label[strlen (label) - 3] = '\0';
  return g_steal_pointer (&label);
}

static const char *
service_name (SitrepActionRequest *request)
{
  const SitrepService *service = sitrep_action_request_get_service (request);

  if (service == NULL)
    return sitrep_runbook_get_name (sitrep_action_request_get_runbook (request));
  return service->name ? service->name : service->id;
}

/* What every action event says of the action: its id and label, and the service it ran on. */
static JsonObject *
action_fields (SitrepActionRequest *request)
{
  const SitrepService *service = sitrep_action_request_get_service (request);
  g_autofree char *label = plain_label (request);
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "action", sitrep_action_request_get_action (request)->id);
  json_object_set_string_member (fields, "label", label);
  if (service != NULL)
    json_object_set_string_member (fields, "service", service->id);
  json_object_set_string_member (fields, "service_name", service_name (request));
  return fields;
}

/* Every string of @fields through @redactor: a command line, a reason or an output line may
 * hold a secret, and the timeline keeps what it is given. */
void
sitrep_action_controller_redact_fields (SitrepRedactor *redactor,
                                        JsonObject     *fields)
{
  g_autoptr(GList) names = json_object_get_members (fields);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (fields, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *redacted = sitrep_redactor_redact (redactor,
                                                              json_node_get_string (node));

          json_object_set_string_member (fields, l->data, redacted);
        }
    }
}

/* Who an event on the timeline says wrote it: the controller's author, else the account. */
const char *
sitrep_action_controller_event_author (const char *author)
{
  return author != NULL ? author : g_get_user_name ();
}

/* An event on its way through the store's writer thread. */
typedef struct
{
  SitrepActionController *self;
  gint64 incident_id;
  char *kind;
  char *action_id;
} EventWrite;

static void
event_write_free (EventWrite *write)
{
  g_clear_object (&write->self);
  g_free (write->kind);
  g_free (write->action_id);
  g_free (write);
}

static void
event_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EventWrite *write = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_record_event_finish (SITREP_STORE (source), result, &error);

  if (id < 0)
    g_warning ("Could not put the %s event of “%s” on incident %" G_GINT64_FORMAT
               "’s timeline: %s", write->kind, write->action_id, write->incident_id,
               error->message);
  else if (id == 0)
    /* Kept in the journal: on the timeline once the replay has written it. */
    g_array_append_val (write->self->kept_events, write->incident_id);
  else
    sitrep_action_controller_emit_event_recorded (write->self, write->incident_id);
  event_write_free (write);
}

/* The journal's replay wrote what it kept, the events of commands with it. */
static void
journal_replayed_cb (SitrepStore            *store,
                     guint                   n_written,
                     SitrepActionController *self)
{
  g_autoptr(GArray) kept = g_steal_pointer (&self->kept_events);

  self->kept_events = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < kept->len; i++)
    {
      gint64 incident_id = g_array_index (kept, gint64, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < i && !seen; j++)
        seen = g_array_index (kept, gint64, j) == incident_id;
      /* An incident declared while away is known by the server's id now. */
      if (!seen)
        sitrep_action_controller_emit_event_recorded (self,
                                                      sitrep_store_journal_team_id (incident_id));
    }
}

void
sitrep_action_controller_follow_journal (SitrepActionController *self)
{
  self->kept_events = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect_object (self->store, "journal-replayed", G_CALLBACK (journal_replayed_cb),
                           self, 0);
}

/* Records an action event by @author, @fields redacted with @request's redactor first. On a
 * file committed before the caller goes on, like the audit entry beside it: the command's
 * start is on the timeline before its process exists, and its outcome before "run-finished"
 * says it was recorded. On a team database through the store's writer, like every change a
 * console makes there (the main loop never waits on the network): after what was queued
 * before, kept in the journal while the server is unreachable; "event-recorded" says when it
 * is on the server. */
static void
add_timeline_event (SitrepActionController *self,
                    SitrepActionRequest    *request,
                    gint64                  incident_id,
                    const char             *kind,
                    JsonObject             *fields,
                    const char             *author)
{
  g_autoptr(GError) error = NULL;
  const char *by;
  gint64 at;

  if (incident_id == 0)
    return;
  sitrep_action_controller_redact_fields (sitrep_action_request_get_redactor (request), fields);
  at = sitrep_action_controller_now (self);
  by = sitrep_action_controller_event_author (author);
  if (sitrep_store_is_shared (self->store))
    {
      EventWrite *write = g_new0 (EventWrite, 1);

      write->self = g_object_ref (self);
      write->incident_id = incident_id;
      write->kind = g_strdup (kind);
      write->action_id = g_strdup (sitrep_action_request_get_action (request)->id);
      sitrep_store_record_event_async (self->store, incident_id, at, kind, fields, by, NULL,
                                       event_written_cb, write);
      return;
    }
  if (sitrep_store_record_event (self->store, incident_id, at, kind, fields, by, &error) <= 0)
    g_warning ("Could not put the %s event of “%s” on incident %" G_GINT64_FORMAT
               "’s timeline: %s", kind, sitrep_action_request_get_action (request)->id,
               incident_id, error ? error->message : "?");
  else
    sitrep_action_controller_emit_event_recorded (self, incident_id);
}

/* On a team database through the store's writer, like every change a console makes there:
 * kept in the journal while the server is unreachable, written in order when it is back (a
 * run's "started" entry is not: nothing runs until its start is on the server). On a file at
 * once, so that a failure is the caller's. */
static gboolean
append_record (SitrepStore                   *store,
               const SitrepActionAuditRecord *record,
               GError                       **error)
{
  if (sitrep_store_is_shared (store))
    {
      sitrep_action_audit_append_async (store, record);
      return TRUE;
    }
  return sitrep_action_audit_append (store, record, error) > 0;
}

/* An attempt recorded once the audit log's key is there. */
typedef struct
{
  SitrepStore *store;
  SitrepActionRequest *request;
  GStrv argv;
  char *confirmation;
  gint64 incident_id;
  gint64 at;
  char *outcome;
  char *output_tail;
  char *author;
} Deferred;

static void
deferred_free (Deferred *deferred)
{
  g_clear_object (&deferred->store);
  g_clear_object (&deferred->request);
  g_strfreev (deferred->argv);
  g_free (deferred->confirmation);
  g_free (deferred->outcome);
  g_free (deferred->output_tail);
  g_free (deferred->author);
  g_free (deferred);
}

static void
deferred_key_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Deferred *deferred = user_data;
  g_autoptr(GError) error = NULL;
  SitrepActionAuditRecord record = {
    .request = deferred->request,
    .argv = (const char *const *) deferred->argv,
    .confirmation = deferred->confirmation,
    .incident_id = deferred->incident_id,
    .at = deferred->at,
    .outcome = deferred->outcome,
    .output_tail = deferred->output_tail,
    .author = deferred->author,
  };

  /* In the order they were made: the loads complete in the order they were asked for. */
  if (!sitrep_store_load_audit_key_finish (SITREP_STORE (source), result, &error)
      || !append_record (deferred->store, &record, &error))
    g_message ("The audit log could not record that “%s” was %s: %s",
               sitrep_action_request_get_action (deferred->request)->id, deferred->outcome,
               error->message);
  deferred_free (deferred);
}

/* An attempt that never started a process: a refusal, an undo, a cancel or a failure before
 * the start. Before the audit log's key has been read (just after start), it is recorded as
 * soon as it is. Returns FALSE with @error set when the audit log could not record it. */
static gboolean
record_attempt (SitrepActionController *self,
                SitrepActionRequest    *request,
                const char *const      *argv,
                const char             *confirmation,
                gint64                  incident_id,
                const char             *outcome,
                const char             *output_tail,
                GError                **error)
{
  SitrepActionAuditRecord record = {
    .request = request,
    .argv = argv,
    .confirmation = confirmation,
    .incident_id = incident_id,
    .outcome = outcome,
    .output_tail = output_tail,
    .author = self->author,
  };

  if (sitrep_store_get_audit_key (self->store) == NULL
      && sitrep_store_get_audit_key_problem (self->store) == NULL)
    {
      Deferred *deferred = g_new0 (Deferred, 1);

      deferred->store = g_object_ref (self->store);
      deferred->request = g_object_ref (request);
      deferred->argv = g_strdupv ((GStrv) argv);
      deferred->confirmation = g_strdup (confirmation);
      deferred->incident_id = incident_id;
      deferred->at = g_get_real_time ();
      deferred->outcome = g_strdup (outcome);
      deferred->output_tail = g_strdup (output_tail);
      deferred->author = g_strdup (self->author);
      sitrep_store_load_audit_key_async (self->store, NULL, deferred_key_cb, deferred);
      return TRUE;
    }
  return append_record (self->store, &record, error);
}

static const char *
audit_outcome (SitrepOutcome outcome,
               gboolean      dry_run)
{
  if (dry_run && outcome != SITREP_OUTCOME_CANCELLED && outcome != SITREP_OUTCOME_TIMED_OUT)
    return SITREP_AUDIT_DRY_RUN;
  switch (outcome)
    {
    case SITREP_OUTCOME_SUCCEEDED:
      return SITREP_AUDIT_SUCCEEDED;
    case SITREP_OUTCOME_NO_CHANGE:
      return SITREP_AUDIT_NO_CHANGE;
    case SITREP_OUTCOME_CANCELLED:
      return SITREP_AUDIT_CANCELLED;
    case SITREP_OUTCOME_TIMED_OUT:
      return SITREP_AUDIT_TIMED_OUT;
    case SITREP_OUTCOME_NONE:
    case SITREP_OUTCOME_FAILED:
    default:
      return SITREP_AUDIT_FAILED;
    }
}

/* The "started" entry is written: its timeline event after it. */
static void
started_recorded (RunData *data)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *command_line = NULL;

  if (data->dry_run)
    return;
  fields = action_fields (data->request);
  command_line = sitrep_action_request_get_command_line (data->request);
  json_object_set_string_member (fields, "command", command_line);
  add_timeline_event (data->self, data->request, data->incident_id,
                      SITREP_TIMELINE_KIND_ACTION_STARTED, fields, data->author);
}

static void
not_started_error (RunData      *data,
                   const GError *cause,
                   GError      **error)
{
  const SitrepAction *action = sitrep_action_request_get_action (data->request);

  data->started_id = 0;
  data->not_recorded = TRUE;
  g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN,
               _("“%s” was not run: the audit log could not record that it starts, and "
                 "nothing runs off the record. %s"),
               action->label, cause->message);
}

/* A run waiting for its "started" entry to be on the team database. */
typedef struct
{
  SitrepActionRun *run;
  RunData *data;            /* the run's hook data: it lives as long as the run */
} StartWait;

static void
started_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  StartWait *wait = user_data;
  g_autoptr(SitrepActionRun) run = wait->run;
  RunData *data = wait->data;
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) error = NULL;

  g_free (wait);
  data->starting = FALSE;
  data->started_id = sitrep_store_append_audit_finish (SITREP_STORE (source), result, &local);
  if (data->ended_starting)
    {
      /* Cancelled while its start was being written: nothing ran, nothing changed, no line on
       * the timeline; the "started" entry, if written, is closed as cancelled. */
      if (data->started_id > 0)
        {
          SitrepActionAuditRecord record = ending_record (data, run, SITREP_AUDIT_CANCELLED);

          sitrep_action_audit_append_async (data->self->store, &record);
        }
      data->self->n_closing--;
      sitrep_action_run_release_start (run, NULL);
      return;
    }
  if (data->started_id <= 0)
    {
      if (local == NULL)
        g_set_error_literal (&local, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                             _("The entry was not written."));
      not_started_error (data, local, &error);
      sitrep_action_run_release_start (run, error);
      return;
    }
  started_recorded (data);
  sitrep_action_run_release_start (run, NULL);
}

/* Just before the process starts: the "started" entry, or no process. On a team database the
 * entry is written on the store's writer thread (the main loop never waits on the network),
 * and the process starts once it is on the server; while the server is unreachable nothing
 * starts (the entry is not kept in the journal), and the run says so at once. */
static gboolean
before_spawn_cb (SitrepActionRun *run,
                 gpointer         user_data,
                 GError         **error)
{
  RunData *data = user_data;
  SitrepActionController *self = data->self;
  g_autoptr(GError) local = NULL;
  SitrepActionAuditRecord record = {
    .request = data->request,
    .argv = sitrep_action_run_get_argv (run),
    .confirmation = data->confirmation,
    .incident_id = data->incident_id,
    .outcome = SITREP_AUDIT_STARTED,
    .with_owner = TRUE,
    .author = data->author,
  };

  data->started_at = g_get_real_time ();
  record.at = data->started_at;
  if (sitrep_store_is_shared (self->store))
    {
      StartWait *wait = g_new0 (StartWait, 1);

      wait->run = g_object_ref (run);
      wait->data = data;
      data->starting = TRUE;
      sitrep_action_run_hold_start (run);
      sitrep_action_audit_append_unkept_async (self->store, &record, started_written_cb, wait);
      return TRUE;
    }
  data->started_id = sitrep_action_audit_append (self->store, &record, &local);
  if (data->started_id <= 0)
    {
      not_started_error (data, local, error);
      return FALSE;
    }
  started_recorded (data);
  return TRUE;
}

/* The outcome is known: the "finished" entry (or the attempt's), then the timeline. */
static gboolean
after_finish_cb (SitrepActionRun *run,
                 gpointer         user_data,
                 GError         **error)
{
  RunData *data = user_data;
  SitrepActionController *self = data->self;
  const char *outcome = audit_outcome (sitrep_action_run_get_outcome (run), data->dry_run);
  const char *tail = sitrep_action_run_get_output (run);
  gboolean recorded = TRUE;

  /* It never started because nothing could be recorded: the user was told that already. */
  if (data->not_recorded)
    return TRUE;
  /* Cancelled while its "started" entry was being written: recorded once it is. */
  if (data->starting)
    {
      data->ended_starting = TRUE;
      self->n_closing++;
      return TRUE;
    }
  if (data->started_id > 0)
    {
      SitrepActionAuditRecord record = ending_record (data, run, outcome);

      recorded = append_record (self->store, &record, error);
    }
  else
    /* Cancelled before it started, or a keyring entry it needs was missing. */
    recorded = record_attempt (self, data->request, sitrep_action_run_get_argv (run),
                               data->confirmation, data->incident_id, outcome, tail, error);

  if (!data->dry_run && data->started_id > 0)
    {
      g_autoptr(JsonObject) fields = sitrep_action_run_get_outcome_fields (run);
      g_autoptr(JsonObject) action = action_fields (data->request);
      g_autoptr(GList) names = json_object_get_members (action);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (fields, l->data,
                                json_node_copy (json_object_get_member (action, l->data)));
      add_timeline_event (self, data->request, data->incident_id,
                          SITREP_TIMELINE_KIND_ACTION_FINISHED, fields, data->author);
    }
  return recorded;
}

/* An attempt at @request that never started a process (a refusal, an undo, a cancel), on the
 * current incident. */
gboolean
sitrep_action_controller_record_not_run (SitrepActionController *self,
                                         SitrepActionRequest    *request,
                                         const char             *confirmation,
                                         const char             *outcome,
                                         const char             *reason,
                                         GError                **error)
{
  return record_attempt (self, request, sitrep_action_request_get_argv (request), confirmation,
                         sitrep_action_controller_current_incident (self), outcome, reason,
                         error);
}

/* @run goes on the record: its "started" entry before its process starts, its outcome after. */
void
sitrep_action_controller_record_run (SitrepActionController *self,
                                     SitrepActionRun        *run,
                                     SitrepActionRequest    *request,
                                     const char             *confirmation,
                                     gboolean                dry_run)
{
  RunData *data = g_new0 (RunData, 1);

  data->self = g_object_ref (self);
  data->request = g_object_ref (request);
  data->confirmation = g_strdup (confirmation);
  data->author = g_strdup (self->author);
  data->dry_run = dry_run;
  data->incident_id = sitrep_action_controller_current_incident (self);
  sitrep_action_run_set_hooks (run, before_spawn_cb, after_finish_cb, data,
                               (GDestroyNotify) run_data_free);
}
