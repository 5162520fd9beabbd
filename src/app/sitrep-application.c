/* sitrep-application.c: the application: command line, runbook, database and windows */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-application-private.h"
#include "sitrep-action-controller.h"
#include "sitrep-incident-manager.h"
#include "sitrep-monitor.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-store-messages.h"
#include "sitrep-webhook.h"
#include "sitrep-window.h"

G_DEFINE_FINAL_TYPE (SitrepApplication, sitrep_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_RUNBOOK,
  PROP_PROBLEMS,
  PROP_LOADING,
  PROP_STORE_ERROR,
  PROP_READ_ONLY,
  PROP_TRUSTED,
  PROP_MONITOR,
  PROP_INCIDENTS,
  PROP_ACTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Load the runbook from FILE instead of the last one used"), N_("FILE") },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep incidents in FILE instead of the default database"), N_("FILE") },
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

/* A desktop notification when a service goes down or comes back, never while it flaps. */
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

  if (self->incidents != NULL)
    sitrep_incident_manager_record_health (self->incidents, sitrep_service_state_get_id (state),
                                           sitrep_service_state_get_name (state),
                                           sitrep_health_get_label (old_health),
                                           sitrep_health_get_label (new_health),
                                           new_health != SITREP_HEALTH_UP
                                             ? sitrep_service_state_get_reason (state) : NULL,
                                           sitrep_service_state_get_since (state));

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

static void
replace_monitor (SitrepApplication *self)
{
  if (self->monitor != NULL)
    {
      sitrep_monitor_stop (self->monitor);
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->monitor);
    }
  if (self->runbook != NULL)
    {
      self->monitor = sitrep_monitor_new (self->runbook, self->store, NULL);
      /* Before the first probe: an untrusted runbook's command and kube probes never start. */
      sitrep_probe_context_set_trusted (sitrep_monitor_get_context (self->monitor), self->trusted);
      g_signal_connect_swapped (self->monitor, "health-changed", G_CALLBACK (health_changed_cb),
                                self);
      sitrep_monitor_set_paused (self->monitor, self->start_paused);
      sitrep_monitor_start (self->monitor);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

/* An escalation step or a status update fell due: a notification that says whom and what. */
static void
due_cb (SitrepApplication *self,
        SitrepIncident    *incident,
        SitrepDue         *due)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  if (!g_application_get_is_registered (G_APPLICATION (self)))
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
    }
  else
    {
      id = g_strdup_printf ("update-%" G_GINT64_FORMAT, sitrep_incident_get_id (incident));
      /* Translators: a notification: "Status update due: SEV-1 API returns 503s" */
      title = g_strdup_printf (_("Status update due: %s %s"), sitrep_incident_get_severity (incident),
                               sitrep_incident_get_summary (incident));
    }
  notification = g_notification_new (title);
  g_notification_set_body (notification, due->message ? due->message
                                                      : sitrep_incident_get_summary (incident));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-incident", "x",
                                                sitrep_incident_get_id (incident));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* A replaced runbook's commands that are already running finish and are recorded: each run
 * keeps its controller alive until then. What has not started yet does not start. */
static void
retire_actions (SitrepApplication *self)
{
  GWeakRef *ref;

  if (self->actions == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->actions_bindings); i++)
    g_clear_pointer (&self->actions_bindings[i], g_binding_unbind);
  sitrep_action_controller_cancel_pending (self->actions,
                                           _("Cancelled before it started: another runbook was "
                                             "opened"));
  for (guint i = self->retired->len; i > 0; i--)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (self->retired->pdata[i - 1]);

      if (alive == NULL)
        g_ptr_array_remove_index (self->retired, i - 1);
    }
  if (sitrep_action_controller_get_n_running (self->actions) > 0)
    {
      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, self->actions);
      g_ptr_array_add (self->retired, ref);
    }
  g_clear_object (&self->actions);
}

/* The actions follow the runbook, the database and the incidents; read-only mode and trust are
 * bound, so that every check reads what the console shows at that moment. */
static void
replace_actions (SitrepApplication *self)
{
  retire_actions (self);
  if (self->runbook != NULL && self->store != NULL)
    {
      self->actions = sitrep_action_controller_new (self->store, self->runbook, self->incidents,
                                                    sitrep_application_get_read_only (self));
      self->actions_bindings[0] = g_object_bind_property (self, "read-only", self->actions,
                                                          "read-only", G_BINDING_SYNC_CREATE);
      self->actions_bindings[1] = g_object_bind_property (self, "trusted", self->actions,
                                                          "trusted", G_BINDING_SYNC_CREATE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIONS]);
}

