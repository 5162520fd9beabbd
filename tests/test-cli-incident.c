/* test-cli-incident.c: `sitrep incident list|show` read the store as a script needs */
#include "config.h"

#include <json-glib/json-glib.h>

#include "sitrep-incident.h"
#include "sitrep-store.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

static int
run (const char *const *args,
     char             **out,
     char             **err)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "incident");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_cli_incident (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "cli.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
  g_autoptr(SitrepIncident) first = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL, *id_text = NULL;
  JsonArray *list;
  JsonObject *shown, *phase, *step;
  gint64 a, b;

  g_assert_no_error (error);
  a = sitrep_incident_declare (store, runbook, "SEV-2", "Slow queries", "Reports load slowly",
                               "alice", NULL, NULL, T0, &error);
  b = sitrep_incident_declare (store, runbook, "SEV-1", "API down", "Nobody can log in", "bob",
                               NULL, NULL, T0 + 10 * MIN_US, &error);
  g_assert_no_error (error);
  first = sitrep_store_load_incident (store, a, &error);
  g_assert_true (sitrep_store_set_item (store, a, "determine-severity", "Determine severity level",
                                        TRUE, T0 + 2 * MIN_US, "alice", &error));
  g_assert_true (sitrep_store_set_status (store, first, SITREP_STATUS_RESOLVED, T0 + 40 * MIN_US,
                                          "alice", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* The list: open incidents first, each with severity, status and checklist progress. */
  g_assert_cmpint (run ((const char *[]) { "list", "--json", "--database", path, NULL }, &out,
                        &err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 0), "id"), ==, b);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "status"),
                   ==, "resolved");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 1),
                                               "checklist_done"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 1),
                                               "checklist_items"), ==, 19);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1),
                                                  "declared_at"), ==, "2025-11-28T03:20:00Z");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run ((const char *[]) { "list", "--utc", "--database", path, NULL }, &out,
                        &err), ==, 0);
  g_assert_nonnull (strstr (out, "SEV-1"));
  g_assert_nonnull (strstr (out, "2025-11-28 03:30:00 UTC"));
  g_assert_nonnull (strstr (out, "1/19  Slow queries"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One incident in detail: times, clocks, checklist by phase, escalation. */
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, a);
  g_assert_cmpint (run ((const char *[]) { "show", id_text, "--json", "--database", path, NULL },
                        &out, &err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  shown = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (shown, "acknowledged_at"), ==,
                   "2025-11-28T03:22:00Z");
  g_assert_cmpstr (json_object_get_string_member (shown, "resolved_at"), ==, "2025-11-28T04:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (shown, "response_due_at"), ==,
                   "2025-11-28T03:50:00Z");
  phase = json_array_get_object_element (json_object_get_array_member (shown, "checklist"), 0);
  g_assert_cmpstr (json_object_get_string_member (phase, "phase"), ==, "acknowledge");
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_object_get_array_member (phase, "items"), 1), "done"));
  step = json_array_get_object_element (json_object_get_array_member (shown, "escalation"), 1);
  g_assert_cmpstr (json_object_get_string_member (step, "role"), ==, "Team lead");
  g_assert_cmpstr (json_object_get_string_member (step, "state"), ==, "stopped");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run ((const char *[]) { "show", id_text, "--utc", "--database", path, NULL },
                        &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "[x] Determine severity level — alice, 2025-11-28 03:22:00 UTC"));
  g_assert_nonnull (strstr (out, "(00:40:00)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* What does not exist says so. */
  g_assert_cmpint (run ((const char *[]) { "show", "999", "--database", path, NULL }, &out, &err),
                   ==, 1);
  g_assert_nonnull (strstr (err, "There is no incident 999"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *[]) { "show", "abc", "--database", path, NULL }, &out, &err),
                   ==, 2);
  g_assert_nonnull (strstr (err, "not an incident number"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/incident", test_cli_incident);

  return g_test_run ();
}
