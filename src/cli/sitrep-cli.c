/* sitrep-cli.c: the headless verbs of the sitrep command, for scripts and SSH sessions */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-cli.h"
#include "sitrep-runbook-private.h"

typedef struct
{
  const char *name;
  const char *synopsis; /* what follows "sitrep NAME" */
  const char *summary;
  int (*run) (int argc, char **argv);
} Verb;

static int run_check (int argc, char **argv);

static const Verb verbs[] = {
  { "check", N_("FILE"), N_("check a runbook and exit"), run_check },
  { "probe", N_("[--service ID]"),
    N_("run every probe once and print each service's state"), sitrep_cli_probe },
  { "incident", N_("list | show ID"), N_("print the incidents in the database"),
    sitrep_cli_incident },
  { "export", N_("ID"), N_("write an incident's post-mortem as Markdown"),
    sitrep_cli_export },
  { "audit", N_("verify | export"), N_("check the audit log's chain, or print it"),
    sitrep_cli_audit },
  { "import", N_("FILE.md"), N_("turn a Markdown runbook into a runbook file"),
    sitrep_cli_import },
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
      g_string_append_printf (names, "%s%s", i ? ", " : "", verbs[i].name);
    }

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

/* Parses a verb's options; on a mistake prints what is wrong and how to ask for help. */
gboolean
sitrep_cli_parse (GOptionContext *options,
                  int            *argc,
                  char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (options, argc, argv, &error))
    return TRUE;
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  sitrep_cli_usage (options);
  return FALSE;
}

/* The verb's usage line and where to find more, on standard error. */
void
sitrep_cli_usage (GOptionContext *options)
{
  g_autofree char *help = g_option_context_get_help (options, TRUE, NULL);
  g_auto(GStrv) lines = g_strsplit (help, "\n", 3);

  /* g_option_context_get_help() starts "Usage:\n  sitrep verb [OPTION…] ARGS". */
  g_printerr (_("Usage: %s\n"), lines[0] && lines[1] ? g_strstrip (lines[1]) : g_get_prgname ());
  g_printerr (_("Run “%s --help” for the options.\n"), g_get_prgname ());
}

/* sitrep check FILE: exit 0 with a summary, or 1 with one FILE:LINE:COLUMN line per problem. */
static int
run_check (int    argc,
           char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOptionContext) options = g_option_context_new (_("FILE"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autofree char *summary = NULL;

  g_option_context_set_summary (options,
                                _("Checks a runbook without a display. A valid runbook gets a "
                                  "one-line summary and exit status 0; otherwise every problem "
                                  "is printed on standard error as FILE:LINE:COLUMN: message, "
                                  "and the exit status is 1. FILE must be a regular file."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      g_printerr (argc < 2 ? _("%s: which runbook? Give its file.\n")
                           : _("%s: one runbook at a time.\n"),
                  g_get_prgname ());
      sitrep_cli_usage (options);
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  if (runbook == NULL)
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

          g_printerr ("%s\n", line);
        }
      if (problems == NULL)
        g_printerr ("%s\n", error->message);
      return 1;
    }

  summary = sitrep_runbook_describe (runbook);
  g_print ("%s\n", summary);
  return 0;
}

/* The runbook in @path, or the built-in one; problems go to stderr, one line each. */
SitrepRunbook *
sitrep_cli_load_runbook (const char *path)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  if (path == NULL)
    {
      runbook = sitrep_runbook_load_default (&error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
    }

  if (runbook == NULL)
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

          g_printerr ("%s\n", line);
        }
      if (problems == NULL)
        g_printerr ("%s\n", error->message);
    }
  return runbook;
}

/**
 * sitrep_cli_open_store:
 * @path: (nullable): the database a verb was given, or %NULL for the default one
 *
 * Opens an existing database for a headless verb. Opening would create a missing file, and an
 * empty database answers "no incidents" or "audit log intact" for a mistyped path: so a missing
 * file, or one that is not a regular file (a folder, a named pipe that would block), is refused
 * with a message saying what to give instead. Only the console creates its database.
 */
SitrepStore *
sitrep_cli_open_store (const char *path,
                       GError    **error)
{
  g_autofree char *fallback = NULL;

  if (path == NULL)
    path = fallback = sitrep_store_default_path ();
  if (!sitrep_cli_check_database (path, fallback != NULL, error))
    return NULL;
  return sitrep_store_open (path, error);
}

/**
 * sitrep_cli_check_database:
 * @is_default: whether @path is the default database rather than one given with --database
 *
 * Whether @path names an existing regular file. Opening would create a missing file, and an
 * empty database answers "no incidents" or "audit log intact" for a mistyped path; a named
 * pipe would block the first read. The console checks a --database it is given the same way.
 */
gboolean
sitrep_cli_check_database (const char *path,
                           gboolean    is_default,
                           GError    **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT && saved_errno != ENOTDIR)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Cannot read the database %s (%s): check its permissions."), path,
                     g_strerror (saved_errno));
      else if (is_default)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no database at %s yet: the console creates it when it first "
                       "starts. Give another one with --database FILE."),
                     path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no database at %s: check the path. --database names an "
                       "existing file (an empty file starts a new database); nothing was "
                       "created."),
                     path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   S_ISDIR (st.st_mode)
                     ? _("%s is a folder, not a database: give the database file with "
                         "--database FILE.")
                     : _("%s is not a regular file (a pipe, a device or a socket): give the "
                         "database file with --database FILE."),
                   path);
      return FALSE;
    }
  return TRUE;
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
  name = g_strdup_printf ("sitrep %s", verb->name);
  g_set_prgname (name);
  argv[1] = name;
  return verb->run (argc - 1, argv + 1);
}
