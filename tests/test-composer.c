/* test-composer.c: the message composer under a real display: fill, copy, post to a local hook */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sitrep-incident-manager.h"
#include "sitrep-message-composer.h"
#include "sitrep-postmortem-editor.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-timeline.h"

#define MINUTE G_GINT64_CONSTANT (60000000)

typedef struct
{
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  GtkWindow *window;
  gint64 t0;
  gint64 incident;

  SoupServer *server;
  guint status;
  guint n_requests;
  char *body;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 11, 28, 3, 20, 0);

  f->t0 = g_date_time_to_unix (t0) * G_USEC_PER_SEC;
  f->store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  f->clock = sitrep_clock_new_manual (f->t0);
  f->manager = sitrep_incident_manager_new (f->store, f->runbook, f->clock, &error);
  g_assert_no_error (error);
  f->incident = sitrep_incident_manager_declare (f->manager, "SEV-2", "Login fails",
                                                 "Patients cannot log in", "alice", NULL,
                                                 (const char *[]) { "api", NULL }, &error);
  g_assert_no_error (error);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 640, 480);
  f->status = SOUP_STATUS_OK;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->server != NULL)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->manager);
  g_clear_object (&f->clock);
  g_clear_object (&f->runbook);
  g_clear_object (&f->store);
  g_free (f->body);
}

static SitrepMessageComposer *
show_composer (Fixture       *f,
               SitrepWebhook *webhook)
{
  GtkWidget *composer = sitrep_message_composer_new (f->store, f->runbook, f->manager, webhook);

  sitrep_message_composer_set_utc (SITREP_MESSAGE_COMPOSER (composer), TRUE);
  sitrep_message_composer_set_author (SITREP_MESSAGE_COMPOSER (composer), "alice");
  gtk_window_set_child (f->window, composer);
  gtk_window_present (f->window);
  return SITREP_MESSAGE_COMPOSER (composer);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
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

static void
wait_for_state (SitrepMessageComposer *composer,
                const char            *prefix)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_str_has_prefix (sitrep_message_composer_get_state_text (composer) ?: "", prefix)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (sitrep_message_composer_get_state_text (composer), !=, NULL);
  if (!g_str_has_prefix (sitrep_message_composer_get_state_text (composer), prefix))
    g_error ("the post state is “%s”, not “%s…”",
             sitrep_message_composer_get_state_text (composer), prefix);
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(GStrv) highlighted = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  SitrepMessageComposer *composer;
  gint64 id;

  sitrep_clock_advance (f->clock, 12 * MINUTE);
  composer = show_composer (f, NULL);
  g_assert_false (sitrep_message_composer_get_can_post (composer));
  g_assert_true (sitrep_message_composer_select_template (composer, "ongoing-update"));
  g_assert_false (sitrep_message_composer_select_template (composer, "no-such-template"));
  g_assert_cmpstr (sitrep_message_composer_get_template_id (composer), ==, "ongoing-update");

  /* What the console does not know stays as a highlighted [placeholder]. */
  text = sitrep_message_composer_get_text (composer);
  g_assert_true (g_str_has_prefix (text, "🟡 UPDATE on "));
  g_assert_nonnull (strstr (text, "- We've identified [root_cause]\n"));
  highlighted = sitrep_message_composer_get_highlighted (composer);
  g_assert_true (g_strv_contains ((const char *const *) highlighted, "[root_cause]"));

  /* Typed over: the highlight goes with it, the others stay. */
  g_assert_true (sitrep_message_composer_type_over (composer, "[root_cause]",
                                                    "an expired TLS certificate"));
  g_clear_pointer (&highlighted, g_strfreev);
  highlighted = sitrep_message_composer_get_highlighted (composer);
  g_assert_false (g_strv_contains ((const char *const *) highlighted, "[root_cause]"));
  g_assert_true (g_strv_contains ((const char *const *) highlighted, "[action]"));
  g_clear_pointer (&text, g_free);
  text = sitrep_message_composer_get_text (composer);
  g_assert_nonnull (strstr (text, "- We've identified an expired TLS certificate\n"));

  /* Copy: the clipboard holds the plain text, emoji and all. */
  id = sitrep_message_composer_copy (composer);
  g_assert_cmpint (id, >, 0);
  copied = read_clipboard (GTK_WIDGET (composer));
  g_assert_cmpstr (copied, ==, text);
  g_assert_nonnull (strstr (copied, "🟡"));
  g_assert_nonnull (strstr (sitrep_message_composer_get_last_toast (composer),
                            "Copied — next update due "));

  /* Stored, on the timeline, and the update clock starts again. */
  message = sitrep_store_load_message (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->text, ==, text);
  g_assert_cmpstr (message->template_id, ==, "ongoing-update");
  g_assert_cmpint (message->copied_at, ==, sitrep_clock_now (f->clock));
  events = sitrep_store_list_events (f->store, f->incident, SITREP_TIMELINE_LIST_DEFAULT,
                                     (const char *[]) { "message", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_nonnull (strstr (sitrep_timeline_event_get_text (events->pdata[0]), "Ongoing update"));
  incident = sitrep_store_load_incident (f->store, f->incident, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, sitrep_clock_now (f->clock));

  /* Another template renders afresh, with its own emoji. */
  g_assert_true (sitrep_message_composer_select_template (composer, "initial-status"));
  g_clear_pointer (&text, g_free);
  text = sitrep_message_composer_get_text (composer);
  g_assert_true (g_str_has_prefix (text, "🔴 INCIDENT DECLARED\nSeverity: SEV-2"));
}

static void
hook_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  f->n_requests++;
  g_free (f->body);
  f->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  soup_server_message_set_status (msg, f->status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "no", 2);
}

static void
test_post (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepWebhook) webhook = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  SitrepMessageComposer *composer;
  JsonObject *posted;
  GSList *uris;

  if (g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("no keyring: run the tests through build-aux/test-session, which starts "
                          "an unlocked gnome-keyring-daemon; the webhook URL lives only there");
      return;
    }
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/hooks", hook_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  url = g_strdup_printf ("http://127.0.0.1:%d/hooks/incident", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (sitrep_webhook_set_url_sync (url, NULL, &error));
  g_assert_no_error (error);

  webhook = sitrep_webhook_new (f->store, f->clock);
  sitrep_webhook_set_timeout (webhook, 3000);
  composer = show_composer (f, webhook);
  g_assert_true (sitrep_message_composer_get_can_post (composer));
  g_assert_true (sitrep_message_composer_select_template (composer, "ongoing-update"));
  g_assert_true (sitrep_message_composer_type_over (composer, "[root_cause]", "a bad deploy"));
  text = sitrep_message_composer_get_text (composer);

  /* Posted: the hook got {"text": …} with the message as typed. */
  g_assert_cmpint (sitrep_message_composer_post (composer), >, 0);
  wait_for_state (composer, "Sent");
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, f->body, -1, &error));
  g_assert_no_error (error);
  posted = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (posted, "text"), ==, text);

  /* The hook fails: the state says why and when it is tried again; Copy still works. */
  f->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  g_assert_cmpint (sitrep_message_composer_post (composer), >, 0);
  wait_for_state (composer, "Failed: ");
  g_test_message ("state: %s", sitrep_message_composer_get_state_text (composer));
  g_assert_nonnull (strstr (sitrep_message_composer_get_state_text (composer), "500"));
  g_assert_nonnull (strstr (sitrep_message_composer_get_state_text (composer), "retrying at "));
  g_assert_cmpint (sitrep_message_composer_copy (composer), >, 0);
  copied = read_clipboard (GTK_WIDGET (composer));
  g_assert_cmpstr (copied, ==, text);

  g_assert_true (sitrep_webhook_set_url_sync (NULL, NULL, &error));
}

