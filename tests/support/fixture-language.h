/* fixture-language.h: a test that reads Sitrep in another language */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Speaks @language ("de"; NULL: English) from now on in this process, with the catalogues of the
 * build (SITREP_TEST_LOCALEDIR). */
void     fixture_use_language      (const char *language);

/* The language changes for good in the process that changes it: in the test's process, runs the
 * test again in a process of its own, checks that it passed and returns TRUE (the test then
 * returns); in that process, returns FALSE. */
gboolean fixture_in_parent_process (void);

G_END_DECLS
