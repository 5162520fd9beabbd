/* sitrep-incident-manager-open.c: the list of incidents a manager starts with
 *
 * On a file of one's own the list is read in the call: it is local and fast, and the window's
 * first frame shows the current incident. On a team database the list waits on the network,
 * so a console's manager (sitrep_incident_manager_new_in_background()) starts empty and reads
 * it on the store's reader thread; when it arrives the incidents are shown and the newest open
 * one becomes current (#GObject::notify on "current"), unless the commander already chose or
 * declared one meanwhile. A read that fails is tried again a few seconds later. The list is read
 * again the same way when the console may have missed what others changed (its watch of the
 * team database was lost and is back: sitrep_incident_manager_reload_list()).
 *
 * What the manager shows before the list arrives (an incident declared meanwhile, one the
 * watch or a change read again) is as new as the list or newer: the list takes a number as it
 * starts, like every read (sitrep-incident-manager-reload.c), and a listed snapshot does not
 * replace one read after the list started.
 */
#include "config.h"

#include "sitrep-incident-manager-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-reader.h"

/* How soon a list that could not be read is read again. */
#define LIST_RETRY_SECONDS 5

static void read_list (SitrepIncidentManager *self);

/* The newest open incident the list shows becomes current, when none is. */
static void
choose_current (SitrepIncidentManager *self)
{
  g_autoptr(SitrepIncident) newest = NULL;

  if (self->current != NULL || g_list_model_get_n_items (G_LIST_MODEL (self->listed)) == 0)
    return;
  newest = g_list_model_get_item (G_LIST_MODEL (self->listed), 0);
  if (sitrep_incident_get_status (newest) != SITREP_STATUS_RESOLVED)
    sitrep_incident_manager_set_current (self, sitrep_incident_get_id (newest));
}

static SitrepIncident *
shown_with_id (GPtrArray *shown,
               gint64     id)
{
  for (guint i = 0; i < shown->len; i++)
    if (sitrep_incident_get_id (shown->pdata[i]) == id)
      return shown->pdata[i];
  return NULL;
}

/* Shows @incidents, the list as read, with what is shown already: an incident the list lacks
 * (declared since it was read) stays, newest first; a listed one read before the snapshot
 * shown is not shown over it. */
static void
take_list (SitrepIncidentManager *self,
           GPtrArray             *incidents)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (shown, g_list_model_get_item (G_LIST_MODEL (self->incidents), i));
  for (guint i = 0; i < shown->len; i++)
    {
      gint64 id = sitrep_incident_get_id (shown->pdata[i]);
      gboolean listed = FALSE;

      for (guint k = 0; k < incidents->len && !listed; k++)
        listed = sitrep_incident_get_id (incidents->pdata[k]) == id;
      if (!listed)
        g_ptr_array_add (merged, g_object_ref (shown->pdata[i]));
    }
  for (guint i = 0; i < incidents->len; i++)
    {
      SitrepIncident *fresh = incidents->pdata[i];
      SitrepIncident *before = shown_with_id (shown, sitrep_incident_get_id (fresh));

      if (before != NULL && _sitrep_incident_manager_is_older (fresh, before))
        fresh = before;
      g_ptr_array_add (merged, g_object_ref (fresh));
    }
  g_list_store_splice (self->incidents, 0, n, merged->pdata, merged->len);
  /* The current incident's snapshot is the one shown now. */
  if (self->current != NULL)
    sitrep_incident_manager_set_current (self, sitrep_incident_get_id (self->current));
  choose_current (self);
}

/* Any thread: every incident of @store, numbered as the read starts, and the runbooks they
 * were declared under into the manager's (@data). */
static gpointer
list_in_reader (SitrepStore *store,
                gpointer     data,
                GError     **error)
{
  return _sitrep_incident_manager_list (store, data, error);
}

static gboolean
retry_cb (gpointer user_data)
{
  SitrepIncidentManager *self = user_data;

  self->list_retry_id = 0;
  read_list (self);
  return G_SOURCE_REMOVE;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(SitrepIncidentManager) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) incidents = sitrep_store_read_finish (SITREP_STORE (source), result,
                                                             &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || self->store == NULL) /* gone, or disposed meanwhile */
    return;
  /* The console is done with this database (sitrep_store_close_reads ()). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (incidents == NULL)
    {
      /* Once in the log, not every few seconds while the server is away. */
      if (!self->list_failed)
        g_message ("Cannot read the incidents from the team database (tried again every %d "
                   "seconds): %s", LIST_RETRY_SECONDS, error->message);
      self->list_failed = TRUE;
      if (self->list_retry_id == 0)
        self->list_retry_id = g_timeout_add_seconds (LIST_RETRY_SECONDS, retry_cb, self);
      return;
    }
  take_list (self, incidents);
  _sitrep_incident_manager_set_loading (self, FALSE);
  /* The clocks of the incidents just shown are checked now rather than at the next tick. */
  if (self->tick_id != 0 || self->clock_changed_id != 0)
    _sitrep_incident_manager_check_in_background (self);
}

static void
read_list (SitrepIncidentManager *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  /* A manager let go of while the server stalls is not kept alive by its read. */
  g_weak_ref_init (ref, self);
  sitrep_store_read_async (self->store, list_in_reader, g_object_ref (self->runbooks),
                           g_object_unref, (GDestroyNotify) g_ptr_array_unref, NULL, listed_cb,
                           ref);
}

/* Fills the new manager's list: on a team database when @background, from the store's reader
 * thread (the manager is loading until it arrives); otherwise in the call. */
gboolean
_sitrep_incident_manager_open_list (SitrepIncidentManager *self,
                                    gboolean               background,
                                    GError               **error)
{
  g_autoptr(GPtrArray) incidents = NULL;

  if (background && sitrep_store_is_shared (self->store))
    {
      _sitrep_incident_manager_set_loading (self, TRUE);
      read_list (self);
      return TRUE;
    }
  incidents = sitrep_store_list_incidents (self->store, error);
  if (incidents == NULL)
    return FALSE;
  g_list_store_splice (self->incidents, 0, 0, incidents->pdata, incidents->len);
  choose_current (self);
  return TRUE;
}

/**
 * sitrep_incident_manager_reload_list:
 *
 * Reads the list of incidents again, on a team database's reader thread, for what other
 * consoles changed while this one could not hear of it (its watch was lost): incidents
 * declared meanwhile are listed, and those changed show as they are now. What this console
 * shows and has not written yet stays, as when the list is first read. Nothing is read while
 * the first list is on its way, nor from a file of one's own (no one else writes there).
 */
void
sitrep_incident_manager_reload_list (SitrepIncidentManager *self)
{
  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  if (self->store == NULL || self->loading || !sitrep_store_is_shared (self->store))
    return;
  read_list (self);
}
