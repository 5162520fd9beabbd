/* test-team-reads.c: a console on a team database whose server stalls keeps its main loop
 * turning while it reads, and shows what it read once the server answers (a PostgreSQL
 * cluster of the test's own, stopped with SIGSTOP and continued) */
#include "config.h"

#include <string.h>

#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-action-controller.h"
#include "sitrep-incident-kept.h"
#include "sitrep-incident-runbooks.h"
#include "sitrep-monitor.h"
#include "sitrep-session-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-webhook.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-message-writes.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-testing.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "sitrep-timeline-model-private.h"
#include "team-test-util.h"

typedef struct
{
  PgTestCluster *cluster;
  GSettings *settings;
  SitrepSession *session;
  SitrepStore *other;   /* another console's writes */
  gint64 incident;
} Fixture;

/* Open, listening, and done with what the console does once at start (the audit key from
 * the keyring, then the commands a previous run left unfinished are closed on the writer
 * thread). */
static gboolean
incidents_ready (gpointer data)
{
  Fixture *f = data;

  return f->session->incidents != NULL && f->session->watch != NULL
         && sitrep_incident_manager_get_current (f->session->incidents) != NULL
         && (sitrep_store_get_audit_key (f->session->store) != NULL
             || sitrep_store_get_audit_key_problem (f->session->store) != NULL);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(GError) error = NULL;

  f->cluster = pg_test_cluster_new ();
  f->other = sitrep_store_open (f->cluster->uri, &error);
  g_assert_no_error (error);
  f->incident = sitrep_store_insert_incident (f->other, sitrep_runbook_get_name (runbook), "P1",
                                              "Dispatch queue stuck", g_get_real_time (), &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  f->settings = g_settings_new (APP_ID);
  f->session = sitrep_session_new (f->settings);
  sitrep_session_set_runbook (f->session, runbook);
  sitrep_session_open_store (f->session, f->cluster->uri);
  wait_until (incidents_ready, f, 60, "the team database to open and its watch to listen");
  spin (500);
  g_assert_nonnull (sitrep_incident_manager_get_current (f->session->incidents));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  sitrep_session_close (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->settings);
  g_clear_object (&f->other);
  pg_test_cluster_free (f->cluster);
}

/* Stalls the server (at once: what the watch already has may come from the main loop too),
 * runs @func from the main loop, and turns the loop until the server is
 * back: the main loop must keep turning meanwhile. */
static void
stalled (Fixture         *f,
         GSourceOnceFunc  func,
         gpointer         data)
{
  TeamStall stall = { 0 };

  team_test_stall_begin (&stall, f->cluster);
  g_idle_add_once (func, data);
  team_test_stall_end (&stall);
}

static gboolean
status_is_identified (gpointer data)
{
  Fixture *f = data;
  SitrepIncident *current = sitrep_incident_manager_get_current (f->session->incidents);

  return sitrep_incident_get_status (current) == SITREP_STATUS_IDENTIFIED;
}

static void
announce_change (gpointer data)
{
  Fixture *f = data;

  /* What a NOTIFY from the other console makes the watch say. */
  g_signal_emit_by_name (f->session->watch, "changed", "timeline_events", f->incident,
                         (gint64) 0, "status");
}

/* Another console changes the status; the server stalls as the console reads the incident
 * again; it shows the change once the server answers. */
static void
test_reload (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) seen = sitrep_store_load_incident (f->other, f->incident, &error);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_change_status (f->other, seen, SITREP_STATUS_IDENTIFIED, NULL, NULL,
                                             NULL, g_get_real_time (), "Dana", &error));
  g_assert_no_error (error);
  g_assert_false (status_is_identified (f));

  stalled (f, announce_change, f);
  wait_until (status_is_identified, f, 30, "the other console's change to be shown");
}

static void
announce_replayed (gpointer data)
{
  Fixture *f = data;

  /* What the writer says once the journal kept while the server was away is written. */
  g_signal_emit_by_name (f->session->store, "journal-replayed", 1u);
}

/* The journal is written once the server is back; the server stalls as the console reads the
 * open incidents again: they show what the server holds once it answers. */
static void
test_journal_replayed (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) seen = sitrep_store_load_incident (f->other, f->incident, &error);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_change_status (f->other, seen, SITREP_STATUS_IDENTIFIED, NULL, NULL,
                                             NULL, g_get_real_time (), "Dana", &error));
  g_assert_no_error (error);
  g_assert_false (status_is_identified (f));

  stalled (f, announce_replayed, f);
  wait_until (status_is_identified, f, 30, "the incident to be read again");
}

typedef struct
{
  SitrepTimelineModel *model;
  guint changed;
} Reading;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Reading    *reading)
{
  reading->changed++;
}

static void
ask_for_first (gpointer data)
{
  Reading *reading = data;
  g_autoptr(SitrepTimelineEvent) first = g_list_model_get_item (G_LIST_MODEL (reading->model), 0);

  g_assert_nonnull (first);
}

static gboolean
first_is_read (gpointer data)
{
  Reading *reading = data;
  g_autoptr(SitrepTimelineEvent) first = NULL;

  if (reading->changed == 0)
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (reading->model), 0);
  return sitrep_timeline_event_get_id (first) > 0;
}

/* The Timeline view's model asks for a page while the server stalls: the item is a
 * placeholder that says it is being read, and the page comes once the server answers. */
static void
test_timeline_page (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) first = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  Reading reading = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("Note %u", i);
      g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note (f->other, f->incident,
                                                                   g_get_real_time (), text,
                                                                   "Dana", &error);

      g_assert_no_error (error);
      g_assert_nonnull (note);
    }
  model = sitrep_timeline_model_new (f->session->store, f->incident);
  sitrep_timeline_model_set_read_in_background (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), >=, 3);
  reading.model = model;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &reading);

  stalled (f, ask_for_first, &reading);
  wait_until (first_is_read, &reading, 30, "the timeline's first page to be read");
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (sitrep_timeline_event_get_kind (first), !=, NULL);
  g_assert_cmpuint (sitrep_timeline_model_get_rows_read (model), >=, 3);
}

