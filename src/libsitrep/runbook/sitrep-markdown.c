/* sitrep-markdown.c: text a person typed as Markdown that shows it verbatim, and its times */
#include "config.h"

#include <string.h>

#include "sitrep-markdown.h"

static gboolean
is_ascii_punct (char c)
{
  return c != '\0' && strchr ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL;
}

gboolean
sitrep_markdown_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Whitespace, control characters, the end, and what sitrep_markdown_append_line() escapes
 * inside a line. */
static inline gboolean
is_special (guchar c)
{
  return c <= ' ' || c == 0x7f || c == '`' || c == '|' || c == '\\' || c == '<' || c == '[';
}

/* The first character at or after @p that is shown: the control characters before it are
 * dropped, so what follows a "\\" or a "<" is decided by what comes after them ("\\", DEL, "["
 * must not come out as "\\[", a backslash and then a bare "[" that opens a link). */
static const char *
next_shown (const char *p)
{
  while (*p == 0x7f || ((guchar) *p < 0x20 && *p != '\0' && !g_ascii_isspace (*p)))
    p++;
  return p;
}

/* Appends one line of text a person typed: newlines and tabs folded to spaces, leading
 * whitespace dropped (four spaces would start a code block), the first structural character
 * escaped, and the inline characters that can open code spans, table cells, links or HTML
 * escaped.
 * A backslash stays a backslash: doubled where it would escape what follows or, at the end,
 * turn the line break into a hard one. */
void
sitrep_markdown_append_line (GString    *out,
                             const char *text)
{
  g_autofree char *valid = NULL;
  const char *p = text ? text : "";
  gboolean space = FALSE;

  /* A tampered database can hold any bytes: the document stays UTF-8 all the same. */
  if (!g_utf8_validate (p, -1, NULL))
    p = valid = g_utf8_make_valid (p, -1);

  /* Control characters are dropped below: dropped here too, they cannot hide a "#". */
  while (*p != '\0' && ((guchar) *p <= ' ' || *p == 0x7f))
    p++;

  /* The first character decides what block a line opens: a heading, a quote, a list item, a
   * thematic break or setext underline, a fence. (A link definition's "[" is escaped below, as
   * every "[" is.) */
  if (*p != '\0' && strchr ("#>-*+=_~", *p) != NULL)
    {
      g_string_append_c (out, '\\');
    }
  else if (g_ascii_isdigit (*p))
    {
      const char *q = p;

      while (g_ascii_isdigit (*q))
        q++;
      if ((*q == '.' || *q == ')') && q - p <= 9)
        {
          g_string_append_len (out, p, q - p);
          g_string_append_c (out, '\\');
          p = q;
        }
    }

  /* Ordinary text is copied in runs: 100,000 events make megabytes of it. */
  while (*p != '\0')
    {
      const char *run = p;
      const char *next;
      char c;

      /* A single space between words stays inside the run: most lines are one run. */
      for (;;)
        {
          while (!is_special ((guchar) *p))
            p++;
          if (*p != ' ' || p == run || is_special ((guchar) p[1]))
            break;
          p++;
        }
      if (p > run)
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_len (out, run, p - run);
        }
      c = *p;
      if (c == '\0')
        break;
      p++;
      if (g_ascii_isspace (c))
        {
          space = TRUE;
          continue;
        }
      if ((guchar) c < 0x20 || c == 0x7f)
        continue;
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      next = next_shown (p);
      if (c == '\\' && (is_ascii_punct (*next) || sitrep_markdown_is_blank (next)))
        g_string_append_c (out, '\\');
      else if (c == '<'
               && (g_ascii_isalpha (*next) || *next == '/' || *next == '!' || *next == '?'))
        g_string_append_c (out, '\\');
      /* "[" opens every link and image, "[text](javascript:…)" too: escaped, it is text. */
      else if (c == '`' || c == '|' || c == '[')
        g_string_append_c (out, '\\');
      g_string_append_c (out, c);
    }
}

/**
 * sitrep_markdown_escape_line:
 *
 * Returns: @text as one line of Markdown that shows exactly what was typed
 */
char *
sitrep_markdown_escape_line (const char *text)
{
  GString *out = g_string_new (NULL);

  sitrep_markdown_append_line (out, text);
  return g_string_free (out, FALSE);
}

/**
 * sitrep_markdown_escape_paragraph:
 *
 * Returns: @text as Markdown paragraphs: each line escaped as by
 *   sitrep_markdown_escape_line(), runs of blank lines kept as one paragraph break
 */
char *
sitrep_markdown_escape_paragraph (const char *text)
{
  /* GRegex takes valid UTF-8 only: it gives no lines at all for anything else. */
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_auto(GStrv) lines = g_regex_split_simple ("\r\n|\n|\r", valid, 0, 0);
  GString *out = g_string_new (NULL);
  gboolean pending_break = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = sitrep_markdown_escape_line (lines[i]);

      if (*line == '\0')
        {
          pending_break = out->len > 0;
          continue;
        }
      if (out->len > 0)
        g_string_append (out, pending_break ? "\n\n" : "\n");
      pending_break = FALSE;
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}

/* Times */

static GDateTime *
clock_time (const SitrepMarkdownClock *clock,
            gint64                     at)
{
  gint64 seconds = at / G_USEC_PER_SEC - (at % G_USEC_PER_SEC < 0 ? 1 : 0);

  return clock->utc ? g_date_time_new_from_unix_utc (seconds)
                    : g_date_time_new_from_unix_local (seconds);
}

void
sitrep_markdown_clock_init (SitrepMarkdownClock *clock,
                            gint64               start,
                            gboolean             utc)
{
  g_autoptr(GDateTime) time = NULL;

  clock->utc = utc;
  clock->minute = G_MININT64;
  time = clock_time (clock, start);
  g_date_time_get_ymd (time, &clock->year, &clock->month, &clock->day);
}

/* "HH:MM", or "YYYY-MM-DD HH:MM" on another day than the document's date. */
const char *
sitrep_markdown_clock_format (SitrepMarkdownClock *clock,
                              gint64               at)
{
  gint64 minute = at / (60 * G_USEC_PER_SEC) - (at % (60 * G_USEC_PER_SEC) < 0 ? 1 : 0);
  g_autoptr(GDateTime) time = NULL;
  int year, month, day;

  if (minute == clock->minute)
    return clock->text;
  time = clock_time (clock, at);
  if (time == NULL)
    return "??:??";
  g_date_time_get_ymd (time, &year, &month, &day);
  if (year == clock->year && month == clock->month && day == clock->day)
    g_snprintf (clock->text, sizeof clock->text, "%02d:%02d", g_date_time_get_hour (time),
                g_date_time_get_minute (time));
  else
    g_snprintf (clock->text, sizeof clock->text, "%04d-%02d-%02d %02d:%02d", year, month, day,
                g_date_time_get_hour (time), g_date_time_get_minute (time));
  clock->minute = minute;
  return clock->text;
}
