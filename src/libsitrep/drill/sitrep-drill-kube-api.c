/* sitrep-drill-kube-api.c: the requests of kubectl 1.32 the simulated Kubernetes API answers
 *
 * Legacy discovery (/api, /apis, /api/v1, /apis/apps/v1, /apis/metrics.k8s.io/v1beta1; the
 * aggregated form is declined by answering plain JSON), get, list and watch of deployments,
 * replica sets, pods and events, pods/log (with ?previous and ?tailLines), the metrics API,
 * PATCH and PUT of deployments and their scale (merge, strategic merge as merge, JSON patch;
 * ?dryRun honoured), and a refusal of pods/exec that says why.
 */
#include "config.h"

#include <string.h>

#include "sitrep-drill-kube-private.h"

static const char *const core_resources =
  "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"v1\",\"resources\":["
  "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
  "\"verbs\":[\"get\",\"list\",\"watch\",\"patch\",\"update\",\"delete\"],\"shortNames\":[\"po\"],"
  "\"categories\":[\"all\"]},"
  "{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Pod\","
  "\"verbs\":[\"get\"]},"
  "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodExecOptions\","
  "\"verbs\":[\"create\",\"get\"]},"
  "{\"name\":\"events\",\"singularName\":\"event\",\"namespaced\":true,\"kind\":\"Event\","
  "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"ev\"]},"
  "{\"name\":\"namespaces\",\"singularName\":\"namespace\",\"namespaced\":false,"
  "\"kind\":\"Namespace\",\"verbs\":[\"get\",\"list\"],\"shortNames\":[\"ns\"]}]}";

static const char *const apps_resources =
  "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"apps/v1\",\"resources\":["
  "{\"name\":\"deployments\",\"singularName\":\"deployment\",\"namespaced\":true,"
  "\"kind\":\"Deployment\",\"verbs\":[\"get\",\"list\",\"watch\",\"patch\",\"update\"],"
  "\"shortNames\":[\"deploy\"],\"categories\":[\"all\"]},"
  "{\"name\":\"deployments/scale\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"autoscaling\","
  "\"version\":\"v1\",\"kind\":\"Scale\",\"verbs\":[\"get\",\"patch\",\"update\"]},"
  "{\"name\":\"deployments/status\",\"singularName\":\"\",\"namespaced\":true,"
  "\"kind\":\"Deployment\",\"verbs\":[\"get\",\"patch\",\"update\"]},"
  "{\"name\":\"replicasets\",\"singularName\":\"replicaset\",\"namespaced\":true,"
  "\"kind\":\"ReplicaSet\",\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"rs\"],"
  "\"categories\":[\"all\"]}]}";

static const char *const metrics_resources =
  "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"metrics.k8s.io/v1beta1\","
  "\"resources\":[{\"name\":\"pods\",\"singularName\":\"\",\"namespaced\":true,"
  "\"kind\":\"PodMetrics\",\"verbs\":[\"get\",\"list\"]}]}";

static const char *const api_groups =
  "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"apps\","
  "\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
  "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}},"
  "{\"name\":\"metrics.k8s.io\",\"versions\":[{\"groupVersion\":\"metrics.k8s.io/v1beta1\","
  "\"version\":\"v1beta1\"}],\"preferredVersion\":{\"groupVersion\":\"metrics.k8s.io/v1beta1\","
  "\"version\":\"v1beta1\"}}]}";

void
sitrep_drill_kube_reply_text (SoupServerMessage *msg,
                              guint              status,
                              const char        *content_type,
                              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

void
sitrep_drill_kube_reply_object (SoupServerMessage *msg,
                                guint              status,
                                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);

  sitrep_drill_kube_reply_text (msg, status, "application/json", text);
}

void
sitrep_drill_kube_reply_status (SoupServerMessage *msg,
                                guint              code,
                                const char        *reason,
                                const char        *message)
{
  g_autoptr(JsonObject) status = json_object_new ();

  json_object_set_string_member (status, "kind", "Status");
  json_object_set_string_member (status, "apiVersion", "v1");
  json_object_set_object_member (status, "metadata", json_object_new ());
  json_object_set_string_member (status, "status", "Failure");
  json_object_set_string_member (status, "message", message);
  json_object_set_string_member (status, "reason", reason);
  json_object_set_int_member (status, "code", code);
  sitrep_drill_kube_reply_object (msg, code, status);
}

