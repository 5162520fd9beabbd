/* test-store-team.c: a console's writer thread on a team database, on the real PostgreSQL */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-incident-kept.h"
#include "sitrep-incident-manager.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "sitrep-timeline-event-render.h"
#include "team-test-util.h"
#include "sitrep-store-testing.h"

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
  TeamWaiting waiting = { 0 };
  guint notes = 0;

  g_assert_no_error (error);
  g_assert_true (sitrep_store_is_shared (store));
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);

  waiting.pending++;
  sitrep_incident_manager_declare_async (manager, "SEV-1", "Queue backlog", "Reminders are late",
                                         "carol", NULL, NULL, NULL, team_test_declared_cb, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpint (waiting.declared, >, 0);

  waiting.pending++;
  sitrep_incident_manager_set_item_async (manager, waiting.declared, "create-channel", TRUE,
                                          "carol", NULL, team_test_changed_cb, &waiting);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("note %u", i);

      waiting.pending++;
      sitrep_store_add_note_async (store, waiting.declared, g_get_real_time (), text, "Dana",
                                   NULL, team_test_note_cb, &waiting);
    }
  {
    SitrepHealthSample sample[] = {
      { "api", "http", g_get_real_time (), "down", 12.5, "status 503" },
      { "web", "http", g_get_real_time (), "up", 3.0, NULL },
    };
    SitrepHealthChange change = { "api", g_get_real_time (), "up", "down", "status 503" };

    waiting.pending++;
    sitrep_store_add_health_async (store, sample, G_N_ELEMENTS (sample), &change, 1, NULL,
                                   team_test_health_cb, &waiting);
  }
  /* A system event (what the console records of a health change or an action) on its own. */
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "service", "api");
    json_object_set_string_member (fields, "old", "up");
    json_object_set_string_member (fields, "new", "down");
    waiting.pending++;
    sitrep_store_record_event_async (store, waiting.declared, g_get_real_time (), "health", fields,
                                     NULL, NULL, team_test_event_cb, &waiting);
  }
  team_test_wait_for_all (&waiting);

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
  {
    const char *kinds[] = { "health", NULL };
    g_autoptr(GPtrArray) health = sitrep_store_list_events (reader, waiting.declared,
                                                            SITREP_TIMELINE_LIST_DEFAULT, kinds,
                                                            &error);

    g_assert_no_error (error);
    g_assert_cmpuint (health->len, ==, 1);
  }
  samples = pg_test_database_query (db, "SELECT count(*) FROM health_samples");
  g_assert_cmpstr (samples, ==, "2");
  changes = pg_test_database_query (db, "SELECT count(*) FROM health_changes");
  g_assert_cmpstr (changes, ==, "1");
}


static void
replayed_cb (SitrepStore *store,
             guint        n_written,
             gpointer     user_data)
{
  *(guint *) user_data += n_written;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
queue_note (SitrepStore *store,
            gint64       incident,
            guint        n,
            TeamWaiting *waiting)
{
  g_autofree char *text = g_strdup_printf ("note %u", n);

  waiting->pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), text, "Dana", NULL, team_test_note_cb,
                               waiting);
}

/* The texts of an incident's notes, in the timeline's order, one line each. */
static char *
notes_of (SitrepStore *store,
          gint64       incident)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sitrep_store_list_events (store, incident,
                                                          SITREP_TIMELINE_LIST_DEFAULT, NULL,
                                                          &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (sitrep_timeline_event_get_kind (events->pdata[i]), "note"))
      g_string_append_printf (text, "%s\n", sitrep_timeline_event_get_text (events->pdata[i]));
  return g_string_free (text, FALSE);
}

/* The "the database stopped mid-incident and restarted": on a PostgreSQL of the test's
 * own, stopped as in a crash while the console writes notes, ticks and a status, then started
 * again. The console goes on (each change kept, the store "offline" with what it keeps); when
 * the server is back the journal is written in order, nothing lost and nothing twice, and the
 * replay is on the timeline. */
static void
test_journal_replay (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new ();
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) replays = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *samples = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  const char *kinds[] = { "journal-replayed", NULL };
  TeamWaiting waiting = { 0 };
  guint replayed = 0;
  gboolean timed_out = FALSE;
  guint timeout;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  g_signal_connect (store, "journal-replayed", G_CALLBACK (replayed_cb), &replayed);
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);

  waiting.pending++;
  sitrep_incident_manager_declare_async (manager, "SEV-1", "Queue backlog", "Reminders are late",
                                         "carol", NULL, NULL, NULL, team_test_declared_cb, &waiting);
  team_test_wait_for_all (&waiting);
  for (guint i = 0; i < 3; i++)
    queue_note (store, waiting.declared, i, &waiting);
  waiting.pending++;
  sitrep_incident_manager_set_item_async (manager, waiting.declared, "create-channel", TRUE,
                                          "carol", NULL, team_test_changed_cb, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpuint (waiting.journaled, ==, 0);
  g_assert_false (sitrep_store_get_offline (store));

  /* The server goes away mid-incident; the console goes on. */
  pg_test_cluster_stop (cluster);
  for (guint i = 3; i < 6; i++)
    queue_note (store, waiting.declared, i, &waiting);
  waiting.pending++;
  sitrep_incident_manager_set_item_async (manager, waiting.declared, "determine-severity", TRUE,
                                          "carol", NULL, team_test_changed_cb, &waiting);
  waiting.pending++;
  sitrep_incident_manager_set_status_async (manager, waiting.declared, SITREP_STATUS_IDENTIFIED,
                                            "carol", NULL, team_test_changed_cb, &waiting);
  for (guint i = 6; i < 9; i++)
    queue_note (store, waiting.declared, i, &waiting);
  /* A health change on the timeline while away: kept (no id yet), not an error. */
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "service", "api");
    json_object_set_string_member (fields, "old", "up");
    json_object_set_string_member (fields, "new", "down");
    waiting.pending++;
    sitrep_store_record_event_async (store, waiting.declared, g_get_real_time (), "health", fields,
                                     NULL, NULL, team_test_event_cb, &waiting);
  }
  {
    SitrepHealthSample sample = { "api", "http", g_get_real_time (), "down", 12.5, "status 503" };

    waiting.pending++;
    sitrep_store_add_health_async (store, &sample, 1, NULL, 0, NULL, team_test_health_cb, &waiting);
  }
  team_test_wait_for_all (&waiting);
  /* Every note and the health batch were kept, not refused. */
  g_assert_cmpuint (waiting.journaled, ==, 7);
  while (!sitrep_store_get_offline (store) || sitrep_store_get_pending_changes (store) < 10)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 10);
  g_assert_cmpuint (replayed, ==, 0);

  /* Back: the journal is written, then what comes next. */
  pg_test_cluster_start (cluster);
  timeout = g_timeout_add_seconds (60, timeout_cb, &timed_out);
  while ((replayed == 0 || sitrep_store_get_offline (store)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_cmpuint (replayed, ==, 10);
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 0);
  queue_note (store, waiting.declared, 9, &waiting);
  team_test_wait_for_all (&waiting);

  reader = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  notes = notes_of (reader, waiting.declared);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (expected, "note %u\n", i);
  g_assert_cmpstr (notes, ==, expected->str);
  incident = sitrep_store_load_incident (reader, waiting.declared, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_get_tick (incident, "create-channel")->done);
  g_assert_true (sitrep_incident_get_tick (incident, "determine-severity")->done);
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_IDENTIFIED);
  samples = pg_test_cluster_query (cluster, "SELECT count(*) FROM health_samples");
  g_assert_cmpstr (samples, ==, "1");
  /* The replay, on the timeline: the incident's nine changes (the health batch is not its). */
  replays = sitrep_store_list_events (reader, waiting.declared, SITREP_TIMELINE_LIST_DEFAULT,
                                      kinds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replays->len, ==, 1);
  {
    g_autofree char *shown = sitrep_timeline_event_render (replays->pdata[0],
                                                           SITREP_TIMELINE_RENDER_DEFAULT);

    g_assert_cmpstr (shown, ==,
                     "9 changes made while the team database was unreachable were written");
  }
}

