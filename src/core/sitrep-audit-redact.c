/* sitrep-audit-redact.c: what the audit log removes from a command line, its inputs and output */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-audit-redact.h"
#include "sitrep-store.h"

#define REDACTED "[redacted]"

/* Redaction: Sitrep never knows the runbook's secret values here, so it removes what has the
 * shape of a credential. Every replacement keeps the name and drops the value. */

/* A word that names a credential, inside an option, a key or a variable name. */
#define SECRET_WORD "(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"

static const struct
{
  const char *pattern;
  const char *replacement;
} rules[] = {
  /* A PEM private key, whole. */
  { "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
    REDACTED },
  /* Authorization: Bearer …, Basic …, Token … (the bare-Bearer rule covers the rest). */
  { "(authorization\\s*:\\s*(?:basic|token|digest)\\s+)[^\\s\"',;]+", "\\1" REDACTED },
  { "(\\bbearer\\s+)[A-Za-z0-9._~+/=-]+", "\\1" REDACTED },
  /* scheme://user:password@host */
  { "(://[^/\\s:@]*:)[^@\\s/]+@", "\\1" REDACTED "@" },
  /* --token=…, --password=…, password=… in a conninfo or a query string, PGPASSWORD=… */
  { "((?:--?)?[A-Za-z0-9_.-]*" SECRET_WORD "[A-Za-z0-9_.-]*\\s*=\\s*)"
    "('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s&;,'\"]+)", "\\1" REDACTED },
  /* "password": "…" in JSON output */
  { "(\"[A-Za-z0-9_.-]*" SECRET_WORD "[A-Za-z0-9_.-]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
    "\\1\"" REDACTED "\"" },
  /* --token VALUE written out in a command line that was echoed */
  { "(--?[A-Za-z0-9_-]*" SECRET_WORD "[A-Za-z0-9_-]*[ \\t]+)(?!-)[^\\s]+", "\\1" REDACTED },
};

static GRegex *
compile (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);

  g_assert_no_error (error);
  return regex;
}

static GRegex **
get_rules (void)
{
  static GRegex **compiled = NULL;

  if (g_once_init_enter (&compiled))
    {
      GRegex **regexes = g_new0 (GRegex *, G_N_ELEMENTS (rules));

      for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
        regexes[i] = compile (rules[i].pattern);
      g_once_init_leave (&compiled, regexes);
    }
  return compiled;
}

/* An argument that is only a credential option: the next argument is its value. */
static gboolean
is_secret_option (const char *arg)
{
  static GRegex *option = NULL;

  if (g_once_init_enter (&option))
    g_once_init_leave (&option, compile ("^--?[A-Za-z0-9_-]*" SECRET_WORD "[A-Za-z0-9_-]*$"));
  return g_regex_match (option, arg, 0, NULL);
}

static gboolean
is_secret_name (const char *name)
{
  static GRegex *word = NULL;

  if (g_once_init_enter (&word))
    g_once_init_leave (&word, compile (SECRET_WORD "|credential|authorization|passphrase"));
  return g_regex_match (word, name, 0, NULL);
}

/**
 * sitrep_audit_redact:
 * @text: (nullable): any text; invalid UTF-8 is replaced first
 *
 * Returns: @text with the values of anything shaped like a credential replaced by "[redacted]".
 */
char *
sitrep_audit_redact (const char *text)
{
  GRegex **regexes = get_rules ();
  g_autofree char *result = g_utf8_make_valid (text ? text : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(GError) error = NULL;
      char *next = g_regex_replace (regexes[i], result, -1, 0, rules[i].replacement, 0, &error);

      /* Only a pathological input can exhaust PCRE's limits: then drop it all rather than
       * keep a secret. */
      if (next == NULL)
        return g_strdup (REDACTED);
      g_free (result);
      result = next;
    }
  return g_steal_pointer (&result);
}

/* Returns: @argv redacted, and the argument after a credential option replaced whole. */
GStrv
sitrep_audit_redact_argv (const char *const *argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *program = NULL;
  gboolean value_next = FALSE;

  if (argv != NULL && argv[0] != NULL)
    program = g_path_get_basename (argv[0]);
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (argv[i], -1);
      g_autofree char *redacted = NULL;

      if (value_next)
        {
          g_strv_builder_add (builder, REDACTED);
          value_next = FALSE;
          continue;
        }
      redacted = sitrep_audit_redact (valid);
      g_strv_builder_add (builder, redacted);
      value_next = is_secret_option (valid)
                   || (g_strcmp0 (program, "redis-cli") == 0
                       && (g_str_equal (valid, "-a") || g_str_equal (valid, "--pass")));
    }
  return g_strv_builder_end (builder);
}

static JsonNode *
redact_node (JsonNode   *node,
             const char *name)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *result = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (object);

      /* In the caller's order, which json_object_iter_next () does not keep. */
      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (result, l->data,
                                redact_node (json_object_get_member (object, l->data), l->data));
      copy = json_node_init_object (json_node_alloc (), result);
      json_object_unref (result);
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *result = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (result, redact_node (json_array_get_element (array, i), name));
      copy = json_node_init_array (json_node_alloc (), result);
      json_array_unref (result);
      return copy;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return json_node_copy (node);
  if (name != NULL && is_secret_name (name))
    return json_node_init_string (json_node_alloc (), REDACTED);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *text = sitrep_audit_redact (json_node_get_string (node));

      return json_node_init_string (json_node_alloc (), text);
    }
  return json_node_copy (node);
}

/* Returns: the JSON object @inputs (NULL is "{}") with its credentials redacted, or NULL
 *   with @error set when it is not one. */
char *
sitrep_audit_redact_inputs (const char *inputs,
                            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) redacted = NULL;
  g_autofree char *valid = g_utf8_make_valid (inputs ? inputs : "{}", -1);

  if (!json_parser_load_from_data (parser, valid, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("The inputs of an audit entry must be a JSON object: nothing was recorded."));
      return NULL;
    }
  redacted = redact_node (json_parser_get_root (parser), NULL);
  json_generator_set_root (generator, redacted);
  return json_generator_to_data (generator, NULL);
}

static int
compare_keys (const void *a,
              const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * sitrep_audit_inputs_to_json:
 * @inputs: (nullable) (element-type utf8 utf8): input names and values
 *
 * Returns: the JSON object an entry's inputs column holds, keys sorted.
 */
char *
sitrep_audit_inputs_to_json (GHashTable *inputs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree const char **keys = NULL;
  guint n = 0;

  if (inputs != NULL)
    keys = (const char **) g_hash_table_get_keys_as_array (inputs, &n);
  if (keys != NULL)
    qsort (keys, n, sizeof (char *), compare_keys);
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, g_hash_table_lookup (inputs, keys[i]));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
