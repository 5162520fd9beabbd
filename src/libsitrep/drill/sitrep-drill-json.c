/* sitrep-drill-json.c: reading, patching and tabulating the simulated cluster's JSON objects */
#include "config.h"

#include <string.h>

#include "sitrep-drill-kube-private.h"

JsonNode *
sitrep_drill_json_parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  /* Only the server's own templates come here: a failure is a bug in them. */
  if (node == NULL)
    g_error ("drill: invalid built-in JSON: %s", error ? error->message : "empty");
  return node;
}

JsonObject *
sitrep_drill_json_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) copy = sitrep_drill_json_parse (text);

  return json_object_ref (json_node_get_object (copy));
}

JsonObject *
sitrep_drill_json_object_at (JsonObject *object,
                             const char *name)
{
  if (object == NULL || !json_object_has_member (object, name)
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_object_member (object, name);
}

const char *
sitrep_drill_json_string_at (JsonObject *object,
                             const char *name)
{
  if (object == NULL || !json_object_has_member (object, name)
      || json_node_get_value_type (json_object_get_member (object, name)) != G_TYPE_STRING)
    return NULL;
  return json_object_get_string_member (object, name);
}

/* "involvedObject.name": a string member at the end of a path of objects, or NULL. */
const char *
sitrep_drill_json_path_string (JsonObject *object,
                               const char *dotted)
{
  g_auto(GStrv) parts = g_strsplit (dotted, ".", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n && object != NULL; i++)
    object = sitrep_drill_json_object_at (object, parts[i]);
  return n > 0 ? sitrep_drill_json_string_at (object, parts[n - 1]) : NULL;
}

JsonObject *
sitrep_drill_json_ensure_object (JsonObject *object,
                                 const char *name)
{
  JsonObject *member = sitrep_drill_json_object_at (object, name);

  if (member == NULL)
    {
      member = json_object_new ();
      json_object_set_object_member (object, name, member);
    }
  return member;
}

/* RFC 7386, applied in place. */
void
sitrep_drill_json_merge_patch (JsonObject *target,
                               JsonObject *patch)
{
  g_autoptr(GList) members = json_object_get_members (patch);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (patch, name);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target, name);
      else if (JSON_NODE_HOLDS_OBJECT (value) && sitrep_drill_json_object_at (target, name) != NULL)
        sitrep_drill_json_merge_patch (sitrep_drill_json_object_at (target, name),
                                       json_node_get_object (value));
      else
        json_object_set_member (target, name, json_node_copy (value));
    }
}

