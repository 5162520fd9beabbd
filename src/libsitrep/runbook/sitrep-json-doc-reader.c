/* sitrep-json-doc-reader.c: the character-level reader behind SitrepJsonDoc
 *
 * Reads one JSON value at a time, builds json-glib nodes and records in the document where each
 * value and key starts; bounds nesting depth and refuses duplicate keys (sitrep-json-doc.c owns
 * the document and answers the questions about positions).
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-json-doc-private.h"

static gboolean parse_value (SitrepJsonReader *r, JsonNode **out, SitrepJsonPos key_pos);

static void G_GNUC_PRINTF (3, 4)
reader_fail (SitrepJsonReader *r,
             SitrepJsonError   code,
             const char       *format,
             ...)
{
  va_list args;

  if (r->error != NULL)
    return;

  va_start (args, format);
  r->error = g_error_new_valist (SITREP_JSON_ERROR, code, format, args);
  va_end (args);
  r->error_pos = sitrep_json_reader_here (r);
}

static void
skip_whitespace (SitrepJsonReader *r)
{
  while (r->pos < r->length)
    {
      char c = r->data[r->pos];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        sitrep_json_reader_advance (r);
      else
        break;
    }
}

static const char *
describe_char (SitrepJsonReader *r)
{
  if (r->pos >= r->length)
    return _("the end of the file");
  if (r->data[r->pos] == '/')
    return _("'/' (comments are not allowed in JSON)");
  if (g_ascii_isprint (r->data[r->pos]))
    g_snprintf (r->describe, sizeof r->describe, "'%c'", r->data[r->pos]);
  else
    /* Translators: an unexpected byte in a file, "byte 0x1b" */
    g_snprintf (r->describe, sizeof r->describe, _("byte 0x%02x"), (guchar) r->data[r->pos]);
  return r->describe;
}

static void
record (SitrepJsonReader *r,
        JsonNode         *node,
        SitrepJsonPos     value_pos,
        SitrepJsonPos     key_pos,
        gsize             offset)
{
  SitrepJsonNodeInfo *info = g_new (SitrepJsonNodeInfo, 1);

  info->value = value_pos;
  info->key = key_pos;
  info->offset = offset;
  g_hash_table_insert (r->doc->infos, node, info);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean
sitrep_json_reader_read_hex4 (SitrepJsonReader *r,
                              gunichar         *out)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int h = r->pos < r->length ? hex_value (r->data[r->pos]) : -1;

      if (h < 0)
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                       _("a \\u escape needs four hexadecimal digits"));
          return FALSE;
        }
      value = value * 16 + (gunichar) h;
      sitrep_json_reader_advance (r);
    }
  *out = value;
  return TRUE;
}

/* Reads a string starting at its opening quote. */
static char *
parse_string (SitrepJsonReader *r)
{
  GString *str = g_string_new (NULL);
  SitrepJsonPos escape_pos = { 0, 0 };
  SitrepJsonPos escape_at = { 0, 0 };

  sitrep_json_reader_advance (r); /* the opening quote */

  while (TRUE)
    {
      char c;

      if (r->pos >= r->length)
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                       _("the file ends inside a string: a closing '\"' is missing"));
          goto fail;
        }

      c = r->data[r->pos];
      if (c == '"')
        {
          sitrep_json_reader_advance (r);
          break;
        }
      if ((guchar) c < 0x20)
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                       _("a line break or control character inside a string: write it as \\n or \\uXXXX"));
          goto fail;
        }
      if (c != '\\')
        {
          g_string_append_c (str, c);
          sitrep_json_reader_advance (r);
          continue;
        }

      escape_pos = sitrep_json_reader_here (r);
      sitrep_json_reader_advance (r); /* the backslash */
      if (r->pos >= r->length)
        continue;

      c = r->data[r->pos];
      switch (c)
        {
        case '"':
        case '\\':
        case '/':
          g_string_append_c (str, c);
          sitrep_json_reader_advance (r);
          break;
        case 'b':
          g_string_append_c (str, '\b');
          sitrep_json_reader_advance (r);
          break;
        case 'f':
          g_string_append_c (str, '\f');
          sitrep_json_reader_advance (r);
          break;
        case 'n':
          g_string_append_c (str, '\n');
          sitrep_json_reader_advance (r);
          break;
        case 'r':
          g_string_append_c (str, '\r');
          sitrep_json_reader_advance (r);
          break;
        case 't':
          g_string_append_c (str, '\t');
          sitrep_json_reader_advance (r);
          break;
        case 'u':
          {
            gunichar ch;

            sitrep_json_reader_advance (r);
            if (!sitrep_json_reader_read_hex4 (r, &ch))
              goto fail;

            if (ch >= 0xD800 && ch <= 0xDBFF)
              {
                gunichar low;

                if (r->pos + 1 < r->length && r->data[r->pos] == '\\' && r->data[r->pos + 1] == 'u')
                  {
                    sitrep_json_reader_advance (r);
                    sitrep_json_reader_advance (r);
                    if (!sitrep_json_reader_read_hex4 (r, &low))
                      goto fail;
                  }
                else
                  {
                    low = 0;
                  }
                if (low < 0xDC00 || low > 0xDFFF)
                  {
                    escape_at = escape_pos;
                    reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                                 _("a \\u surrogate pair is incomplete"));
                    goto fail;
                  }
                ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (ch >= 0xDC00 && ch <= 0xDFFF)
              {
                escape_at = escape_pos;
                reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                             _("a \\u escape is a lone low surrogate"));
                goto fail;
              }
            else if (ch == 0)
              {
                escape_at = escape_pos;
                reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                             _("\\u0000 is not allowed in a runbook string"));
                goto fail;
              }
            g_string_append_unichar (str, ch);
          }
          break;
        default:
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                       _("unknown escape '\\%c' in a string"), g_ascii_isprint (c) ? c : '?');
          goto fail;
        }
    }

  return g_string_free (str, FALSE);

