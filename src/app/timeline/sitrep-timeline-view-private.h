/* sitrep-timeline-view-private.h: what the timeline view's columns share with the view */
#pragma once

#include "sitrep-timeline-view.h"

G_BEGIN_DECLS

struct _SitrepTimelineView
{
  GtkWidget parent_instance;

  SitrepStore *store;
  SitrepIncidentManager *manager;
  gulong changed_id;
  gulong current_id;
  char *author;
  gboolean utc;

  gint64 incident_id;
  gint64 last_id;      /* the newest event id shown, to catch up from */
  GListStore *events;
  GHashTable *by_id;
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;
  SitrepTimelineFilter filter_kind;
  gboolean starred_only;
  guint reload_id;
  char *last_toast;

  AdwToastOverlay *toasts;
  GtkStack *stack;
  GtkColumnView *column_view;
  GtkDropDown *kind_drop_down;
  GtkToggleButton *starred_button;
  GtkButton *move_start_button;
  GtkEntry *time_entry;
  GtkEntry *note_entry;
  GtkLabel *count_label;
  GtkShortcutController *shortcuts;
};

void  sitrep_timeline_view_add_columns (SitrepTimelineView *self);
void  sitrep_timeline_view_toast       (SitrepTimelineView *self,
                                        const char         *message);
gint64 sitrep_timeline_view_now        (SitrepTimelineView *self);
char *sitrep_timeline_view_format_text (SitrepTimelineEvent *event);
char *sitrep_timeline_view_format_time (SitrepTimelineView  *self,
                                        SitrepTimelineEvent *event);
GStrv sitrep_timeline_view_actions_for (SitrepTimelineEvent *event);

G_END_DECLS

G_BEGIN_DECLS

void sitrep_timeline_view_edit_action       (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);
void sitrep_timeline_view_annotate_action   (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);
void sitrep_timeline_view_delete_action     (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);
void sitrep_timeline_view_move_start_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);

G_END_DECLS