static void
search_kettle (gpointer data)
{
  Reading *reading = data;

  /* What typing in the Timeline view's search does. */
  sitrep_timeline_model_set_search (reading->model, "kettle");
}

static gboolean
search_counted (gpointer data)
{
  Reading *reading = data;

  return g_list_model_get_n_items (G_LIST_MODEL (reading->model)) == 1
         && sitrep_timeline_model_get_n_total (reading->model) >= 3;
}

/* The Timeline view's search changes while the server stalls: the model counts what it lists
 * once the server answers, and shows it. */
static void
test_timeline_count (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) found = NULL;
  const char *notes[] = { "Depot 4 is printing again", "The kettle in the ops room is broken",
                          "Gateway certificate renewed" };
  Reading reading = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note (f->other, f->incident,
                                                                   g_get_real_time (), notes[i],
                                                                   "Dana", &error);

      g_assert_no_error (error);
      g_assert_nonnull (note);
    }
  model = sitrep_timeline_model_new (f->session->store, f->incident);
  sitrep_timeline_model_set_read_in_background (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), >=, 3);
  reading.model = model;

  stalled (f, search_kettle, &reading);
  wait_until (search_counted, &reading, 30, "the search to be counted");
  g_assert_null (sitrep_timeline_model_get_problem (model));
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &reading);
  found = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_clear_object (&found);
  wait_until (first_is_read, &reading, 30, "the event found to be read");
  found = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (sitrep_timeline_event_get_text (found), ==, notes[1]);
}

static void
refresh_model (gpointer data)
{
  Reading *reading = data;

  /* What the Timeline view does when the watch says another console wrote an event. */
  g_assert_true (sitrep_timeline_model_refresh (reading->model, NULL));
}

static gboolean
note_came (gpointer data)
{
  Reading *reading = data;

  return g_list_model_get_n_items (G_LIST_MODEL (reading->model)) == reading->changed;
}

/* Another console adds a note; the Timeline view catches up while the server stalls: the note
 * comes in at its place once the server answers. */
static void
test_timeline_refresh (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(SitrepTimelineEvent) last = NULL;
  Reading reading = { 0 };
  guint before;

  model = sitrep_timeline_model_new (f->session->store, f->incident);
  sitrep_timeline_model_set_read_in_background (model, TRUE);
  before = g_list_model_get_n_items (G_LIST_MODEL (model));
  note = sitrep_store_add_note (f->other, f->incident, g_get_real_time (),
                                "Depot 7 prints again", "Dana", &error);
  g_assert_no_error (error);
  reading.model = model;
  /* Here: how many items the model should list. */
  reading.changed = before + 1;

  stalled (f, refresh_model, &reading);
  wait_until (note_came, &reading, 30, "the other console's note to come in");
  g_assert_null (sitrep_timeline_model_get_problem (model));
  g_assert_cmpuint (sitrep_timeline_model_get_n_total (model), ==, before + 1);
  last = sitrep_timeline_model_lookup (model, sitrep_timeline_event_get_id (note), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_timeline_event_get_text (last), ==, "Depot 7 prints again");
}

typedef struct
{
  SitrepTimelineModel *model;
  gint64 event_id;
} Starring;

static void
star_told (gpointer data)
{
  Starring *starring = data;

  /* What the Timeline view does when another console starred an event. */
  g_assert_true (sitrep_timeline_model_event_changed (starring->model, starring->event_id,
                                                      NULL));
}

static gboolean
starred_listed (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (((Starring *) data)->model)) == 1;
}

/* Another console stars an event while this one lists the starred ones; the Timeline view is
 * told while the server stalls: the event is listed once the server answers. */
static void
test_timeline_event_changed (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  Starring starring = { 0 };

  note = sitrep_store_add_note (f->other, f->incident, g_get_real_time (),
                                "The depot printers need new ribbons", "Dana", &error);
  g_assert_no_error (error);
  model = sitrep_timeline_model_new (f->session->store, f->incident);
  sitrep_timeline_model_set_starred_only (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  sitrep_timeline_model_set_read_in_background (model, TRUE);
  g_assert_true (sitrep_store_star_event (f->other, note, TRUE, &error));
  g_assert_no_error (error);
  starring.model = model;
  starring.event_id = sitrep_timeline_event_get_id (note);

  stalled (f, star_told, &starring);
  wait_until (starred_listed, &starring, 30, "the starred event to be listed");
  g_assert_null (sitrep_timeline_model_get_problem (model));
}

typedef struct
{
  Fixture *f;
  SitrepTimelineModel *model;
  guint expected;       /* how many events the timeline holds */
  gint64 event_id;      /* an event no page holds */
  SitrepTimelineEvent *found;
} Opening;

static void
timeline_opened (gpointer data)
{
  Opening *opening = data;

  /* What the Timeline view does when it shows an incident; then the manager's reload asks it
   * to catch up before the counts have come. */
  opening->model = sitrep_timeline_model_new_in_background (opening->f->session->store,
                                                            opening->f->incident);
  g_assert_true (sitrep_timeline_model_refresh (opening->model, NULL));
}

static gboolean
timeline_counted (gpointer data)
{
  Opening *opening = data;

  return g_list_model_get_n_items (G_LIST_MODEL (opening->model)) == opening->expected
         && sitrep_timeline_model_get_n_total (opening->model) == opening->expected;
}

static void
add_notes (Fixture *f,
           guint    n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Depot %u reports late pickups", i);
      g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note (f->other, f->incident,
                                                                   g_get_real_time (), text,
                                                                   "Dana", &error);

      g_assert_no_error (error);
      g_assert_nonnull (note);
    }
}

/* The Timeline view opens an incident's timeline while the server stalls: the events are
 * counted once the server answers, each once, and the first row is read then. */
