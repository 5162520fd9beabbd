/* sitrep-drill-world.c: the simulated CareCircle cluster: deployments, pods, logs, events, usage
 *
 * The simulated Kubernetes API holds the objects; this keeps them in line with what the play
 * decided (which pods crash, hang or run hot) the way kubelet and the controllers would: pods
 * are replaced by a rollout, added and removed by a scale, restart with a back-off, and the
 * deployment's status counts the ready ones. A change made with kubectl reaches the play
 * through the rollout callback, before kubectl reads the outcome.
 */
#include "config.h"

#include <string.h>

#include "sitrep-drill-kube-private.h"
#include "sitrep-drill-private.h"

struct _SitrepDrillWorld
{
  SitrepDrillKube *kube;
  GPtrArray *deployments; /* SitrepDrillDeployment */
  SitrepDrillHealth health;
  double now;
  SitrepDrillRolloutFunc rollout;
  gpointer rollout_data;
  gulong changed_id;
};

/* The simulated CareCircle: its three deployments, as its runbook names them. */
static const struct
{
  const char *service;
  const char *name;
  int replicas;
  const char *images[2]; /* the revision before, and the one running */
  const char *causes[2];
  double cpu;            /* millicores needed in all, on a calm day */
  gint64 memory;         /* per pod */
} layout[] = {
  { "api", "carecircle-api", 3,
    { "ghcr.io/carecircle/api:2024.06.3", "ghcr.io/carecircle/api:2024.06.4" },
    { "deploy 2024.06.3: care plan sharing", "deploy 2024.06.4: medication reminder retries" },
    540, 310 * 1024 * 1024 },
  { "web", "carecircle-web", 2,
    { "ghcr.io/carecircle/web:2024.06.3", "ghcr.io/carecircle/web:2024.06.4" },
    { "deploy 2024.06.3: care plan sharing", "deploy 2024.06.4: caregiver calendar" },
    220, 180 * 1024 * 1024 },
  { "workers", "carecircle-workers", 2,
    { "ghcr.io/carecircle/workers:2024.06.3", "ghcr.io/carecircle/workers:2024.06.4" },
    { "deploy 2024.06.3: care plan sharing", "deploy 2024.06.4: medication reminder retries" },
    260, 240 * 1024 * 1024 },
};

static void
deployment_free (SitrepDrillDeployment *deployment)
{
  g_free (deployment->name);
  g_free (deployment->service);
  g_free (deployment->template_text);
  g_free (deployment->image);
  g_free (deployment->bad_image);
  g_free (deployment->crash_log);
  g_ptr_array_unref (deployment->pods);
  g_free (deployment);
}

static const char *
image_of (JsonObject *deployment)
{
  JsonObject *spec = sitrep_drill_json_object_at (deployment, "spec");
  JsonObject *pod = sitrep_drill_json_object_at (sitrep_drill_json_object_at (spec, "template"),
                                                 "spec");
  JsonArray *containers = pod && json_object_has_member (pod, "containers")
                            ? json_object_get_array_member (pod, "containers") : NULL;

  if (containers == NULL || json_array_get_length (containers) == 0)
    return NULL;
  return sitrep_drill_json_string_at (json_array_get_object_element (containers, 0), "image");
}

static char *
timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* The name of the replica set of the deployment's current revision. */
static char *
replica_set_name (SitrepDrillWorld      *world,
                  SitrepDrillDeployment *deployment)
{
  JsonObject *object = sitrep_drill_kube_lookup (world->kube, SITREP_DRILL_NAMESPACE,
                                                 "deployments", deployment->name);
  int revision = sitrep_drill_json_revision (object);
  g_autofree char *selector = g_strdup_printf ("app=%s", deployment->name);
  g_autoptr(GPtrArray) sets = sitrep_drill_kube_list (world->kube, SITREP_DRILL_NAMESPACE,
                                                      "replicasets", selector);

  for (guint i = 0; i < sets->len; i++)
    if (sitrep_drill_json_revision (sets->pdata[i]) == revision)
      return g_strdup (sitrep_drill_json_path_string (sets->pdata[i], "metadata.name"));
  return g_strdup (deployment->name);
}

