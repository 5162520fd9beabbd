/* test-cli-incident.c: `sitrep incident list|show` read the store as a script needs */
#include "config.h"

#include <json-glib/json-glib.h>

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "sitrep-incident.h"
#include "sitrep-reason.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"
#include "sitrep-store-timeline.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

/* Runs `sitrep VERB ARGS…`; returns its exit status. */
static int
run_verb (const char        *verb,
          const char *const *args,
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
  g_ptr_array_add (argv, (gpointer) verb);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_free (*out);
  g_free (*err);
  *out = *err = NULL;
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("sitrep %s …: exit %d\nstdout: %s\nstderr: %s", verb,
                  g_subprocess_get_exit_status (process), *out, *err);
  return g_subprocess_get_exit_status (process);
}

static int
run (const char *const *args,
     char             **out,
     char             **err)
{
  return run_verb ("incident", args, out, err);
}

static void
assert_has (const char *text,
            const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("“%s” is missing from:\n%s", expected, text);
}

static void
assert_lacks (const char *text,
              const char *unexpected)
{
  if (strstr (text, unexpected) != NULL)
    g_error ("“%s” should not be in:\n%s", unexpected, text);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* The Northwind runbook, read from a file of its own as `sitrep --runbook` would. */
static SitrepRunbook *
load_northwind (char **path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  *path = fixture_runbook_write (NULL);
  file = g_file_new_for_path (*path);
  runbook = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  return runbook;
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
  a = fixture_declare_incident (store, runbook, "SEV-2", "Slow queries", "Reports load slowly",
                                "alice", NULL, NULL, T0, &error);
  b = fixture_declare_incident (store, runbook, "SEV-1", "API down", "Nobody can log in", "bob",
                                NULL, NULL, T0 + 10 * MIN_US, &error);
  g_assert_no_error (error);
  first = sitrep_store_load_incident (store, a, &error);
  g_assert_true (sitrep_store_set_item (store, a, "determine-severity", "Determine severity level",
                                        TRUE, T0 + 2 * MIN_US, "alice", &error));
  /* A health change, with its reason as the console records it. */
  {
    g_autoptr(SitrepReason) why = sitrep_reason_new (N_("status %s"),
                                                     sitrep_reason_new_text ("503"));
    g_autofree char *packed = sitrep_reason_pack (why);
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "service", "api");
    json_object_set_string_member (fields, "service_name", "API");
    json_object_set_string_member (fields, "old", "up");
    json_object_set_string_member (fields, "new", "down");
    json_object_set_string_member (fields, "reason", sitrep_reason_to_string (why));
    json_object_set_string_member (fields, "why", packed);
    g_assert_cmpint (sitrep_store_record_event (store, a, T0 + 3 * MIN_US,
                                                SITREP_TIMELINE_KIND_HEALTH, fields, NULL, &error),
                     >, 0);
  }
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
  /* The health change in words, and its reason as data a script reads without parsing again. */
  {
    JsonArray *timeline = json_object_get_array_member (shown, "timeline");
    JsonObject *health = NULL;
    JsonNode *why;

    for (guint i = 0; i < json_array_get_length (timeline); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (timeline, i),
                                                      "kind"), "health"))
        health = json_array_get_object_element (timeline, i);
    g_assert_nonnull (health);
    g_assert_cmpstr (json_object_get_string_member (health, "text"), ==,
                     "API: Up → Down (status 503)");
    why = json_object_get_member (json_object_get_object_member (health, "fields"), "why");
    g_assert_true (JSON_NODE_HOLDS_ARRAY (why));
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (why), 0), ==,
                     "status %s");
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (why), 1), ==, "503");
  }
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

/* Replaces every @from in @text by @to. */
static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  return g_strjoinv (to, parts);
}

/* An incident belongs to its runbook: declared under Northwind, it is shown and exported with
 * Northwind's severities, checklist, escalation and template after the runbook file changed and
 * after it was deleted, while the built-in CareCircle is the runbook at hand. */
