/* sitrep-window.c: the main window: environment banner, the Health, Incident and Timeline views */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-dialog.h"
#include "sitrep-action-output.h"
#include "sitrep-declare-dialog.h"
#include "sitrep-health-view.h"
#include "sitrep-incident-view.h"
#include "sitrep-message-composer.h"
#include "sitrep-postmortem-editor.h"
#include "sitrep-timeline-view.h"
#include "sitrep-trust-dialog.h"
#include "sitrep-window-private.h"

G_DEFINE_FINAL_TYPE (SitrepWindow, sitrep_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_runbook (SitrepWindow  *self,
              SitrepRunbook *runbook)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  gboolean read_only = sitrep_session_get_read_only (self->session);
  g_autoptr(GString) flags = g_string_new (NULL);
  g_autofree char *where = NULL;

  /* The switcher title shows the name only when narrow; the label keeps it in view always. */
  adw_view_switcher_title_set_title (self->switcher_title, sitrep_runbook_get_name (runbook));
  adw_view_switcher_title_set_subtitle (self->switcher_title, _("Incident Console"));
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);
  gtk_label_set_text (self->runbook_label, sitrep_runbook_get_name (runbook));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->runbook_label),
                               sitrep_runbook_get_source (runbook));
  gtk_widget_set_visible (GTK_WIDGET (self->runbook_label), TRUE);
  gtk_window_set_title (GTK_WINDOW (self), sitrep_runbook_get_name (runbook));

  /* Translators: the banner that says which cluster every action aims at */
  where = g_strdup_printf (_("Context %s · Namespace %s"), env->context, env->namespace_);
  gtk_label_set_text (self->environment_label, where);

  if (env->protected_)
    g_string_append (flags, _("Protected: changes need typed confirmation"));
  if (read_only)
    {
      if (flags->len > 0)
        g_string_append (flags, " · ");
      g_string_append (flags, _("Read-only"));
    }
  gtk_label_set_text (self->environment_flags, flags->str);

  if (env->protected_)
    {
      gtk_widget_add_css_class (self->environment_banner, "protected");
      gtk_image_set_from_icon_name (self->environment_icon, "dialog-warning-symbolic");
    }
  else
    {
      gtk_widget_remove_css_class (self->environment_banner, "protected");
      gtk_image_set_from_icon_name (self->environment_icon, "network-server-symbolic");
    }

  gtk_stack_set_visible_child_name (self->main_stack, "console");
}

static GtkWidget *
problem_row (const SitrepRunbookProblem *problem)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *where = NULL;

  if (problem->line > 0)
    /* Translators: where a runbook error is, e.g. "line 12, column 7" */
    where = g_strdup_printf (_("line %u, column %u"), problem->line, problem->column);
  else
    where = g_strdup (problem->file);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "problem");
  return row;
}

static void
show_problems (SitrepWindow *self,
               GPtrArray    *problems)
{
  const SitrepRunbookProblem *first = problems->pdata[0];
  g_autofree char *description = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problem_list))) != NULL)
    gtk_list_box_remove (self->problem_list, child);

  for (guint i = 0; i < problems->len; i++)
    gtk_list_box_append (self->problem_list, problem_row (problems->pdata[i]));

  description = g_strdup_printf (ngettext ("%u problem in %s. Fix it and reload, open another "
                                           "runbook, or use the built-in one.",
                                           "%u problems in %s. Fix them and reload, open another "
                                           "runbook, or use the built-in one.",
                                           problems->len),
                                 problems->len, first->file);
  adw_status_page_set_description (self->problems_page, description);

  adw_view_switcher_title_set_title (self->switcher_title, _("Sitrep"));
  adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->runbook_label), FALSE);
  gtk_window_set_title (GTK_WINDOW (self), _("Sitrep"));
  gtk_stack_set_visible_child_name (self->main_stack, "problems");
}