/* Pod names as the replica set controller makes them: the set's name and five characters. */
static char *
new_pod_name (SitrepDrillWorld      *world,
              SitrepDrillDeployment *deployment)
{
  static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  g_autofree char *set = replica_set_name (world, deployment);
  char suffix[6];

  for (guint i = 0; i < 5; i++)
    suffix[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  suffix[5] = '\0';
  return g_strdup_printf ("%s-%s", set, suffix);
}

static char *
boot_text (SitrepDrillDeployment *deployment)
{
  g_autofree char *at = timestamp ();

  return g_strdup_printf (
    "%s INFO  starting %s (%s)\n"
    "%s INFO  connected to PostgreSQL and Redis\n"
    "%s INFO  listening on :%s\n",
    at, deployment->name, deployment->image ? deployment->image : "", at, at,
    g_str_equal (deployment->service, "web") ? "3000"
    : g_str_equal (deployment->service, "workers") ? "3002" : "3001");
}

static void
boot_log (SitrepDrillWorld      *world,
          SitrepDrillDeployment *deployment,
          const char            *pod)
{
  g_autofree char *text = boot_text (deployment);

  sitrep_drill_kube_set_log (world->kube, SITREP_DRILL_NAMESPACE, pod, text, NULL);
}

static void
add_pod (SitrepDrillWorld      *world,
         SitrepDrillDeployment *deployment)
{
  char *name = new_pod_name (world, deployment);

  g_ptr_array_add (deployment->pods, name);
  boot_log (world, deployment, name);
  sitrep_drill_kube_add_event (world->kube, SITREP_DRILL_NAMESPACE, "Pod", name, FALSE, "Started",
                               "Started container");
}

static void
remove_pods (SitrepDrillWorld      *world,
             SitrepDrillDeployment *deployment,
             guint                  keep)
{
  while (deployment->pods->len > keep)
    {
      const char *name = deployment->pods->pdata[0];

      sitrep_drill_kube_remove_object (world->kube, SITREP_DRILL_NAMESPACE, "pods", name);
      g_ptr_array_remove_index (deployment->pods, 0);
    }
}

static gboolean
pod_is_faulty (SitrepDrillDeployment *deployment,
               guint                  index)
{
  return deployment->fault != SITREP_DRILL_FAULT_NONE && (int) index < deployment->faulty;
}

guint
sitrep_drill_world_count_ready (SitrepDrillWorld      *world,
                                SitrepDrillDeployment *deployment)
{
  guint ready = 0;

  for (guint i = 0; i < deployment->pods->len; i++)
    if (!pod_is_faulty (deployment, i) || deployment->fault == SITREP_DRILL_FAULT_OVERLOADED)
      ready++;
  return ready;
}

/* The pod object as kubelet would report it; stored only when it changed, so that watchers
 * hear of changes and not of every tick. */
static void
store_pod (SitrepDrillWorld      *world,
           SitrepDrillDeployment *deployment,
           guint                  index)
{
  const char *name = deployment->pods->pdata[index];
  JsonObject *old = sitrep_drill_kube_lookup (world->kube, SITREP_DRILL_NAMESPACE, "pods", name);
  gboolean faulty = pod_is_faulty (deployment, index);
  gboolean ready = !faulty || deployment->fault == SITREP_DRILL_FAULT_OVERLOADED;
  gboolean crashing = faulty && deployment->fault == SITREP_DRILL_FAULT_CRASH
                      && deployment->restarts > 0;
  gint64 restarts = crashing ? deployment->restarts : 0;
  g_autofree char *signature = g_strdup_printf ("%d %d %" G_GINT64_FORMAT " %s", ready, crashing,
                                                restarts, deployment->image);
  g_autofree char *at = timestamp ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *pod;

  if (old != NULL && g_strcmp0 (sitrep_drill_json_path_string (old, "metadata.annotations.sitrep-drill/state"),
                                signature) == 0)
    return;

  text = g_strdup_printf (
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
    "\"labels\":{\"app\":\"%s\"},\"annotations\":{}},"
    "\"spec\":{\"containers\":[{\"name\":\"%s\",\"image\":\"%s\",\"resources\":"
    "{\"limits\":{\"cpu\":\"1\",\"memory\":\"2Gi\"}}}]},"
    "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"%s\","
    "\"image\":\"%s\",\"ready\":%s,\"restartCount\":%" G_GINT64_FORMAT ",\"state\":{}}]}}",
    name, deployment->name, deployment->service, deployment->image, deployment->service,
    deployment->image, ready ? "true" : "false", restarts);
  node = sitrep_drill_json_parse (text);
  pod = json_node_get_object (node);
  json_object_set_string_member (sitrep_drill_json_object_at (sitrep_drill_json_object_at (pod, "metadata"),
                                                              "annotations"),
                                 "sitrep-drill/state", signature);
  if (old != NULL)
    {
      JsonObject *metadata = sitrep_drill_json_object_at (pod, "metadata");

      json_object_set_string_member (metadata, "creationTimestamp",
                                     sitrep_drill_json_path_string (old, "metadata.creationTimestamp"));
      json_object_set_string_member (metadata, "uid", sitrep_drill_json_path_string (old, "metadata.uid"));
    }
  {
    JsonArray *statuses = json_object_get_array_member (sitrep_drill_json_object_at (pod, "status"),
                                                        "containerStatuses");
    JsonObject *container = json_array_get_object_element (statuses, 0);
    JsonObject *state = sitrep_drill_json_object_at (container, "state");
    JsonObject *detail = json_object_new ();

    if (crashing)
      {
        JsonObject *last = json_object_new ();
        JsonObject *terminated = json_object_new ();

        json_object_set_string_member (detail, "reason", "CrashLoopBackOff");
        json_object_set_string_member (detail, "message", "back-off restarting failed container");
        json_object_set_object_member (state, "waiting", detail);
        json_object_set_string_member (terminated, "reason", deployment->crash_reason);
        json_object_set_int_member (terminated, "exitCode", deployment->exit_code);
        json_object_set_string_member (terminated, "finishedAt", at);
        json_object_set_object_member (last, "terminated", terminated);
        json_object_set_object_member (container, "lastState", last);
      }
    else
      {
        json_object_set_string_member (detail, "startedAt", at);
        json_object_set_object_member (state, "running", detail);
      }
  }
  sitrep_drill_kube_add_object (world->kube, SITREP_DRILL_NAMESPACE, "pods", pod);
}

/* The deployment's status, counted from its pods as the controller does. */
static void
store_status (SitrepDrillWorld      *world,
              SitrepDrillDeployment *deployment)
{
  JsonObject *object = sitrep_drill_kube_lookup (world->kube, SITREP_DRILL_NAMESPACE,
                                                 "deployments", deployment->name);
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonNode) status_node = NULL;
  g_autoptr(JsonNode) old_node = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  gint64 pods = deployment->pods->len;
  gint64 ready = sitrep_drill_world_count_ready (world, deployment);
  gboolean late = ready < deployment->replicas
                  && world->now - deployment->rolled_out_at > 60;
  g_autofree char *text = g_strdup_printf (
    "{\"observedGeneration\":%" G_GINT64_FORMAT ",\"replicas\":%" G_GINT64_FORMAT ","
    "\"updatedReplicas\":%" G_GINT64_FORMAT ",\"readyReplicas\":%" G_GINT64_FORMAT ","
    "\"availableReplicas\":%" G_GINT64_FORMAT ",\"unavailableReplicas\":%" G_GINT64_FORMAT ","
    "\"conditions\":[{\"type\":\"Available\",\"status\":\"%s\",\"reason\":\"%s\"},"
    "{\"type\":\"Progressing\",\"status\":\"%s\",\"reason\":\"%s\",\"message\":\"%s\"}]}",
    json_object_get_int_member_with_default (sitrep_drill_json_object_at (object, "metadata"),
                                             "generation", 1),
    pods, pods, ready, ready, MAX (0, deployment->replicas - ready),
    ready > 0 ? "True" : "False",
    ready > 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
    late ? "False" : "True",
    late ? "ProgressDeadlineExceeded"
         : ready >= deployment->replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
    late ? "ReplicaSet has timed out progressing." : "");

  if (object == NULL)
    return;
  status_node = sitrep_drill_json_parse (text);
  if (sitrep_drill_json_object_at (object, "status") != NULL)
    {
      old_node = json_node_init_object (json_node_alloc (),
                                        sitrep_drill_json_object_at (object, "status"));
      old_text = json_to_string (old_node, FALSE);
    }
  new_text = json_to_string (status_node, FALSE);
  if (g_strcmp0 (old_text, new_text) == 0)
    return;
  updated = sitrep_drill_json_copy (object);
  json_object_set_member (updated, "status", json_node_copy (status_node));
  sitrep_drill_kube_add_object (world->kube, SITREP_DRILL_NAMESPACE, "deployments", updated);
}

