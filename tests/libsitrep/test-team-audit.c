/* test-team-audit.c: the audit log and incidents declared while away, through a team database's journal, on the real PostgreSQL */
#include "config.h"

#include <string.h>

#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-action-controller.h"
#include "sitrep-incident-manager.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "team-test-util.h"
#include "sitrep-store-testing.h"

#define KEY "0123456789abcdef0123456789abcdef"

static gboolean
all_done (gpointer data)
{
  return ((TeamWaiting *) data)->pending == 0;
}

static void
queue_audit (SitrepStore *store,
             const char  *action,
             gint64       incident,
             TeamWaiting *waiting)
{
  const char *argv[] = { "kubectl", "rollout", "restart", "deploy/api", NULL };
  SitrepAuditEntry entry = { .incident_id = incident, .context = "prod", .namespace = "api",
                             .action_id = (char *) action, .argv = (GStrv) argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .author = "carol" };

  waiting->pending++;
  sitrep_store_append_audit_async (store, &entry, NULL, team_test_audit_cb, waiting);
}

static void
queue_note (SitrepStore *store,
            gint64       incident,
            const char  *text,
            TeamWaiting *waiting)
{
  waiting->pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), text, "Dana", NULL, team_test_note_cb,
                               waiting);
}

/* Whether the audit log on the server is whole, as `sitrep audit verify` says. */
static void
assert_audit_verifies (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) reader = sitrep_store_open (uri, &error);
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autofree char *reason = NULL;
  gint64 broken = -1;

  g_assert_no_error (error);
  sitrep_store_set_audit_key (reader, key);
  g_assert_true (sitrep_store_verify_audit (reader, &broken, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reason, ==, NULL);
}

/* The state of a console's store the window shows: every value it ever took. */
typedef struct
{
  gboolean offline;
  gboolean problem;
} Shown;

static void
state_cb (SitrepStore *store,
          GParamSpec  *pspec,
          Shown       *shown)
{
  if (sitrep_store_get_offline (store))
    shown->offline = TRUE;
  if (sitrep_store_get_journal_problem (store) != NULL)
    {
      g_test_message ("journal problem: %s", sitrep_store_get_journal_problem (store));
      shown->problem = TRUE;
    }
}

static void
follow_state (SitrepStore *store,
              Shown       *shown)
{
  g_signal_connect (store, "notify::offline", G_CALLBACK (state_cb), shown);
  g_signal_connect (store, "notify::journal-problem", G_CALLBACK (state_cb), shown);
}

static gboolean
store_caught_up (gpointer data)
{
  SitrepStore *store = data;

  return !sitrep_store_get_offline (store) && sitrep_store_get_journal_problem (store) == NULL
         && sitrep_store_get_pending_changes (store) == 0;
}

typedef struct
{
  SitrepStore *a;
  SitrepStore *b;
} Two;

static gboolean
both_caught_up (gpointer data)
{
  Two *two = data;

  return store_caught_up (two->a) && store_caught_up (two->b);
}

static gboolean
both_at_the_gate (gpointer data)
{
  g_autofree char *waiting = pg_test_cluster_query (data,
                                                    "SELECT count(*) FROM pg_stat_activity"
                                                    " WHERE wait_event = 'PgSleep'"
                                                    " AND query LIKE '%sitrep_journal_applied%'");

  return g_strcmp0 (waiting, "2") == 0;
}

#define N_KEPT 6

/* Two consoles on one team database each keep action records while it is away, and replay
 * them at the same moment when it is back, on a server that takes a while to commit (a
 * synchronous standby that answers late): one chain on the server, every record on it, none
 * set aside, and `sitrep audit verify` finds it whole. */
