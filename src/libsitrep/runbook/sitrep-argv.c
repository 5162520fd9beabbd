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

#include "sitrep-argv-private.h"
#include "sitrep-audit-redact.h"

G_DEFINE_QUARK (sitrep-argv-error-quark, sitrep_argv_error)

/**
 * sitrep_argv_lookup_value:
 * @values: a #SitrepArgvValues
 *
 * The value of an action's variable ({context}, {namespace}, {service}, {target}, {selector},
 * {input.NAME}), for the template engine. The runbook's own values are of the kind VERBATIM:
 * the loader checked the command with them; an input's is what a person gave, of the kind TEXT,
 * which the ARGV output rule checks.
 */
const char *
sitrep_argv_lookup_value (const char              *name,
                          SitrepTemplateValueKind *kind,
                          gpointer                 data)
{
  const SitrepArgvValues *values = data;

  *kind = SITREP_TEMPLATE_VALUE_VERBATIM;
  if (g_str_equal (name, "context"))
    return values->env->context;
  if (g_str_equal (name, "namespace"))
    return values->env->namespace_;
  if (values->service != NULL && g_str_equal (name, "service"))
    return values->service->id;
  if (values->service != NULL && g_str_equal (name, "target"))
    return values->service->target;
  if (values->service != NULL && g_str_equal (name, "selector"))
    return values->service->selector;
  if (values->inputs != NULL && g_str_has_prefix (name, "input."))
    {
      *kind = SITREP_TEMPLATE_VALUE_TEXT;
      return g_hash_table_lookup (values->inputs, name + strlen ("input."));
    }
  return NULL;
}

/* The rules that keep a command inside the environment shown on screen ------------------ */

/* Programs that run another program: what they run escapes every check below, and kubectl
 * behind them gets no --context or --namespace. */
static const char *const wrappers[] = {
  "env", "timeout", "nice", "nohup", "ionice", "stdbuf", "setsid", "sudo", "doas", "su",
  "runuser", "chroot", "xargs", "flock", "unbuffer", "time", "strace", "ltrace", "watch",
  "exec", "command", "nsenter", "unshare", "flatpak-spawn", "systemd-run", "script", NULL
};
static const char *const shells[] = {
  "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "busybox", NULL
};

/* Interpreters given their program on the command line ("python3 -c …") are shells too. */
static const char *const interpreters[] = {
  "python", "python2", "python3", "perl", "ruby", "node", "nodejs", "php", "lua", "tclsh",
  "awk", "gawk", "mawk", "nawk", NULL
};
static const char *const inline_code_flags[] = { "-c", "-e", "-E", "-r", "--eval", NULL };
static const char *const find_runners[] = { "-exec", "-execdir", "-ok", "-okdir", NULL };

typedef enum
{
  RULE_CLUSTER,
  RULE_IDENTITY,
  RULE_TLS,
  RULE_ALL_NAMESPACES,
  RULE_NAMESPACE,
} Rule;

static const struct
{
  const char *name;
  Rule rule;
} kubectl_flags[] = {
  { "--context", RULE_CLUSTER },
  { "--kubeconfig", RULE_CLUSTER },
  { "--server", RULE_CLUSTER },
  { "-s", RULE_CLUSTER },
  { "--cluster", RULE_CLUSTER },
  { "--user", RULE_IDENTITY },
  { "--token", RULE_IDENTITY },
  { "--as", RULE_IDENTITY },
  { "--as-group", RULE_IDENTITY },
  { "--as-uid", RULE_IDENTITY },
  { "--username", RULE_IDENTITY },
  { "--password", RULE_IDENTITY },
  { "--client-certificate", RULE_IDENTITY },
  { "--client-key", RULE_IDENTITY },
  { "--insecure-skip-tls-verify", RULE_TLS },
  { "--certificate-authority", RULE_TLS },
  { "--tls-server-name", RULE_TLS },
  { "--all-namespaces", RULE_ALL_NAMESPACES },
  { "-A", RULE_ALL_NAMESPACES },
  { "--namespace", RULE_NAMESPACE },
  { "-n", RULE_NAMESPACE },
};

/* kubectl config subcommands that change the kubeconfig for every program on the machine. */
static const char *const config_writers[] = {
  "use-context", "use", "set-context", "set-cluster", "set-credentials", "set", "unset",
  "delete-context", "delete-cluster", "delete-user", "rename-context", NULL
};

