/* sitrep-incident-view-private.h: what the incident view and its test helpers share */
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
  gulong current_id;
  gulong changed_id;
  gulong due_id;
  gulong clock_id;
  guint tick_id;

  GPtrArray *groups; /* SitrepChecklistGroup, in the runbook's order */
  char *last_toast;
  GtkStringList *severity_model;
  GtkToggleButton *status_buttons[SITREP_STATUS_RESOLVED + 1];
  SitrepIncidentClocksGroup *clocks;
  SitrepEscalationPanel *escalation;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwPreferencesGroup *past_group;
  GtkListBox *past_list;
  AdwFlap *flap;
  GtkListBox *incident_list;
  GtkLabel *summary_label;
  GtkLabel *impact_label;
  GtkLabel *reminder_label;
  GtkLabel *runbook_label;
  AdwComboRow *severity_row;
  GtkBox *status_box;
  AdwActionRow *lead_row;
  AdwActionRow *channel_row;
  GtkBox *checklist_box;
  GtkBox *banner_slot;
  GtkBox *clocks_slot;
  GtkBox *escalation_slot;
};

SitrepIncident *_sitrep_incident_view_current (SitrepIncidentView *self);

G_END_DECLS
