/* test-timeline-view.c: the timeline editor under a real display, driven as a commander would */
#include "config.h"

#include <adwaita.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "lock-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-private.h"
#include "sitrep-timeline-model-private.h"
#include "sitrep-timeline-text-cell-private.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-unmeasured-layout.h"
#include "ui-test-util.h"
#include "sitrep-store-testing.h"
#include "timeline-view-fixture.h"

#define MINUTE G_GINT64_CONSTANT (60000000)

/* What the view does with many events is checked here; how fast it does it is a benchmark's,
 * never a test's. Under AddressSanitizer every allocation is some ten times slower, so a tenth
 * of the events proves the same behaviour within the suite's time limit. */
#if defined(__SANITIZE_ADDRESS__)
#define N_MANY 10000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define N_MANY 10000
#endif
#endif
#ifndef N_MANY
#define N_MANY 100000
#endif


static void
test_notes (TimelineFixture *f,
            gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) system_actions = NULL;
  g_auto(GStrv) note_actions = NULL;
  g_autofree char *text = NULL;
  SitrepTimelineEvent *note, *declared;
  gint64 note_id, declared_id;
  guint n0;

  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  ui_fixture_settle ();
  /* The declaration, and what fell due with it (the on-call page). */
  n0 = sitrep_timeline_view_get_n_shown (f->view);
  g_assert_cmpuint (n0, >=, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_kind (timeline_fixture_shown_event (f, 0)),
                   ==, "declared");
  declared_id = sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0));

  /* A note from before the declaration, added with Ctrl+Enter: it sorts first. */
  sitrep_clock_advance (f->ui.clock, 5 * MINUTE);
  sitrep_timeline_view_set_note_text (f->view, "Error rate climbing on the API", "03:05");
  g_assert_true (sitrep_timeline_view_activate_shortcut (f->view, "<Control>Return"));
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 1);
  timeline_fixture_assert_row (f, 0, "03:05 UTC | Note | Error rate climbing on the API | alice");
  note = timeline_fixture_shown_event (f, 0);
  note_id = sitrep_timeline_event_get_id (note);
  g_assert_cmpint (sitrep_timeline_event_get_at (note), ==, f->ui.t0 - 15 * MINUTE);

  /* A note without a time is now; a bad time is refused with a toast, nothing added. */
  sitrep_timeline_view_set_note_text (f->view, "Rolled back the API", NULL);
  g_assert_true (sitrep_timeline_view_activate_shortcut (f->view, "<Control>Return"));
  timeline_fixture_assert_row (f, n0 + 1, "03:25 UTC | Note | Rolled back the API | alice");
  sitrep_timeline_view_set_note_text (f->view, "Later", "25:99");
  g_assert_true (sitrep_timeline_view_activate_shortcut (f->view, "<Control>Return"));
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 2);
  g_assert_nonnull (strstr (sitrep_timeline_view_get_last_toast (f->view), "HH:MM"));

  /* Editing keeps the original text and time, and says so. */
  g_assert_true (sitrep_timeline_view_edit_note (f->view, note_id, NULL,
                                                 "Error rate climbing on the API (5xx at 40%)",
                                                 &error));
  g_assert_no_error (error);
  timeline_fixture_assert_row (f, 0, "03:05 UTC | Note | Error rate climbing on the API "
                                     "(5xx at 40%) (edited) | alice");
  note = timeline_fixture_shown_event (f, 0);
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (note), ==,
                   "Error rate climbing on the API");
  g_assert_cmpint (sitrep_timeline_event_get_at (note), ==, f->ui.t0 - 15 * MINUTE);

  /* Starred. */
  g_assert_true (sitrep_timeline_view_star (f->view, note_id, TRUE, &error));
  g_assert_no_error (error);
  timeline_fixture_assert_row (f, 0, "03:05 UTC | Note | Error rate climbing on the API "
                                     "(5xx at 40%) (edited) | alice | ★");

  /* The declaration is the console's: no edit or delete offered, the store refuses an edit,
   * and it can be annotated. */
  system_actions = sitrep_timeline_view_get_row_actions (f->view, 1);
  g_assert_cmpstrv (system_actions, ((const char *[]) { "timeline.annotate", NULL }));
  note_actions = sitrep_timeline_view_get_row_actions (f->view, 0);
  g_assert_cmpstrv (note_actions, ((const char *[]) { "timeline.edit", "timeline.delete",
                                                      "timeline.annotate", NULL }));
  g_assert_false (sitrep_timeline_view_edit_note (f->view, declared_id, NULL, "rewritten", &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_assert_cmpstr (sitrep_timeline_view_get_last_toast (f->view), ==, error->message);
  g_clear_error (&error);
  g_assert_true (sitrep_timeline_view_annotate (f->view, declared_id, "Paged by the 03:18 alert",
                                                &error));
  g_assert_no_error (error);
  declared = timeline_fixture_shown_event (f, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_annotation (declared), ==, "Paged by the 03:18 alert");
  g_free (text);
  text = timeline_fixture_describe_row (f, 1);
  g_assert_nonnull (strstr (text, "\nPaged by the 03:18 alert | alice"));

  /* Filters. */
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_NOTES, FALSE);
  ui_fixture_settle ();
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (sitrep_timeline_event_get_kind (timeline_fixture_shown_event (f, i)),
                     ==, "note");
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_ALL, TRUE);
  ui_fixture_settle ();
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, 1);
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_STATUS, FALSE);
  ui_fixture_settle ();
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, 1);

  /* A note the filter hides can still change (only the list holds it then). */
  g_assert_true (sitrep_timeline_view_annotate (f->view, note_id, "From the API dashboard",
                                                &error));
  g_assert_no_error (error);
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_ALL, FALSE);
  g_assert_cmpstr (sitrep_timeline_event_get_annotation (timeline_fixture_shown_event (f, 0)), ==,
                   "From the API dashboard");

  /* Search, in the database: words of notes, annotations and the events' fields. Text that
   * FTS5 would read as syntax is only words: no error, no toast. */
  sitrep_timeline_view_set_search (f->view, "rate 5xx");
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, 1);
  g_assert_cmpint (sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0)), ==, note_id);
  sitrep_timeline_view_set_search (f->view, "pager");
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, 0);
  sitrep_timeline_view_set_search (f->view, "paged");
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, 1);
  g_assert_cmpint (sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0)), ==,
                   declared_id);
  {
    g_autofree char *toast = g_strdup (sitrep_timeline_view_get_last_toast (f->view));

    for (const char *const *hostile = (const char *[]) { "\"", "NEAR(", "(()", "*", "rate*\"",
                                                         "api OR", NULL };
         *hostile != NULL; hostile++)
      {
        sitrep_timeline_view_set_search (f->view, *hostile);
        g_assert_cmpuint (timeline_fixture_n_shown (f), <=, 1);
        g_assert_cmpstr (sitrep_timeline_view_get_last_toast (f->view), ==, toast);
      }
  }
  sitrep_timeline_view_set_search (f->view, "");
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 2);

  /* Deleting a note; moving the start earlier is recorded. */
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_ALL, FALSE);
  g_assert_true (sitrep_timeline_view_delete_note (f->view, note_id, &error));
  g_assert_no_error (error);
  ui_fixture_settle ();
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 1);
  g_assert_true (sitrep_timeline_view_move_start (f->view, "03:00", &error));
  g_assert_no_error (error);
  ui_fixture_settle ();
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 2);
  g_assert_false (sitrep_timeline_view_move_start (f->view, "3 o'clock", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_many (TimelineFixture *f,
           gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  guint rendered;
  gint64 started;
  double seconds;
  gint64 n_all;
  guint64 n_read;

  /* The rows add_health() and add_note() write, in one statement: row by row, each statement
   * would update the search index on its own (some 80 µs an event). */
  {
    g_autofree char *sql = g_strdup_printf (
      "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
      " INSERT INTO timeline_events (incident_id, at, recorded_at, kind, text, author,"
      "   is_system, fields)"
      " SELECT %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " + i * 1000000, 0,"
      "   CASE i %% 10 WHEN 0 THEN 'note' ELSE 'health' END,"
      "   CASE i %% 10 WHEN 0 THEN 'api: degraded → up' ELSE '' END, '', i %% 10 != 0,"
      "   CASE i %% 10 WHEN 0 THEN NULL ELSE json_object ('service', 'api', 'service_name',"
      "     'API', 'old', 'degraded', 'new', 'up') END"
      " FROM n",
      N_MANY - 1, f->ui.incident, f->ui.t0);

    g_assert_true (sitrep_store_exec (f->ui.store, sql, "test", &error));
  }
  n_all = sitrep_store_count_events (f->ui.store, f->ui.incident, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_all, >, N_MANY);

  rendered = sitrep_timeline_render_get_count ();
  started = g_get_monotonic_time ();
  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  ui_fixture_settle ();
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("loaded and showed %u events in %.3f s",
                  sitrep_timeline_view_get_n_shown (f->view), seconds);
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n_all);
  /* Events become words for the rows on screen as they are bound, not 100,000 at load. */
  rendered = sitrep_timeline_render_get_count () - rendered;
  g_test_message ("put %u events into words to show them", rendered);
  g_assert_cmpuint (rendered, >, 0);
  g_assert_cmpuint (rendered, <, 1000);
  timeline_fixture_assert_row (f, 3, "03:20 UTC | Health | API: Degraded → Up | ");
  /* The rows of a screen, read a page at a time, not every event. */
  n_read = timeline_fixture_rows_read (f);
  g_test_message ("read %" G_GUINT64_FORMAT " events to show them", n_read);
  g_assert_cmpuint (n_read, <, 1000);

  /* A filter changed: the column view asks for the rows it shows, not for every row to look
   * for those it showed before (one change for all would make GTK 4.8 do that). */
  n_read = timeline_fixture_rows_read (f);
  started = g_get_monotonic_time ();
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_NOTES, FALSE);
  ui_fixture_settle ();
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  n_read = timeline_fixture_rows_read (f) - n_read;
  g_test_message ("filtered to notes in %.3f s, reading %" G_GUINT64_FORMAT " events", seconds,
                  n_read);
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, N_MANY / 10);
  g_assert_cmpuint (n_read, <, 1000);

  n_read = timeline_fixture_rows_read (f);
  started = g_get_monotonic_time ();
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_HEALTH, FALSE);
  ui_fixture_settle ();
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  n_read = timeline_fixture_rows_read (f) - n_read;
  g_test_message ("filtered to health in %.3f s, reading %" G_GUINT64_FORMAT " events", seconds,
                  n_read);
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, N_MANY - N_MANY / 10);
  g_assert_cmpuint (n_read, <, 1000);

  /* A new note lands in place without reloading them all. */
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_ALL, FALSE);
  sitrep_timeline_view_set_note_text (f->view, "Still degraded", "03:10");
  g_assert_true (sitrep_timeline_view_activate_shortcut (f->view, "<Control>Return"));
  ui_fixture_settle ();
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n_all + 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (timeline_fixture_shown_event (f, 0)),
                   ==, "Still degraded");

  /* Another window deletes that note and the console records a health change: a reload drops
   * the one and shows the other. */
  {
    gint64 note_id = sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0));
    g_autoptr(SitrepTimelineEvent) note = sitrep_store_load_event (f->ui.store, note_id, &error);

    g_assert_no_error (error);
    g_assert_true (sitrep_store_delete_note (f->ui.store, note, f->ui.t0, &error));
    fixture_add_health (f->ui.store, f->ui.incident, f->ui.t0 + (gint64) N_MANY * G_USEC_PER_SEC,
                        "up", "down");
    sitrep_timeline_view_reload (f->view);
    ui_fixture_settle ();
    g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n_all + 1);
    g_assert_cmpstr (sitrep_timeline_event_get_text (timeline_fixture_shown_event (f, 0)), !=,
                     "Still degraded");
  }

  /* A change that only adds is caught up from the newest event shown, keeping the rows. */
  {
    g_autoptr(SitrepTimelineEvent) before = g_object_ref (timeline_fixture_shown_event (f, 0));

    fixture_add_health (f->ui.store, f->ui.incident,
                        f->ui.t0 + (gint64) (N_MANY + 1) * G_USEC_PER_SEC, "down", "up");
    started = g_get_monotonic_time ();
    sitrep_timeline_view_reload (f->view);
    ui_fixture_settle ();
    seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
    g_test_message ("caught up with one new event in %.3f s", seconds);
    g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n_all + 2);
    g_assert_true (timeline_fixture_shown_event (f, 0) == before);
  }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* What the window hands over as properties: the store and the incidents, whose name goes on a
 * note, and the time zone, which changes the times shown at once and is notified once. */
