/* sitrep-cli-incident-write.c: `sitrep incident declare|note|status|resolve`, for bots and hooks
 *
 * Each change goes through the incident manager and the store exactly as the console's does, so
 * the console and `sitrep incident show` see it, and the timeline records it in the same words,
 * under the same name (Preferences' name, else the account's). A verb is one process among
 * others writing the same file (the console, other verbs): it waits for them instead of failing,
 * and a change refused because another writer moved the incident first is tried again on what
 * is stored then.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-author.h"
#include "sitrep-cli-common.h"
#include "sitrep-cli-output.h"
#include "sitrep-cli-incident-write.h"
#include "sitrep-incident-manager.h"
#include "sitrep-incident-status.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-settings.h"
#include "sitrep-store-deadline.h"
#include "sitrep-store-writer.h"
#include "sitrep-store-timeline.h"

/* Long enough for a console and several verbs writing at once; a person waits for no verb. */
#define BUSY_TIMEOUT_MS 30000
/* A status change refused because the incident moved meanwhile is tried on what is stored. */
#define MAX_ATTEMPTS 5
/* How long a verb waits in all for a team database that does not answer (--wait): longer than
 * connecting (10 s) and the store's tries of a change the server refuses as busy (a minute)
 * take together, so that a refusal is reported as one. */
#define DEFAULT_WAIT_S 90

static int wait_seconds = DEFAULT_WAIT_S;
/* Started when the verb opens a team database, stopped when the verb is over. */
static SitrepStoreDeadline *deadline;
/* The note was committed, whatever failed after it: the verb's own message says so, and
 * nothing may contradict it. */
static gboolean note_recorded;

static const GOptionEntry wait_entries[] = {
  { "wait", 0, 0, G_OPTION_ARG_INT, &wait_seconds,
    N_("Give up after SECONDS when the team database does not answer (90 by default)"),
    N_("SECONDS") },
  { NULL }
};

static const char *const write_verbs[] = { "declare", "note", "status", "resolve" };

