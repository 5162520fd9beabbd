/* test-action-controller.c: confirmed runs, refusals, previews and cancels on the audit log and timeline */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "action-test-util.h"
#include "sitrep-action-controller-private.h"
#include "sitrep-action-controller.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "fixture-incident.h"
#include <json-glib/json-glib.h>

typedef struct
{
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  SitrepActionController *controller;
  gint64 incident_id;
  char *sleeper;
} Fixture;

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gint64 *) user_data = sitrep_action_controller_close_unfinished_finish (
    SITREP_ACTION_CONTROLLER (source), result, &error);
  g_assert_no_error (error);
}

/* Until the controller has its audit key and has closed what a stopped Sitrep left started;
 * returns how many it closed. */
static gint64
wait_ready (SitrepActionController *controller)
{
  gint64 closed = -1;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  sitrep_action_controller_close_unfinished_async (controller, NULL, ready_cb, &closed);
  while (closed < 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (closed, >=, 0);
  return closed;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_kubectl_set_up ();
  fixture->store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  fixture->runbook = carecircle ();
  fixture->clock = sitrep_clock_new ();
  fixture->manager = sitrep_incident_manager_new (fixture->store, fixture->runbook, fixture->clock,
                                                  &error);
  g_assert_no_error (error);
  fixture->incident_id = sitrep_incident_manager_declare (fixture->manager, "SEV-2",
                                                          "API errors", "Sign-ins fail", "ana",
                                                          NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixture->incident_id, >, 0);
  sitrep_incident_manager_set_current (fixture->manager, fixture->incident_id);
  fixture->controller = sitrep_action_controller_new (fixture->store, fixture->runbook,
                                                      fixture->manager, GPOINTER_TO_INT (data));
  sitrep_action_controller_set_kubectl (fixture->controller, fake_kubectl);
  wait_ready (fixture->controller);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpuint (sitrep_action_controller_get_n_running (fixture->controller), ==, 0);
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->runbook);
  g_clear_object (&fixture->store);
  if (fixture->sleeper != NULL)
    g_unlink (fixture->sleeper);
  g_free (fixture->sleeper);
  fake_kubectl_tear_down ();
}

static SitrepActionRequest *
request (Fixture    *fixture,
         const char *service_id,
         const char *action_id)
{
  g_autoptr(GError) error = NULL;
  SitrepActionRequest *req;

  req = sitrep_action_controller_resolve (fixture->controller,
                                          sitrep_runbook_find_service (fixture->runbook, service_id),
                                          sitrep_runbook_find_action (fixture->runbook, action_id),
                                          NULL, NULL, &error);
  g_assert_no_error (error);
  return req;
}

