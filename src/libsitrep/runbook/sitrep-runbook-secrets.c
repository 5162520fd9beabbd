/* sitrep-runbook-secrets.c: how an action's secrets reach its command: inputs, env, stdin
 *
 * A secret never goes on a command line, where every local user can read it in /proc: a secret
 * input reaches its command through an environment variable or standard input ("pass_as"), and
 * an action's "env" and "stdin" may name keyring entries (${secret:NAME}) resolved when it runs.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-runbook-secrets.h"
#include "sitrep-secrets.h"
#include "sitrep-template.h"

/* Programs find these in the environment and would act on another cluster, or run other code. */
static const char *const forbidden_env[] = {
  "KUBECONFIG", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", NULL
};

static gboolean
is_env_name (const char *name)
{
  return name != NULL && g_regex_match_simple ("^[A-Za-z_][A-Za-z0-9_]*$", name, 0, 0);
}

/* Reports a bad environment variable name at @node. */
static gboolean
check_env_name (SitrepLoader *l,
                SitrepJsonPos pos,
                const char   *name)
{
  if (!is_env_name (name))
    {
      sitrep_schema_problem (l, pos,
                             _("\"%s\" is not an environment variable name: use letters, digits "
                               "and '_', not starting with a digit"),
                             name);
      return FALSE;
    }
  if (g_strv_contains (forbidden_env, name))
    {
      sitrep_schema_problem (l, pos,
                             _("\"%s\" cannot be set by a runbook: it would make the command act "
                               "on another cluster or run other code than the one shown"),
                             name);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_runbook_load_input_secrets:
 *
 * Reads an input's "secret", "pass_as" and "choices_format", after its type and choices.
 */
void
sitrep_runbook_load_input_secrets (SitrepLoader      *l,
                                   JsonObject        *in,
                                   SitrepActionInput *input)
{
  static const char *const formats[] = { "rollout-history", "lines", NULL };
  JsonNode *pass_as = sitrep_schema_member (in, "pass_as");
  JsonNode *format = sitrep_schema_member (in, "choices_format");

  input->secret = sitrep_schema_bool (l, in, "secret", FALSE);
  if (input->secret && input->type != SITREP_INPUT_STRING)
    sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (in, "secret")),
                           _("a secret input is typed text: give it \"type\": \"string\""));

  if (pass_as != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (pass_as) && json_node_get_value_type (pass_as) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (pass_as), "stdin"))
        input->pass_as = SITREP_PASS_AS_STDIN;
      else if (JSON_NODE_HOLDS_OBJECT (pass_as))
        {
          static const char *const allowed[] = { "env", NULL };
          JsonObject *object = sitrep_schema_object (l, pass_as, "\"pass_as\"", allowed, allowed);
          g_autofree char *name = sitrep_schema_text (l, object, "env");

          if (name != NULL && check_env_name (l, AT_VALUE (sitrep_schema_member (object, "env")),
                                              name))
            {
              input->pass_as = SITREP_PASS_AS_ENV;
              input->pass_as_env = g_steal_pointer (&name);
            }
        }
      else
        sitrep_schema_problem (l, AT_VALUE (pass_as),
                               _("\"pass_as\" must be \"stdin\" or {\"env\": \"NAME\"}, not %s"),
                               sitrep_schema_describe_type (pass_as));
      if (!input->secret)
        sitrep_schema_problem (l, AT_KEY (pass_as),
                               _("\"pass_as\" is for secret inputs: add \"secret\": true, or put "
                                 "the value in \"argv\" as {input.%s}"),
                               input->name ? input->name : "NAME");
    }
  else if (input->secret)
    sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (in, "secret")),
                           _("a secret input needs \"pass_as\": {\"env\": \"NAME\"} or \"stdin\": "
                             "its value never goes on the command line, where every local user "
                             "can read it"));

  if (format != NULL)
    {
      g_autofree char *text = sitrep_schema_string (l, in, "choices_format");

      if (input->choices_from == NULL)
        sitrep_schema_problem (l, AT_KEY (format),
                               _("\"choices_format\" says how to read the output of "
                                 "\"choices_from\", which this input does not have"));
      if (text != NULL && !g_strv_contains (formats, text))
        {
          g_autofree char *hint = sitrep_did_you_mean (text, formats);

          sitrep_schema_problem (l, AT_VALUE (format),
                                 _("unknown choices format \"%s\"%s (known: rollout-history, "
                                   "lines)"),
                                 text, hint);
        }
      else if (text != NULL)
        input->choices_format = g_str_equal (text, "lines") ? SITREP_CHOICES_LINES
                                                            : SITREP_CHOICES_ROLLOUT_HISTORY;
    }
}