/* What `kubectl top pods` shows: the load shared by the ready pods, with some noise. */
static void
store_metrics (SitrepDrillWorld      *world,
               SitrepDrillDeployment *deployment)
{
  guint ready = MAX (1, sitrep_drill_world_count_ready (world, deployment));

  for (guint i = 0; i < deployment->pods->len; i++)
    {
      gboolean crashing = pod_is_faulty (deployment, i)
                          && deployment->fault == SITREP_DRILL_FAULT_CRASH;
      double cpu = crashing ? 3 : MIN (1000, deployment->cpu / ready) * g_random_double_range (0.93, 1.0);
      gint64 memory = crashing ? 38 * 1024 * 1024
                               : (gint64) (deployment->memory * g_random_double_range (0.97, 1.03));

      sitrep_drill_kube_set_pod_metrics (world->kube, SITREP_DRILL_NAMESPACE,
                                         deployment->pods->pdata[i], (gint64) cpu, memory);
    }
}

/* A crash-looping container dies again: what it wrote becomes its previous run's log. */
static void
crash (SitrepDrillWorld      *world,
       SitrepDrillDeployment *deployment)
{
  deployment->restarts++;
  /* kubelet's back-off doubles from 10 s up to five minutes; a drill keeps it shorter. */
  deployment->next_restart = world->now + MIN (10 << MIN (deployment->restarts - 1, 4), 80);
  for (guint i = 0; i < deployment->pods->len && (int) i < deployment->faulty; i++)
    {
      const char *pod = deployment->pods->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s/%s", SITREP_DRILL_NAMESPACE, pod);
      const char *current = g_hash_table_lookup (world->kube->logs, key);
      g_autofree char *previous = g_strconcat (current ? current : "",
                                               deployment->crash_log ? deployment->crash_log : "",
                                               NULL);
      g_autofree char *boot = boot_text (deployment);

      sitrep_drill_kube_set_log (world->kube, SITREP_DRILL_NAMESPACE, pod, boot, previous);
      sitrep_drill_kube_add_event (world->kube, SITREP_DRILL_NAMESPACE, "Pod", pod, TRUE, "BackOff",
                                   "Back-off restarting failed container");
    }
}

