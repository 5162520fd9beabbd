/* sitrep-window.c: the main window: environment banner, the Health, Incident and Timeline views
 *
 * The window's actions (win.*: commands, incidents, messages, runbooks) are in
 * sitrep-window-actions.c; the Incident and Timeline views, made when first shown, in
 * sitrep-window-views.c; the runbook's name, its environment banner and a broken runbook's
 * problems in sitrep-window-runbook.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-drill-scenario.h"
#include "sitrep-health-view.h"
#include "sitrep-incident-view.h"
#include "sitrep-timeline-view.h"
#include "sitrep-window-private.h"
#include "sitrep-wrap-label-layout.h"

G_DEFINE_FINAL_TYPE (SitrepWindow, sitrep_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A hidden revealer still measures its child, and a banner's wrapped text cost the first frame
 * dozens of layouts (issue 13): the banner's content is shown only while it is revealed or
 * sliding. */
static void
set_banner_revealed (GtkRevealer *revealer,
                     gboolean     reveal)
{
  if (reveal)
    gtk_widget_set_visible (gtk_revealer_get_child (revealer), TRUE);
  gtk_revealer_set_reveal_child (revealer, reveal);
}

static void
banner_settled_cb (GtkRevealer *revealer,
                   GParamSpec  *pspec,
                   gpointer     user_data)
{
  if (!gtk_revealer_get_reveal_child (revealer) && !gtk_revealer_get_child_revealed (revealer))
    gtk_widget_set_visible (gtk_revealer_get_child (revealer), FALSE);
}

static void
update_store (SitrepWindow *self)
{
  const char *error = sitrep_session_get_store_error (self->session);
  SitrepStore *store = sitrep_session_get_store (self->session);
  gboolean offline = error == NULL && store != NULL && sitrep_store_get_offline (store);
  const char *problem = error == NULL && store != NULL ? sitrep_store_get_journal_problem (store)
                                                       : NULL;
  guint refused = error == NULL && store != NULL ? sitrep_store_get_refused_changes (store) : 0;
  guint kept = store != NULL ? sitrep_store_get_pending_changes (store) : 0;
  gboolean waits_for_key = FALSE;
  g_autoptr(GString) text = g_string_new (NULL);

  if (error == NULL && store != NULL)
    g_object_get (store, "waits-for-key", &waits_for_key, NULL);

  if (error != NULL)
    g_string_printf (text, _("Incidents cannot be saved: %s"), error);
  else if (offline && sitrep_store_get_never_connected (store))
    /* Translators: the banner while the team database has not answered since the console
     * started; %u is how many changes wait */
    g_string_printf (text,
                     ngettext ("The team database has not answered since Sitrep started: "
                               "check that its server runs and that the address in Preferences "
                               "is right. Changes are kept on this computer and written when it "
                               "answers (%u kept).",
                               "The team database has not answered since Sitrep started: "
                               "check that its server runs and that the address in Preferences "
                               "is right. Changes are kept on this computer and written when it "
                               "answers (%u kept).",
                               kept),
                     kept);
  else if (offline)
    /* Translators: the banner while the team database is away; %u is how many changes wait */
    g_string_printf (text,
                     ngettext ("The team database is unreachable: changes are kept on this "
                               "computer and written when it is back (%u kept).",
                               "The team database is unreachable: changes are kept on this "
                               "computer and written when it is back (%u kept).",
                               kept),
                     kept);
  else if (problem != NULL)
    /* Translators: %s says why the team database takes no changes ("The team database refuses
     * writes: …"); %u is how many changes wait on this computer */
    g_string_printf (text,
                     ngettext ("%s Changes are kept on this computer until it takes them (%u "
                               "kept).",
                               "%s Changes are kept on this computer until it takes them (%u "
                               "kept).",
                               kept),
                     problem, kept);
  else if (waits_for_key && kept > 0)
    /* Translators: the banner while the changes kept for the team database wait for the
     * audit log's key, which is in the keyring; %u is how many changes wait */
    g_string_printf (text,
                     ngettext ("%u change kept on this computer waits for the audit log’s key: "
                               "unlock the keyring (its password prompt may be behind this "
                               "window) and it is written to the team database.",
                               "%u changes kept on this computer wait for the audit log’s key: "
                               "unlock the keyring (its password prompt may be behind this "
                               "window) and they are written to the team database.",
                               kept),
                     kept);
  if (error == NULL && refused > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* Translators: %u changes kept while away that the team database can never take */
      g_string_append_printf (text,
                              ngettext ("%u change the team database refused for good was set "
                                        "aside on this computer: “sitrep store journal” lists "
                                        "it.",
                                        "%u changes the team database refused for good were set "
                                        "aside on this computer: “sitrep store journal” lists "
                                        "them.",
                                        refused),
                              refused);
    }
  if (text->len > 0)
    gtk_label_set_text (self->store_label, text->str);
  set_banner_revealed (self->store_revealer, text->len > 0);
  /* What is kept can be listed: what, when, of which incident. */
  sitrep_kept_list_set_sources (self->kept_list, error == NULL ? store : NULL,
                                sitrep_session_get_incidents (self->session));
  gtk_widget_set_visible (GTK_WIDGET (self->kept_button),
                          error == NULL && (offline || problem != NULL || waits_for_key)
                            && kept > 0);
}

