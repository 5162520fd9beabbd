/* test-cli.c: `sitrep check FILE` exits and prints what scripts and editors expect */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <gio/gio.h>

#include "fixture-runbook.h"

/* Three mistakes, one on each of lines 3, 11 and 15. */
static const char *const BAD_RUNBOOK =
  /*  1 */ "{\n"
  /*  2 */ "  \"sitrep_runbook\": 1,\n"
  /*  3 */ "  \"name\": \"Payments\", \"channel\": \"#inc-{dat}-{slug}\",\n"
  /*  4 */ "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
  /*  5 */ "  \"environment\": { \"context\": \"payments-production\", \"namespace\": \"payments\" },\n"
  /*  6 */ "  \"services\": [\n"
  /*  7 */ "    {\n"
  /*  8 */ "      \"id\": \"api\",\n"
  /*  9 */ "      \"name\": \"API\",\n"
  /* 10 */ "      \"target\": \"deployment/payments-api\",\n"
  /* 11 */ "      \"actions\": [\"restat\"]\n"
  /* 12 */ "    }\n"
  /* 13 */ "  ],\n"
  /* 14 */ "  \"actions\": [\n"
  /* 15 */ "    { \"id\": \"restart\", \"label\": \"Restart\", \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\", \"-n\", \"x\"], \"mutates\": true }\n"
  /* 16 */ "  ]\n"
  /* 17 */ "}\n";

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *system_data_dirs;
/* Whether the next runs start the console (a GTK application) rather than a headless verb. */
static gboolean console_runs;
/* The language the next runs speak, NULL for the test's own. */
static const char *language;

/* sitrep sees the test's own folders, so that its default database is this test's. */
static GSubprocessLauncher *
launcher (GSubprocessFlags flags)
{
  static GSubprocessLauncher *launchers[2];
  guint k = (flags & G_SUBPROCESS_FLAGS_STDOUT_PIPE) ? 1 : 0;

  g_clear_object (&launchers[k]);
  launchers[k] = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_setenv (launchers[k], "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launchers[k], "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launchers[k], "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  if (language != NULL)
    {
      /* LANGUAGE is honoured with any locale but C, and C.UTF-8 is the one every machine has. */
      g_subprocess_launcher_setenv (launchers[k], "LANGUAGE", language, TRUE);
      g_subprocess_launcher_setenv (launchers[k], "LANG", "C.UTF-8", TRUE);
      g_subprocess_launcher_unsetenv (launchers[k], "LC_ALL");
      g_subprocess_launcher_unsetenv (launchers[k], "LC_MESSAGES");
    }
  if (console_runs)
    {
      const char *asan = g_getenv ("ASAN_OPTIONS");
      g_autofree char *options = g_strdup_printf ("%s%sdetect_leaks=0", asan ? asan : "",
                                                  asan && *asan ? ":" : "");

      /* Fontconfig and the display libraries keep what they allocate until exit: under
       * LeakSanitizer the console's exit status would say that, not what it decided. */
      g_subprocess_launcher_setenv (launchers[k], "ASAN_OPTIONS", options, TRUE);
    }
  return launchers[k];
}

static gboolean
hung_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs `sitrep ARGS…` (a NULL-terminated array); returns FALSE, failing the test, when SITREP_BIN
 * is not set or when sitrep has not finished after @timeout_s (it is killed then: a hang is a
 * failure, not a test that never ends). */
static gboolean
run_sitrep_within (Run               *run,
                   guint              timeout_s,
                   const char *const *args)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean hung = FALSE;
  guint guard;

  if (bin == NULL)
    {
      g_test_fail_printf ("SITREP_BIN is not set: run the tests with meson test");
      return FALSE;
    }

  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher ((G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE)),
                                          (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  guard = g_timeout_add_seconds (timeout_s, hung_cb, &hung);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &result);
  while (result == NULL && !hung)
    g_main_context_iteration (NULL, TRUE);
  if (hung)
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata);

      g_subprocess_force_exit (process);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_test_fail_printf ("%s did not finish within %u s", line, timeout_s);
      return FALSE;
    }
  g_source_remove (guard);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return TRUE;
}

