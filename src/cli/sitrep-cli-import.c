/* sitrep-cli-import.c: `sitrep import FILE.md`: a team's Markdown runbook turned into a runbook */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "sitrep-cli-import.h"
#include "sitrep-import.h"

/* Reads @path if it is a regular file no larger than the importer takes. */
static char *
read_document (const char *path,
               gsize      *length,
               GError    **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot read %s: %s."), path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s is not a regular file: give the Markdown file of the runbook."), path);
      return NULL;
    }
  if (st.st_size > SITREP_IMPORT_MAX_SIZE)
    {
      /* The same message as the importer's, a plain %lu: a format macro inside _() would make
       * the msgid differ per platform. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is %lu byte: a runbook is a few dozen kilobytes, and the "
                                "importer reads at most %d. Is it the right file?",
                                "%s is %lu bytes: a runbook is a few dozen kilobytes, and the "
                                "importer reads at most %d. Is it the right file?",
                                (gulong) st.st_size),
                   path, (gulong) st.st_size, SITREP_IMPORT_MAX_SIZE);
      return NULL;
    }
  {
    char *data = NULL;

    if (!g_file_get_contents (path, &data, length, error))
      return NULL;
    return data;
  }
}

/* sitrep import FILE.md [--output FILE.json] [--force] */
int
sitrep_cli_import (int    argc,
                   char **argv)
{
  g_autofree char *output = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the runbook to FILE instead of standard output"), N_("FILE") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Replace FILE if it exists"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("FILE.md"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepImport) import = NULL;
  g_autofree char *data = NULL;
  g_autofree char *report = NULL;
  const char *json;
  gsize length = 0;

  g_option_context_set_summary (options,
                                _("Reads a Markdown runbook and writes a Sitrep runbook that "
                                  "passes sitrep check. What was mapped is reported on standard "
                                  "error, then one FILE.md:LINE: line for each guess and each "
                                  "thing left for you to finish. The exit status is 0 when a "
                                  "runbook was written, 1 when the document is not a runbook or "
                                  "nothing could be written."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      g_printerr (_("Usage: sitrep import FILE.md [--output FILE.json] [--force]\n"));
      return 2;
    }

  /* Checked first: an hour of mapping is no reason to overwrite someone's runbook. */
  if (output != NULL && !g_str_equal (output, "-") && !force
      && g_file_test (output, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("%s exists: nothing was written. Give another --output, or --force to "
                    "replace it.\n"), output);
      return 1;
    }

  data = read_document (argv[1], &length, &error);
  if (data == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  import = sitrep_import_markdown (data, length, argv[1], &error);
  if (import == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  report = sitrep_import_format_report (import);
  json = sitrep_import_get_json (import);
  if (output == NULL || g_str_equal (output, "-"))
    {
      gsize len = strlen (json);

      if (fwrite (json, 1, len, stdout) != len || fflush (stdout) != 0)
        {
          g_printerr (_("Could not write the runbook to standard output.\n"));
          return 1;
        }
    }
  /* Atomic: a reader of FILE sees a whole runbook or none. */
  else if (!g_file_set_contents (output, json, -1, &error))
    {
      g_printerr (_("Could not write the runbook: %s\n"), error->message);
      return 1;
    }
  fputs (report, stderr);
  if (output != NULL && !g_str_equal (output, "-"))
    g_printerr (_("Wrote %s. Finish the lines above by hand, then run sitrep check %s.\n"),
                output, output);
  return 0;
}
