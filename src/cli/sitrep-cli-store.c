/* sitrep-cli-store.c: `sitrep store migrate`, `password` and `journal`: a personal database copied into a team one, a team database's password kept in the keyring, the changes this computer keeps for it */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-cli-audit.h"
#include "sitrep-cli-common.h"
#include "sitrep-cli-store.h"
#include "sitrep-secrets.h"
#include "sitrep-store.h"
#include "sitrep-store-journal.h"

/* sitrep store migrate --from FILE.db --to postgresql://… */
static int
migrate (int    argc,
         char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GOptionEntry entries[] = {
    { "from", 'f', 0, G_OPTION_ARG_FILENAME, &from,
      N_("The database file to copy (required)"), N_("FILE") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to,
      N_("The team database to copy it into, empty (required): postgresql://USER@HOST:PORT/NAME"),
      N_("ADDRESS") },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(SitrepStore) source = NULL;
  g_autoptr(SitrepStore) target = NULL;
  g_autoptr(GError) error = NULL;
  SitrepStoreCopyCounts counts;

  g_option_context_set_summary (options,
                                _("Copies the incidents, their timelines, messages and action "
                                  "items, and the audit log of a database file into an empty "
                                  "team database, keeping their numbers, then checks the audit "
                                  "log's chain there as sitrep audit verify does. The file is "
                                  "left as it is."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc != 1 || from == NULL || to == NULL)
    {
      g_printerr (_("%s: give the database file with --from FILE and the team database with "
                    "--to postgresql://USER@HOST:PORT/NAME.\n"),
                  g_get_prgname ());
      sitrep_cli_usage (options);
      return 2;
    }

  source = sitrep_cli_open_store (from);
  if (source == NULL)
    return 2;
  if (sitrep_store_is_shared (source))
    {
      g_printerr (_("%s: --from names a team database; give the database file to copy.\n"),
                  g_get_prgname ());
      return 2;
    }
  target = sitrep_cli_open_store (to);
  if (target == NULL)
    return 2;
  if (!sitrep_store_is_shared (target))
    {
      g_printerr (_("%s: --to names a file; give the team database's address, "
                    "postgresql://USER@HOST:PORT/NAME.\n"),
                  g_get_prgname ());
      return 2;
    }
  /* Whoever runs this has the audit log's key in their keyring; the copy keeps using it. */
  if (!sitrep_store_copy_into (source, target, &counts, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  {
    g_autofree char *incidents = g_strdup_printf ("%" G_GINT64_FORMAT, counts.incidents);
    g_autofree char *events = g_strdup_printf ("%" G_GINT64_FORMAT, counts.events);
    g_autofree char *messages = g_strdup_printf ("%" G_GINT64_FORMAT, counts.messages);
    g_autofree char *items = g_strdup_printf ("%" G_GINT64_FORMAT, counts.action_items);
    g_autofree char *entries = g_strdup_printf ("%" G_GINT64_FORMAT, counts.audit_entries);

    /* Translators: "Copied 3 incidents (120 timeline events, 4 messages, 2 action items) and 9
     * audit entries from /home/…/sitrep.db." */
    g_print (_("Copied %s incidents (%s timeline events, %s messages, %s action items) and %s "
               "audit entries from %s.\n"),
             incidents, events, messages, items, entries, from);
  }
  return sitrep_cli_audit_verify (target);
}

/* sitrep store password ADDRESS: the password read from standard input, into the keyring. */
static int
password (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new (_("ADDRESS"));
  g_autoptr(GError) error = NULL;
  char *secret;
  gboolean ok;

  g_option_context_set_summary (options,
                                _("Keeps the password of the team database at ADDRESS in the "
                                  "keyring, where Sitrep looks when the server asks for one and "
                                  "no password file (PGPASSFILE, ~/.pgpass) has it. The password "
                                  "is read from standard input, without echo from a terminal; "
                                  "never give it on the command line."));
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc != 2 || !sitrep_store_is_team_address (argv[1]))
    {
      g_printerr (_("%s: give the team database's address, postgresql://USER@HOST:PORT/NAME, "
                    "as --database takes it.\n"),
                  g_get_prgname ());
      return 2;
    }
  if (sitrep_store_address_has_password (argv[1]))
    {
      g_printerr (_("%s: the address contains a password; give the address without it, and "
                    "the password on standard input.\n"),
                  g_get_prgname ());
      return 2;
    }
  secret = sitrep_cli_read_secret (_("Password: "));
  if (secret == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (),
                  _("no password was given: type it when asked, or give it on "
                    "standard input (never on the command line)"));
      return 2;
    }
  ok = sitrep_secrets_store_database_password_sync (argv[1], secret, NULL, &error);
  memset (secret, 0, strlen (secret));
  g_free (secret);
  if (!ok)
    {
      g_printerr (_("%s: cannot keep the password in the keyring (%s): is a secret service such "
                    "as GNOME Keyring running and unlocked?\n"),
                  g_get_prgname (), error->message);
      return 1;
    }
  g_print (_("The password for %s is in the keyring.\n"), argv[1]);
  return 0;
}

static void
print_change_cb (const char *change_id,
                 const char *kind,
                 const char *body,
                 gint64      at,
                 const char *reason,
                 gpointer    data)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);
  g_autofree char *shown = g_date_time_format (when, "%F %T");

  g_print ("  %s  %s  %s\n    %s\n", shown, kind, change_id, body);
  if (reason != NULL)
    /* Translators: why the team database refused a change kept on this computer */
    g_print (_("    refused: %s\n"), reason);
}