/* A team database's store says when it is unreachable and how many changes wait. */
static void
follow_store (SitrepWindow *self)
{
  SitrepStore *store = sitrep_session_get_store (self->session);

  if (store == self->followed_store)
    return;
  if (self->followed_store != NULL)
    g_signal_handlers_disconnect_by_data (self->followed_store, self);
  g_set_object (&self->followed_store, store);
  if (store != NULL)
    {
      g_signal_connect_swapped (store, "notify::offline", G_CALLBACK (update_store), self);
      g_signal_connect_swapped (store, "notify::pending-changes", G_CALLBACK (update_store),
                                self);
      g_signal_connect_swapped (store, "notify::journal-problem", G_CALLBACK (update_store),
                                self);
      g_signal_connect_swapped (store, "notify::refused-changes", G_CALLBACK (update_store),
                                self);
      g_signal_connect_swapped (store, "notify::waits-for-key", G_CALLBACK (update_store),
                                self);
    }
  update_store (self);
}

/* A runbook from a file runs nothing until the user has read its commands and trusted them. */
static void
update_trust (SitrepWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->main_stack);
  gboolean console = g_strcmp0 (page, "console") == 0;

  set_banner_revealed (self->trust_revealer,
                       console && !sitrep_session_get_trusted (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-commands",
                                 sitrep_session_get_runbook (self->session) != NULL);
}

/* A first run: the built-in runbook, and no incident ever declared. The Health view then offers
 * a drill while nothing answers. */
static void
update_offer_drill (SitrepWindow *self)
{
  SitrepRunbook *runbook = sitrep_session_get_runbook (self->session);

  sitrep_health_view_set_offer_drill (self->health_view,
                                      runbook != NULL && sitrep_runbook_get_builtin (runbook)
                                      && self->watched_incidents != NULL
                                      && g_list_model_get_n_items (self->watched_incidents) == 0);
}

/* Drill incidents are practice: the incident list shows them when asked to (or in a drill). */
static void
show_drills_changed_cb (SitrepWindow *self)
{
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  GSettings *settings = sitrep_session_get_settings (self->session);

  if (incidents != NULL && settings != NULL)
    sitrep_incident_manager_set_show_drills (incidents,
                                             g_settings_get_boolean (settings, "show-drills"));
}

static void
watch_incidents (SitrepWindow *self)
{
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  GListModel *model = incidents ? sitrep_incident_manager_get_incidents (incidents) : NULL;

  show_drills_changed_cb (self);

  if (model != self->watched_incidents)
    {
      if (self->watched_incidents != NULL)
        g_signal_handlers_disconnect_by_func (self->watched_incidents, update_offer_drill, self);
      g_set_object (&self->watched_incidents, model);
      if (model != NULL)
        g_signal_connect_swapped (model, "items-changed", G_CALLBACK (update_offer_drill), self);
    }
  update_offer_drill (self);
}