gboolean
sitrep_cli_incident_is_write_verb (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (write_verbs); i++)
    if (g_strcmp0 (word, write_verbs[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Refuses a change under a runbook that says this console changes nothing, or whose commands the
 * user never trusted; says which and what to do. */
static gboolean
check_runbook (SitrepRunbook *runbook,
               GSettings     *settings)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);

  if (env != NULL && env->read_only)
    {
      /* Translators: "sitrep incident note: runbook “Northwind Freight” (/srv/nw.json) is
       * read-only (environment.read_only is true): …" */
      g_printerr (_("%s: runbook “%s” (%s) is read-only (its environment.read_only is true), so "
                    "nothing is written under it. Use a runbook without read_only, or make the "
                    "change in a console that may write.\n"),
                  g_get_prgname (), sitrep_runbook_get_name (runbook),
                  sitrep_runbook_get_source (runbook));
      return FALSE;
    }
  if (!sitrep_runbook_trust_is_trusted (runbook, settings))
    {
      /* Translators: "sitrep incident declare: runbook “Northwind Freight” (/srv/nw.json) is
       * not trusted: …" */
      g_printerr (_("%s: runbook “%s” (%s) is not trusted: its commands were never reviewed on "
                    "this account, or the file changed since. Open it once with “sitrep "
                    "--runbook FILE”, review its commands and trust them, then run this again.\n"),
                  g_get_prgname (), sitrep_runbook_get_name (runbook),
                  sitrep_runbook_get_source (runbook));
      return FALSE;
    }
  return TRUE;
}

/* FALSE, with why, for a --wait no one means. */
static gboolean
check_wait (void)
{
  if (wait_seconds >= 1 && wait_seconds <= 24 * 3600)
    return TRUE;
  g_printerr (_("%s: --wait takes a number of seconds from 1 to 86400.\n"), g_get_prgname ());
  return FALSE;
}

/* The session's database and its incidents, which a change goes through: -1, or the exit
 * status with the reason printed (2: no such database; 1: its incidents cannot be read). A
 * verb waits for other writers longer than a console, and for a team database as long as
 * --wait says. */
static int
open_store (SitrepSession *session,
            const char    *database)
{
  g_autoptr(GError) error = NULL;

  if (database != NULL && sitrep_store_is_team_address (database) && deadline == NULL)
    deadline = sitrep_store_deadline_start (wait_seconds);
  if (!sitrep_cli_open_session_store (session, database))
    return 2;
  sitrep_store_set_busy_timeout (sitrep_session_get_store (session), BUSY_TIMEOUT_MS);
  if (!sitrep_session_read_incidents (session, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return -1;
}

/* What a bot needs of the incident after a change. */
static void
add_incident (JsonBuilder    *builder,
              SitrepIncident *incident)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, sitrep_incident_get_id (incident));
  sitrep_cli_add_string (builder, "severity", sitrep_incident_get_severity (incident));
  sitrep_cli_add_string (builder, "status", sitrep_incident_get_status_id (incident));
  sitrep_cli_add_string (builder, "summary", sitrep_incident_get_summary (incident));
  sitrep_cli_add_string (builder, "lead", sitrep_incident_get_lead (incident));
  sitrep_cli_add_string (builder, "channel", sitrep_incident_get_channel (incident));
  sitrep_cli_add_string (builder, "runbook", sitrep_incident_get_runbook_name (incident));
  sitrep_cli_add_time (builder, "declared_at", sitrep_incident_get_declared_at (incident));
  sitrep_cli_add_time (builder, "resolved_at", sitrep_incident_get_resolved_at (incident));
}

static char *
list_severities (SitrepRunbook *runbook)
{
  GPtrArray *severities = sitrep_runbook_get_severities (runbook);
  g_autoptr(GString) known = g_string_new (NULL);

  for (guint i = 0; i < severities->len; i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "",
                            ((SitrepSeverity *) severities->pdata[i])->id);
  return g_string_free (g_steal_pointer (&known), FALSE);
}

/* sitrep incident declare --severity ID --title TEXT [--impact TEXT] [--lead NAME]
 * [--service ID…] [--channel NAME] [--runbook FILE] [--database FILE] [--json] */
static int
declare (int    argc,
         char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *runbook_path = NULL;
  g_autofree char *severity = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *impact = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *channel = NULL;
  g_auto(GStrv) services = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "severity", 's', 0, G_OPTION_ARG_STRING, &severity,
      N_("The severity, one the runbook defines (required)"), N_("ID") },
    { "title", 't', 0, G_OPTION_ARG_STRING, &title,
      N_("What is happening, in one line (required): the incident's summary"), N_("TEXT") },
    { "summary", 0, 0, G_OPTION_ARG_STRING, &summary,
      N_("The same as --title, as the console's Declare dialog calls it"), N_("TEXT") },
    { "impact", 0, 0, G_OPTION_ARG_STRING, &impact, N_("The impact on users"), N_("TEXT") },
    { "lead", 0, 0, G_OPTION_ARG_STRING, &lead,
      N_("The incident lead (default: the name in Preferences, else the account's)"),
      N_("NAME") },
    { "service", 0, 0, G_OPTION_ARG_STRING_ARRAY, &services,
      N_("An affected service, by its id in the runbook (repeat for more)"), N_("ID") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel,
      N_("The incident channel (default: made from the title in the runbook's form)"),
      N_("NAME") },
    { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, &runbook_path,
      N_("Declare under the runbook in FILE instead of the built-in one"), N_("FILE") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Record the incident in the database file FILE, or the team database at "
         "postgresql://…, instead of the default database"),
      N_("FILE|ADDRESS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the new incident as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SitrepIncidentManager *manager;
  SitrepIncident *incident;
  gint64 id;
  int status;

  g_option_context_set_summary (options,
                                _("Declares an incident, as the console's Declare dialog does, "
                                  "and prints its number (--json: the incident as JSON). The "
                                  "incident keeps the runbook it was declared under."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, wait_entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (options, &argc, &argv) || !check_wait ())
    return 2;
  if (title != NULL && summary != NULL)
    {
      g_printerr (_("%s: --title and --summary are the same field: give one of them.\n"),
                  g_get_prgname ());
      return 2;
    }
  if (title == NULL)
    title = g_steal_pointer (&summary);
  if (argc != 1 || severity == NULL || title == NULL)
    {
      if (severity == NULL || title == NULL)
        g_printerr (_("%s: give the severity with --severity ID and what is happening with "
                      "--title TEXT.\n"),
                    g_get_prgname ());
      sitrep_cli_usage (options);
      return 2;
    }

  runbook = sitrep_cli_load_runbook (runbook_path);
  if (runbook == NULL)
    return 2;
  settings = sitrep_settings_new ();
  if (!check_runbook (runbook, settings))
    return 1;
  if (sitrep_runbook_find_severity (runbook, severity) == NULL)
    {
      g_autofree char *known = list_severities (runbook);

      /* Translators: "sitrep incident declare: runbook “Northwind Freight” has no severity
       * “SEV-1”: give --severity one of P1, P2, P3." */
      g_printerr (_("%s: runbook “%s” has no severity “%s”: give --severity one of %s.\n"),
                  g_get_prgname (), sitrep_runbook_get_name (runbook), severity, known);
      return 1;
    }

  session = sitrep_session_new_headless (settings);
  sitrep_session_set_runbook (session, runbook);
  if ((status = open_store (session, database)) >= 0)
    return status;
  manager = sitrep_session_get_incidents (session);
  if (lead == NULL)
    lead = sitrep_author_name (settings);
  id = sitrep_incident_manager_declare (manager, severity, title, impact, lead, channel,
                                        (const char *const *) services, &error);
  if (id < 0)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  incident = sitrep_incident_manager_find (manager, id);
  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_incident (builder, incident);
      json_builder_end_object (builder);
      sitrep_cli_print_json (builder);
    }
  else
    {
      g_print ("%" G_GINT64_FORMAT "\n", id);
    }
  return 0;
}

typedef struct
{
  GOptionContext *options;
  SitrepSession *session;
  SitrepStore *store;             /* the session's */
  SitrepIncidentManager *manager; /* the session's */
  char *author;
  char *database;
  gboolean as_json;
} Change;

static void
change_clear (Change *change)
{
  g_clear_pointer (&change->options, g_option_context_free);
  change->store = NULL;
  change->manager = NULL;
  g_clear_object (&change->session);
  g_clear_pointer (&change->author, g_free);
  g_clear_pointer (&change->database, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Change, change_clear)

/* The incident named on the command line, as stored, and the runbook it was declared under;
 * what is wrong goes to stderr with *@status the exit status. */
static SitrepIncident *
find_incident (Change     *change,
               const char *text,
               int        *status)
{
  SitrepIncident *incident;
  gint64 id;

  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_printerr (_("%s: “%s” is not an incident number: see sitrep incident list.\n"),
                  g_get_prgname (), text);
      *status = 2;
      return NULL;
    }
  incident = sitrep_incident_manager_find (change->manager, id);
  if (incident == NULL)
    {
      /* Translators: "sitrep incident note: there is no incident 42 in /home/… /sitrep.db: …" */
      g_printerr (_("%s: there is no incident %s in %s: see sitrep incident list, or give the "
                    "database it is in with --database FILE.\n"),
                  g_get_prgname (), text, sitrep_store_get_path (change->store));
      *status = 1;
      return NULL;
    }
  return incident;
}

/* A bot's change to an incident that is over is most likely meant for another one. */
static gboolean
check_open (SitrepIncident *incident,
            const char     *what_to_do)
{
  g_autofree char *when = NULL;
  g_autofree char *number = NULL;

  if (sitrep_incident_get_status (incident) != SITREP_STATUS_RESOLVED)
    return TRUE;
  when = sitrep_cli_format_time (sitrep_incident_get_resolved_at (incident), FALSE);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, sitrep_incident_get_id (incident));
  /* Translators: "sitrep incident note: incident 3 was resolved at 2026-12-03 10:00:00 UTC;
   * declare a new incident, …" */
  g_printerr (_("%s: incident %s was resolved at %s; %s\n"), g_get_prgname (), number, when,
              what_to_do);
  return FALSE;
}


