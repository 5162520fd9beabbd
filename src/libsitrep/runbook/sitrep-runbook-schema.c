/* sitrep-runbook-schema.c: typed getters and checks that report where a runbook is wrong */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-argv.h"
#include "sitrep-runbook-schema.h"
#include "sitrep-secrets.h"
#include "sitrep-template.h"

const char *const sitrep_schema_template_placeholders[] = {
  "severity", "severity_label", "summary", "impact", "status", "lead", "service", "root_cause",
  "action", "eta", "next_update", "start_time", "end_time", "duration", "fix", "follow_up",
  "channel", "title", "date", "timeline", "action_items", "lessons", "resolution", NULL
};
const char *const sitrep_schema_channel_placeholders[] = { "date", "slug", NULL };
const char *const sitrep_schema_action_variables[] = {
  "target", "selector", "namespace", "context", "service", NULL
};

void
sitrep_schema_problem (SitrepLoader       *l,
                       SitrepJsonPos pos,
                       const char   *format,
                       ...)
{
  SitrepRunbookProblem *problem = g_new0 (SitrepRunbookProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->file = g_strdup (l->file);
  problem->line = pos.line;
  problem->column = pos.column;
  g_ptr_array_add (l->problems, problem);
}

/* An id a person types on the command line (sitrep probe --environment staging, sitrep incident
 * status 3 fix-deployed) and that the store keeps: a lower-case letter, then lower-case letters,
 * digits, "-" and "_". */
gboolean
sitrep_schema_is_slug (const char *id)
{
  if (!g_ascii_islower (id[0]))
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Whether @object has @key, a key that format @format introduced. In a runbook of an older
 * format it is a problem at the key: an older Sitrep would refuse the file, so the version
 * says what the file needs. */
gboolean
sitrep_schema_since (SitrepLoader *l,
                     JsonObject   *object,
                     const char   *key,
                     guint         format)
{
  JsonNode *node = sitrep_schema_member (object, key);

  if (node == NULL)
    return FALSE;
  if (l->rb->format >= format)
    return TRUE;
  sitrep_schema_problem (l, AT_KEY (node),
                         _("\"%s\" is new in format %u, and this runbook is in format %u: "
                           "run “sitrep check --upgrade %s” first, then add it"),
                         key, format, l->rb->format, l->file);
  return FALSE;
}

/* A probe's "secret": the name of a keyring entry, or, from format 2, where else to read it
 * where no keyring runs (CI, a headless server): {"env": "VARIABLE"} or {"file": "PATH"}.
 * Returns the reference sitrep_secrets_lookup_async() reads: "NAME", "env:VARIABLE" or
 * "file:PATH"; never a value, which a runbook must not hold. */
char *
sitrep_schema_secret (SitrepLoader *l,
                      JsonObject   *object,
                      const char   *key)
{
  static const char *const allowed[] = { "env", "file", NULL };
  JsonNode *node = sitrep_schema_member (object, key);
  g_autoptr(GError) error = NULL;
  JsonObject *source;
  char *name;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return sitrep_schema_text (l, object, key);
  if (l->rb->format < 2)
    {
      sitrep_schema_problem (l, AT_VALUE (node),
                             _("a secret read from {\"env\": …} or {\"file\": …} is new in "
                               "format 2, and this runbook is in format %u: run “sitrep check "
                               "--upgrade %s” first, or name a keyring entry"),
                             l->rb->format, l->file);
      return NULL;
    }
  source = sitrep_schema_object (l, node, "\"secret\"", allowed, NULL);
  if (source == NULL)
    return NULL;
  if (json_object_get_size (source) != 1)
    {
      sitrep_schema_problem (l, AT_VALUE (node),
                             _("\"secret\" takes exactly one of \"env\" (an environment "
                               "variable) and \"file\" (a file that holds the secret)"));
      return NULL;
    }
  if (sitrep_schema_member (source, "env") != NULL)
    {
      g_autofree char *variable = sitrep_schema_text (l, source, "env");

      if (variable == NULL)
        return NULL;
      name = g_strconcat ("env:", variable, NULL);
    }
  else
    {
      g_autofree char *path = sitrep_schema_text (l, source, "file");

      if (path == NULL)
        return NULL;
      name = g_strconcat ("file:", path, NULL);
    }
  if (!sitrep_secrets_check_source (name, &error))
    {
      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (source, name[0] == 'e' ? "env" : "file")),
                             "%s", error->message);
      g_free (name);
      return NULL;
    }
  return name;
}

