/* sitrep-action-request.c: one runbook action resolved for one service, checked before
 * anything runs
 *
 * Every input value is checked (sitrep-action-input.c) before a command line is built; its
 * secrets are resolved at the last moment (sitrep-action-secrets.c).
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-action-request-private.h"
#include "sitrep-argv.h"
#include "sitrep-template.h"

#define FOLLOW_UP_SLACK_MS (30 * 1000)

G_DEFINE_FINAL_TYPE (SitrepActionRequest, sitrep_action_request, G_TYPE_OBJECT)

/* The request. */

static void
sitrep_action_request_finalize (GObject *object)
{
  SitrepActionRequest *self = SITREP_ACTION_REQUEST (object);

  g_clear_object (&self->runbook);
  g_clear_pointer (&self->inputs, g_hash_table_unref);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->follow_up, g_strfreev);
  g_clear_pointer (&self->dry_run, g_strfreev);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->confirm_text, g_free);
  g_clear_pointer (&self->redactor, sitrep_redactor_unref);
  g_clear_pointer (&self->env, g_ptr_array_unref);
  g_clear_pointer (&self->stdin_, sitrep_process_text_free);

  G_OBJECT_CLASS (sitrep_action_request_parent_class)->finalize (object);
}

static void
sitrep_action_request_class_init (SitrepActionRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sitrep_action_request_finalize;
}

static void
sitrep_action_request_init (SitrepActionRequest *self)
{
  self->redactor = sitrep_redactor_new ();
  self->env = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_process_text_free);
}

static gboolean
verb_is (SitrepActionRequest *self,
         const char          *first,
         const char          *second)
{
  if (self->verb == 0 || g_strcmp0 (self->argv[self->verb], first) != 0)
    return FALSE;
  return second == NULL || g_strcmp0 (self->argv[self->verb + 1], second) == 0;
}

/* kubectl 1.32's `rollout restart` has no --dry-run: the preview sends the same change, the
 * restartedAt annotation, as a server-side dry-run patch. */
