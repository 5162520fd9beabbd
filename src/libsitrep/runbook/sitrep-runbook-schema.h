/* sitrep-runbook-schema.h: the checking helpers the runbook loader's parts share */
#pragma once

#include "sitrep-json-doc.h"
#include "sitrep-runbook-private.h"
#include "sitrep-suggest.h"

G_BEGIN_DECLS

typedef struct
{
  SitrepRunbook *rb;
  SitrepJsonDoc *doc;
  const char *file;
  GPtrArray *problems;
  GHashTable *action_needs; /* action id → GUINT_TO_POINTER (NEEDS_*) */
} SitrepLoader;

enum
{
  NEEDS_TARGET = 1 << 0,
  NEEDS_SELECTOR = 1 << 1,
};

#define AT_VALUE(node) sitrep_json_doc_get_pos (l->doc, (node))
#define AT_KEY(node) sitrep_json_doc_get_key_pos (l->doc, (node))

extern const char *const sitrep_schema_template_placeholders[];
extern const char *const sitrep_schema_channel_placeholders[];
extern const char *const sitrep_schema_action_variables[];

void sitrep_schema_problem (SitrepLoader *l, SitrepJsonPos pos, const char *format, ...) G_GNUC_PRINTF (3, 4);
const char *sitrep_schema_describe_type (JsonNode *node);
JsonObject *sitrep_schema_object (SitrepLoader *l, JsonNode *node, const char *what, const char *const *allowed, const char *const *required);
JsonNode *sitrep_schema_member (JsonObject *object, const char *key);
char *sitrep_schema_string (SitrepLoader *l, JsonObject *object, const char *key);
char *sitrep_schema_text (SitrepLoader *l, JsonObject *object, const char *key);
gboolean sitrep_schema_bool (SitrepLoader *l, JsonObject *object, const char *key, gboolean fallback);
gint64 sitrep_schema_int (SitrepLoader *l, JsonObject *object, const char *key, gint64 min, gint64 max, gint64 fallback);
gint64 sitrep_schema_duration_ms (SitrepLoader *l, JsonObject *object, const char *key, gint64 fallback);
gint64 sitrep_schema_duration_s (SitrepLoader *l, JsonObject *object, const char *key, gint64 fallback);
JsonArray *sitrep_schema_array (SitrepLoader *l, JsonObject *object, const char *key);
JsonNode *sitrep_schema_strv_element (JsonObject *object, const char *key, guint k);
GStrv sitrep_schema_strv (SitrepLoader *l, JsonObject *object, const char *key);
char *sitrep_schema_id (SitrepLoader *l, JsonObject *object, const char *key, GHashTable *seen, const char *what);
GHashTable *sitrep_schema_new_seen (void);
gboolean sitrep_schema_check_ref (SitrepLoader *l, JsonNode *node, const char *id, GPtrArray *targets, const char *what);
guint sitrep_schema_check_placeholders (SitrepLoader *l, JsonNode *node, const char *text, const char *const *known, GStrv inputs, const char *what);
char *sitrep_schema_secret (SitrepLoader *l, JsonObject *object, const char *key);
gboolean sitrep_schema_is_slug (const char *id);
gboolean sitrep_schema_since (SitrepLoader *l, JsonObject *object, const char *key, guint format);
guint sitrep_schema_check_argv (SitrepLoader *l, JsonObject *object, const char *key, GStrv argv, GStrv inputs);

G_END_DECLS
