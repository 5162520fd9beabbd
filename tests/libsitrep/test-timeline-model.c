/* test-timeline-model.c: the timeline read a page at a time from a real database of 100,000
 * events: what it reads, its order, kinds, stars, search (hostile text too), and changes; the
 * same on a team database (the test session's PostgreSQL) */
#include "config.h"

#include <sqlite3.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fixture-schema.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-model-private.h"
#include "pg-test-util.h"
#include "sitrep-store-testing.h"

/* What the model does with many events is checked here; how fast, by a benchmark. Under
 * AddressSanitizer every allocation is some ten times slower: a tenth of the events proves the
 * same within the suite's time limit. */
#if defined(__SANITIZE_ADDRESS__)
#define N_EVENTS 10000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define N_EVENTS 10000
#endif
#endif
#ifndef N_EVENTS
#define N_EVENTS 100000
#endif
/* A team database's events are written one round trip each: fewer prove the same there. */
#define N_EVENTS_POSTGRES 3000
#define T0 G_GINT64_CONSTANT (1764300000000000)
#define SECOND G_GINT64_CONSTANT (1000000)

typedef struct
{
  char *path;
  SitrepStore *store;
  gint64 incident;
  gint64 other_incident;
  GArray *changes; /* guint triples: position, removed, added */
  guint n_events;
  PgTestDatabase *pg; /* the team database, for the tests on PostgreSQL */
} Fixture;

/* 100,000 events in one transaction, written the one way the console writes them
 * (sitrep_store_insert_event(), which also indexes them for search). Every tenth a note
 * ("Note 40: …"), the others health changes of two services, a status, an action; two events
 * a second, so that ties in time are ordered by the order they were recorded. */