static void
test_properties (TimelineFixture *f,
                 gconstpointer    data)
{
  guint utc_notified = 0;
  guint author_notified = 0;
  gboolean utc = FALSE;
  g_autofree char *author = NULL;
  guint n0;

  g_signal_connect (f->view, "notify::utc", G_CALLBACK (count_notify_cb), &utc_notified);
  g_signal_connect (f->view, "notify::author", G_CALLBACK (count_notify_cb), &author_notified);
  g_object_set (f->view,
                "store", f->ui.store,
                "incident-manager", f->ui.manager,
                "author", "bob",
                NULL);
  g_assert_cmpuint (author_notified, ==, 1);
  g_object_set (f->view, "author", "bob", NULL);
  g_assert_cmpuint (author_notified, ==, 1);
  g_object_get (f->view, "author", &author, "utc", &utc, NULL);
  g_assert_cmpstr (author, ==, "bob");
  g_assert_true (utc);
  n0 = timeline_fixture_n_shown (f);
  g_assert_cmpuint (n0, >=, 1);

  sitrep_clock_advance (f->ui.clock, 5 * MINUTE);
  sitrep_timeline_view_set_note_text (f->view, "Error rate climbing on the API", "03:05");
  g_assert_true (sitrep_timeline_view_activate_shortcut (f->view, "<Control>Return"));
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 1);
  timeline_fixture_assert_row (f, 0, "03:05 UTC | Note | Error rate climbing on the API | bob");

  /* The local time (UTC here too, TZ=UTC) is shown without the zone. */
  g_object_set (f->view, "utc", FALSE, NULL);
  g_assert_cmpuint (utc_notified, ==, 1);
  g_assert_false (sitrep_timeline_view_get_utc (f->view));
  timeline_fixture_assert_row (f, 0, "03:05 | Note | Error rate climbing on the API | bob");
  g_object_set (f->view, "utc", FALSE, NULL);
  g_assert_cmpuint (utc_notified, ==, 1);
  g_object_set (f->view, "utc", TRUE, NULL);
  g_assert_cmpuint (utc_notified, ==, 2);
  timeline_fixture_assert_row (f, 0, "03:05 UTC | Note | Error rate climbing on the API | bob");
}

