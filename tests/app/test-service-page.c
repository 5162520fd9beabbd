/* test-service-page.c: a service's page under a real display: rows kept in place across
 * results, the runbook's links, and the notice of a connection that is not encrypted */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>

#include "fixture-runbook.h"
#include "sitrep-monitor.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"
#include "sitrep-service-page-private.h"
#include "ui-test-util.h"

typedef struct
{
  int status;
  const char *body;
} Answer;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Answer *answer = user_data;

  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer->body,
                                    strlen (answer->body));
}

static void
run_once_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_monitor_run_once_finish (SITREP_MONITOR (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Probes @service once, for real, and lets the page see the result. */
static void
probe_once (SitrepMonitor *monitor,
            const char    *service)
{
  gboolean done = FALSE;

  sitrep_monitor_run_once_async (monitor, service, NULL, run_once_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget    *root,
             Match         match,
             gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_with_tooltip (GtkWidget    *widget,
                        gconstpointer tooltip)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static gboolean
is_row_titled (GtkWidget    *widget,
               gconstpointer title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_row_title_prefix (GtkWidget    *widget,
                     gconstpointer prefix)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), prefix);
}

static GtkWidget *
show_page (SitrepServiceState *state,
           GtkWidget         **page)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  *page = sitrep_service_page_new ();
  gtk_window_set_child (GTK_WINDOW (window), *page);
  sitrep_service_page_set_state (SITREP_SERVICE_PAGE (*page), state);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return window;
}

/* New results update the rows the page has: the focused button, the rows and their buttons are
 * the same widgets before and after, with the new texts. */
static void
test_service_page_in_place (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Answer answer = { 200, "{\"labels\": \"printing\"}" };
  GtkWidget *window, *page, *copy, *open, *status_row, *labels_row, *health_row;

  soup_server_add_handler (server, NULL, handler, &answer, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_uri_get_port (uris->data));
  runbook = fixture_runbook_load ("HTTP_URL", url, NULL);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);

  probe_once (monitor, "gateway");
  window = show_page (sitrep_monitor_find_service (monitor, "gateway"), &page);
  before = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
  g_test_message ("%s", before);
  g_assert_nonnull (strstr (before, "[STATUS] == 200 | [STATUS] (200) == 200"));
  /* The probe's kind names it and says what it checks. */
  g_assert_nonnull (strstr (before, "# Probe health (http)\nGET http://127.0.0.1:"));
  /* What a commander reaches for (restart, undo, scale) comes first, above the checks; the
   * read-only diagnostics below them. */
  {
    const char *mitigations = strstr (before, "# Mitigations\n");
    const char *checks = strstr (before, "# Probe health");
    const char *diagnostics = strstr (before, "# Diagnostics\n");

    g_assert_nonnull (mitigations);
    g_assert_nonnull (diagnostics);
    g_assert_true (mitigations < checks && checks < diagnostics);
    g_assert_true (strstr (mitigations, "Restart |") < checks);
    g_assert_true (strstr (mitigations, "Scale |") < checks);
    g_assert_nonnull (strstr (diagnostics, "Describe |"));
    g_assert_null (strstr (diagnostics, "Restart |"));
  }

  copy = find_widget (page, is_button_with_tooltip, "Copy the command");
  open = find_widget (page, is_button_with_tooltip, "Open “Grafana” in the browser");
  status_row = find_widget (page, is_row_titled, "[STATUS] == 200");
  labels_row = find_widget (page, is_row_titled, "[BODY].labels == \"printing\"");
  health_row = find_widget (page, is_row_title_prefix, "Up");
  g_assert_nonnull (copy);
  g_assert_nonnull (open);
  g_assert_nonnull (status_row);
  g_assert_nonnull (labels_row);
  g_assert_nonnull (health_row);
  g_object_add_weak_pointer (G_OBJECT (copy), (gpointer *) &copy);
  g_object_add_weak_pointer (G_OBJECT (open), (gpointer *) &open);
  g_object_add_weak_pointer (G_OBJECT (status_row), (gpointer *) &status_row);
  g_object_add_weak_pointer (G_OBJECT (health_row), (gpointer *) &health_row);
  g_assert_true (gtk_widget_grab_focus (copy));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == copy);

  /* The gateway fails three times, which makes it down: every row says so, and nothing was
   * rebuilt under the pointer. */
  answer = (Answer) { 503, "{\"labels\": \"jammed\"}" };
  for (guint i = 0; i < 3; i++)
    probe_once (monitor, "gateway");
  after = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
  g_test_message ("%s", after);

  g_assert_nonnull (copy);
  g_assert_nonnull (open);
  g_assert_nonnull (status_row);
  g_assert_nonnull (health_row);
  g_assert_true (find_widget (page, is_button_with_tooltip, "Copy the command") == copy);
  g_assert_true (find_widget (page, is_button_with_tooltip, "Open “Grafana” in the browser") == open);
  g_assert_true (find_widget (page, is_row_titled, "[STATUS] == 200") == status_row);
  g_assert_true (find_widget (page, is_row_titled, "[BODY].labels == \"printing\"") == labels_row);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == copy);
  g_assert_true (gtk_widget_has_focus (copy) || !gtk_window_is_active (GTK_WINDOW (window)));

  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status_row)), ==,
                   "[STATUS] (503) == 200\nstatus 503, expected 200");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (labels_row)),
                            "`.labels` is \"jammed\""));
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (health_row)),
                                   "Down"));
  g_assert_nonnull (strstr (after, "# Links\nGrafana | https://grafana.northwind.test/\n"));

  g_object_remove_weak_pointer (G_OBJECT (copy), (gpointer *) &copy);
  g_object_remove_weak_pointer (G_OBJECT (open), (gpointer *) &open);
  g_object_remove_weak_pointer (G_OBJECT (status_row), (gpointer *) &status_row);
  g_object_remove_weak_pointer (G_OBJECT (health_row), (gpointer *) &health_row);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char links_runbook[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Harbor Pilots\",\n"
  "  \"severities\": [ { \"id\": \"red\", \"label\": \"Red\", \"response_target\": \"5m\" } ],\n"
  "  \"environment\": { \"context\": \"harbor\", \"namespace\": \"pilots\", \"links\": [\n"
  "    { \"id\": \"tides\", \"label\": \"Tide dashboard\", \"url\": \"https://tides.harbor.test/d/1\",\n"
  "      \"note\": \"Water levels per berth\" },\n"
  "    { \"id\": \"logs\", \"label\": \"Pilot logs\", \"note\": \"The runbook says: [Your logging URL]\" },\n"
  "    { \"id\": \"unused\", \"label\": \"Not this service's\", \"url\": \"https://elsewhere.test/\" }\n"
  "  ] },\n"
  "  \"services\": [\n"
  "    { \"id\": \"berths\", \"name\": \"Berth board\", \"links\": [\"tides\", \"logs\"] }\n"
  "  ]\n"
  "}\n";

/* The service's links, with label, note and an Open button for web addresses only; a link
 * without an address says it is not set yet. */
static void
test_service_page_links (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (links_runbook, strlen (links_runbook));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "harbor.json", NULL, &error);
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window, *page, *open;

  g_assert_no_error (error);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  window = show_page (sitrep_monitor_find_service (monitor, "berths"), &page);
  text = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
  g_test_message ("%s", text);

  g_assert_nonnull (strstr (text,
                            "# Links\n"
                            "Tide dashboard | https://tides.harbor.test/d/1\nWater levels per berth\n"
                            "Pilot logs | Not set yet: the runbook has no address for this link\n"
                            "The runbook says: [Your logging URL]\n"));
  g_assert_null (strstr (text, "Not this service's"));

  open = find_widget (page, is_button_with_tooltip, "Open “Tide dashboard” in the browser");
  g_assert_nonnull (open);
  g_assert_true (gtk_widget_get_visible (open));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (open)), ==, "Open");
  g_assert_null (find_widget (page, is_button_with_tooltip, "Open “Pilot logs” in the browser"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The test PostgreSQL has no TLS: Northwind's ledger page says the check was not encrypted. */
static void
test_service_page_unencrypted (void)
{
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autofree char *before = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window, *page;

  if (conninfo == NULL || g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("PostgreSQL or the keyring is missing: run the tests with "
                          "build-aux/sitrep-dev test, which starts them");
      return;
    }
  sitrep_secrets_store_sync ("northwind-ledger-url", conninfo, NULL, &error);
  g_assert_no_error (error);
  runbook = fixture_runbook_load (NULL, NULL);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  window = show_page (sitrep_monitor_find_service (monitor, "ledger"), &page);
  before = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
  g_assert_null (strstr (before, "Not encrypted"));

  probe_once (monitor, "ledger");
  text = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (page));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "# Ledger\nUp for"));
  g_assert_nonnull (strstr (text, "\nNot encrypted | The check crossed the network in clear text"));
  g_assert_nonnull (strstr (text, "sslmode=require"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  scratch = ui_test_init (&argc, &argv, "sitrep-service-page-test");
  if (scratch == NULL)
    return 1;

  g_test_add_func ("/service-page/in-place", test_service_page_in_place);
  g_test_add_func ("/service-page/links", test_service_page_links);
  g_test_add_func ("/service-page/unencrypted", test_service_page_unencrypted);

  return g_test_run ();
}
