/* sitrep-drill-runbook.c: the CareCircle runbook aimed at the drill's simulation
 *
 * The same severities, checklist, escalation, actions and templates as the built-in runbook, so
 * that the team practises on the runbook it will use; only what points at production changes:
 * the environment is the drill's (its kube context in the drill's kubeconfig, marked "drill"),
 * health URLs, Redis and PostgreSQL point at the servers on loopback (no keyring secrets: the
 * drill's servers have none), and a server that is not installed is "absent from the drill".
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-drill-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"

/* The drill's Redis holds 64 MB: production's 1 GB memory warning, scaled alike (75 %). */
#define DRILL_MEMORY_WARNING "50331648"
#define PRODUCTION_MEMORY_WARNING "1073741824"

static JsonArray *
array_at (JsonObject *object,
          const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
string_at (JsonObject *object,
           const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}

static gboolean
argv_has (JsonObject *object,
          const char *key,
          const char *word)
{
  JsonArray *argv = array_at (object, key);

  for (guint i = 0; argv != NULL && i < json_array_get_length (argv); i++)
    if (g_strcmp0 (json_array_get_string_element (argv, i), word) == 0)
      return TRUE;
  return FALSE;
}

/* http://api-internal/health/details → http://127.0.0.1:PORT/api/health/details */
static void
aim_http (JsonObject               *probe,
          const SitrepDrillTargets *targets)
{
  const char *url = string_at (probe, "url");
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *aimed = NULL;

  if (uri == NULL)
    return;
  aimed = g_strdup_printf ("http://127.0.0.1:%u/api%s", targets->health_port, g_uri_get_path (uri));
  json_object_set_string_member (probe, "url", aimed);
}

static char *
replace_all (const char *text,
             const char *old,
             const char *new_)
{
  g_auto(GStrv) parts = g_strsplit (text, old, -1);

  return g_strjoinv (new_, parts);
}

static void
aim_redis (JsonObject               *probe,
           const SitrepDrillTargets *targets)
{
  JsonArray *conditions = array_at (probe, "conditions");

  json_object_set_string_member (probe, "host", "127.0.0.1");
  json_object_set_int_member (probe, "port", targets->redis_port);
  if (json_object_has_member (probe, "secret"))
    json_object_remove_member (probe, "secret");
  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonObject *condition = json_array_get_object_element (conditions, i);
      const char *check = string_at (condition, "check");
      g_autofree char *scaled = NULL;

      if (check == NULL || strstr (check, PRODUCTION_MEMORY_WARNING) == NULL)
        continue;
      scaled = replace_all (check, PRODUCTION_MEMORY_WARNING, DRILL_MEMORY_WARNING);
      json_object_set_string_member (condition, "check", scaled);
      json_object_set_string_member (condition, "description",
                                     "The drill's Redis holds 64 MB: production's 1 GB warning "
                                     "is scaled to 48 MB.");
    }
}

/* The runbook asks the workers with kubectl exec; the drill's pods run nothing, so it asks
 * their health endpoint, which says the same. */
static void
aim_workers (JsonObject               *probe,
             const SitrepDrillTargets *targets)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/workers/health",
                                          targets->health_port);
  JsonArray *conditions = json_array_new ();
  JsonObject *condition = json_object_new ();

  json_object_remove_member (probe, "argv");
  json_object_set_string_member (probe, "type", "http");
  json_object_set_string_member (probe, "description",
                                 "In production: kubectl exec … curl localhost:3002/health. The "
                                 "drill's pods run no programs: the drill asks the same health "
                                 "check over HTTP.");
  json_object_set_string_member (probe, "url", url);
  json_object_set_string_member (condition, "check", "[STATUS] == 200");
  json_object_set_string_member (condition, "severity", "critical");
  json_array_add_object_element (conditions, condition);
  json_object_set_array_member (probe, "conditions", conditions);
}

/* A server the drill could not start: its service says so instead of failing. */
static void
make_absent (JsonObject *service,
             const char *why)
{
  if (json_object_has_member (service, "probes"))
    json_object_remove_member (service, "probes");
  if (json_object_has_member (service, "actions"))
    json_object_remove_member (service, "actions");
  json_object_set_string_member (service, "absent_from_drill", why);
}

static void
aim_services (JsonObject               *root,
              const SitrepDrillTargets *targets)
{
  JsonArray *services = array_at (root, "services");

  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);
      JsonArray *probes = array_at (service, "probes");
      const char *absent = NULL;

      for (guint k = 0; probes != NULL && k < json_array_get_length (probes); k++)
        {
          JsonObject *probe = json_array_get_object_element (probes, k);
          const char *type = string_at (probe, "type");

          if (g_strcmp0 (type, "http") == 0)
            aim_http (probe, targets);
          else if (g_strcmp0 (type, "redis") == 0)
            {
              if (targets->redis_port == 0)
                absent = targets->redis_absent;
              aim_redis (probe, targets);
            }
          else if (g_strcmp0 (type, "postgres") == 0)
            {
              g_autofree char *conninfo = g_strdup_printf (
                "host=127.0.0.1 port=%u user=carecircle dbname=carecircle connect_timeout=5",
                targets->pg_port);

              if (targets->pg_port == 0)
                absent = targets->pg_absent;
              if (json_object_has_member (probe, "secret"))
                json_object_remove_member (probe, "secret");
              json_object_set_string_member (probe, "conninfo", conninfo);
            }
          else if (g_strcmp0 (type, "command") == 0 && argv_has (probe, "argv", "exec"))
            aim_workers (probe, targets);
        }
      if (absent != NULL)
        make_absent (service, absent);
    }
}

