/* timeline-view-fixture.h: a Timeline view in a window over an incident of the default runbook */
#pragma once

#include <adwaita.h>

#include "sitrep-incident-manager.h"
#include "sitrep-store.h"
#include "sitrep-timeline-view-private.h"

G_BEGIN_DECLS

#define MINUTE G_GINT64_CONSTANT (60000000)

/* An incident declared at t0 (28 November 2026, 03:20 UTC) in an in-memory store, and a
 * Timeline view in a window on screen, not yet given the store. */
typedef struct
{
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  GtkWindow *window;
  SitrepTimelineView *view;
  gint64 t0;
  gint64 incident;
} Fixture;

void      fixture_set_up    (Fixture       *f,
                             gconstpointer  data);
void      fixture_tear_down (Fixture       *f,
                             gconstpointer  data);
void      settle            (Fixture       *f);
guint64   rows_read         (Fixture       *f);
guint     shown             (Fixture       *f);
SitrepTimelineEvent *shown_event (Fixture  *f,
                                  guint     position);
char     *row               (Fixture       *f,
                             guint          position);
void      assert_row        (Fixture       *f,
                             guint          position,
                             const char    *expected);
gint64    add_health        (SitrepStore   *store,
                             gint64         incident,
                             gint64         at,
                             const char    *old_health,
                             const char    *new_health);
gint64    add_note          (SitrepStore   *store,
                             gint64         incident,
                             gint64         at,
                             const char    *text);

G_END_DECLS
