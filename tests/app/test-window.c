/* test-window.c: the main window under a real display: runbook name, views, load errors */
#include "config.h"

#include <adwaita.h>

#include "sitrep-action-dialog-private.h"
#include "sitrep-application.h"
#include "sitrep-health-tile-private.h"
#include "sitrep-health-view-private.h"
#include "sitrep-incident-view-private.h"
#include "sitrep-service-page-private.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-window-private.h"
#include "sitrep-wrap-label-layout.h"
#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "ui-test-util.h"

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

/* Starts the real application with @args, waits for its window, runs @check on it. */
static void
run_app (const char *const *args,
         WindowCheck        check)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autofree char *database = ui_test_database ("window-test.db", FALSE);
  g_auto(GStrv) full = NULL;

  /* The CareCircle hosts do not exist here: this test is about the window. */
  g_strv_builder_add_many (argv, "sitrep", "--paused", "--database", database, NULL);
  if (args != NULL)
    g_strv_builder_addv (argv, (const char **) args);
  full = g_strv_builder_end (argv);
  /* Tests run in parallel with other programs on the same bus. */
  ui_test_run_app ((const char *const *) full, FALSE, call_check, &check);
}

/* The confirmation dialog open over the window, or NULL. */
static SitrepActionDialog *
find_action_dialog (SitrepWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (SITREP_IS_ACTION_DIALOG (toplevel))
        {
          g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (toplevel)) == GTK_WINDOW (window));
          return SITREP_ACTION_DIALOG (toplevel);
        }
    }
  return NULL;
}

static void
check_builtin (SitrepApplication *app,
               SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  g_autofree char *environment = sitrep_window_get_environment_text (window);

  g_assert_cmpstr (sitrep_window_get_page (window), ==, "console");
  /* The pages a console does not show are not visible, so GTK does not style them for its
   * frames, its first one included. */
  g_assert_false (sitrep_window_get_page_visible (window, "loading"));
  g_assert_false (sitrep_window_get_page_visible (window, "problems"));
  g_assert_cmpstr (sitrep_window_get_heading (window), ==, "CareCircle");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "CareCircle");
  g_assert_nonnull (strstr (environment, "carecircle-production"));
  g_assert_nonnull (strstr (environment, "carecircle"));
  g_assert_nonnull (strstr (environment, "[protected]"));
  g_assert_null (sitrep_window_get_store_text (window));

  /* The Health view has a tile model for every service of the runbook, and --paused held it. */
  {
    SitrepMonitor *monitor = sitrep_session_get_monitor (session);

    g_assert_nonnull (monitor);
    g_assert_true (sitrep_monitor_get_paused (monitor));
    g_assert_cmpuint (g_list_model_get_n_items (sitrep_monitor_get_services (monitor)), ==, 6);
    g_assert_true (sitrep_health_view_get_monitor (sitrep_window_get_health_view (window)) == monitor);
  }

  g_assert_cmpstr (sitrep_window_get_view (window), ==, "health");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "incident"));
  g_assert_cmpstr (sitrep_window_get_view (window), ==, "incident");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "timeline"));
  g_assert_cmpstr (sitrep_window_get_view (window), ==, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "health"));
  g_assert_cmpstr (sitrep_window_get_view (window), ==, "health");

  /* Read-only mode from the preferences shows in the banner at once. */
  g_assert_null (strstr (environment, "Read-only"));
  g_settings_set_boolean (sitrep_session_get_settings (session), "read-only", TRUE);
  {
    g_autofree char *after = sitrep_window_get_environment_text (window);

    g_assert_nonnull (strstr (after, "Read-only"));
  }
  g_settings_set_boolean (sitrep_session_get_settings (session), "read-only", FALSE);

  /* The Incident view works on the application's incidents, and Ctrl+N can declare. */
  g_assert_nonnull (sitrep_session_get_incidents (session));
  g_assert_true (sitrep_incident_view_get_manager (sitrep_window_get_incident_view (window))
                 == sitrep_session_get_incidents (session));
  g_assert_cmpstr (sitrep_incident_view_get_page (sitrep_window_get_incident_view (window)), ==,
                   "empty");

  /* The runbook's commands can run from the window, through the application's controller. */
  g_assert_nonnull (sitrep_session_get_actions (session));

  /* A checklist item naming an action ("rollback if needed") opens that action's confirmation
   * over the service's page. */
  {
    SitrepActionDialog *dialog;

    g_signal_emit_by_name (sitrep_window_get_incident_view (window), "open-action", "rollback",
                           "api");
    g_assert_cmpstr (sitrep_window_get_view (window), ==, "health");
    dialog = find_action_dialog (window);
    g_assert_nonnull (dialog);
    g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog),
                              "rollout undo deployment/carecircle-api"));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* Read-only: the checklist's rollback opens nothing that could change the cluster. */
  g_settings_set_boolean (sitrep_session_get_settings (session), "read-only", TRUE);
  g_signal_emit_by_name (sitrep_window_get_incident_view (window), "open-action", "rollback",
                         "api");
  g_assert_null (find_action_dialog (window));
  g_settings_set_boolean (sitrep_session_get_settings (session), "read-only", FALSE);

  /* The Restart button on the service's page asks first, showing the exact command. */
  {
    GtkWidget *page = sitrep_health_view_get_service_page (sitrep_window_get_health_view (window));
    GtkWidget *restart = sitrep_service_page_find_run_button (SITREP_SERVICE_PAGE (page), "restart");
    SitrepActionDialog *dialog;

    g_assert_nonnull (restart);
    g_signal_emit_by_name (restart, "clicked");
    dialog = find_action_dialog (window);
    g_assert_nonnull (dialog);
    g_assert_nonnull (strstr (sitrep_action_dialog_get_command (dialog),
                              "--context carecircle-production --namespace carecircle "
                              "rollout restart deployment/carecircle-api"));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* The main menu's actions exist. */
  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "about") != NULL);
  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences") != NULL);
}