static void
written_cb (SitrepStore    *store,
            gint64          local_id,
            SitrepIncident *incident,
            gpointer        user_data)
{
  gint64 *ids = user_data;

  ids[0] = local_id;
  ids[1] = sitrep_incident_get_id (incident);
}

/* The kinds of an incident's timeline events, in order, one line each (the replay's count). */
static char *
kinds_of (SitrepStore *store,
          gint64       incident)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sitrep_store_list_events (store, incident,
                                                          SITREP_TIMELINE_LIST_DEFAULT, NULL,
                                                          &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];

      g_string_append_printf (text, "%s%s%s\n", sitrep_timeline_event_get_kind (event),
                              g_str_equal (sitrep_timeline_event_get_kind (event), "note")
                                ? " " : "",
                              g_str_equal (sitrep_timeline_event_get_kind (event), "note")
                                ? sitrep_timeline_event_get_text (event) : "");
    }
  return g_string_free (text, FALSE);
}

/* Issue 17: an incident declared while the team database is unreachable. The console shows it
 * at once under a provisional id, a note, a status and the resolution follow on it; when the
 * server is back the replay declares it first, and writes the rest under the server's id: one
 * incident, its events in order, the console's incident now the server's, the audit log
 * intact. */
static void
test_journal_declare (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new ();
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autofree char *count = NULL;
  g_autofree char *kinds = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autofree char *audited = NULL;
  gint64 ids[2] = { 0, 0 };
  gint64 local;
  TeamWaiting waiting = { 0 };
  guint replayed = 0;
  gboolean timed_out = FALSE;
  gint64 broken = -1;
  g_autofree char *reason = NULL;
  guint timeout;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  g_signal_connect (store, "journal-replayed", G_CALLBACK (replayed_cb), &replayed);
  g_signal_connect (store, "incident-written", G_CALLBACK (written_cb), ids);
  sitrep_store_set_audit_key (store, key);
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);
  /* The writer is running and has seen the server, before it goes. */
  sitrep_store_wait_for_writes (store);

  pg_test_cluster_stop (cluster);
  waiting.pending++;
  sitrep_incident_manager_declare_async (manager, "SEV-1", "Declared while away",
                                         "Checkout fails", "carol", NULL, NULL, NULL,
                                         team_test_declared_cb, &waiting);
  team_test_wait_for_all (&waiting);
  /* Shown at once, current, under a provisional id. */
  local = waiting.declared;
  g_assert_cmpint (local, <, 0);
  g_assert_nonnull (sitrep_incident_manager_get_current (manager));
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (manager)), ==,
                   local);
  g_assert_cmpstr (sitrep_incident_get_summary (sitrep_incident_manager_get_current (manager)), ==,
                   "Declared while away");
  queue_note (store, local, 0, &waiting);
  waiting.pending++;
  sitrep_incident_manager_set_item_async (manager, local, "create-channel", TRUE, "carol", NULL,
                                          team_test_changed_cb, &waiting);
  waiting.pending++;
  sitrep_incident_manager_set_status_async (manager, local, SITREP_STATUS_IDENTIFIED, "carol",
                                            NULL, team_test_changed_cb, &waiting);
  queue_note (store, local, 1, &waiting);
  /* An action's record on the incident, as the audit log keeps it. */
  {
    const char *argv[] = { "kubectl", "rollout", "restart", "deploy/api", NULL };
    SitrepAuditEntry entry = { .incident_id = local, .context = "prod", .namespace = "api",
                               .action_id = "restart-api", .argv = (GStrv) argv,
                               .outcome = SITREP_AUDIT_SUCCEEDED, .author = "carol" };

    waiting.pending++;
    sitrep_store_append_audit_async (store, &entry, NULL, team_test_audit_cb, &waiting);
  }
  waiting.pending++;
  sitrep_incident_manager_set_status_async (manager, local, SITREP_STATUS_RESOLVED, "carol",
                                            NULL, team_test_changed_cb, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpuint (waiting.journaled, ==, 3);
  /* The console's snapshot shows what was kept. */
  g_assert_cmpint (sitrep_incident_get_status (sitrep_incident_manager_find (manager, local)), ==,
                   SITREP_STATUS_RESOLVED);
  g_assert_true (sitrep_incident_get_tick (sitrep_incident_manager_find (manager, local),
                                           "create-channel")->done);
  while (sitrep_store_get_pending_changes (store) < 7)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 7);

  pg_test_cluster_start (cluster);
  timeout = g_timeout_add_seconds (60, timeout_cb, &timed_out);
  while ((replayed == 0 || sitrep_store_get_offline (store)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_cmpuint (replayed, ==, 7);
  g_assert_cmpint (ids[0], ==, local);
  g_assert_cmpint (ids[1], >, 0);

  /* The console goes on with the server's incident, current still. */
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (manager)), ==,
                   ids[1]);
  g_assert_null (sitrep_incident_manager_find (manager, ids[1] + 1000));
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_find (manager, local)), ==,
                   ids[1]);
  /* A note queued under the provisional id now lands on the server's incident. */
  queue_note (store, local, 2, &waiting);
  team_test_wait_for_all (&waiting);

  reader = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  count = pg_test_cluster_query (cluster, "SELECT count(*) FROM incidents");
  g_assert_cmpstr (count, ==, "1");
  incident = sitrep_store_load_incident (reader, ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "Declared while away");
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_RESOLVED);
  g_assert_true (sitrep_incident_get_tick (incident, "create-channel")->done);
  kinds = kinds_of (reader, ids[1]);
  g_assert_cmpstr (kinds, ==,
                   "declared\n"
                   "note note 0\n"
                   "checklist\n"
                   "status\n"
                   "note note 1\n"
                   "status\n"
                   "journal-replayed\n"
                   "note note 2\n");
  audited = pg_test_cluster_query (cluster, "SELECT string_agg (incident_id::text, ',')"
                                            " FROM audit_log");
  g_assert_cmpstr (audited, ==, "1");
  sitrep_store_set_audit_key (reader, key);
  g_assert_true (sitrep_store_verify_audit (reader, &broken, &reason, &error));
  g_assert_no_error (error);
  g_assert_null (reason);
}

