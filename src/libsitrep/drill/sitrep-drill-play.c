/* sitrep-drill-play.c: a drill scenario unfolding over simulated time, and what mitigates it
 *
 * Every scenario starts calm, shows its first symptoms after ONSET simulated seconds (a tile
 * goes Degraded) and becomes an outage at OUTAGE (Down). Logs, events, `kubectl top` and the
 * queues tell the story as it goes. The runbook's mitigation for it ends it, whenever it comes;
 * any other action changes what it changes (a restart replaces pods, a scale adds some) without
 * removing the cause.
 */
#include "config.h"

#include <string.h>

#include "sitrep-drill-private.h"

#define ONSET 12.0
#define OUTAGE 40.0
/* How often each pod writes a line, in simulated seconds. */
#define LOG_EVERY 5.0
/* Jobs per simulated second: added by the API, taken by healthy workers. */
#define JOBS_IN 4.0
#define JOBS_IN_BACKLOG 40.0
#define JOBS_OUT 160.0
/* Connections of the API's pool, and what the drill's PostgreSQL has for it. */
#define POOL_SIZE 17
#define BAD_WEB_IMAGE "ghcr.io/carecircle/web:2024.06.5"
/* Millicores the API needs during the traffic surge; a pod is overloaded past OVERLOAD. */
#define SURGE_CPU 3000.0
#define OVERLOAD 750.0

typedef enum
{
  PLAY_API_DOWN,
  PLAY_DB_POOL,
  PLAY_REDIS_MEMORY,
  PLAY_WORKER_QUEUE,
  PLAY_WEB_BAD_DEPLOY,
  PLAY_API_CPU,
} PlayKind;

struct _SitrepDrillPlay
{
  const SitrepDrillScenarioInfo *scenario;
  PlayKind kind;
  SitrepDrillWorld *world;
  SitrepDrillBackends *backends;
  SitrepDrillRedisState redis;
  double now;
  double next_log;
  double mitigated_at;
  gboolean onset_done;
  gboolean outage_done;
  gboolean redis_full;
  gint64 fill_bytes;
  int pool_held;
  double queue_credit;
};

static void rollout_cb (SitrepDrillDeployment *deployment,
                        gboolean               replaced,
                        gboolean               scaled,
                        gpointer               user_data);

SitrepDrillPlay *
sitrep_drill_play_new (const SitrepDrillScenarioInfo *scenario,
                       SitrepDrillKube               *kube,
                       SitrepDrillBackends           *backends)
{
  static const char *const ids[] = {
    [PLAY_API_DOWN] = "api-down",
    [PLAY_DB_POOL] = "db-pool",
    [PLAY_REDIS_MEMORY] = "redis-memory",
    [PLAY_WORKER_QUEUE] = "worker-queue",
    [PLAY_WEB_BAD_DEPLOY] = "web-bad-deploy",
    [PLAY_API_CPU] = "api-cpu",
  };
  SitrepDrillPlay *play = g_new0 (SitrepDrillPlay, 1);

  play->scenario = scenario;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (g_str_equal (ids[i], scenario->id))
      play->kind = i;
  play->backends = backends;
  play->mitigated_at = -1;
  play->fill_bytes = 6 * 1024 * 1024;
  play->world = sitrep_drill_world_new (kube, rollout_cb, play);
  sitrep_drill_world_sync (play->world);
  return play;
}

void
sitrep_drill_play_free (SitrepDrillPlay *play)
{
  sitrep_drill_world_free (play->world);
  g_free (play);
}

static SitrepDrillDeployment *
deployment (SitrepDrillPlay *play,
            const char      *service)
{
  return sitrep_drill_world_get (play->world, service);
}

static void
mitigated (SitrepDrillPlay *play)
{
  if (play->mitigated_at < 0)
    {
      play->mitigated_at = play->now;
      g_debug ("drill %s mitigated at %.0f s", play->scenario->id, play->now);
    }
}

static void
set_fault (SitrepDrillDeployment *d,
           SitrepDrillFault       fault,
           int                    faulty,
           double                 now)
{
  int before = d->fault == fault ? d->faulty : 0;

  if (d->fault != fault || d->faulty == 0)
    {
      d->restarts = 0;
      d->next_restart = now + 3;
    }
  d->fault = fault;
  d->faulty = fault == SITREP_DRILL_FAULT_NONE ? 0 : MIN (faulty, d->replicas);
  /* A crashing pod stops being ready because its container died: the crash (and with it the
   * previous run's log that `kubectl logs --previous` shows) comes with the first unready
   * moment, not some seconds after it. */
  if (fault == SITREP_DRILL_FAULT_CRASH && d->faulty > before)
    d->next_restart = now;
}