/* What the window shows itself follows the session; the views are bound to it (constructed()). */
static void
session_changed_cb (SitrepWindow *self)
{
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);

  sitrep_window_show_runbook_state (self);
  update_store (self);
  update_trust (self);
  watch_incidents (self);
  sitrep_window_set_actions (self, sitrep_session_get_actions (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.declare", incidents != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compose", incidents != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.postmortem", incidents != NULL);
}

/* The window is drawn, or will not be soon: the monitor may start probing. */
static void
release_monitor (SitrepWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->drawn = TRUE;
  if (clock != NULL && self->after_paint_id != 0)
    g_clear_signal_handler (&self->after_paint_id, clock);
  self->after_paint_id = 0;
  g_clear_handle_id (&self->hold_timeout_id, g_source_remove);
  if (self->held != NULL)
    sitrep_monitor_release (self->held);
  g_clear_object (&self->held);
}

static void
first_frame_cb (SitrepWindow *self)
{
  release_monitor (self);
}

static gboolean
hold_timeout_cb (gpointer user_data)
{
  SitrepWindow *self = user_data;

  self->hold_timeout_id = 0;
  release_monitor (self);
  return G_SOURCE_REMOVE;
}

/* Until the window has drawn its first frame, the session's monitor starts no probe: spawning
 * kubectl and opening connections would compete with the window for the processor. */
static void
monitor_changed_cb (SitrepWindow *self)
{
  SitrepMonitor *monitor = sitrep_session_get_monitor (self->session);

  if (self->drawn || monitor == self->held)
    return;
  if (self->held != NULL)
    sitrep_monitor_release (self->held);
  g_set_object (&self->held, monitor);
  if (monitor != NULL)
    sitrep_monitor_hold (monitor);
}

static void
sitrep_window_realize (GtkWidget *widget)
{
  SitrepWindow *self = SITREP_WINDOW (widget);

  GTK_WIDGET_CLASS (sitrep_window_parent_class)->realize (widget);
  if (!self->drawn && self->after_paint_id == 0)
    self->after_paint_id = g_signal_connect_swapped (gtk_widget_get_frame_clock (widget),
                                                     "after-paint", G_CALLBACK (first_frame_cb),
                                                     self);
}

static void
sitrep_window_unrealize (GtkWidget *widget)
{
  SitrepWindow *self = SITREP_WINDOW (widget);

  if (self->after_paint_id != 0)
    g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (sitrep_window_parent_class)->unrealize (widget);
}

static void
sitrep_window_dispose (GObject *object)
{
  SitrepWindow *self = (SitrepWindow *) object;

  g_clear_handle_id (&self->hold_timeout_id, g_source_remove);
  if (self->held != NULL)
    sitrep_monitor_release (self->held);
  g_clear_object (&self->held);

  if (self->followed_store != NULL)
    g_signal_handlers_disconnect_by_data (self->followed_store, self);
  g_clear_object (&self->followed_store);
  if (self->kept_list != NULL)
    sitrep_kept_list_set_sources (self->kept_list, NULL, NULL);

  /* Before the views go: the session outlives them. */
  for (guint i = 0; i < G_N_ELEMENTS (self->bindings); i++)
    g_clear_pointer (&self->bindings[i], g_binding_unbind);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  if (self->watched_incidents != NULL)
    g_signal_handlers_disconnect_by_data (self->watched_incidents, self);
  g_clear_object (&self->watched_incidents);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  sitrep_window_forget_runbook (self);
  g_clear_object (&self->environment_model);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_WINDOW);
  /* They went with their pages. */
  self->incident_view = NULL;
  self->timeline_view = NULL;

  G_OBJECT_CLASS (sitrep_window_parent_class)->dispose (object);
}

static void
bind_settings (SitrepWindow *self)
{
  GSettings *settings = sitrep_session_get_settings (self->session);
  g_autoptr(GAction) show_drills = NULL;

  if (settings == NULL)
    return;
  g_signal_connect_object (settings, "changed::show-drills", G_CALLBACK (show_drills_changed_cb),
                           self, G_CONNECT_SWAPPED);
  show_drills = g_settings_create_action (settings, "show-drills");
  g_action_map_add_action (G_ACTION_MAP (self), show_drills);
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/* Another console changed a timeline event: the Timeline view, once made, shows it. */
static void
event_changed_cb (SitrepWindow *self,
                  gint64        incident_id,
                  gint64        event_id)
{
  if (self->timeline_view != NULL)
    sitrep_timeline_view_event_changed (self->timeline_view, event_id);
}

/* Each view gets what it shows from the session, as properties that follow it: another runbook
 * brings another monitor, incident manager and controller. The Incident and Timeline views are
 * bound when they are made, on first show (sitrep-window-views.c). */
static void
sitrep_window_constructed (GObject *object)
{
  SitrepWindow *self = (SitrepWindow *) object;
  const struct { const char *from; gpointer view; const char *to; } bound[] = {
    [SITREP_WINDOW_BINDING_MONITOR] = { "monitor", self->health_view, "monitor" },
    [SITREP_WINDOW_BINDING_ACTIONS] = { "actions", self->health_view, "action-controller" },
  };
  const char *signals[] = {
    "notify::runbook", "notify::problems", "notify::loading", "notify::store-error",
    "notify::read-only", "notify::incidents", "notify::actions", "notify::trusted"
  };

  G_OBJECT_CLASS (sitrep_window_parent_class)->constructed (object);

  g_assert (self->session != NULL);
  /* The saved size first: the Health view fits its grid's columns to the window's width. */
  bind_settings (self);
  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    self->bindings[i] = g_object_bind_property (self->session, bound[i].from, bound[i].view,
                                                bound[i].to, G_BINDING_SYNC_CREATE);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_swapped (self->session, signals[i], G_CALLBACK (session_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::monitor", G_CALLBACK (monitor_changed_cb),
                            self);
  g_signal_connect_swapped (self->session, "notify::store", G_CALLBACK (follow_store), self);
  follow_store (self);
  monitor_changed_cb (self);
  /* A window that is not shown (or a display that never draws) does not stop probing for
   * long; a first frame takes seconds at most, even on a loaded machine under the sanitizers. */
  self->hold_timeout_id = g_timeout_add_seconds (30, hold_timeout_cb, self);
  sitrep_store_indicator_set_session (self->store_indicator, self->session);
  g_signal_connect_swapped (self->session, "event-changed", G_CALLBACK (event_changed_cb), self);
  sitrep_window_follow_postmortems (self);
  session_changed_cb (self);
}

static void
sitrep_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SitrepWindow *self = SITREP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SitrepWindow *self = SITREP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_window_class_init (SitrepWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sitrep_window_constructed;
  object_class->dispose = sitrep_window_dispose;
  widget_class->realize = sitrep_window_realize;
  widget_class->unrealize = sitrep_window_unrealize;
  object_class->get_property = sitrep_window_get_property;
  object_class->set_property = sitrep_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SITREP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SITREP_TYPE_HEALTH_VIEW);
  g_type_ensure (SITREP_TYPE_STORE_INDICATOR);
  g_type_ensure (SITREP_TYPE_WRAP_LABEL_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, runbook_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, health_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, incident_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, timeline_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, declare_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_banner);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_flags);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, problems_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, problem_list);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, store_revealer);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, store_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, kept_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, store_indicator);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, trust_revealer);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, trust_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, drill_menu);
  gtk_widget_class_bind_template_callback (widget_class, sitrep_window_view_shown_cb);

  sitrep_window_class_add_actions (widget_class);
}