/* Reports each {input.NAME} placeholder in @text that names a secret input; "{{input.NAME}}" is
 * text, which shows no value. */
static void
check_no_secret_input (SitrepLoader *l,
                       JsonNode     *node,
                       const char   *text,
                       GStrv         secrets,
                       const char   *what)
{
  g_autoptr(SitrepTemplateText) parsed = NULL;
  const SitrepTemplateSegment *segments;
  guint n_segments;

  if (text == NULL || secrets == NULL || secrets[0] == NULL)
    return;
  parsed = sitrep_template_text_parse (text);
  segments = sitrep_template_text_get_segments (parsed, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    {
      const SitrepTemplateSegment *segment = &segments[i];
      g_autofree char *reference = NULL;

      if (segment->kind != SITREP_TEMPLATE_SEGMENT_PLACEHOLDER
          || !g_str_has_prefix (segment->text, "input.")
          || !g_strv_contains ((const char *const *) secrets, segment->text + strlen ("input.")))
        continue;
      reference = g_strdup_printf ("{%s}", segment->text);
      sitrep_schema_problem (l, sitrep_json_doc_locate_in_string (l->doc, node, segment->offset),
                             _("%s is a secret input and cannot be used in %s: anything there "
                               "can end up on the command line or on screen; it reaches the "
                               "command through its \"pass_as\""),
                             reference, what);
    }
}

static void
check_strv_no_secret_input (SitrepLoader *l,
                            JsonObject   *object,
                            const char   *key,
                            GStrv         argv,
                            GStrv         secrets)
{
  g_autofree char *what = g_strdup_printf ("\"%s\"", key);

  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    check_no_secret_input (l, sitrep_schema_strv_element (object, key, i), argv[i], secrets, what);
}

/* An "env" value or "stdin": ${secret:NAME} references and the action's variables. */
static guint
check_process_text (SitrepLoader *l,
                    JsonNode     *node,
                    const char   *text,
                    GStrv         inputs,
                    GStrv         secrets,
                    const char   *what)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pieces = NULL;
  g_autofree char *masked = NULL;
  gsize offset = 0;

  pieces = sitrep_secrets_split_references (text, &offset, &error);
  if (pieces == NULL)
    {
      sitrep_schema_problem (l, sitrep_json_doc_locate_in_string (l->doc, node, offset), "%s",
                             error->message);
      return 0;
    }
  /* The references, blanked out, so the variables keep their places for the messages. */
  masked = g_strdup (text);
  for (char *p = strstr (masked, "${secret:"); p != NULL; p = strstr (p, "${secret:"))
    {
      char *end = strchr (p, '}');

      memset (p, ' ', end - p + 1);
    }
  check_no_secret_input (l, node, text, secrets, what);
  return sitrep_schema_check_placeholders (l, node, masked, sitrep_schema_action_variables, inputs,
                                           what);
}

/* The @i-th input's node, as sitrep_runbook_load_actions read them, or NULL. */
static JsonNode *
input_node (JsonObject *object,
            guint       i)
{
  JsonNode *inputs = sitrep_schema_member (object, "inputs");

  if (inputs == NULL || !JSON_NODE_HOLDS_ARRAY (inputs)
      || i >= json_array_get_length (json_node_get_array (inputs)))
    return NULL;
  return json_array_get_element (json_node_get_array (inputs), i);
}

/**
 * sitrep_runbook_load_action_secrets:
 * @inputs: the names of the action's inputs
 *
 * Reads an action's "env" and "stdin", after its inputs, and checks that no secret input is
 * used where it could be seen: argv, follow_up, confirm, description, choices_from.
 *
 * Returns: the NEEDS_* flags of the variables used
 */
