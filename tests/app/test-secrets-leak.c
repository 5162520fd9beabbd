/* test-secrets-leak.c: canary secrets in command lines and output appear nowhere a user can look
 *
 * Commands whose argv and output carry canary secrets run as the console runs them (the real
 * kubectl against the fake API server, and scripts), with a secret input and a keyring entry.
 * Then every place is searched: the raw bytes of the database and its WAL, the post-mortem
 * (`sitrep export`), the audit log (`sitrep audit export`, both forms), the output view's text,
 * the dialog's command line, the clipboard after copying the output and the service page's
 * commands, and everything the test process printed, debug messages included.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "sitrep-action-controller-private.h"
#include "sitrep-drill-kube.h"
#include "sitrep-action-dialog-private.h"
#include "sitrep-action-output-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"
#include "sitrep-service-page-private.h"
#include "sitrep-store-audit.h"

#define KUBECTL "/usr/bin/kubectl"
/* Every canary contains it. */
#define CANARY "Qx7leak"

/* The canaries reach the command lines as input values, as a person would type them: the
 * runbook itself holds none (the database keeps a copy of it with each incident). */
static const char runbook_text[] =
  "{ \"sitrep_runbook\": 1, \"name\": \"Leak test\",\n"
  "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],\n"
  "  \"environment\": { \"context\": \"leak-test\", \"namespace\": \"leak\" },\n"
  "  \"services\": [{ \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/api\",\n"
  "                 \"actions\": [\"pods\", \"connect\", \"rotate\"] }],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"pods\", \"label\": \"Pods\",\n"
  "      \"argv\": [\"kubectl\", \"get\", \"--raw\", \"/api/v1/namespaces/leak/pods?token={input.token}\"],\n"
  "      \"inputs\": [{ \"name\": \"token\", \"type\": \"string\" }] },\n"
  "    { \"id\": \"connect\", \"label\": \"Check the database\",\n"
  "      \"argv\": [\"@DIR@/dbcheck\", \"--password\", \"{input.password}\",\n"
  "               \"--url=https://svc:{input.password}@db.example/x?sig={input.sig}\"],\n"
  "      \"inputs\": [{ \"name\": \"password\", \"type\": \"string\" },\n"
  "                 { \"name\": \"sig\", \"type\": \"string\" }] },\n"
  "    { \"id\": \"rotate\", \"label\": \"Rotate the key\", \"argv\": [\"@DIR@/rotate\"],\n"
  "      \"inputs\": [{ \"name\": \"key\", \"type\": \"string\", \"secret\": true,\n"
  "                   \"pass_as\": { \"env\": \"NEW_KEY\" } }],\n"
  "      \"stdin\": \"${secret:leak-admin-key}\\n\" }\n"
  "  ],\n"
  "  \"templates\": [{ \"id\": \"review\", \"kind\": \"postmortem\", \"title\": \"Review\",\n"
  "                  \"body\": \"# {title}\\n\\n## Timeline\\n{timeline}\\n\" }] }\n";

/* Prints credentials the way tools do when a connection fails, then fails. */
static const char dbcheck_text[] =
  "#!/bin/sh\n"
  "echo 'connecting with Authorization: Bearer " CANARY "-bearer-0123456789'\n"
  "echo '-----BEGIN RSA PRIVATE KEY-----'\n"
  "echo 'MIIEowIBAAKCAQEA" CANARY "pemline1'\n"
  "echo 'q83vEjWl" CANARY "pemline2=='\n"
  "echo '-----END RSA PRIVATE KEY-----'\n"
  "echo '  password: " CANARY "-yaml'\n"
  "echo 'error: dial postgres://admin:" CANARY "-pg@db:5432/app: connection refused' >&2\n"
  "exit 1\n";

/* Echoes the secrets it was handed, plainly: only their exact values can redact them. */
static const char rotate_text[] =
  "#!/bin/sh\n"
  "read -r admin\n"
  "echo \"rotating with admin key $admin to $NEW_KEY\"\n";

