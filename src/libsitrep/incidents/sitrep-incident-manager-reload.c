/* sitrep-incident-manager-reload.c: what the store holds comes back to the screen: an incident
 * read again after a change, this console's or another's
 *
 * On a file of one's own an incident is read again on the main loop: it is local and fast. On
 * a team database the read waits on the network, so the console reads it on the store's
 * reader thread (sitrep_store_load_incident_async()) and shows it when it arrives. A server
 * that is slow or gone leaves the snapshot on screen as it was meanwhile.
 *
 * Reads come from three threads (the main loop, the reader, the writer after a change) and
 * arrive in any order: a read the watch queued before the commander's own change committed
 * can arrive after the writer's read of that change. So every read takes a number, in the
 * order they start, just before it asks the server (_sitrep_incident_manager_load()), and a
 * read is not shown over one that started later (_sitrep_incident_manager_is_older()). That is
 * safe because a read holds everything committed before it started: what a dropped read has
 * and the shown one lacks was committed after the shown one started, and another console's
 * change brings a read of its own (its NOTIFY comes after its COMMIT), one that starts later
 * still. Ticks and notes do not move the incident's revision, so the revision cannot say which
 * read is newer.
 */
#include "config.h"

#include "sitrep-incident-manager-private.h"
#include "sitrep-incident-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-writer.h"

/* The order reads started in, across threads. */
static GMutex tickets_lock;
static guint64 last_ticket;

static guint64
take_ticket (void)
{
  guint64 ticket;

  g_mutex_lock (&tickets_lock);
  ticket = ++last_ticket;
  g_mutex_unlock (&tickets_lock);
  return ticket;
}

/* Marks @incident, a snapshot made now (read, or made by the console: sitrep-incident-kept.c),
 * as newer than every read started before. */
void
_sitrep_incident_manager_stamp (SitrepIncident *incident)
{
  incident->read_ticket = take_ticket ();
}

/* Any thread: reads @id from @store (the caller's connection), numbered as it starts, and
 * with it the runbook it was declared under into @runbooks (nullable), should that be another
 * than the one at hand. */
SitrepIncident *
_sitrep_incident_manager_load (SitrepStore            *store,
                               SitrepIncidentRunbooks *runbooks,
                               gint64                  id,
                               GError                **error)
{
  guint64 ticket = take_ticket ();
  SitrepIncident *incident = sitrep_store_load_incident (store, id, error);

  if (incident == NULL)
    return NULL;
  incident->read_ticket = ticket;
  if (runbooks != NULL)
    sitrep_incident_runbooks_prefetch (runbooks, store, incident);
  return incident;
}

/* Any thread: every incident of @store, each numbered as the read started, and the runbooks
 * they were declared under as _sitrep_incident_manager_load() reads them. */
GPtrArray *
_sitrep_incident_manager_list (SitrepStore            *store,
                               SitrepIncidentRunbooks *runbooks,
                               GError                **error)
{
  guint64 ticket = take_ticket ();
  GPtrArray *incidents = sitrep_store_list_incidents (store, error);

  for (guint i = 0; incidents != NULL && i < incidents->len; i++)
    {
      SitrepIncident *incident = incidents->pdata[i];

      incident->read_ticket = ticket;
      if (runbooks != NULL)
        sitrep_incident_runbooks_prefetch (runbooks, store, incident);
    }
  return incidents;
}

/* Whether @fresh started before the read @shown came from: then @shown has all @fresh has
 * that matters (see the top of this file). A snapshot of unknown age (the list a file's
 * manager starts with, one the journal's replay hands over) is never older. */
gboolean
_sitrep_incident_manager_is_older (SitrepIncident *fresh,
                                   SitrepIncident *shown)
{
  return fresh != shown && fresh->read_ticket != 0 && fresh->read_ticket < shown->read_ticket;
}

/* Reads @id on the main loop and shows it. */
SitrepIncident *
_sitrep_incident_manager_reload (SitrepIncidentManager *self,
                                 gint64                 id,
                                 GError               **error)
{
  g_autoptr(SitrepIncident) fresh = NULL;
  gint64 team = sitrep_store_journal_team_id (id);
  SitrepIncident *shown;

  /* Declared while the team database is away: its snapshot is the console's own
   * (sitrep-incident-kept.c) until the journal's replay has written it. */
  if (team < 0)
    return sitrep_incident_manager_find (self, id);
  fresh = _sitrep_incident_manager_load (self->store, self->runbooks, team, error);
  if (fresh == NULL)
    return NULL;
  shown = sitrep_incident_manager_find (self, id);
  _sitrep_incident_manager_replace (self, shown ? sitrep_incident_get_id (shown) : team, fresh);
  /* The list holds it, or a newer one when this read is older. */
  shown = sitrep_incident_manager_find (self, sitrep_incident_get_id (fresh));
  return shown != NULL ? shown : sitrep_incident_manager_find (self, id);
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepIncidentManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) fresh = sitrep_store_read_finish (SITREP_STORE (source), result,
                                                              &error);

  if (fresh == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->store != NULL) /* not disposed meanwhile */
    {
      SitrepIncident *shown;

      _sitrep_incident_manager_show (self, fresh);
      /* A read older than the one shown was dropped: the callback gets what is shown. */
      shown = sitrep_incident_manager_find (self, sitrep_incident_get_id (fresh));
      if (shown != NULL)
        g_set_object (&fresh, shown);
    }
  g_task_return_pointer (task, g_steal_pointer (&fresh), g_object_unref);
}

/* What the reader thread reads: the incident, and where to keep its runbook. */
typedef struct
{
  gint64 id;
  SitrepIncidentRunbooks *runbooks;
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->runbooks);
  g_free (load);
}