/* A headless verb must answer within 10 s, however hostile its input. */
static gboolean
run_sitrepv (Run               *run,
             const char *const *args)
{
  return run_sitrep_within (run, 10, args);
}

static gboolean
run_sitrep (Run        *run,
            const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_sitrepv (run, (const char *const *) args->pdata);
}

static char *
write_file (const char *name,
            const char *data)
{
  const char *dir = g_get_user_cache_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert (g_mkdir_with_parents (dir, 0700) == 0);
  g_file_set_contents (path, data, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* Splits @text into lines, expecting it to end with a newline. */
static GStrv
lines_of (const char *text)
{
  g_assert_true (g_str_has_suffix (text, "\n"));
  return g_strsplit_set (text, "\n", -1);
}

static void
test_check_valid (void)
{
  const char *runbook = g_getenv ("SITREP_RUNBOOK");
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  if (runbook == NULL)
    {
      g_test_fail_printf ("SITREP_RUNBOOK is not set: run the tests with meson test");
      return;
    }
  if (!run_sitrep (&run, "check", runbook, NULL))
    return;

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  /* Exactly one line: the summary. */
  lines = lines_of (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "CareCircle: "));
  g_assert_nonnull (strstr (lines[0], "severities 4, services 6"));
  g_assert_nonnull (strstr (lines[0], "context carecircle-production, namespace carecircle"));
}

static void
test_check_problems (void)
{
  g_autofree char *path = write_file ("bad.json", BAD_RUNBOOK);
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  static const struct { const char *line; const char *column; const char *message; } expected[] = {
    { "3", "40", "unknown placeholder {dat} in \"channel\"; did you mean \"date\"?" },
    { "11", "19", "there is no action \"restat\" in this runbook; did you mean \"restart\"?" },
    { "15", "98", "\"-n x\": every command runs in namespace \"payments\" from \"environment\"" },
  };

  if (!run_sitrep (&run, "check", path, NULL))
    return;

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");

  regex = g_regex_new ("^(.+):([0-9]+):([0-9]+): (.+)$", 0, 0, &error);
  g_assert_no_error (error);
  lines = lines_of (run.err);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (expected) && lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *file = NULL;
      g_autofree char *line = NULL;
      g_autofree char *column = NULL;
      g_autofree char *message = NULL;

      g_assert_true (g_regex_match (regex, lines[i], 0, &match));
      if (!g_match_info_matches (match))
        continue;
      file = g_match_info_fetch (match, 1);
      line = g_match_info_fetch (match, 2);
      column = g_match_info_fetch (match, 3);
      message = g_match_info_fetch (match, 4);
      g_assert_cmpstr (file, ==, path);
      g_assert_cmpstr (line, ==, expected[i].line);
      g_assert_cmpstr (column, ==, expected[i].column);
      g_assert_true (g_str_has_prefix (message, expected[i].message));
    }
}

static void
test_check_usage (void)
{
  g_auto(Run) none = { 0 };
  g_auto(Run) option = { 0 };
  g_auto(Run) two = { 0 };

  if (!run_sitrep (&none, "check", NULL))
    return;
  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpstr (none.out, ==, "");
  g_assert_nonnull (strstr (none.err, "Usage:"));
  g_assert_nonnull (strstr (none.err, "Usage: sitrep check [OPTION…] FILE"));

  run_sitrep (&option, "check", "--verbose", NULL);
  g_assert_cmpint (option.status, ==, 2);
  g_assert_nonnull (strstr (option.err, "Usage:"));

  run_sitrep (&two, "check", "a.json", "b.json", NULL);
  g_assert_cmpint (two.status, ==, 2);
  g_assert_nonnull (strstr (two.err, "Usage:"));
}

static void
test_check_empty (void)
{
  g_autofree char *path = write_file ("empty.json", "");
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };

  if (!run_sitrep (&run, "check", path, NULL))
    return;

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("%s:1:1: the file is empty: a runbook is a JSON object\n", path);
  g_assert_cmpstr (run.err, ==, expected);
}

static void
test_check_missing (void)
{
  const char *dir = g_get_user_cache_dir ();
  g_autofree char *path = g_build_filename (dir, "no-such.json", NULL);
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };

  if (!run_sitrep (&run, "check", path, NULL))
    return;

  /* Nothing to point at: one "FILE: message" line. */
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("%s: there is no such file: check the path\n", path);
  g_assert_cmpstr (run.err, ==, expected);
}