guint
sitrep_runbook_load_action_secrets (SitrepLoader *l,
                                    JsonObject   *object,
                                    SitrepAction *action,
                                    GStrv         inputs)
{
  g_autoptr(GStrvBuilder) secret_names = g_strv_builder_new ();
  g_autoptr(GHashTable) env_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) secrets = NULL;
  JsonNode *env = sitrep_schema_member (object, "env");
  JsonNode *stdin_node = sitrep_schema_member (object, "stdin");
  gboolean has_stdin = stdin_node != NULL;
  guint needs = 0;

  for (guint i = 0; i < action->inputs->len; i++)
    {
      SitrepActionInput *input = action->inputs->pdata[i];

      if (input->secret && input->name != NULL)
        g_strv_builder_add (secret_names, input->name);
    }
  secrets = g_strv_builder_end (secret_names);

  if (env != NULL && !JSON_NODE_HOLDS_OBJECT (env))
    sitrep_schema_problem (l, AT_VALUE (env), _("\"env\" must be an object {…}, not %s"),
                           sitrep_schema_describe_type (env));
  else if (env != NULL)
    {
      JsonObject *vars = json_node_get_object (env);
      g_autoptr(GList) names = json_object_get_members (vars);
      g_autoptr(GStrvBuilder) env_names = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) env_values = g_strv_builder_new ();

      for (GList *n = names; n != NULL; n = n->next)
        {
          JsonNode *node = json_object_get_member (vars, n->data);
          g_autofree char *value = sitrep_schema_string (l, vars, n->data);

          if (!check_env_name (l, AT_KEY (node), n->data) || value == NULL)
            continue;
          g_hash_table_add (env_seen, n->data);
          needs |= check_process_text (l, node, value, inputs, secrets, "\"env\"");
          g_strv_builder_add (env_names, n->data);
          g_strv_builder_add (env_values, value);
        }
      action->env_names = g_strv_builder_end (env_names);
      action->env_values = g_strv_builder_end (env_values);
    }

  if (stdin_node != NULL)
    {
      action->stdin_text = sitrep_schema_string (l, object, "stdin");
      if (action->stdin_text != NULL)
        needs |= check_process_text (l, stdin_node, action->stdin_text, inputs, secrets,
                                     "\"stdin\"");
    }

  check_strv_no_secret_input (l, object, "argv", action->argv, secrets);
  for (guint i = 0; i < action->inputs->len; i++)
    {
      SitrepActionInput *input = action->inputs->pdata[i];
      JsonNode *in = input_node (object, i);
      JsonObject *in_object = in && JSON_NODE_HOLDS_OBJECT (in) ? json_node_get_object (in) : NULL;
      JsonNode *pass_as = sitrep_schema_member (in_object, "pass_as");

      if (input->pass_as == SITREP_PASS_AS_ENV)
        {
          if (g_hash_table_contains (env_seen, input->pass_as_env))
            sitrep_schema_problem (l, AT_VALUE (pass_as),
                                   _("the environment variable \"%s\" is set twice: by \"env\" "
                                     "or another input, and by the input \"%s\""),
                                   input->pass_as_env, input->name);
          g_hash_table_add (env_seen, input->pass_as_env);
        }
      else if (input->pass_as == SITREP_PASS_AS_STDIN)
        {
          if (has_stdin)
            sitrep_schema_problem (l, AT_VALUE (pass_as),
                                   _("a command has one standard input: \"stdin\" or another "
                                     "input already takes it, and so does the input \"%s\""),
                                   input->name);
          has_stdin = TRUE;
        }
      if (input->choices_from != NULL && in_object != NULL)
        check_strv_no_secret_input (l, in_object, "choices_from", input->choices_from, secrets);
    }
  check_strv_no_secret_input (l, object, "follow_up", action->follow_up, secrets);
  if (action->confirm != NULL)
    check_no_secret_input (l, sitrep_schema_member (object, "confirm"), action->confirm, secrets,
                           "\"confirm\"");
  if (action->description != NULL)
    check_no_secret_input (l, sitrep_schema_member (object, "description"), action->description,
                           secrets, "\"description\"");
  if (action->terminal && (action->env_names != NULL || action->stdin_text != NULL
                           || secrets[0] != NULL))
    sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, "terminal")),
                           _("a \"terminal\" action runs in a terminal emulator, which cannot be "
                             "handed secrets, \"env\" or \"stdin\""));
  return needs;
}
