/* sitrep-runbook-loader.c: checks a runbook document against the format and fills the model
 *
 * The loader reports every problem it can find in one pass, each at the line and column of the
 * member that is wrong, rather than stopping at the first: at 3 a.m. one round trip through the
 * editor is better than ten.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-argv.h"
#include "sitrep-runbook-loader-private.h"
#include "sitrep-runbook-trust.h"

static void
load_severities (SitrepLoader *l,
                 JsonObject   *root)
{
  static const char *const allowed[] = {
    "id", "label", "description", "response_target", "update_every", "examples", NULL
  };
  static const char *const required[] = { "id", "label", "response_target", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, root, "severities");

  if (array == NULL)
    return;
  if (json_array_get_length (array) == 0)
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (root, "severities")),
                _("\"severities\" is empty: a runbook needs at least one severity"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = sitrep_schema_object (l, node, _("a severity"), allowed, required);
      SitrepSeverity *severity;

      if (object == NULL)
        continue;
      severity = g_new0 (SitrepSeverity, 1);
      severity->id = sitrep_schema_id (l, object, "id", seen, _("severity"));
      severity->label = sitrep_schema_text (l, object, "label");
      severity->description = sitrep_schema_string (l, object, "description");
      severity->response_target = sitrep_schema_duration_s (l, object, "response_target", 0);
      severity->update_every = sitrep_schema_duration_s (l, object, "update_every", 0);
      severity->examples = sitrep_schema_strv (l, object, "examples");
      g_ptr_array_add (l->rb->severities, severity);
    }
}

static void
load_contacts (SitrepLoader *l,
               JsonObject   *root)
{
  static const char *const allowed[] = { "id", "role", "handle", "when", NULL };
  static const char *const required[] = { "id", "role", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, root, "contacts");

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i), _("a contact"),
                                                 allowed, required);
      SitrepContact *contact;

      if (object == NULL)
        continue;
      contact = g_new0 (SitrepContact, 1);
      contact->id = sitrep_schema_id (l, object, "id", seen, _("contact"));
      contact->role = sitrep_schema_text (l, object, "role");
      contact->handle = sitrep_schema_string (l, object, "handle");
      contact->when = sitrep_schema_string (l, object, "when");
      g_ptr_array_add (l->rb->contacts, contact);
    }
}

static void
check_severity_refs (SitrepLoader *l,
                     JsonObject   *object,
                     const char   *key,
                     GStrv         ids,
                     GStrv         within)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      JsonNode *node = sitrep_schema_strv_element (object, key, i);

      if (!sitrep_schema_check_ref (l, node, ids[i], l->rb->severities, _("severity")))
        continue;
      if (within != NULL && !g_strv_contains ((const char *const *) within, ids[i]))
        sitrep_schema_problem (l, AT_VALUE (node),
                    _("severity \"%s\" is not one of this escalation path's severities"), ids[i]);
    }
}

static void
load_escalation (SitrepLoader *l,
                 JsonObject   *root)
{
  static const char *const path_allowed[] = { "id", "severities", "steps", NULL };
  static const char *const path_required[] = { "id", "severities", "steps", NULL };
  static const char *const step_allowed[] = { "role", "contact", "after", "severities", "note", NULL };
  static const char *const step_required[] = { "role", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  g_autoptr(GHashTable) covered = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = sitrep_schema_array (l, root, "escalation");

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i),
                                          _("an escalation path"), path_allowed, path_required);
      SitrepEscalationPath *path;
      JsonArray *steps;

      if (object == NULL)
        continue;
      path = g_new0 (SitrepEscalationPath, 1);
      path->id = sitrep_schema_id (l, object, "id", seen, _("escalation path"));
      path->severities = sitrep_schema_strv (l, object, "severities");
      path->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_escalation_step_free);
      g_ptr_array_add (l->rb->escalation, path);

      if (path->severities != NULL)
        {
          check_severity_refs (l, object, "severities", path->severities, NULL);
          for (guint s = 0; path->severities[s] != NULL; s++)
            {
              const char *other = g_hash_table_lookup (covered, path->severities[s]);

              if (other != NULL)
                sitrep_schema_problem (l, AT_VALUE (sitrep_schema_strv_element (object, "severities", s)),
                            _("severity \"%s\" is already in escalation path \"%s\": a severity "
                              "belongs to one path"),
                            path->severities[s], other);
              else if (path->id != NULL)
                g_hash_table_insert (covered, path->severities[s], path->id);
            }
        }

      steps = sitrep_schema_array (l, object, "steps");
      for (guint s = 0; steps != NULL && s < json_array_get_length (steps); s++)
        {
          JsonObject *step_object = sitrep_schema_object (l, json_array_get_element (steps, s),
                                                          _("an escalation step"), step_allowed,
                                                          step_required);
          SitrepEscalationStep *step;

          if (step_object == NULL)
            continue;
          step = g_new0 (SitrepEscalationStep, 1);
          step->role = sitrep_schema_text (l, step_object, "role");
          step->contact = sitrep_schema_string (l, step_object, "contact");
          step->after = sitrep_schema_duration_s (l, step_object, "after", -1);
          step->severities = sitrep_schema_strv (l, step_object, "severities");
          step->note = sitrep_schema_string (l, step_object, "note");
          if (step->contact != NULL)
            sitrep_schema_check_ref (l, sitrep_schema_member (step_object, "contact"), step->contact, l->rb->contacts,
                       _("contact"));
          if (step->severities != NULL)
            check_severity_refs (l, step_object, "severities", step->severities,
                                 path->severities);
          g_ptr_array_add (path->steps, step);
        }
    }
}

/* The console opens links through the desktop: only web links, or a runbook could start a
 * program through a file: or custom-scheme link. */
