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
gboolean             sitrep_declare_dialog_get_show_utc      (SitrepDeclareDialog   *self);

/* @field: "summary", "impact", "lead", "channel", "severity", "message", "summary-error" or
 * "error": what the field shows now */
const char          *sitrep_declare_dialog_get_text          (SitrepDeclareDialog   *self,
                                                              const char            *field);

G_END_DECLS
