/* timeline-view-fixture.h: a Timeline view in a window over an incident of the default runbook */
#pragma once

#include <adwaita.h>

#include "ui-fixture.h"
#include "sitrep-timeline-view-private.h"

G_BEGIN_DECLS

/* An incident declared at t0 (UI_FIXTURE_T0) in an in-memory store, and a Timeline view in a
 * window on screen, not yet given the store. */
typedef struct
{
  UiFixture ui;
  SitrepTimelineView *view;
} TimelineFixture;

void     timeline_fixture_set_up       (TimelineFixture *f,
                                        gconstpointer    data);
void     timeline_fixture_tear_down    (TimelineFixture *f,
                                        gconstpointer    data);
guint64  timeline_fixture_rows_read    (TimelineFixture *f);
guint    timeline_fixture_n_shown      (TimelineFixture *f);
SitrepTimelineEvent *timeline_fixture_shown_event (TimelineFixture *f,
                                                   guint            position);
char    *timeline_fixture_describe_row (TimelineFixture *f,
                                        guint            position);
void     timeline_fixture_assert_row   (TimelineFixture *f,
                                        guint            position,
                                        const char      *expected);

G_END_DECLS
