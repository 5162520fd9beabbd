/* sitrep-template.c: the one {placeholder} engine, parsed once and rendered by output rule
 *
 * Messages, the post-mortem, the channel name, command lines and the texts around them are all
 * runbook text with {placeholders}. One parser reads them, so that what the loader accepts (and
 * reports at its line and column) is exactly what the console fills in; one renderer fills them,
 * and how a value is made safe depends on where the text goes: in Markdown a person's text
 * cannot open a heading or a list, in a command line it cannot become a second argument or an
 * option, in a URL it is percent-encoded. "{{" and "}}" are literal braces.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-markdown.h"
#include "sitrep-template.h"

G_DEFINE_QUARK (sitrep-template-error-quark, sitrep_template_error)

struct _SitrepTemplateText
{
  GArray *segments; /* of SitrepTemplateSegment */
};

/* What a shell would interpret, including globbing and history expansion: a command line
 * copied from a dialog into a terminal must mean the same thing there. */
static const char shell_characters[] = ";&|`$()<>\\\"'*?[]{}~!#";

static void
segment_clear (gpointer data)
{
  SitrepTemplateSegment *segment = data;

  g_free (segment->text);
}

static void
add_segment (SitrepTemplateText       *text,
             SitrepTemplateSegmentKind kind,
             gsize                     offset,
             gsize                     length,
             char                     *owned)
{
  SitrepTemplateSegment segment = { kind, offset, length, owned };

  g_array_append_val (text->segments, segment);
}

static void
flush_literal (SitrepTemplateText *text,
               GString            *literal,
               gsize               start,
               gsize               end)
{
  if (end == start)
    return;
  add_segment (text, SITREP_TEMPLATE_SEGMENT_LITERAL, start, end - start,
               g_strndup (literal->str, literal->len));
  g_string_truncate (literal, 0);
}

/**
 * sitrep_template_text_parse:
 * @source: a runbook text with {placeholders}; any bytes
 *
 * Splits @source into literal text and placeholders, each with its place in @source. A
 * placeholder is a '{', a name without '{' or a line break, and a '}'. A brace that belongs
 * to none (a '{' not closed before the next '{' or the end of its line, a single '}') is a
 * stray segment: the loader reports it, and rendering shows the brace as it is.
 *
 * Returns: (transfer full): the parsed text, never NULL
 */
SitrepTemplateText *
sitrep_template_text_parse (const char *source)
{
  SitrepTemplateText *text = g_new0 (SitrepTemplateText, 1);
  g_autoptr(GString) literal = g_string_new (NULL);
  const char *p = source ? source : "";
  const char *start = p;
  gsize literal_start = 0;

  text->segments = g_array_new (FALSE, FALSE, sizeof (SitrepTemplateSegment));
  g_array_set_clear_func (text->segments, segment_clear);

  while (*p != '\0')
    {
      gsize at = p - start;
      gsize name_length;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (literal, *p);
          p += 2;
          continue;
        }
      if (*p != '{' && *p != '}')
        {
          const char *run = p;

          while (*p != '\0' && *p != '{' && *p != '}')
            p++;
          g_string_append_len (literal, run, p - run);
          continue;
        }

      flush_literal (text, literal, literal_start, at);
      /* The first '{', '}' or line break after a '{' decides: only a '}' closes it. Looking for
       * that one character keeps a long run of unclosed braces linear. */
      name_length = *p == '{' ? strcspn (p + 1, "{}\n") : 0;
      if (*p == '}')
        {
          add_segment (text, SITREP_TEMPLATE_SEGMENT_STRAY_CLOSE, at, 1, g_strdup ("}"));
          p++;
        }
      else if (p[1 + name_length] == '}')
        {
          add_segment (text, SITREP_TEMPLATE_SEGMENT_PLACEHOLDER, at, name_length + 2,
                       g_strndup (p + 1, name_length));
          p += name_length + 2;
        }
      else
        {
          add_segment (text, SITREP_TEMPLATE_SEGMENT_STRAY_OPEN, at, 1, g_strdup ("{"));
          p++;
        }
      literal_start = p - start;
    }
  flush_literal (text, literal, literal_start, p - start);
  return text;
}

void
sitrep_template_text_free (SitrepTemplateText *text)
{
  if (text == NULL)
    return;
  g_array_unref (text->segments);
  g_free (text);
}

/**
 * sitrep_template_text_get_segments:
 * @n_segments: (out): how many there are
 *
 * Returns: (array length=n_segments): the segments in the order of the source
 */
