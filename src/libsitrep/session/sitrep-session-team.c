/* sitrep-session-team.c: the session on a team database: opened on a thread, following the
 * other consoles' changes, knowing who else is there
 *
 * Connecting to a server may take seconds (or the 10 s of libpq's connect timeout when it does
 * not answer): the store is opened on a thread while the window shows that it connects. Once
 * it is open, a SitrepStoreWatch reports each change another console commits, naming its
 * incident, and the incident manager reloads that incident alone (its status, checklist,
 * escalations and timeline follow, in the Incident and Timeline views); a lost watch is made
 * again a few seconds later, and the current incident and the list reloaded then, for what was
 * missed. A SitrepStorePresence says who else has a console open there.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-author.h"
#include "sitrep-session-private.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-writer.h"

/* How often the console looks at who else is connected, and how soon a lost watch is made
 * again. */
#define PRESENCE_INTERVAL_MS 5000
#define WATCH_RETRY_SECONDS 3
/* How soon who else is there is looked for again, when the server did not answer. */
#define PRESENCE_RETRY_SECONDS 5
/* How long a change waits for a server that does not answer before the console counts it
 * unreachable and keeps its changes on this computer: as long as a dead link takes to be
 * noticed (tcp_user_timeout, sitrep-store-db-pg.c). */
#define STALLED_AFTER_S 15

static void start_watch (SitrepSession *self);

static void
set_connecting (SitrepSession *self,
                gboolean       connecting)
{
  if (self->store_connecting == connecting)
    return;
  self->store_connecting = connecting;
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE_CONNECTING);
}

static void
watch_changed_cb (SitrepStoreWatch *watch,
                  const char       *table,
                  gint64            incident_id,
                  gint64            row_id,
                  const char       *kind,
                  SitrepSession    *self)
{
  g_autoptr(GError) error = NULL;

  g_debug ("another console changed %s %" G_GINT64_FORMAT " of incident %" G_GINT64_FORMAT
           " (%s)", table, row_id, incident_id, kind);
  if (self->incidents != NULL
      && !sitrep_incident_manager_reload (self->incidents, incident_id, &error))
    g_message ("Cannot show another console’s change of incident %" G_GINT64_FORMAT ": %s",
               incident_id, error->message);
  /* An edit, star, annotation or deletion changes no count: the row is named. */
  if (g_strcmp0 (kind, "changed") == 0 && row_id > 0)
    sitrep_session_emit_event_changed (self, incident_id, row_id);
  /* A message copied or posted (by another console, or this one's writer): a message this
   * console left to another shows as sent once the queue is read. */
  if (g_strcmp0 (kind, SITREP_TIMELINE_KIND_MESSAGE) == 0 && self->webhook != NULL)
    sitrep_webhook_retry_due (self->webhook);
  if (g_strcmp0 (kind, SITREP_STORE_CHANGE_POSTMORTEM) == 0)
    sitrep_session_emit_postmortem_changed (self, incident_id);
}

static gboolean
watch_retry_cb (gpointer user_data)
{
  SitrepSession *self = user_data;

  self->watch_retry_id = 0;
  start_watch (self);
  return G_SOURCE_REMOVE;
}

static void
watch_lost_cb (SitrepStoreWatch *watch,
               const char       *message,
               SitrepSession    *self)
{
  g_message ("%s", message);
  g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  if (!self->closed && self->watch_retry_id == 0)
    self->watch_retry_id = g_timeout_add_seconds (WATCH_RETRY_SECONDS, watch_retry_cb, self);
}

static void
watch_made_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SitrepSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStoreWatch) watch = sitrep_store_watch_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->closed)
    return;
  if (watch == NULL)
    {
      g_message ("%s", error->message);
      if (self->watch_retry_id == 0)
        self->watch_retry_id = g_timeout_add_seconds (WATCH_RETRY_SECONDS, watch_retry_cb, self);
      return;
    }
  self->watch = g_steal_pointer (&watch);
  g_signal_connect (self->watch, "changed", G_CALLBACK (watch_changed_cb), self);
  g_signal_connect (self->watch, "lost", G_CALLBACK (watch_lost_cb), self);
  /* What the others changed while no watch listened (since the store opened, or while it was
   * lost): the incident on screen is read again, and the list (incidents declared, resolved
   * or changed meanwhile), unless its first read is still on its way. */
  if (self->incidents != NULL)
    {
      SitrepIncident *current = sitrep_incident_manager_get_current (self->incidents);

      if (current != NULL)
        sitrep_incident_manager_reload (self->incidents, sitrep_incident_get_id (current), NULL);
      sitrep_incident_manager_reload_list (self->incidents);
    }
}

static void
start_watch (SitrepSession *self)
{
  if (self->closed || self->store_address == NULL)
    return;
  sitrep_store_watch_new_async (self->store_address, self->team_cancellable, watch_made_cb,
                                g_object_ref (self));
}

static void start_presence (SitrepSession *self);

