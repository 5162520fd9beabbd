/* sitrep-timeline-text-cell.h: an event's text on the timeline, its edit mark and annotation */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SITREP_TYPE_TIMELINE_TEXT_CELL (sitrep_timeline_text_cell_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTimelineTextCell, sitrep_timeline_text_cell, SITREP,
                      TIMELINE_TEXT_CELL, GtkWidget)

/* The most lines a cell gives an event's text: one for each of its lines, up to this. */
#define SITREP_TIMELINE_TEXT_CELL_MAX_LINES 3

GtkWidget *sitrep_timeline_text_cell_new         (void);
/* @original: (nullable): for an edited note, what the "(edited)" mark's tooltip says
 * @annotation: (nullable): the line under the text */
void       sitrep_timeline_text_cell_set         (SitrepTimelineTextCell *self,
                                                  const char             *text,
                                                  const char             *original,
                                                  const char             *annotation);

/* What the tests check: the text, the lines it is given, whether it is cut where it is shown,
 * and the tooltip (the whole text when it is cut, else NULL). */
const char *sitrep_timeline_text_cell_get_text (SitrepTimelineTextCell *self);
guint      sitrep_timeline_text_cell_get_lines   (SitrepTimelineTextCell *self);
gboolean   sitrep_timeline_text_cell_is_cut      (SitrepTimelineTextCell *self);
char      *sitrep_timeline_text_cell_get_tooltip (SitrepTimelineTextCell *self);

G_END_DECLS
