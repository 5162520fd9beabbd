/* sitrep-incident-status.h: an incident's status in its runbook's words (format 2 "statuses") */
#pragma once

#include "sitrep-incident.h"

G_BEGIN_DECLS

/* What a status means to the clocks: each of a runbook's own statuses counts as one of the
 * four built-in ones (the first as investigating, "mitigated" as monitoring, "resolves" as
 * resolved, any other as identified). */
typedef struct
{
  SitrepIncidentStatus stage;
  const char *id;    /* the runbook's status id, or NULL for a built-in status */
  const char *label; /* the runbook's words, or the built-in status's label */
} SitrepStatusChoice;

const char *sitrep_incident_get_status_id    (SitrepIncident         *self);
const char *sitrep_incident_get_status_label (SitrepIncident         *self,
                                              SitrepRunbook          *runbook);
const char *sitrep_incident_get_status_word  (SitrepIncident         *self,
                                              SitrepRunbook          *runbook);
GArray     *sitrep_incident_status_choices   (SitrepRunbook          *runbook);
gboolean    sitrep_incident_status_parse     (SitrepRunbook          *runbook,
                                              const char             *text,
                                              SitrepStatusChoice     *choice,
                                              GError                **error);
gboolean    sitrep_incident_status_for_stage (SitrepRunbook          *runbook,
                                              SitrepIncidentStatus    stage,
                                              SitrepStatusChoice     *choice);
char       *sitrep_incident_status_list      (SitrepRunbook          *runbook);

G_END_DECLS