static void
finished_cb (SitrepActionController *controller,
             SitrepActionRun        *run,
             gpointer                user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
hung_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  sitrep_action_run_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the controller has recorded the run. */
static void
wait_finished (Fixture *fixture,
               guint    cancel_after_ms,
               SitrepActionRun *run)
{
  gboolean finished = FALSE;
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (30, hung_cb, &hung);
  gulong id = g_signal_connect (fixture->controller, "run-finished", G_CALLBACK (finished_cb),
                                &finished);

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, run);
  while (!finished && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
  g_signal_handler_disconnect (fixture->controller, id);
}

/* Every entry of @store's audit log, oldest first. */
static GPtrArray *
audit (SitrepStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = sitrep_store_list_audit (store, &error);

  g_assert_no_error (error);
  return entries;
}

static void
assert_chain (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 broken = -1;

  g_assert_true (sitrep_store_verify_audit (fixture->store, &broken, &reason, &error));
  g_assert_no_error (error);
}

static GPtrArray *
action_events (Fixture *fixture)
{
  static const char *const kinds[] = { "action-started", "action-finished",
                                         "action-never-finished", NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *events = sitrep_store_list_events (fixture->store, fixture->incident_id,
                                                SITREP_TIMELINE_LIST_DEFAULT, kinds, &error);

  g_assert_no_error (error);
  return events;
}

static void
test_run_audited (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  SitrepActionRun *run;
  SitrepAuditEntry *entry;

  run = sitrep_action_controller_run (fixture->controller, req, "carecircle-api", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  wait_finished (fixture, 0, run);

  args = recorded ();
  g_assert_nonnull (strstr (args, "rollout\nrestart\ndeployment/carecircle-api\n"));
  g_assert_nonnull (strstr (args, "--context\ncarecircle-production\n"));

  /* Written ahead: "started" before the process, "succeeded" naming it after. */
  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_STARTED);
  g_assert_false (entry->has_exit_code);
  g_assert_false (entry->has_duration);
  g_assert_cmpint (entry->started_id, ==, 0);
  g_assert_nonnull (entry->owner);
  g_assert_true (g_str_has_prefix (entry->owner, g_get_host_name ()));
  g_assert_cmpint (entry->incident_id, ==, fixture->incident_id);
  g_assert_true (g_strv_equal ((const char *const *) entry->argv,
                               sitrep_action_request_get_argv (req)));
  g_assert_cmpstr (entry->confirmation, ==, "carecircle-api");
  entry = entries->pdata[1];
  g_assert_cmpint (entry->started_id, ==, 1);
  g_assert_null (entry->owner);
  g_assert_cmpint (entry->incident_id, ==, fixture->incident_id);
  g_assert_cmpstr (entry->os_user, ==, g_get_user_name ());
  g_assert_cmpstr (entry->context, ==, "carecircle-production");
  g_assert_cmpstr (entry->namespace, ==, "carecircle");
  g_assert_cmpstr (entry->action_id, ==, "restart");
  g_assert_cmpstr (entry->service_id, ==, "api");
  g_assert_true (g_strv_equal ((const char *const *) entry->argv,
                               sitrep_action_request_get_argv (req)));
  g_assert_cmpstr (entry->inputs, ==, "{}");
  g_assert_cmpstr (entry->confirmation, ==, "carecircle-api");
  g_assert_true (entry->has_exit_code);
  g_assert_cmpint (entry->exit_code, ==, 0);
  g_assert_true (entry->has_duration);
  g_assert_cmpint (entry->duration_ms, >=, 0);
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_SUCCEEDED);
  g_assert_cmpint (entry->at, >, 0);
  assert_chain (fixture);

  events = action_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_true (g_str_has_prefix (fixture_shown_text (events->pdata[0]),
                                   "Started: Restart on API ("));
  g_assert_nonnull (strstr (fixture_shown_text (events->pdata[0]),
                            "rollout restart deployment/carecircle-api"));
  g_assert_true (g_str_has_prefix (fixture_shown_text (events->pdata[1]),
                                   "Restart on API: "));
}

static void
count_authored_cb (const SitrepAuditEntry *entry,
                   gpointer                user_data)
{
  guint *n = user_data;

  g_assert_cmpstr (entry->author, ==, "Dana Scribe");
  g_assert_cmpstr (entry->host, ==, g_get_host_name ());
  (*n)++;
}

/* Team mode: every entry the controller writes, and every event it puts on the timeline, says
 * who ran it (the name in Preferences) and on which machine; the chain covers both. */
static void
test_author (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;
  guint n = 0;

  sitrep_action_controller_set_author (fixture->controller, "Dana Scribe");
  g_assert_cmpstr (sitrep_action_controller_get_author (fixture->controller), ==, "Dana Scribe");

  run = sitrep_action_controller_run (fixture->controller, req, "carecircle-api", FALSE, &error);
  g_assert_no_error (error);
  wait_finished (fixture, 0, run);
  run = sitrep_action_controller_run (fixture->controller, req, NULL, TRUE, &error);
  g_assert_no_error (error);
  wait_finished (fixture, 0, run);
  g_assert_null (sitrep_action_controller_run (fixture->controller, req, "carecircle-web", FALSE,
                                               &error));
  g_clear_error (&error);
  sitrep_action_controller_record_undone (fixture->controller, req, "carecircle-api");

  /* started, succeeded, started, dry-run, refused, cancelled */
  g_assert_true (sitrep_store_foreach_audit (fixture->store, count_authored_cb, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);
  assert_chain (fixture);

  events = action_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_cmpstr (sitrep_timeline_event_get_author (events->pdata[i]), ==, "Dana Scribe");
      g_assert_cmpstr (sitrep_timeline_event_get_host (events->pdata[i]), ==, g_get_host_name ());
    }
}

static void
test_inputs_recorded (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) inputs = table ("replicas", "6", NULL);
  g_autofree char *args = NULL;
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;

  req = sitrep_action_controller_resolve (fixture->controller,
                                          sitrep_runbook_find_service (fixture->runbook, "api"),
                                          sitrep_runbook_find_action (fixture->runbook, "scale"),
                                          inputs, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_action_request_set_current_replicas (req, 3, &error));
  g_assert_no_error (error);
  run = sitrep_action_controller_run (fixture->controller, req, "carecircle-api", FALSE, &error);
  g_assert_no_error (error);
  wait_finished (fixture, 0, run);
  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->inputs, ==, "{\"replicas\":\"6\"}");
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->inputs, ==, "{\"replicas\":\"6\"}");
  args = recorded ();
  g_assert_nonnull (strstr (args, "--current-replicas=3"));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  SitrepActionRun *run;
  SitrepAuditEntry *entry;

  g_assert_true (sitrep_action_request_get_needs_typed_confirmation (req));
  run = sitrep_action_controller_run (fixture->controller, req, "carecircle-web", FALSE, &error);
  g_assert_null (run);
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "carecircle-api"));
  g_clear_error (&error);
  run = sitrep_action_controller_run (fixture->controller, req, NULL, FALSE, &error);
  g_assert_null (run);
  g_assert_nonnull (error);

  /* Let any process that started by mistake write down its arguments. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  args = recorded ();
  g_assert_cmpstr (args, ==, "");

  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_REFUSED);
  g_assert_cmpstr (entry->confirmation, ==, "carecircle-web");
  g_assert_cmpstr (entry->action_id, ==, "restart");
  g_assert_false (entry->has_exit_code);
  g_assert_nonnull (strstr (entry->output_tail, "carecircle-api"));
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_REFUSED);
  assert_chain (fixture);

  events = action_events (fixture);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  SitrepActionRun *run;

  run = sitrep_action_controller_run (fixture->controller, req, NULL, TRUE, &error);
  g_assert_no_error (error);
  wait_finished (fixture, 0, run);
  args = recorded ();
  g_assert_nonnull (strstr (args, "--dry-run=server\n"));
  /* A preview has no follow-up. */
  g_assert_null (strstr (args, "status\n"));

  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_STARTED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_DRY_RUN);
  g_assert_true (g_strv_contains ((const char *const *) ((SitrepAuditEntry *) entries->pdata[0])->argv,
                                  "--dry-run=server"));
  g_assert_true (g_strv_contains ((const char *const *) ((SitrepAuditEntry *) entries->pdata[1])->argv,
                                  "--dry-run=server"));
  assert_chain (fixture);
  events = action_events (fixture);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;
  gint64 started;

  fixture->sleeper = g_build_filename (g_get_tmp_dir (), "sitrep-sleepy-kubectl", NULL);
  g_file_set_contents (fixture->sleeper, "#!/bin/sh\necho waiting\nexec sleep 30\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->sleeper, 0755), ==, 0);
  sitrep_action_controller_set_kubectl (fixture->controller, fixture->sleeper);
  req = request (fixture, "api", "restart");

  started = g_get_monotonic_time ();
  run = sitrep_action_controller_run (fixture->controller, req, "carecircle-api", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sitrep_action_controller_get_n_running (fixture->controller), ==, 1);
  wait_finished (fixture, 300, run);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);

  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_STARTED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_true (((SitrepAuditEntry *) entries->pdata[1])->has_duration);
  g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[1])->started_id, ==, 1);
  assert_chain (fixture);
  events = action_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_nonnull (strstr (fixture_shown_text (events->pdata[1]), "cancelled"));
}

