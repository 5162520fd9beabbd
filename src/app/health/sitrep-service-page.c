/* sitrep-service-page.c: one service in detail: each probe's last result, conditions, body, history
 *
 * The rows are built once per service and updated in place on every probe result, so that
 * keyboard focus, the screen reader's place and a pointer over a button survive the results
 * that arrive every few seconds. Only a new service, or new commands (the read-only mode
 * changed), builds rows anew.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-controller.h"
#include "sitrep-argv.h"
#include "sitrep-command-row.h"
#include "sitrep-link-row.h"
#include "sitrep-probe-group.h"
#include "sitrep-service-page-private.h"

G_DEFINE_FINAL_TYPE (SitrepServicePage, sitrep_service_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static AdwPreferencesGroup *
add_group (SitrepServicePage *self,
           const char        *title,
           const char        *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->groups, group);
  return group;
}

/* A row of text and nothing else: a symptom, a procedure. */
static void
add_text_row (AdwPreferencesGroup *group,
              const char          *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, row);
}

/* Everything that changes with a result: texts, icons, and which notices show. Texts change
 * only where they differ: a screen reader announces every change. */
static void
update (SitrepServicePage *self)
{
  SitrepHealth health;
  g_autofree char *since = NULL;
  g_autofree char *title = NULL;
  const char *reason;

  if (self->state == NULL)
    return;

  health = sitrep_service_state_get_health (self->state);
  since = sitrep_service_state_get_since (self->state) > 0
            ? sitrep_clock_format_span (g_get_real_time ()
                                        - sitrep_service_state_get_since (self->state))
            : NULL;
  title = since
    /* Translators: "Down for 3 min" */
    ? g_strdup_printf (_("%s for %s"), sitrep_health_get_label (health), since)
    : g_strdup (sitrep_health_get_label (health));
  reason = health != SITREP_HEALTH_UP ? sitrep_service_state_get_reason (self->state) : NULL;
  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->health_row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->health_row), title);
  if (g_strcmp0 (adw_action_row_get_subtitle (self->health_row), reason ? reason : "") != 0)
    adw_action_row_set_subtitle (self->health_row, reason ? reason : "");
  gtk_widget_set_visible (self->stale_row, sitrep_service_state_get_stale (self->state));

  for (guint i = 0; i < self->probes->len; i++)
    sitrep_probe_group_update (self->probes->pdata[i],
                               sitrep_service_state_get_probe (self->state, i));
}

/* The environment's links the runbook gives this service: dashboards, logs, consoles. */
static void
build_links (SitrepServicePage *self)
{
  const SitrepService *service = sitrep_service_state_get_service (self->state);
  SitrepRunbook *runbook = sitrep_service_state_get_runbook (self->state);
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; service->links != NULL && service->links[i] != NULL; i++)
    {
      const SitrepLink *link = sitrep_runbook_find_link (runbook, service->links[i]);

      if (link == NULL)
        continue;
      if (group == NULL)
        group = add_group (self, _("Links"), NULL);
      adw_preferences_group_add (group, sitrep_link_row_new (link));
    }
}

static void
build_strings (SitrepServicePage *self,
               const char        *title,
               GStrv              strings)
{
  AdwPreferencesGroup *group;

  if (strings == NULL || strings[0] == NULL)
    return;
  group = add_group (self, title, NULL);
  for (guint i = 0; strings[i] != NULL; i++)
    add_text_row (group, strings[i]);
}

/* The commands that change the service (restart, roll back, scale) at the top of the page,
 * where a commander reaches them first; with @mitigations FALSE, the read-only diagnostics,
 * below the checks. */
static void
build_commands (SitrepServicePage *self,
                gboolean           mitigations)
{
  const SitrepService *service;
  SitrepRunbook *runbook;
  AdwPreferencesGroup *group;
  gboolean untrusted;
  guint n = 0;

  if (self->state == NULL)
    return;
  service = sitrep_service_state_get_service (self->state);
  runbook = sitrep_service_state_get_runbook (self->state);
  if (service->actions == NULL || service->actions[0] == NULL)
    return;

  untrusted = self->controller != NULL && !sitrep_action_controller_get_trusted (self->controller);
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  if (mitigations)
    {
      adw_preferences_group_set_title (group, _("Mitigations"));
      adw_preferences_group_set_description (group,
                                             untrusted
                                               ? _("What changes this service, exactly as it would "
                                                   "run. None runs until you review this "
                                                   "runbook's commands and trust it.")
                                               : _("What changes this service, exactly as it will "
                                                   "run: each asks before it runs."));
    }
  else
    {
      adw_preferences_group_set_title (group, _("Diagnostics"));
      adw_preferences_group_set_description (group,
                                             untrusted
                                               ? _("The runbook's read-only commands for this "
                                                   "service, exactly as they would run. None runs "
                                                   "until you review this runbook's commands and "
                                                   "trust it.")
                                               : _("The runbook's read-only commands for this "
                                                   "service, exactly as they will run: run one "
                                                   "from here, or copy it to a terminal."));
    }
  for (guint i = 0; service->actions[i] != NULL; i++)
    {
      const SitrepAction *action = sitrep_runbook_find_action (runbook, service->actions[i]);
      g_auto(GStrv) argv = NULL;
      g_autofree char *line = NULL;
      gboolean runnable;

      if (action == NULL || !action->mutates != !mitigations
          || (self->controller != NULL && sitrep_action_controller_is_hidden (self->controller,
                                                                              action)))
        continue;
      /* Commands with inputs show their template until the action dialog asks for values. */
      argv = sitrep_argv_expand ((const char *const *) action->argv, runbook, service, NULL, NULL,
                                 NULL);
      line = argv ? sitrep_argv_to_string ((const char *const *) argv)
                  : sitrep_argv_to_string ((const char *const *) action->argv);
      /* Of a runbook not trusted yet, the commands show, but none runs from here. */
      runnable = self->controller != NULL
                 && sitrep_action_controller_check_allowed (self->controller, action, NULL);
      adw_preferences_group_add (group, sitrep_command_row_new (action, service->id, line,
                                                                runnable));
      n++;
    }
  if (n == 0)
    {
      g_object_ref_sink (group);
      g_object_unref (group);
      return;
    }
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->groups, group);
  if (self->commands == NULL)
    self->commands = GTK_WIDGET (group);
}

