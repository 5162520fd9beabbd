/* test-health-view.c: the Health view under a real display: tiles appear, change, open a page */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>

#include "fixture-runbook.h"
#include "sitrep-health-tile-private.h"
#include "sitrep-health-view-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-service-page-private.h"
#include "ui-test-util.h"

static const char runbook_template[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Test\",\n"
  "  \"severities\": [ { \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" } ],\n"
  "  \"environment\": { \"context\": \"prod\", \"namespace\": \"shop\" },\n"
  "  \"services\": [\n"
  "    { \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/shop-api\", \"probes\": [\n"
  "      { \"id\": \"health\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/health\",\n"
  "        \"interval\": \"1s\", \"fail_after\": 1, \"recover_after\": 1,\n"
  "        \"conditions\": [ { \"check\": \"[STATUS] == 200\" },\n"
  "                          { \"check\": \"[BODY].checks.database == \\\"up\\\"\" } ] } ],\n"
  "      \"actions\": [\"restart\"] },\n"
  "    { \"id\": \"web\", \"name\": \"Web\", \"probes\": [\n"
  "      { \"id\": \"home\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/web\", \"interval\": \"1s\" } ] }\n"
  "  ],\n"
  "  \"actions\": [ { \"id\": \"restart\", \"label\": \"Restart\",\n"
  "    \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"], \"mutates\": true } ]\n"
  "}\n";

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

  if (g_str_equal (path, "/web"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html/>", 7);
      return;
    }
  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer->body,
                                    strlen (answer->body));
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Turns the main loop until @predicate holds, or fails after 10 s. */
static void
wait_for (gboolean   (*predicate) (gpointer),
          gpointer     data,
          const char  *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

static SitrepHealthTile *
find_tile (SitrepHealthView *view,
           const char       *service_id)
{
  GPtrArray *tiles = sitrep_health_view_get_tiles (view);

  for (guint i = 0; i < tiles->len; i++)
    {
      SitrepServiceState *state = sitrep_health_tile_get_state (tiles->pdata[i]);

      if (state != NULL && g_str_equal (sitrep_service_state_get_id (state), service_id))
        return tiles->pdata[i];
    }
  return NULL;
}

typedef struct
{
  SitrepHealthView *view;
  const char *service;
  const char *word;
} TileWait;

static gboolean
tile_says (gpointer data)
{
  TileWait *wait = data;
  SitrepHealthTile *tile = find_tile (wait->view, wait->service);
  g_autofree char *text = tile ? sitrep_health_tile_get_text (tile) : NULL;
  g_auto(GStrv) lines = text ? g_strsplit (text, "\n", -1) : NULL;

  return lines != NULL && g_strcmp0 (lines[1], wait->word) == 0;
}

/* The shortcut of @widget's class or controllers for the key, or NULL. */
static GtkShortcut *
find_shortcut (GtkWidget       *widget,
               guint            keyval,
               GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) trigger = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger))
            return shortcut;
        }
    }
  return NULL;
}

