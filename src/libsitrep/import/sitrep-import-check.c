/* sitrep-import-check.c: each part the importer drafts, put to the loader itself before it is used
 *
 * The loader is the judge of a runbook. Rather than restating its rules, and drifting from them
 * as they change, the importer hands each part it drafts (an action, a probe, a template, a
 * service's target, the channel) to the loader inside a runbook that holds nothing else, and
 * keeps the part only if the loader takes it; what the loader refuses is reported as not mapped,
 * with the loader's own words and where in the document it was.
 *
 * A load per part is slow on a big document: these checks run only when the draft as a whole
 * did not pass (draft->check_parts); otherwise each says yes at once.
 */
#include "config.h"

#include <string.h>

#include "sitrep-import-private.h"
#include "sitrep-runbook-private.h"

/* The environment the draft will have: the document's context and namespace, or the ones the
 * importer assumes. Commands are checked against it before it is final. */
void
import_environment (ImportDraft *draft,
                    char       **context,
                    char       **namespace_)
{
  g_autofree char *ns = NULL;

  if (draft->namespace_ != NULL)
    ns = g_strdup (draft->namespace_);
  else
    {
      ns = import_slug (draft->name, 2);
      if (ns[0] == '\0')
        g_free (ns), ns = g_strdup ("default");
    }
  if (context != NULL)
    *context = draft->context != NULL ? g_strdup (draft->context)
                                      : g_strdup_printf ("%s-production", ns);
  if (namespace_ != NULL)
    *namespace_ = g_steal_pointer (&ns);
}

/* Whether the loader reads back the duration the importer writes for @seconds. */
gboolean
import_duration_ok (gint64 seconds)
{
  g_autofree char *text = NULL;
  gint64 msec = 0;

  if (seconds < 0 || seconds > G_MAXINT64 / 1000)
    return FALSE;
  text = import_format_duration (seconds);
  return sitrep_parse_duration (text, &msec) && msec == seconds * 1000;
}

/* A runbook with only what the loader requires, in the draft's environment. */
static JsonObject *
skeleton (ImportDraft *draft)
{
  JsonObject *root = json_object_new ();
  JsonObject *severity = json_object_new ();
  JsonObject *environment = json_object_new ();
  JsonArray *severities = json_array_new ();
  g_autofree char *context = NULL;
  g_autofree char *namespace_ = NULL;

  import_environment (draft, &context, &namespace_);
  json_object_set_int_member (root, "sitrep_runbook", SITREP_RUNBOOK_FORMAT);
  json_object_set_string_member (root, "name", "import");
  json_object_set_string_member (severity, "id", "SEV-1");
  json_object_set_string_member (severity, "label", "Critical");
  json_object_set_string_member (severity, "response_target", "15m");
  json_array_add_object_element (severities, severity);
  json_object_set_array_member (root, "severities", severities);
  json_object_set_string_member (environment, "context", context);
  json_object_set_string_member (environment, "namespace", namespace_);
  json_object_set_object_member (root, "environment", environment);
  return root;
}

static void
set_one (JsonObject *object,
         const char *key,
         JsonObject *element)
{
  JsonArray *array = json_array_new ();

  json_array_add_object_element (array, element);
  json_object_set_array_member (object, key, array);
}

/* A service for the part to sit in, when it is not one itself. */
static JsonObject *
stand_in_service (void)
{
  JsonObject *service = json_object_new ();

  json_object_set_string_member (service, "id", "service");
  json_object_set_string_member (service, "name", "Service");
  return service;
}

/* NULL when the loader takes @root (which it consumes), else the loader's first problem. */
static char *
loader_verdict (JsonObject *root)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), root);
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  const SitrepRunbookProblem *first;

  json_object_unref (root);
  text = import_node_to_text (node);
  bytes = g_bytes_new (text, strlen (text));
  runbook = sitrep_runbook_load_bytes (bytes, "import", &problems, &error);
  if (runbook != NULL)
    return NULL;
  if (problems == NULL || problems->len == 0)
    return g_strdup (error->message);
  first = problems->pdata[0];
  return g_strdup (first->message);
}

/**
 * import_check_action:
 *
 * What the loader says of @action on its own: its argv, follow-up and choices (placeholders, and
 * the rules that keep a command in the environment), its inputs, confirmation and description.
 *
 * Returns: (nullable): the loader's reason to refuse it, or %NULL
 */
