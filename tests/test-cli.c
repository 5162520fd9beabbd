/* test-cli.c: `sitrep check FILE` exits and prints what scripts and editors expect */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

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

/* Runs `sitrep ARGS…`; returns FALSE, failing the test, when SITREP_BIN is not set. */
static gboolean
run_sitrep (Run        *run,
            const char *first_arg,
            ...)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  if (bin == NULL)
    {
      g_test_fail_printf ("SITREP_BIN is not set: run the tests with meson test");
      return FALSE;
    }

  g_ptr_array_add (argv, (gpointer) bin);
  va_start (args, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return TRUE;
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
    { "15", "98", "\"-n\": the console adds --context and --namespace" },
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
  g_assert_nonnull (strstr (none.err, "check FILE"));

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/check/valid", test_check_valid);
  g_test_add_func ("/cli/check/problems", test_check_problems);
  g_test_add_func ("/cli/check/usage", test_check_usage);
  g_test_add_func ("/cli/check/empty", test_check_empty);
  g_test_add_func ("/cli/check/missing", test_check_missing);

  return g_test_run ();
}