/* A view not on screen yet reads nothing of the timeline; shown, it reads the rows it shows. */
static void
test_first_show (TimelineFixture *f,
                 gconstpointer    data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SitrepTimelineView *view = SITREP_TIMELINE_VIEW (sitrep_timeline_view_new ());
  guint rendered = sitrep_timeline_render_get_count ();

  gtk_window_set_default_size (window, 900, 600);
  gtk_window_set_child (window, GTK_WIDGET (view));
  sitrep_timeline_view_set_store (view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (view, f->ui.manager);
  fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0, "Before the view was shown");
  sitrep_timeline_view_reload (view);
  ui_fixture_settle ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (sitrep_timeline_view_get_n_shown (view), ==, 0);
  g_assert_null (view->model);
  g_assert_cmpuint (sitrep_timeline_render_get_count (), ==, rendered);

  gtk_window_present (window);
  ui_fixture_settle ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_nonnull (view->model);
  g_assert_cmpuint (sitrep_timeline_view_get_n_shown (view), >=, 2);
  gtk_window_destroy (window);
}

/* Another process holds the database's write lock for 3 s while the commander adds three
 * notes, edits, stars and deletes: the main loop keeps turning, the entry is ready for the next
 * note at once, nothing is refused, and everything lands afterwards in order. Before, each
 * gesture waited on the lock and was then refused as busy. */