/* redis-cli -h your-redis-host … → redis-cli -h 127.0.0.1 -p PORT … ; without the drill's
 * Redis, the redis-cli actions go, and so does every reference to them. */
static void
aim_actions (JsonObject               *root,
             const SitrepDrillTargets *targets)
{
  JsonArray *actions = array_at (root, "actions");
  JsonArray *services = array_at (root, "services");
  g_autoptr(GHashTable) removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonObject *action = json_array_get_object_element (actions, i);
      JsonArray *argv = array_at (action, "argv");
      JsonArray *aimed;

      if (argv == NULL || json_array_get_length (argv) == 0
          || g_strcmp0 (json_array_get_string_element (argv, 0), "redis-cli") != 0)
        continue;
      if (targets->redis_port == 0)
        {
          g_hash_table_add (removed, g_strdup (string_at (action, "id")));
          json_array_remove_element (actions, i--);
          continue;
        }
      aimed = json_array_new ();
      for (guint k = 0; k < json_array_get_length (argv); k++)
        {
          const char *arg = json_array_get_string_element (argv, k);

          if (g_strcmp0 (arg, "-h") == 0 && k + 1 < json_array_get_length (argv))
            {
              g_autofree char *port = g_strdup_printf ("%u", targets->redis_port);

              json_array_add_string_element (aimed, "-h");
              json_array_add_string_element (aimed, "127.0.0.1");
              json_array_add_string_element (aimed, "-p");
              json_array_add_string_element (aimed, port);
              k++;
            }
          else
            json_array_add_string_element (aimed, arg);
        }
      json_object_set_array_member (action, "argv", aimed);
    }

  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      JsonArray *list = array_at (json_array_get_object_element (services, i), "actions");

      for (guint k = 0; list != NULL && k < json_array_get_length (list); k++)
        if (g_hash_table_contains (removed, json_array_get_string_element (list, k)))
          json_array_remove_element (list, k--);
    }
}

/* A stakeholder message from a drill must never read as a real incident, wherever it is
 * pasted: each says so on its first line. */
static void
mark_messages (JsonObject *root)
{
  JsonArray *templates = array_at (root, "templates");
  /* Translators: the first line of every stakeholder message written during a drill */
  const char *marker = _("[DRILL] This is a practice exercise, not a real incident.");

  for (guint i = 0; templates != NULL && i < json_array_get_length (templates); i++)
    {
      JsonObject *template = json_array_get_object_element (templates, i);
      const char *body = string_at (template, "body");
      g_autofree char *marked = NULL;

      if (body == NULL || g_strcmp0 (string_at (template, "kind"), "postmortem") == 0)
        continue;
      marked = g_strdup_printf ("%s\n%s", marker, body);
      json_object_set_string_member (template, "body", marked);
    }
}

/**
 * sitrep_drill_runbook_make:
 *
 * The built-in CareCircle runbook aimed at the drill's simulation. It is checked as any runbook
 * is: the drill never hands out a runbook that `sitrep check` would refuse.
 */
GBytes *
sitrep_drill_runbook_make (const SitrepDrillTargets *targets,
                           GError                  **error)
{
  g_autoptr(GBytes) builtin = g_resources_lookup_data (SITREP_RUNBOOK_DEFAULT_RESOURCE,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepRunbook) check = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *description = NULL;
  JsonObject *root;
  JsonObject *environment;
  char *text;
  gsize length;

  if (builtin == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (builtin, NULL),
                                      g_bytes_get_size (builtin), error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));

  json_object_set_string_member (root, "name", "CareCircle (drill)");
  description = g_strdup_printf ("A drill: %s. A simulated CareCircle on this machine; nothing "
                                 "in it reaches production.", targets->scenario_title);
  json_object_set_string_member (root, "description", description);
  environment = json_object_get_object_member (root, "environment");
  json_object_set_string_member (environment, "context", SITREP_DRILL_CONTEXT);
  json_object_set_string_member (environment, "namespace", SITREP_DRILL_NAMESPACE);
  json_object_set_boolean_member (environment, "drill", TRUE);
  json_object_set_string_member (environment, "kubeconfig", targets->kubeconfig);
  if (targets->started_at > 0)
    {
      g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (targets->started_at
                                                                    / G_USEC_PER_SEC);
      g_autoptr(GDateTime) exact = g_date_time_add (started, targets->started_at % G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format_iso8601 (exact);

      json_object_set_string_member (environment, "drill_started_at", text);
    }
  if (json_object_has_member (environment, "kubectl"))
    json_object_remove_member (environment, "kubectl");
  aim_services (root, targets);
  aim_actions (root, targets);
  mark_messages (root);

  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);

  check = sitrep_runbook_load_bytes (bytes, "drill runbook", &problems, error);
  if (check == NULL)
    {
      g_autofree char *first = problems && problems->len
                                 ? sitrep_runbook_problem_to_string (problems->pdata[0]) : NULL;

      g_clear_error (error);
      g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID,
                   _("the drill's runbook is not valid (%s): this is a bug in Sitrep"),
                   first ? first : "?");
      return NULL;
    }
  return g_steal_pointer (&bytes);
}