/* A run from the build tree speaks the user's language: the catalogues are the build's
 * (SITREP_LOCALEDIR), not an installed Sitrep's, which may be missing or older. */
static void
test_check_german (void)
{
  const char *dir = g_get_user_cache_dir ();
  g_autofree char *path = g_build_filename (dir, "nicht-da.json", NULL);
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };
  gboolean ran;

  language = "de";
  ran = run_sitrep (&run, "check", path, NULL);
  language = NULL;
  if (!ran)
    return;

  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("%s: diese Datei gibt es nicht: Überprüfen Sie den Pfad\n", path);
  g_assert_cmpstr (run.err, ==, expected);
}

static char *
make_fifo (const char *name)
{
  const char *dir = g_get_user_cache_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert (g_mkdir_with_parents (dir, 0700) == 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  return g_steal_pointer (&path);
}

/* A named pipe would block open() until a writer comes: refused at once, with what it is. */
static void
test_check_fifo (void)
{
  g_autofree char *fifo = make_fifo ("runbook.fifo");
  g_autofree char *expected = g_strdup_printf ("%s: this is a named pipe (FIFO), not a file: "
                                               "reading it would wait for a writer forever; give "
                                               "the runbook's .json file\n",
                                               fifo);
  g_auto(Run) check = { 0 };
  g_auto(Run) probe = { 0 };
  g_auto(Run) device = { 0 };

  if (!run_sitrep (&check, "check", fifo, NULL))
    return;
  g_assert_cmpint (check.status, ==, 1);
  g_assert_cmpstr (check.out, ==, "");
  g_assert_cmpstr (check.err, ==, expected);

  /* The other verbs read runbooks through the same loader. */
  if (!run_sitrep (&probe, "probe", "--runbook", fifo, NULL))
    return;
  g_assert_cmpint (probe.status, ==, 3);
  g_assert_cmpstr (probe.err, ==, expected);

  /* A device is no runbook either, however much it has to say. */
  if (!run_sitrep (&device, "check", "/dev/zero", NULL))
    return;
  g_assert_cmpint (device.status, ==, 1);
  g_assert_cmpstr (device.err, ==, "/dev/zero: this is a device, not a file: give the runbook's "
                                   ".json file\n");
}

/* A verb never creates a database: a mistyped --database (or none yet) is said, not answered
 * with an empty one. */
static void
test_missing_database (void)
{
  g_autofree char *typo = g_build_filename (g_get_user_data_dir (), "typo.db", NULL);
  g_autofree char *fallback = g_build_filename (g_get_user_data_dir (), "sitrep", "sitrep.db",
                                                NULL);
  g_autofree char *fifo = make_fifo ("database.fifo");
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "a-folder.db", NULL);
  g_autofree char *expected = g_strdup_printf ("There is no database at %s: check the path. "
                                               "--database names an existing file (an empty file "
                                               "starts a new database); nothing was created.\n",
                                               typo);
  g_autofree char *expected_default = g_strdup_printf ("There is no database at %s yet: the "
                                                       "console creates it when it first starts. "
                                                       "Give another one with --database FILE.\n",
                                                       fallback);
  const char *const *with_typo[] = {
    (const char *[]) { "incident", "list", "--database", typo, NULL },
    (const char *[]) { "incident", "show", "1", "--database", typo, NULL },
    (const char *[]) { "incident", "list", "--json", "--database", typo, NULL },
    (const char *[]) { "export", "1", "--database", typo, NULL },
  };

  g_assert (g_mkdir_with_parents (folder, 0700) == 0);
  for (guint i = 0; i < G_N_ELEMENTS (with_typo); i++)
    {
      g_auto(Run) run = { 0 };

      if (!run_sitrepv (&run, with_typo[i]))
        return;
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, ==, expected);
      g_assert_false (g_file_test (typo, G_FILE_TEST_EXISTS));
    }

  /* The audit verb creates nothing either. */
  {
    g_auto(Run) run = { 0 };

    if (!run_sitrep (&run, "audit", "verify", "--database", typo, NULL))
      return;
    g_assert_cmpint (run.status, ==, 2);
    g_assert_cmpstr (run.err, ==, expected);
    g_assert_false (g_file_test (typo, G_FILE_TEST_EXISTS));
  }

  /* No --database and no console run yet: the default database is not made up either. */
  {
    g_auto(Run) run = { 0 };

    if (!run_sitrep (&run, "incident", "list", NULL))
      return;
    g_assert_cmpint (run.status, ==, 2);
    g_assert_cmpstr (run.err, ==, expected_default);
    g_assert_false (g_file_test (fallback, G_FILE_TEST_EXISTS));
  }

  /* What is not a file is refused at once: a named pipe would block sqlite's first read. */
  {
    g_auto(Run) pipe = { 0 };
    g_auto(Run) dir = { 0 };
    g_autofree char *expected_pipe = g_strdup_printf ("%s is not a regular file (a pipe, a device "
                                                      "or a socket): give the database file with "
                                                      "--database FILE.\n",
                                                      fifo);
    g_autofree char *expected_dir = g_strdup_printf ("%s is a folder, not a database: give the "
                                                     "database file with --database FILE.\n",
                                                     folder);

    g_auto(Run) audit = { 0 };

    if (!run_sitrep (&pipe, "incident", "list", "--database", fifo, NULL)
        || !run_sitrep (&dir, "export", "1", "--database", folder, NULL)
        || !run_sitrep (&audit, "audit", "verify", "--database", fifo, NULL))
      return;
    g_assert_cmpint (audit.status, ==, 2);
    g_assert_cmpstr (audit.err, ==, expected_pipe);
    g_assert_cmpint (pipe.status, ==, 2);
    g_assert_cmpstr (pipe.err, ==, expected_pipe);
    g_assert_cmpint (dir.status, ==, 2);
    g_assert_cmpstr (dir.err, ==, expected_dir);
  }
}