static void
test_timeline_first_count (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) last = NULL;
  Opening opening = { f };
  Reading reading = { 0 };

  add_notes (f, 3);
  opening.expected = sitrep_store_count_events (f->other, f->incident, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opening.expected, >=, 3);

  stalled (f, timeline_opened, &opening);
  model = opening.model;
  wait_until (timeline_counted, &opening, 30, "the timeline to be counted");
  spin (300);
  g_assert_true (timeline_counted (&opening));
  g_assert_null (sitrep_timeline_model_get_problem (model));

  /* What comes after the first count comes with the next refresh, once. */
  add_notes (f, 1);
  opening.expected++;
  g_assert_true (sitrep_timeline_model_refresh (model, NULL));
  wait_until (timeline_counted, &opening, 30, "the note recorded since to come in");
  reading.model = model;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &reading);
  last = g_list_model_get_item (G_LIST_MODEL (model), opening.expected - 1);
  g_clear_object (&last);
  wait_until (first_is_read, &reading, 30, "the rows to be read");
  last = g_list_model_get_item (G_LIST_MODEL (model), opening.expected - 1);
  g_assert_cmpstr (sitrep_timeline_event_get_text (last), ==, "Depot 0 reports late pickups");
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Opening *opening = user_data;
  g_autoptr(GError) error = NULL;

  opening->found = sitrep_timeline_model_lookup_finish (SITREP_TIMELINE_MODEL (source), result,
                                                        &error);
  g_assert_no_error (error);
}

static void
look_up (gpointer data)
{
  Opening *opening = data;

  /* What a row's menu does before it asks to edit, annotate or delete the note. */
  sitrep_timeline_model_lookup_async (opening->model, opening->event_id, NULL, looked_up_cb,
                                      opening);
}

static gboolean
found (gpointer data)
{
  return ((Opening *) data)->found != NULL;
}

/* The Timeline view looks up an event none of the model's pages holds while the server
 * stalls: the event comes once the server answers. */
static void
test_timeline_lookup (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineModel) model = NULL;
  g_autoptr(SitrepTimelineEvent) note = NULL;
  Opening opening = { f };

  note = sitrep_store_add_note (f->other, f->incident, g_get_real_time (),
                                "Ribbons ordered for depot 4", "Dana", &error);
  g_assert_no_error (error);
  model = sitrep_timeline_model_new (f->session->store, f->incident);
  sitrep_timeline_model_set_read_in_background (model, TRUE);
  g_assert_cmpuint (sitrep_timeline_model_get_n_pages_kept (model), ==, 0);
  opening.model = model;
  opening.event_id = sitrep_timeline_event_get_id (note);

  stalled (f, look_up, &opening);
  wait_until (found, &opening, 30, "the event to be read");
  g_assert_cmpstr (sitrep_timeline_event_get_text (opening.found), ==,
                   "Ribbons ordered for depot 4");
  g_clear_object (&opening.found);
}

typedef struct
{
  Fixture *f;
  guint current_told;   /* how often the new manager said its current incident changed */
  gint64 declared;      /* what the commander declared before the list came */
} Listing;

static void
current_told_cb (Listing *listing)
{
  listing->current_told++;
}

static void
incidents_made_again (gpointer data)
{
  Listing *listing = data;
  SitrepIncidentManager *incidents;

  /* What opening another runbook, or another database, does: the incidents are made again. */
  sitrep_session_replace_incidents (listing->f->session);
  incidents = listing->f->session->incidents;
  g_assert_nonnull (incidents);
  g_signal_connect_swapped (incidents, "notify::current", G_CALLBACK (current_told_cb), listing);
}

static gboolean
list_came (gpointer data)
{
  Listing *listing = data;
  SitrepIncidentManager *incidents = listing->f->session->incidents;
  SitrepIncident *current = sitrep_incident_manager_get_current (incidents);

  return !sitrep_incident_manager_get_loading (incidents) && current != NULL
         && sitrep_incident_manager_find (incidents, listing->f->incident) != NULL;
}

/* The console makes its incidents again (another runbook, another database) while the server
 * stalls: the list and the current incident come once the server answers. */
static void
test_incident_list (Fixture      *f,
                    gconstpointer data)
{
  Listing listing = { f, 0, 0 };
  SitrepIncident *current;

  stalled (f, incidents_made_again, &listing);
  wait_until (list_came, &listing, 30, "the incidents to be listed");
  current = sitrep_incident_manager_get_current (f->session->incidents);
  g_assert_cmpint (sitrep_incident_get_id (current), ==, f->incident);
  g_assert_cmpstr (sitrep_incident_get_summary (current), ==, "Dispatch queue stuck");
  g_assert_cmpuint (listing.current_told, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sitrep_incident_manager_get_listed (f->session->incidents)),
                    ==, 1);
}

/* The console makes its incidents again while the server is down: the list is read again
 * until the server is back, then shown. */
static void
test_incident_list_retry (Fixture      *f,
                          gconstpointer data)
{
  Listing listing = { f, 0, 0 };

  pg_test_cluster_stop (f->cluster);
  incidents_made_again (&listing);
  g_assert_true (sitrep_incident_manager_get_loading (f->session->incidents));
  /* Two tries at least fail meanwhile. */
  spin (7000);
  g_assert_true (sitrep_incident_manager_get_loading (f->session->incidents));
  g_assert_null (sitrep_incident_manager_get_current (f->session->incidents));

  pg_test_cluster_start (f->cluster);
  wait_until (list_came, &listing, 60, "the incidents to be listed once the server is back");
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (f->session->incidents)),
                   ==, f->incident);
}

static void
declared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Listing *listing = user_data;
  g_autoptr(GError) error = NULL;

  listing->declared = sitrep_incident_manager_declare_finish (SITREP_INCIDENT_MANAGER (source),
                                                              result, &error);
  g_assert_no_error (error);
}

static void
made_again_and_declared (gpointer data)
{
  Listing *listing = data;
  incidents_made_again (listing);
  /* The commander declares before the list has come. */
  sitrep_incident_manager_declare_async (listing->f->session->incidents, "P2",
                                         "Label printers offline at depot 4", "Parcels wait",
                                         "Robin", NULL, NULL, NULL, declared_cb, listing);
}

