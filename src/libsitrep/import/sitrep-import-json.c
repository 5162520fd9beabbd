/* sitrep-import-json.c: the drafted runbook written as JSON a person can finish by hand */
#include "config.h"

#include <string.h>

#include "sitrep-import-private.h"
#include "sitrep-runbook.h"

static gboolean
is_blank (const char *value)
{
  for (const char *p = value; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* An optional text: absent rather than empty, which the loader refuses. */
static void
set_string (JsonObject *object,
            const char *key,
            const char *value)
{
  if (!is_blank (value))
    json_object_set_string_member (object, key, value);
}

/* A required text: what the document left blank gets a stand-in the user sees. */
static void
set_text (JsonObject *object,
          const char *key,
          const char *value,
          const char *fallback)
{
  json_object_set_string_member (object, key, is_blank (value) ? fallback : value);
}

static void
set_duration (JsonObject *object,
              const char *key,
              gint64      seconds)
{
  g_autofree char *text = import_format_duration (seconds);

  json_object_set_string_member (object, key, text);
}

static JsonArray *
strings (GPtrArray *list)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; list != NULL && i < list->len; i++)
    json_array_add_string_element (array, list->pdata[i]);
  return array;
}

static void
set_strings (JsonObject *object,
             const char *key,
             GPtrArray  *list)
{
  if (list != NULL && list->len > 0)
    json_object_set_array_member (object, key, strings (list));
}

static JsonObject *
add_object (JsonArray *array)
{
  JsonObject *object = json_object_new ();

  json_array_add_object_element (array, object);
  return object;
}

JsonObject *
import_service_to_json (DraftService *s)
{
  JsonObject *o = json_object_new ();

  set_string (o, "id", s->id);
  set_text (o, "name", s->name, s->id);
  set_string (o, "target", s->target);
  set_string (o, "selector", s->selector);
  set_strings (o, "symptoms", s->symptoms);
  set_strings (o, "links", s->links);
  set_strings (o, "procedures", s->procedures);
  if (s->probes->len > 0)
    {
      JsonArray *probes = json_array_new ();

      for (guint k = 0; k < s->probes->len; k++)
        json_array_add_element (probes, json_node_copy (s->probes->pdata[k]));
      json_object_set_array_member (o, "probes", probes);
    }
  set_strings (o, "actions", s->actions);
  return o;
}

JsonObject *
import_action_to_json (DraftAction *a)
{
  JsonObject *o = json_object_new ();

  set_string (o, "id", a->id);
  set_text (o, "label", a->label, a->id);
  set_string (o, "description", a->description);
  json_object_set_array_member (o, "argv", strings (a->argv));
  if (a->inputs->len > 0)
    {
      JsonArray *inputs = json_array_new ();

      for (guint k = 0; k < a->inputs->len; k++)
        {
          DraftInput *in = a->inputs->pdata[k];
          JsonObject *io = add_object (inputs);

          set_string (io, "name", in->name);
          set_string (io, "label", in->label);
          set_string (io, "type", in->type);
          if (in->has_range)
            {
              json_object_set_int_member (io, "min", in->min);
              json_object_set_int_member (io, "max", in->max);
              json_object_set_int_member (io, "default", in->def);
            }
          set_string (io, "pattern", in->pattern);
          set_strings (io, "choices_from", in->choices_from);
        }
      json_object_set_array_member (o, "inputs", inputs);
    }
  if (a->mutates || a->dangerous)
    json_object_set_boolean_member (o, "mutates", TRUE);
  if (a->dangerous)
    json_object_set_boolean_member (o, "dangerous", TRUE);
  if (a->dry_run && a->mutates)
    json_object_set_boolean_member (o, "dry_run", TRUE);
  set_string (o, "confirm", a->confirm);
  set_string (o, "noop_output", a->noop_output);
  set_strings (o, "follow_up", a->follow_up);
  if (a->terminal)
    json_object_set_boolean_member (o, "terminal", TRUE);
  return o;
}

JsonObject *
import_template_to_json (DraftTemplate *t)
{
  JsonObject *o = json_object_new ();

  set_string (o, "id", t->id);
  set_string (o, "kind", t->kind);
  set_text (o, "title", t->title, t->id);
  set_text (o, "body", t->body, t->title ? t->title : t->id);
  return o;
}