static void
append_note (SitrepStoreJournal *journal,
             const char         *change_id,
             gint64              incident,
             guint               n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("{\"incident\": %" G_GINT64_FORMAT ", \"at\": %u,"
                                           " \"text\": \"note %u\", \"author\": \"Dana\"}",
                                           incident, n + 1, n);

  g_assert_true (sitrep_store_journal_append (journal, change_id, "note", body, &error));
  g_assert_no_error (error);
}

/* Issue 17: the journal is a file on this computer, and can be edited. Changes whose members
 * are of the wrong kind (an object where a text was, a number where an object was) are
 * replayed as if those members were missing, or set aside as the server refuses them: no
 * critical (fatal in the suite), and what follows is written. */
static void
test_journal_tampered (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_tampered", TRUE);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) team = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) tampered = g_new0 (char *, 5);
  const char *kinds[] = { "health", "item", "escalation", "declare" };
  guint written = 0;
  gint64 id;

  g_assert_no_error (error);
  id = sitrep_store_insert_incident (team, "CareCircle", "SEV-2", "Slow search",
                                     g_get_real_time (), &error);
  g_assert_no_error (error);
  tampered[0] = g_strdup ("{\"samples\": [7, {\"service\": {}, \"latency_ms\": \"fast\"}],"
                          " \"changes\": [[1], null]}");
  tampered[1] = g_strdup_printf ("{\"incident\": %" G_GINT64_FORMAT ", \"item\": \"page-oncall\","
                                 " \"done\": \"yes\", \"at\": [], \"author\": {}}", id);
  tampered[2] = g_strdup_printf ("{\"incident\": %" G_GINT64_FORMAT ", \"step\": \"one\","
                                 " \"escalated\": {}, \"fields\": 3}", id);
  tampered[3] = g_strdup ("{\"declaration\": [\"SEV-1\"]}");
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *change = g_uuid_string_random ();

      g_assert_true (sitrep_store_journal_append (journal, change, kinds[i], tampered[i], &error));
      g_assert_no_error (error);
    }
  append_note (journal, "e0000000-0000-4000-8000-000000000000", id, 0);

  for (guint tries = 0; sitrep_store_journal_count (journal, NULL) > 0; tries++)
    {
      g_assert_cmpuint (tries, <, 10);
      if (!sitrep_store_journal_replay (journal, team, 0, &written, &error))
        {
          g_test_message ("replay: %s", error->message);
          g_clear_error (&error);
        }
    }
  notes = notes_of (team, id);
  g_assert_cmpstr (notes, ==, "note 0\n");
  incident = sitrep_store_load_incident (team, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "Slow search");
  /* The health batch (no service in it) and the declaration (none in it) are set aside, with
   * why; the tick and the answer are written without what was unreadable. */
  g_assert_cmpint (sitrep_store_journal_count_refused (journal, NULL), ==, 2);

  /* A kept command's audit entry, read back as the replay reads it. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(SitrepAuditEntry) entry = NULL;
    const char *argv[] = { "kubectl", "get", NULL };

    g_assert_true (json_parser_load_from_data (parser,
                                               "{\"action_id\": [], \"argv\": [\"kubectl\", 7,"
                                               " {}, null, \"get\"], \"at\": {}, \"exit_code\":"
                                               " [], \"duration_ms\": \"slow\", \"started_id\":"
                                               " 1e300}", -1, NULL));
    entry = sitrep_store_audit_entry_from_json (json_node_get_object (json_parser_get_root (parser)),
                                                id);
    g_assert_null (entry->action_id);
    g_assert_cmpstrv (entry->argv, argv);
    g_assert_cmpint (entry->at, ==, 0);
    g_assert_cmpint (entry->exit_code, ==, 0);
    g_assert_cmpint (entry->duration_ms, ==, 0);
    g_assert_cmpint (entry->started_id, ==, 0);
  }
}

/* A replay cut short and run again writes nothing twice, even a change the server committed
 * whose journal row was not yet forgotten (the console killed between the two). */
