/* sitrep-declare-dialog.c: the wizard that declares an incident, then shows channel and message */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-affected-service-row.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-template-values.h"

G_DEFINE_FINAL_TYPE (SitrepDeclareDialog, sitrep_declare_dialog, ADW_TYPE_WINDOW)

enum
{
  DECLARED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_SHOW_UTC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SitrepTemplate *
find_status_template (SitrepRunbook *runbook)
{
  GPtrArray *templates = sitrep_runbook_get_templates (runbook);

  for (guint i = 0; i < templates->len; i++)
    {
      const SitrepTemplate *template = templates->pdata[i];

      if (template->kind == SITREP_TEMPLATE_STATUS)
        return template;
    }
  return NULL;
}

static gboolean
summary_is_valid (SitrepDeclareDialog *self)
{
  g_autofree char *clean = NULL;

  clean = sitrep_incident_clean_summary (gtk_editable_get_text (GTK_EDITABLE (self->summary_row)),
                                         NULL);
  return clean != NULL;
}

void
_sitrep_declare_dialog_update_state (SitrepDeclareDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean declared = g_strcmp0 (page, "declared") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !declared);
  gtk_widget_set_visible (GTK_WIDGET (self->declare_button), !declared);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), declared);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "declare.declare",
                                 !declared && !self->declaring && self->severity != NULL
                                 && summary_is_valid (self));

  adw_window_title_set_subtitle (self->window_title, declared ? _("Declared") : "");
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 declared ? GTK_WIDGET (self->done_button)
                                          : GTK_WIDGET (self->declare_button));
}

static void
summary_changed_cb (SitrepDeclareDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->summary_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *clean = sitrep_incident_clean_summary (text, &error);

  g_clear_pointer (&self->summary_error, g_free);
  /* An empty field is not an error yet: Declare stays off until there is a summary. */
  if (clean == NULL && *text != '\0')
    self->summary_error = g_strdup (error->message);

  gtk_label_set_text (self->summary_error_label, self->summary_error ? self->summary_error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_error_label), self->summary_error != NULL);
  if (self->summary_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_row), "error");
  _sitrep_declare_dialog_update_state (self);
}

/* Enter anywhere on the page declares: the severity is already picked from the Health view. */
static void
summary_activated_cb (SitrepDeclareDialog *self)
{
  if (!summary_is_valid (self) ||
      !gtk_widget_activate_action (GTK_WIDGET (self), "declare.declare", NULL))
    gtk_widget_error_bell (GTK_WIDGET (self->summary_row));
}

static void
impact_activated_cb (SitrepDeclareDialog *self)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "declare.declare", NULL))
    {
      gtk_widget_error_bell (GTK_WIDGET (self->impact_row));
      if (!summary_is_valid (self))
        gtk_widget_grab_focus (GTK_WIDGET (self->summary_row));
    }
}

static void
lead_activated_cb (SitrepDeclareDialog *self)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "declare.declare", NULL))
    gtk_widget_error_bell (GTK_WIDGET (self->lead_row));
}

static char *
format_time (SitrepDeclareDialog *self,
             gint64               at)
{
  g_autoptr(GDateTime) time = NULL;

  g_autoptr(GDateTime) now = NULL;
  gint64 now_us = sitrep_incident_manager_now (self->manager);

  time = self->show_utc ? g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC)
                        : g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);
  now = self->show_utc ? g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC)
                       : g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);
  /* A SEV-4's target is tomorrow: a bare time would read as today. */
  if (g_date_time_get_day_of_year (time) != g_date_time_get_day_of_year (now) ||
      g_date_time_get_year (time) != g_date_time_get_year (now))
    return g_date_time_format (time, self->show_utc ? "%a %H:%M UTC" : "%a %H:%M");
  return g_date_time_format (time, self->show_utc ? "%H:%M UTC" : "%H:%M");
}

static void
render_message (SitrepDeclareDialog *self)
{
  SitrepRunbook *runbook = sitrep_incident_manager_get_runbook (self->manager);
  SitrepIncident *incident = sitrep_incident_manager_find (self->manager, self->incident_id);
  const SitrepTemplate *template = find_status_template (runbook);
  g_autoptr(GHashTable) values = NULL;
  const char *channel;

  gtk_widget_set_visible (GTK_WIDGET (self->message_group), template != NULL && incident != NULL);
  if (template == NULL || incident == NULL)
    return;

  values = sitrep_template_values_for_incident (incident, runbook,
                                                sitrep_incident_manager_now (self->manager),
                                                self->show_utc);
  /* The channel as the person edited it: that is the one they are about to create. */
  channel = gtk_editable_get_text (GTK_EDITABLE (self->channel_entry));
  if (*channel != '\0')
    g_hash_table_insert (values, "channel", g_strdup (channel));
  g_free (self->message);
  self->message = sitrep_template_render (template->body, values, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->message_view), self->message, -1);
}

