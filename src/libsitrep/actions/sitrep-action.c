/* sitrep-action.c: what Sitrep knows of a runbook action before it is asked to run it
 *
 * Whether it is shown, what it is called, how it is confirmed, its command line as a template;
 * the request to run one (sitrep-action-request.c) builds on these.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-action.h"
#include "sitrep-argv.h"
#include "sitrep-template.h"

G_DEFINE_QUARK (sitrep-action-error-quark, sitrep_action_error)

/* Read-only (runbook environment, setting or --read-only): mutating actions are not shown. */
gboolean
sitrep_action_is_hidden (const SitrepAction *action,
                         SitrepRunbook      *runbook,
                         gboolean            app_read_only)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);

  return action->mutates && (app_read_only || env->read_only);
}

/* "deployment/carecircle-api" → "carecircle-api": the name a person types to confirm. */
const char *
sitrep_action_target_name (const SitrepService *service)
{
  const char *slash;

  if (service == NULL)
    return NULL;
  if (service->target == NULL || *service->target == '\0')
    return service->id;
  slash = strrchr (service->target, '/');
  return slash != NULL && slash[1] != '\0' ? slash + 1 : service->target;
}

/* Fills {target}, {input.NAME} and the rest in a text for people; unknown names stay as written. */
char *
sitrep_action_fill_text (const char          *text,
                         SitrepRunbook       *runbook,
                         const SitrepService *service,
                         GHashTable          *inputs)
{
  SitrepArgvValues values = { sitrep_runbook_get_environment (runbook), service, inputs };

  if (text == NULL)
    return NULL;
  return sitrep_template_expand (text, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_KEEP,
                                 sitrep_argv_lookup_value, &values, NULL, NULL);
}

/* A Go duration as kubectl takes it ("5m", "1m30s", "500ms"), or -1. */
gint64
sitrep_action_kubectl_duration_ms (const char *text)
{
  static const struct { const char *unit; double ms; } units[] = {
    { "ms", 1 }, { "us", 0.001 }, { "µs", 0.001 }, { "ns", 0.000001 },
    { "h", 3600000 }, { "m", 60000 }, { "s", 1000 },
  };
  double total = 0;
  const char *p = text;

  if (text == NULL || *text == '\0')
    return -1;
  if (g_str_equal (text, "0"))
    return 0;
  while (*p != '\0')
    {
      char *end;
      double number = g_ascii_strtod (p, &end);
      gboolean found = FALSE;

      if (end == p || number < 0)
        return -1;
      p = end;
      for (guint i = 0; i < G_N_ELEMENTS (units) && !found; i++)
        if (g_str_has_prefix (p, units[i].unit))
          {
            total += number * units[i].ms;
            p += strlen (units[i].unit);
            found = TRUE;
          }
      if (!found)
        return -1;
    }
  return (gint64) total;
}

/* Whether @action runs kubectl (by its name, or the environment's kubectl). */
gboolean
sitrep_action_is_kubectl (const SitrepAction *action,
                          SitrepRunbook      *runbook)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  g_autofree char *program = g_path_get_basename (action->argv[0]);

  return g_str_equal (program, "kubectl") || g_strcmp0 (action->argv[0], env->kubectl) == 0;
}

/* What the confirmation dialog needs before any input has a value. */

/**
 * sitrep_action_command_line_template:
 * @inputs: (nullable): the values known so far; the others stay as {input.NAME}
 *
 * Returns: the command line as it will run once every input has a value, for people: secret
 *   inputs never appear in it, and it is redacted.
 */
