/* main.c: starts the console, or runs a headless verb (sitrep check FILE) */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "sitrep-application.h"
#include "sitrep-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SitrepApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Headless verbs need no display and must work over SSH at 3 a.m. */
  if (argc >= 2 && sitrep_cli_is_verb (argv[1]))
    return sitrep_cli_run (argc, argv);
  /* A mistyped verb must not start the console with the word silently dropped. */
  if (argc >= 2 && argv[1][0] != '-')
    {
      g_autofree char *message = sitrep_cli_describe_unexpected (argv[1]);

      g_printerr ("%s\n", message);
      return 2;
    }

  app = sitrep_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status;
}
