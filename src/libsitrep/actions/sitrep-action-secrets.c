/* sitrep-action-secrets.c: what a request hands its command besides argv: environment, stdin
 *
 * Secret inputs and ${secret:NAME} keyring entries reach the command only here, never on its
 * command line (which /proc shows every local user). The audit log records how each value was
 * made ("${secret:db-password}", "[secret input token]"), never the value; every value is added
 * to the request's redactor, so output that echoes one is redacted by its exact value.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-action-request-private.h"
#include "sitrep-secrets.h"

void
sitrep_process_text_free (SitrepProcessText *text)
{
  if (text == NULL)
    return;
  g_free (text->name);
  /* A secret input's value is a piece: wipe it. */
  for (guint i = 0; text->pieces != NULL && text->pieces[i] != NULL; i++)
    memset (text->pieces[i], 0, strlen (text->pieces[i]));
  g_strfreev (text->pieces);
  g_free (text->record);
  g_free (text);
}

/* Input name → value, without the secret inputs: what argv, titles and texts may use. */
GHashTable *
sitrep_action_request_public_inputs (SitrepActionRequest *self)
{
  GHashTable *inputs = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->action->inputs->len; i++)
    {
      const SitrepActionInput *input = self->action->inputs->pdata[i];
      const char *value = g_hash_table_lookup (self->inputs, input->name);

      if (!input->secret && value != NULL)
        g_hash_table_insert (inputs, input->name, (gpointer) value);
    }
  return inputs;
}

/* A runbook's "env" value or "stdin": variables filled, ${secret:NAME} kept for later. */
static SitrepProcessText *
text_from_template (SitrepActionRequest *self,
                    const char          *name,
                    const char          *template_,
                    GHashTable          *inputs,
                    GError             **error)
{
  g_autoptr(GString) record = g_string_new (NULL);
  SitrepProcessText *text;
  GStrv pieces = sitrep_secrets_split_references (template_, NULL, error);

  if (pieces == NULL)
    return NULL;
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      if (i % 2 == 0)
        {
          char *filled = sitrep_action_fill_text (pieces[i], self->runbook, self->service, inputs);
          g_autofree char *shown = sitrep_redactor_redact (self->redactor, filled);

          g_free (pieces[i]);
          pieces[i] = filled;
          g_string_append (record, shown);
        }
      else
        g_string_append_printf (record, "${secret:%s}", pieces[i]);
    }
  text = g_new0 (SitrepProcessText, 1);
  text->name = g_strdup (name);
  text->pieces = pieces;
  text->record = g_string_free (g_steal_pointer (&record), FALSE);
  return text;
}

static SitrepProcessText *
text_from_input (const SitrepActionInput *input,
                 const char              *value)
{
  SitrepProcessText *text = g_new0 (SitrepProcessText, 1);

  text->name = g_strdup (input->pass_as_env);
  text->pieces = g_new0 (char *, 2);
  /* Standard input is read as one line, as a password prompt would. */
  text->pieces[0] = input->pass_as == SITREP_PASS_AS_STDIN ? g_strconcat (value, "\n", NULL)
                                                          : g_strdup (value);
  text->record = g_strdup_printf ("[secret input %s]", input->name);
  return text;
}

/* Builds the environment and standard input from the runbook and the validated inputs. */
gboolean
sitrep_action_request_build_process (SitrepActionRequest *self,
                                     GError             **error)
{
  const SitrepAction *action = self->action;
  g_autoptr(GHashTable) inputs = sitrep_action_request_public_inputs (self);

  for (guint i = 0; action->env_names != NULL && action->env_names[i] != NULL; i++)
    {
      SitrepProcessText *text = text_from_template (self, action->env_names[i],
                                                    action->env_values[i], inputs, error);

      if (text == NULL)
        return FALSE;
      g_ptr_array_add (self->env, text);
    }
  if (action->stdin_text != NULL)
    {
      self->stdin_ = text_from_template (self, NULL, action->stdin_text, inputs, error);
      if (self->stdin_ == NULL)
        return FALSE;
    }
  for (guint i = 0; i < action->inputs->len; i++)
    {
      const SitrepActionInput *input = action->inputs->pdata[i];
      const char *value = g_hash_table_lookup (self->inputs, input->name);

      if (value == NULL || input->pass_as == SITREP_PASS_IN_ARGV)
        continue;
      if (input->pass_as == SITREP_PASS_AS_ENV)
        g_ptr_array_add (self->env, text_from_input (input, value));
      else if (self->stdin_ == NULL)
        self->stdin_ = text_from_input (input, value);
    }
  return TRUE;
}

gboolean
sitrep_action_request_get_has_stdin (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), FALSE);
  return self->stdin_ != NULL;
}

static char *
to_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The inputs as the audit log keeps them: a JSON object, keys sorted, secret values left out. */
char *
sitrep_action_request_get_inputs_record (SitrepActionRequest *self)
{
  g_autoptr(GHashTable) recorded = NULL;

  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  recorded = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->action->inputs->len; i++)
    {
      const SitrepActionInput *input = self->action->inputs->pdata[i];
      const char *value = g_hash_table_lookup (self->inputs, input->name);

      if (value != NULL)
        g_hash_table_insert (recorded, input->name, input->secret ? SITREP_REDACTED : (char *) value);
    }
  return sitrep_audit_inputs_to_json (recorded);
}

