/* fake-kube-server.c: a small in-memory Kubernetes API server for kubectl in tests
 *
 * It answers what kubectl 1.32 asks for: legacy discovery (/api, /apis, /api/v1, /apis/apps/v1;
 * the aggregated form is declined by answering plain JSON), GET and list of deployments,
 * replicasets and pods (as JSON, or as a Table for kubectl's human output), pods/log, and
 * PATCH/PUT of deployments and their scale subresource (merge, strategic-merge as merge, and
 * JSON patch), with ?dryRun honoured. A changed deployment rolls out at once: its status follows
 * its spec, and a new pod template makes a new revision and replica set, or, as the controller
 * does on a rollback, gives the replica set that already has that template the new revision.
 * Lists with ?watch=true stay open and get an event each time a matching object is stored, so
 * kubectl rollout status can wait for a rollout.
 */
#include "config.h"

#include <string.h>

#include "fake-kube-server.h"

struct _FakeKubeServer
{
  SoupServer *server;
  guint port;
  GHashTable *objects; /* "ns/resource/name" → JsonObject */
  GHashTable *logs;    /* "ns/pod" → char* */
  GPtrArray *requests; /* FakeKubeRequest */
  GPtrArray *watches;  /* Watch */
  guint resource_version;
};

static const char *const core_resources =
  "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"v1\",\"resources\":["
  "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
  "\"verbs\":[\"get\",\"list\",\"watch\",\"patch\",\"update\",\"delete\"],\"shortNames\":[\"po\"],"
  "\"categories\":[\"all\"]},"
  "{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Pod\","
  "\"verbs\":[\"get\"]},"
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

static const char *const api_groups =
  "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"apps\","
  "\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
  "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}";

/* An open ?watch=true list: "ns/resource/" and the name its field selector asks for, or NULL. */
typedef struct
{
  SoupServerMessage *msg;
  char *prefix;
  char *name;
} Watch;

static void
watch_free (Watch *watch)
{
  g_object_unref (watch->msg);
  g_free (watch->prefix);
  g_free (watch->name);
  g_free (watch);
}

static void
request_free (FakeKubeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->authorization);
  g_free (request->content_type);
  g_free (request->body);
  g_free (request);
}

static JsonNode *
parse (const char *text)
{
  JsonNode *node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return node;
}

static JsonObject *
object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) copy = parse (text);

  return json_object_ref (json_node_get_object (copy));
}

