/* sitrep-runbook-services.c: reads the runbook's actions, services and their probes */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-condition.h"
#include "sitrep-probe-kind.h"
#include "sitrep-runbook-loader-private.h"
#include "sitrep-runbook-secrets.h"

/* Returns the NEEDS_* flags of the variables the inputs' "choices_from" use. */
static guint
load_action_inputs (SitrepLoader *l,
                    JsonObject   *object,
                    SitrepAction *action)
{
  static const char *const allowed[] = {
    "name", "label", "type", "min", "max", "default", "pattern", "choices", "choices_from",
    "choices_format", "secret", "pass_as", NULL
  };
  static const char *const required[] = { "name", "type", NULL };
  static const char *const types[] = { "integer", "choice", "string", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, object, "inputs");
  guint needs = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *in = sitrep_schema_object (l, json_array_get_element (array, i), _("an action input"),
                                             allowed, required);
      SitrepActionInput *input;
      g_autofree char *type = NULL;

      if (in == NULL)
        continue;
      input = g_new0 (SitrepActionInput, 1);
      input->name = sitrep_schema_id (l, in, "name", seen, _("input"));
      input->label = sitrep_schema_string (l, in, "label");
      g_ptr_array_add (action->inputs, input);

      if (input->name != NULL && !g_regex_match_simple ("^[a-z][a-z0-9_]*$", input->name, 0, 0))
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (in, "name")),
                    _("input name \"%s\" must be lower-case letters, digits and '_', starting "
                      "with a letter"),
                    input->name);

      type = sitrep_schema_string (l, in, "type");
      if (type == NULL)
        continue;
      if (!g_strv_contains (types, type))
        {
          g_autofree char *hint = sitrep_did_you_mean (type, types);

          sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (in, "type")),
                      _("unknown input type \"%s\"%s (known: integer, choice, string)"), type,
                      hint);
          continue;
        }
      input->type = g_str_equal (type, "integer") ? SITREP_INPUT_INTEGER
                    : g_str_equal (type, "choice") ? SITREP_INPUT_CHOICE
                                                   : SITREP_INPUT_STRING;

      if (input->type != SITREP_INPUT_INTEGER)
        {
          const char *const integer_only[] = { "min", "max", "default", NULL };

          for (guint k = 0; integer_only[k] != NULL; k++)
            if (sitrep_schema_member (in, integer_only[k]) != NULL)
              sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (in, integer_only[k])),
                          _("\"%s\" applies only to an integer input"), integer_only[k]);
        }
      else
        {
          input->has_min = sitrep_schema_member (in, "min") != NULL;
          input->has_max = sitrep_schema_member (in, "max") != NULL;
          input->has_default = sitrep_schema_member (in, "default") != NULL;
          input->min = sitrep_schema_int (l, in, "min", G_MININT32, G_MAXINT32, 0);
          input->max = sitrep_schema_int (l, in, "max", G_MININT32, G_MAXINT32, 0);
          input->default_value = sitrep_schema_int (l, in, "default", G_MININT32, G_MAXINT32, 0);
          if (input->has_min && input->has_max && input->min > input->max)
            sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (in, "max")), _("\"max\" is smaller than \"min\""));
          if (input->has_default
              && ((input->has_min && input->default_value < input->min)
                  || (input->has_max && input->default_value > input->max)))
            sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (in, "default")),
                        _("\"default\" is outside \"min\" and \"max\""));
        }

      if (sitrep_schema_member (in, "pattern") != NULL)
        {
          g_autoptr(GError) regex_error = NULL;
          g_autoptr(GRegex) regex = NULL;

          input->pattern = sitrep_schema_text (l, in, "pattern");
          if (input->type != SITREP_INPUT_STRING)
            sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (in, "pattern")),
                        _("\"pattern\" applies only to a string input"));
          else if (input->pattern != NULL
                   && (regex = g_regex_new (input->pattern, 0, 0, &regex_error)) == NULL)
            sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (in, "pattern")),
                        _("\"pattern\" is not a valid regular expression: %s"),
                        regex_error->message);
        }

      input->choices = sitrep_schema_strv (l, in, "choices");
      input->choices_from = sitrep_schema_strv (l, in, "choices_from");
      if (input->type == SITREP_INPUT_CHOICE)
        {
          if (input->choices == NULL && input->choices_from == NULL)
            sitrep_schema_problem (l, AT_VALUE (json_array_get_element (array, i)),
                                   _("a choice input needs \"choices\" or \"choices_from\""));
          if (input->choices_from != NULL)
            needs |= sitrep_schema_check_argv (l, in, "choices_from", input->choices_from, NULL);
        }
      else
        {
          if (input->choices != NULL)
            sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (in, "choices")),
                        _("\"choices\" applies only to a choice input"));
          if (input->choices_from != NULL)
            sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (in, "choices_from")),
                        _("\"choices_from\" applies only to a choice input"));
        }
      sitrep_runbook_load_input_secrets (l, in, input);
    }
  return needs;
}

