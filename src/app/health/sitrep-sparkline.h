/* sitrep-sparkline.h: a small chart of a probe's recent latencies and states */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-service-state.h"

G_BEGIN_DECLS

#define SITREP_TYPE_SPARKLINE (sitrep_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (SitrepSparkline, sitrep_sparkline, SITREP, SPARKLINE, GtkWidget)

GtkWidget *sitrep_sparkline_new        (void);
void       sitrep_sparkline_set_points (SitrepSparkline         *self,
                                        const SitrepHealthPoint *points,
                                        guint                    n_points);

G_END_DECLS
