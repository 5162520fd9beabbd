/* sitrep-cli-check.c: `sitrep check FILE`: a runbook checked without a display, for its CI */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-cli-check.h"
#include "sitrep-cli-common.h"
#include "sitrep-runbook-loader.h"

/* sitrep check --upgrade FILE: the runbook rewritten in the newest format, or left as it was. */
static int
upgrade (const char *arg)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  guint from = 0;

  if (!sitrep_runbook_upgrade_file (file, &from, &problems, &error))
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

          g_printerr ("%s\n", line);
        }
      if (problems == NULL)
        g_printerr ("%s\n", error->message);
      else
        g_printerr (_("%s: not upgraded, the file is unchanged: fix the problems above first, "
                      "then upgrade it\n"),
                    name);
      return 1;
    }
  if (from == SITREP_RUNBOOK_FORMAT)
    g_print (_("%s is in format %u already: nothing to upgrade\n"), name, from);
  else
    g_print (_("%s: upgraded from format %u to format %u\n"), name, from,
             SITREP_RUNBOOK_FORMAT);
  return 0;
}

/* sitrep check FILE: exit 0 with a summary, or 1 with one FILE:LINE:COLUMN line per problem. */
int
sitrep_cli_check (int    argc,
                  char **argv)
{
  gboolean upgrade_file = FALSE;
  GOptionEntry entries[] = {
    { "upgrade", 0, 0, G_OPTION_ARG_NONE, &upgrade_file,
      N_("Rewrite a valid runbook of an older format in the newest one, in place, changing "
         "nothing else"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("FILE"));
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autofree char *summary = NULL;

  g_option_context_set_summary (options,
                                _("Checks a runbook without a display. A valid runbook gets a "
                                  "one-line summary and exit status 0; otherwise every problem "
                                  "is printed on standard error as FILE:LINE:COLUMN: message, "
                                  "and the exit status is 1. FILE must be a regular file."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      g_printerr (argc < 2 ? _("%s: which runbook? Give its file.\n")
                           : _("%s: one runbook at a time.\n"),
                  g_get_prgname ());
      sitrep_cli_usage (options);
      return 2;
    }
  if (upgrade_file)
    return upgrade (argv[1]);

  runbook = sitrep_cli_load_runbook (argv[1]);
  if (runbook == NULL)
    return 1;

  summary = sitrep_runbook_describe (runbook);
  g_print ("%s\n", summary);
  return 0;
}