/* The scenario's first symptoms, then the outage. */
static void
unfold (SitrepDrillPlay *play)
{
  SitrepDrillDeployment *api = deployment (play, "api");
  SitrepDrillDeployment *web = deployment (play, "web");
  SitrepDrillDeployment *workers = deployment (play, "workers");
  gboolean onset = !play->onset_done && play->now >= ONSET;
  gboolean outage = !play->outage_done && play->now >= OUTAGE;

  if (play->mitigated_at >= 0)
    return;
  if (play->kind == PLAY_WEB_BAD_DEPLOY && !play->onset_done && play->now >= ONSET / 2)
    {
      /* The release goes out before anything shows. */
      g_free (web->bad_image);
      web->bad_image = g_strdup (BAD_WEB_IMAGE);
      g_free (web->crash_log);
      web->crash_log = g_strdup_printf (
        "TypeError: Cannot read properties of undefined (reading 'map')\n"
        "    at CarePlanList (/app/.next/server/chunks/812.js:1:2043)\n"
        "    at renderWithHooks (/app/node_modules/react-dom/server.js:5662:16)\n"
        "Error: process exited with code 1 while rendering /care-plans\n");
      sitrep_drill_world_deploy (play->world, web, BAD_WEB_IMAGE,
                                 "deploy 2024.06.5: new care plan list");
      set_fault (web, SITREP_DRILL_FAULT_CRASH, 1, play->now);
      play->onset_done = TRUE;
      onset = FALSE;
    }
  if (onset)
    play->onset_done = TRUE;
  if (outage)
    play->outage_done = TRUE;

  switch (play->kind)
    {
    case PLAY_API_DOWN:
      if (onset || outage)
        {
          g_free (api->crash_log);
          api->crash_log = g_strdup (
            "<--- Last few GCs --->\n"
            "[1:0x5d2f3c0]  Mark-Compact 2031.5 (2080.1) -> 2029.8 (2081.3) MB, 1874.2 ms\n"
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n");
          api->crash_reason = "OOMKilled";
          api->exit_code = 137;
          set_fault (api, SITREP_DRILL_FAULT_CRASH, outage ? api->replicas : 1, play->now);
        }
      break;
    case PLAY_DB_POOL:
      if (onset)
        play->pool_held = POOL_SIZE / 2;
      if (outage)
        play->pool_held = POOL_SIZE;
      break;
    case PLAY_REDIS_MEMORY:
      break;
    case PLAY_WORKER_QUEUE:
      if (onset || outage)
        set_fault (workers, SITREP_DRILL_FAULT_HUNG, outage ? workers->replicas : 1, play->now);
      break;
    case PLAY_WEB_BAD_DEPLOY:
      if (outage)
        set_fault (web, SITREP_DRILL_FAULT_CRASH, web->replicas, play->now);
      break;
    case PLAY_API_CPU:
      if (onset)
        {
          api->cpu = SURGE_CPU;
          set_fault (api, SITREP_DRILL_FAULT_OVERLOADED, api->replicas, play->now);
        }
      if (outage)
        api->memory = (gint64) 1700 * 1024 * 1024;
      break;
    }
}

/* A change made with kubectl: does it remove the cause? */
static void
rollout_cb (SitrepDrillDeployment *d,
            gboolean               replaced,
            gboolean               scaled,
            gpointer               user_data)
{
  SitrepDrillPlay *play = user_data;

  if (d->bad_image != NULL && g_strcmp0 (d->image, d->bad_image) == 0)
    {
      /* The broken release again, restarted or rolled forward: its new pods crash at once. */
      if (replaced)
        set_fault (d, SITREP_DRILL_FAULT_CRASH, d->replicas, play->now);
      else
        d->faulty = d->fault != SITREP_DRILL_FAULT_NONE ? d->replicas : 0;
      return;
    }
  if (d->bad_image != NULL && replaced)
    {
      /* Back on a release that works. */
      set_fault (d, SITREP_DRILL_FAULT_NONE, 0, play->now);
      sitrep_drill_world_log (play->world, d, FALSE, "INFO  rendered /care-plans in 212ms");
      mitigated (play);
      return;
    }

  switch (play->kind)
    {
    case PLAY_API_DOWN:
      if (g_str_equal (d->service, "api") && replaced && play->onset_done)
        {
          set_fault (d, SITREP_DRILL_FAULT_NONE, 0, play->now);
          mitigated (play);
        }
      else if (g_str_equal (d->service, "api") && d->fault != SITREP_DRILL_FAULT_NONE)
        d->faulty = play->outage_done ? d->replicas : MIN (1, d->replicas);
      break;
    case PLAY_DB_POOL:
      if (g_str_equal (d->service, "api") && replaced && play->pool_held > 0)
        {
          play->pool_held = 0;
          sitrep_drill_world_log (play->world, d, FALSE,
                                  "INFO  database pool ready: 0/%d connections in use", POOL_SIZE);
          mitigated (play);
        }
      break;
    case PLAY_WORKER_QUEUE:
      if (g_str_equal (d->service, "workers") && replaced && play->onset_done)
        {
          set_fault (d, SITREP_DRILL_FAULT_NONE, 0, play->now);
          mitigated (play);
        }
      else if (g_str_equal (d->service, "workers") && d->fault != SITREP_DRILL_FAULT_NONE)
        d->faulty = d->replicas;
      break;
    case PLAY_API_CPU:
      if (g_str_equal (d->service, "api") && d->fault == SITREP_DRILL_FAULT_OVERLOADED)
        {
          if (d->cpu / MAX (1, d->replicas) <= OVERLOAD)
            {
              set_fault (d, SITREP_DRILL_FAULT_NONE, 0, play->now);
              mitigated (play);
            }
          else
            d->faulty = d->replicas;
        }
      break;
    case PLAY_REDIS_MEMORY:
    case PLAY_WEB_BAD_DEPLOY:
      break;
    }
  (void) scaled;
}

/* Redis as the simulated API fills it, and what a FLUSHDB did to it. */
static void
follow_redis (SitrepDrillPlay *play)
{
  SitrepDrillDeployment *api = deployment (play, "api");

  if (!sitrep_drill_backends_poll (play->backends, &play->redis))
    return;
  if (play->kind != PLAY_REDIS_MEMORY)
    return;
  /* A round Redis did not answer in time (a busy machine) says nothing of its memory; but a
   * flush an earlier round saw is in its state all the same, and the play hears of it only
   * once: dropped here, the API would stay "full" and fill Redis again behind the FLUSHDB. */
  if (play->redis.answered && play->redis.used_memory >= SITREP_DRILL_REDIS_MAXMEMORY * 9 / 10)
    play->redis_full = TRUE;
  /* Clearing the sessions once they fill Redis is the runbook's mitigation; before that, the
   * API fills it again as fast as before. */
  if (play->redis.flushed && play->mitigated_at < 0 && play->now >= ONSET)
    {
      sitrep_drill_world_log (play->world, api, FALSE,
                              "WARN  sessions were cleared from Redis (FLUSHDB): every user must "
                              "sign in again");
      play->fill_bytes = 4 * 1024 * 1024;
      play->redis_full = FALSE;
      mitigated (play);
    }
}

/* What the health endpoints say, from the state of things. */
static void
judge_health (SitrepDrillPlay *play)
{
  SitrepDrillHealth *health = sitrep_drill_world_get_health (play->world);
  SitrepDrillDeployment *api = deployment (play, "api");
  guint ready = sitrep_drill_world_count_ready (play->world, api);
  double per_pod = api->cpu / MAX (1, ready);

  g_clear_pointer (&health->api_error, g_free);
  health->database = "up";
  health->redis = "up";
  health->api_latency_ms = 40;
  if (ready < (guint) api->replicas)
    health->api_latency_ms = 1300;
  if (api->fault == SITREP_DRILL_FAULT_OVERLOADED && per_pod > OVERLOAD)
    health->api_latency_ms = (int) (1000 + (per_pod - OVERLOAD) * 3);
  if (play->pool_held >= POOL_SIZE)
    {
      health->database = "down";
      health->api_latency_ms = 3000;
      health->api_error = g_strdup_printf ("timeout acquiring a database connection: pool "
                                           "%d/%d in use", POOL_SIZE, POOL_SIZE);
    }
  else if (play->pool_held > 0)
    health->api_latency_ms = 1200;
  if (play->redis_full)
    {
      health->redis = "error";
      health->api_latency_ms = MAX (health->api_latency_ms, 1500);
      health->api_error = g_strdup ("OOM command not allowed when used memory > 'maxmemory'");
    }
}

static void
write_logs (SitrepDrillPlay *play)
{
  SitrepDrillDeployment *api = deployment (play, "api");
  SitrepDrillDeployment *workers = deployment (play, "workers");
  SitrepDrillDeployment *web = deployment (play, "web");
  SitrepDrillHealth *health = sitrep_drill_world_get_health (play->world);

  if (play->now < play->next_log)
    return;
  play->next_log = play->now + LOG_EVERY;

  if (play->pool_held >= POOL_SIZE)
    sitrep_drill_world_log (play->world, api, FALSE,
                            "ERROR TimeoutError: timeout exceeded when trying to connect "
                            "(pool %d/%d in use, %d waiting)", POOL_SIZE, POOL_SIZE,
                            30 + g_random_int_range (0, 40));
  else if (play->pool_held > 0)
    sitrep_drill_world_log (play->world, api, FALSE,
                            "WARN  slow query (8.2 s): SELECT * FROM medication_events WHERE "
                            "care_plan_id = $1 ORDER BY due_at; pool %d/%d in use",
                            play->pool_held, POOL_SIZE);
  else if (play->redis_full)
    sitrep_drill_world_log (play->world, api, FALSE,
                            "ERROR ReplyError: OOM command not allowed when used memory > "
                            "'maxmemory'. (SET sess:%08x)", g_random_int ());
  else if (api->fault == SITREP_DRILL_FAULT_OVERLOADED)
    sitrep_drill_world_log (play->world, api, FALSE,
                            "WARN  event loop lag %d ms; GET /api/v1/care-plans 200 %d ms",
                            400 + g_random_int_range (0, 500), health->api_latency_ms);
  else if (api->fault == SITREP_DRILL_FAULT_CRASH)
    sitrep_drill_world_log (play->world, api, TRUE,
                            "WARN  heap used %d MB of 2048 MB (medication reminder retries: "
                            "%d pending)", 1500 + g_random_int_range (0, 500),
                            9000 + g_random_int_range (0, 3000));
  else
    sitrep_drill_world_log (play->world, api, FALSE, "INFO  GET /api/v1/care-plans 200 %d ms",
                            30 + g_random_int_range (0, 30));

  if (workers->fault == SITREP_DRILL_FAULT_HUNG)
    {
      sitrep_drill_world_log (play->world, workers, TRUE,
                              "ERROR Worker notification: Connection is closed. Stalled, "
                              "retrying in 30 s");
      sitrep_drill_world_event (play->world, workers, TRUE, TRUE, "Unhealthy",
                                "Readiness probe failed: HTTP probe failed with statuscode: 503");
    }
  else
    sitrep_drill_world_log (play->world, workers, FALSE,
                            "INFO  notification: completed %d jobs (%" G_GINT64_FORMAT
                            " waiting)", 20 + g_random_int_range (0, 20),
                            play->redis.queue_waiting);

  if (web->fault == SITREP_DRILL_FAULT_NONE)
    sitrep_drill_world_log (play->world, web, FALSE, "INFO  GET /care-plans 200 %d ms",
                            80 + g_random_int_range (0, 60));
}

void
sitrep_drill_play_tick (SitrepDrillPlay *play,
                        double           now)
{
  SitrepDrillDeployment *workers = deployment (play, "workers");
  double dt = MAX (0, now - play->now);
  gint64 add, drain;

  play->now = now;
  sitrep_drill_world_set_now (play->world, now);
  unfold (play);
  follow_redis (play);

  if (play->kind == PLAY_REDIS_MEMORY && play->mitigated_at < 0 && play->now >= ONSET / 2)
    play->fill_bytes = MIN ((gint64) SITREP_DRILL_REDIS_MAXMEMORY,
                            (gint64) ((play->now - ONSET / 2) * 2.0 * 1024 * 1024)
                              + 8 * 1024 * 1024);
  play->queue_credit += dt * (sitrep_drill_world_count_ready (play->world, workers) < (guint) workers->replicas
                                ? JOBS_IN_BACKLOG : JOBS_IN);
  add = (gint64) play->queue_credit;
  play->queue_credit -= add;
  drain = sitrep_drill_world_count_ready (play->world, workers) > 0 ? (gint64) (dt * JOBS_OUT) + 1
                                                                     : 0;
  sitrep_drill_backends_want (play->backends, play->fill_bytes, add, drain, play->pool_held);

  judge_health (play);
  write_logs (play);
  sitrep_drill_world_sync (play->world);
}

SitrepDrillHealth *
sitrep_drill_play_get_health (SitrepDrillPlay *play)
{
  return sitrep_drill_world_get_health (play->world);
}

gboolean
sitrep_drill_play_is_ready (SitrepDrillPlay *play,
                            const char      *service)
{
  SitrepDrillDeployment *d = deployment (play, service);

  return d != NULL && sitrep_drill_world_count_ready (play->world, d) > 0;
}

double
sitrep_drill_play_mitigated_at (SitrepDrillPlay *play)
{
  return play->mitigated_at;
}

const char *
sitrep_drill_play_get_fix (SitrepDrillPlay *play)
{
  return play->scenario->fix;
}