static void
clear (SitrepServicePage *self)
{
  /* The command groups are among the groups. */
  self->commands = NULL;
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->probes, 0);
}

/* The groups of a new service: once, then updated in place. */
static void
build (SitrepServicePage *self)
{
  const SitrepService *service;

  clear (self);
  gtk_widget_set_visible (GTK_WIDGET (self->service_group), self->state != NULL);
  if (self->state == NULL)
    return;

  service = sitrep_service_state_get_service (self->state);
  adw_preferences_group_set_title (self->service_group, service->name);
  adw_preferences_group_set_description (self->service_group, service->target);
  build_commands (self, TRUE);
  for (guint i = 0; i < sitrep_service_state_get_n_probes (self->state); i++)
    {
      GtkWidget *group = sitrep_probe_group_new (sitrep_service_state_get_probe (self->state, i)->spec);

      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
      g_ptr_array_add (self->probes, group);
    }
  build_links (self);
  build_strings (self, _("Symptoms"), service->symptoms);
  build_strings (self, _("Procedures"), service->procedures);
  build_commands (self, FALSE);
  update (self);
}

static void
sitrep_service_page_dispose (GObject *object)
{
  SitrepServicePage *self = (SitrepServicePage *) object;

  sitrep_service_page_set_state (self, NULL);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  /* AdwBin unparents its child in its own dispose: let it go first, or it would unparent the
   * page that the template already dropped. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_SERVICE_PAGE);
  self->commands = NULL;
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->probes, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_service_page_parent_class)->dispose (object);
}

static void
sitrep_service_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SitrepServicePage *self = SITREP_SERVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_service_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SitrepServicePage *self = SITREP_SERVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      sitrep_service_page_set_controller (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_service_page_class_init (SitrepServicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_service_page_dispose;
  object_class->get_property = sitrep_service_page_get_property;
  object_class->set_property = sitrep_service_page_set_property;

  /* Runs the service's commands: with one, each the runbook lets run here gets a button. */
  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, SITREP_TYPE_ACTION_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-service-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepServicePage, page);
  gtk_widget_class_bind_template_child (widget_class, SitrepServicePage, service_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepServicePage, health_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepServicePage, stale_row);
}

static void
sitrep_service_page_init (SitrepServicePage *self)
{
  self->groups = g_ptr_array_new ();
  self->probes = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_service_page_new (void)
{
  return g_object_new (SITREP_TYPE_SERVICE_PAGE, NULL);
}

void
sitrep_service_page_set_state (SitrepServicePage  *self,
                               SitrepServiceState *state)
{
  g_return_if_fail (SITREP_IS_SERVICE_PAGE (self));

  if (state == self->state)
    return;
  if (self->state != NULL)
    g_clear_signal_handler (&self->changed_id, self->state);
  g_set_object (&self->state, state);
  if (state != NULL)
    self->changed_id = g_signal_connect_swapped (state, "changed", G_CALLBACK (update), self);
  else
    g_clear_object (&self->state);
  if (self->groups != NULL)
    build (self);
}

static void
rebuild (SitrepServicePage *self)
{
  build (self);
}

SitrepServiceState *
sitrep_service_page_get_state (SitrepServicePage *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);
  return self->state;
}

/* With a controller, each command the runbook lets run here gets a run button. */
void
sitrep_service_page_set_controller (SitrepServicePage      *self,
                                    SitrepActionController *controller)
{
  g_return_if_fail (SITREP_IS_SERVICE_PAGE (self));

  if (self->controller == controller)
    return;
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);
  /* Read-only and trust change while the page is open: its buttons follow at once. The page is
   * built anew, as the mitigations sit above the checks (that happens rarely; probe results
   * update in place). */
  if (controller != NULL)
    {
      g_signal_connect_swapped (controller, "notify::read-only", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (controller, "notify::trusted", G_CALLBACK (rebuild), self);
    }
  if (self->groups != NULL)
    build (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER]);
}

SitrepActionController *
sitrep_service_page_get_controller (SitrepServicePage *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);
  return self->controller;
}
