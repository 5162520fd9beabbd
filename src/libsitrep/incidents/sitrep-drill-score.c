/* sitrep-drill-score.c: how a team did in a drill, measured against its runbook's targets
 *
 * Everything comes from what the store kept of the drill's incident (its times, its ticks, the
 * messages sent) and from the runbook it was declared under (the severity's response target and
 * update cadence, its escalation path, its checklist), so the score of a drill is the score its
 * post-mortem will show whenever it is opened again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-drill-score.h"
#include "sitrep-store-messages.h"

static gint64
since (gint64 from,
       gint64 at)
{
  return from > 0 && at > 0 && at >= from ? at - from : -1;
}

/* When a message reached its readers: copied at once, or posted when the webhook took it. */
static gint64
sent_at (const SitrepMessage *message)
{
  if (message->copied_at > 0)
    return message->copied_at;
  if (message->webhook_state == SITREP_WEBHOOK_STATE_SENT)
    return message->created_at;
  return 0;
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Counts the cadence deadlines between declaration and @end that passed without an update. */
static guint
count_missed (GArray *updates,
              gint64  declared_at,
              gint64  every,
              gint64  end)
{
  gint64 from = declared_at;
  guint missed = 0;

  if (every <= 0)
    return 0;
  for (guint i = 0; i <= updates->len; i++)
    {
      gint64 next = i < updates->len ? g_array_index (updates, gint64, i) : end;

      if (next > end)
        next = end;
      while (from + every < next)
        {
          missed++;
          from += every;
        }
      from = MAX (from, next);
    }
  return missed;
}

/**
 * sitrep_drill_score_new:
 *
 * Scores a drill's incident from the messages the store kept of it: see
 * sitrep_drill_score_new_for_updates().
 */
SitrepDrillScore *
sitrep_drill_score_new (SitrepIncident *incident,
                        SitrepRunbook  *runbook,
                        GPtrArray      *messages,
                        gint64          drill_started_at,
                        gint64          now)
{
  g_autoptr(GArray) updates = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      const SitrepMessage *message = messages->pdata[i];
      gint64 at = sent_at (message);

      /* A post-mortem is not an update to the people waiting for one. */
      if (at != 0 && message->resets_update)
        g_array_append_val (updates, at);
    }
  return sitrep_drill_score_new_for_updates (incident, runbook, updates, drill_started_at, now);
}

/**
 * sitrep_drill_score_new_for_updates:
 *
 * Scores a drill's incident: the time to declare it, to the first stakeholder message (against
 * the severity's response target), to mitigation and to resolution, the status updates sent and
 * missed (against the severity's cadence), the checklist items done, and the escalation steps
 * that fell due before the incident was mitigated.
 */
SitrepDrillScore *
sitrep_drill_score_new_for_updates (SitrepIncident *incident,
                                    SitrepRunbook  *runbook,
                                    GArray         *sent,
                                    gint64          drill_started_at,
                                    gint64          now)
{
  SitrepDrillScore *score = g_new0 (SitrepDrillScore, 1);
  const SitrepSeverity *severity;
  gint64 declared_at, resolved_at, mitigated_at, end, first = 0;
  g_autoptr(GArray) updates = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) steps = NULL;

  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), score);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), score);

  declared_at = sitrep_incident_get_declared_at (incident);
  mitigated_at = sitrep_incident_get_mitigated_at (incident);
  resolved_at = sitrep_incident_get_resolved_at (incident);
  end = resolved_at > 0 ? resolved_at : now;
  severity = sitrep_runbook_find_severity (runbook, sitrep_incident_get_severity (incident));

  score->to_declare = since (drill_started_at, declared_at);
  score->to_mitigation = since (declared_at, mitigated_at);
  score->to_resolution = since (declared_at, resolved_at);
  score->response_target = severity ? severity->response_target * G_USEC_PER_SEC : 0;
  score->update_every = severity ? severity->update_every * G_USEC_PER_SEC : 0;

  for (guint i = 0; sent != NULL && i < sent->len; i++)
    {
      gint64 at = g_array_index (sent, gint64, i);

      if (at < declared_at)
        continue;
      if (first == 0 || at < first)
        first = at;
      if (at <= end)
        g_array_append_val (updates, at);
    }
  g_array_sort (updates, compare_times);
  score->updates_sent = updates->len;
  score->to_first_update = since (declared_at, first);
  score->response_met = score->to_first_update >= 0
                        && (score->response_target == 0
                            || score->to_first_update <= score->response_target);
  score->updates_missed = count_missed (updates, declared_at, score->update_every, end);

  score->checklist_done = sitrep_incident_count_done (incident, runbook, &score->checklist_total);

  /* The first step is the on-call engineer, there from the start: the later ones are the
   * people a slow mitigation brings in. */
  steps = sitrep_incident_escalation (incident, runbook, end);
  for (guint i = 0; i < steps->len; i++)
    {
      const SitrepEscalationStatus *step = &g_array_index (steps, SitrepEscalationStatus, i);

      if (step->due_at <= declared_at)
        continue;
      score->escalations_total++;
      if (step->due_at <= (mitigated_at > 0 ? mitigated_at : end))
        score->escalations_due++;
    }
  return score;
}

