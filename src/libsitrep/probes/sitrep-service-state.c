/* sitrep-service-state.c: what the console knows of one service's health, probe by probe
 *
 * Each probe result is judged by its conditions (critical → down, warning → degraded). A probe
 * only changes state after fail_after results in a row say worse, or recover_after say better,
 * so one lost packet does not page anyone; the first result and a probe that cannot run at all
 * count at once. A probe whose results keep changing is marked flapping (a weighted share of
 * changes over the last 21 results, on above 50 %, off below 25 %), which mutes notifications.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-condition-eval.h"
#include "sitrep-probe-kind.h"
#include "sitrep-service-state.h"

struct _SitrepServiceState
{
  GObject parent_instance;

  SitrepRunbook *runbook;
  const SitrepService *service;
  SitrepProbeStatus *probes;
  guint n_probes;

  SitrepHealth health;
  gint64 since;
  SitrepReason *why; /* why it is not up, as data; reason is it in this console's words */
  char *reason;
  gboolean flapping;
  gboolean stale;
};

G_DEFINE_FINAL_TYPE (SitrepServiceState, sitrep_service_state, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SitrepHealth, sitrep_health,
                    G_DEFINE_ENUM_VALUE (SITREP_HEALTH_UP, "up"),
                    G_DEFINE_ENUM_VALUE (SITREP_HEALTH_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (SITREP_HEALTH_DEGRADED, "degraded"),
                    G_DEFINE_ENUM_VALUE (SITREP_HEALTH_DOWN, "down"))

enum
{
  PROP_0,
  PROP_HEALTH,
  PROP_SINCE,
  PROP_REASON,
  PROP_FLAPPING,
  PROP_STALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
sitrep_health_to_string (SitrepHealth health)
{
  static const char *const names[] = { "up", "unknown", "degraded", "down" };

  g_return_val_if_fail (health <= SITREP_HEALTH_DOWN, "unknown");
  return names[health];
}

gboolean
sitrep_health_from_string (const char   *text,
                           SitrepHealth *health)
{
  for (SitrepHealth h = SITREP_HEALTH_UP; h <= SITREP_HEALTH_DOWN; h++)
    {
      if (g_strcmp0 (text, sitrep_health_to_string (h)) == 0)
        {
          *health = h;
          return TRUE;
        }
    }
  return FALSE;
}

/* The word a tile shows next to its icon, never colour alone. */
const char *
sitrep_health_get_label (SitrepHealth health)
{
  switch (health)
    {
    case SITREP_HEALTH_UP:
      return C_("health", "Up");
    case SITREP_HEALTH_DEGRADED:
      return C_("health", "Degraded");
    case SITREP_HEALTH_DOWN:
      return C_("health", "Down");
    case SITREP_HEALTH_UNKNOWN:
    default:
      return C_("health", "Unknown");
    }
}

static void
set_reason (SitrepServiceState *self,
            SitrepReason       *why)
{
  g_clear_pointer (&self->why, sitrep_reason_unref);
  g_clear_pointer (&self->reason, g_free);
  self->why = why;
  self->reason = why != NULL ? g_strdup (sitrep_reason_to_string (why)) : NULL;
}

static void
verdict_free (SitrepConditionVerdict *verdict)
{
  g_free (verdict->resolved);
  g_clear_pointer (&verdict->reason, sitrep_reason_unref);
  g_free (verdict);
}

static void
sitrep_service_state_finalize (GObject *object)
{
  SitrepServiceState *self = (SitrepServiceState *) object;

  for (guint i = 0; i < self->n_probes; i++)
    {
      g_clear_pointer (&self->probes[i].reason, sitrep_reason_unref);
      g_clear_pointer (&self->probes[i].last, sitrep_probe_result_unref);
      g_clear_pointer (&self->probes[i].verdicts, g_ptr_array_unref);
    }
  g_free (self->probes);
  set_reason (self, NULL);
  g_clear_object (&self->runbook);

  G_OBJECT_CLASS (sitrep_service_state_parent_class)->finalize (object);
}

static void
sitrep_service_state_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SitrepServiceState *self = SITREP_SERVICE_STATE (object);

  switch (prop_id)
    {
    case PROP_HEALTH:
      g_value_set_enum (value, self->health);
      break;
    case PROP_SINCE:
      g_value_set_int64 (value, self->since);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_FLAPPING:
      g_value_set_boolean (value, self->flapping);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_service_state_class_init (SitrepServiceStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sitrep_service_state_finalize;
  object_class->get_property = sitrep_service_state_get_property;

  properties[PROP_HEALTH] =
    g_param_spec_enum ("health", NULL, NULL, SITREP_TYPE_HEALTH, SITREP_HEALTH_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SINCE] =
    g_param_spec_int64 ("since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAPPING] =
    g_param_spec_boolean ("flapping", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepServiceState::changed:
   *
   * Emitted after every result, so views can redraw latency and sparklines.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sitrep_service_state_init (SitrepServiceState *self)
{
  self->health = SITREP_HEALTH_UNKNOWN;
}

/* A service without probes is Unknown; in a drill, one the simulation has not is said to be. */
static SitrepReason *
no_probe_reason (const SitrepService *service)
{
  if (service->absent_from_drill != NULL)
    /* Translators: "not part of this drill: redis-server is not installed …" */
    return sitrep_reason_new (N_("not part of this drill: %s"),
                              sitrep_reason_new_text (service->absent_from_drill));
  return sitrep_reason_new (N_("the runbook gives this service no probe"));
}

SitrepServiceState *
sitrep_service_state_new (SitrepRunbook       *runbook,
                          const SitrepService *service)
{
  SitrepServiceState *self;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);
  g_return_val_if_fail (service != NULL, NULL);

  self = g_object_new (SITREP_TYPE_SERVICE_STATE, NULL);
  self->runbook = g_object_ref (runbook);
  self->service = service;
  self->n_probes = service->probes->len;
  self->probes = g_new0 (SitrepProbeStatus, MAX (1, self->n_probes));
  for (guint i = 0; i < self->n_probes; i++)
    {
      self->probes[i].spec = service->probes->pdata[i];
      self->probes[i].health = SITREP_HEALTH_UNKNOWN;
      self->probes[i].last_target = SITREP_HEALTH_UNKNOWN;
      self->probes[i].verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) verdict_free);
    }
  if (self->n_probes == 0)
    set_reason (self, no_probe_reason (service));
  return self;
}

/* Why @result failed, as its probe said it; "status 503" when it only answered badly. */
static SitrepReason *
result_reason (SitrepProbeResult *result)
{
  if (result->why != NULL)
    return sitrep_reason_ref (result->why);
  if (result->error != NULL)
    return sitrep_reason_new_text (result->error);
  return sitrep_reason_new (N_("status %s"), sitrep_reason_new_printf ("%d", result->status));
}

/* A probe without conditions is judged by what its kind counts as good. */
static gboolean
default_ok (const SitrepProbeSpec *spec,
            SitrepProbeResult     *result)
{
  const SitrepProbeKind *kind = sitrep_probe_kind_get (spec->type_name);

  if (result->error != NULL)
    return FALSE;
  if (kind != NULL && kind->default_ok != NULL)
    return kind->default_ok (spec, result);
  return result->connected;
}

/* Judges one result by the probe's conditions; fills @verdicts when given. */
SitrepHealth
sitrep_service_state_evaluate (const SitrepProbeSpec *spec,
                               SitrepProbeResult     *result,
                               GPtrArray             *verdicts,
                               SitrepReason         **reason)
{
  SitrepHealth health = SITREP_HEALTH_UP;
  g_autoptr(SitrepReason) critical_reason = NULL;
  g_autoptr(SitrepReason) warning_reason = NULL;

  if (spec->conditions->len == 0)
    {
      if (result->ran && !result->failed && default_ok (spec, result))
        return SITREP_HEALTH_UP;
      if (reason != NULL)
        *reason = result_reason (result);
      return result->ran ? SITREP_HEALTH_DOWN : SITREP_HEALTH_UNKNOWN;
    }

  for (guint i = 0; i < spec->conditions->len; i++)
    {
      const SitrepConditionSpec *condition = spec->conditions->pdata[i];
      g_autofree char *resolved = NULL;
      g_autoptr(SitrepReason) why = NULL;
      gboolean passed;

      if (condition->parsed == NULL)
        continue;
      passed = sitrep_condition_evaluate (condition->parsed, result, &resolved, &why);
      if (!passed)
        {
          if (condition->severity == SITREP_CONDITION_CRITICAL)
            {
              health = SITREP_HEALTH_DOWN;
              if (critical_reason == NULL)
                critical_reason = why ? sitrep_reason_ref (why)
                                      : sitrep_reason_new_text (condition->check);
            }
          else
            {
              health = MAX (health, SITREP_HEALTH_DEGRADED);
              if (warning_reason == NULL)
                warning_reason = why ? sitrep_reason_ref (why)
                                     : sitrep_reason_new_text (condition->check);
            }
        }
      if (verdicts != NULL)
        {
          SitrepConditionVerdict *verdict = g_new0 (SitrepConditionVerdict, 1);

          verdict->spec = condition;
          verdict->passed = passed;
          verdict->resolved = g_steal_pointer (&resolved);
          verdict->reason = g_steal_pointer (&why);
          g_ptr_array_add (verdicts, verdict);
        }
    }

  /* A check that did not complete (refused, timed out, reset, an error reply) is down even
   * when the fields it did get pass every condition: a status line without its body, or a
   * connection without its answer, says nothing about the service's health. */
  if (!result->ran)
    health = SITREP_HEALTH_UNKNOWN; /* nothing could be tried */
  else if (result->failed)
    health = SITREP_HEALTH_DOWN;

  /* When the check itself failed, that is the reason a person needs, not the conditions it
   * left without values. */
  if (reason != NULL && health != SITREP_HEALTH_UP && result->error != NULL)
    *reason = result_reason (result);
  else if (reason != NULL)
    *reason = critical_reason ? g_steal_pointer (&critical_reason)
                              : g_steal_pointer (&warning_reason);
  return health;
}

static void
push_history (SitrepProbeStatus       *status,
              const SitrepHealthPoint *point)
{
  if (status->history_len < SITREP_HEALTH_HISTORY)
    {
      status->history[(status->history_head + status->history_len) % SITREP_HEALTH_HISTORY] = *point;
      status->history_len++;
      return;
    }
  /* Full: the oldest point makes room. */
  status->history[status->history_head] = *point;
  status->history_head = (status->history_head + 1) % SITREP_HEALTH_HISTORY;
}

/* Weighted share of changes between consecutive results, recent ones weighing more. */
static void
update_flapping (SitrepProbeStatus *status,
                 SitrepHealth       target)
{
  double changes = 0, total = 0, share;

  if (status->targets_len == SITREP_FLAP_WINDOW)
    {
      memmove (status->targets, status->targets + 1,
               (SITREP_FLAP_WINDOW - 1) * sizeof (SitrepHealth));
      status->targets_len--;
    }
  status->targets[status->targets_len++] = target;

  if (status->targets_len < 3)
    return;

  for (guint i = 1; i < status->targets_len; i++)
    {
      double weight = 0.8 + 0.4 * (i - 1) / (double) (status->targets_len - 2);

      total += weight;
      if (status->targets[i] != status->targets[i - 1])
        changes += weight;
    }
  share = changes / total;
  if (share > 0.5)
    status->flapping = TRUE;
  else if (share < 0.25)
    status->flapping = FALSE;
}

static void
transition (SitrepProbeStatus *status,
            SitrepHealth       target,
            SitrepReason      *reason,
            gint64             now)
{
  gboolean immediate = status->last_at == 0 || target == SITREP_HEALTH_UNKNOWN
                       || status->health == SITREP_HEALTH_UNKNOWN;

  status->last_target = target;
  status->last_at = now;

  if (target != SITREP_HEALTH_UP)
    {
      g_clear_pointer (&status->reason, sitrep_reason_unref);
      status->reason = reason != NULL ? sitrep_reason_ref (reason) : NULL;
    }

  if (target == status->health)
    {
      status->worse_streak = status->better_streak = 0;
      return;
    }

  if (!immediate)
    {
      if (target > status->health)
        {
          status->better_streak = 0;
          if (++status->worse_streak < status->spec->fail_after)
            return;
        }
      else
        {
          status->worse_streak = 0;
          if (++status->better_streak < status->spec->recover_after)
            return;
        }
    }

  status->health = target;
  status->since = now;
  status->worse_streak = status->better_streak = 0;
  if (target == SITREP_HEALTH_UP)
    g_clear_pointer (&status->reason, sitrep_reason_unref);
}

/* Folds the probes into the service's state; TRUE when its health changed. */
static gboolean
aggregate (SitrepServiceState *self,
           gint64              now)
{
  SitrepHealth health = SITREP_HEALTH_UP;
  const SitrepProbeStatus *worst = NULL;
  gboolean flapping = FALSE;
  g_autoptr(SitrepReason) reason = NULL;
  gboolean changed = FALSE;

  if (self->n_probes == 0)
    health = SITREP_HEALTH_UNKNOWN;

  for (guint i = 0; i < self->n_probes; i++)
    {
      const SitrepProbeStatus *status = &self->probes[i];

      flapping |= status->flapping;
      if (worst == NULL || status->health > worst->health)
        worst = status;
      health = MAX (health, status->health);
    }

  if (worst != NULL && worst->health != SITREP_HEALTH_UP)
    {
      if (worst->reason == NULL)
        reason = sitrep_reason_new (N_("%s: no result yet"),
                                    sitrep_reason_new_text (worst->spec->id));
      else if (self->n_probes > 1)
        reason = sitrep_reason_new ("%s: %s", sitrep_reason_new_text (worst->spec->id),
                                    sitrep_reason_ref (worst->reason));
      else
        reason = sitrep_reason_ref (worst->reason);
    }
  else if (self->n_probes == 0)
    {
      reason = no_probe_reason (self->service);
    }

  if (!sitrep_reason_equal (reason, self->why))
    {
      set_reason (self, g_steal_pointer (&reason));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
    }
  if (flapping != self->flapping)
    {
      self->flapping = flapping;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAPPING]);
    }
  /* The first result starts the clock even when it confirms "unknown". */
  if (health != self->health || self->since == 0)
    {
      changed = health != self->health;
      self->health = health;
      self->since = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINCE]);
    }
  sitrep_service_state_update_stale (self, now);
  g_signal_emit (self, signals[CHANGED], 0);
  return changed;
}