static void
fill (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = json_object_new ();
  g_autoptr(JsonObject) action = json_object_new ();
  g_autoptr(JsonObject) ledger = json_object_new ();
  g_autoptr(JsonObject) labels = json_object_new ();

  json_object_set_string_member (status, "status", "identified");
  json_object_set_string_member (action, "action", "restart-ledger");
  json_object_set_int_member (action, "exit_code", 0);
  json_object_set_string_member (ledger, "service", "ledger");
  json_object_set_string_member (labels, "service", "labels");
  for (JsonObject **health = (JsonObject *[]) { ledger, labels, NULL }; *health != NULL; health++)
    {
      json_object_set_string_member (*health, "old", "degraded");
      json_object_set_string_member (*health, "new", "up");
    }

  g_assert_true (sitrep_store_exec (f->store, "BEGIN", "test", &error));
  for (guint i = 0; i < f->n_events; i++)
    {
      gint64 at = T0 + (i / 2) * SECOND;
      gint64 id;

      if (i % 10 == 0)
        {
          g_autofree char *text = g_strdup_printf ("Note %u: ledger replica lagging", i);

          id = sitrep_store_insert_event (f->store, f->incident, at, SITREP_TIMELINE_KIND_NOTE,
                                          NULL, text, "alice", &error);
        }
      else
        id = sitrep_store_insert_event (f->store, f->incident, at,
                                        i % 10 == 8 ? SITREP_TIMELINE_KIND_STATUS
                                        : i % 10 == 9 ? SITREP_TIMELINE_KIND_ACTION_FINISHED
                                                      : SITREP_TIMELINE_KIND_HEALTH,
                                        i % 10 == 8 ? status
                                        : i % 10 == 9 ? action
                                        : i % 2 == 0 ? ledger : labels,
                                        NULL, "", &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
    }
  g_assert_true (sitrep_store_exec (f->store, "COMMIT", "test", &error));
  g_assert_no_error (error);
}

/* The filled database, written once: each test starts from a copy of it. */
static char *filled_path;

static void
open_new (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) elsewhere = NULL;

  f->store = sitrep_store_open (f->path, &error);
  g_assert_no_error (error);
  f->incident = sitrep_store_insert_incident (f->store, "Northwind", "P1", "Labels stopped",
                                              T0, &error);
  g_assert_no_error (error);
  /* Another incident's events are never listed. */
  f->other_incident = sitrep_store_insert_incident (f->store, "Northwind", "P2", "Slow ledger",
                                                    T0, &error);
  g_assert_no_error (error);
  elsewhere = sitrep_store_add_note (f->store, f->other_incident, T0, "ledger elsewhere", "bob",
                                     &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  f->n_events = N_EVENTS;
  f->path = g_build_filename (g_get_user_data_dir (), "timeline-model.db", NULL);
  if (filled_path == NULL)
    {
      /* The first test that needs it writes it, closed (its journal checkpointed). */
      Fixture filled = { .path = g_build_filename (g_get_tmp_dir (), "sitrep-timeline-model-XXXXXX.db", NULL),
                         .n_events = N_EVENTS };
      int fd = g_mkstemp (filled.path);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
      g_unlink (filled.path);
      open_new (&filled);
      fill (&filled);
      g_clear_object (&filled.store);
      filled_path = filled.path;
    }
  {
    g_autoptr(GFile) from = g_file_new_for_path (filled_path);
    g_autoptr(GFile) to = g_file_new_for_path (f->path);

    g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
    g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  f->store = sitrep_store_open (f->path, &error);
  g_assert_no_error (error);
  f->incident = 1;
  f->other_incident = 2;
}

/* A team database of its own, filled the same way (fewer events). */
static void
fixture_set_up_postgres (Fixture       *f,
                         gconstpointer  data)
{
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  f->n_events = N_EVENTS_POSTGRES;
  f->pg = pg_test_database_new ("sitrep_timeline_model", TRUE);
  f->path = g_strdup (f->pg->uri);
  open_new (f);
  fill (f);
  g_assert_cmpint (f->incident, ==, 1);
  g_assert_cmpint (f->other_incident, ==, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  if (f->pg != NULL)
    g_clear_pointer (&f->pg, pg_test_database_free);
  else
    {
      g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

      g_unlink (f->path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_free (f->path);
  g_array_unref (f->changes);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  guint triple[] = { position, removed, added };

  g_array_append_vals (f->changes, triple, 3);
}

static SitrepTimelineModel *
watched_model (Fixture *f)
{
  SitrepTimelineModel *model = sitrep_timeline_model_new (f->store, f->incident);

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), f);
  return model;
}

static void
assert_changes (Fixture *f,
                guint    position,
                guint    removed,
                guint    added)
{
  g_assert_cmpuint (f->changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->changes, guint, 0), ==, position);
  g_assert_cmpuint (g_array_index (f->changes, guint, 1), ==, removed);
  g_assert_cmpuint (g_array_index (f->changes, guint, 2), ==, added);
  g_array_set_size (f->changes, 0);
}

/* What a reset says: every item removed, then the new ones added, in two changes (one for
 * both would make GTK 4.8's list views ask for every added item). */
static void
assert_reset (Fixture *f,
              guint    removed,
              guint    added)
{
  GArray *changes = f->changes;
  guint n = 0;

  if (removed > 0)
    {
      g_assert_cmpuint (changes->len, >=, 3);
      g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 0);
      g_assert_cmpuint (g_array_index (changes, guint, 1), ==, removed);
      g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 0);
      n = 3;
    }
  if (added > 0)
    {
      g_assert_cmpuint (changes->len, >=, n + 3);
      g_assert_cmpuint (g_array_index (changes, guint, n), ==, 0);
      g_assert_cmpuint (g_array_index (changes, guint, n + 1), ==, 0);
      g_assert_cmpuint (g_array_index (changes, guint, n + 2), ==, added);
      n += 3;
    }
  g_assert_cmpuint (changes->len, ==, n);
  g_array_set_size (changes, 0);
}

static SitrepTimelineEvent *
item (SitrepTimelineModel *model,
      guint                position)
{
  SitrepTimelineEvent *event = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (event);
  /* The list holds a reference as long as its page is kept; tests look, not keep. */
  g_object_unref (event);
  return event;
}