static gboolean
declared_and_listed (gpointer data)
{
  Listing *listing = data;
  SitrepIncidentManager *incidents = listing->f->session->incidents;
  SitrepIncident *current = sitrep_incident_manager_get_current (incidents);

  return listing->declared > 0 && list_came (listing)
         && sitrep_incident_get_id (current) == listing->declared;
}

/* The commander declares an incident while the list of incidents is on its way from a stalled
 * server: once both are there, the declared incident is current and listed beside the older
 * one, whichever came first. */
static void
test_incident_list_declared (Fixture      *f,
                             gconstpointer data)
{
  Listing listing = { f, 0, 0 };
  GListModel *listed;

  stalled (f, made_again_and_declared, &listing);
  wait_until (declared_and_listed, &listing, 30, "the declared incident and the list");
  spin (500);
  g_assert_true (declared_and_listed (&listing));
  listed = sitrep_incident_manager_get_listed (f->session->incidents);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 2);
  g_assert_cmpstr (sitrep_incident_get_summary (sitrep_incident_manager_get_current (f->session->incidents)),
                   ==, "Label printers offline at depot 4");
}

/* Statements about kept runbooks sent while the main loop ran (any thread may send). */
static gint snapshot_reads_on_main_loop;

static void
count_snapshot_reads (const char *sql)
{
  if (strstr (sql, "runbook_snapshots") != NULL
      && g_main_context_is_owner (g_main_context_default ()))
    g_atomic_int_inc (&snapshot_reads_on_main_loop);
}

typedef struct
{
  Fixture *f;
  gint64 id;
  char *described;
} Describing;

static gboolean
older_listed (gpointer data)
{
  Describing *describing = data;
  SitrepIncidentManager *incidents = describing->f->session->incidents;

  return !sitrep_incident_manager_get_loading (incidents)
         && sitrep_incident_manager_find (incidents, describing->id) != NULL;
}

static void
describe (gpointer data)
{
  Describing *describing = data;
  SitrepIncidentManager *incidents = describing->f->session->incidents;
  SitrepIncident *incident = sitrep_incident_manager_find (incidents, describing->id);

  /* What the Incident view asks when it shows the incident (and every second after). */
  describing->described = sitrep_incident_manager_describe_runbook (incidents, incident);
}

static gboolean
described (gpointer data)
{
  return ((Describing *) data)->described != NULL;
}

/* Another console declared an incident under another version of the runbook: the console
 * shows it with the copy kept with it, read on the reader thread with the incident, never on
 * the main loop (each round trip there is a stall while the network waits). */
static void
test_incident_runbook (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(SitrepRunbook) older = fixture_runbook_load ("COMMAND", "/bin/false", NULL);
  g_autoptr(SitrepDeclaration) declaration = NULL;
  g_autoptr(GError) error = NULL;
  Describing describing = { f };

  declaration = sitrep_declaration_new (older, "P2", "Customs feed stalled", NULL, "Dana", NULL,
                                        NULL, g_get_real_time (), &error);
  g_assert_no_error (error);
  describing.id = sitrep_store_declare_incident (f->other, declaration, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_runbook_get_digest (older), !=,
                   sitrep_runbook_get_digest (f->session->runbook));

  g_atomic_int_set (&snapshot_reads_on_main_loop, 0);
  sitrep_store_testing_set_asking (count_snapshot_reads);
  /* The incidents made again (another runbook opened, another database), and listed. */
  sitrep_session_replace_incidents (f->session);
  wait_until (older_listed, &describing, 30, "the list of incidents");
  g_idle_add_once (describe, &describing);
  wait_until (described, &describing, 30, "the incident's runbook to be described");
  sitrep_store_testing_set_asking (NULL);

  g_assert_nonnull (strstr (describing.described, "as it was then"));
  g_assert_cmpint (g_atomic_int_get (&snapshot_reads_on_main_loop), ==, 0);
  g_free (describing.described);
}

typedef struct
{
  SitrepIncidentRunbooks *runbooks;
  SitrepIncident *incident;
  gboolean done;
} Prefetching;

/* On the reader thread, as the incident manager reads an incident. */
static gpointer
prefetch_in_reader (SitrepStore *store,
                    gpointer     data,
                    GError     **error)
{
  Prefetching *prefetching = data;

  /* Without an incident, the reader connects and reads nothing. */
  if (prefetching->incident == NULL)
    return g_object_ref (store);
  sitrep_incident_runbooks_prefetch (prefetching->runbooks, store, prefetching->incident);
  /* As the incident manager's reads end: a read that fails drops the reader's connection, so
   * that the next one connects again. */
  return sitrep_store_load_incident (store, sitrep_incident_get_id (prefetching->incident),
                                     error);
}

static void
prefetched_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GObject) read = sitrep_store_read_finish (SITREP_STORE (source), result, NULL);

  ((Prefetching *) user_data)->done = TRUE;
}

static gboolean
prefetch_done (gpointer data)
{
  return ((Prefetching *) data)->done;
}

static void
prefetch (SitrepStore *store,
          Prefetching *prefetching)
{
  prefetching->done = FALSE;
  sitrep_store_read_async (store, prefetch_in_reader, prefetching, NULL, g_object_unref, NULL,
                           prefetched_cb, prefetching);
  wait_until (prefetch_done, prefetching, 30, "the incident's runbook to be read");
}

/* A lookup as the views make it: from the main loop, once a second. */
typedef struct
{
  SitrepIncidentRunbooks *runbooks;
  SitrepIncident *incident;
  SitrepIncidentRunbookKind kind;
  SitrepRunbook *shown;
  char *why;
  gboolean done;
} Looking;

static void
look_up_runbook (gpointer data)
{
  Looking *looking = data;

  g_clear_pointer (&looking->why, g_free);
  looking->shown = sitrep_incident_runbooks_lookup (looking->runbooks, looking->incident,
                                                    &looking->kind, &looking->why);
  looking->done = TRUE;
}

static gboolean
looked_up (gpointer data)
{
  return ((Looking *) data)->done;
}

