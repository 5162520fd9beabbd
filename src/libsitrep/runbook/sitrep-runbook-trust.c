/* sitrep-runbook-trust.c: what an opened runbook may run or open, and whether the user trusts it
 *
 * A runbook is a file someone sent you: its actions and command probes are programs. Until the
 * user has read the list of them and trusted the file, the console runs none. Trust is kept by
 * the SHA-256 of the file's content, so an edited file asks again; the built-in runbook, and a
 * runbook that runs nothing, need no trust. Links leave the console through the desktop's URI
 * handler, so only web links are opened: file:, javascript: or a custom scheme could start a
 * program as surely as a command could.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-argv.h"
#include "sitrep-probe-kind.h"
#include "sitrep-runbook-trust.h"

G_DEFINE_QUARK (sitrep-trust-error-quark, sitrep_trust_error)

void
sitrep_trust_command_free (SitrepTrustCommand *command)
{
  g_free (command->what);
  g_free (command->command_line);
  g_free (command);
}

typedef struct
{
  SitrepRunbook *runbook;
  GPtrArray *commands;
  GHashTable *seen; /* "what\ncommand line" */
  gboolean kubectl; /* some command runs environment.kubectl */
} Listing;

static gboolean
is_kubectl (SitrepRunbook     *runbook,
            const char *const *template_)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  g_autofree char *program = g_path_get_basename (template_[0]);

  return g_str_equal (program, "kubectl") || g_strcmp0 (template_[0], env->kubectl) == 0;
}

/* Adds @template_ as it would run for @service, inputs shown as {input.NAME}. */
static void
add_command (Listing             *listing,
             const SitrepService *service,
             const char *const   *template_,
             char                *what)
{
  g_autofree char *owned_what = what;
  g_auto(GStrv) argv = NULL;
  g_autofree char *line = NULL;
  g_autofree char *key = NULL;
  SitrepTrustCommand *command;

  if (template_ == NULL || template_[0] == NULL)
    return;
  listing->kubectl |= is_kubectl (listing->runbook, template_);
  argv = sitrep_argv_expand_shown (template_, listing->runbook, service, NULL, NULL);
  /* The loader refuses what cannot be built; the template is still worth showing. */
  line = sitrep_argv_to_string (argv ? (const char *const *) argv : template_);
  key = g_strdup_printf ("%s\n%s", owned_what, line);
  if (!g_hash_table_add (listing->seen, g_steal_pointer (&key)))
    return;

  command = g_new0 (SitrepTrustCommand, 1);
  command->what = g_steal_pointer (&owned_what);
  command->command_line = g_steal_pointer (&line);
  g_ptr_array_add (listing->commands, command);
}

static void
add_action (Listing             *listing,
            const SitrepService *service,
            const SitrepAction  *action)
{
  const char *name = service->name ? service->name : service->id;

  /* Translators: in the list of a runbook's commands: "Restart · Label Gateway" */
  add_command (listing, service, (const char *const *) action->argv,
               g_strdup_printf (_("%s · %s"), action->label, name));
  if (action->follow_up != NULL)
    /* Translators: "Restart · Label Gateway, then" (the command run after it) */
    add_command (listing, service, (const char *const *) action->follow_up,
                 g_strdup_printf (_("%s · %s, then"), action->label, name));
  for (guint i = 0; i < action->inputs->len; i++)
    {
      const SitrepActionInput *input = action->inputs->pdata[i];

      if (input->choices_from != NULL)
        /* Translators: "Roll back · API: the choices for “Revision”" */
        add_command (listing, service, (const char *const *) input->choices_from,
                     g_strdup_printf (_("%s · %s: the choices for “%s”"), action->label, name,
                                      input->label ? input->label : input->name));
    }
}

static void
add_probe (Listing               *listing,
           const SitrepService   *service,
           const SitrepProbeSpec *spec)
{
  const char *name = service->name ? service->name : service->id;
  /* Translators: in the list of a runbook's commands: "Probe “export” · Billing Export" */
  g_autofree char *what = g_strdup_printf (_("Probe “%s” · %s"), spec->id, name);
  const SitrepProbeKind *kind = sitrep_probe_kind_get (spec->type_name);
  g_auto(GStrv) argv = NULL;

  /* Whatever kind of probe runs a program says which: a kind registered besides the built-in
   * ones is reviewed like them. */
  if (kind == NULL || kind->program == NULL)
    return;
  argv = kind->program (spec);
  if (argv != NULL)
    add_command (listing, service, (const char *const *) argv, g_steal_pointer (&what));
}

/**
 * sitrep_runbook_trust_list_commands:
 *
 * Every program the runbook would have Sitrep run, exactly as it would run: each action of each
 * service (a checklist item may only name those), its follow-up and the command its choices come
 * from, each command and kube probe, and first the kubectl program itself when one of them uses
 * it. Empty when the runbook runs nothing.
 *
 * Returns: (transfer container) (element-type SitrepTrustCommand)
 */