/* A name a template may write as {name}: what the template engine takes for one. */
static gboolean
is_placeholder_name (const char *name)
{
  if (!g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* "placeholders": the runbook's own values for its templates, such as the status page's
 * address. A name of the console's own would make a template say something other than what
 * the table of placeholders promises, so it is refused. */
static void
load_placeholders (SitrepLoader *l,
                   JsonObject   *root)
{
  g_autoptr(GStrvBuilder) names = NULL;
  g_autoptr(GStrvBuilder) values = NULL;
  JsonNode *node;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!sitrep_schema_since (l, root, "placeholders", 2))
    return;
  node = sitrep_schema_member (root, "placeholders");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sitrep_schema_problem (l, AT_VALUE (node),
                             _("\"placeholders\" must be an object {\"name\": \"value\", …}, not "
                               "%s"),
                             sitrep_schema_describe_type (node));
      return;
    }
  object = json_node_get_object (node);
  names = g_strv_builder_new ();
  values = g_strv_builder_new ();
  members = json_object_get_members (object);
  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *name = m->data;
      JsonNode *value = json_object_get_member (object, name);

      if (!is_placeholder_name (name))
        {
          sitrep_schema_problem (l, AT_KEY (value),
                                 _("placeholder name \"%s\" is not a name a template can use: "
                                   "write lower-case letters, digits and \"_\", starting with a "
                                   "letter (e.g. \"status_page\")"),
                                 name);
          continue;
        }
      if (g_strv_contains (sitrep_schema_template_placeholders, name))
        {
          sitrep_schema_problem (l, AT_KEY (value),
                                 _("placeholder \"%s\" is one of the console's own ({%s} is "
                                   "filled from the incident): choose another name, e.g. "
                                   "\"team_%s\""),
                                 name, name, name);
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          sitrep_schema_problem (l, AT_VALUE (value),
                                 _("the value of placeholder \"%s\" must be a string, not %s"),
                                 name, sitrep_schema_describe_type (value));
          continue;
        }
      g_strv_builder_add (names, name);
      g_strv_builder_add (values, json_node_get_string (value));
    }
  l->rb->placeholder_names = g_strv_builder_end (names);
  l->rb->placeholder_values = g_strv_builder_end (values);
}

