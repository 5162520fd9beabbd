/* sitrep-import-text.c: how runbooks write durations, severities and names, read into values */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"
#include "sitrep-template.h"

const char *const import_incident_words[] = {
  "incident", "incidents", "outage", "outages", "on-call", "oncall", "escalation", "escalate",
  "post-mortem", "postmortem", "severity", "severities", "sev", "runbook", "playbook",
  "responder", "responders", "commander", "deputy", "scribe", "liaison", "triage", "mitigation",
  "major", NULL
};

static GRegex *
duration_regex (void)
{
  static GRegex *regex;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      /* "15 minutes", "< 15 min", "1 hour", "24h", "5-10 minutes", "15 to 30 min",
       * "1 business day". */
      GRegex *r = g_regex_new ("(\\d+(?:\\.\\d+)?)(?:\\s*(?:-|–|—|to)\\s*(\\d+(?:\\.\\d+)?))?\\s*"
                               "(?:business\\s+)?"
                               "(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|"
                               "weeks?|w)(?![\\w])",
                               G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);

      regex = r;
      g_once_init_leave (&once, 1);
    }
  return regex;
}

static gint64
unit_seconds (const char *unit)
{
  switch (g_ascii_tolower (unit[0]))
    {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 7 * 86400;
    default:
      return 0;
    }
}

/**
 * import_parse_duration:
 * @text: words that may hold a duration
 * @seconds: (out): the duration, or the lower bound of a range
 * @upper: (out) (optional): the upper bound of a range, or -1
 *
 * Finds the first duration in @text. "Immediate", "immediately", "at once" and "ASAP" are 0;
 * "next business day" is a day. Returns FALSE when there is none.
 */
gboolean
import_parse_duration (const char *text,
                       gint64     *seconds,
                       gint64     *upper)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *lower = NULL;

  if (upper != NULL)
    *upper = -1;
  if (text == NULL)
    return FALSE;

  if (g_regex_match (duration_regex (), text, 0, &match))
    {
      g_autofree char *a = g_match_info_fetch (match, 1);
      g_autofree char *b = g_match_info_fetch (match, 2);
      g_autofree char *unit = g_match_info_fetch (match, 3);
      gint64 scale = unit_seconds (unit);
      double first = g_ascii_strtod (a, NULL);

      /* Only a duration the loader reads back as the same. */
      if (scale > 0 && first >= 0 && first < 100000 && import_duration_ok ((gint64) (first * scale)))
        {
          *seconds = (gint64) (first * scale);
          if (upper != NULL && b != NULL && *b != '\0')
            {
              double second = g_ascii_strtod (b, NULL);

              if (second > first && second < 100000 && import_duration_ok ((gint64) (second * scale)))
                *upper = (gint64) (second * scale);
            }
          return TRUE;
        }
    }

  lower = g_utf8_strdown (text, -1);
  if (strstr (lower, "business day") != NULL || strstr (lower, "next day") != NULL)
    {
      *seconds = 86400;
      return TRUE;
    }
  if (import_has_word (lower, "immediate") || import_has_word (lower, "immediately")
      || strstr (lower, "at once") != NULL || import_has_word (lower, "asap"))
    {
      *seconds = 0;
      return TRUE;
    }
  return FALSE;
}

/* A duration in the runbook format: "15m", "2h", "1h30m", "90s"; hours, minutes and seconds
 * together past an hour ("2h0m5s"), so that no number grows past what the loader reads. */
