/* sitrep-runbook-environments.c: reads the cluster (or, from format 2, the clusters) a runbook
 * works on
 *
 * A runbook has one "environment", or from format 2 several "environments" (staging and
 * production, a cluster per region), each with its own context, namespace, protection and
 * links. The console works on one at a time (sitrep_runbook_select_environment()): the first
 * until the person picks another, and every command, kube probe and audit entry follows the
 * one picked.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-argv.h"
#include "sitrep-runbook-loader-private.h"
#include "sitrep-runbook-trust.h"

/* An http(s) address in @object's "url", or a problem at it. */
void
sitrep_runbook_check_url (SitrepLoader *l,
                          JsonObject   *object,
                          const char   *url)
{
  g_autoptr(GError) error = NULL;

  if (url != NULL && !sitrep_runbook_trust_check_link (url, &error))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "url")), "%s",
                           error->message);
}

/* One environment's object into @env; @listed: an entry of "environments", with an id and a
 * label, and without a drill's keys (a drill is a runbook of its own). */
static void
load_one (SitrepLoader      *l,
          JsonNode          *node,
          SitrepEnvironment *env,
          gboolean           listed,
          GHashTable        *seen)
{
  static const char *const allowed[] = {
    "context", "namespace", "read_only", "protected", "kubectl", "links", "drill", "kubeconfig",
    "drill_started_at", NULL
  };
  static const char *const required[] = { "context", "namespace", NULL };
  static const char *const listed_allowed[] = {
    "id", "label", "context", "namespace", "read_only", "protected", "kubectl", "links", NULL
  };
  static const char *const listed_required[] = { "id", "label", "context", "namespace", NULL };
  static const char *const link_allowed[] = { "id", "label", "url", "note", NULL };
  static const char *const link_required[] = { "id", "label", NULL };
  g_autoptr(GHashTable) seen_links = sitrep_schema_new_seen ();
  JsonObject *object;
  JsonArray *links;

  object = sitrep_schema_object (l, node, listed ? _("an environment") : "\"environment\"",
                                 listed ? listed_allowed : allowed,
                                 listed ? listed_required : required);
  if (object == NULL)
    return;

  if (listed)
    {
      env->id = sitrep_schema_id (l, object, "id", seen, _("environment"));
      if (env->id != NULL && !sitrep_schema_is_slug (env->id))
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "id")),
                               _("environment id \"%s\" is not one you can type on the command "
                                 "line: use lower-case letters, digits, \"-\" and \"_\", "
                                 "starting with a letter, like \"eu-production\""),
                               env->id);
      env->label = sitrep_schema_text (l, object, "label");
    }
  env->context = sitrep_schema_text (l, object, "context");
  env->namespace_ = sitrep_schema_text (l, object, "namespace");
  env->read_only = sitrep_schema_bool (l, object, "read_only", FALSE);
  env->protected_ = sitrep_schema_bool (l, object, "protected", FALSE);
  env->drill = sitrep_schema_bool (l, object, "drill", FALSE);
  if (sitrep_schema_member (object, "kubeconfig") != NULL)
    {
      JsonNode *at = sitrep_schema_member (object, "kubeconfig");

      env->kubeconfig = sitrep_schema_text (l, object, "kubeconfig");
      /* A production runbook must not choose the cluster: the person running Sitrep does, with
       * their own kubeconfig. A drill's simulation is the one cluster a runbook may name. */
      if (env->kubeconfig != NULL && !env->drill)
        sitrep_schema_problem (l, AT_VALUE (at),
                               _("\"kubeconfig\" is only for a drill (\"drill\": true): a "
                                 "runbook for a real cluster uses the kubeconfig of whoever runs "
                                 "Sitrep; remove it and choose the cluster with \"context\""));
      else if (env->kubeconfig != NULL && !g_path_is_absolute (env->kubeconfig))
        sitrep_schema_problem (l, AT_VALUE (at),
                               _("\"kubeconfig\" must be an absolute path, like the one sitrep "
                                 "drill serve writes: \"%s\" depends on the folder Sitrep "
                                 "starts in"),
                               env->kubeconfig);
    }
  if (sitrep_schema_member (object, "drill_started_at") != NULL)
    {
      JsonNode *at = sitrep_schema_member (object, "drill_started_at");
      g_autofree char *text = sitrep_schema_text (l, object, "drill_started_at");
      g_autoptr(GDateTime) when = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

      /* A drill's score counts the time to declare from it (sitrep-drill-score.c). */
      if (!env->drill)
        sitrep_schema_problem (l, AT_VALUE (at),
                               _("\"drill_started_at\" is only for a drill (\"drill\": true): "
                                 "remove it"));
      else if (when == NULL && text != NULL)
        sitrep_schema_problem (l, AT_VALUE (at),
                               _("\"drill_started_at\" is \"%s\", not a time: write it in ISO "
                                 "8601 with its time zone, e.g. \"2025-11-28T03:20:00Z\""),
                               text);
      else if (when != NULL)
        env->drill_started_at = g_date_time_to_unix (when) * G_USEC_PER_SEC
                                + g_date_time_get_microsecond (when);
    }
  if (sitrep_schema_member (object, "kubectl") != NULL)
    {
      char *kubectl = sitrep_schema_text (l, object, "kubectl");

      if (kubectl != NULL)
        {
          g_autofree char *why = NULL;

          g_free (g_steal_pointer (&env->kubectl)), env->kubectl = kubectl;
          /* Every kubectl command runs through this program: a wrapper would run whatever
           * follows it, without the context and namespace. */
          why = sitrep_argv_check_program (kubectl, env);
          if (why != NULL)
            sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "kubectl")),
                                   _("\"kubectl\" is \"%s\", a program that runs other "
                                     "programs or a shell: give the path of the kubectl binary "
                                     "itself, e.g. \"/usr/bin/kubectl\""),
                                   kubectl);
        }
    }

  links = sitrep_schema_array (l, object, "links");
  for (guint i = 0; links != NULL && i < json_array_get_length (links); i++)
    {
      JsonObject *link_object = sitrep_schema_object (l, json_array_get_element (links, i),
                                                      _("a link"), link_allowed, link_required);
      SitrepLink *link;

      if (link_object == NULL)
        continue;
      link = g_new0 (SitrepLink, 1);
      link->id = sitrep_schema_id (l, link_object, "id", seen_links, _("link"));
      link->label = sitrep_schema_text (l, link_object, "label");
      link->url = sitrep_schema_text (l, link_object, "url");
      sitrep_runbook_check_url (l, link_object, link->url);
      link->note = sitrep_schema_string (l, link_object, "note");
      g_ptr_array_add (env->links, link);
    }
}

