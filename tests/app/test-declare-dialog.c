/* test-declare-dialog.c: the declare wizard under a real display, from severity to message */
#include "config.h"

#include <adwaita.h>

#include "fixture-runbook.h"
#include "lock-test-util.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-incident-manager.h"
#include "sitrep-monitor.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "ui-fixture.h"

/* 2024-03-05 14:00:00 UTC */
#define T0 (G_GINT64_CONSTANT (1709647200) * G_USEC_PER_SEC)

/* CareCircle with no incident, a manual clock at T0, and an empty window on screen to parent
 * the dialog. */
static void
fixture_set_up (UiFixture     *fixture,
                gconstpointer  data)
{
  const UiFixtureOptions options = { .t0 = T0 };

  ui_fixture_set_up (fixture, &options);
  ui_fixture_show (fixture, NULL);
}

static void
fixture_tear_down (UiFixture     *fixture,
                   gconstpointer  data)
{
  ui_fixture_tear_down (fixture);
}

/* Keeps the window on screen for a person to look at: SITREP_TEST_LINGER=SECONDS. */
static void
linger (void)
{
  const char *seconds = g_getenv ("SITREP_TEST_LINGER");
  gint64 until;

  if (seconds == NULL)
    return;
  until = g_get_monotonic_time () + g_ascii_strtoll (seconds, NULL, 10) * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
}

