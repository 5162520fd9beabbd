/* sitrep-session.c: a console's runbook, database, probes, incidents and commands, kept whole
 *
 * The application makes one session and hands it to its window; a test makes its own, without a
 * display. The session owns the runbook and whether it is trusted, the database, the monitor,
 * the incident manager, the action controller and the chat webhook's queue, and keeps them
 * consistent: another runbook brings its own monitor, incident manager and controller, while
 * commands of the replaced one that already run finish and are recorded. Read-only and trust
 * are one live state each, which the controller and the probes follow at once. The parts
 * themselves are built and retired in sitrep-session-parts.c, the database opened in
 * sitrep-session-store.c.
 */
#include "config.h"

#include "sitrep-runbook-loader.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-session-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-writer.h"

/* How long closing waits for the commands it stopped to end. */
#define STOPPED_COMMANDS_WAIT_US (5 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (SitrepSession, sitrep_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SitrepReadOnlySource, sitrep_read_only_source,
                    G_DEFINE_ENUM_VALUE (SITREP_READ_ONLY_SOURCE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (SITREP_READ_ONLY_SOURCE_FORCED, "forced"),
                    G_DEFINE_ENUM_VALUE (SITREP_READ_ONLY_SOURCE_RUNBOOK, "runbook"),
                    G_DEFINE_ENUM_VALUE (SITREP_READ_ONLY_SOURCE_SETTINGS, "settings"))

static GParamSpec *properties[SITREP_SESSION_N_PROPS];

enum
{
  HEALTH_CHANGED,
  DUE,
  EVENT_CHANGED,
  POSTMORTEM_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static SitrepReadOnlySource
compute_read_only_source (SitrepSession *self)
{
  const SitrepEnvironment *env;

  if (self->forced_read_only)
    return SITREP_READ_ONLY_SOURCE_FORCED;
  env = self->runbook != NULL ? sitrep_runbook_get_environment (self->runbook) : NULL;
  if (env != NULL && env->read_only)
    return SITREP_READ_ONLY_SOURCE_RUNBOOK;
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "read-only"))
    return SITREP_READ_ONLY_SOURCE_SETTINGS;
  return SITREP_READ_ONLY_SOURCE_NONE;
}

/* A source of read-only changed. Commands already running are not stopped: read-only refuses
 * what starts from now on. */
static void
update_read_only (SitrepSession *self)
{
  SitrepReadOnlySource source = compute_read_only_source (self);
  gboolean was_read_only = self->read_only_source != SITREP_READ_ONLY_SOURCE_NONE;

  if (source == self->read_only_source)
    return;
  self->read_only_source = source;
  if (was_read_only != (source != SITREP_READ_ONLY_SOURCE_NONE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_READ_ONLY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_READ_ONLY_SOURCE]);
}

static gboolean
compute_trusted (SitrepSession *self)
{
  if (self->runbook == NULL)
    return TRUE;
  return sitrep_runbook_trust_is_trusted (self->runbook, self->settings)
         || g_hash_table_contains (self->trusted_here, sitrep_runbook_get_digest (self->runbook));
}

/* Trust changed (here, or in another console sharing the settings): probes that run programs
 * start at once, and the commands can run. */
static void
update_trusted (SitrepSession *self)
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_TRUSTED]);
}

