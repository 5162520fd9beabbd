/* sitrep-runbook.c: the runbook model and its accessors; sitrep-runbook-file.c reads it */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-condition.h"
#include "sitrep-runbook-private.h"
#include "sitrep-suggest.h"

G_DEFINE_FINAL_TYPE (SitrepRunbook, sitrep_runbook, G_TYPE_OBJECT)

G_DEFINE_QUARK (sitrep-runbook-error-quark, sitrep_runbook_error)


void
sitrep_severity_free (SitrepSeverity *severity)
{
  g_free (severity->id);
  g_free (severity->label);
  g_free (severity->description);
  g_strfreev (severity->examples);
  g_free (severity);
}

void
sitrep_contact_free (SitrepContact *contact)
{
  g_free (contact->id);
  g_free (contact->role);
  g_free (contact->handle);
  g_free (contact->when);
  g_free (contact);
}

void
sitrep_escalation_step_free (SitrepEscalationStep *step)
{
  g_free (step->role);
  g_free (step->contact);
  g_strfreev (step->severities);
  g_free (step->note);
  g_free (step);
}

void
sitrep_escalation_path_free (SitrepEscalationPath *path)
{
  g_free (path->id);
  g_strfreev (path->severities);
  g_clear_pointer (&path->steps, g_ptr_array_unref);
  g_free (path);
}

void
sitrep_checklist_item_free (SitrepChecklistItem *item)
{
  g_free (item->id);
  g_free (item->text);
  g_free (item->opens_ref);
  g_free (item->opens_service);
  g_strfreev (item->severities);
  g_free (item);
}

void
sitrep_checklist_phase_free (SitrepChecklistPhase *phase)
{
  g_free (phase->id);
  g_free (phase->title);
  g_clear_pointer (&phase->items, g_ptr_array_unref);
  g_free (phase);
}

void
sitrep_link_free (SitrepLink *link)
{
  g_free (link->id);
  g_free (link->label);
  g_free (link->url);
  g_free (link->note);
  g_free (link);
}

void
sitrep_condition_spec_free (SitrepConditionSpec *condition)
{
  g_free (condition->check);
  g_free (condition->description);
  g_clear_pointer (&condition->parsed, sitrep_condition_free);
  g_free (condition);
}

void
sitrep_probe_spec_free (SitrepProbeSpec *probe)
{
  g_free (probe->id);
  g_free (probe->type_name);
  if (probe->free_settings != NULL)
    g_clear_pointer (&probe->settings, probe->free_settings);
  g_free (probe->description);
  g_clear_pointer (&probe->conditions, g_ptr_array_unref);
  g_free (probe->url);
  g_free (probe->method);
  g_clear_pointer (&probe->header_names, g_ptr_array_unref);
  g_clear_pointer (&probe->header_values, g_ptr_array_unref);
  g_free (probe->body);
  g_free (probe->ca_file);
  g_free (probe->client_certificate);
  g_free (probe->client_key);
  g_free (probe->host);
  g_free (probe->send);
  g_free (probe->expect);
  g_free (probe->secret);
  g_free (probe->check);
  g_free (probe->field);
  g_free (probe->queue);
  g_free (probe->server_name);
  g_free (probe->user);
  g_free (probe->conninfo);
  g_free (probe->query);
  g_free (probe->target);
  g_strfreev (probe->argv);
  g_free (probe);
}

void
sitrep_service_free (SitrepService *service)
{
  g_free (service->id);
  g_free (service->name);
  g_free (service->description);
  g_free (service->target);
  g_free (service->selector);
  g_strfreev (service->symptoms);
  g_strfreev (service->procedures);
  g_strfreev (service->links);
  g_clear_pointer (&service->probes, g_ptr_array_unref);
  g_strfreev (service->actions);
  g_free (service->absent_from_drill);
  g_free (service);
}

void
sitrep_action_input_free (SitrepActionInput *input)
{
  g_free (input->name);
  g_free (input->label);
  g_free (input->pattern);
  g_strfreev (input->choices);
  g_strfreev (input->choices_from);
  g_free (input->pass_as_env);
  g_free (input);
}

void
sitrep_action_free (SitrepAction *action)
{
  g_free (action->id);
  g_free (action->label);
  g_free (action->description);
  g_strfreev (action->argv);
  g_clear_pointer (&action->inputs, g_ptr_array_unref);
  g_free (action->confirm);
  g_strfreev (action->follow_up);
  g_free (action->noop_output);
  g_strfreev (action->env_names);
  g_strfreev (action->env_values);
  g_free (action->stdin_text);
  g_free (action);
}

