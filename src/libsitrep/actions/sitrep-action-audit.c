/* sitrep-action-audit.c: what the audit log keeps of an action: who ran what, and how it ended
 *
 * A "started" entry names its owner: the Sitrep process that runs the command, as
 * "HOST BOOT-ID PID START-TIME" (the start time from /proc, so a reused pid is told apart).
 * When a later Sitrep finds a "started" entry that nothing finishes and whose owner is gone,
 * the command's fate is unknown: the entry that closes it says so.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "sitrep-action-audit.h"
#include "sitrep-store-writer.h"

static const char *
audit_text (const char *text)
{
  return text != NULL ? text : "";
}

typedef gint64 (*AppendFunc) (SitrepStore            *store,
                              const SitrepAuditEntry *entry,
                              gpointer                data,
                              GError                **error);

/* @record as the log keeps it, handed to @func. */
static gint64
append (SitrepStore                   *store,
        const SitrepActionAuditRecord *record,
        AppendFunc                     func,
        gpointer                       data,
        GError                       **error)
{
  SitrepActionRequest *request = record->request;
  SitrepRedactor *redactor = sitrep_action_request_get_redactor (request);
  const SitrepService *service = sitrep_action_request_get_service (request);
  g_autofree char *inputs = sitrep_action_request_get_inputs_record (request);
  g_autofree char *process = sitrep_action_request_get_process_record (request);
  g_autofree char *confirmation = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *owner = record->with_owner ? sitrep_action_audit_owner () : NULL;
  g_auto(GStrv) argv = sitrep_redactor_redact_argv (redactor, record->argv);
  SitrepAuditEntry entry = {
    .at = record->at,
    .incident_id = record->incident_id,
    .context = (char *) audit_text (sitrep_action_request_get_context (request)),
    .namespace = (char *) audit_text (sitrep_action_request_get_namespace (request)),
    .action_id = sitrep_action_request_get_action (request)->id,
    .service_id = service ? service->id : NULL,
    .argv = argv,
    .inputs = inputs,
    .outcome = (char *) record->outcome,
    .started_id = record->started_id,
    .process = g_str_equal (process, "{}") ? NULL : process,
    .owner = owner,
    .author = (char *) record->author,
  };

  if (record->confirmation != NULL)
    entry.confirmation = confirmation = sitrep_redactor_redact (redactor, record->confirmation);
  entry.output_tail = tail = sitrep_redactor_redact (redactor, record->output_tail);
  if (record->run != NULL)
    {
      SitrepOutcome result = sitrep_action_run_get_outcome (record->run);

      entry.has_duration = TRUE;
      entry.duration_ms = sitrep_action_run_get_duration_ms (record->run);
      /* A process that was stopped or killed, or never started, has no exit code of its own. */
      entry.has_exit_code = result != SITREP_OUTCOME_CANCELLED && result != SITREP_OUTCOME_TIMED_OUT
                            && sitrep_action_run_get_term_signal (record->run) == 0
                            && sitrep_action_run_get_exit_status (record->run) >= 0;
      entry.exit_code = sitrep_action_run_get_exit_status (record->run);
    }
  return func (store, &entry, data, error);
}

static gint64
append_now (SitrepStore            *store,
            const SitrepAuditEntry *entry,
            gpointer                data,
            GError                **error)
{
  return sitrep_store_append_audit (store, entry, error);
}

/**
 * sitrep_action_audit_append:
 *
 * Appends @record with the request's context, namespace, action, service, inputs (secret ones
 * left out) and process record; the argv, confirmation and output redacted by the request's
 * redactor, so no secret value it knows reaches the log.
 *
 * Returns: the entry's id, or -1 with @error set
 */
gint64
sitrep_action_audit_append (SitrepStore                   *store,
                            const SitrepActionAuditRecord *record,
                            GError                       **error)
{
  return append (store, record, append_now, NULL, error);
}

static void
queued_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *what = user_data;
  g_autoptr(GError) error = NULL;

  if (sitrep_store_append_audit_finish (SITREP_STORE (source), result, &error) < 0)
    g_message ("The audit log could not record %s: %s", what, error->message);
}

