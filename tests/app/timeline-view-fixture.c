/* timeline-view-fixture.c: a Timeline view in a window over an incident of the default runbook */
#include "config.h"

#include "sitrep-runbook-loader.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-private.h"
#include "sitrep-timeline-model-private.h"
#include "timeline-view-fixture.h"

/* What the console records when a service's health changes, written straight to the store. */
gint64
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

gint64
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

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 11, 28, 3, 20, 0);

  f->t0 = g_date_time_to_unix (t0) * G_USEC_PER_SEC;
  f->store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  f->clock = sitrep_clock_new_manual (f->t0);
  f->manager = sitrep_incident_manager_new (f->store, f->runbook, f->clock, &error);
  g_assert_no_error (error);
  f->incident = sitrep_incident_manager_declare (f->manager, "SEV-2", "API returns 503s",
                                                 "Patients cannot log in", "alice", NULL, NULL,
                                                 &error);
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 600);
  f->view = SITREP_TIMELINE_VIEW (sitrep_timeline_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  sitrep_timeline_view_set_utc (f->view, TRUE);
  sitrep_timeline_view_set_author (f->view, "alice");
  gtk_window_present (f->window);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->manager);
  g_clear_object (&f->clock);
  g_clear_object (&f->runbook);
  g_clear_object (&f->store);
}

/* Runs the main loop until nothing is pending: the model reads in place, nothing works through
 * the events in the background. */
void
settle (Fixture *f)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* How many events the timeline shown read from the database since it was made. */
guint64
rows_read (Fixture *f)
{
  SitrepTimelineModel *model = sitrep_timeline_view_get_model (f->view);

  return model != NULL ? sitrep_timeline_model_get_rows_read (model) : 0;
}

guint
shown (Fixture *f)
{
  settle (f);
  return sitrep_timeline_view_get_n_shown (f->view);
}

SitrepTimelineEvent *
shown_event (Fixture *f,
             guint    position)
{
  settle (f);
  return sitrep_timeline_view_get_shown (f->view, position);
}

char *
row (Fixture *f,
     guint    position)
{
  settle (f);
  return sitrep_timeline_view_describe_row (f->view, position);
}

void
assert_row (Fixture    *f,
            guint       position,
            const char *expected)
{
  g_autofree char *text = row (f, position);

  g_assert_cmpstr (text, ==, expected);
}