static JsonObject *
object_at (JsonObject *object,
           const char *name)
{
  if (object == NULL || !json_object_has_member (object, name)
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_object_member (object, name);
}

static const char *
string_at (JsonObject *object,
           const char *name)
{
  if (object == NULL || !json_object_has_member (object, name)
      || json_node_get_value_type (json_object_get_member (object, name)) != G_TYPE_STRING)
    return NULL;
  return json_object_get_string_member (object, name);
}

static char *
key_for (const char *namespace_,
         const char *resource,
         const char *name)
{
  return g_strdup_printf ("%s/%s/%s", namespace_, resource, name);
}

static void
stamp (FakeKubeServer *self,
       JsonObject     *object)
{
  JsonObject *metadata = object_at (object, "metadata");
  g_autofree char *version = g_strdup_printf ("%u", ++self->resource_version);

  json_object_set_string_member (metadata, "resourceVersion", version);
  if (!json_object_has_member (metadata, "uid"))
    {
      g_autofree char *uid = g_uuid_string_random ();

      json_object_set_string_member (metadata, "uid", uid);
    }
  if (!json_object_has_member (metadata, "creationTimestamp"))
    json_object_set_string_member (metadata, "creationTimestamp", "2024-01-01T00:00:00Z");
}

/* One JSON event per line, as the API server streams them. */
static void
notify_watches (FakeKubeServer *self,
                const char     *key,
                const char     *name,
                const char     *type,
                JsonObject     *object)
{
  for (guint i = 0; self->watches != NULL && i < self->watches->len; i++)
    {
      Watch *watch = self->watches->pdata[i];
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
      soup_message_body_append (soup_server_message_get_response_body (watch->msg), SOUP_MEMORY_COPY,
                                text, strlen (text));
      soup_message_body_append (soup_server_message_get_response_body (watch->msg),
                                SOUP_MEMORY_STATIC, "\n", 1);
      soup_server_message_unpause (watch->msg);
    }
}

void
fake_kube_server_add_object (FakeKubeServer *self,
                             const char     *namespace_,
                             const char     *resource,
                             JsonObject     *object)
{
  JsonObject *metadata = object_at (object, "metadata");

  g_autofree char *key = NULL;
  gboolean existed;

  g_assert_nonnull (string_at (metadata, "name"));
  json_object_set_string_member (metadata, "namespace", namespace_);
  stamp (self, object);
  key = key_for (namespace_, resource, string_at (metadata, "name"));
  existed = g_hash_table_contains (self->objects, key);
  g_hash_table_replace (self->objects, g_strdup (key), json_object_ref (object));
  notify_watches (self, key, string_at (metadata, "name"), existed ? "MODIFIED" : "ADDED", object);
}

JsonObject *
fake_kube_server_lookup (FakeKubeServer *self,
                         const char     *namespace_,
                         const char     *resource,
                         const char     *name)
{
  g_autofree char *key = key_for (namespace_, resource, name);

  return g_hash_table_lookup (self->objects, key);
}

static int
revision_of (JsonObject *object)
{
  const char *revision = string_at (object_at (object_at (object, "metadata"), "annotations"),
                                    "deployment.kubernetes.io/revision");

  return revision ? atoi (revision) : 0;
}

/* A new replica set for the deployment's current template, as the controller would make. */
static void
add_replica_set (FakeKubeServer *self,
                 const char     *namespace_,
                 JsonObject     *deployment,
                 int             revision)
{
  JsonObject *metadata = object_at (deployment, "metadata");
  const char *name = string_at (metadata, "name");
  JsonObject *spec = object_at (deployment, "spec");
  g_autofree char *rs_name = g_strdup_printf ("%s-%08x", name, g_str_hash (name) + revision);
  g_autofree char *text = g_strdup_printf (
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"%s\","
    "\"labels\":{\"app\":\"%s\"},\"annotations\":{\"deployment.kubernetes.io/revision\":\"%d\"},"
    "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"%s\","
    "\"uid\":\"%s\",\"controller\":true}]},\"spec\":{\"replicas\":0,"
    "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}}},\"status\":{\"replicas\":0}}",
    rs_name, name, revision, name, string_at (metadata, "uid"), name);
  g_autoptr(JsonNode) node = parse (text);
  JsonObject *rs = json_node_get_object (node);

  json_object_set_object_member (object_at (rs, "spec"), "template",
                                 object_copy (object_at (spec, "template")));
  fake_kube_server_add_object (self, namespace_, "replicasets", rs);
}

void
fake_kube_server_add_deployment (FakeKubeServer *self,
                                 const char     *namespace_,
                                 const char     *name,
                                 int             replicas,
                                 int             ready_replicas,
                                 int             updated_replicas)
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
    "\"status\":\"%s\"},{\"type\":\"Progressing\",\"status\":\"True\","
    "\"reason\":\"NewReplicaSetAvailable\"}]}}",
    name, name, replicas, name, name, name, name, replicas, ready_replicas, updated_replicas,
    ready_replicas, ready_replicas > 0 ? "True" : "False");
  g_autoptr(JsonNode) node = parse (text);

  fake_kube_server_add_object (self, namespace_, "deployments", json_node_get_object (node));
  add_replica_set (self, namespace_, json_node_get_object (node), 1);
}

void
fake_kube_server_add_pod (FakeKubeServer *self,
                          const char     *namespace_,
                          const char     *name,
                          const char     *app,
                          int             restarts,
                          const char     *log)
{
  g_autofree char *text = g_strdup_printf (
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\",\"labels\":"
    "{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"%s\",\"image\":\"%s:1\"}]},"
    "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"%s\",\"ready\":true,"
    "\"restartCount\":%d,\"image\":\"%s:1\",\"state\":{\"running\":"
    "{\"startedAt\":\"2024-01-01T00:00:00Z\"}}}]}}",
    name, app, app, app, app, restarts, app);
  g_autoptr(JsonNode) node = parse (text);

  fake_kube_server_add_object (self, namespace_, "pods", json_node_get_object (node));
  g_hash_table_replace (self->logs, g_strdup_printf ("%s/%s", namespace_, name),
                        g_strdup (log ? log : ""));
}

/* Answers. */

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
reply_object (SoupServerMessage *msg,
              guint              status,
              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);

  reply_text (msg, status, "application/json", text);
}