static void
channel_changed_cb (SitrepDeclareDialog *self)
{
  if (self->declared)
    render_message (self);
}

static void
show_declared (SitrepDeclareDialog *self)
{
  SitrepRunbook *runbook = sitrep_incident_manager_get_runbook (self->manager);
  SitrepIncident *incident = sitrep_incident_manager_find (self->manager, self->incident_id);
  gint64 due_at = incident ? sitrep_incident_response_due_at (incident, runbook) : 0;
  g_autofree char *title = NULL;

  /* Translators: the heading once an incident is declared, "SEV-1 Incident Declared" */
  title = g_strdup_printf (_("%s Incident Declared"), self->severity);
  gtk_label_set_text (self->declared_label, title);
  if (due_at > 0)
    {
      g_autofree char *at = format_time (self, due_at);
      g_autofree char *text = NULL;

      /* Translators: under "SEV-1 Incident Declared"; %s is a time, "14:15" */
      text = g_strdup_printf (_("Respond by %s. Open the incident channel and post the first "
                                "status now."), at);
      gtk_label_set_text (self->declared_sublabel, text);
    }
  else
    {
      gtk_label_set_text (self->declared_sublabel,
                          _("Open the incident channel and post the first status now."));
    }

  gtk_editable_set_text (GTK_EDITABLE (self->channel_entry),
                         incident ? sitrep_incident_get_channel (incident) : "");
  render_message (self);
  gtk_stack_set_visible_child_name (self->stack, "declared");
}

/* The store has the incident (the main loop did not wait for it), or says why not. */
static void
declared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SitrepDeclareDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_incident_manager_declare_finish (SITREP_INCIDENT_MANAGER (source), result,
                                                      &error);

  self->declaring = FALSE;
  if (self->manager == NULL)
    return; /* closed meanwhile: the incident is declared all the same */
  /* An incident declared while the team database is away has a provisional id below zero. */
  if (error != NULL)
    {
      /* Nothing typed is lost: the details stay as they were, with what went wrong above them. */
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_error_bell (GTK_WIDGET (self));
      _sitrep_declare_dialog_update_state (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->incident_id = id;
  self->declared = TRUE;
  show_declared (self);
  g_signal_emit (self, signals[DECLARED], 0, id);
}

static void
declare_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (widget);
  g_autoptr(GPtrArray) services = g_ptr_array_new ();
  g_autofree char *lead = NULL;
  const char *impact;

  if (self->declaring || self->severity == NULL || !summary_is_valid (self))
    return;

  for (guint i = 0; i < self->service_rows->len; i++)
    {
      SitrepAffectedServiceRow *row = self->service_rows->pdata[i];

      if (sitrep_affected_service_row_get_active (row))
        g_ptr_array_add (services, (gpointer) sitrep_affected_service_row_get_service_id (row));
    }
  g_ptr_array_add (services, NULL);

  impact = gtk_editable_get_text (GTK_EDITABLE (self->impact_row));
  lead = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->lead_row))));
  if (*lead == '\0')
    {
      gtk_label_set_text (self->error_label,
                          _("Who leads this incident? Enter the lead’s name; Sitrep remembers it "
                            "for the next incident"));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->lead_row));
      gtk_widget_error_bell (widget);
      return;
    }
  self->declaring = TRUE;
  _sitrep_declare_dialog_update_state (self);
  sitrep_incident_manager_declare_async (self->manager, self->severity,
                                         gtk_editable_get_text (GTK_EDITABLE (self->summary_row)),
                                         *impact != '\0' ? impact : NULL, lead, NULL,
                                         (const char *const *) services->pdata, NULL,
                                         declared_cb, g_object_ref (self));
}

/* Selects the first "[name]" of the message and puts the cursor there: typing fills it in. */
static void
select_placeholder (GtkTextView *view,
                    const char  *placeholder)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (gtk_text_iter_forward_search (&start, placeholder, GTK_TEXT_SEARCH_TEXT_ONLY, &match_start,
                                    &match_end, NULL))
    {
      gtk_text_buffer_select_range (buffer, &match_start, &match_end);
      gtk_text_view_scroll_to_iter (view, &match_start, 0.0, FALSE, 0, 0);
    }
  gtk_widget_grab_focus (GTK_WIDGET (view));
}

static void
message_edited_cb (SitrepDeclareDialog *self)
{
  self->unfilled_warned = FALSE;
}

