/* sitrep-incident-private.h: the incident's fields, which the store fills from its rows */
#pragma once

#include "sitrep-incident.h"

G_BEGIN_DECLS

struct _SitrepIncident
{
  GObject parent_instance;

  gint64 id;
  gint64 revision;
  char *runbook;          /* the name of the runbook it was declared under */
  char *runbook_checksum; /* and its stored copy, or NULL when recorded before copies were kept */
  gboolean drill;         /* declared in a drill: kept out of the real incidents */
  char *severity;
  SitrepIncidentStatus status;
  char *status_id;        /* format 2: the runbook's own status, or NULL for a built-in one */
  char *summary;
  char *impact;
  char *lead;
  char *channel;
  GStrv services;
  gint64 started_at;
  gint64 declared_at;
  gint64 acknowledged_at;
  gint64 mitigated_at;
  gint64 resolved_at;
  gint64 last_update_at;
  gint64 update_overdue_at;
  GHashTable *ticks;   /* item id → SitrepChecklistTick */
  GHashTable *answers; /* step index → SitrepEscalationAnswer */
  /* Which of the incident manager's reads this snapshot comes from, in the order they started
   * (sitrep-incident-manager-reload.c), so that an older read is not shown over it; 0 when
   * unknown. Set on the thread that made the snapshot, before anyone else has it; a copy
   * (sitrep-incident-kept.c) gets a number of its own. */
  guint64 read_ticket;
};

typedef struct
{
  char *answer; /* "escalated" or "not-needed", NULL while unanswered */
  gint64 due_at;
  gint64 answered_at;
} SitrepEscalationAnswer;

SitrepIncident *sitrep_incident_new_empty (void);
void            sitrep_incident_add_tick  (SitrepIncident *self,
                                           const char     *item_id,
                                           gboolean        done,
                                           const char     *done_by,
                                           gint64          done_at);
void            sitrep_incident_add_escalation (SitrepIncident *self,
                                                guint           step,
                                                gint64          due_at,
                                                const char     *answer,
                                                gint64          answered_at);

G_END_DECLS