/* A post the webhook delivered reset the incident's update clock in the store. */
static void
webhook_changed_cb (SitrepWebhook      *webhook,
                    gint64              message_id,
                    SitrepWebhookState  state,
                    SitrepApplication  *self)
{
  g_autoptr(SitrepMessage) message = NULL;

  if (state != SITREP_WEBHOOK_STATE_SENT || self->incidents == NULL)
    return;
  message = sitrep_store_load_message (self->store, message_id, NULL);
  if (message != NULL)
    sitrep_incident_manager_reload (self->incidents, message->incident_id, NULL);
}

static void
replace_incidents (SitrepApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->incidents != NULL)
    {
      sitrep_incident_manager_stop (self->incidents);
      g_signal_handlers_disconnect_by_data (self->incidents, self);
      g_clear_object (&self->incidents);
    }
  /* Messages still queued for the chat webhook go out once the database is open. */
  if (self->webhook == NULL && self->store != NULL)
    {
      self->webhook = sitrep_webhook_new (self->store, NULL);
      g_signal_connect (self->webhook, "changed", G_CALLBACK (webhook_changed_cb), self);
    }
  if (self->webhook != NULL)
    sitrep_webhook_set_allow_plain_http (self->webhook,
                                         self->runbook != NULL
                                           && sitrep_runbook_get_webhook_allow_plain_http (self->runbook));
  if (self->runbook != NULL && self->store != NULL)
    {
      self->incidents = sitrep_incident_manager_new (self->store, self->runbook, NULL, &error);
      if (self->incidents == NULL)
        {
          g_free (self->store_error);
          self->store_error = g_strdup (error->message);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_ERROR]);
        }
      else
        {
          g_signal_connect_swapped (self->incidents, "due", G_CALLBACK (due_cb), self);
          sitrep_incident_manager_start (self->incidents);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENTS]);
  replace_actions (self);
}

static gboolean
compute_trusted (SitrepApplication *self)
{
  if (self->runbook == NULL)
    return TRUE;
  return sitrep_runbook_trust_is_trusted (self->runbook, self->settings)
         || g_hash_table_contains (self->session_trust, sitrep_runbook_get_digest (self->runbook));
}

/* Trust changed (the user trusted the runbook here or in another window): probes that run
 * programs start at once, and the actions come back. */
static void
update_trusted (SitrepApplication *self)
{
  gboolean trusted = compute_trusted (self);

  if (trusted == self->trusted)
    return;
  self->trusted = trusted;
  if (self->monitor != NULL)
    {
      sitrep_probe_context_set_trusted (sitrep_monitor_get_context (self->monitor), trusted);
      if (trusted)
        sitrep_monitor_probe_now (self->monitor);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUSTED]);
}

static void
set_runbook (SitrepApplication *self,
             SitrepRunbook     *runbook,
             GPtrArray         *problems)
{
  gboolean runbook_changed = self->runbook != runbook;
  gboolean was_trusted = self->trusted;

  g_set_object (&self->runbook, runbook);
  if (runbook_changed)
    {
      self->trusted = compute_trusted (self);
      replace_monitor (self);
      replace_incidents (self);
    }
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  if (problems != NULL)
    self->problems = g_ptr_array_ref (problems);
  self->loading = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNBOOK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  /* The runbook's environment.read_only is one of read-only's sources. */
  if (runbook_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
  if (was_trusted != self->trusted)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUSTED]);
}

static void
load_default_runbook (SitrepApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);

  /* The built-in runbook is checked by the test suite; failing here is a build defect. */
  if (runbook == NULL)
    g_critical ("The built-in runbook does not load: %s", error->message);
  set_runbook (self, runbook, NULL);
}

static void
runbook_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SitrepApplication) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_file_finish (result, &problems, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (runbook == NULL && problems == NULL)
    {
      /* Not a problem in the file: make one so the window can show it all the same. */
      SitrepRunbookProblem *problem = g_new0 (SitrepRunbookProblem, 1);

      problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_runbook_problem_free);
      problem->file = g_strdup ("");
      problem->message = g_strdup (error->message);
      g_ptr_array_add (problems, problem);
    }

  if (runbook != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "last-runbook", sitrep_runbook_get_source (runbook));

  set_runbook (self, runbook, problems);
}