static void
reply_status (SoupServerMessage *msg,
              guint              code,
              const char        *reason,
              const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "Status");
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, "v1");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "Failure");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);
  reply_text (msg, code, "application/json", text);
}

static void
reply_not_found (SoupServerMessage *msg,
                 const char        *resource,
                 const char        *name)
{
  g_autofree char *what = g_str_equal (resource, "pods")
                            ? g_strdup_printf ("pods \"%s\" not found", name)
                            : g_strdup_printf ("%s.apps \"%s\" not found", resource, name);

  reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", what);
}

/* "app=x,tier=y" (also "=="): whether @object's labels match. */
static gboolean
labels_match (JsonObject *object,
              const char *selector)
{
  JsonObject *labels = object_at (object_at (object, "metadata"), "labels");
  g_auto(GStrv) terms = NULL;

  if (selector == NULL || *selector == '\0')
    return TRUE;
  terms = g_strsplit (selector, ",", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (terms[i], "=", -1);
      const char *value = kv[1] && *kv[1] == '\0' && kv[2] ? kv[2] : kv[1];

      if (value == NULL || g_strcmp0 (string_at (labels, g_strstrip (kv[0])), value) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
fields_match (JsonObject *object,
              const char *selector)
{
  g_autofree char *wanted = NULL;

  if (selector == NULL || !g_str_has_prefix (selector, "metadata.name="))
    return TRUE;
  wanted = g_strdup (selector + strlen ("metadata.name="));
  return g_strcmp0 (string_at (object_at (object, "metadata"), "name"), wanted) == 0;
}

static void
add_cell_int (JsonArray *cells,
              gint64     value)
{
  json_array_add_int_element (cells, value);
}

/* kubectl's human output asks for a Table; it prints whatever columns it gets. */
static JsonObject *
make_table (const char *resource,
            GPtrArray  *items)
{
  g_autoptr(JsonNode) node = parse ("{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\","
                                    "\"metadata\":{},\"columnDefinitions\":[],\"rows\":[]}");
  JsonObject *table = json_node_get_object (node);
  JsonArray *columns = json_object_get_array_member (table, "columnDefinitions");
  JsonArray *rows = json_object_get_array_member (table, "rows");
  const char *pod_columns[] = { "Name", "Ready", "Status", "Restarts", NULL };
  const char *deploy_columns[] = { "Name", "Ready", "Up-to-date", "Available", NULL };
  const char *other_columns[] = { "Name", NULL };
  const char **names = g_str_equal (resource, "pods") ? pod_columns
                       : g_str_equal (resource, "deployments") ? deploy_columns : other_columns;

  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonObject *column = json_object_new ();

      json_object_set_string_member (column, "name", names[i]);
      json_object_set_string_member (column, "type", i == 0 || i == 1 || i == 2 ? "string" : "integer");
      json_object_set_string_member (column, "format", i == 0 ? "name" : "");
      json_object_set_string_member (column, "description", "");
      json_object_set_int_member (column, "priority", 0);
      json_array_add_object_element (columns, column);
    }

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = items->pdata[i];
      JsonObject *status = object_at (item, "status");
      JsonObject *row = json_object_new ();
      JsonArray *cells = json_array_new ();

      json_array_add_string_element (cells, string_at (object_at (item, "metadata"), "name"));
      if (g_str_equal (resource, "pods"))
        {
          JsonArray *statuses = json_object_get_array_member (status, "containerStatuses");
          JsonObject *first = json_array_get_object_element (statuses, 0);

          json_array_add_string_element (cells, json_object_get_boolean_member (first, "ready")
                                                  ? "1/1" : "0/1");
          json_array_add_string_element (cells, string_at (status, "phase"));
          add_cell_int (cells, json_object_get_int_member (first, "restartCount"));
        }
      else if (g_str_equal (resource, "deployments"))
        {
          g_autofree char *ready = g_strdup_printf (
            "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
            json_object_get_int_member_with_default (status, "readyReplicas", 0),
            json_object_get_int_member (object_at (item, "spec"), "replicas"));

          json_array_add_string_element (cells, ready);
          add_cell_int (cells, json_object_get_int_member_with_default (status, "updatedReplicas", 0));
          add_cell_int (cells, json_object_get_int_member_with_default (status, "availableReplicas", 0));
        }
      json_object_set_array_member (row, "cells", cells);
      json_object_set_object_member (row, "object", object_copy (item));
      json_array_add_object_element (rows, row);
    }
  return json_object_ref (table);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;

  return g_strcmp0 (string_at (object_at (x, "metadata"), "name"),
                    string_at (object_at (y, "metadata"), "name"));
}

static void
watch_finished_cb (SoupServerMessage *msg,
                   FakeKubeServer    *self)
{
  for (guint i = 0; i < self->watches->len; i++)
    if (((Watch *) self->watches->pdata[i])->msg == msg)
      {
        g_ptr_array_remove_index (self->watches, i);
        return;
      }
}

/* The answer stays open: events are appended as chunks by notify_watches(). */
static void
start_watch (FakeKubeServer    *self,
             SoupServerMessage *msg,
             const char        *prefix,
             const char        *field_selector)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Watch *watch = g_new0 (Watch, 1);

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
handle_list (FakeKubeServer    *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             const char        *namespace_,
             const char        *resource,
             const char        *kind,
             const char        *api_version,
             gboolean           table)
{
  g_autofree char *prefix = g_strdup_printf ("%s/%s/", namespace_, resource);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(JsonObject) list = json_object_new ();
  JsonObject *metadata;
  JsonArray *array;
  g_autofree char *version = g_strdup_printf ("%u", self->resource_version);
  g_autofree char *list_kind = g_strdup_printf ("%sList", kind);
  GHashTableIter iter;
  gpointer key, value;

  if (query != NULL && g_strcmp0 (g_hash_table_lookup (query, "watch"), "true") == 0)
    {
      start_watch (self, msg, prefix, g_hash_table_lookup (query, "fieldSelector"));
      return;
    }

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix)
        && labels_match (value, query ? g_hash_table_lookup (query, "labelSelector") : NULL)
        && fields_match (value, query ? g_hash_table_lookup (query, "fieldSelector") : NULL))
      g_ptr_array_add (items, value);
  g_ptr_array_sort (items, compare_names);

  if (table)
    {
      g_autoptr(JsonObject) t = make_table (resource, items);

      json_object_set_string_member (object_at (t, "metadata"), "resourceVersion", version);
      reply_object (msg, SOUP_STATUS_OK, t);
      return;
    }

  /* Made here, so that the watch and table answers above do not leak them. */
  metadata = json_object_new ();
  array = json_array_new ();
  json_object_set_string_member (list, "kind", list_kind);
  json_object_set_string_member (list, "apiVersion", api_version);
  json_object_set_string_member (metadata, "resourceVersion", version);
  json_object_set_object_member (list, "metadata", metadata);
  for (guint i = 0; i < items->len; i++)
    json_array_add_object_element (array, object_copy (items->pdata[i]));
  json_object_set_array_member (list, "items", array);
  reply_object (msg, SOUP_STATUS_OK, list);
}

