/* sitrep-incident-view-private.h: what the incident view and the tests that drive it share */
#pragma once

#include "sitrep-checklist-group.h"
#include "sitrep-escalation-panel.h"
#include "sitrep-incident-clocks-group.h"
#include "sitrep-incident-view.h"

G_BEGIN_DECLS

struct _SitrepIncidentView
{
  GtkWidget parent_instance;

  SitrepIncidentManager *manager;
  SitrepRunbook *runbook; /* of the incident on screen; the manager holds it */
  SitrepClock *clock;
  char *author;
  gboolean utc;
  gboolean updating;
  gboolean shown;           /* mapped once: the view is filled from then on */
  guint saving;             /* the commander's changes of saving_id not stored yet */
  gint64 saving_id;
  gulong current_id;
  gulong loading_id;
  gulong changed_id;
  gulong due_id;
  gulong clock_id;
  guint tick_id;

  GPtrArray *groups; /* SitrepChecklistGroup, in the runbook's order */
  char *last_toast;
  GtkStringList *severity_model;
  GtkToggleButton *status_buttons[SITREP_STATUS_RESOLVED + 1];
  GtkWidget *status_box;          /* the four buttons, for a runbook with the built-in statuses */
  GtkDropDown *status_dropdown;   /* a runbook's own statuses (format 2), in its words */
  GtkStringList *status_model;
  GArray *status_choices;         /* SitrepStatusChoice of the runbook shown, for the dropdown */
  SitrepIncidentClocksGroup *clocks;
  SitrepEscalationPanel *escalation;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwPreferencesGroup *past_group;
  AdwStatusPage *empty_page;
  GtkListBox *past_list;
  AdwFlap *flap;
  GtkListBox *incident_list;
  GtkLabel *summary_label;
  GtkLabel *impact_label;
  GtkLabel *reminder_label;
  GtkLabel *runbook_label;
  GtkLabel *kept_label;       /* declared while the team database is away, not on it yet */
  AdwComboRow *severity_row;
  AdwActionRow *lead_row;
  AdwActionRow *channel_row;
  GtkBox *checklist_box;
};

SitrepIncident *_sitrep_incident_view_current    (SitrepIncidentView *self);
void            _sitrep_incident_view_refresh    (SitrepIncidentView *self);
void            _sitrep_incident_view_show_toast (SitrepIncidentView *self,
                                                  const char         *text);

/* In sitrep-incident-view-changes.c: the commander's changes, recorded through the manager. */
void _sitrep_incident_view_connect_changes    (SitrepIncidentView *self,
                                               GtkWidget          *group);
void _sitrep_incident_view_class_bind_changes (GtkWidgetClass     *widget_class);

/* Defined in sitrep-incident-view-testing.c, which only the tests link. */
char                  *sitrep_incident_view_get_text           (SitrepIncidentView    *self);
char                  *sitrep_incident_view_get_list_text      (SitrepIncidentView    *self);
const char            *sitrep_incident_view_get_page           (SitrepIncidentView    *self);
const char            *sitrep_incident_view_get_last_toast     (SitrepIncidentView    *self);
gboolean               sitrep_incident_view_set_item_done      (SitrepIncidentView    *self,
                                                                const char            *item_id,
                                                                gboolean               done);
gboolean               sitrep_incident_view_open_item          (SitrepIncidentView    *self,
                                                                const char            *item_id);
gboolean               sitrep_incident_view_select_status      (SitrepIncidentView    *self,
                                                                SitrepIncidentStatus   status);
gboolean               sitrep_incident_view_select_status_label (SitrepIncidentView   *self,
                                                                const char            *label);
gboolean               sitrep_incident_view_select_severity    (SitrepIncidentView    *self,
                                                                const char            *severity);
gboolean               sitrep_incident_view_select_incident    (SitrepIncidentView    *self,
                                                                gint64                 id);
gboolean               sitrep_incident_view_answer_escalation  (SitrepIncidentView    *self,
                                                                gboolean               escalated);
gboolean               sitrep_incident_view_mark_update_sent   (SitrepIncidentView    *self);
gboolean               sitrep_incident_view_request_declare    (SitrepIncidentView    *self);

G_END_DECLS
