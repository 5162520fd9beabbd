/* sitrep-incident-view.c: the current incident: header, clocks, escalation and checklist
 *
 * What the commander changes there is recorded by sitrep-incident-view-changes.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-checklist-group.h"
#include "sitrep-escalation-banner.h"
#include "sitrep-escalation-panel.h"
#include "sitrep-incident-clocks-group.h"
#include "sitrep-incident-format.h"
#include "sitrep-incident-row.h"
#include "sitrep-incident-status.h"
#include "sitrep-incident-kept.h"
#include "sitrep-incident-view-private.h"

G_DEFINE_FINAL_TYPE (SitrepIncidentView, sitrep_incident_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MANAGER,
  PROP_UTC,
  PROP_AUTHOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DECLARE_REQUESTED,
  OPEN_SERVICE,
  OPEN_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_sitrep_incident_view_show_toast (SitrepIncidentView *self,
                                  const char         *text)
{
  AdwToast *toast = adw_toast_new (text);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

SitrepIncident *
_sitrep_incident_view_current (SitrepIncidentView *self)
{
  return self->manager ? sitrep_incident_manager_get_current (self->manager) : NULL;
}

static gint64
now (SitrepIncidentView *self)
{
  return self->manager ? sitrep_incident_manager_now (self->manager) : g_get_real_time ();
}

/* The incident list */

static GtkWidget *
create_incident_row_cb (gpointer item,
                        gpointer user_data)
{
  SitrepIncidentView *self = user_data;
  SitrepIncident *incident = item;
  g_autofree char *declared = sitrep_incident_format_time (
    sitrep_incident_get_declared_at (incident), now (self), self->utc, TRUE);

  return sitrep_incident_row_new (incident,
                                  sitrep_incident_get_status_label (
                                    incident, sitrep_incident_manager_get_runbook_for (self->manager,
                                                                                       incident)),
                                  declared);
}

static void
bind_lists (SitrepIncidentView *self)
{
  GListModel *model = self->manager ? sitrep_incident_manager_get_listed (self->manager) : NULL;

  gtk_list_box_bind_model (self->incident_list, model, model ? create_incident_row_cb : NULL,
                           self, NULL);
  gtk_list_box_bind_model (self->past_list, model, model ? create_incident_row_cb : NULL, self,
                           NULL);
}

static void
incident_row_activated_cb (SitrepIncidentView *self,
                           GtkListBoxRow      *row)
{
  gint64 id = sitrep_incident_row_get_incident_id (SITREP_INCIDENT_ROW (row));

  if (self->manager == NULL || self->updating)
    return;
  sitrep_incident_manager_set_current (self->manager, id);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
declare_clicked_cb (SitrepIncidentView *self)
{
  g_signal_emit (self, signals[DECLARE_REQUESTED], 0);
}


static void
open_service_cb (SitrepIncidentView *self,
                 const char         *service_id)
{
  g_signal_emit (self, signals[OPEN_SERVICE], 0, service_id);
}

static void
open_action_cb (SitrepIncidentView *self,
                const char         *action_id,
                const char         *service_id)
{
  g_signal_emit (self, signals[OPEN_ACTION], 0, action_id, service_id);
}

static void
toast_cb (SitrepIncidentView *self,
          const char         *text)
{
  _sitrep_incident_view_show_toast (self, text);
}

/* The checklist */

static void
clear_checklist (SitrepIncidentView *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->checklist_box, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
}

static void
build_checklist (SitrepIncidentView *self)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (self->runbook);

  for (guint i = 0; i < phases->len; i++)
    {
      GtkWidget *group = sitrep_checklist_group_new (self->manager, self->runbook,
                                                     phases->pdata[i]);

      _sitrep_incident_view_connect_changes (self, group);
      g_signal_connect_swapped (group, "open-service", G_CALLBACK (open_service_cb), self);
      g_signal_connect_swapped (group, "open-action", G_CALLBACK (open_action_cb), self);
      g_signal_connect_swapped (group, "toast", G_CALLBACK (toast_cb), self);
      gtk_box_append (self->checklist_box, group);
      g_ptr_array_add (self->groups, group);
    }
}

