/* test-action-ui.c: the action dialog, grace toast and output view under a real display */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "action-test-util.h"
#include "sitrep-action-controller-private.h"
#include "sitrep-drill-kube.h"
#include "sitrep-action-dialog-private.h"
#include "sitrep-action-output-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "ui-fixture.h"
#include "ui-test-util.h"
#include "fixture-incident.h"

typedef struct
{
  UiFixture ui;
  SitrepActionController *controller;
  AdwToastOverlay *overlay;
  SitrepActionOutput *output;
  SitrepDrillKube *server;
} Fixture;

#define KUBECTL "/usr/bin/kubectl"
#define KUBE_NS "carecircle"

static void
started_cb (SitrepActionController *controller,
            SitrepActionRun        *run,
            SitrepActionRequest    *request,
            gboolean                dry_run,
            Fixture                *fixture)
{
  /* What the lead's service page does with a started run. */
  if (!dry_run)
    sitrep_action_output_set_run (fixture->output, run, request, FALSE);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gint64 *) user_data = sitrep_action_controller_close_unfinished_finish (
    SITREP_ACTION_CONTROLLER (source), result, &error);
  g_assert_no_error (error);
}

/* Until the controller has read the audit log's key from the keyring. */
static void
wait_ready (SitrepActionController *controller)
{
  gint64 ready = -1;

  sitrep_action_controller_close_unfinished_async (controller, NULL, ready_cb, &ready);
  while (ready < 0)
    g_main_context_iteration (NULL, TRUE);
}

/* CareCircle on the real clock with a SEV-2 incident declared and current, the controller
 * running the recording kubectl, and the output view in a toast overlay on screen. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const UiFixtureDeclaration declare = { "SEV-2", "API errors", "Sign-ins fail", "ana", NULL };
  const UiFixtureOptions options = {
    .real_clock = TRUE,
    .declare = &declare,
    .window_width = 720,
    .window_height = 560,
  };

  fake_kubectl_set_up ();
  ui_fixture_set_up (&fixture->ui, &options);
  sitrep_incident_manager_set_current (fixture->ui.manager, fixture->ui.incident);
  fixture->controller = sitrep_action_controller_new (fixture->ui.store, fixture->ui.runbook,
                                                      fixture->ui.manager, FALSE);
  sitrep_action_controller_set_kubectl (fixture->controller, fake_kubectl);
  sitrep_action_controller_set_grace_ms (fixture->controller, 1000);
  g_signal_connect (fixture->controller, "run-started", G_CALLBACK (started_cb), fixture);
  wait_ready (fixture->controller);

  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  fixture->output = SITREP_ACTION_OUTPUT (sitrep_action_output_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (fixture->output), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (fixture->output), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (fixture->output), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (fixture->output), 18);
  adw_toast_overlay_set_child (fixture->overlay, GTK_WIDGET (fixture->output));
  ui_fixture_show (&fixture->ui, GTK_WIDGET (fixture->overlay));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->controller, fixture);
  ui_fixture_tear_down (&fixture->ui);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->controller);
  fake_kubectl_tear_down ();
}

static gboolean
quit_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates for @ms milliseconds. */
static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Keeps the window on screen for a person to look at: SITREP_TEST_LINGER=SECONDS. */
static void
linger (void)
{
  const char *seconds = g_getenv ("SITREP_TEST_LINGER");

  if (seconds != NULL)
    spin_for (g_ascii_strtoll (seconds, NULL, 10) * 1000);
}

/* Iterates until the output view's run has finished, at most 60 s. */
static void
wait_finished (Fixture *fixture)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (60, quit_cb, &hung);

  while (!sitrep_action_output_get_finished (fixture->output) && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
  ui_fixture_settle ();
}

