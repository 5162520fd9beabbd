/* sitrep-cli.c: the headless verbs of the sitrep command, for scripts and SSH sessions */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-cli.h"
#include "sitrep-cli-common.h"
#include "sitrep-cli-audit.h"
#include "sitrep-cli-check.h"
#include "sitrep-cli-drill.h"
#include "sitrep-cli-export.h"
#include "sitrep-cli-import.h"
#include "sitrep-cli-incident.h"
#include "sitrep-cli-probe.h"
#include "sitrep-cli-store.h"
#include "sitrep-suggest.h"

typedef struct
{
  const char *name;
  const char *synopsis; /* what follows "sitrep NAME" */
  const char *summary;
  int (*run) (int argc, char **argv);
} Verb;

static const Verb verbs[] = {
  { "check", N_("FILE"), N_("check a runbook and exit"), sitrep_cli_check },
  { "probe", N_("[--service ID]"),
    N_("run every probe once and print each service's state"), sitrep_cli_probe },
  { "incident", N_("list | show ID"), N_("print the incidents in the database"),
    sitrep_cli_incident },
  { "incident", N_("declare --severity ID --title TEXT"),
    N_("declare an incident; print its number"), sitrep_cli_incident },
  { "incident", N_("note ID TEXT"), N_("add a note to an incident's timeline"),
    sitrep_cli_incident },
  { "incident", N_("status ID STATUS"), N_("set an incident's status"), sitrep_cli_incident },
  { "incident", N_("resolve ID"), N_("resolve an incident"), sitrep_cli_incident },
  { "export", N_("ID"), N_("write an incident's post-mortem as Markdown"),
    sitrep_cli_export },
  { "audit", N_("verify | export"), N_("check the audit log's chain, or print it"),
    sitrep_cli_audit },
  { "import", N_("FILE.md"), N_("turn a Markdown runbook into a runbook file"),
    sitrep_cli_import },
  { "drill", N_("list | serve SCENARIO"), N_("practise on a simulated CareCircle"),
    sitrep_cli_drill },
  { "store", N_("migrate --from FILE --to ADDRESS"),
    N_("copy a database file into an empty team (PostgreSQL) database"), sitrep_cli_store },
  { "store", N_("password ADDRESS"),
    N_("keep a team database's password in the keyring (read from standard input)"),
    sitrep_cli_store },
  { "store", N_("journal ADDRESS"),
    N_("list the changes this computer keeps for a team database, and those it set aside"),
    sitrep_cli_store },
};

static const Verb *
find_verb (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_strcmp0 (verbs[i].name, word) == 0)
      return &verbs[i];
  return NULL;
}

gboolean
sitrep_cli_is_verb (const char *word)
{
  return find_verb (word) != NULL;
}

/* The list of commands for `sitrep --help`, after the console's own options. */
char *
sitrep_cli_describe_verbs (void)
{
  g_autoptr(GString) out = g_string_new (_("The incident commander's console. Without a "
                                           "command it opens the console; with one it runs "
                                           "without a display:"));

  g_string_append (out, "\n");
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_autofree char *usage = g_strdup_printf ("sitrep %s %s", verbs[i].name,
                                                _(verbs[i].synopsis));

      /* A long form gets its summary on a line of its own, in the same column. */
      if (g_utf8_strlen (usage, -1) > 32)
        g_string_append_printf (out, "\n  %s\n  %-32s %s", usage, "", _(verbs[i].summary));
      else
        g_string_append_printf (out, "\n  %-32s %s", usage, _(verbs[i].summary));
    }
  g_string_append_printf (out, "\n\n%s", _("Each command has --help: sitrep incident --help."));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A word where the console takes none: most likely a mistyped command. */
char *
sitrep_cli_describe_unexpected (const char *word)
{
  const char *closest = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  guint best = G_MAXUINT;

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      guint distance = sitrep_string_distance (word, verbs[i].name);

      if (distance < best)
        {
          best = distance;
          closest = verbs[i].name;
        }
      /* A verb listed once per form in --help is named once here. */
      if (i == 0 || !g_str_equal (verbs[i].name, verbs[i - 1].name))
        g_string_append_printf (names, "%s%s", i ? ", " : "", verbs[i].name);
    }

  /* sitrep --database FILE incident list: the command is right, its place is not. */
  if (best == 0)
    /* Translators: "sitrep: “incident” is a command, and a command comes first: …" */
    return g_strdup_printf (_("sitrep: “%s” is a command, and a command comes first, before "
                              "any option: sitrep %s --help lists its options."),
                            word, word);
  if (best <= 2)
    /* Translators: "sitrep: “chek” is not a command; did you mean “check”? …" */
    return g_strdup_printf (_("sitrep: “%s” is not a command; did you mean “%s”? The commands "
                              "are %s, and each comes first: sitrep incident list --database "
                              "FILE."),
                            word, closest, names->str);
  return g_strdup_printf (_("sitrep: “%s” is not a command or an option. The commands are %s, "
                            "and each comes first: sitrep incident list --database FILE. See "
                            "sitrep --help."),
                          word, names->str);
}

/**
 * sitrep_cli_run:
 *
 * Runs the verb in argv[1]: argv[0] of the verb is "sitrep VERB", so that its usage and
 * messages name it as a person typed it.
 */
int
sitrep_cli_run (int    argc,
                char **argv)
{
  const Verb *verb = find_verb (argv[1]);
  g_autofree char *name = NULL;

  g_assert (verb != NULL);
  sitrep_cli_guard_terminal ();
  name = g_strdup_printf ("sitrep %s", verb->name);
  g_set_prgname (name);
  argv[1] = name;
  return verb->run (argc - 1, argv + 1);
}