static gboolean
presence_retry_cb (gpointer user_data)
{
  SitrepSession *self = user_data;

  self->presence_retry_id = 0;
  start_presence (self);
  return G_SOURCE_REMOVE;
}

static void
presence_made_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SitrepSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStorePresence) presence = sitrep_store_presence_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->closed)
    return;
  /* A server away since the console started: who else is there is seen once it answers. */
  if (presence == NULL)
    {
      g_message ("%s", error->message);
      if (self->presence_retry_id == 0)
        self->presence_retry_id = g_timeout_add_seconds (PRESENCE_RETRY_SECONDS,
                                                         presence_retry_cb, self);
      return;
    }
  g_set_object (&self->presence, presence);
  sitrep_session_notify (self, SITREP_SESSION_PROP_PRESENCE);
}

static void
start_presence (SitrepSession *self)
{
  g_autofree char *name = NULL;

  if (self->closed || self->store_address == NULL)
    return;
  name = sitrep_author_name (self->settings);
  sitrep_store_presence_new_async (self->store_address, name, PRESENCE_INTERVAL_MS,
                                   self->team_cancellable, presence_made_cb,
                                   g_object_ref (self));
}

static void
lead_name_changed_cb (SitrepSession *self)
{
  g_autofree char *name = sitrep_author_name (self->settings);

  if (self->presence != NULL)
    sitrep_store_presence_set_name (self->presence, name);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  SitrepStore *store = sitrep_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void opened_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);

