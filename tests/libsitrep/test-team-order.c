/* test-team-order.c: on a team database, a read of an incident that started before the
 * commander's own change and arrives after it does not hide the change (the session's
 * PostgreSQL) */
#include "config.h"

#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-testing.h"

typedef struct
{
  PgTestDatabase *db;
  SitrepRunbook *runbook;
  SitrepStore *store;     /* this console's */
  SitrepStore *other;     /* another console's */
  SitrepIncidentManager *manager;
  gint64 incident;
} Fixture;

/* The reader thread reached a point: what was queued before has been read. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean reached;
  gboolean delivered;
} Marker;

static gpointer
mark_in_reader (SitrepStore *store,
                gpointer     data,
                GError     **error)
{
  Marker *marker = data;

  g_mutex_lock (&marker->lock);
  marker->reached = TRUE;
  g_cond_signal (&marker->cond);
  g_mutex_unlock (&marker->lock);
  return g_object_ref (store);
}

static void
marked_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Marker *marker = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_read_finish (SITREP_STORE (source), result, &error);

  g_assert_no_error (error);
  g_assert_true (SITREP_IS_STORE (store));
  marker->delivered = TRUE;
}

static gboolean
marker_delivered (gpointer data)
{
  return ((Marker *) data)->delivered;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->db = pg_test_database_new ("sitrep_order", TRUE);
  f->runbook = fixture_runbook_load (NULL);
  f->other = sitrep_store_open (f->db->uri, &error);
  g_assert_no_error (error);
  f->incident = sitrep_store_insert_incident (f->other, sitrep_runbook_get_name (f->runbook),
                                              "P1", "Dispatch queue stuck", g_get_real_time (),
                                              &error);
  g_assert_no_error (error);
  f->store = sitrep_store_open (f->db->uri, &error);
  g_assert_no_error (error);
  f->manager = sitrep_incident_manager_new (f->store, f->runbook, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->manager);
  g_clear_object (&f->store);
  g_clear_object (&f->other);
  g_clear_object (&f->runbook);
  pg_test_database_free (f->db);
}

static gboolean
ticked (Fixture    *f,
        const char *item_id)
{
  SitrepIncident *shown = sitrep_incident_manager_find (f->manager, f->incident);

  g_assert_nonnull (shown);
  return sitrep_incident_get_tick (shown, item_id) != NULL;
}

static gboolean
both_ticked (gpointer data)
{
  return ticked (data, "open-room") && ticked (data, "first-word");
}

/* The watch asks for the incident again (another console's note, say) and the read is made
 * at once; before it is shown the commander ticks an item, which is written and shown. The
 * older read arrives after: the tick stays on screen. A read that starts later, after another
 * console's tick, is shown. */
static void
test_older_read (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Marker marker = { 0 };

  g_assert_true (sitrep_incident_manager_reload (f->manager, f->incident, &error));
  g_assert_no_error (error);
  /* Reads run in the order they were queued: once the marker is reached, the incident was
   * read as it was before the tick. */
  sitrep_store_read_async (f->store, mark_in_reader, &marker, NULL, g_object_unref, NULL,
                           marked_cb, &marker);
  g_mutex_lock (&marker.lock);
  while (!marker.reached)
    g_cond_wait (&marker.cond, &marker.lock);
  g_mutex_unlock (&marker.lock);

  g_assert_true (sitrep_incident_manager_set_item (f->manager, f->incident, "open-room", TRUE,
                                                   "Dana", &error));
  g_assert_no_error (error);
  g_assert_true (ticked (f, "open-room"));

  /* The older read arrives (before the marker's callback). */
  wait_until (marker_delivered, &marker, 30, "the older read to arrive");
  g_assert_true (ticked (f, "open-room"));

  /* Another console ticks another item; its read comes later and is shown. */
  g_assert_true (sitrep_store_set_item (f->other, f->incident, "first-word", "Tell the depots",
                                        TRUE, g_get_real_time (), "Sam", &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_manager_reload (f->manager, f->incident, &error));
  wait_until (both_ticked, f, 30, "the other console's tick to be shown");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/team-order/older-read", Fixture, NULL, fixture_set_up, test_older_read,
              fixture_tear_down);
  return g_test_run ();
}