fail:
  /* A bad \u escape is reported where it starts, at its backslash. */
  if (escape_at.line > 0)
    r->error_pos = escape_at;
  g_string_free (str, TRUE);
  return NULL;
}

static gboolean
parse_number (SitrepJsonReader *r,
              JsonNode        **out)
{
  gsize start = r->pos;
  gboolean is_float = FALSE;
  g_autofree char *text = NULL;

  if (r->data[r->pos] == '-')
    sitrep_json_reader_advance (r);

  if (r->pos >= r->length || !g_ascii_isdigit (r->data[r->pos]))
    {
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX, _("a number needs digits after '-'"));
      return FALSE;
    }
  if (r->data[r->pos] == '0' && r->pos + 1 < r->length && g_ascii_isdigit (r->data[r->pos + 1]))
    {
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX, _("a number cannot start with 0"));
      return FALSE;
    }
  while (r->pos < r->length && g_ascii_isdigit (r->data[r->pos]))
    sitrep_json_reader_advance (r);

  if (r->pos < r->length && r->data[r->pos] == '.')
    {
      is_float = TRUE;
      sitrep_json_reader_advance (r);
      if (r->pos >= r->length || !g_ascii_isdigit (r->data[r->pos]))
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX, _("a number needs digits after '.'"));
          return FALSE;
        }
      while (r->pos < r->length && g_ascii_isdigit (r->data[r->pos]))
        sitrep_json_reader_advance (r);
    }
  if (r->pos < r->length && (r->data[r->pos] == 'e' || r->data[r->pos] == 'E'))
    {
      is_float = TRUE;
      sitrep_json_reader_advance (r);
      if (r->pos < r->length && (r->data[r->pos] == '+' || r->data[r->pos] == '-'))
        sitrep_json_reader_advance (r);
      if (r->pos >= r->length || !g_ascii_isdigit (r->data[r->pos]))
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX, _("a number needs digits in its exponent"));
          return FALSE;
        }
      while (r->pos < r->length && g_ascii_isdigit (r->data[r->pos]))
        sitrep_json_reader_advance (r);
    }

  text = g_strndup (r->data + start, r->pos - start);
  *out = json_node_new (JSON_NODE_VALUE);

  if (!is_float)
    {
      gint64 value;

      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          json_node_set_int (*out, value);
          return TRUE;
        }
    }
  json_node_set_double (*out, g_ascii_strtod (text, NULL));
  return TRUE;
}

static gboolean
parse_literal (SitrepJsonReader *r,
               const char       *word,
               JsonNode        **out)
{
  gsize len = strlen (word);

  if (r->length - r->pos < len || memcmp (r->data + r->pos, word, len) != 0)
    {
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                   _("unexpected %s: expected a value (a string in double quotes, a number, "
                   "true, false, null, an object or an array)"),
                   describe_char (r));
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    sitrep_json_reader_advance (r);

  if (word[0] == 'n')
    {
      *out = json_node_new (JSON_NODE_NULL);
    }
  else
    {
      *out = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (*out, word[0] == 't');
    }
  return TRUE;
}

