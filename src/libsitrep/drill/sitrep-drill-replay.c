/* sitrep-drill-replay.c: a recorded incident's health history, played again as a drill
 *
 * A team walks through last week's outage again: each service's health follows the samples
 * the store kept for the incident's time (from ten minutes before it started to its
 * resolution), faster by the replay's speed. Each service is answered by a health endpoint of
 * its own on loopback that says what the samples said at that moment; the worst of its probes
 * is its state. The runbook the incident was declared under is written again, as a drill's:
 * its probes ask those endpoints, and its commands reach an empty simulated cluster, never the
 * real one. A service of which nothing was kept is "not part of this drill".
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sitrep-drill-history.h"
#include "sitrep-drill-kube.h"
#include "sitrep-drill-replay.h"
#include "sitrep-drill.h"
#include "sitrep-reason.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"

/* What the replay shows of the time before the incident started. */
#define LEAD_IN (10 * 60 * G_USEC_PER_SEC)
#define REPLAY_CONTEXT "drill-replay"

typedef struct
{
  gint64 at; /* recorded time */
  char *health;
  char *reason;
} Step;

struct _SitrepDrillReplay
{
  GObject parent_instance;

  gint64 incident_id;
  char *number; /* the incident's number, for the messages */
  SitrepRunbook *runbook;
  double speed;
  char *dir;
  char *runbook_path;
  char *kubeconfig_path;
  GHashTable *steps;  /* service id → GArray of Step, in time order */
  gint64 first_at;    /* the first sample replayed */
  gint64 last_at;     /* and the last */
  SitrepDrillKube *kube;
  SoupServer *server;
  gint64 started_mono;
};

G_DEFINE_FINAL_TYPE (SitrepDrillReplay, sitrep_drill_replay, G_TYPE_OBJECT)

static void
step_clear (Step *step)
{
  g_free (step->health);
  g_free (step->reason);
}

static void
sitrep_drill_replay_dispose (GObject *object)
{
  SitrepDrillReplay *self = SITREP_DRILL_REPLAY (object);

  sitrep_drill_replay_stop (self);
  g_clear_object (&self->runbook);
  g_clear_pointer (&self->steps, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_drill_replay_parent_class)->dispose (object);
}

static void
sitrep_drill_replay_finalize (GObject *object)
{
  SitrepDrillReplay *self = SITREP_DRILL_REPLAY (object);

  g_free (self->number);
  g_free (self->dir);
  g_free (self->runbook_path);
  g_free (self->kubeconfig_path);

  G_OBJECT_CLASS (sitrep_drill_replay_parent_class)->finalize (object);
}

static void
sitrep_drill_replay_class_init (SitrepDrillReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_drill_replay_dispose;
  object_class->finalize = sitrep_drill_replay_finalize;
}

static void
sitrep_drill_replay_init (SitrepDrillReplay *self)
{
  self->steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_array_unref);
}

/* Reading the samples */

typedef struct
{
  SitrepDrillReplay *self;
  GHashTable *latest; /* "service\nprobe" → Step: what each probe said last */
} Reading;

static int
rank (const char *health)
{
  static const char *const order[] = { "up", "degraded", "unknown", "down" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (health, order[i]) == 0)
      return i;
  return G_N_ELEMENTS (order) - 1;
}

static void
latest_free (Step *step)
{
  step_clear (step);
  g_free (step);
}

/* A service is as bad as its worst probe: a step whenever that changes. */
static void
sample_cb (const SitrepHealthSample *sample,
           gpointer                  user_data)
{
  Reading *reading = user_data;
  SitrepDrillReplay *self = reading->self;
  g_autofree char *prefix = g_strconcat (sample->service_id, "\n", NULL);
  Step *latest = g_new0 (Step, 1);
  const Step *worst = NULL;
  GHashTableIter iter;
  gpointer key, value;
  GArray *steps;

  latest->at = sample->at;
  latest->health = g_strdup (sample->health);
  /* In this reader's words; a sample kept before reasons were data (or whose data does not
   * read), in the words it was written with. */
  latest->reason = sample->why != NULL ? sitrep_reason_render_packed (sample->why) : NULL;
  if (latest->reason == NULL)
    latest->reason = g_strdup (sample->error);
  g_hash_table_replace (reading->latest, g_strconcat (prefix, sample->probe_id, NULL), latest);

  g_hash_table_iter_init (&iter, reading->latest);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix) && (worst == NULL || rank (((Step *) value)->health)
                                                               > rank (worst->health)))
      worst = value;

  steps = g_hash_table_lookup (self->steps, sample->service_id);
  if (steps == NULL)
    {
      steps = g_array_new (FALSE, TRUE, sizeof (Step));
      g_array_set_clear_func (steps, (GDestroyNotify) step_clear);
      g_hash_table_insert (self->steps, g_strdup (sample->service_id), steps);
    }
  if (steps->len == 0
      || g_strcmp0 (g_array_index (steps, Step, steps->len - 1).health, worst->health) != 0
      || g_strcmp0 (g_array_index (steps, Step, steps->len - 1).reason, worst->reason) != 0)
    {
      Step step = { sample->at, g_strdup (worst->health), g_strdup (worst->reason) };

      g_array_append_val (steps, step);
    }
  if (self->first_at == 0)
    self->first_at = sample->at;
  self->last_at = sample->at;
}

