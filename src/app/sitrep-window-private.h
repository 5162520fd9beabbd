/* sitrep-window-private.h: what the main window and the tests that read it share */
#pragma once

#include "sitrep-health-view.h"
#include "sitrep-incident-view.h"
#include "sitrep-kept-list.h"
#include "sitrep-timeline-view.h"
#include "sitrep-store-indicator.h"
#include "sitrep-window.h"

G_BEGIN_DECLS

/* The window's bindings of the views' properties to the session's. */
enum
{
  SITREP_WINDOW_BINDING_MONITOR,
  SITREP_WINDOW_BINDING_ACTIONS,
  SITREP_WINDOW_BINDING_INCIDENTS,          /* once the Incident view is made */
  SITREP_WINDOW_BINDING_TIMELINE_INCIDENTS, /* once the Timeline view is made */
  SITREP_WINDOW_BINDING_TIMELINE_STORE,
  SITREP_WINDOW_N_BINDINGS
};

struct _SitrepWindow
{
  AdwApplicationWindow parent_instance;

  SitrepSession *session;
  SitrepMonitor *held;      /* held until the first frame: no probe starts before it */
  gulong after_paint_id;
  guint hold_timeout_id;
  gboolean drawn;
  GBinding *bindings[SITREP_WINDOW_N_BINDINGS]; /* the views' properties, from the session's */
  GtkFileChooserNative *chooser;

  AdwViewSwitcherTitle *switcher_title;
  GtkLabel *runbook_label;
  AdwViewStack *main_stack;
  GtkSpinner *spinner;
  AdwViewStack *view_stack;
  SitrepHealthView *health_view;
  AdwBin *incident_page;             /* the Incident view's page: empty until first shown */
  AdwBin *timeline_page;             /* the Timeline view's */
  SitrepIncidentView *incident_view; /* NULL until first shown (sitrep-window-views.c) */
  SitrepTimelineView *timeline_view; /* NULL until first shown */
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
  GtkMenuButton *kept_button;
  SitrepKeptList *kept_list;  /* the popover of kept_button */
  /* The session's store, followed for its "offline" and "pending-changes". */
  SitrepStore *followed_store;
  SitrepStoreIndicator *store_indicator;
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
void  sitrep_window_follow_postmortems (SitrepWindow          *self);

/* sitrep-window-runbook.c */
void  sitrep_window_init_runbook       (SitrepWindow *self);
void  sitrep_window_show_runbook_state (SitrepWindow *self);
void  sitrep_window_forget_runbook     (SitrepWindow *self);

/* sitrep-window-views.c: the Incident and Timeline views, made when first shown */
SitrepIncidentView *sitrep_window_get_incident_view    (SitrepWindow *self);
SitrepTimelineView *sitrep_window_get_timeline_view    (SitrepWindow *self);
void                sitrep_window_view_shown_cb        (SitrepWindow *self);
void                sitrep_window_views_event_recorded (SitrepWindow *self);

/* Defined in sitrep-window-testing.c, which only the tests link. */
const char         *sitrep_window_get_page             (SitrepWindow *self);
gboolean            sitrep_window_get_page_visible     (SitrepWindow *self,
                                                        const char   *name);
const char         *sitrep_window_get_view             (SitrepWindow *self);
const char         *sitrep_window_get_heading          (SitrepWindow *self);
char               *sitrep_window_get_environment_text (SitrepWindow *self);
gboolean            sitrep_window_select_environment   (SitrepWindow *self,
                                                        const char   *label);
char               *sitrep_window_get_problems_text    (SitrepWindow *self);
const char         *sitrep_window_get_store_text       (SitrepWindow *self);
const char         *sitrep_window_get_trust_text       (SitrepWindow *self);
SitrepHealthView   *sitrep_window_get_health_view      (SitrepWindow *self);
gboolean            sitrep_window_get_view_made        (SitrepWindow *self,
                                                        const char   *name);

G_END_DECLS