void
sitrep_template_free (SitrepTemplate *template_)
{
  g_free (template_->id);
  g_free (template_->title);
  g_free (template_->body);
  g_free (template_);
}

void
sitrep_runbook_problem_free (SitrepRunbookProblem *problem)
{
  g_free (problem->file);
  g_free (problem->message);
  g_free (problem);
}

char *
sitrep_runbook_problem_to_string (const SitrepRunbookProblem *problem)
{
  if (problem->line == 0)
    return g_strdup_printf ("%s: %s", problem->file, problem->message);
  return g_strdup_printf ("%s:%u:%u: %s", problem->file, problem->line, problem->column,
                          problem->message);
}

void
sitrep_status_spec_free (SitrepStatusSpec *status)
{
  g_free (status->id);
  g_free (status->label);
  g_free (status->description);
  g_free (status);
}

void
sitrep_postmortem_section_free (SitrepPostmortemSection *section)
{
  g_free (section->id);
  g_free (section->title);
  g_free (section->prompt);
  g_free (section);
}

static void
sitrep_runbook_finalize (GObject *object)
{
  SitrepRunbook *self = (SitrepRunbook *) object;

  g_free (self->source);
  g_free (self->digest);
  g_clear_pointer (&self->content, g_bytes_unref);
  g_free (self->name);
  g_free (self->description);
  g_free (self->reminder);
  g_free (self->severity_hint);
  g_free (self->channel_format);
  g_strfreev (self->placeholder_names);
  g_strfreev (self->placeholder_values);
  g_clear_pointer (&self->statuses, g_ptr_array_unref);
  g_clear_pointer (&self->postmortem_sections, g_ptr_array_unref);
  sitrep_environment_clear (&self->environment);
  g_clear_pointer (&self->environments, g_ptr_array_unref);
  g_clear_pointer (&self->other_environments, g_ptr_array_unref);
  g_clear_pointer (&self->severities, g_ptr_array_unref);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->escalation, g_ptr_array_unref);
  g_clear_pointer (&self->checklist, g_ptr_array_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  g_clear_pointer (&self->templates, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_runbook_parent_class)->finalize (object);
}

static void
environment_free (gpointer env)
{
  sitrep_environment_clear (env);
  g_free (env);
}

static void
sitrep_runbook_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SitrepRunbook *self = SITREP_RUNBOOK (object);

  switch (prop_id)
    {
    case 1:
      g_value_set_string (value, sitrep_runbook_get_environment (self)->id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_runbook_class_init (SitrepRunbookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sitrep_runbook_finalize;
  object_class->get_property = sitrep_runbook_get_property;

  /* The id of the environment the console works on (NULL for a runbook with one
   * "environment"): notified when another one is picked. */
  g_object_class_install_property (object_class, 1,
                                   g_param_spec_string ("environment", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                          | G_PARAM_STATIC_STRINGS));
}

static void
sitrep_runbook_init (SitrepRunbook *self)
{
  self->severities = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_severity_free);
  self->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_contact_free);
  self->escalation = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_escalation_path_free);
  self->checklist = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_checklist_phase_free);
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_service_free);
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_free);
  self->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_template_free);
  self->environment.links = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_link_free);
  self->other_environments = g_ptr_array_new_with_free_func (environment_free);
  self->environments = g_ptr_array_new ();
  g_ptr_array_add (self->environments, &self->environment);
}

const char *
sitrep_runbook_get_source (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->source;
}

/* The SHA-256 of the bytes the runbook was read from, as 64 hex digits: the same file content
 * has the same digest, and any edit changes it. */
const char *
sitrep_runbook_get_digest (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->digest;
}

/* Whether this is the runbook built into Sitrep (sitrep_runbook_load_default). */
gboolean
sitrep_runbook_get_builtin (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), FALSE);
  return self->builtin;
}

/* The document the runbook was read from, byte for byte: kept with every incident declared
 * under it. */
GBytes *
sitrep_runbook_get_content (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->content;
}

/* Where a runbook came from, in words: "the built-in runbook" or its file. */
char *
sitrep_runbook_describe_origin (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  if (self->builtin)
    return g_strdup (_("the built-in runbook"));
  return g_strdup (self->source);
}

const char *
sitrep_runbook_get_name (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->name;
}

const char *
sitrep_runbook_get_description (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->description;
}

const char *
sitrep_runbook_get_reminder (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->reminder;
}

const char *
sitrep_runbook_get_severity_hint (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->severity_hint;
}

/* Whether @item is on the checklist of an incident of @severity: an item without "severities"
 * is on every one. */