static void
reply_not_found (SoupServerMessage *msg,
                 const char        *resource,
                 const char        *name)
{
  g_autofree char *what = NULL;

  if (g_str_equal (resource, "pods") || g_str_equal (resource, "events"))
    what = g_strdup_printf ("%s \"%s\" not found", resource, name);
  else
    what = g_strdup_printf ("%s.apps \"%s\" not found", resource, name);
  sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", what);
}

static void
watch_finished_cb (SoupServerMessage *msg,
                   SitrepDrillKube   *self)
{
  for (guint i = 0; self->watches != NULL && i < self->watches->len; i++)
    if (((SitrepDrillKubeWatch *) self->watches->pdata[i])->msg == msg)
      {
        g_ptr_array_remove_index (self->watches, i);
        return;
      }
}

/* The answer stays open: events are appended as chunks as objects are stored. */
static void
start_watch (SitrepDrillKube   *self,
             SoupServerMessage *msg,
             const char        *prefix,
             const char        *field_selector)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SitrepDrillKubeWatch *watch = g_new0 (SitrepDrillKubeWatch, 1);

  watch->msg = g_object_ref (msg);
  watch->prefix = g_strdup (prefix);
  if (field_selector != NULL && g_str_has_prefix (field_selector, "metadata.name="))
    watch->name = g_strdup (field_selector + strlen ("metadata.name="));
  g_ptr_array_add (self->watches, watch);
  g_signal_connect (msg, "finished", G_CALLBACK (watch_finished_cb), self);
  g_signal_connect (msg, "disconnected", G_CALLBACK (watch_finished_cb), self);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
}

static void
handle_list (SitrepDrillKube   *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             const char        *namespace_,
             const char        *resource,
             const char        *kind,
             const char        *api_version,
             gboolean           table)
{
  g_autofree char *prefix = g_strdup_printf ("%s/%s/", namespace_, resource);
  const char *labels = query ? g_hash_table_lookup (query, "labelSelector") : NULL;
  const char *fields = query ? g_hash_table_lookup (query, "fieldSelector") : NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(JsonObject) list = NULL;
  JsonArray *array;
  g_autofree char *version = g_strdup_printf ("%u", self->resource_version);
  g_autofree char *list_kind = g_strdup_printf ("%sList", kind);

  if (query != NULL && g_strcmp0 (g_hash_table_lookup (query, "watch"), "true") == 0)
    {
      start_watch (self, msg, prefix, fields);
      return;
    }

  all = sitrep_drill_kube_list (self, namespace_, resource, labels);
  for (guint i = 0; i < all->len; i++)
    if (sitrep_drill_json_fields_match (all->pdata[i], fields))
      g_ptr_array_add (items, all->pdata[i]);

  if (table)
    {
      g_autoptr(JsonObject) t = sitrep_drill_kube_make_table (resource, items);

      json_object_set_string_member (sitrep_drill_json_object_at (t, "metadata"),
                                     "resourceVersion", version);
      sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, t);
      return;
    }

  list = json_object_new ();
  array = json_array_new ();
  json_object_set_string_member (list, "kind", list_kind);
  json_object_set_string_member (list, "apiVersion", api_version);
  json_object_set_object_member (list, "metadata", json_object_new ());
  json_object_set_string_member (sitrep_drill_json_object_at (list, "metadata"), "resourceVersion",
                                 version);
  for (guint i = 0; i < items->len; i++)
    json_array_add_object_element (array, sitrep_drill_json_copy (items->pdata[i]));
  json_object_set_array_member (list, "items", array);
  sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, list);
}

/* The deployment's replica set whose template is @text, as the controller finds it again. */
static JsonObject *
find_replica_set (SitrepDrillKube *self,
                  const char      *namespace_,
                  JsonObject      *deployment,
                  const char      *text)
{
  const char *name = sitrep_drill_json_path_string (deployment, "metadata.name");
  g_autoptr(GPtrArray) sets = sitrep_drill_kube_list (self, namespace_, "replicasets", NULL);

  for (guint i = 0; i < sets->len; i++)
    {
      JsonObject *metadata = sitrep_drill_json_object_at (sets->pdata[i], "metadata");
      JsonArray *owners = json_object_has_member (metadata, "ownerReferences")
                            ? json_object_get_array_member (metadata, "ownerReferences") : NULL;
      g_autofree char *candidate = NULL;

      if (owners == NULL || json_array_get_length (owners) == 0
          || g_strcmp0 (sitrep_drill_json_string_at (json_array_get_object_element (owners, 0),
                                                     "name"), name) != 0)
        continue;
      candidate = sitrep_drill_json_template_text (sets->pdata[i]);
      if (g_str_equal (candidate, text))
        return sets->pdata[i];
    }
  return NULL;
}