static void
test_journal_interrupted (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_journal", TRUE);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) team = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *notes = NULL;
  g_autofree char *applied = NULL;
  char *ids[6] = { NULL };
  guint written = 0;
  gint64 incident;

  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (team, "CareCircle", "SEV-2", "Slow search",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    {
      ids[i] = g_uuid_string_random ();
      append_note (journal, ids[i], incident, i);
    }

  g_assert_true (sitrep_store_journal_replay (journal, team, 3, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 3);
  g_assert_cmpint (sitrep_store_journal_count (journal, NULL), ==, 3);

  /* The third was committed but, as after a kill, is still in the journal: again, first. */
  g_clear_pointer (&journal, sitrep_store_journal_free);
  g_assert_cmpint (g_unlink (path), ==, 0);
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 2; i < 6; i++)
    append_note (journal, ids[i], incident, i);
  g_assert_true (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 3);
  g_assert_cmpint (sitrep_store_journal_count (journal, NULL), ==, 0);
  /* And once more, all of it: nothing. */
  for (guint i = 0; i < 6; i++)
    append_note (journal, ids[i], incident, i);
  g_assert_true (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_cmpuint (written, ==, 0);

  notes = notes_of (team, incident);
  for (guint i = 0; i < 6; i++)
    g_string_append_printf (expected, "note %u\n", i);
  g_assert_cmpstr (notes, ==, expected->str);
  applied = pg_test_database_query (db, "SELECT count(*) FROM sitrep_journal_applied");
  g_assert_cmpstr (applied, ==, "6");
  for (guint i = 0; i < 6; i++)
    g_free (ids[i]);
}

typedef struct
{
  gint64 incident;
} Aborting;

/* A change whose last statement fails and which, wrongly, goes on as if it had not: the
 * server has aborted the transaction, and the COMMIT that follows rolls it back. */
static gboolean
add_note_then_fail_cb (SitrepStore *store,
                       gpointer     data,
                       GError     **error)
{
  Aborting *aborting = data;
  g_autoptr(SitrepTimelineEvent) note = NULL;

  note = sitrep_store_add_note (store, aborting->incident, g_get_real_time (), "never saved",
                                "Dana", error);
  g_assert_nonnull (note);
  g_assert_false (sitrep_store_exec (store, "SELECT 1/0", "failing on purpose", NULL));
  return TRUE;
}

/* A COMMIT the server answers with ROLLBACK (its transaction was aborted) is a failure: the
 * change is not recorded as applied and a replay keeps it in the journal, rather than
 * forgetting a change that was never written. */
static void
test_commit_aborted (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_aborted", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) team = sitrep_store_open (db->uri, &error);
  g_autofree char *applied = NULL;
  g_autofree char *notes = NULL;
  gboolean already = TRUE;
  Aborting aborting = { 0 };

  g_assert_no_error (error);
  aborting.incident = sitrep_store_insert_incident (team, "CareCircle", "SEV-2", "Slow search",
                                                    g_get_real_time (), &error);
  g_assert_no_error (error);

  /* The store's own transaction. */
  g_assert_true (sitrep_store_begin (team, &error));
  g_assert_false (sitrep_store_exec (team, "SELECT 1/0", "failing on purpose", NULL));
  g_assert_false (sitrep_store_commit (team, &error));
  g_assert_nonnull (error);
  g_test_message ("the commit: %s", error->message);
  g_assert_nonnull (strstr (error->message, "rolled the change back"));
  g_clear_error (&error);
  g_assert_false (sitrep_db_in_transaction (team->conn));

  /* A change with its id, as the writer and the replay write it. */
  g_assert_false (sitrep_store_journal_apply (team, "a5e0c7a4-0000-4000-8000-000000000001",
                                              add_note_then_fail_cb, &aborting, &already,
                                              &error));
  g_assert_nonnull (error);
  g_assert_false (already);
  g_clear_error (&error);
  applied = pg_test_database_query (db, "SELECT count(*) FROM sitrep_journal_applied");
  g_assert_cmpstr (applied, ==, "0");
  notes = notes_of (team, aborting.incident);
  g_assert_cmpstr (notes, ==, "");
}

typedef struct
{
  GMutex mutex;
  GCond cond;
  SitrepStore *store;
  gboolean telling;
} LastReference;

/* On the writer thread, about to tell the main context that the journal was written: waits
 * until the store's last reference is gone (its finalize waits for this thread). */
static void
before_tell_cb (gpointer data)
{
  LastReference *last = data;
  gint64 give_up = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&last->mutex);
  last->telling = TRUE;
  g_cond_broadcast (&last->cond);
  g_mutex_unlock (&last->mutex);
  while (g_atomic_int_get (&G_OBJECT (last->store)->ref_count) > 0
         && g_get_monotonic_time () < give_up)
    g_usleep (1000);
}

/* The console lets go of its store while the team database comes back: the writer thread,
 * replaying the journal, must not take a reference on the store being finalized (it would
 * hand a freed store to the main loop). */
static void
test_last_reference (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) reader = NULL;
  g_autofree char *notes = NULL;
  LastReference last = { 0 };
  TeamWaiting waiting = { 0 };
  SitrepStore *store;
  gint64 incident;

  store = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  queue_note (store, incident, 0, &waiting);
  team_test_wait_for_all (&waiting);

  pg_test_cluster_stop (cluster);
  queue_note (store, incident, 1, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpuint (waiting.journaled, ==, 1);
  while (!sitrep_store_get_offline (store) || sitrep_store_get_pending_changes (store) < 1)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_mutex_init (&last.mutex);
  g_cond_init (&last.cond);
  last.store = store;
  sitrep_store_writer_testing_set_before_tell (before_tell_cb, &last);
  pg_test_cluster_start (cluster);
  g_mutex_lock (&last.mutex);
  while (!last.telling)
    g_assert_true (g_cond_wait_until (&last.cond, &last.mutex,
                                      g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND));
  g_mutex_unlock (&last.mutex);
  /* The last reference goes while the thread tells of the replay. */
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_unref (store);
  g_assert_null (store);
  sitrep_store_writer_testing_set_before_tell (NULL, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The note kept was written, once. */
  reader = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  notes = notes_of (reader, incident);
  g_assert_cmpstr (notes, ==, "note 0\nnote 1\n");
  g_mutex_clear (&last.mutex);
  g_cond_clear (&last.cond);
}

typedef struct
{
  guint pending;
  GError *first;
  GError *second;
} TwoChanges;

static void
first_change_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TwoChanges *two = user_data;

  sitrep_incident_manager_change_finish (SITREP_INCIDENT_MANAGER (source), result, &two->first);
  two->pending--;
}

static void
second_change_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TwoChanges *two = user_data;

  sitrep_incident_manager_change_finish (SITREP_INCIDENT_MANAGER (source), result, &two->second);
  two->pending--;
}

/* Two changes of one incident queued at once, the first lost at its COMMIT (a check the
 * server makes then refuses it): the second is made against the incident as the server has
 * it, not as the first change would have left it had it been saved (which the server has never
 * seen: "changed elsewhere"). */
