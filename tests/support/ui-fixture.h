/* ui-fixture.h: what the widget tests build before their widget: a store, a runbook, a clock, an
 * incident manager with an incident declared, and a window */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-incident-manager.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* The incident declared through the manager in set-up (no channel). */
typedef struct
{
  const char *severity;
  const char *summary;
  const char *impact;
  const char *lead;
  const char *const *services;
} UiFixtureDeclaration;

/* What differs between the tests; all zero is CareCircle in an in-memory store, a manual clock
 * at UI_FIXTURE_T0, no incident, and a window of GTK's default size. */
typedef struct
{
  /* The runbook the manager uses, a reference taken; %NULL: the default runbook (CareCircle). */
  SitrepRunbook *runbook;
  /* A database file in a temporary folder of its own (UiFixture.database_path), removed at
   * tear-down; otherwise an in-memory store. */
  gboolean on_disk;
  /* The real clock instead of a manual one at t0. */
  gboolean real_clock;
  /* The manual clock's time (UiFixture.t0 with either clock); 0: UI_FIXTURE_T0. */
  gint64 t0;
  /* Declared once the manager is made; %NULL: no incident. */
  const UiFixtureDeclaration *declare;
  /* The window's default size, when not 0. */
  int window_width;
  int window_height;
} UiFixtureOptions;

/* 28 November 2026, 03:20 UTC, in microseconds. */
#define UI_FIXTURE_T0 (G_GINT64_CONSTANT (1795836000) * G_USEC_PER_SEC)

/* A test's fixture, or a member of it when the test keeps more. The window is not on screen
 * until ui_fixture_show(). */
typedef struct
{
  char *database_dir;
  char *database_path;
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  GtkWindow *window;
  gint64 t0;
  /* The declared incident's id, or 0. */
  gint64 incident;
} UiFixture;

void ui_fixture_set_up    (UiFixture              *fixture,
                           const UiFixtureOptions *options);
void ui_fixture_tear_down (UiFixture              *fixture);
void ui_fixture_show      (UiFixture              *fixture,
                           GtkWidget              *child);
void ui_fixture_settle    (void);

G_END_DECLS