/* RFC 6902 add, replace and remove on object members: what kubectl rollout undo sends. */
gboolean
sitrep_drill_json_patch (JsonObject *target,
                         JsonArray  *ops)
{
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonNode *element = json_array_get_element (ops, i);
      JsonObject *op = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *kind = sitrep_drill_json_string_at (op, "op");
      const char *path = sitrep_drill_json_string_at (op, "path");
      g_auto(GStrv) parts = NULL;
      JsonObject *at = target;
      guint n;

      if (kind == NULL || path == NULL || path[0] != '/')
        return FALSE;
      parts = g_strsplit (path + 1, "/", -1);
      n = g_strv_length (parts);
      for (guint p = 0; p + 1 < n && at != NULL; p++)
        at = sitrep_drill_json_object_at (at, parts[p]);
      if (at == NULL || n == 0)
        return FALSE;
      if (g_str_equal (kind, "remove"))
        json_object_remove_member (at, parts[n - 1]);
      else if ((g_str_equal (kind, "add") || g_str_equal (kind, "replace"))
               && json_object_has_member (op, "value"))
        json_object_set_member (at, parts[n - 1],
                                json_node_copy (json_object_get_member (op, "value")));
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
char *
sitrep_drill_json_template_text (JsonObject *object)
{
  JsonObject *template_ = sitrep_drill_json_object_at (sitrep_drill_json_object_at (object, "spec"),
                                                       "template");
  g_autoptr(JsonObject) copy = template_ ? sitrep_drill_json_copy (template_) : json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  normalize (copy);
  node = json_node_init_object (json_node_alloc (), copy);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* "app=x,tier=y" (also "=="): whether @object's labels match. */
gboolean
sitrep_drill_json_labels_match (JsonObject *object,
                                const char *selector)
{
  JsonObject *labels = sitrep_drill_json_object_at (sitrep_drill_json_object_at (object, "metadata"),
                                                    "labels");
  g_auto(GStrv) terms = NULL;

  if (selector == NULL || *selector == '\0')
    return TRUE;
  terms = g_strsplit (selector, ",", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (terms[i], "=", -1);
      const char *value = kv[1] && *kv[1] == '\0' && kv[2] ? kv[2] : kv[1];

      if (value == NULL
          || g_strcmp0 (sitrep_drill_json_string_at (labels, g_strstrip (kv[0])), value) != 0)
        return FALSE;
    }
  return TRUE;
}

/* "metadata.name=x,involvedObject.kind=Deployment": every term holds (also "==" and "!="). */
gboolean
sitrep_drill_json_fields_match (JsonObject *object,
                                const char *selector)
{
  g_auto(GStrv) terms = NULL;

  if (selector == NULL || *selector == '\0')
    return TRUE;
  terms = g_strsplit (selector, ",", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *term = terms[i];
      const char *not_equal = strstr (term, "!=");
      const char *equal = not_equal ? not_equal : strchr (term, '=');
      g_autofree char *path = NULL;
      const char *value;
      const char *actual;

      if (equal == NULL)
        return FALSE;
      path = g_strndup (term, equal - term);
      value = equal + (not_equal ? 2 : 1);
      if (*value == '=')
        value++;
      actual = sitrep_drill_json_path_string (object, g_strstrip (path));
      if ((g_strcmp0 (actual ? actual : "", value) == 0) == (not_equal != NULL))
        return FALSE;
    }
  return TRUE;
}

int
sitrep_drill_json_revision (JsonObject *object)
{
  JsonObject *metadata = sitrep_drill_json_object_at (object, "metadata");
  const char *revision = sitrep_drill_json_string_at (
    sitrep_drill_json_object_at (metadata, "annotations"), "deployment.kubernetes.io/revision");

  return revision ? atoi (revision) : 0;
}

char *
sitrep_drill_timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* kubectl's way of saying how long ago: "45s", "3m12s", "25m", "5h", "3d". */
char *
sitrep_drill_format_age (const char *timestamp)
{
  g_autoptr(GDateTime) then = timestamp ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 seconds;

  if (then == NULL)
    return g_strdup ("<unknown>");
  seconds = MAX (0, g_date_time_difference (now, then) / G_USEC_PER_SEC);
  if (seconds < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
  if (seconds < 600)
    return seconds % 60 ? g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s",
                                           seconds / 60, seconds % 60)
                        : g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
  if (seconds < 3 * 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
  if (seconds < 48 * 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", seconds / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT "d", seconds / 86400);
}

static void
add_columns (JsonArray         *columns,
             const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonObject *column = json_object_new ();

      json_object_set_string_member (column, "name", names[i]);
      json_object_set_string_member (column, "type", "string");
      json_object_set_string_member (column, "format", i == 0 ? "name" : "");
      json_object_set_string_member (column, "description", "");
      json_object_set_int_member (column, "priority", 0);
      json_array_add_object_element (columns, column);
    }
}

static void
add_cell (JsonArray  *cells,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_cell (JsonArray  *cells,
          const char *format,
          ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  json_array_add_string_element (cells, text);
}

static gint64
int_at (JsonObject *object,
        const char *name)
{
  if (object == NULL || !json_object_has_member (object, name)
      || json_node_get_value_type (json_object_get_member (object, name)) != G_TYPE_INT64)
    return 0;
  return json_object_get_int_member (object, name);
}

/* READY, STATUS and RESTARTS of a pod, as kubectl prints them. */
static void
pod_cells (JsonObject *pod,
           JsonArray  *cells)
{
  JsonObject *status = sitrep_drill_json_object_at (pod, "status");
  JsonArray *statuses = status && json_object_has_member (status, "containerStatuses")
                          ? json_object_get_array_member (status, "containerStatuses") : NULL;
  guint n = statuses ? json_array_get_length (statuses) : 0;
  const char *reason = sitrep_drill_json_string_at (status, "phase");
  gint64 restarts = 0;
  guint ready = 0;
  const char *last_finished = NULL;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *container = json_array_get_object_element (statuses, i);
      JsonObject *state = sitrep_drill_json_object_at (container, "state");
      const char *waiting = sitrep_drill_json_path_string (state, "waiting.reason");
      const char *terminated = sitrep_drill_json_path_string (state, "terminated.reason");

      restarts += int_at (container, "restartCount");
      if (json_object_has_member (container, "ready")
          && json_object_get_boolean_member (container, "ready"))
        ready++;
      if (waiting != NULL)
        reason = waiting;
      else if (terminated != NULL)
        reason = terminated;
      last_finished = sitrep_drill_json_path_string (
        sitrep_drill_json_object_at (container, "lastState"), "terminated.finishedAt");
    }
  if (sitrep_drill_json_path_string (pod, "metadata.deletionTimestamp") != NULL)
    reason = "Terminating";

  add_cell (cells, "%u/%u", ready, n);
  add_cell (cells, "%s", reason ? reason : "Unknown");
  if (restarts > 0 && last_finished != NULL)
    {
      g_autofree char *ago = sitrep_drill_format_age (last_finished);

      add_cell (cells, "%" G_GINT64_FORMAT " (%s ago)", restarts, ago);
    }
  else
    add_cell (cells, "%" G_GINT64_FORMAT, restarts);
}

/* kubectl's human output asks for a Table; it prints whatever columns it gets. */
JsonObject *
sitrep_drill_kube_make_table (const char *resource,
                              GPtrArray  *items)
{
  g_autoptr(JsonNode) node = sitrep_drill_json_parse (
    "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{},"
    "\"columnDefinitions\":[],\"rows\":[]}");
  JsonObject *table = json_node_get_object (node);
  JsonArray *rows = json_object_get_array_member (table, "rows");
  static const char *const pod_columns[] = { "Name", "Ready", "Status", "Restarts", "Age", NULL };
  static const char *const deploy_columns[] = { "Name", "Ready", "Up-to-date", "Available", "Age",
                                                NULL };
  static const char *const rs_columns[] = { "Name", "Desired", "Current", "Ready", "Age", NULL };
  static const char *const event_columns[] = { "Last Seen", "Type", "Reason", "Object", "Message",
                                               NULL };
  static const char *const other_columns[] = { "Name", "Age", NULL };
  gboolean pods = g_str_equal (resource, "pods");
  gboolean deployments = g_str_equal (resource, "deployments");
  gboolean replicasets = g_str_equal (resource, "replicasets");
  gboolean events = g_str_equal (resource, "events");

  add_columns (json_object_get_array_member (table, "columnDefinitions"),
               pods ? pod_columns : deployments ? deploy_columns : replicasets ? rs_columns
               : events ? event_columns : other_columns);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = items->pdata[i];
      JsonObject *metadata = sitrep_drill_json_object_at (item, "metadata");
      JsonObject *spec = sitrep_drill_json_object_at (item, "spec");
      JsonObject *status = sitrep_drill_json_object_at (item, "status");
      g_autofree char *age = sitrep_drill_format_age (
        sitrep_drill_json_string_at (metadata, "creationTimestamp"));
      JsonObject *row = json_object_new ();
      JsonArray *cells = json_array_new ();

      if (events)
        {
          const char *kind = sitrep_drill_json_path_string (item, "involvedObject.kind");
          g_autofree char *seen = sitrep_drill_format_age (
            sitrep_drill_json_string_at (item, "lastTimestamp"));
          g_autofree char *lower = g_ascii_strdown (kind ? kind : "", -1);

          add_cell (cells, "%s", seen);
          add_cell (cells, "%s", sitrep_drill_json_string_at (item, "type"));
          add_cell (cells, "%s", sitrep_drill_json_string_at (item, "reason"));
          add_cell (cells, "%s/%s", lower,
                    sitrep_drill_json_path_string (item, "involvedObject.name"));
          add_cell (cells, "%s", sitrep_drill_json_string_at (item, "message"));
        }
      else
        {
          add_cell (cells, "%s", sitrep_drill_json_string_at (metadata, "name"));
          if (pods)
            pod_cells (item, cells);
          else if (deployments)
            {
              add_cell (cells, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                        int_at (status, "readyReplicas"), int_at (spec, "replicas"));
              add_cell (cells, "%" G_GINT64_FORMAT, int_at (status, "updatedReplicas"));
              add_cell (cells, "%" G_GINT64_FORMAT, int_at (status, "availableReplicas"));
            }
          else if (replicasets)
            {
              add_cell (cells, "%" G_GINT64_FORMAT, int_at (spec, "replicas"));
              add_cell (cells, "%" G_GINT64_FORMAT, int_at (status, "replicas"));
              add_cell (cells, "%" G_GINT64_FORMAT, int_at (status, "readyReplicas"));
            }
          add_cell (cells, "%s", age);
        }
      json_object_set_array_member (row, "cells", cells);
      json_object_set_object_member (row, "object", sitrep_drill_json_copy (item));
      json_array_add_object_element (rows, row);
    }
  return json_object_ref (table);
}
