/* test-cli-runbook-v2.c: what the keys of runbook format 2 change in `sitrep incident` */
#include "config.h"

#include <json-glib/json-glib.h>

#include <string.h>
#include <glib/gstdio.h>

#include "fixture-runbook.h"
#include "sitrep-runbook-loader.h"

typedef struct
{
  char *db;       /* a new database */
  char *runbook;  /* Northwind in format 2, with the test's changes, trusted in the settings */
  char *config;   /* XDG_CONFIG_HOME of the sitrep processes */
} Fixture;

/* Northwind upgraded to format 2, with each FROM replaced by its TO (each exactly once). */
static char *
northwind_v2 (const char *from,
              ...)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  GString *out = g_string_new (text);
  va_list args;

  g_assert_cmpuint (g_string_replace (out, "\"sitrep_runbook\": 1,", "\"sitrep_runbook\": 2,", 0),
                    ==, 1);
  va_start (args, from);
  for (const char *f = from; f != NULL; f = va_arg (args, const char *))
    g_assert_cmpuint (g_string_replace (out, f, va_arg (args, const char *), 0), ==, 1);
  va_end (args);
  return g_string_free (out, FALSE);
}

static void
fixture_set_runbook (Fixture    *fixture,
                     const char *text)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "v2", NULL);
  g_autofree char *settings = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *keyfile = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  fixture->db = g_build_filename (dir, "team.db", NULL);
  g_assert_true (g_file_set_contents (fixture->db, "", 0, &error));
  fixture->runbook = g_build_filename (dir, "northwind.json", NULL);
  g_assert_true (g_file_set_contents (fixture->runbook, text, -1, &error));
  file = g_file_new_for_path (fixture->runbook);
  runbook = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sitrep_runbook_get_format (runbook), ==, 2);

  fixture->config = g_build_filename (dir, "config", NULL);
  settings = g_build_filename (fixture->config, "glib-2.0", "settings", "keyfile", NULL);
  folder = g_path_get_dirname (settings);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  keyfile = g_strdup_printf ("[org/carecircle/Sitrep]\ntrusted-runbooks=['%s']\n"
                             "lead-name='Dana Scribe'\n",
                             sitrep_runbook_get_digest (runbook));
  g_assert_true (g_file_set_contents (settings, keyfile, -1, &error));
}

static void
fixture_clear (Fixture *fixture)
{
  g_clear_pointer (&fixture->db, g_free);
  g_clear_pointer (&fixture->runbook, g_free);
  g_clear_pointer (&fixture->config, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* Runs `sitrep ARGS…` with the fixture's settings; returns its exit status. */
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

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("sitrep %s: exit %d\nstdout: %s\nstderr: %s", args[0],
                  g_subprocess_get_exit_status (process), *out, *err);
  return g_subprocess_get_exit_status (process);
}

static gint64
declare (Fixture    *fixture,
         const char *severity,
         const char *title)
{
  g_autofree char *out = NULL, *err = NULL;
  gint64 id = 0;

  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "declare", "--severity", severity, "--title",
                                                    title, "--runbook", fixture->runbook,
                                                    "--database", fixture->db, NULL },
                        &out, &err), ==, 0);
  g_strstrip (out);
  g_assert_true (g_ascii_string_to_signed (out, 10, 1, G_MAXINT64, &id, NULL));
  return id;
}

/* `sitrep incident show ID`, as JSON or as text. */
static char *
show (Fixture    *fixture,
      gint64      id,
      gboolean    json)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *err = NULL;
  char *out = NULL;

  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "show", number, json ? "--json" : "--utc",
                                                    "--database", fixture->db, "--runbook",
                                                    fixture->runbook, NULL },
                        &out, &err), ==, 0);
  return out;
}

/* The ids of the checklist's phases and items `show --json` lists, as "phase:item item|…". */
static char *
checklist_of (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);
  JsonArray *phases;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  phases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "checklist");
  for (guint i = 0; i < json_array_get_length (phases); i++)
    {
      JsonObject *phase = json_array_get_object_element (phases, i);
      JsonArray *items = json_object_get_array_member (phase, "items");

      g_string_append_printf (out, "%s%s:", i > 0 ? "|" : "",
                              json_object_get_string_member (phase, "phase"));
      for (guint k = 0; k < json_array_get_length (items); k++)
        g_string_append_printf (out, " %s",
                                json_object_get_string_member (json_array_get_object_element (items, k),
                                                               "id"));
    }
  return g_string_free (out, FALSE);
}