static void
test_replay_together (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal_a = g_build_filename (g_get_user_data_dir (), "journal-a.db", NULL);
  g_autofree char *journal_b = g_build_filename (g_get_user_data_dir (), "journal-b.db", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) a = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) b = NULL;
  g_autofree char *count = NULL;
  g_autofree char *expected = NULL;
  TeamWaiting waiting = { 0 };
  Two two;

  g_assert_no_error (error);
  b = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  sitrep_store_set_journal_path (a, journal_a);
  sitrep_store_set_journal_path (b, journal_b);
  sitrep_store_set_audit_key (a, key);
  sitrep_store_set_audit_key (b, key);
  /* Both writers run and have seen the server. */
  sitrep_store_wait_for_writes (a);
  sitrep_store_wait_for_writes (b);

  /* A commit takes 20 ms; and a gate, shut, at the first change each replay writes, that the
   * test opens once both replays wait there. */
  pg_test_cluster_exec (cluster,
                        "CREATE TABLE test_gate (open boolean NOT NULL);"
                        "INSERT INTO test_gate VALUES (false);"
                        "CREATE FUNCTION test_gate () RETURNS trigger LANGUAGE plpgsql AS $$"
                        " BEGIN WHILE NOT (SELECT open FROM test_gate) LOOP"
                        " PERFORM pg_sleep (0.01); END LOOP; RETURN NEW; END $$;"
                        "CREATE TRIGGER test_gate BEFORE INSERT ON sitrep_journal_applied"
                        " FOR EACH ROW EXECUTE FUNCTION test_gate ();"
                        "CREATE FUNCTION test_slow_commit () RETURNS trigger LANGUAGE plpgsql"
                        " AS $$ BEGIN PERFORM pg_sleep (0.02); RETURN NULL; END $$;"
                        "CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON audit_log"
                        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                        " EXECUTE FUNCTION test_slow_commit ()");

  pg_test_cluster_stop (cluster);
  for (guint i = 0; i < N_KEPT; i++)
    {
      queue_audit (a, "restart-api", 0, &waiting);
      queue_audit (b, "restart-web", 0, &waiting);
    }
  wait_until (all_done, &waiting, 60, "the records kept");
  g_assert_cmpuint (waiting.journaled, ==, 2 * N_KEPT);

  pg_test_cluster_start (cluster);
  wait_until (both_at_the_gate, cluster, 60, "both replays at the gate");
  pg_test_cluster_exec (cluster, "UPDATE test_gate SET open = true");
  two.a = a;
  two.b = b;
  wait_until (both_caught_up, &two, 60, "both journals written");

  g_test_message ("set aside: %u and %u", sitrep_store_get_refused_changes (a),
                  sitrep_store_get_refused_changes (b));
  g_assert_cmpuint (sitrep_store_get_refused_changes (a), ==, 0);
  g_assert_cmpuint (sitrep_store_get_refused_changes (b), ==, 0);
  count = pg_test_cluster_query (cluster, "SELECT count(*) FROM audit_log");
  expected = g_strdup_printf ("%d", 2 * N_KEPT);
  g_assert_cmpstr (count, ==, expected);
  assert_audit_verifies (cluster->uri);
}

/* An action's record kept in the journal by an earlier run, as the journal holds it. */
static void
keep_audit (const char *path,
            const char *change_id,
            const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStoreJournal) journal = sitrep_store_journal_open (path, &error);
  const char *argv[] = { "kubectl", "rollout", "restart", "deploy/api", NULL };
  SitrepAuditEntry entry = { .at = g_get_real_time (), .context = "prod", .namespace = "api",
                             .action_id = (char *) action, .argv = (GStrv) argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .author = "carol" };
  g_autoptr(JsonObject) body = sitrep_store_audit_entry_to_json (&entry);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
  g_autofree char *text = json_to_string (node, FALSE);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_journal_append (journal, change_id, "audit", text, &error));
  g_assert_no_error (error);
}

/* The console starts with an action's record in the journal from its last run, the server
 * reachable, the audit log's key read: the first change it makes finds the record written
 * before it, at once, and the console never says it is offline or that the journal has a
 * problem. */