static GStrv
build_dry_run (SitrepActionRequest *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean added = FALSE;

  if (verb_is (self, "rollout", "restart"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *patch = g_strdup_printf (
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
        "{\"kubectl.kubernetes.io/restartedAt\":\"%s\"}}}}}", stamp);

      for (guint i = 0; i < self->verb; i++)
        g_strv_builder_add (builder, self->argv[i]);
      g_strv_builder_add (builder, "patch");
      for (guint i = self->verb + 2; self->argv[i] != NULL; i++)
        g_strv_builder_add (builder, self->argv[i]);
      g_strv_builder_add_many (builder, "--type=strategic", "-p", patch, "--dry-run=server", NULL);
      return g_strv_builder_end (builder);
    }

  for (guint i = 0; self->argv[i] != NULL; i++)
    {
      /* Before a "--" that ends kubectl's flags, or the flag would go to the remote command. */
      if (!added && i > self->verb && g_str_equal (self->argv[i], "--"))
        {
          g_strv_builder_add (builder, "--dry-run=server");
          added = TRUE;
        }
      g_strv_builder_add (builder, self->argv[i]);
    }
  if (!added)
    g_strv_builder_add (builder, "--dry-run=server");
  return g_strv_builder_end (builder);
}

/**
 * sitrep_action_request_new:
 * @inputs: (nullable): input name → value, as typed or picked
 * @offered: (nullable): input name → the #GStrv of choices offered for a choice filled from a
 *   command (revisions)
 * @kubectl: (nullable): the kubectl to run instead of the runbook's
 *
 * Checks every input and resolves the command lines. Nothing is built when a value is refused.
 */
SitrepActionRequest *
sitrep_action_request_new (SitrepRunbook       *runbook,
                           const SitrepService *service,
                           const SitrepAction  *action,
                           GHashTable          *inputs,
                           GHashTable          *offered,
                           const char          *kubectl,
                           GError             **error)
{
  g_autoptr(SitrepActionRequest) self = NULL;
  g_autoptr(GHashTable) public_inputs = NULL;
  g_autoptr(GError) local = NULL;
  const char *confirm;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);
  g_return_val_if_fail (action != NULL && action->argv != NULL, NULL);

  self = g_object_new (SITREP_TYPE_ACTION_REQUEST, NULL);
  self->runbook = g_object_ref (runbook);
  self->environment = sitrep_runbook_get_environment (runbook);
  self->service = service;
  self->action = action;
  self->inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (inputs != NULL)
    {
      GHashTableIter iter;
      gpointer name;
      gboolean known;

      g_hash_table_iter_init (&iter, inputs);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        {
          known = FALSE;
          for (guint i = 0; i < action->inputs->len && !known; i++)
            known = g_str_equal (((SitrepActionInput *) action->inputs->pdata[i])->name, name);
          if (!known)
            {
              g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT,
                           _("“%s” has no input named “%s”"), action->label, (char *) name);
              return NULL;
            }
        }
    }

  for (guint i = 0; i < action->inputs->len; i++)
    {
      const SitrepActionInput *input = action->inputs->pdata[i];
      const char *value = inputs ? g_hash_table_lookup (inputs, input->name) : NULL;
      const char *const *choices = offered ? g_hash_table_lookup (offered, input->name) : NULL;
      g_autofree char *fallback = NULL;
      char *normalized = NULL;

      if (value == NULL && input->has_default)
        value = fallback = g_strdup_printf ("%" G_GINT64_FORMAT, input->default_value);
      if (!sitrep_action_validate_input (input, value, choices, &normalized, error))
        return NULL;
      if (input->secret)
        sitrep_redactor_add_secret (self->redactor, normalized);
      g_hash_table_insert (self->inputs, g_strdup (input->name), normalized);
    }

  /* A secret input reaches the command through its pass_as only: the runbook cannot name one
   * in argv, and the values are left out here too. */
  public_inputs = sitrep_action_request_public_inputs (self);
  self->argv = sitrep_argv_expand ((const char *const *) action->argv, runbook, service,
                                   public_inputs, kubectl, &local);
  if (self->argv != NULL && action->follow_up != NULL)
    self->follow_up = sitrep_argv_expand ((const char *const *) action->follow_up, runbook,
                                          service, public_inputs, kubectl, &local);
  if (self->argv != NULL && (action->follow_up == NULL || self->follow_up != NULL))
    sitrep_action_request_build_process (self, &local);
  if (self->argv == NULL || (action->follow_up != NULL && self->follow_up == NULL)
      || local != NULL)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_BUILD,
                   _("“%s” cannot be built for %s: %s"), action->label,
                   service ? service->name : _("this runbook"), local->message);
      return NULL;
    }

  if (sitrep_action_is_kubectl (action, runbook))
    {
      /* sitrep_argv_expand puts --context and --namespace right after the program. */
      self->verb = sitrep_argv_kubectl_prefix_length (sitrep_runbook_get_environment (runbook));
      if (g_strv_length (self->argv) <= self->verb)
        self->verb = 0;
    }
  if (action->dry_run && action->mutates && self->verb != 0)
    self->dry_run = build_dry_run (self);

  self->title = sitrep_action_fill_text (action->label, runbook, service, public_inputs);
  self->description = sitrep_action_fill_text (action->description, runbook, service,
                                               public_inputs);
  confirm = action->confirm;
  if (confirm != NULL)
    self->confirm_text = sitrep_action_fill_text (confirm, runbook, service, public_inputs);
  else
    self->confirm_text = g_strdup_printf (_("Run “%s” on %s?"), self->title,
                                          service ? service->name : sitrep_runbook_get_name (runbook));
  return g_steal_pointer (&self);
}

SitrepRunbook *
sitrep_action_request_get_runbook (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->runbook;
}

const SitrepService *
sitrep_action_request_get_service (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->service;
}

const SitrepAction *
sitrep_action_request_get_action (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->action;
}

/* The validated values, input name → value, secret ones included: never show or keep these,
 * see sitrep_action_request_get_inputs_record(). */
GHashTable *
sitrep_action_request_get_inputs (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->inputs;
}

const char *const *
sitrep_action_request_get_argv (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return (const char *const *) self->argv;
}

/* NULL when the action has no follow-up. */
const char *const *
sitrep_action_request_get_follow_up_argv (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return (const char *const *) self->follow_up;
}

/* The server-side dry run of a kubectl mutation; NULL when the action has none. */
const char *const *
sitrep_action_request_get_dry_run_argv (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return (const char *const *) self->dry_run;
}