/* The menu's button that says @text, as a person sees it. */
static GtkWidget *
find_menu_button (GtkWidget  *widget,
                  const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "GtkModelButton"))
        {
          g_autofree char *label = NULL;

          g_object_get (child, "text", &label, NULL);
          if (g_strcmp0 (label, text) == 0)
            return child;
        }
      if ((found = find_menu_button (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static void
run_action_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_variant_print (parameter, FALSE);
}

static void
test_health_view_live (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  GtkWidget *window;
  SitrepHealthView *view;
  Answer answer = { 200, "{\"checks\": {\"database\": \"up\"}}" };
  TileWait wait;
  g_autofree char *text = NULL;
  g_autofree char *page = NULL;
  guint port;

  soup_server_add_handler (server, NULL, handler, &answer, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);

  json = g_strdup_printf (runbook_template, port, port);
  bytes = g_bytes_new (json, strlen (json));
  runbook = sitrep_runbook_load_bytes (bytes, "test.json", NULL, &error);
  g_assert_no_error (error);

  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  view = g_object_new (SITREP_TYPE_HEALTH_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  sitrep_health_view_set_monitor (view, monitor);
  gtk_window_present (GTK_WINDOW (window));

  /* Before any result: unknown, and the summary says so. */
  g_assert_cmpstr (sitrep_health_view_get_summary (view), ==, "2 unknown");

  sitrep_monitor_start (monitor);
  wait = (TileWait) { view, "api", "Up" };
  wait_for (tile_says, &wait, "the API tile to say Up");
  wait = (TileWait) { view, "web", "Up" };
  wait_for (tile_says, &wait, "the Web tile to say Up");
  g_assert_cmpstr (sitrep_health_view_get_summary (view), ==, "All 2 services up");
  text = sitrep_health_tile_get_text (find_tile (view, "api"));
  g_assert_nonnull (strstr (text, " ms"));
  g_assert_nonnull (strstr (text, "Up for"));
  g_clear_pointer (&text, g_free);

  /* The database check fails: down, with the failing condition in words. */
  answer.body = "{\"checks\": {\"database\": \"down\"}}";
  wait = (TileWait) { view, "api", "Down" };
  wait_for (tile_says, &wait, "the API tile to say Down");
  text = sitrep_health_tile_get_text (find_tile (view, "api"));
  g_assert_nonnull (strstr (text, "Down for"));
  g_assert_nonnull (strstr (text, "`.checks.database` is \"down\""));
  g_assert_cmpstr (sitrep_health_view_get_summary (view), ==, "1 down · 1 up");

  /* The pages not shown are not visible, so GTK does not style them (nor the leaflet measure
   * a service's) at each frame: the welcome page, not offered here, and a service's page,
   * until one is opened. */
  g_assert_false (sitrep_health_view_get_page_visible (view, "welcome"));
  g_assert_false (sitrep_health_view_get_page_visible (view, "service"));

  /* The tile opens the service page: every condition with its value and verdict. */
  sitrep_health_view_open_service (view, "api");
  g_assert_cmpstr (sitrep_health_view_get_page (view), ==, "service");
  g_assert_true (sitrep_health_view_get_page_visible (view, "service"));
  page = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (sitrep_health_view_get_service_page (view)));
  g_assert_nonnull (strstr (page, "# Probe health (http)"));
  g_assert_nonnull (strstr (page, "[STATUS] == 200 | [STATUS] (200) == 200"));
  g_assert_nonnull (strstr (page, "[BODY].checks.database == \"up\" | [BODY].checks.database (\"down\") == \"up\""));
  g_assert_nonnull (strstr (page, "Restart | kubectl --context prod --namespace shop rollout restart deployment/shop-api"));

  gtk_widget_activate_action (GTK_WIDGET (view), "health.back", NULL);
  g_assert_cmpstr (sitrep_health_view_get_page (view), ==, "grid");

  /* The tile's menu from the keyboard (Shift+F10, and the Menu key): the service's mitigations,
   * each opening the same confirmation as its page (win.run-action), and its details. */
  {
    g_autoptr(GSimpleActionGroup) win = g_simple_action_group_new ();
    g_autoptr(GSimpleAction) run = g_simple_action_new ("run-action", G_VARIANT_TYPE ("(ss)"));
    g_autofree char *ran = NULL;
    GtkShortcut *shortcut;
    GtkPopover *menu;

    g_signal_connect (run, "activate", G_CALLBACK (run_action_cb), &ran);
    g_action_map_add_action (G_ACTION_MAP (win), G_ACTION (run));
    gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (win));

    g_assert_null (sitrep_health_view_get_tile_menu (view));
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (find_tile (view, "api"))));
    g_assert_nonnull (find_shortcut (GTK_WIDGET (view), GDK_KEY_Menu, 0));
    shortcut = find_shortcut (GTK_WIDGET (view), GDK_KEY_F10, GDK_SHIFT_MASK);
    g_assert_nonnull (shortcut);
    g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, GTK_WIDGET (view),
                                                 NULL));
    menu = sitrep_health_view_get_tile_menu (view);
    g_assert_nonnull (menu);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
    g_assert_nonnull (find_menu_button (GTK_WIDGET (menu), "Show Details"));
    g_signal_emit_by_name (find_menu_button (GTK_WIDGET (menu), "Restart…"), "clicked");
    for (int i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (ran, ==, "('api', 'restart')");
    /* The menu closed, and the keyboard is on the tile again. */
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (menu)));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window))
                   == gtk_widget_get_parent (GTK_WIDGET (find_tile (view, "api"))));

    /* The Web service has no command that changes it: its menu only shows its details. */
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (find_tile (view, "web"))));
    gtk_widget_activate_action (GTK_WIDGET (view), "health.tile-menu", NULL);
    menu = sitrep_health_view_get_tile_menu (view);
    g_assert_null (find_menu_button (GTK_WIDGET (menu), "Restart…"));
    g_signal_emit_by_name (find_menu_button (GTK_WIDGET (menu), "Show Details"), "clicked");
    for (int i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (sitrep_health_view_get_page (view), ==, "service");
    gtk_widget_activate_action (GTK_WIDGET (view), "health.back", NULL);
  }

  /* Pause stops the probes; the summary says so. */
  sitrep_monitor_set_paused (monitor, TRUE);
  g_assert_true (g_str_has_prefix (sitrep_health_view_get_summary (view), "Paused"));

  sitrep_monitor_stop (monitor);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