static SitrepProbeStatus *
find_probe (SitrepServiceState *self,
            const char         *probe_id)
{
  for (guint i = 0; i < self->n_probes; i++)
    if (g_strcmp0 (self->probes[i].spec->id, probe_id) == 0)
      return &self->probes[i];
  return NULL;
}

/**
 * sitrep_service_state_apply_result:
 *
 * Judges @result of probe @probe_id at time @now and moves the state on.
 *
 * Returns: %TRUE when the service's health changed
 */
gboolean
sitrep_service_state_apply_result (SitrepServiceState *self,
                                   const char         *probe_id,
                                   SitrepProbeResult  *result,
                                   gint64              now)
{
  SitrepProbeStatus *status;
  g_autoptr(SitrepReason) reason = NULL;
  SitrepHealth target;
  SitrepHealthPoint point;

  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  status = find_probe (self, probe_id);
  g_return_val_if_fail (status != NULL, FALSE);

  g_ptr_array_set_size (status->verdicts, 0);
  target = sitrep_service_state_evaluate (status->spec, result, status->verdicts, &reason);

  g_clear_pointer (&status->last, sitrep_probe_result_unref);
  status->last = sitrep_probe_result_ref (result);

  point.at = now;
  point.health = target;
  point.latency_ms = result->connected || result->status >= 0 ? result->response_time_ms : -1;
  push_history (status, &point);
  update_flapping (status, target);
  transition (status, target, reason, now);

  return aggregate (self, now);
}

