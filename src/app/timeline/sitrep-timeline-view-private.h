/* sitrep-timeline-view-private.h: what the timeline view, its columns and dialogs, and the tests
 * share */
#pragma once

#include "sitrep-timeline-model.h"
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

  gint64 incident_id;           /* below zero: declared while away, kept on this computer */
  gboolean shown;               /* mapped once: the timeline is read from then on */
  SitrepTimelineModel *model;   /* the incident's events, read a page at a time */
  GtkNoSelection *selection;
  GCancellable *asking;         /* the row whose dialog opens once its event is read */
  SitrepTimelineFilter filter_kind;
  gboolean starred_only;
  char *last_toast;

  AdwToastOverlay *toasts;
  GtkStack *stack;
  GtkColumnView *column_view;
  GtkDropDown *kind_drop_down;
  GtkToggleButton *starred_button;
  GtkButton *move_start_button;
  GtkWidget *note_bar;
  GtkWidget *note_separator;
  GtkEntry *time_entry;
  GtkEntry *note_entry;
  GtkLabel *count_label;
  GtkSearchEntry *search_entry;
  GtkShortcutController *shortcuts;
  GtkPopover *row_menu;         /* the menu of a row, while open or until another opens */
};

void  sitrep_timeline_view_bind_columns (GtkWidgetClass     *widget_class);
void  sitrep_timeline_view_resolve_note (SitrepTimelineView *self,
                                        gint64              event_id,
                                        const GError       *conflict);
void  sitrep_timeline_view_toast       (SitrepTimelineView *self,
                                        const char         *message);
gint64 sitrep_timeline_view_now        (SitrepTimelineView *self);
char *sitrep_timeline_view_render      (SitrepTimelineView  *self,
                                        SitrepTimelineEvent *event);
char *sitrep_timeline_view_format_text (SitrepTimelineView  *self,
                                        SitrepTimelineEvent *event);
char *sitrep_timeline_view_format_time (SitrepTimelineView  *self,
                                        SitrepTimelineEvent *event);
GStrv sitrep_timeline_view_actions_for (SitrepTimelineEvent *event);
/* Returns: (transfer full) (nullable): the event @id as the view's pages hold it, or NULL:
 * with @error set when it is not the incident's shown or is deleted, unset when no page holds
 * it (never read from the store here) */
SitrepTimelineEvent *sitrep_timeline_view_peek (SitrepTimelineView  *self,
                                                gint64               id,
                                                GError             **error);
/* Whether @event (nullable) is one of the shown incident's, not deleted; else @error says it is
 * no longer on the timeline. */
gboolean sitrep_timeline_view_check_shown (SitrepTimelineView  *self,
                                           SitrepTimelineEvent *event,
                                           GError             **error);

/* After a gesture changed @event_id in the store: its row is read again, or leaves. */
void sitrep_timeline_view_reread (SitrepTimelineView *self,
                                  gint64              event_id);

/* The commander's gestures without the dialogs, in sitrep-timeline-view-gestures.c: the dialogs
 * and the tests call them. */
gboolean    sitrep_timeline_view_edit_note          (SitrepTimelineView    *self,
                                                     gint64                 event_id,
                                                     const char            *base,
                                                     const char            *text,
                                                     GError               **error);
gboolean    sitrep_timeline_view_annotate           (SitrepTimelineView    *self,
                                                     gint64                 event_id,
                                                     const char            *annotation,
                                                     GError               **error);
gboolean    sitrep_timeline_view_delete_note        (SitrepTimelineView    *self,
                                                     gint64                 event_id,
                                                     GError               **error);
gboolean    sitrep_timeline_view_star               (SitrepTimelineView    *self,
                                                     gint64                 event_id,
                                                     gboolean               starred,
                                                     GError               **error);
gboolean    sitrep_timeline_view_move_start         (SitrepTimelineView    *self,
                                                     const char            *time,
                                                     GError               **error);
void        sitrep_timeline_view_set_filter         (SitrepTimelineView    *self,
                                                     SitrepTimelineFilter   filter,
                                                     gboolean               starred_only);
void        sitrep_timeline_view_set_search         (SitrepTimelineView    *self,
                                                     const char            *text);

/* Defined in sitrep-timeline-view-testing.c, which only the tests link. */
guint       sitrep_timeline_view_get_n_shown        (SitrepTimelineView    *self);
SitrepTimelineModel *sitrep_timeline_view_get_model (SitrepTimelineView    *self);
SitrepTimelineEvent *sitrep_timeline_view_get_shown (SitrepTimelineView    *self,
                                                     guint                  position);
char       *sitrep_timeline_view_describe_row       (SitrepTimelineView    *self,
                                                     guint                  position);
GStrv       sitrep_timeline_view_get_row_actions    (SitrepTimelineView    *self,
                                                     guint                  position);
void        sitrep_timeline_view_set_note_text      (SitrepTimelineView    *self,
                                                     const char            *text,
                                                     const char            *time);
const char *sitrep_timeline_view_get_last_toast     (SitrepTimelineView    *self);
GtkPopover *sitrep_timeline_view_get_row_menu       (SitrepTimelineView    *self);

/* The add-note action, in sitrep-timeline-view-gestures.c. */
void sitrep_timeline_view_add_note_action   (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);

/* The row menu's actions, in sitrep-timeline-view-dialogs.c. */
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