welcome_shown (gpointer data)
{
  return sitrep_health_view_get_welcome_shown (data);
}

static gboolean
welcome_hidden (gpointer data)
{
  return !sitrep_health_view_get_welcome_shown (data);
}

/* The first-run page offers a drill while nothing answers; once a service answered, the tiles
 * stay, whatever goes down later: an outage must never be hidden behind a welcome. */
static void
test_health_view_welcome (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(SitrepMonitor) second = NULL;
  GtkWidget *window;
  SitrepHealthView *view;
  Answer answer = { 503, "{}" };
  TileWait wait;
  guint port;

  soup_server_add_handler (server, NULL, handler, &answer, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  /* Both services on the answering server's /health: the web one too. */
  json = g_strdup_printf (runbook_template, port, port);
  {
    g_autofree char *web = g_strdup_printf ("http://127.0.0.1:%u/web", port);
    g_autofree char *health = g_strdup_printf ("http://127.0.0.1:%u/health", port);
    g_auto(GStrv) parts = g_strsplit (json, web, -1);

    g_free (json);
    json = g_strjoinv (health, parts);
  }
  bytes = g_bytes_new (json, strlen (json));
  runbook = sitrep_runbook_load_bytes (bytes, "test.json", NULL, &error);
  g_assert_no_error (error);

  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  window = gtk_window_new ();
  view = g_object_new (SITREP_TYPE_HEALTH_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  sitrep_health_view_set_monitor (view, monitor);
  gtk_window_present (GTK_WINDOW (window));

  /* Not offered (a runbook of the team's own, or incidents already): the tiles. */
  g_assert_false (sitrep_health_view_get_welcome_shown (view));
  g_assert_false (sitrep_health_view_get_page_visible (view, "welcome"));
  g_object_set (view, "offer-drill", TRUE, NULL);
  g_assert_true (sitrep_health_view_get_welcome_shown (view));
  g_assert_true (sitrep_health_view_get_page_visible (view, "welcome"));

  sitrep_monitor_start (monitor);
  wait = (TileWait) { view, "api", "Down" };
  wait_for (tile_says, &wait, "the API tile to say Down");
  g_assert_true (sitrep_health_view_get_welcome_shown (view));

  /* A service answers: the tiles. */
  answer = (Answer) { 200, "{\"checks\": {\"database\": \"up\"}}" };
  wait_for (welcome_hidden, view, "the tiles to replace the first-run page");
  /* Hidden, it is not visible: GTK would style it behind the tiles. */
  g_assert_false (sitrep_health_view_get_page_visible (view, "welcome"));
  wait = (TileWait) { view, "api", "Up" };
  wait_for (tile_says, &wait, "the API tile to say Up");

  /* Then everything goes down: the tiles stay. */
  answer = (Answer) { 503, "{}" };
  wait = (TileWait) { view, "api", "Down" };
  wait_for (tile_says, &wait, "the API tile to say Down again");
  wait = (TileWait) { view, "web", "Down" };
  wait_for (tile_says, &wait, "the Web tile to say Down");
  g_assert_false (sitrep_health_view_get_welcome_shown (view));
  sitrep_monitor_stop (monitor);

  /* Another runbook's monitor that nothing answers: offered again, until no longer offered. */
  second = sitrep_monitor_new (runbook, NULL, NULL);
  sitrep_health_view_set_monitor (view, second);
  wait_for (welcome_shown, view, "the first-run page for the new monitor");
  g_object_set (view, "offer-drill", FALSE, NULL);
  g_assert_false (sitrep_health_view_get_welcome_shown (view));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An SMTP relay that refuses: "554" where the probe expects "220". */
static gboolean
refusing_relay_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  const char banner[] = "554 relay closed\r\n";

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), banner,
                             strlen (banner), NULL, NULL, NULL);
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

static void
run_once_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_assert_true (sitrep_monitor_run_once_finish (SITREP_MONITOR (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* Northwind's mail relay connects but does not answer as expected: its conditions
 * ([CONNECTED] == true) hold for what the probe got, and the tile says Down all the same, with
 * the probe's error as the reason. */
static void
test_health_view_failed_check (void)
{
  g_autoptr(GSocketService) relay = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autofree char *port = NULL;
  g_autofree char *text = NULL;
  g_autofree char *page = NULL;
  SitrepHealthView *view;
  GtkWidget *window;
  gboolean done = FALSE;
  guint16 relay_port;

  relay_port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (relay), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (relay, "incoming", G_CALLBACK (refusing_relay_cb), held);
  port = g_strdup_printf ("%u", relay_port);
  runbook = fixture_runbook_load ("TCP_PORT", port, NULL);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  view = g_object_new (SITREP_TYPE_HEALTH_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  sitrep_health_view_set_monitor (view, monitor);
  gtk_window_present (GTK_WINDOW (window));

  sitrep_monitor_run_once_async (monitor, "relay", NULL, run_once_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  text = sitrep_health_tile_get_text (find_tile (view, "relay"));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Mail Relay\nDown\n"));
  g_assert_nonnull (strstr (text, "the answer does not contain \"220\" (it was \"554 relay closed"));

  sitrep_health_view_open_service (view, "relay");
  page = sitrep_service_page_get_text (SITREP_SERVICE_PAGE (sitrep_health_view_get_service_page (view)));
  g_test_message ("%s", page);
  g_assert_nonnull (strstr (page, "[CONNECTED] == true | [CONNECTED] (true) == true\n"));
  g_assert_nonnull (strstr (page, "# Mail Relay\nDown for"));

  g_socket_service_stop (relay);
  gtk_window_destroy (GTK_WINDOW (window));
}

static SitrepProbeResult *
result_of (int         status,
           const char *body,
           double      latency_ms)
{
  SitrepProbeResult *result = sitrep_probe_result_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

  result->status = status;
  result->response_time_ms = latency_ms;
  result->ran = TRUE;
  result->connected = TRUE;
  sitrep_probe_result_set_body (result, bytes, FALSE);
  return result;
}

/* A tile of the test runbook's "api" service, in a window on screen. */
typedef struct
{
  SitrepRunbook *runbook;
  SitrepServiceState *state;
  GtkWidget *window;
  SitrepHealthTile *tile;
} TileOnScreen;

static SitrepServiceState *
tile_on_screen (TileOnScreen *t)
{
  g_autofree char *json = g_strdup_printf (runbook_template, 1u, 1u);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;

  t->runbook = sitrep_runbook_load_bytes (bytes, "test.json", NULL, &error);
  g_assert_no_error (error);
  t->state = sitrep_service_state_new (t->runbook,
                                       sitrep_runbook_find_service (t->runbook, "api"));
  t->window = gtk_window_new ();
  t->tile = SITREP_HEALTH_TILE (sitrep_health_tile_new ());
  gtk_window_set_child (GTK_WINDOW (t->window), GTK_WIDGET (t->tile));
  sitrep_health_tile_set_state (t->tile, t->state);
  gtk_window_present (GTK_WINDOW (t->window));
  return t->state;
}

static void
tile_on_screen_clear (TileOnScreen *t)
{
  g_clear_pointer ((GtkWindow **) &t->window, gtk_window_destroy);
  g_clear_object (&t->state);
  g_clear_object (&t->runbook);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TileOnScreen, tile_on_screen_clear)

/* A tile's badges stand after the name in one order, whichever came first: here Stale, made
 * before Flapping. */
static void
test_tile_badges (void)
{
  g_auto(TileOnScreen) t = { 0 };
  SitrepServiceState *state = tile_on_screen (&t);
  SitrepHealthTile *tile = t.tile;
  const char *bodies[] = { "{\"checks\": {\"database\": \"up\"}}",
                           "{\"checks\": {\"database\": \"down\"}}" };
  gint64 now = g_get_real_time ();
  g_autofree char *text = NULL;
  guint i;

  {
    g_autoptr(SitrepProbeResult) result = result_of (200, bodies[0], 10);

    sitrep_service_state_apply_result (state, "health", result, now);
  }
  g_assert_true (sitrep_service_state_update_stale (state, now + 60 * G_USEC_PER_SEC));
  sitrep_health_tile_refresh (tile, now + 60 * G_USEC_PER_SEC);
  text = sitrep_health_tile_get_text (tile);
  g_assert_true (g_str_has_suffix (text, "\n[stale]"));
  g_clear_pointer (&text, g_free);

  /* Up and down every second: flapping; then silent again: stale as well. */
  for (i = 1; i <= 12 && !sitrep_service_state_get_flapping (state); i++)
    {
      g_autoptr(SitrepProbeResult) result = result_of (200, bodies[i % 2], 10);

      sitrep_service_state_apply_result (state, "health", result,
                                         now + (60 + i) * G_USEC_PER_SEC);
    }
  g_assert_true (sitrep_service_state_get_flapping (state));
  g_assert_true (sitrep_service_state_update_stale (state, now + 200 * G_USEC_PER_SEC));
  sitrep_health_tile_refresh (tile, now + 200 * G_USEC_PER_SEC);
  text = sitrep_health_tile_get_text (tile);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text, "\n[flapping]\n[stale]"));
}

/* Issue 13: with a result a second from hundreds of services, a tile does not redraw for each.
 * A change of health shows at once; a result that only brings a new latency and a point of
 * history waits for the view's refresh every few seconds, which moves every tile on in one
 * frame. */
static void
test_tile_coalesced (void)
{
  g_auto(TileOnScreen) t = { 0 };
  SitrepServiceState *state = tile_on_screen (&t);
  SitrepHealthTile *tile = t.tile;
  const char *up = "{\"checks\": {\"database\": \"up\"}}";
  gint64 now = g_get_real_time ();
  g_autofree char *text = NULL;

  /* Up, 12 ms: a change of health, shown at once. */
  {
    g_autoptr(SitrepProbeResult) result = result_of (200, up, 12);

    sitrep_service_state_apply_result (state, "health", result, now);
  }
  text = sitrep_health_tile_get_text (tile);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Up"));
  g_assert_nonnull (strstr (text, "12 ms"));
  g_clear_pointer (&text, g_free);

  /* Up again, 480 ms: the tile waits. */
  {
    g_autoptr(SitrepProbeResult) result = result_of (200, up, 480);

    sitrep_service_state_apply_result (state, "health", result, now + G_USEC_PER_SEC);
  }
  text = sitrep_health_tile_get_text (tile);
  g_assert_nonnull (strstr (text, "12 ms"));
  g_assert_null (strstr (text, "480 ms"));
  g_clear_pointer (&text, g_free);
  /* The view's refresh moves it on. */
  sitrep_health_tile_refresh (tile, now + 2 * G_USEC_PER_SEC);
  text = sitrep_health_tile_get_text (tile);
  g_assert_nonnull (strstr (text, "480 ms"));
  g_clear_pointer (&text, g_free);

  /* The database check fails: down at once, with why, and the latency of that result. */
  {
    g_autoptr(SitrepProbeResult) result = result_of (200, "{\"checks\": {\"database\": "
                                                     "\"down\"}}", 35);

    sitrep_service_state_apply_result (state, "health", result, now + 3 * G_USEC_PER_SEC);
  }
  text = sitrep_health_tile_get_text (tile);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Down"));
  g_assert_nonnull (strstr (text, "35 ms"));
  g_assert_nonnull (strstr (text, "`.checks.database` is \"down\""));
  g_assert_null (strstr (text, "[stale]"));
  g_clear_pointer (&text, g_free);

  /* No result for longer than twice the interval: the Stale badge, after the flapping one, with
   * the view's refresh; a fresh result takes it away at once. */
  g_assert_true (sitrep_service_state_update_stale (state, now + 60 * G_USEC_PER_SEC));
  sitrep_health_tile_refresh (tile, now + 60 * G_USEC_PER_SEC);
  text = sitrep_health_tile_get_text (tile);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text, "\n[flapping]\n[stale]"));
  g_clear_pointer (&text, g_free);
  {
    g_autoptr(SitrepProbeResult) result = result_of (200, up, 20);

    sitrep_service_state_apply_result (state, "health", result, now + 61 * G_USEC_PER_SEC);
  }
  text = sitrep_health_tile_get_text (tile);
  g_assert_null (strstr (text, "[stale]"));
}

/* The border nodes in @node's tree whose left side is @left_width wide. */
static void
collect_borders (GskRenderNode *node,
                 float          left_width,
                 GPtrArray     *borders)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_borders (gsk_container_node_get_child (node, i), left_width, borders);
      break;
    case GSK_BORDER_NODE:
      if (G_APPROX_VALUE (gsk_border_node_get_widths (node)[3], left_width, 0.01f))
        g_ptr_array_add (borders, node);
      break;
    case GSK_TRANSFORM_NODE:
      collect_borders (gsk_transform_node_get_child (node), left_width, borders);
      break;
    case GSK_CLIP_NODE:
      collect_borders (gsk_clip_node_get_child (node), left_width, borders);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      collect_borders (gsk_rounded_clip_node_get_child (node), left_width, borders);
      break;
    case GSK_OPACITY_NODE:
      collect_borders (gsk_opacity_node_get_child (node), left_width, borders);
      break;
    case GSK_SHADOW_NODE:
      collect_borders (gsk_shadow_node_get_child (node), left_width, borders);
      break;
    case GSK_COLOR_MATRIX_NODE:
      collect_borders (gsk_color_matrix_node_get_child (node), left_width, borders);
      break;
    case GSK_DEBUG_NODE:
      collect_borders (gsk_debug_node_get_child (node), left_width, borders);
      break;
    default:
      break;
    }
}