static void
test_window_builtin (void)
{
  run_app (NULL, check_builtin);
}

static gboolean
runbook_is_drill (SitrepSession *session,
                  gboolean       drill)
{
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);

  return runbook != NULL && !sitrep_session_get_loading (session)
         && sitrep_runbook_get_environment (runbook)->drill == drill;
}

static void
wait_for_drill (SitrepSession *session,
                gboolean       drill)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (!runbook_is_drill (session, drill) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (runbook_is_drill (session, drill));
}

/* The main menu's "Practise with a Drill" submenu, or NULL. */
static GMenuModel *
find_drill_menu (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      GMenuModel *found;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label)
          && g_str_equal (label, "Practise with a _Drill"))
        return g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      if (section != NULL && (found = find_drill_menu (section)) != NULL)
        return found;
    }
  return NULL;
}

/* The main menu offers each scenario; picking one turns the console into the drill, under a
 * banner that says so; opening another runbook ends the drill and removes its files. */
static void
check_drill (SitrepApplication *app,
             SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  GtkMenuButton *button = GTK_MENU_BUTTON (ui_test_find_descendant (GTK_WIDGET (window),
                                                                  GTK_TYPE_MENU_BUTTON));
  g_autoptr(GMenuModel) drills = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *after = NULL;
  g_autofree char *runbook_path = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  g_assert_nonnull (button);
  drills = find_drill_menu (gtk_menu_button_get_menu_model (button));
  g_assert_nonnull (drills);
  g_assert_cmpint (g_menu_model_get_n_items (drills), ==, 6);
  g_assert_true (g_menu_model_get_item_attribute (drills, 4, G_MENU_ATTRIBUTE_ACTION, "s",
                                                  &action));
  g_assert_cmpstr (action, ==, "app.drill");
  target = g_menu_model_get_item_attribute_value (drills, 4, G_MENU_ATTRIBUTE_TARGET,
                                                  G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "web-bad-deploy");

  /* What the menu item does when it is picked. */
  g_action_group_activate_action (G_ACTION_GROUP (app), action + strlen ("app."), target);
  wait_for_drill (session, TRUE);

  environment = sitrep_window_get_environment_text (window);
  g_assert_nonnull (strstr (environment, "Drill · Context drill-carecircle · Namespace carecircle"));
  g_assert_nonnull (strstr (environment, "commands reach only the drill, never production"));
  g_assert_nonnull (strstr (environment, "[drill]"));
  g_assert_null (strstr (environment, "carecircle-production"));
  g_assert_cmpstr (sitrep_window_get_heading (window), ==, "CareCircle (drill)");
  runbook_path = g_strdup (sitrep_runbook_get_source (sitrep_session_get_runbook (session)));
  g_assert_true (g_file_test (runbook_path, G_FILE_TEST_IS_REGULAR));

  /* The built-in runbook again: production's banner, and the drill is gone. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "builtin-runbook", NULL);
  wait_for_drill (session, FALSE);
  after = sitrep_window_get_environment_text (window);
  g_assert_nonnull (strstr (after, "carecircle-production"));
  g_assert_null (strstr (after, "[drill]"));
  g_assert_false (g_file_test (runbook_path, G_FILE_TEST_EXISTS));
}

static void
test_window_drill (void)
{
  run_app (NULL, check_drill);
}

/* A first run on the built-in runbook, nothing answering: the Health view offers a drill in
 * one click beside the team's own runbook. The drill's runbook is trusted for this session only,
 * and its confirmations say it is a drill. Once an incident exists, the offer goes. */
static void
check_first_run (SitrepApplication *app,
                 SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepHealthView *health = sitrep_window_get_health_view (window);
  GtkWidget *button = sitrep_health_view_get_welcome_drill_button (health);
  g_auto(GStrv) trusted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *environment = NULL;
  SitrepActionDialog *dialog;
  GVariant *target;
  gint64 id;

  g_assert_true (sitrep_runbook_get_builtin (sitrep_session_get_runbook (session)));
  g_assert_true (sitrep_health_view_get_welcome_shown (health));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.drill");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "api-down");

  /* One click. */
  g_signal_emit_by_name (button, "clicked");
  wait_for_drill (session, TRUE);
  g_assert_false (sitrep_health_view_get_welcome_shown (health));
  environment = sitrep_window_get_environment_text (window);
  g_assert_nonnull (strstr (environment, "[drill]"));

  /* Sitrep wrote that runbook: it runs without a review, and nothing remembers it. */
  g_assert_true (sitrep_session_get_trusted (session));
  trusted = g_settings_get_strv (sitrep_session_get_settings (session), "trusted-runbooks");
  g_assert_cmpuint (g_strv_length (trusted), ==, 0);

  /* A confirmation names the drill beside the context and namespace. */
  g_signal_emit_by_name (sitrep_window_get_incident_view (window), "open-action", "restart",
                         "api");
  dialog = find_action_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (sitrep_action_dialog_get_where (dialog), ==,
                   "Drill · Context: drill-carecircle · Namespace: carecircle");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Back on the built-in runbook, still without an incident: the offer again. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "builtin-runbook", NULL);
  wait_for_drill (session, FALSE);
  g_assert_true (sitrep_health_view_get_welcome_shown (health));

  /* "Show the Services" puts the tiles back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (health), "health.show-services", NULL));
  g_assert_false (sitrep_health_view_get_welcome_shown (health));
  g_action_group_activate_action (G_ACTION_GROUP (app), "builtin-runbook", NULL);
  g_assert_true (sitrep_health_view_get_welcome_shown (health));

  /* An incident declared: no longer a first run. */
  id = sitrep_incident_manager_declare (sitrep_session_get_incidents (session), "SEV-2",
                                        "Checkout slow", "", "Dana", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_false (sitrep_health_view_get_welcome_shown (health));
}

static void
test_window_first_run (void)
{
  run_app (NULL, check_first_run);
}

static const char bad_runbook[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"nme\": \"Broken\",\n"
  "  \"severities\": [],\n"
  "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
  "  \"services\": []\n"
  "}\n";

static char *
write_temp (const char *name,
            const char *contents)
{
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static gboolean
console_shown (SitrepWindow *window,
               gpointer      data)
{
  return g_strcmp0 (sitrep_window_get_page (window), "console") == 0;
}

static void
check_problems (SitrepApplication *app,
                SitrepWindow      *window)
{
  g_autofree char *problems = sitrep_window_get_problems_text (window);

  g_assert_cmpstr (sitrep_window_get_page (window), ==, "problems");
  g_assert_true (sitrep_window_get_page_visible (window, "problems"));
  g_assert_false (sitrep_window_get_page_visible (window, "loading"));
  g_assert_nonnull (strstr (problems, "line 3, column 3: unknown key \"nme\" in a runbook; "
                                      "did you mean \"name\"?"));
  g_assert_nonnull (strstr (problems, "line 4, column 17: \"severities\" is empty"));
  g_assert_nonnull (strstr (problems, "line 1, column 1: a runbook is missing the required key "
                                      "\"name\""));
  /* No half-loaded console behind the errors. */
  g_assert_null (sitrep_window_get_heading (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Sitrep");

  /* "Use the Built-in Runbook": its console, and the errors no longer a page behind it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "builtin-runbook", NULL);
  g_assert_true (ui_test_wait_until (window, 30, console_shown, NULL));
  g_assert_cmpstr (sitrep_window_get_heading (window), ==, "CareCircle");
  g_assert_false (sitrep_window_get_page_visible (window, "problems"));
  g_assert_false (sitrep_window_get_page_visible (window, "loading"));
}

static void
test_window_problems (void)
{
  g_autofree char *path = write_temp ("broken.json", bad_runbook);
  const char *args[] = { "--runbook", path, NULL };

  run_app (args, check_problems);
}

static void
check_remembered (SitrepApplication *app,
                  SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  GSettings *settings = sitrep_session_get_settings (session);
  g_autofree char *last = g_settings_get_string (settings, "last-runbook");
  g_autofree char *expected = g_canonicalize_filename (g_getenv ("SITREP_RUNBOOK"), NULL);

  g_assert_cmpstr (sitrep_window_get_page (window), ==, "console");
  g_assert_cmpstr (sitrep_window_get_heading (window), ==, "CareCircle");
  g_assert_cmpstr (last, ==, expected);
}

static void
test_window_runbook_file (void)
{
  const char *args[] = { "--runbook", g_getenv ("SITREP_RUNBOOK"), NULL };

  run_app (args, check_remembered);
}

static void
check_store_error (SitrepApplication *app,
                   SitrepWindow      *window)
{
  const char *text = sitrep_window_get_store_text (window);

  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Incidents cannot be saved"));
  g_assert_nonnull (strstr (text, "not a Sitrep database"));
  /* The console still works on the runbook. */
  g_assert_cmpstr (sitrep_window_get_page (window), ==, "console");
}

static void
test_window_store_error (void)
{
  g_autofree char *garbage = g_strnfill (4096, 'z');
  g_autofree char *path = write_temp ("garbage.db", garbage);
  const char *args[] = { "--database", path, NULL };
  g_autofree char *after = NULL;

  run_app (args, check_store_error);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}


/* The text of the Health view's tile for the service named @name, once the view shows one. */
static char *
tile_text (SitrepWindow *window,
           const char   *name)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      GPtrArray *tiles = sitrep_health_view_get_tiles (sitrep_window_get_health_view (window));

      for (guint i = 0; i < tiles->len; i++)
        {
          g_autofree char *text = sitrep_health_tile_get_text (tiles->pdata[i]);

          if (g_str_has_prefix (text, name) && text[strlen (name)] == '\n')
            return g_steal_pointer (&text);
        }
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_not_reached ();
}

/* The gateway is down in production, as its probe found there. */
static void
gateway_down (SitrepSession *session)
{
  SitrepMonitor *monitor = sitrep_session_get_monitor (session);
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);
  const SitrepService *gateway = sitrep_runbook_find_service (runbook, "gateway");
  const SitrepProbeSpec *probe;
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();

  g_assert_nonnull (monitor);
  g_assert_nonnull (gateway);
  probe = gateway->probes->pdata[0];

  result->started_at = g_get_real_time ();
  result->ran = TRUE;
  result->connected = TRUE;
  result->status = 503;
  result->response_time_ms = 12;
  for (guint i = 0; i < MAX (probe->fail_after, 1); i++)
    sitrep_monitor_feed (monitor, "gateway", probe->id, result, NULL);
  g_assert_cmpint (sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, "gateway")),
                   ==, SITREP_HEALTH_DOWN);
}

static void
check_environments (SitrepApplication *app,
                    SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);
  g_autofree char *before = sitrep_window_get_environment_text (window);
  g_autofree char *after = NULL;
  g_autofree char *tile_before = NULL, *tile_after = NULL;
  SitrepMonitor *monitor;

  gateway_down (session);
  tile_before = tile_text (window, "Label Gateway");
  g_assert_nonnull (strstr (tile_before, "\nDown\n"));
  g_assert_nonnull (strstr (before, "Production · Context nw-test · Namespace freight"));
  g_assert_nonnull (strstr (before, "[protected]"));
  g_assert_false (sitrep_session_get_read_only (session));
  g_assert_false (sitrep_window_select_environment (window, "Development"));

  g_assert_true (sitrep_window_select_environment (window, "Staging"));
  after = sitrep_window_get_environment_text (window);
  g_assert_nonnull (strstr (after, "Staging · Context nw-staging · Namespace freight-staging"));
  g_assert_null (strstr (after, "[protected]"));
  /* Staging's read_only holds from now on, and says so. */
  g_assert_nonnull (strstr (after, "Read-only"));
  g_assert_true (sitrep_session_get_read_only (session));
  g_assert_cmpstr (sitrep_runbook_get_environment (runbook)->id, ==, "staging");

  /* Production's results are not staging's: at once, before any probe of staging answered,
   * the gateway is unknown, not down. */
  monitor = sitrep_session_get_monitor (session);
  g_assert_cmpint (sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, "gateway")),
                   ==, SITREP_HEALTH_UNKNOWN);
  g_assert_true (sitrep_health_view_get_monitor (sitrep_window_get_health_view (window)) == monitor);
  tile_after = tile_text (window, "Label Gateway");
  g_test_message ("after the switch: %s", tile_after);
  g_assert_null (strstr (tile_after, "\nDown\n"));
  g_assert_nonnull (strstr (tile_after, "\nUnknown\n"));
  g_assert_nonnull (strstr (tile_after, "No result yet"));
}