const char *
sitrep_schema_describe_type (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("a list");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return _("a string");
        case G_TYPE_BOOLEAN:
          return _("true or false");
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          return _("a number");
        default:
          return _("a value");
        }
    }
}

/* Checks an object's keys: every key must be known, every required one present. */
JsonObject *
sitrep_schema_object (SitrepLoader      *l,
                      JsonNode          *node,
                      const char        *what,
                      const char *const *allowed,
                      const char *const *required)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sitrep_schema_problem (l, AT_VALUE (node), _("%s must be an object {…}, not %s"), what,
                             sitrep_schema_describe_type (node));
      return NULL;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *key = m->data;

      if (!g_strv_contains (allowed, key))
        {
          g_autofree char *hint = sitrep_did_you_mean (key, allowed);

          sitrep_schema_problem (l, AT_KEY (json_object_get_member (object, key)),
                                 _("unknown key \"%s\" in %s%s"), key, what, hint);
        }
    }

  for (guint i = 0; required != NULL && required[i] != NULL; i++)
    {
      if (!json_object_has_member (object, required[i]))
        sitrep_schema_problem (l, AT_VALUE (node), _("%s is missing the required key \"%s\""), what,
                               required[i]);
    }

  return object;
}

JsonNode *
sitrep_schema_member (JsonObject *object,
                      const char *key)
{
  return object != NULL && json_object_has_member (object, key)
           ? json_object_get_member (object, key)
           : NULL;
}

char *
sitrep_schema_string (SitrepLoader *l,
                      JsonObject   *object,
                      const char   *key)
{
  JsonNode *node = sitrep_schema_member (object, key);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      sitrep_schema_problem (l, AT_VALUE (node), _("\"%s\" must be a string in double quotes, not %s"), key,
                             sitrep_schema_describe_type (node));
      return NULL;
    }
  return json_node_dup_string (node);
}

/* A required string must also say something. */
char *
sitrep_schema_text (SitrepLoader *l,
                    JsonObject   *object,
                    const char   *key)
{
  char *text = sitrep_schema_string (l, object, key);
  const char *p = text;

  while (p != NULL && g_ascii_isspace (*p))
    p++;
  if (p != NULL && *p == '\0')
    {
      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, key)), _("\"%s\" is empty"), key);
      g_clear_pointer (&text, g_free);
    }
  return text;
}

gboolean
sitrep_schema_bool (SitrepLoader *l,
                    JsonObject   *object,
                    const char   *key,
                    gboolean      fallback)
{
  JsonNode *node = sitrep_schema_member (object, key);

  if (node == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      sitrep_schema_problem (l, AT_VALUE (node), _("\"%s\" must be true or false, not %s"), key,
                             sitrep_schema_describe_type (node));
      return fallback;
    }
  return json_node_get_boolean (node);
}

gint64
sitrep_schema_int (SitrepLoader *l,
                   JsonObject   *object,
                   const char   *key,
                   gint64        min,
                   gint64        max,
                   gint64        fallback)
{
  JsonNode *node = sitrep_schema_member (object, key);
  gint64 value;

  if (node == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      sitrep_schema_problem (l, AT_VALUE (node), _("\"%s\" must be a whole number, not %s"), key,
                             sitrep_schema_describe_type (node));
      return fallback;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *have = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      sitrep_schema_problem (l, AT_VALUE (node), _("\"%s\" is %s; it must be between %s and %s"),
                             key, have, low, high);
      return fallback;
    }
  return value;
}

gboolean
sitrep_parse_duration (const char *text,
                       gint64     *msec)
{
  const char *p = text;
  gint64 total = 0;

  if (text == NULL || *text == '\0')
    return FALSE;

  while (*p != '\0')
    {
      gint64 value = 0, unit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        {
          value = value * 10 + (*p - '0');
          if (value > 1000000000)
            return FALSE;
          p++;
        }
      if (g_str_has_prefix (p, "ms"))
        unit = 1, p += 2;
      else if (*p == 's')
        unit = 1000, p++;
      else if (*p == 'm')
        unit = 60 * 1000, p++;
      else if (*p == 'h')
        unit = 3600 * 1000, p++;
      else if (*p == 'd')
        unit = 86400 * 1000, p++;
      else
        return FALSE;
      total += value * unit;
    }
  *msec = total;
  return TRUE;
}

