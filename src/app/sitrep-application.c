/* sitrep-application.c: the application: command line, settings, notifications and the window
 *
 * What the console holds (runbook, database, probes, incidents, commands) is one SitrepSession,
 * made at startup and handed to the window. This file turns the command line into calls on it,
 * and its signals into desktop notifications.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-application-private.h"
#include "sitrep-import-preview.h"
#include "sitrep-settings.h"

G_DEFINE_FINAL_TYPE (SitrepApplication, sitrep_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Load the runbook from FILE instead of the last one used"), N_("FILE") },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep incidents in FILE, or in the team database at ADDRESS (postgresql://…), instead "
       "of the default database"), N_("FILE|ADDRESS") },
  { "read-only", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Hide every action that changes a cluster or a service"), NULL },
  { "paused", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start with health probing paused"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  /* The console takes no word: collected so that each one is refused, not ignored. */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[COMMAND …]") },
  { NULL }
};

SitrepApplication *
sitrep_application_new (void)
{
  return g_object_new (SITREP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/* A desktop notification when a service goes down or comes back, never while it flaps; the
 * session has put the change on the incidents' timelines. */
static void
health_changed_cb (SitrepApplication  *self,
                   SitrepServiceState *state,
                   SitrepHealth        old_health,
                   SitrepHealth        new_health)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = g_strdup_printf ("health-%s", sitrep_service_state_get_id (state));
  g_autofree char *title = NULL;
  const char *reason = sitrep_service_state_get_reason (state);

  if (!sitrep_health_should_notify (old_health, new_health,
                                    sitrep_service_state_get_flapping (state))
      || !g_application_get_is_registered (G_APPLICATION (self)))
    return;

  if (new_health == SITREP_HEALTH_DOWN)
    title = g_strdup_printf (_("%s is down"), sitrep_service_state_get_name (state));
  else
    title = g_strdup_printf (_("%s has recovered"), sitrep_service_state_get_name (state));

  notification = g_notification_new (title);
  if (new_health == SITREP_HEALTH_DOWN && reason != NULL)
    g_notification_set_body (notification, reason);
  g_notification_set_priority (notification, new_health == SITREP_HEALTH_DOWN
                                               ? G_NOTIFICATION_PRIORITY_URGENT
                                               : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-service", "s",
                                                sitrep_service_state_get_id (state));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* Whether one of the console's windows has the keyboard focus: the person is looking at it,
 * and the banner in the window says what fell due. */
static gboolean
is_focused (SitrepApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

/* An escalation step or a status update fell due while nobody looks at the console: a
 * notification that names the incident and what is due, and opens where it is done. */
static void
due_cb (SitrepApplication *self,
        SitrepIncident    *incident,
        SitrepDue         *due)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  const char *action;

  if (!g_application_get_is_registered (G_APPLICATION (self)) || is_focused (self))
    return;

  if (due->kind == SITREP_DUE_ESCALATION)
    {
      id = g_strdup_printf ("escalation-%" G_GINT64_FORMAT "-%u", sitrep_incident_get_id (incident),
                            due->step);
      /* Translators: a notification: "Escalate to Team lead (@teamlead)" */
      title = g_strdup_printf (_("Escalate to %s%s%s%s"), due->escalation->role,
                               due->contact && due->contact->handle ? " (" : "",
                               due->contact && due->contact->handle ? due->contact->handle : "",
                               due->contact && due->contact->handle ? ")" : "");
      action = "app.show-escalation";
    }
  else
    {
      id = g_strdup_printf ("update-%" G_GINT64_FORMAT, sitrep_incident_get_id (incident));
      /* Translators: a notification: "Status update due: SEV-1 API returns 503s" */
      title = g_strdup_printf (_("Status update due: %s %s"), sitrep_incident_get_severity (incident),
                               sitrep_incident_get_summary (incident));
      action = "app.compose-update";
    }
  /* Translators: a notification's body: the incident ("SEV-1 API returns 503s"), then the
   * ready message or what the timeline says */
  body = g_strdup_printf (_("%s %s\n%s"), sitrep_incident_get_severity (incident),
                          sitrep_incident_get_summary (incident),
                          due->message ? due->message : due->text ? due->text : "");
  notification = g_notification_new (title);
  g_notification_set_body (notification, g_strchomp (body));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, action, "x",
                                                sitrep_incident_get_id (incident));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static GSettings *
new_settings (void)
{
  GSettings *settings = sitrep_settings_new ();

  if (settings == NULL)
    g_warning ("The settings schema %s is not installed: window size and the last runbook "
               "will not be remembered. Run `meson install`, or set GSETTINGS_SCHEMA_DIR.",
               APP_ID);
  return settings;
}

/* The window, made when there is none yet (a notification clicked before any was open). */
SitrepWindow *
sitrep_application_ensure_window (SitrepApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (sitrep_window_new (GTK_APPLICATION (self), self->session));
  return SITREP_WINDOW (window);
}

static void
sitrep_application_activate (GApplication *app)
{
  SitrepApplication *self = SITREP_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (sitrep_application_ensure_window (self)));
}

static int
sitrep_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sitrep %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

/* What the console cannot do is refused, not ignored: a word that is no option (a mistyped
 * verb), or --database for a console that already runs with another database. */
static gboolean
check_command_line (SitrepApplication       *self,
                    GApplicationCommandLine *cmdline,
                    const char *const       *words,
                    const char              *database_arg)
{
  SitrepStore *store = sitrep_session_get_store (self->session);

  /* main.c names the verb that was meant; a console started otherwise still refuses. One
   * Markdown file (sitrep RUNBOOK.md) is a runbook to import. */
  if (words != NULL && words[0] != NULL
      && (words[1] != NULL || !sitrep_import_is_markdown_arg (words[0])))
    {
      g_application_command_line_printerr (cmdline,
                                           _("sitrep: “%s” is not an option of the console. "
                                             "A command comes first: sitrep COMMAND …; see "
                                             "sitrep --help.\n"),
                                           words[0]);
      return FALSE;
    }
  if (self->started && database_arg != NULL)
    {
      const char *running = sitrep_session_get_store_address (self->session);
      gboolean same;

      if (sitrep_store_is_team_address (database_arg))
        same = g_strcmp0 (database_arg, running) == 0;
      else
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline,
                                                                                  database_arg);
          g_autoptr(GFile) running_file = NULL;

          if (store != NULL && !sitrep_store_is_team_address (sitrep_store_get_path (store)))
            running_file = g_file_new_for_path (sitrep_store_get_path (store));
          same = running_file != NULL && g_file_equal (file, running_file);
        }
      if (!same)
        {
          g_application_command_line_printerr (cmdline,
                                               _("Sitrep is already running with the database "
                                                 "%s: --database cannot change it. Quit the "
                                                 "running console first, or leave out "
                                                 "--database.\n"),
                                               running ? running
                                                       : _("(none: it could not be opened)"));
          return FALSE;
        }
    }
  return TRUE;
}

