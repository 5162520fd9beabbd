/* fuzz-runbook.c: the runbook loader takes any bytes and either loads them or says why not */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "fuzz.json", &problems, &error);
  if (runbook == NULL)
    {
      /* Never half a runbook, never a refusal without a reason and a place. */
      g_assert_nonnull (error);
      g_assert_nonnull (problems);
      g_assert_cmpuint (problems->len, >, 0);
      for (guint i = 0; i < problems->len; i++)
        {
          const SitrepRunbookProblem *problem = problems->pdata[i];
          g_autofree char *text = sitrep_runbook_problem_to_string (problem);

          g_assert_true (g_utf8_validate (text, -1, NULL));
          g_assert_true (g_str_has_prefix (text, "fuzz.json"));
          g_assert_cmpstr (problem->message, !=, "");
        }
      return 0;
    }

  /* A runbook that loads is whole: what the console reads from it is there. */
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_nonnull (sitrep_runbook_get_name (runbook));
  g_assert_cmpuint (sitrep_runbook_get_severities (runbook)->len, >, 0);
  g_assert_cmpuint (sitrep_runbook_get_services (runbook)->len, >, 0);
  for (guint i = 0; i < sitrep_runbook_get_services (runbook)->len; i++)
    {
      const SitrepService *service = sitrep_runbook_get_services (runbook)->pdata[i];

      g_assert_true (sitrep_runbook_find_service (runbook, service->id) == service);
    }

  /* Whatever loads upgrades to the newest format, meaning the same. */
  {
    g_autoptr(GBytes) upgraded = NULL;
    g_autoptr(SitrepRunbook) again = NULL;
    g_autofree char *before = sitrep_runbook_describe (runbook);
    g_autofree char *after = NULL;
    guint from = 0;

    upgraded = sitrep_runbook_upgrade_bytes (bytes, "fuzz.json", &from, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (from, ==, sitrep_runbook_get_format (runbook));
    again = sitrep_runbook_load_bytes (upgraded, "fuzz.json", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sitrep_runbook_get_format (again), ==, SITREP_RUNBOOK_FORMAT);
    after = sitrep_runbook_describe (again);
    g_assert_cmpstr (after, ==, before);
  }
  return 0;
}
