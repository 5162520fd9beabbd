/* test-window-safety.c: read-only, trust and replacing the runbook, with the console open */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "action-test-util.h"
#include "loop-test-util.h"
#include "sitrep-drill-kube.h"
#include "fixture-runbook.h"
#include "sitrep-action-dialog-private.h"
#include "sitrep-action-output-private.h"
#include "sitrep-application.h"
#include "sitrep-health-tile-private.h"
#include "sitrep-health-view-private.h"
#include "sitrep-preferences-window-private.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-service-page-private.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "sitrep-trust-dialog-private.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"
#include "fixture-incident.h"

#define KUBECTL "/usr/bin/kubectl"

typedef void (*WindowCheck) (SitrepApplication *app,
                             SitrepWindow      *window);

static void
call_check (SitrepApplication *app,
            SitrepWindow      *window,
            gpointer           data)
{
  WindowCheck *check = data;

  (*check) (app, window);
}

/* Starts the real application with @args and its own database, then runs @check on its window.
 * @unique: registered on the session bus, so that a second `sitrep` reaches it. */
static void
run_app (const char *const *args,
         gboolean           unique,
         WindowCheck        check)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autofree char *name = g_strdup_printf ("safety-%s.db", g_test_get_path () + 1);
  g_autofree char *database = NULL;
  g_auto(GStrv) full = NULL;

  g_strdelimit (name, "/", '-');
  database = ui_test_database (name, FALSE);
  g_strv_builder_add_many (argv, "sitrep", "--database", database, NULL);
  if (args != NULL)
    g_strv_builder_addv (argv, (const char **) args);
  full = g_strv_builder_end (argv);
  ui_test_run_app ((const char *const *) full, unique, call_check, &check);
}

typedef struct
{
  SitrepSession *session;
  SitrepRunbook *before;
} Reload;

static gboolean
reloaded (gpointer data)
{
  Reload *reload = data;

  return !sitrep_session_get_loading (reload->session)
         && sitrep_session_get_runbook (reload->session) != reload->before;
}

static void
open_runbook (SitrepApplication *app,
              const char        *path)
{
  SitrepSession *session = sitrep_application_get_session (app);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Reload reload = { session, sitrep_session_get_runbook (session) };

  sitrep_session_open_runbook (session, file);
  wait_until (reloaded, &reload, 20, path);
  g_assert_null (sitrep_session_get_problems (session));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WINDOW (toplevel);
    }
  return NULL;
}

/* The run button of @action_id on @service_id's page, as the window shows it now. */
static GtkWidget *
run_button (SitrepWindow *window,
            const char   *service_id,
            const char   *action_id)
{
  GtkWidget *page;

  sitrep_window_show_service (window, service_id);
  page = sitrep_health_view_get_service_page (sitrep_window_get_health_view (window));
  return sitrep_service_page_find_run_button (SITREP_SERVICE_PAGE (page), action_id);
}

static char *
service_page_text (SitrepWindow *window)
{
  GtkWidget *page = sitrep_health_view_get_service_page (sitrep_window_get_health_view (window));

  return sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
}

static GPtrArray *
audit (SitrepApplication *app)
{
  return session_audit (sitrep_application_get_session (app));
}

static gboolean
banner_read_only (SitrepWindow *window)
{
  g_autofree char *text = sitrep_window_get_environment_text (window);

  return strstr (text, "Read-only") != NULL;
}

/* Whatever says read-only, the page, the window and the controller agree, and a run asked of
 * the controller is refused and recorded as refused. */