/* The first command line opens the database and a runbook; a later one (a second `sitrep`
 * handing over) may switch to read-only, pause probing or open another runbook. */
static int
sitrep_application_command_line (GApplication            *app,
                                 GApplicationCommandLine *cmdline)
{
  SitrepApplication *self = SITREP_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *runbook_arg = NULL;
  const char *database_arg = NULL;
  g_autofree const char **words = NULL;
  g_autoptr(GFile) runbook_file = NULL;
  g_autoptr(GFile) markdown_file = NULL;

  g_variant_dict_lookup (options, "runbook", "^&ay", &runbook_arg);
  g_variant_dict_lookup (options, "database", "^&ay", &database_arg);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &words);
  if (!check_command_line (self, cmdline, words, database_arg))
    return 2;
  if (g_variant_dict_contains (options, "read-only"))
    sitrep_session_force_read_only (self->session);
  if (g_variant_dict_contains (options, "paused"))
    sitrep_session_pause_probes (self->session);
  if (runbook_arg != NULL)
    runbook_file = g_application_command_line_create_file_for_arg (cmdline, runbook_arg);
  else if (words != NULL && words[0] != NULL)
    runbook_file = g_application_command_line_create_file_for_arg (cmdline, words[0]);
  /* A Markdown runbook is previewed, then saved as JSON and opened from there. */
  if (runbook_file != NULL && sitrep_import_is_markdown (runbook_file))
    markdown_file = g_steal_pointer (&runbook_file);

  if (!self->started)
    {
      g_autofree char *database = NULL;

      /* No --database: the team database set in Preferences, else this computer's. */
      if (database_arg == NULL && sitrep_session_get_settings (self->session) != NULL)
        {
          GSettings *settings = sitrep_session_get_settings (self->session);
          g_autofree char *team = g_strstrip (g_settings_get_string (settings, "team-database"));

          if (*team != '\0')
            database = g_steal_pointer (&team);
        }
      if (database_arg != NULL && sitrep_store_is_team_address (database_arg))
        {
          /* Never on the command line, where the shell's history and ps show it. */
          if (sitrep_store_address_has_password (database_arg))
            {
              g_application_command_line_printerr (cmdline,
                                                   _("sitrep: the --database address holds a "
                                                     "password, which Sitrep never takes on the "
                                                     "command line. Remove it, and put it in "
                                                     "your password file (PGPASSFILE or "
                                                     "~/.pgpass) or in the keyring with sitrep "
                                                     "store password ADDRESS.\n"));
              return 2;
            }
          database = g_strdup (database_arg);
        }
      else if (database_arg != NULL)
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline,
                                                                                  database_arg);
          g_autoptr(GError) error = NULL;

          database = g_file_get_path (file);
          /* Only the default database is created: a mistyped --database is not a new one. */
          if (!sitrep_store_check_file (database, FALSE, &error))
            {
              g_application_command_line_printerr (cmdline, "%s\n", error->message);
              return 2;
            }
        }
      self->started = TRUE;
      sitrep_session_open_store (self->session, database);
      if (runbook_file == NULL)
        sitrep_session_open_last_runbook (self->session);
    }

  if (runbook_file != NULL)
    sitrep_session_open_runbook (self->session, runbook_file);

  g_application_activate (app);
  if (markdown_file != NULL)
    sitrep_window_import (SITREP_WINDOW (sitrep_application_ensure_window (self)), markdown_file);
  return 0;
}

