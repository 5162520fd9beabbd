/* sitrep-import-kubectl.c: a runbook's kubectl commands mapped to actions, by their verbs
 *
 * kubectl's cluster flags, object kinds and label selectors are read here. Any other program
 * is mapped in sitrep-import-commands.c, which also holds what both share: inputs from
 * placeholders, labels from comments, and actions with ids no other action has.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

static const char *const cluster_flags[] = {
  "-n", "--namespace", "--context", "--kubeconfig", "--server", "-s", "--cluster", "--user", NULL
};

static const char *const kube_kinds[] = {
  "deployment", "deploy", "deployments", "statefulset", "sts", "daemonset", "ds", NULL
};

static char *
normal_kind (const char *kind)
{
  if (g_str_equal (kind, "deploy") || g_str_equal (kind, "deployments"))
    return g_strdup ("deployment");
  if (g_str_equal (kind, "sts"))
    return g_strdup ("statefulset");
  if (g_str_equal (kind, "ds"))
    return g_strdup ("daemonset");
  return g_strdup (kind);
}

/* A Kubernetes object name (RFC 1123): what the loader accepts after "kind/". */
gboolean
import_kube_name_ok (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 253 || !g_ascii_isalnum (name[0]) || !g_ascii_isalnum (name[len - 1]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '.'))
      return FALSE;
  return TRUE;
}

/* "app=carecircle-api" → "carecircle-api". */
static char *
selector_name (const char *selector)
{
  const char *eq = strchr (selector, '=');

  return eq != NULL && strchr (eq + 1, ',') == NULL && import_kube_name_ok (eq + 1) ? g_strdup (eq + 1)
                                                                            : NULL;
}

/* A pod picked with $(kubectl get pod -l app=X -o jsonpath=…): kubectl picks one itself when
 * given deployment/X. */
static char *
pod_picker (const char *subst)
{
  g_autofree char *why = NULL;
  g_autoptr(ImportCommand) inner = import_command_parse (subst, &why);

  if (inner == NULL || inner->argv->len < 3 || !g_str_equal (inner->argv->pdata[0], "kubectl")
      || !g_str_equal (inner->argv->pdata[1], "get")
      || !g_str_has_prefix (inner->argv->pdata[2], "pod"))
    return NULL;
  for (guint i = 3; i + 1 < inner->argv->len; i++)
    if (g_str_equal (inner->argv->pdata[i], "-l") || g_str_equal (inner->argv->pdata[i], "--selector"))
      return selector_name (inner->argv->pdata[i + 1]);
  return NULL;
}