static void
test_undone (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  SitrepAuditEntry *entry;

  g_autofree char *args = NULL;

  sitrep_action_controller_record_undone (fixture->controller, req, "carecircle-api");
  args = recorded ();
  g_assert_cmpstr (args, ==, "");
  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_false (entry->has_exit_code);
  g_assert_false (entry->has_duration);
  assert_chain (fixture);
}

static void
test_grace (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GCancellable) undo = NULL;
  g_autoptr(GCancellable) later = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;

  g_assert_cmpuint (sitrep_action_controller_get_grace_ms (fixture->controller), ==, 5000);
  sitrep_action_controller_set_grace_ms (fixture->controller, 200);

  /* Undo within the grace period: nothing runs. */
  undo = sitrep_action_controller_schedule (fixture->controller, req, "carecircle-api", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (fixture->controller), ==, 1);
  g_cancellable_cancel (undo);
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (fixture->controller), ==, 0);
  for (int i = 0; i < 40; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  args = recorded ();
  g_assert_cmpstr (args, ==, "");

  /* A wrong word is refused at once. */
  g_assert_null (sitrep_action_controller_schedule (fixture->controller, req, "yes", &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT);

  /* Left alone, it starts when the grace period ends. */
  later = sitrep_action_controller_schedule (fixture->controller, req, "carecircle-api", NULL);
  g_assert_nonnull (later);
  wait_finished (fixture, 0, NULL);
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (fixture->controller), ==, 0);

  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 4);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_false (((SitrepAuditEntry *) entries->pdata[0])->has_exit_code);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_REFUSED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[2])->outcome, ==, SITREP_AUDIT_STARTED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[3])->outcome, ==, SITREP_AUDIT_SUCCEEDED);
  assert_chain (fixture);
}

