/* sitrep-window-actions.c: the window's win.* actions: commands, incidents, messages, runbooks */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-dialog.h"
#include "sitrep-action-output.h"
#include "sitrep-author.h"
#include "sitrep-declare-dialog.h"
#include "sitrep-message-composer.h"
#include "sitrep-postmortem-editor.h"
#include "sitrep-import-preview.h"
#include "sitrep-tool-window.h"
#include "sitrep-trust-dialog.h"
#include "sitrep-window-private.h"

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

static void
toast (SitrepWindow *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Whether times are shown in UTC, as the preferences say. */
static gboolean
show_utc (SitrepWindow *self)
{
  GSettings *settings = sitrep_session_get_settings (self->session);

  return settings != NULL && g_settings_get_boolean (settings, "show-utc");
}

/* A run of the runbook's commands gets a window of its own that streams its output. */
static void
run_started_cb (SitrepWindow        *self,
                SitrepActionRun     *run,
                SitrepActionRequest *request,
                gboolean             dry_run)
{
  GtkWidget *output;

  if (dry_run)
    return; /* the confirmation dialog shows its own preview */

  output = sitrep_action_output_new ();
  sitrep_action_output_set_run (SITREP_ACTION_OUTPUT (output), run, request, dry_run);
  /* A window of its own beside this one, as a message's and a post-mortem's. */
  gtk_window_present (GTK_WINDOW (sitrep_tool_window_new (
    GTK_WINDOW (self), sitrep_action_request_get_title (request), output, 760, 520)));
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

/* The controller of the session's runbook: its runs open their windows here. */
void
sitrep_window_set_actions (SitrepWindow           *self,
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

          toast (self, text);
        }
    }
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    {
      g_signal_connect_object (actions, "run-started", G_CALLBACK (run_started_cb), self,
                               G_CONNECT_SWAPPED);
      /* A command's start and outcome go on the timeline through the controller, not the
       * incident manager: the Timeline view follows them as they are committed. */
      g_signal_connect_object (actions, "event-recorded",
                               G_CALLBACK (sitrep_window_views_event_recorded), self,
                               G_CONNECT_SWAPPED);
    }
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
          toast (self, error->message);
          return;
        }
      if (!sitrep_action_open_in_terminal (sitrep_action_request_get_argv (request), &error))
        {
          g_autofree char *line = sitrep_action_request_get_command_line (request);

          gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), line);
          toast (self, error->message);
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
      toast (self, error->message);
  }
}

/* The message composer, for the current incident. */
static void
compose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  g_autofree char *author = sitrep_window_get_author (self);
  GtkWidget *composer;

  if (incidents == NULL || sitrep_incident_manager_get_current (incidents) == NULL)
    {
      toast (self, _("Declare an incident first: messages are written about one"));
      return;
    }
  composer = g_object_new (SITREP_TYPE_MESSAGE_COMPOSER,
                           "store", sitrep_session_get_store (self->session),
                           "runbook", sitrep_incident_manager_get_runbook_for (
                             incidents, sitrep_incident_manager_get_current (incidents)),
                           "manager", incidents,
                           "webhook", sitrep_session_get_webhook (self->session),
                           "author", author,
                           "utc", show_utc (self),
                           NULL);
  gtk_window_present (GTK_WINDOW (sitrep_tool_window_new (GTK_WINDOW (self), _("Compose Message"),
                                                          composer, 720, 560)));
}

/* The editor a tool window of this one holds (a message composer, a post-mortem), or NULL. */
static GtkWidget *
tool_window_editor (SitrepWindow *self,
                    GtkWindow    *toplevel)
{
  GtkWidget *tool;

  if (!SITREP_IS_TOOL_WINDOW (toplevel)
      || gtk_window_get_transient_for (toplevel) != GTK_WINDOW (self))
    return NULL;
  tool = sitrep_tool_window_get_tool (SITREP_TOOL_WINDOW (toplevel));
  if (SITREP_IS_POSTMORTEM_EDITOR (tool) || SITREP_IS_MESSAGE_COMPOSER (tool))
    return tool;
  return NULL;
}