static void
update (SitrepWindow *self)
{
  SitrepRunbook *runbook = sitrep_session_get_runbook (self->session);
  GPtrArray *problems = sitrep_session_get_problems (self->session);
  gboolean loading = sitrep_session_get_loading (self->session);

  gtk_spinner_set_spinning (self->spinner, loading);

  if (loading)
    {
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
    }
  else if (problems != NULL && problems->len > 0)
    show_problems (self, problems);
  else if (runbook != NULL)
    show_runbook (self, runbook);
}

static void
update_store (SitrepWindow *self)
{
  const char *error = sitrep_session_get_store_error (self->session);

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Incidents cannot be saved: %s"), error);

      gtk_label_set_text (self->store_label, text);
    }
  gtk_revealer_set_reveal_child (self->store_revealer, error != NULL);
}

/* A runbook from a file runs nothing until the user has read its commands and trusted them. */
static void
update_trust (SitrepWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);
  gboolean console = g_strcmp0 (page, "console") == 0;

  gtk_revealer_set_reveal_child (self->trust_revealer,
                                 console && !sitrep_session_get_trusted (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-commands",
                                 sitrep_session_get_runbook (self->session) != NULL);
}

static void
trust_response_cb (SitrepTrustDialog *dialog,
                   const char        *response,
                   SitrepWindow      *self)
{
  if (g_strcmp0 (response, "trust") == 0)
    sitrep_session_trust_runbook (self->session, sitrep_trust_dialog_get_runbook (dialog));
}

static void
review_commands_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  SitrepRunbook *runbook = sitrep_session_get_runbook (self->session);
  SitrepTrustDialog *dialog;

  if (runbook == NULL)
    return;
  dialog = sitrep_trust_dialog_new (GTK_WINDOW (self), runbook);
  g_signal_connect_object (dialog, "response", G_CALLBACK (trust_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A run of the runbook's commands gets a window of its own that streams its output. */
static void
run_started_cb (SitrepWindow        *self,
                SitrepActionRun     *run,
                SitrepActionRequest *request,
                gboolean             dry_run)
{
  GtkWidget *window, *output, *header, *box;

  if (dry_run)
    return; /* the confirmation dialog shows its own preview */

  window = adw_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 520);
  gtk_window_set_title (GTK_WINDOW (window), sitrep_action_request_get_title (request));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  output = sitrep_action_output_new ();
  gtk_widget_set_vexpand (output, TRUE);
  sitrep_action_output_set_run (SITREP_ACTION_OUTPUT (output), run, request, dry_run);
  gtk_box_append (GTK_BOX (box), output);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

/* A confirmation still open asks about the runbook that was replaced: it goes. */
static void
close_action_dialogs (SitrepWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i - 1);

      if (SITREP_IS_ACTION_DIALOG (toplevel)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self))
        gtk_window_destroy (toplevel);
    }
}

static void
set_actions (SitrepWindow           *self,
             SitrepActionController *actions)
{
  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    {
      guint running = sitrep_action_controller_get_n_running (self->actions);

      g_signal_handlers_disconnect_by_data (self->actions, self);
      close_action_dialogs (self);
      /* Their output windows stay open and the log records how they end. */
      if (running > 0)
        {
          g_autofree char *text =
            g_strdup_printf (ngettext ("A command of the previous runbook is still running: it "
                                       "finishes in its own window, and is recorded",
                                       "%u commands of the previous runbook are still running: "
                                       "they finish in their own windows, and are recorded",
                                       running), running);

          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
        }
    }
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    g_signal_connect_object (actions, "run-started", G_CALLBACK (run_started_cb), self,
                             G_CONNECT_SWAPPED);
}

