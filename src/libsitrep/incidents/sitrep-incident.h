/* sitrep-incident.h: one incident as stored, and the clocks derived from its timestamps */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

typedef enum
{
  SITREP_STATUS_INVESTIGATING,
  SITREP_STATUS_IDENTIFIED,
  SITREP_STATUS_MONITORING,
  SITREP_STATUS_RESOLVED,
} SitrepIncidentStatus;

const char *sitrep_incident_status_to_string   (SitrepIncidentStatus status);
gboolean    sitrep_incident_status_from_string (const char           *text,
                                                SitrepIncidentStatus *status);
const char *sitrep_incident_status_get_label   (SitrepIncidentStatus status);

/* Who ticked a checklist item, and when. */
typedef struct
{
  char *item_id;
  gboolean done;
  char *done_by;
  gint64 done_at;
} SitrepChecklistTick;

typedef enum
{
  SITREP_CLOCK_NOT_STARTED, /* not begun yet: before its "starts", or before resolution */
  SITREP_CLOCK_ON_TIME,     /* running, its due time still ahead */
  SITREP_CLOCK_OVERDUE,     /* its due time passed with items open */
  SITREP_CLOCK_DONE,        /* every item ticked */
  SITREP_CLOCK_ONGOING,     /* no due time */
} SitrepClockState;

typedef enum
{
  SITREP_ESCALATION_PENDING,    /* not due yet */
  SITREP_ESCALATION_DUE,        /* due: waiting for an answer */
  SITREP_ESCALATION_ESCALATED,
  SITREP_ESCALATION_NOT_NEEDED,
  SITREP_ESCALATION_MANUAL,     /* "if needed": no timer */
  SITREP_ESCALATION_STOPPED,    /* resolved before it fell due */
} SitrepEscalationState;

/* One step of the escalation path as it stands for this incident. */
typedef struct
{
  guint index;                     /* in the path's steps */
  const SitrepEscalationStep *step;
  gint64 due_at;                   /* 0 for a manual step */
  SitrepEscalationState state;
  gint64 answered_at;
} SitrepEscalationStatus;

#define SITREP_TYPE_INCIDENT (sitrep_incident_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncident, sitrep_incident, SITREP, INCIDENT, GObject)

gint64               sitrep_incident_get_id              (SitrepIncident *self);
gint64               sitrep_incident_get_revision        (SitrepIncident *self);
const char          *sitrep_incident_get_runbook_name    (SitrepIncident *self);
const char          *sitrep_incident_get_runbook_checksum (SitrepIncident *self);
gboolean             sitrep_incident_get_drill           (SitrepIncident *self);
const char          *sitrep_incident_get_severity        (SitrepIncident *self);
SitrepIncidentStatus sitrep_incident_get_status          (SitrepIncident *self);
const char          *sitrep_incident_get_summary         (SitrepIncident *self);
const char          *sitrep_incident_get_impact          (SitrepIncident *self);
const char          *sitrep_incident_get_lead            (SitrepIncident *self);
const char          *sitrep_incident_get_channel         (SitrepIncident *self);
const char *const   *sitrep_incident_get_services        (SitrepIncident *self);
gint64               sitrep_incident_get_started_at      (SitrepIncident *self);
gint64               sitrep_incident_get_declared_at     (SitrepIncident *self);
gint64               sitrep_incident_get_acknowledged_at (SitrepIncident *self);
gint64               sitrep_incident_get_mitigated_at    (SitrepIncident *self);
gint64               sitrep_incident_get_resolved_at     (SitrepIncident *self);
gint64               sitrep_incident_get_last_update_at  (SitrepIncident *self);
gint64               sitrep_incident_get_update_overdue_at (SitrepIncident *self);
const SitrepChecklistTick *sitrep_incident_get_tick      (SitrepIncident *self,
                                                          const char     *item_id);
guint                sitrep_incident_count_done          (SitrepIncident *self,
                                                          SitrepRunbook  *runbook,
                                                          guint          *n_items);

/* Clocks, all derived from stored timestamps and @now: nothing counts in memory. */
gint64               sitrep_incident_response_due_at     (SitrepIncident       *self,
                                                          SitrepRunbook        *runbook);
gboolean             sitrep_incident_item_applies        (SitrepIncident            *self,
                                                          const SitrepChecklistItem *item);
gboolean             sitrep_incident_phase_applies       (SitrepIncident             *self,
                                                          const SitrepChecklistPhase *phase);
gint64               sitrep_incident_phase_starts_at     (SitrepIncident             *self,
                                                          const SitrepChecklistPhase *phase);
SitrepClockState     sitrep_incident_phase_state         (SitrepIncident             *self,
                                                          const SitrepChecklistPhase *phase,
                                                          gint64                      now,
                                                          gint64                     *due_at);
gint64               sitrep_incident_next_update_due_at  (SitrepIncident       *self,
                                                          SitrepRunbook        *runbook);
GArray              *sitrep_incident_escalation          (SitrepIncident       *self,
                                                          SitrepRunbook        *runbook,
                                                          gint64                now);

/* What declaring an incident records, checked against its runbook: the store writes it. */
typedef struct
{
  char *runbook;          /* its name */
  char *runbook_checksum; /* SHA-256 of runbook_content */
  char *runbook_source;   /* the file it was read from */
  GBytes *runbook_content; /* the document, kept with the incident */
  char *severity;
  char *summary;          /* cleaned: one line, not empty */
  char *impact;
  char *lead;
  char *channel;
  GStrv services;
  gint64 at;
  gboolean drill;         /* declared in a drill: its runbook's environment is one */
  char *status_id;        /* the runbook's first own status, or NULL for investigating */
} SitrepDeclaration;

SitrepDeclaration   *sitrep_declaration_new              (SitrepRunbook        *runbook,
                                                          const char           *severity,
                                                          const char           *summary,
                                                          const char           *impact,
                                                          const char           *lead,
                                                          const char           *channel,
                                                          const char *const    *services,
                                                          gint64                at,
                                                          GError              **error);
void                 sitrep_declaration_free             (SitrepDeclaration    *declaration);

/* What a team database's journal keeps of a declaration while the server is away. */
JsonObject          *sitrep_declaration_to_json          (const SitrepDeclaration *declaration);
SitrepDeclaration   *sitrep_declaration_from_json        (JsonObject           *object,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepDeclaration, sitrep_declaration_free)

char                *sitrep_incident_make_channel        (const char           *format,
                                                          const char           *summary,
                                                          gint64                declared_at);
char                *sitrep_incident_clean_summary       (const char           *summary,
                                                          GError              **error);

G_END_DECLS
