/* sitrep-json-doc.c: a strict JSON reader that remembers where every value came from
 *
 * json-glib's parser neither bounds nesting depth nor reports duplicate keys, and it only knows
 * the position where a value ends. A runbook error has to point at the key the user wrote, so
 * this reader builds the same JsonNode tree while recording, for every node, where its value and
 * (for an object member) its key start.
 * sitrep-json-doc-reader.c holds the reader itself.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-json-doc-private.h"

G_DEFINE_QUARK (sitrep-json-error-quark, sitrep_json_error)

static void
find_invalid_utf8 (const char    *data,
                   gsize          length,
                   SitrepJsonPos *pos)
{
  const char *end = NULL;
  guint line = 1, column = 1;

  g_utf8_validate_len (data, length, &end);
  /* The byte order mark is skipped by the reader, so it is no column either. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3;
  for (const char *p = data; p < end; p++)
    {
      if (*p == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guchar) *p & 0xC0) != 0x80)
        {
          column++;
        }
    }
  pos->line = line;
  pos->column = column;
}

SitrepJsonDoc *
sitrep_json_doc_parse (const char    *data,
                       gsize          length,
                       guint          max_depth,
                       SitrepJsonPos *error_pos,
                       GError       **error)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  SitrepJsonReader r = { 0 };
  SitrepJsonPos dummy;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (error_pos == NULL)
    error_pos = &dummy;
  *error_pos = (SitrepJsonPos) { 1, 1 };

  if (!g_utf8_validate_len (data, length, NULL))
    {
      find_invalid_utf8 (data, length, error_pos);
      g_set_error (error, SITREP_JSON_ERROR, SITREP_JSON_ERROR_ENCODING,
                   _("invalid UTF-8: save the file as UTF-8"));
      return NULL;
    }

  doc = g_new0 (SitrepJsonDoc, 1);
  doc->data = g_memdup2 (data, length);
  doc->length = length;
  doc->infos = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  r.data = doc->data;
  r.length = length;
  r.line = 1;
  r.column = 1;
  r.max_depth = max_depth > 0 ? max_depth : 64;
  r.doc = doc;

  /* A byte order mark is not JSON, but editors on other systems write one. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r.pos = 3;

  if (!sitrep_json_reader_parse_document (&r, &doc->root))
    goto fail;

  return g_steal_pointer (&doc);

fail:
  *error_pos = r.error_pos;
  g_propagate_error (error, r.error);
  return NULL;
}

void
sitrep_json_doc_free (SitrepJsonDoc *doc)
{
  if (doc == NULL)
    return;
  g_clear_pointer (&doc->root, json_node_unref);
  g_clear_pointer (&doc->infos, g_hash_table_unref);
  g_free (doc->data);
  g_free (doc);
}

JsonNode *
sitrep_json_doc_get_root (SitrepJsonDoc *doc)
{
  return doc->root;
}

SitrepJsonPos
sitrep_json_doc_get_pos (SitrepJsonDoc *doc,
                         JsonNode      *node)
{
  SitrepJsonNodeInfo *info = node ? g_hash_table_lookup (doc->infos, node) : NULL;

  return info ? info->value : (SitrepJsonPos) { 1, 1 };
}

/* Where @node's text starts in the source, in bytes: what an edit of the file in place needs. */
gsize
sitrep_json_doc_get_offset (SitrepJsonDoc *doc,
                            JsonNode      *node)
{
  SitrepJsonNodeInfo *info = node ? g_hash_table_lookup (doc->infos, node) : NULL;

  return info ? info->offset : 0;
}

SitrepJsonPos
sitrep_json_doc_get_key_pos (SitrepJsonDoc *doc,
                             JsonNode      *node)
{
  SitrepJsonNodeInfo *info = node ? g_hash_table_lookup (doc->infos, node) : NULL;

  return info ? info->key : (SitrepJsonPos) { 1, 1 };
}

/* Maps a byte offset in a decoded string value back to its place in the file, so an error
 * inside a template points at the character, escapes and all. */
SitrepJsonPos
sitrep_json_doc_locate_in_string (SitrepJsonDoc *doc,
                                  JsonNode      *node,
                                  gsize          offset)
{
  SitrepJsonNodeInfo *info = node ? g_hash_table_lookup (doc->infos, node) : NULL;
  SitrepJsonReader r = { 0 };
  gsize decoded = 0;

  if (info == NULL || doc->data[info->offset] != '"')
    return sitrep_json_doc_get_pos (doc, node);

  r.data = doc->data;
  r.length = doc->length;
  r.pos = info->offset;
  r.line = info->value.line;
  r.column = info->value.column;
  sitrep_json_reader_advance (&r); /* the opening quote */

  while (r.pos < r.length && decoded < offset && r.data[r.pos] != '"')
    {
      if (r.data[r.pos] == '\\' && r.pos + 1 < r.length)
        {
          gunichar ch = 0;

          sitrep_json_reader_advance (&r);
          if (r.data[r.pos] == 'u')
            {
              sitrep_json_reader_advance (&r);
              sitrep_json_reader_read_hex4 (&r, &ch);
              if (ch >= 0xD800 && ch <= 0xDBFF && r.pos + 1 < r.length && r.data[r.pos] == '\\')
                {
                  gunichar low = 0;

                  sitrep_json_reader_advance (&r);
                  sitrep_json_reader_advance (&r);
                  sitrep_json_reader_read_hex4 (&r, &low);
                  ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
                }
              decoded += g_unichar_to_utf8 (ch, NULL);
            }
          else
            {
              sitrep_json_reader_advance (&r);
              decoded++;
            }
        }
      else
        {
          sitrep_json_reader_advance (&r);
          decoded++;
        }
    }

  g_clear_error (&r.error);
  return sitrep_json_reader_here (&r);
}