typedef struct
{
  char *dir;
  char *db;
  SitrepDrillKube *server;
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  SitrepActionController *controller;
  gint64 incident;
  GtkWindow *window;
  GString *seen; /* everything looked at, to search at the end */
} Leak;

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
write_tool (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(gint64 *) user_data = sitrep_action_controller_close_unfinished_finish (
    SITREP_ACTION_CONTROLLER (source), result, NULL);
}

static void
leak_set_up (Leak *leak)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (runbook_text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *kubeconfig = NULL;
  gint64 ready = -2;

  leak->dir = g_dir_make_tmp ("sitrep-leak-XXXXXX", &error);
  g_assert_no_error (error);
  leak->db = g_build_filename (leak->dir, "sitrep.db", NULL);
  leak->seen = g_string_new (NULL);
  write_tool (leak->dir, "dbcheck", dbcheck_text);
  write_tool (leak->dir, "rotate", rotate_text);
  g_string_replace (text, "@DIR@", leak->dir, 0);
  bytes = g_bytes_new (text->str, text->len);
  leak->runbook = sitrep_runbook_load_bytes (bytes, "leak.json", &problems, &error);
  g_assert_no_error (error);

  leak->server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  kubeconfig = g_build_filename (leak->dir, "kubeconfig", NULL);
  sitrep_drill_kube_write_kubeconfig (leak->server, kubeconfig, "leak-test", "leak", FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  sitrep_drill_kube_add_deployment (leak->server, "leak", "api", 2, 2, 2);
  sitrep_drill_kube_add_pod (leak->server, "leak", "api-1", "api", 0, "up\n");

  g_assert_true (sitrep_secrets_store_sync ("leak-admin-key", CANARY "-keyring", NULL, &error));
  g_assert_no_error (error);
  leak->store = sitrep_store_open (leak->db, &error);
  g_assert_no_error (error);
  leak->clock = sitrep_clock_new ();
  leak->manager = sitrep_incident_manager_new (leak->store, leak->runbook, leak->clock, &error);
  g_assert_no_error (error);
  leak->incident = sitrep_incident_manager_declare (leak->manager, "P1", "Checkout fails",
                                                    "Orders stop", "ana", NULL, NULL, &error);
  g_assert_no_error (error);
  sitrep_incident_manager_set_current (leak->manager, leak->incident);
  leak->controller = sitrep_action_controller_new (leak->store, leak->runbook, leak->manager,
                                                   FALSE);
  sitrep_action_controller_set_kubectl (leak->controller, KUBECTL);
  sitrep_action_controller_close_unfinished_async (leak->controller, NULL, ready_cb, &ready);
  while (ready == -2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ready, ==, 0);
  leak->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (leak->window);
}

static void
leak_tear_down (Leak *leak)
{
  sitrep_secrets_clear_sync ("leak-admin-key", NULL, NULL);
  gtk_window_destroy (leak->window);
  g_clear_object (&leak->controller);
  g_clear_object (&leak->manager);
  g_clear_object (&leak->clock);
  g_clear_object (&leak->store);
  g_clear_object (&leak->runbook);
  g_clear_object (&leak->server);
  g_string_free (leak->seen, TRUE);
  g_free (leak->db);
  g_free (leak->dir);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static char *
read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

/* Runs @action_id through the controller into an output view, as the window would; keeps what
 * the view shows and what copying it puts on the clipboard. */
static void
run_into_view (Leak       *leak,
               const char *action_id,
               GHashTable *inputs)
{
  const SitrepService *api = sitrep_runbook_find_service (leak->runbook, "api");
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *output = sitrep_action_output_new ();
  SitrepActionRun *run;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  gtk_window_set_child (leak->window, output);
  request = sitrep_action_controller_resolve (leak->controller, api,
                                              sitrep_runbook_find_action (leak->runbook,
                                                                          action_id),
                                              inputs, NULL, &error);
  g_assert_no_error (error);
  command = sitrep_action_request_get_command_line (request);
  g_string_append_printf (leak->seen, "%s\n", command);
  run = sitrep_action_controller_run (leak->controller, request, NULL, FALSE, &error);
  g_assert_no_error (error);
  sitrep_action_output_set_run (SITREP_ACTION_OUTPUT (output), run, request, FALSE);
  while (!sitrep_action_output_get_finished (SITREP_ACTION_OUTPUT (output))
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sitrep_action_output_get_finished (SITREP_ACTION_OUTPUT (output)));
  spin ();

  text = sitrep_action_output_get_text (SITREP_ACTION_OUTPUT (output));
  g_test_message ("%s output:\n%s", action_id, text);
  g_string_append_printf (leak->seen, "%s\n%s\n%s\n%s\n", text,
                          sitrep_action_output_get_command (SITREP_ACTION_OUTPUT (output)),
                          sitrep_action_output_get_headline (SITREP_ACTION_OUTPUT (output)),
                          sitrep_action_output_get_details (SITREP_ACTION_OUTPUT (output)));
  sitrep_action_output_copy (SITREP_ACTION_OUTPUT (output));
  copied = read_clipboard (output);
  g_assert_cmpstr (copied, ==, text);
  g_string_append_printf (leak->seen, "%s\n", copied);
}

/* Every command of the service page, copied as a user would copy it. */
static void
copy_service_commands (Leak *leak)
{
  const SitrepService *api = sitrep_runbook_find_service (leak->runbook, "api");
  g_autoptr(SitrepServiceState) state = sitrep_service_state_new (leak->runbook, api);
  GtkWidget *page = sitrep_service_page_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autofree char *page_text = NULL;

  sitrep_service_page_set_controller (SITREP_SERVICE_PAGE (page), leak->controller);
  sitrep_service_page_set_state (SITREP_SERVICE_PAGE (page), state);
  gtk_window_set_child (leak->window, page);
  spin ();
  page_text = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
  g_string_append_printf (leak->seen, "%s\n", page_text);

  g_ptr_array_add (stack, page);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (widget)
          && g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Copy the command") == 0)
        g_ptr_array_add (buttons, widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_cmpuint (buttons->len, ==, 3);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *copied = NULL;

      g_signal_emit_by_name (buttons->pdata[i], "clicked");
      copied = read_clipboard (buttons->pdata[i]);
      g_test_message ("copied: %s", copied);
      g_assert_true (strstr (copied, "kubectl") != NULL || strstr (copied, "dbcheck") != NULL
                     || strstr (copied, "rotate") != NULL);
      g_string_append_printf (leak->seen, "%s\n", copied);
    }
}

/* The confirmation dialog's command line, for the command with secrets in its argv. */
static void
look_at_dialog (Leak *leak)
{
  SitrepActionDialog *dialog = sitrep_action_dialog_new (leak->window, leak->controller,
                                                         sitrep_runbook_find_service (leak->runbook,
                                                                                      "api"),
                                                         sitrep_runbook_find_action (leak->runbook,
                                                                                     "connect"));

  gtk_window_present (GTK_WINDOW (dialog));
  spin ();
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog), "--password [redacted]"));
  g_string_append_printf (leak->seen, "%s\n", sitrep_action_dialog_get_command (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static char *
sitrep_output (const char *first_arg,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SITREP_BIN"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("sitrep %s exited with %d: %s", first_arg, g_subprocess_get_exit_status (process),
             out);
  return out;
}

static void
assert_no_canary (const char *where,
                  const char *bytes,
                  gsize       length)
{
  gsize n = strlen (CANARY);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (bytes + i, CANARY, n) == 0)
      g_error ("a canary secret is in %s: …%.60s…", where, bytes + i);
}

