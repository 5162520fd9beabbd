/* sitrep-drill-kube.c: the drill's simulated Kubernetes API: its objects, logs and kubeconfig
 *
 * It answers what kubectl 1.32 asks for (sitrep-drill-kube-api.c has the requests): discovery,
 * get and list of deployments, replica sets, pods and events (as JSON, or as a Table for
 * kubectl's human output), pod logs (also of the previous run), the metrics API for `kubectl
 * top`, and changes to deployments and their scale. A changed deployment rolls out at once: its
 * status follows its spec, and a new pod template makes a new revision and replica set, or, as
 * the controller does on a rollback, gives the replica set that already has that template the
 * new revision. Watches stay open and get an event each time a matching object is stored, so
 * `kubectl rollout status` can wait. The simulation (SitrepDrillWorld) or a test fills it and
 * hears of every change a client made through the "changed" signal.
 */
#include "config.h"

#include <string.h>

#include "sitrep-drill-kube-private.h"

G_DEFINE_FINAL_TYPE (SitrepDrillKube, sitrep_drill_kube, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
request_free (SitrepDrillKubeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->authorization);
  g_free (request->content_type);
  g_free (request->body);
  g_free (request);
}

static void
watch_free (SitrepDrillKubeWatch *watch)
{
  g_object_unref (watch->msg);
  g_free (watch->prefix);
  g_free (watch->name);
  g_free (watch);
}

static void
sitrep_drill_kube_dispose (GObject *object)
{
  SitrepDrillKube *self = (SitrepDrillKube *) object;

  for (guint i = 0; self->watches != NULL && i < self->watches->len; i++)
    g_signal_handlers_disconnect_by_data (((SitrepDrillKubeWatch *) self->watches->pdata[i])->msg,
                                          self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->watches, g_ptr_array_unref);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (sitrep_drill_kube_parent_class)->dispose (object);
}

static void
sitrep_drill_kube_finalize (GObject *object)
{
  SitrepDrillKube *self = (SitrepDrillKube *) object;

  g_clear_pointer (&self->objects, g_hash_table_unref);
  g_clear_pointer (&self->logs, g_hash_table_unref);
  g_clear_pointer (&self->previous, g_hash_table_unref);
  g_clear_pointer (&self->metrics, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_free (self->exec_message);

  G_OBJECT_CLASS (sitrep_drill_kube_parent_class)->finalize (object);
}

static void
sitrep_drill_kube_class_init (SitrepDrillKubeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_drill_kube_dispose;
  object_class->finalize = sitrep_drill_kube_finalize;

  /**
   * SitrepDrillKube::changed:
   * @namespace_: the object's namespace
   * @resource: its resource ("deployments")
   * @name: its name
   *
   * A client (kubectl) changed an object: a rollout, a restart, a rollback, a scale. Emitted
   * before the client hears the answer, so that what it reads next already shows the outcome.
   * A dry run changes nothing and is not reported.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                   G_TYPE_STRING);
}

static void
sitrep_drill_kube_init (SitrepDrillKube *self)
{
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
  self->logs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->metrics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  self->exec_message = g_strdup ("this API server runs no containers: exec is not supported");
}

void
sitrep_drill_kube_emit_changed (SitrepDrillKube *self,
                                const char      *namespace_,
                                const char      *resource,
                                const char      *name)
{
  g_signal_emit (self, signals[CHANGED], 0, namespace_, resource, name);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SitrepDrillKube *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  SitrepDrillKubeRequest *request = g_new0 (SitrepDrillKubeRequest, 1);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (g_bytes_get_size (bytes) > 0)
    request->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_ptr_array_add (self->requests, request);

  /* A drill runs for an hour at most; the record of its requests must not grow without end. */
  if (self->requests->len > 20000)
    g_ptr_array_remove_range (self->requests, 0, 10000);

  sitrep_drill_kube_handle (self, msg, path, query, request->body);
}

/**
 * sitrep_drill_kube_new:
 *
 * Starts the API server on a free port of 127.0.0.1, in the thread-default main context.
 *
 * Returns: (transfer full): the server, or %NULL with @error set when no port could be had
 */
SitrepDrillKube *
sitrep_drill_kube_new (GError **error)
{
  g_autoptr(SitrepDrillKube) self = g_object_new (SITREP_TYPE_DRILL_KUBE, NULL);
  GSList *uris;

  self->server = soup_server_new ("server-header", "sitrep-drill-apiserver", NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&self);
}

guint
sitrep_drill_kube_get_port (SitrepDrillKube *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), 0);
  return self->port;
}

