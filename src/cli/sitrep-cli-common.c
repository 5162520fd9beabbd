/* sitrep-cli-common.c: what the headless verbs share: option errors, usage, the runbook */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-cli-common.h"

/* Parses a verb's options; on a mistake prints what is wrong and how to ask for help. */
gboolean
sitrep_cli_parse (GOptionContext *options,
                  int            *argc,
                  char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (options, argc, argv, &error))
    return TRUE;
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  sitrep_cli_usage (options);
  return FALSE;
}

/* The verb's usage line and where to find more, on standard error. */
void
sitrep_cli_usage (GOptionContext *options)
{
  g_autofree char *help = g_option_context_get_help (options, TRUE, NULL);
  g_auto(GStrv) lines = g_strsplit (help, "\n", 3);

  /* g_option_context_get_help() starts "Usage:\n  sitrep verb [OPTION…] ARGS". */
  g_printerr (_("Usage: %s\n"), lines[0] && lines[1] ? g_strstrip (lines[1]) : g_get_prgname ());
  g_printerr (_("Run “%s --help” for the options.\n"), g_get_prgname ());
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
