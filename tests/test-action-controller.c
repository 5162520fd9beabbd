/* test-action-controller.c: confirmed runs, refusals, previews and cancels on the audit log and timeline */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "action-test-util.h"
#include "sitrep-action-controller.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"

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

static GPtrArray *
audit (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = sitrep_store_list_audit (fixture->store, &error);

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
  static const char *const kinds[] = { "action", NULL };
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

  entries = audit (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = entries->pdata[0];
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
  g_assert_true (g_str_has_prefix (sitrep_timeline_event_get_text (events->pdata[0]),
                                   "Started: Restart on API ("));
  g_assert_nonnull (strstr (sitrep_timeline_event_get_text (events->pdata[0]),
                            "rollout restart deployment/carecircle-api"));
  g_assert_true (g_str_has_prefix (sitrep_timeline_event_get_text (events->pdata[1]),
                                   "Restart on API: "));
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
  entries = audit (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->inputs, ==, "{\"replicas\":\"6\"}");
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

  entries = audit (fixture);
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

  entries = audit (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_DRY_RUN);
  g_assert_true (g_strv_contains ((const char *const *) ((SitrepAuditEntry *) entries->pdata[0])->argv,
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

  entries = audit (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_true (((SitrepAuditEntry *) entries->pdata[0])->has_duration);
  assert_chain (fixture);
  events = action_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_nonnull (strstr (sitrep_timeline_event_get_text (events->pdata[1]), "cancelled"));
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
  entries = audit (fixture);
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

  entries = audit (fixture);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_false (((SitrepAuditEntry *) entries->pdata[0])->has_exit_code);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_REFUSED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[2])->outcome, ==, SITREP_AUDIT_SUCCEEDED);
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
  entries = audit (fixture);
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
  entries = audit (fixture);
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
  entries = audit (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[0])->incident_id, ==, 0);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_SUCCEEDED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/action-controller/run-audited", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_run_audited, fixture_tear_down);
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

  return g_test_run ();
}