static void
look_up_on_main_loop (Looking *looking)
{
  looking->done = FALSE;
  g_idle_add_once (look_up_runbook, looking);
  wait_until (looked_up, looking, 30, "the lookup");
}

/* The copy of an incident's runbook could not be read because the server was away: the
 * runbook at hand is shown meanwhile, with why; a lookup (the views ask every second, on the
 * main loop) does not ask the server again, the next read of the incident does. */
static void
test_incident_runbook_away (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepRunbook) older = fixture_runbook_load ("COMMAND", "/bin/false", NULL);
  g_autoptr(SitrepRunbook) at_hand = fixture_runbook_load (NULL);
  g_autoptr(SitrepDeclaration) declaration = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepIncidentRunbooks) runbooks = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GError) error = NULL;
  Prefetching prefetching = { 0 };
  Looking looking = { 0 };
  gint64 id;

  store = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  declaration = sitrep_declaration_new (older, "P2", "Customs feed stalled", NULL, "Dana", NULL,
                                        NULL, g_get_real_time (), &error);
  g_assert_no_error (error);
  id = sitrep_store_declare_incident (store, declaration, &error);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  runbooks = sitrep_incident_runbooks_new (store, at_hand);
  /* The reader thread connected, as a console's has when it reads the incident. */
  prefetching.runbooks = runbooks;
  prefetch (store, &prefetching);
  prefetching.incident = incident;
  looking.runbooks = runbooks;
  looking.incident = incident;

  pg_test_cluster_stop (cluster);
  prefetch (store, &prefetching);
  pg_test_cluster_start (cluster);

  /* The server is back, but a lookup does not ask it. */
  g_atomic_int_set (&snapshot_reads_on_main_loop, 0);
  sitrep_store_testing_set_asking (count_snapshot_reads);
  look_up_on_main_loop (&looking);
  sitrep_store_testing_set_asking (NULL);
  g_assert_true (looking.shown == at_hand);
  g_assert_cmpint (looking.kind, ==, SITREP_INCIDENT_RUNBOOK_AT_HAND);
  g_assert_nonnull (looking.why);
  g_assert_cmpint (g_atomic_int_get (&snapshot_reads_on_main_loop), ==, 0);

  /* The next read of the incident brings its copy (the reader connects again on its own
   * time). */
  for (guint tries = 0; tries < 60 && looking.kind != SITREP_INCIDENT_RUNBOOK_OWN; tries++)
    {
      prefetch (store, &prefetching);
      look_up_on_main_loop (&looking);
      if (looking.kind != SITREP_INCIDENT_RUNBOOK_OWN)
        g_usleep (G_USEC_PER_SEC / 2);
    }
  g_assert_cmpstr (looking.why, ==, NULL);
  g_assert_cmpint (looking.kind, ==, SITREP_INCIDENT_RUNBOOK_OWN);
  g_assert_cmpstr (sitrep_runbook_get_digest (looking.shown), ==,
                   sitrep_runbook_get_digest (older));
  g_free (looking.why);
}

typedef struct
{
  Fixture *f;
  const SitrepService *service;
  SitrepMonitor *monitor;
} Restoring;

static void
make_monitor (gpointer data)
{
  Restoring *restoring = data;

  /* What a console does at start, or when its runbook is opened again. */
  restoring->monitor = sitrep_monitor_new (restoring->f->session->runbook,
                                           restoring->f->session->store, NULL);
}

static guint
sparkline (Restoring         *restoring,
           SitrepHealthPoint *points)
{
  SitrepServiceState *state = sitrep_monitor_find_service (restoring->monitor,
                                                           restoring->service->id);

  return sitrep_service_state_get_history (state, points, SITREP_HEALTH_HISTORY);
}

/* The sparkline holds @samples, in order (the console's own probes add theirs to the store). */
static gboolean
shows_samples (Restoring                *restoring,
               const SitrepHealthSample *samples,
               guint                     n_samples)
{
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  guint n = sparkline (restoring, points), found = 0;

  for (guint i = 0; i < n && found < n_samples; i++)
    if (points[i].at == samples[found].at && points[i].latency_ms == samples[found].latency_ms
        && points[i].health == SITREP_HEALTH_DOWN)
      found++;
  return found == n_samples;
}

typedef struct
{
  Restoring *restoring;
  SitrepHealthSample *samples;
} Restored;

static gboolean
history_restored (gpointer data)
{
  Restored *restored = data;

  return restored->restoring->monitor != NULL
         && shows_samples (restored->restoring, restored->samples, 5);
}

/* A console's monitor starts while the server stalls: the sparklines fill with what the store
 * kept once it answers. */
static void
test_health_history (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Restoring restoring = { f, NULL, NULL };
  SitrepHealthSample samples[5];
  Restored restored = { &restoring, samples };
  const SitrepProbeSpec *probe;
  gint64 now = g_get_real_time ();

  restoring.service = sitrep_runbook_get_services (f->session->runbook)->pdata[0];
  probe = restoring.service->probes->pdata[0];
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (SitrepHealthSample) { restoring.service->id, probe->id,
                                        now - (5 - i) * 60 * G_USEC_PER_SEC, "down", 1012 + i,
                                        NULL };
  g_assert_true (sitrep_store_add_health (f->other, samples, G_N_ELEMENTS (samples), NULL, 0,
                                          &error));
  g_assert_no_error (error);

  stalled (f, make_monitor, &restoring);
  wait_until (history_restored, &restored, 30, "the sparkline to show the stored samples");
  g_clear_object (&restoring.monitor);
}

typedef struct
{
  Fixture *f;
  gint64 closed;
} Closing;

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Closing *closing = user_data;

  closing->closed = sitrep_action_controller_close_unfinished_finish (
    SITREP_ACTION_CONTROLLER (source), result, &error);
  g_assert_no_error (error);
}

static void
close_unfinished (gpointer data)
{
  Closing *closing = data;

  /* What the controller does when the console starts. */
  sitrep_action_controller_close_unfinished_async (closing->f->session->actions, NULL, closed_cb,
                                                   closing);
}