static gboolean
lists (GPtrArray  *actions,
       const char *id)
{
  for (guint i = 0; i < actions->len; i++)
    if (g_str_equal (((SitrepAction *) actions->pdata[i])->id, id))
      return TRUE;
  return FALSE;
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  const SitrepService *api = sitrep_runbook_find_service (fixture->runbook, "api");
  g_autoptr(GPtrArray) actions = sitrep_action_controller_list_actions (fixture->controller, api);
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;

  g_assert_true (sitrep_action_controller_get_read_only (fixture->controller));
  g_assert_true (lists (actions, "logs"));
  g_assert_true (lists (actions, "describe"));
  g_assert_false (lists (actions, "restart"));
  g_assert_false (lists (actions, "rollback-to"));
  g_assert_false (lists (actions, "scale"));

  g_assert_null (sitrep_action_controller_run (fixture->controller, req, "carecircle-api", FALSE,
                                               &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_READ_ONLY);
  args = recorded ();
  g_assert_cmpstr (args, ==, "");
  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_REFUSED);
}

/* A caller that does not want the reason (error == NULL) still gets the refusal recorded, and
 * nothing dereferences the missing error. */
static void
test_refused_without_error (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *args = NULL;

  /* Read-only (the fixture's flag) refuses in both entry points… */
  g_assert_null (sitrep_action_controller_run (fixture->controller, req, "carecircle-api", FALSE,
                                               NULL));
  g_assert_null (sitrep_action_controller_schedule (fixture->controller, req, "carecircle-api",
                                                    NULL));
  /* …and so does a wrong confirmation, once writing is allowed again. */
  g_clear_object (&fixture->controller);
  fixture->controller = sitrep_action_controller_new (fixture->store, fixture->runbook,
                                                      fixture->manager, FALSE);
  sitrep_action_controller_set_kubectl (fixture->controller, fake_kubectl);
  g_assert_null (sitrep_action_controller_run (fixture->controller, req, "wrong", FALSE, NULL));
  g_assert_null (sitrep_action_controller_schedule (fixture->controller, req, "wrong", NULL));

  args = recorded ();
  g_assert_cmpstr (args, ==, "");
  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 4);
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *entry = entries->pdata[i];

      g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_REFUSED);
      g_assert_nonnull (strstr (entry->output_tail, i < 2 ? "read-only" : "type “carecircle-api”"));
    }
  assert_chain (fixture);
}

static void
test_no_incident (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;

  /* Without an incident manager: audited, on no timeline. */
  g_clear_object (&fixture->controller);
  fixture->controller = sitrep_action_controller_new (fixture->store, fixture->runbook, NULL, FALSE);
  sitrep_action_controller_set_kubectl (fixture->controller, fake_kubectl);
  req = request (fixture, "api", "pods");
  run = sitrep_action_controller_run (fixture->controller, req, NULL, FALSE, &error);
  g_assert_no_error (error);
  wait_finished (fixture, 0, run);
  entries = audit (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[1])->incident_id, ==, 0);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_SUCCEEDED);
}

/* Write-ahead: a console of its own, on a database file, running @program (a script). */
typedef struct
{
  char *dir;
  char *db;
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepActionController *controller;
} Console;