/* RFC 7386, applied in place. */
static void
merge_patch (JsonObject *target,
             JsonObject *patch)
{
  g_autoptr(GList) members = json_object_get_members (patch);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (patch, name);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target, name);
      else if (JSON_NODE_HOLDS_OBJECT (value) && object_at (target, name) != NULL)
        merge_patch (object_at (target, name), json_node_get_object (value));
      else
        {
          g_autofree char *text = json_to_string (value, FALSE);

          json_object_set_member (target, name, parse (text));
        }
    }
}

/* RFC 6902 add, replace and remove on object members: what kubectl rollout undo sends. */
static gboolean
json_patch (JsonObject *target,
            JsonArray  *ops)
{
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      const char *kind = string_at (op, "op");
      const char *path = string_at (op, "path");
      g_auto(GStrv) parts = NULL;
      JsonObject *at = target;
      guint n;

      if (kind == NULL || path == NULL || path[0] != '/')
        return FALSE;
      parts = g_strsplit (path + 1, "/", -1);
      n = g_strv_length (parts);
      for (guint p = 0; p + 1 < n && at != NULL; p++)
        at = object_at (at, parts[p]);
      if (at == NULL)
        return FALSE;
      if (g_str_equal (kind, "remove"))
        json_object_remove_member (at, parts[n - 1]);
      else if (g_str_equal (kind, "add") || g_str_equal (kind, "replace"))
        {
          g_autofree char *text = json_to_string (json_object_get_member (op, "value"), FALSE);

          json_object_set_member (at, parts[n - 1], parse (text));
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* Drops nulls and empty objects, which kubectl adds ("creationTimestamp": null,
 * "resources": {}) when it sends a template back. */
static void
normalize (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_OBJECT (value))
        normalize (json_node_get_object (value));
      else if (JSON_NODE_HOLDS_ARRAY (value))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
          {
            JsonNode *element = json_array_get_element (json_node_get_array (value), i);

            if (JSON_NODE_HOLDS_OBJECT (element))
              normalize (json_node_get_object (element));
          }
      if (JSON_NODE_HOLDS_NULL (value)
          || (JSON_NODE_HOLDS_OBJECT (value) && json_object_get_size (json_node_get_object (value)) == 0))
        json_object_remove_member (object, l->data);
    }
}