void
sitrep_application_open_runbook (SitrepApplication *self,
                                 GFile             *file)
{
  g_return_if_fail (SITREP_IS_APPLICATION (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (file == NULL)
    {
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "last-runbook", "");
      load_default_runbook (self);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  sitrep_runbook_load_file_async (file, self->load_cancellable, runbook_loaded_cb,
                                  g_object_ref (self));
}

static void
open_store (SitrepApplication *self,
            const char        *path)
{
  g_autofree char *default_path = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    path = default_path = sitrep_store_default_path ();

  g_clear_object (&self->store);
  self->store = sitrep_store_open (path, &error);
  g_clear_pointer (&self->store_error, g_free);
  if (self->store == NULL)
    self->store_error = g_strdup (error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_ERROR]);
}

static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed: window size and the last runbook "
                 "will not be remembered. Run `meson install`, or set GSETTINGS_SCHEMA_DIR.",
                 APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* The window, made when there is none yet (a notification clicked before any was open). */
SitrepWindow *
sitrep_application_ensure_window (SitrepApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (sitrep_window_new (self));
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

  /* main.c names the verb that was meant; a console started otherwise still refuses. */
  if (words != NULL && words[0] != NULL)
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
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline,
                                                                              database_arg);
      g_autoptr(GFile) running = NULL;

      if (self->store != NULL)
        running = g_file_new_for_path (sitrep_store_get_path (self->store));

      if (running == NULL || !g_file_equal (file, running))
        {
          g_application_command_line_printerr (cmdline,
                                               _("Sitrep is already running with the database "
                                                 "%s: --database cannot change it. Quit the "
                                                 "running console first, or leave out "
                                                 "--database.\n"),
                                               running ? sitrep_store_get_path (self->store)
                                                       : _("(none: it could not be opened)"));
          return FALSE;
        }
    }
  return TRUE;
}

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

  g_variant_dict_lookup (options, "runbook", "^&ay", &runbook_arg);
  g_variant_dict_lookup (options, "database", "^&ay", &database_arg);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &words);
  if (!check_command_line (self, cmdline, words, database_arg))
    return 2;
  if (g_variant_dict_contains (options, "read-only"))
    {
      self->read_only = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
    }

  if (runbook_arg != NULL)
    runbook_file = g_application_command_line_create_file_for_arg (cmdline, runbook_arg);
  if (g_variant_dict_contains (options, "paused"))
    {
      self->start_paused = TRUE;
      if (self->monitor != NULL)
        sitrep_monitor_set_paused (self->monitor, TRUE);
    }

  if (!self->started)
    {
      g_autofree char *database = NULL;

      self->started = TRUE;
      if (database_arg != NULL)
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline,
                                                                                  database_arg);
          g_autoptr(GError) error = NULL;

          database = g_file_get_path (file);
          /* Only the default database is created: a mistyped --database is not a new one. */
          if (!sitrep_store_check_file (database, FALSE, &error))
            {
              g_application_command_line_printerr (cmdline, "%s\n", error->message);
              self->started = FALSE;
              return 2;
            }
        }
      open_store (self, database);

      if (runbook_file == NULL && self->settings != NULL)
        {
          g_autofree char *last = g_settings_get_string (self->settings, "last-runbook");

          if (last[0] != '\0')
            runbook_file = g_file_new_for_path (last);
        }
      if (runbook_file == NULL)
        load_default_runbook (self);
    }

  if (runbook_file != NULL)
    sitrep_application_open_runbook (self, runbook_file);

  g_application_activate (app);
  return 0;
}

/* Commands already running are not stopped: read-only refuses what starts from now on. */
static void
read_only_changed_cb (SitrepApplication *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
sitrep_application_startup (GApplication *app)
{
  SitrepApplication *self = SITREP_APPLICATION (app);

  G_APPLICATION_CLASS (sitrep_application_parent_class)->startup (app);

  self->settings = new_settings ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::read-only",
                               G_CALLBACK (read_only_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::" SITREP_TRUST_SETTINGS_KEY,
                               G_CALLBACK (update_trusted), self, G_CONNECT_SWAPPED);
    }

  sitrep_application_install_actions (self);
}