DraftAction *
import_map_kubectl (ImportDraft   *draft,
                    ImportCommand *command,
                    const char    *text,
                    guint          line,
                    const char    *comment,
                    DraftService  *section_service,
                    DraftService **target_service)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_input_free);
  g_autofree char *object = NULL;
  g_autofree char *selector = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base = NULL;
  g_autofree char *verb_copy = NULL;
  g_autofree char *sub_copy = NULL;
  DraftService *service = NULL;
  DraftAction *action;
  DraftInput *revision = NULL, *replicas = NULL;
  const char *verb, *sub;
  gboolean generic, object_generic;
  gint object_at = -1, selector_at = -1;
  guint selector_taken = 0;

  *target_service = NULL;
  for (guint i = 1; i < command->argv->len; i++)
    g_ptr_array_add (words, g_strdup (command->argv->pdata[i]));

  /* The cluster and namespace are the environment's. */
  for (guint i = 0; i < words->len; i++)
    {
      if (g_str_equal (words->pdata[i], "--"))
        break;
      for (guint f = 0; cluster_flags[f] != NULL; f++)
        {
          guint taken = 0;
          const char *value = import_flag_value (words, i, cluster_flags[f], &taken);

          if (value != NULL)
            {
              g_autofree char *what = g_strdup (taken == 2 ? cluster_flags[f] : words->pdata[i]);

              import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                           g_str_equal (cluster_flags[f], "-n") || g_str_equal (cluster_flags[f], "--namespace")
                             ? _("dropped “%s %s” from kubectl: the namespace is "
                                 "environment.namespace, which the console adds")
                             : _("dropped “%s %s” from kubectl: the console aims kubectl at "
                                 "environment.context only"),
                           what, taken == 2 ? value : "");
              g_ptr_array_remove_range (words, i, taken);
              i--;
              break;
            }
        }
    }
  if (words->len == 0)
    return NULL;

  /* $(kubectl get pod -l app=X …) → deployment/X. */
  for (guint i = 0; i < words->len; i++)
    {
      const char *w = words->pdata[i];
      const char *mark = strchr (w, '\x01');

      if (mark != NULL)
        {
          guint n = (guint) g_ascii_strtoull (mark + 1, NULL, 10);
          g_autofree char *picked = n < command->substs->len ? pod_picker (command->substs->pdata[n]) : NULL;

          if (picked == NULL || mark != w)
            {
              import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line,
                           _("“$(%s)” needs a shell: the console runs commands without one; "
                             "write the command without it"),
                           n < command->substs->len ? (char *) command->substs->pdata[n] : "");
              return NULL;
            }
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                       _("“$(%s)” picks a pod of %s: deployment/%s does the same for kubectl"),
                       (char *) command->substs->pdata[n], picked, picked);
          g_free (words->pdata[i]);
          words->pdata[i] = g_strdup_printf ("deployment/%s", picked);
        }
    }

  /* Copies: the words below are replaced and removed as they are read. */
  verb = verb_copy = g_strdup (words->pdata[0]);
  sub = sub_copy = g_strdup (words->len > 1 ? words->pdata[1] : "");
  for (guint i = 1; i < words->len; i++)
    {
      const char *w = words->pdata[i];
      const char *slash = strchr (w, '/');
      guint taken = 0;
      const char *value;

      if (g_str_equal (w, "--"))
        break;
      if ((value = import_flag_value (words, i, "-l", &taken)) || (value = import_flag_value (words, i, "--selector", &taken)))
        {
          g_free (selector);
          selector = g_strdup (value);
          selector_at = i + taken - 1;
          selector_taken = taken;
          i += taken - 1;
          continue;
        }
      if (w[0] == '-')
        continue;
      if (slash != NULL && object == NULL)
        {
          g_autofree char *kind = g_strndup (w, slash - w);

          if (g_strv_contains (kube_kinds, kind) && import_kube_name_ok (slash + 1))
            {
              g_autofree char *normal = normal_kind (kind);

              object = g_strdup_printf ("%s/%s", normal, slash + 1);
              g_free (words->pdata[i]);
              words->pdata[i] = g_strdup (object);
              object_at = i;
            }
        }
      else if (object == NULL && g_strv_contains (kube_kinds, w) && i + 1 < words->len
               && import_kube_name_ok (words->pdata[i + 1]))
        {
          g_autofree char *normal = normal_kind (w);

          object = g_strdup_printf ("%s/%s", normal, (char *) words->pdata[i + 1]);
          g_free (words->pdata[i]);
          words->pdata[i] = g_strdup (object);
          g_ptr_array_remove_index (words, i + 1);
          object_at = i;
        }
    }

  /* kubectl exec takes no label selector: aim it at the deployment, which picks a pod. */
  if (g_str_equal (verb, "exec") && object == NULL && selector != NULL
      && (name = selector_name (selector)) != NULL)
    {
      object = g_strdup_printf ("deployment/%s", name);
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                   _("kubectl exec takes no “-l %s”: %s picks one of its pods instead"), selector,
                   object);
      /* "-l X", "-lX" or "--selector=X": the flag and its value, one word or two. */
      selector_at -= selector_taken - 1;
      g_ptr_array_remove_range (words, selector_at, selector_taken);
      g_ptr_array_insert (words, selector_at, g_strdup (object));
      object_at = selector_at;
      selector_at = -1;
      g_clear_pointer (&selector, g_free);
    }

  if (name == NULL && object != NULL && g_str_has_prefix (object, "deployment/"))
    name = g_strdup (object + strlen ("deployment/"));
  if (name == NULL && selector != NULL)
    name = selector_name (selector);
  if (name != NULL)
    {
      service = import_service_for_deployment (draft, name, line);
      if (object != NULL && g_str_has_prefix (object, "deployment/") && service->target == NULL)
        {
          g_autofree char *refused = import_check_target (draft, object);

          if (refused == NULL)
            service->target = g_strdup (object);
        }
      if (selector != NULL && service->selector == NULL)
        service->selector = g_strdup (selector);
    }
  *target_service = service;

  /* A follow-mode log or watch never ends: the console runs a command to its end. */
  for (guint i = 0; i < words->len; i++)
    if (g_str_equal (words->pdata[i], "-f") || g_str_equal (words->pdata[i], "--follow")
        || g_str_equal (words->pdata[i], "-w") || g_str_equal (words->pdata[i], "--watch"))
      {
        import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                     _("dropped “%s”: a command that follows output forever never finishes in "
                       "the console"), (char *) words->pdata[i]);
        g_ptr_array_remove_index (words, i);
        if ((gint) i < object_at)
          object_at--;
        if ((gint) i < selector_at)
          selector_at--;
        i--;
      }

  /* The service's own target and selector become {target} and {selector}, so one action serves
   * every service; a command aimed at another service than its section's stays literal. */
  generic = service != NULL && (section_service == NULL || section_service == service);
  object_generic = generic && object != NULL && g_strcmp0 (object, service->target) == 0;
  action = g_new0 (DraftAction, 1);
  action->argv = g_ptr_array_new_with_free_func (g_free);
  action->inputs = g_steal_pointer (&inputs);
  action->line = line;
  g_ptr_array_add (action->argv, g_strdup ("kubectl"));
  for (guint i = 0; i < words->len; i++)
    {
      const char *w = words->pdata[i];
      const char *count = g_str_has_prefix (w, "--replicas=") ? w + strlen ("--replicas=") : NULL;

      if (object_generic && (gint) i == object_at)
        g_ptr_array_add (action->argv, g_strdup ("{target}"));
      else if (generic && (gint) i == selector_at && g_strcmp0 (w, service->selector) == 0)
        g_ptr_array_add (action->argv, g_strdup ("{selector}"));
      else if (generic && (gint) i == selector_at && g_str_has_prefix (w, "--selector=")
               && g_strcmp0 (w + 11, service->selector) == 0)
        g_ptr_array_add (action->argv, g_strdup ("--selector={selector}"));
      else if (g_str_has_prefix (w, "--to-revision=") && !strchr (w, '<') && object != NULL)
        {
          guint known = action->inputs->len;

          /* The history of the object the command rolls back, named as the command names it. */
          revision = import_input_for (action->inputs, "revision", "Revision", "choice");
          if (action->inputs->len > known)
            revision->choices_from = import_strv_array ("kubectl", "rollout", "history",
                                                 object_generic ? "{target}" : object, NULL);
          g_ptr_array_add (action->argv, g_strdup_printf ("--to-revision={input.%s}", revision->name));
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                       _("“%s”: the revision is picked from the rollout history when the command "
                         "runs"), w);
        }
      else if (count != NULL && count[0] != '\0' && strspn (count, "0123456789") == strlen (count)
               && (strlen (count) > 9 || g_ascii_strtoll (count, NULL, 10) > G_MAXINT32 / 2))
        {
          g_ptr_array_add (action->argv, import_json_escape_braces (w));
          import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, line, import_column (draft, line, w),
                          _("“%s” is not asked for: the console asks for at most %d replicas; the "
                            "number stays as written. Write a smaller number to be asked for it"),
                          w, G_MAXINT32 / 2);
        }
      else if (count != NULL && count[0] != '\0' && strspn (count, "0123456789") == strlen (count))
        {
          guint known = action->inputs->len;

          replicas = import_input_for (action->inputs, "replicas", "Replicas", "integer");
          if (action->inputs->len > known)
            {
              /* "--replicas=0" scales down: 0 is a choice too, then. */
              replicas->def = g_ascii_strtoll (count, NULL, 10);
              replicas->min = MIN (1, replicas->def);
              replicas->max = MAX (20, replicas->def * 2);
              replicas->has_range = TRUE;
            }
          g_ptr_array_add (action->argv, g_strdup_printf ("--replicas={input.%s}", replicas->name));
          /* Plain %lu: a format macro inside _() would make the msgid differ per platform. */
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                       _("“%s”: the number of replicas is asked for, %lu by default, between %lu "
                         "and %lu"),
                       w, (gulong) replicas->def, (gulong) replicas->min, (gulong) replicas->max);
        }
      else
        g_ptr_array_add (action->argv, import_placeholder_input (draft, w, action->inputs, line));
    }

  /* What the verb does. */
  if (g_str_equal (verb, "rollout"))
    {
      gboolean to = FALSE;

      for (guint i = 0; i < action->argv->len; i++)
        to |= g_str_has_prefix (action->argv->pdata[i], "--to-revision=");
      base = g_str_equal (sub, "undo") ? g_strdup (to ? "rollback-to" : "rollback")
                                       : import_slug (sub, 0);
      if (g_str_equal (sub, "restart") || g_str_equal (sub, "undo") || g_str_equal (sub, "pause")
          || g_str_equal (sub, "resume"))
        {
          action->mutates = TRUE;
          action->dry_run = g_str_equal (sub, "restart") || g_str_equal (sub, "undo");
          if (object != NULL)
            action->follow_up = import_strv_array ("kubectl", "rollout", "status",
                                            object_generic ? "{target}" : object,
                                            "--timeout=5m", NULL);
        }
      if (g_str_equal (sub, "undo"))
        action->noop_output = g_strdup ("skipped rollback");
    }
  else
    {
      static const char *const changing[] = {
        "scale", "delete", "apply", "patch", "set", "edit", "create", "replace", "annotate",
        "label", "cordon", "uncordon", "drain", "taint", "autoscale", "expose", "run", NULL
      };
      static const char *const previewable[] = {
        "scale", "delete", "apply", "patch", "set", "create", "replace", "annotate", "label", NULL
      };

      action->mutates = g_strv_contains (changing, verb);
      action->dry_run = g_strv_contains (previewable, verb);
      action->dangerous = g_str_equal (verb, "delete") || g_str_equal (verb, "drain");
      if (g_str_equal (verb, "get") && words->len > 1)
        {
          const char *what = words->pdata[1];

          g_autofree char *slug = import_slug (what, 0);

          base = g_str_has_prefix (what, "pod") ? g_strdup ("pods")
                 : g_str_has_prefix (what, "event") ? g_strdup ("events")
                 : g_str_equal (what, "all") ? g_strdup ("all")
                 : g_strdup_printf ("get-%s", slug);
        }
      else if (g_str_equal (verb, "exec"))
        {
          for (guint i = 0; i < action->argv->len; i++)
            {
              const char *w = action->argv->pdata[i];

              if (g_str_equal (w, "--"))
                break;
              if (g_str_equal (w, "-it") || g_str_equal (w, "-ti") || g_str_equal (w, "-t")
                  || g_str_equal (w, "--tty"))
                action->terminal = TRUE;
            }
          base = g_strdup (action->terminal ? "exec-shell" : "exec");
        }
      else
        base = import_slug (verb, 0);
    }
  /* The confirmation names the target only when the command is aimed at it. */
  if (g_str_equal (base, "restart"))
    action->confirm = g_strdup (object_generic ? "Restart {target}? Its pods are replaced one by one."
                                               : "Restart this deployment? Its pods are replaced one by one.");
  else if (g_str_equal (base, "rollback") && object_generic)
    action->confirm = g_strdup ("Roll {target} back to its previous revision?");
  else if (g_str_equal (base, "rollback-to") && object_generic && revision != NULL)
    action->confirm = g_strdup_printf ("Roll {target} back to revision {input.%s}?", revision->name);
  else if (g_str_equal (base, "scale") && object_generic && replicas != NULL)
    action->confirm = g_strdup_printf ("Scale {target} to {input.%s} replicas?", replicas->name);

  action->label = import_label_from (comment, action->argv);
  if (action->label == NULL)
    action->label = import_capitalize (base);
  if (comment != NULL && strcmp (comment, action->label) != 0 && strlen (comment) > strlen (action->label) + 8)
    action->description = import_json_escape_braces (comment);
  return import_add_action (draft, action, base, generic ? service : section_service, text);
}
