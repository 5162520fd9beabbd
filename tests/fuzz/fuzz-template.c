/* fuzz-template.c: the template engine fills any body from any values, and the Markdown escapes
 * keep any text from breaking a post-mortem's structure
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

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* An escaped line is one line, and starts with nothing Markdown would read as structure. */
static void
check_escaped_line (const char *escaped)
{
  g_assert_null (strchr (escaped, '\n'));
  g_assert_false (escaped[0] == '#' || escaped[0] == '>' || escaped[0] == '|'
                  || g_str_has_prefix (escaped, "```") || g_str_has_prefix (escaped, "- ")
                  || g_str_has_prefix (escaped, "* ") || g_str_has_prefix (escaped, "+ "));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) unfilled = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *input = g_malloc (size + 1);
  g_autofree char *rendered = NULL;
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
    }

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
