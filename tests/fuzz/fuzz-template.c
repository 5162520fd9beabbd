/* fuzz-template.c: the template engine parses any text, fills it from any values under every
 * output rule, and the Markdown escapes keep any text from breaking a post-mortem's structure
 *
 * The input is a template body, then NUL-separated values for the placeholders, in the order of
 * `names` below; a missing value is a placeholder the console does not know.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sitrep-markdown.h"
#include "sitrep-template.h"

static const char *const names[] = {
  "severity", "severity_label", "summary", "impact", "status", "lead", "service", "root_cause",
  "action", "eta", "next_update", "start_time", "end_time", "duration", "channel", "title",
  "date", "timeline", "action_items", "lessons", "", NULL,
};

/* What a shell would interpret: no value the ARGV rule accepts holds one. */
static const char shell_characters[] = ";&|`$()<>\\\"'*?[]{}~!#";

#define URL_PREFIX "https://status.example.test/?q="

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* An escaped line is one line, starts with nothing Markdown would read as structure, and opens
 * no link or image: every "[" follows an odd number of backslashes. */
static void
check_escaped_line (const char *escaped)
{
  g_assert_null (strchr (escaped, '\n'));
  g_assert_false (escaped[0] == '#' || escaped[0] == '>' || escaped[0] == '|'
                  || g_str_has_prefix (escaped, "```") || g_str_has_prefix (escaped, "- ")
                  || g_str_has_prefix (escaped, "* ") || g_str_has_prefix (escaped, "+ "));
  for (const char *p = strchr (escaped, '['); p != NULL; p = strchr (p + 1, '['))
    {
      guint backslashes = 0;

      while (p - backslashes > escaped && p[-1 - (gssize) backslashes] == '\\')
        backslashes++;
      g_assert_cmpuint (backslashes % 2, ==, 1);
    }
}