static void
refresh_checklist (SitrepIncidentView *self,
                   SitrepIncident     *incident,
                   gint64              at)
{
  gboolean resolved = sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED;
  GtkWidget *previous = NULL;

  /* Once resolved, the post-incident phases are the work left: they come first. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->groups->len; i++)
      {
        SitrepChecklistGroup *group = self->groups->pdata[i];
        const SitrepChecklistPhase *phase = sitrep_checklist_group_get_phase (group);
        gboolean first = resolved == (phase->from == SITREP_PHASE_FROM_RESOLVED);

        if (first != (pass == 0))
          continue;
        gtk_box_reorder_child_after (self->checklist_box, GTK_WIDGET (group), previous);
        previous = GTK_WIDGET (group);
      }

  for (guint i = 0; i < self->groups->len; i++)
    sitrep_checklist_group_refresh (self->groups->pdata[i], incident, at, self->utc);
}

/* The runbook of the incident on screen */

static void
fill_severities (SitrepIncidentView *self)
{
  GPtrArray *severities = sitrep_runbook_get_severities (self->runbook);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < severities->len; i++)
    {
      const SitrepSeverity *severity = severities->pdata[i];

      g_ptr_array_add (labels, g_strdup_printf (_("%s · %s"), severity->id, severity->label));
    }
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (self->severity_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->severity_model)),
                          (const char *const *) labels->pdata);
}

/* A runbook with its own statuses (format 2) gets a dropdown of them instead of the four
 * buttons. */
static void
fill_statuses (SitrepIncidentView *self)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  gboolean own = self->runbook != NULL && sitrep_runbook_get_statuses (self->runbook) != NULL;

  g_clear_pointer (&self->status_choices, g_array_unref);
  gtk_string_list_splice (self->status_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->status_model)), NULL);
  gtk_widget_set_visible (self->status_box, !own);
  gtk_widget_set_visible (GTK_WIDGET (self->status_dropdown), own);
  if (!own)
    return;
  self->status_choices = sitrep_incident_status_choices (self->runbook);
  for (guint i = 0; i < self->status_choices->len; i++)
    g_ptr_array_add (labels, (gpointer) g_array_index (self->status_choices, SitrepStatusChoice, i).label);
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (self->status_model, 0, 0, (const char *const *) labels->pdata);
}

/* Everything that comes from a runbook (severities, checklist, escalation, reminder) follows
 * the incident on screen: an incident declared under another runbook is run by that one. The
 * rows point into the runbook, so they go before it can. */
static void
use_runbook (SitrepIncidentView *self,
             SitrepRunbook      *runbook)
{
  gboolean updating = self->updating;

  if (self->runbook == runbook)
    return;
  self->updating = TRUE;
  clear_checklist (self);
  sitrep_escalation_panel_reset (self->escalation);
  gtk_string_list_splice (self->severity_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->severity_model)), NULL);
  self->runbook = runbook;
  fill_statuses (self);
  if (runbook != NULL)
    {
      fill_severities (self);
      build_checklist (self);
    }
  self->updating = updating;
}

/* The header */

static void
refresh_header (SitrepIncidentView *self,
                SitrepIncident     *incident)
{
  GPtrArray *severities = sitrep_runbook_get_severities (self->runbook);
  SitrepIncidentStatus status = sitrep_incident_get_status (incident);
  const char *impact = sitrep_incident_get_impact (incident);
  const char *lead = sitrep_incident_get_lead (incident);
  guint selected = GTK_INVALID_LIST_POSITION;

  const char *reminder = sitrep_runbook_get_reminder (self->runbook);
  g_autofree char *note = sitrep_incident_manager_describe_runbook (self->manager, incident);

  gtk_label_set_text (self->summary_label, sitrep_incident_get_summary (incident));
  gtk_widget_set_visible (GTK_WIDGET (self->kept_label), sitrep_incident_is_kept (incident));
  gtk_label_set_text (self->impact_label, impact ? impact : "");
  gtk_widget_set_visible (GTK_WIDGET (self->impact_label), impact != NULL && *impact != '\0');
  gtk_label_set_text (self->reminder_label, reminder ? reminder : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reminder_label), reminder != NULL);
  gtk_label_set_text (self->runbook_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->runbook_label), note != NULL);

  for (guint i = 0; i < severities->len; i++)
    if (g_strcmp0 (((SitrepSeverity *) severities->pdata[i])->id,
                   sitrep_incident_get_severity (incident)) == 0)
      selected = i;
  adw_combo_row_set_selected (self->severity_row, selected);
  for (guint i = 0; i < G_N_ELEMENTS (self->status_buttons); i++)
    gtk_toggle_button_set_active (self->status_buttons[i], i == status);
  for (guint i = 0; self->status_choices != NULL && i < self->status_choices->len; i++)
    if (g_strcmp0 (g_array_index (self->status_choices, SitrepStatusChoice, i).id,
                   sitrep_incident_get_status_id (incident)) == 0)
      gtk_drop_down_set_selected (self->status_dropdown, i);
  adw_action_row_set_subtitle (self->lead_row, lead && *lead ? lead : _("Not named"));
  adw_action_row_set_subtitle (self->channel_row, sitrep_incident_get_channel (incident));
}