static const char console_runbook[] =
  "{ \"sitrep_runbook\": 1, \"name\": \"Write-ahead\","
  "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],"
  "  \"environment\": { \"context\": \"wa-test\", \"namespace\": \"wa\" },"
  "  \"services\": [{ \"id\": \"batch\", \"name\": \"Batch\", \"actions\": [\"drain\"] }],"
  "  \"actions\": [{ \"id\": \"drain\", \"label\": \"Drain the queue\","
  "                 \"argv\": [\"@PROGRAM@\", \"--all\"] }] }";

static char *
write_script (const char *dir,
              const char *name,
              const char *body)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static void
console_open (Console    *console,
              const char *program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (console_runbook);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_string_replace (text, "@PROGRAM@", program, 1);
  bytes = g_bytes_new (text->str, text->len);
  console->runbook = sitrep_runbook_load_bytes (bytes, "write-ahead.json", &problems, &error);
  g_assert_no_error (error);
  console->store = sitrep_store_open (console->db, &error);
  g_assert_no_error (error);
  console->controller = sitrep_action_controller_new (console->store, console->runbook, NULL,
                                                      FALSE);
  wait_ready (console->controller);
}

static void
console_close (Console *console)
{
  g_clear_object (&console->controller);
  g_clear_object (&console->runbook);
  g_clear_object (&console->store);
}

static void
console_init (Console *console)
{
  g_autoptr(GError) error = NULL;

  console->dir = g_dir_make_tmp ("sitrep-write-ahead-XXXXXX", &error);
  g_assert_no_error (error);
  console->db = g_build_filename (console->dir, "sitrep.db", NULL);
}

static void
console_clear (Console *console)
{
  console_close (console);
  g_free (console->db);
  g_free (console->dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Console, console_clear)

static SitrepActionRun *
console_run (Console *console)
{
  return run_action (console->controller, console->runbook, "batch", "drain");
}

static void
run_finished_cb (SitrepActionController *controller,
                 SitrepActionRun        *run,
                 gpointer                user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
console_wait (Console *console)
{
  gboolean finished = FALSE;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gulong id = g_signal_connect (console->controller, "run-finished", G_CALLBACK (run_finished_cb),
                                &finished);

  while (!finished && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (finished);
  g_signal_handler_disconnect (console->controller, id);
}

/* The "started" entry is on disk, for any other reader, before the process starts: the
 * process itself reads it. */
static void
test_write_ahead_order (void)
{
  g_auto(Console) console = { 0 };
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *script = NULL;
  g_autofree char *body = NULL;

  console_init (&console);
  body = g_strdup_printf ("sqlite3 '%s' \"SELECT 'seen ' || id || ' ' || outcome FROM audit_log"
                          " ORDER BY id\"\n",
                          console.db);
  script = write_script (console.dir, "read-log", body);
  console_open (&console, script);
  run = console_run (&console);
  console_wait (&console);

  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (sitrep_action_run_get_output (run), ==, "seen 1 started\n");
  entries = audit (console.store);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_SUCCEEDED);
  g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[1])->started_id, ==, 1);
  g_assert_true (((SitrepAuditEntry *) entries->pdata[1])->has_duration);
}

/* A log that cannot take the "started" entry: the command never runs, and the run says why. */
static void
assert_refused_run (Console    *console,
                    const char *marker,
                    const char *why)
{
  g_autoptr(SitrepActionRun) run = console_run (console);
  g_autofree char *summary = NULL;

  console_wait (console);
  summary = sitrep_action_run_get_summary (run);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_FAILED);
  g_assert_false (sitrep_action_run_get_spawned (run));
  if (strstr (summary, "“Drain the queue” was not run: the audit log could not record that it "
                       "starts") == NULL
      || strstr (summary, why) == NULL)
    g_error ("unexpected summary: %s", summary);
  /* Give a process that started by mistake the time to leave its mark. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (25000);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
}

static void
test_write_ahead_full (void)
{
  g_auto(Console) console = { 0 };
  g_autofree char *marker = NULL;
  g_autofree char *script = NULL;
  g_autofree char *body = NULL;

  console_init (&console);
  marker = g_build_filename (console.dir, "it-ran", NULL);
  body = g_strdup_printf ("echo ran > '%s'\n", marker);
  script = write_script (console.dir, "mark", body);

  if (g_test_subprocess ())
    {
      g_autofree char *wal = NULL;
      struct rlimit limit;
      GStatBuf st;

      g_free (console.db);
      console.db = g_strdup (g_getenv ("SITREP_TEST_DB"));
      g_free (marker);
      marker = g_strdup (g_getenv ("SITREP_TEST_MARKER"));
      console_open (&console, g_getenv ("SITREP_TEST_SCRIPT"));
      /* The disk is full: nothing more can be written to the database's files. */
      wal = g_strconcat (console.db, "-wal", NULL);
      g_assert_cmpint (g_stat (wal, &st), ==, 0);
      limit.rlim_cur = limit.rlim_max = st.st_size;
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      assert_refused_run (&console, marker, "disk I/O error");
      return;
    }

  g_setenv ("SITREP_TEST_DB", console.db, TRUE);
  g_setenv ("SITREP_TEST_MARKER", marker, TRUE);
  g_setenv ("SITREP_TEST_SCRIPT", script, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  console_open (&console, script);
  {
    g_autoptr(GPtrArray) entries = audit (console.store);

    g_assert_cmpuint (entries->len, ==, 0);
  }
}

