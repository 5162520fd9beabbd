/* main.c: runs a headless verb (sitrep check FILE), or starts the console */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "sitrep-application.h"
#include "sitrep-cli.h"
#include "sitrep-import-preview.h"

/* A word after the console's options (sitrep --paused incidnet) is most likely a verb in the
 * wrong place: refused here, in the process that was started, with the verb that was meant. */
static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *options,
                         gpointer      user_data)
{
  g_autofree const char **words = NULL;
  g_autofree char *message = NULL;

  if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &words) || words[0] == NULL)
    return -1;
  /* sitrep RUNBOOK.md: a Markdown runbook to import. */
  if (words[1] == NULL && sitrep_import_is_markdown_arg (words[0]))
    return -1;
  message = sitrep_cli_describe_unexpected (words[0]);
  g_printerr ("%s\n", message);
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SitrepApplication) app = NULL;
  g_autofree char *verbs = NULL;
  const char *localedir;

  setlocale (LC_ALL, "");
  /* A run from the build tree (build-aux/sitrep-dev run, the tests) names the build's catalogues:
   * the installed ones may be missing or older. */
  localedir = g_getenv ("SITREP_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Headless verbs need no display and must work over SSH at 3 a.m. */
  if (argc >= 2 && sitrep_cli_is_verb (argv[1]))
    return sitrep_cli_run (argc, argv);
  /* A mistyped verb must not start the console with the word silently dropped. */
  if (argc >= 2 && argv[1][0] != '-' && !sitrep_import_is_markdown_arg (argv[1]))
    {
      g_autofree char *message = sitrep_cli_describe_unexpected (argv[1]);

      g_printerr ("%s\n", message);
      return 2;
    }

  app = sitrep_application_new ();
  /* `sitrep --help` lists the verbs after the console's own options. */
  verbs = sitrep_cli_describe_verbs ();
  g_application_set_option_context_summary (G_APPLICATION (app), verbs);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
