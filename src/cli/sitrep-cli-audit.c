/* sitrep-cli-audit.c: `sitrep audit verify|export|key`: check the audit log and anchor, print it,
 * or share its key with a teammate */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-cli-audit.h"
#include "sitrep-cli-common.h"
#include "sitrep-cli-output.h"
#include "sitrep-store.h"
#include "sitrep-store-audit.h"

static gboolean use_utc = FALSE;

/* To the microsecond, as the log records it. */
static char *
format_iso (gint64 at)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = g_date_time_add (seconds, at % G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (time);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gboolean     present,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (present)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

typedef struct
{
  JsonBuilder *builder;
  GHashTable *finished; /* ids of the "started" entries a later entry finishes */
  guint count;
} Export;

/* A "started" entry nothing finishes: still running, or its Sitrep stopped while it ran. */
static gboolean
never_finished (const SitrepAuditEntry *entry,
                Export                 *export)
{
  return g_strcmp0 (entry->outcome, SITREP_AUDIT_STARTED) == 0
         && !g_hash_table_contains (export->finished, &entry->id);
}

static void
add_json_object (JsonBuilder *builder,
                 const char  *name,
                 const char  *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (builder, name);
  if (text == NULL)
    json_builder_add_null_value (builder);
  /* A damaged column is still printed, as the string it holds. */
  else if (json_parser_load_from_data (parser, text, -1, NULL)
           && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (builder, text);
}

static void
add_entry_json (const SitrepAuditEntry *entry,
                gpointer                user_data)
{
  Export *export = user_data;
  JsonBuilder *builder = export->builder;
  g_autofree char *at = format_iso (entry->at);

  json_builder_begin_object (builder);
  add_int (builder, "id", TRUE, entry->id);
  sitrep_cli_add_string (builder, "at", at);
  sitrep_cli_add_string (builder, "os_user", entry->os_user);
  sitrep_cli_add_string (builder, "author", entry->author);
  sitrep_cli_add_string (builder, "host", entry->host);
  add_int (builder, "incident_id", entry->incident_id > 0, entry->incident_id);
  sitrep_cli_add_string (builder, "context", entry->context);
  sitrep_cli_add_string (builder, "namespace", entry->namespace);
  sitrep_cli_add_string (builder, "action_id", entry->action_id);
  sitrep_cli_add_string (builder, "service_id", entry->service_id);
  json_builder_set_member_name (builder, "argv");
  json_builder_begin_array (builder);
  for (guint i = 0; entry->argv != NULL && entry->argv[i] != NULL; i++)
    json_builder_add_string_value (builder, entry->argv[i]);
  json_builder_end_array (builder);
  add_json_object (builder, "inputs", entry->inputs ? entry->inputs : "{}");
  add_json_object (builder, "process", entry->process);
  sitrep_cli_add_string (builder, "confirmation", entry->confirmation);
  add_int (builder, "exit_code", entry->has_exit_code, entry->exit_code);
  add_int (builder, "duration_ms", entry->has_duration, entry->duration_ms);
  sitrep_cli_add_string (builder, "outcome", entry->outcome);
  sitrep_cli_add_string (builder, "output_tail", entry->output_tail);
  add_int (builder, "started_id", entry->started_id > 0, entry->started_id);
  if (g_strcmp0 (entry->outcome, SITREP_AUDIT_STARTED) == 0)
    {
      json_builder_set_member_name (builder, "finished");
      json_builder_add_boolean_value (builder, !never_finished (entry, export));
    }
  sitrep_cli_add_string (builder, "owner", entry->owner);
  sitrep_cli_add_string (builder, "prev_hash", entry->prev_hash);
  sitrep_cli_add_string (builder, "hash", entry->hash);
  json_builder_end_object (builder);
}

static char *
join_argv (const char *const *argv)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;
      const char *arg = argv[i];

      if (*arg == '\0' || strpbrk (arg, " \t\n'\"\\$`;&|<>()*?[]{}~#!") != NULL)
        arg = quoted = g_shell_quote (arg);
      if (i > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, arg);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
print_entry_line (const SitrepAuditEntry *entry,
                  gpointer                user_data)
{
  Export *export = user_data;
  g_autofree char *at = sitrep_cli_format_time (entry->at, use_utc);
  g_autofree char *command = join_argv ((const char *const *) entry->argv);
  g_autofree char *exit_code = entry->has_exit_code ? g_strdup_printf ("%d", entry->exit_code)
                                                    : g_strdup ("-");
  g_autofree char *duration = entry->has_duration
                                ? g_strdup_printf ("%" G_GINT64_FORMAT " ms", entry->duration_ms)
                                : g_strdup ("-");
  g_autofree char *incident = entry->incident_id > 0
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, entry->incident_id)
                                : g_strdup ("-");

  g_autofree char *outcome = NULL;

  if (never_finished (entry, export))
    /* Translators: the outcome column of a command whose Sitrep stopped while it ran */
    outcome = g_strdup (_("started, never finished"));
  else if (entry->started_id > 0)
    {
      g_autofree char *started = g_strdup_printf ("%" G_GINT64_FORMAT, entry->started_id);

      /* Translators: the outcome column: "succeeded (started at 41)", 41 being the entry
       * that recorded the command's start */
      outcome = g_strdup_printf (_("%s (started at %s)"), entry->outcome, started);
    }
  else
    outcome = g_strdup (entry->outcome);
  g_print ("%-5" G_GINT64_FORMAT " %-23s %-10s %-10s %-4s %-9s %-8s %-20s %s\n", entry->id, at,
           entry->os_user, outcome, exit_code, duration, incident, entry->action_id, command);
  export->count++;
}

static void
print_sentences (GPtrArray *sentences,
                 gboolean   to_stderr)
{
  for (guint i = 0; i < sentences->len; i++)
    {
      if (to_stderr)
        g_printerr ("  %s\n", (const char *) sentences->pdata[i]);
      else
        g_print ("  %s\n", (const char *) sentences->pdata[i]);
    }
}

/* 0 intact, 1 broken (tampering), 2 cannot read, 3 not everything could be checked. Also what
 * `sitrep store migrate` says of the copy. */
int
sitrep_cli_audit_verify (SitrepStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) key_error = NULL;
  g_autoptr(SitrepAuditReport) report = NULL;
  g_autofree char *count = NULL;

  /* Without a keyring (a headless machine) the report says what it could not check. */
  sitrep_store_load_audit_key_sync (store, FALSE, NULL, &key_error);
  report = sitrep_store_verify_audit_report (store, &error);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  count = g_strdup_printf ("%" G_GINT64_FORMAT, report->n_entries);
  switch (report->verdict)
    {
    case SITREP_AUDIT_INTACT:
      /* Translators: "Audit log of 42 entries: intact (last hash 3f2a…)" */
      g_print (g_dngettext (GETTEXT_PACKAGE, "Audit log of %s entry: intact (last hash %s)\n",
                            "Audit log of %s entries: intact (last hash %s)\n",
                            (gulong) report->n_entries),
               count, report->last_hash);
      print_sentences (report->checked, FALSE);
      return 0;

    case SITREP_AUDIT_INCOMPLETE:
      /* Translators: "Audit log of 42 entries: not fully verified (last hash 3f2a…)" */
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "Audit log of %s entry: not fully verified (last hash %s)\n",
                            "Audit log of %s entries: not fully verified (last hash %s)\n",
                            (gulong) report->n_entries),
               count, report->last_hash);
      print_sentences (report->checked, FALSE);
      g_printerr ("%s\n", _("What could not be checked:"));
      print_sentences (report->unchecked, TRUE);
      return 3;

    case SITREP_AUDIT_BROKEN:
    default:
      if (report->first_broken_id > 0)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, report->first_broken_id);

          /* Translators: "Audit log broken at entry 17: it was changed after it was recorded" */
          g_printerr (_("Audit log broken at entry %s: %s\n"), id, report->reason);
        }
      else
        /* Translators: "Audit log broken: the anchor names entry 20, but the log ends at 15" */
        g_printerr (_("Audit log broken: %s\n"), report->reason);
      print_sentences (report->checked, TRUE);
      print_sentences (report->unchecked, TRUE);
      return 1;
    }
}