static gboolean
closing_done (gpointer data)
{
  return ((Closing *) data)->closed >= 0;
}

/* A command a console on this machine left running when it was killed: the next console closes
 * it at start while the server stalls, and the log and the incident say so once it answers. */
static void
test_close_unfinished (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *owner = g_strdup_printf ("%s a-boot-long-gone 4242 -", g_get_host_name ());
  const char *argv[] = { "kubectl", "rollout", "restart", "deployment/nw-gateway", NULL };
  static const char *const kinds[] = { SITREP_TIMELINE_KIND_ACTION_NEVER_FINISHED, NULL };
  SitrepAuditEntry started = {
    .at = g_get_real_time (),
    .os_user = (char *) g_get_user_name (),
    .incident_id = f->incident,
    .action_id = "restart",
    .service_id = "gateway",
    .argv = (char **) argv,
    .outcome = (char *) SITREP_AUDIT_STARTED,
    .owner = owner,
  };
  Closing closing = { f, -1 };
  gint64 started_id;

  g_assert_nonnull (sitrep_store_get_audit_key (f->session->store));
  sitrep_store_set_audit_key (f->other, sitrep_store_get_audit_key (f->session->store));
  started_id = sitrep_store_append_audit (f->other, &started, &error);
  g_assert_no_error (error);
  g_assert_cmpint (started_id, >, 0);

  stalled (f, close_unfinished, &closing);
  wait_until (closing_done, &closing, 30, "the unfinished command to be closed");
  g_assert_cmpint (closing.closed, ==, 1);

  entries = sitrep_store_list_audit (f->other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==,
                   SITREP_AUDIT_NEVER_FINISHED);
  g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[1])->started_id, ==, started_id);
  events = sitrep_store_list_events (f->other, f->incident, SITREP_TIMELINE_LIST_DEFAULT, kinds,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
}

typedef struct
{
  Fixture *f;
  gint64 message;
  SitrepWebhookState state;
} Posting;

static void
webhook_changed_cb (SitrepWebhook      *webhook,
                    gint64              message_id,
                    SitrepWebhookState  state,
                    Posting            *posting)
{
  if (message_id == posting->message)
    posting->state = state;
}

static void
retry_due (gpointer data)
{
  Posting *posting = data;

  /* What the webhook's timer does. */
  sitrep_webhook_retry_due (posting->f->session->webhook);
}

static gboolean
message_tried (gpointer data)
{
  return ((Posting *) data)->state == SITREP_WEBHOOK_STATE_FAILED;
}

/* A message another console queued for the chat webhook: this console's webhook reads its queue
 * while the server stalls, and tries the message once it answers (here no URL is set, so the
 * attempt fails, saying so). */
static void
test_webhook_queue (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  SitrepMessageRecord record = {
    .incident_id = f->incident,
    .template_id = "depot-notice",
    .title = "Depot notice",
    .kind = SITREP_TEMPLATE_STATUS,
    .text = "Label printing is down at every depot.",
    .at = g_get_real_time (),
    .author = "Dana",
    .posted = TRUE,
  };
  Posting posting = { f, 0, SITREP_WEBHOOK_STATE_QUEUED };

  posting.message = sitrep_store_record_message_full (f->other, &record, &error);
  g_assert_no_error (error);
  g_signal_connect (f->session->webhook, "changed", G_CALLBACK (webhook_changed_cb), &posting);

  stalled (f, retry_due, &posting);
  wait_until (message_tried, &posting, 30, "the queued message to be tried");
  g_signal_handlers_disconnect_by_data (f->session->webhook, &posting);
  message = sitrep_store_load_message (f->other, posting.message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_FAILED);
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
  g_test_message ("%s", message->webhook_error);
}

static gboolean
store_away (gpointer data)
{
  SitrepStore *store = sitrep_session_get_store (data);

  return store != NULL && sitrep_store_get_offline (store)
         && sitrep_session_get_incidents (data) != NULL;
}

static gboolean
store_back (gpointer data)
{
  SitrepStore *store = sitrep_session_get_store (data);

  return store != NULL && !sitrep_store_get_offline (store)
         && sitrep_store_get_pending_changes (store) == 0;
}

typedef struct
{
  PgTestCluster *cluster;
  SitrepSession *session;
} StartedAway;

/* The incident declared while away is on the server, and is the console's current one under
 * the server's id. */
static gboolean
declared_on_server (gpointer data)
{
  StartedAway *away = data;
  g_autofree char *id = pg_test_cluster_query (away->cluster,
                                               "SELECT id FROM incidents WHERE summary = "
                                               "'Declared before the server was up'");
  SitrepIncident *current = sitrep_incident_manager_get_current (away->session->incidents);
  g_autofree char *shown = current != NULL
                             ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                                sitrep_incident_get_id (current))
                             : NULL;

  return id != NULL && g_strcmp0 (id, shown) == 0;
}

/* Switching away from the team database while its server stalls. */
typedef struct
{
  Fixture *f;
  char *file;
  guint writing;
} Leaving;

static void
kept_note_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source),
                                                                      result, &error);
  Leaving *leaving = user_data;

  g_assert_no_error (error);
  g_assert_nonnull (note);
  leaving->writing--;
}

static void
switch_away (gpointer data)
{
  Leaving *leaving = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_session_switch_store (leaving->f->session, leaving->file, &error));
  g_assert_no_error (error);
}

static gboolean
note_written (gpointer data)
{
  return ((Leaving *) data)->writing == 0;
}

/* Preferences' team address emptied while the server stalls, with a note and the probes'
 * last samples still to be written there: the console is on its file at once, its main loop
 * turning, and both reach the team database once the server answers. */