static void
assert_read_only (SitrepApplication *app,
                  SitrepWindow      *window,
                  gboolean           read_only)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepActionController *actions = sitrep_session_get_actions (session);
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GPtrArray) before = audit (app);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) undo = NULL;
  SitrepAuditEntry *entry;

  g_assert_cmpint (sitrep_session_get_read_only (session), ==, read_only);
  g_assert_cmpint (banner_read_only (window), ==, read_only);
  g_assert_cmpint (sitrep_action_controller_get_read_only (actions), ==, read_only);
  /* Reading commands stay; changing ones go. */
  g_assert_nonnull (run_button (window, "gateway", "describe"));
  g_assert_true ((run_button (window, "gateway", "restart") == NULL) == read_only);

  if (!read_only)
    return;

  /* The checklist's "Undo the last gateway release" opens no confirmation. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)", "gateway", "undo");
  g_assert_null (find_toplevel (SITREP_TYPE_ACTION_DIALOG));

  request = sitrep_action_controller_resolve (actions,
                                              sitrep_runbook_find_service (runbook, "gateway"),
                                              sitrep_runbook_find_action (runbook, "restart"),
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (sitrep_action_controller_run (actions, request, "nw-gateway", FALSE, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_READ_ONLY);
  g_clear_error (&error);
  undo = sitrep_action_controller_schedule (actions, request, "nw-gateway", &error);
  g_assert_null (undo);
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_READ_ONLY);

  after = audit (app);
  g_assert_cmpuint (after->len, ==, before->len + 2);
  entry = last_audit (after);
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_REFUSED);
  g_assert_cmpstr (entry->action_id, ==, "restart");
  g_assert_cmpstr (entry->service_id, ==, "gateway");
  g_assert_nonnull (strstr (entry->output_tail, "read-only"));
}

typedef struct
{
  GSubprocess *process;
  gboolean done;
} Child;

static void
child_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;

  g_assert_true (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, NULL));
  child->done = TRUE;
}

static gboolean
child_done (gpointer data)
{
  return ((Child *) data)->done;
}

static char *northwind_path;
static char *northwind_read_only_path;

/* Read-only is one live state: each source switches it while the window is open, the service
 * page shows a mutating action, and nothing is rebuilt behind the commander's back. */