void
sitrep_drill_world_sync (SitrepDrillWorld *world)
{
  for (guint d = 0; d < world->deployments->len; d++)
    {
      SitrepDrillDeployment *deployment = world->deployments->pdata[d];

      while ((int) deployment->pods->len < deployment->replicas)
        add_pod (world, deployment);
      remove_pods (world, deployment, MAX (0, deployment->replicas));
      if (deployment->fault == SITREP_DRILL_FAULT_CRASH && deployment->faulty > 0
          && world->now >= deployment->next_restart)
        crash (world, deployment);
      for (guint i = 0; i < deployment->pods->len; i++)
        store_pod (world, deployment, i);
      store_status (world, deployment);
      store_metrics (world, deployment);
    }
}

void
sitrep_drill_world_log (SitrepDrillWorld      *world,
                        SitrepDrillDeployment *deployment,
                        gboolean               faulty_only,
                        const char            *format,
                        ...)
{
  g_autofree char *at = timestamp ();
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  line = g_strdup_printf ("%s %s\n", at, message);
  for (guint i = 0; i < deployment->pods->len; i++)
    {
      if (faulty_only && !pod_is_faulty (deployment, i))
        continue;
      sitrep_drill_kube_append_log (world->kube, SITREP_DRILL_NAMESPACE, deployment->pods->pdata[i],
                                    line);
    }
}

