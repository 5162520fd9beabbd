/* sitrep-drill-scenario.c: the incidents a drill stages, from the runbook's service procedures */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-drill-scenario.h"

/* Each follows a procedure of the CareCircle runbook's "Service-Specific Procedures": its
 * symptoms appear as they would, and the procedure's mitigation works. The summary is what the
 * on-call engineer would hear first; the fix is said in the debrief, not before. */
static const SitrepDrillScenarioInfo scenarios[] = {
  { "api-down", N_("API down"),
    N_("The app stops loading care plans. API pods start to restart, then the API stops "
       "answering altogether."),
    "api",
    N_("Restart the API (rollout restart): its pods ran out of memory and crash in a loop; "
       "fresh pods start with an empty heap.") },
  { "db-pool", N_("Database connection pool exhausted"),
    N_("Requests time out and the API's health check reports the database down, though "
       "PostgreSQL itself is running."),
    "database",
    N_("Restart the API pods: a slow query left every connection of the API's pool checked out, "
       "so nothing else can reach the database; new pods open a fresh pool.") },
  { "redis-memory", N_("Redis memory full"),
    N_("Sign-ins fail and the API slows down; Redis memory keeps climbing."),
    "redis",
    N_("Flush the cache (FLUSHDB): sessions filled Redis to its memory limit. Flushing frees it "
       "and signs every user out; restarting the API frees nothing.") },
  { "worker-queue", N_("Workers stopped, queue growing"),
    N_("Medication reminders and notifications stop going out; the notification queue keeps "
       "growing."),
    "workers",
    N_("Restart the workers: they lost their Redis connection and stopped taking jobs; new pods "
       "reconnect and drain the queue.") },
  { "web-bad-deploy", N_("Web app down after a bad deploy"),
    N_("A web app release went out a few minutes ago; pages are blank and the web pods keep "
       "restarting."),
    "web",
    N_("Roll the web app back to the previous revision (rollout undo): the new release crashes "
       "on start, and a restart only starts the same broken release again.") },
  { "api-cpu", N_("API under high CPU and memory load"),
    N_("The API answers slowly; its pods run at their CPU limit and their memory grows."),
    "api",
    N_("Scale the API out to 4 replicas or more: a surge of traffic needs more pods. A restart "
       "puts the same load on the same number of pods.") },
};

const SitrepDrillScenarioInfo *
sitrep_drill_scenario_list (guint *n_scenarios)
{
  *n_scenarios = G_N_ELEMENTS (scenarios);
  return scenarios;
}

const SitrepDrillScenarioInfo *
sitrep_drill_scenario_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_strcmp0 (scenarios[i].id, id) == 0)
      return &scenarios[i];
  return NULL;
}