void
sitrep_runbook_load_actions (SitrepLoader *l,
                             JsonObject   *root)
{
  static const char *const allowed[] = {
    "id", "label", "description", "argv", "inputs", "mutates", "dangerous", "confirm",
    "dry_run", "follow_up", "noop_output", "timeout", "terminal", "env", "stdin", NULL
  };
  static const char *const required[] = { "id", "label", "argv", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, root, "actions");

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i), _("an action"),
                                                 allowed, required);
      SitrepAction *action;
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      g_auto(GStrv) inputs = NULL;
      guint needs = 0;

      if (object == NULL)
        continue;
      action = g_new0 (SitrepAction, 1);
      action->id = sitrep_schema_id (l, object, "id", seen, _("action"));
      action->label = sitrep_schema_text (l, object, "label");
      action->description = sitrep_schema_string (l, object, "description");
      action->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_input_free);
      action->dangerous = sitrep_schema_bool (l, object, "dangerous", FALSE);
      action->mutates = sitrep_schema_bool (l, object, "mutates", FALSE) || action->dangerous;
      action->confirm = sitrep_schema_string (l, object, "confirm");
      action->dry_run = sitrep_schema_bool (l, object, "dry_run", FALSE);
      action->noop_output = sitrep_schema_text (l, object, "noop_output");
      action->timeout_ms = sitrep_schema_duration_ms (l, object, "timeout", 5 * 60 * 1000);
      action->terminal = sitrep_schema_bool (l, object, "terminal", FALSE);
      g_ptr_array_add (l->rb->actions, action);

      needs |= load_action_inputs (l, object, action);
      for (guint k = 0; k < action->inputs->len; k++)
        {
          SitrepActionInput *input = action->inputs->pdata[k];

          if (input->name != NULL)
            g_strv_builder_add (names, input->name);
        }
      inputs = g_strv_builder_end (names);

      action->argv = sitrep_schema_strv (l, object, "argv");
      if (action->argv != NULL)
        needs |= sitrep_schema_check_argv (l, object, "argv", action->argv, inputs);
      action->follow_up = sitrep_schema_strv (l, object, "follow_up");
      if (action->follow_up != NULL)
        needs |= sitrep_schema_check_argv (l, object, "follow_up", action->follow_up, inputs);
      if (action->confirm != NULL)
        needs |= sitrep_schema_check_placeholders (l, sitrep_schema_member (object, "confirm"), action->confirm,
                                     sitrep_schema_action_variables, inputs, "\"confirm\"");
      if (action->description != NULL)
        needs |= sitrep_schema_check_placeholders (l, sitrep_schema_member (object, "description"), action->description,
                                     sitrep_schema_action_variables, inputs, "\"description\"");
      needs |= sitrep_runbook_load_action_secrets (l, object, action, inputs);
      if (action->dry_run && action->argv != NULL && !action->mutates)
        sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, "dry_run")),
                    _("\"dry_run\" is for actions that change something: add \"mutates\": true "
                      "or remove it"));
      if (action->timeout_ms <= 0)
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "timeout")),
                           _("\"timeout\" must be longer than 0"));

      if (action->id != NULL)
        g_hash_table_insert (l->action_needs, g_strdup (action->id), GUINT_TO_POINTER (needs));
    }
}