static void
test_switch_away (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) probe_error = g_error_new_literal (SITREP_PROBE_ERROR,
                                                       SITREP_PROBE_ERROR_CANNOT_RUN,
                                                       "connection refused");
  const SitrepService *service = sitrep_runbook_get_services (f->session->runbook)->pdata[0];
  const SitrepProbeSpec *probe = service->probes->pdata[0];
  g_autofree char *notes = NULL;
  g_autofree char *samples = NULL;
  g_autofree char *before = NULL;
  Leaving leaving = { f, g_build_filename (g_get_user_data_dir (), "mine.db", NULL), 0 };

  before = pg_test_cluster_query (f->cluster, "SELECT count(*) FROM health_samples");
  /* The probe's sample waits in the monitor (it is written once a second); the note is
   * queued for the writer thread. */
  sitrep_monitor_feed (f->session->monitor, service->id, probe->id, NULL, probe_error);
  leaving.writing++;
  sitrep_store_add_note_async (f->session->store, f->incident, g_get_real_time (),
                               "Written after the switch", "Dana", NULL, kept_note_cb,
                               &leaving);

  stalled (f, switch_away, &leaving);
  g_assert_cmpstr (sitrep_session_get_store_address (f->session), ==, leaving.file);
  g_assert_false (sitrep_store_is_shared (sitrep_session_get_store (f->session)));

  wait_until (note_written, &leaving, 30, "the note to be written");
  notes = pg_test_cluster_query (f->cluster, "SELECT count(*) FROM timeline_events"
                                             " WHERE text = 'Written after the switch'");
  g_assert_cmpstr (notes, ==, "1");
  samples = pg_test_cluster_query (f->cluster, "SELECT count(*) FROM health_samples");
  g_assert_cmpint (g_ascii_strtoll (samples, NULL, 10), >, g_ascii_strtoll (before, NULL, 10));
  g_free (leaving.file);
}

static gboolean
presence_known (gpointer data)
{
  return sitrep_session_get_presence (data) != NULL;
}

/* Whether the console shows, as its current incident, the one declared while away in its
 * earlier run, from the journal. */
static gboolean
restored_from_journal (gpointer data)
{
  SitrepSession *session = data;
  SitrepIncident *current = session->incidents != NULL
                              ? sitrep_incident_manager_get_current (session->incidents)
                              : NULL;

  return current != NULL && sitrep_incident_is_kept (current)
         && g_strcmp0 (sitrep_incident_get_summary (current),
                       "Declared before the server was up") == 0;
}

static void
copy_kept_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TeamWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sitrep_store_record_message_finish (SITREP_STORE (source), result, &error),
                   ==, 0);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_write_was_journaled (result));
  waiting->pending--;
}

/* The console starts while its team database is down: it works on as when the server goes
 * away later (the store is offline, an incident is declared and a note written, kept in the
 * journal). Started again while the server is still down, it shows that incident again, from
 * the journal, its severity as changed then and its update clock started again by a status
 * update copied to the chat. Once the server is up it connects by itself,
 * writes what was kept once, shows the incident under the server's id, and sees who else is
 * there. */
/* The runbook the current incident is shown with, asked from the main loop as the Incident
 * view asks. */
typedef struct
{
  SitrepSession *session;
  char *digest;
  char *described;
  gboolean done;
} ShownWith;

static void
show_with (gpointer data)
{
  ShownWith *shown = data;
  SitrepIncident *current = sitrep_incident_manager_get_current (shown->session->incidents);

  g_clear_pointer (&shown->digest, g_free);
  g_clear_pointer (&shown->described, g_free);
  shown->digest = g_strdup (sitrep_runbook_get_digest (
    sitrep_incident_manager_get_runbook_for (shown->session->incidents, current)));
  shown->described = sitrep_incident_manager_describe_runbook (shown->session->incidents,
                                                               current);
  shown->done = TRUE;
}

static gboolean
shown_with_done (gpointer data)
{
  return ((ShownWith *) data)->done;
}

static void
show_with_on_main_loop (ShownWith *shown)
{
  shown->done = FALSE;
  g_idle_add_once (show_with, shown);
  wait_until (shown_with_done, shown, 30, "the runbook shown");
}

