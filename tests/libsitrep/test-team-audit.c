/* test-team-audit.c: the audit log and incidents declared while away, through a team database's journal, on the real PostgreSQL */
#include "config.h"

#include <string.h>

#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-store.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"

#define KEY "0123456789abcdef0123456789abcdef"

typedef struct
{
  guint pending;
  guint journaled;
} Waiting;

static void
audit_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_append_audit_finish (SITREP_STORE (source), result, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >=, 0);
  if (sitrep_store_write_was_journaled (result))
    waiting->journaled++;
  waiting->pending--;
}

static gboolean
all_done (gpointer data)
{
  return ((Waiting *) data)->pending == 0;
}

static void
queue_audit (SitrepStore *store,
             const char  *action,
             gint64       incident,
             Waiting     *waiting)
{
  const char *argv[] = { "kubectl", "rollout", "restart", "deploy/api", NULL };
  SitrepAuditEntry entry = { .incident_id = incident, .context = "prod", .namespace = "api",
                             .action_id = (char *) action, .argv = (GStrv) argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .author = "carol" };

  waiting->pending++;
  sitrep_store_append_audit_async (store, &entry, NULL, audit_cb, waiting);
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
  Waiting waiting = { 0 };
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/team-audit/replay-together", test_replay_together);

  return g_test_run ();
}