char *
sitrep_drill_kube_get_url (SitrepDrillKube *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), NULL);
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

void
sitrep_drill_kube_set_exec_message (SitrepDrillKube *self,
                                    const char      *message)
{
  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  g_free (self->exec_message);
  self->exec_message = g_strdup (message);
}

static char *
key_for (const char *namespace_,
         const char *resource,
         const char *name)
{
  return g_strdup_printf ("%s/%s/%s", namespace_, resource, name);
}

void
sitrep_drill_kube_stamp (SitrepDrillKube *self,
                         JsonObject      *object)
{
  JsonObject *metadata = sitrep_drill_json_ensure_object (object, "metadata");
  g_autofree char *version = g_strdup_printf ("%u", ++self->resource_version);

  json_object_set_string_member (metadata, "resourceVersion", version);
  if (!json_object_has_member (metadata, "uid"))
    {
      g_autofree char *uid = g_uuid_string_random ();

      json_object_set_string_member (metadata, "uid", uid);
    }
  if (!json_object_has_member (metadata, "creationTimestamp"))
    {
      g_autofree char *now = sitrep_drill_timestamp_now ();

      json_object_set_string_member (metadata, "creationTimestamp", now);
    }
}

/* One JSON event per line, as the API server streams them. */
static void
notify_watches (SitrepDrillKube *self,
                const char      *key,
                const char      *name,
                const char      *type,
                JsonObject      *object)
{
  for (guint i = 0; self->watches != NULL && i < self->watches->len; i++)
    {
      SitrepDrillKubeWatch *watch = self->watches->pdata[i];
      SoupMessageBody *body = soup_server_message_get_response_body (watch->msg);
      g_autoptr(JsonObject) event = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (!g_str_has_prefix (key, watch->prefix) || strchr (key + strlen (watch->prefix), '/')
          || (watch->name != NULL && g_strcmp0 (watch->name, name) != 0))
        continue;
      event = json_object_new ();
      json_object_set_string_member (event, "type", type);
      json_object_set_object_member (event, "object", json_object_ref (object));
      node = json_node_init_object (json_node_alloc (), event);
      text = json_to_string (node, FALSE);
      soup_message_body_append (body, SOUP_MEMORY_COPY, text, strlen (text));
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\n", 1);
      soup_server_message_unpause (watch->msg);
    }
}

void
sitrep_drill_kube_add_object (SitrepDrillKube *self,
                              const char      *namespace_,
                              const char      *resource,
                              JsonObject      *object)
{
  JsonObject *metadata;
  const char *name;
  g_autofree char *key = NULL;
  gboolean existed;

  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  metadata = sitrep_drill_json_ensure_object (object, "metadata");
  name = sitrep_drill_json_string_at (metadata, "name");
  g_return_if_fail (name != NULL);

  json_object_set_string_member (metadata, "namespace", namespace_);
  sitrep_drill_kube_stamp (self, object);
  key = key_for (namespace_, resource, name);
  existed = g_hash_table_contains (self->objects, key);
  g_hash_table_replace (self->objects, g_strdup (key), json_object_ref (object));
  notify_watches (self, key, name, existed ? "MODIFIED" : "ADDED", object);
}