static void
sync_list_selection (SitrepIncidentView *self,
                     SitrepIncident     *incident)
{
  GListModel *model = sitrep_incident_manager_get_listed (self->manager);
  guint n = g_list_model_get_n_items (model);
  gboolean all_resolved = TRUE;

  gtk_list_box_unselect_all (self->incident_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SitrepIncident) item = g_list_model_get_item (model, i);

      if (incident != NULL && sitrep_incident_get_id (item) == sitrep_incident_get_id (incident))
        gtk_list_box_select_row (self->incident_list,
                                 gtk_list_box_get_row_at_index (self->incident_list, i));
      all_resolved &= sitrep_incident_get_status (item) == SITREP_STATUS_RESOLVED;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->past_group), n > 0);
  adw_preferences_group_set_title (self->past_group,
                                   all_resolved ? _("Past Incidents") : _("Incidents"));
}

void
_sitrep_incident_view_refresh (SitrepIncidentView *self)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);
  gint64 at;

  /* A window that opens on another view pays nothing for this one until it is shown. */
  if (!self->shown)
    return;
  self->updating = TRUE;
  if (incident == NULL)
    {
      gboolean loading = self->manager != NULL
                         && sitrep_incident_manager_get_loading (self->manager);

      /* Not "No Incident" while the team database has not said which there are. */
      adw_status_page_set_title (self->empty_page,
                                 loading ? _("Reading the Incidents…") : _("No Incident"));
      adw_status_page_set_description (
        self->empty_page,
        loading ? _("The incidents are being read from the team database. If production breaks "
                    "meanwhile, declare an incident: it is not lost.")
                : _("When production breaks, declare an incident: the runbook's checklist, the "
                    "severity's clocks and the escalation path start here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      if (self->manager != NULL)
        sync_list_selection (self, NULL);
      else
        gtk_widget_set_visible (GTK_WIDGET (self->past_group), FALSE);
      sitrep_escalation_panel_refresh (self->escalation, NULL, NULL, 0, self->utc);
      self->updating = FALSE;
      return;
    }

  use_runbook (self, sitrep_incident_manager_get_runbook_for (self->manager, incident));
  at = now (self);
  gtk_stack_set_visible_child_name (self->stack, "incident");
  sync_list_selection (self, incident);
  /* While the commander's own changes are on their way to the store, the controls keep showing
   * them (a snapshot read meanwhile would undo a tick on screen until it is stored). */
  if (self->saving == 0 || self->saving_id != sitrep_incident_get_id (incident))
    refresh_header (self, incident);
  sitrep_incident_clocks_group_refresh (self->clocks, incident, self->runbook, at, self->utc);
  sitrep_escalation_panel_refresh (self->escalation, incident, self->runbook, at, self->utc);
  if (self->saving == 0 || self->saving_id != sitrep_incident_get_id (incident))
    refresh_checklist (self, incident, at);
  self->updating = FALSE;
}

static void
copy_channel_clicked_cb (SitrepIncidentView *self)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);

  if (incident == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          sitrep_incident_get_channel (incident));
  _sitrep_incident_view_show_toast (self, _("Channel name copied"));
}


/* The manager */

static void
manager_changed_cb (SitrepIncidentView *self)
{
  _sitrep_incident_view_refresh (self);
}