const SitrepTemplateSegment *
sitrep_template_text_get_segments (const SitrepTemplateText *text,
                                   guint                    *n_segments)
{
  g_return_val_if_fail (text != NULL && n_segments != NULL, NULL);

  *n_segments = text->segments->len;
  return (const SitrepTemplateSegment *) (gpointer) text->segments->data;
}

/**
 * sitrep_template_check_argv_value:
 *
 * Whether a person's @value may be (part of) one command-line argument: valid UTF-8, not
 * empty, at most %SITREP_TEMPLATE_ARGV_MAX_VALUE bytes, no control, invisible formatting or
 * white space character, nothing a shell would interpret, and nothing kubectl or another
 * program would read as an option. @error says what is wrong with it, without naming it.
 */
gboolean
sitrep_template_check_argv_value (const char *value,
                                  GError    **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                           _("the value is not valid UTF-8 text"));
      return FALSE;
    }
  if (*value == '\0')
    {
      g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                           _("the value is empty"));
      return FALSE;
    }
  if (strlen (value) > SITREP_TEMPLATE_ARGV_MAX_VALUE)
    {
      g_set_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                   _("the value is longer than %d bytes"), SITREP_TEMPLATE_ARGV_MAX_VALUE);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                               _("the value contains a line break or another control "
                                 "character"));
          return FALSE;
        }
      if (g_unichar_type (c) == G_UNICODE_FORMAT)
        {
          g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                               _("the value contains an invisible formatting character"));
          return FALSE;
        }
      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        {
          g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                               _("the value contains white space"));
          return FALSE;
        }
      if (c < 0x80 && strchr (shell_characters, (char) c) != NULL)
        {
          g_set_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                       _("the value contains “%c”, which a shell would interpret"), (char) c);
          return FALSE;
        }
    }

  if (value[0] == '-')
    {
      g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                           _("the value starts with “-”, so a command would read it as an "
                             "option"));
      return FALSE;
    }
  if (strstr (value, "--") != NULL)
    {
      g_set_error_literal (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE,
                           _("the value contains “--”, which looks like a command-line "
                             "option"));
      return FALSE;
    }
  return TRUE;
}

/* Appends @value as @output takes it. */
static gboolean
append_value (GString                *out,
              SitrepTemplateOutput    output,
              SitrepTemplateValueKind kind,
              const char             *name,
              const char             *value,
              GError                **error)
{
  if (kind == SITREP_TEMPLATE_VALUE_VERBATIM || output == SITREP_TEMPLATE_PLAIN)
    {
      g_string_append (out, value);
      return TRUE;
    }

  switch (output)
    {
    case SITREP_TEMPLATE_MARKDOWN:
      if (kind == SITREP_TEMPLATE_VALUE_LINE)
        {
          sitrep_markdown_append_line (out, value);
        }
      else
        {
          g_autofree char *paragraphs = sitrep_markdown_escape_paragraph (value);

          g_string_append (out, paragraphs);
        }
      return TRUE;

    case SITREP_TEMPLATE_ARGV:
      {
        g_autoptr(GError) why = NULL;

        if (!sitrep_template_check_argv_value (value, &why))
          {
            /* Translators: "{input.replicas}: the value contains “;”, which a shell would
             * interpret" */
            g_set_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE, _("{%s}: %s"),
                         name, why->message);
            return FALSE;
          }
        g_string_append (out, value);
        return TRUE;
      }

    case SITREP_TEMPLATE_URL:
      /* Every byte but the unreserved ones, so a value stays inside its path segment or query
       * parameter, and a URL stays ASCII whatever the value's bytes. */
      g_string_append_uri_escaped (out, value, NULL, FALSE);
      return TRUE;

    case SITREP_TEMPLATE_PLAIN:
    default:
      g_assert_not_reached ();
    }
}

/**
 * sitrep_template_text_render:
 * @output: where the text goes, which decides how each value is escaped or checked
 * @missing: what a placeholder without a value becomes
 * @lookup: (nullable): gives each placeholder's value; without it, none has one
 * @unfilled: (nullable) (element-type utf8): with %SITREP_TEMPLATE_MISSING_SHOW, gets the
 *   names shown as [name], in their order
 *
 * Literal text comes out as written, whatever @output: it is the runbook's own, already in
 * the output's form.
 *
 * Returns: (transfer full): the text, or NULL with @error set when a value is refused or, with
 *   %SITREP_TEMPLATE_MISSING_ERROR, missing
 */
