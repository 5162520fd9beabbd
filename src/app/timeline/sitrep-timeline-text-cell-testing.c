/* sitrep-timeline-text-cell-testing.c: what the tests read from a text cell */
#include "config.h"

#include "sitrep-timeline-text-cell-private.h"

/* The event's whole text. */
const char *
sitrep_timeline_text_cell_get_text (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), NULL);
  return self->whole;
}

/* What the label holds: the text, or its first lines and "…". */
const char *
sitrep_timeline_text_cell_get_shown (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), NULL);
  return gtk_label_get_text (self->text);
}

/* The text's tooltip where the pointer rests on it: NULL when it is shown whole. */
char *
sitrep_timeline_text_cell_get_tooltip (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), NULL);
  return sitrep_timeline_text_cell_dup_cut_text (self);
}