static void
test_locked (TimelineFixture *f,
             gconstpointer    data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "timeline-locked.db", NULL);
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(LockHolder) lock = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  const char *note_kind[] = { "note", NULL };
  const char *expected[] = { "Gateway 502s since 03:15, all depots", "Rolled the gateway back",
                             "Labels print again", "Watching for ten minutes" };
  gint64 first, second, incident, give_up;
  g_autoptr(GString) rows = g_string_new (NULL);
  guint n0;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  manager = sitrep_incident_manager_new (store, northwind, f->ui.clock, &error);
  g_assert_no_error (error);
  incident = sitrep_incident_manager_declare (manager, "P1", "Labels stopped printing", NULL,
                                              "alice", NULL, NULL, &error);
  g_assert_no_error (error);
  first = fixture_add_note (store, incident, f->ui.t0 + 1 * MINUTE, "Gateway 502s since 03:15");
  second = fixture_add_note (store, incident, f->ui.t0 + 2 * MINUTE, "Typo");
  sitrep_timeline_view_set_store (f->view, store);
  sitrep_timeline_view_set_incident_manager (f->view, manager);
  n0 = timeline_fixture_n_shown (f);
  g_assert_cmpuint (n0, >=, 3);

  lock = lock_holder_start (path, 3);
  for (guint i = 1; i < G_N_ELEMENTS (expected); i++)
    {
      sitrep_clock_set (f->ui.clock, f->ui.t0 + (2 + i) * MINUTE);
      sitrep_timeline_view_set_note_text (f->view, expected[i], NULL);
      g_assert_true (sitrep_timeline_view_activate_shortcut (f->view, "<Control>Return"));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->view->note_entry)), ==, "");
    }
  g_assert_true (sitrep_timeline_view_edit_note (f->view, first, NULL, "Gateway 502s since 03:15",
                                                 &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_view_edit_note (f->view, first, NULL,
                                                 "Gateway 502s since 03:15, all depots", &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_view_star (f->view, first, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_view_delete_note (f->view, second, &error));
  g_assert_no_error (error);

  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < give_up
         && (!lock_holder_is_released (lock)
             || g_strcmp0 (sitrep_timeline_view_get_last_toast (f->view), "Note deleted") != 0))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lock_holder_is_released (lock));
  g_assert_cmpuint (lock_holder_ticks_while_locked (lock), >=, 5);
  g_assert_cmpstr (sitrep_timeline_view_get_last_toast (f->view), ==, "Note deleted");

  /* On screen: the edited and starred note, the three new ones; the deleted one gone. */
  g_assert_cmpuint (timeline_fixture_n_shown (f), ==, n0 + 2);
  for (guint i = 0; i < n0 + 2; i++)
    {
      g_autofree char *text = timeline_fixture_describe_row (f, i);

      g_string_append_printf (rows, "%s\n", text);
    }
  g_assert_nonnull (strstr (rows->str, "03:21 UTC | Note | Gateway 502s since 03:15, all depots"
                                       " (edited) |  | ★\n"));
  g_assert_nonnull (strstr (rows->str, "03:23 UTC | Note | Rolled the gateway back | alice\n"
                                       "03:24 UTC | Note | Labels print again | alice\n"
                                       "03:25 UTC | Note | Watching for ten minutes | alice\n"));
  g_assert_null (strstr (rows->str, "Typo"));

  /* In the database, as another process reads it. */
  reader = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  notes = sitrep_store_list_events (reader, incident, 0, note_kind, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < notes->len; i++)
    {
      g_assert_cmpstr (sitrep_timeline_event_get_text (notes->pdata[i]), ==, expected[i]);
      g_assert_cmpint (sitrep_timeline_event_get_at (notes->pdata[i]), ==,
                       f->ui.t0 + (i == 0 ? 1 : 2 + i) * MINUTE);
    }
  g_assert_true (sitrep_timeline_event_get_starred (notes->pdata[0]));
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (notes->pdata[0]), ==,
                   "Gateway 502s since 03:15");

  sitrep_timeline_view_set_incident_manager (f->view, NULL);
  sitrep_timeline_view_set_store (f->view, NULL);
}


