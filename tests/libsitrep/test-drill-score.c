/* test-drill-score.c: a drill's score from what the store kept, against the runbook's targets */
#include "config.h"

#include <string.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "sitrep-drill-score.h"
#include "sitrep-incident.h"
#include "sitrep-postmortem.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-messages.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
/* 2025-11-28 03:20:00 UTC: the drill begins. */
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

static void
set_status (SitrepStore         *store,
            gint64               id,
            SitrepIncidentStatus status,
            gint64               at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (store, id, &error);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_set_status (store, incident, status, at, "alice", &error));
  g_assert_no_error (error);
}

static void
tick (SitrepStore *store,
      gint64       id,
      const char  *item,
      gint64       at)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_store_set_item (store, id, item, item, TRUE, at, "alice", &error));
  g_assert_no_error (error);
}

/* A message copied (@posted FALSE) or queued for the chat webhook and never sent. */
static void
message (SitrepStore *store,
         gint64       id,
         const char  *template_id,
         gint64       at,
         gboolean     posted)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sitrep_store_record_message (store, id, template_id, "text", at, "alice", posted,
                                                &error), >, 0);
  g_assert_no_error (error);
}

static SitrepDrillScore *
score_of (SitrepStore   *store,
          SitrepRunbook *runbook,
          gint64         id,
          gint64         now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (store, id, &error);
  g_autoptr(GPtrArray) messages = NULL;

  g_assert_no_error (error);
  messages = sitrep_store_list_messages (store, id, &error);
  g_assert_no_error (error);
  return sitrep_drill_score_new (incident, runbook, messages, T0, now);
}

static gint64
declare (SitrepStore   *store,
         SitrepRunbook *runbook,
         gint64         at)
{
  const char *services[] = { "gateway", NULL };
  g_autoptr(GError) error = NULL;
  gint64 id = fixture_declare_incident (store, runbook, "P1", "Labels do not print", NULL, "alice",
                                        NULL, services, at, &error);

  g_assert_no_error (error);
  return id;
}

/* Northwind's P1: a response target of 10 min, an update every 20 min, the duty manager called
 * at 20 min. The team declares at 3 min, writes first at 4, updates late twice, mitigates at 45
 * and resolves at 55. */
static void
test_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(SitrepDrillScore) score = NULL;
  g_autofree char *markdown = NULL;
  gint64 declared = T0 + 3 * MIN_US;
  gint64 id;

  g_assert_no_error (error);
  id = declare (store, runbook, declared);
  message (store, id, "depot-notice", declared + 4 * MIN_US, FALSE);
  tick (store, id, "open-room", declared + 2 * MIN_US);
  tick (store, id, "first-word", declared + 4 * MIN_US);
  /* Posted to chat but never delivered: nobody read it. */
  message (store, id, "progress", declared + 15 * MIN_US, TRUE);
  message (store, id, "progress", declared + 30 * MIN_US, FALSE);
  set_status (store, id, SITREP_STATUS_MONITORING, declared + 45 * MIN_US);
  message (store, id, "all-clear", declared + 55 * MIN_US, FALSE);
  set_status (store, id, SITREP_STATUS_RESOLVED, declared + 55 * MIN_US);
  /* The post-mortem is no update to the people waiting for one. */
  message (store, id, "review", declared + 60 * MIN_US, FALSE);

  score = score_of (store, runbook, id, declared + 90 * MIN_US);
  g_assert_cmpint (score->to_declare, ==, 3 * MIN_US);
  g_assert_cmpint (score->to_first_update, ==, 4 * MIN_US);
  g_assert_cmpint (score->response_target, ==, 10 * MIN_US);
  g_assert_true (score->response_met);
  g_assert_cmpint (score->to_mitigation, ==, 45 * MIN_US);
  g_assert_cmpint (score->to_resolution, ==, 55 * MIN_US);
  g_assert_cmpint (score->update_every, ==, 20 * MIN_US);
  g_assert_cmpuint (score->updates_sent, ==, 3);
  /* Due at 24 (the one at 15 never went out; 30 came late), then at 50 (55 came late). */
  g_assert_cmpuint (score->updates_missed, ==, 2);
  g_assert_cmpuint (score->checklist_done, ==, 2);
  g_assert_cmpuint (score->checklist_total, ==, 6);
  g_assert_cmpuint (score->escalations_due, ==, 1);
  g_assert_cmpuint (score->escalations_total, ==, 1);

  markdown = sitrep_drill_score_to_markdown (score);
  g_assert_cmpstr (markdown, ==,
                   "## Drill score\n\n"
                   "- Declared 3 min 00 s after the drill began\n"
                   "- First stakeholder message after 4 min 00 s: within the response target "
                   "of 10 min 00 s\n"
                   "- Mitigated after 45 min 00 s\n"
                   "- Resolved after 55 min 00 s\n"
                   "- 3 status updates sent, 2 missed (one is due every 20 min 00 s)\n"
                   "- Checklist: 2 of 6 items done\n"
                   "- Escalation: 1 of 1 later step fell due before mitigation\n");
}