static void
test_nowhere (void)
{
  Leak leak = { 0 };
  g_autoptr(GHashTable) inputs = NULL;
  g_autofree char *incident = NULL;
  g_autofree char *postmortem = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *audit_json = NULL;

  if (!g_test_subprocess ())
    {
      /* Everything the console prints, debug messages included, is searched too. */
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_test_trap_subprocess (NULL, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout_unmatched ("*" CANARY "*");
      g_test_trap_assert_stderr_unmatched ("*" CANARY "*");
      /* The debug messages were there to be searched. */
      g_test_trap_assert_stdout ("*DEBUG*");
      return;
    }

  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("kubectl is missing: it is on the CI image at " KUBECTL);
  leak_set_up (&leak);

  inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (inputs, "token", CANARY "-kubectl-token");
  run_into_view (&leak, "pods", inputs);
  g_hash_table_remove_all (inputs);
  g_hash_table_insert (inputs, "password", CANARY "-argv-password");
  g_hash_table_insert (inputs, "sig", CANARY "-sig");
  run_into_view (&leak, "connect", inputs);
  g_hash_table_remove_all (inputs);
  g_hash_table_insert (inputs, "key", CANARY "-input");
  run_into_view (&leak, "rotate", inputs);
  look_at_dialog (&leak);
  copy_service_commands (&leak);

  /* The commands ran and said what they said, minus the secrets. */
  g_assert_nonnull (strstr (leak.seen->str, "api-1"));
  g_assert_nonnull (strstr (leak.seen->str, "Authorization: Bearer [redacted]"));
  g_assert_nonnull (strstr (leak.seen->str, "postgres://admin:[redacted]@db:5432/app"));
  g_assert_nonnull (strstr (leak.seen->str, "rotating with admin key [redacted] to [redacted]"));
  assert_no_canary ("what the console showed or copied", leak.seen->str, leak.seen->len);

  g_clear_object (&leak.controller);
  g_clear_object (&leak.manager);
  g_clear_object (&leak.store);
  incident = g_strdup_printf ("%" G_GINT64_FORMAT, leak.incident);
  postmortem = sitrep_output ("export", incident, "--database", leak.db, NULL);
  g_assert_nonnull (strstr (postmortem, "Check the database on API"));
  assert_no_canary ("sitrep export", postmortem, strlen (postmortem));
  audit = sitrep_output ("audit", "export", "--database", leak.db, NULL);
  assert_no_canary ("sitrep audit export", audit, strlen (audit));
  audit_json = sitrep_output ("audit", "export", "--json", "--database", leak.db, NULL);
  g_assert_nonnull (strstr (audit_json, "\"outcome\" : \"failed\""));
  assert_no_canary ("sitrep audit export --json", audit_json, strlen (audit_json));

  {
    static const char *const files[] = { "sitrep.db", "sitrep.db-wal", "sitrep.db-shm", NULL };

    for (guint i = 0; files[i] != NULL; i++)
      {
        g_autofree char *path = g_build_filename (leak.dir, files[i], NULL);
        g_autofree char *bytes = NULL;
        gsize length = 0;

        if (g_file_get_contents (path, &bytes, &length, NULL))
          assert_no_canary (files[i], bytes, length);
      }
  }
  leak_tear_down (&leak);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it also hides the icon themes. */
  scratch = g_dir_make_tmp ("sitrep-leak-home-XXXXXX", NULL);
  g_assert_nonnull (scratch);
  g_setenv ("XDG_DATA_HOME", scratch, TRUE);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_setenv ("XDG_CACHE_HOME", scratch, TRUE);
  g_setenv ("XDG_STATE_HOME", scratch, TRUE);
  g_setenv ("HOME", scratch, TRUE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("Bail out! No display: run the tests under xvfb-run\n");
      return 1;
    }
  adw_init ();

  g_test_add_func ("/secrets-leak/nowhere", test_nowhere);

  return g_test_run ();
}