/* sitrep store journal ADDRESS: what this computer keeps for a team database, and what it set
 * aside, without connecting to it. */
static int
journal (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new (_("ADDRESS"));
  g_autoptr(SitrepStoreJournal) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 waiting, refused;

  g_option_context_set_summary (options,
                                _("Lists the changes this computer keeps for the team database "
                                  "at ADDRESS while it is unreachable or refuses writes (they "
                                  "are written, in order, when it takes them), and those set "
                                  "aside because it can never take them, with its reason. It "
                                  "does not connect to the team database."));
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc != 2 || !sitrep_store_is_team_address (argv[1]))
    {
      g_printerr (_("%s: give the team database's address, postgresql://USER@HOST:PORT/NAME, "
                    "as --database takes it.\n"),
                  g_get_prgname ());
      return 2;
    }
  path = sitrep_store_journal_default_path (argv[1]);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print (_("This computer keeps no changes for %s.\n"), argv[1]);
      return 0;
    }
  kept = sitrep_store_journal_open (path, &error);
  if (kept == NULL || (waiting = sitrep_store_journal_count (kept, &error)) < 0
      || (refused = sitrep_store_journal_count_refused (kept, &error)) < 0)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  /* Translators: %u changes, %s the team database's address */
  g_print (ngettext ("%u change waits for %s:\n", "%u changes wait for %s:\n", (gulong) waiting),
           (guint) waiting, argv[1]);
  if (!sitrep_store_journal_foreach (kept, FALSE, print_change_cb, NULL, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  g_print (ngettext ("%u change was set aside: the team database can never take it.\n",
                     "%u changes were set aside: the team database can never take them.\n",
                     (gulong) refused),
           (guint) refused);
  if (!sitrep_store_journal_foreach (kept, TRUE, print_change_cb, NULL, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  g_print (_("The journal is %s.\n"), path);
  return 0;
}

/**
 * sitrep_cli_store:
 *
 * Runs `sitrep store migrate …`, `sitrep store password …` or `sitrep store journal …`;
 * argv[0] is "sitrep store".
 */
int
sitrep_cli_store (int    argc,
                  char **argv)
{
  g_autofree char *name = NULL;
  int (*verb) (int, char **) = NULL;

  if (argc >= 2 && g_str_equal (argv[1], "migrate"))
    verb = migrate;
  else if (argc >= 2 && g_str_equal (argv[1], "password"))
    verb = password;
  else if (argc >= 2 && g_str_equal (argv[1], "journal"))
    verb = journal;
  if (verb == NULL)
    {
      g_printerr (_("Usage: sitrep store migrate --from FILE --to postgresql://USER@HOST:PORT/NAME\n"
                    "       sitrep store password postgresql://USER@HOST:PORT/NAME < PASSWORD\n"
                    "       sitrep store journal postgresql://USER@HOST:PORT/NAME\n"));
      return 2;
    }
  name = g_strdup_printf ("%s %s", g_get_prgname (), argv[1]);
  g_set_prgname (name);
  argv[1] = name;
  return verb (argc - 1, argv + 1);
}