/* A probe that could not run at all (no secret, no kubectl): unknown at once, with why. */
gboolean
sitrep_service_state_apply_failure (SitrepServiceState *self,
                                    const char         *probe_id,
                                    SitrepReason       *reason,
                                    gint64              now)
{
  SitrepProbeStatus *status;
  SitrepHealthPoint point = { now, SITREP_HEALTH_UNKNOWN, -1 };

  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), FALSE);

  status = find_probe (self, probe_id);
  g_return_val_if_fail (status != NULL, FALSE);

  g_ptr_array_set_size (status->verdicts, 0);
  g_clear_pointer (&status->last, sitrep_probe_result_unref);
  push_history (status, &point);
  update_flapping (status, SITREP_HEALTH_UNKNOWN);
  transition (status, SITREP_HEALTH_UNKNOWN, reason, now);

  return aggregate (self, now);
}

/* Puts stored samples (oldest first) back into the sparkline after a restart, before the
 * results that came while they were being read; the state stays unknown until a fresh result
 * comes, since an old sample says nothing about now. */
void
sitrep_service_state_restore_history (SitrepServiceState      *self,
                                      const char              *probe_id,
                                      const SitrepHealthPoint *points,
                                      guint                    n_points)
{
  SitrepHealthPoint merged[2 * SITREP_HEALTH_HISTORY];
  SitrepProbeStatus *status;
  guint n = 0, skip;

  g_return_if_fail (SITREP_IS_SERVICE_STATE (self));

  status = find_probe (self, probe_id);
  if (status == NULL || n_points == 0)
    return;

  /* The stored points older than the first live one, then the live ones. */
  skip = n_points > SITREP_HEALTH_HISTORY ? n_points - SITREP_HEALTH_HISTORY : 0;
  for (guint i = skip; i < n_points; i++)
    if (status->history_len == 0 || points[i].at < status->history[status->history_head].at)
      merged[n++] = points[i];
  for (guint i = 0; i < status->history_len; i++)
    merged[n++] = status->history[(status->history_head + i) % SITREP_HEALTH_HISTORY];

  skip = n > SITREP_HEALTH_HISTORY ? n - SITREP_HEALTH_HISTORY : 0;
  status->history_head = 0;
  status->history_len = n - skip;
  memcpy (status->history, merged + skip, status->history_len * sizeof (SitrepHealthPoint));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Stale: a probe's last result is older than twice its interval. TRUE when that changed. */
gboolean
sitrep_service_state_update_stale (SitrepServiceState *self,
                                   gint64              now)
{
  gboolean stale = FALSE;

  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), FALSE);

  for (guint i = 0; i < self->n_probes; i++)
    {
      const SitrepProbeStatus *status = &self->probes[i];

      if (status->last_at > 0 && now - status->last_at > 2 * status->spec->interval_ms * 1000)
        stale = TRUE;
    }
  if (stale == self->stale)
    return FALSE;
  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
  return TRUE;
}