static SitrepActionDialog *
open_dialog (Fixture    *fixture,
             const char *service_id,
             const char *action_id)
{
  SitrepActionDialog *dialog;

  dialog = sitrep_action_dialog_new (fixture->ui.window, fixture->controller,
                                     sitrep_runbook_find_service (fixture->ui.runbook, service_id),
                                     sitrep_runbook_find_action (fixture->ui.runbook, action_id));
  sitrep_action_dialog_set_toast_overlay (dialog, fixture->overlay);
  /* Kept alive past its response, to read its toast. */
  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  return dialog;
}

static gboolean
run_enabled (SitrepActionDialog *dialog)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "run");
}

static void
test_restart_flow (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SitrepActionDialog) dialog = open_dialog (fixture, "api", "restart");
  static const char *const kinds[] = { "action-started", "action-finished",
                                         "action-never-finished", NULL };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *args = NULL;
  const char *command = sitrep_action_dialog_get_command (dialog);

  /* Nothing runs yet: the output window offers no Stop. */
  g_assert_false (sitrep_action_output_can_cancel (fixture->output));
  g_assert_nonnull (strstr (command, " --context carecircle-production --namespace carecircle "
                                     "rollout restart deployment/carecircle-api"));
  g_assert_cmpstr (sitrep_action_dialog_get_where (dialog), ==,
                   "Context: carecircle-production · Namespace: carecircle");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");

  /* Protected environment: Run waits for the target's name. */
  g_assert_false (run_enabled (dialog));
  gtk_editable_set_text (sitrep_action_dialog_get_confirm_entry (dialog), "carecircle-web");
  g_assert_false (run_enabled (dialog));
  gtk_editable_set_text (sitrep_action_dialog_get_confirm_entry (dialog), "carecircle-api");
  g_assert_true (run_enabled (dialog));
  if (g_getenv ("SITREP_TEST_SHOT_DIALOG"))
    linger ();

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
  gtk_window_close (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  g_assert_nonnull (sitrep_action_dialog_get_toast (dialog));
  g_assert_cmpstr (adw_toast_get_title (sitrep_action_dialog_get_toast (dialog)), ==,
                   "Restarting carecircle-api in 1 s");
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (fixture->controller), ==, 1);
  args = recorded ();
  g_assert_cmpstr (args, ==, "");

  wait_finished (fixture);

  g_assert_nonnull (strstr (sitrep_action_output_get_command (fixture->output),
                            "rollout restart deployment/carecircle-api"));
  g_assert_cmpstr (sitrep_action_output_get_headline (fixture->output), ==, "Rollout finished");
  g_assert_nonnull (strstr (sitrep_action_output_get_details (fixture->output), "Exit status 0"));
  g_assert_false (sitrep_action_output_can_cancel (fixture->output));

  entries = sitrep_store_list_audit (fixture->ui.store, NULL);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_STARTED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->outcome, ==, SITREP_AUDIT_SUCCEEDED);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->confirmation, ==, "carecircle-api");
  events = sitrep_store_list_events (fixture->ui.store, fixture->ui.incident,
                                     SITREP_TIMELINE_LIST_DEFAULT, kinds, NULL);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_true (g_str_has_prefix (fixture_shown_text (events->pdata[1]),
                                   "Restart on API: "));
  if (!g_getenv ("SITREP_TEST_SHOT_DIALOG"))
    linger ();
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SitrepActionDialog) dialog = open_dialog (fixture, "api", "restart");
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *args = NULL;

  gtk_editable_set_text (sitrep_action_dialog_get_confirm_entry (dialog), "carecircle-api");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
  gtk_window_close (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  g_signal_emit_by_name (sitrep_action_dialog_get_toast (dialog), "button-clicked");
  spin_for (600);
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (fixture->controller), ==, 0);
  g_assert_null (sitrep_action_output_get_run (fixture->output));
  args = recorded ();
  g_assert_cmpstr (args, ==, "");
  entries = sitrep_store_list_audit (fixture->ui.store, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_CANCELLED);
}