void
sitrep_session_notify (SitrepSession     *self,
                       SitrepSessionProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
sitrep_session_emit_health_changed (SitrepSession      *self,
                                    SitrepServiceState *state,
                                    SitrepHealth        old_health,
                                    SitrepHealth        new_health)
{
  g_signal_emit (self, signals[HEALTH_CHANGED], 0, state, old_health, new_health);
}

void
sitrep_session_emit_event_changed (SitrepSession *self,
                                   gint64         incident_id,
                                   gint64         event_id)
{
  g_signal_emit (self, signals[EVENT_CHANGED], 0, incident_id, event_id);
}

void
sitrep_session_emit_postmortem_changed (SitrepSession *self,
                                        gint64         incident_id)
{
  g_signal_emit (self, signals[POSTMORTEM_CHANGED], 0, incident_id);
}

void
sitrep_session_emit_due (SitrepSession  *self,
                         SitrepIncident *incident,
                         SitrepDue      *due)
{
  g_signal_emit (self, signals[DUE], 0, incident, due);
}

static void update_read_only (SitrepSession *self);

/* Another of the runbook's environments was picked: its read_only is now a source, and what
 * the probes found in the other one says nothing of this one. A monitor of its own (probes of
 * the old one still running are dropped, kube probes use the new context) starts every service
 * unknown until its first answer here. */
static void
environment_changed_cb (SitrepSession *self)
{
  if (self->monitor != NULL)
    sitrep_session_replace_monitor (self);
  update_read_only (self);
}

/* The one place a runbook comes in: what follows it is rebuilt, in one batch of notifications. */
static void
set_runbook (SitrepSession *self,
             SitrepRunbook *runbook,
             GPtrArray     *problems)
{
  gboolean runbook_changed = self->runbook != runbook;
  gboolean was_trusted = self->trusted;

  g_object_freeze_notify (G_OBJECT (self));
  if (runbook_changed && self->runbook != NULL)
    g_signal_handlers_disconnect_by_func (self->runbook, environment_changed_cb, self);
  g_set_object (&self->runbook, runbook);
  if (runbook_changed && runbook != NULL)
    g_signal_connect_object (runbook, "notify::environment", G_CALLBACK (environment_changed_cb),
                             self, G_CONNECT_SWAPPED);
  if (runbook_changed)
    {
      self->trusted = compute_trusted (self);
      sitrep_session_replace_monitor (self);
      sitrep_session_replace_incidents (self);
    }
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  if (problems != NULL)
    self->problems = g_ptr_array_ref (problems);
  self->loading = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_RUNBOOK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_PROBLEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_LOADING]);
  /* The runbook's environment.read_only is one of read-only's sources. */
  update_read_only (self);
  if (was_trusted != self->trusted)
    g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_TRUSTED]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
cancel_load (SitrepSession *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
}

static void
load_default_runbook (SitrepSession *self)
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
  g_autoptr(SitrepSession) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_file_finish (result, &problems, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->closed)
    return;
  g_clear_object (&self->load_cancellable);

  if (runbook == NULL && problems == NULL)
    {
      /* Not a problem in the file: made one all the same, so that it is shown like the others. */
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

static void
sitrep_session_dispose (GObject *object)
{
  SitrepSession *self = (SitrepSession *) object;

  sitrep_session_close (self);
  g_clear_object (&self->runbook);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sitrep_session_parent_class)->dispose (object);
}

static void
sitrep_session_finalize (GObject *object)
{
  SitrepSession *self = (SitrepSession *) object;

  g_free (self->store_error);
  g_free (self->store_address);
  g_free (self->home_path);
  g_clear_pointer (&self->releasing, g_ptr_array_unref);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_pointer (&self->trusted_here, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_session_parent_class)->finalize (object);
}

static void
sitrep_session_constructed (GObject *object)
{
  SitrepSession *self = (SitrepSession *) object;

  G_OBJECT_CLASS (sitrep_session_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::read-only",
                               G_CALLBACK (update_read_only), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::" SITREP_TRUST_SETTINGS_KEY,
                               G_CALLBACK (update_trusted), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::lead-name",
                               G_CALLBACK (sitrep_session_update_author), self,
                               G_CONNECT_SWAPPED);
    }
  self->read_only_source = compute_read_only_source (self);
}