static void
test_runbook_kept (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "kept.db", NULL);
  g_autofree char *northwind_path = NULL;
  g_autoptr(SitrepRunbook) northwind = load_northwind (&northwind_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) carecircle = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepStore) store = sitrep_store_open (db, &error);
  const char *const services[] = { "gateway", NULL };
  const char *carecircle_path = g_getenv ("SITREP_RUNBOOK");
  g_autofree char *out = NULL, *err = NULL, *nw = NULL, *cc = NULL, *line = NULL;
  g_autofree char *text = NULL, *changed = NULL, *edited = NULL;
  g_autofree char *other_path = fixture_runbook_write ("HTTP_URL", "http://127.0.0.1:10", NULL);
  gint64 nw_id, cc_id;

  g_assert_no_error (error);
  nw_id = fixture_declare_incident (store, northwind, "P1", "Labels stopped printing",
                                    "Every depot", "dana", NULL, services, T0, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_set_item (store, nw_id, "open-room", "Open the incident room", TRUE,
                                        T0 + 2 * MIN_US, "dana", &error));
  cc_id = fixture_declare_incident (store, carecircle, "SEV-2", "Slow queries", "Reports", "alice",
                                    NULL, NULL, T0 + MIN_US, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  nw = g_strdup_printf ("%" G_GINT64_FORMAT, nw_id);
  cc = g_strdup_printf ("%" G_GINT64_FORMAT, cc_id);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonNode) shown = NULL;
      g_autoptr(JsonNode) list = NULL;
      JsonObject *object, *runbook;
      JsonArray *incidents;

      if (round == 0)
        {
          /* The runbook is edited after the declaration: P1 is renamed, Triage too. */
          text = fixture_runbook_text (NULL);
          changed = replace (text, "\"label\": \"Urgent\"", "\"label\": \"Edited later\"");
          edited = replace (changed, "\"title\": \"Triage\"", "\"title\": \"First steps\"");
          g_file_set_contents (northwind_path, edited, -1, &error);
          g_assert_no_error (error);
        }
      else
        {
          /* …and then deleted. */
          g_assert_cmpint (g_unlink (northwind_path), ==, 0);
        }

      g_assert_cmpint (run ((const char *[]) { "show", nw, "--utc", "--database", db, NULL },
                            &out, &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
      line = g_strdup_printf ("  Runbook:           Northwind Freight, as declared (from %s)\n",
                              northwind_path);
      assert_has (out, line);
      g_clear_pointer (&line, g_free);
      assert_has (out, "  Severity:          P1 · Urgent\n");
      assert_has (out, "  Triage [");
      assert_has (out, "    [x] Open the incident room — dana, 2025-11-28 03:22:00 UTC\n");
      assert_has (out, "    [ ] Tell the depots\n");
      assert_has (out, "    Duty manager           due         2025-11-28 03:40:00 UTC\n");
      assert_has (out, "    Primary on duty        due         2025-11-28 03:20:00 UTC\n        @nw-primary\n");
      assert_lacks (out, "Edited later");
      assert_lacks (out, "First steps");
      assert_lacks (out, "SEV-");
      assert_lacks (out, "Acknowledge & Assess");
      assert_lacks (out, "CareCircle");

      g_assert_cmpint (run ((const char *[]) { "show", nw, "--json", "--database", db, NULL },
                            &out, &err), ==, 0);
      shown = parse (out);
      object = json_node_get_object (shown);
      g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==, "P1");
      g_assert_cmpstr (json_object_get_string_member (object, "severity_label"), ==, "Urgent");
      g_assert_cmpint (json_object_get_int_member (object, "checklist_items"), ==, 6);
      g_assert_cmpint (json_object_get_int_member (object, "checklist_done"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (object, "response_due_at"), ==,
                       "2025-11-28T03:30:00Z");
      runbook = json_object_get_object_member (object, "runbook");
      g_assert_cmpstr (json_object_get_string_member (runbook, "name"), ==, "Northwind Freight");
      g_assert_cmpstr (json_object_get_string_member (runbook, "source"), ==, northwind_path);
      g_assert_true (json_object_get_boolean_member (runbook, "kept_with_incident"));
      g_assert_true (json_object_get_null_member (runbook, "note"));
      g_assert_cmpstr (json_object_get_string_member (
                         json_array_get_object_element (
                           json_object_get_array_member (object, "checklist"), 0), "title"), ==,
                       "Triage");

      /* The list counts each incident's own checklist. */
      g_assert_cmpint (run ((const char *[]) { "list", "--json", "--database", db, NULL }, &out,
                            &err), ==, 0);
      list = parse (out);
      incidents = json_node_get_array (list);
      g_assert_cmpuint (json_array_get_length (incidents), ==, 2);
      for (guint i = 0; i < 2; i++)
        {
          JsonObject *item = json_array_get_object_element (incidents, i);
          gboolean is_nw = json_object_get_int_member (item, "id") == nw_id;

          g_assert_cmpint (json_object_get_int_member (item, "checklist_items"), ==,
                           is_nw ? 6 : 19);
          g_assert_cmpstr (json_object_get_string_member (item, "severity_label"), ==,
                           is_nw ? "Urgent" : "Major");
        }

      /* The post-mortem in Northwind's "Review" template, not CareCircle's. */
      g_assert_cmpint (run_verb ("export", (const char *[]) { nw, "--utc", "--database", db,
                                                              NULL }, &out, &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_str_has_prefix (out, "# Review: Labels stopped printing\n\nSeverity P1, "
                                            "03:20 to [end_time].\n\n## What happened\n"));
      assert_lacks (out, "Incident Post-Mortem");
    }

  /* --runbook is for incidents that carry no runbook: here it would change nothing. */
  g_assert_cmpint (run_verb ("export", (const char *[]) { nw, "--runbook", carecircle_path,
                                                          "--database", db, NULL }, &out, &err),
                   ==, 2);
  line = g_strdup_printf ("sitrep export: --runbook does not apply: incident %s carries the "
                          "runbook it was declared under (“Northwind Freight”). Leave out "
                          "--runbook.\n", nw);
  g_assert_cmpstr (err, ==, line);
  g_assert_cmpint (run ((const char *[]) { "list", "--runbook", other_path, "--database", db,
                                           NULL }, &out, &err), ==, 2);
  g_assert_cmpstr (err, ==, "sitrep incident: --runbook does not apply: every incident shown "
                            "carries the runbook it was declared under. Leave out --runbook.\n");

  /* The CareCircle incident is still CareCircle's. */
  g_assert_cmpint (run ((const char *[]) { "show", cc, "--database", db, NULL }, &out, &err), ==,
                   0);
  assert_has (out, "  Severity:          SEV-2 · Major\n");
  assert_has (out, "Runbook:           CareCircle, as declared (from resource:///");
}

/* A database of the previous version (1), with incidents in it, as Sitrep 0.1 left it. */
static void
make_version_1 (const char *path)
{
  g_autofree char *schema_path = g_test_build_filename (G_TEST_DIST, "data", "schema-v1.sql",
                                                        NULL);
  g_autofree char *schema = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_file_get_contents (schema_path, &schema, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, schema, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_exec (db,
                "INSERT INTO incidents (id, runbook, severity, summary, impact, lead, channel,"
                " services, started_at, declared_at)"
                " VALUES (1, 'Northwind Freight', 'P1', 'Labels stopped printing', 'Every depot',"
                " 'dana', '#nw-2025-11-28-labels', '[\"gateway\"]', 1764300000000000,"
                " 1764300000000000);"
                "INSERT INTO checklist_state VALUES (1, 'open-room', 1, 'dana', 1764300120000000);"
                "INSERT INTO timeline_events (incident_id, at, recorded_at, kind, text, author)"
                " VALUES (1, 1764300000000000, 1764300000000000, 'declared',"
                " 'Declared P1: Labels stopped printing', 'dana');"
                "INSERT INTO incidents (id, runbook, severity, summary, started_at, declared_at)"
                " VALUES (2, 'CareCircle', 'SEV-2', 'Slow queries', 1764300060000000,"
                " 1764300060000000);"
                "PRAGMA user_version = 1;",
                NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);
}

/* Incidents recorded before Sitrep kept each incident's runbook: shown with the runbook at hand
 * when it bears their runbook's name, and said so; never with another one. */
static void
test_runbook_legacy (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "legacy.db", NULL);
  g_autofree char *northwind_path = fixture_runbook_write (NULL);
  g_autofree char *out = NULL, *err = NULL, *line = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *incidents;

  g_assert (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  make_version_1 (db);

  /* The built-in runbook is not Northwind: refused, with what to give. */
  g_assert_cmpint (run ((const char *[]) { "show", "1", "--database", db, NULL }, &out, &err), ==,
                   1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "Incident 1 was declared under runbook “Northwind Freight”, and "
                            "Sitrep has no usable copy of it (incident 1 was recorded before "
                            "Sitrep kept the runbook of each incident); the runbook here is "
                            "“CareCircle” (the built-in runbook). Give Northwind Freight's "
                            "runbook with --runbook FILE.\n");
  g_assert_cmpint (run_verb ("export", (const char *[]) { "1", "--database", db, NULL }, &out,
                             &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, "Give Northwind Freight's runbook with --runbook FILE.");

  /* Given Northwind, it is shown with it, as it is now, and says so. */
  g_assert_cmpint (run ((const char *[]) { "show", "1", "--utc", "--runbook", northwind_path,
                                           "--database", db, NULL }, &out, &err), ==, 0);
  line = g_strdup_printf ("  Runbook:           “Northwind Freight” as it is now (%s), since "
                          "incident 1 was recorded before Sitrep kept the runbook of each "
                          "incident\n", northwind_path);
  assert_has (out, line);
  g_clear_pointer (&line, g_free);
  assert_has (out, "  Severity:          P1 · Urgent\n");
  assert_has (out, "    [x] Open the incident room — dana, 2025-11-28 03:22:00 UTC\n");
  g_assert_cmpint (run_verb ("export", (const char *[]) { "1", "--utc", "--runbook",
                                                          northwind_path, "--database", db,
                                                          NULL }, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "# Review: Labels stopped printing\n"));
  line = g_strdup_printf ("Note: incident 1 uses “Northwind Freight” as it is now (%s), since "
                          "incident 1 was recorded before Sitrep kept the runbook of each "
                          "incident.\n", northwind_path);
  g_assert_cmpstr (err, ==, line);
  g_clear_pointer (&line, g_free);

  /* The CareCircle incident has the built-in runbook at hand. */
  g_assert_cmpint (run ((const char *[]) { "show", "2", "--database", db, NULL }, &out, &err), ==,
                   0);
  assert_has (out, "  Runbook:           “CareCircle” as it is now (the built-in runbook), since "
                   "incident 2 was recorded before Sitrep kept the runbook of each incident\n");
  assert_has (out, "  Severity:          SEV-2 · Major\n");

  /* The list shows both; it does not count Northwind's items in CareCircle's checklist. */
  g_assert_cmpint (run ((const char *[]) { "list", "--json", "--database", db, NULL }, &out,
                        &err), ==, 0);
  list = parse (out);
  incidents = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (incidents), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (incidents, i);
      JsonObject *runbook = json_object_get_object_member (item, "runbook");

      g_assert_false (json_object_get_boolean_member (runbook, "kept_with_incident"));
      if (json_object_get_int_member (item, "id") == 1)
        {
          g_assert_true (json_object_get_null_member (item, "checklist_items"));
          g_assert_cmpstr (json_object_get_string_member (runbook, "declared_under"), ==,
                           "Northwind Freight");
        }
      else
        {
          g_assert_cmpint (json_object_get_int_member (item, "checklist_items"), ==, 19);
        }
    }
}

/* A copy changed behind Sitrep's back is not trusted: its checksum says so. */
static void
test_runbook_tampered (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "tampered.db", NULL);
  g_autofree char *northwind_path = NULL;
  g_autoptr(SitrepRunbook) northwind = load_northwind (&northwind_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db, &error);
  g_autofree char *other_path = fixture_runbook_write ("HTTP_URL", "http://127.0.0.1:10", NULL);
  g_autofree char *out = NULL, *err = NULL, *nw = NULL, *line = NULL;
  sqlite3 *raw = NULL;
  char *message = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = fixture_declare_incident (store, northwind, "P1", "Labels stopped printing", "", "dana",
                                 NULL, NULL, T0, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  nw = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  /* The copy cannot be changed through SQL as is… */
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, "UPDATE runbook_snapshots SET name = 'x'", NULL, NULL, &message);
  g_assert_nonnull (message);
  assert_has (message, "a stored runbook never changes");
  sqlite3_free (message);
  message = NULL;
  /* …but a determined hand drops the guard first. */
  sqlite3_exec (raw, "DROP TRIGGER runbook_snapshots_immutable;"
                     "UPDATE runbook_snapshots SET content = CAST (replace (CAST (content AS TEXT),"
                     " 'Urgent', 'Relaxed') AS BLOB);",
                NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (raw);

  g_assert_cmpint (run ((const char *[]) { "show", nw, "--database", db, NULL }, &out, &err), ==,
                   1);
  line = g_strdup_printf ("Incident %s was declared under runbook “Northwind Freight”, and Sitrep "
                          "has no usable copy of it (the copy of runbook “Northwind Freight” kept "
                          "with the incident is altered in %s: the database was changed outside "
                          "Sitrep); the runbook here is “CareCircle” (the built-in runbook). Give "
                          "Northwind Freight's runbook with --runbook FILE.\n", nw, db);
  g_assert_cmpstr (err, ==, line);
  g_clear_pointer (&line, g_free);
  assert_lacks (out, "Relaxed");

  /* Given a Northwind runbook, it is used, and the damage is said. */
  g_assert_cmpint (run ((const char *[]) { "show", nw, "--runbook", other_path, "--database", db,
                                           NULL }, &out, &err), ==, 0);
  assert_has (out, "  Severity:          P1 · Urgent\n");
  line = g_strdup_printf ("  Runbook:           “Northwind Freight” as it is now (%s), since the "
                          "copy of runbook “Northwind Freight” kept with the incident is altered "
                          "in %s: the database was changed outside Sitrep\n", other_path, db);
  assert_has (out, line);
  /* The very file it was declared under is its runbook, byte for byte. */
  g_assert_cmpint (run ((const char *[]) { "show", nw, "--runbook", northwind_path, "--database",
                                           db, NULL }, &out, &err), ==, 0);
  assert_has (out, "  Severity:          P1 · Urgent\n");
  assert_has (out, "  Runbook:           Northwind Freight, as declared (from ");
}

/* The documented fields a commander reads: a phase's "starts", a contact's "when", a link's
 * "note". */
static void
test_documented_fields (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "fields.db", NULL);
  g_autofree char *northwind_path = NULL;
  g_autoptr(SitrepRunbook) northwind = load_northwind (&northwind_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db, &error);
  /* Declared five minutes ago, in whole seconds: Stabilise starts 12 min after declaration. */
  gint64 declared = (g_get_real_time () / G_USEC_PER_SEC - 5 * 60) * G_USEC_PER_SEC;
  g_autoptr(GDateTime) starts = g_date_time_new_from_unix_utc (declared / G_USEC_PER_SEC + 12 * 60);
  g_autofree char *starts_text = g_date_time_format (starts, "%Y-%m-%d %H:%M:%S UTC");
  g_autofree char *starts_iso = g_date_time_format_iso8601 (starts);
  g_autofree char *out = NULL, *err = NULL, *id_text = NULL, *line = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonObject *object, *phase, *item, *step;
  gint64 id;

  g_assert_no_error (error);
  id = fixture_declare_incident (store, northwind, "P1", "Labels stopped printing", "", "dana",
                                 NULL, NULL, declared, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (run ((const char *[]) { "show", id_text, "--utc", "--database", db, NULL },
                        &out, &err), ==, 0);
  line = g_strdup_printf ("\n  Stabilise [not-started, starts %s]\n", starts_text);
  assert_has (out, line);
  assert_has (out, "\n  Triage [on-time]\n");
  assert_has (out, "    [ ] Look at Grafana\n"
                   "        → Grafana: https://grafana.northwind.test/ — Use the Freight board\n");
  assert_has (out, "    Duty manager           pending");
  assert_has (out, "        @nw-duty — when to call: Depot-wide stoppages\n");
  assert_has (out, "\n  Contacts\n");
  assert_has (out, "    Duty manager           @nw-duty       Depot-wide stoppages\n");

  g_assert_cmpint (run ((const char *[]) { "show", id_text, "--json", "--database", db, NULL },
                        &out, &err), ==, 0);
  shown = parse (out);
  object = json_node_get_object (shown);
  phase = json_array_get_object_element (json_object_get_array_member (object, "checklist"), 1);
  g_assert_cmpstr (json_object_get_string_member (phase, "phase"), ==, "stabilise");
  g_assert_cmpstr (json_object_get_string_member (phase, "state"), ==, "not-started");
  g_assert_cmpstr (json_object_get_string_member (phase, "starts_at"), ==, starts_iso);
  phase = json_array_get_object_element (json_object_get_array_member (object, "checklist"), 0);
  item = json_array_get_object_element (json_object_get_array_member (phase, "items"), 2);
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, "look-grafana");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "link"),
                                                  "note"), ==, "Use the Freight board");
  step = json_array_get_object_element (json_object_get_array_member (object, "escalation"), 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (step, "contact"),
                                                  "when"), ==, "Depot-wide stoppages");
}

