/* sitrep-audit-redact.c: what Sitrep removes from command lines and output before anyone sees it
 *
 * Every command line and every line of output passes through here before it reaches the
 * database (audit log, timeline), the screen or the clipboard. Two kinds of redaction:
 *
 *  - by shape, knowing no secret: options, headers, URLs, keys and tokens that look like
 *    credentials keep their name and lose their value;
 *  - by value: a SitrepRedactor also knows the secrets a run was handed (secret inputs, keyring
 *    entries) and removes each wherever it appears, whatever surrounds it.
 *
 * Text is redacted line by line. A PEM private key spans lines; the line form keeps the state
 * ("inside a key") in the caller's hands, so streamed output redacts the same as whole text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sitrep-audit-redact.h"

#define REDACTED SITREP_REDACTED

/* A word that names a credential, inside an option, a key or a variable name. */
#define SECRET_WORD                                                                         \
  "(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key" \
  "|client[_-]?key|certificate[_-]?data|credential|signature)"

typedef struct
{
  const char *pattern;
  const char *replacement;
  gboolean caseless;
} Rule;

/* In order: tokens with a shape of their own first, then names that announce a value. Every
 * pattern starts at a literal or at the start of a word, and every name is bounded, so a
 * 64 KiB line costs linear time whatever it holds. */
static const Rule rules[] = {
  /* A private key that starts, and ends or is cut off, on this line. */
  { "-----BEGIN [A-Z0-9 ]{0,24}PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]{0,24}PRIVATE KEY-----|$)",
    REDACTED, FALSE },
  /* A JSON Web Token: header.payload.signature, the header always "{"… in base64url. */
  { "\\beyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{8,16384}\\.[A-Za-z0-9_-]*", REDACTED, FALSE },
  /* AWS access key ids. */
  { "\\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\\b", REDACTED, FALSE },
  /* GitHub, GitLab, Stripe and Slack tokens. */
  { "\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})", REDACTED, FALSE },
  { "\\bglpat-[A-Za-z0-9_-]{20,}", REDACTED, FALSE },
  { "\\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}", REDACTED, FALSE },
  { "\\bxox[abposr]-[A-Za-z0-9-]{10,}", REDACTED, FALSE },
  { "(hooks\\.slack\\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+", "\\1" REDACTED,
    TRUE },
  /* Authorization: Bearer …, Proxy-Authorization: Basic …, Token …; then a bearer anywhere. */
  { "(\\b(?:proxy-)?authorization\\s*[:=]\\s*"
    "(?:(?:basic|bearer|token|digest|negotiate|ntlm|aws4-hmac-sha256)\\s+)?)[^\\s\"',;]+",
    "\\1" REDACTED, TRUE },
  { "(\\bbearer\\s+)(?!\\[redacted\\])[A-Za-z0-9._~+/=-]{8,}", "\\1" REDACTED, TRUE },
  /* scheme://user:password@host, including redis://:password@host */
  { "(\\b[a-z][a-z0-9+.-]{0,30}://[^/\\s:@]{0,256}:)[^@\\s/]{1,1024}@", "\\1" REDACTED "@", TRUE },
  /* ?token=…&sig=… in a URL */
  { "([?&;](?:[a-z0-9_.-]{0,40}[_.-])?"
    "(?:token|key|secret|password|passwd|pwd|signature|sig|apikey|credential)=)[^&\\s#\"']+",
    "\\1" REDACTED, TRUE },
  /* --token=…, password=… in a conninfo, PGPASSWORD=…, aws_secret_access_key = … */
  { "(?<![a-z0-9_.-])((?:--?)?[a-z0-9_.-]{0,40}" SECRET_WORD "[a-z0-9_.-]{0,40}\\s{0,8}=\\s{0,8})"
    "(?!\\[redacted\\])('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s&;,'\"]+)",
    "\\1" REDACTED, TRUE },
  /* "password": "…" in JSON */
  { "(\"[^\"\\\\]{0,80}(?:" SECRET_WORD "|authorization|[._-]key\\b)[^\"\\\\]{0,80}\"\\s{0,8}:\\s{0,8})"
    "\"(?:[^\"\\\\]|\\\\.)*\"",
    "\\1\"" REDACTED "\"", TRUE },
  /* password: … in YAML, X-Api-Key: … in a header, tls.key: … in a Secret. Not the plural
   * names of kubectl describe ("Mountable secrets: default-token-x"), nor its "16 bytes". */
  { "((?:^|[\\s\"'=,{;(])[a-z0-9_.-]{0,40}(?:" SECRET_WORD "(?!s\\b)|[._-]key\\b)[a-z0-9_.-]{0,40}"
    "\\s{0,8}:[ \\t]+)(?!\\d+ bytes\\s*$)(?!\\[redacted\\])\\S.*$",
    "\\1" REDACTED, TRUE },
  /* --token VALUE in a command line that was echoed */
  { "(?<![a-z0-9_.-])(--?[a-z0-9_-]{0,40}" SECRET_WORD "[a-z0-9_-]{0,40}[ \\t]+)(?!-)(?!\\[redacted\\])\\S+",
    "\\1" REDACTED, TRUE },
};

