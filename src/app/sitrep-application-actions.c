/* sitrep-application-actions.c: the app.* actions (About, Preferences, runbooks…) and shortcuts */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-application-private.h"
#include "sitrep-preferences-window.h"

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SitrepApplication *self = user_data;
  const char *developers[] = { "The CareCircle engineers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Sitrep"),
                        "application-icon", APP_ID,
                        "developer-name", _("CareCircle"),
                        "version", PACKAGE_VERSION,
                        "comments", _("The incident commander's console: live health, the "
                                      "runbook's checklist, safe mitigations and the timeline."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* Read-only from a source the preferences' switch does not control, in words, or NULL. */
static const char *
read_only_reason (SitrepSession *session)
{
  switch (sitrep_session_get_read_only_source (session))
    {
    case SITREP_READ_ONLY_SOURCE_FORCED:
      return _("Read-only now: Sitrep was started with --read-only, and stays so until it quits");
    case SITREP_READ_ONLY_SOURCE_RUNBOOK:
      return _("Read-only now: the runbook sets environment.read_only");
    case SITREP_READ_ONLY_SOURCE_SETTINGS:
    case SITREP_READ_ONLY_SOURCE_NONE:
    default:
      return NULL;
    }
}

static void
update_preferences_cb (SitrepPreferencesWindow *prefs,
                       GParamSpec              *pspec,
                       SitrepSession           *session)
{
  sitrep_preferences_window_set_read_only_reason (prefs, read_only_reason (session));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  SitrepApplication *self = user_data;
  SitrepSession *session = self->session;
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SitrepPreferencesWindow *prefs =
    sitrep_preferences_window_new (sitrep_session_get_settings (session));

  sitrep_preferences_window_set_read_only_reason (prefs, read_only_reason (session));
  sitrep_preferences_window_set_session (prefs, session);
  sitrep_preferences_window_set_webhook_allow_plain_http (
    prefs, runbook != NULL && sitrep_runbook_get_webhook_allow_plain_http (runbook));
  g_signal_connect_object (session, "notify::read-only-source",
                           G_CALLBACK (update_preferences_cb), prefs, G_CONNECT_SWAPPED);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
builtin_runbook_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  SitrepApplication *self = user_data;

  sitrep_session_open_runbook (self->session, NULL);
}

static void
open_runbook_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  SitrepApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  sitrep_session_open_runbook (self->session, file);
}

static void
show_service_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  SitrepApplication *self = user_data;
  GtkWindow *window = GTK_WINDOW (sitrep_application_ensure_window (self));

  sitrep_window_show_service (SITREP_WINDOW (window), g_variant_get_string (parameter, NULL));
  gtk_window_present (window);
}

static void
show_incident_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  SitrepApplication *self = user_data;
  GtkWindow *window = GTK_WINDOW (sitrep_application_ensure_window (self));

  sitrep_window_show_incident (SITREP_WINDOW (window), g_variant_get_int64 (parameter));
  gtk_window_present (window);
}

/* An escalation step fell due: its incident's escalation path. */
static void
show_escalation_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  SitrepApplication *self = user_data;
  GtkWindow *window = GTK_WINDOW (sitrep_application_ensure_window (self));

  gtk_window_present (window);
  sitrep_window_show_escalation (SITREP_WINDOW (window), g_variant_get_int64 (parameter));
}

/* A status update fell due: the message composer, on its incident. */
static void
compose_update_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  SitrepApplication *self = user_data;

  show_incident_action_cb (action, parameter, user_data);
  gtk_widget_activate_action (GTK_WIDGET (sitrep_application_ensure_window (self)), "win.compose",
                              NULL);
}

static void
drill_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  sitrep_application_start_drill (user_data, g_variant_get_string (parameter, NULL));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
  { "builtin-runbook", builtin_runbook_action_cb },
  { "open-runbook-file", open_runbook_action_cb, "s" },
  { "show-service", show_service_action_cb, "s" },
  { "show-incident", show_incident_action_cb, "x" },
  { "show-escalation", show_escalation_action_cb, "x" },
  { "compose-update", compose_update_action_cb, "x" },
  { "drill", drill_action_cb, "s" },
  { "quit", quit_action_cb },
};

void
sitrep_application_install_actions (SitrepApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *declare_accels[] = { "<Control>n", NULL };
  static const char *note_accels[] = { "<Control>Return", NULL };
  static const char *compose_accels[] = { "<Control>m", NULL };
  static const char *export_accels[] = { "<Control><Shift>e", NULL };
  static const char *view_accels[][2] = { { "<Alt>1", NULL }, { "<Alt>2", NULL }, { "<Alt>3", NULL } };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-runbook",
                                         open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.declare", declare_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.add-note", note_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.compose", compose_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.export-postmortem",
                                         export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.view('health')",
                                         view_accels[0]);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.view('incident')",
                                         view_accels[1]);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.view('timeline')",
                                         view_accels[2]);
}
