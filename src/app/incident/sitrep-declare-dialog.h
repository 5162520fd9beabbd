/* sitrep-declare-dialog.h: the wizard that declares an incident, then shows channel and message */
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
gint64               sitrep_declare_dialog_get_incident_id   (SitrepDeclareDialog   *self);
void                 sitrep_declare_dialog_set_show_utc      (SitrepDeclareDialog   *self,
                                                              gboolean               show_utc);

/* For tests, and for anything that drives the wizard without a pointer. */
const char          *sitrep_declare_dialog_get_page          (SitrepDeclareDialog   *self);
gboolean             sitrep_declare_dialog_select_severity   (SitrepDeclareDialog   *self,
                                                              const char            *severity_id);
void                 sitrep_declare_dialog_set_text          (SitrepDeclareDialog   *self,
                                                              const char            *field,
                                                              const char            *text);
const char          *sitrep_declare_dialog_get_text          (SitrepDeclareDialog   *self,
                                                              const char            *field);
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