const SitrepService *
sitrep_service_state_get_service (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return self->service;
}

const char *
sitrep_service_state_get_id (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return self->service->id;
}

const char *
sitrep_service_state_get_name (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return self->service->name;
}

SitrepHealth
sitrep_service_state_get_health (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), SITREP_HEALTH_UNKNOWN);
  return self->health;
}

gint64
sitrep_service_state_get_since (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), 0);
  return self->since;
}

/* Why it is not up, in this console's words. */
const char *
sitrep_service_state_get_reason (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return self->reason;
}

/* Why it is not up, as data: what a record keeps, for readers of any language. */
SitrepReason *
sitrep_service_state_get_why (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return self->why;
}

/* The latency of the first probe that measured one, in milliseconds; < 0 when none did. */
double
sitrep_service_state_get_latency (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), -1);

  for (guint i = 0; i < self->n_probes; i++)
    {
      const SitrepProbeStatus *status = &self->probes[i];

      if (status->last != NULL && (status->last->connected || status->last->status >= 0))
        return status->last->response_time_ms;
    }
  return -1;
}

gboolean
sitrep_service_state_get_flapping (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), FALSE);
  return self->flapping;
}

gboolean
sitrep_service_state_get_stale (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), FALSE);
  return self->stale;
}

gboolean
sitrep_service_state_get_insecure (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), FALSE);

  for (guint i = 0; i < self->n_probes; i++)
    if (self->probes[i].last != NULL && self->probes[i].last->insecure_tls)
      return TRUE;
  return FALSE;
}

