/* test-timeline.c: the timeline's rules: system events are history, notes keep their first word */
#include "config.h"

#include "fixture-incident.h"
#include "sitrep-incident.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

/* What the console records when a service's health changes, written straight to the store. */
static gint64
add_health (SitrepStore *store,
            gint64       incident,
            gint64       at,
            const char  *old_health,
            const char  *new_health)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  json_object_set_string_member (fields, "service", "api");
  json_object_set_string_member (fields, "service_name", "API");
  json_object_set_string_member (fields, "old", old_health);
  json_object_set_string_member (fields, "new", new_health);
  id = sitrep_store_record_event (store, incident, at, SITREP_TIMELINE_KIND_HEALTH, fields, NULL,
                                  &error);
  g_assert_no_error (error);
  return id;
}

static gint64
add_note (SitrepStore *store,
          gint64       incident,
          gint64       at,
          const char  *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_insert_event (store, incident, at, SITREP_TIMELINE_KIND_NOTE, NULL, text,
                                         "", &error);

  g_assert_no_error (error);
  return id;
}

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

#define N_MANY 100000

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
  gint64 started;
  double seconds;

  g_assert_true (sitrep_store_exec (f->store, "BEGIN", "test", &error));
  for (guint i = 1; i < N_MANY; i++)
    if (i % 10)
      add_health (f->store, f->incident, T0 + i * G_USEC_PER_SEC, "degraded", "up");
    else
      add_note (f->store, f->incident, T0 + i * G_USEC_PER_SEC, "api: degraded → up");
  g_assert_true (sitrep_store_exec (f->store, "COMMIT", "test", &error));

  started = g_get_monotonic_time ();
  events = list (f, SITREP_TIMELINE_LIST_DEFAULT, NULL);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("listed %u events in %.3f s", events->len, seconds);
  g_assert_cmpuint (events->len, ==, N_MANY);
  /* A sanity bound only: bench-export measures the real figure. */
  g_assert_cmpfloat (seconds, <, 5.0);
  for (guint i = 1; i < events->len; i++)
    g_assert_cmpint (sitrep_timeline_event_get_at (events->pdata[i - 1]), <,
                     sitrep_timeline_event_get_at (events->pdata[i]));

  notes = list (f, SITREP_TIMELINE_LIST_DEFAULT, (const char *[]) { "note", NULL });
  g_assert_cmpuint (notes->len, ==, N_MANY / 10 - 1);
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
#undef ADD

  return g_test_run ();
}