static void
sitrep_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SitrepSession *self = SITREP_SESSION (object);

  switch (prop_id)
    {
    case SITREP_SESSION_PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case SITREP_SESSION_PROP_RUNBOOK:
      g_value_set_object (value, self->runbook);
      break;
    case SITREP_SESSION_PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems);
      break;
    case SITREP_SESSION_PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case SITREP_SESSION_PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case SITREP_SESSION_PROP_STORE_ERROR:
      g_value_set_string (value, self->store_error);
      break;
    case SITREP_SESSION_PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case SITREP_SESSION_PROP_INCIDENTS:
      g_value_set_object (value, self->incidents);
      break;
    case SITREP_SESSION_PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;
    case SITREP_SESSION_PROP_WEBHOOK:
      g_value_set_object (value, self->webhook);
      break;
    case SITREP_SESSION_PROP_READ_ONLY:
      g_value_set_boolean (value, sitrep_session_get_read_only (self));
      break;
    case SITREP_SESSION_PROP_READ_ONLY_SOURCE:
      g_value_set_enum (value, self->read_only_source);
      break;
    case SITREP_SESSION_PROP_TRUSTED:
      g_value_set_boolean (value, self->trusted);
      break;
    case SITREP_SESSION_PROP_STORE_ADDRESS:
      g_value_set_string (value, self->store_address);
      break;
    case SITREP_SESSION_PROP_STORE_CONNECTING:
      g_value_set_boolean (value, self->store_connecting);
      break;
    case SITREP_SESSION_PROP_PRESENCE:
      g_value_set_object (value, self->presence);
      break;
    case SITREP_SESSION_PROP_HEADLESS:
      g_value_set_boolean (value, self->headless);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SitrepSession *self = SITREP_SESSION (object);

  switch (prop_id)
    {
    case SITREP_SESSION_PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case SITREP_SESSION_PROP_HEADLESS:
      self->headless = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_session_class_init (SitrepSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = sitrep_session_constructed;
  object_class->dispose = sitrep_session_dispose;
  object_class->finalize = sitrep_session_finalize;
  object_class->get_property = sitrep_session_get_property;
  object_class->set_property = sitrep_session_set_property;

  /* Where the last runbook, read-only and the trusted runbooks are kept; NULL: nowhere. */
  properties[SITREP_SESSION_PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[SITREP_SESSION_PROP_RUNBOOK] =
    g_param_spec_object ("runbook", NULL, NULL, SITREP_TYPE_RUNBOOK, flags);
  /* What is wrong with the runbook file that was opened last, instead of a runbook. */
  properties[SITREP_SESSION_PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  properties[SITREP_SESSION_PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[SITREP_SESSION_PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SITREP_TYPE_STORE, flags);
  /* Why incidents cannot be saved, or NULL. */
  properties[SITREP_SESSION_PROP_STORE_ERROR] =
    g_param_spec_string ("store-error", NULL, NULL, NULL, flags);
  properties[SITREP_SESSION_PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, SITREP_TYPE_MONITOR, flags);
  properties[SITREP_SESSION_PROP_INCIDENTS] =
    g_param_spec_object ("incidents", NULL, NULL, SITREP_TYPE_INCIDENT_MANAGER, flags);
  properties[SITREP_SESSION_PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SITREP_TYPE_ACTION_CONTROLLER, flags);
  properties[SITREP_SESSION_PROP_WEBHOOK] =
    g_param_spec_object ("webhook", NULL, NULL, SITREP_TYPE_WEBHOOK, flags);
  /* Read-only from any source: sitrep_session_force_read_only(), the runbook, the settings. */
  properties[SITREP_SESSION_PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE, flags);
  properties[SITREP_SESSION_PROP_READ_ONLY_SOURCE] =
    g_param_spec_enum ("read-only-source", NULL, NULL, SITREP_TYPE_READ_ONLY_SOURCE,
                       SITREP_READ_ONLY_SOURCE_NONE, flags);
  /* Whether the runbook's commands may run: built in, trusted before, or trusted now. */
  properties[SITREP_SESSION_PROP_TRUSTED] =
    g_param_spec_boolean ("trusted", NULL, NULL, TRUE, flags);
  /* The database asked for: a file's path or a team database's address; NULL before. */
  properties[SITREP_SESSION_PROP_STORE_ADDRESS] =
    g_param_spec_string ("store-address", NULL, NULL, NULL, flags);
  /* Whether the team database is being connected to (on a thread). */
  properties[SITREP_SESSION_PROP_STORE_CONNECTING] =
    g_param_spec_boolean ("store-connecting", NULL, NULL, FALSE, flags);
  /* On a team database: who else is connected; NULL on a file. */
  properties[SITREP_SESSION_PROP_PRESENCE] =
    g_param_spec_object ("presence", NULL, NULL, SITREP_TYPE_STORE_PRESENCE, flags);
  /* A command-line verb's session (sitrep_session_new_headless()). */
  properties[SITREP_SESSION_PROP_HEADLESS] =
    g_param_spec_boolean ("headless", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SITREP_SESSION_N_PROPS, properties);

  /**
   * SitrepSession::health-changed:
   * @state: the service
   * @old_health: its previous #SitrepHealth
   * @new_health: its new #SitrepHealth
   *
   * A service's health changed (after hysteresis), whichever runbook's monitor saw it; the
   * change is on the open incidents' timelines already.
   */
  signals[HEALTH_CHANGED] =
    g_signal_new ("health-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, SITREP_TYPE_SERVICE_STATE, SITREP_TYPE_HEALTH,
                  SITREP_TYPE_HEALTH);

  /**
   * SitrepSession::due:
   * @incident: the incident
   * @due: (type gpointer): a #SitrepDue: the escalation step or status update that fell due
   */
  signals[DUE] = g_signal_new ("due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                               NULL, NULL, G_TYPE_NONE, 2, SITREP_TYPE_INCIDENT, G_TYPE_POINTER);

  /**
   * SitrepSession::event-changed:
   * @incident_id: the incident
   * @event_id: its timeline event
   *
   * Another console edited, starred, annotated or deleted a timeline event (on a team
   * database): a timeline shown reads that row again.
   */
  signals[EVENT_CHANGED] = g_signal_new ("event-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         G_TYPE_INT64, G_TYPE_INT64);

  /**
   * SitrepSession::postmortem-changed:
   * @incident_id: the incident
   *
   * A console saved the incident's post-mortem (on a team database; this one's own saves
   * too): an editor showing it reads it again.
   */
  signals[POSTMORTEM_CHANGED] = g_signal_new ("postmortem-changed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sitrep_session_init (SitrepSession *self)
{
  self->trusted = TRUE;
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) weak_ref_free);
  self->trusted_here = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * sitrep_session_new:
 * @settings: (nullable): the org.carecircle.Sitrep settings, or %NULL to remember nothing
 *
 * An empty session: open its database and a runbook next.
 */
SitrepSession *
sitrep_session_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SITREP_TYPE_SESSION, "settings", settings, NULL);
}

/**
 * sitrep_session_set_runbook:
 * @runbook: (nullable): the runbook, or %NULL for none
 *
 * Replaces the runbook with one already loaded. Its monitor, incident manager and controller
 * replace the old ones; commands of the old runbook already running finish and are recorded,
 * while those still waiting to start (a confirmed change in its grace period) are cancelled and
 * recorded so. A load in progress is abandoned.
 */
void
sitrep_session_set_runbook (SitrepSession *self,
                            SitrepRunbook *runbook)
{
  g_return_if_fail (SITREP_IS_SESSION (self));
  g_return_if_fail (runbook == NULL || SITREP_IS_RUNBOOK (runbook));

  cancel_load (self);
  set_runbook (self, runbook, NULL);
}

/**
 * sitrep_session_open_runbook:
 * @file: (nullable): the runbook file, or %NULL for the built-in runbook
 *
 * Loads a runbook without blocking (#SitrepSession:loading meanwhile), then replaces the
 * current one as sitrep_session_set_runbook() does. A file that does not load leaves no
 * runbook and its #SitrepSession:problems instead: no half-loaded console. The file is
 * remembered in the settings as the last runbook; the built-in runbook clears it.
 */
void
sitrep_session_open_runbook (SitrepSession *self,
                             GFile         *file)
{
  g_return_if_fail (SITREP_IS_SESSION (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (!self->closed);

  cancel_load (self);
  if (file == NULL)
    {
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "last-runbook", "");
      load_default_runbook (self);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[SITREP_SESSION_PROP_LOADING]);
  sitrep_runbook_load_file_async (file, self->load_cancellable, runbook_loaded_cb,
                                  g_object_ref (self));
}

/* Opens the runbook used last (remembered in the settings), or the built-in one. */
void
sitrep_session_open_last_runbook (SitrepSession *self)
{
  g_autofree char *last = NULL;

  g_return_if_fail (SITREP_IS_SESSION (self));

  if (self->settings != NULL)
    last = g_settings_get_string (self->settings, "last-runbook");
  if (last != NULL && last[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (last);

      sitrep_session_open_runbook (self, file);
      return;
    }
  cancel_load (self);
  load_default_runbook (self);
}

/* @runbook's commands may run in this session; @remember: in later ones too, until it changes. */
static void
trust (SitrepSession *self,
       SitrepRunbook *runbook,
       gboolean       remember)
{
  g_hash_table_add (self->trusted_here, g_strdup (sitrep_runbook_get_digest (runbook)));
  if (remember)
    sitrep_runbook_trust_remember (runbook, self->settings);
  update_trusted (self);
}

/**
 * sitrep_session_trust_runbook:
 *
 * The user reviewed @runbook's commands and trusts them: its content is remembered (an edited
 * file asks again), and when it is still the session's runbook its probes and commands start.
 */
void
sitrep_session_trust_runbook (SitrepSession *self,
                              SitrepRunbook *runbook)
{
  g_return_if_fail (SITREP_IS_SESSION (self));
  g_return_if_fail (SITREP_IS_RUNBOOK (runbook));

  trust (self, runbook, TRUE);
}

/**
 * sitrep_session_trust_runbook_for_now:
 *
 * Trusts @runbook until the session ends, never remembered: a runbook Sitrep wrote itself for
 * this session (a drill's), which no later Sitrep may take as trusted.
 */
void
sitrep_session_trust_runbook_for_now (SitrepSession *self,
                                      SitrepRunbook *runbook)
{
  g_return_if_fail (SITREP_IS_SESSION (self));
  g_return_if_fail (SITREP_IS_RUNBOOK (runbook));

  trust (self, runbook, FALSE);
}

/* Read-only until the session ends, whatever the settings and the runbook say: --read-only. */
void
sitrep_session_force_read_only (SitrepSession *self)
{
  g_return_if_fail (SITREP_IS_SESSION (self));

  self->forced_read_only = TRUE;
  update_read_only (self);
}

/* Probing is paused now, and starts paused for every runbook opened later: --paused. */
void
sitrep_session_pause_probes (SitrepSession *self)
{
  g_return_if_fail (SITREP_IS_SESSION (self));

  self->probes_paused = TRUE;
  if (self->monitor != NULL)
    sitrep_monitor_set_paused (self->monitor, TRUE);
}

/* Turns the loop until each controller's commands are over and on the record (a few seconds
 * at most). */
static void
settle (GPtrArray *controllers)
{
  gint64 deadline = g_get_monotonic_time () + STOPPED_COMMANDS_WAIT_US;

  for (guint i = 0; i < controllers->len; i++)
    while (!sitrep_action_controller_is_settled (controllers->pdata[i])
           && g_get_monotonic_time () < deadline)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10 * 1000);
}

/**
 * sitrep_session_close:
 *
 * The console quits: probing stops, and every command still running is stopped, the replaced
 * runbooks' too, and recorded so. The runbook and the database stay readable.
 */
void
sitrep_session_close (SitrepSession *self)
{
  g_autoptr(GPtrArray) stopping = NULL;

  g_return_if_fail (SITREP_IS_SESSION (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  cancel_load (self);
  sitrep_session_close_team (self);
  /* The controllers whose commands are stopped, the replaced runbooks' too. */
  stopping = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->actions != NULL)
    g_ptr_array_add (stopping, g_object_ref (self->actions));
  for (guint i = 0; i < self->retired->len; i++)
    {
      SitrepActionController *retired = g_weak_ref_get (self->retired->pdata[i]);

      if (retired != NULL)
        g_ptr_array_add (stopping, retired);
    }
  sitrep_session_close_parts (self);
  /* A stopped command says how it ended, on the record, before the console goes: the loop is
   * turned until each has (a few seconds at most; one that ignores being stopped is left to
   * the next start, which calls it "never finished"). */
  settle (stopping);
  /* What the console queued is on disk before it quits (the loop may not turn again), in the
   * databases it switched away from too: on the team database, or in its journal on this
   * computer when the server has not taken it in a few seconds (it stalls, or a lock held
   * elsewhere keeps a change waiting). */
  if (self->store != NULL)
    {
      gint64 end_time = g_get_monotonic_time () + SITREP_SESSION_TEAM_WRITES_WAIT_US;

      /* The wait has a limit of its own. */
      sitrep_store_cut_stalled_changes (self->store, 0);
      sitrep_store_finish_writes (self->store, end_time);
      /* A command cancelled while the team database took its start: that start, written only
       * now, is closed as cancelled from a callback on this loop, and that is written too (to
       * the journal at once if the server was cut off). A second or so for that, if the first
       * wait took all its time. */
      settle (stopping);
      sitrep_store_finish_writes (self->store, MAX (end_time, g_get_monotonic_time ()
                                                                + G_USEC_PER_SEC));
      sitrep_store_close_reads (self->store);
    }
  sitrep_session_join_released (self);
}

GSettings *
sitrep_session_get_settings (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->settings;
}

SitrepRunbook *
sitrep_session_get_runbook (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->runbook;
}

GPtrArray *
sitrep_session_get_problems (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->problems;
}

gboolean
sitrep_session_get_loading (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  return self->loading;
}

SitrepMonitor *
sitrep_session_get_monitor (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->monitor;
}

SitrepIncidentManager *
sitrep_session_get_incidents (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->incidents;
}

SitrepActionController *
sitrep_session_get_actions (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->actions;
}

SitrepWebhook *
sitrep_session_get_webhook (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->webhook;
}

/* Read-only when the command line, the runbook or the settings say so. */
gboolean
sitrep_session_get_read_only (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), TRUE);
  return self->read_only_source != SITREP_READ_ONLY_SOURCE_NONE;
}

SitrepReadOnlySource
sitrep_session_get_read_only_source (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), SITREP_READ_ONLY_SOURCE_NONE);
  return self->read_only_source;
}

gboolean
sitrep_session_get_trusted (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  return self->trusted;
}