static void
declared_cb (SitrepDeclareDialog *dialog,
             gint64               id,
             gint64              *out)
{
  *out = id;
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_declare_flow (UiFixture     *fixture,
                   gconstpointer  data)
{
  SitrepDeclareDialog *dialog;
  SitrepIncident *incident;
  g_autofree char *message = NULL;
  g_autofree char *expected_channel = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *long_summary = g_strnfill (10000, 'x');
  g_autoptr(GDateTime) t0 = g_date_time_new_from_unix_utc (T0 / G_USEC_PER_SEC);
  g_autofree char *date = g_date_time_format (t0, "%Y-%m-%d");
  gint64 declared_id = -1;
  const char *const *services;

  dialog = sitrep_declare_dialog_new (fixture->window, fixture->manager, NULL, "Ada Lovelace");
  g_signal_connect (dialog, "declared", G_CALLBACK (declared_cb), &declared_id);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();

  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);
  /* One page: severity, summary, impact, lead and services together; without a monitor no
   * level is picked for the person, and Declare waits for one. */
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "details");
  g_assert_null (sitrep_declare_dialog_get_text (dialog, "severity"));
  g_assert_false (sitrep_declare_dialog_select_severity (dialog, "SEV-9"));
  sitrep_declare_dialog_set_text (dialog, "summary", "API returns 503s");
  g_assert_false (sitrep_declare_dialog_get_enabled (dialog, "declare"));
  sitrep_declare_dialog_set_text (dialog, "summary", "");
  linger ();

  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "SEV-2"));
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "SEV-1"));
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "severity"), ==, "SEV-1");
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "details");

  /* The lead starts from what the application passed; nothing is pre-selected without a monitor. */
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "lead"), ==, "Ada Lovelace");
  g_assert_false (sitrep_declare_dialog_get_service_active (dialog, "api"));

  /* Empty: Declare is off, but the person has not been told off yet. */
  g_assert_false (sitrep_declare_dialog_get_enabled (dialog, "declare"));
  g_assert_false (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_null (sitrep_declare_dialog_get_text (dialog, "summary-error"));
  g_assert_cmpint (declared_id, ==, -1);

  /* Blank and overlong summaries are refused inline. */
  sitrep_declare_dialog_set_text (dialog, "summary", "   ");
  g_assert_false (sitrep_declare_dialog_get_enabled (dialog, "declare"));
  g_assert_nonnull (sitrep_declare_dialog_get_text (dialog, "summary-error"));
  sitrep_declare_dialog_set_text (dialog, "summary", long_summary);
  g_assert_false (sitrep_declare_dialog_get_enabled (dialog, "declare"));
  g_assert_nonnull (strstr (sitrep_declare_dialog_get_text (dialog, "summary-error"), "10000"));
  linger ();

  sitrep_declare_dialog_set_text (dialog, "summary", "API returns 503s");
  g_assert_null (sitrep_declare_dialog_get_text (dialog, "summary-error"));
  sitrep_declare_dialog_set_text (dialog, "impact", "Patients cannot book appointments");
  sitrep_declare_dialog_set_text (dialog, "lead", "Grace Hopper");
  sitrep_declare_dialog_set_service_active (dialog, "api", TRUE);
  g_assert_true (sitrep_declare_dialog_get_enabled (dialog, "declare"));
  linger ();

  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  ui_fixture_settle ();
  g_assert_null (sitrep_declare_dialog_get_text (dialog, "error"));
  g_assert_cmpint (declared_id, >, 0);
  g_assert_cmpint (sitrep_declare_dialog_get_incident_id (dialog), ==, declared_id);

  incident = sitrep_incident_manager_get_current (fixture->manager);
  g_assert_nonnull (incident);
  g_assert_cmpint (sitrep_incident_get_id (incident), ==, declared_id);
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-1");
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "API returns 503s");
  g_assert_cmpstr (sitrep_incident_get_impact (incident), ==, "Patients cannot book appointments");
  g_assert_cmpstr (sitrep_incident_get_lead (incident), ==, "Grace Hopper");
  g_assert_cmpint (sitrep_incident_get_declared_at (incident), ==, T0);
  services = sitrep_incident_get_services (incident);
  g_assert_nonnull (services);
  g_assert_cmpstr (services[0], ==, "api");
  g_assert_null (services[1]);

  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "declared");
  g_assert_false (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_false (sitrep_declare_dialog_press (dialog, "cancel"));
  expected_channel = g_strdup_printf ("#incident-%s-api-returns-503s", date);
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "channel"), ==, expected_channel);
  message = g_strdup (sitrep_declare_dialog_get_text (dialog, "message"));
  g_assert_true (g_str_has_prefix (message, "🔴 INCIDENT DECLARED\nSeverity: SEV-1"));
  g_assert_nonnull (strstr (message, "Summary: API returns 503s\n"));
  g_assert_nonnull (strstr (message, "Lead: Grace Hopper\n"));
  linger ();

  /* Copy, then read it back as another application would. */
  g_assert_true (sitrep_declare_dialog_press (dialog, "copy-message"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), NULL,
                                 read_text_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, message);

  g_clear_pointer (&copied, g_free);
  g_assert_true (sitrep_declare_dialog_press (dialog, "copy-channel"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), NULL,
                                 read_text_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, expected_channel);
  linger ();

  /* An edited channel name stays with the incident when the dialog closes. */
  sitrep_declare_dialog_set_text (dialog, "channel", "#incident-api-outage");
  g_assert_true (sitrep_declare_dialog_press (dialog, "done"));
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_incident_get_channel (
                     sitrep_incident_manager_get_current (fixture->manager)), ==,
                   "#incident-api-outage");
}

static void
test_cancel (UiFixture     *fixture,
             gconstpointer  data)
{
  SitrepDeclareDialog *dialog;
  GtkWidget *weak;
  gint64 declared_id = -1;

  dialog = sitrep_declare_dialog_new (fixture->window, fixture->manager, NULL, NULL);
  weak = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  g_signal_connect (dialog, "declared", G_CALLBACK (declared_cb), &declared_id);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();

  /* Without a remembered name the lead is asked for, never guessed from the account ("@root"). */
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "lead"), ==, "");
  sitrep_declare_dialog_select_severity (dialog, "SEV-3");
  sitrep_declare_dialog_set_text (dialog, "summary", "Search is slow");
  sitrep_declare_dialog_press (dialog, "declare");
  ui_fixture_settle ();
  g_assert_cmpint (declared_id, ==, -1);
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "details");
  g_assert_nonnull (strstr (sitrep_declare_dialog_get_text (dialog, "error"), "lead’s name"));
  g_assert_true (sitrep_declare_dialog_press (dialog, "cancel"));
  ui_fixture_settle ();

  g_assert_null (weak);
  g_assert_cmpint (declared_id, ==, -1);
  g_assert_null (sitrep_incident_manager_get_current (fixture->manager));
}