char *
import_format_duration (gint64 seconds)
{
  if (seconds <= 0)
    return g_strdup ("0m");
  if (seconds % 3600 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", seconds / 3600);
  if (seconds % 60 == 0 && seconds > 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m", seconds / 3600,
                            (seconds % 3600) / 60);
  if (seconds % 60 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
  if (seconds > 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s",
                            seconds / 3600, (seconds % 3600) / 60, seconds % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
}

/* A duration for the report: "15 min", "2 h", "at once". */
char *
import_human_duration (gint64 seconds)
{
  gulong n;

  if (seconds < 0)
    return g_strdup (_("if needed"));
  if (seconds == 0)
    return g_strdup (_("at once"));
  /* The count as a plain unsigned long: a format macro inside _() would make the msgid differ
   * from one platform to the next. */
  if (seconds % 3600 == 0)
    {
      n = (gulong) (seconds / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu h", "%lu h", n), n);
    }
  if (seconds % 60 == 0)
    {
      n = (gulong) (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu min", "%lu min", n), n);
    }
  n = (gulong) seconds;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu s", "%lu s", n), n);
}

/* @strings joined with @separator, for the lists of the summary. */
char *
import_join (GPtrArray  *strings,
             const char *separator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (out, "%s%s", i ? separator : "", (char *) strings->pdata[i]);
  return g_string_free (out, FALSE);
}

static GRegex *
severity_regex (void)
{
  static GRegex *regex;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      /* SEV-1, SEV1, Sev 1, severity::1, P0, P1, Priority 2, S1. */
      GRegex *r = g_regex_new ("(?<![\\w-])(sev|severity|priority|p|s)(?:\\s*[-_:]*\\s*)([0-9])"
                               "(?![\\w])",
                               G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);

      regex = r;
      g_once_init_leave (&once, 1);
    }
  return regex;
}

/* The severity id in @text, normalised ("SEV-1", "P0", "S2"); FALSE when there is none. */
gboolean
import_severity_id (const char *text,
                    char      **id)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *digit = NULL;

  if (text == NULL || !g_regex_match (severity_regex (), text, 0, &match))
    return FALSE;
  prefix = g_match_info_fetch (match, 1);
  digit = g_match_info_fetch (match, 2);
  if (g_ascii_strcasecmp (prefix, "sev") == 0 || g_ascii_strcasecmp (prefix, "severity") == 0)
    *id = g_strdup_printf ("SEV-%s", digit);
  else if (g_ascii_strcasecmp (prefix, "s") == 0)
    *id = g_strdup_printf ("S%s", digit);
  else
    *id = g_strdup_printf ("P%s", digit);
  return TRUE;
}

/* An id from the first @max_words words of @text (0 = all): lower-case ASCII and hyphens. */
char *
import_slug (const char *text,
             guint       max_words)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint words = 0;
  gboolean dash = FALSE;
  gboolean space = FALSE;

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && out->len > 0)
            {
              /* Only a space starts a new word: "Post-Mortem" is one. */
              if (space && max_words > 0 && ++words >= max_words)
                break;
              g_string_append_c (out, '-');
            }
          dash = space = FALSE;
          g_string_append_c (out, g_ascii_tolower (*p));
        }
      else if (*p == '\'' || *p == '.')
        {
          /* "We're" is one word, "v1.2" too. */
        }
      else
        {
          dash = TRUE;
          space |= g_ascii_isspace (*p) || *p == '/' || *p == '&';
        }
      if (out->len >= 40)
        break;
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "1. Acknowledge" → "Acknowledge". */
char *
import_strip_numbering (const char *text)
{
  const char *p = text;

  while (g_ascii_isdigit (*p))
    p++;
  if (p > text && (*p == '.' || *p == ')') && (p[1] == ' ' || p[1] == '\0'))
    return g_strstrip (g_strdup (p + 1));
  return g_strstrip (g_strdup (text));
}

gboolean
import_is_stop_word (const char *word)
{
  static const char *const stop[] = {
    "the", "a", "an", "in", "of", "with", "to", "for", "and", "or", "if", "on", "at", "by",
    "from", "is", "be", "your", "our", "any", "all", "as", "via", "into", "it", NULL
  };

  return g_strv_contains (stop, word);
}

static gboolean
is_acronym (const char *word,
            gsize       len)
{
  guint upper = 0, lower = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isdigit (word[i]))
        return TRUE;
      if (g_ascii_isupper (word[i]))
        upper++;
      else if (g_ascii_islower (word[i]))
        lower++;
    }
  /* "API", "DLQ"; "GitHub" and "Post-Mortem" are words. */
  return upper >= 2 && lower == 0;
}