static void
test_scale_inputs (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SitrepActionDialog) dialog = open_dialog (fixture, "api", "scale");
  GtkSpinButton *spin_button = GTK_SPIN_BUTTON (sitrep_action_dialog_get_input (dialog, "replicas"));

  g_assert_nonnull (spin_button);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_button), ==, 4);
  /* The recording kubectl prints nothing: the replicas cannot be read, and Run stays off. */
  spin_for (500);
  g_assert_false (sitrep_action_dialog_get_loading (dialog));
  g_assert_nonnull (sitrep_action_dialog_get_error (dialog));
  gtk_editable_set_text (sitrep_action_dialog_get_confirm_entry (dialog), "carecircle-api");
  g_assert_false (run_enabled (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  ui_fixture_settle ();
}

/* The real kubectl against the fake API server, with CareCircle's context and namespace. */
static void
kube_set_up (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *kubeconfig = NULL;
  g_autoptr(GError) error = NULL;

  fixture_set_up (fixture, data);
  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    return;
  fixture->server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_assert_true (g_mkdir_with_parents (g_get_user_config_dir (), 0700) == 0);
  sitrep_drill_kube_write_kubeconfig (fixture->server, kubeconfig, "carecircle-production", KUBE_NS,
                                      FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  sitrep_drill_kube_add_deployment (fixture->server, KUBE_NS, "carecircle-api", 3, 3, 3);
  sitrep_action_controller_set_kubectl (fixture->controller, KUBECTL);
}

static gboolean
have_server (Fixture *fixture)
{
  if (fixture->server != NULL)
    return TRUE;
  g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
  return FALSE;
}

static JsonObject *
api_deployment (Fixture *fixture)
{
  return sitrep_drill_kube_lookup (fixture->server, KUBE_NS, "deployments", "carecircle-api");
}

static const char *
api_image (Fixture *fixture)
{
  JsonObject *spec = json_object_get_object_member (api_deployment (fixture), "spec");
  JsonObject *template = json_object_get_object_member (spec, "template");
  JsonArray *containers = json_object_get_array_member (
    json_object_get_object_member (template, "spec"), "containers");

  return json_object_get_string_member (json_array_get_object_element (containers, 0), "image");
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A deploy, as the team's pipeline would make it: a new revision with @image. Waited for on the
 * main loop, which also serves the fake API server. */
static void
deploy (Fixture    *fixture,
        const char *image)
{
  g_autofree char *assignment = g_strdup_printf ("carecircle-api=%s", image);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, KUBECTL, "--context",
                              "carecircle-production", "--namespace", KUBE_NS, "set", "image",
                              "deployment/carecircle-api", assignment, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, wait_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_wait_check_finish (process, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (api_image (fixture), ==, image);
}

static void
wait_loaded (SitrepActionDialog *dialog)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (30, quit_cb, &hung);

  while (sitrep_action_dialog_get_loading (dialog) && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
}

static void
run_and_wait (Fixture            *fixture,
              SitrepActionDialog *dialog)
{
  g_assert_true (run_enabled (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_finished (fixture);
}

/* The revision picker lists what rollout history says, newest first, and preselects the one
 * before the current; the rollback then goes to exactly that revision. */
static void
test_kube_rollback_to (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SitrepActionDialog) dialog = NULL;
  GtkDropDown *picker;
  GListModel *labels;
  JsonObject *metadata;

  if (!have_server (fixture))
    return;
  deploy (fixture, "registry/carecircle-api:4.12");
  deploy (fixture, "registry/carecircle-api:4.13");

  dialog = open_dialog (fixture, "api", "rollback-to");
  picker = GTK_DROP_DOWN (sitrep_action_dialog_get_input (dialog, "revision"));
  g_assert_nonnull (picker);
  wait_loaded (dialog);
  g_assert_null (sitrep_action_dialog_get_error (dialog));
  labels = gtk_drop_down_get_model (picker);
  g_assert_cmpuint (g_list_model_get_n_items (labels), ==, 3);
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (labels), 0),
                                   "Revision 3 — "));
  g_assert_true (g_str_has_suffix (gtk_string_list_get_string (GTK_STRING_LIST (labels), 1),
                                   "registry/carecircle-api:4.12"));
  g_assert_cmpuint (gtk_drop_down_get_selected (picker), ==, 1);
  linger ();
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog),
                            "rollout undo deployment/carecircle-api --to-revision=2"));

  gtk_editable_set_text (sitrep_action_dialog_get_confirm_entry (dialog), "carecircle-api");
  run_and_wait (fixture, dialog);
  g_assert_cmpstr (sitrep_action_output_get_headline (fixture->output), ==, "Rollout finished");
  g_assert_cmpstr (api_image (fixture), ==, "registry/carecircle-api:4.12");
  metadata = json_object_get_object_member (api_deployment (fixture), "metadata");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (metadata,
                                                                                  "annotations"),
                                                  "deployment.kubernetes.io/revision"), ==, "4");
}