/* Short flags of kubectl that take a value: in a cluster such as "-lapp=x" the rest is the
 * value, not more flags. */
static const char short_with_value[] = "cfloLkv";

static gboolean
is_interpreter (const char *base)
{
  const char *version;

  if (g_strv_contains (interpreters, base))
    return TRUE;
  if (!g_str_has_prefix (base, "python"))
    return FALSE;
  /* python3.11 is python too. */
  version = base + strlen ("python");
  return strspn (version, "0123456789.") == strlen (version);
}

void
sitrep_argv_escape_free (SitrepArgvEscape *escape)
{
  g_free (escape->message);
  g_free (escape);
}

static void
add_escape (GPtrArray *escapes,
            guint      index,
            char      *message)
{
  SitrepArgvEscape *escape = g_new0 (SitrepArgvEscape, 1);

  escape->index = index;
  escape->message = message;
  g_ptr_array_add (escapes, escape);
}

/* Whether @program is kubectl: by its name, or as environment.kubectl names it. */
gboolean
sitrep_argv_is_kubectl (const char              *program,
                        const SitrepEnvironment *env)
{
  g_autofree char *base = NULL;

  if (program == NULL)
    return FALSE;
  base = g_path_get_basename (program);
  return g_str_equal (base, "kubectl") || (env != NULL && g_strcmp0 (program, env->kubectl) == 0);
}

/* Why @program may not start a command, or NULL when it may. */
char *
sitrep_argv_check_program (const char              *program,
                           const SitrepEnvironment *env)
{
  g_autofree char *base = g_path_get_basename (program);

  if (g_strv_contains (shells, base))
    return g_strdup_printf (_("\"%s\": commands run as argv, never through a shell, so that "
                              "the console sees every program and argument; write the program "
                              "and each of its arguments as entries of the list, e.g. "
                              "[\"kubectl\", \"get\", \"pods\"]"),
                            program);
  if (g_str_equal (base, "timeout"))
    return g_strdup_printf (_("\"%s\" runs another program, hidden from the console's checks "
                              "and from the --context and --namespace it adds to kubectl; write "
                              "the program itself first, e.g. [\"kubectl\", …], and set the "
                              "time limit with \"timeout\": \"2m\""),
                            program);
  if (g_str_equal (base, "env"))
    return g_strdup_printf (_("\"%s\" runs another program (and can hand it KUBECONFIG or "
                              "KUBECTL), hidden from the console's checks and from the "
                              "--context and --namespace it adds to kubectl; write the program "
                              "itself first, e.g. [\"kubectl\", …]: the console sets no "
                              "variables for a command"),
                            program);
  if (g_strv_contains (wrappers, base))
    return g_strdup_printf (_("\"%s\" runs another program, hidden from the console's checks "
                              "and from the --context and --namespace it adds to kubectl; write "
                              "the program itself first, e.g. [\"kubectl\", …]"),
                            program);
  if (g_str_has_prefix (base, "kubectl") && !sitrep_argv_is_kubectl (program, env))
    return g_strdup_printf (_("\"%s\" is not known to be kubectl, so the console would not "
                              "give it --context and --namespace; write \"kubectl\" and set "
                              "\"environment\".\"kubectl\" to \"%s\""),
                            program, program);
  return NULL;
}

static char *
refuse_flag (const char              *arg,
             Rule                     rule,
             const SitrepEnvironment *env)
{
  switch (rule)
    {
    case RULE_CLUSTER:
      return g_strdup_printf (_("\"%s\": the console runs kubectl with --context \"%s\" and "
                                "--namespace \"%s\" from \"environment\", so a command cannot "
                                "aim at another cluster; remove it (another cluster needs its "
                                "own runbook)"),
                              arg, env->context, env->namespace_);
    case RULE_IDENTITY:
      return g_strdup_printf (_("\"%s\": kubectl acts as the user the kubeconfig gives context "
                                "\"%s\"; a command cannot take another identity or carry "
                                "credentials; remove it (credentials belong in the kubeconfig, "
                                "never in the runbook)"),
                              arg, env->context);
    case RULE_TLS:
      return g_strdup_printf (_("\"%s\": a command cannot change how kubectl checks the "
                                "cluster's certificate; remove it, and fix the certificate in "
                                "the kubeconfig of context \"%s\""),
                              arg, env->context);
    case RULE_ALL_NAMESPACES:
      return g_strdup_printf (_("\"%s\": every command stays in namespace \"%s\" from "
                                "\"environment\"; remove it (another namespace needs its own "
                                "runbook)"),
                              arg, env->namespace_);
    case RULE_NAMESPACE:
    default:
      return g_strdup_printf (_("\"%s\": every command runs in namespace \"%s\" from "
                                "\"environment\", which the console adds itself; remove the "
                                "flag, or write {namespace}"),
                              arg, env->namespace_);
    }
}