static void
load_templates (SitrepLoader *l,
                JsonObject   *root)
{
  static const char *const allowed[] = { "id", "kind", "title", "body", NULL };
  static const char *const required[] = { "id", "kind", "title", "body", NULL };
  static const char *const kinds[] = {
    "status", "notification", "update", "resolution", "postmortem", NULL
  };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, root, "templates");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) known = NULL;

  /* A template may use the console's placeholders and the runbook's own. */
  g_strv_builder_addv (builder, (const char **) sitrep_schema_template_placeholders);
  if (l->rb->placeholder_names != NULL)
    g_strv_builder_addv (builder, (const char **) l->rb->placeholder_names);
  known = g_strv_builder_end (builder);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i), _("a template"),
                                                 allowed, required);
      SitrepTemplate *template_;
      g_autofree char *kind = NULL;

      if (object == NULL)
        continue;
      template_ = g_new0 (SitrepTemplate, 1);
      template_->id = sitrep_schema_id (l, object, "id", seen, _("template"));
      template_->title = sitrep_schema_text (l, object, "title");
      template_->body = sitrep_schema_text (l, object, "body");
      kind = sitrep_schema_string (l, object, "kind");
      if (kind != NULL)
        {
          for (guint k = 0; kinds[k] != NULL; k++)
            if (g_str_equal (kind, kinds[k]))
              template_->kind = (SitrepTemplateKind) k;
          if (!g_strv_contains (kinds, kind))
            {
              g_autofree char *hint = sitrep_did_you_mean (kind, kinds);

              sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "kind")),
                          _("unknown template kind \"%s\"%s (known: status, notification, "
                            "update, resolution, postmortem)"),
                          kind, hint);
            }
        }
      if (template_->body != NULL)
        sitrep_schema_check_placeholders (l, sitrep_schema_member (object, "body"), template_->body, (const char *const *) known,
                            NULL, _("a template"));
      g_ptr_array_add (l->rb->templates, template_);
    }
}

static void
load_webhook (SitrepLoader *l,
              JsonObject   *root)
{
  static const char *const allowed[] = { "allow_plain_http", NULL };
  JsonNode *node = sitrep_schema_member (root, "webhook");
  JsonObject *object;

  if (node == NULL)
    return;
  object = sitrep_schema_object (l, node, "\"webhook\"", allowed, NULL);
  if (object != NULL)
    l->rb->webhook_allow_plain_http = sitrep_schema_bool (l, object, "allow_plain_http", FALSE);
}

static void
load_item_opens (SitrepLoader        *l,
                 JsonNode            *node,
                 SitrepChecklistItem *item)
{
  static const char *const allowed[] = { "channel", "template", "link", "url", "service", "action", NULL };
  JsonObject *object = sitrep_schema_object (l, node, "\"opens\"", allowed, NULL);
  guint n;

  if (object == NULL)
    return;

  n = json_object_get_size (object);
  if (sitrep_schema_member (object, "action") != NULL)
    {
      item->opens = SITREP_OPENS_ACTION;
      item->opens_ref = sitrep_schema_text (l, object, "action");
      item->opens_service = sitrep_schema_text (l, object, "service");
      if (n != 2 || sitrep_schema_member (object, "service") == NULL)
        {
          sitrep_schema_problem (l, AT_VALUE (node),
                      _("\"opens\" with an \"action\" needs exactly one more key, \"service\": "
                        "the service the action runs on"));
          return;
        }
      if (item->opens_ref == NULL || item->opens_service == NULL)
        return;
      if (sitrep_schema_check_ref (l, sitrep_schema_member (object, "action"), item->opens_ref, l->rb->actions, _("action"))
          && sitrep_schema_check_ref (l, sitrep_schema_member (object, "service"), item->opens_service, l->rb->services,
                        _("service")))
        {
          const SitrepService *service = sitrep_runbook_find_service (l->rb, item->opens_service);

          if (service->actions == NULL
              || !g_strv_contains ((const char *const *) service->actions, item->opens_ref))
            sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "action")),
                        _("action \"%s\" is not one of service \"%s\"'s \"actions\""),
                        item->opens_ref, item->opens_service);
        }
      return;
    }

  if (n != 1)
    {
      sitrep_schema_problem (l, AT_VALUE (node),
                  _("\"opens\" takes exactly one of \"channel\", \"template\", \"link\", "
                    "\"url\", \"service\", or \"action\" with \"service\""));
      return;
    }

  if (sitrep_schema_member (object, "channel") != NULL)
    {
      item->opens = SITREP_OPENS_CHANNEL;
      if (!sitrep_schema_bool (l, object, "channel", TRUE))
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "channel")),
                    _("\"channel\" can only be true: remove \"opens\" instead"));
    }
  else if (sitrep_schema_member (object, "template") != NULL)
    {
      item->opens = SITREP_OPENS_TEMPLATE;
      item->opens_ref = sitrep_schema_text (l, object, "template");
      if (item->opens_ref != NULL)
        sitrep_schema_check_ref (l, sitrep_schema_member (object, "template"), item->opens_ref, l->rb->templates,
                   _("template"));
    }
  else if (sitrep_schema_member (object, "link") != NULL)
    {
      item->opens = SITREP_OPENS_LINK;
      item->opens_ref = sitrep_schema_text (l, object, "link");
      if (item->opens_ref != NULL)
        sitrep_runbook_check_link_ref (l, sitrep_schema_member (object, "link"), item->opens_ref);
    }
  else if (sitrep_schema_member (object, "url") != NULL)
    {
      item->opens = SITREP_OPENS_URL;
      item->opens_ref = sitrep_schema_text (l, object, "url");
      sitrep_runbook_check_url (l, object, item->opens_ref);
    }
  else if (sitrep_schema_member (object, "service") != NULL)
    {
      item->opens = SITREP_OPENS_SERVICE;
      item->opens_ref = sitrep_schema_text (l, object, "service");
      if (item->opens_ref != NULL)
        sitrep_schema_check_ref (l, sitrep_schema_member (object, "service"), item->opens_ref, l->rb->services,
                   _("service"));
    }
}

