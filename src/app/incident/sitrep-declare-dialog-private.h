/* sitrep-declare-dialog-private.h: what the declare dialog and the tests that drive it share */
#pragma once

#include "sitrep-declare-dialog.h"

G_BEGIN_DECLS

struct _SitrepDeclareDialog
{
  AdwWindow parent_instance;

  SitrepIncidentManager *manager;
  SitrepMonitor *monitor;
  char *severity;      /* the picked severity's id, or NULL */
  gint64 incident_id;  /* once declared (below zero: declared while the team database is
                        * away, sitrep-incident-kept.c), else -1 */
  gboolean declared;   /* incident_id is the declared incident's */
  gboolean declaring;  /* being written to the store */
  gboolean show_utc;
  GPtrArray *severity_rows; /* SitrepSeverityRow, in the runbook's order */
  GPtrArray *service_rows;  /* SitrepAffectedServiceRow, in the runbook's order */
  char *summary_error;
  char *message;       /* the initial status message as shown */
  gboolean unfilled_warned; /* Copy was pressed once over placeholders still to fill */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *cancel_button;
  GtkButton *declare_button;
  GtkButton *done_button;
  GtkStack *stack;
  GtkLabel *hint_label;
  AdwPreferencesGroup *severity_group;
  GtkLabel *error_label;
  AdwEntryRow *summary_row;
  AdwEntryRow *impact_row;
  AdwEntryRow *lead_row;
  GtkLabel *summary_error_label;
  AdwPreferencesGroup *services_group;
  GtkLabel *declared_label;
  GtkLabel *declared_sublabel;
  GtkEntry *channel_entry;
  AdwPreferencesGroup *message_group;
  GtkButton *copy_message_button;
  GtkTextView *message_view;
};

GtkEditable *_sitrep_declare_dialog_find_field (SitrepDeclareDialog *self,
                                               const char          *field);
void         _sitrep_declare_dialog_update_state (SitrepDeclareDialog *self);

/* sitrep-declare-dialog-rows.c */
void         _sitrep_declare_dialog_add_severity_rows   (SitrepDeclareDialog *self,
                                                         SitrepRunbook       *runbook);
void         _sitrep_declare_dialog_add_service_rows    (SitrepDeclareDialog *self,
                                                         SitrepRunbook       *runbook);
void         _sitrep_declare_dialog_refresh_services    (SitrepDeclareDialog *self);
void         _sitrep_declare_dialog_suggest_from_health (SitrepDeclareDialog *self,
                                                         SitrepRunbook       *runbook);

/* Defined in sitrep-declare-dialog-testing.c, which only the tests link. */
const char          *sitrep_declare_dialog_get_page          (SitrepDeclareDialog   *self);
gboolean             sitrep_declare_dialog_select_severity   (SitrepDeclareDialog   *self,
                                                              const char            *severity_id);
void                 sitrep_declare_dialog_set_text          (SitrepDeclareDialog   *self,
                                                              const char            *field,
                                                              const char            *text);
gboolean             sitrep_declare_dialog_get_service_active (SitrepDeclareDialog  *self,
                                                              const char            *service_id);
void                 sitrep_declare_dialog_set_service_active (SitrepDeclareDialog  *self,
                                                              const char            *service_id,
                                                              gboolean               active);
const char          *sitrep_declare_dialog_get_service_note  (SitrepDeclareDialog   *self,
                                                              const char            *service_id);
gboolean             sitrep_declare_dialog_get_enabled       (SitrepDeclareDialog   *self,
                                                              const char            *button);
gboolean             sitrep_declare_dialog_press             (SitrepDeclareDialog   *self,
                                                              const char            *button);

G_END_DECLS
