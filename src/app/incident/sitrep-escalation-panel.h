/* sitrep-escalation-panel.h: the escalation path of an incident, and the banner for a due step */
#pragma once

#include <adwaita.h>

#include "sitrep-escalation-banner.h"
#include "sitrep-incident.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ESCALATION_PANEL (sitrep_escalation_panel_get_type ())

G_DECLARE_FINAL_TYPE (SitrepEscalationPanel, sitrep_escalation_panel, SITREP, ESCALATION_PANEL,
                      AdwPreferencesGroup)

GtkWidget              *sitrep_escalation_panel_new              (void);
void                    sitrep_escalation_panel_set_banner       (SitrepEscalationPanel  *self,
                                                                  SitrepEscalationBanner *banner);
SitrepEscalationBanner *sitrep_escalation_panel_get_banner       (SitrepEscalationPanel  *self);
void                    sitrep_escalation_panel_reset            (SitrepEscalationPanel  *self);
void                    sitrep_escalation_panel_remember_message (SitrepEscalationPanel  *self,
                                                                  SitrepIncident         *incident,
                                                                  guint                   step,
                                                                  const char             *message);
void                    sitrep_escalation_panel_refresh          (SitrepEscalationPanel  *self,
                                                                  SitrepIncident         *incident,
                                                                  SitrepRunbook          *runbook,
                                                                  gint64                  now,
                                                                  gboolean                utc);

G_END_DECLS