/* Parses the options a change takes and opens what it writes to: @n_args words after the verb.
 * Returns the exit status for a failure, or -1 to go on. */
static int
change_open (Change     *change,
             const char *parameters,
             const char *summary,
             guint       n_args,
             int        *argc,
             char     ***argv)
{
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &change->database,
      N_("Change the incident in the database file FILE, or the team database at "
         "postgresql://…, instead of the default database"),
      N_("FILE|ADDRESS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &change->as_json, N_("Print the outcome as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepRunbook) at_hand = NULL;
  int status;

  change->options = g_option_context_new (parameters);
  g_option_context_set_summary (change->options, summary);
  g_option_context_add_main_entries (change->options, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (change->options, wait_entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (change->options, argc, argv) || !check_wait ())
    return 2;
  if ((guint) *argc != n_args + 1)
    {
      sitrep_cli_usage (change->options);
      return 2;
    }

  /* For incidents recorded before each kept its runbook. */
  at_hand = sitrep_cli_load_runbook (NULL);
  if (at_hand == NULL)
    return 2;
  settings = sitrep_settings_new ();
  change->session = sitrep_session_new_headless (settings);
  sitrep_session_set_runbook (change->session, at_hand);
  if ((status = open_store (change->session, change->database)) >= 0)
    return status;
  change->store = sitrep_session_get_store (change->session);
  change->manager = sitrep_session_get_incidents (change->session);
  change->author = sitrep_author_name (settings);
  return -1;
}

typedef struct
{
  gint64 incident;
  gint64 at;
  const char *text;
  const char *author;
  gint64 id;
} Note;

/* Tried again while the database is busy (sitrep_store_write_sync()): a bot's note waits for
 * another writer rather than be lost. Only the insert is tried again, never the read after
 * it: the note is committed once it has an id. */
static gboolean
insert_note (SitrepStore *store,
             gpointer     data,
             GError     **error)
{
  Note *note = data;

  note->id = sitrep_store_insert_note (store, note->incident, note->at, note->text,
                                       note->author, error);
  return note->id > 0;
}

/* sitrep incident note ID TEXT [--database FILE] [--json] */
static int
note (int    argc,
      char **argv)
{
  g_auto(Change) change = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = NULL;
  SitrepIncident *incident;
  Note added;
  int status;

  status = change_open (&change, _("ID TEXT"),
                        _("Adds TEXT to the incident's timeline as a note, as typed in the "
                          "console, under the name set in Preferences (else the account's)."),
                        2, &argc, &argv);
  if (status >= 0)
    return status;
  incident = find_incident (&change, argv[1], &status);
  if (incident == NULL)
    return status;
  if (!check_runbook (sitrep_incident_manager_get_runbook_for (change.manager, incident),
                      sitrep_session_get_settings (change.session))
      || !check_open (incident, _("declare a new incident for what is happening now.")))
    return 1;

  added = (Note) { sitrep_incident_get_id (incident),
                   sitrep_incident_manager_now (change.manager), argv[2], change.author, 0 };
  if (!sitrep_store_write_sync (change.store, insert_note, &added, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  note_recorded = TRUE;
  event = sitrep_store_load_event (change.store, added.id, &error);
  if (event == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, added.id);
      g_autofree char *why = NULL;

      if (deadline != NULL
          && sitrep_store_deadline_get_cut (deadline) == SITREP_STORE_DEADLINE_CUT_CONNECTED)
        {
          /* Translators: "sitrep incident note: the note is on the timeline (event 812), but
           * the team database did not answer within 90 s to read it back. …" */
          g_printerr (_("%s: the note is on the timeline (event %s), but the team database did "
                        "not answer within %d s to read it back. Do not add it again; look with "
                        "“sitrep incident show” once the database answers.\n"),
                      g_get_prgname (), number, wait_seconds);
          return 1;
        }
      /* The reason ends without its full stop: the sentence goes on. */
      why = g_strdup (error->message);
      if (g_str_has_suffix (why, "."))
        why[strlen (why) - 1] = '\0';
      /* Translators: "sitrep incident note: the note is on the timeline (event 812), but
       * reading it back failed: …" */
      g_printerr (_("%s: the note is on the timeline (event %s), but reading it back failed: "
                    "%s. Do not add it again.\n"),
                  g_get_prgname (), number, why);
      return 1;
    }

  if (change.as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "incident");
      json_builder_add_int_value (builder, sitrep_incident_get_id (incident));
      json_builder_set_member_name (builder, "event");
      json_builder_add_int_value (builder, sitrep_timeline_event_get_id (event));
      sitrep_cli_add_time (builder, "at", sitrep_timeline_event_get_at (event));
      sitrep_cli_add_string (builder, "author", sitrep_timeline_event_get_author (event));
      sitrep_cli_add_string (builder, "text", sitrep_timeline_event_get_text (event));
      json_builder_end_object (builder);
      sitrep_cli_print_json (builder);
    }
  return 0;
}

/* Moves the incident to the status @to names (NULL: the runbook's status that resolves it),
 * again on what is stored when another writer moved it first. */
static int
set_status (Change         *change,
            SitrepIncident *incident,
            const char     *to)
{
  gint64 id = sitrep_incident_get_id (incident);
  g_autofree char *from = g_strdup (sitrep_incident_get_status_id (incident));

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) error = NULL;
      gboolean changed;

      if (to != NULL)
        changed = sitrep_incident_manager_set_status_id (change->manager, id, to, change->author,
                                                         &error);
      else
        changed = sitrep_incident_manager_set_status (change->manager, id,
                                                      SITREP_STATUS_RESOLVED, change->author,
                                                      &error);
      if (changed)
        break;
      if (!g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT)
          || attempt == MAX_ATTEMPTS)
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return 1;
        }
      /* The manager shows what is stored after a refused change: decide again on that. */
      incident = sitrep_incident_manager_find (change->manager, id);
      if (!check_open (incident, _("nothing was changed.")))
        return 1;
      g_free (from);
      from = g_strdup (sitrep_incident_get_status_id (incident));
    }

  incident = sitrep_incident_manager_find (change->manager, id);
  if (change->as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_incident (builder, incident);
      sitrep_cli_add_string (builder, "previous_status", from);
      json_builder_end_object (builder);
      sitrep_cli_print_json (builder);
    }
  return 0;
}