void
sitrep_drill_world_event (SitrepDrillWorld      *world,
                          SitrepDrillDeployment *deployment,
                          gboolean               on_pods,
                          gboolean               warning,
                          const char            *reason,
                          const char            *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (!on_pods)
    {
      sitrep_drill_kube_add_event (world->kube, SITREP_DRILL_NAMESPACE, "Deployment",
                                   deployment->name, warning, reason, message);
      return;
    }
  for (guint i = 0; i < deployment->pods->len && (int) i < MAX (deployment->faulty, 0); i++)
    sitrep_drill_kube_add_event (world->kube, SITREP_DRILL_NAMESPACE, "Pod",
                                 deployment->pods->pdata[i], warning, reason, message);
}

static SitrepDrillDeployment *
find_by_name (SitrepDrillWorld *world,
              const char       *name)
{
  for (guint i = 0; i < world->deployments->len; i++)
    {
      SitrepDrillDeployment *deployment = world->deployments->pdata[i];

      if (g_str_equal (deployment->name, name))
        return deployment;
    }
  return NULL;
}

/* The stored deployment changed: a rollout replaces its pods, a scale adds or removes some. */
static void
apply (SitrepDrillWorld      *world,
       SitrepDrillDeployment *deployment,
       gboolean               tell_play)
{
  JsonObject *object = sitrep_drill_kube_lookup (world->kube, SITREP_DRILL_NAMESPACE,
                                                 "deployments", deployment->name);
  g_autofree char *text = sitrep_drill_json_template_text (object);
  int replicas = json_object_get_int_member (sitrep_drill_json_object_at (object, "spec"),
                                             "replicas");
  gboolean replaced = g_strcmp0 (text, deployment->template_text) != 0;
  gboolean scaled = replicas != deployment->replicas;
  g_autofree char *set = NULL;

  g_free (deployment->template_text);
  deployment->template_text = g_steal_pointer (&text);
  g_free (deployment->image);
  deployment->image = g_strdup (image_of (object));
  set = replica_set_name (world, deployment);
  if (replaced)
    {
      remove_pods (world, deployment, 0);
      deployment->rolled_out_at = world->now;
      deployment->restarts = 0;
      sitrep_drill_world_event (world, deployment, FALSE, FALSE, "ScalingReplicaSet",
                                "Scaled up replica set %s to %d", set, replicas);
    }
  else if (scaled)
    sitrep_drill_world_event (world, deployment, FALSE, FALSE, "ScalingReplicaSet",
                              "Scaled %s replica set %s to %d",
                              replicas > deployment->replicas ? "up" : "down", set, replicas);
  deployment->replicas = replicas;
  if (tell_play && world->rollout != NULL && (replaced || scaled))
    world->rollout (deployment, replaced, scaled, world->rollout_data);
  sitrep_drill_world_sync (world);
}

static void
changed_cb (SitrepDrillKube *kube,
            const char      *namespace_,
            const char      *resource,
            const char      *name,
            gpointer         user_data)
{
  SitrepDrillWorld *world = user_data;
  SitrepDrillDeployment *deployment = find_by_name (world, name);

  if (deployment != NULL && g_str_equal (resource, "deployments")
      && g_str_equal (namespace_, SITREP_DRILL_NAMESPACE))
    apply (world, deployment, TRUE);
}

void
sitrep_drill_world_deploy (SitrepDrillWorld      *world,
                           SitrepDrillDeployment *deployment,
                           const char            *image,
                           const char            *cause)
{
  JsonObject *current = sitrep_drill_kube_lookup (world->kube, SITREP_DRILL_NAMESPACE,
                                                  "deployments", deployment->name);
  g_autoptr(JsonObject) updated = sitrep_drill_json_copy (current);
  JsonObject *spec = sitrep_drill_json_object_at (updated, "spec");
  JsonObject *pod = sitrep_drill_json_object_at (sitrep_drill_json_object_at (spec, "template"),
                                                 "spec");
  JsonObject *container = json_array_get_object_element (json_object_get_array_member (pod,
                                                                                       "containers"),
                                                         0);

  json_object_set_string_member (container, "image", image);
  json_object_set_string_member (sitrep_drill_json_ensure_object (
                                   sitrep_drill_json_object_at (updated, "metadata"),
                                   "annotations"),
                                 "kubernetes.io/change-cause", cause);
  sitrep_drill_kube_roll_out (world->kube, SITREP_DRILL_NAMESPACE, current, updated, FALSE);
  sitrep_drill_kube_add_object (world->kube, SITREP_DRILL_NAMESPACE, "deployments", updated);
  apply (world, deployment, FALSE);
}