/* Scale shows the replicas running now and refuses to act if someone changed them since. */
static void
test_kube_scale (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SitrepActionDialog) dialog = NULL;
  GtkSpinButton *replicas;
  JsonObject *spec;

  if (!have_server (fixture))
    return;
  dialog = open_dialog (fixture, "api", "scale");
  wait_loaded (dialog);
  g_assert_null (sitrep_action_dialog_get_error (dialog));
  g_assert_cmpstr (sitrep_action_dialog_get_replicas_text (dialog), ==, "Currently 3 replicas");
  replicas = GTK_SPIN_BUTTON (sitrep_action_dialog_get_input (dialog, "replicas"));
  gtk_spin_button_set_value (replicas, 6);
  ui_fixture_settle ();
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog),
                            "scale deployment/carecircle-api --replicas=6 --current-replicas=3"));

  gtk_editable_set_text (sitrep_action_dialog_get_confirm_entry (dialog), "carecircle-api");
  run_and_wait (fixture, dialog);
  g_assert_nonnull (strstr (sitrep_action_output_get_details (fixture->output), "Exit status 0"));
  spec = json_object_get_object_member (api_deployment (fixture), "spec");
  g_assert_cmpint (json_object_get_int_member (spec, "replicas"), ==, 6);
}

/* A runbook of its own with every kind of input: a string with a pattern, an integer without a
 * default, a fixed choice, a choice listed by another command, and a secret. */
static const char inputs_runbook[] =
  "{ \"sitrep_runbook\": 1, \"name\": \"Dispatch\","
  "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],"
  "  \"environment\": { \"context\": \"dispatch-test\", \"namespace\": \"dispatch\" },"
  "  \"services\": [{ \"id\": \"queue\", \"name\": \"Dispatch Queue\", \"actions\": [\"requeue\"] }],"
  "  \"actions\": [{ \"id\": \"requeue\", \"label\": \"Requeue a job\", \"mutates\": true,"
  "    \"argv\": [\"@DIR@/jobctl\", \"requeue\", \"{input.job_id}\", \"--priority={input.priority}\","
  "               \"--queue={input.queue}\", \"--worker={input.worker}\"],"
  "    \"inputs\": ["
  "      { \"name\": \"job_id\", \"label\": \"Job id\", \"type\": \"string\", \"pattern\": \"^[0-9]+$\" },"
  "      { \"name\": \"priority\", \"label\": \"Priority\", \"type\": \"integer\", \"min\": 1, \"max\": 9 },"
  "      { \"name\": \"queue\", \"label\": \"Queue\", \"type\": \"choice\", \"choices\": [\"fast\", \"bulk\"] },"
  "      { \"name\": \"worker\", \"label\": \"Worker\", \"type\": \"choice\","
  "        \"choices_from\": [\"@DIR@/list-workers\", \"--namespace-free\"] },"
  "      { \"name\": \"token\", \"label\": \"Dispatch token\", \"type\": \"string\", \"secret\": true,"
  "        \"pass_as\": { \"env\": \"JOB_TOKEN\" } } ] }] }";

static void
write_tool (const char *dir,
            const char *name,
            const char *body)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static void
