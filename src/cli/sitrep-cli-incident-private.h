/* sitrep-cli-incident-private.h: what `sitrep incident list|show` and its JSON output share */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-cli-incident.h"

G_BEGIN_DECLS

/* An incident with the runbook it is shown with, and what to say about that runbook. */
typedef struct
{
  SitrepIncident *incident;
  SitrepRunbook *runbook;
  SitrepIncidentRunbookKind kind;
  char *why;  /* why the incident's own runbook is not used, or NULL */
  char *note; /* which runbook is used instead, and why, or NULL */
} SitrepCliShown;

/* The names scripts read in --json and people in the text: never translated. */
static inline const char *
sitrep_cli_clock_state_name (SitrepClockState state)
{
  static const char *const names[] = { "not-started", "on-time", "overdue", "done", "ongoing" };

  return names[state];
}

static inline const char *
sitrep_cli_escalation_state_name (SitrepEscalationState state)
{
  static const char *const names[] = { "pending", "due", "escalated", "not-needed", "manual",
                                       "stopped" };

  return names[state];
}

/* @events: (nullable): the timeline, for the details of one incident */
void sitrep_cli_incident_add_json (JsonBuilder    *builder,
                                   SitrepCliShown *shown,
                                   GPtrArray      *events,
                                   gint64          now);

G_END_DECLS