static GRegex *
compile (const char *pattern,
         gboolean    caseless)
{
  g_autoptr(GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE | (caseless ? G_REGEX_CASELESS : 0), 0,
                               &error);

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
        regexes[i] = compile (rules[i].pattern, rules[i].caseless);
      g_once_init_leave (&compiled, regexes);
    }
  return compiled;
}

typedef enum
{
  PEM_BEGIN,
  PEM_END,
  PEM_BODY,
  SECRET_OPTION,
  SECRET_NAME,
  N_PATTERNS
} Pattern;

static const char *const patterns[N_PATTERNS] = {
  [PEM_BEGIN] = "-----BEGIN [A-Z0-9 ]{0,24}PRIVATE KEY-----",
  [PEM_END] = "-----END [A-Z0-9 ]{0,24}PRIVATE KEY-----",
  /* Base64 lines, and the headers of an encrypted key ("Proc-Type: 4,ENCRYPTED"). */
  [PEM_BODY] = "^\\s*(?:[A-Za-z0-9+/=]*|[A-Z][A-Za-z]*-[A-Za-z-]+:.*)\\s*$",
  /* An argument that is only a credential option: the next argument is its value. */
  [SECRET_OPTION] = "^--?[a-z0-9_-]{0,40}" SECRET_WORD "[a-z0-9_-]{0,40}$",
  [SECRET_NAME] = SECRET_WORD "|authorization|(?:^|[_.-])sig$",
};

static GRegex *
get_pattern (Pattern which)
{
  static GRegex *compiled[N_PATTERNS];

  if (g_once_init_enter (&compiled[which]))
    g_once_init_leave (&compiled[which], compile (patterns[which], which >= SECRET_OPTION));
  return compiled[which];
}

/* One line, by shape. NULL when PCRE gave up on a pathological input: then the caller drops
 * the whole line rather than keep a secret. */
static char *
redact_shapes (const char *line)
{
  GRegex **regexes = get_rules ();
  g_autofree char *result = g_strdup (line);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      char *next = g_regex_replace (regexes[i], result, -1, 0, rules[i].replacement, 0, NULL);

      if (next == NULL)
        return NULL;
      g_free (result);
      result = next;
    }
  return g_steal_pointer (&result);
}

struct _SitrepRedactor
{
  GPtrArray *secrets; /* char *, longest first */
};

SitrepRedactor *
sitrep_redactor_new (void)
{
  SitrepRedactor *self = g_atomic_rc_box_new0 (SitrepRedactor);

  self->secrets = g_ptr_array_new ();
  return self;
}