static gboolean
frames_drawn (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames (gpointer data)
{
  return *(guint *) data >= 2;
}

/* The colours of the tile's state stripe (its card's left border, 6 px), as drawn now. */
static void
stripe_colours (SitrepHealthTile *tile,
                GdkRGBA           colours[4])
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (tile), frames_drawn, &frames, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (tile));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GPtrArray) borders = g_ptr_array_new ();

  wait_for (two_frames, &frames, "the tile drawn twice");
  gtk_widget_remove_tick_callback (GTK_WIDGET (tile), id);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (GTK_WIDGET (tile)),
                          gtk_widget_get_height (GTK_WIDGET (tile)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  collect_borders (node, 6, borders);
  g_assert_cmpuint (borders->len, ==, 1);
  memcpy (colours, gsk_border_node_get_colors (g_ptr_array_index (borders, 0)),
          4 * sizeof (GdkRGBA));
}

/* Issue 13: a tile's state stripe is a border of one colour on every side (the others are
 * 0 px wide), so that the cairo renderer draws it in one fill. A border whose sides differ in
 * colour is drawn side by side, each through a clip, and was two thirds of the instructions of
 * the first frame's drawing with the CareCircle runbook. The stripe still follows the state. */
static void
test_tile_stripe (void)
{
  g_auto(TileOnScreen) t = { 0 };
  SitrepServiceState *state = tile_on_screen (&t);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  const char *bodies[] = { "{\"checks\": {\"database\": \"up\"}}",
                           "{\"checks\": {\"database\": \"down\"}}" };
  GdkRGBA unknown[4], up[4], down[4];
  gint64 now = g_get_real_time ();

  gtk_css_provider_load_from_resource (css, "/org/carecircle/Sitrep/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  stripe_colours (t.tile, unknown);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SitrepProbeResult) result = result_of (200, bodies[i], 10);

      sitrep_service_state_apply_result (state, "health", result, now + i * G_USEC_PER_SEC);
      stripe_colours (t.tile, i == 0 ? up : down);
    }
  for (guint side = 1; side < 4; side++)
    {
      g_assert_true (gdk_rgba_equal (&unknown[side], &unknown[0]));
      g_assert_true (gdk_rgba_equal (&up[side], &up[0]));
      g_assert_true (gdk_rgba_equal (&down[side], &down[0]));
    }
  g_assert_false (gdk_rgba_equal (&up[3], &down[3]));
  g_assert_false (gdk_rgba_equal (&up[3], &unknown[3]));
  g_assert_false (gdk_rgba_equal (&down[3], &unknown[3]));

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
}