/* Opening costs the count; asking for the first 51 items reads one page of rows, not 100,000. */
static void
test_lazy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SitrepTimelineModel) model = sitrep_timeline_model_new (f->store, f->incident);
  GListModel *list = G_LIST_MODEL (model);
  guint64 before;

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, f->n_events);
  g_assert_cmpuint (sitrep_timeline_model_get_n_total (model), ==, f->n_events);
  g_assert_null (sitrep_timeline_model_get_problem (model));
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model), ==, 0);

  for (guint i = 0; i <= 50; i++)
    {
      g_autoptr(SitrepTimelineEvent) event = g_list_model_get_item (list, i);

      g_assert_cmpint (sitrep_timeline_event_get_at (event), ==, T0 + (i / 2) * SECOND);
    }
  g_test_message ("rows read for items 0..50: %" G_GUINT64_FORMAT,
                  sitrep_timeline_model_get_rows_read (model));
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model), ==,
                    SITREP_TIMELINE_MODEL_PAGE_SIZE);
  g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, 40)), ==,
                   "Note 40: ledger replica lagging");
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model), ==,
                    SITREP_TIMELINE_MODEL_PAGE_SIZE);

  /* The last item: one page more, wherever it is. */
  before = sitrep_timeline_model_get_rows_read (model);
  g_assert_cmpint (sitrep_timeline_event_get_at (item (model, f->n_events - 1)), ==,
                   T0 + (f->n_events - 1) / 2 * SECOND);
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model) - before, <=,
                    SITREP_TIMELINE_MODEL_PAGE_SIZE);
  g_assert_null (g_list_model_get_item (list, f->n_events));

  /* Scrolling through a thousand items reads each row once and keeps a bounded number of
   * pages. */
  before = sitrep_timeline_model_get_rows_read (model);
  for (guint i = 1000; i < 2000; i++)
    g_assert_cmpint (sitrep_timeline_event_get_id (item (model, i)), <,
                     sitrep_timeline_event_get_id (item (model, i + 1)));
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model) - before, <=,
                    1000 + 2 * SITREP_TIMELINE_MODEL_PAGE_SIZE);
  g_assert_cmpuint (sitrep_timeline_model_get_n_pages_kept (model), <=,
                    SITREP_TIMELINE_MODEL_MAX_PAGES);
}

static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SitrepTimelineModel) model = watched_model (f);
  SitrepTimelineEvent *first, *second, *last;

  /* Oldest first; at the same time in the order recorded. */
  first = item (model, 0);
  second = item (model, 1);
  g_assert_cmpint (sitrep_timeline_event_get_at (first), ==, sitrep_timeline_event_get_at (second));
  g_assert_cmpint (sitrep_timeline_event_get_id (first), <, sitrep_timeline_event_get_id (second));
  g_assert_cmpstr (sitrep_timeline_event_get_kind (first), ==, "note");

  /* Newest first: the whole list changes, the last event recorded comes first. */
  sitrep_timeline_model_set_descending (model, TRUE);
  assert_reset (f, f->n_events, f->n_events);
  first = item (model, 0);
  second = item (model, 1);
  g_assert_cmpint (sitrep_timeline_event_get_at (first), ==,
                   T0 + (f->n_events - 1) / 2 * SECOND);
  g_assert_cmpint (sitrep_timeline_event_get_id (first), >, sitrep_timeline_event_get_id (second));
  last = item (model, f->n_events - 1);
  g_assert_cmpint (sitrep_timeline_event_get_at (last), ==, T0);
  g_assert_cmpstr (sitrep_timeline_event_get_kind (last), ==, "note");
  /* Pages read after the one before, in the descending order too. */
  for (guint i = 0; i < 300; i++)
    g_assert_cmpint (sitrep_timeline_event_get_id (item (model, i)), >,
                     sitrep_timeline_event_get_id (item (model, i + 1)));
}