SitrepRedactor *
sitrep_redactor_ref (SitrepRedactor *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
wipe (gpointer data)
{
  char *secret = data;

  memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
redactor_clear (SitrepRedactor *self)
{
  g_ptr_array_set_free_func (self->secrets, wipe);
  g_ptr_array_unref (self->secrets);
}

void
sitrep_redactor_unref (SitrepRedactor *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) redactor_clear);
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char *const *) a), lb = strlen (*(const char *const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/**
 * sitrep_redactor_add_secret:
 * @value: (nullable): a secret's exact value; empty values are ignored
 *
 * From now on @value is removed wherever it appears in what @self redacts.
 */
void
sitrep_redactor_add_secret (SitrepRedactor *self,
                            const char     *value)
{
  g_return_if_fail (self != NULL);

  if (value == NULL || *value == '\0')
    return;
  for (guint i = 0; i < self->secrets->len; i++)
    if (g_str_equal (self->secrets->pdata[i], value))
      return;
  g_ptr_array_add (self->secrets, g_strdup (value));
  g_ptr_array_sort (self->secrets, longest_first);
}

guint
sitrep_redactor_get_n_secrets (SitrepRedactor *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->secrets->len;
}

static char *
redact_values (SitrepRedactor *self,
               const char     *text)
{
  g_autoptr(GString) out = g_string_new (text);

  for (guint i = 0; self != NULL && i < self->secrets->len; i++)
    g_string_replace (out, self->secrets->pdata[i], REDACTED, 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * sitrep_redactor_redact_line:
 * @self: (nullable): a redactor, or NULL to redact by shape only
 * @line: one line, without its newline
 * @in_private_key: (inout): whether an earlier line opened a private key that has not ended;
 *   FALSE before the first line
 *
 * Returns: (nullable): @line redacted, or NULL when the whole line belongs to a private key
 *   and is dropped
 */
char *
sitrep_redactor_redact_line (SitrepRedactor *self,
                             const char     *line,
                             gboolean       *in_private_key)
{
  g_autofree char *valid = g_utf8_make_valid (line ? line : "", -1);
  g_autofree char *text = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  char *result;

  g_return_val_if_fail (in_private_key != NULL, NULL);

  if (*in_private_key)
    {
      int end;

      if (g_regex_match (get_pattern (PEM_END), valid, 0, &match))
        {
          *in_private_key = FALSE;
          g_match_info_fetch_pos (match, 0, NULL, &end);
          if (valid[end] == '\0')
            return NULL;
          return sitrep_redactor_redact_line (self, valid + end, in_private_key);
        }
      if (g_regex_match (get_pattern (PEM_BODY), valid, 0, NULL))
        return NULL;
      /* Not a key's line: the key was cut short. What follows is ordinary output again. */
      *in_private_key = FALSE;
    }

  text = redact_values (self, valid);
  g_clear_pointer (&match, g_match_info_unref);
  if (g_regex_match (get_pattern (PEM_BEGIN), text, 0, &match))
    {
      int begin;

      g_match_info_fetch_pos (match, 0, &begin, NULL);
      if (!g_regex_match (get_pattern (PEM_END), text + begin, 0, NULL))
        {
          g_autofree char *before = g_strndup (text, begin);
          g_autofree char *redacted = redact_shapes (before);

          *in_private_key = TRUE;
          return g_strconcat (redacted ? redacted : "", REDACTED, NULL);
        }
    }
  result = redact_shapes (text);
  return result != NULL ? result : g_strdup (REDACTED);
}

/**
 * sitrep_redactor_redact:
 * @self: (nullable): a redactor, or NULL to redact by shape only
 * @text: (nullable): any text, of any number of lines; invalid UTF-8 is replaced first
 *
 * Returns: @text with every secret @self knows, and the values of anything shaped like a
 *   credential, replaced by "[redacted]"; the lines of a private key are dropped.
 */
char *
sitrep_redactor_redact (SitrepRedactor *self,
                        const char     *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean in_key = FALSE;
  gboolean first = TRUE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = sitrep_redactor_redact_line (self, lines[i], &in_key);

      if (line == NULL)
        continue;
      if (!first)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
      first = FALSE;
    }
  /* A text that ended in a newline still does, even when its last lines were a key. */
  if (!first && g_str_has_suffix (text ? text : "", "\n") && !g_str_has_suffix (out->str, "\n"))
    g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_secret_option (const char *arg)
{
  return g_regex_match (get_pattern (SECRET_OPTION), arg, 0, NULL);
}

/**
 * sitrep_redactor_redact_argv:
 * @self: (nullable): a redactor, or NULL to redact by shape only
 *
 * Returns: @argv with each argument redacted, and the argument after a credential option
 *   (`--token VALUE`, `redis-cli -a VALUE`) replaced whole; `curl -u user:password` keeps the
 *   user.
 */
GStrv
sitrep_redactor_redact_argv (SitrepRedactor    *self,
                             const char *const *argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *program = NULL;
  gboolean value_next = FALSE, user_next = FALSE;

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
      redacted = sitrep_redactor_redact (self, valid);
      if (user_next)
        {
          char *colon = strchr (redacted, ':');

          if (colon != NULL)
            {
              char *user = g_strndup (redacted, colon - redacted);

              g_free (redacted);
              redacted = g_strconcat (user, ":" REDACTED, NULL);
              g_free (user);
            }
          user_next = FALSE;
        }
      g_strv_builder_add (builder, redacted);
      value_next = is_secret_option (valid)
                   || (g_strcmp0 (program, "redis-cli") == 0
                       && (g_str_equal (valid, "-a") || g_str_equal (valid, "--pass")));
      user_next = g_strcmp0 (program, "curl") == 0
                  && (g_str_equal (valid, "-u") || g_str_equal (valid, "--user")
                      || g_str_equal (valid, "-U") || g_str_equal (valid, "--proxy-user"));
    }
  return g_strv_builder_end (builder);
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
  return sitrep_redactor_redact (NULL, text);
}

/* Returns: @argv redacted by shape, and the argument after a credential option replaced whole. */
GStrv
sitrep_audit_redact_argv (const char *const *argv)
{
  return sitrep_redactor_redact_argv (NULL, argv);
}

static gboolean
is_secret_name (const char *name)
{
  return g_regex_match (get_pattern (SECRET_NAME), name, 0, NULL);
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
 *   when it is not one. */
char *
sitrep_audit_redact_inputs (const char *inputs)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) redacted = NULL;
  g_autofree char *valid = g_utf8_make_valid (inputs ? inputs : "{}", -1);

  if (!json_parser_load_from_data (parser, valid, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
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