static void
sitrep_application_startup (GApplication *app)
{
  SitrepApplication *self = SITREP_APPLICATION (app);
  g_autoptr(GSettings) settings = NULL;

  G_APPLICATION_CLASS (sitrep_application_parent_class)->startup (app);

  settings = new_settings ();
  self->session = sitrep_session_new (settings);
  g_signal_connect_object (self->session, "health-changed", G_CALLBACK (health_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "due", G_CALLBACK (due_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  sitrep_application_install_actions (self);
}

/* Quitting (the last window closed, Ctrl+Q, or the session ending) stops every command still
 * running, the replaced runbooks' too, and writes what is queued before run() returns; the
 * windows go too, for each holds the application. */
static void
sitrep_application_shutdown (GApplication *app)
{
  SitrepApplication *self = SITREP_APPLICATION (app);
  GList *windows;

  /* A drill's servers end with the console. */
  sitrep_application_end_drills (self);
  if (self->session != NULL)
    sitrep_session_close (self->session);
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  G_APPLICATION_CLASS (sitrep_application_parent_class)->shutdown (app);
}

static void
sitrep_application_dispose (GObject *object)
{
  SitrepApplication *self = (SitrepApplication *) object;

  sitrep_application_end_drills (self);
  if (self->session != NULL)
    sitrep_session_close (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sitrep_application_parent_class)->dispose (object);
}

static void
sitrep_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SitrepApplication *self = SITREP_APPLICATION (object);

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
sitrep_application_class_init (SitrepApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sitrep_application_dispose;
  object_class->get_property = sitrep_application_get_property;

  app_class->activate = sitrep_application_activate;
  app_class->startup = sitrep_application_startup;
  app_class->shutdown = sitrep_application_shutdown;
  app_class->command_line = sitrep_application_command_line;
  app_class->handle_local_options = sitrep_application_handle_local_options;

  /* What the console holds, made at startup: NULL before. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SITREP_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_application_init (SitrepApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

/* The session: what the console holds. NULL until the application has started up. */
SitrepSession *
sitrep_application_get_session (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->session;
}