static void
test_kinds (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SitrepTimelineModel) model = watched_model (f);
  g_autoptr(GError) error = NULL;
  guint64 before;

  sitrep_timeline_model_set_kinds (model, (const char *[]) { "note", NULL });
  assert_reset (f, f->n_events, f->n_events / 10);
  g_assert_cmpuint (sitrep_timeline_model_get_n_total (model), ==, f->n_events);
  before = sitrep_timeline_model_get_rows_read (model);
  for (guint i = 0; i < 100; i++)
    g_assert_cmpstr (sitrep_timeline_event_get_kind (item (model, i)), ==, "note");
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model) - before, <=,
                    2 * SITREP_TIMELINE_MODEL_PAGE_SIZE);

  /* A family by its prefix, with a kind of its own. */
  sitrep_timeline_model_set_kinds (model, (const char *[]) { "action*", "status", NULL });
  assert_reset (f, f->n_events / 10, f->n_events / 5);
  g_assert_cmpstr (sitrep_timeline_event_get_kind (item (model, 0)), ==, "status");
  g_assert_cmpstr (sitrep_timeline_event_get_kind (item (model, 1)), ==, "action-finished");

  /* Starred only, with the kinds. */
  {
    g_autoptr(SitrepTimelineEvent) status = g_object_ref (item (model, 2));

    g_assert_true (sitrep_store_star_event (f->store, status, TRUE, &error));
    g_assert_no_error (error);
    sitrep_timeline_model_set_starred_only (model, TRUE);
    assert_reset (f, f->n_events / 5, 1);
    g_assert_cmpint (sitrep_timeline_event_get_id (item (model, 0)), ==,
                     sitrep_timeline_event_get_id (status));
    /* Unstarred, it leaves. */
    g_assert_true (sitrep_store_star_event (f->store, status, FALSE, &error));
    g_assert_true (sitrep_timeline_model_event_changed (model, sitrep_timeline_event_get_id (status),
                                                        &error));
    g_assert_no_error (error);
    assert_changes (f, 0, 1, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  }

  sitrep_timeline_model_set_starred_only (model, FALSE);
  sitrep_timeline_model_set_kinds (model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, f->n_events);
}

