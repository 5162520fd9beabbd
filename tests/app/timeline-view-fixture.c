/* timeline-view-fixture.c: a Timeline view in a window over an incident of the default runbook */
#include "config.h"

#include "sitrep-timeline-model-private.h"
#include "timeline-view-fixture.h"

void
timeline_fixture_set_up (TimelineFixture *f,
                         gconstpointer    data)
{
  const UiFixtureDeclaration declare = {
    "SEV-2", "API returns 503s", "Patients cannot log in", "alice", NULL,
  };
  const UiFixtureOptions options = {
    .declare = &declare,
    .window_width = 900,
    .window_height = 600,
  };

  ui_fixture_set_up (&f->ui, &options);
  f->view = SITREP_TIMELINE_VIEW (sitrep_timeline_view_new ());
  sitrep_timeline_view_set_utc (f->view, TRUE);
  sitrep_timeline_view_set_author (f->view, "alice");
  ui_fixture_show (&f->ui, GTK_WIDGET (f->view));
}

void
timeline_fixture_tear_down (TimelineFixture *f,
                            gconstpointer    data)
{
  ui_fixture_tear_down (&f->ui);
}

/* How many events the timeline shown read from the database since it was made. */
guint64
timeline_fixture_rows_read (TimelineFixture *f)
{
  SitrepTimelineModel *model = sitrep_timeline_view_get_model (f->view);

  return model != NULL ? sitrep_timeline_model_get_rows_read (model) : 0;
}

/* The model reads in place, nothing works through the events in the background: what the
 * view shows once the main loop has nothing pending. */
guint
timeline_fixture_n_shown (TimelineFixture *f)
{
  ui_fixture_settle ();
  return sitrep_timeline_view_get_n_shown (f->view);
}

SitrepTimelineEvent *
timeline_fixture_shown_event (TimelineFixture *f,
                              guint            position)
{
  ui_fixture_settle ();
  return sitrep_timeline_view_get_shown (f->view, position);
}

char *
timeline_fixture_describe_row (TimelineFixture *f,
                               guint            position)
{
  ui_fixture_settle ();
  return sitrep_timeline_view_describe_row (f->view, position);
}

void
timeline_fixture_assert_row (TimelineFixture *f,
                             guint            position,
                             const char      *expected)
{
  g_autofree char *text = timeline_fixture_describe_row (f, position);

  g_assert_cmpstr (text, ==, expected);
}
