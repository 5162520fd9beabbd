/* sitrep-service-state.h: what the console knows of one service's health, probe by probe */
#pragma once

#include "sitrep-probe.h"
#include "sitrep-runbook.h"

G_BEGIN_DECLS

/* Ordered from best to worst, so that MAX() of two is the worse. */
typedef enum
{
  SITREP_HEALTH_UP,
  SITREP_HEALTH_UNKNOWN,
  SITREP_HEALTH_DEGRADED,
  SITREP_HEALTH_DOWN,
} SitrepHealth;

#define SITREP_TYPE_HEALTH (sitrep_health_get_type ())
GType        sitrep_health_get_type   (void) G_GNUC_CONST;
const char  *sitrep_health_to_string  (SitrepHealth health);
const char  *sitrep_health_get_label  (SitrepHealth health);
gboolean     sitrep_health_from_string (const char   *text,
                                        SitrepHealth *health);
gboolean     sitrep_health_should_notify (SitrepHealth old_health,
                                          SitrepHealth new_health,
                                          gboolean     flapping);

/* One condition of a probe as the last result resolved it. */
typedef struct
{
  const SitrepConditionSpec *spec;
  gboolean passed;
  char *resolved;
  SitrepReason *reason;
} SitrepConditionVerdict;

/* A point of a probe's recent history, for sparklines. */
typedef struct
{
  gint64 at;
  SitrepHealth health;
  double latency_ms; /* < 0 when there was none */
} SitrepHealthPoint;

#define SITREP_HEALTH_HISTORY 60
#define SITREP_FLAP_WINDOW 21

/* One probe's state, with its hysteresis and flapping detection. */
typedef struct
{
  const SitrepProbeSpec *spec;
  SitrepHealth health;      /* after hysteresis */
  SitrepHealth last_target; /* what the last result alone said */
  guint worse_streak;
  guint better_streak;
  gint64 since;             /* when health last changed; 0 before the first result */
  gint64 last_at;           /* when the last result came; 0 before the first result */
  SitrepReason *reason;     /* why it is not up */
  SitrepProbeResult *last;
  GPtrArray *verdicts;      /* SitrepConditionVerdict of the last result */
  SitrepHealthPoint history[SITREP_HEALTH_HISTORY];
  guint history_len;
  guint history_head;
  SitrepHealth targets[SITREP_FLAP_WINDOW];
  guint targets_len;
  gboolean flapping;
} SitrepProbeStatus;

#define SITREP_TYPE_SERVICE_STATE (sitrep_service_state_get_type ())

G_DECLARE_FINAL_TYPE (SitrepServiceState, sitrep_service_state, SITREP, SERVICE_STATE, GObject)

SitrepServiceState      *sitrep_service_state_new           (SitrepRunbook       *runbook,
                                                             const SitrepService *service);
const SitrepService     *sitrep_service_state_get_service   (SitrepServiceState  *self);
SitrepRunbook           *sitrep_service_state_get_runbook   (SitrepServiceState  *self);
const char              *sitrep_service_state_get_id        (SitrepServiceState  *self);
const char              *sitrep_service_state_get_name      (SitrepServiceState  *self);
SitrepHealth             sitrep_service_state_get_health    (SitrepServiceState  *self);
gint64                   sitrep_service_state_get_since     (SitrepServiceState  *self);
const char              *sitrep_service_state_get_reason    (SitrepServiceState  *self);
SitrepReason            *sitrep_service_state_get_why       (SitrepServiceState  *self);
double                   sitrep_service_state_get_latency   (SitrepServiceState  *self);
gboolean                 sitrep_service_state_get_flapping  (SitrepServiceState  *self);
gboolean                 sitrep_service_state_get_stale     (SitrepServiceState  *self);
gboolean                 sitrep_service_state_get_insecure  (SitrepServiceState  *self);
guint                    sitrep_service_state_get_n_probes  (SitrepServiceState  *self);
const SitrepProbeStatus *sitrep_service_state_get_probe     (SitrepServiceState  *self,
                                                             guint                index);
const SitrepProbeStatus *sitrep_service_state_find_probe    (SitrepServiceState  *self,
                                                             const char          *probe_id);
guint                    sitrep_service_state_get_history   (SitrepServiceState  *self,
                                                             SitrepHealthPoint   *points,
                                                             guint                max_points);

/* Feeding results; the monitor does this, tests do it directly with a clock of their own. */
gboolean                 sitrep_service_state_apply_result  (SitrepServiceState  *self,
                                                             const char          *probe_id,
                                                             SitrepProbeResult   *result,
                                                             gint64               now);
gboolean                 sitrep_service_state_apply_failure (SitrepServiceState  *self,
                                                             const char          *probe_id,
                                                             SitrepReason        *reason,
                                                             gint64               now);
void                     sitrep_service_state_restore_history (SitrepServiceState *self,
                                                               const char         *probe_id,
                                                               const SitrepHealthPoint *points,
                                                               guint               n_points);
gboolean                 sitrep_service_state_update_stale  (SitrepServiceState  *self,
                                                             gint64               now);
SitrepHealth             sitrep_service_state_evaluate      (const SitrepProbeSpec *spec,
                                                             SitrepProbeResult   *result,
                                                             GPtrArray           *verdicts,
                                                             SitrepReason       **reason);

G_END_DECLS
