/* sitrep-incident-manager-checks.c: the incidents' clocks checked on the store's writer thread:
 * what fell due is recorded without the main loop waiting for the commit, and told with
 * #SitrepIncidentManager::due from the main loop
 */
#include "config.h"

#include "sitrep-incident-clocks.h"
#include "sitrep-incident-manager-private.h"
#include "sitrep-store-writer.h"

typedef struct
{
  GPtrArray *incidents;     /* the open incidents' snapshots */
  GPtrArray *runbooks;      /* and the runbook of each */
  gint64 now;
  GPtrArray *due;           /* filled on the thread: a GPtrArray of SitrepDue per incident */
} Check;

static void
check_free (Check *check)
{
  g_ptr_array_unref (check->incidents);
  g_ptr_array_unref (check->runbooks);
  g_ptr_array_unref (check->due);
  g_free (check);
}

static gboolean
write_check (SitrepStore *store,
             gpointer     data,
             GError     **error)
{
  Check *check = data;

  /* Tried again from the start when the database was busy. */
  g_ptr_array_set_size (check->due, 0);
  for (guint i = 0; i < check->incidents->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      GPtrArray *due = sitrep_incident_check_clocks (store, check->incidents->pdata[i],
                                                     check->runbooks->pdata[i], check->now,
                                                     &local_error);

      if (due == NULL && g_error_matches (local_error, SITREP_STORE_ERROR,
                                          SITREP_STORE_ERROR_BUSY))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* A team database's server may be away, or its connection from before a restart
       * gone: that is the banner's to say, and the next tick tries again. */
      if (due == NULL && sitrep_store_is_shared (store))
        g_message ("Cannot record what fell due in incident %" G_GINT64_FORMAT " now: %s",
                   sitrep_incident_get_id (check->incidents->pdata[i]), local_error->message);
      else if (due == NULL)
        g_warning ("Cannot record what fell due in incident %" G_GINT64_FORMAT ": %s",
                   sitrep_incident_get_id (check->incidents->pdata[i]), local_error->message);
      if (due == NULL)
        due = g_ptr_array_new ();
      g_ptr_array_add (check->due, due);
    }
  return TRUE;
}

static void
check_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SitrepIncidentManager) self = user_data;
  Check *check = sitrep_store_write_get_data (result);
  g_autoptr(GError) error = NULL;

  self->checking = FALSE;
  /* A team database that is away is the window's banner to say: the next tick tries again. */
  if (!sitrep_store_write_finish (SITREP_STORE (source), result, &error)
      && g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
    g_message ("Cannot record what fell due now: %s", error->message);
  else if (error != NULL)
    g_warning ("Cannot record what fell due: %s", error->message);
  else if (self->store != NULL)
    for (guint i = 0; i < check->due->len; i++)
      {
        GPtrArray *due = check->due->pdata[i];
        SitrepIncident *incident = check->incidents->pdata[i];
        SitrepIncident *fresh;

        if (due->len == 0)
          continue;
        /* On a team database read on a thread: what fell due is told with the snapshot. */
        if (sitrep_store_is_shared (self->store))
          {
            fresh = NULL;
            _sitrep_incident_manager_refresh (self, sitrep_incident_get_id (incident));
          }
        else
          fresh = _sitrep_incident_manager_reload (self, sitrep_incident_get_id (incident), NULL);
        for (guint k = 0; k < due->len; k++)
          _sitrep_incident_manager_emit_due (self, fresh ? fresh : incident, due->pdata[k]);
      }
  /* Not once stopped: the console has let go of it, and the store may be gone. */
  if (self->check_again && self->store != NULL
      && (self->tick_id != 0 || self->clock_changed_id != 0))
    {
      self->check_again = FALSE;
      _sitrep_incident_manager_check_in_background (self);
    }
}

/* sitrep_incident_manager_check() on the writer thread: #SitrepIncidentManager::due comes
 * from the main loop once what fell due is recorded. One check at a time; one asked for
 * meanwhile runs after it, at the time it then is. */
void
_sitrep_incident_manager_check_in_background (SitrepIncidentManager *self)
{
  Check *check;
  guint n;

  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }
  check = g_new0 (Check, 1);
  check->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  check->runbooks = g_ptr_array_new_with_free_func (g_object_unref);
  check->due = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  check->now = sitrep_clock_now (self->clock);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  for (guint i = 0; i < n; i++)
    {
      SitrepIncident *incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      if (sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED)
        {
          g_object_unref (incident);
          continue;
        }
      g_ptr_array_add (check->runbooks,
                       g_object_ref (sitrep_incident_manager_get_runbook_for (self, incident)));
      g_ptr_array_add (check->incidents, incident);
    }
  if (check->incidents->len == 0)
    {
      check_free (check);
      return;
    }
  self->checking = TRUE;
  sitrep_store_write_async (self->store, write_check, check, (GDestroyNotify) check_free, NULL,
                            check_written_cb, g_object_ref (self));
}
