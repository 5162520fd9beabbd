/* sitrep-json-doc-private.h: what sitrep-json-doc.c and its reader share */
#pragma once

#include "sitrep-json-doc.h"

G_BEGIN_DECLS

typedef struct
{
  SitrepJsonPos value;
  SitrepJsonPos key;
  gsize offset; /* byte offset of the value in the source */
} SitrepJsonNodeInfo;

struct _SitrepJsonDoc
{
  char *data;
  gsize length;
  JsonNode *root;
  GHashTable *infos; /* JsonNode* → SitrepJsonNodeInfo* */
};

typedef struct
{
  const char *data;
  gsize length;
  gsize pos;
  guint line;
  guint column;
  guint depth;
  guint max_depth;
  SitrepJsonDoc *doc;
  GError *error;
  SitrepJsonPos error_pos;
  char describe[64]; /* per reader: loads run in threads */
} SitrepJsonReader;

/* Called for every character: inline in both files. */
static inline SitrepJsonPos
sitrep_json_reader_here (SitrepJsonReader *r)
{
  return (SitrepJsonPos) { r->line, r->column };
}

static inline void
sitrep_json_reader_advance (SitrepJsonReader *r)
{
  guchar c = (guchar) r->data[r->pos];

  r->pos++;
  if (c == '\n')
    {
      r->line++;
      r->column = 1;
    }
  else if ((c & 0xC0) != 0x80)
    {
      r->column++;
    }
}

gboolean sitrep_json_reader_read_hex4      (SitrepJsonReader *r,
                                            gunichar         *out);
gboolean sitrep_json_reader_parse_document (SitrepJsonReader *r,
                                            JsonNode        **root);

G_END_DECLS