static void
test_lost_commit_chain (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_chain", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new ();
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  TwoChanges two = { 0 };
  TeamWaiting waiting = { 0 };

  g_assert_no_error (error);
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);
  waiting.pending++;
  sitrep_incident_manager_declare_async (manager, "SEV-2", "Queue backlog", "Reminders are late",
                                         "carol", NULL, NULL, NULL, team_test_declared_cb, &waiting);
  team_test_wait_for_all (&waiting);
  /* Checked at COMMIT: an incident made SEV-3 is refused then, after the change ran. */
  pg_test_database_exec (db,
                         "CREATE FUNCTION refuse_sev3 () RETURNS trigger LANGUAGE plpgsql AS $$"
                         " BEGIN IF NEW.severity = 'SEV-3' THEN"
                         " RAISE EXCEPTION 'no SEV-3 here'; END IF; RETURN NEW; END $$;"
                         "CREATE CONSTRAINT TRIGGER refuse_sev3 AFTER UPDATE ON incidents"
                         " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                         " EXECUTE FUNCTION refuse_sev3 ()");

  two.pending = 2;
  sitrep_incident_manager_set_severity_async (manager, waiting.declared, "SEV-3", "carol", NULL,
                                              first_change_cb, &two);
  sitrep_incident_manager_set_status_async (manager, waiting.declared, SITREP_STATUS_IDENTIFIED,
                                            "carol", NULL, second_change_cb, &two);
  while (two.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (two.first);
  g_test_message ("the first change: %s", two.first->message);
  g_assert_no_error (two.second);

  incident = sitrep_store_load_incident (store, waiting.declared, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-2");
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_IDENTIFIED);
  g_clear_error (&two.first);
}

static void
append_declare (SitrepStoreJournal *journal,
                const char         *change_id,
                gint64              local,
                gint64              at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepDeclaration) declaration = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  declaration = sitrep_declaration_new (runbook, "SEV-2", "Slow search", NULL, "Dana", NULL, NULL,
                                        at, &error);
  g_assert_no_error (error);
  json_object_set_int_member (body, "incident", local);
  json_object_set_int_member (body, "at", at);
  json_object_set_string_member (body, "author", "Dana");
  json_object_set_object_member (body, "declaration", sitrep_declaration_to_json (declaration));
  node = json_node_init_object (json_node_alloc (), body);
  text = json_to_string (node, FALSE);
  g_assert_true (sitrep_store_journal_append (journal, change_id, "declare", text, &error));
  g_assert_no_error (error);
}

/* A replay cut short after an incident declared while away was committed, its journal row not
 * yet forgotten (the console killed between the two), and run again from the same changes:
 * the server has one incident, each note once, under its id. */
