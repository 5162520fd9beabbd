/* sitrep-incident-clocks.h: records, once each, the escalations and updates that fall due */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-incident.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

typedef enum
{
  SITREP_DUE_ESCALATION,
  SITREP_DUE_UPDATE,
} SitrepDueKind;

/* Something that just fell due, for a notification and a banner. */
typedef struct
{
  SitrepDueKind kind;
  guint step;                       /* for an escalation */
  const SitrepEscalationStep *escalation;
  const SitrepContact *contact;     /* may be NULL */
  gint64 due_at;
  char *text;                       /* what the timeline says */
  char *message;                    /* a ready message to send, for an escalation */
} SitrepDue;

void       sitrep_due_free             (SitrepDue      *due);
char      *sitrep_incident_escalation_message (SitrepIncident             *incident,
                                               const SitrepEscalationStep *step,
                                               const SitrepContact        *contact,
                                               gint64                      now);
JsonObject *sitrep_incident_escalation_fields (const SitrepEscalationStatus *status,
                                               const SitrepContact          *contact);
GPtrArray *sitrep_incident_check_clocks (SitrepStore    *store,
                                         SitrepIncident *incident,
                                         SitrepRunbook  *runbook,
                                         gint64          now,
                                         GError        **error);

G_END_DECLS