type_into (GtkWidget  *widget,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
  ui_fixture_settle ();
}

static void
assert_input_error (SitrepActionDialog *dialog,
                    const char         *name,
                    const char         *expected)
{
  const char *shown = sitrep_action_dialog_get_input_error (dialog, name);

  if (expected == NULL && shown == NULL)
    return;
  if (expected == NULL || shown == NULL || strstr (shown, expected) == NULL)
    g_error ("beside %s: expected “%s”, shown “%s”", name, expected ? expected : "(nothing)",
             shown ? shown : "(nothing)");
}

static void
test_input_kinds (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("sitrep-inputs-XXXXXX", NULL);
  g_autoptr(GString) text = g_string_new (inputs_runbook);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionDialog) dialog = NULL;
  g_autofree char *args = NULL;
  g_autofree char *token = NULL;
  g_autofree char *args_path = g_build_filename (dir, "args", NULL);
  g_autofree char *token_path = g_build_filename (dir, "token", NULL);
  g_autofree char *output = NULL;
  g_autofree char *jobctl = NULL;
  GtkWidget *job, *priority, *secret;
  GtkDropDown *worker, *queue;
  GListModel *workers;

  jobctl = g_strdup_printf ("for a in \"$@\"; do printf '%%s\\n' \"$a\" >> '%s'; done\n"
                            "printf '%%s' \"$JOB_TOKEN\" > '%s'\necho \"requeued with $JOB_TOKEN\"\n",
                            args_path, token_path);
  write_tool (dir, "jobctl", jobctl);
  write_tool (dir, "list-workers", "printf 'worker-a\\n\\n  worker-b  \\nworker-c\\nworker-a\\n'\n");
  g_string_replace (text, "@DIR@", dir, 0);
  bytes = g_bytes_new (text->str, text->len);
  g_signal_handlers_disconnect_by_data (fixture->controller, fixture);
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->ui.runbook);
  fixture->ui.runbook = sitrep_runbook_load_bytes (bytes, "dispatch.json", &problems, &error);
  g_assert_no_error (error);
  fixture->controller = sitrep_action_controller_new (fixture->ui.store, fixture->ui.runbook, NULL,
                                                      FALSE);
  sitrep_action_controller_set_grace_ms (fixture->controller, 1000);
  g_signal_connect (fixture->controller, "run-started", G_CALLBACK (started_cb), fixture);
  wait_ready (fixture->controller);

  dialog = open_dialog (fixture, "queue", "requeue");
  wait_loaded (dialog);
  job = sitrep_action_dialog_get_input (dialog, "job_id");
  priority = sitrep_action_dialog_get_input (dialog, "priority");
  queue = GTK_DROP_DOWN (sitrep_action_dialog_get_input (dialog, "queue"));
  worker = GTK_DROP_DOWN (sitrep_action_dialog_get_input (dialog, "worker"));
  secret = sitrep_action_dialog_get_input (dialog, "token");

  /* Another command's output: one choice per line, not a rollout history. */
  workers = gtk_drop_down_get_model (worker);
  g_assert_cmpuint (g_list_model_get_n_items (workers), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (workers), 1), ==, "worker-b");
  g_assert_cmpuint (gtk_drop_down_get_selected (queue), ==, 0);
  /* The secret is masked. */
  g_assert_true (GTK_IS_PASSWORD_ENTRY (secret));

  /* Nothing is taken for granted: the empty fields say so, and Run waits. */
  g_assert_false (run_enabled (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (priority)), ==, "");
  assert_input_error (dialog, "job_id", "Job id: a value is needed");
  assert_input_error (dialog, "priority", "Priority: a value is needed");
  assert_input_error (dialog, "token", "Dispatch token: a value is needed");
  assert_input_error (dialog, "queue", NULL);
  assert_input_error (dialog, "worker", NULL);
  g_assert_null (sitrep_action_dialog_get_error (dialog));
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog), "requeue '{input.job_id}'"));

  type_into (job, "12;rm");
  assert_input_error (dialog, "job_id", "contains “;”, which a shell would interpret");
  type_into (job, "12a");
  assert_input_error (dialog, "job_id", "does not match the pattern ^[0-9]+$");
  type_into (job, "4711");
  assert_input_error (dialog, "job_id", NULL);
  type_into (priority, "99");
  assert_input_error (dialog, "priority", "99 is more than the maximum, 9");
  type_into (priority, "x");
  assert_input_error (dialog, "priority", "not a whole number");
  type_into (priority, "5");
  assert_input_error (dialog, "priority", NULL);
  g_assert_false (run_enabled (dialog));
  /* Shell characters are nothing to a secret that never meets a shell or a command line. */
  type_into (secret, "s3cr3t!$x");
  assert_input_error (dialog, "token", NULL);
  gtk_drop_down_set_selected (worker, 1);
  gtk_drop_down_set_selected (queue, 1);
  ui_fixture_settle ();

  g_assert_true (run_enabled (dialog));
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog),
                            "requeue 4711 --priority=5 --queue=bulk --worker=worker-b"));
  g_assert_null (strstr (sitrep_action_dialog_get_command (dialog), "s3cr3t"));
  linger ();
  run_and_wait (fixture, dialog);

  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, "requeue\n4711\n--priority=5\n--queue=bulk\n--worker=worker-b\n");
  g_assert_true (g_file_get_contents (token_path, &token, NULL, NULL));
  g_assert_cmpstr (token, ==, "s3cr3t!$x");
  output = sitrep_action_output_get_text (fixture->output);
  g_assert_cmpstr (output, ==, "requeued with [redacted]\n");
  g_assert_cmpstr (sitrep_action_output_get_headline (fixture->output), ==, "Succeeded");
}