/* The controller, instantly: a new template is a new revision, and the status follows the spec.
 * The simulation then corrects the status for pods that do not come up. */
void
sitrep_drill_kube_roll_out (SitrepDrillKube *self,
                            const char      *namespace_,
                            JsonObject      *old,
                            JsonObject      *deployment,
                            gboolean         dry_run)
{
  JsonObject *metadata = sitrep_drill_json_object_at (deployment, "metadata");
  JsonObject *status = sitrep_drill_json_ensure_object (deployment, "status");
  gint64 replicas = json_object_get_int_member (sitrep_drill_json_object_at (deployment, "spec"),
                                                "replicas");
  gint64 generation = json_object_get_int_member_with_default (metadata, "generation", 1) + 1;
  g_autofree char *old_template = sitrep_drill_json_template_text (old);
  g_autofree char *new_template = sitrep_drill_json_template_text (deployment);

  json_object_set_int_member (metadata, "generation", generation);
  if (!g_str_equal (old_template, new_template))
    {
      int revision = sitrep_drill_json_revision (old) + 1;
      g_autofree char *text = g_strdup_printf ("%d", revision);
      JsonObject *annotations = sitrep_drill_json_ensure_object (metadata, "annotations");

      json_object_set_string_member (annotations, "deployment.kubernetes.io/revision", text);
      if (!dry_run)
        {
          JsonObject *existing = find_replica_set (self, namespace_, deployment, new_template);

          if (existing != NULL)
            {
              g_autoptr(JsonObject) moved = sitrep_drill_json_copy (existing);

              json_object_set_string_member (
                sitrep_drill_json_ensure_object (sitrep_drill_json_object_at (moved, "metadata"),
                                                 "annotations"),
                "deployment.kubernetes.io/revision", text);
              sitrep_drill_kube_add_object (self, namespace_, "replicasets", moved);
            }
          else
            sitrep_drill_kube_add_replica_set (self, namespace_, deployment, revision);
        }
    }
  json_object_set_int_member (status, "observedGeneration", generation);
  json_object_set_int_member (status, "replicas", replicas);
  json_object_set_int_member (status, "readyReplicas", replicas);
  json_object_set_int_member (status, "updatedReplicas", replicas);
  json_object_set_int_member (status, "availableReplicas", replicas);
}

static JsonObject *
scale_of (JsonObject *deployment)
{
  JsonObject *metadata = sitrep_drill_json_object_at (deployment, "metadata");
  JsonObject *status = sitrep_drill_json_object_at (deployment, "status");
  g_autofree char *text = g_strdup_printf (
    "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"%s\","
    "\"namespace\":\"%s\",\"resourceVersion\":\"%s\"},\"spec\":{\"replicas\":%" G_GINT64_FORMAT "},"
    "\"status\":{\"replicas\":%" G_GINT64_FORMAT ",\"selector\":\"app=%s\"}}",
    sitrep_drill_json_string_at (metadata, "name"),
    sitrep_drill_json_string_at (metadata, "namespace"),
    sitrep_drill_json_string_at (metadata, "resourceVersion"),
    json_object_get_int_member (sitrep_drill_json_object_at (deployment, "spec"), "replicas"),
    status ? json_object_get_int_member_with_default (status, "replicas", 0) : 0,
    sitrep_drill_json_string_at (metadata, "name"));
  g_autoptr(JsonNode) node = sitrep_drill_json_parse (text);

  return json_object_ref (json_node_get_object (node));
}