static JsonNode *
build (ImportDraft *draft)
{
  JsonObject *root = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *array;
  JsonObject *environment;

  /* The node owns the object, which is filled in below. */
  json_node_take_object (node, root);
  json_object_set_int_member (root, "sitrep_runbook", SITREP_RUNBOOK_FORMAT);
  set_text (root, "name", draft->name, "Runbook");
  set_string (root, "description", draft->description);
  set_string (root, "reminder", draft->reminder);

  array = json_array_new ();
  for (guint i = 0; i < draft->severities->len; i++)
    {
      DraftSeverity *s = draft->severities->pdata[i];
      JsonObject *o = add_object (array);

      set_string (o, "id", s->id);
      set_text (o, "label", s->label, s->id);
      if (s->description != NULL && s->description[0] != '\0')
        set_string (o, "description", s->description);
      set_duration (o, "response_target", s->target);
      if (s->update_every > 0)
        set_duration (o, "update_every", s->update_every);
      set_strings (o, "examples", s->examples);
    }
  json_object_set_array_member (root, "severities", array);

  if (draft->contacts->len > 0)
    {
      array = json_array_new ();
      for (guint i = 0; i < draft->contacts->len; i++)
        {
          DraftContact *c = draft->contacts->pdata[i];
          JsonObject *o = add_object (array);

          set_string (o, "id", c->id);
          set_text (o, "role", c->role, c->id);
          set_string (o, "handle", c->handle);
          set_string (o, "when", c->when);
        }
      json_object_set_array_member (root, "contacts", array);
    }

  if (draft->escalation->len > 0)
    {
      array = json_array_new ();
      for (guint i = 0; i < draft->escalation->len; i++)
        {
          DraftPath *p = draft->escalation->pdata[i];
          JsonObject *o = add_object (array);
          JsonArray *steps = json_array_new ();

          set_string (o, "id", p->id);
          json_object_set_array_member (o, "severities", strings (p->severities));
          for (guint k = 0; k < p->steps->len; k++)
            {
              DraftStep *step = p->steps->pdata[k];
              JsonObject *so = add_object (steps);

              set_text (so, "role", step->role, "On-call");
              set_string (so, "contact", step->contact);
              if (step->after >= 0)
                set_duration (so, "after", step->after);
              set_strings (so, "severities", step->severities);
              set_string (so, "note", step->note);
            }
          json_object_set_array_member (o, "steps", steps);
        }
      json_object_set_array_member (root, "escalation", array);
    }

  set_string (root, "channel", draft->channel);

  if (draft->checklist->len > 0)
    {
      array = json_array_new ();
      for (guint i = 0; i < draft->checklist->len; i++)
        {
          DraftPhase *p = draft->checklist->pdata[i];
          JsonObject *o = add_object (array);
          JsonArray *items = json_array_new ();

          set_string (o, "id", p->id);
          set_text (o, "title", p->title, p->id);
          set_string (o, "from", p->from_resolved ? "resolved" : "declared");
          set_duration (o, "starts", p->starts);
          if (p->due >= 0)
            set_duration (o, "due", p->due);
          for (guint k = 0; k < p->items->len; k++)
            {
              DraftItem *item = p->items->pdata[k];
              JsonObject *io = add_object (items);
              JsonObject *opens;

              set_string (io, "id", item->id);
              set_text (io, "text", item->text, item->id);
              if (item->opens == DRAFT_OPENS_NOTHING)
                continue;
              opens = json_object_new ();
              switch (item->opens)
                {
                case DRAFT_OPENS_CHANNEL:
                  json_object_set_boolean_member (opens, "channel", TRUE);
                  break;
                case DRAFT_OPENS_TEMPLATE:
                  set_string (opens, "template", item->opens_ref);
                  break;
                case DRAFT_OPENS_LINK:
                  set_string (opens, "link", item->opens_ref);
                  break;
                case DRAFT_OPENS_ACTION:
                  set_string (opens, "action", item->opens_ref);
                  set_string (opens, "service", item->opens_service);
                  break;
                case DRAFT_OPENS_NOTHING:
                default:
                  break;
                }
              json_object_set_object_member (io, "opens", opens);
            }
          json_object_set_array_member (o, "items", items);
        }
      json_object_set_array_member (root, "checklist", array);
    }

  environment = json_object_new ();
  set_text (environment, "context", draft->context, "production");
  set_text (environment, "namespace", draft->namespace_, "default");
  json_object_set_boolean_member (environment, "read_only", FALSE);
  json_object_set_boolean_member (environment, "protected", TRUE);
  if (draft->links->len > 0)
    {
      array = json_array_new ();
      for (guint i = 0; i < draft->links->len; i++)
        {
          DraftLink *l = draft->links->pdata[i];
          JsonObject *o = add_object (array);

          set_string (o, "id", l->id);
          set_text (o, "label", l->label, l->id);
          set_string (o, "url", l->url);
          set_string (o, "note", l->note);
        }
      json_object_set_array_member (environment, "links", array);
    }
  json_object_set_object_member (root, "environment", environment);

  array = json_array_new ();
  for (guint i = 0; i < draft->services->len; i++)
    json_array_add_object_element (array, import_service_to_json (draft->services->pdata[i]));
  json_object_set_array_member (root, "services", array);

  if (draft->actions->len > 0)
    {
      array = json_array_new ();
      for (guint i = 0; i < draft->actions->len; i++)
        json_array_add_object_element (array, import_action_to_json (draft->actions->pdata[i]));
      json_object_set_array_member (root, "actions", array);
    }

  if (draft->templates->len > 0)
    {
      array = json_array_new ();
      for (guint i = 0; i < draft->templates->len; i++)
        json_array_add_object_element (array, import_template_to_json (draft->templates->pdata[i]));
      json_object_set_array_member (root, "templates", array);
    }
  return node;
}

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void write_node (GString *out, JsonNode *node, guint indent);

