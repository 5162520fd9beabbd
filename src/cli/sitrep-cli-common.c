/* sitrep-cli-common.c: what the headless verbs share: option errors, usage, the runbook */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sitrep-cli-common.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store.h"

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

/* What a verb prints comes partly from people (a note, a summary, a file name) and may hold
 * control characters: ESC sequences that retitle, clear or rewrite the terminal, a carriage return
 * that hides a line. They are shown as \\xNN instead; newlines and tabs stay. */
static void
print_visible (FILE       *stream,
               const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GString) out = g_string_sized_new (strlen (valid));
  const char *charset;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80 && c < 0xa0)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
  if (g_get_charset (&charset))
    fputs (out->str, stream);
  else
    {
      g_autofree char *converted = g_convert_with_fallback (out->str, -1, charset, "UTF-8", "?",
                                                            NULL, NULL, NULL);

      fputs (converted ? converted : out->str, stream);
    }
  fflush (stream);
}

static void
print_out (const char *text)
{
  print_visible (stdout, text);
}

static void
print_err (const char *text)
{
  print_visible (stderr, text);
}

/* The database a verb reads or writes, which must exist: a mistyped path must not look like an
 * empty database. NULL, with the reason printed, when it cannot be opened. */
SitrepStore *
sitrep_cli_open_store (const char *database)
{
  g_autoptr(GError) error = NULL;
  SitrepStore *store = sitrep_store_open_existing (database, &error);

  if (store == NULL)
    g_printerr ("%s\n", error->message);
  return store;
}

/* Opens @session's database, which must exist (sitrep_session_open_existing_store()); FALSE,
 * with the reason printed, when it cannot be opened. */
gboolean
sitrep_cli_open_session_store (SitrepSession *session,
                               const char    *database)
{
  g_autoptr(GError) error = NULL;

  if (sitrep_session_open_existing_store (session, database, &error))
    return TRUE;
  g_printerr ("%s\n", error->message);
  return FALSE;
}

/* A verb's session (sitrep_session_new_headless()) on the runbook at hand (@runbook_path's, or
 * the built-in one) and the existing database; NULL, with the reason printed, when either
 * cannot be had. */
SitrepSession *
sitrep_cli_open_session (const char *runbook_path,
                         const char *database)
{
  g_autoptr(SitrepRunbook) at_hand = sitrep_cli_load_runbook (runbook_path);
  g_autoptr(SitrepSession) session = NULL;

  if (at_hand == NULL)
    return NULL;
  session = sitrep_session_new_headless (NULL);
  sitrep_session_set_runbook (session, at_hand);
  if (!sitrep_cli_open_session_store (session, database))
    return NULL;
  return g_steal_pointer (&session);
}

/* An incident's number as given on the command line; FALSE, with what to do printed, when
 * @text is not one. */
gboolean
sitrep_cli_parse_incident_id (const char *text,
                              gint64     *id)
{
  if (g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL))
    return TRUE;
  g_printerr (_("\"%s\" is not an incident number: see sitrep incident list.\n"), text);
  return FALSE;
}

/* Every verb's g_print() and g_printerr() go through print_visible(). */
void
sitrep_cli_guard_terminal (void)
{
  g_set_print_handler (print_out);
  g_set_printerr_handler (print_err);
}

/**
 * sitrep_cli_read_secret:
 * @prompt: what to ask for on a terminal ("Password: ")
 *
 * One line from standard input, without its newline: a secret never goes on the command line,
 * where other users' `ps` and the shell's history would see it. From a terminal it is asked for
 * with @prompt, without echo.
 *
 * Returns: (transfer full) (nullable): the line, or %NULL when it was empty
 */
char *
sitrep_cli_read_secret (const char *prompt)
{
  gboolean terminal = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  GString *line = g_string_new (NULL);
  int c;

  if (terminal)
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        terminal = FALSE;
    }
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_string_free (line, FALSE);
}
