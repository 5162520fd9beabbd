/* action-test-util.c: what the action tests share: a recording kubectl, runbooks, watched runs */
#include "config.h"

#include <glib/gstdio.h>

#include "action-test-util.h"
#include "sitrep-runbook-loader.h"

static char *tmp_dir;
char *fake_kubectl;
char *record_file;

/* A kubectl that only writes down its arguments, one per line. */
void
fake_kubectl_set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;

  tmp_dir = g_dir_make_tmp ("sitrep-action-XXXXXX", &error);
  g_assert_no_error (error);
  fake_kubectl = g_build_filename (tmp_dir, "kubectl", NULL);
  record_file = g_build_filename (tmp_dir, "record", NULL);
  script = g_strdup_printf ("#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\n' \"$a\" >> '%s'; done\n",
                            record_file);
  g_file_set_contents (fake_kubectl, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fake_kubectl, 0755), ==, 0);
}

void
fake_kubectl_tear_down (void)
{
  g_unlink (fake_kubectl);
  g_unlink (record_file);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_free (fake_kubectl);
  g_free (record_file);
}

char *
recorded (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (record_file, &text, NULL, NULL))
    return g_strdup ("");
  return g_steal_pointer (&text);
}

SitrepRunbook *
carecircle (void)
{
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_default (&error);

  g_assert_no_error (error);
  return runbook;
}

GHashTable *
table (const char *first,
       ...)
{
  GHashTable *hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *key = first; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (hash, g_strdup (key), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return hash;
}

static GHashTable *
offered_revisions (void)
{
  static const char *const revisions[] = { "1", "2", "3", NULL };
  GHashTable *hash = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (hash, (char *) "revision", (gpointer) revisions);
  return hash;
}

SitrepActionRequest *
resolve (SitrepRunbook *runbook,
         const char    *service_id,
         const char    *action_id,
         GHashTable    *inputs,
         GError       **error)
{
  const SitrepService *service = sitrep_runbook_find_service (runbook, service_id);
  const SitrepAction *action = sitrep_runbook_find_action (runbook, action_id);
  g_autoptr(GHashTable) offered = offered_revisions ();

  g_assert_nonnull (service);
  g_assert_nonnull (action);
  return sitrep_action_request_new (runbook, service, action, inputs, offered, fake_kubectl, error);
}

/* The runner. */

static void
line_cb (SitrepActionRun *run,
         gboolean         is_stderr,
         const char      *line,
         Watch           *watch)
{
  g_assert_true (g_utf8_validate (line, -1, NULL));
  if (watch->first_line_at == 0)
    watch->first_line_at = g_get_monotonic_time ();
  g_ptr_array_add (is_stderr ? watch->err : watch->out, g_strdup (line));
}

static void
follow_up_cb (SitrepActionRun *run,
              const char      *command_line,
              Watch           *watch)
{
  g_ptr_array_add (watch->follow_ups, g_strdup (command_line));
}

static void
finished_cb (SitrepActionRun *run,
             Watch           *watch)
{
  watch->finished_signals++;
  g_assert_false (sitrep_action_run_get_running (run));
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watch *watch = user_data;

  watch->ok = sitrep_action_run_execute_finish (SITREP_ACTION_RUN (source), result, &watch->error);
  watch->done = TRUE;
  g_main_loop_quit (watch->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  sitrep_action_run_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
hung_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs to the end; @cancel_after_ms > 0 cancels then. Returns the elapsed time. */
gint64
run_watched (SitrepActionRun *run,
             Watch           *watch,
             guint            cancel_after_ms,
             GCancellable    *cancellable)
{
  guint guard;

  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->out = g_ptr_array_new_with_free_func (g_free);
  watch->err = g_ptr_array_new_with_free_func (g_free);
  watch->follow_ups = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (run, "line", G_CALLBACK (line_cb), watch);
  g_signal_connect (run, "follow-up", G_CALLBACK (follow_up_cb), watch);
  g_signal_connect (run, "finished", G_CALLBACK (finished_cb), watch);
  watch->started = g_get_monotonic_time ();
  sitrep_action_run_execute_async (run, cancellable, done_cb, watch);
  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, run);
  guard = g_timeout_add_seconds (120, hung_cb, watch->loop);
  if (!watch->done)
    g_main_loop_run (watch->loop);
  g_assert_true (watch->done);
  g_source_remove (guard);
  g_assert_cmpuint (watch->finished_signals, ==, 1);
  g_signal_handlers_disconnect_by_data (run, watch);
  return (g_get_monotonic_time () - watch->started) / 1000;
}

void
watch_clear (Watch *watch)
{
  g_clear_pointer (&watch->loop, g_main_loop_unref);
  g_clear_pointer (&watch->out, g_ptr_array_unref);
  g_clear_pointer (&watch->err, g_ptr_array_unref);
  g_clear_pointer (&watch->follow_ups, g_ptr_array_unref);
  g_clear_error (&watch->error);
}

static void
recorded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  sitrep_action_controller_close_unfinished_finish (SITREP_ACTION_CONTROLLER (source), result,
                                                    NULL);
  *(gboolean *) user_data = TRUE;
}

GPtrArray *
session_audit (SitrepSession *session)
{
  g_autoptr(GError) error = NULL;
  gboolean recorded = FALSE;
  GPtrArray *entries;

  sitrep_action_controller_close_unfinished_async (sitrep_session_get_actions (session), NULL,
                                                   recorded_cb, &recorded);
  while (!recorded)
    g_main_context_iteration (NULL, TRUE);
  entries = sitrep_store_list_audit (sitrep_session_get_store (session), &error);
  g_assert_no_error (error);
  return entries;
}

/* The newest entry of @entries, which has one. */
SitrepAuditEntry *
last_audit (GPtrArray *entries)
{
  g_assert_cmpuint (entries->len, >, 0);
  return entries->pdata[entries->len - 1];
}

/* Runs @action_id of @service_id, without inputs, as if confirmed: the run started, or the
 * test fails. */
SitrepActionRun *
run_action (SitrepActionController *controller,
            SitrepRunbook          *runbook,
            const char             *service_id,
            const char             *action_id)
{
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;

  request = sitrep_action_controller_resolve (controller,
                                              sitrep_runbook_find_service (runbook, service_id),
                                              sitrep_runbook_find_action (runbook, action_id),
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  run = sitrep_action_controller_run (controller, request, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  return g_object_ref (run);
}