static guint
n_found (SitrepTimelineModel *model,
         const char          *text)
{
  sitrep_timeline_model_set_search (model, text);
  g_assert_null (sitrep_timeline_model_get_problem (model));
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SitrepTimelineModel) model = watched_model (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) hostile = NULL;
  const char *attacks[] = {
    "\"", "\"\"", "*", "**", "(", ")", "(()", "NEAR", "NEAR(", "AND", "OR", "-", "^",
    "{body}:", "body:", ":", "'", "';", "'; DROP TABLE timeline_events; --",
    "timeline_search MATCH '*'", "\\", "%", "_", "\x01",
  };

  /* No search, said as an empty entry's text or as none, changes nothing and counts nothing
   * again: the Timeline view sets its entry's text on every model it makes. */
  g_array_set_size (f->changes, 0);
  sitrep_timeline_model_set_search (model, "");
  sitrep_timeline_model_set_search (model, NULL);
  sitrep_timeline_model_set_search (model, "");
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, f->n_events);

  /* Words in notes, field values and authors, with a prefix. */
  g_assert_cmpuint (n_found (model, "ledger replica"), ==, f->n_events / 10);
  g_assert_cmpuint (sitrep_timeline_model_get_n_total (model), ==, f->n_events);
  {
    /* The last note's number: no other note's starts with it. */
    g_autofree char *words = g_strdup_printf ("Note %u:", f->n_events - 10);
    g_autofree char *text = g_strdup_printf ("Note %u: ledger replica lagging", f->n_events - 10);

    g_assert_cmpuint (n_found (model, words), ==, 1);
    g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, 0)), ==, text);
  }
  g_assert_cmpuint (n_found (model, "restart-led"), ==, f->n_events / 10);
  g_assert_cmpuint (n_found (model, "ALICE"), ==, f->n_events / 10);
  g_assert_cmpuint (n_found (model, "labels degraded"), ==, f->n_events * 4 / 10);
  /* Only this incident's. */
  g_assert_cmpuint (n_found (model, "elsewhere"), ==, 0);
  /* With the kinds. */
  sitrep_timeline_model_set_kinds (model, (const char *[]) { "health", NULL });
  g_assert_cmpuint (n_found (model, "ledger"), ==, f->n_events * 3 / 10);
  sitrep_timeline_model_set_kinds (model, NULL);
  /* No search again: everything. */
  g_assert_cmpuint (n_found (model, "  "), ==, f->n_events);
  g_assert_cmpuint (n_found (model, NULL), ==, f->n_events);

  /* What FTS5 reads as syntax is only text: no error, nothing injected, and the note that
   * holds it is found by it. */
  hostile = sitrep_store_add_note (f->store, f->incident, T0 - 1,
                                   "Said \"roll back\" NEAR(db, api) *now* (twice AND OR NOT x) "
                                   "body: o'brien {x}:y -z ^w",
                                   "mallory", &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      guint n = n_found (model, attacks[i]);

      g_test_message ("search %s: %u", attacks[i], n);
      g_assert_cmpuint (n, <=, 1);
    }
  for (const char *const *found = (const char *[]) {
         "\"roll back\"", "roll\"", "NEAR(db, api)", "NEAR(db", "*now*", "(twice", "AND OR NOT",
         "body:", "o'brien", "{x}:y", "-z", "^w", "\"roll", "back\" NEAR(", NULL };
       *found != NULL; found++)
    {
      g_test_message ("search %s", *found);
      g_assert_cmpuint (n_found (model, *found), ==, 1);
      g_assert_cmpint (sitrep_timeline_event_get_id (item (model, 0)), ==,
                       sitrep_timeline_event_get_id (hostile));
    }
  g_assert_cmpint (sitrep_store_count_events (f->store, f->incident, &error), ==, f->n_events + 1);
  g_assert_no_error (error);
}

/* New events come in at their place, told as one item each; what is shown keeps its rows. */
static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SitrepTimelineModel) model = watched_model (f);
  g_autoptr(SitrepTimelineEvent) first = NULL;
  g_autoptr(SitrepTimelineEvent) late = NULL;
  g_autoptr(SitrepTimelineEvent) early = NULL;
  g_autoptr(SitrepTimelineEvent) last = NULL;
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  guint64 read;

  first = g_object_ref (item (model, 0));
  /* The end of the timeline is on screen, as a view following it shows it. */
  g_assert_cmpuint (n % SITREP_TIMELINE_MODEL_PAGE_SIZE, !=, 0);
  last = g_object_ref (item (model, n - 1));
  read = sitrep_timeline_model_get_rows_read (model);
  late = sitrep_store_add_note (f->store, f->incident, T0 + 2 * f->n_events * SECOND,
                                "Rolled back", "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_no_error (error);
  assert_changes (f, n, 0, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, n)), ==, "Rolled back");
  g_assert_true (item (model, 0) == first);
  /* The new row came with the refresh: the rows before it on its page are not read again, and
   * are the same items (a view binds one new row, not the page's). */
  g_assert_true (item (model, n - 1) == last);
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model), ==, read + 1);

  /* Nothing new: nothing told. */
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_cmpuint (f->changes->len, ==, 0);

  /* A note written for earlier goes before everything. */
  early = sitrep_store_add_note (f->store, f->incident, T0 - SECOND, "Alert fired",
                                 "alice", &error);
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_no_error (error);
  assert_changes (f, 0, 0, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, 0)), ==, "Alert fired");
  g_assert_true (item (model, 1) != first);
  g_assert_cmpint (sitrep_timeline_event_get_id (item (model, 1)), ==,
                   sitrep_timeline_event_get_id (first));

  /* Newest first, a new event is the first item; one that the kinds hide is not told. */
  sitrep_timeline_model_set_descending (model, TRUE);
  sitrep_timeline_model_set_kinds (model, (const char *[]) { "note", NULL });
  g_array_set_size (f->changes, 0);
  g_clear_object (&late);
  late = sitrep_store_add_note (f->store, f->incident, T0 + 3 * f->n_events * SECOND,
                                "Monitoring", "alice", &error);
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "status", "monitoring");
    sitrep_store_record_event (f->store, f->incident, T0 + 3 * f->n_events * SECOND,
                               SITREP_TIMELINE_KIND_STATUS, fields, "alice", &error);
  }
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_no_error (error);
  assert_changes (f, 0, 0, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, 0)), ==, "Monitoring");
  g_assert_cmpuint (sitrep_timeline_model_get_n_total (model), ==, f->n_events + 4);

  /* Many at once (a batch from another process): counted again, told as one change. */
  sitrep_timeline_model_set_kinds (model, NULL);
  g_array_set_size (f->changes, 0);
  g_assert_true (sitrep_store_exec (f->store, "BEGIN", "test", &error));
  for (guint i = 0; i < 100; i++)
    sitrep_store_insert_event (f->store, f->incident, T0, SITREP_TIMELINE_KIND_NOTE, NULL, "batch",
                               "bob", &error);
  g_assert_true (sitrep_store_exec (f->store, "COMMIT", "test", &error));
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_no_error (error);
  assert_reset (f, f->n_events + 4, f->n_events + 104);
}