gboolean
sitrep_drill_kube_remove_object (SitrepDrillKube *self,
                                 const char      *namespace_,
                                 const char      *resource,
                                 const char      *name)
{
  g_autofree char *key = key_for (namespace_, resource, name);
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *pod = NULL;

  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), FALSE);
  object = g_hash_table_lookup (self->objects, key);
  if (object == NULL)
    return FALSE;
  json_object_ref (object);
  g_hash_table_remove (self->objects, key);
  if (g_str_equal (resource, "pods"))
    {
      pod = g_strdup_printf ("%s/%s", namespace_, name);
      g_hash_table_remove (self->logs, pod);
      g_hash_table_remove (self->previous, pod);
      g_hash_table_remove (self->metrics, pod);
    }
  notify_watches (self, key, name, "DELETED", object);
  return TRUE;
}

JsonObject *
sitrep_drill_kube_lookup (SitrepDrillKube *self,
                          const char      *namespace_,
                          const char      *resource,
                          const char      *name)
{
  g_autofree char *key = key_for (namespace_, resource, name);

  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), NULL);
  return g_hash_table_lookup (self->objects, key);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;

  return g_strcmp0 (sitrep_drill_json_path_string (x, "metadata.name"),
                    sitrep_drill_json_path_string (y, "metadata.name"));
}

GPtrArray *
sitrep_drill_kube_list (SitrepDrillKube *self,
                        const char      *namespace_,
                        const char      *resource,
                        const char      *selector)
{
  g_autofree char *prefix = g_strdup_printf ("%s/%s/", namespace_, resource);
  GPtrArray *items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), items);
  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix) && sitrep_drill_json_labels_match (value, selector))
      g_ptr_array_add (items, value);
  g_ptr_array_sort (items, compare_names);
  return items;
}

/* A new replica set for the deployment's current template, as the controller would make. */
void
sitrep_drill_kube_add_replica_set (SitrepDrillKube *self,
                                   const char      *namespace_,
                                   JsonObject      *deployment,
                                   int              revision)
{
  JsonObject *metadata = sitrep_drill_json_object_at (deployment, "metadata");
  const char *name = sitrep_drill_json_string_at (metadata, "name");
  JsonObject *spec = sitrep_drill_json_object_at (deployment, "spec");
  const char *cause = sitrep_drill_json_string_at (sitrep_drill_json_object_at (metadata,
                                                                                "annotations"),
                                                   "kubernetes.io/change-cause");
  g_autofree char *rs_name = g_strdup_printf ("%s-%08x", name, g_str_hash (name) + revision);
  g_autofree char *text = g_strdup_printf (
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"%s\","
    "\"labels\":{\"app\":\"%s\"},\"annotations\":{\"deployment.kubernetes.io/revision\":\"%d\"},"
    "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"%s\","
    "\"uid\":\"%s\",\"controller\":true}]},\"spec\":{\"replicas\":0,"
    "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}}},\"status\":{\"replicas\":0}}",
    rs_name, name, revision, name, sitrep_drill_json_string_at (metadata, "uid"), name);
  g_autoptr(JsonNode) node = sitrep_drill_json_parse (text);
  JsonObject *rs = json_node_get_object (node);
  JsonObject *template_ = sitrep_drill_json_object_at (spec, "template");

  if (cause != NULL)
    json_object_set_string_member (
      sitrep_drill_json_object_at (sitrep_drill_json_object_at (rs, "metadata"), "annotations"),
      "kubernetes.io/change-cause", cause);
  if (template_ != NULL)
    json_object_set_object_member (sitrep_drill_json_object_at (rs, "spec"), "template",
                                   sitrep_drill_json_copy (template_));
  sitrep_drill_kube_add_object (self, namespace_, "replicasets", rs);
}