static GtkWidget *
child (SitrepDeclareDialog *dialog,
       const char          *id)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                    SITREP_TYPE_DECLARE_DIALOG, id));
}

static gboolean
focus_in (SitrepDeclareDialog *dialog,
          const char          *id)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));

  return focus != NULL && (focus == child (dialog, id) ||
                           gtk_widget_is_ancestor (focus, child (dialog, id)));
}

/* Typing starts in the summary, and Enter there (or in any field) declares. */
static void
test_keyboard (UiFixture     *fixture,
               gconstpointer  data)
{
  SitrepDeclareDialog *dialog;
  SitrepIncident *incident;

  dialog = sitrep_declare_dialog_new (fixture->window, fixture->manager, NULL, "Ada");
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  g_assert_true (focus_in (dialog, "summary_row"));
  sitrep_declare_dialog_select_severity (dialog, "SEV-2");

  /* Not while the summary is empty. */
  g_signal_emit_by_name (child (dialog, "summary_row"), "entry-activated");
  g_signal_emit_by_name (child (dialog, "impact_row"), "entry-activated");
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "details");
  g_assert_true (focus_in (dialog, "summary_row"));
  g_assert_null (sitrep_incident_manager_get_current (fixture->manager));

  sitrep_declare_dialog_set_text (dialog, "summary", "Checkout is slow");
  g_signal_emit_by_name (child (dialog, "summary_row"), "entry-activated");
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "declared");
  incident = sitrep_incident_manager_get_current (fixture->manager);
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-2");
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "Checkout is slow");
  /* The result page starts on Copy Message. */
  g_assert_true (focus_in (dialog, "copy_message_button"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();
}

/* The lead still empty: Enter in the summary asks for it rather than declaring. */
static void
test_keyboard_asks_lead (UiFixture     *fixture,
                         gconstpointer  data)
{
  SitrepDeclareDialog *dialog;

  dialog = sitrep_declare_dialog_new (fixture->window, fixture->manager, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  sitrep_declare_dialog_select_severity (dialog, "SEV-1");
  sitrep_declare_dialog_set_text (dialog, "summary", "Checkout is slow");
  g_signal_emit_by_name (child (dialog, "summary_row"), "entry-activated");
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "details");
  g_assert_true (focus_in (dialog, "lead_row"));
  g_assert_null (sitrep_incident_manager_get_current (fixture->manager));
  sitrep_declare_dialog_set_text (dialog, "lead", "Ada");
  g_signal_emit_by_name (child (dialog, "lead_row"), "entry-activated");
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "declared");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();
}

