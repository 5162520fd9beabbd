/* test-cli-incident-write.c: `sitrep incident declare|note|status|resolve` as a chat bot runs them */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include <string.h>
#include <glib/gstdio.h>

#include "fixture-runbook.h"
#include "sitrep-incident-manager.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-writer.h"

/* Notes per writer in the concurrency test: each one a process of its own. */
/* Two writers at once, N_NOTES notes each. Under AddressSanitizer each process starts some ten
 * times slower; fewer notes still race the two writers against each other. */
#if defined(__SANITIZE_ADDRESS__)
#define N_NOTES 40
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define N_NOTES 40
#endif
#endif
#ifndef N_NOTES
#define N_NOTES 200
#endif

typedef struct
{
  char *dir;      /* the test's own folder */
  char *db;       /* an empty file there: a new database */
  char *runbook;  /* Northwind, trusted in the settings */
  char *settings; /* the keyfile the sitrep processes read their settings from */
  char *config;   /* XDG_CONFIG_HOME for them */
} Fixture;

static void
write_settings (Fixture    *fixture,
                const char *lead_name,
                const char *trusted_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trusted = NULL;
  g_autofree char *text = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->settings);

  if (trusted_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (trusted_path);
      g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_file (file, NULL, NULL, &error);

      g_assert_no_error (error);
      trusted = g_strdup_printf ("trusted-runbooks=['%s']\n", sitrep_runbook_get_digest (runbook));
    }
  text = g_strdup_printf ("[org/carecircle/Sitrep]\n%s%s%s%s", trusted ? trusted : "",
                          lead_name ? "lead-name='" : "", lead_name ? lead_name : "",
                          lead_name ? "'\n" : "");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->settings, text, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_build_filename (g_get_user_data_dir (), "bot", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  fixture->db = g_build_filename (fixture->dir, "team.db", NULL);
  g_assert_true (g_file_set_contents (fixture->db, "", 0, &error));
  fixture->runbook = fixture_runbook_write (NULL);
  fixture->config = g_build_filename (fixture->dir, "config", NULL);
  fixture->settings = g_build_filename (fixture->config, "glib-2.0", "settings", "keyfile", NULL);
  write_settings (fixture, "Dana Scribe", fixture->runbook);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->runbook);
  g_free (fixture->settings);
  g_free (fixture->config);
}

/* Runs `sitrep incident ARGS…` with the fixture's settings; returns its exit status. */
static int
run (Fixture           *fixture,
     const char *const *args,
     char             **out,
     char             **err)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "incident");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (out != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&stdout_text);
    }
  if (err != NULL)
    {
      g_free (*err);
      *err = g_steal_pointer (&stderr_text);
    }
  return g_subprocess_get_exit_status (process);
}

static void
assert_has (const char *text,
            const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("“%s” is missing from:\n%s", expected, text);
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

/* `sitrep incident show ID --json`, as a bot reads it back. */
static JsonNode *
show (Fixture *fixture,
      gint64   id)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (fixture, (const char *[]) { "show", number, "--json", "--database",
                                                    fixture->db, NULL },
                        &out, &err), ==, 0);
  return parse (out);
}

static gint64
declare (Fixture    *fixture,
         const char *severity,
         const char *title)
{
  g_autofree char *out = NULL, *err = NULL;
  gint64 id = 0;

  g_assert_cmpint (run (fixture, (const char *[]) { "declare", "--severity", severity, "--title",
                                                    title, "--runbook", fixture->runbook,
                                                    "--database", fixture->db, NULL },
                        &out, &err), ==, 0);
  g_assert_true (g_str_has_suffix (out, "\n"));
  out[strlen (out) - 1] = '\0';
  g_assert_true (g_ascii_string_to_signed (out, 10, 1, G_MAXINT64, &id, NULL));
  return id;
}

static guint
count_incidents (Fixture *fixture)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) list = NULL;

  g_assert_cmpint (run (fixture, (const char *[]) { "list", "--json", "--database", fixture->db,
                                                    NULL },
                        &out, &err), ==, 0);
  list = parse (out);
  return json_array_get_length (json_node_get_array (list));
}

static JsonArray *
timeline_of (JsonNode *shown)
{
  return json_object_get_array_member (json_node_get_object (shown), "timeline");
}

/* Declared from the command line: listed and shown with Northwind's severity and the title, kept
 * with its runbook, and the console's incident manager (what the window shows) has it too. */