/* The command line for people (dialogs, the timeline, the clipboard): secrets redacted. */
char *
sitrep_action_request_get_command_line (SitrepActionRequest *self)
{
  g_auto(GStrv) redacted = NULL;

  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  redacted = sitrep_redactor_redact_argv (self->redactor, (const char *const *) self->argv);
  return sitrep_argv_to_string ((const char *const *) redacted);
}

/* Every secret value the request holds, and those its run resolves from the keyring. */
SitrepRedactor *
sitrep_action_request_get_redactor (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->redactor;
}

const char *
sitrep_action_request_get_context (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->environment->context;
}

const char *
sitrep_action_request_get_namespace (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->environment->namespace_;
}

const char *
sitrep_action_request_get_title (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->title;
}

/* Or NULL. */
const char *
sitrep_action_request_get_description (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->description;
}

const char *
sitrep_action_request_get_confirm_text (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return self->confirm_text;
}

/* Mutating actions ask first; read-only ones run at once. */
gboolean
sitrep_action_request_get_needs_confirmation (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), FALSE);
  return self->action->mutates;
}

gboolean
sitrep_action_request_get_needs_typed_confirmation (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), FALSE);
  return sitrep_action_get_needs_typed_confirmation (self->action, self->runbook);
}

const char *
sitrep_action_request_get_confirmation_word (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), NULL);
  return sitrep_action_get_confirmation_word (self->action, self->service);
}

gboolean
sitrep_action_request_check_confirmation (SitrepActionRequest *self,
                                          const char          *typed)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), FALSE);
  if (!sitrep_action_request_get_needs_typed_confirmation (self))
    return TRUE;
  if (typed == NULL)
    return FALSE;
  stripped = g_strstrip (g_strdup (typed));
  return g_str_equal (stripped, sitrep_action_request_get_confirmation_word (self));
}

gint64
sitrep_action_request_get_timeout_ms (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), 0);
  return self->action->timeout_ms;
}

/* The follow-up's own --timeout (rollout status --timeout=5m) with some slack, so kubectl reports
 * the timeout itself rather than being stopped; at least the action's timeout. */
gint64
sitrep_action_request_get_follow_up_timeout_ms (SitrepActionRequest *self)
{
  gint64 timeout;

  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), 0);
  timeout = self->action->timeout_ms;
  for (guint i = 0; self->follow_up != NULL && self->follow_up[i] != NULL; i++)
    if (g_str_has_prefix (self->follow_up[i], "--timeout="))
      {
        gint64 asked = sitrep_action_kubectl_duration_ms (self->follow_up[i] + strlen ("--timeout="));

        if (asked > 0)
          timeout = MAX (timeout, asked + FOLLOW_UP_SLACK_MS);
      }
  return timeout;
}

gboolean
sitrep_action_request_is_scale (SitrepActionRequest *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), FALSE);
  return verb_is (self, "scale", NULL);
}

static void
set_current (GStrv      *argv,
             const char *flag)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean added = FALSE;

  for (guint i = 0; (*argv)[i] != NULL; i++)
    {
      if (g_str_has_prefix ((*argv)[i], "--current-replicas"))
        continue;
      if (!added && g_str_equal ((*argv)[i], "--dry-run=server"))
        {
          g_strv_builder_add (builder, flag);
          added = TRUE;
        }
      g_strv_builder_add (builder, (*argv)[i]);
    }
  if (!added)
    g_strv_builder_add (builder, flag);
  g_strfreev (*argv);
  *argv = g_strv_builder_end (builder);
}

/* kubectl scale --current-replicas=N: the scale fails, rather than overwrites, when someone else
 * changed the replicas since they were read. */
gboolean
sitrep_action_request_set_current_replicas (SitrepActionRequest *self,
                                            gint64               replicas,
                                            GError             **error)
{
  g_autofree char *flag = NULL;

  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (self), FALSE);
  if (!sitrep_action_request_is_scale (self))
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_BUILD,
                   _("“%s” is not a kubectl scale command"), self->action->label);
      return FALSE;
    }
  if (replicas < 0)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_BUILD,
                   _("The current number of replicas cannot be negative"));
      return FALSE;
    }
  flag = g_strdup_printf ("--current-replicas=%" G_GINT64_FORMAT, replicas);
  set_current (&self->argv, flag);
  if (self->dry_run != NULL)
    set_current (&self->dry_run, flag);
  return TRUE;
}