/* Still open: the count runs to @now. Silence past the response target is scored as missed,
 * and a quick mitigation calls in nobody. */
static void
test_open_and_silent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(SitrepDrillScore) score = NULL;
  g_autofree char *markdown = NULL;
  gint64 declared = T0 + 90 * G_USEC_PER_SEC;
  gint64 id;

  g_assert_no_error (error);
  id = declare (store, runbook, declared);
  set_status (store, id, SITREP_STATUS_MONITORING, declared + 8 * MIN_US);

  score = score_of (store, runbook, id, declared + 41 * MIN_US);
  g_assert_cmpint (score->to_declare, ==, 90 * G_USEC_PER_SEC);
  g_assert_cmpint (score->to_first_update, ==, -1);
  g_assert_false (score->response_met);
  g_assert_cmpint (score->to_mitigation, ==, 8 * MIN_US);
  g_assert_cmpint (score->to_resolution, ==, -1);
  g_assert_cmpuint (score->updates_sent, ==, 0);
  /* Due at 20 and at 40. */
  g_assert_cmpuint (score->updates_missed, ==, 2);
  g_assert_cmpuint (score->checklist_done, ==, 0);
  g_assert_cmpuint (score->escalations_due, ==, 0);

  markdown = sitrep_drill_score_to_markdown (score);
  g_assert_nonnull (strstr (markdown, "- Declared 1 min 30 s after the drill began\n"));
  g_assert_nonnull (strstr (markdown, "- No stakeholder message was sent: the response target is "
                                      "10 min 00 s\n"));
  g_assert_nonnull (strstr (markdown, "- Mitigated after 8 min 00 s\n- Not resolved yet\n"));
  g_assert_nonnull (strstr (markdown, "- Escalation: 0 of 1 later step fell due before "
                                      "mitigation\n"));
}

static SitrepRunbook *
drill_runbook (void)
{
  SitrepRunbook *runbook = fixture_runbook_load_drill ("2025-11-28T03:20:00Z");

  g_assert_cmpint (sitrep_runbook_get_environment (runbook)->drill_started_at, ==, T0);
  return runbook;
}

/* The post-mortem editor's preview (rendered from the timeline's events) scores the drill as
 * the export (read from the store) does, whatever the timeline shows. */
static void
test_preview_as_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepRunbook) runbook = drill_runbook ();
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *starred = NULL;
  g_autofree char *exported = NULL;
  gint64 declared = T0 + 2 * MIN_US;
  gint64 id;

  g_assert_no_error (error);
  id = declare (store, runbook, declared);
  message (store, id, "depot-notice", declared + 12 * MIN_US, FALSE);
  set_status (store, id, SITREP_STATUS_MONITORING, declared + 20 * MIN_US);
  set_status (store, id, SITREP_STATUS_RESOLVED, declared + 21 * MIN_US);
  message (store, id, "review", declared + 22 * MIN_US, FALSE);

  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  preview = sitrep_postmortem_render (incident, runbook, events, NULL, NULL, FALSE, TRUE, &error);
  g_assert_no_error (error);
  exported = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preview, ==, exported);
  g_assert_nonnull (g_strrstr (preview,
                               "## Drill score\n\n"
                               "- Declared 2 min 00 s after the drill began\n"
                               "- First stakeholder message after 12 min 00 s: missed the response "
                               "target of 10 min 00 s\n"
                               "- Mitigated after 20 min 00 s\n"
                               "- Resolved after 21 min 00 s\n"
                               "- 1 status update sent, 0 missed (one is due every 20 min 00 s)\n"));
  /* Only starred events in the timeline: the score still counts every update. */
  starred = sitrep_postmortem_export (store, runbook, id, TRUE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (starred, "- 1 status update sent, 0 missed"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill-score/resolved", test_resolved);
  g_test_add_func ("/drill-score/open-and-silent", test_open_and_silent);
  g_test_add_func ("/drill-score/preview-as-export", test_preview_as_export);

  return g_test_run ();
}