/* A preview starting or running: a second click on Preview starts no second one (on a team
 * database a run waits for its record to reach the server before its process starts). */
static void
test_preview_once (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SitrepActionDialog) dialog = open_dialog (fixture, "api", "restart");
  SitrepActionRun *run;
  gboolean hung = FALSE;
  guint guard;

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (dialog->preview_button)));
  sitrep_action_dialog_preview (dialog);
  run = sitrep_action_output_get_run (dialog->preview_output);
  g_assert_nonnull (run);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_NONE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (dialog->preview_button)));
  /* What a second click does. */
  sitrep_action_dialog_preview (dialog);
  g_assert_true (sitrep_action_output_get_run (dialog->preview_output) == run);
  g_assert_cmpuint (sitrep_action_controller_get_n_running (fixture->controller), ==, 1);

  guard = g_timeout_add_seconds (60, quit_cb, &hung);
  while (!sitrep_action_output_get_finished (dialog->preview_output) && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
  ui_fixture_settle ();
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (dialog->preview_button)));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  scratch = ui_test_init (&argc, &argv, "sitrep-action-ui");
  if (scratch == NULL)
    return 1;

  g_test_add ("/action-ui/restart-flow", Fixture, NULL, fixture_set_up, test_restart_flow,
              fixture_tear_down);
  g_test_add ("/action-ui/undo", Fixture, NULL, fixture_set_up, test_undo, fixture_tear_down);
  g_test_add ("/action-ui/scale-inputs", Fixture, NULL, fixture_set_up, test_scale_inputs,
              fixture_tear_down);
  g_test_add ("/action-ui/kube-rollback-to", Fixture, NULL, kube_set_up, test_kube_rollback_to,
              fixture_tear_down);
  g_test_add ("/action-ui/kube-scale", Fixture, NULL, kube_set_up, test_kube_scale,
              fixture_tear_down);
  g_test_add ("/action-ui/preview-once", Fixture, NULL, fixture_set_up, test_preview_once,
              fixture_tear_down);
  g_test_add ("/action-ui/input-kinds", Fixture, NULL, fixture_set_up, test_input_kinds,
              fixture_tear_down);

  return g_test_run ();
}