/* PATCH or PUT of a deployment or its scale. */
static void
handle_change (SitrepDrillKube   *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               const char        *namespace_,
               const char        *name,
               const char        *sub,
               const char        *body)
{
  JsonObject *current = sitrep_drill_kube_lookup (self, namespace_, "deployments", name);
  const char *method = soup_server_message_get_method (msg);
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  gboolean scale = g_strcmp0 (sub, "scale") == 0;
  gboolean dry_run = query != NULL && g_hash_table_contains (query, "dryRun");
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) target = NULL;
  g_autoptr(JsonObject) before = NULL;

  if (current == NULL)
    {
      reply_not_found (msg, "deployments", name);
      return;
    }
  patch = json_from_string (body ? body : "", NULL);
  if (patch == NULL)
    {
      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                      "the body is not JSON");
      return;
    }

  before = json_object_ref (current);
  updated = sitrep_drill_json_copy (current);
  target = scale ? scale_of (updated) : json_object_ref (updated);
  if (g_str_equal (method, "PUT") && JSON_NODE_HOLDS_OBJECT (patch))
    {
      g_clear_pointer (&target, json_object_unref);
      target = sitrep_drill_json_copy (json_node_get_object (patch));
    }
  else if (g_strcmp0 (type, "application/json-patch+json") == 0 && JSON_NODE_HOLDS_ARRAY (patch))
    {
      if (!sitrep_drill_json_patch (target, json_node_get_array (patch)))
        {
          sitrep_drill_kube_reply_status (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Invalid",
                                          "unsupported JSON patch");
          return;
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (patch))
    sitrep_drill_json_merge_patch (target, json_node_get_object (patch));
  else
    {
      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                      "UnsupportedMediaType", "unsupported patch");
      return;
    }

  if (scale)
    {
      JsonObject *spec = sitrep_drill_json_object_at (target, "spec");

      if (spec == NULL || !json_object_has_member (spec, "replicas"))
        {
          sitrep_drill_kube_reply_status (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Invalid",
                                          "spec.replicas: Required value");
          return;
        }
      json_object_set_int_member (sitrep_drill_json_ensure_object (updated, "spec"), "replicas",
                                  json_object_get_int_member (spec, "replicas"));
    }
  else if (target != updated)
    {
      g_clear_pointer (&updated, json_object_unref);
      updated = json_object_ref (target);
    }

  sitrep_drill_kube_roll_out (self, namespace_, before, updated, dry_run);
  if (!dry_run)
    {
      sitrep_drill_kube_add_object (self, namespace_, "deployments", updated);
      /* The simulation brings the pods in line before kubectl reads the outcome. */
      sitrep_drill_kube_emit_changed (self, namespace_, "deployments", name);
      current = sitrep_drill_kube_lookup (self, namespace_, "deployments", name);
    }
  else
    current = updated;

  if (scale)
    {
      g_autoptr(JsonObject) answer = scale_of (current);

      sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, answer);
    }
  else
    sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, current);
}

/* kubectl asks whether the namespace exists after a NotFound: it does if it holds anything. */
static void
handle_namespace (SitrepDrillKube   *self,
                  SoupServerMessage *msg,
                  const char        *namespace_)
{
  g_autofree char *prefix = g_strdup_printf ("%s/", namespace_);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix))
      {
        text = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                                "{\"name\":\"%s\"},\"status\":{\"phase\":\"Active\"}}",
                                namespace_);
        sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json", text);
        return;
      }
  text = g_strdup_printf ("namespaces \"%s\" not found", namespace_);
  sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", text);
}

/* The last @n lines of @log (all of them for n < 0). */
static const char *
tail_of (const char *log,
         gint64      n)
{
  const char *p = log + strlen (log);

  if (n < 0)
    return log;
  if (n == 0)
    return p;
  if (p > log && p[-1] == '\n')
    p--;
  for (; p > log; p--)
    if (p[-1] == '\n' && --n == 0)
      return p;
  return log;
}

static void
handle_log (SitrepDrillKube   *self,
            SoupServerMessage *msg,
            GHashTable        *query,
            const char        *namespace_,
            const char        *name,
            JsonObject        *pod)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", namespace_, name);
  gboolean previous = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "previous"),
                                                  "true") == 0;
  const char *tail = query ? g_hash_table_lookup (query, "tailLines") : NULL;
  const char *log = g_hash_table_lookup (previous ? self->previous : self->logs, key);

  if (log == NULL && previous)
    {
      const char *container = sitrep_drill_json_string_at (
        json_array_get_object_element (json_object_get_array_member (
          sitrep_drill_json_object_at (pod, "spec"), "containers"), 0), "name");
      g_autofree char *message = g_strdup_printf (
        "previous terminated container \"%s\" in pod \"%s\" not found", container, name);

      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest", message);
      return;
    }
  sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "text/plain",
                                tail_of (log ? log : "", tail ? g_ascii_strtoll (tail, NULL, 10)
                                                              : -1));
}