guint
sitrep_service_state_get_n_probes (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), 0);
  return self->n_probes;
}

const SitrepProbeStatus *
sitrep_service_state_get_probe (SitrepServiceState *self,
                                guint               index)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  g_return_val_if_fail (index < self->n_probes, NULL);
  return &self->probes[index];
}

const SitrepProbeStatus *
sitrep_service_state_find_probe (SitrepServiceState *self,
                                 const char         *probe_id)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return find_probe (self, probe_id);
}

/* The first probe's recent results, oldest first, for the tile's sparkline. */
guint
sitrep_service_state_get_history (SitrepServiceState *self,
                                  SitrepHealthPoint  *points,
                                  guint               max_points)
{
  const SitrepProbeStatus *status;
  guint n, skip;

  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), 0);

  if (self->n_probes == 0)
    return 0;
  /* The service's history, not its first probe's: each point is the worst of the probes'
   * results at that place from the newest, so the bars agree with the word on the tile. */
  n = 0;
  for (guint p = 0; p < self->n_probes; p++)
    n = MAX (n, MIN (self->probes[p].history_len, max_points));
  for (guint i = 0; i < n; i++)
    {
      gboolean first = TRUE;

      for (guint p = 0; p < self->n_probes; p++)
        {
          const SitrepHealthPoint *point;
          guint back = n - i; /* 1 is the newest */

          status = &self->probes[p];
          if (back > status->history_len)
            continue;
          skip = status->history_len - back;
          point = &status->history[(status->history_head + skip) % SITREP_HEALTH_HISTORY];
          if (first || point->health > points[i].health)
            points[i] = *point;
          first = FALSE;
        }
    }
  return n;
}

SitrepRunbook *
sitrep_service_state_get_runbook (SitrepServiceState *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_STATE (self), NULL);
  return self->runbook;
}

/* Whether a change deserves a desktop notification: going down, or coming back from down, and
 * never while the service flaps. */
gboolean
sitrep_health_should_notify (SitrepHealth old_health,
                             SitrepHealth new_health,
                             gboolean     flapping)
{
  if (flapping || old_health == new_health)
    return FALSE;
  return new_health == SITREP_HEALTH_DOWN
         || (old_health == SITREP_HEALTH_DOWN && new_health == SITREP_HEALTH_UP);
}
