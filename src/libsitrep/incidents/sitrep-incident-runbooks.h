/* sitrep-incident-runbooks.h: the runbook each incident is shown with, read from the store once */
#pragma once

#include "sitrep-incident.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* Which runbook an incident is shown with. */
typedef enum
{
  SITREP_INCIDENT_RUNBOOK_OWN,      /* the copy kept with it when it was declared */
  SITREP_INCIDENT_RUNBOOK_AT_HAND,  /* none kept (older Sitrep) or unreadable: the one at hand,
                                     * which bears the same name */
  SITREP_INCIDENT_RUNBOOK_MISMATCH, /* the same, but the one at hand has another name */
} SitrepIncidentRunbookKind;

#define SITREP_TYPE_INCIDENT_RUNBOOKS (sitrep_incident_runbooks_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncidentRunbooks, sitrep_incident_runbooks, SITREP,
                      INCIDENT_RUNBOOKS, GObject)

SitrepIncidentRunbooks *sitrep_incident_runbooks_new         (SitrepStore               *store,
                                                              SitrepRunbook             *at_hand);
SitrepRunbook          *sitrep_incident_runbooks_get_at_hand (SitrepIncidentRunbooks    *self);
SitrepRunbook          *sitrep_incident_runbooks_lookup      (SitrepIncidentRunbooks    *self,
                                                              SitrepIncident            *incident,
                                                              SitrepIncidentRunbookKind *kind,
                                                              char                     **why);
void                    sitrep_incident_runbooks_prefetch    (SitrepIncidentRunbooks    *self,
                                                              SitrepStore               *store,
                                                              SitrepIncident            *incident);
void                    sitrep_incident_runbooks_add_declared
                                                             (SitrepIncidentRunbooks    *self,
                                                              const SitrepDeclaration   *declaration);

G_END_DECLS
