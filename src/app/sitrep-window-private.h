/* sitrep-window-private.h: what the main window and the tests that read it share */
#pragma once

#include "sitrep-health-view.h"
#include "sitrep-incident-view.h"
#include "sitrep-timeline-view.h"
#include "sitrep-window.h"

G_BEGIN_DECLS

struct _SitrepWindow
{
  AdwApplicationWindow parent_instance;

  SitrepSession *session;
  SitrepMonitor *held;      /* held until the first frame: no probe starts before it */
  gulong after_paint_id;
  guint hold_timeout_id;
  gboolean drawn;
  GBinding *bindings[5]; /* the views' properties, from the session's */
  GtkFileChooserNative *chooser;

  AdwViewSwitcherTitle *switcher_title;
  GtkLabel *runbook_label;
  GtkStack *main_stack;
  GtkSpinner *spinner;
  AdwViewStack *view_stack;
  SitrepHealthView *health_view;
  SitrepIncidentView *incident_view;
  SitrepTimelineView *timeline_view;
  AdwToastOverlay *toast_overlay;
  SitrepActionController *actions;
  GtkWidget *declare_button;
  GtkWidget *environment_banner;
  GtkLabel *environment_label;
  GtkLabel *environment_flags;
  GtkImage *environment_icon;
  GtkDropDown *environment_dropdown; /* a runbook's environments (format 2), when it has several */
  GtkStringList *environment_model;
  SitrepRunbook *environment_runbook; /* whose notify::environment is watched; a weak pointer */
  AdwStatusPage *problems_page;
  GtkListBox *problem_list;
  GtkRevealer *store_revealer;
  GtkLabel *store_label;
  GtkRevealer *trust_revealer;
  GtkLabel *trust_label;
  GMenu *drill_menu;
  GListModel *watched_incidents; /* whose items decide whether a first run offers a drill */
};

/* sitrep-window-actions.c */
void  sitrep_window_class_add_actions (GtkWidgetClass         *widget_class);
void  sitrep_window_set_actions       (SitrepWindow           *self,
                                       SitrepActionController *actions);
char *sitrep_window_get_author        (SitrepWindow           *self);

/* Defined in sitrep-window-testing.c, which only the tests link. */
const char         *sitrep_window_get_page             (SitrepWindow *self);
const char         *sitrep_window_get_view             (SitrepWindow *self);
const char         *sitrep_window_get_heading          (SitrepWindow *self);
char               *sitrep_window_get_environment_text (SitrepWindow *self);
gboolean            sitrep_window_select_environment   (SitrepWindow *self,
                                                        const char   *label);
char               *sitrep_window_get_problems_text    (SitrepWindow *self);
const char         *sitrep_window_get_store_text       (SitrepWindow *self);
const char         *sitrep_window_get_trust_text       (SitrepWindow *self);
SitrepHealthView   *sitrep_window_get_health_view      (SitrepWindow *self);
SitrepIncidentView *sitrep_window_get_incident_view    (SitrepWindow *self);

G_END_DECLS