static void
copy_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (widget);
  gboolean channel = g_str_equal (g_variant_get_string (parameter, NULL), "channel");
  g_autofree char *edited = NULL;
  const char *text;

  if (channel)
    {
      text = gtk_editable_get_text (GTK_EDITABLE (self->channel_entry));
    }
  else
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->message_view);
      GtkTextIter start, end;
      g_autoptr(GPtrArray) unfilled = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = edited = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      /* A "[impact]" never reaches stakeholders unnoticed: the first Copy shows what is left
       * and puts the cursor on it; a second Copy takes the message as it is. */
      unfilled = sitrep_template_values_find_unfilled (edited);
      if (unfilled->len > 0 && !self->unfilled_warned)
        {
          g_autofree char *names = NULL;
          g_autofree char *note = NULL;

          g_ptr_array_add (unfilled, NULL);
          names = g_strjoinv (", ", (char **) unfilled->pdata);
          /* Translators: "[impact]": what the message still says instead of a value */
          note = g_strdup_printf (_("Still to fill in: %s. Type over it, or copy again to copy "
                                    "the message as it is"), names);
          select_placeholder (self->message_view, unfilled->pdata[0]);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (note));
          self->unfilled_warned = TRUE;
          return;
        }
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text ? text : "");
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (channel ? _("Channel name copied")
                                                      : _("Message copied")));
}

static void
page_changed_cb (SitrepDeclareDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  _sitrep_declare_dialog_update_state (self);
  if (g_strcmp0 (page, "declared") == 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->copy_message_button));
      gtk_editable_select_region (GTK_EDITABLE (self->channel_entry), 0, 0);
    }
}

static void
channel_kept_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The dialog is gone: the Incident view shows the name that is stored. */
  if (!sitrep_incident_manager_change_finish (SITREP_INCIDENT_MANAGER (source), result, &error))
    g_warning ("Cannot keep the channel name: %s", error->message);
}

/* A channel name edited after declaring is kept with the incident when the dialog closes. */
static gboolean
sitrep_declare_dialog_close_request (GtkWindow *window)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (window);
  SitrepIncident *incident;
  const char *channel;

  /* An incident declared while the team database is away too: the manager keeps the change
   * with it, and the replay writes it under the server's id. */
  if (self->declared && self->manager != NULL)
    {
      incident = sitrep_incident_manager_find (self->manager, self->incident_id);
      channel = gtk_editable_get_text (GTK_EDITABLE (self->channel_entry));
      if (incident != NULL && g_strcmp0 (channel, sitrep_incident_get_channel (incident)) != 0)
        sitrep_incident_manager_set_channel_async (self->manager, self->incident_id, channel,
                                                   NULL, channel_kept_cb, NULL);
    }
  return GTK_WINDOW_CLASS (sitrep_declare_dialog_parent_class)->close_request (window);
}

static void
sitrep_declare_dialog_dispose (GObject *object)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_DECLARE_DIALOG);
  g_clear_object (&self->manager);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (sitrep_declare_dialog_parent_class)->dispose (object);
}

static void
sitrep_declare_dialog_finalize (GObject *object)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (object);

  g_free (self->severity);
  g_free (self->summary_error);
  g_free (self->message);
  g_clear_pointer (&self->severity_rows, g_ptr_array_unref);
  g_clear_pointer (&self->service_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_declare_dialog_parent_class)->finalize (object);
}