/* `sitrep --help` names every verb; every verb has its own --help; mistakes are refused. */
static void
test_help (void)
{
  static const struct { const char *verb; const char *listed; } verbs[] = {
    { "check", "sitrep check FILE" },
    { "probe", "sitrep probe [--service ID]" },
    { "incident", "sitrep incident list | show ID" },
    { "export", "sitrep export ID" },
    { "audit", "sitrep audit verify | export" },
    { "import", "sitrep import FILE.md" },
  };
  g_auto(Run) help = { 0 };

  if (!run_sitrep (&help, "--help", NULL))
    return;
  g_assert_cmpint (help.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_auto(Run) verb_help = { 0 };
      g_autofree char *usage = g_strdup_printf ("Usage:\n  sitrep %s [OPTION…]", verbs[i].verb);

      g_assert_nonnull (strstr (help.out, verbs[i].listed));
      if (!run_sitrep (&verb_help, verbs[i].verb, "--help", NULL))
        return;
      g_assert_cmpint (verb_help.status, ==, 0);
      g_assert_true (g_str_has_prefix (verb_help.out, usage));
      g_assert_cmpstr (verb_help.err, ==, "");
    }

  /* A mistyped verb does not start the console. */
  {
    g_auto(Run) typo = { 0 };

    if (!run_sitrep (&typo, "chek", "runbook.json", NULL))
      return;
    g_assert_cmpint (typo.status, ==, 2);
    g_assert_cmpstr (typo.out, ==, "");
    g_assert_true (g_str_has_prefix (typo.err, "sitrep: “chek” is not a command; did you mean "
                                               "“check”?"));
  }

  /* A command after an option is not called a typo of itself. */
  {
    g_auto(Run) late = { 0 };
    g_autofree char *database = g_build_filename (g_get_user_cache_dir (), "late.db", NULL);

    if (!run_sitrep (&late, "--database", database, "incident", "list", NULL))
      return;
    g_assert_cmpint (late.status, ==, 2);
    g_assert_cmpstr (late.out, ==, "");
    g_assert_cmpstr (late.err, ==, "sitrep: “incident” is a command, and a command comes first, "
                                   "before any option: sitrep incident --help lists its "
                                   "options.\n");
    g_assert_false (g_file_test (database, G_FILE_TEST_EXISTS));
  }

  /* An option that cannot apply is an error, not ignored. */
  {
    g_auto(Run) utc = { 0 };

    if (!run_sitrep (&utc, "incident", "list", "--json", "--utc", NULL))
      return;
    g_assert_cmpint (utc.status, ==, 2);
    g_assert_cmpstr (utc.err, ==, "sitrep incident: --utc does not apply to --json, whose times "
                                  "are always UTC (ISO 8601): leave out one of them.\n");
  }
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Waits until the running console's main loop answers: a command line handed to it while it is
 * still building its window (slow under sanitizers) would time out in GApplication. */
static void
wait_for_console (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.carecircle.Sitrep", "/org/carecircle/Sitrep",
                                       "org.gtk.Actions", "List", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 120 * 1000, NULL, &error);
  g_assert_no_error (error);
}