static SitrepPostmortemEditor *
show_editor (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SitrepPostmortemEditor *editor = SITREP_POSTMORTEM_EDITOR (sitrep_postmortem_editor_new ());

  sitrep_postmortem_editor_set_store (editor, f->store);
  sitrep_postmortem_editor_set_runbook (editor, f->runbook);
  sitrep_postmortem_editor_set_utc (editor, TRUE);
  g_assert_true (sitrep_postmortem_editor_set_incident (editor, f->incident, &error));
  g_assert_no_error (error);
  gtk_window_set_child (f->window, GTK_WIDGET (editor));
  gtk_window_present (f->window);
  return editor;
}

static void
test_postmortem (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *again = NULL;
  g_autofree char *root_cause = NULL;
  SitrepPostmortemEditor *editor;

  editor = show_editor (f);
  sitrep_postmortem_editor_set_field (editor, "summary", "Patients could not log in for 40 min.");
  sitrep_postmortem_editor_set_field (editor, "root-cause",
                                      "An expired TLS certificate on the API load balancer");
  sitrep_postmortem_editor_set_field (editor, "resolution", "Renewed the certificate.");
  sitrep_postmortem_editor_set_field (editor, "lessons", "Certificates expire\nAlert first");
  sitrep_postmortem_editor_add_action_item (editor, "Alert on certificate expiry", "bob",
                                            "2026-12-05", FALSE);
  preview = sitrep_postmortem_editor_get_preview (editor);
  g_assert_true (g_str_has_prefix (preview, "# Incident Post-Mortem: "));
  g_assert_nonnull (strstr (preview, "## Root Cause\nAn expired TLS certificate on the API load "
                                     "balancer\n"));
  g_assert_nonnull (strstr (preview, "- [ ] Alert on certificate expiry - Owner: @bob - Due: "
                                     "2026-12-05\n"));

  g_assert_true (sitrep_postmortem_editor_save (editor, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_postmortem_editor_get_last_toast (editor), ==, "Post-mortem saved");

  /* A fresh editor shows what was saved. */
  editor = show_editor (f);
  root_cause = sitrep_postmortem_editor_get_field (editor, "root-cause");
  g_assert_cmpstr (root_cause, ==, "An expired TLS certificate on the API load balancer");
  g_assert_cmpuint (sitrep_postmortem_editor_get_n_action_items (editor), ==, 1);
  again = sitrep_postmortem_editor_get_preview (editor);
  g_assert_cmpstr (again, ==, preview);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = g_dir_make_tmp ("sitrep-composer-test-XXXXXX", NULL);

  /* The user's folders are isolated by hand: G_TEST_OPTION_ISOLATE_DIRS would also hide the
   * icon themes, and the keyring the post test needs. */
  g_setenv ("XDG_DATA_HOME", scratch, TRUE);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_setenv ("XDG_CACHE_HOME", scratch, TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("Bail out! No display: run the tests with build-aux/sitrep-dev test\n");
      return 1;
    }
  adw_init ();

  g_test_add ("/composer/copy", Fixture, NULL, fixture_set_up, test_copy, fixture_tear_down);
  g_test_add ("/composer/post", Fixture, NULL, fixture_set_up, test_post, fixture_tear_down);
  g_test_add ("/composer/postmortem", Fixture, NULL, fixture_set_up, test_postmortem,
              fixture_tear_down);

  return g_test_run ();
}