/* `incident show` prints the timeline in the reader's words: the events a schema-4 database
 * recorded as sentences (tests/support/data/schema-v4.sql) as they were, and those recorded
 * since from their data, which --json gives too. */
static void
test_timeline (void)
{
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", "schema-v4.sql", NULL);
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "timeline.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *timeline;
  JsonObject *last, *fields;
  sqlite3 *raw = NULL;
  char *message = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, sql, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (raw);

  g_assert_cmpint (run ((const char *[]) { "show", "1", "--utc", "--database", db, NULL }, &out,
                        &err), ==, 0);
  assert_has (out, "\n  Timeline\n"
                   "    2025-11-28 03:20:00 UTC  Declared P1: Labels fail to print — dana\n"
                   "        Annotation: paged by the depots\n"
                   "    2025-11-28 03:20:00 UTC  Escalation due: Primary on duty (@nw-primary)\n");
  assert_has (out, "    2025-11-28 03:29:30 UTC  Gateway pods OOM-killed since 03:10 (edited) — "
                   "erik\n");
  g_assert_null (strstr (out, "please ignore"));

  {
    g_autoptr(SitrepStore) store = sitrep_store_open (db, &error);
    g_autoptr(SitrepIncident) open = NULL;

    g_assert_no_error (error);
    open = sitrep_store_load_incident (store, 2, &error);
    g_assert_no_error (error);
    g_assert_true (sitrep_store_set_status (store, open, SITREP_STATUS_IDENTIFIED,
                                            T0 + 150 * MIN_US, "erik", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (run ((const char *[]) { "show", "2", "--utc", "--database", db, NULL }, &out,
                        &err), ==, 0);
  /* Recorded now: the machine that wrote it stands beside who. */
  {
    g_autofree char *line = g_strdup_printf ("    2025-11-28 05:50:00 UTC  Status: Investigating"
                                             " → Identified — erik on %s\n", g_get_host_name ());

    assert_has (out, line);
  }

  g_assert_cmpint (run ((const char *[]) { "show", "2", "--json", "--database", db, NULL }, &out,
                        &err), ==, 0);
  shown = parse (out);
  timeline = json_object_get_array_member (json_node_get_object (shown), "timeline");
  g_assert_cmpuint (json_array_get_length (timeline), ==, 3);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (timeline, 0),
                                              "fields"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 0),
                                                  "text"),
                   ==, "Declared P3: One customer sees old rates");
  last = json_array_get_object_element (timeline, 2);
  g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (last, "at"), ==, "2025-11-28T05:50:00Z");
  fields = json_object_get_object_member (last, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "old"), ==, "investigating");
  g_assert_cmpstr (json_object_get_string_member (fields, "new"), ==, "identified");
  g_assert_cmpstr (json_object_get_string_member (last, "text"), ==,
                   "Status: Investigating → Identified");

  /* A tampered time past the year 9999 shows as unknown, the event still there. */
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, "UPDATE timeline_events SET at = 9000000000000000000"
                     " WHERE incident_id = 2 AND kind = 'status'", NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (raw);
  g_assert_cmpint (run ((const char *[]) { "show", "2", "--utc", "--database", db, NULL }, &out,
                        &err), ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("    ?  Status: Investigating → Identified — erik"
                                             " on %s\n", g_get_host_name ());

    assert_has (out, line);
  }
  g_assert_cmpint (run ((const char *[]) { "show", "2", "--json", "--database", db, NULL }, &out,
                        &err), ==, 0);
  g_clear_pointer (&shown, json_node_unref);
  shown = parse (out);
  timeline = json_object_get_array_member (json_node_get_object (shown), "timeline");
  last = json_array_get_object_element (timeline, 2);
  g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "status");
  g_assert_true (json_object_get_null_member (last, "at"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/incident", test_cli_incident);
  g_test_add_func ("/cli/incident/runbook-kept", test_runbook_kept);
  g_test_add_func ("/cli/incident/runbook-legacy", test_runbook_legacy);
  g_test_add_func ("/cli/incident/runbook-tampered", test_runbook_tampered);
  g_test_add_func ("/cli/incident/documented-fields", test_documented_fields);
  g_test_add_func ("/cli/incident/timeline", test_timeline);

  return g_test_run ();
}