/* A node on one line, as it would be written inline. */
static char *
inline_text (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  write_node (out, node, G_MAXUINT);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Objects and lists that fit in a line stay on one line, as in the runbooks people write. */
static void
write_node (GString  *out,
            JsonNode *node,
            guint     indent)
{
  gboolean flat = indent == G_MAXUINT;

  if (!flat && (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    {
      g_autofree char *one = inline_text (node);

      if (strlen (one) + indent < 100 && (JSON_NODE_HOLDS_ARRAY (node) || indent > 2))
        {
          g_string_append (out, one);
          return;
        }
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      guint n = 0;

      g_string_append (out, flat ? "{ " : "{\n");
      for (GList *l = members; l != NULL; l = l->next, n++)
        {
          if (n > 0)
            g_string_append (out, flat ? ", " : ",\n");
          if (!flat)
            g_string_append_printf (out, "%*s", indent + 2, "");
          write_string (out, l->data);
          g_string_append (out, ": ");
          write_node (out, json_object_get_member (object, l->data), flat ? indent : indent + 2);
        }
      if (flat)
        g_string_append (out, " }");
      else
        g_string_append_printf (out, "\n%*s}", indent, "");
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint len = json_array_get_length (array);

      if (len == 0)
        {
          g_string_append (out, "[]");
          return;
        }
      g_string_append (out, flat ? "[" : "[\n");
      for (guint i = 0; i < len; i++)
        {
          if (i > 0)
            g_string_append (out, flat ? ", " : ",\n");
          if (!flat)
            g_string_append_printf (out, "%*s", indent + 2, "");
          write_node (out, json_array_get_element (array, i), flat ? indent : indent + 2);
        }
      if (flat)
        g_string_append (out, "]");
      else
        g_string_append_printf (out, "\n%*s]", indent, "");
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    write_string (out, json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else
    g_string_append (out, "null");
}

/* @node as the importer writes it, strings escaped the same way, all on one line: what the
 * loader would read of it in the draft. */
char *
import_node_to_text (JsonNode *node)
{
  return inline_text (node);
}

char *
import_draft_to_json (ImportDraft *draft)
{
  g_autoptr(JsonNode) root = build (draft);
  g_autoptr(GString) out = g_string_new (NULL);

  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}