/* The Event column's cell showing @text, once it is laid out; NULL when no row shows it. */
static SitrepTimelineTextCell *
find_text_cell (GtkWidget  *widget,
                const char *text)
{
  if (SITREP_IS_TIMELINE_TEXT_CELL (widget)
      && g_strcmp0 (sitrep_timeline_text_cell_get_text (SITREP_TIMELINE_TEXT_CELL (widget)),
                    text) == 0
      && gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0)
    return SITREP_TIMELINE_TEXT_CELL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SitrepTimelineTextCell *found = find_text_cell (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static SitrepTimelineTextCell *
wait_for_cell (TimelineFixture *f,
               const char      *text)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  SitrepTimelineTextCell *cell;

  while ((cell = find_text_cell (GTK_WIDGET (f->view), text)) == NULL
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (cell == NULL)
    g_error ("no row shows “%s” within 20 s", text);
  return cell;
}

/* Turns the main loop until the cell showing @text is at least @lines lines of @line_height
 * tall: a row bound again keeps its old height until the next layout. */
static void
wait_for_lines (TimelineFixture *f,
                const char      *text,
                guint            lines,
                int              line_height)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int height = 0;

  while (g_get_monotonic_time () < deadline)
    {
      height = gtk_widget_get_height (GTK_WIDGET (wait_for_cell (f, text)));
      if (height >= (int) lines * line_height - 2 * (int) lines)
        return;
      g_main_context_iteration (NULL, TRUE);
    }
  g_error ("the row of “%s” is %d pixels tall, not %u lines of %d", text, height, lines,
           line_height);
}

static guint
count_char (const char *text,
            char        c)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == c;
  return n;
}