static void
test_monitor_preselects (UiFixture     *fixture,
                         gconstpointer  data)
{
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (fixture->runbook, NULL, fixture->clock);
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();
  SitrepServiceState *state;
  SitrepDeclareDialog *dialog;
  SitrepIncident *incident;
  const SitrepProbeSpec *probe;

  probe = g_ptr_array_index (sitrep_runbook_find_service (fixture->runbook, "api")->probes, 0);
  g_assert_cmpstr (probe->id, ==, "health");

  result->started_at = T0;
  result->ran = TRUE;
  result->connected = TRUE;
  result->status = 503;
  result->response_time_ms = 12;
  /* Past the probe's hysteresis, however many failures it asks for. */
  for (guint i = 0; i < MAX (probe->fail_after, 1); i++)
    sitrep_monitor_feed (monitor, "api", "health", result, NULL);
  state = sitrep_monitor_find_service (monitor, "api");
  g_assert_cmpint (sitrep_service_state_get_health (state), ==, SITREP_HEALTH_DOWN);

  dialog = sitrep_declare_dialog_new (fixture->window, fixture->manager, monitor, "Ada");
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();

  /* A service down: the runbook's most severe level is picked, the impact says which service,
   * and the group says where both came from. */
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "severity"), ==, "SEV-1");
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "impact"), ==, "Down: API");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (
                              ADW_PREFERENCES_GROUP (child (dialog, "severity_group"))),
                            "Health view"));
  g_assert_true (sitrep_declare_dialog_get_service_active (dialog, "api"));
  g_assert_true (g_str_has_prefix (sitrep_declare_dialog_get_service_note (dialog, "api"),
                                   "Down now"));
  g_assert_false (sitrep_declare_dialog_get_service_active (dialog, "web"));
  g_assert_null (sitrep_declare_dialog_get_service_note (dialog, "web"));

  sitrep_declare_dialog_set_text (dialog, "summary", "API is down");
  linger ();

  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  ui_fixture_settle ();
  incident = sitrep_incident_manager_get_current (fixture->manager);
  g_assert_cmpstr (sitrep_incident_get_services (incident)[0], ==, "api");
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-1");
  g_assert_cmpstr (sitrep_incident_get_impact (incident), ==, "Down: API");
  linger ();
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();
}

/* Declaring while another process holds the database's write lock for 3 s: the main loop keeps
 * turning, Declare cannot be pressed twice meanwhile, and the incident is declared once the lock
 * goes. Before, the press waited on the lock and was then refused as busy. */
static void
test_locked (UiFixture     *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "declare-locked.db", NULL);
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepIncident) stored = NULL;
  g_autoptr(LockHolder) lock = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  SitrepDeclareDialog *dialog;
  gint64 declared_id = -1;
  gint64 give_up;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  manager = sitrep_incident_manager_new (store, northwind, fixture->clock, &error);
  g_assert_no_error (error);
  dialog = sitrep_declare_dialog_new (fixture->window, manager, NULL, "Ada");
  g_signal_connect (dialog, "declared", G_CALLBACK (declared_cb), &declared_id);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "P2"));
  sitrep_declare_dialog_set_text (dialog, "summary", "Labels stopped printing");
  sitrep_declare_dialog_set_text (dialog, "lead", "Ada");

  lock = lock_holder_start (path, 3);
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_false (sitrep_declare_dialog_get_enabled (dialog, "declare"));
  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (declared_id < 0 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lock_holder_is_released (lock));
  g_assert_cmpuint (lock_holder_ticks_while_locked (lock), >=, 5);
  g_assert_cmpint (declared_id, >, 0);
  g_assert_null (sitrep_declare_dialog_get_text (dialog, "error"));
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "declared");
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (manager)), ==,
                   declared_id);

  /* Declared once, as another process reads it. */
  reader = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  stored = sitrep_store_load_incident (reader, declared_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_summary (stored), ==, "Labels stopped printing");
  g_assert_cmpstr (sitrep_incident_get_severity (stored), ==, "P2");
  all = sitrep_store_list_incidents (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();
}

/* Northwind with its levels listed least severe first: P3, P2, P1. */
static SitrepRunbook *
load_reversed_northwind (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(JsonNode) root = json_from_string (text, &error);
  g_autoptr(JsonArray) reversed = json_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  JsonArray *severities;
  g_autofree char *written = NULL;
  SitrepRunbook *runbook;

  g_assert_no_error (error);
  severities = json_object_get_array_member (json_node_get_object (root), "severities");
  for (guint i = json_array_get_length (severities); i > 0; i--)
    json_array_add_element (reversed, json_node_copy (json_array_get_element (severities, i - 1)));
  json_object_set_array_member (json_node_get_object (root), "severities",
                                json_array_ref (reversed));
  written = json_to_string (root, TRUE);
  bytes = g_bytes_new (written, strlen (written));
  runbook = sitrep_runbook_load_bytes (bytes, "northwind-reversed.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((SitrepSeverity *) sitrep_runbook_get_severities (runbook)->pdata[0])->id, ==,
                   "P3");
  return runbook;
}