static void
test_declare (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) declared = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *event;
  JsonArray *services;
  gint64 id, plain;

  g_assert_cmpint (run (fixture, (const char *[]) {
                          "declare", "--severity", "P2", "--title", "Customs feed stalled",
                          "--impact", "Export parcels wait at the depot", "--service", "gateway",
                          "--runbook", fixture->runbook, "--database", fixture->db, "--json",
                          NULL },
                        &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  declared = parse (out);
  object = json_node_get_object (declared);
  id = json_object_get_int_member (object, "id");
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==, "P2");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "investigating");
  g_assert_cmpstr (json_object_get_string_member (object, "summary"), ==, "Customs feed stalled");
  g_assert_cmpstr (json_object_get_string_member (object, "runbook"), ==, "Northwind Freight");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "channel"), "#nw-"));

  /* Without --json: the number alone, for `id=$(sitrep incident declare …)`. */
  plain = declare (fixture, "P3", "One depot prints slowly");
  g_assert_cmpint (plain, ==, 2);

  g_assert_cmpint (run (fixture, (const char *[]) { "list", "--database", fixture->db, NULL },
                        &out, &err), ==, 0);
  assert_has (out, "P2     Investigating");
  assert_has (out, "Customs feed stalled");
  assert_has (out, "One depot prints slowly");

  shown = show (fixture, id);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==, "P2");
  g_assert_cmpstr (json_object_get_string_member (object, "severity_label"), ==, "High");
  g_assert_cmpstr (json_object_get_string_member (object, "summary"), ==, "Customs feed stalled");
  g_assert_cmpstr (json_object_get_string_member (object, "impact"), ==,
                   "Export parcels wait at the depot");
  /* The lead is the name set in Preferences, as the Declare dialog fills it in. */
  g_assert_cmpstr (json_object_get_string_member (object, "lead"), ==, "Dana Scribe");
  services = json_object_get_array_member (object, "services");
  g_assert_cmpuint (json_array_get_length (services), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (services, 0), ==, "gateway");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object, "runbook"),
                                                 "kept_with_incident"));
  event = json_array_get_object_element (timeline_of (shown), 0);
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "declared");
  g_assert_cmpstr (json_object_get_string_member (event, "author"), ==, "Dana Scribe");
  g_assert_cmpstr (json_object_get_string_member (event, "text"), ==,
                   "Declared P2: Customs feed stalled");

  /* What the console builds its incident list from, with the built-in runbook open. */
  {
    g_autoptr(SitrepRunbook) builtin = sitrep_runbook_load_default (&error);
    g_autoptr(SitrepStore) store = sitrep_store_open (fixture->db, &error);
    g_autoptr(SitrepIncidentManager) manager = NULL;
    SitrepIncident *incident;

    g_assert_no_error (error);
    manager = sitrep_incident_manager_new (store, builtin, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (sitrep_incident_manager_get_incidents (manager)),
                      ==, 2);
    incident = sitrep_incident_manager_find (manager, id);
    g_assert_nonnull (incident);
    g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "Customs feed stalled");
    g_assert_cmpstr (sitrep_runbook_get_name (sitrep_incident_manager_get_runbook_for (manager,
                                                                                        incident)),
                     ==, "Northwind Freight");
  }
}

/* The options of `sitrep incident` may come before the verb, as with list and show: the
 * declaration and the note go to the database named there, not to the default one. */
