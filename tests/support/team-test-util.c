/* team-test-util.c: waiting for a team database's writes, and the heartbeat of a stall */
#include "config.h"

#include <unistd.h>

#include "sitrep-incident-manager.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "loop-test-util.h"
#include "team-test-util.h"

static void
add_kept (const char *change_id,
          const char *kind,
          const char *body,
          gint64      at,
          const char *reason,
          gpointer    data)
{
  GString *kept = data;
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  const char *text = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                       ? json_object_get_string_member_with_default (json_node_get_object (node),
                                                                     "text", "")
                       : "";

  g_string_append_printf (kept, "%s:%s\n", kind, text);
}

char *
team_test_journal_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStoreJournal) journal = sitrep_store_journal_open (path, &error);
  GString *kept = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_journal_foreach (journal, FALSE, add_kept, kept, &error));
  g_assert_no_error (error);
  return g_string_free (kept, FALSE);
}

void
team_test_declared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  waiting->declared = sitrep_incident_manager_declare_finish (SITREP_INCIDENT_MANAGER (source),
                                                              result, &error);
  g_assert_no_error (error);
  waiting->pending--;
}

void
team_test_changed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = sitrep_incident_manager_change_finish (SITREP_INCIDENT_MANAGER (source), result,
                                                       &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  waiting->pending--;
}

void
team_test_note_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source), result,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_nonnull (note);
  if (sitrep_store_write_was_journaled (result))
    {
      /* Not written yet: no id, the words as typed. */
      waiting->journaled++;
      g_assert_cmpint (sitrep_timeline_event_get_id (note), ==, 0);
    }
  waiting->pending--;
}

void
team_test_event_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sitrep_store_record_event_finish (SITREP_STORE (source), result, &error), >=,
                   0);
  g_assert_no_error (error);
  waiting->pending--;
}

void
team_test_audit_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_append_audit_finish (SITREP_STORE (source), result, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >=, 0);
  if (sitrep_store_write_was_journaled (result))
    waiting->journaled++;
  waiting->pending--;
}

void
team_test_health_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_store_add_health_finish (SITREP_STORE (source), result, &error));
  g_assert_no_error (error);
  if (sitrep_store_write_was_journaled (result))
    waiting->journaled++;
  waiting->pending--;
}

void
team_test_wait_for_all (TeamWaiting *waiting)
{
  while (waiting->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
beat_cb (gpointer user_data)
{
  TeamStall *stall = user_data;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&stall->lock);
  if (stall->last > 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  g_mutex_unlock (&stall->lock);
  return G_SOURCE_CONTINUE;
}

/* Every thread's stack, on stderr, while the main loop is stuck. */
static void
print_stacks (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  /* The main thread's (1) last and whole: meson shows a failed test's last 100 lines. */
  const char *argv[] = { "gdb", "-nx", "-batch", "-p", pid, "-ex", "thread apply all bt 8",
                         "-ex", "thread apply 1 bt 30", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, &error))
    g_printerr ("(no stacks: %s)\n", error->message);
  else
    g_printerr ("%s\n", out);
}

static gpointer
watch_loop (gpointer data)
{
  TeamStall *stall = data;
  gboolean printed = FALSE;

  for (;;)
    {
      gint64 stuck;
      gboolean ending;

      g_usleep (100000);
      g_mutex_lock (&stall->lock);
      ending = stall->ending;
      stuck = g_get_monotonic_time () - stall->last;
      g_mutex_unlock (&stall->lock);
      if (ending)
        return NULL;
      if (!printed && stuck > TEAM_TEST_LONGEST_GAP_US)
        {
          g_printerr ("The main loop has not turned for %" G_GINT64_FORMAT " ms; where each "
                      "thread is:\n", stuck / 1000);
          print_stacks ();
          printed = TRUE;
        }
    }
}

void
team_test_beat_begin (TeamStall *stall)
{
  g_mutex_init (&stall->lock);
  stall->last = g_get_monotonic_time ();
  stall->longest = 0;
  stall->ending = FALSE;
  stall->beat_id = g_timeout_add (50, beat_cb, stall);
  stall->watchdog = g_thread_new ("watchdog", watch_loop, stall);
}

gint64
team_test_beat_end (TeamStall *stall)
{
  g_clear_handle_id (&stall->beat_id, g_source_remove);
  g_mutex_lock (&stall->lock);
  stall->ending = TRUE;
  g_mutex_unlock (&stall->lock);
  g_thread_join (g_steal_pointer (&stall->watchdog));
  g_mutex_clear (&stall->lock);
  g_test_message ("the longest the main loop went without turning: %" G_GINT64_FORMAT " ms",
                  stall->longest / 1000);
  g_assert_cmpint (stall->longest, <, TEAM_TEST_LONGEST_GAP_US);
  return stall->longest;
}

gpointer
team_test_resume_later (gpointer data)
{
  g_usleep (TEAM_TEST_STALL_SECONDS * G_USEC_PER_SEC);
  pg_test_cluster_resume (data);
  return NULL;
}

void
team_test_stall_begin (TeamStall     *stall,
                       PgTestCluster *cluster)
{
  team_test_beat_begin (stall);
  stall->began = g_get_monotonic_time ();
  pg_test_cluster_pause (cluster);
  stall->resume = g_thread_new ("resume", team_test_resume_later, cluster);
}

gint64
team_test_stall_end (TeamStall *stall)
{
  gint64 until = stall->began + (TEAM_TEST_STALL_SECONDS + 1) * G_USEC_PER_SEC;
  gint64 now = g_get_monotonic_time ();

  /* The loop turns until the server is back and a second after, what the stall queued done. */
  if (now < until)
    spin ((until - now) / 1000);
  g_thread_join (g_steal_pointer (&stall->resume));
  return team_test_beat_end (stall);
}
