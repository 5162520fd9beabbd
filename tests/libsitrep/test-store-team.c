/* test-store-team.c: a console's writer thread on a team database, on the real PostgreSQL */
#include "config.h"

#include "pg-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-store.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"

typedef struct
{
  guint pending;
  gint64 declared;
} Waiting;

static void
declared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  waiting->declared = sitrep_incident_manager_declare_finish (SITREP_INCIDENT_MANAGER (source),
                                                              result, &error);
  g_assert_no_error (error);
  waiting->pending--;
}

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_incident_manager_change_finish (SITREP_INCIDENT_MANAGER (source), result,
                                                        &error));
  g_assert_no_error (error);
  waiting->pending--;
}

static void
note_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source), result,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_nonnull (note);
  waiting->pending--;
}

static void
health_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_store_add_health_finish (SITREP_STORE (source), result, &error));
  g_assert_no_error (error);
  waiting->pending--;
}

static void
wait_for_all (Waiting *waiting)
{
  while (waiting->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* The console's changes go through the writer thread: declaring and a checklist tick (the
 * manager's), notes and a health batch, all queued at once on a team database, are committed
 * there in order; another connection reads them. */
static void
test_writer (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_writer", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new ();
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *samples = NULL;
  g_autofree char *changes = NULL;
  Waiting waiting = { 0 };
  guint notes = 0;

  g_assert_no_error (error);
  g_assert_true (sitrep_store_is_shared (store));
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);

  waiting.pending++;
  sitrep_incident_manager_declare_async (manager, "SEV-1", "Queue backlog", "Reminders are late",
                                         "carol", NULL, NULL, NULL, declared_cb, &waiting);
  wait_for_all (&waiting);
  g_assert_cmpint (waiting.declared, >, 0);

  waiting.pending++;
  sitrep_incident_manager_set_item_async (manager, waiting.declared, "create-channel", TRUE,
                                          "carol", NULL, changed_cb, &waiting);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("note %u", i);

      waiting.pending++;
      sitrep_store_add_note_async (store, waiting.declared, g_get_real_time (), text, "Dana",
                                   NULL, note_cb, &waiting);
    }
  {
    SitrepHealthSample sample[] = {
      { "api", "http", g_get_real_time (), "down", 12.5, "status 503" },
      { "web", "http", g_get_real_time (), "up", 3.0, NULL },
    };
    SitrepHealthChange change = { "api", g_get_real_time (), "up", "down", "status 503" };

    waiting.pending++;
    sitrep_store_add_health_async (store, sample, G_N_ELEMENTS (sample), &change, 1, NULL,
                                   health_cb, &waiting);
  }
  wait_for_all (&waiting);

  /* Another console's connection sees every change committed. */
  reader = sitrep_store_open (db->uri, &error);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (reader, waiting.declared, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_get_tick (incident, "create-channel")->done);
  events = sitrep_store_list_events (reader, waiting.declared, SITREP_TIMELINE_LIST_DEFAULT, NULL,
                                     &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];

      if (g_str_equal (sitrep_timeline_event_get_kind (event), "note"))
        {
          g_autofree char *expected = g_strdup_printf ("note %u", notes++);

          g_assert_cmpstr (sitrep_timeline_event_get_text (event), ==, expected);
        }
    }
  g_assert_cmpuint (notes, ==, 20);
  samples = pg_test_database_query (db, "SELECT count(*) FROM health_samples");
  g_assert_cmpstr (samples, ==, "2");
  changes = pg_test_database_query (db, "SELECT count(*) FROM health_changes");
  g_assert_cmpstr (changes, ==, "1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-team/writer", test_writer);

  return g_test_run ();
}
