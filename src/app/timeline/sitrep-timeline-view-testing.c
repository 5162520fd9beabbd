/* sitrep-timeline-view-testing.c: what the tests read from the timeline view and drive in it */
#include "config.h"

#include "sitrep-timeline-view-private.h"

guint
sitrep_timeline_view_get_n_shown (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), 0);
  return self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
}

/* Returns: (transfer none) (nullable): the timeline shown */
SitrepTimelineModel *
sitrep_timeline_view_get_model (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);
  return self->model;
}

/* Returns: (transfer none) (nullable): the event shown at @position */
SitrepTimelineEvent *
sitrep_timeline_view_get_shown (SitrepTimelineView *self,
                                guint               position)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;

  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);

  if (self->model == NULL)
    return NULL;
  event = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  return event;
}

/* "TIME | KIND | TEXT | AUTHOR" and " | ★" when starred: what the row at @position shows. */
char *
sitrep_timeline_view_describe_row (SitrepTimelineView *self,
                                   guint               position)
{
  SitrepTimelineEvent *event = sitrep_timeline_view_get_shown (self, position);
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;

  if (event == NULL)
    return NULL;
  time = sitrep_timeline_view_format_time (self, event);
  text = sitrep_timeline_view_format_text (self, event);
  return g_strdup_printf ("%s | %s | %s | %s%s", time,
                          sitrep_timeline_kind_get_label (sitrep_timeline_event_get_kind (event)),
                          text, sitrep_timeline_event_get_author (event),
                          sitrep_timeline_event_get_starred (event) ? " | ★" : "");
}

/* The actions the row's menu offers. */
GStrv
sitrep_timeline_view_get_row_actions (SitrepTimelineView *self,
                                      guint               position)
{
  SitrepTimelineEvent *event = sitrep_timeline_view_get_shown (self, position);

  return event ? sitrep_timeline_view_actions_for (event) : NULL;
}

void
sitrep_timeline_view_set_note_text (SitrepTimelineView *self,
                                    const char         *text,
                                    const char         *time)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), text ? text : "");
  gtk_editable_set_text (GTK_EDITABLE (self->time_entry), time ? time : "");
}

const char *
sitrep_timeline_view_get_last_toast (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);
  return self->last_toast;
}

/* Returns: (transfer none) (nullable): the row menu open or last opened */
GtkPopover *
sitrep_timeline_view_get_row_menu (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);
  return self->row_menu;
}