static void
load_checklist (SitrepLoader *l,
                JsonObject   *root)
{
  static const char *const allowed[] = { "id", "title", "from", "starts", "due", "items", NULL };
  static const char *const required[] = { "id", "title", "items", NULL };
  static const char *const item_allowed[] = { "id", "text", "opens", "severities", NULL };
  static const char *const item_required[] = { "id", "text", NULL };
  static const char *const froms[] = { "declared", "resolved", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  g_autoptr(GHashTable) item_ids = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, root, "checklist");

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i),
                                                 _("a checklist phase"), allowed, required);
      SitrepChecklistPhase *phase;
      g_autofree char *from = NULL;
      JsonArray *items;

      if (object == NULL)
        continue;
      phase = g_new0 (SitrepChecklistPhase, 1);
      phase->id = sitrep_schema_id (l, object, "id", seen, _("checklist phase"));
      phase->title = sitrep_schema_text (l, object, "title");
      phase->starts = sitrep_schema_duration_s (l, object, "starts", 0);
      phase->due = sitrep_schema_duration_s (l, object, "due", -1);
      phase->items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_checklist_item_free);
      g_ptr_array_add (l->rb->checklist, phase);

      from = sitrep_schema_string (l, object, "from");
      if (from != NULL && !g_strv_contains (froms, from))
        {
          g_autofree char *hint = sitrep_did_you_mean (from, froms);

          sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "from")),
                      _("\"from\" is \"%s\"%s: a phase counts from \"declared\" or \"resolved\""),
                      from, hint);
        }
      phase->from = g_strcmp0 (from, "resolved") == 0 ? SITREP_PHASE_FROM_RESOLVED
                                                      : SITREP_PHASE_FROM_DECLARED;
      if (phase->due >= 0 && phase->due <= phase->starts)
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "due")),
                    _("\"due\" must come after \"starts\""));

      items = sitrep_schema_array (l, object, "items");
      for (guint k = 0; items != NULL && k < json_array_get_length (items); k++)
        {
          JsonObject *item_object = sitrep_schema_object (l, json_array_get_element (items, k),
                                                          _("a checklist item"), item_allowed,
                                                          item_required);
          SitrepChecklistItem *item;

          if (item_object == NULL)
            continue;
          item = g_new0 (SitrepChecklistItem, 1);
          item->id = sitrep_schema_id (l, item_object, "id", item_ids, _("checklist item"));
          item->text = sitrep_schema_text (l, item_object, "text");
          if (sitrep_schema_member (item_object, "opens") != NULL)
            load_item_opens (l, sitrep_schema_member (item_object, "opens"), item);
          if (sitrep_schema_since (l, item_object, "severities", 2))
            {
              JsonNode *listed = sitrep_schema_member (item_object, "severities");

              item->severities = sitrep_schema_strv (l, item_object, "severities");
              if (item->severities != NULL && JSON_NODE_HOLDS_ARRAY (listed)
                  && json_array_get_length (json_node_get_array (listed)) == 0)
                sitrep_schema_problem (l, AT_VALUE (listed),
                                       _("\"severities\" is empty: the item would be on no "
                                         "incident's checklist; name the severities it is for, "
                                         "or remove the key for all of them"));
              else if (item->severities != NULL)
                check_severity_refs (l, item_object, "severities", item->severities, NULL);
            }
          g_ptr_array_add (phase->items, item);
        }
    }
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const SitrepRunbookProblem *pa = *(SitrepRunbookProblem **) a;
  const SitrepRunbookProblem *pb = *(SitrepRunbookProblem **) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  return 0;
}

