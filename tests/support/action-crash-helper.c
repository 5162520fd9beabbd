/* action-crash-helper.c: a console that starts a command, then is killed (write-ahead tests)
 *
 * action-crash-helper DATABASE PROGRAM: declares an incident, runs PROGRAM through the action
 * controller as the console would, and waits for ever, until the test kills it with SIGKILL.
 */
#include "config.h"

#include "sitrep-action-controller.h"
#include "sitrep-runbook-loader.h"

static const char runbook_text[] =
  "{ \"sitrep_runbook\": 1, \"name\": \"Crash\","
  "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],"
  "  \"environment\": { \"context\": \"crash-test\", \"namespace\": \"crash\" },"
  "  \"services\": [{ \"id\": \"batch\", \"name\": \"Batch\", \"actions\": [\"drain\"] }],"
  "  \"actions\": [{ \"id\": \"drain\", \"label\": \"Drain the queue\","
  "                 \"argv\": [\"@PROGRAM@\", \"--all\"] }] }";

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SitrepActionController *controller = SITREP_ACTION_CONTROLLER (source);
  SitrepRunbook *runbook = sitrep_action_controller_get_runbook (controller);
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  sitrep_action_controller_close_unfinished_finish (controller, result, &error);
  g_assert_no_error (error);
  request = sitrep_action_controller_resolve (controller,
                                              sitrep_runbook_find_service (runbook, "batch"),
                                              sitrep_runbook_find_action (runbook, "drain"), NULL,
                                              NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sitrep_action_controller_run (controller, request, NULL, FALSE, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (runbook_text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepClock) clock = NULL;
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepActionController) controller = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 incident;

  g_assert_cmpint (argc, ==, 3);
  g_string_replace (text, "@PROGRAM@", argv[2], 1);
  bytes = g_bytes_new (text->str, text->len);
  runbook = sitrep_runbook_load_bytes (bytes, "crash.json", &problems, &error);
  g_assert_no_error (error);
  store = sitrep_store_open (argv[1], &error);
  g_assert_no_error (error);
  clock = sitrep_clock_new ();
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);
  incident = sitrep_incident_manager_declare (manager, "P1", "Batch stuck", "Exports wait", "ana",
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  sitrep_incident_manager_set_current (manager, incident);
  controller = sitrep_action_controller_new (store, runbook, manager, FALSE);
  sitrep_action_controller_close_unfinished_async (controller, NULL, ready_cb, NULL);
  g_main_loop_run (loop);
  return 0;
}