/**
 * sitrep_window_get_open_editors:
 *
 * What is open over this window that writes to the session's database: a message being
 * composed, a post-mortem, an incident being declared, a command's confirmation. Each was
 * opened on the database in use then and keeps writing there: Preferences does not switch
 * the database while one is open, and names them.
 *
 * Returns: (transfer full): their names, as the windows are titled; empty when none
 */
GStrv
sitrep_window_get_open_editors (SitrepWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);
      GtkWidget *editor;

      if (!gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        continue;
      if (SITREP_IS_DECLARE_DIALOG (toplevel)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self))
        g_strv_builder_add (names, _("Declare Incident"));
      else if (SITREP_IS_ACTION_DIALOG (toplevel)
               && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self))
        {
          g_autofree char *name =
            /* Translators: an open confirmation of a command; %s is its heading, "Restart — API" */
            g_strdup_printf (_("The confirmation of “%s”"),
                             adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)));

          g_strv_builder_add (names, name);
        }
      else if ((editor = tool_window_editor (self, toplevel)) != NULL)
        g_strv_builder_add (names, SITREP_IS_MESSAGE_COMPOSER (editor) ? _("Compose Message")
                                                                       : _("Post-Mortem"));
    }
  return g_strv_builder_end (names);
}

/* The post-mortem window already open for @id, or NULL. */
static GtkWidget *
find_postmortem (SitrepWindow *self,
                 gint64        id)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);
      GtkWidget *editor = tool_window_editor (self, toplevel);

      if (editor != NULL && SITREP_IS_POSTMORTEM_EDITOR (editor)
          && sitrep_postmortem_editor_get_incident_id (SITREP_POSTMORTEM_EDITOR (editor)) == id)
        return editor;
    }
  return NULL;
}

static GtkWidget *open_postmortem (SitrepWindow *self);

/* A console saved the post-mortem of @incident_id (another one, on a team database): its
 * editor, if open here, shows it. */
static void
postmortem_changed_cb (SitrepWindow *self,
                       gint64        incident_id)
{
  GtkWidget *editor = find_postmortem (self, incident_id);

  if (editor != NULL)
    sitrep_postmortem_editor_refresh (SITREP_POSTMORTEM_EDITOR (editor));
}

void
sitrep_window_follow_postmortems (SitrepWindow *self)
{
  g_signal_connect_swapped (self->session, "postmortem-changed",
                            G_CALLBACK (postmortem_changed_cb), self);
}

static void
postmortem_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_postmortem (SITREP_WINDOW (widget));
}

/* Ctrl+Shift+E: the current incident's post-mortem, straight to its export. */
static void
export_postmortem_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkWidget *editor = open_postmortem (SITREP_WINDOW (widget));

  if (editor != NULL)
    gtk_widget_activate_action (editor, "postmortem.export", NULL);
}

/* Opens (or brings back) the current incident's post-mortem; returns its editor, or NULL. */
static GtkWidget *
open_postmortem (SitrepWindow *self)
{
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (self->session);
  SitrepIncident *current;
  GtkWidget *editor;

  current = incidents ? sitrep_incident_manager_get_current (incidents) : NULL;
  if (current == NULL)
    {
      toast (self, _("Declare or pick an incident first"));
      return NULL;
    }
  editor = find_postmortem (self, sitrep_incident_get_id (current));
  if (editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (gtk_widget_get_root (editor)));
      return editor;
    }
  /* Shown at once; the editor says while it reads, and why it could not. The store comes
   * before the incident it reads. */
  editor = g_object_new (SITREP_TYPE_POSTMORTEM_EDITOR,
                         "store", sitrep_session_get_store (self->session),
                         "runbook", sitrep_incident_manager_get_runbook_for (incidents, current),
                         "utc", show_utc (self),
                         "incident-id", sitrep_incident_get_id (current),
                         NULL);
  gtk_window_present (GTK_WINDOW (sitrep_tool_window_new (GTK_WINDOW (self), _("Post-Mortem"),
                                                          editor, 1100, 720)));
  return editor;
}

