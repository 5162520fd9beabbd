/* sitrep-argv.c: turns a runbook's argv template into the exact command line to run
 *
 * Values are substituted inside single arguments and never split or passed to a shell. kubectl
 * always gets the runbook's --context and --namespace, so no command can aim at the wrong
 * cluster. Inside Flatpak, commands run on the host through flatpak-spawn, added only at the
 * moment of spawning (sitrep_argv_for_spawn): what is shown, copied and audited is the command
 * itself.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-argv.h"

G_DEFINE_QUARK (sitrep-argv-error-quark, sitrep_argv_error)

static gboolean
expand_one (const char          *template_,
            SitrepRunbook       *runbook,
            const SitrepService *service,
            GHashTable          *inputs,
            GString             *out,
            GError             **error)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);

  for (const char *p = template_; *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *name = NULL;
      const char *value = NULL;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (out, *p);
          p++;
          continue;
        }
      if (*p != '{' || (end = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }

      name = g_strndup (p + 1, end - p - 1);
      if (g_str_equal (name, "context"))
        value = env->context;
      else if (g_str_equal (name, "namespace"))
        value = env->namespace_;
      else if (g_str_equal (name, "service"))
        value = service ? service->id : NULL;
      else if (g_str_equal (name, "target"))
        value = service ? service->target : NULL;
      else if (g_str_equal (name, "selector"))
        value = service ? service->selector : NULL;
      else if (g_str_has_prefix (name, "input.") && inputs != NULL)
        value = g_hash_table_lookup (inputs, name + strlen ("input."));

      if (value == NULL)
        {
          g_set_error (error, SITREP_ARGV_ERROR, SITREP_ARGV_ERROR_MISSING,
                       _("{%s} has no value here"), name);
          return FALSE;
        }
      g_string_append (out, value);
      p = end;
    }
  return TRUE;
}

/* -1: ask the file system; 0 or 1: a test said so. */
static int sandboxed_for_testing = -1;

static gboolean
running_in_flatpak (void)
{
  if (sandboxed_for_testing >= 0)
    return sandboxed_for_testing;
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* Tests pretend to run inside Flatpak (or not) without being there. */
void
sitrep_argv_set_sandboxed_for_testing (gboolean sandboxed)
{
  sandboxed_for_testing = sandboxed ? 1 : 0;
}

/**
 * sitrep_argv_for_spawn:
 *
 * The argv to hand to GSubprocess for @argv: @argv itself, or inside Flatpak the same command
 * run on the host through `flatpak-spawn --host`. Only the code that spawns calls this.
 */
GStrv
sitrep_argv_for_spawn (const char *const *argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  if (running_in_flatpak ())
    {
      g_strv_builder_add (builder, "flatpak-spawn");
      g_strv_builder_add (builder, "--host");
    }
  g_strv_builder_addv (builder, (const char **) argv);
  return g_strv_builder_end (builder);
}

GStrv
sitrep_argv_expand (const char *const   *argv_template,
                    SitrepRunbook       *runbook,
                    const SitrepService *service,
                    GHashTable          *inputs,
                    const char          *kubectl,
                    GError             **error)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *program = NULL;
  gboolean is_kubectl;

  g_return_val_if_fail (argv_template != NULL && argv_template[0] != NULL, NULL);

  program = g_path_get_basename (argv_template[0]);
  is_kubectl = g_str_equal (program, "kubectl") || g_strcmp0 (argv_template[0], env->kubectl) == 0;

  for (guint i = 0; argv_template[i] != NULL; i++)
    {
      g_autoptr(GString) arg = g_string_new (NULL);

      if (i == 0 && is_kubectl)
        {
          g_strv_builder_add (builder, kubectl ? kubectl : env->kubectl);
          /* The cluster comes first, before any "--" that ends kubectl's own flags. */
          g_strv_builder_add (builder, "--context");
          g_strv_builder_add (builder, env->context);
          g_strv_builder_add (builder, "--namespace");
          g_strv_builder_add (builder, env->namespace_);
          continue;
        }
      if (!expand_one (argv_template[i], runbook, service, inputs, arg, error))
        return NULL;
      g_strv_builder_add (builder, arg->str);
    }
  return g_strv_builder_end (builder);
}

/* The command line as a person would type it, quoted where needed, for dialogs and the log. */
char *
sitrep_argv_to_string (const char *const *argv)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;
      gboolean plain = argv[i][0] != '\0';

      for (const char *p = argv[i]; *p != '\0' && plain; p++)
        plain = g_ascii_isalnum (*p) || strchr ("-_./=:,@%+", *p) != NULL;

      if (i > 0)
        g_string_append_c (out, ' ');
      if (plain)
        g_string_append (out, argv[i]);
      else
        {
          quoted = g_shell_quote (argv[i]);
          g_string_append (out, quoted);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