/* Another process holds the database: the same refusal, within the busy timeout. */
static void
test_write_ahead_locked (void)
{
  g_auto(Console) console = { 0 };
  g_autofree char *marker = NULL;
  g_autofree char *script = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3 *other = NULL;

  console_init (&console);
  marker = g_build_filename (console.dir, "it-ran", NULL);
  body = g_strdup_printf ("echo ran > '%s'\n", marker);
  script = write_script (console.dir, "mark", body);
  console_open (&console, script);

  g_assert_cmpint (sqlite3_open (console.db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  assert_refused_run (&console, marker, "is busy: another Sitrep");
  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);

  entries = audit (console.store);
  g_assert_cmpuint (entries->len, ==, 0);
}

static gboolean
pid_file_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* A Sitrep killed with SIGKILL while its command runs: the log shows the command started and
 * never finished, before and after the next Sitrep starts. */
static void
test_write_ahead_killed (void)
{
  g_auto(Console) console = { 0 };
  g_autofree char *helper = g_test_build_filename (G_TEST_BUILT, "action-crash-helper", NULL);
  g_autofree char *pid_file = NULL;
  g_autofree char *script = NULL;
  g_autofree char *body = NULL;
  g_autofree char *out = NULL;
  g_autofree char *pid_text = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sitrep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) entries = NULL;
  const char *bin = g_getenv ("SITREP_BIN");
  gint64 deadline;
  JsonArray *list;

  /* The helper and the sitrep commands find the anchors where this test keeps them. */
  g_setenv ("XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  console_init (&console);
  pid_file = g_build_filename (console.dir, "pid", NULL);
  body = g_strdup_printf ("echo $$ > '%s.new' && mv '%s.new' '%s'\nexec sleep 120\n", pid_file,
                          pid_file, pid_file);
  script = write_script (console.dir, "drain", body);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  sitrep = g_subprocess_launcher_spawn (launcher, &error, helper, console.db, script, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_file_test (pid_file, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    {
      g_timeout_add (50, pid_file_cb, NULL);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (g_file_get_contents (pid_file, &pid_text, NULL, NULL));

  /* kill -9, while the command runs. */
  g_subprocess_force_exit (sitrep);
  g_assert_true (g_subprocess_wait (sitrep, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (sitrep));
  g_assert_cmpint (g_subprocess_get_term_sig (sitrep), ==, SIGKILL);
  kill ((pid_t) g_ascii_strtoll (pid_text, NULL, 10), SIGKILL);

  /* sitrep audit export, before any Sitrep starts again. */
  {
    g_autoptr(GSubprocess) export = NULL;
    JsonObject *started;

    export = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin, "audit", "export",
                               "--json", "--database", console.db, NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (export, NULL, NULL, &out, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (export), ==, 0);
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    list = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    started = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (started, "outcome"), ==, "started");
    g_assert_false (json_object_get_boolean_member (started, "finished"));
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (started, "argv"),
                                                    1), ==, "--all");
    g_clear_pointer (&out, g_free);
  }
  {
    g_autoptr(GSubprocess) export = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin,
                                                      "audit", "export", "--database", console.db,
                                                      NULL);

    g_assert_true (g_subprocess_communicate_utf8 (export, NULL, NULL, &out, NULL, &error));
    g_assert_nonnull (strstr (out, "started, never finished"));
    g_clear_pointer (&out, g_free);
  }

  /* The console starts again: it closes the entry, and says so on the incident's timeline. */
  {
    g_autoptr(SitrepClock) clock = sitrep_clock_new ();
    g_autoptr(SitrepIncidentManager) manager = NULL;
    g_autoptr(GPtrArray) events = NULL;
    static const char *const kinds[] = { "action-started", "action-finished",
                                         "action-never-finished", NULL };

    console_open (&console, script);
    manager = sitrep_incident_manager_new (console.store, console.runbook, clock, &error);
    g_assert_no_error (error);
    entries = audit (console.store);
    g_assert_cmpuint (entries->len, ==, 2);
    g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_STARTED);
    g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==,
                     SITREP_AUDIT_NEVER_FINISHED);
    g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[1])->started_id, ==, 1);
    g_assert_false (((SitrepAuditEntry *) entries->pdata[1])->has_exit_code);
    events = sitrep_store_list_events (console.store, 1, SITREP_TIMELINE_LIST_DEFAULT, kinds,
                                       &error);
    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 2);
    g_assert_true (g_str_has_prefix (fixture_shown_text (events->pdata[0]),
                                     "Started: Drain the queue on Batch ("));
    g_assert_true (g_str_has_prefix (fixture_shown_text (events->pdata[1]),
                                     "Drain the queue on Batch never finished: Sitrep stopped "
                                     "while it ran"));
    /* Once closed, never twice. */
    g_assert_cmpint (wait_ready (console.controller), ==, 0);
  }
  {
    g_autoptr(GSubprocess) export = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin,
                                                      "audit", "export", "--database", console.db,
                                                      NULL);

    g_assert_true (g_subprocess_communicate_utf8 (export, NULL, NULL, &out, NULL, &error));
    g_assert_nonnull (strstr (out, "never-finished (started at 1)"));
  }
  {
    g_autoptr(GSubprocess) verify = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, bin,
                                                      "audit", "verify", "--database", console.db,
                                                      NULL);

    g_assert_true (g_subprocess_wait (verify, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (verify), ==, 0);
  }
}