/* An edit, a deletion, an annotation and a star: the one item is told, in its place. */
static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SitrepTimelineModel) model = watched_model (f);
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(SitrepTimelineEvent) health = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  note = g_object_ref (item (model, 500));
  id = sitrep_timeline_event_get_id (note);
  g_assert_cmpstr (sitrep_timeline_event_get_text (note), ==, "Note 500: ledger replica lagging");

  /* Edited: read again in place; search finds the new words and, the original being kept,
   * the old ones. */
  g_assert_true (sitrep_store_edit_note (f->store, note, "Replica caught up", T0, &error));
  g_assert_true (sitrep_timeline_model_event_changed (model, id, &error));
  g_assert_no_error (error);
  assert_changes (f, 500, 1, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, 500)), ==, "Replica caught up");
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (item (model, 500)), ==,
                   "Note 500: ledger replica lagging");
  sitrep_timeline_model_set_search (model, "caught");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  sitrep_timeline_model_set_search (model, "lagging");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, f->n_events / 10);

  /* An edit that takes a note out of the search leaves it. */
  sitrep_timeline_model_set_search (model, "caught");
  g_array_set_size (f->changes, 0);
  g_assert_true (sitrep_store_edit_note (f->store, note, "Replica in sync", T0, &error));
  g_assert_true (sitrep_timeline_model_event_changed (model, id, &error));
  assert_changes (f, 0, 1, 0);
  sitrep_timeline_model_set_search (model, NULL);
  g_array_set_size (f->changes, 0);

  /* Annotated and starred, a system event stays in place. */
  health = g_object_ref (item (model, 501));
  g_assert_true (sitrep_store_annotate_event (f->store, health, "From the pager", &error));
  g_assert_true (sitrep_timeline_model_event_changed (model, sitrep_timeline_event_get_id (health),
                                                      &error));
  g_assert_no_error (error);
  assert_changes (f, 501, 1, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_annotation (item (model, 501)), ==,
                   "From the pager");
  g_assert_true (sitrep_store_star_event (f->store, health, TRUE, &error));
  g_assert_true (sitrep_timeline_model_event_changed (model, sitrep_timeline_event_get_id (health),
                                                      &error));
  assert_changes (f, 501, 1, 0 + 1);
  g_assert_true (sitrep_timeline_event_get_starred (item (model, 501)));
  sitrep_timeline_model_set_search (model, "pager");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  sitrep_timeline_model_set_search (model, NULL);
  g_array_set_size (f->changes, 0);

  /* Deleted: it leaves, the next one takes its place. */
  g_assert_true (sitrep_store_delete_note (f->store, note, T0, &error));
  g_assert_true (sitrep_timeline_model_event_changed (model, id, &error));
  g_assert_no_error (error);
  assert_changes (f, 500, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, f->n_events - 1);
  g_assert_cmpint (sitrep_timeline_event_get_id (item (model, 500)), ==,
                   sitrep_timeline_event_get_id (health));

  /* Deleted in another window, unknown to the model: the next refresh counts again. */
  {
    g_autoptr(SitrepTimelineEvent) other = g_object_ref (item (model, 10));

    g_assert_cmpstr (sitrep_timeline_event_get_kind (other), ==, "note");
    g_assert_true (sitrep_store_delete_note (f->store, other, T0, &error));
    g_assert_true (sitrep_timeline_model_refresh (model, &error));
    g_assert_no_error (error);
    assert_reset (f, f->n_events - 1, f->n_events - 2);
  }
}