static gint64
append_queued (SitrepStore            *store,
               const SitrepAuditEntry *entry,
               gpointer                data,
               GError                **error)
{
  char *what = g_strdup_printf ("that “%s” was %s", entry->action_id, entry->outcome);

  /* Copied when queued. */
  sitrep_store_append_audit_async (store, entry, NULL, queued_cb, what);
  return 0;
}

/**
 * sitrep_action_audit_append_async:
 *
 * sitrep_action_audit_append() through the store's writer thread: on a team database the
 * entry is kept in the journal while the server is unreachable and written, in order, when it
 * is back. What the log could not record is a message in the log.
 */
void
sitrep_action_audit_append_async (SitrepStore                   *store,
                                  const SitrepActionAuditRecord *record)
{
  append (store, record, append_queued, NULL, NULL);
}

typedef struct
{
  GAsyncReadyCallback callback;
  gpointer user_data;
} Unkept;

static gint64
append_unkept (SitrepStore            *store,
               const SitrepAuditEntry *entry,
               gpointer                data,
               GError                **error)
{
  Unkept *unkept = data;

  /* Copied when queued. */
  sitrep_store_append_audit_unkept_async (store, entry, NULL, unkept->callback,
                                          unkept->user_data);
  return 0;
}

/**
 * sitrep_action_audit_append_unkept_async:
 *
 * sitrep_action_audit_append() through the store's writer thread, for an entry nothing may
 * go on without (a run's "started" entry): on a team database it is on the server when
 * @callback comes, or it failed (the server unreachable: it is never kept in the journal).
 * Finish with sitrep_store_append_audit_finish() on @store.
 */
void
sitrep_action_audit_append_unkept_async (SitrepStore                   *store,
                                         const SitrepActionAuditRecord *record,
                                         GAsyncReadyCallback            callback,
                                         gpointer                       user_data)
{
  Unkept unkept = { callback, user_data };

  append (store, record, append_unkept, &unkept, NULL);
}

static char *
read_first_line (const char *path)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strstrip (g_strdup (text));
}

/* Field 22 of /proc/PID/stat, the process's start in clock ticks since boot; after the
 * command name, which may hold spaces and parentheses, so counted from its last ")". */
static char *
start_time (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "stat", NULL);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *rest;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (rest = strrchr (stat, ')')) == NULL)
    return NULL;
  fields = g_strsplit (rest + 2, " ", -1);
  /* fields[0] is field 3 (state), so field 22 is fields[19]. */
  if (g_strv_length (fields) < 20)
    return NULL;
  return g_strdup (fields[19]);
}

static char *
boot_id (void)
{
  char *id = read_first_line ("/proc/sys/kernel/random/boot_id");

  return id ? id : g_strdup ("-");
}

/* This process, as a "started" entry's owner. */
char *
sitrep_action_audit_owner (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *boot = boot_id ();
  g_autofree char *start = start_time (pid);

  return g_strdup_printf ("%s %s %s %s", g_get_host_name (), boot, pid, start ? start : "-");
}

/* Whether the Sitrep that owns a "started" entry is certainly gone: it ran on this machine,
 * since its last boot or before, and no process with its pid and start time exists. An owner
 * on another machine may still be running; so may one that cannot be told. */
gboolean
sitrep_action_audit_owner_is_gone (const char *owner)
{
  g_auto(GStrv) parts = owner ? g_strsplit (owner, " ", 4) : NULL;
  g_autofree char *boot = NULL;
  g_autofree char *start = NULL;

  if (parts == NULL || g_strv_length (parts) != 4 || !g_str_equal (parts[0], g_get_host_name ()))
    return FALSE;
  boot = boot_id ();
  if (!g_str_equal (parts[1], boot))
    return TRUE;
  if (g_str_equal (parts[3], "-"))
    return kill ((pid_t) g_ascii_strtoll (parts[2], NULL, 10), 0) != 0 && errno == ESRCH;
  start = start_time (parts[2]);
  return start == NULL || !g_str_equal (start, parts[3]);
}