static int
export_log (SitrepStore *store,
            gboolean     as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) finished = sitrep_store_list_audit_finished (store, &error);
  Export export = { builder, finished, 0 };

  if (finished == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (as_json)
    {
      json_builder_begin_array (builder);
      if (!sitrep_store_foreach_audit (store, add_entry_json, &export, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      json_builder_end_array (builder);
      sitrep_cli_print_json (builder);
      return 0;
    }

  /* Translators: the header of `sitrep audit export`; keep the columns aligned with the rows */
  g_print ("%s\n", _("ID    TIME                    USER       OUTCOME    EXIT DURATION  INCIDENT "
                     "ACTION               COMMAND"));
  if (!sitrep_store_foreach_audit (store, print_entry_line, &export, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (export.count == 0)
    g_print ("%s\n", _("The audit log is empty."));
  return 0;
}

/* sitrep audit key export|import: the audit log's key, printed for a teammate on the same team
 * database, or read from standard input into this user's keyring. */
static int
audit_key (SitrepStore *store,
           const char  *verb)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (verb, "export"))
    {
      g_autofree char *key = sitrep_store_export_audit_key_sync (store, NULL, &error);

      if (key == NULL)
        {
          g_printerr (_("%s: cannot read the audit log's key: %s\n"),
                      sitrep_store_get_path (store), error->message);
          return 1;
        }
      g_print ("%s\n", key);
      memset (key, 0, strlen (key));
      return 0;
    }
  else
    {
      g_autofree char *key = sitrep_cli_read_secret (_("Audit log key: "));
      gboolean ok;

      if (key == NULL)
        {
          g_printerr (_("No key was given: type it when asked, or give it on standard input "
                        "(never on the command line).\n"));
          return 2;
        }
      g_strstrip (key);
      ok = sitrep_store_import_audit_key_sync (store, key, NULL, &error);
      memset (key, 0, strlen (key));
      if (!ok)
        {
          g_printerr (_("%s: the key was not kept: %s\n"), sitrep_store_get_path (store),
                      error->message);
          return 1;
        }
      g_print (_("The audit log key of %s is in the keyring: this console signs and checks the "
                 "same audit chain as the others.\n"), sitrep_store_get_path (store));
      return 0;
    }
}

/* sitrep audit verify|export [--json] [--utc] [--database FILE], sitrep audit key export|import */
int
sitrep_cli_audit (int    argc,
                  char **argv)
{
  g_autofree char *database = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Read the audit log from the database file FILE, or the team database at "
         "postgresql://…, instead of the default database"),
      N_("FILE|ADDRESS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Export as JSON"), NULL },
    { "utc", 0, 0, G_OPTION_ARG_NONE, &use_utc, N_("Show times in UTC"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("verify | export | key export | "
                                                             "key import"));
  gboolean is_key;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepSession) session = NULL;
  SitrepStore *store;

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (options, _("Check the audit log's hash chain, or print it. The "
                                           "log's key, shared once between the consoles of a team "
                                           "database, goes from one keyring to another with "
                                           "key export and key import."));
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  is_key = argc == 3 && g_str_equal (argv[1], "key")
           && (g_str_equal (argv[2], "export") || g_str_equal (argv[2], "import"));
  if ((!is_key
       && (argc != 2 || (!g_str_equal (argv[1], "verify") && !g_str_equal (argv[1], "export"))))
      || (as_json && !g_str_equal (argv[1], "export")))
    {
      g_printerr (_("Usage: sitrep audit verify [--database FILE]\n"
                    "       sitrep audit export [--json] [--utc] [--database FILE]\n"
                    "       sitrep audit key export [--database FILE] > KEY\n"
                    "       sitrep audit key import [--database FILE] < KEY\n"));
      return 2;
    }

  /* An audit of a mistyped path must not report an intact, empty log. No runbook: the log is
   * checked even when the incidents cannot be read. */
  session = sitrep_session_new_headless (NULL);
  if (!sitrep_cli_open_session_store (session, database))
    return 2;
  store = sitrep_session_get_store (session);

  if (is_key)
    return audit_key (store, argv[2]);
  if (g_str_equal (argv[1], "verify"))
    return sitrep_cli_audit_verify (store);
  return export_log (store, as_json);
}