static char *
format_time (gint64 at)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);

  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC");
}

/**
 * sitrep_drill_replay_new:
 *
 * Returns: (transfer full): the replay, not started yet, or %NULL with @error set
 */
SitrepDrillReplay *
sitrep_drill_replay_new (SitrepStore   *store,
                         gint64         incident_id,
                         SitrepRunbook *at_hand,
                         const char    *dir,
                         double         speed,
                         GError       **error)
{
  g_autoptr(SitrepDrillReplay) self = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GHashTable) latest = NULL;
  g_autoptr(GError) local_error = NULL;
  Reading reading;
  gint64 from, to;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (at_hand), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  if (!(speed >= 1 && speed <= 1000))
    {
      g_set_error (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FAILED,
                   _("The speed of a drill is from 1 (real time) to 1000."));
      return NULL;
    }
  incident = sitrep_store_load_incident (store, incident_id, error);
  if (incident == NULL)
    return NULL;

  self = g_object_new (SITREP_TYPE_DRILL_REPLAY, NULL);
  self->incident_id = incident_id;
  self->number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);
  self->speed = speed;
  self->dir = g_canonicalize_filename (dir, NULL);
  self->runbook_path = g_build_filename (self->dir, "runbook.json", NULL);
  self->kubeconfig_path = g_build_filename (self->dir, "kubeconfig", NULL);
  self->runbook = sitrep_store_load_incident_runbook (store, incident, &local_error);
  if (self->runbook == NULL)
    self->runbook = g_object_ref (at_hand);

  from = sitrep_incident_get_started_at (incident) - LEAD_IN;
  to = sitrep_incident_get_resolved_at (incident) > 0 ? sitrep_incident_get_resolved_at (incident)
                                                      : G_MAXINT64;
  latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) latest_free);
  reading = (Reading) { self, latest };
  if (!sitrep_store_foreach_health_sample_between (store, from, to, sample_cb, &reading, error))
    return NULL;
  if (self->first_at == 0)
    {
      g_autofree char *start = format_time (from);
      g_autofree char *end = to < G_MAXINT64 ? format_time (to) : g_strdup (_("now"));

      g_set_error (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_NO_HISTORY,
                   _("Incident %s has no health samples from %s to %s: "
                     "Sitrep keeps what the console probed while it ran, for a few days. Replay "
                     "an incident recorded while the console was watching its services."),
                   self->number, start, end);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* The replay's clock: the recorded time it has reached. */
static gint64
replayed_at (SitrepDrillReplay *self)
{
  double elapsed = (double) (g_get_monotonic_time () - self->started_mono) * self->speed;

  return MIN (self->first_at + (gint64) elapsed, self->last_at);
}

static const Step *
step_at (GArray *steps,
         gint64  at)
{
  const Step *found = &g_array_index (steps, Step, 0);

  for (guint i = 1; i < steps->len && g_array_index (steps, Step, i).at <= at; i++)
    found = &g_array_index (steps, Step, i);
  return found;
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SitrepDrillReplay *self = user_data;
  const char *service = g_str_has_prefix (path, "/replay/") ? path + strlen ("/replay/") : "";
  GArray *steps = g_hash_table_lookup (self->steps, service);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *recorded = NULL;
  const Step *step;
  gint64 at;

  if (steps == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "not found",
                                        strlen ("not found"));
      return;
    }
  at = replayed_at (self);
  step = step_at (steps, at);
  recorded = format_time (at);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "health");
  json_builder_add_string_value (builder, step->health);
  if (step->reason != NULL && *step->reason != '\0')
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, step->reason);
    }
  json_builder_set_member_name (builder, "recorded_at");
  json_builder_add_string_value (builder, recorded);
  json_builder_set_member_name (builder, "drill");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  /* Down and unknown fail the status check (critical), degraded only the body's (warning). */
  soup_server_message_set_status (msg, rank (step->health) >= rank ("unknown")
                                         ? SOUP_STATUS_SERVICE_UNAVAILABLE : SOUP_STATUS_OK,
                                  NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* The runbook it was declared under, as a drill's: probes that ask the replay, commands that
 * reach the simulation. */
static GBytes *
make_runbook (SitrepDrillReplay *self,
              guint              port,
              GError           **error)
{
  GBytes *content = sitrep_runbook_get_content (self->runbook);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepRunbook) check = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *started = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *root, *environment;
  JsonArray *services;
  char *text;
  gsize length;

  if (content == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (content, NULL),
                                      g_bytes_get_size (content), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FAILED,
                   _("The runbook of incident %s (%s) is not a JSON runbook Sitrep can "
                     "replay: convert it with sitrep import first."),
                   self->number, sitrep_runbook_get_name (self->runbook));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  name = g_strdup_printf ("%s (replay of incident %s)", sitrep_runbook_get_name (self->runbook),
                          self->number);
  json_object_set_string_member (root, "name", name);

  if (!json_object_has_member (root, "environment")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "environment")))
    json_object_set_object_member (root, "environment", json_object_new ());
  environment = json_object_get_object_member (root, "environment");
  json_object_set_string_member (environment, "context", REPLAY_CONTEXT);
  if (!json_object_has_member (environment, "namespace"))
    json_object_set_string_member (environment, "namespace", "default");
  json_object_set_boolean_member (environment, "drill", TRUE);
  json_object_set_boolean_member (environment, "read_only", FALSE);
  json_object_set_string_member (environment, "kubeconfig", self->kubeconfig_path);
  started = g_date_time_format_iso8601 (now);
  json_object_set_string_member (environment, "drill_started_at", started);
  if (json_object_has_member (environment, "kubectl"))
    json_object_remove_member (environment, "kubectl");

  services = json_object_has_member (root, "services")
               ? json_object_get_array_member (root, "services") : NULL;
  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);
      const char *id = service ? json_object_get_string_member_with_default (service, "id", "")
                               : "";

      if (service == NULL)
        continue;
      if (json_object_has_member (service, "probes"))
        json_object_remove_member (service, "probes");
      if (g_hash_table_contains (self->steps, id))
        {
          JsonArray *probes = json_array_new ();
          JsonObject *probe = json_object_new ();
          JsonArray *conditions = json_array_new ();
          JsonObject *status = json_object_new ();
          JsonObject *health = json_object_new ();
          g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/replay/%s", port, id);

          json_object_set_string_member (status, "check", "[STATUS] == 200");
          json_object_set_string_member (status, "severity", "critical");
          json_object_set_string_member (health, "check", "[BODY].health == \"up\"");
          json_object_set_string_member (health, "severity", "warning");
          json_array_add_object_element (conditions, status);
          json_array_add_object_element (conditions, health);
          json_object_set_string_member (probe, "id", "replay");
          json_object_set_string_member (probe, "type", "http");
          json_object_set_string_member (probe, "url", url);
          json_object_set_string_member (probe, "interval", "1s");
          json_object_set_string_member (probe, "timeout", "3s");
          /* The tiles follow the samples, which already went through the hysteresis. */
          json_object_set_int_member (probe, "fail_after", 1);
          json_object_set_int_member (probe, "recover_after", 1);
          json_object_set_array_member (probe, "conditions", conditions);
          json_array_add_object_element (probes, probe);
          json_object_set_array_member (service, "probes", probes);
          if (json_object_has_member (service, "absent_from_drill"))
            json_object_remove_member (service, "absent_from_drill");
        }
      else
        json_object_set_string_member (service, "absent_from_drill",
                                       _("no health samples were kept for it in this "
                                         "incident's time"));
    }

  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);
  /* Never a runbook that sitrep check would refuse. */
  check = sitrep_runbook_load_bytes (bytes, self->runbook_path, &problems, NULL);
  if (check == NULL)
    {
      g_autofree char *first = problems && problems->len
                                 ? sitrep_runbook_problem_to_string (problems->pdata[0]) : NULL;

      g_set_error (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FAILED,
                   _("The runbook of incident %s cannot be replayed: %s"), self->number,
                   first ? first : "?");
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

gboolean
sitrep_drill_replay_start (SitrepDrillReplay *self,
                           GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  GSList *uris;
  guint port;

  g_return_val_if_fail (SITREP_IS_DRILL_REPLAY (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot make the drill's folder %s: %s"), self->dir, g_strerror (saved));
      return FALSE;
    }
  self->kube = sitrep_drill_kube_new (error);
  if (self->kube == NULL)
    return FALSE;
  self->server = soup_server_new ("server-header", "sitrep-replay", NULL);
  soup_server_add_handler (self->server, "/replay", handler_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  sitrep_drill_remove_health_store (self->dir);
  bytes = make_runbook (self, port, error);
  if (bytes == NULL
      || !sitrep_drill_kube_write_kubeconfig (self->kube, self->kubeconfig_path, REPLAY_CONTEXT,
                                              "default", TRUE, error)
      || !g_file_set_contents_full (self->runbook_path, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes), G_FILE_SET_CONTENTS_CONSISTENT,
                                    0600, error))
    return FALSE;
  self->started_mono = g_get_monotonic_time ();
  return TRUE;
}

void
sitrep_drill_replay_stop (SitrepDrillReplay *self)
{
  g_return_if_fail (SITREP_IS_DRILL_REPLAY (self));

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->kube);
}

const char *
sitrep_drill_replay_get_runbook_path (SitrepDrillReplay *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL_REPLAY (self), NULL);
  return self->runbook_path;
}

gint64
sitrep_drill_replay_get_duration (SitrepDrillReplay *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL_REPLAY (self), 0);
  return (gint64) ((self->last_at - self->first_at) / self->speed);
}