static void
manager_due_cb (SitrepIncidentView *self,
                SitrepIncident     *incident,
                SitrepDue          *due)
{
  SitrepIncident *shown = _sitrep_incident_view_current (self);

  if (due->kind == SITREP_DUE_ESCALATION && due->message != NULL)
    sitrep_escalation_panel_remember_message (self->escalation, incident, due->step,
                                              due->message);
  if (shown == NULL || sitrep_incident_get_id (shown) != sitrep_incident_get_id (incident))
    {
      g_autofree char *text = NULL;

      /* Translators: a toast about an incident not on screen: "Escalation due: Team lead
       * (@teamlead) — API returns 503s" */
      text = g_strdup_printf (_("%s — %s"), due->text, sitrep_incident_get_summary (incident));
      _sitrep_incident_view_show_toast (self, text);
    }
  _sitrep_incident_view_refresh (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  _sitrep_incident_view_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

static void
sitrep_incident_view_map (GtkWidget *widget)
{
  SitrepIncidentView *self = SITREP_INCIDENT_VIEW (widget);

  GTK_WIDGET_CLASS (sitrep_incident_view_parent_class)->map (widget);
  if (!self->shown)
    {
      self->shown = TRUE;
      if (self->manager != NULL)
        use_runbook (self, sitrep_incident_manager_get_runbook (self->manager));
      bind_lists (self);
    }
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  _sitrep_incident_view_refresh (self);
}

static void
sitrep_incident_view_unmap (GtkWidget *widget)
{
  SitrepIncidentView *self = SITREP_INCIDENT_VIEW (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  GTK_WIDGET_CLASS (sitrep_incident_view_parent_class)->unmap (widget);
}

static void
sitrep_incident_view_dispose (GObject *object)
{
  SitrepIncidentView *self = SITREP_INCIDENT_VIEW (object);

  sitrep_incident_view_set_manager (self, NULL);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_INCIDENT_VIEW);

  G_OBJECT_CLASS (sitrep_incident_view_parent_class)->dispose (object);
}

static void
sitrep_incident_view_finalize (GObject *object)
{
  SitrepIncidentView *self = SITREP_INCIDENT_VIEW (object);

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->severity_model);
  g_clear_object (&self->status_model);
  g_clear_pointer (&self->status_choices, g_array_unref);
  g_free (self->last_toast);
  g_free (self->author);

  G_OBJECT_CLASS (sitrep_incident_view_parent_class)->finalize (object);
}

static void
sitrep_incident_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SitrepIncidentView *self = SITREP_INCIDENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_UTC:
      g_value_set_boolean (value, self->utc);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, sitrep_incident_view_get_author (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_incident_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SitrepIncidentView *self = SITREP_INCIDENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      sitrep_incident_view_set_manager (self, g_value_get_object (value));
      break;
    case PROP_UTC:
      sitrep_incident_view_set_utc (self, g_value_get_boolean (value));
      break;
    case PROP_AUTHOR:
      sitrep_incident_view_set_author (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_incident_view_class_init (SitrepIncidentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_incident_view_dispose;
  object_class->finalize = sitrep_incident_view_finalize;
  object_class->get_property = sitrep_incident_view_get_property;
  object_class->set_property = sitrep_incident_view_set_property;

  /* The incidents shown. */
  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, SITREP_TYPE_INCIDENT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Times shown in UTC rather than local time. */
  properties[PROP_UTC] =
    g_param_spec_boolean ("utc", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whose name goes on what is changed here; the user name when unset or empty. */
  properties[PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->map = sitrep_incident_view_map;
  widget_class->unmap = sitrep_incident_view_unmap;

  /**
   * SitrepIncidentView::declare-requested:
   *
   * The commander asked to declare an incident.
   */
  signals[DECLARE_REQUESTED] = g_signal_new ("declare-requested", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  /**
   * SitrepIncidentView::open-service:
   * @service_id: the runbook's service id
   */
  signals[OPEN_SERVICE] = g_signal_new ("open-service", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        G_TYPE_STRING);
  /**
   * SitrepIncidentView::open-action:
   * @action_id: the runbook's action id
   * @service_id: (nullable): the service it applies to
   */
  signals[OPEN_ACTION] = g_signal_new ("open-action", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (SITREP_TYPE_ESCALATION_BANNER);
  g_type_ensure (SITREP_TYPE_ESCALATION_PANEL);
  g_type_ensure (SITREP_TYPE_INCIDENT_CLOCKS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-incident-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, past_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, past_list);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, flap);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, incident_list);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, impact_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, reminder_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, runbook_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, kept_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, severity_row);
  gtk_widget_class_bind_template_child_full (widget_class, "status_investigating", FALSE,
                                             G_STRUCT_OFFSET (SitrepIncidentView,
                                                              status_buttons[SITREP_STATUS_INVESTIGATING]));
  gtk_widget_class_bind_template_child_full (widget_class, "status_identified", FALSE,
                                             G_STRUCT_OFFSET (SitrepIncidentView,
                                                              status_buttons[SITREP_STATUS_IDENTIFIED]));
  gtk_widget_class_bind_template_child_full (widget_class, "status_monitoring", FALSE,
                                             G_STRUCT_OFFSET (SitrepIncidentView,
                                                              status_buttons[SITREP_STATUS_MONITORING]));
  gtk_widget_class_bind_template_child_full (widget_class, "status_resolved", FALSE,
                                             G_STRUCT_OFFSET (SitrepIncidentView,
                                                              status_buttons[SITREP_STATUS_RESOLVED]));
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, status_box);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, lead_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, channel_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, checklist_box);
  gtk_widget_class_bind_template_callback (widget_class, declare_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, incident_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_channel_clicked_cb);
  _sitrep_incident_view_class_bind_changes (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, toast_cb);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, clocks);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentView, escalation);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "incidentview");
}