/* An item for P1 only is on a P1 incident's checklist and not on a P3 one's; a phase whose
 * items are all for other severities is not listed at all. */
static void
test_item_severities (void)
{
  g_autofree char *text = northwind_v2 (
    "\"text\": \"Tell the depots\",", "\"text\": \"Tell the depots\", \"severities\": [\"P1\"],",
    "\"text\": \"Write the review\",", "\"text\": \"Write the review\", \"severities\": [\"P1\", \"P2\"],",
    NULL);
  g_auto(Fixture) fixture = { 0 };
  gint64 urgent, normal;
  g_autofree char *urgent_json = NULL, *normal_json = NULL;
  g_autofree char *urgent_list = NULL, *normal_list = NULL;
  g_autofree char *normal_text = NULL, *urgent_text = NULL;

  fixture_set_runbook (&fixture, text);
  urgent = declare (&fixture, "P1", "Labels fail to print");
  normal = declare (&fixture, "P3", "One depot prints slowly");

  urgent_json = show (&fixture, urgent, TRUE);
  normal_json = show (&fixture, normal, TRUE);
  urgent_list = checklist_of (urgent_json);
  normal_list = checklist_of (normal_json);
  g_assert_cmpstr (urgent_list, ==,
                   "triage: open-room first-word look-grafana|stabilise: look-gateway undo-gateway"
                   "|review: write-review");
  g_assert_cmpstr (normal_list, ==,
                   "triage: open-room look-grafana|stabilise: look-gateway undo-gateway");

  urgent_text = show (&fixture, urgent, FALSE);
  normal_text = show (&fixture, normal, FALSE);
  g_assert_nonnull (strstr (urgent_text, "[ ] Tell the depots\n"));
  g_assert_nonnull (strstr (urgent_text, "\n  Review ["));
  g_assert_null (strstr (normal_text, "Tell the depots"));
  g_assert_null (strstr (normal_text, "Review"));
  g_assert_nonnull (strstr (normal_text, "[ ] Open the incident room\n"));
}

/* The runbook's placeholders reach the post-mortem `sitrep export` writes, as written. */
static void
test_placeholders_in_export (void)
{
  g_autofree char *text = northwind_v2 (
    "\"channel\": \"#nw-{date}-{slug}\",",
    "\"channel\": \"#nw-{date}-{slug}\",\n  \"placeholders\": { \"status_page\": \"https://status.northwind.test/\", \"team\": \"Freight Ops\" },",
    "\"# Review: {title}\\n", "\"# Review: {title}\\nBy {team}; customers saw {status_page}\\n",
    NULL);
  g_auto(Fixture) fixture = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 id;

  fixture_set_runbook (&fixture, text);
  id = declare (&fixture, "P2", "Ledger slow");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpint (run (&fixture, (const char *[]) { "export", number, "--utc", "--database",
                                                     fixture.db, NULL },
                        &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "# Review: Ledger slow\n"
                                        "By Freight Ops; customers saw https://status.northwind.test/\n"));
}


/* `sitrep incident status` takes the runbook's own statuses, and only those: an unknown one
 * is refused with the list; show says the runbook's words; resolve reaches its final one. */