/* A runbook of @n services, each with an http probe on a port nothing listens on. */
static SitrepRunbook *
many_services (guint n)
{
  GString *json = g_string_new ("{\"sitrep_runbook\": 1, \"name\": \"Many\", \"severities\": "
                                "[{\"id\": \"P1\", \"label\": \"Page\", \"response_target\": "
                                "\"5m\"}], \"environment\": {\"context\": \"staging\", "
                                "\"namespace\": \"queues\"}, \"services\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\": \"queue-%u\", \"name\": \"Queue %u\", \"probes\": "
                            "[{\"id\": \"ping\", \"type\": \"http\", \"url\": "
                            "\"http://127.0.0.1:1/q%u\", \"interval\": \"30s\"}]}",
                            i ? ", " : "", i, i, i);
  g_string_append (json, "]}");
  bytes = g_string_free_to_bytes (json);
  runbook = sitrep_runbook_load_bytes (bytes, "many.json", NULL, &error);
  g_assert_no_error (error);
  return runbook;
}

/* How many columns the tiles on screen stand in. */
static guint
n_columns (SitrepHealthView *view)
{
  GPtrArray *tiles = sitrep_health_view_get_tiles (view);
  g_autoptr(GHashTable) xs = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < tiles->len; i++)
    {
      graphene_point_t at;

      if (!gtk_widget_get_mapped (tiles->pdata[i]))
        continue;
      g_assert_true (gtk_widget_compute_point (tiles->pdata[i], GTK_WIDGET (view),
                                               &GRAPHENE_POINT_INIT (0, 0), &at));
      g_hash_table_add (xs, GINT_TO_POINTER ((int) at.x));
    }
  return g_hash_table_size (xs);
}

