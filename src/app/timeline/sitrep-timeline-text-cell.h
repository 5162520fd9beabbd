/* sitrep-timeline-text-cell.h: an event's text on the timeline, its edit mark and annotation */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SITREP_TYPE_TIMELINE_TEXT_CELL (sitrep_timeline_text_cell_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTimelineTextCell, sitrep_timeline_text_cell, SITREP,
                      TIMELINE_TEXT_CELL, GtkWidget)

GtkWidget *sitrep_timeline_text_cell_new (void);
/* @original: (nullable): for an edited note, what the "(edited)" mark's tooltip says
 * @annotation: (nullable): the line under the text */
void       sitrep_timeline_text_cell_set (SitrepTimelineTextCell *self,
                                          const char             *text,
                                          const char             *original,
                                          const char             *annotation);

G_END_DECLS