static int
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (message != NULL)
    g_test_message ("%s", message);
  sqlite3_free (message);
  sqlite3_close (db);
  return rc;
}

/* A database of version 8 (no search table): the upgrade indexes every event already there. */
static void
test_upgrade (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autofree char *downgrade = NULL;

  g_clear_object (&f->store);
  /* Version 8: without the search table, its triggers and the listing index, and what came
   * after. */
  downgrade = fixture_schema_downgrade_sql (8);
  g_assert_cmpint (raw_exec (f->path, downgrade), ==, SQLITE_OK);
  /* An event recorded by version 8, which kept no search index. */
  g_assert_cmpint (raw_exec (f->path, "INSERT INTO timeline_events (incident_id, at, recorded_at,"
                                      " kind, text, author, is_system)"
                                      " VALUES (1, 1, 1, 'note', 'Recorded before search',"
                                      " 'carol', 0)"),
                   ==, SQLITE_OK);
  /* And a tampered one whose fields are not JSON: the upgrade indexes it as it is. */
  g_assert_cmpint (raw_exec (f->path, "PRAGMA ignore_check_constraints = ON;"
                                      "INSERT INTO timeline_events (incident_id, at, recorded_at,"
                                      " kind, text, fields) VALUES (1, 2, 2, 'health', '',"
                                      " '{\"service\": \"tampered')"),
                   ==, SQLITE_OK);

  f->store = sitrep_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (f->store), ==, SITREP_STORE_SCHEMA_VERSION);

  model = sitrep_timeline_model_new (f->store, f->incident);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, f->n_events + 2);
  g_assert_cmpuint (n_found (model, "before search"), ==, 1);
  g_assert_cmpstr (sitrep_timeline_event_get_author (item (model, 0)), ==, "carol");
  g_assert_cmpuint (n_found (model, "ledger replica"), ==, f->n_events / 10);
  g_assert_cmpuint (n_found (model, "restart"), ==, f->n_events / 10);
  g_assert_cmpuint (n_found (model, "tampered"), ==, 1);

  /* And from then on the triggers keep it in step. */
  note = sitrep_store_add_note (f->store, f->incident, T0, "Written after the upgrade", "dave",
                                &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  g_assert_cmpuint (n_found (model, "after upgrade"), ==, 1);
}

static int
count_step_cb (void *data)
{
  (*(guint64 *) data)++;
  return 0;
}

/* SQLite's steps (virtual machine instructions, which no machine's speed changes) for what
 * the console does when an event is recorded with the end of a long timeline on screen: a
 * model made (a view opened), its last item read, a note added, the refresh. */