/* The gateway's health answered @status, labels printing, in @ms. */
static void
feed_gateway (SitrepMonitor *monitor,
              SitrepRunbook *runbook,
              guint          status,
              guint          ms)
{
  const SitrepProbeSpec *probe =
    g_ptr_array_index (sitrep_runbook_find_service (runbook, "gateway")->probes, 0);
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();
  static const char body[] = "{\"labels\": \"printing\"}";

  result->started_at = T0;
  result->ran = TRUE;
  result->connected = TRUE;
  result->status = status;
  result->response_time_ms = ms;
  result->body = g_bytes_new_static (body, strlen (body));
  result->json = json_from_string (body, NULL);
  for (guint i = 0; i < MAX (probe->fail_after, 1) + MAX (probe->recover_after, 1); i++)
    sitrep_monitor_feed (monitor, "gateway", "health", result, NULL);
}

/* A runbook that lists its levels least severe first: the most severe is still picked for a
 * service down, the next one for a service degraded, by their response targets. */
static void
test_preselects_by_level (UiFixture     *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = load_reversed_northwind ();
  g_autoptr(SitrepIncidentManager) manager =
    sitrep_incident_manager_new (fixture->store, runbook, fixture->clock, &error);
  struct { guint status, ms; SitrepHealth health; const char *picked; } cases[] = {
    { 503, 12, SITREP_HEALTH_DOWN, "P1" },
    { 200, 5000, SITREP_HEALTH_DEGRADED, "P2" },
  };

  g_assert_no_error (error);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, fixture->clock);
      SitrepDeclareDialog *dialog;

      feed_gateway (monitor, runbook, cases[c].status, cases[c].ms);
      g_assert_cmpint (sitrep_service_state_get_health (
                         sitrep_monitor_find_service (monitor, "gateway")), ==, cases[c].health);
      dialog = sitrep_declare_dialog_new (fixture->window, manager, monitor, "Ada");
      gtk_window_present (GTK_WINDOW (dialog));
      ui_fixture_settle ();
      g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "severity"), ==, cases[c].picked);
      gtk_window_destroy (GTK_WINDOW (dialog));
      ui_fixture_settle ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it also hides the icon themes. */
  scratch = g_dir_make_tmp ("sitrep-declare-test-XXXXXX", NULL);
  g_assert_nonnull (scratch);
  g_setenv ("XDG_DATA_HOME", scratch, TRUE);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_setenv ("XDG_CACHE_HOME", scratch, TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("Bail out! No display: run the tests with build-aux/sitrep-dev test\n");
      return 1;
    }
  adw_init ();

  g_test_add ("/declare-dialog/flow", UiFixture, NULL, fixture_set_up, test_declare_flow,
              fixture_tear_down);
  g_test_add ("/declare-dialog/cancel", UiFixture, NULL, fixture_set_up, test_cancel,
              fixture_tear_down);
  g_test_add ("/declare-dialog/keyboard", UiFixture, NULL, fixture_set_up, test_keyboard,
              fixture_tear_down);
  g_test_add ("/declare-dialog/keyboard-asks-lead", UiFixture, NULL, fixture_set_up,
              test_keyboard_asks_lead, fixture_tear_down);
  g_test_add ("/declare-dialog/locked", UiFixture, NULL, fixture_set_up, test_locked,
              fixture_tear_down);
  g_test_add ("/declare-dialog/monitor", UiFixture, NULL, fixture_set_up, test_monitor_preselects,
              fixture_tear_down);
  g_test_add ("/declare-dialog/preselects-by-level", UiFixture, NULL, fixture_set_up,
              test_preselects_by_level, fixture_tear_down);

  return g_test_run ();
}