char *
sitrep_template_text_render (const SitrepTemplateText *text,
                             SitrepTemplateOutput      output,
                             SitrepTemplateMissing     missing,
                             SitrepTemplateLookup      lookup,
                             gpointer                  user_data,
                             GPtrArray                *unfilled,
                             GError                  **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < text->segments->len; i++)
    {
      const SitrepTemplateSegment *segment = &g_array_index (text->segments,
                                                             SitrepTemplateSegment, i);
      SitrepTemplateValueKind kind = SITREP_TEMPLATE_VALUE_TEXT;
      const char *value;
      gsize before = out->len;

      if (segment->kind != SITREP_TEMPLATE_SEGMENT_PLACEHOLDER)
        {
          g_string_append (out, segment->text);
          continue;
        }

      value = lookup != NULL ? lookup (segment->text, &kind, user_data) : NULL;
      if (value != NULL
          && !append_value (out, output, kind, segment->text, value, error))
        return NULL;
      /* An empty value shows as missing too: a message is never sent with a silent gap. */
      if (value != NULL && (out->len > before || missing != SITREP_TEMPLATE_MISSING_SHOW))
        continue;

      switch (missing)
        {
        case SITREP_TEMPLATE_MISSING_SHOW:
          g_string_append_printf (out, "[%s]", segment->text);
          if (unfilled != NULL)
            g_ptr_array_add (unfilled, g_strdup (segment->text));
          break;
        case SITREP_TEMPLATE_MISSING_KEEP:
          g_string_append_printf (out, "{%s}", segment->text);
          break;
        case SITREP_TEMPLATE_MISSING_ERROR:
        default:
          g_set_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_MISSING,
                       _("{%s} has no value here"), segment->text);
          return NULL;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Parses @source and renders it: see sitrep_template_text_render(). */
char *
sitrep_template_expand (const char           *source,
                        SitrepTemplateOutput  output,
                        SitrepTemplateMissing missing,
                        SitrepTemplateLookup  lookup,
                        gpointer              user_data,
                        GPtrArray            *unfilled,
                        GError              **error)
{
  g_autoptr(SitrepTemplateText) text = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  text = sitrep_template_text_parse (source);
  return sitrep_template_text_render (text, output, missing, lookup, user_data, unfilled, error);
}

/**
 * sitrep_template_escape_literal:
 *
 * Returns: @text as template text that renders as @text: its braces doubled
 */
char *
sitrep_template_escape_literal (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '{' || *p == '}')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Values by name */

typedef struct
{
  SitrepTemplateValueKind kind;
  char *text;
} Value;

static void
value_free (gpointer data)
{
  Value *value = data;

  g_free (value->text);
  g_free (value);
}

/**
 * sitrep_template_values_new:
 *
 * Returns: (transfer full): an empty table for sitrep_template_values_take() and
 *   sitrep_template_values_lookup()
 */
GHashTable *
sitrep_template_values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, value_free);
}

/* Sets @name to @text (taken; NULL for none) of the kind @kind. */
void
sitrep_template_values_take (GHashTable             *values,
                             const char             *name,
                             SitrepTemplateValueKind kind,
                             char                   *text)
{
  Value *value;

  g_return_if_fail (values != NULL && name != NULL);

  if (text == NULL)
    {
      g_hash_table_remove (values, name);
      return;
    }
  value = g_new (Value, 1);
  value->kind = kind;
  value->text = text;
  g_hash_table_insert (values, g_strdup (name), value);
}

const char *
sitrep_template_values_lookup (const char              *name,
                               SitrepTemplateValueKind *kind,
                               gpointer                 values)
{
  const Value *value = g_hash_table_lookup (values, name);

  if (value == NULL)
    return NULL;
  *kind = value->kind;
  return value->text;
}

const char *
sitrep_template_lookup_strings (const char              *name,
                                SitrepTemplateValueKind *kind,
                                gpointer                 table)
{
  return table != NULL ? g_hash_table_lookup (table, name) : NULL;
}

/**
 * sitrep_template_render:
 * @values: (element-type utf8 utf8) (nullable): placeholder name → text
 * @unfilled: (nullable) (element-type utf8): gets the names that had no value
 *
 * Fills a message. A placeholder without a value stays visible as [name], in the runbook's own
 * "[Brief description]" style, so a message is never sent with a silent gap; @unfilled lists
 * them for the composer to highlight.
 *
 * Returns: (transfer full): the message
 */
char *
sitrep_template_render (const char *body,
                        GHashTable *values,
                        GPtrArray  *unfilled)
{
  g_return_val_if_fail (body != NULL, NULL);

  return sitrep_template_expand (body, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_SHOW,
                                 sitrep_template_lookup_strings, values, unfilled, NULL);
}