/* sitrep incident status ID STATUS [--database FILE] [--json] */
static int
status (int    argc,
        char **argv)
{
  g_auto(Change) change = { NULL };
  g_autoptr(GError) error = NULL;
  SitrepStatusChoice to;
  SitrepIncident *incident;
  SitrepRunbook *runbook;
  int exit_status;

  exit_status = change_open (&change, _("ID STATUS"),
                             _("Sets the incident's status: investigating, identified, "
                               "monitoring or resolved, or one of its runbook's own "
                               "statuses. The timeline records the change and who made it, as "
                               "in the console."),
                             2, &argc, &argv);
  if (exit_status >= 0)
    return exit_status;
  incident = find_incident (&change, argv[1], &exit_status);
  if (incident == NULL)
    return exit_status;
  runbook = sitrep_incident_manager_get_runbook_for (change.manager, incident);
  if (!sitrep_incident_status_parse (runbook, argv[2], &to, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  if (!check_runbook (runbook, sitrep_session_get_settings (change.session))
      || !check_open (incident, _("nothing was changed. If it is not over, reopen it in the "
                                  "console.")))
    return 1;
  if (g_strcmp0 (sitrep_incident_get_status_id (incident), argv[2]) == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 sitrep_incident_get_id (incident));

      /* Nothing to record; a bot that repeats itself is not an error. */
      g_printerr (_("%s: incident %s is %s already; nothing was changed.\n"), g_get_prgname (),
                  number, argv[2]);
    }
  return set_status (&change, incident, argv[2]);
}

/* sitrep incident resolve ID [--database FILE] [--json] */
static int
resolve (int    argc,
         char **argv)
{
  g_auto(Change) change = { NULL };
  SitrepIncident *incident;
  int exit_status;

  exit_status = change_open (&change, _("ID"),
                             _("Resolves the incident, as setting its status to resolved in the "
                               "console does: its resolution time is now."),
                             1, &argc, &argv);
  if (exit_status >= 0)
    return exit_status;
  incident = find_incident (&change, argv[1], &exit_status);
  if (incident == NULL)
    return exit_status;
  if (!check_runbook (sitrep_incident_manager_get_runbook_for (change.manager, incident),
                      sitrep_session_get_settings (change.session))
      || !check_open (incident, _("nothing was changed.")))
    return 1;
  return set_status (&change, incident, NULL);
}

/**
 * sitrep_cli_incident_write:
 *
 * Runs `sitrep incident VERB …` for a verb sitrep_cli_incident_is_write_verb() accepts; argv[0]
 * is "sitrep incident".
 */
int
sitrep_cli_incident_write (int    argc,
                           char **argv)
{
  g_autofree char *name = NULL;
  const char *verb = argv[1];
  int code;

  g_return_val_if_fail (argc >= 2 && sitrep_cli_incident_is_write_verb (verb), 2);

  /* Messages and usage name the verb as typed: "sitrep incident note". */
  name = g_strdup_printf ("%s %s", g_get_prgname (), verb);
  g_set_prgname (name);
  argv[1] = name;
  argc--;
  argv++;
  if (g_str_equal (verb, "declare"))
    code = declare (argc, argv);
  else if (g_str_equal (verb, "note"))
    code = note (argc, argv);
  else if (g_str_equal (verb, "status"))
    code = status (argc, argv);
  else
    code = resolve (argc, argv);

  /* The verb has closed its database. A change it made is made, even when a step after it
   * was cut (declare and status then succeed; a note that cannot be read back says it is
   * there); a verb that failed because its wait was cut says so. */
  if (deadline != NULL)
    {
      SitrepStoreDeadlineCut cut = sitrep_store_deadline_get_cut (deadline);

      g_clear_pointer (&deadline, sitrep_store_deadline_stop);
      if (cut == SITREP_STORE_DEADLINE_CUT_CONNECTED && code != 0 && !note_recorded)
        {
          /* Translators: "sitrep incident note: the team database did not answer within 90 s,
           * so this gave up: …" */
          g_printerr (_("%s: the team database did not answer within %d s, so this gave up: the "
                        "change may or may not be recorded. Look with “sitrep incident show” "
                        "once the database answers before you try again, or give more time with "
                        "--wait.\n"),
                      g_get_prgname (), wait_seconds);
          return 1;
        }
      if (cut == SITREP_STORE_DEADLINE_CUT_CONNECTING && code != 0)
        {
          /* Translators: "sitrep incident note: the team database was still connecting after
           * 90 s, so this gave up: …" */
          g_printerr (_("%s: the team database was still connecting after %d s, so this gave "
                        "up before changing anything: nothing was written. Try again once the "
                        "database answers, or give more time with --wait.\n"),
                      g_get_prgname (), wait_seconds);
          return 1;
        }
    }
  return code;
}