/* An event's text gets a line for each of its lines, up to three, and "…" after the third when
 * it has more; a line that does not fit the column ends in "…"; the whole text is the tooltip
 * wherever something is cut, and none where nothing is. */
static void
test_event_text (TimelineFixture *f,
                 gconstpointer    data)
{
  g_autoptr(GString) long_note = g_string_new ("Checkout pods restarted");
  const char *two = "Paged the database on-call\nthey are looking at replication lag";
  const char *five = "Timeline so far:\n1. errors\n2. rollback\n3. still failing\n4. paged";
  /* Pasted from elsewhere: line breaks as Windows writes them, and Unicode's own. */
  const char *crlf = "Copied from the bridge:\r\nerrors\r\nrollback\r\npaged";
  const char *separated = "Status\u2028errors\u2028rollback\u2029paged";
  const char *short_note = "Rolled back";
  g_autoptr(GError) error = NULL;
  SitrepTimelineTextCell *cell;
  g_autofree char *tooltip = NULL;
  gint64 five_id;
  int line_height;

  while (long_note->len < 600)
    g_string_append (long_note, ", and again after the next deploy of the payments service");
  fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 - 6 * MINUTE, crlf);
  fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 - 5 * MINUTE, separated);
  fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 - 4 * MINUTE, long_note->str);
  fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 - 3 * MINUTE, two);
  five_id = fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 - 2 * MINUTE,
                              "Timeline so far: errors");
  fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 - 1 * MINUTE, short_note);
  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  ui_fixture_settle ();
  /* Edited: its "(edited)" mark beside the text leaves the text its lines. */
  g_assert_true (sitrep_timeline_view_edit_note (f->view, five_id, NULL, five, &error));
  g_assert_no_error (error);

  cell = wait_for_cell (f, short_note);
  line_height = gtk_widget_get_height (GTK_WIDGET (cell));
  g_assert_cmpint (line_height, >, 0);
  g_assert_cmpstr (sitrep_timeline_text_cell_get_shown (cell), ==, short_note);
  g_assert_null (sitrep_timeline_text_cell_get_tooltip (cell));

  /* One long line: cut to the column, whole in the tooltip. */
  cell = wait_for_cell (f, long_note->str);
  g_assert_cmpstr (sitrep_timeline_text_cell_get_shown (cell), ==, long_note->str);
  tooltip = sitrep_timeline_text_cell_get_tooltip (cell);
  g_assert_cmpstr (tooltip, ==, long_note->str);
  g_clear_pointer (&tooltip, g_free);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (cell)), <, 2 * line_height);

  /* Two lines that fit: both shown, two lines tall, no tooltip. */
  cell = wait_for_cell (f, two);
  g_assert_cmpstr (sitrep_timeline_text_cell_get_shown (cell), ==, two);
  g_assert_null (sitrep_timeline_text_cell_get_tooltip (cell));
  wait_for_lines (f, two, 2, line_height);

  /* Five lines, edited: the first three, "…" after the third, three lines tall. */
  g_assert_cmpstr (sitrep_timeline_text_cell_get_shown (wait_for_cell (f, five)), ==,
                   "Timeline so far:\n1. errors\n2. rollback…");
  wait_for_lines (f, five, 3, line_height);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (wait_for_cell (f, five))), <,
                   4 * line_height);
  tooltip = sitrep_timeline_text_cell_get_tooltip (wait_for_cell (f, five));
  g_assert_cmpstr (tooltip, ==, five);
  g_clear_pointer (&tooltip, g_free);

  /* Other line breaks count as lines too, and the "…" ends the third line, not a fourth. */
  cell = wait_for_cell (f, crlf);
  g_assert_cmpstr (sitrep_timeline_text_cell_get_shown (cell), ==,
                   "Copied from the bridge:\r\nerrors\r\nrollback…");
  cell = wait_for_cell (f, separated);
  g_assert_cmpstr (sitrep_timeline_text_cell_get_shown (cell), ==,
                   "Status\u2028errors\u2028rollback…");
  g_assert_cmpuint (count_char (sitrep_timeline_text_cell_get_shown (cell), '\n'), ==, 0);
  tooltip = sitrep_timeline_text_cell_get_tooltip (cell);
  g_assert_cmpstr (tooltip, ==, separated);
}