gboolean
sitrep_runbook_loader_fill (SitrepRunbook *self,
                            SitrepJsonDoc *doc,
                            const char    *file,
                            GPtrArray     *problems)
{
  static const char *const allowed[] = {
    "sitrep_runbook", "name", "description", "reminder", "severities", "severity_hint",
    "contacts", "escalation", "channel", "checklist", "environment", "environments", "services",
    "actions", "templates", "webhook", "placeholders", "statuses", "postmortem_sections", NULL
  };
  static const char *const required[] = {
    "sitrep_runbook", "name", "severities", "services", NULL
  };
  g_autoptr(GHashTable) action_needs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  SitrepLoader loader = { self, doc, file, problems, action_needs };
  SitrepLoader *l = &loader;
  JsonNode *root_node = sitrep_json_doc_get_root (doc);
  JsonObject *root;
  guint first_problem = problems->len;

  root = sitrep_schema_object (l, root_node, _("a runbook"), allowed, required);
  if (root == NULL)
    return FALSE;

  /* A format this Sitrep does not know is read as the newest, so the keys it has in common
   * with it are still checked. */
  self->format = SITREP_RUNBOOK_FORMAT;
  if (sitrep_schema_member (root, "sitrep_runbook") != NULL)
    {
      gint64 format = sitrep_schema_int (l, root, "sitrep_runbook", 0, G_MAXINT32, SITREP_RUNBOOK_FORMAT);

      if (format < 1 || format > SITREP_RUNBOOK_FORMAT)
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (root, "sitrep_runbook")),
                    _("this runbook is in format %d; this Sitrep reads formats 1 to %d"),
                    (int) format, SITREP_RUNBOOK_FORMAT);
      else
        self->format = (guint) format;
    }

  self->name = sitrep_schema_text (l, root, "name");
  self->description = sitrep_schema_string (l, root, "description");
  self->reminder = sitrep_schema_string (l, root, "reminder");
  self->severity_hint = sitrep_schema_string (l, root, "severity_hint");
  self->channel_format = sitrep_schema_text (l, root, "channel");
  if (self->channel_format != NULL)
    sitrep_schema_check_placeholders (l, sitrep_schema_member (root, "channel"), self->channel_format, sitrep_schema_channel_placeholders,
                        NULL, "\"channel\"");
  else
    self->channel_format = g_strdup ("#incident-{date}-{slug}");

  /* Sections are read in the order their references need, whatever the file's order. */
  load_severities (l, root);
  load_contacts (l, root);
  load_escalation (l, root);
  sitrep_runbook_load_environments (l, root);
  load_placeholders (l, root);
  sitrep_runbook_load_statuses (l, root);
  sitrep_runbook_load_postmortem_sections (l, root);
  load_templates (l, root);
  load_webhook (l, root);
  sitrep_runbook_load_actions (l, root);
  sitrep_runbook_load_services (l, root);
  load_checklist (l, root);

  if (sitrep_schema_member (root, "services") != NULL && self->services->len == 0
      && JSON_NODE_HOLDS_ARRAY (sitrep_schema_member (root, "services")))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (root, "services")),
                _("\"services\" is empty: a runbook needs at least one service"));

  if (problems->len > first_problem)
    {
      g_ptr_array_sort (problems, compare_problems);
      return FALSE;
    }
  return TRUE;
}