typedef struct
{
  SitrepHealthView *view;
  guint columns;
} ColumnsWait;

static gboolean
shows_columns (gpointer data)
{
  ColumnsWait *wait = data;

  return gtk_widget_get_mapped (GTK_WIDGET (wait->view))
         && sitrep_health_view_get_tiles (wait->view)->len > 0
         && n_columns (wait->view) == wait->columns;
}

/* Tiles for the columns the window holds, not for the 8 the grid may show: GTK makes
 * max-columns × 30 of them up front (issue 13). A wider window gets more columns. */
static void
test_health_view_columns_fit (void)
{
  g_autoptr(SitrepRunbook) runbook = many_services (400);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, NULL);
  GtkWidget *window = gtk_window_new ();
  SitrepHealthView *view = g_object_new (SITREP_TYPE_HEALTH_VIEW, NULL);
  ColumnsWait wait = { view, 3 };

  /* 1,000 pixels: 3 tiles of at least 260 pixels and their padding in a row. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  sitrep_health_view_set_monitor (view, monitor);
  wait_for (shows_columns, &wait, "three columns of tiles");
  g_test_message ("%u tiles made for 3 columns", sitrep_health_view_get_tiles (view)->len);
  g_assert_cmpuint (sitrep_health_view_get_tiles (view)->len, <=, 3 * 33);

  /* Wider: four columns, and the tiles for them. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1270, 700);
  wait.columns = 4;
  wait_for (shows_columns, &wait, "four columns of tiles once the window is wider");
  g_assert_cmpuint (sitrep_health_view_get_tiles (view)->len, >, 3 * 33);
  g_assert_cmpuint (sitrep_health_view_get_tiles (view)->len, <=, 4 * 33);

  /* Narrower again: two. */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 700);
  wait.columns = 2;
  wait_for (shows_columns, &wait, "two columns of tiles once the window is narrower");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  scratch = ui_test_init (&argc, &argv, "sitrep-health-test");
  if (scratch == NULL)
    return 1;

  g_test_add_func ("/health-view/live", test_health_view_live);
  g_test_add_func ("/health-view/tile-coalesced", test_tile_coalesced);
  g_test_add_func ("/health-view/tile-badges", test_tile_badges);
  g_test_add_func ("/health-view/tile-stripe", test_tile_stripe);
  g_test_add_func ("/health-view/failed-check", test_health_view_failed_check);
  g_test_add_func ("/health-view/welcome", test_health_view_welcome);
  g_test_add_func ("/health-view/columns-fit", test_health_view_columns_fit);

  return g_test_run ();
}