static void
open_and_refresh_steps (Fixture *f,
                        guint64 *open_steps,
                        guint64 *refresh_steps)
{
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  *open_steps = *refresh_steps = 0;
  sqlite3_progress_handler (f->store->db, 1, count_step_cb, open_steps);
  model = sitrep_timeline_model_new (f->store, f->incident);
  sqlite3_progress_handler (f->store->db, 0, NULL, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_nonnull (item (model, n - 1));
  note = sitrep_store_add_note (f->store, f->incident, T0 + 2 * f->n_events * SECOND,
                                "Rolled back", "alice", &error);
  g_assert_no_error (error);
  sqlite3_progress_handler (f->store->db, 1, count_step_cb, refresh_steps);
  g_assert_true (sitrep_timeline_model_refresh (model, &error));
  sqlite3_progress_handler (f->store->db, 0, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n + 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (item (model, n)), ==, "Rolled back");
}

/* Opening a long timeline and refreshing it at each new event read its newest events through
 * the index by incident and id (schema 14): the incident's newest id, and the events after the
 * last one a model holds, are a seek, not a walk through the incident's events in time order.
 * Shown by the steps the same work takes with that index and without it: the walk is some
 * three steps an event. What is left of both is counting (the list's length, the new event's
 * place), which SQLite does entry by entry. */
static void
test_reads_by_id (Fixture       *f,
                  gconstpointer  data)
{
  guint64 open_with, refresh_with, open_without, refresh_without;

  open_and_refresh_steps (f, &open_with, &refresh_with);
  g_assert_cmpint (sqlite3_exec (f->store->db,
                                 "DROP INDEX IF EXISTS timeline_events_by_incident_id", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  open_and_refresh_steps (f, &open_without, &refresh_without);
  g_test_message ("SQLite's steps with the index by id and without it: opening %"
                  G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT ", a refresh %" G_GUINT64_FORMAT
                  " and %" G_GUINT64_FORMAT, open_with, open_without, refresh_with,
                  refresh_without);
  g_assert_cmpuint (open_with + 2 * f->n_events, <, open_without);
  g_assert_cmpuint (refresh_with + 2 * f->n_events, <, refresh_without);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/timeline-model/lazy", Fixture, NULL, fixture_set_up, test_lazy,
              fixture_tear_down);
  g_test_add ("/timeline-model/order", Fixture, NULL, fixture_set_up, test_order,
              fixture_tear_down);
  g_test_add ("/timeline-model/kinds", Fixture, NULL, fixture_set_up, test_kinds,
              fixture_tear_down);
  g_test_add ("/timeline-model/search", Fixture, NULL, fixture_set_up, test_search,
              fixture_tear_down);
  g_test_add ("/timeline-model/live", Fixture, NULL, fixture_set_up, test_live,
              fixture_tear_down);
  g_test_add ("/timeline-model/changes", Fixture, NULL, fixture_set_up, test_changes,
              fixture_tear_down);
  g_test_add ("/timeline-model/reads-by-id", Fixture, NULL, fixture_set_up, test_reads_by_id,
              fixture_tear_down);
  g_test_add ("/timeline-model/upgrade", Fixture, NULL, fixture_set_up, test_upgrade,
              fixture_tear_down);

  /* The same on a team database, which has no FTS5 and no integer truth. */
  g_test_add ("/timeline-model/postgres/lazy", Fixture, NULL, fixture_set_up_postgres, test_lazy,
              fixture_tear_down);
  g_test_add ("/timeline-model/postgres/order", Fixture, NULL, fixture_set_up_postgres,
              test_order, fixture_tear_down);
  g_test_add ("/timeline-model/postgres/kinds", Fixture, NULL, fixture_set_up_postgres,
              test_kinds, fixture_tear_down);
  g_test_add ("/timeline-model/postgres/search", Fixture, NULL, fixture_set_up_postgres,
              test_search, fixture_tear_down);
  g_test_add ("/timeline-model/postgres/live", Fixture, NULL, fixture_set_up_postgres, test_live,
              fixture_tear_down);
  g_test_add ("/timeline-model/postgres/changes", Fixture, NULL, fixture_set_up_postgres,
              test_changes, fixture_tear_down);

  status = g_test_run ();
  if (filled_path != NULL)
    g_unlink (filled_path);
  g_free (filled_path);
  return status;
}