static void
test_journal_declare_interrupted (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_journal", TRUE);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) team = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autofree char *count = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *declare_id = g_uuid_string_random ();
  char *ids[3] = { NULL };
  gint64 local = sitrep_incident_kept_new_id ();
  gint64 at = g_get_real_time ();
  guint written = 0;

  g_assert_no_error (error);
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  append_declare (journal, declare_id, local, at);
  for (guint i = 0; i < 3; i++)
    {
      ids[i] = g_uuid_string_random ();
      append_note (journal, ids[i], local, i);
    }
  g_assert_true (sitrep_store_journal_replay (journal, team, 2, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 2);

  /* Killed before the journal learnt the incident's id: its rows, as they were kept. */
  g_clear_pointer (&journal, sitrep_store_journal_free);
  g_assert_cmpint (g_unlink (path), ==, 0);
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  append_declare (journal, declare_id, local, at);
  for (guint i = 0; i < 3; i++)
    append_note (journal, ids[i], local, i);
  g_assert_true (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 2);
  g_assert_cmpint (sitrep_store_journal_count (journal, NULL), ==, 0);

  count = pg_test_database_query (db, "SELECT count(*) FROM incidents");
  g_assert_cmpstr (count, ==, "1");
  notes = pg_test_database_query (db, "SELECT string_agg (text, ',' ORDER BY id)"
                                      " FROM timeline_events WHERE kind = 'note'");
  g_assert_cmpstr (notes, ==, "note 0,note 1,note 2");
  g_assert_cmpint (sitrep_store_journal_team_id (local), >, 0);
  for (guint i = 0; i < 3; i++)
    g_free (ids[i]);
}

/* A replay on a server that refuses writes for a while (a read-only standby after a failover,
 * a privilege missing) keeps every change, in order, and says why; only a change the server can
 * never take (its incident gone) is set aside, and counted. */
static void
test_journal_refusing (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_refusing", TRUE);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) team = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *grant = NULL;
  g_autofree char *role = g_strdup_printf ("%s_reader", db->dbname);
  const char *refusing[] = { "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", NULL };
  guint written = 0;
  gint64 incident;

  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (team, "CareCircle", "SEV-2", "Slow search",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  append_note (journal, "b0000000-0000-4000-8000-000000000000", incident, 0);
  append_note (journal, "b0000000-0000-4000-8000-000000000001", incident + 1000, 1);
  append_note (journal, "b0000000-0000-4000-8000-000000000002", incident, 2);

  /* Read-only, as a standby is. */
  g_assert_true (sitrep_store_exec (team, refusing[0], "test", &error));
  g_assert_false (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY);
  g_test_message ("read-only: %s", error->message);
  g_assert_nonnull (strstr (error->message, "The team database refuses writes"));
  g_clear_error (&error);
  g_assert_cmpuint (written, ==, 0);
  g_assert_cmpint (sitrep_store_journal_count (journal, NULL), ==, 3);
  g_assert_cmpint (sitrep_store_journal_count_refused (journal, NULL), ==, 0);
  g_assert_true (sitrep_store_exec (team, "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
                                    "test", &error));

  /* A role that may read but not write. */
  grant = g_strdup_printf ("CREATE ROLE %s; GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s",
                           role, role);
  pg_test_database_exec (db, grant);
  {
    g_autofree char *set_role = g_strdup_printf ("SET ROLE %s", role);

    g_assert_true (sitrep_store_exec (team, set_role, "test", &error));
  }
  g_assert_false (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY);
  g_test_message ("no privilege: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (sitrep_store_journal_count (journal, NULL), ==, 3);
  g_assert_cmpint (sitrep_store_journal_count_refused (journal, NULL), ==, 0);
  g_assert_true (sitrep_store_exec (team, "RESET ROLE", "test", &error));

  /* Writable again: the two notes written in order, the one whose incident is not there set
   * aside with the server's reason. */
  g_assert_true (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 2);
  g_assert_cmpint (sitrep_store_journal_count (journal, NULL), ==, 0);
  g_assert_cmpint (sitrep_store_journal_count_refused (journal, NULL), ==, 1);
  notes = notes_of (team, incident);
  g_assert_cmpstr (notes, ==, "note 0\nnote 2\n");
  {
    g_autofree char *drop = g_strdup_printf ("DROP OWNED BY %s; DROP ROLE %s", role, role);

    pg_test_database_exec (db, drop);
  }
}

typedef gboolean (*StoreCondition) (SitrepStore *store);

/* Turns the main loop until @condition holds, for 60 s at most. */
static void
wait_for_store (SitrepStore    *store,
                StoreCondition  condition)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!condition (store) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
}

static gboolean
is_offline (SitrepStore *store)
{
  return sitrep_store_get_offline (store) && sitrep_store_get_pending_changes (store) == 1;
}

static gboolean
refuses_writes (SitrepStore *store)
{
  return sitrep_store_get_journal_problem (store) != NULL
         && strstr (sitrep_store_get_journal_problem (store), "refuses writes") != NULL;
}

static gboolean
is_busy_now (SitrepStore *store)
{
  return sitrep_store_get_journal_problem (store) != NULL
         && strstr (sitrep_store_get_journal_problem (store), "busy") != NULL;
}

static gboolean
all_written (SitrepStore *store)
{
  return !sitrep_store_get_offline (store) && sitrep_store_get_journal_problem (store) == NULL
         && sitrep_store_get_pending_changes (store) == 0;
}

/* The team database comes back as a read-only standby would, then busy (a table locked): the
 * console is not "unreachable" meanwhile, it says what the server does, and keeps the change
 * until the server takes it. */
static void
test_journal_problem (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) reader = NULL;
  g_autofree char *notes = NULL;
  TeamWaiting waiting = { 0 };
  gint64 incident;
  PGconn *locker;
  PGresult *result;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  queue_note (store, incident, 0, &waiting);
  team_test_wait_for_all (&waiting);

  /* Away, then back read-only. */
  pg_test_cluster_exec (cluster, "ALTER SYSTEM SET default_transaction_read_only = on");
  pg_test_cluster_stop (cluster);
  queue_note (store, incident, 1, &waiting);
  team_test_wait_for_all (&waiting);
  wait_for_store (store, is_offline);
  pg_test_cluster_start (cluster);
  wait_for_store (store, refuses_writes);
  g_test_message ("read-only: %s", sitrep_store_get_journal_problem (store));
  g_assert_false (sitrep_store_get_offline (store));
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 1);
  g_assert_cmpuint (sitrep_store_get_refused_changes (store), ==, 0);

  /* Writable again, but the timeline locked by another session, past the lock's timeout. */
  locker = PQconnectdb (cluster->uri);
  g_assert_cmpint (PQstatus (locker), ==, CONNECTION_OK);
  result = PQexec (locker, "SET default_transaction_read_only = off; BEGIN;"
                           " LOCK TABLE timeline_events IN ACCESS EXCLUSIVE MODE");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  pg_test_cluster_exec (cluster, "ALTER SYSTEM SET default_transaction_read_only = off");
  pg_test_cluster_exec (cluster, "ALTER SYSTEM SET lock_timeout = '100ms'");
  g_free (pg_test_cluster_query (cluster, "SELECT pg_reload_conf ()"));
  wait_for_store (store, is_busy_now);
  g_test_message ("busy: %s", sitrep_store_get_journal_problem (store));
  g_assert_false (sitrep_store_get_offline (store));
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 1);

  /* The lock goes: the note is written, once, and nothing is said any more. */
  result = PQexec (locker, "COMMIT");
  PQclear (result);
  PQfinish (locker);
  wait_for_store (store, all_written);
  reader = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  notes = notes_of (reader, incident);
  g_assert_cmpstr (notes, ==, "note 0\nnote 1\n");
}

static gboolean
nothing_pending (SitrepStore *store)
{
  return !sitrep_store_get_offline (store) && sitrep_store_get_pending_changes (store) == 0;
}

/* A console whose role may read and write rows but not create tables (what a team's database
 * administrator hands out): it opens the team database and replays its journal, because the
 * table the replay records its changes in comes with the schema's migrations. */
static void
test_dml_role (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal_path = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autofree char *uri = g_strdup_printf ("postgresql://sitrep_dml@127.0.0.1:%s/postgres",
                                          cluster->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) owner = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *refused = NULL;
  TeamWaiting waiting = { 0 };
  gint64 incident;

  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (owner, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  pg_test_cluster_exec (cluster,
                        "CREATE ROLE sitrep_dml LOGIN;"
                        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
                        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
                        "  TO sitrep_dml;"
                        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sitrep_dml");

  /* A note kept while the server was away, as the journal has it. */
  journal = sitrep_store_journal_open (journal_path, &error);
  g_assert_no_error (error);
  append_note (journal, "d0000000-0000-4000-8000-000000000000", incident, 0);
  g_clear_pointer (&journal, sitrep_store_journal_free);

  store = sitrep_store_open (uri, &error);
  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal_path);
  queue_note (store, incident, 1, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpuint (waiting.journaled, ==, 0);
  wait_for_store (store, nothing_pending);
  g_assert_cmpuint (sitrep_store_get_refused_changes (store), ==, 0);
  journal = sitrep_store_journal_open (journal_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_journal_count_refused (journal, NULL), ==, 0);
  notes = notes_of (owner, incident);
  g_assert_cmpstr (notes, ==, "note 0\nnote 1\n");
}

static GThread *main_thread;
static gint connects_on_main;

static void
connecting_cb (void)
{
  if (g_thread_self () == main_thread)
    g_atomic_int_inc (&connects_on_main);
}

static gboolean
main_connection_back (SitrepStore *store)
{
  return !sitrep_store_get_offline (store) && !sitrep_db_postgres_is_lost (store->conn);
}

/* When the team database comes back, the console's own connection is made again off the main
 * loop (a connection may take up to its 10 s timeout), and its reads work again. */
static void
test_reconnect_off_main (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepIncident) incident = NULL;
  TeamWaiting waiting = { 0 };
  gint64 id;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  id = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                     g_get_real_time (), &error);
  g_assert_no_error (error);
  queue_note (store, id, 0, &waiting);
  team_test_wait_for_all (&waiting);

  main_thread = g_thread_self ();
  sitrep_store_testing_set_connecting (connecting_cb);
  pg_test_cluster_stop (cluster);
  /* The console reads meanwhile: its connection breaks. */
  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_null (incident);
  /* Said as what it is, a server that stopped answering (never a file's folder to check),
   * and told apart from what the next connection cannot fix. */
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "stopped answering"));
  g_assert_null (strstr (error->message, "folder"));
  g_clear_error (&error);
  g_assert_true (sitrep_db_postgres_is_lost (store->conn));
  queue_note (store, id, 1, &waiting);
  team_test_wait_for_all (&waiting);
  wait_for_store (store, is_offline);

  pg_test_cluster_start (cluster);
  wait_for_store (store, main_connection_back);
  sitrep_store_testing_set_connecting (NULL);
  g_assert_cmpint (g_atomic_int_get (&connects_on_main), ==, 0);
  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (incident);
}