/* The pod template of a deployment or replica set, comparable as text. */
static char *
template_text (JsonObject *object)
{
  g_autoptr(JsonObject) copy = object_copy (object_at (object_at (object, "spec"), "template"));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  normalize (copy);
  node = json_node_init_object (json_node_alloc (), copy);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The deployment's replica set whose template is @text, as the controller finds it again. */
static JsonObject *
find_replica_set (FakeKubeServer *self,
                  const char     *namespace_,
                  JsonObject     *deployment,
                  const char     *text)
{
  const char *name = string_at (object_at (deployment, "metadata"), "name");
  g_autofree char *prefix = g_strdup_printf ("%s/replicasets/", namespace_);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonArray *owners;
      g_autofree char *candidate = NULL;

      if (!g_str_has_prefix (key, prefix))
        continue;
      owners = json_object_get_array_member (object_at (value, "metadata"), "ownerReferences");
      if (owners == NULL || json_array_get_length (owners) == 0
          || g_strcmp0 (string_at (json_array_get_object_element (owners, 0), "name"), name) != 0)
        continue;
      candidate = template_text (value);
      if (g_str_equal (candidate, text))
        return value;
    }
  return NULL;
}

/* The controller, instantly: a new template is a new revision, and the status follows the spec. */
static void
roll_out (FakeKubeServer *self,
          const char     *namespace_,
          JsonObject     *old,
          JsonObject     *deployment,
          gboolean        dry_run)
{
  JsonObject *metadata = object_at (deployment, "metadata");
  JsonObject *status = object_at (deployment, "status");
  gint64 replicas = json_object_get_int_member (object_at (deployment, "spec"), "replicas");
  gint64 generation = json_object_get_int_member_with_default (metadata, "generation", 1) + 1;
  g_autofree char *old_template = template_text (old);
  g_autofree char *new_template = template_text (deployment);

  json_object_set_int_member (metadata, "generation", generation);
  if (!g_str_equal (old_template, new_template))
    {
      int revision = revision_of (old) + 1;
      g_autofree char *text = g_strdup_printf ("%d", revision);
      JsonObject *annotations = object_at (metadata, "annotations");

      if (annotations == NULL)
        {
          annotations = json_object_new ();
          json_object_set_object_member (metadata, "annotations", annotations);
        }
      json_object_set_string_member (annotations, "deployment.kubernetes.io/revision", text);
      if (!dry_run)
        {
          JsonObject *existing = find_replica_set (self, namespace_, deployment, new_template);

          if (existing != NULL)
            {
              json_object_set_string_member (object_at (object_at (existing, "metadata"),
                                                        "annotations"),
                                             "deployment.kubernetes.io/revision", text);
              stamp (self, existing);
            }
          else
            add_replica_set (self, namespace_, deployment, revision);
        }
    }
  if (status == NULL)
    {
      status = json_object_new ();
      json_object_set_object_member (deployment, "status", status);
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
  JsonObject *metadata = object_at (deployment, "metadata");
  g_autofree char *text = g_strdup_printf (
    "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"%s\","
    "\"namespace\":\"%s\",\"resourceVersion\":\"%s\"},\"spec\":{\"replicas\":%" G_GINT64_FORMAT "},"
    "\"status\":{\"replicas\":%" G_GINT64_FORMAT ",\"selector\":\"app=%s\"}}",
    string_at (metadata, "name"), string_at (metadata, "namespace"),
    string_at (metadata, "resourceVersion"),
    json_object_get_int_member (object_at (deployment, "spec"), "replicas"),
    json_object_get_int_member_with_default (object_at (deployment, "status"), "replicas", 0),
    string_at (metadata, "name"));
  g_autoptr(JsonNode) node = parse (text);

  return json_object_ref (json_node_get_object (node));
}

/* PATCH or PUT of a deployment or its scale. */
static void
handle_change (FakeKubeServer    *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               const char        *namespace_,
               const char        *name,
               const char        *sub,
               const char        *body)
{
  JsonObject *current = fake_kube_server_lookup (self, namespace_, "deployments", name);
  const char *method = soup_server_message_get_method (msg);
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  gboolean scale = g_strcmp0 (sub, "scale") == 0;
  gboolean dry_run = query != NULL && g_hash_table_contains (query, "dryRun");
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) target = NULL;

  if (current == NULL)
    {
      reply_not_found (msg, "deployments", name);
      return;
    }
  patch = json_from_string (body ? body : "", NULL);
  if (patch == NULL)
    {
      reply_status (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest", "the body is not JSON");
      return;
    }

  updated = object_copy (current);
  target = scale ? scale_of (updated) : json_object_ref (updated);
  if (g_str_equal (method, "PUT") && JSON_NODE_HOLDS_OBJECT (patch))
    {
      g_clear_pointer (&target, json_object_unref);
      target = object_copy (json_node_get_object (patch));
    }
  else if (g_strcmp0 (type, "application/json-patch+json") == 0 && JSON_NODE_HOLDS_ARRAY (patch))
    {
      if (!json_patch (target, json_node_get_array (patch)))
        {
          reply_status (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Invalid", "unsupported JSON patch");
          return;
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (patch))
    merge_patch (target, json_node_get_object (patch));
  else
    {
      reply_status (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType",
                    "unsupported patch");
      return;
    }

  if (scale)
    json_object_set_int_member (object_at (updated, "spec"), "replicas",
                                json_object_get_int_member (object_at (target, "spec"), "replicas"));
  else if (target != updated)
    {
      g_clear_pointer (&updated, json_object_unref);
      updated = json_object_ref (target);
    }

  roll_out (self, namespace_, current, updated, dry_run);
  if (!dry_run)
    {
      fake_kube_server_add_object (self, namespace_, "deployments", updated);
      current = updated;
    }

  if (scale)
    {
      g_autoptr(JsonObject) answer = scale_of (updated);

      reply_object (msg, SOUP_STATUS_OK, answer);
    }
  else
    reply_object (msg, SOUP_STATUS_OK, updated);
}

/* kubectl asks whether the namespace exists after a NotFound: it does if it holds anything. */
static void
handle_namespace (FakeKubeServer    *self,
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
        reply_text (msg, SOUP_STATUS_OK, "application/json", text);
        return;
      }
  text = g_strdup_printf ("namespaces \"%s\" not found", namespace_);
  reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", text);
}

static void
handle_namespaced (FakeKubeServer    *self,
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
  kind = g_str_equal (resource, "pods") ? "Pod"
         : g_str_equal (resource, "deployments") ? "Deployment"
         : g_str_equal (resource, "replicasets") ? "ReplicaSet" : NULL;
  if (kind == NULL)
    {
      reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "the server could not find the resource");
      return;
    }

  if (name == NULL)
    {
      if (g_str_equal (method, "GET"))
        handle_list (self, msg, query, namespace_, resource, kind, api_version, table);
      else
        reply_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", "not supported");
      return;
    }

  if (g_str_equal (resource, "deployments")
      && (g_str_equal (method, "PATCH") || g_str_equal (method, "PUT"))
      && (sub == NULL || g_str_equal (sub, "scale")))
    {
      handle_change (self, msg, query, namespace_, name, sub, body);
      return;
    }
  if (!g_str_equal (method, "GET"))
    {
      reply_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", "not supported");
      return;
    }

  object = fake_kube_server_lookup (self, namespace_, resource, name);
  if (object == NULL)
    {
      reply_not_found (msg, resource, name);
      return;
    }
  if (sub == NULL)
    {
      if (table)
        {
          g_autoptr(GPtrArray) items = g_ptr_array_new ();
          g_autoptr(JsonObject) t = NULL;

          g_ptr_array_add (items, object);
          t = make_table (resource, items);
          reply_object (msg, SOUP_STATUS_OK, t);
        }
      else
        reply_object (msg, SOUP_STATUS_OK, object);
    }
  else if (g_str_equal (sub, "log") && g_str_equal (resource, "pods"))
    {
      g_autofree char *key = g_strdup_printf ("%s/%s", namespace_, name);

      reply_text (msg, SOUP_STATUS_OK, "text/plain", g_hash_table_lookup (self->logs, key));
    }
  else if (g_str_equal (sub, "scale") && g_str_equal (resource, "deployments"))
    {
      g_autoptr(JsonObject) scale = scale_of (object);

      reply_object (msg, SOUP_STATUS_OK, scale);
    }
  else if (g_str_equal (sub, "status"))
    reply_object (msg, SOUP_STATUS_OK, object);
  else
    reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "the server could not find the resource");
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FakeKubeServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  FakeKubeRequest *request = g_new0 (FakeKubeRequest, 1);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (g_bytes_get_size (bytes) > 0)
    request->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_ptr_array_add (self->requests, request);

  if (g_str_equal (path, "/api"))
    {
      g_autofree char *text = g_strdup_printf (
        "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
        "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:%u\"}]}", self->port);

      reply_text (msg, SOUP_STATUS_OK, "application/json", text);
    }
  else if (g_str_equal (path, "/apis"))
    reply_text (msg, SOUP_STATUS_OK, "application/json", api_groups);
  else if (g_str_equal (path, "/api/v1"))
    reply_text (msg, SOUP_STATUS_OK, "application/json", core_resources);
  else if (g_str_equal (path, "/apis/apps/v1"))
    reply_text (msg, SOUP_STATUS_OK, "application/json", apps_resources);
  else if (g_str_equal (path, "/version"))
    reply_text (msg, SOUP_STATUS_OK, "application/json",
                "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-fake\","
                "\"platform\":\"linux/amd64\"}");
  else if (n >= 5 && g_str_equal (parts[1], "api") && g_str_equal (parts[2], "v1")
           && g_str_equal (parts[3], "namespaces"))
    handle_namespaced (self, msg, query, parts + 4, "v1", request->body);
  else if (n >= 6 && g_str_equal (parts[1], "apis") && g_str_equal (parts[2], "apps")
           && g_str_equal (parts[3], "v1") && g_str_equal (parts[4], "namespaces"))
    handle_namespaced (self, msg, query, parts + 5, "apps/v1", request->body);
  else
    reply_status (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "the server could not find the requested resource");
}