/* Ctrl+Enter from anywhere: a note on the current incident's timeline. */
static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SitrepWindow *self = SITREP_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  SitrepTimelineView *timeline = sitrep_window_get_timeline_view (self);

  /* Pressed while typing the note: add it, as the view's own shortcut does. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (timeline)))
    {
      sitrep_timeline_view_activate_shortcut (timeline, "<Control>Return");
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
  sitrep_timeline_view_focus_note_entry (timeline);
}

/* Whose name goes on what this window writes: the lead's name from the preferences, or the
 * user's. */
char *
sitrep_window_get_author (SitrepWindow *self)
{
  return sitrep_author_name (sitrep_session_get_settings (self->session));
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
  g_autofree char *lead = settings ? g_strstrip (g_settings_get_string (settings, "lead-name"))
                                   : NULL;
  SitrepDeclareDialog *dialog;

  if (incidents == NULL)
    return;
  /* The remembered lead, or none: the dialog asks once rather than guess the account ("root"). */
  dialog = sitrep_declare_dialog_new (GTK_WINDOW (self), incidents,
                                      sitrep_session_get_monitor (self->session),
                                      lead != NULL && *lead != '\0' ? lead : NULL);
  sitrep_declare_dialog_set_show_utc (dialog, show_utc (self));
  g_signal_connect_object (dialog, "declared", G_CALLBACK (declared_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_saved_cb (SitrepWindow *self,
                 GFile        *json)
{
  /* Like any runbook file: its commands run once the user has trusted them. */
  sitrep_session_open_runbook (self->session, json);
}

/**
 * sitrep_window_import:
 * @markdown: a team's Markdown runbook
 *
 * Shows what @markdown imports to; Save and Open writes the runbook beside it and opens it.
 */
void
sitrep_window_import (SitrepWindow *self,
                      GFile        *markdown)
{
  SitrepImportPreview *preview = sitrep_import_preview_new (GTK_WINDOW (self), markdown);

  g_signal_connect_object (preview, "saved", G_CALLBACK (import_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preview));
}

static void
chooser_response_cb (SitrepWindow         *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (sitrep_import_is_markdown (file))
        sitrep_window_import (self, file);
      else
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
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) markdown = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Runbook"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  /* A Markdown runbook opens as an import preview. */
  gtk_file_filter_set_name (all, _("Runbooks (JSON or Markdown)"));
  gtk_file_filter_set_name (filter, _("Runbooks (JSON)"));
  gtk_file_filter_set_name (markdown, _("Markdown Runbooks to Import"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_mime_type (markdown, "text/markdown");
  gtk_file_filter_add_suffix (markdown, "md");
  gtk_file_filter_add_suffix (markdown, "markdown");
  gtk_file_filter_add_mime_type (all, "application/json");
  gtk_file_filter_add_suffix (all, "json");
  gtk_file_filter_add_mime_type (all, "text/markdown");
  gtk_file_filter_add_suffix (all, "md");
  gtk_file_filter_add_suffix (all, "markdown");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), markdown);
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

void
sitrep_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-runbook", NULL, open_runbook_action);
  gtk_widget_class_install_action (widget_class, "win.reload-runbook", NULL,
                                   reload_runbook_action);
  gtk_widget_class_install_action (widget_class, "win.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "win.declare", NULL, declare_action);
  gtk_widget_class_install_action (widget_class, "win.run-action", "(ss)", run_action);
  gtk_widget_class_install_action (widget_class, "win.compose", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "win.postmortem", NULL, postmortem_action);
  gtk_widget_class_install_action (widget_class, "win.export-postmortem", NULL,
                                   export_postmortem_action);
  gtk_widget_class_install_action (widget_class, "win.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "win.review-commands", NULL,
                                   review_commands_action);
}
