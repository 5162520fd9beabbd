/* sitrep-timeline-view-testing.c: what the tests read from the timeline view and drive in it */
#include "config.h"

#include "sitrep-timeline-view-private.h"

guint
sitrep_timeline_view_get_n_shown (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/* Whether the incremental filter is still working through the events. */
gboolean
sitrep_timeline_view_is_filtering (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), FALSE);
  return gtk_filter_list_model_get_pending (self->filtered) > 0;
}

/* Returns: (transfer none) (nullable): the event shown at @position */
SitrepTimelineEvent *
sitrep_timeline_view_get_shown (SitrepTimelineView *self,
                                guint               position)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;

  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);

  event = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
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
  text = sitrep_timeline_view_format_text (event);
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

/* Activates the view's own shortcut for @trigger ("<Control>Return") as a key press on the
 * focused note entry would; FALSE when the view has no such shortcut. */
gboolean
sitrep_timeline_view_activate_shortcut (SitrepTimelineView *self,
                                        const char         *trigger)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (trigger);
  GListModel *shortcuts = G_LIST_MODEL (self->shortcuts);

  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), FALSE);
  g_return_val_if_fail (wanted != NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      GtkShortcutTrigger *have = gtk_shortcut_get_trigger (shortcut);
      g_autofree char *have_text = gtk_shortcut_trigger_to_string (have);
      g_autofree char *wanted_text = gtk_shortcut_trigger_to_string (wanted);
      g_auto(GStrv) alternatives = g_strsplit (have_text, "|", -1);

      if (!g_strv_contains ((const char *const *) alternatives, wanted_text))
        continue;
      gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
      return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                           GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                           GTK_WIDGET (self->note_entry), NULL);
    }
  return FALSE;
}

const char *
sitrep_timeline_view_get_last_toast (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);
  return self->last_toast;
}