static void
test_statuses (void)
{
  g_autofree char *text = northwind_v2 (
    "\"channel\": \"#nw-{date}-{slug}\",",
    "\"channel\": \"#nw-{date}-{slug}\",\n  \"statuses\": [ { \"id\": \"triage\", \"label\": \"Triage\" },"
    " { \"id\": \"fixing\", \"label\": \"Fix under way\" },"
    " { \"id\": \"closed\", \"label\": \"Closed\", \"resolves\": true } ],",
    NULL);
  g_auto(Fixture) fixture = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *shown = NULL, *shown_json = NULL;
  gint64 id;

  fixture_set_runbook (&fixture, text);
  id = declare (&fixture, "P2", "Ledger slow");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (run (&fixture, (const char *[]) { "incident", "status", number, "monitoring",
                                                     "--database", fixture.db, NULL },
                        &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, "sitrep incident status: “monitoring” is not a status: give one of triage, fixing, "
                            "closed.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&fixture, (const char *[]) { "incident", "status", number, "fixin",
                                                     "--database", fixture.db, NULL },
                        &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Did you mean “fixing”?"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&fixture, (const char *[]) { "incident", "status", number, "fixing",
                                                     "--json", "--database", fixture.db, NULL },
                        &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"status\" : \"fixing\""));
  g_assert_nonnull (strstr (out, "\"previous_status\" : \"triage\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  shown = show (&fixture, id, FALSE);
  g_assert_nonnull (strstr (shown, "Status:            Fix under way\n"));
  g_assert_nonnull (strstr (shown, "Status: Triage → Fix under way"));
  shown_json = show (&fixture, id, TRUE);
  g_assert_nonnull (strstr (shown_json, "\"status_label\" : \"Fix under way\""));

  g_assert_cmpint (run (&fixture, (const char *[]) { "incident", "resolve", number, "--json",
                                                     "--database", fixture.db, NULL },
                        &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"status\" : \"closed\""));
}


/* `sitrep probe --environment ID` probes in that environment: a command probe that prints
 * {context} is up only in the environment whose context it expects; an unknown one is refused
 * with the list. */
static void
test_environments (void)
{
  g_autofree char *text = northwind_v2 (
    "\"environment\": {\n    \"context\": \"nw-test\", \"namespace\": \"freight\", \"protected\": false,",
    "\"environments\": [ { \"id\": \"production\", \"label\": \"Production\",\n    \"context\": \"nw-test\", \"namespace\": \"freight\", \"protected\": true,",
    "\"note\": \"Use the Freight board\" } ]\n  },",
    "\"note\": \"Use the Freight board\" } ] },\n    { \"id\": \"staging\", \"label\": \"Staging\", \"context\": \"nw-staging\", \"namespace\": \"freight\","
    " \"links\": [ { \"id\": \"grafana\", \"label\": \"Grafana\" } ] } ],",
    "\"argv\": [\"/bin/true\"]", "\"argv\": [\"printf\", \"%s\", \"{context}\"]",
    "{ \"check\": \"[BODY] == \\\"exported\\\"\", \"severity\": \"warning\" }",
    "{ \"check\": \"[BODY] == \\\"nw-staging\\\"\" }",
    NULL);
  g_auto(Fixture) fixture = { 0 };
  g_autofree char *out = NULL, *err = NULL;

  fixture_set_runbook (&fixture, text);
  g_assert_cmpint (run (&fixture, (const char *[]) { "probe", "--runbook", fixture.runbook,
                                                     "--service", "billing", "--json", NULL },
                        &out, &err), ==, 2);
  g_assert_nonnull (strstr (out, "\"state\" : \"down\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&fixture, (const char *[]) { "probe", "--runbook", fixture.runbook,
                                                     "--service", "billing", "--environment",
                                                     "staging", "--json", NULL },
                        &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"state\" : \"up\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&fixture, (const char *[]) { "probe", "--runbook", fixture.runbook,
                                                     "--environment", "prod", NULL },
                        &out, &err), ==, 3);
  g_assert_nonnull (strstr (err, "has no environment “prod”: give one of production, staging."));
}

typedef struct
{
  int status;
  char *out;
  char *err;
} Probed;

/* `sitrep probe --runbook FILE --service ledger --json` where no Secret Service runs: no
 * session bus at all, and every debug message on, so that a leak into the log shows. */
static void
probe_ledger (Fixture    *fixture,
              const char *env_value,
              Probed     *probed)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", fixture->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  if (env_value != NULL)
    g_subprocess_launcher_setenv (launcher, "SITREP_LEDGER_URL", env_value, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "SITREP_LEDGER_URL");
  process = g_subprocess_launcher_spawn (launcher, &error, bin, "probe", "--runbook",
                                         fixture->runbook, "--service", "ledger", "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &probed->out, &probed->err, &error);
  g_assert_no_error (error);
  probed->status = g_subprocess_get_exit_status (process);
  g_test_message ("sitrep probe: exit %d\nstdout: %s\nstderr: %s", probed->status, probed->out,
                  probed->err);
}

/* Why the ledger probe is not up (NULL when it is), from `sitrep probe --json`. */
static char *
ledger_error (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *service, *probe;

  /* GLib writes its debug messages on standard output too: the JSON starts on a line of its own. */
  if (json[0] != '[')
    {
      g_assert_nonnull (strstr (json, "\n[\n"));
      json = strstr (json, "\n[\n") + 1;
    }
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  service = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  probe = json_array_get_object_element (json_object_get_array_member (service, "probes"), 0);
  if (g_str_equal (json_object_get_string_member (probe, "state"), "up"))
    {
      g_assert_true (json_object_get_null_member (probe, "error"));
      return NULL;
    }
  return g_strdup (json_object_get_string_member_with_default (probe, "error", "(no error)"));
}

