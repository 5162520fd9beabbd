/* sitrep-health-tile.h: one service at a glance: state in icon, word and colour, latency, history */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-clock.h"
#include "sitrep-service-state.h"

G_BEGIN_DECLS

#define SITREP_TYPE_HEALTH_TILE (sitrep_health_tile_get_type ())

G_DECLARE_FINAL_TYPE (SitrepHealthTile, sitrep_health_tile, SITREP, HEALTH_TILE, GtkWidget)

GtkWidget          *sitrep_health_tile_new       (void);
void                sitrep_health_tile_set_state (SitrepHealthTile   *self,
                                                  SitrepServiceState *state);
SitrepServiceState *sitrep_health_tile_get_state (SitrepHealthTile   *self);
void                sitrep_health_tile_refresh   (SitrepHealthTile   *self,
                                                  gint64              now);

G_END_DECLS
