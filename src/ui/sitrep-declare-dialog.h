/* sitrep-declare-dialog.h: the wizard that declares an incident and gives its channel and first message */
#pragma once

#include <adwaita.h>

#include "sitrep-incident-manager.h"
#include "sitrep-monitor.h"

G_BEGIN_DECLS

#define SITREP_TYPE_DECLARE_DIALOG (sitrep_declare_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SitrepDeclareDialog, sitrep_declare_dialog, SITREP, DECLARE_DIALOG, AdwWindow)

SitrepDeclareDialog *sitrep_declare_dialog_new               (GtkWindow             *parent,
                                                              SitrepIncidentManager *manager,
                                                              SitrepMonitor         *monitor,
                                                              const char            *lead);
SitrepIncidentManager *sitrep_declare_dialog_get_manager     (SitrepDeclareDialog   *self);
gint64               sitrep_declare_dialog_get_incident_id   (SitrepDeclareDialog   *self);
void                 sitrep_declare_dialog_set_show_utc      (SitrepDeclareDialog   *self,
                                                              gboolean               show_utc);

/* For tests, and for anything that drives the wizard without a pointer. */
const char          *sitrep_declare_dialog_get_page          (SitrepDeclareDialog   *self);
gboolean             sitrep_declare_dialog_select_severity   (SitrepDeclareDialog   *self,
                                                              const char            *severity_id);
const char          *sitrep_declare_dialog_get_severity      (SitrepDeclareDialog   *self);
void                 sitrep_declare_dialog_set_summary       (SitrepDeclareDialog   *self,
                                                              const char            *text);
void                 sitrep_declare_dialog_set_impact        (SitrepDeclareDialog   *self,
                                                              const char            *text);
void                 sitrep_declare_dialog_set_lead          (SitrepDeclareDialog   *self,
                                                              const char            *text);
const char          *sitrep_declare_dialog_get_lead          (SitrepDeclareDialog   *self);
gboolean             sitrep_declare_dialog_get_service_active (SitrepDeclareDialog  *self,
                                                              const char            *service_id);
void                 sitrep_declare_dialog_set_service_active (SitrepDeclareDialog  *self,
                                                              const char            *service_id,
                                                              gboolean               active);
const char          *sitrep_declare_dialog_get_service_note  (SitrepDeclareDialog   *self,
                                                              const char            *service_id);
gboolean             sitrep_declare_dialog_get_next_enabled  (SitrepDeclareDialog   *self);
gboolean             sitrep_declare_dialog_get_declare_enabled (SitrepDeclareDialog *self);
const char          *sitrep_declare_dialog_get_summary_error (SitrepDeclareDialog   *self);
const char          *sitrep_declare_dialog_get_error         (SitrepDeclareDialog   *self);
gboolean             sitrep_declare_dialog_press             (SitrepDeclareDialog   *self,
                                                              const char            *button);
const char          *sitrep_declare_dialog_get_channel       (SitrepDeclareDialog   *self);
char                *sitrep_declare_dialog_get_message       (SitrepDeclareDialog   *self);

G_END_DECLS