static void
load_conditions (SitrepLoader    *l,
                 JsonObject      *object,
                 SitrepProbeSpec *probe)
{
  static const char *const allowed[] = { "check", "severity", "description", NULL };
  static const char *const required[] = { "check", NULL };
  static const char *const severities[] = { "critical", "warning", NULL };
  JsonArray *array = sitrep_schema_array (l, object, "conditions");

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *cond = sitrep_schema_object (l, json_array_get_element (array, i), _("a condition"),
                                               allowed, required);
      SitrepConditionSpec *spec;
      g_autofree char *severity = NULL;

      if (cond == NULL)
        continue;
      spec = g_new0 (SitrepConditionSpec, 1);
      spec->check = sitrep_schema_text (l, cond, "check");
      spec->description = sitrep_schema_string (l, cond, "description");
      if (sitrep_schema_member (cond, "check") != NULL)
        {
          SitrepJsonPos pos = AT_VALUE (sitrep_schema_member (cond, "check"));

          spec->line = pos.line;
          spec->column = pos.column;
        }
      if (spec->check != NULL)
        {
          g_autoptr(GError) error = NULL;
          gsize offset = 0;

          spec->parsed = sitrep_condition_parse (spec->check, &offset, &error);
          if (spec->parsed == NULL)
            sitrep_schema_problem (l,
                                   sitrep_json_doc_locate_in_string (l->doc,
                                                                     sitrep_schema_member (cond, "check"),
                                                                     offset),
                                   _("invalid condition: %s"), error->message);
        }
      severity = sitrep_schema_string (l, cond, "severity");
      if (severity != NULL && !g_strv_contains (severities, severity))
        {
          g_autofree char *hint = sitrep_did_you_mean (severity, severities);

          sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (cond, "severity")),
                      _("unknown condition severity \"%s\"%s (known: critical, warning)"),
                      severity, hint);
        }
      spec->severity = g_strcmp0 (severity, "warning") == 0 ? SITREP_CONDITION_WARNING
                                                            : SITREP_CONDITION_CRITICAL;
      g_ptr_array_add (probe->conditions, spec);
    }
}

/* Which keys a probe of @type may have: the common ones and the kind's own, or, when the type is
 * not known, the keys of every kind. */
static GPtrArray *
allowed_probe_keys (const char        *type,
                    const char *const *common,
                    GStrv              kinds)
{
  GPtrArray *allowed = g_ptr_array_new ();
  const char *const *keys = type != NULL ? sitrep_probe_kind_get_keys (type) : NULL;

  for (guint i = 0; common[i] != NULL; i++)
    g_ptr_array_add (allowed, (gpointer) common[i]);
  for (guint k = 0; keys == NULL && kinds[k] != NULL; k++)
    {
      const char *const *others = sitrep_probe_kind_get_keys (kinds[k]);

      for (guint i = 0; others[i] != NULL; i++)
        if (!g_ptr_array_find_with_equal_func (allowed, others[i], g_str_equal, NULL))
          g_ptr_array_add (allowed, (gpointer) others[i]);
    }
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    g_ptr_array_add (allowed, (gpointer) keys[i]);
  g_ptr_array_add (allowed, NULL);
  return allowed;
}

/* The kind-specific keys are each kind's own (sitrep-probe-kind.h): the loader reads the common
 * keys and hands the probe to its kind. */
static void
load_probe (SitrepLoader  *l,
            JsonNode      *node,
            SitrepService *service,
            GHashTable    *seen)
{
  static const char *const common[] = {
    "id", "type", "interval", "timeout", "jitter", "fail_after", "recover_after", "description",
    "conditions", NULL
  };
  static const char *const required[] = { "id", "type", NULL };
  g_auto(GStrv) kinds = sitrep_probe_kind_list ();
  g_autoptr(GPtrArray) allowed = NULL;
  const SitrepProbeKind *kind = NULL;
  JsonObject *object;
  SitrepProbeSpec *probe;
  g_autofree char *type = NULL;
  g_autofree char *what = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sitrep_schema_object (l, node, _("a probe"), common, required);
      return;
    }
  object = json_node_get_object (node);
  type = sitrep_schema_string (l, object, "type");
  if (type != NULL)
    kind = sitrep_probe_kind_get (type);
  allowed = allowed_probe_keys (kind != NULL ? type : NULL, common, kinds);

  if (kind == NULL && type != NULL)
    {
      g_autofree char *hint = sitrep_did_you_mean (type, (const char *const *) kinds);
      g_autofree char *known = g_strjoinv (", ", kinds);

      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "type")),
                             _("unknown probe type \"%s\"%s (known: %s)"), type, hint, known);
    }

  /* A key of another probe type gets a message that says so, not a "did you mean". */
  if (kind != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *m = members; m != NULL; m = m->next)
        {
          const char *key = m->data;

          if (g_strv_contains ((const char *const *) allowed->pdata, key))
            continue;
          for (guint k = 0; kinds[k] != NULL; k++)
            if (g_strv_contains (sitrep_probe_kind_get_keys (kinds[k]), key))
              {
                sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, key)),
                                       _("\"%s\" does not apply to a %s probe"), key, type);
                json_object_remove_member (object, key);
                break;
              }
        }
    }

  /* Named by its kind: which keys a probe takes depends on it. */
  what = kind != NULL ? g_strdup_printf (_("a probe of type \"%s\""), type)
                      : g_strdup (_("a probe"));
  sitrep_schema_object (l, node, what, (const char *const *) allowed->pdata, required);

  probe = g_new0 (SitrepProbeSpec, 1);
  probe->id = sitrep_schema_id (l, object, "id", seen, _("probe"));
  probe->type_name = g_strdup (type);
  probe->description = sitrep_schema_string (l, object, "description");
  probe->interval_ms = sitrep_schema_duration_ms (l, object, "interval", 15000);
  probe->timeout_ms = sitrep_schema_duration_ms (l, object, "timeout", 5000);
  probe->jitter_ms = sitrep_schema_duration_ms (l, object, "jitter", 0);
  probe->fail_after = sitrep_schema_int (l, object, "fail_after", 1, 1000, 3);
  probe->recover_after = sitrep_schema_int (l, object, "recover_after", 1, 1000, 2);
  probe->conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_condition_spec_free);
  g_ptr_array_add (service->probes, probe);

  if (probe->interval_ms < 1000 && sitrep_schema_member (object, "interval") != NULL)
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "interval")),
                           _("\"interval\" must be at least 1s: probing faster only adds load"));
  if (probe->timeout_ms <= 0 && sitrep_schema_member (object, "timeout") != NULL)
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "timeout")),
                           _("\"timeout\" must be longer than 0"));

  load_conditions (l, object, probe);

  if (kind != NULL)
    kind->load (l, node, service, probe);
}