static void
test_options_first (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (fixture, (const char *[]) {
                          "--database", fixture->db, "-r", fixture->runbook, "declare",
                          "--severity", "P3", "--title", "Label printer jams", NULL },
                        &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "1\n");
  g_assert_cmpint (run (fixture, (const char *[]) {
                          "-d", fixture->db, "note", "1",
                          "Spare printer moved to bay 4", NULL },
                        &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpuint (count_incidents (fixture), ==, 1);
  g_assert_cmpint (run (fixture, (const char *[]) { "-d", fixture->db, "show", "1", NULL },
                        &out, &err), ==, 0);
  assert_has (out, "Label printer jams");
  assert_has (out, "Spare printer moved to bay 4");
}

/* What people wrote reaches the terminal without its control characters: a note or a title
 * cannot retitle, clear or rewrite the reader's terminal, and the JSON keeps the text exact. */
static void
test_terminal_safe (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *title = "Depot \x1b]0;all clear\x07" "down\r";
  const char *note_text = "\x1b[2J\x1b[1;1HAll good, go back to bed\xc2\x9b" "31m";
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *timeline;

  g_assert_cmpint (declare (fixture, "P3", title), ==, 1);
  g_assert_cmpint (run (fixture, (const char *[]) { "note", "1", note_text, "--database",
                                                    fixture->db, NULL },
                        &out, &err), ==, 0);
  g_assert_cmpint (run (fixture, (const char *[]) { "show", "1", "--database", fixture->db, NULL },
                        &out, &err), ==, 0);
  g_assert_null (strchr (out, '\x1b'));
  g_assert_null (strchr (out, '\r'));
  g_assert_null (strstr (out, "\xc2\x9b"));
  assert_has (out, "\\x1b[2J\\x1b[1;1HAll good, go back to bed\\u009b31m");
  g_assert_cmpint (run (fixture, (const char *[]) { "list", "--database", fixture->db, NULL },
                        &out, &err), ==, 0);
  g_assert_null (strchr (out, '\x1b'));
  assert_has (out, "all clear");

  /* A script reading --json gets the note as written. */
  shown = show (fixture, 1);
  timeline = timeline_of (shown);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (timeline, json_array_get_length (timeline) - 1),
                     "text"),
                   ==, note_text);
}

/* A note, two status changes and the resolution land on the timeline as the console's do: the
 * kind and fields, the words, and who did it. */
static void
test_timeline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) noted = NULL;
  g_autoptr(JsonNode) moved = NULL;
  /* The first escalation step is due at once: the console records that on declaring too. */
  const char *kinds[] = { "declared", "escalation-due", "note", "status", "status", "status" };
  const char *steps[][2] = { { "investigating", "identified" },
                             { "identified", "monitoring" },
                             { "monitoring", "resolved" } };
  JsonObject *object, *event;
  JsonArray *timeline;
  gint64 id = declare (fixture, "P1", "Labels fail to print");

  g_assert_cmpint (run (fixture, (const char *[]) { "note", "1", "Gateway pods OOM-killed",
                                                    "--database", fixture->db, "--json", NULL },
                        &out, &err), ==, 0);
  noted = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (noted), "incident"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (noted), "author"), ==,
                   "Dana Scribe");
  g_assert_cmpint (run (fixture, (const char *[]) { "status", "1", "identified", "--database",
                                                    fixture->db, NULL },
                        &out, &err), ==, 0);
  g_assert_cmpint (run (fixture, (const char *[]) { "status", "1", "monitoring", "--database",
                                                    fixture->db, "--json", NULL },
                        &out, &err), ==, 0);
  moved = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (moved), "status"), ==,
                   "monitoring");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (moved),
                                                  "previous_status"),
                   ==, "identified");
  g_assert_cmpint (run (fixture, (const char *[]) { "resolve", "1", "--database", fixture->db,
                                                    NULL },
                        &out, &err), ==, 0);

  shown = show (fixture, id);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "resolved");
  g_assert_false (json_object_get_null_member (object, "resolved_at"));
  g_assert_false (json_object_get_null_member (object, "mitigated_at"));
  timeline = timeline_of (shown);
  g_assert_cmpuint (json_array_get_length (timeline), ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      event = json_array_get_object_element (timeline, i);
      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, kinds[i]);
      if (i != 1)
        g_assert_cmpstr (json_object_get_string_member (event, "author"), ==, "Dana Scribe");
    }
  event = json_array_get_object_element (timeline, 2);
  g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, "Gateway pods OOM-killed");
  g_assert_false (json_object_get_boolean_member (event, "system"));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      JsonObject *fields;

      event = json_array_get_object_element (timeline, 3 + i);
      fields = json_object_get_object_member (event, "fields");
      g_assert_cmpstr (json_object_get_string_member (fields, "old"), ==, steps[i][0]);
      g_assert_cmpstr (json_object_get_string_member (fields, "new"), ==, steps[i][1]);
    }
  g_assert_cmpstr (json_object_get_string_member (event, "text"), ==,
                   "Status: Monitoring → Resolved");
}