gboolean
sitrep_checklist_item_applies (const SitrepChecklistItem *item,
                               const char                *severity)
{
  g_return_val_if_fail (item != NULL, FALSE);

  return item->severities == NULL || severity == NULL
         || g_strv_contains ((const char *const *) item->severities, severity);
}

/* The names of the runbook's own placeholders ("placeholders"), in the file's order; never NULL. */
const char *const *
sitrep_runbook_get_placeholder_names (SitrepRunbook *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), none);

  return self->placeholder_names != NULL ? (const char *const *) self->placeholder_names : none;
}

/* The value of the runbook's placeholder @name, or NULL when it defines none of that name. */
const char *
sitrep_runbook_get_placeholder (SitrepRunbook *self,
                                const char    *name)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  for (guint i = 0; self->placeholder_names != NULL && self->placeholder_names[i] != NULL; i++)
    if (g_str_equal (self->placeholder_names[i], name))
      return self->placeholder_values[i];
  return NULL;
}

/* The runbook's own incident statuses (SitrepStatusSpec), in order, the first being a new
 * incident's; NULL when the runbook keeps the built-in investigating … resolved. */
GPtrArray *
sitrep_runbook_get_statuses (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  return self->statuses;
}

const SitrepStatusSpec *
sitrep_runbook_find_status (SitrepRunbook *self,
                            const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  for (guint i = 0; self->statuses != NULL && i < self->statuses->len; i++)
    {
      const SitrepStatusSpec *status = self->statuses->pdata[i];

      if (g_strcmp0 (status->id, id) == 0)
        return status;
    }
  return NULL;
}

/* The runbook's post-mortem sections (SitrepPostmortemSection), in order; NULL when it has
 * none and the post-mortem is its template's alone. */
GPtrArray *
sitrep_runbook_get_postmortem_sections (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  return self->postmortem_sections;
}

/* The format version the runbook is written in: 1 or 2. */
guint
sitrep_runbook_get_format (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), 0);

  return self->format;
}

const char *
sitrep_runbook_get_channel_format (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->channel_format;
}

const SitrepEnvironment *
sitrep_runbook_get_environment (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->environments->pdata[self->environment_index];
}

GPtrArray *
sitrep_runbook_get_severities (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->severities;
}

GPtrArray *
sitrep_runbook_get_contacts (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->contacts;
}

GPtrArray *
sitrep_runbook_get_escalation (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->escalation;
}

GPtrArray *
sitrep_runbook_get_checklist (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->checklist;
}

GPtrArray *
sitrep_runbook_get_services (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->services;
}

GPtrArray *
sitrep_runbook_get_actions (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->actions;
}

GPtrArray *
sitrep_runbook_get_templates (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->templates;
}

/* "webhook": {"allow_plain_http": true}: the chat webhook may be an http:// URL. */
gboolean
sitrep_runbook_get_webhook_allow_plain_http (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), FALSE);
  return self->webhook_allow_plain_http;
}

/* Every model struct starts with its id, so one lookup serves them all. */
static gconstpointer
find_by_id (GPtrArray  *array,
            const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < array->len; i++)
    {
      const char *const *item_id = array->pdata[i];

      if (g_strcmp0 (*item_id, id) == 0)
        return array->pdata[i];
    }
  return NULL;
}

const SitrepSeverity *
sitrep_runbook_find_severity (SitrepRunbook *self,
                              const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return find_by_id (self->severities, id);
}

const SitrepContact *
sitrep_runbook_find_contact (SitrepRunbook *self,
                             const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return find_by_id (self->contacts, id);
}

const SitrepService *
sitrep_runbook_find_service (SitrepRunbook *self,
                             const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return find_by_id (self->services, id);
}

const SitrepAction *
sitrep_runbook_find_action (SitrepRunbook *self,
                            const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return find_by_id (self->actions, id);
}

const SitrepTemplate *
sitrep_runbook_find_template (SitrepRunbook *self,
                              const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return find_by_id (self->templates, id);
}

const SitrepLink *
sitrep_runbook_find_link (SitrepRunbook *self,
                          const char    *id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return find_by_id (sitrep_runbook_get_environment (self)->links, id);
}

const SitrepEscalationPath *
sitrep_runbook_find_escalation (SitrepRunbook *self,
                                const char    *severity_id)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  for (guint i = 0; i < self->escalation->len; i++)
    {
      const SitrepEscalationPath *path = self->escalation->pdata[i];

      if (g_strv_contains ((const char *const *) path->severities, severity_id))
        return path;
    }
  return NULL;
}