/* "Practise with a Drill": one entry per scenario, each starting it (app.drill). */
static void
fill_drill_menu (SitrepWindow *self)
{
  const SitrepDrillScenarioInfo *scenarios;
  guint n;

  scenarios = sitrep_drill_scenario_list (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(scenarios[i].title), NULL);

      g_menu_item_set_action_and_target_value (item, "app.drill",
                                               g_variant_new_string (scenarios[i].id));
      g_menu_append_item (self->drill_menu, item);
    }
}

static void
sitrep_window_init (SitrepWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->kept_list = SITREP_KEPT_LIST (sitrep_kept_list_new ());
  gtk_menu_button_set_popover (self->kept_button, GTK_WIDGET (self->kept_list));
  g_signal_connect (self->store_revealer, "notify::child-revealed",
                    G_CALLBACK (banner_settled_cb), NULL);
  g_signal_connect (self->trust_revealer, "notify::child-revealed",
                    G_CALLBACK (banner_settled_cb), NULL);
  fill_drill_menu (self);
  sitrep_window_init_runbook (self);
}

/* A short message over the window, for what happens outside it (a drill that did not start). */
void
sitrep_window_show_toast (SitrepWindow *self,
                          const char   *text)
{
  g_return_if_fail (SITREP_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/**
 * sitrep_window_new:
 * @session: what the window shows: the application's session
 */
SitrepWindow *
sitrep_window_new (GtkApplication *application,
                   SitrepSession  *session)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SITREP_IS_SESSION (session), NULL);

  return g_object_new (SITREP_TYPE_WINDOW, "application", application, "session", session, NULL);
}

/* Shows a service's page in the Health view, as a notification's click asks. */
void
sitrep_window_show_service (SitrepWindow *self,
                            const char   *service_id)
{
  g_return_if_fail (SITREP_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "health");
  sitrep_health_view_open_service (self->health_view, service_id);
}

/* Shows an incident, as a notification's click asks. */
void
sitrep_window_show_incident (SitrepWindow *self,
                             gint64        id)
{
  SitrepIncidentManager *incidents;

  g_return_if_fail (SITREP_IS_WINDOW (self));

  incidents = sitrep_session_get_incidents (self->session);
  if (incidents != NULL && sitrep_incident_manager_find (incidents, id) != NULL)
    sitrep_incident_manager_set_current (incidents, id);
  adw_view_stack_set_visible_child_name (self->view_stack, "incident");
}

/* Shows an incident's escalation path, as the notification of a step that fell due asks. */
void
sitrep_window_show_escalation (SitrepWindow *self,
                               gint64        id)
{
  g_return_if_fail (SITREP_IS_WINDOW (self));

  sitrep_window_show_incident (self, id);
  sitrep_incident_view_show_escalation (sitrep_window_get_incident_view (self));
}