/* A second `sitrep` hands its command line to the running console: --database cannot change
 * the running console's database, so it is refused there and said here, not ignored. */
static void
test_remote_database (void)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autofree char *first = g_build_filename (g_get_user_data_dir (), "running.db", NULL);
  g_autofree char *other = g_build_filename (g_get_user_data_dir (), "other.db", NULL);
  g_autofree char *log = g_build_filename (g_get_user_data_dir (), "console.log", NULL);
  g_autofree char *said = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocess) console = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (bin == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_fail_printf ("SITREP_BIN or DISPLAY is not set: run the tests with "
                          "build-aux/sitrep-dev test");
      return;
    }
  g_assert (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  console_runs = TRUE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (name_has_owner (bus, "org.carecircle.Sitrep"));

  /* The console creates its default database, never a mistyped --database. */
  {
    g_auto(Run) typo = { 0 };
    g_autofree char *expected_typo = g_strdup_printf ("There is no database at %s: check the "
                                                      "path. --database names an existing file "
                                                      "(an empty file starts a new database); "
                                                      "nothing was created.\n",
                                                      other);

    if (run_sitrep_within (&typo, 60, (const char *[]) { "--paused", "--database", other, NULL }))
      {
        g_assert_cmpint (typo.status, ==, 2);
        g_assert_cmpstr (typo.err, ==, expected_typo);
        g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
      }
  }
  /* An empty file is a new database. */
  g_file_set_contents (first, "", 0, &error);
  g_assert_no_error (error);

  {
    GSubprocessLauncher *console_launcher = launcher (G_SUBPROCESS_FLAGS_NONE);

    /* The console draws icons: it needs the system's data folders, which the test hides. */
    g_subprocess_launcher_setenv (console_launcher, "XDG_DATA_DIRS",
                                  system_data_dirs ? system_data_dirs : "/usr/local/share:/usr/share",
                                  TRUE);
    /* What the console says goes to the test's log, should it fail. */
    g_subprocess_launcher_set_stdout_file_path (console_launcher, log);
    g_subprocess_launcher_set_stderr_file_path (console_launcher, log);
    console = g_subprocess_launcher_spawn (console_launcher, &error, bin, "--paused",
                                           "--database", first, NULL);
  }
  g_assert_no_error (error);
  while (!name_has_owner (bus, "org.carecircle.Sitrep"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 10);
    }

  {
    g_auto(Run) remote = { 0 };
    g_auto(Run) same = { 0 };
    g_auto(Run) word = { 0 };

    expected = g_strdup_printf ("Sitrep is already running with the database %s: --database "
                                "cannot change it. Quit the running console first, or leave out "
                                "--database.\n",
                                first);
    /* The running console answers these; under sanitizers it is slow, hence 60 s. */
    wait_for_console (bus);
    if (run_sitrep_within (&remote, 60, (const char *[]) { "--database", other, NULL }))
      {
        g_clear_pointer (&said, g_free);
        g_file_get_contents (log, &said, NULL, NULL);
        g_test_message ("the console said: %s", said ? said : "");
        g_assert_cmpint (remote.status, ==, 2);
        g_assert_cmpstr (remote.err, ==, expected);
        g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
      }
    /* The same database is no change. */
    wait_for_console (bus);
    if (run_sitrep_within (&same, 60, (const char *[]) { "--database", first, NULL }))
      g_assert_cmpint (same.status, ==, 0);
    /* A word after an option is refused as well, with the verb that was meant. */
    wait_for_console (bus);
    if (run_sitrep_within (&word, 60, (const char *[]) { "--paused", "incidnet", NULL }))
      {
        g_assert_cmpint (word.status, ==, 2);
        g_assert_nonnull (strstr (word.err, "“incidnet” is not a command; did you mean "
                                            "“incident”?"));
      }
  }

  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.carecircle.Sitrep", "/org/carecircle/Sitrep",
                                       "org.freedesktop.Application", "ActivateAction",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (console, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&said, g_free);
  g_file_get_contents (log, &said, NULL, NULL);
  g_test_message ("the console said: %s", said ? said : "");
  console_runs = FALSE;
}