/* Read-only commands run at once; anything that changes something asks first. */
static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  SitrepRunbook *runbook = sitrep_session_get_runbook (self->session);
  const char *service_id, *action_id;
  const SitrepService *service;
  const SitrepAction *action;
  g_autoptr(GError) error = NULL;

  g_variant_get (parameter, "(&s&s)", &service_id, &action_id);
  service = runbook ? sitrep_runbook_find_service (runbook, service_id) : NULL;
  action = runbook ? sitrep_runbook_find_action (runbook, action_id) : NULL;
  if (self->actions == NULL || service == NULL || action == NULL)
    return;
  /* Read-only and trust hide these buttons; a checklist item can still name one. */
  if (!sitrep_action_controller_check_allowed (self->actions, action, &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      if (g_error_matches (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED))
        {
          adw_toast_set_button_label (toast, _("_Review Commands…"));
          adw_toast_set_action_name (toast, "win.review-commands");
        }
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  /* Interactive commands (kubectl exec -it) belong in a terminal, or on the clipboard. */
  if (action->terminal)
    {
      g_autoptr(SitrepActionRequest) request =
        sitrep_action_controller_resolve (self->actions, service, action, NULL, NULL, &error);

      if (request == NULL)
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }
      if (!sitrep_action_open_in_terminal (sitrep_action_request_get_argv (request), &error))
        {
          g_autofree char *line = sitrep_action_request_get_command_line (request);

          gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), line);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
        }
      return;
    }

  if (action->mutates || action->inputs->len > 0)
    {
      SitrepActionDialog *dialog = sitrep_action_dialog_new (GTK_WINDOW (self), self->actions,
                                                             service, action);

      sitrep_action_dialog_set_toast_overlay (dialog, self->toast_overlay);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  {
    g_autoptr(SitrepActionRequest) request =
      sitrep_action_controller_resolve (self->actions, service, action, NULL, NULL, &error);

    if (request == NULL
        || sitrep_action_controller_run (self->actions, request, NULL, FALSE, &error) == NULL)
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  }
}

static GtkWidget *
tool_window (SitrepWindow *self,
             const char   *title,
             GtkWidget    *content,
             int           width,
             int           height)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (window), box);
  return window;
}

static char *author_name (SitrepWindow *self);

/* The message composer, for the current incident. */
static void
compose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  GSettings *settings = sitrep_session_get_settings (self->session);
  g_autofree char *author = author_name (self);
  GtkWidget *composer;

  if (incidents == NULL || sitrep_incident_manager_get_current (incidents) == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Declare an incident first: messages are "
                                                    "written about one")));
      return;
    }
  composer = sitrep_message_composer_new (sitrep_session_get_store (self->session),
                                          sitrep_incident_manager_get_runbook_for (
                                            incidents, sitrep_incident_manager_get_current (incidents)),
                                          incidents,
                                          sitrep_session_get_webhook (self->session));
  sitrep_message_composer_set_author (SITREP_MESSAGE_COMPOSER (composer), author);
  if (settings != NULL)
    sitrep_message_composer_set_utc (SITREP_MESSAGE_COMPOSER (composer),
                                     g_settings_get_boolean (settings, "show-utc"));
  gtk_window_present (GTK_WINDOW (tool_window (self, _("Compose Message"), composer, 720, 560)));
}

static void
postmortem_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  GSettings *settings = sitrep_session_get_settings (self->session);
  g_autoptr(GError) error = NULL;
  SitrepIncident *current;
  GtkWidget *editor;

  current = incidents ? sitrep_incident_manager_get_current (incidents) : NULL;
  if (current == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Declare or pick an incident first")));
      return;
    }
  editor = g_object_ref_sink (sitrep_postmortem_editor_new ());
  sitrep_postmortem_editor_set_store (SITREP_POSTMORTEM_EDITOR (editor),
                                      sitrep_session_get_store (self->session));
  sitrep_postmortem_editor_set_runbook (SITREP_POSTMORTEM_EDITOR (editor),
                                        sitrep_incident_manager_get_runbook_for (incidents,
                                                                                 current));
  if (settings != NULL)
    sitrep_postmortem_editor_set_utc (SITREP_POSTMORTEM_EDITOR (editor),
                                      g_settings_get_boolean (settings, "show-utc"));
  if (sitrep_postmortem_editor_set_incident (SITREP_POSTMORTEM_EDITOR (editor),
                                             sitrep_incident_get_id (current), &error))
    gtk_window_present (GTK_WINDOW (tool_window (self, _("Post-Mortem"), editor, 1100, 720)));
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  g_object_unref (editor);
}