static void
start_open (SitrepSession *self,
            const char    *address)
{
  g_autoptr(GTask) task = NULL;

  if (self->team_cancellable == NULL)
    self->team_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->team_cancellable, opened_cb, g_object_ref (self));
  g_task_set_source_tag (task, sitrep_session_open_team_store);
  g_task_set_task_data (task, g_strdup (address), g_free);
  g_task_run_in_thread (task, open_in_thread);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SitrepSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_object_freeze_notify (G_OBJECT (self));
  set_connecting (self, FALSE);
  if (g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
    {
      g_autoptr(GError) away_error = NULL;

      /* A server that is down, or a network that is, may come back: the console works on as
       * when it goes away later, its changes kept on this computer (the window's banner says
       * so), and connects once it answers. */
      g_message ("%s", error->message);
      store = sitrep_store_open_away (self->store_address, &away_error);
      sitrep_session_set_store_error (self, store == NULL ? away_error->message : NULL);
    }
  else
    sitrep_session_set_store_error (self, store == NULL ? error->message : NULL);
  if (store != NULL)
    {
      self->store = g_steal_pointer (&store);
      sitrep_store_cut_stalled_changes (self->store, STALLED_AFTER_S);
      sitrep_session_store_opened (self);
      start_watch (self);
      start_presence (self);
      if (self->settings != NULL)
        g_signal_connect_object (self->settings, "changed::lead-name",
                                 G_CALLBACK (lead_name_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* sitrep_session_open_store() for a team database: on a thread. */
void
sitrep_session_open_team_store (SitrepSession *self,
                                const char    *address)
{

  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->store_address);
  self->store_address = g_strdup (address);
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE_ADDRESS);
  sitrep_session_set_store_error (self, NULL);
  set_connecting (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  start_open (self, address);
}

/* The console quits: nothing more is followed. */
void
sitrep_session_close_team (SitrepSession *self)
{
  if (self->team_cancellable != NULL)
    g_cancellable_cancel (self->team_cancellable);
  g_clear_object (&self->team_cancellable);
  g_clear_handle_id (&self->watch_retry_id, g_source_remove);
  g_clear_handle_id (&self->presence_retry_id, g_source_remove);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_object (&self->presence);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, lead_name_changed_cb, self);
}

/* On its own thread: what the store left behind still had queued is written (to a server
 * that may be slow, or stalled: then kept in the journal), and then the reference is dropped
 * here, so that its finalize, which may join the writer thread, is not the main loop's to
 * wait for. */
static gpointer
release_thread (gpointer data)
{
  SitrepStore *store = data;

  sitrep_store_finish_writes (store, g_get_monotonic_time () + SITREP_SESSION_TEAM_WRITES_WAIT_US);
  sitrep_store_close_reads (store);
  g_object_unref (store);
  return NULL;
}

static void
release_store (SitrepSession *self,
               SitrepStore   *store)
{
  /* Its source is this thread's to stop, before the release thread may finalize it. */
  sitrep_store_cut_stalled_changes (store, 0);
  if (self->releasing == NULL)
    self->releasing = g_ptr_array_new ();
  g_ptr_array_add (self->releasing, g_thread_new ("sitrep-store-release", release_thread, store));
}

/* The session closes: what the databases it left still had queued is written before it
 * goes, as its own database's is. */
void
sitrep_session_join_released (SitrepSession *self)
{
  g_autoptr(GPtrArray) releasing = g_steal_pointer (&self->releasing);

  for (guint i = 0; releasing != NULL && i < releasing->len; i++)
    g_thread_join (releasing->pdata[i]);
}

/* Whether a command of this runbook, or of one replaced, still runs or waits to start. */
static guint
count_commands (SitrepSession *self)
{
  guint count = 0;

  if (self->actions != NULL)
    count = sitrep_action_controller_get_n_running (self->actions)
            + sitrep_action_controller_get_n_pending (self->actions);
  for (guint i = 0; i < self->retired->len; i++)
    {
      g_autoptr(SitrepActionController) retired = g_weak_ref_get (self->retired->pdata[i]);

      if (retired != NULL)
        count += sitrep_action_controller_get_n_running (retired)
                 + sitrep_action_controller_get_n_pending (retired);
    }
  return count;
}

/**
 * sitrep_session_switch_store:
 * @address: (nullable): a team database's address, a database file, or %NULL for the one
 *   the session was opened on
 * @error: why the console stays on the database it has
 *
 * Leaves the database in use for another, as Preferences' team database does: the monitor,
 * the incidents, the commands and the webhook are made again on the new one (a team database
 * is opened on a thread, as at start, probing meanwhile). What the old one still had queued
 * is written there first, on a thread that then lets it go: the main loop waits neither for
 * a slow server nor for the store's writer thread to end. %NULL (an emptied team address)
 * is the database the session was opened on: the file given with --database, else this
 * computer's default one. The console does not switch
 * while a command runs or waits to start, whose record belongs to the database it started
 * on, nor away from a team database that is unreachable or whose journal still keeps
 * changes for it (they are written only by a console on it).
 *
 * Returns: %TRUE when the console switched (or already was on @address)
 */
gboolean
sitrep_session_switch_store (SitrepSession *self,
                             const char    *address,
                             GError       **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(SitrepStore) old = NULL;
  guint commands;

  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->closed)
    return FALSE;
  if (address == NULL || *address == '\0')
    address = self->home_path != NULL ? self->home_path
                                      : (default_path = sitrep_store_default_path ());
  if (g_strcmp0 (address, self->store_address) == 0
      && (self->store != NULL || self->store_connecting))
    return TRUE;
  commands = count_commands (self);
  if (commands > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   ngettext ("A command is running or about to start: its record belongs to "
                             "the database it started on. Switch when it has finished.",
                             "%u commands are running or about to start: their records belong "
                             "to the database they started on. Switch when they have finished.",
                             commands),
                   commands);
      return FALSE;
    }
  /* What the journal keeps for a team database is written when a console is on it again:
   * the console stays until it is, rather than leave it behind unseen. */
  /* A store opened while its server was away, which has never answered, may have a wrong
   * address: the commander corrects it, and what it kept waits in that address's journal. */
  if (self->store != NULL && sitrep_store_is_shared (self->store)
      && !sitrep_store_get_never_connected (self->store)
      && (sitrep_store_get_pending_changes (self->store) > 0 || sitrep_store_get_offline (self->store)))
    {
      guint kept = sitrep_store_get_pending_changes (self->store);
      gboolean waits_for_key = FALSE;

      g_object_get (self->store, "waits-for-key", &waits_for_key, NULL);
      if (waits_for_key && kept > 0)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     ngettext ("A change kept on this computer waits for the audit log’s key "
                               "before it is written to the team database: unlock the "
                               "keyring, and switch once it is written.",
                               "%u changes kept on this computer wait for the audit log’s key "
                               "before they are written to the team database: unlock the "
                               "keyring, and switch once they are written.",
                               kept),
                     kept);
      else if (kept == 0)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                             _("The team database is unreachable: what this console changes "
                               "now is kept for it. Switch when it is back."));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     ngettext ("A change is kept on this computer for the team database and "
                               "not written yet. Switch when it is back and the change is "
                               "written.",
                               "%u changes are kept on this computer for the team database and "
                               "not written yet. Switch when it is back and they are written.",
                               kept),
                     kept);
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  sitrep_session_close_team (self);
  sitrep_session_close_parts (self);
  old = g_steal_pointer (&self->store);
  /* Probing goes on while a team database connects, as at start. */
  if (self->runbook != NULL)
    sitrep_session_replace_monitor (self);
  set_connecting (self, FALSE);
  sitrep_session_set_store_error (self, NULL);
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE);
  sitrep_session_notify (self, SITREP_SESSION_PROP_INCIDENTS);
  sitrep_session_notify (self, SITREP_SESSION_PROP_ACTIONS);
  sitrep_session_notify (self, SITREP_SESSION_PROP_WEBHOOK);
  sitrep_session_notify (self, SITREP_SESSION_PROP_PRESENCE);
  /* A session that switches before it ever opened one keeps the default as its own. */
  self->home_known = TRUE;
  sitrep_session_open_store (self, address);
  g_object_thaw_notify (G_OBJECT (self));
  if (old != NULL)
    release_store (self, g_steal_pointer (&old));
  return TRUE;
}
