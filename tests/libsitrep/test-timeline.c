/* test-timeline.c: the timeline's rules: system events are history, notes keep their first word */
#include "config.h"

#include <libintl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fixture-incident.h"
#include "fixture-language.h"
#include "fixture-runbook.h"
#include "sitrep-condition-eval.h"
#include "sitrep-incident-manager.h"
#include "sitrep-incident.h"
#include "sitrep-postmortem.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

typedef struct
{
  SitrepStore *store;
  SitrepRunbook *runbook;
  gint64 incident;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  f->incident = fixture_declare_incident (f->store, f->runbook, "SEV-2", "Checkout fails",
                                          "Payments time out", "alice", NULL, NULL, T0, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->runbook);
}

static GPtrArray *
list (Fixture                *f,
      SitrepTimelineListFlags flags,
      const char *const      *kinds)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = sitrep_store_list_events (f->store, f->incident, flags, kinds, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static SitrepTimelineEvent *
reload (Fixture             *f,
        SitrepTimelineEvent *event)
{
  g_autoptr(GError) error = NULL;
  SitrepTimelineEvent *fresh = sitrep_store_load_event (f->store,
                                                        sitrep_timeline_event_get_id (event),
                                                        &error);

  g_assert_no_error (error);
  return fresh;
}

static void
test_system_immutable (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(GPtrArray) events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_autoptr(SitrepTimelineEvent) fresh = NULL;
  g_autoptr(GError) error = NULL;
  SitrepTimelineEvent *declared;

  g_assert_cmpuint (events->len, ==, 1);
  declared = events->pdata[0];
  g_assert_cmpstr (sitrep_timeline_event_get_kind (declared), ==, "declared");
  g_assert_true (sitrep_timeline_event_get_is_system (declared));
  g_assert_cmpint (sitrep_timeline_event_get_at (declared), ==, T0);

  g_assert_false (sitrep_store_edit_note (f->store, declared, "Declared nothing", T0 + MIN_US,
                                          &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "System events cannot be edited; add an annotation instead.");
  g_clear_error (&error);
  g_assert_false (sitrep_store_delete_note (f->store, declared, T0 + MIN_US, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (sitrep_store_annotate_event (f->store, declared, "  Declared late: paged at 03:12 ",
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_timeline_event_get_annotation (declared), ==,
                   "Declared late: paged at 03:12");

  fresh = reload (f, declared);
  g_assert_cmpstr (sitrep_timeline_event_get_text (fresh), ==, "");
  {
    g_autofree char *text = sitrep_timeline_event_render (fresh, SITREP_TIMELINE_RENDER_DEFAULT);

    g_assert_cmpstr (text, ==, "Declared SEV-2: Checkout fails");
  }
  g_assert_cmpstr (sitrep_timeline_event_get_annotation (fresh), ==,
                   "Declared late: paged at 03:12");
  g_assert_false (sitrep_timeline_event_get_edited (fresh));
  g_assert_false (sitrep_timeline_event_get_deleted (fresh));

  /* An empty annotation removes it. */
  g_assert_true (sitrep_store_annotate_event (f->store, declared, "", &error));
  g_clear_object (&fresh);
  fresh = reload (f, declared);
  g_assert_null (sitrep_timeline_event_get_annotation (fresh));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_note_edit (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(SitrepTimelineEvent) fresh = NULL;
  guint text_notified = 0;

  note = sitrep_store_add_note (f->store, f->incident, T0 + 5 * MIN_US, "  Payments provider slow\n",
                                "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_timeline_event_get_text (note), ==, "Payments provider slow");
  g_assert_cmpstr (sitrep_timeline_event_get_kind (note), ==, SITREP_TIMELINE_KIND_NOTE);
  g_assert_cmpstr (sitrep_timeline_event_get_author (note), ==, "bob");
  g_assert_false (sitrep_timeline_event_get_is_system (note));
  g_assert_false (sitrep_timeline_event_get_edited (note));
  g_assert_null (sitrep_timeline_event_get_original_text (note));

  g_signal_connect (note, "notify::text", G_CALLBACK (count_notify_cb), &text_notified);
  g_assert_true (sitrep_store_edit_note (f->store, note, "Payments provider down", T0 + 9 * MIN_US,
                                         &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_store_edit_note (f->store, note, "Payments provider down (EU only)",
                                         T0 + 12 * MIN_US, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (text_notified, ==, 2);

  /* The first text stays, however often the note changes; so does its time. */
  fresh = reload (f, note);
  g_assert_cmpstr (sitrep_timeline_event_get_text (fresh), ==, "Payments provider down (EU only)");
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (fresh), ==, "Payments provider slow");
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (note), ==, "Payments provider slow");
  g_assert_cmpint (sitrep_timeline_event_get_at (fresh), ==, T0 + 5 * MIN_US);
  g_assert_true (sitrep_timeline_event_get_edited (fresh));
  g_assert_cmpint (sitrep_timeline_event_get_edited_at (fresh), ==, T0 + 12 * MIN_US);

  /* The same text again is no edit. */
  g_assert_true (sitrep_store_edit_note (f->store, note, "Payments provider down (EU only)",
                                         T0 + 20 * MIN_US, &error));
  g_clear_object (&fresh);
  fresh = reload (f, note);
  g_assert_cmpint (sitrep_timeline_event_get_edited_at (fresh), ==, T0 + 12 * MIN_US);

  /* An empty note says nothing. */
  g_assert_false (sitrep_store_edit_note (f->store, note, " \n ", T0 + 20 * MIN_US, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sitrep_store_add_note (f->store, f->incident, T0, "", "bob", &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sitrep_store_add_note (f->store, 4242, T0, "Lost note", "bob", &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
}

static void
test_note_delete (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) keep = NULL;
  g_autoptr(SitrepTimelineEvent) gone = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GPtrArray) all = NULL;

  keep = sitrep_store_add_note (f->store, f->incident, T0 + MIN_US, "Rolled back 4.12", "bob",
                                &error);
  gone = sitrep_store_add_note (f->store, f->incident, T0 + 2 * MIN_US, "Wrong incident", "bob",
                                &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_delete_note (f->store, gone, T0 + 3 * MIN_US, &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_event_get_deleted (gone));
  /* Deleting twice is still deleted. */
  g_assert_true (sitrep_store_delete_note (f->store, gone, T0 + 4 * MIN_US, &error));

  shown = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_assert_cmpuint (shown->len, ==, 2);
  g_assert_cmpint (sitrep_timeline_event_get_id (shown->pdata[1]), ==,
                   sitrep_timeline_event_get_id (keep));

  all = list (f, SITREP_TIMELINE_LIST_INCLUDE_DELETED, NULL);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_true (sitrep_timeline_event_get_deleted (all->pdata[2]));
  g_assert_cmpint (sitrep_timeline_event_get_deleted_at (all->pdata[2]), ==, T0 + 3 * MIN_US);
  g_assert_cmpstr (sitrep_timeline_event_get_text (all->pdata[2]), ==, "Wrong incident");

  g_assert_false (sitrep_store_edit_note (f->store, gone, "Right incident", T0 + 5 * MIN_US,
                                          &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
}

static void
test_note_in_past (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) early = NULL;
  g_autoptr(SitrepTimelineEvent) same = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* Impact began before anyone declared; two events at the same time keep their order. */
  same = sitrep_store_add_note (f->store, f->incident, T0, "Paged by the payments team", "alice",
                                &error);
  early = sitrep_store_add_note (f->store, f->incident, T0 - 42 * MIN_US,
                                 "First 502s in the checkout logs", "alice", &error);
  g_assert_no_error (error);

  events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpint (sitrep_timeline_event_get_id (events->pdata[0]), ==,
                   sitrep_timeline_event_get_id (early));
  g_assert_cmpint (sitrep_timeline_event_get_at (events->pdata[0]), ==, T0 - 42 * MIN_US);
  g_assert_cmpstr (sitrep_timeline_event_get_kind (events->pdata[1]), ==, "declared");
  g_assert_cmpint (sitrep_timeline_event_get_id (events->pdata[2]), ==,
                   sitrep_timeline_event_get_id (same));
}

static void
test_move_start (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (f->store, f->incident, &error);
  g_autoptr(SitrepIncident) fresh = NULL;
  g_autoptr(SitrepTimelineEvent) moved = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_started_at (incident), ==, T0);

  moved = sitrep_store_move_start (f->store, incident, T0 - 25 * MIN_US, T0 + 30 * MIN_US, "alice",
                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_assert_true (sitrep_timeline_event_get_is_system (moved));
  g_assert_cmpstr (sitrep_timeline_event_get_kind (moved), ==, SITREP_TIMELINE_KIND_START_MOVED);
  /* T0 is 03:20 UTC; the tests run in UTC. */
  {
    g_autofree char *text = sitrep_timeline_event_render (moved, SITREP_TIMELINE_RENDER_DEFAULT);

    g_assert_cmpstr (text, ==, "Impact start moved to 02:55 UTC (was 03:20 UTC)");
  }
  g_assert_cmpint (sitrep_timeline_event_get_at (moved), ==, T0 + 30 * MIN_US);
  g_assert_cmpint (sitrep_incident_get_started_at (incident), ==, T0 - 25 * MIN_US);

  fresh = sitrep_store_load_incident (f->store, f->incident, &error);
  g_assert_cmpint (sitrep_incident_get_started_at (fresh), ==, T0 - 25 * MIN_US);
  g_assert_cmpint (sitrep_incident_get_declared_at (fresh), ==, T0);

  /* Later than the start as stored is refused, even from a stale copy of the incident. */
  g_clear_object (&moved);
  moved = sitrep_store_move_start (f->store, incident, T0 - 10 * MIN_US, T0 + 31 * MIN_US, "alice",
                                   &error);
  g_assert_null (moved);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "earlier than 02:55 UTC"));
  g_clear_error (&error);
  g_assert_null (sitrep_store_move_start (f->store, incident, T0 - 25 * MIN_US, T0 + 31 * MIN_US,
                                          "alice", &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sitrep_incident_get_started_at (incident), ==, T0 - 25 * MIN_US);

  /* The move is a system event: history, not editable. */
  events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_false (sitrep_store_edit_note (f->store, events->pdata[1], "moved", T0, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
}

static void
test_star (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(SitrepTimelineEvent) fresh = NULL;
  g_autoptr(GPtrArray) starred = NULL;
  guint notified = 0;

  note = sitrep_store_add_note (f->store, f->incident, T0 + MIN_US, "Root cause: expired cert",
                                "bob", &error);
  g_assert_no_error (error);
  g_signal_connect (note, "notify::starred", G_CALLBACK (count_notify_cb), &notified);
  g_assert_true (sitrep_store_star_event (f->store, note, TRUE, &error));
  g_assert_true (sitrep_store_star_event (f->store, note, TRUE, &error));
  g_assert_true (sitrep_store_star_event (f->store, events->pdata[0], TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (sitrep_timeline_event_get_starred (note));

  starred = list (f, SITREP_TIMELINE_LIST_STARRED_ONLY, NULL);
  g_assert_cmpuint (starred->len, ==, 2);

  g_assert_true (sitrep_store_star_event (f->store, events->pdata[0], FALSE, &error));
  g_clear_pointer (&starred, g_ptr_array_unref);
  starred = list (f, SITREP_TIMELINE_LIST_STARRED_ONLY, NULL);
  g_assert_cmpuint (starred->len, ==, 1);
  fresh = reload (f, note);
  g_assert_true (sitrep_timeline_event_get_starred (fresh));
  g_assert_false (sitrep_timeline_event_get_starred (events->pdata[0]));
}

static void
test_filter_kind (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (f->store, f->incident, &error);
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) none = NULL;

  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_IDENTIFIED,
                                          T0 + 3 * MIN_US, "alice", &error));
  g_assert_true (sitrep_store_set_item (f->store, f->incident, "determine-severity",
                                        "Determine severity level", TRUE, T0 + 4 * MIN_US, "alice",
                                        &error));
  note = sitrep_store_add_note (f->store, f->incident, T0 + 5 * MIN_US, "Cert expired", "bob",
                                &error);
  g_assert_no_error (error);

  notes = list (f, SITREP_TIMELINE_LIST_DEFAULT, (const char *[]) { "note", NULL });
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (notes->pdata[0]), ==, "Cert expired");

  changes = list (f, SITREP_TIMELINE_LIST_DEFAULT, (const char *[]) { "status", "checklist", NULL });
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpstr (sitrep_timeline_event_get_kind (changes->pdata[0]), ==, "status");
  g_assert_cmpstr (sitrep_timeline_event_get_kind (changes->pdata[1]), ==, "checklist");

  none = list (f, SITREP_TIMELINE_LIST_DEFAULT, (const char *[]) { NULL });
  g_assert_cmpuint (none->len, ==, 0);
}

/* Under AddressSanitizer every allocation is some ten times slower: a tenth of the events
 * proves the same within the suite's time limit. */
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

/* A view catches up with what was recorded after the newest event it shows. */
static void
test_catch_up (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) first = NULL;
  g_autoptr(SitrepTimelineEvent) earlier = NULL;
  g_autoptr(SitrepTimelineEvent) gone = NULL;
  g_autoptr(GPtrArray) shown = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) nothing = NULL;
  gint64 other, newest = sitrep_timeline_event_get_id (shown->pdata[shown->len - 1]);

  g_assert_cmpint (sitrep_store_count_listed_events (f->store, f->incident, &error), ==,
                   shown->len);
  g_assert_no_error (error);

  other = fixture_declare_incident (f->store, f->runbook, "SEV-3", "Slow search", "Search is slow",
                                    "carol", NULL, NULL, T0 + MIN_US, &error);
  g_assert_no_error (error);
  first = sitrep_store_add_note (f->store, f->incident, T0 + 10 * MIN_US, "Rolled back", "bob",
                                 &error);
  /* A note about the past sorts before events already shown, yet is still caught up. */
  earlier = sitrep_store_add_note (f->store, f->incident, T0 - MIN_US, "Alerts began", "bob",
                                   &error);
  gone = sitrep_store_add_note (f->store, f->incident, T0 + 11 * MIN_US, "Wrong incident", "bob",
                                &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_delete_note (f->store, gone, T0 + 12 * MIN_US, &error));

  after = sitrep_store_list_events_after (f->store, f->incident, newest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpstr (sitrep_timeline_event_get_text (after->pdata[0]), ==, "Alerts began");
  g_assert_cmpstr (sitrep_timeline_event_get_text (after->pdata[1]), ==, "Rolled back");
  /* The other incident's events and the deleted note are not this timeline's. */
  g_assert_cmpint (sitrep_store_count_listed_events (f->store, f->incident, &error), ==,
                   shown->len + 2);
  g_assert_cmpint (sitrep_store_count_listed_events (f->store, other, &error), >, 0);

  nothing = sitrep_store_list_events_after (f->store, f->incident,
                                            sitrep_timeline_event_get_id (gone), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nothing->len, ==, 0);
}

static void
test_many (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  g_assert_true (sitrep_store_exec (f->store, "BEGIN", "test", &error));
  for (guint i = 1; i < N_MANY; i++)
    if (i % 10)
      fixture_add_health (f->store, f->incident, T0 + i * G_USEC_PER_SEC, "degraded", "up");
    else
      fixture_add_note (f->store, f->incident, T0 + i * G_USEC_PER_SEC, "api: degraded → up");
  g_assert_true (sitrep_store_exec (f->store, "COMMIT", "test", &error));

  /* How fast is bench-timeline's and bench-postmortem's to say; a test never asserts a time. */
  events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_assert_cmpuint (events->len, ==, N_MANY);
  for (guint i = 1; i < events->len; i++)
    g_assert_cmpint (sitrep_timeline_event_get_at (events->pdata[i - 1]), <,
                     sitrep_timeline_event_get_at (events->pdata[i]));

  notes = list (f, SITREP_TIMELINE_LIST_DEFAULT, (const char *[]) { "note", NULL });
  g_assert_cmpuint (notes->len, ==, N_MANY / 10 - 1);
}

/* Every event of @events in words. */
static GStrv
render_all (GPtrArray                 *events,
            SitrepTimelineRenderFlags  flags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *text = sitrep_timeline_event_render (events->pdata[i], flags);

      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

/* The rows of a database file as a string per row, read through a connection of its own. */
static GStrv
raw_rows (const char *path,
          const char *sql)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GString) row = g_string_new (NULL);

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (row, "%s%s", c ? " | " : "",
                                sqlite3_column_type (stmt, c) == SQLITE_NULL
                                  ? "NULL" : (const char *) sqlite3_column_text (stmt, c));
      g_strv_builder_add (builder, row->str);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_strv_builder_end (builder);
}

#define LEGACY_ROWS                                                                       \
  "SELECT id, incident_id, at, kind, text, author, is_system, starred, annotation,"        \
  " original_text, edited_at, deleted_at, data FROM timeline_events ORDER BY id"

/* A database the previous version wrote (tests/support/data/schema-v4.sql, from the code
 * before events were data) upgrades: every row keeps its kind, its words and its stars, shows
 * its sentence as it was recorded, in the view and the export, and new events are data. */
static void
test_upgrade_from_4 (void)
{
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", "schema-v4.sql", NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "version-4.db", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) status = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_auto(GStrv) texts = NULL;
  g_auto(GStrv) rendered = NULL;
  g_auto(GStrv) with_fields = NULL;
  g_autofree char *document = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);
  before = raw_rows (path, LEGACY_ROWS);
  g_assert_cmpuint (g_strv_length (before), ==, 23);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);

  /* Nothing lost or reworded: every column of every row as the old version left it. */
  after = raw_rows (path, LEGACY_ROWS);
  g_assert_cmpstrv (after, before);
  with_fields = raw_rows (path, "SELECT id FROM timeline_events WHERE fields IS NOT NULL");
  g_assert_cmpstrv (with_fields, ((const char *[]) { NULL }));

  /* Each shows the sentence it was recorded as, the deleted note hidden. */
  events = sitrep_store_list_events (store, 1, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  rendered = render_all (events, SITREP_TIMELINE_RENDER_UTC);
  g_assert_cmpstrv (rendered, ((const char *[]) {
    "Declared P1: Labels fail to print",
    "Escalation due: Primary on duty (@nw-primary)",
    "Escalated to Primary on duty (@nw-primary)",
    "Done: Open the incident room",
    "Done: Tell the depots",
    "Not done: Tell the depots",
    "Label Gateway: Up → Down (status 503, expected 200)",
    "Severity P1 → P2",
    "Status: Investigating → Identified",
    "Message sent: Depot notice — Labels are down at every depot.",
    "Message posted to chat: Progress — Gateway restarted; watching.",
    "Started: Restart on Label Gateway (kubectl --context nw-test --namespace freight rollout "
    "restart deployment/nw-gateway)",
    "Restart on Label Gateway: kubectl succeeded and the rollout finished, after 21.4 s",
    "Undo the last release on Label Gateway never finished: Sitrep stopped while it ran "
    "(started 03:31); check what it did",
    "Gateway pods OOM-killed since 03:10",
    "Status update sent",
    "Escalation due: Duty manager (@nw-duty)",
    "Status update overdue",
    "Impact start moved to 03:06 UTC (was 03:20 UTC)",
    "Status: Identified → Resolved",
    NULL }));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_null (sitrep_timeline_event_get_fields (events->pdata[i]));
      g_assert_cmpstr (sitrep_timeline_event_get_text (events->pdata[i]), ==, rendered[i]);
    }
  g_assert_true (sitrep_timeline_event_get_starred (events->pdata[0]));
  g_assert_cmpstr (sitrep_timeline_event_get_annotation (events->pdata[0]), ==,
                   "paged by the depots");
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (events->pdata[14]), ==,
                   "Gateway pods OOM-killed");
  g_assert_true (sitrep_timeline_event_get_is_system (events->pdata[13]));
  g_assert_false (sitrep_timeline_event_get_is_system (events->pdata[14]));

  /* Their kinds still filter. */
  status = sitrep_store_list_events (store, 1, SITREP_TIMELINE_LIST_DEFAULT,
                                     (const char *[]) { "status", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status->len, ==, 2);

  /* The post-mortem, in the runbook the incident kept, shows them as recorded. */
  incident = sitrep_store_load_incident (store, 1, &error);
  g_assert_no_error (error);
  runbook = sitrep_store_load_incident_runbook (store, incident, &error);
  g_assert_no_error (error);
  document = sitrep_postmortem_export (store, runbook, 1, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (document, "\n- 03:20 - Declared P1: Labels fail to print (paged by "
                                      "the depots)\n"));
  g_assert_nonnull (strstr (document, "\n- 03:28 - Restart on Label Gateway: kubectl succeeded "
                                      "and the rollout finished, after 21.4 s\n"));
  g_assert_null (strstr (document, "please ignore"));

  /* From now on, events are data. */
  g_clear_object (&incident);
  incident = sitrep_store_load_incident (store, 2, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_set_status (store, incident, SITREP_STATUS_IDENTIFIED, 8100, "erik",
                                          &error));
  g_assert_no_error (error);
  later = sitrep_store_list_events (store, 2, SITREP_TIMELINE_LIST_DEFAULT,
                                    (const char *[]) { "status", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (later->pdata[0]), ==, "");
  g_assert_cmpstr (sitrep_timeline_event_get_fields (later->pdata[0]), ==,
                   "{\"old\":\"investigating\",\"new\":\"identified\"}");
  texts = render_all (later, SITREP_TIMELINE_RENDER_DEFAULT);
  g_assert_cmpstrv (texts, ((const char *[]) { "Status: Investigating → Identified", NULL }));
}

/* A Northwind incident with an event of every kind the console records, through its own code
 * paths, on a clock the test moves. */
static gint64
record_every_kind (SitrepStore   *store,
                   SitrepRunbook *runbook)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepIncidentManager) manager = sitrep_incident_manager_new (store, runbook, clock,
                                                                          &error);
  g_autoptr(SitrepTimelineEvent) moved = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(JsonObject) started = json_object_new ();
  g_autoptr(JsonObject) finished = json_object_new ();
  g_autoptr(SitrepCondition) condition = NULL;
  g_autoptr(SitrepProbeResult) unavailable = sitrep_probe_result_new ();
  g_autoptr(SitrepReason) why = NULL;
  const char *services[] = { "gateway", NULL };
  gint64 id;

  g_assert_no_error (error);
  id = sitrep_incident_manager_declare (manager, "P1", "Labels fail to print", "", "dana", NULL,
                                        services, &error);
  g_assert_no_error (error);
  sitrep_clock_advance (clock, MIN_US);
  g_assert_true (sitrep_incident_manager_answer_escalation (manager, id, 0, TRUE, "dana", &error));
  sitrep_clock_advance (clock, MIN_US);
  g_assert_true (sitrep_incident_manager_set_item (manager, id, "open-room", TRUE, "dana", &error));
  g_assert_true (sitrep_incident_manager_set_item (manager, id, "open-room", FALSE, "erik", &error));
  sitrep_clock_advance (clock, MIN_US);
  /* The reason as the probe's condition gives it, in the recording console's language. */
  condition = sitrep_condition_parse ("[STATUS] == 200", NULL, &error);
  g_assert_no_error (error);
  unavailable->status = 503;
  unavailable->connected = TRUE;
  g_assert_false (sitrep_condition_evaluate (condition, unavailable, NULL, &why));
  g_assert_cmpuint (sitrep_incident_manager_record_health (manager, "gateway", "Label Gateway",
                                                           SITREP_HEALTH_UP, SITREP_HEALTH_DOWN,
                                                           why, sitrep_clock_now (clock)),
                    ==, 1);
  sitrep_clock_advance (clock, MIN_US);
  g_assert_true (sitrep_incident_manager_set_severity (manager, id, "P2", "dana", &error));
  g_assert_true (sitrep_incident_manager_set_status (manager, id, SITREP_STATUS_IDENTIFIED, "dana",
                                                     &error));
  sitrep_clock_advance (clock, MIN_US);
  g_assert_true (sitrep_incident_manager_update_sent (manager, id, "dana", &error));
  g_assert_no_error (error);
  /* An hour later nothing more was sent, and the duty manager fell due at 20 minutes. */
  sitrep_clock_set (clock, T0 + 66 * MIN_US);
  g_assert_cmpuint (sitrep_incident_manager_check (manager), ==, 2);
  sitrep_clock_advance (clock, MIN_US);
  moved = sitrep_store_move_start (store, sitrep_incident_manager_find (manager, id),
                                   T0 - 14 * MIN_US, sitrep_clock_now (clock), "dana", &error);
  g_assert_no_error (error);
  /* What the action controller records of a run, as its test shows it does. */
  sitrep_clock_advance (clock, MIN_US);
  json_object_set_string_member (started, "action", "restart");
  json_object_set_string_member (started, "label", "Restart");
  json_object_set_string_member (started, "service", "gateway");
  json_object_set_string_member (started, "service_name", "Label Gateway");
  json_object_set_string_member (started, "command",
                                 "kubectl --context nw-test rollout restart deployment/nw-gateway");
  g_assert_cmpint (sitrep_store_record_event (store, id, sitrep_clock_now (clock),
                                              SITREP_TIMELINE_KIND_ACTION_STARTED, started,
                                              "dana", &error), >, 0);
  json_object_set_string_member (finished, "action", "restart");
  json_object_set_string_member (finished, "label", "Restart");
  json_object_set_string_member (finished, "service", "gateway");
  json_object_set_string_member (finished, "service_name", "Label Gateway");
  json_object_set_string_member (finished, "outcome", "succeeded");
  json_object_set_string_member (finished, "rollout", "finished");
  json_object_set_string_member (finished, "program", "kubectl");
  json_object_set_int_member (finished, "duration_ms", 21400);
  g_assert_cmpint (sitrep_store_record_event (store, id, sitrep_clock_now (clock),
                                              SITREP_TIMELINE_KIND_ACTION_FINISHED, finished,
                                              "dana", &error), >, 0);
  sitrep_clock_advance (clock, MIN_US);
  g_assert_cmpint (sitrep_store_record_message (store, id, "depot-notice",
                                                "Labels are down at every depot.\nWe are on it.",
                                                sitrep_clock_now (clock), "dana", FALSE, &error),
                   >, 0);
  sitrep_clock_advance (clock, MIN_US);
  note = sitrep_store_add_note (store, id, sitrep_clock_now (clock), "Gateway pods OOM-killed",
                                "erik", &error);
  g_assert_no_error (error);
  return id;
}

/* Recorded in English, read in German: the stored rows hold no sentence, and each is put into
 * words in the reader's language with the build's German catalogue (po/), counts by ngettext
 * with the plural rule of the catalogue (a test catalogue: tests/support/data/timeline-de.po). */
static void
test_render_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_auto(GStrv) english = NULL;
  g_auto(GStrv) german = NULL;
  g_autofree char *document = NULL;
  g_autofree char *catalogue_dir = NULL;
  g_autofree char *catalogue = NULL;
  g_autofree char *built = NULL;
  g_autofree char *mo = NULL;
  g_autoptr(JsonObject) one = json_object_new ();
  gsize mo_size;
  gint64 id;

  if (fixture_in_parent_process ())
    return;
  fixture_use_language (NULL);

  store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  runbook = fixture_runbook_load (NULL);
  id = record_every_kind (store, runbook);
  events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);

  /* The rows keep data, no words: nothing of the English sentences is stored. */
  for (guint i = 0; i < events->len; i++)
    if (sitrep_timeline_event_get_is_system (events->pdata[i]))
      {
        g_assert_cmpstr (sitrep_timeline_event_get_text (events->pdata[i]), ==, "");
        g_assert_nonnull (sitrep_timeline_event_get_fields (events->pdata[i]));
        g_assert_null (strstr (sitrep_timeline_event_get_fields (events->pdata[i]), "Declared"));
      }

  english = render_all (events, SITREP_TIMELINE_RENDER_UTC);
  g_assert_cmpstrv (english, ((const char *[]) {
    "Declared P1: Labels fail to print",
    "Escalation due: Primary on duty (@nw-primary)",
    "Escalated to Primary on duty (@nw-primary)",
    "Done: Open the incident room",
    "Not done: Open the incident room",
    "Label Gateway: Up → Down (status 503, expected 200)",
    "Severity P1 → P2",
    "Status: Investigating → Identified",
    "Status update sent",
    "Escalation due: Duty manager (@nw-duty)",
    "Status update overdue: none sent for 60 minutes",
    "Impact start moved to 03:06 UTC (was 03:20 UTC)",
    "Started: Restart on Label Gateway (kubectl --context nw-test rollout restart "
    "deployment/nw-gateway)",
    "Restart on Label Gateway: kubectl succeeded and the rollout finished, after 21.4 s",
    "Message sent: Depot notice — Labels are down at every depot.",
    "Gateway pods OOM-killed",
    NULL }));

  /* The same rows, read in German. */
  fixture_use_language ("de");
  german = render_all (events, SITREP_TIMELINE_RENDER_UTC);
  g_assert_cmpstr (german[0], ==, "P1 ausgerufen: Labels fail to print");
  g_assert_cmpstr (german[1], ==, "Eskalation fällig: Primary on duty (@nw-primary)");
  g_assert_cmpstr (german[2], ==, "Eskaliert an Primary on duty (@nw-primary)");
  g_assert_cmpstr (german[3], ==, "Erledigt: Open the incident room");
  g_assert_cmpstr (german[4], ==, "Nicht erledigt: Open the incident room");
  /* The probe's reason too, though an English console recorded it. */
  g_assert_cmpstr (german[5], ==, "Label Gateway: Verfügbar → Ausgefallen (Status 503, erwartet "
                                  "wurde 200)");
  g_assert_cmpstr (german[6], ==, "Schweregrad P1 → P2");
  g_assert_cmpstr (german[7], ==, "Status: Untersuchung → Ursache erkannt");
  g_assert_cmpstr (german[8], ==, "Statusmeldung gesendet");
  g_assert_cmpstr (german[11], ==, "Beginn der Auswirkung auf 03:06 UTC verschoben (vorher 03:20 UTC)");
  g_assert_cmpstr (german[12], ==, "Gestartet: Restart auf Label Gateway (kubectl --context nw-test "
                                   "rollout restart deployment/nw-gateway)");
  g_assert_cmpstr (german[13], ==, "Restart auf Label Gateway: kubectl war nach 21.4 s erfolgreich "
                                   "und das Rollout ist abgeschlossen");
  g_assert_cmpstr (german[14], ==, "Nachricht gesendet: Depot notice – Labels are down at every "
                                   "depot.");
  g_assert_cmpstr (german[15], ==, "Gateway pods OOM-killed");

  /* The post-mortem is in the export's language too. */
  document = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (document, "\n- 03:20 - P1 ausgerufen: Labels fail to print\n"));
  g_assert_nonnull (strstr (document, "\n- 03:24 - Status: Untersuchung → Ursache erkannt\n"));

  /* Counts: the plural the catalogue's rule picks, one minute and sixty. */
  json_object_set_int_member (one, "since", T0);
  json_object_set_int_member (one, "minutes", 1);
  g_assert_cmpint (sitrep_store_record_event (store, id, T0 + MIN_US,
                                              SITREP_TIMELINE_KIND_UPDATE_OVERDUE, one, NULL,
                                              &error), >, 0);
  overdue = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT,
                                      (const char *[]) { "update-overdue", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 2);
  catalogue_dir = g_build_filename (g_get_user_data_dir (), "locale", "de", "LC_MESSAGES", NULL);
  catalogue = g_build_filename (catalogue_dir, GETTEXT_PACKAGE ".mo", NULL);
  built = g_test_build_filename (G_TEST_BUILT, "timeline-de.mo", NULL);
  g_assert_true (g_file_get_contents (built, &mo, &mo_size, &error));
  g_assert_cmpint (g_mkdir_with_parents (catalogue_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (catalogue, mo, mo_size, &error));
  {
    g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "locale", NULL);
    g_auto(GStrv) counted = NULL;

    g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, dir));
    counted = render_all (overdue, SITREP_TIMELINE_RENDER_UTC);
    g_assert_cmpstrv (counted, ((const char *[]) {
      "Statusmeldung überfällig: seit 1 Minute keine gesendet",
      "Statusmeldung überfällig: seit 60 Minuten keine gesendet",
      NULL }));
  }
}

/* What a tampered database holds (fields that are no JSON, not an object, mistyped members,
 * bytes that are no UTF-8, a kind no Sitrep records) is shown as something, never a crash. */
static void
test_render_tampered (Fixture      *f,
                      gconstpointer data)
{
  static const struct
  {
    const char *kind, *fields, *shown;
  } cases[] = {
    { "declared", "{\"severity\": 7, \"summary\": null}", "Declared : " },
    { "declared", "{", "declared event: {" },
    { "status", "[1, 2]", "status event: [1, 2]" },
    { "status", "{\"old\": \"bogus\", \"new\": \"resolved\"}", "Status: bogus → Resolved" },
    { "update-overdue", "{\"minutes\": 1e300}", "Status update overdue" },
    { "update-overdue", "{\"minutes\": -5}", "Status update overdue" },
    { "action-finished", "{\"outcome\": \"failed\", \"exit_status\": 1e30, \"label\": \"X\"}",
      "X on :  failed with exit status 2147483647: " },
    { "action-never-finished", "{\"started_at\": -1e30}", " on  never finished: Sitrep stopped "
      "while it ran (started 00:00); check what it did" },
    { "frobnicate", "{\"a\": 1}", "frobnicate event: {\"a\": 1}" },
    { "health", "{\"service_name\": \"A\\u00e9\\ud83d\\ude00\\n\", \"old\": \"up\", \"new\": "
      "{\"x\": 1}}", "A\u00e9\U0001F600\n: Up → " },
    { "health", "{\"service_name\": \"\\ud83d\", \"old\": \"up\"}", "health event: "
      "{\"service_name\": \"\\ud83d\", \"old\": \"up\"}" },
    { "checklist", "{\"text\": \"Ok\xff\"}", "checklist event: {\"text\": \"Ok\xef\xbf\xbd\"}" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *document = NULL;
  g_autoptr(SitrepIncident) incident = NULL;

  g_assert_true (sitrep_store_exec (f->store, "PRAGMA ignore_check_constraints = ON", "tampering",
                                    &error));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      sqlite3_stmt *stmt = sitrep_store_prepare (f->store,
                                                 "INSERT INTO timeline_events (incident_id, at,"
                                                 " recorded_at, kind, text, fields)"
                                                 " VALUES (?1, ?2, 0, ?3, '', ?4)",
                                                 &error);

      g_assert_no_error (error);
      sqlite3_bind_int64 (stmt, 1, f->incident);
      sqlite3_bind_int64 (stmt, 2, T0 + (i + 1) * MIN_US);
      sqlite3_bind_text (stmt, 3, cases[i].kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, cases[i].fields, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
    }

  events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (cases) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = sitrep_timeline_event_render (events->pdata[i + 1],
                                                             SITREP_TIMELINE_RENDER_UTC);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_true (g_utf8_validate (shown, -1, NULL));
    }

  /* The export goes through them too. */
  incident = sitrep_store_load_incident (f->store, f->incident, &error);
  g_assert_no_error (error);
  document = sitrep_postmortem_export (f->store, f->runbook, f->incident, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (document, "frobnicate event"));
}

int
main (int   argc,
      char *argv[])
{
  /* Times in texts are in local time: make it the same everywhere. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/timeline/system-immutable", test_system_immutable);
  ADD ("/timeline/note-edit", test_note_edit);
  ADD ("/timeline/note-delete", test_note_delete);
  ADD ("/timeline/note-in-past", test_note_in_past);
  ADD ("/timeline/move-start", test_move_start);
  ADD ("/timeline/star", test_star);
  ADD ("/timeline/filter-kind", test_filter_kind);
  ADD ("/timeline/catch-up", test_catch_up);
  ADD ("/timeline/many", test_many);
  ADD ("/timeline/render-tampered", test_render_tampered);
#undef ADD
  g_test_add_func ("/timeline/upgrade-from-4", test_upgrade_from_4);
  g_test_add_func ("/timeline/render-german", test_render_german);

  return g_test_run ();
}