static char *
format_quantity (gint64   value,
                 gboolean cpu)
{
  if (cpu)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", value);
  return g_strdup_printf ("%" G_GINT64_FORMAT "Ki", value / 1024);
}

/* `kubectl top pods`: the usage the simulation set for each pod that has some. */
static void
handle_metrics (SitrepDrillKube   *self,
                SoupServerMessage *msg,
                GHashTable        *query,
                const char        *namespace_,
                const char        *name)
{
  g_autoptr(GPtrArray) pods = sitrep_drill_kube_list (self, namespace_, "pods",
                                                      query ? g_hash_table_lookup (query,
                                                                                   "labelSelector")
                                                            : NULL);
  g_autoptr(JsonObject) list = json_object_new ();
  JsonArray *items = json_array_new ();
  g_autofree char *now = sitrep_drill_timestamp_now ();

  json_object_set_string_member (list, "kind", "PodMetricsList");
  json_object_set_string_member (list, "apiVersion", "metrics.k8s.io/v1beta1");
  json_object_set_object_member (list, "metadata", json_object_new ());
  json_object_set_array_member (list, "items", items);
  for (guint i = 0; i < pods->len; i++)
    {
      const char *pod = sitrep_drill_json_path_string (pods->pdata[i], "metadata.name");
      g_autofree char *key = g_strdup_printf ("%s/%s", namespace_, pod);
      gint64 *usage = g_hash_table_lookup (self->metrics, key);
      JsonArray *containers;
      JsonObject *item, *container, *values;
      g_autofree char *cpu = NULL;
      g_autofree char *memory = NULL;

      if (usage == NULL || (name != NULL && g_strcmp0 (name, pod) != 0))
        continue;
      cpu = format_quantity (usage[0], TRUE);
      memory = format_quantity (usage[1], FALSE);
      item = json_object_new ();
      json_object_set_object_member (item, "metadata", json_object_new ());
      json_object_set_string_member (sitrep_drill_json_object_at (item, "metadata"), "name", pod);
      json_object_set_string_member (sitrep_drill_json_object_at (item, "metadata"), "namespace",
                                     namespace_);
      json_object_set_string_member (item, "timestamp", now);
      json_object_set_string_member (item, "window", "30s");
      containers = json_array_new ();
      container = json_object_new ();
      values = json_object_new ();
      json_object_set_string_member (container, "name",
                                     sitrep_drill_json_path_string (pods->pdata[i],
                                                                    "metadata.labels.app"));
      json_object_set_string_member (values, "cpu", cpu);
      json_object_set_string_member (values, "memory", memory);
      json_object_set_object_member (container, "usage", values);
      json_array_add_object_element (containers, container);
      json_object_set_array_member (item, "containers", containers);
      if (name != NULL)
        {
          json_object_set_string_member (item, "kind", "PodMetrics");
          json_object_set_string_member (item, "apiVersion", "metrics.k8s.io/v1beta1");
          sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, item);
          json_object_unref (item);
          return;
        }
      json_array_add_object_element (items, item);
    }
  if (name != NULL)
    {
      g_autofree char *message = g_strdup_printf ("podmetrics.metrics.k8s.io \"%s\" not found",
                                                  name);

      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", message);
      return;
    }
  sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, list);
}

static void
reply_one (SoupServerMessage *msg,
           const char        *resource,
           JsonObject        *object,
           gboolean           table)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonObject) t = NULL;

  if (!table)
    {
      sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, object);
      return;
    }
  items = g_ptr_array_new ();
  g_ptr_array_add (items, object);
  t = sitrep_drill_kube_make_table (resource, items);
  sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, t);
}