static void
test_start_unreachable (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(SitrepRunbook) newer = fixture_runbook_load ("COMMAND", "/bin/false", NULL);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  ShownWith shown_with = { 0 };
  g_autofree char *incidents = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *messages = NULL;
  TeamWaiting waiting = { 0 };
  SitrepMessageRecord copied = {
    .template_id = "depot-notice",
    .title = "Depot notice",
    .kind = SITREP_TEMPLATE_STATUS,
    .text = "Copied before the server was up",
    .author = "carol",
  };
  StartedAway away;
  SitrepIncident *current;
  GListModel *shown;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  pg_test_cluster_stop (cluster);
  settings = g_settings_new (APP_ID);
  session = sitrep_session_new (settings);
  sitrep_session_set_runbook (session, runbook);
  sitrep_session_open_store (session, cluster->uri);
  wait_until (store_away, session, 60, "the session to work on with the database away");
  g_assert_null (sitrep_session_get_store_error (session));
  g_assert_true (sitrep_store_is_shared (sitrep_session_get_store (session)));

  waiting.pending++;
  sitrep_incident_manager_declare_async (session->incidents, "P1",
                                         "Declared before the server was up", "Checkout fails",
                                         "carol", NULL, NULL, NULL, team_test_declared_cb,
                                         &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpint (waiting.declared, <, 0);
  waiting.pending++;
  sitrep_store_add_note_async (session->store, waiting.declared, g_get_real_time (),
                               "Noted before the server was up", "carol", NULL,
                               team_test_note_cb, &waiting);
  waiting.pending++;
  sitrep_incident_manager_set_severity_async (session->incidents, waiting.declared, "P2",
                                              "carol", NULL, team_test_changed_cb, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpuint (waiting.journaled, ==, 1);
  copied.incident_id = waiting.declared;
  copied.at = g_get_real_time () + G_USEC_PER_SEC;
  waiting.pending++;
  sitrep_store_record_message_async (session->store, &copied, NULL, copy_kept_cb, &waiting);
  team_test_wait_for_all (&waiting);

  /* Closed, and started again while the server is still down, with another version of the
   * runbook open. */
  sitrep_session_close (session);
  g_clear_object (&session);
  session = sitrep_session_new (settings);
  sitrep_session_set_runbook (session, newer);
  g_atomic_int_set (&snapshot_reads_on_main_loop, 0);
  sitrep_store_testing_set_asking (count_snapshot_reads);
  sitrep_session_open_store (session, cluster->uri);
  wait_until (store_away, session, 60, "the session to work on with the database away");
  wait_until (restored_from_journal, session, 30, "the kept incident to be shown again");
  current = sitrep_incident_manager_get_current (session->incidents);
  g_assert_cmpint (sitrep_incident_get_id (current), ==, waiting.declared);
  g_assert_cmpstr (sitrep_incident_get_severity (current), ==, "P2");
  g_assert_cmpint (sitrep_incident_get_last_update_at (current), ==, copied.at);
  shown = sitrep_incident_manager_get_incidents (session->incidents);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  /* Shown with the runbook it was declared under, which the journal keeps with it: the server
   * that has the copy is away. */
  shown_with.session = session;
  show_with_on_main_loop (&shown_with);
  g_assert_cmpstr (shown_with.digest, ==, sitrep_runbook_get_digest (runbook));
  g_assert_nonnull (strstr (shown_with.described, "as it was then"));
  sitrep_store_testing_set_asking (NULL);
  g_assert_cmpint (g_atomic_int_get (&snapshot_reads_on_main_loop), ==, 0);

  pg_test_cluster_start (cluster);
  wait_until (store_back, session, 60, "the session to connect and write what it kept");
  away.cluster = cluster;
  away.session = session;
  wait_until (declared_on_server, &away, 30, "the incident to be shown under the server's id");
  show_with_on_main_loop (&shown_with);
  g_assert_cmpstr (shown_with.digest, ==, sitrep_runbook_get_digest (runbook));
  incidents = pg_test_cluster_query (cluster, "SELECT count(*) FROM incidents WHERE summary = "
                                              "'Declared before the server was up'");
  g_assert_cmpstr (incidents, ==, "1");
  notes = pg_test_cluster_query (cluster, "SELECT count(*) FROM timeline_events WHERE text = "
                                          "'Noted before the server was up'");
  g_assert_cmpstr (notes, ==, "1");
  messages = pg_test_cluster_query (cluster, "SELECT count(*) FROM messages WHERE text = "
                                             "'Copied before the server was up'");
  g_assert_cmpstr (messages, ==, "1");
  /* Who else is on the team database is seen too, now that it answers. */
  wait_until (presence_known, session, 30, "the console to see who else is there");
  sitrep_session_close (session);
  g_free (shown_with.digest);
  g_free (shown_with.described);
}

static void
load_key (gpointer data)
{
  sitrep_store_load_audit_key_async (data, NULL, NULL, NULL);
}

static gboolean
key_loaded (gpointer data)
{
  return sitrep_store_get_audit_key (data) != NULL;
}

/* A console's audit key is looked up in the keyring under the database's id, which the store
 * reads from the database first: on a team database on the reader thread, the main loop
 * turning while the server stalls. */
static void
test_audit_key (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (f->cluster->uri, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sitrep_store_get_audit_key (f->session->store));
  g_assert_null (sitrep_store_get_audit_key (store));
  stalled (f, load_key, store);
  wait_until (key_loaded, store, 30, "the audit key to be loaded");
  /* The keyring's entry for this database: the key the console signs with. */
  g_assert_true (g_bytes_equal (sitrep_store_get_audit_key (store),
                                sitrep_store_get_audit_key (f->session->store)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/team-reads/reload", Fixture, NULL, fixture_set_up, test_reload,
              fixture_tear_down);
  g_test_add ("/team-reads/journal-replayed", Fixture, NULL, fixture_set_up,
              test_journal_replayed, fixture_tear_down);
  g_test_add ("/team-reads/incident-list", Fixture, NULL, fixture_set_up, test_incident_list,
              fixture_tear_down);
  g_test_add ("/team-reads/incident-list-retry", Fixture, NULL, fixture_set_up,
              test_incident_list_retry, fixture_tear_down);
  g_test_add ("/team-reads/incident-list-declared", Fixture, NULL, fixture_set_up,
              test_incident_list_declared, fixture_tear_down);
  g_test_add ("/team-reads/timeline-page", Fixture, NULL, fixture_set_up, test_timeline_page,
              fixture_tear_down);
  g_test_add ("/team-reads/timeline-count", Fixture, NULL, fixture_set_up, test_timeline_count,
              fixture_tear_down);
  g_test_add ("/team-reads/timeline-refresh", Fixture, NULL, fixture_set_up,
              test_timeline_refresh, fixture_tear_down);
  g_test_add ("/team-reads/timeline-event-changed", Fixture, NULL, fixture_set_up,
              test_timeline_event_changed, fixture_tear_down);
  g_test_add ("/team-reads/timeline-first-count", Fixture, NULL, fixture_set_up,
              test_timeline_first_count, fixture_tear_down);
  g_test_add ("/team-reads/timeline-lookup", Fixture, NULL, fixture_set_up,
              test_timeline_lookup, fixture_tear_down);
  g_test_add ("/team-reads/incident-runbook", Fixture, NULL, fixture_set_up,
              test_incident_runbook, fixture_tear_down);
  g_test_add ("/team-reads/health-history", Fixture, NULL, fixture_set_up, test_health_history,
              fixture_tear_down);
  g_test_add ("/team-reads/close-unfinished", Fixture, NULL, fixture_set_up,
              test_close_unfinished, fixture_tear_down);
  g_test_add ("/team-reads/webhook-queue", Fixture, NULL, fixture_set_up, test_webhook_queue,
              fixture_tear_down);
  g_test_add ("/team-reads/audit-key", Fixture, NULL, fixture_set_up, test_audit_key,
              fixture_tear_down);
  g_test_add_func ("/team-reads/incident-runbook-away", test_incident_runbook_away);
  g_test_add_func ("/team-reads/start-unreachable", test_start_unreachable);
  g_test_add ("/team-reads/switch-away", Fixture, NULL, fixture_set_up, test_switch_away,
              fixture_tear_down);
  return g_test_run ();
}