static void
probed_clear (Probed *probed)
{
  g_clear_pointer (&probed->out, g_free);
  g_clear_pointer (&probed->err, g_free);
}

/* The ledger's connection URI from an environment variable, then from a file, against the real
 * PostgreSQL, with no keyring; a file others can read is refused with what to do; and neither
 * a working nor a failing secret is ever printed. */
static void
test_secret_sources (void)
{
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");
  const char *leaky = "postgresql://nobody:Leak-Marker-8842@127.0.0.1:1/none";
  g_auto(Fixture) env_fixture = { 0 };
  g_auto(Fixture) file_fixture = { 0 };
  g_autofree char *env_text = NULL;
  g_autofree char *file_text = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *secret_line = NULL;
  g_autofree char *said = NULL;
  g_autoptr(GError) error = NULL;
  Probed probed = { 0 };

  if (conninfo == NULL)
    {
      g_test_fail_printf ("PostgreSQL is missing: run the tests with build-aux/sitrep-dev test");
      return;
    }

  env_text = northwind_v2 ("\"secret\": \"northwind-ledger-url\"",
                           "\"secret\": { \"env\": \"SITREP_LEDGER_URL\" }", NULL);
  fixture_set_runbook (&env_fixture, env_text);
  probe_ledger (&env_fixture, conninfo, &probed);
  g_assert_null ((said = ledger_error (probed.out)));
  g_assert_null (strstr (probed.err, conninfo));
  probed_clear (&probed);

  probe_ledger (&env_fixture, NULL, &probed);
  said = ledger_error (probed.out);
  g_assert_cmpstr (said, ==, "the environment variable SITREP_LEDGER_URL is not set: export it "
                             "before starting Sitrep");
  g_clear_pointer (&said, g_free);
  probed_clear (&probed);

  probe_ledger (&env_fixture, leaky, &probed);
  said = ledger_error (probed.out);
  g_assert_nonnull (said);
  g_assert_null (strstr (probed.out, "Leak-Marker-8842"));
  g_assert_null (strstr (probed.err, "Leak-Marker-8842"));
  g_clear_pointer (&said, g_free);
  probed_clear (&probed);

  /* From a file: refused while others may read it, used once it is the user's alone. */
  secret_path = g_build_filename (g_get_user_data_dir (), "ledger.secret", NULL);
  secret_line = g_strdup_printf ("%s\n", conninfo);
  g_assert_true (g_file_set_contents (secret_path, secret_line, -1, &error));
  g_assert_cmpint (g_chmod (secret_path, 0644), ==, 0);
  {
    g_autofree char *to = g_strdup_printf ("\"secret\": { \"file\": \"%s\" }", secret_path);

    file_text = northwind_v2 ("\"secret\": \"northwind-ledger-url\"", to, NULL);
  }
  fixture_set_runbook (&file_fixture, file_text);
  probe_ledger (&file_fixture, NULL, &probed);
  said = ledger_error (probed.out);
  {
    g_autofree char *expected = g_strdup_printf ("the secret file %s can be read or changed by its "
                                                 "group or by others (mode 0644): a secret file "
                                                 "must be yours alone; run chmod 600 %s",
                                                 secret_path, secret_path);

    g_assert_cmpstr (said, ==, expected);
  }
  g_clear_pointer (&said, g_free);
  probed_clear (&probed);

  g_assert_cmpint (g_chmod (secret_path, 0600), ==, 0);
  probe_ledger (&file_fixture, NULL, &probed);
  g_assert_null ((said = ledger_error (probed.out)));
  g_assert_null (strstr (probed.out, conninfo));
  g_assert_null (strstr (probed.err, conninfo));
  probed_clear (&probed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/runbook-v2/item-severities", test_item_severities);
  g_test_add_func ("/cli/runbook-v2/placeholders-in-export", test_placeholders_in_export);
  g_test_add_func ("/cli/runbook-v2/secret-sources", test_secret_sources);
  g_test_add_func ("/cli/runbook-v2/statuses", test_statuses);
  g_test_add_func ("/cli/runbook-v2/environments", test_environments);

  return g_test_run ();
}
