/* sitrep-drill-private.h: what the drill's parts share: the simulated CareCircle and its play */
#pragma once

#include <gio/gio.h>

#include "sitrep-drill-kube.h"
#include "sitrep-drill-scenario.h"

G_BEGIN_DECLS

#define SITREP_DRILL_NAMESPACE "carecircle"
#define SITREP_DRILL_CONTEXT "drill-carecircle"

typedef enum
{
  SITREP_DRILL_FAULT_NONE,
  SITREP_DRILL_FAULT_CRASH,      /* the container exits: CrashLoopBackOff */
  SITREP_DRILL_FAULT_HUNG,       /* running, but its readiness probe fails */
  SITREP_DRILL_FAULT_OVERLOADED, /* ready, but its CPU is pegged and answers are slow */
} SitrepDrillFault;

/* One deployment of the simulated cluster, as the simulation sees it. */
typedef struct
{
  char *name;            /* "carecircle-api" */
  char *service;         /* "api" */
  int replicas;          /* spec.replicas */
  char *template_text;   /* the pod template last rolled out, to tell rollouts from scales */
  char *image;           /* of the pod template */
  char *bad_image;       /* an image whose containers crash, or NULL */
  SitrepDrillFault fault;
  int faulty;            /* how many of its pods have the fault */
  const char *crash_reason;
  int exit_code;
  double cpu;            /* millicores the whole deployment needs */
  gint64 memory;         /* bytes each pod holds */
  gint64 restarts;       /* restarts of each faulty pod so far */
  double next_restart;   /* simulated second of the next crash of the faulty pods */
  double rolled_out_at;  /* simulated second of the last rollout, for its progress deadline */
  char *crash_log;       /* what a faulty container writes before it dies */
  GPtrArray *pods;       /* char*: the pods' names, oldest first */
} SitrepDrillDeployment;

/* What the health endpoints answer, set by the play. */
typedef struct
{
  int api_latency_ms;
  const char *database; /* "up", or what the API says of it */
  const char *redis;
  char *api_error;      /* NULL, or the error the health check reports */
} SitrepDrillHealth;

typedef struct _SitrepDrillWorld SitrepDrillWorld;

typedef void (*SitrepDrillRolloutFunc) (SitrepDrillDeployment *deployment,
                                        gboolean               replaced,
                                        gboolean               scaled,
                                        gpointer               user_data);

/* sitrep-drill-world.c: the cluster's deployments, pods, logs, events and metrics. */
SitrepDrillWorld      *sitrep_drill_world_new        (SitrepDrillKube        *kube,
                                                      SitrepDrillRolloutFunc  rollout,
                                                      gpointer                user_data);
void                   sitrep_drill_world_free       (SitrepDrillWorld       *world);
SitrepDrillDeployment *sitrep_drill_world_get        (SitrepDrillWorld       *world,
                                                      const char             *service);
SitrepDrillHealth     *sitrep_drill_world_get_health (SitrepDrillWorld       *world);
void                   sitrep_drill_world_set_now    (SitrepDrillWorld       *world,
                                                      double                  now);
/* Brings the pods, the deployments' status and the metrics in line with the faults. */
void                   sitrep_drill_world_sync       (SitrepDrillWorld       *world);
/* A new revision with @image, as a CI pipeline would deploy it. */
void                   sitrep_drill_world_deploy     (SitrepDrillWorld       *world,
                                                      SitrepDrillDeployment  *deployment,
                                                      const char             *image,
                                                      const char             *cause);
void                   sitrep_drill_world_log        (SitrepDrillWorld       *world,
                                                      SitrepDrillDeployment  *deployment,
                                                      gboolean                faulty_only,
                                                      const char             *format,
                                                      ...) G_GNUC_PRINTF (4, 5);
void                   sitrep_drill_world_event      (SitrepDrillWorld       *world,
                                                      SitrepDrillDeployment  *deployment,
                                                      gboolean                on_pods,
                                                      gboolean                warning,
                                                      const char             *reason,
                                                      const char             *format,
                                                      ...) G_GNUC_PRINTF (6, 7);
guint                  sitrep_drill_world_count_ready (SitrepDrillWorld      *world,
                                                      SitrepDrillDeployment  *deployment);

/* sitrep-drill-backends.c: the real Redis and PostgreSQL servers of the drill. */
typedef struct _SitrepDrillBackends SitrepDrillBackends;

typedef struct
{
  gboolean answered;
  gint64 used_memory;
  gint64 sessions;      /* keys the simulated API keeps sessions in */
  gboolean flushed;     /* the sessions were cleared (FLUSHDB) since the last poll */
  gint64 queue_waiting; /* jobs in bull:notification:wait */
  gint64 reminders;     /* jobs in bull:medication-reminder:wait */
} SitrepDrillRedisState;

