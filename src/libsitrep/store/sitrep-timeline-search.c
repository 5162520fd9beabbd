/* sitrep-timeline-search.c: what a person types in the timeline's search field, as the database
 * searches it: an FTS5 query on SQLite, regular expressions on PostgreSQL; what was typed is
 * only ever words, never syntax
 */
#include "config.h"

#include "sitrep-timeline-model-private.h"

/* What was typed, split at white space; NULL when it is empty or not UTF-8 (no search). */
static GStrv
typed_words (const char *text)
{
  g_autofree char *clean = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  clean = g_strstrip (g_strdup (text));
  if (*clean == '\0')
    return NULL;
  return g_strsplit_set (clean, " \t\r\n\f\v", -1);
}

/**
 * sitrep_timeline_search_query:
 * @text: what a person typed in a search field
 *
 * Makes an FTS5 query that finds the events holding every word of @text (the last letters of
 * each word may be missing: "degr" finds "degraded"). Each word is quoted, so what FTS5 would
 * read as syntax (quotes, `*`, `NEAR`, `AND`, parentheses, column filters) is only words.
 *
 * Returns: (transfer full) (nullable): the query; "" when @text has no word (nothing matches);
 *   NULL when @text is empty (no search)
 */
char *
sitrep_timeline_search_query (const char *text)
{
  g_autoptr(GString) query = g_string_new ("");
  g_auto(GStrv) words = NULL;

  words = typed_words (text);
  if (words == NULL)
    return NULL;
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean has_letter = FALSE;

      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        has_letter |= g_unichar_isalnum (g_utf8_get_char (p));
      /* A word of punctuation alone is no word to the tokenizer: an empty phrase. */
      if (!has_letter)
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* The same search for PostgreSQL, which has no FTS5: one regular expression a line, each
 * finding one typed word as FTS5 does: its letters and digits as words (what is between them
 * only separates them), one after another, the last one's end left off, in any case. The
 * expressions hold nothing else, so nothing typed is read as syntax. Returns as
 * sitrep_timeline_search_query(). */
char *
sitrep_timeline_search_patterns (const char *text)
{
  g_autoptr(GString) patterns = g_string_new ("");
  g_auto(GStrv) words = NULL;

  words = typed_words (text);
  if (words == NULL)
    return NULL;
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GString) pattern = g_string_new ("");
      gboolean in_token = FALSE;

      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (!g_unichar_isalnum (c))
            {
              in_token = FALSE;
              continue;
            }
          if (!in_token)
            g_string_append (pattern, pattern->len == 0 ? "(^|[^[:alnum:]])"
                                                        : "[^[:alnum:]]+");
          in_token = TRUE;
          g_string_append_unichar (pattern, c);
        }
      if (pattern->len == 0)
        continue;
      if (patterns->len > 0)
        g_string_append_c (patterns, '\n');
      g_string_append (patterns, pattern->str);
    }
  return g_string_free (g_steal_pointer (&patterns), FALSE);
}