/* Returns milliseconds, or @fallback when absent or wrong. */
gint64
sitrep_schema_duration_ms (SitrepLoader *l,
                           JsonObject   *object,
                           const char   *key,
                           gint64        fallback)
{
  JsonNode *node = sitrep_schema_member (object, key);
  g_autofree char *text = NULL;
  gint64 msec;

  if (node == NULL)
    return fallback;
  text = sitrep_schema_string (l, object, key);
  if (text == NULL)
    return fallback;
  if (!sitrep_parse_duration (text, &msec))
    {
      sitrep_schema_problem (l, AT_VALUE (node),
                             _("\"%s\" is not a duration: write a number and a unit, like \"90s\", "
                    "\"15m\", \"2h\", \"1d\" or \"1h30m\""),
                  text);
      return fallback;
    }
  return msec;
}

gint64
sitrep_schema_duration_s (SitrepLoader *l,
                          JsonObject   *object,
                          const char   *key,
                          gint64        fallback)
{
  gint64 msec = sitrep_schema_duration_ms (l, object, key, -1);

  return msec < 0 ? fallback : msec / 1000;
}

JsonArray *
sitrep_schema_array (SitrepLoader *l,
                     JsonObject   *object,
                     const char   *key)
{
  JsonNode *node = sitrep_schema_member (object, key);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      sitrep_schema_problem (l, AT_VALUE (node), _("\"%s\" must be a list […], not %s"), key,
                             sitrep_schema_describe_type (node));
      return NULL;
    }
  return json_node_get_array (node);
}

