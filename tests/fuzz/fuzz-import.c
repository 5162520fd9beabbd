/* fuzz-import.c: the Markdown importer fed arbitrary bytes: it must map, refuse or report, never crash */
#include "config.h"

#include <stdint.h>

#include "sitrep-import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepImport) import = NULL;

  import = sitrep_import_markdown ((const char *) data, size, "fuzz.md", &error);
  /* Either a runbook the loader accepted, with a report, or a reason. */
  if (import != NULL)
    {
      g_autofree char *report = sitrep_import_format_report (import);

      g_assert (sitrep_import_get_json (import) != NULL);
      g_assert (report != NULL);
      g_assert (error == NULL);
    }
  else
    {
      g_assert (error != NULL);
      /* A drafted runbook the loader refuses is a bug of the importer. */
      if (g_error_matches (error, SITREP_IMPORT_ERROR, SITREP_IMPORT_ERROR_INVALID))
        g_printerr ("%s\n", error->message);
      g_assert (!g_error_matches (error, SITREP_IMPORT_ERROR, SITREP_IMPORT_ERROR_INVALID));
    }
  return 0;
}
