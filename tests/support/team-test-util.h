/* team-test-util.h: what the team database's tests share
 *
 * Waiting for the writer's callbacks (a count of changes queued, each callback asserting its
 * change was made or kept), and the main loop's heartbeat while the test's own PostgreSQL
 * stalls: a console on a team database must keep turning while the server does not answer.
 */
#pragma once

#include <gio/gio.h>

#include "pg-test-util.h"

G_BEGIN_DECLS

/* How long a stall lasts, and the longest the main loop may go without turning meanwhile: a
 * wide margin, not a measure of speed. */
#define TEAM_TEST_STALL_SECONDS 3
#define TEAM_TEST_LONGEST_GAP_US (2 * G_USEC_PER_SEC)

typedef struct
{
  guint pending;    /* callbacks still to come */
  gint64 declared;  /* the id the last declaration returned */
  guint journaled;  /* changes kept in the journal rather than written */
} TeamWaiting;

/* GAsyncReadyCallbacks, each with a TeamWaiting as user data. */
void team_test_declared_cb (GObject *source, GAsyncResult *result, gpointer waiting);
void team_test_changed_cb  (GObject *source, GAsyncResult *result, gpointer waiting);
void team_test_note_cb     (GObject *source, GAsyncResult *result, gpointer waiting);
void team_test_event_cb    (GObject *source, GAsyncResult *result, gpointer waiting);
void team_test_audit_cb    (GObject *source, GAsyncResult *result, gpointer waiting);
void team_test_health_cb   (GObject *source, GAsyncResult *result, gpointer waiting);

void team_test_wait_for_all (TeamWaiting *waiting);

/* The changes the journal at @path keeps, oldest first, "kind:text" a line each (text: the
 * body's "text", empty for a change without one). */
char *team_test_journal_text (const char *path);

/* A stall of @cluster: the heartbeat starts, the server is stopped (SIGSTOP), and a thread
 * lets it go on after TEAM_TEST_STALL_SECONDS. */
typedef struct
{
  gint64 last;
  gint64 longest;   /* the longest gap between two beats, in microseconds */
  guint beat_id;
  gint64 began;
  GThread *resume;
  /* A thread that prints every thread's stack (gdb) when the main loop has not turned for
   * TEAM_TEST_LONGEST_GAP_US: where it waits, in the test's log. */
  GThread *watchdog;
  GMutex lock;      /* last and ending, between the main loop and the watchdog */
  gboolean ending;
} TeamStall;

void   team_test_stall_begin (TeamStall     *stall,
                              PgTestCluster *cluster);
/* Turns the main loop until the server is back and a second after, stops the heartbeat and asserts the longest gap was under
 * TEAM_TEST_LONGEST_GAP_US; returns it. */
gint64 team_test_stall_end   (TeamStall     *stall);

/* Only the heartbeat, for a test that stalls the server its own way: a GThreadFunc that lets
 * a stopped cluster go on after TEAM_TEST_STALL_SECONDS. */
gpointer team_test_resume_later (gpointer cluster);
void   team_test_beat_begin  (TeamStall     *stall);
gint64 team_test_beat_end    (TeamStall     *stall);

G_END_DECLS
