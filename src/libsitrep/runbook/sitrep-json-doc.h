/* sitrep-json-doc.h: a strict JSON reader that remembers where every value came from */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SITREP_JSON_ERROR (sitrep_json_error_quark ())

typedef enum
{
  SITREP_JSON_ERROR_EMPTY,
  SITREP_JSON_ERROR_ENCODING,
  SITREP_JSON_ERROR_SYNTAX,
  SITREP_JSON_ERROR_TOO_DEEP,
  SITREP_JSON_ERROR_DUPLICATE_KEY,
} SitrepJsonError;

/* Lines and columns count from 1; columns count characters, not bytes. */
typedef struct
{
  guint line;
  guint column;
} SitrepJsonPos;

typedef struct _SitrepJsonDoc SitrepJsonDoc;

GQuark         sitrep_json_error_quark         (void);

SitrepJsonDoc *sitrep_json_doc_parse           (const char    *data,
                                                gsize          length,
                                                guint          max_depth,
                                                SitrepJsonPos *error_pos,
                                                GError       **error);
void           sitrep_json_doc_free            (SitrepJsonDoc *doc);
JsonNode      *sitrep_json_doc_get_root        (SitrepJsonDoc *doc);
SitrepJsonPos  sitrep_json_doc_get_pos         (SitrepJsonDoc *doc,
                                                JsonNode      *node);
SitrepJsonPos  sitrep_json_doc_get_key_pos     (SitrepJsonDoc *doc,
                                                JsonNode      *node);
gsize          sitrep_json_doc_get_offset      (SitrepJsonDoc *doc,
                                                JsonNode      *node);
SitrepJsonPos  sitrep_json_doc_locate_in_string (SitrepJsonDoc *doc,
                                                 JsonNode      *node,
                                                 gsize          offset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepJsonDoc, sitrep_json_doc_free)

G_END_DECLS