/* Without a name in Preferences, the account's name is recorded, as in the console. */
static void
test_author (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) shown = NULL;
  const char *real = g_get_real_name ();
  const char *expected = real != NULL && *real != '\0' && g_strcmp0 (real, "Unknown") != 0
                           ? real : g_get_user_name ();
  JsonArray *timeline;
  gint64 id;

  write_settings (fixture, NULL, fixture->runbook);
  id = declare (fixture, "P3", "Rates page shows old rates");
  g_assert_cmpint (run (fixture, (const char *[]) { "note", "1", "Cache flushed", "--database",
                                                    fixture->db, NULL },
                        &out, &err), ==, 0);
  shown = show (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "lead"), ==,
                   expected);
  timeline = timeline_of (shown);
  g_assert_cmpuint (json_array_get_length (timeline), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 0),
                                                  "author"),
                   ==, expected);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 2),
                                                  "kind"),
                   ==, "note");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 2),
                                                  "author"),
                   ==, expected);
}

/* Runs a refused command: exit @status, @expected in the message, nothing on stdout. */
static void
assert_refused (Fixture           *fixture,
                const char *const *args,
                int                status,
                const char        *expected)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (fixture, args, &out, &err), ==, status);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, expected);
}

/* Each mistake a bot can make is named, with what to do, and writes nothing. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *read_only = NULL;
  g_autofree char *untrusted = NULL;
  g_autofree char *text = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autoptr(GString) edited = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(GError) error = NULL;
  const char *db = fixture->db;

  declare (fixture, "P2", "Ledger slow");
  declare (fixture, "P3", "Old rates");
  g_assert_cmpint (run (fixture, (const char *[]) { "resolve", "2", "--database", db, NULL },
                        NULL, NULL), ==, 0);

  /* CareCircle's severity under Northwind: the runbook's own are listed. */
  assert_refused (fixture, (const char *[]) { "declare", "--severity", "SEV-1", "--title", "x",
                                              "--runbook", fixture->runbook, "--database", db,
                                              NULL },
                  1, "runbook “Northwind Freight” has no severity “SEV-1”: give --severity one of "
                     "P1, P2, P3.");
  assert_refused (fixture, (const char *[]) { "status", "1", "fixed", "--database", db, NULL },
                  1, "“fixed” is not a status: give one of investigating, identified, "
                     "monitoring, resolved.");
  assert_refused (fixture, (const char *[]) { "note", "42", "hello", "--database", db, NULL },
                  1, "there is no incident 42 in");
  assert_refused (fixture, (const char *[]) { "resolve", "42", "--database", db, NULL },
                  1, "there is no incident 42 in");
  assert_refused (fixture, (const char *[]) { "note", "2", "late", "--database", db, NULL },
                  1, "incident 2 was resolved at");
  assert_refused (fixture, (const char *[]) { "status", "2", "identified", "--database", db,
                                              NULL },
                  1, "incident 2 was resolved at");
  assert_refused (fixture, (const char *[]) { "resolve", "2", "--database", db, NULL },
                  1, "incident 2 was resolved at");

  /* A read-only environment, even trusted, and an edited file nobody trusted. */
  text = fixture_runbook_text (NULL);
  edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, "\"protected\": false,",
                                      "\"protected\": false, \"read_only\": true,", 1), ==, 1);
  read_only = g_build_filename (fixture->dir, "read-only.json", NULL);
  g_assert_true (g_file_set_contents (read_only, edited->str, -1, &error));
  g_assert_cmpuint (g_string_replace (edited, "\"read_only\": true,", "", 1), ==, 1);
  g_string_append (edited, "\n");
  untrusted = g_build_filename (fixture->dir, "untrusted.json", NULL);
  g_assert_true (g_file_set_contents (untrusted, edited->str, -1, &error));
  g_assert_no_error (error);
  write_settings (fixture, "Dana Scribe", read_only);
  assert_refused (fixture, (const char *[]) { "declare", "--severity", "P1", "--title", "x",
                                              "--runbook", read_only, "--database", db, NULL },
                  1, "is read-only (its environment.read_only is true)");
  assert_refused (fixture, (const char *[]) { "declare", "--severity", "P1", "--title", "x",
                                              "--runbook", untrusted, "--database", db, NULL },
                  1, "runbook “Northwind Freight” (");
  assert_refused (fixture, (const char *[]) { "declare", "--severity", "P1", "--title", "x",
                                              "--runbook", untrusted, "--database", db, NULL },
                  1, "is not trusted");
  /* Incident 1's own runbook is no longer trusted either (the settings now trust another). */
  assert_refused (fixture, (const char *[]) { "note", "1", "hello", "--database", db, NULL },
                  1, "is not trusted");

  /* Usage: exit 2, as the other verbs. */
  assert_refused (fixture, (const char *[]) { "declare", "--severity", "P1", "--runbook",
                                              fixture->runbook, "--database", db, NULL },
                  2, "--title TEXT");
  assert_refused (fixture, (const char *[]) { "declare", "--title", "a", "--summary", "b",
                                              "--database", db, NULL },
                  2, "give one of them");
  assert_refused (fixture, (const char *[]) { "note", "one", "hello", "--database", db, NULL },
                  2, "“one” is not an incident number");
  assert_refused (fixture, (const char *[]) { "note", "1", "--database", db, NULL },
                  2, "Usage: sitrep incident note [OPTION…] ID TEXT");
  assert_refused (fixture, (const char *[]) { "resolve", "1", "--database", missing, NULL },
                  2, missing);

  /* Nothing of the above was written. */
  write_settings (fixture, "Dana Scribe", fixture->runbook);
  g_assert_cmpuint (count_incidents (fixture), ==, 2);
  shown = show (fixture, 1);
  /* Declared, and its first escalation step due. */
  g_assert_cmpuint (json_array_get_length (timeline_of (shown)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "status"), ==,
                   "investigating");
}

