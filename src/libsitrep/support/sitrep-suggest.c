/* sitrep-suggest.c: "did you mean …?" for a mistyped name, by edit distance */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-suggest.h"

/* Levenshtein distance, ignoring ASCII case. */
guint
sitrep_string_distance (const char *a,
                        const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

/* The closest of @candidates to @word, if it is close enough to be a typo. */
const char *
sitrep_suggest (const char        *word,
                const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint limit = MAX (2, strlen (word) / 3);

  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++)
    {
      guint d = sitrep_string_distance (word, candidates[i]);

      if (d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  return best_distance <= limit ? best : NULL;
}

char *
sitrep_did_you_mean (const char        *word,
                     const char *const *candidates)
{
  const char *guess = sitrep_suggest (word, candidates);

  if (guess == NULL)
    return g_strdup ("");
  /* Translators: appended to an error about an unknown name */
  return g_strdup_printf (_("; did you mean \"%s\"?"), guess);
}