char *
sitrep_action_command_line_template (SitrepRunbook       *runbook,
                                     const SitrepService *service,
                                     const SitrepAction  *action,
                                     GHashTable          *inputs,
                                     const char          *kubectl)
{
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) argv = NULL;

  g_return_val_if_fail (action != NULL && action->argv != NULL, NULL);
  /* A secret input never shows, even once it has a value. */
  for (guint i = 0; action->inputs != NULL && i < action->inputs->len; i++)
    {
      const SitrepActionInput *input = action->inputs->pdata[i];
      const char *value = inputs ? g_hash_table_lookup (inputs, input->name) : NULL;

      if (value != NULL && !input->secret)
        g_hash_table_insert (known, input->name, (gpointer) value);
    }
  argv = sitrep_argv_expand_shown ((const char *const *) action->argv, runbook, service, known,
                                   kubectl);
  if (argv == NULL)
    return sitrep_argv_to_string ((const char *const *) action->argv);
  return sitrep_argv_to_string ((const char *const *) argv);
}

/* kubectl … scale …: the dialog reads the current replicas for --current-replicas. */
gboolean
sitrep_action_get_is_scale (const SitrepAction *action,
                            SitrepRunbook      *runbook)
{
  g_return_val_if_fail (action != NULL && action->argv != NULL, FALSE);
  return sitrep_action_is_kubectl (action, runbook) && action->argv[1] != NULL
         && g_str_equal (action->argv[1], "scale");
}

/* A kubectl mutation marked dry_run can be previewed with --dry-run=server. */
gboolean
sitrep_action_get_has_preview (const SitrepAction *action,
                               SitrepRunbook      *runbook)
{
  g_return_val_if_fail (action != NULL && action->argv != NULL, FALSE);
  return action->dry_run && action->mutates && sitrep_action_is_kubectl (action, runbook)
         && action->argv[1] != NULL;
}

/* A dangerous action, or any mutating one in a protected environment. */
gboolean
sitrep_action_get_needs_typed_confirmation (const SitrepAction *action,
                                            SitrepRunbook      *runbook)
{
  g_return_val_if_fail (action != NULL, FALSE);
  return action->dangerous
         || (action->mutates && sitrep_runbook_get_environment (runbook)->protected_);
}

/* What to type: the target's name ("carecircle-api"), or the service id without a target, or
 * the action's id without a service. */
const char *
sitrep_action_get_confirmation_word (const SitrepAction  *action,
                                     const SitrepService *service)
{
  g_return_val_if_fail (action != NULL, NULL);
  if (service == NULL)
    return action->id;
  return sitrep_action_target_name (service);
}

/* Terminal emulators that take the command after "--" (or "-e"), the user's desktop first. */
static const char *const terminals[][2] = {
  { "kgx", "--" },
  { "gnome-terminal", "--" },
  { "x-terminal-emulator", "-e" },
  { "xterm", "-e" },
};

/**
 * sitrep_action_open_in_terminal:
 *
 * Runs an interactive command (`kubectl exec -it …`) in the user's terminal emulator.
 *
 * Returns: %FALSE with @error set when no terminal emulator is installed, so the caller can
 *   offer the command line to copy instead
 */
gboolean
sitrep_action_open_in_terminal (const char *const *argv,
                                GError           **error)
{
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (terminals); i++)
    {
      g_autofree char *path = g_find_program_in_path (terminals[i][0]);
      g_autoptr(GStrvBuilder) builder = NULL;
      g_auto(GStrv) full = NULL;
      g_auto(GStrv) command = NULL;
      g_autoptr(GSubprocess) process = NULL;

      if (path == NULL)
        continue;
      /* The terminal runs where Sitrep runs; the command, inside Flatpak, on the host. */
      command = sitrep_argv_for_spawn (argv);
      builder = g_strv_builder_new ();
      g_strv_builder_add (builder, path);
      g_strv_builder_add (builder, terminals[i][1]);
      g_strv_builder_addv (builder, (const char **) command);
      full = g_strv_builder_end (builder);
      process = g_subprocess_newv ((const char *const *) full, G_SUBPROCESS_FLAGS_NONE, error);
      return process != NULL;
    }
  g_set_error_literal (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN,
                       _("No terminal emulator is installed: the command was copied, paste it "
                         "into a terminal."));
  return FALSE;
}