GPtrArray *
sitrep_runbook_trust_list_commands (SitrepRunbook *runbook)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *services;
  Listing listing = { runbook, NULL, seen, FALSE };

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  listing.commands = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_trust_command_free);
  services = sitrep_runbook_get_services (runbook);
  for (guint i = 0; i < services->len; i++)
    {
      const SitrepService *service = services->pdata[i];

      for (guint p = 0; p < service->probes->len; p++)
        add_probe (&listing, service, service->probes->pdata[p]);
      for (guint a = 0; service->actions != NULL && service->actions[a] != NULL; a++)
        {
          const SitrepAction *action = sitrep_runbook_find_action (runbook, service->actions[a]);

          if (action != NULL)
            add_action (&listing, service, action);
        }
    }

  if (listing.kubectl)
    {
      const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
      g_autofree char *found = g_path_is_absolute (env->kubectl)
                                 ? NULL : g_find_program_in_path (env->kubectl);
      SitrepTrustCommand *command = g_new0 (SitrepTrustCommand, 1);

      /* Translators: the first entry of the list of a runbook's commands */
      command->what = g_strdup_printf (_("kubectl, for every kubectl command below (context %s, "
                                         "namespace %s)"), env->context, env->namespace_);
      command->command_line = found ? g_strdup_printf ("%s → %s", env->kubectl, found)
                                    : g_strdup (env->kubectl);
      g_ptr_array_insert (listing.commands, 0, command);
    }
  return listing.commands;
}

/* The digest of the built-in runbook's bytes: a copy of it on disk is just as trusted. */
static const char *
builtin_digest (void)
{
  static gsize done = 0;
  static char *digest = NULL;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GBytes) bytes = g_resources_lookup_data (SITREP_RUNBOOK_DEFAULT_RESOURCE,
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      digest = bytes ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes) : g_strdup ("");
      g_once_init_leave (&done, 1);
    }
  return digest;
}

/**
 * sitrep_runbook_trust_is_trusted:
 * @settings: (nullable): where trusted digests are remembered (SITREP_TRUST_SETTINGS_KEY)
 *
 * Whether Sitrep may run @runbook's commands: it is the built-in runbook, it runs no command at
 * all, or the user trusted this very content before.
 */
gboolean
sitrep_runbook_trust_is_trusted (SitrepRunbook *runbook,
                                 GSettings     *settings)
{
  const char *digest;
  g_autoptr(GPtrArray) commands = NULL;
  g_auto(GStrv) trusted = NULL;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), FALSE);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);

  digest = sitrep_runbook_get_digest (runbook);
  if (sitrep_runbook_get_builtin (runbook) || g_strcmp0 (digest, builtin_digest ()) == 0)
    return TRUE;
  commands = sitrep_runbook_trust_list_commands (runbook);
  if (commands->len == 0)
    return TRUE;
  if (settings == NULL || digest == NULL)
    return FALSE;
  trusted = g_settings_get_strv (settings, SITREP_TRUST_SETTINGS_KEY);
  return g_strv_contains ((const char *const *) trusted, digest);
}

/* The user trusted @runbook: its digest goes first in the list, which keeps the newest ones. */
void
sitrep_runbook_trust_remember (SitrepRunbook *runbook,
                               GSettings     *settings)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  const char *digest;
  guint n = 1;

  g_return_if_fail (SITREP_IS_RUNBOOK (runbook));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  digest = sitrep_runbook_get_digest (runbook);
  if (settings == NULL || digest == NULL)
    return;
  before = g_settings_get_strv (settings, SITREP_TRUST_SETTINGS_KEY);
  g_strv_builder_add (builder, digest);
  for (guint i = 0; before[i] != NULL && n < SITREP_TRUST_MAX_REMEMBERED; i++)
    if (!g_str_equal (before[i], digest))
      {
        g_strv_builder_add (builder, before[i]);
        n++;
      }
  after = g_strv_builder_end (builder);
  g_settings_set_strv (settings, SITREP_TRUST_SETTINGS_KEY, (const char *const *) after);
}

/**
 * sitrep_runbook_trust_check_link:
 *
 * Whether @uri may be handed to the desktop to open: only an absolute http:// or https:// address
 * with a host. Anything else (file:, javascript:, a custom scheme, a relative path) is refused
 * with @error saying so.
 */
gboolean
sitrep_runbook_trust_check_link (const char *uri,
                                 GError    **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (uri != NULL, FALSE);

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  scheme = parsed ? g_uri_get_scheme (parsed) : NULL;
  host = parsed ? g_uri_get_host (parsed) : NULL;
  if (scheme != NULL && (g_ascii_strcasecmp (scheme, "http") == 0
                         || g_ascii_strcasecmp (scheme, "https") == 0)
      && host != NULL && *host != '\0')
    return TRUE;
  g_set_error (error, SITREP_TRUST_ERROR, SITREP_TRUST_ERROR_LINK,
               _("“%s” is not a web address: Sitrep opens only http:// and https:// links"),
               uri);
  return FALSE;
}