GStrv
sitrep_schema_strv (SitrepLoader *l,
                    JsonObject   *object,
                    const char   *key)
{
  JsonArray *array = sitrep_schema_array (l, object, key);
  g_autoptr(GStrvBuilder) builder = NULL;

  if (array == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          sitrep_schema_problem (l, AT_VALUE (element), _("every entry of \"%s\" must be a string, not %s"),
                                 key, sitrep_schema_describe_type (element));
          continue;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* Reads "id" and checks it is unique in @seen. */
char *
sitrep_schema_id (SitrepLoader *l,
                  JsonObject   *object,
                  const char   *key,
                  GHashTable   *seen,
                  const char   *what)
{
  char *id = sitrep_schema_text (l, object, key);
  JsonNode *node = sitrep_schema_member (object, key);

  if (id == NULL)
    return NULL;
  if (seen != NULL)
    {
      SitrepJsonPos *first = g_hash_table_lookup (seen, id);

      if (first != NULL)
        {
          sitrep_schema_problem (l, AT_VALUE (node),
                      _("duplicate %s id \"%s\" (first at line %u, column %u): ids must be unique"),
                      what, id, first->line, first->column);
        }
      else
        {
          SitrepJsonPos pos = AT_VALUE (node);

          g_hash_table_insert (seen, g_strdup (id), g_memdup2 (&pos, sizeof pos));
        }
    }
  return id;
}

GHashTable *
sitrep_schema_new_seen (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Looks up a reference and reports it, with a suggestion, when it does not resolve. */
gboolean
sitrep_schema_check_ref (SitrepLoader *l,
                         JsonNode     *node,
                         const char   *id,
                         GPtrArray    *targets,
                         const char   *what)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *hint = NULL;

  for (guint i = 0; i < targets->len; i++)
    if (g_strcmp0 (*(char **) targets->pdata[i], id) == 0)
      return TRUE;

  ids = g_ptr_array_new ();
  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (ids, *(char **) targets->pdata[i]);
  g_ptr_array_add (ids, NULL);

  hint = sitrep_did_you_mean (id, (const char *const *) ids->pdata);
  sitrep_schema_problem (l, AT_VALUE (node), _("there is no %s \"%s\" in this runbook%s"), what, id, hint);
  return FALSE;
}

/* Reports the stray braces and the unknown placeholders of @text at their character, with the
 * parser that fills them in. Returns the NEEDS_* flags of action variables found. */
guint
sitrep_schema_check_placeholders (SitrepLoader      *l,
                                  JsonNode          *node,
                                  const char        *text,
                                  const char *const *known,
                                  GStrv              inputs,
                                  const char        *what)
{
  g_autoptr(SitrepTemplateText) parsed = sitrep_template_text_parse (text);
  const SitrepTemplateSegment *segments;
  guint n_segments;
  guint needs = 0;

  segments = sitrep_template_text_get_segments (parsed, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    {
      const SitrepTemplateSegment *segment = &segments[i];
      const char *name = segment->text;
      SitrepJsonPos pos;

      if (segment->kind == SITREP_TEMPLATE_SEGMENT_LITERAL)
        continue;
      pos = sitrep_json_doc_locate_in_string (l->doc, node, segment->offset);

      if (segment->kind == SITREP_TEMPLATE_SEGMENT_STRAY_CLOSE)
        {
          sitrep_schema_problem (l, pos, _("a '}' without its '{' in %s: write \"}}\" for a "
                                           "literal brace"),
                                 what);
        }
      else if (segment->kind == SITREP_TEMPLATE_SEGMENT_STRAY_OPEN)
        {
          sitrep_schema_problem (l, pos, _("a '{' without its '}' in %s: write \"{{\" for a "
                                           "literal brace"),
                                 what);
        }
      else if (inputs != NULL && g_str_has_prefix (name, "input."))
        {
          const char *input = name + strlen ("input.");

          if (!g_strv_contains ((const char *const *) inputs, input))
            {
              g_autofree char *hint = sitrep_did_you_mean (input, (const char *const *) inputs);

              sitrep_schema_problem (l, pos, _("{%s} names no input of this action%s"), name,
                                     hint);
            }
        }
      else if (!g_strv_contains (known, name))
        {
          g_autofree char *hint = sitrep_did_you_mean (name, known);
          g_autofree char *list = g_strjoinv ("} {", (char **) known);

          sitrep_schema_problem (l, pos, _("unknown placeholder {%s} in %s%s (known: {%s})"),
                                 name, what, hint, list);
        }
      else if (g_str_equal (name, "target"))
        {
          needs |= NEEDS_TARGET;
        }
      else if (g_str_equal (name, "selector"))
        {
          needs |= NEEDS_SELECTOR;
        }
    }
  return needs;
}

guint
sitrep_schema_check_argv (SitrepLoader *l,
                          JsonObject   *object,
                          const char   *key,
                          GStrv         argv,
                          GStrv         inputs)
{
  g_autoptr(GPtrArray) escapes = NULL;
  guint needs = 0;

  if (argv == NULL || argv[0] == NULL)
    {
      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, key)),
                  _("\"%s\" is empty: give the program and its arguments"), key);
      return 0;
    }

  for (guint i = 0; argv[i] != NULL; i++)
    needs |= sitrep_schema_check_placeholders (l, sitrep_schema_strv_element (object, key, i),
                                               argv[i], sitrep_schema_action_variables, inputs,
                                               key);

  /* The same rules the command is checked against again when it runs. */
  /* Against every environment: the command must stay inside whichever one is picked. */
  for (guint e = 0; e < l->rb->environments->len; e++)
    {
      g_clear_pointer (&escapes, g_ptr_array_unref);
      escapes = sitrep_argv_find_escapes ((const char *const *) argv, l->rb->environments->pdata[e],
                                          TRUE);
      for (guint i = 0; i < escapes->len; i++)
        {
          const SitrepArgvEscape *escape = escapes->pdata[i];

          sitrep_schema_problem (l, AT_VALUE (sitrep_schema_strv_element (object, key, escape->index)),
                                 "%s", escape->message);
        }
      if (escapes->len > 0)
        break;
    }
  return needs;
}

/* The node of the @k-th string of the list @key, as sitrep_schema_strv() counts them: entries
 * that are not strings were reported and left out, so plain indexes would point at the wrong
 * entry. */
JsonNode *
sitrep_schema_strv_element (JsonObject *object,
                            const char *key,
                            guint       k)
{
  JsonArray *array = json_node_get_array (sitrep_schema_member (object, key));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && k-- == 0)
        return element;
    }
  g_return_val_if_reached (NULL);
}