/* The console, writing the same database as the bots: notes and audit entries queued from its
 * main loop (a person typing, actions run), and a third party holding the write lock for three
 * seconds in the middle, longer than one attempt of the console's writer waits. */
typedef struct
{
  SitrepStore *store;
  sqlite3 *other;
  guint notes_done;
  guint audit_done;
  guint failed;
  gboolean locked;
  gboolean released;
  guint ticks_while_locked;
  guint ticks;
} Console;

static void
console_note_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Console *console = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_add_note_finish (SITREP_STORE (source),
                                                                       result, &error);

  if (event == NULL)
    {
      g_test_message ("the console's note failed: %s", error->message);
      console->failed++;
    }
  console->notes_done++;
}

static void
console_audit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Console *console = user_data;
  g_autoptr(GError) error = NULL;

  if (sitrep_store_append_audit_finish (SITREP_STORE (source), result, &error) < 0)
    {
      g_test_message ("the console's audit entry failed: %s", error->message);
      console->failed++;
    }
  console->audit_done++;
}

static gboolean
console_tick_cb (gpointer user_data)
{
  Console *console = user_data;

  console->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
console_release_cb (gpointer user_data)
{
  Console *console = user_data;

  console->ticks_while_locked = console->ticks;
  g_assert_cmpint (sqlite3_exec (console->other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  console->released = TRUE;
  return G_SOURCE_REMOVE;
}

static void
console_write (Console *console,
               gint64   incident,
               guint    i)
{
  g_autofree char *text = g_strdup_printf ("console %03u", i);
  char *argv[] = { "kubectl", "rollout", "restart", "deployment/scanner-gateway", NULL };
  SitrepAuditEntry entry = { .action_id = "restart-gateway", .argv = argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = text,
                             .incident_id = incident };

  sitrep_store_add_note_async (console->store, incident, g_get_real_time (), text, "Dana Scribe",
                               NULL, console_note_cb, console);
  sitrep_store_append_audit_async (console->store, &entry, NULL, console_audit_cb, console);
}

typedef struct
{
  Fixture *fixture;
  const char *name;
  int failed;
  gint finished;
} Writer;

static gpointer
write_notes (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < N_NOTES; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %03u", writer->name, i);
      g_autofree char *err = NULL;

      if (run (writer->fixture, (const char *[]) { "note", "1", text, "--database",
                                                   writer->fixture->db, NULL },
               NULL, &err) != 0)
        {
          g_test_message ("%s failed: %s", text, err);
          writer->failed++;
        }
    }
  g_atomic_int_set (&writer->finished, 1);
  return NULL;
}

static gboolean
all_finished (Writer *writers,
              guint   n)
{
  for (guint i = 0; i < n; i++)
    if (!g_atomic_int_get (&writers[i].finished))
      return FALSE;
  return TRUE;
}

/* `sitrep audit verify`, as the person checking the log runs it: its exit status. */
static int
audit_verify (Fixture *fixture,
              char   **out)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, bin, "audit", "verify", "--database",
                                         fixture->db, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* Two bots and the console writing the same database at the same moment: every note kept, each
 * writer's in the order it wrote them; the console's main loop went on while another held the
 * lock, and its audit log verifies. */
static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  Writer writers[] = { { fixture, "alpha", 0, 0 }, { fixture, "bravo", 0, 0 } };
  const char *names[] = { "alpha", "bravo", "console" };
  GThread *threads[G_N_ELEMENTS (writers)];
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *verified = NULL;
  guint next[G_N_ELEMENTS (names)] = { 0 };
  Console console = { 0 };
  JsonArray *timeline;
  guint tick_id;
  gint64 incident, give_up;

  incident = declare (fixture, "P1", "Depot scanners offline");
  store = sitrep_store_open (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
  g_assert_no_error (error);
  console.store = store;
  g_assert_cmpint (sqlite3_open (fixture->db, &console.other), ==, SQLITE_OK);
  /* The third party waits for the bots to take the lock, as they wait for it. */
  sqlite3_busy_timeout (console.other, 60000);
  tick_id = g_timeout_add (10, console_tick_cb, &console);

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    threads[i] = g_thread_new (writers[i].name, write_notes, &writers[i]);

  /* The console writes as the bots do; a third of the way in, someone takes the lock. */
  give_up = g_get_monotonic_time () + 500 * G_USEC_PER_SEC;
  for (guint i = 0; i < N_NOTES; i++)
    {
      console_write (&console, incident, i);
      if (i == N_NOTES / 3)
        {
          g_assert_cmpint (sqlite3_exec (console.other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==,
                           SQLITE_OK);
          console.locked = TRUE;
          g_timeout_add_seconds (3, console_release_cb, &console);
        }
      /* Let the loop turn between two, as it does between two things a person does. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  while ((console.notes_done < N_NOTES || console.audit_done < N_NOTES || !console.released
          || !all_finished (writers, G_N_ELEMENTS (writers)))
         && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    g_thread_join (threads[i]);
  sqlite3_close (console.other);

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    g_assert_cmpint (writers[i].failed, ==, 0);
  g_assert_cmpuint (console.notes_done, ==, N_NOTES);
  g_assert_cmpuint (console.audit_done, ==, N_NOTES);
  g_assert_cmpuint (console.failed, ==, 0);
  /* Generous: it turned at all while the lock was held. */
  g_assert_true (console.released);
  g_assert_cmpuint (console.ticks_while_locked, >=, 5);

  shown = show (fixture, incident);
  timeline = timeline_of (shown);
  /* Declared, its first escalation step due, then the notes. */
  g_assert_cmpuint (json_array_get_length (timeline), ==, 2 + G_N_ELEMENTS (names) * N_NOTES);
  for (guint i = 2; i < json_array_get_length (timeline); i++)
    {
      JsonObject *event = json_array_get_object_element (timeline, i);
      const char *text = json_object_get_string_member (event, "text");
      gboolean matched = FALSE;

      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "note");
      for (guint w = 0; w < G_N_ELEMENTS (names); w++)
        {
          g_autofree char *expected = g_strdup_printf ("%s %03u", names[w], next[w]);

          if (g_str_has_prefix (text, names[w]))
            {
              g_assert_cmpstr (text, ==, expected);
              next[w]++;
              matched = TRUE;
            }
        }
      g_assert_true (matched);
    }
  for (guint w = 0; w < G_N_ELEMENTS (names); w++)
    g_assert_cmpuint (next[w], ==, N_NOTES);

  g_clear_object (&store);
  g_assert_cmpint (audit_verify (fixture, &verified), ==, 0);
  assert_has (verified, "intact");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/cli/incident-write/declare", Fixture, NULL, fixture_setup, test_declare,
              fixture_teardown);
  g_test_add ("/cli/incident-write/options-first", Fixture, NULL, fixture_setup,
              test_options_first, fixture_teardown);
  g_test_add ("/cli/incident-write/terminal-safe", Fixture, NULL, fixture_setup,
              test_terminal_safe, fixture_teardown);
  g_test_add ("/cli/incident-write/timeline", Fixture, NULL, fixture_setup, test_timeline,
              fixture_teardown);
  g_test_add ("/cli/incident-write/author", Fixture, NULL, fixture_setup, test_author,
              fixture_teardown);
  g_test_add ("/cli/incident-write/refused", Fixture, NULL, fixture_setup, test_refused,
              fixture_teardown);
  g_test_add ("/cli/incident-write/concurrent", Fixture, NULL, fixture_setup, test_concurrent,
              fixture_teardown);

  return g_test_run ();
}
