/* sitrep-suggest.h: "did you mean …?" for a mistyped name */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Edit distance between @a and @b, ignoring ASCII case. */
guint       sitrep_string_distance (const char        *a,
                                    const char        *b);
/* The closest of @candidates to @word, if it is close enough to be a typo, or NULL. */
const char *sitrep_suggest         (const char        *word,
                                    const char *const *candidates);
/* "; did you mean "X"?" for the closest candidate, or "" when none is close. */
char       *sitrep_did_you_mean    (const char        *word,
                                    const char *const *candidates);

G_END_DECLS