void
sitrep_drill_kube_add_deployment (SitrepDrillKube *self,
                                  const char      *namespace_,
                                  const char      *name,
                                  int              replicas,
                                  int              ready_replicas,
                                  int              updated_replicas)
{
  g_autofree char *text = g_strdup_printf (
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\","
    "\"generation\":1,\"labels\":{\"app\":\"%s\"},"
    "\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"}},"
    "\"spec\":{\"replicas\":%d,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},"
    "\"strategy\":{\"type\":\"RollingUpdate\"},\"template\":{\"metadata\":{\"labels\":"
    "{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"%s\",\"image\":\"%s:1\"}]}}},"
    "\"status\":{\"observedGeneration\":1,\"replicas\":%d,\"readyReplicas\":%d,"
    "\"updatedReplicas\":%d,\"availableReplicas\":%d,\"conditions\":[{\"type\":\"Available\","
    "\"status\":\"%s\"}]}}",
    name, name, replicas, name, name, name, name, replicas, ready_replicas, updated_replicas,
    ready_replicas, ready_replicas > 0 ? "True" : "False");
  g_autoptr(JsonNode) node = sitrep_drill_json_parse (text);
  JsonObject *deployment = json_node_get_object (node);

  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  sitrep_drill_kube_add_object (self, namespace_, "deployments", deployment);
  sitrep_drill_kube_add_replica_set (self, namespace_, deployment, 1);
}

void
sitrep_drill_kube_add_pod (SitrepDrillKube *self,
                           const char      *namespace_,
                           const char      *name,
                           const char      *app,
                           int              restarts,
                           const char      *log)
{
  g_autofree char *now = sitrep_drill_timestamp_now ();
  g_autofree char *text = g_strdup_printf (
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\",\"labels\":"
    "{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"%s\",\"image\":\"%s:1\"}]},"
    "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"%s\",\"ready\":true,"
    "\"restartCount\":%d,\"image\":\"%s:1\",\"state\":{\"running\":"
    "{\"startedAt\":\"%s\"}}}]}}",
    name, app, app, app, app, restarts, app, now);
  g_autoptr(JsonNode) node = sitrep_drill_json_parse (text);

  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  sitrep_drill_kube_add_object (self, namespace_, "pods", json_node_get_object (node));
  sitrep_drill_kube_set_log (self, namespace_, name, log ? log : "", NULL);
}

void
sitrep_drill_kube_set_log (SitrepDrillKube *self,
                           const char      *namespace_,
                           const char      *pod,
                           const char      *log,
                           const char      *previous)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", namespace_, pod);

  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  g_hash_table_replace (self->logs, g_strdup (key), g_strdup (log ? log : ""));
  if (previous != NULL)
    g_hash_table_replace (self->previous, g_strdup (key), g_strdup (previous));
  else
    g_hash_table_remove (self->previous, key);
}

/* The most a pod's log keeps: kubelet rotates its logs too. */
#define MAX_LOG (256 * 1024)

void
sitrep_drill_kube_append_log (SitrepDrillKube *self,
                              const char      *namespace_,
                              const char      *pod,
                              const char      *lines)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", namespace_, pod);
  const char *old = g_hash_table_lookup (self->logs, key);
  g_autofree char *joined = g_strconcat (old ? old : "", lines, NULL);
  const char *kept = joined;

  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  /* Older lines go first, whole lines at a time. */
  while (strlen (kept) > MAX_LOG && strchr (kept, '\n') != NULL)
    kept = strchr (kept, '\n') + 1;
  g_hash_table_replace (self->logs, g_steal_pointer (&key), g_strdup (kept));
}

void
sitrep_drill_kube_set_pod_metrics (SitrepDrillKube *self,
                                   const char      *namespace_,
                                   const char      *pod,
                                   gint64           cpu_millicores,
                                   gint64           memory_bytes)
{
  gint64 *values = g_new (gint64, 2);

  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  values[0] = cpu_millicores;
  values[1] = memory_bytes;
  g_hash_table_replace (self->metrics, g_strdup_printf ("%s/%s", namespace_, pod), values);
}