/* "environment", or from format 2 "environments": exactly one of them. */
void
sitrep_runbook_load_environments (SitrepLoader *l,
                                  JsonObject   *root)
{
  SitrepEnvironment *first = &l->rb->environment;
  JsonNode *single = sitrep_schema_member (root, "environment");
  JsonNode *listed = sitrep_schema_member (root, "environments");
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array;

  first->kubectl = g_strdup ("kubectl");
  if (single == NULL && listed == NULL)
    {
      sitrep_schema_problem (l, AT_VALUE (sitrep_json_doc_get_root (l->doc)),
                             _("a runbook is missing the required key \"environment\" (or, "
                               "from format 2, \"environments\")"));
      return;
    }
  if (single != NULL && listed != NULL)
    {
      sitrep_schema_problem (l, AT_KEY (listed),
                             _("a runbook has \"environment\" or \"environments\", not both: "
                               "move \"environment\" into the list as its first entry, with "
                               "an \"id\" and a \"label\""));
      return;
    }
  if (single != NULL)
    {
      load_one (l, single, first, FALSE, NULL);
      return;
    }

  if (!sitrep_schema_since (l, root, "environments", 2))
    return;
  array = sitrep_schema_array (l, root, "environments");
  if (array == NULL)
    return;
  if (json_array_get_length (array) == 0)
    {
      sitrep_schema_problem (l, AT_VALUE (listed),
                             _("\"environments\" is empty: a runbook needs at least one "
                               "environment"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      SitrepEnvironment *env = first;

      if (i > 0)
        {
          env = g_new0 (SitrepEnvironment, 1);
          env->kubectl = g_strdup ("kubectl");
          env->links = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_link_free);
          g_ptr_array_add (l->rb->other_environments, env);
          g_ptr_array_add (l->rb->environments, env);
        }
      load_one (l, node, env, TRUE, seen);
      /* The console starts one kubectl for whichever environment is picked. */
      if (i > 0 && g_strcmp0 (env->kubectl, first->kubectl) != 0 && JSON_NODE_HOLDS_OBJECT (node))
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (json_node_get_object (node),
                                                                  "kubectl")),
                               _("\"kubectl\" must be the same program in every environment, "
                                 "and the first one's is \"%s\": the context and namespace are "
                                 "what tells them apart"),
                               first->kubectl);
    }
}

/* Checks that the link @id a checklist item or a service names is in every environment, so
 * that picking another one never leaves it dangling. */
gboolean
sitrep_runbook_check_link_ref (SitrepLoader *l,
                               JsonNode     *node,
                               const char   *id)
{
  if (!sitrep_schema_check_ref (l, node, id, l->rb->environment.links, _("link")))
    return FALSE;
  for (guint i = 0; i < l->rb->other_environments->len; i++)
    {
      const SitrepEnvironment *env = l->rb->other_environments->pdata[i];
      gboolean found = FALSE;

      for (guint k = 0; k < env->links->len && !found; k++)
        found = g_strcmp0 (((SitrepLink *) env->links->pdata[k])->id, id) == 0;
      if (!found)
        {
          sitrep_schema_problem (l, AT_VALUE (node),
                                 _("link \"%s\" is not in environment \"%s\": every "
                                   "environment needs the links the runbook opens, so that "
                                   "they work in whichever one is picked"),
                                 id, env->id ? env->id : "");
          return FALSE;
        }
    }
  return TRUE;
}
