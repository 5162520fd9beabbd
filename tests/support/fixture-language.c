/* fixture-language.c: a test that reads Sitrep in another language */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "fixture-language.h"

void
fixture_use_language (const char *language)
{
  const char *localedir = g_getenv ("SITREP_TEST_LOCALEDIR");

  g_assert_nonnull (localedir);
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* LANGUAGE is honoured in C.UTF-8, never in plain C; setting the locale again drops what
   * gettext cached of the last language. */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, localedir));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

gboolean
fixture_in_parent_process (void)
{
  if (g_test_subprocess ())
    return FALSE;
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return TRUE;
}