static void
sitrep_incident_view_init (SitrepIncidentView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->groups = g_ptr_array_new ();
  self->severity_model = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->severity_row, G_LIST_MODEL (self->severity_model));
  _sitrep_incident_view_connect_changes (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (self->status_buttons); i++)
    gtk_button_set_label (GTK_BUTTON (self->status_buttons[i]),
                          sitrep_incident_status_get_label (i));
  self->status_model = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (self->status_model));

  _sitrep_incident_view_refresh (self);
}

GtkWidget *
sitrep_incident_view_new (void)
{
  return g_object_new (SITREP_TYPE_INCIDENT_VIEW, NULL);
}

/* Takes the keyboard (and a screen reader) to the escalation path, scrolled into view, as a
 * notification's "an escalation fell due" asks. */
void
sitrep_incident_view_show_escalation (SitrepIncidentView *self)
{
  g_return_if_fail (SITREP_IS_INCIDENT_VIEW (self));
  gtk_widget_child_focus (GTK_WIDGET (self->escalation), GTK_DIR_TAB_FORWARD);
}

/**
 * sitrep_incident_view_set_manager:
 * @manager: (nullable): the incidents to show
 */
void
sitrep_incident_view_set_manager (SitrepIncidentView    *self,
                                  SitrepIncidentManager *manager)
{
  g_return_if_fail (SITREP_IS_INCIDENT_VIEW (self));
  g_return_if_fail (manager == NULL || SITREP_IS_INCIDENT_MANAGER (manager));

  if (self->manager == manager)
    return;

  if (self->manager != NULL)
    {
      g_clear_signal_handler (&self->current_id, self->manager);
      g_clear_signal_handler (&self->loading_id, self->manager);
      g_clear_signal_handler (&self->changed_id, self->manager);
      g_clear_signal_handler (&self->due_id, self->manager);
      g_clear_signal_handler (&self->clock_id, self->clock);
    }
  /* The rows point into the old manager's runbooks: they go before the manager can. */
  use_runbook (self, NULL);
  g_set_object (&self->manager, manager);
  self->clock = NULL;

  if (manager != NULL)
    {
      if (self->shown)
        use_runbook (self, sitrep_incident_manager_get_runbook (manager));
      self->clock = sitrep_incident_manager_get_clock (manager);
      self->current_id = g_signal_connect_swapped (manager, "notify::current",
                                                   G_CALLBACK (manager_changed_cb), self);
      self->loading_id = g_signal_connect_swapped (manager, "notify::loading",
                                                   G_CALLBACK (manager_changed_cb), self);
      self->changed_id = g_signal_connect_swapped (manager, "changed",
                                                   G_CALLBACK (manager_changed_cb), self);
      self->due_id = g_signal_connect_swapped (manager, "due", G_CALLBACK (manager_due_cb), self);
      /* A test's clock jumps: the screen follows at once rather than at the next second. */
      self->clock_id = g_signal_connect_swapped (self->clock, "changed",
                                                 G_CALLBACK (manager_changed_cb), self);
    }
  if (self->shown)
    bind_lists (self);
  _sitrep_incident_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

SitrepIncidentManager *
sitrep_incident_view_get_manager (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), NULL);
  return self->manager;
}

void
sitrep_incident_view_set_utc (SitrepIncidentView *self,
                              gboolean            utc)
{
  g_return_if_fail (SITREP_IS_INCIDENT_VIEW (self));

  utc = !!utc;
  if (self->utc == utc)
    return;
  self->utc = utc;
  if (self->shown)
    bind_lists (self);
  _sitrep_incident_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTC]);
}

gboolean
sitrep_incident_view_get_utc (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);
  return self->utc;
}

void
sitrep_incident_view_set_author (SitrepIncidentView *self,
                                 const char         *author)
{
  g_return_if_fail (SITREP_IS_INCIDENT_VIEW (self));

  if (author != NULL && *author == '\0')
    author = NULL;
  if (g_strcmp0 (self->author, author) == 0)
    return;
  g_free (self->author);
  self->author = g_strdup (author);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHOR]);
}

const char *
sitrep_incident_view_get_author (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), NULL);
  return self->author ? self->author : g_get_user_name ();
}