/* A read that takes a while, counting the reads that ran. */
static gpointer
slow_read (SitrepStore *store,
           gpointer     data,
           GError     **error)
{
  g_usleep (300 * 1000);
  g_atomic_int_inc ((int *) data);
  return g_strdup ("read");
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *read = sitrep_store_read_finish (SITREP_STORE (source), result, user_data);

  g_assert_null (read);
}

/* The console is done with a team database (it quits, or switched away): closing its reads
 * ends the read running, answers what was queued as cancelled without reading, and returns
 * once the reader thread is gone: nothing keeps connecting behind the console's back (a read
 * connecting while the process exited crashed it). A later read is refused the same way. */
static void
test_close_reads (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_close_reads", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) later = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db->uri, &error);
  int ran = 0;
  int ran_at_close;

  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    sitrep_store_read_async (store, slow_read, &ran, NULL, g_free, NULL, NULL, NULL);
  sitrep_store_close_reads (store);
  ran_at_close = g_atomic_int_get (&ran);
  g_assert_cmpint (ran_at_close, <=, 1);
  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpint (g_atomic_int_get (&ran), ==, ran_at_close);

  sitrep_store_read_async (store, slow_read, &ran, NULL, g_free, NULL, read_cb, &later);
  while (later == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (later, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_atomic_int_get (&ran), ==, ran_at_close);
  spin (200);
}

static gboolean
nothing_to_write (SitrepStore *store,
                  gpointer     data,
                  GError     **error)
{
  return TRUE;
}

static void
not_kept_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GError **failed = data;

  g_assert_false (sitrep_store_write_finish (SITREP_STORE (source), result, failed));
  g_assert_nonnull (*failed);
}

/* Each column of a store's tables as "table.column TYPE key|not-null|null", one per line,
 * sorted: the SQLite file's as its schema declares them. */
static char *
sqlite_columns (SitrepStore *store)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  /* The full-text index is SQLite's own (FTS5); PostgreSQL searches the table itself. A
   * primary key's column is "key": PostgreSQL makes it not null, SQLite (but for the rowid) does
   * not, and neither engine's store ever leaves one empty. */
  g_assert_cmpint (sqlite3_prepare_v2 (store->db,
                                       "SELECT m.name, p.name, upper (p.type),"
                                       "  CASE WHEN p.pk > 0 THEN 'key'"
                                       "    WHEN p.\"notnull\" THEN 'not-null' ELSE 'null' END"
                                       " FROM sqlite_master m, pragma_table_info (m.name) p"
                                       " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'"
                                       "  AND m.name NOT LIKE 'sqlite_%'"
                                       "  AND m.name NOT LIKE 'timeline_search_%'"
                                       " ORDER BY m.name || '.' || p.name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("%s.%s %s %s", sqlite3_column_text (stmt, 0),
                                             sqlite3_column_text (stmt, 1),
                                             sqlite3_column_text (stmt, 2),
                                             sqlite3_column_text (stmt, 3)));
  sqlite3_finalize (stmt);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* The names of the indexes made by the schema (not those SQLite makes for a key), one a line
 * in byte order. */
static char *
sqlite_indexes (SitrepStore *store)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db,
                                       "SELECT name FROM sqlite_master"
                                       " WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* The two engines' schemas, made from nothing by each one's base schema and migrations, have
 * the same tables and columns, each of the same kind and as nullable: the store's code writes
 * and reads both alike. A column added to one engine's migrations only fails here, not at a
 * team's first write. */
static void
test_schema_same (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_schema", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) team = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStore) file = NULL;
  g_autofree char *pg = NULL;
  g_autofree char *lite = NULL;
  g_autofree char *tables = NULL;

  g_assert_no_error (error);
  file = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  lite = sqlite_columns (file);
  /* PostgreSQL's types as SQLite's affinities; its schema version is a table, SQLite's the
   * file's user_version. */
  pg = pg_test_database_query (db,
                               "SELECT string_agg (c.table_name || '.' || c.column_name || ' '"
                               "  || CASE c.data_type WHEN 'bigint' THEN 'INTEGER'"
                               "    WHEN 'text' THEN 'TEXT' WHEN 'double precision' THEN 'REAL'"
                               "    WHEN 'bytea' THEN 'BLOB' ELSE upper (c.data_type) END"
                               "  || ' ' || CASE WHEN k.column_name IS NOT NULL THEN 'key'"
                               "    WHEN c.is_nullable = 'NO' THEN 'not-null' ELSE 'null' END,"
                               "  E'\\n' ORDER BY (c.table_name || '.' || c.column_name) COLLATE \"C\")"
                               " FROM information_schema.columns c"
                               " LEFT JOIN (SELECT u.table_name, u.column_name"
                               "   FROM information_schema.key_column_usage u"
                               "   JOIN information_schema.table_constraints t"
                               "    ON t.constraint_name = u.constraint_name"
                               "    AND t.table_schema = u.table_schema"
                               "   WHERE t.constraint_type = 'PRIMARY KEY'"
                               "    AND u.table_schema = current_schema ()) k"
                               "  ON k.table_name = c.table_name AND k.column_name = c.column_name"
                               " WHERE c.table_schema = current_schema ()"
                               "  AND c.table_name <> 'sitrep_schema'");
  g_assert_cmpstr (pg, ==, lite);
  /* What it compares: every table the console writes. */
  tables = pg_test_database_query (db, "SELECT count (DISTINCT table_name)"
                                       " FROM information_schema.columns"
                                       " WHERE table_schema = current_schema ()"
                                       "  AND table_name <> 'sitrep_schema'");
  g_assert_cmpint (atoi (tables), >=, 13);
  g_assert_nonnull (strstr (lite, "timeline_events.fields TEXT null"));
  g_assert_nonnull (strstr (lite, "audit_chain.id INTEGER key"));
  g_assert_nonnull (strstr (lite, "app_state.key TEXT key"));

  /* And the same indexes, by name: the reads that count on one seek it on both engines. */
  g_clear_pointer (&pg, g_free);
  g_clear_pointer (&lite, g_free);
  pg = pg_test_database_query (db, "SELECT string_agg (indexname, E'\\n'"
                                   "  ORDER BY indexname COLLATE \"C\")"
                                   " FROM pg_indexes WHERE schemaname = current_schema ()"
                                   "  AND indexname NOT IN (SELECT conname FROM pg_constraint)");
  lite = sqlite_indexes (file);
  g_assert_cmpstr (pg, ==, lite);
  g_assert_nonnull (strstr (lite, "timeline_events_by_incident_id"));
}