/* On the reader thread (on a file, in the call). */
static gpointer
load_in_reader (SitrepStore *store,
                gpointer     data,
                GError     **error)
{
  Load *load = data;

  return _sitrep_incident_manager_load (store, load->runbooks, load->id, error);
}

/* Reads @id again, on a team database on the store's reader thread, and shows it before the
 * callback; on a file, in the call. */
void
_sitrep_incident_manager_reload_async (SitrepIncidentManager *self,
                                       gint64                 id,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Load *load = g_new0 (Load, 1);

  g_task_set_source_tag (task, _sitrep_incident_manager_reload_async);
  /* An incident declared while away is read under the server's id once written. */
  load->id = sitrep_store_journal_team_id (id);
  load->runbooks = g_object_ref (self->runbooks);
  sitrep_store_read_async (self->store, load_in_reader, load, (GDestroyNotify) load_free,
                           g_object_unref, NULL, reloaded_cb, task);
}

/* Returns: (transfer full): the incident as shown now, or NULL with @error set */
SitrepIncident *
_sitrep_incident_manager_reload_finish (SitrepIncidentManager *self,
                                        GAsyncResult          *result,
                                        GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) fresh = _sitrep_incident_manager_reload_finish (
    SITREP_INCIDENT_MANAGER (source), result, &error);

  if (fresh == NULL)
    g_message ("Cannot read incident %" G_GINT64_FORMAT " again: %s",
               (gint64) GPOINTER_TO_SIZE (user_data), error->message);
}

/* Shows what is stored of @id now: on a file at once; on a team database once it is read,
 * the main loop going on meanwhile. Whether the read failed is a message in the log; the
 * snapshot stays as it was. */
void
_sitrep_incident_manager_refresh (SitrepIncidentManager *self,
                                  gint64                 id)
{
  /* Declared while away and not written yet: nothing on the server to read. */
  if (sitrep_store_journal_team_id (id) < 0)
    return;
  if (!sitrep_store_is_shared (self->store))
    {
      g_autoptr(GError) error = NULL;

      if (_sitrep_incident_manager_reload (self, id, &error) == NULL)
        g_message ("Cannot read incident %" G_GINT64_FORMAT " again: %s", id, error->message);
      return;
    }
  _sitrep_incident_manager_reload_async (self, id, refreshed_cb, GSIZE_TO_POINTER ((gsize) id));
}

/**
 * sitrep_incident_manager_reload:
 *
 * Something else wrote to the store (a message, a moved start, another console): shows what
 * is stored now. On a team database the incident is read on a thread and shown when it
 * arrives (#SitrepIncidentManager::changed): %TRUE then means the read is on its way, and a
 * read that fails is a message in the log, the snapshot left as it was.
 *
 * Returns: whether the incident is shown (or on its way)
 */
gboolean
sitrep_incident_manager_reload (SitrepIncidentManager *self,
                                gint64                 id,
                                GError               **error)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  if (sitrep_store_is_shared (self->store))
    {
      _sitrep_incident_manager_refresh (self, id);
      return TRUE;
    }
  return _sitrep_incident_manager_reload (self, id, error) != NULL;
}
typedef struct
{
  SitrepIncidentManager *self;
  gint64 id;
} HealthRecord;

static void
health_recorded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  HealthRecord *record = user_data;
  g_autoptr(GError) error = NULL;

  if (sitrep_store_record_event_finish (SITREP_STORE (source), result, &error) < 0)
    g_warning ("Cannot record a health change on the timeline: %s", error->message);
  else if (record->self->store != NULL) /* not disposed meanwhile */
    _sitrep_incident_manager_refresh (record->self, record->id);
  g_object_unref (record->self);
  g_free (record);
}

/**
 * sitrep_incident_manager_record_health:
 * @service_name: the service's name in the runbook, as the event keeps it
 * @old_health: the service's state before
 * @new_health: its state now
 * @reason: (nullable): why it is not up, as the probe said it: the event keeps it as data
 *   (rendered in each reader's language) and in this console's words
 *
 * Puts a health change on the timeline of every open incident that names the service,
 * through the store's writer thread: the main loop does not wait for the commit, and each
 * incident is reloaded (#SitrepIncidentManager::changed) once its event is written.
 *
 * Returns: how many incidents it is being recorded on
 */
guint
sitrep_incident_manager_record_health (SitrepIncidentManager *self,
                                       const char            *service_id,
                                       const char            *service_name,
                                       SitrepHealth           old_health,
                                       SitrepHealth           new_health,
                                       SitrepReason          *reason,
                                       gint64                 at)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonObject) fields = json_object_new ();
  guint n;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SitrepIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);
      const char *const *services = sitrep_incident_get_services (incident);
      gint64 id = sitrep_incident_get_id (incident);

      if (sitrep_incident_get_status (incident) != SITREP_STATUS_RESOLVED && services != NULL
          && g_strv_contains (services, service_id))
        g_array_append_val (ids, id);
    }

  json_object_set_string_member (fields, "service", service_id);
  json_object_set_string_member (fields, "service_name", service_name);
  json_object_set_string_member (fields, "old", sitrep_health_to_string (old_health));
  json_object_set_string_member (fields, "new", sitrep_health_to_string (new_health));
  if (reason != NULL)
    {
      g_autofree char *packed = sitrep_reason_pack (reason);

      json_object_set_string_member (fields, "reason", sitrep_reason_to_string (reason));
      json_object_set_string_member (fields, "why", packed);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      HealthRecord *record = g_new (HealthRecord, 1);

      record->self = g_object_ref (self);
      record->id = g_array_index (ids, gint64, i);
      sitrep_store_record_event_async (self->store, record->id, at, SITREP_TIMELINE_KIND_HEALTH,
                                       fields, NULL, NULL, health_recorded_cb, record);
    }
  return ids->len;
}
