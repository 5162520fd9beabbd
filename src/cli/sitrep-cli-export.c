/* sitrep-cli-export.c: `sitrep export ID`: an incident's post-mortem as Markdown, headless */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-cli-export.h"
#include "sitrep-cli-common.h"
#include "sitrep-cli-incident.h"
#include "sitrep-postmortem.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"

/* sitrep export ID [--output FILE] [--starred] [--utc] [--database FILE] [--runbook FILE] */
int
sitrep_cli_export (int    argc,
                   char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *runbook_path = NULL;
  g_autofree char *output = NULL;
  gboolean starred_only = FALSE;
  gboolean utc = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the post-mortem to FILE instead of standard output"), N_("FILE") },
    { "starred", 's', 0, G_OPTION_ARG_NONE, &starred_only,
      N_("Put only the starred events on the timeline"), NULL },
    { "utc", 0, 0, G_OPTION_ARG_NONE, &utc, N_("Show times in UTC"), NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Read incidents from FILE instead of the default database"), N_("FILE") },
    { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, &runbook_path,
      N_("For an incident recorded before Sitrep kept each incident's runbook: use the "
         "post-mortem template of the runbook in FILE instead of the built-in one"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  SitrepStore *store;
  int status = 0;
  g_autofree char *document = NULL;
  gint64 id;

  g_option_context_set_summary (options, _("Writes the post-mortem of incident ID as Markdown, "
                                           "in the post-mortem template of the runbook it was "
                                           "declared under."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      sitrep_cli_usage (options);
      return 2;
    }
  if (!sitrep_cli_parse_incident_id (argv[1], &id))
    return 2;
  session = sitrep_cli_open_session (runbook_path, database);
  if (session == NULL)
    return 2;
  store = sitrep_session_get_store (session);
  incident = sitrep_store_load_incident (store, id, &error);
  if (incident == NULL)
    {
      g_printerr ("%s\n", error->message);
      return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND) ? 1 : 2;
    }
  /* The post-mortem in the template of the runbook the incident was declared under. */
  runbook = sitrep_cli_incident_runbook (store, incident, sitrep_session_get_runbook (session),
                                         runbook_path != NULL, &status);
  if (runbook == NULL)
    return status;

  document = sitrep_postmortem_export (store, runbook, id, starred_only, utc, &error);
  if (document == NULL)
    {
      g_printerr ("%s\n", error->message);
      return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND) ? 1 : 2;
    }

  if (output == NULL || g_str_equal (output, "-"))
    {
      /* The bytes as they are: g_print() would convert them to the locale's charset. */
      gsize length = strlen (document);

      if (fwrite (document, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_printerr (_("Could not write the post-mortem to standard output.\n"));
          return 1;
        }
      return 0;
    }
  /* Atomic: a reader of FILE sees the old post-mortem or the new one, never half of it. */
  if (!g_file_set_contents (output, document, -1, &error))
    {
      g_printerr (_("Could not write the post-mortem: %s\n"), error->message);
      return 1;
    }
  return 0;
}