/* A command still running in a live Sitrep is not closed by another. */
static void
test_write_ahead_live_owner (void)
{
  g_auto(Console) console = { 0 };
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(SitrepActionController) other = NULL;
  g_autofree char *script = NULL;

  console_init (&console);
  script = write_script (console.dir, "drain", "exec sleep 30\n");
  console_open (&console, script);
  run = console_run (&console);
  while (!sitrep_action_run_get_spawned (run))
    g_main_context_iteration (NULL, TRUE);
  other = sitrep_action_controller_new (console.store, console.runbook, NULL, FALSE);
  g_assert_cmpint (wait_ready (other), ==, 0);
  sitrep_action_run_cancel (run);
  console_wait (&console);
  {
    g_autoptr(GPtrArray) entries = audit (console.store);

    g_assert_cmpuint (entries->len, ==, 2);
    g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==,
                     SITREP_AUDIT_CANCELLED);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/action-controller/run-audited", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_run_audited, fixture_tear_down);
  g_test_add ("/action-controller/author", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_author, fixture_tear_down);
  g_test_add ("/action-controller/inputs", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_inputs_recorded, fixture_tear_down);
  g_test_add ("/action-controller/refused", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_refused, fixture_tear_down);
  g_test_add ("/action-controller/dry-run", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_dry_run, fixture_tear_down);
  g_test_add ("/action-controller/cancel", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_cancel, fixture_tear_down);
  g_test_add ("/action-controller/undone", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_undone, fixture_tear_down);
  g_test_add ("/action-controller/grace", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_grace, fixture_tear_down);
  g_test_add ("/action-controller/read-only", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_read_only, fixture_tear_down);
  g_test_add ("/action-controller/refused-without-error", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_refused_without_error, fixture_tear_down);
  g_test_add ("/action-controller/no-incident", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_no_incident, fixture_tear_down);

  g_test_add_func ("/action-controller/write-ahead/order", test_write_ahead_order);
  g_test_add_func ("/action-controller/write-ahead/full", test_write_ahead_full);
  g_test_add_func ("/action-controller/write-ahead/locked", test_write_ahead_locked);
  g_test_add_func ("/action-controller/write-ahead/killed", test_write_ahead_killed);
  g_test_add_func ("/action-controller/write-ahead/live-owner", test_write_ahead_live_owner);

  return g_test_run ();
}