static void
sitrep_declare_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SHOW_UTC:
      g_value_set_boolean (value, self->show_utc);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_declare_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SitrepDeclareDialog *self = SITREP_DECLARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SHOW_UTC:
      sitrep_declare_dialog_set_show_utc (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_declare_dialog_class_init (SitrepDeclareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_declare_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = sitrep_declare_dialog_close_request;
  object_class->finalize = sitrep_declare_dialog_finalize;
  object_class->get_property = sitrep_declare_dialog_get_property;
  object_class->set_property = sitrep_declare_dialog_set_property;

  /* The declared time, and the times in the initial message, in UTC rather than local time. */
  properties[PROP_SHOW_UTC] =
    g_param_spec_boolean ("show-utc", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepDeclareDialog::declared:
   * @id: the new incident's id
   *
   * Emitted once the incident is stored, before the channel and message are shown.
   */
  signals[DECLARED] = g_signal_new ("declared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-declare-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, declare_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, severity_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, impact_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, lead_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, summary_error_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, services_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, declared_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, declared_sublabel);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, channel_entry);
  /* Only looked up by name, through find_button(). */
  gtk_widget_class_bind_template_child_full (widget_class, "copy_channel_button", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, message_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, copy_message_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepDeclareDialog, message_view);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, summary_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, summary_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, impact_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, channel_changed_cb);

  gtk_widget_class_install_action (widget_class, "declare.declare", NULL, declare_action_cb);
  gtk_widget_class_install_action (widget_class, "declare.copy", "s", copy_action_cb);
  /* The initial message, one shortcut away once declared. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "declare.copy", "s", "message");

}

static void
sitrep_declare_dialog_init (SitrepDeclareDialog *self)
{
  self->incident_id = -1;
  self->severity_rows = g_ptr_array_new ();
  self->service_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->message_view), "changed",
                            G_CALLBACK (message_edited_cb), self);

  /* Escape closes the dialog at once, before the toast overlay inside it takes the key to
   * dismiss "Message copied": one Escape after copying, not two. */
  {
    GtkEventController *controller = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (GTK_WIDGET (self), controller);
  }
}

/**
 * sitrep_declare_dialog_new:
 * @parent: (nullable): the window it is modal for
 * @monitor: (nullable): pre-selects the services it sees down or degraded
 * @lead: (nullable): the lead's name to start with; when %NULL the dialog asks for it
 */
SitrepDeclareDialog *
sitrep_declare_dialog_new (GtkWindow             *parent,
                           SitrepIncidentManager *manager,
                           SitrepMonitor         *monitor,
                           const char            *lead)
{
  SitrepDeclareDialog *self;
  SitrepRunbook *runbook;
  const char *hint;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (manager), NULL);
  g_return_val_if_fail (monitor == NULL || SITREP_IS_MONITOR (monitor), NULL);

  self = g_object_new (SITREP_TYPE_DECLARE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->manager = g_object_ref (manager);
  self->monitor = monitor ? g_object_ref (monitor) : NULL;
  runbook = sitrep_incident_manager_get_runbook (manager);

  hint = sitrep_runbook_get_severity_hint (runbook);
  gtk_label_set_text (self->hint_label, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL && *hint != '\0');
  _sitrep_declare_dialog_add_severity_rows (self, runbook);
  _sitrep_declare_dialog_add_service_rows (self, runbook);
  if (monitor != NULL)
    adw_preferences_group_set_description (self->services_group,
                                           _("Services the Health view sees down or degraded "
                                             "are already ticked"));
  _sitrep_declare_dialog_refresh_services (self);

  /* No name remembered: the lead is asked for, never guessed from the account ("@root"). */
  gtk_editable_set_text (GTK_EDITABLE (self->lead_row), lead != NULL ? lead : "");
  _sitrep_declare_dialog_suggest_from_health (self, runbook);

  _sitrep_declare_dialog_update_state (self);
  /* Typing starts in the summary: with the level picked, Enter there declares. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->summary_row));
  return self;
}

/* The declared incident's id (below zero when declared while the team database is away), or
 * -1 before declaring. */
gint64
sitrep_declare_dialog_get_incident_id (SitrepDeclareDialog *self)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), -1);
  return self->incident_id;
}

void
sitrep_declare_dialog_set_show_utc (SitrepDeclareDialog *self,
                                    gboolean             show_utc)
{
  g_return_if_fail (SITREP_IS_DECLARE_DIALOG (self));
  if (self->show_utc == !!show_utc)
    return;
  self->show_utc = !!show_utc;
  if (self->declared)
    show_declared (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_UTC]);
}

gboolean
sitrep_declare_dialog_get_show_utc (SitrepDeclareDialog *self)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), FALSE);
  return self->show_utc;
}

/* "summary", "impact", "lead" or "channel": the template's summary_row … channel_entry. */
GtkEditable *
_sitrep_declare_dialog_find_field (SitrepDeclareDialog *self,
                                   const char          *field)
{
  g_autofree char *id = g_strconcat (field, g_str_equal (field, "channel") ? "_entry" : "_row",
                                     NULL);
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (self), SITREP_TYPE_DECLARE_DIALOG,
                                                   id);

  g_return_val_if_fail (GTK_IS_EDITABLE (object), NULL);
  return GTK_EDITABLE (object);
}

/**
 * sitrep_declare_dialog_get_text:
 * @field: "summary", "impact", "lead" or "channel" (what is typed there), "severity" (the
 *   picked id), "message" (the initial status message), "summary-error" (what is wrong with
 *   the summary), "error" (why declaring failed)
 *
 * Returns: (nullable): what the field shows now; %NULL for an empty severity, message or error
 */
const char *
sitrep_declare_dialog_get_text (SitrepDeclareDialog *self,
                                const char          *field)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), NULL);

  if (g_strcmp0 (field, "severity") == 0)
    return self->severity;
  if (g_strcmp0 (field, "message") == 0)
    return self->message;
  if (g_strcmp0 (field, "summary-error") == 0)
    return self->summary_error;
  if (g_strcmp0 (field, "error") == 0)
    return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
             ? gtk_label_get_text (self->error_label) : NULL;
  return gtk_editable_get_text (_sitrep_declare_dialog_find_field (self, field));
}