char *
sitrep_format_duration (gint64 seconds)
{
  if (seconds % 86400 == 0 && seconds >= 86400)
    return g_strdup_printf (C_("duration", "%d d"), (int) (seconds / 86400));
  if (seconds % 3600 == 0 && seconds >= 3600)
    return g_strdup_printf (C_("duration", "%d h"), (int) (seconds / 3600));
  if (seconds % 60 == 0)
    return g_strdup_printf (C_("duration", "%d min"), (int) (seconds / 60));
  return g_strdup_printf (C_("duration", "%d s"), (int) seconds);
}

/* The one-line summary `sitrep check` prints for a valid runbook. */
char *
sitrep_runbook_describe (SitrepRunbook *self)
{
  guint n_probes = 0, n_items = 0;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  for (guint i = 0; i < self->services->len; i++)
    n_probes += ((SitrepService *) self->services->pdata[i])->probes->len;
  for (guint i = 0; i < self->checklist->len; i++)
    n_items += ((SitrepChecklistPhase *) self->checklist->pdata[i])->items->len;

  /* Translators: the one-line summary of a valid runbook, e.g. "CareCircle: severities 4,
   * services 6, probes 11, actions 23, checklist items 19, templates 5 (context
   * carecircle-production, namespace carecircle)" */
  return g_strdup_printf (_("%s: severities %u, services %u, probes %u, actions %u, "
                            "checklist items %u, templates %u (context %s, namespace %s)"),
                          self->name, self->severities->len, self->services->len, n_probes,
                          self->actions->len, n_items, self->templates->len,
                          sitrep_runbook_get_environment (self)->context,
                          sitrep_runbook_get_environment (self)->namespace_);
}

void
sitrep_environment_clear (SitrepEnvironment *env)
{
  g_clear_pointer (&env->id, g_free);
  g_clear_pointer (&env->label, g_free);
  g_clear_pointer (&env->context, g_free);
  g_clear_pointer (&env->namespace_, g_free);
  g_clear_pointer (&env->kubectl, g_free);
  g_clear_pointer (&env->kubeconfig, g_free);
  g_clear_pointer (&env->links, g_ptr_array_unref);
}

/* The environments (SitrepEnvironment), in the runbook's order: one for a runbook with a
 * single "environment". */
GPtrArray *
sitrep_runbook_get_environments (SitrepRunbook *self)
{
  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);
  return self->environments;
}

/* "production, staging": the ids one may pick, for messages that list them. */
char *
sitrep_runbook_list_environments (SitrepRunbook *self)
{
  GString *list = g_string_new (NULL);

  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), NULL);

  for (guint i = 0; i < self->environments->len; i++)
    {
      const SitrepEnvironment *env = self->environments->pdata[i];

      if (env->id != NULL)
        g_string_append_printf (list, "%s%s", list->len ? ", " : "", env->id);
    }
  return g_string_free (list, FALSE);
}

/**
 * sitrep_runbook_select_environment:
 * @id: an environment's id
 *
 * Makes the environment @id the one the console works on: every command, kube probe and audit
 * entry from now on, and get_environment(). An unknown id is refused with the list.
 */
gboolean
sitrep_runbook_select_environment (SitrepRunbook *self,
                                   const char    *id,
                                   GError       **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *known = NULL;
  const char *suggestion;
  g_autofree char *hint = NULL;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (self), FALSE);

  for (guint i = 0; i < self->environments->len; i++)
    {
      const SitrepEnvironment *env = self->environments->pdata[i];

      if (env->id != NULL && g_strcmp0 (env->id, id) == 0)
        {
          if (self->environment_index != i)
            {
              self->environment_index = i;
              g_object_notify (G_OBJECT (self), "environment");
            }
          return TRUE;
        }
      if (env->id != NULL)
        g_ptr_array_add (ids, env->id);
    }
  if (ids->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Runbook “%s” has one environment, with no id: there is no “%s” to pick."),
                   self->name ? self->name : "", id ? id : "");
      return FALSE;
    }
  g_ptr_array_add (ids, NULL);
  known = sitrep_runbook_list_environments (self);
  suggestion = sitrep_suggest (id ? id : "", (const char *const *) ids->pdata);
  if (suggestion != NULL)
    /* Translators: after "… give one of production, staging." */
    hint = g_strdup_printf (_(" Did you mean “%s”?"), suggestion);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("Runbook “%s” has no environment “%s”: give one of %s.%s"),
               self->name ? self->name : "", id ? id : "", known, hint ? hint : "");
  return FALSE;
}