static gboolean
is_own_namespace (const char              *value,
                  const SitrepEnvironment *env,
                  gboolean                 template_)
{
  return value != NULL
         && (g_strcmp0 (value, env->namespace_) == 0
             || (template_ && g_str_equal (value, "{namespace}")));
}

/**
 * sitrep_argv_find_escapes:
 * @argv: a runbook's argv (with {variables}) when @template_ is %TRUE, or a command line
 *   after substitution
 * @env: the runbook's environment
 *
 * Every way @argv could act outside the environment shown on screen: a wrapper or a shell
 * that hides the real program; for kubectl, a flag that aims it at another cluster, user,
 * certificate or namespace, and `kubectl config` changes. The runbook loader reports each at
 * its element; sitrep_argv_expand() refuses them again after substitution.
 *
 * Returns: (transfer full) (element-type SitrepArgvEscape): the escapes, empty when none
 */
GPtrArray *
sitrep_argv_find_escapes (const char *const       *argv,
                          const SitrepEnvironment *env,
                          gboolean                 template_)
{
  GPtrArray *escapes = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_argv_escape_free);
  char *program_problem;

  if (argv == NULL || argv[0] == NULL)
    return escapes;

  program_problem = sitrep_argv_check_program (argv[0], env);
  if (program_problem != NULL)
    {
      add_escape (escapes, 0, program_problem);
      return escapes;
    }
  if (!sitrep_argv_is_kubectl (argv[0], env))
    {
      g_autofree char *base = g_path_get_basename (argv[0]);
      gboolean interpreter = is_interpreter (base);
      gboolean awk = g_str_has_suffix (base, "awk") && interpreter;

      for (guint i = 1; argv[i] != NULL; i++)
        {
          /* An interpreter's options end at the script it runs: what follows is the script's. */
          if (interpreter && !awk && argv[i][0] != '-')
            break;
          /* awk's program is its first argument unless -f names a file. */
          if ((interpreter && (g_strv_contains (inline_code_flags, argv[i])
                               || (awk && i == 1 && !g_str_equal (argv[i], "-f"))))
              || (g_str_equal (base, "find") && g_strv_contains (find_runners, argv[i])))
            {
              add_escape (escapes, i,
                          g_strdup_printf (_("\"%s\": %s would run a program written here, "
                                             "hidden from the console's checks and from the "
                                             "--context and --namespace it adds to kubectl; "
                                             "write the program itself first, with each "
                                             "argument as an entry of the list"),
                                           argv[i], argv[0]));
              break;
            }
        }
      return escapes;
    }

  for (guint i = 1; argv[i] != NULL; i++)
    {
      const char *arg = argv[i];

      /* After "--" the arguments belong to the command run in the pod, not to kubectl. */
      if (g_str_equal (arg, "--"))
        break;

      if (g_str_equal (arg, "config") && argv[i + 1] != NULL
          && g_strv_contains (config_writers, argv[i + 1]))
        {
          add_escape (escapes, i + 1,
                      g_strdup_printf (_("\"%s\": kubectl config %s changes the kubeconfig for "
                                         "every program on this machine; remove this command "
                                         "(the console gives each command --context \"%s\" "
                                         "itself)"),
                                       argv[i + 1], argv[i + 1], env->context));
          i++;
          continue;
        }

      if (g_str_has_prefix (arg, "--"))
        {
          const char *equals = strchr (arg, '=');
          g_autofree char *name = equals ? g_strndup (arg, equals - arg) : g_strdup (arg);

          for (guint f = 0; f < G_N_ELEMENTS (kubectl_flags); f++)
            {
              const char *value;

              if (!g_str_equal (name, kubectl_flags[f].name))
                continue;
              if (kubectl_flags[f].rule == RULE_NAMESPACE)
                {
                  value = equals ? equals + 1 : argv[i + 1];
                  if (is_own_namespace (value, env, template_))
                    {
                      if (equals == NULL)
                        i++;
                      break;
                    }
                  if (equals == NULL && value != NULL)
                    {
                      g_autofree char *both = g_strdup_printf ("%s %s", arg, value);

                      add_escape (escapes, i, refuse_flag (both, RULE_NAMESPACE, env));
                      break;
                    }
                }
              add_escape (escapes, i, refuse_flag (arg, kubectl_flags[f].rule, env));
              break;
            }
          continue;
        }

      if (arg[0] == '-' && arg[1] != '\0')
        {
          /* A cluster of short flags, "-An" or "-pn other", as kubectl's parser reads it. */
          for (const char *c = arg + 1; *c != '\0'; c++)
            {
              if (*c == 'A')
                {
                  add_escape (escapes, i, refuse_flag (arg, RULE_ALL_NAMESPACES, env));
                  break;
                }
              if (*c == 's')
                {
                  add_escape (escapes, i, refuse_flag (arg, RULE_CLUSTER, env));
                  break;
                }
              if (*c == 'n')
                {
                  const char *value = c[1] == '=' ? c + 2 : c[1] != '\0' ? c + 1 : argv[i + 1];
                  gboolean next = c[1] == '\0';

                  if (is_own_namespace (value, env, template_))
                    {
                      if (next)
                        i++;
                      break;
                    }
                  if (next && value != NULL)
                    {
                      g_autofree char *both = g_strdup_printf ("%s %s", arg, value);

                      add_escape (escapes, i, refuse_flag (both, RULE_NAMESPACE, env));
                    }
                  else
                    {
                      add_escape (escapes, i, refuse_flag (arg, RULE_NAMESPACE, env));
                    }
                  break;
                }
              if (strchr (short_with_value, *c) != NULL)
                break;
            }
        }
    }
  return escapes;
}