static void
test_key_at_start (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_audit_start", TRUE);
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *order = NULL;
  Shown shown = { 0 };
  TeamWaiting waiting = { 0 };
  gint64 incident;

  store = sitrep_store_open (db->uri, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  keep_audit (journal, "e0000000-0000-4000-8000-000000000001", "restart-api");

  sitrep_store_set_journal_path (store, journal);
  sitrep_store_set_audit_key (store, key);
  follow_state (store, &shown);
  queue_note (store, incident, "first note", &waiting);
  wait_until (all_done, &waiting, 60, "the note");
  g_assert_cmpuint (waiting.journaled, ==, 0);
  wait_until (store_caught_up, store, 60, "the journal written");
  g_assert_false (shown.offline);
  g_assert_false (shown.problem);
  g_assert_cmpuint (sitrep_store_get_refused_changes (store), ==, 0);

  audited = pg_test_database_query (db, "SELECT string_agg (action_id, ',') FROM audit_log");
  g_assert_cmpstr (audited, ==, "restart-api");
  /* The record kept was written before the note made after it. */
  order = pg_test_database_query (db, "SELECT string_agg (change_id, ',' ORDER BY applied_at)"
                                      " FROM sitrep_journal_applied");
  g_assert_true (g_str_has_prefix (order, "e0000000-0000-4000-8000-000000000001,"));
  assert_audit_verifies (db->uri);
}

static gboolean
is_pending (gpointer data)
{
  return sitrep_store_get_pending_changes (data) == 2;
}

/* The console starts with an action's record in the journal, and makes a change before it has
 * read the audit log's key from the keyring: the record waits for the key, the change behind
 * it, and the console says neither offline nor a problem; once the key is read both are
 * written, in order. */
static void
test_key_after_start (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_team_audit_late", TRUE);
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *order = NULL;
  Shown shown = { 0 };
  TeamWaiting waiting = { 0 };
  gint64 incident;

  store = sitrep_store_open (db->uri, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  keep_audit (journal, "e0000000-0000-4000-8000-000000000002", "restart-api");

  sitrep_store_set_journal_path (store, journal);
  follow_state (store, &shown);
  queue_note (store, incident, "before the key", &waiting);
  wait_until (all_done, &waiting, 60, "the note");
  g_assert_cmpuint (waiting.journaled, ==, 1);
  wait_until (is_pending, store, 60, "the record and the note kept");
  g_assert_false (shown.offline);
  g_assert_false (shown.problem);

  sitrep_store_set_audit_key (store, key);
  wait_until (store_caught_up, store, 60, "the journal written");
  g_assert_false (shown.offline);
  g_assert_false (shown.problem);
  audited = pg_test_database_query (db, "SELECT string_agg (action_id, ',') FROM audit_log");
  g_assert_cmpstr (audited, ==, "restart-api");
  notes = pg_test_database_query (db, "SELECT string_agg (text, ',') FROM timeline_events"
                                      " WHERE kind = 'note'");
  g_assert_cmpstr (notes, ==, "before the key");
  order = pg_test_database_query (db, "SELECT string_agg (change_id, ',' ORDER BY applied_at)"
                                      " FROM sitrep_journal_applied");
  g_assert_true (g_str_has_prefix (order, "e0000000-0000-4000-8000-000000000002,"));
  assert_audit_verifies (db->uri);
}

typedef struct
{
  PgTestCluster *cluster;
  gint stopped;
} StopAfterReplay;

/* On the writer thread, as it is about to tell the console what its replay wrote: the server
 * goes, once. */
static void
stop_before_tell_cb (gpointer data)
{
  StopAfterReplay *stop = data;

  if (g_atomic_int_get (&stop->stopped))
    return;
  pg_test_cluster_stop (stop->cluster);
  g_atomic_int_set (&stop->stopped, TRUE);
}

static gboolean
has_stopped (gpointer data)
{
  return g_atomic_int_get (&((StopAfterReplay *) data)->stopped);
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

static void
manager_changed_cb (SitrepIncidentManager *manager,
                    SitrepIncident        *incident,
                    gpointer               user_data)
{
  *(gint64 *) user_data = sitrep_incident_get_id (incident);
}

static gboolean
is_changed (gpointer data)
{
  return *(gint64 *) data > 0;
}

/* An incident declared while the team database is away; the server comes back and the
 * declaration is replayed, and the connection goes again before the console could read the
 * incident back. When the server is back for good the console shows the server's incident in
 * place of its snapshot, once: another console's change of it later does not add a second
 * one, and a note made under the provisional id lands on it. */
static void
test_declared_then_lost (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new ();
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autofree char *team_text = NULL;
  g_autofree char *notes = NULL;
  GListModel *incidents;
  StopAfterReplay stop = { cluster, FALSE };
  TeamWaiting waiting = { 0 };
  gint64 ids[2] = { 0, 0 };
  gint64 changed = 0;
  gint64 local, team;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  g_signal_connect (store, "incident-written", G_CALLBACK (written_cb), ids);
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);
  incidents = sitrep_incident_manager_get_incidents (manager);
  sitrep_store_wait_for_writes (store);

  pg_test_cluster_stop (cluster);
  waiting.pending++;
  sitrep_incident_manager_declare_async (manager, "SEV-1", "Declared while away",
                                         "Checkout fails", "carol", NULL, NULL, NULL,
                                         team_test_declared_cb, &waiting);
  wait_until (all_done, &waiting, 60, "the declaration kept");
  local = waiting.declared;
  g_assert_cmpint (local, <, 0);
  g_assert_cmpuint (g_list_model_get_n_items (incidents), ==, 1);

  /* Back long enough for the declaration alone. */
  sitrep_store_writer_testing_set_before_tell (stop_before_tell_cb, &stop);
  pg_test_cluster_start (cluster);
  wait_until (has_stopped, &stop, 60, "the declaration replayed");
  sitrep_store_writer_testing_set_before_tell (NULL, NULL);
  /* The server was stopped after the declaration was written, before the console was told. */
  g_assert_cmpint (sitrep_store_journal_team_id (local), >, 0);
  g_assert_cmpint (ids[0], ==, 0);
  /* A note on it meanwhile, under the id the console knows it by. */
  queue_note (store, local, "while away again", &waiting);
  wait_until (all_done, &waiting, 60, "the note kept");
  g_assert_cmpuint (waiting.journaled, ==, 1);

  pg_test_cluster_start (cluster);
  wait_until (store_caught_up, store, 60, "the journal written");
  team_text = pg_test_cluster_query (cluster, "SELECT string_agg (id::text, ',') FROM incidents");
  team = g_ascii_strtoll (team_text, NULL, 10);
  g_assert_cmpint (team, >, 0);
  g_test_message ("provisional %" G_GINT64_FORMAT ", server %s; told %" G_GINT64_FORMAT " -> %"
                  G_GINT64_FORMAT, local, team_text, ids[0], ids[1]);

  /* Another console changes the incident: the console reads it again, as its watch makes it. */
  g_signal_connect (manager, "changed", G_CALLBACK (manager_changed_cb), &changed);
  g_assert_true (sitrep_incident_manager_reload (manager, team, &error));
  g_assert_no_error (error);
  wait_until (is_changed, &changed, 60, "the incident read again");
  g_assert_cmpint (changed, ==, team);
  g_assert_cmpuint (g_list_model_get_n_items (incidents), ==, 1);
  {
    g_autoptr(SitrepIncident) shown = g_list_model_get_item (incidents, 0);

    g_assert_cmpint (sitrep_incident_get_id (shown), ==, team);
  }
  g_assert_cmpint (ids[0], ==, local);
  g_assert_cmpint (ids[1], ==, team);

  /* A note under the provisional id now lands on the server's incident. */
  queue_note (store, local, "after", &waiting);
  wait_until (all_done, &waiting, 60, "the last note");
  notes = pg_test_cluster_query (cluster, "SELECT string_agg (text, ',' ORDER BY id)"
                                          " FROM timeline_events WHERE kind = 'note'");
  g_assert_cmpstr (notes, ==, "while away again,after");
}

static gboolean
one_kept (gpointer data)
{
  return sitrep_store_get_offline (data) && sitrep_store_get_pending_changes (data) == 1;
}

/* An action undone in its grace period while the team database is away: its record is kept
 * in the journal like any change, not lost with an error, and on the server once when it is
 * back; the log verifies. */
static void
test_action_record_offline (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepActionController) controller = NULL;
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autofree char *audited = NULL;

  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  sitrep_store_set_audit_key (store, key);
  controller = sitrep_action_controller_new (store, runbook, NULL, FALSE);
  request = sitrep_action_request_new (runbook, sitrep_runbook_find_service (runbook, "api"),
                                       sitrep_runbook_find_action (runbook, "restart"), NULL,
                                       NULL, "kubectl", &error);
  g_assert_no_error (error);
  sitrep_store_wait_for_writes (store);

  pg_test_cluster_stop (cluster);
  sitrep_action_controller_record_undone (controller, request, NULL);
  wait_until (one_kept, store, 60, "the record kept");

  pg_test_cluster_start (cluster);
  wait_until (store_caught_up, store, 60, "the journal written");
  audited = pg_test_cluster_query (cluster, "SELECT string_agg (action_id || ' ' || outcome, ',')"
                                            " FROM audit_log");
  g_assert_cmpstr (audited, ==, "restart " SITREP_AUDIT_CANCELLED);
  assert_audit_verifies (cluster->uri);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/team-audit/replay-together", test_replay_together);
  g_test_add_func ("/team-audit/key-at-start", test_key_at_start);
  g_test_add_func ("/team-audit/key-after-start", test_key_after_start);
  g_test_add_func ("/team-audit/declared-then-lost", test_declared_then_lost);
  g_test_add_func ("/team-audit/action-record-offline", test_action_record_offline);

  return g_test_run ();
}