void
sitrep_drill_score_free (SitrepDrillScore *score)
{
  g_free (score);
}

static char *
format_time (gint64 usec)
{
  gint64 seconds = usec / G_USEC_PER_SEC;

  if (seconds < 60)
    return g_strdup_printf (C_("drill score", "%d s"), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (C_("drill score", "%d min %02d s"), (int) (seconds / 60),
                            (int) (seconds % 60));
  return g_strdup_printf (C_("drill score", "%d h %02d min"), (int) (seconds / 3600),
                          (int) (seconds % 3600 / 60));
}

/* Takes @line. */
static void
add_line (GString *out,
          char    *line)
{
  g_string_append_printf (out, "- %s\n", line);
  g_free (line);
}

char *
sitrep_drill_score_to_markdown (const SitrepDrillScore *score)
{
  GString *out = g_string_new (NULL);
  g_autofree char *declare = format_time (score->to_declare);
  g_autofree char *first = format_time (score->to_first_update);
  g_autofree char *target = format_time (score->response_target);
  g_autofree char *mitigation = format_time (score->to_mitigation);
  g_autofree char *resolution = format_time (score->to_resolution);
  g_autofree char *every = format_time (score->update_every);

  g_string_append_printf (out, "## %s\n\n", _("Drill score"));
  if (score->to_declare >= 0)
    add_line (out, g_strdup_printf (_("Declared %s after the drill began"), declare));
  if (score->to_first_update < 0 && score->response_target > 0)
    add_line (out, g_strdup_printf (_("No stakeholder message was sent: the response target is "
                                      "%s"), target));
  else if (score->to_first_update < 0)
    add_line (out, g_strdup (_("No stakeholder message was sent")));
  else if (score->response_target > 0 && score->response_met)
    add_line (out, g_strdup_printf (_("First stakeholder message after %s: within the response "
                                      "target of %s"), first, target));
  else if (score->response_target > 0)
    add_line (out, g_strdup_printf (_("First stakeholder message after %s: missed the response "
                                      "target of %s"), first, target));
  else
    add_line (out, g_strdup_printf (_("First stakeholder message after %s"), first));
  add_line (out, score->to_mitigation >= 0
                   ? g_strdup_printf (_("Mitigated after %s"), mitigation)
                   : g_strdup (_("Not mitigated")));
  add_line (out, score->to_resolution >= 0
                   ? g_strdup_printf (_("Resolved after %s"), resolution)
                   : g_strdup (_("Not resolved yet")));
  if (score->update_every > 0)
    add_line (out, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u status update sent, %u missed (one is due "
                                                 "every %s)",
                                                 "%u status updates sent, %u missed (one is due "
                                                 "every %s)",
                                                 score->updates_sent),
                                    score->updates_sent, score->updates_missed, every));
  /* Translators: the plural follows the second number, the items there are */
  add_line (out, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Checklist: %u of %u item done",
                                               "Checklist: %u of %u items done",
                                               score->checklist_total),
                                  score->checklist_done, score->checklist_total));
  if (score->escalations_total > 0)
    /* Translators: the plural follows the second number, the later steps there are */
    add_line (out, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Escalation: %u of %u later step fell due "
                                                 "before mitigation",
                                                 "Escalation: %u of %u later steps fell due "
                                                 "before mitigation",
                                                 score->escalations_total),
                                    score->escalations_due, score->escalations_total));
  return g_string_free (out, FALSE);
}