/* `sitrep check --upgrade` on the second runbook: only the version changes, a second run has
 * nothing to do, and a runbook with a problem is refused and left byte for byte as it was. */
static void
test_check_upgrade (void)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autofree char *path = write_file ("northwind.json", text);
  g_autofree char *bad_text = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;
  g_autofree char *said = NULL;
  g_autofree char *expected_err = NULL;
  const char *version = strstr (text, "\"sitrep_runbook\": 1,");
  const char *channel = strstr (text, "\"#nw-{date}-{slug}\"");
  g_auto(Run) upgrade = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) refused = { 0 };

  g_assert_nonnull (version);
  g_assert_nonnull (channel);
  want = g_strdup_printf ("%.*s\"sitrep_runbook\": 2,%s", (int) (version - text), text,
                          version + strlen ("\"sitrep_runbook\": 1,"));
  if (!run_sitrep (&upgrade, "check", "--upgrade", path, NULL))
    return;
  said = g_strdup_printf ("%s: upgraded from format 1 to format 2\n", path);
  g_assert_cmpint (upgrade.status, ==, 0);
  g_assert_cmpstr (upgrade.out, ==, said);
  g_assert_cmpstr (upgrade.err, ==, "");
  g_file_get_contents (path, &got, NULL, NULL);
  g_assert_cmpstr (got, ==, want);

  if (!run_sitrep (&again, "check", "--upgrade", path, NULL))
    return;
  g_clear_pointer (&said, g_free);
  said = g_strdup_printf ("%s is in format 2 already: nothing to upgrade\n", path);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, said);
  if (!run_sitrep (&check, "check", path, NULL))
    return;
  g_assert_cmpint (check.status, ==, 0);
  g_assert_true (g_str_has_prefix (check.out, "Northwind Freight: "));

  /* A typo in the channel's placeholder: refused at its place, the file untouched. */
  bad_text = g_strdup_printf ("%.*s\"#nw-{dte}-{slug}\"%s", (int) (channel - text), text,
                              channel + strlen ("\"#nw-{date}-{slug}\""));
  bad = write_file ("northwind-bad.json", bad_text);
  if (!run_sitrep (&refused, "check", "--upgrade", bad, NULL))
    return;
  expected_err = g_strdup_printf ("%s:27:19: unknown placeholder {dte} in \"channel\"; did you "
                                  "mean \"date\"? (known: {date} {slug})\n"
                                  "%s: not upgraded, the file is unchanged: fix the problems "
                                  "above first, then upgrade it\n",
                                  bad, bad);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  g_assert_cmpstr (refused.err, ==, expected_err);
  g_clear_pointer (&got, g_free);
  g_file_get_contents (bad, &got, NULL, NULL);
  g_assert_cmpstr (got, ==, bad_text);
}

int
main (int   argc,
      char *argv[])
{
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/check/valid", test_check_valid);
  g_test_add_func ("/cli/check/problems", test_check_problems);
  g_test_add_func ("/cli/check/usage", test_check_usage);
  g_test_add_func ("/cli/check/empty", test_check_empty);
  g_test_add_func ("/cli/check/missing", test_check_missing);
  g_test_add_func ("/cli/check/fifo", test_check_fifo);
  g_test_add_func ("/cli/check/german", test_check_german);
  g_test_add_func ("/cli/check/upgrade", test_check_upgrade);
  g_test_add_func ("/cli/missing-database", test_missing_database);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/remote-database", test_remote_database);

  return g_test_run ();
}
