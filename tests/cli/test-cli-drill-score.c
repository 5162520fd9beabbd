/* test-cli-drill-score.c: `sitrep export` of a drill's incident ends with the drill's score; a
 * production incident's export has none */
#include "config.h"

#include <string.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "run-test-util.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-messages.h"
#include "sitrep-store.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
/* 2025-11-28 03:20:00 UTC: the drill begins. The drill is played on this clock: every time
 * below is written into the store as it is, none is read from the machine. */
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

static SitrepRunbook *
drill_runbook (void)
{
  SitrepRunbook *runbook = fixture_runbook_load_drill ("2025-11-28T03:20:00Z");

  g_assert_cmpint (sitrep_runbook_get_environment (runbook)->drill_started_at, ==, T0);
  return runbook;
}

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

static gint64
message (SitrepStore *store,
         gint64       id,
         const char  *template_id,
         gint64       at,
         gboolean     posted)
{
  g_autoptr(GError) error = NULL;
  gint64 message_id = sitrep_store_record_message (store, id, template_id, "text", at, "alice",
                                                   posted, &error);

  g_assert_no_error (error);
  g_assert_cmpint (message_id, >, 0);
  return message_id;
}

/* Northwind's P1 (response target 10 min, an update every 20 min, the duty manager called at
 * 20 min), played as in the drill-score unit test: declared at 3 min, first word at 4, an
 * update posted at 15 that reached chat at 16, a late one at 30, mitigated at 45, the all-clear
 * and resolution at 55, the post-mortem's own message at 60. */
static gint64
play_drill (SitrepStore   *store,
            SitrepRunbook *runbook)
{
  const char *services[] = { "gateway", NULL };
  g_autoptr(GError) error = NULL;
  gint64 declared = T0 + 3 * MIN_US;
  gint64 id, posted;

  id = fixture_declare_incident (store, runbook, "P1", "Labels do not print", NULL, "alice", NULL,
                                 services, declared, &error);
  g_assert_no_error (error);
  tick (store, id, "open-room", declared + 2 * MIN_US);
  message (store, id, "depot-notice", declared + 4 * MIN_US, FALSE);
  tick (store, id, "first-word", declared + 4 * MIN_US);
  posted = message (store, id, "progress", declared + 15 * MIN_US, TRUE);
  g_assert_true (sitrep_store_mark_message_sent (store, posted, 1, declared + 16 * MIN_US,
                                                 &error));
  g_assert_no_error (error);
  /* Queued for chat and never delivered: nobody read it. */
  message (store, id, "progress", declared + 25 * MIN_US, TRUE);
  message (store, id, "progress", declared + 30 * MIN_US, FALSE);
  set_status (store, id, SITREP_STATUS_MONITORING, declared + 45 * MIN_US);
  message (store, id, "all-clear", declared + 55 * MIN_US, FALSE);
  set_status (store, id, SITREP_STATUS_RESOLVED, declared + 55 * MIN_US);
  message (store, id, "review", declared + 60 * MIN_US, FALSE);
  return id;
}

static char *
export (const char *database,
        gint64      id)
{
  g_auto(TestRun) run = { 0 };
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *argv[] = { g_getenv ("SITREP_BIN"), "export", number, "--utc", "--database",
                         database, NULL };

  test_run_argv (&run, argv, 120);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = g_build_filename (g_get_user_data_dir (), "sitrep.db", NULL);
  g_autoptr(SitrepRunbook) drill = drill_runbook ();
  g_autoptr(SitrepRunbook) production = fixture_runbook_load (NULL);
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *document = NULL;
  g_autofree char *other = NULL;
  const char *services[] = { "gateway", NULL };
  const char *score;
  gint64 drill_id, production_id;

  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  store = sitrep_store_open (database, &error);
  g_assert_no_error (error);
  drill_id = play_drill (store, drill);
  /* The same story in production: its post-mortem is no exercise and gets no score. */
  production_id = fixture_declare_incident (store, production, "P1", "Labels do not print", NULL,
                                            "alice", NULL, services, T0 + 3 * MIN_US, &error);
  g_assert_no_error (error);
  message (store, production_id, "depot-notice", T0 + 7 * MIN_US, FALSE);
  set_status (store, production_id, SITREP_STATUS_RESOLVED, T0 + 58 * MIN_US);
  g_clear_object (&store);

  document = export (database, drill_id);
  score = strstr (document, "## Drill score\n");
  g_assert_nonnull (score);
  /* Last in the document, after the runbook's own template. */
  g_assert_nonnull (strstr (document, "Labels do not print"));
  g_assert_cmpstr (score, ==,
                   "## Drill score\n\n"
                   "- Declared 3 min 00 s after the drill began\n"
                   "- First stakeholder message after 4 min 00 s: within the response target "
                   "of 10 min 00 s\n"
                   "- Mitigated after 45 min 00 s\n"
                   "- Resolved after 55 min 00 s\n"
                   /* At 4, 16, 30 and 55: each due 20 min after the one before, so only the
                    * one due at 50 was missed (55 came late). */
                   "- 4 status updates sent, 1 missed (one is due every 20 min 00 s)\n"
                   "- Checklist: 2 of 6 items done\n"
                   "- Escalation: 1 of 1 later step fell due before mitigation\n");

  other = export (database, production_id);
  g_assert_nonnull (strstr (other, "Labels do not print"));
  g_assert_null (strstr (other, "Drill score"));
  g_assert_null (strstr (other, "drill began"));
}

/* A drill's incident still open has no score yet: the post-mortem shows it once resolved. */
static void
test_open_drill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = g_build_filename (g_get_user_data_dir (), "open.db", NULL);
  g_autoptr(SitrepRunbook) drill = drill_runbook ();
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *document = NULL;
  const char *services[] = { "gateway", NULL };
  gint64 id;

  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  store = sitrep_store_open (database, &error);
  g_assert_no_error (error);
  id = fixture_declare_incident (store, drill, "P1", "Labels do not print", NULL, "alice", NULL,
                                 services, T0 + MIN_US, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  document = export (database, id);
  g_assert_nonnull (strstr (document, "Labels do not print"));
  g_assert_null (strstr (document, "Drill score"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill-score/export", test_export);
  g_test_add_func ("/drill-score/open-drill", test_open_drill);

  return g_test_run ();
}
