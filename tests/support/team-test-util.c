/* team-test-util.c: waiting for a team database's writes, and the heartbeat of a stall */
#include "config.h"

#include "sitrep-incident-manager.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "loop-test-util.h"
#include "team-test-util.h"

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

  if (stall->last > 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

void
team_test_beat_begin (TeamStall *stall)
{
  stall->last = g_get_monotonic_time ();
  stall->longest = 0;
  stall->beat_id = g_timeout_add (50, beat_cb, stall);
}

gint64
team_test_beat_end (TeamStall *stall)
{
  g_clear_handle_id (&stall->beat_id, g_source_remove);
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
