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
 *
 * The draft as a whole goes to the loader first (import_loader_takes()); when even the parts
 * checked one by one leave a draft the loader refuses, import_check_with_loader() reports what
 * it said at the document's lines.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"
#include "sitrep-json-doc.h"
#include "sitrep-runbook-loader.h"
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

/* The draft as a whole */

/* Whether the loader takes @json; its problems in @problems when it does not. */
gboolean
import_loader_takes (const char *json,
                     const char *file,
                     GPtrArray **problems,
                     GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, file, problems, error);
  return runbook != NULL;
}

static void
add_place (GArray *places,
           guint   json_line,
           guint   document_line)
{
  guint pair[2] = { json_line, document_line };

  if (document_line > 0)
    g_array_append_vals (places, pair, 1);
}

/* Each part of the draft that came from a line of the document, as (line in @json, line in the
 * document) pairs in the order the JSON holds them. */
static GArray *
draft_places (ImportDraft *draft,
              const char  *json)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  GArray *places = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  JsonObject *root;
  static const char *const lists[] = {
    "severities", "contacts", "escalation", "checklist", "links", "services", "actions",
    "templates", NULL
  };

  doc = sitrep_json_doc_parse (json, strlen (json), SITREP_RUNBOOK_MAX_DEPTH, NULL, NULL);
  if (doc == NULL || !JSON_NODE_HOLDS_OBJECT (sitrep_json_doc_get_root (doc)))
    return places;
  root = json_node_get_object (sitrep_json_doc_get_root (doc));
  for (guint l = 0; lists[l] != NULL; l++)
    {
      GPtrArray *parts[] = { draft->severities, draft->contacts, draft->escalation,
                             draft->checklist, draft->links, draft->services, draft->actions,
                             draft->templates };
      JsonObject *holder = root;
      JsonNode *node;
      JsonArray *array;

      if (g_str_equal (lists[l], "links") && json_object_has_member (root, "environment"))
        holder = json_object_get_object_member (root, "environment");
      node = json_object_get_member (holder, lists[l]);
      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array) && i < parts[l]->len; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          guint at = sitrep_json_doc_get_pos (doc, element).line;

          /* Every part keeps its line at the same place; the checklist's items have theirs. */
          switch (l)
            {
            case 0: add_place (places, at, ((DraftSeverity *) parts[l]->pdata[i])->line); break;
            case 1: add_place (places, at, ((DraftContact *) parts[l]->pdata[i])->line); break;
            case 2: add_place (places, at, ((DraftPath *) parts[l]->pdata[i])->line); break;
            case 3:
              {
                DraftPhase *phase = parts[l]->pdata[i];
                JsonNode *items = JSON_NODE_HOLDS_OBJECT (element)
                                    ? json_object_get_member (json_node_get_object (element), "items")
                                    : NULL;

                add_place (places, at, phase->line);
                for (guint k = 0; items != NULL && JSON_NODE_HOLDS_ARRAY (items)
                                  && k < json_array_get_length (json_node_get_array (items))
                                  && k < phase->items->len; k++)
                  add_place (places,
                             sitrep_json_doc_get_pos (doc, json_array_get_element (json_node_get_array (items), k)).line,
                             ((DraftItem *) phase->items->pdata[k])->line);
                break;
              }
            case 4: add_place (places, at, ((DraftLink *) parts[l]->pdata[i])->line); break;
            case 5: add_place (places, at, ((DraftService *) parts[l]->pdata[i])->line); break;
            case 6: add_place (places, at, ((DraftAction *) parts[l]->pdata[i])->line); break;
            default: add_place (places, at, ((DraftTemplate *) parts[l]->pdata[i])->line); break;
            }
        }
    }
  return places;
}

/* The document's line of the part whose JSON holds @json_line: the part that starts last
 * before it. */
static guint
document_line (GArray *places,
               guint   json_line)
{
  guint best_at = 0, line = 0;

  for (guint i = 0; i < places->len; i++)
    {
      guint *pair = &g_array_index (places, guint, i * 2);

      if (pair[0] <= json_line && pair[0] >= best_at)
        best_at = pair[0], line = pair[1];
    }
  return line;
}

/* Even checked part by part, the draft did not pass: what the loader said, at the lines of
 * the document the parts came from, so the user knows what to rewrite. */
gboolean
import_check_with_loader (ImportDraft *draft,
                          const char  *json,
                          const char  *file,
                          GError     **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GArray) places = NULL;
  g_autoptr(GString) message = NULL;

  if (import_loader_takes (json, file, &problems, &local))
    return TRUE;

  places = draft_places (draft, json);
  message = g_string_new (_("The runbook drafted from the document does not pass the loader; "
                            "nothing was written. Rewrite these places of the document as the "
                            "loader asks, and please report it as a bug of sitrep import, with "
                            "the document:"));
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const SitrepRunbookProblem *problem = problems->pdata[i];
      guint line = document_line (places, problem->line);

      g_string_append_printf (message, "\n  %s:%u: %s", file, MAX (line, 1), problem->message);
    }
  if ((problems == NULL || problems->len == 0) && local != NULL)
    g_string_append_printf (message, "\n  %s", local->message);
  g_set_error_literal (error, SITREP_IMPORT_ERROR, SITREP_IMPORT_ERROR_INVALID, message->str);
  return FALSE;
}