static char *
notes_on (PgTestDatabase *db)
{
  return pg_test_database_query (db, "SELECT coalesce (string_agg (text, '|' ORDER BY id), '')"
                                     " FROM timeline_events WHERE kind = 'note'");
}

/* A lock held elsewhere keeps the writer's note waiting as the console closes: at the time
 * given the store cuts the writer's connection, and the note goes to the journal, as on a
 * connection lost; a change the journal cannot keep fails and says why; a note queued after
 * is kept at once, without trying the server again. The lock released, the server has none of
 * it (the cut transaction never committed); the next store's replay writes both notes, in
 * order, once. */
static void
test_finish_writes_locked (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_finish", TRUE);
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "finish.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) not_kept = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db->uri, &error);
  g_autoptr(SitrepStore) next = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *notes = NULL;
  PGconn *locker;
  PGresult *res;
  TeamWaiting closing = { 0 };
  TeamWaiting restarted = { 0 };
  gint64 incident;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-2", "Reminders late",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);

  /* Another session holds the timeline's table: the note's INSERT waits for it. */
  locker = PQconnectdb (db->uri);
  g_assert_cmpint (PQstatus (locker), ==, CONNECTION_OK);
  res = PQexec (locker, "BEGIN; LOCK TABLE timeline_events IN EXCLUSIVE MODE");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);

  closing.pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Stuck behind the lock",
                               "Dana", NULL, team_test_note_cb, &closing);
  sitrep_store_write_async (store, nothing_to_write, NULL, NULL, NULL, not_kept_cb, &not_kept);
  spin (300);
  sitrep_store_finish_writes (store, g_get_monotonic_time () + G_USEC_PER_SEC / 2);
  kept = team_test_journal_text (journal);
  g_assert_cmpstr (kept, ==, "note:Stuck behind the lock\n");
  g_clear_pointer (&kept, g_free);

  closing.pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Queued after closing",
                               "Dana", NULL, team_test_note_cb, &closing);
  /* Asked again (the session asks twice), with no time left: what is queued is kept. */
  sitrep_store_finish_writes (store, g_get_monotonic_time () - 1);
  kept = team_test_journal_text (journal);
  g_assert_cmpstr (kept, ==, "note:Stuck behind the lock\nnote:Queued after closing\n");
  sitrep_store_close_reads (store);
  team_test_wait_for_all (&closing);
  while (not_kept == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Both notes kept, neither written. */
  g_assert_cmpuint (closing.journaled, ==, 2);
  g_assert_error (not_kept, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE);

  /* The lock goes: the INSERT cut off from its console is rolled back. */
  res = PQexec (locker, "COMMIT");
  PQclear (res);
  PQfinish (locker);
  g_clear_object (&store);
  notes = notes_on (db);
  g_assert_cmpstr (notes, ==, "");
  g_clear_pointer (&notes, g_free);

  /* The next start replays the journal before its own note. */
  next = sitrep_store_open (db->uri, &error);
  g_assert_no_error (error);
  sitrep_store_set_journal_path (next, journal);
  restarted.pending++;
  sitrep_store_add_note_async (next, incident, g_get_real_time (), "After the restart", "Dana",
                               NULL, team_test_note_cb, &restarted);
  sitrep_store_finish_writes (next, g_get_monotonic_time () + 30 * G_USEC_PER_SEC);
  team_test_wait_for_all (&restarted);
  g_assert_cmpuint (restarted.journaled, ==, 0);
  notes = notes_on (db);
  g_assert_cmpstr (notes, ==, "Stuck behind the lock|Queued after closing|After the restart");
  g_clear_pointer (&kept, g_free);
  kept = team_test_journal_text (journal);
  g_assert_cmpstr (kept, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-team/writer", test_writer);
  g_test_add_func ("/store-team/schema-same", test_schema_same);
  g_test_add_func ("/store-team/journal-replay", test_journal_replay);
  g_test_add_func ("/store-team/journal-interrupted", test_journal_interrupted);
  g_test_add_func ("/store-team/journal-tampered", test_journal_tampered);
  g_test_add_func ("/store-team/commit-aborted", test_commit_aborted);
  g_test_add_func ("/store-team/last-reference", test_last_reference);
  g_test_add_func ("/store-team/lost-commit-chain", test_lost_commit_chain);
  g_test_add_func ("/store-team/journal-refusing", test_journal_refusing);
  g_test_add_func ("/store-team/journal-problem", test_journal_problem);
  g_test_add_func ("/store-team/dml-role", test_dml_role);
  g_test_add_func ("/store-team/reconnect-off-main", test_reconnect_off_main);
  g_test_add_func ("/store-team/journal-declare", test_journal_declare);
  g_test_add_func ("/store-team/journal-declare-interrupted", test_journal_declare_interrupted);
  g_test_add_func ("/store-team/close-reads", test_close_reads);
  g_test_add_func ("/store-team/finish-writes-locked", test_finish_writes_locked);

  return g_test_run ();
}