void
sitrep_drill_kube_add_event (SitrepDrillKube *self,
                             const char      *namespace_,
                             const char      *kind,
                             const char      *name,
                             gboolean         warning,
                             const char      *reason,
                             const char      *message)
{
  const char *resource = g_str_equal (kind, "Pod") ? "pods"
                         : g_str_equal (kind, "ReplicaSet") ? "replicasets" : "deployments";
  JsonObject *involved = sitrep_drill_kube_lookup (self, namespace_, resource, name);
  const char *uid = involved ? sitrep_drill_json_path_string (involved, "metadata.uid") : "";
  /* The same reason and message about the same object is one event that counts up. */
  g_autofree char *joined = g_strjoin ("\n", kind, name, reason, message, NULL);
  g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_SHA1, joined, -1);
  g_autofree char *event_name = g_strdup_printf ("%s.%.16s", name, id);
  JsonObject *existing = sitrep_drill_kube_lookup (self, namespace_, "events", event_name);
  g_autofree char *now = sitrep_drill_timestamp_now ();
  g_autoptr(JsonObject) event = NULL;

  if (existing != NULL)
    {
      event = sitrep_drill_json_copy (existing);
      json_object_set_int_member (event, "count", json_object_get_int_member (event, "count") + 1);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (
        "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"%s\"},"
        "\"involvedObject\":{\"kind\":\"%s\",\"namespace\":\"%s\",\"name\":\"%s\",\"uid\":\"%s\","
        "\"apiVersion\":\"%s\"},\"source\":{\"component\":\"%s\"},\"count\":1,"
        "\"firstTimestamp\":\"%s\"}",
        event_name, kind, namespace_, name, uid ? uid : "",
        g_str_equal (kind, "Pod") ? "v1" : "apps/v1",
        g_str_equal (kind, "Pod") ? "kubelet" : "deployment-controller", now);
      g_autoptr(JsonNode) node = sitrep_drill_json_parse (text);

      event = json_object_ref (json_node_get_object (node));
      json_object_set_string_member (event, "reason", reason);
      json_object_set_string_member (event, "message", message);
    }
  json_object_set_string_member (event, "type", warning ? "Warning" : "Normal");
  json_object_set_string_member (event, "lastTimestamp", now);
  sitrep_drill_kube_add_object (self, namespace_, "events", event);
}

GPtrArray *
sitrep_drill_kube_get_requests (SitrepDrillKube *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), NULL);
  return self->requests;
}

void
sitrep_drill_kube_clear_requests (SitrepDrillKube *self)
{
  g_return_if_fail (SITREP_IS_DRILL_KUBE (self));
  g_ptr_array_set_size (self->requests, 0);
}

const SitrepDrillKubeRequest *
sitrep_drill_kube_find_request (SitrepDrillKube *self,
                                const char      *method,
                                const char      *path_part)
{
  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), NULL);
  for (guint i = self->requests->len; i > 0; i--)
    {
      const SitrepDrillKubeRequest *request = self->requests->pdata[i - 1];

      if (g_str_equal (request->method, method) && strstr (request->path, path_part) != NULL)
        return request;
    }
  return NULL;
}

gboolean
sitrep_drill_kube_write_kubeconfig (SitrepDrillKube *self,
                                    const char      *path,
                                    const char      *context,
                                    const char      *namespace_,
                                    gboolean         current,
                                    GError         **error)
{
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SITREP_IS_DRILL_KUBE (self), FALSE);
  url = sitrep_drill_kube_get_url (self);
  text = g_strdup_printf (
    "apiVersion: v1\n"
    "kind: Config\n"
    "clusters:\n"
    "- name: sitrep-drill\n"
    "  cluster:\n"
    "    server: %s\n"
    "- name: decoy\n"
    "  cluster:\n"
    "    server: http://127.0.0.1:1\n"
    "users:\n"
    "- name: user-%s\n"
    "  user:\n"
    "    token: token-%s\n"
    "- name: user-decoy\n"
    "  user:\n"
    "    token: token-decoy\n"
    "contexts:\n"
    "- name: %s\n"
    "  context:\n"
    "    cluster: sitrep-drill\n"
    "    user: user-%s\n"
    "    namespace: %s\n"
    "- name: decoy\n"
    "  context:\n"
    "    cluster: decoy\n"
    "    user: user-decoy\n"
    "    namespace: decoy\n"
    "current-context: %s\n",
    url, context, context, context, context, namespace_, current ? context : "decoy");

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