static gboolean
enter (SitrepJsonReader *r)
{
  if (++r->depth > r->max_depth)
    {
      reader_fail (r, SITREP_JSON_ERROR_TOO_DEEP,
                   _("nesting is deeper than %u levels"), r->max_depth);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_object (SitrepJsonReader *r,
              JsonNode        **out)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GHashTable) key_positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!enter (r))
    return FALSE;

  sitrep_json_reader_advance (r); /* { */
  skip_whitespace (r);

  if (r->pos < r->length && r->data[r->pos] == '}')
    {
      sitrep_json_reader_advance (r);
      goto done;
    }

  while (TRUE)
    {
      g_autofree char *key = NULL;
      SitrepJsonPos key_pos;
      JsonNode *value = NULL;
      SitrepJsonPos *first;

      skip_whitespace (r);
      if (r->pos >= r->length || r->data[r->pos] != '"')
        {
          if (r->pos < r->length && r->data[r->pos] == '}')
            reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                         _("a trailing comma before '}': remove the last ','"));
          else
            reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                         _("expected a member name in double quotes, found %s"), describe_char (r));
          return FALSE;
        }

      key_pos = sitrep_json_reader_here (r);
      key = parse_string (r);
      if (key == NULL)
        return FALSE;

      first = g_hash_table_lookup (key_positions, key);
      if (first != NULL)
        {
          r->error = g_error_new (SITREP_JSON_ERROR, SITREP_JSON_ERROR_DUPLICATE_KEY,
                                  _("duplicate key \"%s\" (first at line %u, column %u): keep one"),
                                  key, first->line, first->column);
          r->error_pos = key_pos;
          return FALSE;
        }
      g_hash_table_insert (key_positions, g_strdup (key), g_memdup2 (&key_pos, sizeof key_pos));

      skip_whitespace (r);
      if (r->pos >= r->length || r->data[r->pos] != ':')
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                       _("expected ':' after \"%s\", found %s"), key, describe_char (r));
          return FALSE;
        }
      sitrep_json_reader_advance (r);
      skip_whitespace (r);

      if (!parse_value (r, &value, key_pos))
        return FALSE;
      json_object_set_member (object, key, value);

      skip_whitespace (r);
      if (r->pos < r->length && r->data[r->pos] == ',')
        {
          sitrep_json_reader_advance (r);
          continue;
        }
      if (r->pos < r->length && r->data[r->pos] == '}')
        {
          sitrep_json_reader_advance (r);
          break;
        }
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                   _("expected ',' or '}' after the value of \"%s\", found %s"), key, describe_char (r));
      return FALSE;
    }

done:
  r->depth--;
  *out = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (*out, object);
  return TRUE;
}

static gboolean
parse_array (SitrepJsonReader *r,
             JsonNode        **out)
{
  g_autoptr(JsonArray) array = json_array_new ();

  if (!enter (r))
    return FALSE;

  sitrep_json_reader_advance (r); /* [ */
  skip_whitespace (r);

  if (r->pos < r->length && r->data[r->pos] == ']')
    {
      sitrep_json_reader_advance (r);
      goto done;
    }

  while (TRUE)
    {
      JsonNode *value = NULL;

      skip_whitespace (r);
      if (r->pos < r->length && r->data[r->pos] == ']')
        {
          reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                       _("a trailing comma before ']': remove the last ','"));
          return FALSE;
        }
      if (!parse_value (r, &value, sitrep_json_reader_here (r)))
        return FALSE;
      json_array_add_element (array, value);

      skip_whitespace (r);
      if (r->pos < r->length && r->data[r->pos] == ',')
        {
          sitrep_json_reader_advance (r);
          continue;
        }
      if (r->pos < r->length && r->data[r->pos] == ']')
        {
          sitrep_json_reader_advance (r);
          break;
        }
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                   _("expected ',' or ']' in a list, found %s"), describe_char (r));
      return FALSE;
    }

done:
  r->depth--;
  *out = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (*out, array);
  return TRUE;
}

static gboolean
parse_value (SitrepJsonReader *r,
             JsonNode        **out,
             SitrepJsonPos     key_pos)
{
  SitrepJsonPos value_pos = sitrep_json_reader_here (r);
  gsize offset = r->pos;
  gboolean ok;

  *out = NULL;
  if (r->pos >= r->length)
    {
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX, _("the file ends where a value was expected"));
      return FALSE;
    }

  switch (r->data[r->pos])
    {
    case '{':
      ok = parse_object (r, out);
      break;
    case '[':
      ok = parse_array (r, out);
      break;
    case '"':
      {
        char *str = parse_string (r);

        ok = str != NULL;
        if (ok)
          {
            *out = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (*out, str);
            g_free (str);
          }
      }
      break;
    case '-':
    case '0' ... '9':
      ok = parse_number (r, out);
      break;
    case 't':
      ok = parse_literal (r, "true", out);
      break;
    case 'f':
      ok = parse_literal (r, "false", out);
      break;
    case 'n':
      ok = parse_literal (r, "null", out);
      break;
    default:
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                   _("unexpected %s: expected a value (a string in double quotes, a number, "
                   "true, false, null, an object or an array)"),
                   describe_char (r));
      ok = FALSE;
      break;
    }

  if (ok)
    record (r, *out, value_pos, key_pos, offset);
  return ok;
}

/* Reads the whole document from the reader's position: one value, then only white space. */
gboolean
sitrep_json_reader_parse_document (SitrepJsonReader *r,
                                   JsonNode        **root)
{
  skip_whitespace (r);
  if (r->pos >= r->length)
    {
      reader_fail (r, SITREP_JSON_ERROR_EMPTY,
                   _("the file is empty: a runbook is a JSON object"));
      return FALSE;
    }

  if (!parse_value (r, root, sitrep_json_reader_here (r)))
    return FALSE;

  skip_whitespace (r);
  if (r->pos < r->length)
    {
      reader_fail (r, SITREP_JSON_ERROR_SYNTAX,
                   _("unexpected %s after the end of the document"), describe_char (r));
      return FALSE;
    }

  return TRUE;
}
