/* sitrep-health-view-private.h: what the Health view and the tests that read it share */
#pragma once

#include "sitrep-health-view.h"
#include "sitrep-service-page.h"

G_BEGIN_DECLS

struct _SitrepHealthView
{
  GtkWidget parent_instance;

  SitrepMonitor *monitor;
  SitrepActionController *controller;
  GBinding *paused_binding;
  GPtrArray *tiles; /* bound tiles, unowned */
  guint refresh_id;
  guint fit_id;            /* the columns fitted to a new width, after its allocation */
  gboolean offer_drill;    /* the window's part: the built-in runbook, and no incident yet */
  gboolean seen_up;        /* a service of this monitor answered: the runbook's world is here */
  gboolean welcome_closed; /* "Show the Services" */
  GtkPopover *tile_menu;   /* a tile's context menu while open, parented to the view */

  AdwLeaflet *leaflet;
  GtkLabel *summary_label;
  GtkToggleButton *pause_button;
  GtkGridView *grid;
  GtkStack *grid_stack;
  AdwStatusPage *welcome_page;
  GtkButton *welcome_drill_button;
  GtkLabel *service_title;
  SitrepServicePage *service_page;
};

/* Defined in sitrep-health-view-testing.c, which only the tests link. */
const char *sitrep_health_view_get_summary      (SitrepHealthView *self);
const char *sitrep_health_view_get_page         (SitrepHealthView *self);
GtkWidget  *sitrep_health_view_get_service_page (SitrepHealthView *self);
GPtrArray  *sitrep_health_view_get_tiles        (SitrepHealthView *self);
gboolean    sitrep_health_view_get_welcome_shown (SitrepHealthView *self);
gboolean    sitrep_health_view_get_page_visible (SitrepHealthView *self,
                                                 const char       *name);
GtkWidget  *sitrep_health_view_get_welcome_drill_button (SitrepHealthView *self);
GtkPopover *sitrep_health_view_get_tile_menu    (SitrepHealthView *self);

G_END_DECLS