/* Ctrl+Enter from anywhere: a note on the current incident's timeline. */
static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Pressed while typing the note: add it, as the view's own shortcut does. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->timeline_view)))
    {
      sitrep_timeline_view_activate_shortcut (self->timeline_view, "<Control>Return");
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
  sitrep_timeline_view_focus_note_entry (self->timeline_view);
}

static char *
author_name (SitrepWindow *self)
{
  GSettings *settings = sitrep_session_get_settings (self->session);
  g_autofree char *lead = settings ? g_settings_get_string (settings, "lead-name") : NULL;

  if (lead != NULL && *lead != '\0')
    return g_steal_pointer (&lead);
  if (g_strcmp0 (g_get_real_name (), "Unknown") != 0 && *g_get_real_name () != '\0')
    return g_strdup (g_get_real_name ());
  return g_strdup (g_get_user_name ());
}

/* What the window shows itself follows the session; the views are bound to it (constructed()). */
static void
session_changed_cb (SitrepWindow *self)
{
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  g_autofree char *author = author_name (self);

  update (self);
  update_store (self);
  update_trust (self);
  set_actions (self, sitrep_session_get_actions (self->session));
  sitrep_incident_view_set_author (self->incident_view, author);
  sitrep_timeline_view_set_author (self->timeline_view, author);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.declare", incidents != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compose", incidents != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.postmortem", incidents != NULL);
}

static void
declared_cb (SitrepDeclareDialog *dialog,
             gint64               id,
             SitrepWindow        *self)
{
  GSettings *settings = sitrep_session_get_settings (self->session);
  const char *lead = sitrep_declare_dialog_get_text (dialog, "lead");

  /* The lead's name is remembered for the next incident. */
  if (settings != NULL && lead != NULL && *lead != '\0')
    g_settings_set_string (settings, "lead-name", lead);
  adw_view_stack_set_visible_child_name (self->view_stack, "incident");
}

