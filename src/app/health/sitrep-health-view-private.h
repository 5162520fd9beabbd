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

  AdwLeaflet *leaflet;
  GtkLabel *summary_label;
  GtkToggleButton *pause_button;
  GtkGridView *grid;
  GtkLabel *service_title;
  SitrepServicePage *service_page;
};

/* Defined in sitrep-health-view-testing.c, which only the tests link. */
const char *sitrep_health_view_get_summary      (SitrepHealthView *self);
const char *sitrep_health_view_get_page         (SitrepHealthView *self);
GtkWidget  *sitrep_health_view_get_service_page (SitrepHealthView *self);
GPtrArray  *sitrep_health_view_get_tiles        (SitrepHealthView *self);

G_END_DECLS