static void
sitrep_application_dispose (GObject *object)
{
  SitrepApplication *self = (SitrepApplication *) object;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->monitor != NULL)
    {
      sitrep_monitor_stop (self->monitor);
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->monitor);
    }
  if (self->actions != NULL)
    sitrep_action_controller_cancel_all (self->actions);
  for (guint i = 0; i < G_N_ELEMENTS (self->actions_bindings); i++)
    g_clear_pointer (&self->actions_bindings[i], g_binding_unbind);
  g_clear_object (&self->actions);
  /* Quitting stops every command still running, the replaced runbooks' too. */
  for (guint i = 0; self->retired != NULL && i < self->retired->len; i++)
    {
      g_autoptr(SitrepActionController) retired = g_weak_ref_get (self->retired->pdata[i]);

      if (retired != NULL)
        sitrep_action_controller_cancel_all (retired);
    }
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  if (self->webhook != NULL)
    g_signal_handlers_disconnect_by_data (self->webhook, self);
  g_clear_object (&self->webhook);
  if (self->incidents != NULL)
    {
      sitrep_incident_manager_stop (self->incidents);
      g_signal_handlers_disconnect_by_data (self->incidents, self);
      g_clear_object (&self->incidents);
    }
  g_clear_object (&self->runbook);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sitrep_application_parent_class)->dispose (object);
}

static void
sitrep_application_finalize (GObject *object)
{
  SitrepApplication *self = (SitrepApplication *) object;

  g_free (self->store_error);
  g_clear_pointer (&self->session_trust, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_application_parent_class)->finalize (object);
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
    case PROP_RUNBOOK:
      g_value_set_object (value, self->runbook);
      break;
    case PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_STORE_ERROR:
      g_value_set_string (value, self->store_error);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, sitrep_application_get_read_only (self));
      break;
    case PROP_TRUSTED:
      g_value_set_boolean (value, self->trusted);
      break;
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_INCIDENTS:
      g_value_set_object (value, self->incidents);
      break;
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
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
  object_class->finalize = sitrep_application_finalize;
  object_class->get_property = sitrep_application_get_property;

  app_class->activate = sitrep_application_activate;
  app_class->startup = sitrep_application_startup;
  app_class->command_line = sitrep_application_command_line;
  app_class->handle_local_options = sitrep_application_handle_local_options;

  properties[PROP_RUNBOOK] =
    g_param_spec_object ("runbook", NULL, NULL, SITREP_TYPE_RUNBOOK,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE_ERROR] =
    g_param_spec_string ("store-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Read-only from any source: the command line of any instance, the preferences, the runbook. */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the runbook's commands may run: built in, trusted before, or trusted now. */
  properties[PROP_TRUSTED] =
    g_param_spec_boolean ("trusted", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, SITREP_TYPE_MONITOR,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_INCIDENTS] =
    g_param_spec_object ("incidents", NULL, NULL, SITREP_TYPE_INCIDENT_MANAGER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SITREP_TYPE_ACTION_CONTROLLER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_application_init (SitrepApplication *self)
{
  self->trusted = TRUE;
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) weak_ref_free);
  self->session_trust = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

SitrepRunbook *
sitrep_application_get_runbook (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->runbook;
}

GPtrArray *
sitrep_application_get_problems (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->problems;
}

const char *
sitrep_application_get_store_error (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->store_error;
}

GSettings *
sitrep_application_get_settings (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* Read-only when the command line, the preferences or the runbook say so. */
gboolean
sitrep_application_get_read_only (SitrepApplication *self)
{
  const SitrepEnvironment *env;

  g_return_val_if_fail (SITREP_IS_APPLICATION (self), TRUE);

  if (self->read_only)
    return TRUE;
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "read-only"))
    return TRUE;
  env = self->runbook != NULL ? sitrep_runbook_get_environment (self->runbook) : NULL;
  return env != NULL && env->read_only;
}

gboolean
sitrep_application_get_trusted (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), FALSE);
  return self->trusted;
}

/**
 * sitrep_application_trust_runbook:
 *
 * The user reviewed @runbook's commands and trusts them: its content is remembered (an edited
 * file asks again), and when it is still the runbook on screen its probes and actions start.
 */
void
sitrep_application_trust_runbook (SitrepApplication *self,
                                  SitrepRunbook     *runbook)
{
  g_return_if_fail (SITREP_IS_APPLICATION (self));
  g_return_if_fail (SITREP_IS_RUNBOOK (runbook));

  g_hash_table_add (self->session_trust, g_strdup (sitrep_runbook_get_digest (runbook)));
  sitrep_runbook_trust_remember (runbook, self->settings);
  update_trusted (self);
}

SitrepMonitor *
sitrep_application_get_monitor (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->monitor;
}

SitrepIncidentManager *
sitrep_application_get_incidents (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->incidents;
}

SitrepActionController *
sitrep_application_get_actions (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->actions;
}

SitrepStore *
sitrep_application_get_store (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->store;
}

SitrepWebhook *
sitrep_application_get_webhook (SitrepApplication *self)
{
  g_return_val_if_fail (SITREP_IS_APPLICATION (self), NULL);
  return self->webhook;
}