int sitrep_argv_sandboxed_override = -1;

static gboolean
running_in_flatpak (void)
{
  if (sitrep_argv_sandboxed_override >= 0)
    return sitrep_argv_sandboxed_override;
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* Whether commands run on the host through flatpak-spawn, which hands a host command no
 * environment variable but on its own command line. */
gboolean
sitrep_argv_spawns_on_host (void)
{
  return running_in_flatpak ();
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

static GStrv
expand (const char *const    *argv_template,
        SitrepRunbook        *runbook,
        const SitrepService  *service,
        GHashTable           *inputs,
        const char           *kubectl,
        SitrepTemplateMissing missing,
        GError              **error)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  SitrepArgvValues values = { env, service, inputs };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) expanded_builder = g_strv_builder_new ();
  g_auto(GStrv) expanded = NULL;
  g_autoptr(GPtrArray) escapes = NULL;
  gboolean is_kubectl;

  g_return_val_if_fail (argv_template != NULL && argv_template[0] != NULL, NULL);

  /* Each element stays one argument, whatever its values hold. */
  for (guint i = 0; argv_template[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *arg = sitrep_template_expand (argv_template[i], SITREP_TEMPLATE_ARGV,
                                                     missing, sitrep_argv_lookup_value, &values,
                                                     NULL, &local);

      if (arg == NULL)
        {
          g_set_error_literal (error, SITREP_ARGV_ERROR,
                               g_error_matches (local, SITREP_TEMPLATE_ERROR,
                                                SITREP_TEMPLATE_ERROR_MISSING)
                                 ? SITREP_ARGV_ERROR_MISSING
                                 : SITREP_ARGV_ERROR_VALUE,
                               local->message);
          return NULL;
        }
      g_strv_builder_add (expanded_builder, arg);
    }
  expanded = g_strv_builder_end (expanded_builder);
  is_kubectl = sitrep_argv_is_kubectl (expanded[0], env);

  /* The loader checked the template; the command as it will run is checked again, so that no
   * value, and no runbook that bypassed the loader, can aim it elsewhere. */
  escapes = sitrep_argv_find_escapes ((const char *const *) expanded, env, FALSE);
  if (escapes->len > 0)
    {
      const SitrepArgvEscape *first = escapes->pdata[0];

      g_set_error (error, SITREP_ARGV_ERROR, SITREP_ARGV_ERROR_ESCAPE,
                   _("the command would act outside context \"%s\", namespace \"%s\": %s"),
                   env->context, env->namespace_, first->message);
      return NULL;
    }

  if (is_kubectl)
    {
      g_strv_builder_add (builder, kubectl ? kubectl : env->kubectl);
      /* The cluster comes first, before any "--" that ends kubectl's own flags. */
      g_strv_builder_add (builder, "--context");
      g_strv_builder_add (builder, env->context);
      g_strv_builder_add (builder, "--namespace");
      g_strv_builder_add (builder, env->namespace_);
      /* A drill names its simulation's kubeconfig on the command line, not in KUBECONFIG: what
       * is shown, copied and audited is what runs, and a command pasted into a terminal reaches
       * the drill, never the cluster of the person's own kubeconfig. */
      if (env->drill && env->kubeconfig != NULL)
        {
          g_strv_builder_add (builder, "--kubeconfig");
          g_strv_builder_add (builder, env->kubeconfig);
        }
    }
  else
    {
      g_strv_builder_add (builder, expanded[0]);
    }
  for (guint i = 1; expanded[i] != NULL; i++)
    g_strv_builder_add (builder, expanded[i]);
  return g_strv_builder_end (builder);
}

/**
 * sitrep_argv_expand:
 * @inputs: (nullable): input name → the value a person gave
 * @kubectl: (nullable): the kubectl to run instead of the runbook's
 *
 * The exact command line to run: every {variable} filled, each argv element one argument, and
 * kubectl given the runbook's --context and --namespace. A variable without a value, an input
 * value a shell or kubectl could misread (see sitrep_template_check_argv_value()) and a command
 * that would act outside the environment are refused.
 *
 * Returns: (transfer full): the command line, or NULL with @error set
 */
GStrv
sitrep_argv_expand (const char *const   *argv_template,
                    SitrepRunbook       *runbook,
                    const SitrepService *service,
                    GHashTable          *inputs,
                    const char          *kubectl,
                    GError             **error)
{
  return expand (argv_template, runbook, service, inputs, kubectl,
                 SITREP_TEMPLATE_MISSING_ERROR, error);
}

/**
 * sitrep_argv_expand_shown:
 * @inputs: (nullable): the values known so far
 *
 * The command line as it will run once every input has a value, to show before it has: a
 * variable without a value stays as written ({input.revision}).
 *
 * Returns: (transfer full) (nullable): the command line, or NULL when a value is refused or the
 *   command would act outside the environment
 */
GStrv
sitrep_argv_expand_shown (const char *const   *argv_template,
                          SitrepRunbook       *runbook,
                          const SitrepService *service,
                          GHashTable          *inputs,
                          const char          *kubectl)
{
  return expand (argv_template, runbook, service, inputs, kubectl,
                 SITREP_TEMPLATE_MISSING_KEEP, NULL);
}

/**
 * sitrep_argv_kubectl_prefix_length:
 *
 * How many arguments sitrep_argv_expand() puts before a kubectl command's own verb: the
 * program, --context, --namespace and, for a drill, --kubeconfig, each with its value.
 */
guint
sitrep_argv_kubectl_prefix_length (const SitrepEnvironment *env)
{
  return env->drill && env->kubeconfig != NULL ? 7 : 5;
}

/* The command line as a person would type it, quoted where needed, for dialogs, the clipboard,
 * the timeline and the log: anything shaped like a credential is redacted, so it is for
 * reading, never for running. */
char *
sitrep_argv_to_string (const char *const *argv)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) redacted = sitrep_audit_redact_argv (argv);

  argv = (const char *const *) redacted;

  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;
      gboolean plain = argv[i][0] != '\0';

      /* "[redacted]" reads as what it is, not as a quoted glob. */
      for (const char *p = argv[i]; *p != '\0' && plain; p++)
        {
          if (g_str_has_prefix (p, SITREP_REDACTED))
            p += strlen (SITREP_REDACTED) - 1;
          else
            plain = g_ascii_isalnum (*p) || strchr ("-_./=:,@%+", *p) != NULL;
        }

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