char *
import_check_action (ImportDraft *draft,
                     DraftAction *action)
{
  JsonObject *root;

  if (!draft->check_parts)
    return NULL;
  root = skeleton (draft);
  set_one (root, "services", stand_in_service ());
  set_one (root, "actions", import_action_to_json (action));
  return loader_verdict (root);
}

/* The service as the loader sees it: its target and selector, and @action or @probe, or with
 * @all its probes and the actions it lists. */
static JsonObject *
service_root (ImportDraft  *draft,
              DraftService *service,
              gboolean      all,
              DraftAction  *action,
              JsonNode     *probe)
{
  JsonObject *root = skeleton (draft);
  JsonObject *object = json_object_new ();
  JsonArray *ids = json_array_new ();
  JsonArray *actions = json_array_new ();
  JsonArray *probes = json_array_new ();

  json_object_set_string_member (object, "id", service->id);
  json_object_set_string_member (object, "name", "Service");
  if (service->target != NULL)
    json_object_set_string_member (object, "target", service->target);
  if (service->selector != NULL)
    json_object_set_string_member (object, "selector", service->selector);
  for (guint i = 0; all && i < service->actions->len; i++)
    {
      DraftAction *listed = import_find_action (draft, service->actions->pdata[i]);

      json_array_add_string_element (ids, service->actions->pdata[i]);
      if (listed != NULL)
        json_array_add_object_element (actions, import_action_to_json (listed));
    }
  for (guint i = 0; all && i < service->probes->len; i++)
    json_array_add_element (probes, json_node_copy (service->probes->pdata[i]));
  if (action != NULL)
    {
      json_array_add_string_element (ids, action->id);
      json_array_add_object_element (actions, import_action_to_json (action));
    }
  if (probe != NULL)
    json_array_add_element (probes, json_node_copy (probe));
  json_object_set_array_member (object, "actions", ids);
  json_object_set_array_member (root, "actions", actions);
  json_object_set_array_member (object, "probes", probes);
  set_one (root, "services", object);
  return root;
}

/**
 * import_check_service:
 *
 * What the loader says of @service as drafted: its target and selector, its probes, and the
 * actions it lists (which must exist, and have the target or selector they use).
 *
 * Returns: (nullable): the loader's reason to refuse it, or %NULL
 */
char *
import_check_service (ImportDraft  *draft,
                      DraftService *service)
{
  if (!draft->check_parts)
    return NULL;
  return loader_verdict (service_root (draft, service, TRUE, NULL, NULL));
}

/**
 * import_check_service_part:
 * @action: (nullable): an action for the service to list
 * @probe: (nullable): a probe for the service
 *
 * What the loader says of @service's target and selector with only @action or @probe.
 *
 * Returns: (nullable): the loader's reason to refuse it, or %NULL
 */
char *
import_check_service_part (ImportDraft  *draft,
                           DraftService *service,
                           DraftAction  *action,
                           JsonNode     *probe)
{
  if (!draft->check_parts)
    return NULL;
  return loader_verdict (service_root (draft, service, FALSE, action, probe));
}

/* What the loader says of a service aimed at @target. */
char *
import_check_target (ImportDraft *draft,
                     const char  *target)
{
  JsonObject *root, *object;

  if (!draft->check_parts)
    return NULL;
  root = skeleton (draft);
  object = stand_in_service ();
  json_object_set_string_member (object, "target", target);
  set_one (root, "services", object);
  return loader_verdict (root);
}

/* What the loader says of @template_: its kind, title and the placeholders of its body. */
char *
import_check_template (ImportDraft   *draft,
                       DraftTemplate *template_)
{
  JsonObject *root;

  if (!draft->check_parts)
    return NULL;
  root = skeleton (draft);
  set_one (root, "services", stand_in_service ());
  set_one (root, "templates", import_template_to_json (template_));
  return loader_verdict (root);
}

/* What the loader says of @channel as the channel name's template. */
char *
import_check_channel (ImportDraft *draft,
                      const char  *channel)
{
  JsonObject *root;

  if (!draft->check_parts)
    return NULL;
  root = skeleton (draft);
  set_one (root, "services", stand_in_service ());
  json_object_set_string_member (root, "channel", channel);
  return loader_verdict (root);
}
