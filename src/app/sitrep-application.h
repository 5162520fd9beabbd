/* sitrep-application.h: the application: command line, runbook, database and windows */
#pragma once

#include <adwaita.h>

#include "sitrep-runbook.h"
#include "sitrep-action-controller.h"
#include "sitrep-incident-manager.h"
#include "sitrep-monitor.h"
#include "sitrep-store.h"
#include "sitrep-webhook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_APPLICATION (sitrep_application_get_type ())

G_DECLARE_FINAL_TYPE (SitrepApplication, sitrep_application, SITREP, APPLICATION, AdwApplication)

SitrepApplication *sitrep_application_new              (void);
SitrepRunbook     *sitrep_application_get_runbook      (SitrepApplication *self);
GPtrArray         *sitrep_application_get_problems     (SitrepApplication *self);
const char        *sitrep_application_get_store_error  (SitrepApplication *self);
GSettings         *sitrep_application_get_settings     (SitrepApplication *self);
gboolean           sitrep_application_get_read_only    (SitrepApplication *self);
gboolean           sitrep_application_get_trusted      (SitrepApplication *self);
void               sitrep_application_trust_runbook    (SitrepApplication *self,
                                                        SitrepRunbook     *runbook);
SitrepMonitor     *sitrep_application_get_monitor      (SitrepApplication *self);
SitrepIncidentManager *sitrep_application_get_incidents (SitrepApplication *self);
SitrepActionController *sitrep_application_get_actions (SitrepApplication *self);
SitrepStore       *sitrep_application_get_store        (SitrepApplication *self);
SitrepWebhook     *sitrep_application_get_webhook      (SitrepApplication *self);
void               sitrep_application_open_runbook     (SitrepApplication *self,
                                                        GFile             *file);

G_END_DECLS