/* What the command gets besides argv, as the audit log keeps it: {"env": {NAME: how}, "stdin":
 * how}, each value as it was made ("${secret:db-password}"), never a secret's value; and
 * "environment": "drill" when it ran against a drill's simulation, never production, or the id
 * of the runbook's environment it ran in (format 2 "environments"). */
char *
sitrep_action_request_get_process_record (SitrepActionRequest *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  json_builder_begin_object (builder);
  if (self->env->len > 0)
    {
      json_builder_set_member_name (builder, "env");
      json_builder_begin_object (builder);
      for (guint i = 0; i < self->env->len; i++)
        {
          SitrepProcessText *text = self->env->pdata[i];

          json_builder_set_member_name (builder, text->name);
          json_builder_add_string_value (builder, text->record);
        }
      json_builder_end_object (builder);
    }
  if (self->stdin_ != NULL)
    {
      json_builder_set_member_name (builder, "stdin");
      json_builder_add_string_value (builder, self->stdin_->record);
    }
  /* Which of a runbook's environments it ran in; a drill says so. */
  if (self->environment->drill || self->environment->id != NULL)
    {
      json_builder_set_member_name (builder, "environment");
      json_builder_add_string_value (builder,
                                     self->environment->drill ? "drill" : self->environment->id);
    }
  json_builder_end_object (builder);
  return to_json (builder);
}

/* Resolving: the keyring entries the texts name, looked up when the command is about to run. */

typedef struct
{
  GStrv env;
  char *stdin_text;
} Resolved;

static void
resolved_free (Resolved *resolved)
{
  for (guint i = 0; resolved->env != NULL && resolved->env[i] != NULL; i++)
    memset (resolved->env[i], 0, strlen (resolved->env[i]));
  g_strfreev (resolved->env);
  if (resolved->stdin_text != NULL)
    memset (resolved->stdin_text, 0, strlen (resolved->stdin_text));
  g_free (resolved->stdin_text);
  g_free (resolved);
}

static char *
join_text (SitrepProcessText *text,
           GHashTable        *values)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; text->pieces[i] != NULL; i++)
    g_string_append (out, i % 2 == 0 ? text->pieces[i] : g_hash_table_lookup (values, text->pieces[i]));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static Resolved *
resolve_with (SitrepActionRequest *self,
              GHashTable          *values)
{
  Resolved *resolved = g_new0 (Resolved, 1);
  g_autoptr(GStrvBuilder) env = g_strv_builder_new ();

  for (guint i = 0; i < self->env->len; i++)
    {
      SitrepProcessText *text = self->env->pdata[i];
      g_autofree char *value = join_text (text, values);
      g_autofree char *assignment = g_strconcat (text->name, "=", value, NULL);

      g_strv_builder_add (env, assignment);
      memset (value, 0, strlen (value));
      memset (assignment, 0, strlen (assignment));
    }
  resolved->env = g_strv_builder_end (env);
  if (self->stdin_ != NULL)
    resolved->stdin_text = join_text (self->stdin_, values);
  return resolved;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepActionRequest *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = sitrep_secrets_lookup_all_finish (result, &error);
  GHashTableIter iter;
  gpointer value;

  if (values == NULL)
    {
      g_task_return_new_error (task, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN,
                               _("“%s” was not run: %s"), self->action->label, error->message);
      return;
    }
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sitrep_redactor_add_secret (self->redactor, value);
  g_task_return_pointer (task, resolve_with (self, values), (GDestroyNotify) resolved_free);
}

/**
 * sitrep_action_request_resolve_async:
 *
 * Reads the keyring entries the command's environment and standard input name (none: at once).
 * Each value joins the request's redactor.
 */
void
sitrep_action_request_resolve_async (SitrepActionRequest *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) wanted = NULL;

  g_return_if_fail (SITREP_IS_ACTION_REQUEST (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_action_request_resolve_async);
  for (guint i = 0; i <= self->env->len; i++)
    {
      SitrepProcessText *text = i < self->env->len ? self->env->pdata[i] : self->stdin_;

      for (guint k = 1; text != NULL && text->pieces[k - 1] != NULL && text->pieces[k] != NULL;
           k += 2)
        g_strv_builder_add (names, text->pieces[k]);
    }
  wanted = g_strv_builder_end (names);
  if (wanted[0] == NULL)
    {
      g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);

      g_task_return_pointer (task, resolve_with (self, none), (GDestroyNotify) resolved_free);
      return;
    }
  sitrep_secrets_lookup_all_async ((const char *const *) wanted, cancellable, lookup_cb,
                                   g_steal_pointer (&task));
}

/**
 * sitrep_action_request_resolve_finish:
 * @env: (out) (transfer full): "NAME=VALUE" for each variable to set
 * @stdin_text: (out) (transfer full) (nullable): what to write to the standard input, or NULL
 *   to give the command none
 *
 * Returns: FALSE with @error set when a keyring entry is missing or the keyring cannot be read
 */
gboolean
sitrep_action_request_resolve_finish (SitrepActionRequest *self,
                                      GAsyncResult        *result,
                                      GStrv               *env,
                                      char               **stdin_text,
                                      GError             **error)
{
  Resolved *resolved;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  resolved = g_task_propagate_pointer (G_TASK (result), error);
  if (resolved == NULL)
    return FALSE;
  *env = g_steal_pointer (&resolved->env);
  *stdin_text = g_steal_pointer (&resolved->stdin_text);
  resolved_free (resolved);
  return TRUE;
}