FakeKubeServer *
fake_kube_server_new (GError **error)
{
  g_autoptr(FakeKubeServer) self = g_new0 (FakeKubeServer, 1);
  GSList *uris;

  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
  self->logs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  self->server = soup_server_new ("server-header", "fake-kube-apiserver", NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&self);
}

void
fake_kube_server_free (FakeKubeServer *self)
{
  for (guint i = 0; self->watches != NULL && i < self->watches->len; i++)
    g_signal_handlers_disconnect_by_data (((Watch *) self->watches->pdata[i])->msg, self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->watches, g_ptr_array_unref);
  g_clear_object (&self->server);
  g_clear_pointer (&self->objects, g_hash_table_unref);
  g_clear_pointer (&self->logs, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_free (self);
}

guint
fake_kube_server_get_port (FakeKubeServer *self)
{
  return self->port;
}

char *
fake_kube_server_get_url (FakeKubeServer *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

GPtrArray *
fake_kube_server_get_requests (FakeKubeServer *self)
{
  return self->requests;
}

void
fake_kube_server_clear_requests (FakeKubeServer *self)
{
  g_ptr_array_set_size (self->requests, 0);
}

const FakeKubeRequest *
fake_kube_server_find_request (FakeKubeServer *self,
                               const char     *method,
                               const char     *path_part)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      const FakeKubeRequest *request = self->requests->pdata[i - 1];

      if (g_str_equal (request->method, method) && strstr (request->path, path_part) != NULL)
        return request;
    }
  return NULL;
}

gboolean
fake_kube_server_write_kubeconfig (FakeKubeServer *self,
                                   const char     *path,
                                   const char     *context,
                                   const char     *namespace_,
                                   GError        **error)
{
  g_autofree char *url = fake_kube_server_get_url (self);
  g_autofree char *text = g_strdup_printf (
    "apiVersion: v1\n"
    "kind: Config\n"
    "clusters:\n"
    "- name: fake\n"
    "  cluster:\n"
    "    server: %s\n"
    "    insecure-skip-tls-verify: true\n"
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
    "    cluster: fake\n"
    "    user: user-%s\n"
    "    namespace: %s\n"
    "- name: decoy\n"
    "  context:\n"
    "    cluster: decoy\n"
    "    user: user-decoy\n"
    "    namespace: decoy\n"
    "current-context: decoy\n",
    url, context, context, context, context, namespace_);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