/* A runbook with several environments (format 2): the banner names the one picked, and picking
 * another in the banner's list changes it, its protection and its read-only, and the tiles
 * forget the other environment's results. */
static void
test_window_environments (void)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) v2 = g_string_new (text);
  g_autofree char *path = NULL;

  g_assert_cmpuint (g_string_replace (v2, "\"sitrep_runbook\": 1,", "\"sitrep_runbook\": 2,", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (v2, "\"environment\": {\n    \"context\": \"nw-test\", \"namespace\": \"freight\", \"protected\": false,",
                                      "\"environments\": [ { \"id\": \"production\", \"label\": \"Production\",\n"
                                      "    \"context\": \"nw-test\", \"namespace\": \"freight\", \"protected\": true,", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (v2, "\"note\": \"Use the Freight board\" } ]\n  },",
                                      "\"note\": \"Use the Freight board\" } ] },\n"
                                      "    { \"id\": \"staging\", \"label\": \"Staging\", \"context\": \"nw-staging\","
                                      " \"namespace\": \"freight-staging\", \"read_only\": true,"
                                      " \"links\": [ { \"id\": \"grafana\", \"label\": \"Grafana\" } ] } ],", 1), ==, 1);
  path = write_temp ("environments.json", v2->str);
  {
    const char *args[] = { "--runbook", path, NULL };

    run_app (args, check_environments);
  }
}

/* The window's first frame makes only the Health view: the Incident and Timeline views are made
 * when first shown (or asked for), and then work on the session as before. */
static void
check_views_on_first_show (SitrepApplication *app,
                           SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (session);
  GSettings *settings = sitrep_session_get_settings (session);
  const char *titles[] = { "Health", "Incident", "Timeline" };
  g_autoptr(GtkSelectionModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *author = NULL;
  g_autofree char *lead = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  SitrepIncidentView *incident_view;
  GtkWidget *focus;
  gint64 id;

  while (!window->drawn && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (window->drawn);
  g_assert_cmpstr (sitrep_window_get_view (window), ==, "health");
  g_assert_true (sitrep_window_get_view_made (window, "health"));
  g_assert_false (sitrep_window_get_view_made (window, "incident"));
  g_assert_false (sitrep_window_get_view_made (window, "timeline"));

  /* The switcher offers the three views all the same. */
  pages = adw_view_stack_get_pages (window->view_stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, titles[i]);
    }

  /* An incident declared meanwhile (as another console would) makes no view either. */
  id = sitrep_incident_manager_declare (incidents, "P2", "Checkout is slow", NULL,
                                        "Grace Hopper", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_false (sitrep_window_get_view_made (window, "incident"));
  g_assert_false (sitrep_window_get_view_made (window, "timeline"));

  /* Ctrl+Enter from the Health view: the Timeline, made now, its rows, the keyboard in its note
   * entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-note", NULL));
  g_assert_cmpstr (sitrep_window_get_view (window), ==, "timeline");
  g_assert_true (sitrep_window_get_view_made (window, "timeline"));
  g_assert_false (sitrep_window_get_view_made (window, "incident"));
  g_assert_true (sitrep_window_get_timeline_view (window) == window->timeline_view);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sitrep_timeline_view_get_n_shown (window->timeline_view) == 0
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (sitrep_timeline_view_get_n_shown (window->timeline_view), >, 0);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (window->timeline_view)));

  /* Alt+2: the Incident view, on the application's incidents, showing the one declared. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "incident"));
  g_assert_true (sitrep_window_get_view_made (window, "incident"));
  incident_view = sitrep_window_get_incident_view (window);
  g_assert_true (sitrep_incident_view_get_manager (incident_view) == incidents);
  g_assert_cmpstr (sitrep_incident_view_get_page (incident_view), !=, "empty");
  author = sitrep_window_get_author (window);
  g_assert_cmpstr (sitrep_incident_view_get_author (incident_view), ==, author);

  /* The preferences reach the views made late as they reach the others. */
  g_settings_set_boolean (settings, "show-utc", !sitrep_incident_view_get_utc (incident_view));
  g_assert_true (sitrep_incident_view_get_utc (incident_view)
                 == g_settings_get_boolean (settings, "show-utc"));
  g_assert_true (sitrep_timeline_view_get_utc (window->timeline_view)
                 == g_settings_get_boolean (settings, "show-utc"));
  g_settings_reset (settings, "show-utc");
  g_assert_true (sitrep_timeline_view_get_utc (window->timeline_view)
                 == g_settings_get_boolean (settings, "show-utc"));

  /* The lead's name from the preferences goes on what the views write as soon as it is typed
   * there, as on the commands the session runs; cleared, the user's name again. */
  lead = g_settings_get_string (settings, "lead-name");
  g_settings_set_string (settings, "lead-name", "  Ada Lovelace ");
  g_assert_cmpstr (sitrep_incident_view_get_author (incident_view), ==, "Ada Lovelace");
  g_assert_cmpstr (sitrep_timeline_view_get_author (window->timeline_view), ==, "Ada Lovelace");
  g_settings_set_string (settings, "lead-name", lead);
  g_assert_cmpstr (sitrep_incident_view_get_author (incident_view), ==, author);
  g_assert_cmpstr (sitrep_timeline_view_get_author (window->timeline_view), ==, author);
}

static void
test_window_views_on_first_show (void)
{
  run_app (NULL, check_views_on_first_show);
}

/* A widget that counts the widths asked of it for a height, which a horizontal box asks of each
 * child it allocates and which a wrapping label answers by laying its text out at width after
 * width. Like such a label, it is taller when narrower. */
#define TEST_TYPE_WRAPPING_WIDGET (test_wrapping_widget_get_type ())
G_DECLARE_FINAL_TYPE (TestWrappingWidget, test_wrapping_widget, TEST, WRAPPING_WIDGET, GtkWidget)

struct _TestWrappingWidget
{
  GtkWidget parent_instance;
  guint widths_for_height;
};

G_DEFINE_FINAL_TYPE (TestWrappingWidget, test_wrapping_widget, GTK_TYPE_WIDGET)

static GtkSizeRequestMode
test_wrapping_widget_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
test_wrapping_widget_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (for_size >= 0)
        TEST_WRAPPING_WIDGET (widget)->widths_for_height++;
      *minimum = 100;
      *natural = 400;
    }
  else
    {
      /* Two lines below its natural width. */
      *minimum = *natural = for_size >= 0 && for_size < 400 ? 40 : 20;
    }
}

static void
test_wrapping_widget_class_init (TestWrappingWidgetClass *klass)
{
  GTK_WIDGET_CLASS (klass)->get_request_mode = test_wrapping_widget_get_request_mode;
  GTK_WIDGET_CLASS (klass)->measure = test_wrapping_widget_measure;
}

static void
test_wrapping_widget_init (TestWrappingWidget *self)
{
}

/* Whether @data, a widget, has been given a width: laid out at least once. */
static gboolean
laid_out (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static void
check_banner_layout (SitrepApplication *app,
                     SitrepWindow      *window)
{
  GtkWidget *labels[] = {
    GTK_WIDGET (window->environment_label), GTK_WIDGET (window->environment_flags),
    GTK_WIDGET (window->store_label), GTK_WIDGET (window->trust_label),
  };

  /* The window on screen is not yet laid out (slowly, under the sanitizers): wait for the
   * environment banner's allocation. */
  g_assert_true (gtk_widget_get_mapped (labels[0]));
  wait_until (laid_out, labels[0], 10, "the environment banner to be laid out");

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      int height;

      g_assert_true (SITREP_IS_WRAP_LABEL_LAYOUT (
                       gtk_widget_get_layout_manager (gtk_widget_get_parent (labels[i]))));
      if (!gtk_widget_get_mapped (labels[i]) || gtk_widget_get_width (labels[i]) == 0)
        continue;
      /* Nothing of a banner's text is cut: as tall as its text at the width it was given. */
      gtk_widget_measure (labels[i], GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (labels[i]),
                          &height, NULL, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (labels[i]), >=, height);
    }
}

/* A wrapping label in a horizontal box, as in the banners under the header, is asked its width
 * alone, not its width for the box's height (a binary search over widths, laying the text out
 * at each, at every allocation); it still gets the room the box gives it and the height its
 * text needs there. The window's banners put their wrapping labels in such a bin. */
static void
test_window_banner_layout (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *plain = adw_bin_new ();
  GtkWidget *bin = adw_bin_new ();
  TestWrappingWidget *in_plain = g_object_new (TEST_TYPE_WRAPPING_WIDGET, NULL);
  TestWrappingWidget *in_bin = g_object_new (TEST_TYPE_WRAPPING_WIDGET, NULL);

  gtk_widget_set_layout_manager (bin, sitrep_wrap_label_layout_new ());
  gtk_widget_set_hexpand (bin, TRUE);
  /* As tall as it asks to be for its width, not as the box. */
  gtk_widget_set_valign (bin, GTK_ALIGN_START);
  adw_bin_set_child (ADW_BIN (plain), GTK_WIDGET (in_plain));
  adw_bin_set_child (ADW_BIN (bin), GTK_WIDGET (in_bin));
  gtk_box_append (GTK_BOX (box), plain);
  gtk_box_append (GTK_BOX (box), bin);
  gtk_window_set_child (GTK_WINDOW (window), box);
  /* 700 px: 200 for the two children's minimum widths, 12 between them, and 488 shared out
   * towards their natural widths (400 each), 244 each: both below their natural width, so
   * both on two lines. */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 100);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, in_bin, 10, "the two children to be laid out");

  /* What a box asks of a child it allocates, and what the bin spares its child. */
  g_assert_cmpuint (in_plain->widths_for_height, >, 0);
  g_assert_cmpuint (in_bin->widths_for_height, ==, 0);
  /* The bin's child gets the room the box gives a plain child, and the height it needs for
   * that width: two lines. */
  g_assert_cmpint (gtk_widget_get_width (bin), ==, gtk_widget_get_width (plain));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (in_bin)), ==, gtk_widget_get_width (bin));
  g_assert_cmpint (gtk_widget_get_width (bin), >, 100);
  g_assert_cmpint (gtk_widget_get_width (bin), <, 400);
  g_assert_cmpint (gtk_widget_get_height (bin), ==, 40);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (in_bin)), ==, 40);
  gtk_window_destroy (GTK_WINDOW (window));

  run_app (NULL, check_banner_layout);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  scratch = ui_test_init (&argc, &argv, "sitrep-window-test");
  if (scratch == NULL)
    return 1;

  /* Declaring an incident and a service going down notify the desktop. */
  ui_test_serve_notifications ();

  g_test_add_func ("/window/builtin-runbook", test_window_builtin);
  g_test_add_func ("/window/runbook-problems", test_window_problems);
  g_test_add_func ("/window/runbook-file", test_window_runbook_file);
  g_test_add_func ("/window/store-error", test_window_store_error);
  g_test_add_func ("/window/drill", test_window_drill);
  g_test_add_func ("/window/first-run", test_window_first_run);
  g_test_add_func ("/window/environments", test_window_environments);
  g_test_add_func ("/window/views-on-first-show", test_window_views_on_first_show);
  g_test_add_func ("/window/banner-layout", test_window_banner_layout);

  return g_test_run ();
}