static void
check_read_only_live (SitrepApplication *app,
                      SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  GSettings *settings = sitrep_session_get_settings (session);
  SitrepActionController *actions;
  SitrepPreferencesWindow *prefs;
  Child child = { 0 };
  g_autoptr(GError) error = NULL;

  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  actions = sitrep_session_get_actions (session);
  g_assert_nonnull (actions);
  assert_read_only (app, window, FALSE);

  /* The preferences. */
  g_settings_set_boolean (settings, "read-only", TRUE);
  assert_read_only (app, window, TRUE);
  g_settings_set_boolean (settings, "read-only", FALSE);
  assert_read_only (app, window, FALSE);
  /* The same controller throughout: switching read-only stops nothing that runs. */
  g_assert_true (sitrep_session_get_actions (session) == actions);

  /* The runbook's environment.read_only. */
  open_runbook (app, northwind_read_only_path);
  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  assert_read_only (app, window, TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = SITREP_PREFERENCES_WINDOW (find_toplevel (SITREP_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);
  g_assert_nonnull (strstr (sitrep_preferences_window_get_read_only_text (prefs),
                            "the runbook sets environment.read_only"));
  open_runbook (app, northwind_path);
  assert_read_only (app, window, FALSE);
  g_assert_null (strstr (sitrep_preferences_window_get_read_only_text (prefs), "Read-only now"));

  /* A second `sitrep --read-only` reaches this one, which stays read-only until it quits. */
  child.process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("SITREP_BIN"),
                                    "--read-only", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (child.process, NULL, child_done_cb, &child);
  wait_until (child_done, &child, 20, "the second sitrep to hand over --read-only");
  g_clear_object (&child.process);
  assert_read_only (app, window, TRUE);
  g_assert_nonnull (strstr (sitrep_preferences_window_get_read_only_text (prefs),
                            "started with --read-only"));
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_read_only_live (void)
{
  const char *args[] = { "--paused", "--runbook", northwind_path, NULL };

  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owned = NULL;
  gboolean has_owner = TRUE;

  /* Unique: the second instance must reach this one, on the test's private bus. */
  g_assert_nonnull (bus);
  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (owned);
  g_variant_get (owned, "(b)", &has_owner);
  if (has_owner)
    g_error ("another Sitrep runs on this session bus: run the tests with "
             "build-aux/sitrep-dev test, which gives them a private one");
  run_app (args, TRUE, check_read_only_live);
}

/* Trust. */

static char *trust_path;
static char *marker;
static char *marker_script;
static char *edited_marker;
static char *edited_script;

static char *
make_marker_script (const char *name,
                    const char *mark)
{
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho ran >> '%s'\necho exported\n", mark);
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static SitrepHealthTile *
find_tile (SitrepWindow *window,
           const char   *service_id)
{
  GPtrArray *tiles = sitrep_health_view_get_tiles (sitrep_window_get_health_view (window));

  for (guint i = 0; i < tiles->len; i++)
    {
      SitrepServiceState *state = sitrep_health_tile_get_state (tiles->pdata[i]);

      if (state != NULL && g_str_equal (sitrep_service_state_get_id (state), service_id))
        return tiles->pdata[i];
    }
  return NULL;
}

static gboolean
billing_waits (gpointer data)
{
  SitrepHealthTile *tile = find_tile (data, "billing");
  g_autofree char *text = tile ? sitrep_health_tile_get_text (tile) : NULL;

  return text != NULL && strstr (text, "Waiting for you to trust this runbook") != NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static SitrepTrustDialog *
review_commands (SitrepWindow *window)
{
  SitrepTrustDialog *dialog;

  g_assert_null (find_toplevel (SITREP_TYPE_TRUST_DIALOG));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.review-commands", NULL));
  dialog = SITREP_TRUST_DIALOG (find_toplevel (SITREP_TYPE_TRUST_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  return dialog;
}

/* What a click on one of the dialog's buttons does. */
static void
answer (SitrepTrustDialog *dialog,
        const char        *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Untrusted: the tile waits for you (unknown, not down), no program starts, no action is
 * offered, and the controller refuses on the record. */
static void
assert_untrusted (SitrepApplication *app,
                  SitrepWindow      *window,
                  const char        *mark)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepActionController *actions = sitrep_session_get_actions (session);
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);
  SitrepHealthTile *tile;
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tile_text = NULL;
  g_autofree char *page = NULL;
  g_autofree char *args = NULL;
  g_autofree char *expected = NULL;

  g_assert_false (sitrep_session_get_trusted (session));
  g_assert_nonnull (sitrep_window_get_trust_text (window));
  wait_until (billing_waits, window, 20, "the billing tile to wait for trust");
  tile = find_tile (window, "billing");
  tile_text = sitrep_health_tile_get_text (tile);
  g_assert_nonnull (strstr (tile_text, "Unknown"));
  g_assert_null (strstr (tile_text, "Down"));
  /* Its first round is over, and a second one would not start it either. */
  spin (1500);
  g_assert_false (g_file_test (mark, G_FILE_TEST_EXISTS));

  /* The page lists the commands exactly, and offers none to run. */
  g_assert_null (run_button (window, "gateway", "describe"));
  g_assert_null (run_button (window, "gateway", "restart"));
  page = service_page_text (window);
  expected = g_strdup_printf ("Describe | %s --context nw-test --namespace freight describe "
                              "deployment/nw-gateway\n", fake_kubectl);
  g_assert_nonnull (strstr (page, expected));
  g_assert_nonnull (strstr (page, "None runs until you review this runbook's commands"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)", "gateway",
                              "describe");
  g_assert_null (find_toplevel (SITREP_TYPE_ACTION_DIALOG));
  request = sitrep_action_controller_resolve (actions,
                                              sitrep_runbook_find_service (runbook, "gateway"),
                                              sitrep_runbook_find_action (runbook, "describe"),
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (sitrep_action_controller_run (actions, request, NULL, FALSE, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED);
  entries = audit (app);
  g_assert_cmpstr (last_audit (entries)->outcome, ==, SITREP_AUDIT_REFUSED);
  g_assert_cmpstr (last_audit (entries)->action_id, ==, "describe");
  spin (500);
  args = recorded ();
  g_assert_cmpstr (args, ==, "");
}

static void
check_trust (SitrepApplication *app,
             SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  GSettings *settings = sitrep_session_get_settings (session);
  SitrepTrustDialog *dialog;
  g_autofree char *listed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *original = NULL;
  g_autofree char *edited = NULL;
  g_auto(GStrv) trusted = NULL;

  assert_untrusted (app, window, marker);

  /* The dialog lists every program as it would run; Cancel is the default and changes nothing. */
  dialog = review_commands (window);
  listed = sitrep_trust_dialog_get_text (dialog);
  g_test_message ("%s", listed);
  expected = g_strdup_printf ("Probe “export” · Billing Export: %s\n", marker_script);
  g_assert_nonnull (strstr (listed, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Restart · Label Gateway: %s --context nw-test --namespace freight "
                              "rollout restart deployment/nw-gateway\n", fake_kubectl);
  g_assert_nonnull (strstr (listed, expected));
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  answer (dialog, "cancel");
  spin (300);
  g_assert_false (sitrep_session_get_trusted (session));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* Trusted: the bar goes, the probe runs at once, the commands can run. */
  dialog = review_commands (window);
  answer (dialog, "trust");
  g_assert_true (sitrep_session_get_trusted (session));
  g_assert_null (sitrep_window_get_trust_text (window));
  wait_until (file_exists, marker, 20, "the trusted command probe to run");
  g_assert_nonnull (run_button (window, "gateway", "describe"));
  g_assert_nonnull (run_button (window, "gateway", "restart"));
  trusted = g_settings_get_strv (settings, SITREP_TRUST_SETTINGS_KEY);
  g_assert_cmpstr (trusted[0], ==,
                   sitrep_runbook_get_digest (sitrep_session_get_runbook (session)));

  /* The file changed: asked again, and its new program waits. */
  g_assert_true (g_file_get_contents (trust_path, &original, NULL, NULL));
  edited = fixture_runbook_text ("KUBECTL", fake_kubectl, "COMMAND", edited_script, NULL);
  g_assert_true (g_file_set_contents (trust_path, edited, -1, NULL));
  open_runbook (app, trust_path);
  assert_untrusted (app, window, edited_marker);

  /* The content trusted before is trusted again without asking. */
  g_assert_true (g_file_set_contents (trust_path, original, -1, NULL));
  open_runbook (app, trust_path);
  g_assert_true (sitrep_session_get_trusted (session));
  g_assert_null (sitrep_window_get_trust_text (window));
  g_assert_nonnull (run_button (window, "gateway", "describe"));
}

static void
test_trust (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *args[] = { "--runbook", NULL, NULL };

  fake_kubectl_set_up ();
  g_settings_reset (settings, SITREP_TRUST_SETTINGS_KEY);
  marker = g_build_filename (g_get_user_data_dir (), "probe-ran", NULL);
  edited_marker = g_build_filename (g_get_user_data_dir (), "edited-probe-ran", NULL);
  marker_script = make_marker_script ("export-check", marker);
  edited_script = make_marker_script ("export-check-2", edited_marker);
  trust_path = fixture_runbook_write ("KUBECTL", fake_kubectl, "COMMAND", marker_script, NULL);
  args[1] = trust_path;

  /* Probing runs: the probes must be held back by trust alone. */
  run_app (args, FALSE, check_trust);

  fake_kubectl_tear_down ();
  g_clear_pointer (&trust_path, g_free);
  g_clear_pointer (&marker, g_free);
  g_clear_pointer (&edited_marker, g_free);
  g_clear_pointer (&marker_script, g_free);
  g_clear_pointer (&edited_script, g_free);
}

/* Replacing the runbook while a command runs. */

static const char harbor[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Harbor Cranes\",\n"
  "  \"severities\": [{ \"id\": \"S1\", \"label\": \"Stop\", \"response_target\": \"10m\" }],\n"
  "  \"environment\": { \"context\": \"harbor-live\", \"namespace\": \"cranes\",\n"
  "                     \"kubectl\": \"" KUBECTL "\" },\n"
  "  \"services\": [\n"
  "    { \"id\": \"hoist\", \"name\": \"Hoist Controller\", \"target\": \"deployment/hoist\",\n"
  "      \"actions\": [\"status\", \"restart\"] }\n"
  "  ],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"status\", \"label\": \"Rollout status\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=60s\"] },\n"
  "    { \"id\": \"restart\", \"label\": \"Restart\", \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"],\n"
  "      \"mutates\": true }\n"
  "  ]\n"
  "}\n";

static SitrepDrillKube *server;
static char *harbor_path;
static SitrepActionRun *watched_run;

static void
run_started_cb (SitrepActionController *controller,
                SitrepActionRun        *run,
                SitrepActionRequest    *request,
                gboolean                dry_run)
{
  g_set_object (&watched_run, run);
}

static gboolean
run_started (gpointer data)
{
  return watched_run != NULL;
}

/* The window that streams the run's output, or NULL once it is gone. */
static SitrepActionOutput *
output_of (SitrepActionRun *run)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);
      SitrepActionOutput *output =
        SITREP_ACTION_OUTPUT (ui_test_find_descendant (toplevel, SITREP_TYPE_ACTION_OUTPUT));

      if (output != NULL && sitrep_action_output_get_run (output) == run)
        return output;
    }
  return NULL;
}

static gboolean
output_says_waiting (gpointer data)
{
  SitrepActionOutput *output = output_of (data);
  g_autofree char *text = output ? sitrep_action_output_get_text (output) : NULL;

  return text != NULL && strstr (text, "Waiting for deployment") != NULL;
}

static gboolean
run_ended (gpointer data)
{
  return sitrep_action_run_get_outcome (data) != SITREP_OUTCOME_NONE;
}

static void
check_replaced_while_running (SitrepApplication *app,
                              SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (session);
  SitrepActionController *actions;
  SitrepRunbook *runbook;
  g_autoptr(SitrepActionRequest) restart = NULL;
  g_autoptr(GCancellable) undo = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SitrepActionOutput *output;
  SitrepAuditEntry *entry;
  gint64 incident_id;
  gboolean started = FALSE, outcome = FALSE;

  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  actions = sitrep_session_get_actions (session);
  runbook = sitrep_session_get_runbook (session);
  incident_id = sitrep_incident_manager_declare (incidents, "S1", "Hoist stuck", "Quay 3", "ana",
                                                 NULL, NULL, &error);
  g_assert_no_error (error);
  sitrep_incident_manager_set_current (incidents, incident_id);
  g_signal_connect (actions, "run-started", G_CALLBACK (run_started_cb), NULL);

  /* A long command, through the window and the application's controller. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)",
                                             "hoist", "status"));
  wait_until (run_started, NULL, 20, "the rollout status to start");
  wait_until (output_says_waiting, watched_run, 30, "kubectl to wait for the rollout");

  /* And a confirmed restart still in its grace period. */
  restart = sitrep_action_controller_resolve (actions,
                                              sitrep_runbook_find_service (runbook, "hoist"),
                                              sitrep_runbook_find_action (runbook, "restart"),
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  undo = sitrep_action_controller_schedule (actions, restart, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (undo);

  open_runbook (app, northwind_path);
  g_assert_true (sitrep_session_get_actions (session) != actions);

  /* Not killed: still running, its window still open. */
  spin (1000);
  g_assert_true (sitrep_action_run_get_running (watched_run));
  g_assert_cmpint (sitrep_action_run_get_outcome (watched_run), ==, SITREP_OUTCOME_NONE);
  g_assert_nonnull (output_of (watched_run));
  /* The restart did not start against a runbook no longer shown, and says so. */
  entries = audit (app);
  entry = last_audit (entries);
  g_assert_cmpstr (entry->action_id, ==, "restart");
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_nonnull (strstr (entry->output_tail, "another runbook was opened"));
  g_assert_null (sitrep_drill_kube_find_request (server, "PATCH", "deployments/hoist"));
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* The rollout finishes: the run ends on its own, and all of it is on the record. */
  sitrep_drill_kube_add_deployment (server, "cranes", "hoist", 3, 3, 3);
  wait_until (run_ended, watched_run, 30, "the rollout status to finish");
  g_assert_cmpint (sitrep_action_run_get_outcome (watched_run), ==, SITREP_OUTCOME_SUCCEEDED);
  output = output_of (watched_run);
  g_assert_nonnull (output);
  g_assert_true (sitrep_action_output_get_finished (output));
  text = sitrep_action_output_get_text (output);
  g_assert_nonnull (strstr (text, "successfully rolled out"));

  entries = audit (app);
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *e = entries->pdata[i];

      /* Its "started" entry, written ahead, is followed by the outcome. */
      if (g_str_equal (e->action_id, "status") && !g_str_equal (e->outcome, SITREP_AUDIT_STARTED))
        {
          g_assert_cmpstr (e->outcome, ==, SITREP_AUDIT_SUCCEEDED);
          g_assert_cmpint (e->incident_id, ==, incident_id);
          g_assert_true (e->has_exit_code);
          g_assert_cmpint (e->exit_code, ==, 0);
          g_assert_nonnull (strstr (e->output_tail, "successfully rolled out"));
          outcome = TRUE;
        }
    }
  g_assert_true (outcome);
  events = sitrep_store_list_events (sitrep_session_get_store (session), incident_id,
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  outcome = FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      const char *event = fixture_shown_text (events->pdata[i]);

      started |= g_str_has_prefix (event, "Started: Rollout status on Hoist Controller (");
      outcome |= g_str_has_prefix (event, "Rollout status on Hoist Controller: ");
    }
  g_assert_true (started);
  g_assert_true (outcome);

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (output))));
  g_clear_object (&watched_run);
}

static void
test_replaced_while_running (void)
{
  const char *args[] = { "--paused", "--runbook", harbor_path, NULL };
  g_autofree char *kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("kubectl is missing: build-aux/sitrep-dev installs it at " KUBECTL);
      return;
    }
  server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  sitrep_drill_kube_write_kubeconfig (server, kubeconfig, "harbor-live", "cranes", FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  /* Ready 1 of 3: `rollout status` waits until the test says otherwise. */
  sitrep_drill_kube_add_deployment (server, "cranes", "hoist", 3, 1, 3);

  run_app (args, FALSE, check_replaced_while_running);

  g_unsetenv ("KUBECONFIG");
  g_clear_object (&server);
}


/* Quitting while a command runs. */

static char *quit_database;

static void
check_quit_while_running (SitrepApplication *app,
                          SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepActionController *actions;

  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  actions = sitrep_session_get_actions (session);
  g_signal_connect (actions, "run-started", G_CALLBACK (run_started_cb), NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)",
                                             "hoist", "status"));
  wait_until (run_started, NULL, 20, "the rollout status to start");
  wait_until (output_says_waiting, watched_run, 30, "kubectl to wait for the rollout");
  quit_database = g_strdup (sitrep_session_get_store_address (session));
  /* The test's harness quits now, as Ctrl+Q does. */
}

/* Quitting stops a running command, and how it ended is on the record before the console is
 * gone (not left to the next start to call it "never finished"). */
static void
test_quit_while_running (void)
{
  const char *args[] = { "--paused", "--runbook", harbor_path, NULL };
  g_autofree char *kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *outcome = NULL;

  server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  sitrep_drill_kube_write_kubeconfig (server, kubeconfig, "harbor-live", "cranes", FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  sitrep_drill_kube_add_deployment (server, "cranes", "hoist", 3, 1, 3);

  run_app (args, FALSE, check_quit_while_running);
  g_assert_nonnull (watched_run);
  g_assert_cmpint (sitrep_action_run_get_outcome (watched_run), ==, SITREP_OUTCOME_CANCELLED);

  store = sitrep_store_open (quit_database, &error);
  g_assert_no_error (error);
  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *entry = entries->pdata[i];

      if (g_str_equal (entry->action_id, "status")
          && !g_str_equal (entry->outcome, SITREP_AUDIT_STARTED))
        outcome = entry->outcome;
    }
  g_assert_cmpstr (outcome, ==, SITREP_AUDIT_CANCELLED);

  g_clear_object (&watched_run);
  g_clear_pointer (&quit_database, g_free);
  g_unsetenv ("KUBECONFIG");
  g_clear_object (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;
  g_autofree char *text = NULL;
  GString *read_only = NULL;
  int status;

  scratch = ui_test_init (&argc, &argv, "sitrep-safety-test");
  if (scratch == NULL)
    return 1;
  /* Services go down while probing runs, and the console says so through notifications. */
  ui_test_serve_notifications ();

  /* The second runbook, and the same with environment.read_only. */
  northwind_path = fixture_runbook_write (NULL);
  text = fixture_runbook_text (NULL);
  read_only = g_string_new (text);
  g_assert_cmpuint (g_string_replace (read_only, "\"protected\": false,",
                                      "\"protected\": false, \"read_only\": true,", 1), ==, 1);
  northwind_read_only_path = g_build_filename (scratch, "northwind-read-only.json", NULL);
  g_assert_true (g_file_set_contents (northwind_read_only_path, read_only->str, -1, NULL));
  g_string_free (read_only, TRUE);

  harbor_path = g_build_filename (scratch, "harbor.json", NULL);
  g_assert_true (g_file_set_contents (harbor_path, harbor, -1, NULL));

  g_test_add_func ("/window-safety/read-only-live", test_read_only_live);
  g_test_add_func ("/window-safety/trust", test_trust);
  g_test_add_func ("/window-safety/runbook-replaced-while-running", test_replaced_while_running);
  g_test_add_func ("/window-safety/quit-while-running", test_quit_while_running);

  status = g_test_run ();
  g_free (northwind_path);
  g_free (northwind_read_only_path);
  g_free (harbor_path);
  return status;
}