static void
add_deployment (SitrepDrillWorld *world,
                guint             i)
{
  SitrepDrillDeployment *deployment = g_new0 (SitrepDrillDeployment, 1);
  g_autofree char *text = g_strdup_printf (
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\","
    "\"generation\":1,\"labels\":{\"app\":\"%s\"},\"annotations\":{"
    "\"deployment.kubernetes.io/revision\":\"1\",\"kubernetes.io/change-cause\":\"%s\"}},"
    "\"spec\":{\"replicas\":%d,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},"
    "\"progressDeadlineSeconds\":600,\"strategy\":{\"type\":\"RollingUpdate\","
    "\"rollingUpdate\":{\"maxUnavailable\":\"25%%\",\"maxSurge\":\"25%%\"}},"
    "\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":[{"
    "\"name\":\"%s\",\"image\":\"%s\",\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"2Gi\"},"
    "\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"}}}]}}},\"status\":{}}",
    layout[i].name, layout[i].name, layout[i].causes[0], layout[i].replicas, layout[i].name,
    layout[i].name, layout[i].service, layout[i].images[0]);
  g_autoptr(JsonNode) node = sitrep_drill_json_parse (text);
  JsonObject *object = json_node_get_object (node);

  deployment->name = g_strdup (layout[i].name);
  deployment->service = g_strdup (layout[i].service);
  deployment->pods = g_ptr_array_new_with_free_func (g_free);
  deployment->cpu = layout[i].cpu;
  deployment->memory = layout[i].memory;
  deployment->crash_reason = "Error";
  deployment->exit_code = 1;
  g_ptr_array_add (world->deployments, deployment);

  sitrep_drill_kube_add_object (world->kube, SITREP_DRILL_NAMESPACE, "deployments", object);
  sitrep_drill_kube_add_replica_set (world->kube, SITREP_DRILL_NAMESPACE, object, 1);
  /* Last week's release, then this week's: there is a revision to roll back to. */
  sitrep_drill_world_deploy (world, deployment, layout[i].images[1], layout[i].causes[1]);
}

SitrepDrillWorld *
sitrep_drill_world_new (SitrepDrillKube       *kube,
                        SitrepDrillRolloutFunc rollout,
                        gpointer               user_data)
{
  SitrepDrillWorld *world = g_new0 (SitrepDrillWorld, 1);

  world->kube = g_object_ref (kube);
  world->deployments = g_ptr_array_new_with_free_func ((GDestroyNotify) deployment_free);
  world->rollout = rollout;
  world->rollout_data = user_data;
  world->health.api_latency_ms = 40;
  world->health.database = "up";
  world->health.redis = "up";
  for (guint i = 0; i < G_N_ELEMENTS (layout); i++)
    add_deployment (world, i);
  world->changed_id = g_signal_connect (kube, "changed", G_CALLBACK (changed_cb), world);
  return world;
}

void
sitrep_drill_world_free (SitrepDrillWorld *world)
{
  g_clear_signal_handler (&world->changed_id, world->kube);
  g_clear_object (&world->kube);
  g_ptr_array_unref (world->deployments);
  g_free (world->health.api_error);
  g_free (world);
}

SitrepDrillDeployment *
sitrep_drill_world_get (SitrepDrillWorld *world,
                        const char       *service)
{
  for (guint i = 0; i < world->deployments->len; i++)
    {
      SitrepDrillDeployment *deployment = world->deployments->pdata[i];

      if (g_str_equal (deployment->service, service))
        return deployment;
    }
  return NULL;
}

SitrepDrillHealth *
sitrep_drill_world_get_health (SitrepDrillWorld *world)
{
  return &world->health;
}

void
sitrep_drill_world_set_now (SitrepDrillWorld *world,
                            double            now)
{
  world->now = now;
}