/* A widget that counts how often it is measured: a list's rows, for the unmeasured layout. */
#define TEST_TYPE_COUNTING_WIDGET (test_counting_widget_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingWidget, test_counting_widget, TEST, COUNTING_WIDGET, GtkWidget)

struct _TestCountingWidget
{
  GtkWidget parent_instance;
  guint measured;
};

G_DEFINE_FINAL_TYPE (TestCountingWidget, test_counting_widget, GTK_TYPE_WIDGET)

static void
test_counting_widget_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  TEST_COUNTING_WIDGET (widget)->measured++;
  *minimum = 300;
  *natural = 600;
}

static void
test_counting_widget_class_init (TestCountingWidgetClass *klass)
{
  GTK_WIDGET_CLASS (klass)->measure = test_counting_widget_measure;
}

static void
test_counting_widget_init (TestCountingWidget *self)
{
}

/* The bin around the Timeline's scrolled rows asks for no room and never measures the rows for
 * it (a scrolled window with automatic scrollbars would measure them all only to ask for none
 * of it); allocated, it gives its child all of its room. The Timeline's rows are in one. */
static void
test_unmeasured_layout (TimelineFixture *f,
                        gconstpointer    data)
{
  GtkWidget *rows = g_object_new (TEST_TYPE_COUNTING_WIDGET, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *bin = adw_bin_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *parent;
  int minimum, natural;

  gtk_widget_set_layout_manager (bin, sitrep_unmeasured_layout_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), rows);
  adw_bin_set_child (ADW_BIN (bin), scrolled);

  /* The scrolled window alone measures its child to ask for nothing of it. */
  gtk_widget_measure (scrolled, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpuint (TEST_COUNTING_WIDGET (rows)->measured, >, 0);
  g_assert_cmpint (natural, <, 300);
  TEST_COUNTING_WIDGET (rows)->measured = 0;
  gtk_widget_queue_resize (rows);

  for (int orientation = 0; orientation < 2; orientation++)
    {
      gtk_widget_measure (bin, orientation, -1, &minimum, &natural, NULL, NULL);
      g_assert_cmpint (minimum, ==, 0);
      g_assert_cmpint (natural, ==, 0);
    }
  g_assert_cmpuint (TEST_COUNTING_WIDGET (rows)->measured, ==, 0);

  /* On screen, the rows get the bin's room (measured then, to be laid out). */
  gtk_window_set_child (GTK_WINDOW (window), bin);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 320);
  gtk_window_present (GTK_WINDOW (window));
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (gtk_widget_get_width (scrolled) == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (gtk_widget_get_width (scrolled), ==, gtk_widget_get_width (bin));
  g_assert_cmpint (gtk_widget_get_height (scrolled), ==, gtk_widget_get_height (bin));
  g_assert_cmpint (gtk_widget_get_width (bin), >=, 420);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The Timeline's scrolled rows are in such a bin. */
  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  ui_fixture_settle ();
  parent = gtk_widget_get_ancestor (GTK_WIDGET (f->view->column_view), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (parent);
  parent = gtk_widget_get_parent (parent);
  g_assert_true (SITREP_IS_UNMEASURED_LAYOUT (gtk_widget_get_layout_manager (parent)));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  scratch = ui_test_init (&argc, &argv, "sitrep-timeline-view-test");
  if (scratch == NULL)
    return 1;

  g_test_add ("/timeline-view/notes", TimelineFixture, NULL, timeline_fixture_set_up,
              test_notes, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/many", TimelineFixture, NULL, timeline_fixture_set_up,
              test_many, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/locked", TimelineFixture, NULL, timeline_fixture_set_up,
              test_locked, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/first-show", TimelineFixture, NULL, timeline_fixture_set_up,
              test_first_show, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/properties", TimelineFixture, NULL, timeline_fixture_set_up,
              test_properties, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/event-text", TimelineFixture, NULL, timeline_fixture_set_up,
              test_event_text, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/unmeasured-layout", TimelineFixture, NULL, timeline_fixture_set_up,
              test_unmeasured_layout, timeline_fixture_tear_down);

  return g_test_run ();
}
