/* sitrep-cli.c: the headless verbs of the sitrep command, for scripts and SSH sessions */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-cli.h"
#include "sitrep-runbook.h"

static const char *const verbs[] = { "check", "probe", "incident", "audit", "export", "import", NULL };

gboolean
sitrep_cli_is_verb (const char *word)
{
  return g_strv_contains (verbs, word);
}

/* sitrep check FILE: exit 0 with a summary, or 1 with one FILE:LINE:COLUMN line per problem. */
static int
run_check (int    argc,
           char **argv)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autofree char *summary = NULL;

  if (argc != 3 || g_str_has_prefix (argv[2], "-"))
    {
      g_printerr (_("Usage: %s check FILE\n"
                    "Checks a runbook and prints one FILE:LINE:COLUMN: message line per "
                    "problem.\n"),
                  argv[0]);
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[2]);
  runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  if (runbook == NULL)
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

          g_printerr ("%s\n", line);
        }
      if (problems == NULL)
        g_printerr ("%s\n", error->message);
      return 1;
    }

  summary = sitrep_runbook_describe (runbook);
  g_print ("%s\n", summary);
  return 0;
}

/* The runbook in @path, or the built-in one; problems go to stderr, one line each. */
SitrepRunbook *
sitrep_cli_load_runbook (const char *path)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  if (path == NULL)
    {
      runbook = sitrep_runbook_load_default (&error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
    }

  if (runbook == NULL)
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

          g_printerr ("%s\n", line);
        }
      if (problems == NULL)
        g_printerr ("%s\n", error->message);
    }
  return runbook;
}

int
sitrep_cli_run (int    argc,
                char **argv)
{
  if (g_str_equal (argv[1], "check"))
    return run_check (argc, argv);
  if (g_str_equal (argv[1], "probe"))
    return sitrep_cli_probe (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "incident"))
    return sitrep_cli_incident (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "audit"))
    return sitrep_cli_audit (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "export"))
    return sitrep_cli_export (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "import"))
    return sitrep_cli_import (argc - 1, argv + 1);
  g_assert_not_reached ();
}