/* "Web App" → "Web app", "Post-Mortem" → "Post-mortem"; acronyms (API, SEV-1) stay. */
char *
import_sentence_case (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  gboolean first = TRUE;

  while (*p != '\0')
    {
      const char *start = p;
      gsize len;

      while (*p != '\0' && *p != ' ')
        p++;
      len = p - start;
      if (first || is_acronym (start, len))
        g_string_append_len (out, start, len);
      else
        {
          g_autofree char *down = g_utf8_strdown (start, len);

          g_string_append (out, down);
        }
      /* After the first word, the part of "Post-Mortem" after its hyphen is a word too. */
      if (first)
        {
          const char *hyphen = memchr (start, '-', len);

          if (hyphen != NULL && !is_acronym (start, len))
            {
              gsize at = out->len - (start + len - hyphen) + 1;

              for (gsize i = at; i < out->len; i++)
                out->str[i] = g_ascii_tolower (out->str[i]);
            }
        }
      first = FALSE;
      while (*p == ' ')
        g_string_append_c (out, *p++);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
import_capitalize (const char *text)
{
  gunichar c = g_utf8_get_char (text);
  char buf[8];
  int n;

  if (*text == '\0' || !g_unichar_islower (c))
    return g_strdup (text);
  n = g_unichar_to_utf8 (g_unichar_toupper (c), buf);
  return g_strconcat ((buf[n] = '\0', buf), g_utf8_next_char (text), NULL);
}

/* Leading emoji, bullets and punctuation (🔴, ⚠️, •, -) off @text, and surrounding spaces. */
char *
import_strip_markers (const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '#' || c == '@' || c == '[' || c == '(' || c == '<'
          || c == '`' || c == '$' || c == '"' || c == '\'')
        break;
      p = g_utf8_next_char (p);
    }
  return g_strstrip (g_strdup (p));
}

/* "Team lead (within 15 min)" → "Team lead", with "within 15 min" in @inside. */
char *
import_strip_parens (const char *text,
                     char      **inside)
{
  const char *open = strchr (text, '(');
  const char *close = open ? strrchr (open, ')') : NULL;
  g_autoptr(GString) out = NULL;

  if (inside != NULL)
    *inside = NULL;
  if (open == NULL || close == NULL)
    return g_strstrip (g_strdup (text));
  out = g_string_new_len (text, open - text);
  g_string_append (out, close + 1);
  if (inside != NULL)
    *inside = g_strstrip (g_strndup (open + 1, close - open - 1));
  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

/* Whether @word (ASCII, lower-case) stands in @text as a whole word, ignoring case. */
gboolean
import_has_word (const char *text,
                 const char *word)
{
  gsize len = strlen (word);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_strncasecmp (p, word, len) == 0
          && (p == text || !g_ascii_isalnum (p[-1]))
          && !g_ascii_isalnum (p[len]))
        return TRUE;
    }
  return FALSE;
}

gboolean
import_has_any_word (const char        *text,
                     const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (import_has_word (text, words[i]))
      return TRUE;
  return FALSE;
}

/* "Complete outage, data loss, security breach" → three entries, each capitalised. */
GPtrArray *
import_split_list (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_regex_split_simple ("\\s*(?:[,;\\n]|<br\\s*/?>)\\s*",
                                              text, G_REGEX_CASELESS, 0);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *clean = import_strip_markers (parts[i]);

      while (clean[0] != '\0' && strchr (".", clean[strlen (clean) - 1]) != NULL)
        clean[strlen (clean) - 1] = '\0';
      if (clean[0] != '\0')
        g_ptr_array_add (out, import_capitalize (clean));
    }
  return out;
}

/* Literal braces doubled, so the loader reads no placeholder where the document had none. */
char *
import_json_escape_braces (const char *text)
{
  return sitrep_template_escape_literal (text);
}