static void
declare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  GSettings *settings = sitrep_session_get_settings (self->session);
  g_autofree char *author = author_name (self);
  SitrepDeclareDialog *dialog;

  if (incidents == NULL)
    return;
  dialog = sitrep_declare_dialog_new (GTK_WINDOW (self), incidents,
                                      sitrep_session_get_monitor (self->session), author);
  if (settings != NULL)
    sitrep_declare_dialog_set_show_utc (dialog, g_settings_get_boolean (settings, "show-utc"));
  g_signal_connect_object (dialog, "declared", G_CALLBACK (declared_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
declare_requested_cb (SitrepWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.declare", NULL);
}

/* Items that name a service or an action open the service's page: its commands are there. */
static void
open_service_cb (SitrepWindow *self,
                 const char   *service_id)
{
  sitrep_window_show_service (self, service_id);
}

static void
open_action_cb (SitrepWindow *self,
                const char   *action_id,
                const char   *service_id)
{
  /* A checklist item such as "Implement temporary fix or rollback" opens the action itself, over
   * the service's page so its health and other commands stay at hand. */
  if (service_id == NULL)
    return;
  sitrep_window_show_service (self, service_id);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.run-action", "(ss)", service_id, action_id);
}

static void
chooser_response_cb (SitrepWindow         *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sitrep_session_open_runbook (self->session, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_runbook_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Runbook"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Runbooks (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reload_runbook_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  GPtrArray *problems = sitrep_session_get_problems (self->session);
  const SitrepRunbookProblem *first;
  g_autoptr(GFile) file = NULL;

  if (problems == NULL || problems->len == 0)
    return;
  first = problems->pdata[0];
  if (first->file == NULL || first->file[0] == '\0')
    return;
  file = g_file_new_for_commandline_arg (first->file);
  sitrep_session_open_runbook (self->session, file);
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
sitrep_window_dispose (GObject *object)
{
  SitrepWindow *self = (SitrepWindow *) object;

  /* Before the views go: the session outlives them. */
  for (guint i = 0; i < G_N_ELEMENTS (self->bindings); i++)
    g_clear_pointer (&self->bindings[i], g_binding_unbind);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_WINDOW);

  G_OBJECT_CLASS (sitrep_window_parent_class)->dispose (object);
}

static void
show_utc_changed_cb (SitrepWindow *self)
{
  GSettings *settings = sitrep_session_get_settings (self->session);

  sitrep_incident_view_set_utc (self->incident_view, g_settings_get_boolean (settings, "show-utc"));
  sitrep_timeline_view_set_utc (self->timeline_view, g_settings_get_boolean (settings, "show-utc"));
}

static void
bind_settings (SitrepWindow *self)
{
  GSettings *settings = sitrep_session_get_settings (self->session);

  if (settings == NULL)
    return;
  g_signal_connect_object (settings, "changed::show-utc", G_CALLBACK (show_utc_changed_cb), self,
                           G_CONNECT_SWAPPED);
  show_utc_changed_cb (self);
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/* Each view gets what it shows from the session, as properties that follow it: another runbook
 * brings another monitor, incident manager and controller. */
static void
sitrep_window_constructed (GObject *object)
{
  SitrepWindow *self = (SitrepWindow *) object;
  const struct { const char *from; gpointer view; const char *to; } bound[] = {
    { "monitor", self->health_view, "monitor" },
    { "actions", self->health_view, "action-controller" },
    { "incidents", self->incident_view, "manager" },
    { "incidents", self->timeline_view, "incident-manager" },
    { "store", self->timeline_view, "store" },
  };
  const char *signals[] = {
    "notify::runbook", "notify::problems", "notify::loading", "notify::store-error",
    "notify::read-only", "notify::incidents", "notify::actions", "notify::trusted"
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (bound) == G_N_ELEMENTS (self->bindings));

  G_OBJECT_CLASS (sitrep_window_parent_class)->constructed (object);

  g_assert (self->session != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    self->bindings[i] = g_object_bind_property (self->session, bound[i].from, bound[i].view,
                                                bound[i].to, G_BINDING_SYNC_CREATE);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_swapped (self->session, signals[i], G_CALLBACK (session_changed_cb), self);
  bind_settings (self);
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
  object_class->get_property = sitrep_window_get_property;
  object_class->set_property = sitrep_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SITREP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SITREP_TYPE_HEALTH_VIEW);
  g_type_ensure (SITREP_TYPE_INCIDENT_VIEW);
  g_type_ensure (SITREP_TYPE_TIMELINE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, runbook_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, health_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, incident_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, declare_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_banner);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_flags);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, environment_icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, problems_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, problem_list);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, store_revealer);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, store_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, trust_revealer);
  gtk_widget_class_bind_template_child (widget_class, SitrepWindow, trust_label);

  gtk_widget_class_install_action (widget_class, "win.open-runbook", NULL, open_runbook_action);
  gtk_widget_class_install_action (widget_class, "win.reload-runbook", NULL,
                                   reload_runbook_action);
  gtk_widget_class_install_action (widget_class, "win.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "win.declare", NULL, declare_action);
  gtk_widget_class_install_action (widget_class, "win.run-action", "(ss)", run_action);
  gtk_widget_class_install_action (widget_class, "win.compose", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "win.postmortem", NULL, postmortem_action);
  gtk_widget_class_install_action (widget_class, "win.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "win.review-commands", NULL,
                                   review_commands_action);
}

static void
sitrep_window_init (SitrepWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->incident_view, "declare-requested",
                            G_CALLBACK (declare_requested_cb), self);
  g_signal_connect_swapped (self->incident_view, "open-service", G_CALLBACK (open_service_cb),
                            self);
  g_signal_connect_swapped (self->incident_view, "open-action", G_CALLBACK (open_action_cb), self);
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

