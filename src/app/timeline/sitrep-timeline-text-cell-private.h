/* sitrep-timeline-text-cell-private.h: what a text cell and the tests that read it share */
#pragma once

#include "sitrep-timeline-text-cell.h"

G_BEGIN_DECLS

/* The most lines a cell gives an event's text: one for each of its lines, up to this. */
#define SITREP_TIMELINE_TEXT_CELL_MAX_LINES 3

struct _SitrepTimelineTextCell
{
  GtkWidget parent_instance;

  GtkWidget *line;               /* the text, and the edit mark after it */
  GtkLabel *text;
  char *whole;                   /* the text; the label may show its first lines only */
  char *original;                /* (nullable): the edit mark's tooltip */
  GtkWidget *edited_label;       /* (nullable): made on first need */
  GtkLabel *annotation_label;    /* (nullable): made on first need */
};

/* The whole text when the cell shows less of it (lines left out, or a line ended with "…" to
 * fit the column), else NULL: the tooltip. */
char *sitrep_timeline_text_cell_dup_cut_text (SitrepTimelineTextCell *self);

/* Defined in sitrep-timeline-text-cell-testing.c, which only the tests link. */
const char *sitrep_timeline_text_cell_get_text  (SitrepTimelineTextCell *self);
const char *sitrep_timeline_text_cell_get_shown (SitrepTimelineTextCell *self);
char       *sitrep_timeline_text_cell_get_tooltip (SitrepTimelineTextCell *self);

G_END_DECLS