void
sitrep_runbook_load_services (SitrepLoader *l,
                              JsonObject   *root)
{
  static const char *const allowed[] = {
    "id", "name", "description", "target", "selector", "symptoms", "procedures", "links",
    "probes", "actions", "absent_from_drill", NULL
  };
  static const char *const required[] = { "id", "name", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array = sitrep_schema_array (l, root, "services");

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i), _("a service"),
                                                 allowed, required);
      g_autoptr(GHashTable) probe_ids = sitrep_schema_new_seen ();
      SitrepService *service;
      JsonArray *probes;

      if (object == NULL)
        continue;
      service = g_new0 (SitrepService, 1);
      service->id = sitrep_schema_id (l, object, "id", seen, _("service"));
      service->name = sitrep_schema_text (l, object, "name");
      service->description = sitrep_schema_string (l, object, "description");
      service->target = sitrep_schema_text (l, object, "target");
      service->selector = sitrep_schema_text (l, object, "selector");
      service->symptoms = sitrep_schema_strv (l, object, "symptoms");
      service->procedures = sitrep_schema_strv (l, object, "procedures");
      service->links = sitrep_schema_strv (l, object, "links");
      service->actions = sitrep_schema_strv (l, object, "actions");
      service->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_probe_spec_free);
      service->absent_from_drill = sitrep_schema_text (l, object, "absent_from_drill");
      g_ptr_array_add (l->rb->services, service);

      if (service->absent_from_drill != NULL && !l->rb->environment.drill)
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "absent_from_drill")),
                               _("\"absent_from_drill\" is only for a drill's runbook "
                                 "(\"environment\": {\"drill\": true}): remove it"));
      else if (service->absent_from_drill != NULL && sitrep_schema_member (object, "probes"))
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "probes")),
                               _("service \"%s\" is absent from the drill: it has no probes"),
                               service->id ? service->id : "");

      if (service->target != NULL && !g_regex_match_simple ("^[a-z.]+/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
                                                            service->target, 0, 0))
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "target")),
                    _("\"target\" must be kind/name, like \"deployment/carecircle-api\""));

      for (guint k = 0; service->links != NULL && service->links[k] != NULL; k++)
        sitrep_runbook_check_link_ref (l, sitrep_schema_strv_element (object, "links", k),
                                       service->links[k]);

      for (guint k = 0; service->actions != NULL && service->actions[k] != NULL; k++)
        {
          JsonNode *ref = sitrep_schema_strv_element (object, "actions", k);
          guint needs;

          if (!sitrep_schema_check_ref (l, ref, service->actions[k], l->rb->actions, _("action")))
            continue;
          needs = GPOINTER_TO_UINT (g_hash_table_lookup (l->action_needs, service->actions[k]));
          if ((needs & NEEDS_TARGET) && service->target == NULL)
            sitrep_schema_problem (l, AT_VALUE (ref),
                        _("action \"%s\" uses {target} but service \"%s\" has no \"target\""),
                        service->actions[k], service->id);
          if ((needs & NEEDS_SELECTOR) && service->selector == NULL)
            sitrep_schema_problem (l, AT_VALUE (ref),
                        _("action \"%s\" uses {selector} but service \"%s\" has no \"selector\""),
                        service->actions[k], service->id);
        }

      probes = sitrep_schema_array (l, object, "probes");
      for (guint k = 0; probes != NULL && k < json_array_get_length (probes); k++)
        load_probe (l, json_array_get_element (probes, k), service, probe_ids);
    }
}