/* The segments cover the source exactly, in order, and each is what its kind says. */
static void
check_segments (const char *body)
{
  g_autoptr(SitrepTemplateText) parsed = sitrep_template_text_parse (body);
  const SitrepTemplateSegment *segments;
  guint n_segments;
  gsize at = 0;

  segments = sitrep_template_text_get_segments (parsed, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    {
      const SitrepTemplateSegment *segment = &segments[i];

      g_assert_cmpuint (segment->offset, ==, at);
      g_assert_cmpuint (segment->length, >, 0);
      switch (segment->kind)
        {
        case SITREP_TEMPLATE_SEGMENT_PLACEHOLDER:
          g_assert_cmpint (body[at], ==, '{');
          g_assert_cmpint (body[at + segment->length - 1], ==, '}');
          g_assert_cmpuint (strlen (segment->text), ==, segment->length - 2);
          g_assert_null (strpbrk (segment->text, "{}\n"));
          break;
        case SITREP_TEMPLATE_SEGMENT_STRAY_OPEN:
        case SITREP_TEMPLATE_SEGMENT_STRAY_CLOSE:
          g_assert_cmpuint (segment->length, ==, 1);
          g_assert_cmpint (body[at], ==, segment->text[0]);
          break;
        case SITREP_TEMPLATE_SEGMENT_LITERAL:
        default:
          /* Each "{{" or "}}" of the source is one brace of the text. */
          g_assert_cmpuint (strlen (segment->text), <=, segment->length);
          g_assert_cmpuint (strlen (segment->text), >=, (segment->length + 1) / 2);
          break;
        }
      at += segment->length;
    }
  g_assert_cmpuint (at, ==, strlen (body));
}

/* Every output rule, with @value as a person's text in a placeholder. */
static void
check_rules (const char *value)
{
  g_autoptr(GHashTable) values = sitrep_template_values_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *argv = NULL;
  g_autofree char *url = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  gboolean valid = g_utf8_validate (value, -1, NULL);

  sitrep_template_values_take (values, "v", SITREP_TEMPLATE_VALUE_TEXT, g_strdup (value));
  sitrep_template_values_take (values, "l", SITREP_TEMPLATE_VALUE_LINE, g_strdup (value));

  /* One argument, the value whole, or refused: never a shell character, a line break or an
   * option. */
  argv = sitrep_template_expand ("--to-revision={v}", SITREP_TEMPLATE_ARGV,
                                 SITREP_TEMPLATE_MISSING_ERROR, sitrep_template_values_lookup,
                                 values, NULL, &error);
  if (argv != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (valid);
      g_assert_cmpstr (argv + strlen ("--to-revision="), ==, value);
      g_assert_null (strpbrk (value, shell_characters));
      g_assert_null (strpbrk (value, "\n\r\t "));
      g_assert_cmpint (value[0], !=, '-');
      g_assert_null (strstr (value, "--"));
    }
  else
    {
      g_assert_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE);
      g_assert_true (g_str_has_prefix (error->message, "{v}: "));
    }

  /* ASCII, every byte of the value percent-encoded but the unreserved ones, and back. */
  url = sitrep_template_expand (URL_PREFIX "{v}", SITREP_TEMPLATE_URL,
                                SITREP_TEMPLATE_MISSING_ERROR, sitrep_template_values_lookup,
                                values, NULL, NULL);
  g_assert_nonnull (url);
  for (const char *p = url + strlen (URL_PREFIX); *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL
                   || (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])));
  if (*value != '\0')
    {
      g_autofree char *back = g_uri_unescape_string (url + strlen (URL_PREFIX), NULL);

      /* GLib refuses to unescape to a NUL; the input has none. */
      g_assert_cmpstr (back, ==, value);
    }

  /* Markdown: a person's text is one line, or paragraphs of such lines, and UTF-8. */
  line = sitrep_template_expand ("{l}", SITREP_TEMPLATE_MARKDOWN, SITREP_TEMPLATE_MISSING_SHOW,
                                 sitrep_template_values_lookup, values, NULL, NULL);
  text = sitrep_template_expand ("{v}", SITREP_TEMPLATE_MARKDOWN, SITREP_TEMPLATE_MISSING_SHOW,
                                 sitrep_template_values_lookup, values, NULL, NULL);
  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  if (sitrep_markdown_is_blank (value) || g_str_equal (line, "[l]"))
    {
      /* Nothing a reader could see (white space, control characters): shown as missing, to be
       * filled. */
      g_assert_cmpstr (line, ==, "[l]");
      g_assert_cmpstr (text, ==, "[v]");
    }
  else
    {
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      check_escaped_line (line);
      for (guint i = 0; lines[i] != NULL; i++)
        check_escaped_line (lines[i]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) unfilled = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *input = g_malloc (size + 1);
  g_autofree char *rendered = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *unescaped = NULL;
  const char *body;
  const char *p;
  const char *end;
  guint n = 0;

  /* A body is text: the engine's callers hold NUL-terminated UTF-8. */
  memcpy (input, data, size);
  input[size] = '\0';
  body = input;
  end = input + size;
  for (p = body + strlen (body) + 1; p < end && names[n] != NULL; p += strlen (p) + 1, n++)
    {
      g_autofree char *line = sitrep_markdown_escape_line (p);
      g_autofree char *paragraph = sitrep_markdown_escape_paragraph (p);

      if (g_utf8_validate (p, -1, NULL) && !sitrep_markdown_is_blank (p))
        check_escaped_line (line);
      g_assert_nonnull (paragraph);
      g_hash_table_insert (values, (gpointer) names[n], g_strdup (p));
      check_rules (p);
    }

  check_segments (body);
  rendered = sitrep_template_render (body, values, unfilled);
  g_assert_nonnull (rendered);
  /* What had no value shows as [name], for the commander to see and fill. */
  for (guint i = 0; i < unfilled->len; i++)
    {
      g_autofree char *shown = g_strdup_printf ("[%s]", (char *) unfilled->pdata[i]);

      g_assert_nonnull (strstr (rendered, shown));
    }
  /* A body without braces comes out as it went in. */
  if (strchr (body, '{') == NULL && strchr (body, '}') == NULL)
    g_assert_cmpstr (rendered, ==, body);
  /* Any text, its braces doubled, is a template without placeholders that renders as itself. */
  escaped = sitrep_template_escape_literal (body);
  unescaped = sitrep_template_expand (escaped, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_ERROR,
                                      NULL, NULL, NULL, NULL);
  g_assert_cmpstr (unescaped, ==, body);
  /* Valid text stays valid text. */
  if (g_utf8_validate (body, -1, NULL))
    {
      gboolean values_valid = TRUE;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        values_valid = values_valid && g_utf8_validate (value, -1, NULL);
      if (values_valid)
        g_assert_true (g_utf8_validate (rendered, -1, NULL));
    }
  return 0;
}