/* The Redis the drill gives its API: its memory, so that it can fill up. */
#define SITREP_DRILL_REDIS_MAXMEMORY (64 * 1024 * 1024)

SitrepDrillBackends   *sitrep_drill_backends_new          (const char          *scratch);
void                   sitrep_drill_backends_free         (SitrepDrillBackends *backends);
void                   sitrep_drill_backends_start_async  (SitrepDrillBackends *backends,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean               sitrep_drill_backends_start_finish (SitrepDrillBackends *backends,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void                   sitrep_drill_backends_stop         (SitrepDrillBackends *backends);
void                   sitrep_drill_backends_stop_async   (SitrepDrillBackends *backends,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
/* 0 and the reason when the server is not part of the drill. */
guint                  sitrep_drill_backends_redis_port   (SitrepDrillBackends *backends,
                                                           const char         **absent);
guint                  sitrep_drill_backends_pg_port      (SitrepDrillBackends *backends,
                                                           const char         **absent);
/* The simulation's wishes, carried out in a worker thread; the state read back comes with
 * the next call of sitrep_drill_backends_poll(). */
void                   sitrep_drill_backends_want         (SitrepDrillBackends *backends,
                                                           gint64               fill_bytes,
                                                           gint64               queue_add,
                                                           gint64               queue_drain,
                                                           int                  pool_held);
gboolean               sitrep_drill_backends_poll         (SitrepDrillBackends *backends,
                                                           SitrepDrillRedisState *state);
/* Run on the backends' thread after each session the simulated API writes to Redis; the
 * tests set it (sitrep-drill-testing.c, which only they link) to clear Redis while a round
 * fills it. */
extern void (*sitrep_drill_backends_session_written) (guint  redis_port,
                                                      gint64 id);
void sitrep_drill_backends_testing_set_session_written (void (*func) (guint  redis_port,
                                                                      gint64 id));

/* sitrep-drill-play.c: a scenario unfolding over simulated time, and what mitigates it. */
typedef struct _SitrepDrillPlay SitrepDrillPlay;

SitrepDrillPlay       *sitrep_drill_play_new       (const SitrepDrillScenarioInfo *scenario,
                                                    SitrepDrillKube               *kube,
                                                    SitrepDrillBackends           *backends);
void                   sitrep_drill_play_free      (SitrepDrillPlay               *play);
void                   sitrep_drill_play_tick      (SitrepDrillPlay               *play,
                                                    double                         now);
SitrepDrillHealth     *sitrep_drill_play_get_health (SitrepDrillPlay              *play);
gboolean               sitrep_drill_play_is_ready  (SitrepDrillPlay               *play,
                                                    const char                    *service);
/* The simulated second the incident was mitigated at, or < 0. */
double                 sitrep_drill_play_mitigated_at (SitrepDrillPlay            *play);
const char            *sitrep_drill_play_get_fix   (SitrepDrillPlay               *play);

/* sitrep-drill-health.c: the services' health endpoints on loopback. */
typedef struct _SitrepDrillHealthServer SitrepDrillHealthServer;

SitrepDrillHealthServer *sitrep_drill_health_server_new  (SitrepDrillPlay         *play,
                                                          GError                 **error);
void                     sitrep_drill_health_server_free (SitrepDrillHealthServer *server);
guint                    sitrep_drill_health_server_get_port (SitrepDrillHealthServer *server);

/* sitrep-drill-runbook.c: the CareCircle runbook aimed at the simulation. */
typedef struct
{
  const char *kubeconfig;
  guint health_port;
  guint redis_port;
  const char *redis_absent;
  guint pg_port;
  const char *pg_absent;
  const char *scenario_title;
  gint64 started_at;       /* real time (µs) the scenario begins: the score counts from it */
} SitrepDrillTargets;

GBytes                *sitrep_drill_runbook_make  (const SitrepDrillTargets *targets,
                                                   GError                  **error);

/* sitrep-drill-process.c: a server the drill starts, in a process group that ends with it. */
typedef struct _SitrepDrillProcess SitrepDrillProcess;

SitrepDrillProcess    *sitrep_drill_process_spawn  (const char *const *argv,
                                                    const char        *run_as,
                                                    const char        *log_path,
                                                    GError           **error);
void                   sitrep_drill_process_free   (SitrepDrillProcess *process);
void                   sitrep_drill_process_end_async (SitrepDrillProcess  *process,
                                                       int                  signal_,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void                   sitrep_drill_process_await  (SitrepDrillProcess  *process,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean               sitrep_drill_process_is_running (SitrepDrillProcess *process);
void                   sitrep_drill_process_stop   (SitrepDrillProcess *process,
                                                    int                 signal_);
char                  *sitrep_drill_find_program   (const char        *name);
gboolean               sitrep_drill_chown_for      (const char        *path,
                                                    const char        *user,
                                                    GError           **error);
guint                  sitrep_drill_free_port      (GError           **error);

G_END_DECLS