static void
handle_namespaced (SitrepDrillKube   *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   char             **parts,
                   const char        *api_version,
                   const char        *body)
{
  const char *method = soup_server_message_get_method (msg);
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept");
  gboolean table = accept != NULL && strstr (accept, "as=Table") != NULL;
  const char *namespace_ = parts[0];
  const char *resource = namespace_ ? parts[1] : NULL;
  const char *name = resource ? parts[2] : NULL;
  const char *sub = name ? parts[3] : NULL;
  const char *kind;
  JsonObject *object;

  if (resource == NULL)
    {
      handle_namespace (self, msg, namespace_);
      return;
    }
  if (g_str_equal (api_version, "metrics.k8s.io/v1beta1"))
    {
      if (g_str_equal (resource, "pods") && sub == NULL)
        handle_metrics (self, msg, query, namespace_, name);
      else
        sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound",
                                        "the server could not find the requested resource");
      return;
    }
  kind = g_str_equal (resource, "pods") ? "Pod"
         : g_str_equal (resource, "deployments") ? "Deployment"
         : g_str_equal (resource, "replicasets") ? "ReplicaSet"
         : g_str_equal (resource, "events") ? "Event" : NULL;
  if (kind == NULL)
    {
      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound",
                                      "the server could not find the requested resource");
      return;
    }

  if (name == NULL)
    {
      if (g_str_equal (method, "GET"))
        handle_list (self, msg, query, namespace_, resource, kind, api_version, table);
      else
        sitrep_drill_kube_reply_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                                        "not supported");
      return;
    }

  if (g_str_equal (resource, "deployments")
      && (g_str_equal (method, "PATCH") || g_str_equal (method, "PUT"))
      && (sub == NULL || g_str_equal (sub, "scale")))
    {
      handle_change (self, msg, query, namespace_, name, sub, body);
      return;
    }
  object = sitrep_drill_kube_lookup (self, namespace_, resource, name);
  if (object == NULL)
    {
      reply_not_found (msg, resource, name);
      return;
    }
  if (g_strcmp0 (sub, "exec") == 0 || g_strcmp0 (sub, "attach") == 0)
    {
      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_FORBIDDEN, "Forbidden",
                                      self->exec_message);
      return;
    }
  if (!g_str_equal (method, "GET"))
    {
      sitrep_drill_kube_reply_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                                      "not supported");
      return;
    }

  if (sub == NULL)
    reply_one (msg, resource, object, table);
  else if (g_str_equal (sub, "log") && g_str_equal (resource, "pods"))
    handle_log (self, msg, query, namespace_, name, object);
  else if (g_str_equal (sub, "scale") && g_str_equal (resource, "deployments"))
    {
      g_autoptr(JsonObject) scale = scale_of (object);

      sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, scale);
    }
  else if (g_str_equal (sub, "status"))
    sitrep_drill_kube_reply_object (msg, SOUP_STATUS_OK, object);
  else
    sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound",
                                    "the server could not find the requested resource");
}

void
sitrep_drill_kube_handle (SitrepDrillKube   *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          const char        *body)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  if (g_str_equal (path, "/api"))
    {
      g_autofree char *text = g_strdup_printf (
        "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
        "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:%u\"}]}", self->port);

      sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json", text);
    }
  else if (g_str_equal (path, "/apis"))
    sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json", api_groups);
  else if (g_str_equal (path, "/api/v1"))
    sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json", core_resources);
  else if (g_str_equal (path, "/apis/apps/v1"))
    sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json", apps_resources);
  else if (g_str_equal (path, "/apis/metrics.k8s.io/v1beta1"))
    sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json", metrics_resources);
  else if (g_str_equal (path, "/version"))
    sitrep_drill_kube_reply_text (msg, SOUP_STATUS_OK, "application/json",
                                  "{\"major\":\"1\",\"minor\":\"32\","
                                  "\"gitVersion\":\"v1.32.0-sitrep-drill\","
                                  "\"platform\":\"linux/amd64\"}");
  else if (n >= 5 && g_str_equal (parts[1], "api") && g_str_equal (parts[2], "v1")
           && g_str_equal (parts[3], "namespaces"))
    handle_namespaced (self, msg, query, parts + 4, "v1", body);
  else if (n >= 6 && g_str_equal (parts[1], "apis") && g_str_equal (parts[2], "apps")
           && g_str_equal (parts[3], "v1") && g_str_equal (parts[4], "namespaces"))
    handle_namespaced (self, msg, query, parts + 5, "apps/v1", body);
  else if (n >= 6 && g_str_equal (parts[1], "apis") && g_str_equal (parts[2], "metrics.k8s.io")
           && g_str_equal (parts[3], "v1beta1") && g_str_equal (parts[4], "namespaces"))
    handle_namespaced (self, msg, query, parts + 5, "metrics.k8s.io/v1beta1", body);
  else
    sitrep_drill_kube_reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound",
                                    "the server could not find the requested resource");
}
