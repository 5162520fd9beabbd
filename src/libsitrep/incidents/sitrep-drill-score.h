/* sitrep-drill-score.h: how a team did in a drill, measured against its runbook's targets */
#pragma once

#include "sitrep-incident.h"
#include "sitrep-runbook.h"

G_BEGIN_DECLS

/* Durations are microseconds; -1 when it did not happen (yet). */
typedef struct
{
  gint64 to_declare;         /* from the drill's start to the declaration */
  gint64 to_first_update;    /* from the declaration to the first stakeholder message */
  gint64 response_target;    /* the severity's; 0 when it sets none */
  gboolean response_met;     /* the first message went out within the response target */
  gint64 to_mitigation;      /* from the declaration */
  gint64 to_resolution;      /* from the declaration */
  gint64 update_every;       /* the severity's cadence; 0 when it sets none */
  guint updates_sent;
  guint updates_missed;      /* cadence deadlines that passed without an update */
  guint checklist_done;
  guint checklist_total;
  guint escalations_due;     /* escalation steps that fell due before mitigation */
  guint escalations_total;   /* timed steps of the severity's path, after the first */
} SitrepDrillScore;

/* @messages: (element-type SitrepMessage): the incident's messages, as the store lists them;
 * @drill_started_at: when the scenario started (real time, µs); @now: for an incident not yet
 * resolved, the end of the count. */
SitrepDrillScore *sitrep_drill_score_new         (SitrepIncident         *incident,
                                                  SitrepRunbook          *runbook,
                                                  GPtrArray              *messages,
                                                  gint64                  drill_started_at,
                                                  gint64                  now);
/* @sent: (element-type gint64): when each status update reached its readers (real time, µs),
 * in any order; the post-mortem's own message is none. */
SitrepDrillScore *sitrep_drill_score_new_for_updates (SitrepIncident     *incident,
                                                      SitrepRunbook      *runbook,
                                                      GArray             *sent,
                                                      gint64              drill_started_at,
                                                      gint64              now);
void              sitrep_drill_score_free        (SitrepDrillScore       *score);
/* The score as a Markdown section for the drill's post-mortem. */
char             *sitrep_drill_score_to_markdown (const SitrepDrillScore *score);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepDrillScore, sitrep_drill_score_free)

G_END_DECLS
