/* test-composer.c: the message composer under a real display: fill, copy, post to a local hook */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fixture-runbook.h"
#include "lock-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-message-composer-private.h"
#include "sitrep-preferences-window-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "sitrep-webhook-private.h"
#include "webhook-test-util.h"
#include "ui-fixture.h"
#include "ui-test-util.h"
#include "fixture-incident.h"

#define MINUTE G_GINT64_CONSTANT (60000000)
/* Northwind's P1 wants an update every 20 minutes. */
#define UPDATE_EVERY (20 * MINUTE)
#define WAIT_S 20
/* A credential the hook puts in its answer: it must reach no table. */
#define ANSWER_SECRET "xoxb-9191-answer-secret"

typedef struct
{
  UiFixture ui;
  TestHook *hook;
} Fixture;

static char *
runbook_text_with_plain_http (void)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) out = g_string_new (text);

  g_assert_cmpuint (g_string_replace (out, "\"sitrep_runbook\": 1,",
                                      "\"sitrep_runbook\": 1,\n"
                                      "  \"webhook\": { \"allow_plain_http\": true },", 1), ==, 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Northwind, which allows the loopback hook's http:// URL unless @strict, in a database file so
 * that the test reads what reached the disk through a connection of its own. */
static void
set_up (Fixture  *f,
        gboolean  strict)
{
  g_autoptr(SitrepRunbook) runbook = NULL;
  const UiFixtureDeclaration declare = {
    "P1", "Labels do not print", "Every depot", "alice", (const char *[]) { "gateway", NULL },
  };
  UiFixtureOptions options = {
    .on_disk = TRUE,
    .declare = &declare,
    .window_width = 640,
    .window_height = 480,
  };

  if (strict)
    runbook = fixture_runbook_load (NULL);
  else
    {
      g_autofree char *text = runbook_text_with_plain_http ();
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;

      runbook = sitrep_runbook_load_bytes (bytes, "northwind.json", NULL, &error);
      g_assert_no_error (error);
    }
  options.runbook = runbook;
  ui_fixture_set_up (&f->ui, &options);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  set_up (f, FALSE);
}

static void
fixture_set_up_strict (Fixture       *f,
                       gconstpointer  data)
{
  set_up (f, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ui_fixture_tear_down (&f->ui);
  if (f->hook != NULL)
    test_hook_free (f->hook);
}

static SitrepMessageComposer *
show_composer (Fixture       *f,
               SitrepWebhook *webhook)
{
  GtkWidget *composer = sitrep_message_composer_new (f->ui.store, f->ui.runbook, f->ui.manager,
                                                     webhook);

  sitrep_message_composer_set_utc (SITREP_MESSAGE_COMPOSER (composer), TRUE);
  sitrep_message_composer_set_author (SITREP_MESSAGE_COMPOSER (composer), "alice");
  ui_fixture_show (&f->ui, composer);
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

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for_state (SitrepMessageComposer *composer,
                const char            *prefix)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (!g_str_has_prefix (sitrep_message_composer_get_state_text (composer) ?: "", prefix)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpstr (sitrep_message_composer_get_state_text (composer), !=, NULL);
  if (!g_str_has_prefix (sitrep_message_composer_get_state_text (composer), prefix))
    g_error ("the post state is “%s”, not “%s…”",
             sitrep_message_composer_get_state_text (composer), prefix);
}

/* When the next status update is due, as the views see it through the manager. */
static gint64
update_due (Fixture *f)
{
  SitrepIncident *incident = sitrep_incident_manager_get_current (f->ui.manager);

  g_assert_nonnull (incident);
  g_assert_cmpint (sitrep_incident_get_id (incident), ==, f->ui.incident);
  return sitrep_incident_next_update_due_at (incident, f->ui.runbook);
}

/* The incident's "message" events, read from the database file. */
static GStrv
message_events (Fixture *f)
{
  return test_db_events (f->ui.database_path, f->ui.incident, "message");
}

static gboolean
highlight_color (SitrepMessageComposer *composer,
                 GdkRGBA               *color)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (composer->buffer),
                                               "unfilled");
  g_autoptr(GdkRGBA) background = NULL;
  gboolean set = FALSE;

  g_object_get (tag, "background-set", &set, "background-rgba", &background, NULL);
  if (set && background != NULL)
    *color = *background;
  return set && background != NULL;
}

/* The theme's warning colour, light or dark, at the highlight's strength. */
static GdkRGBA
theme_warning (GtkWidget *widget)
{
  GdkRGBA warning;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                 "warning_bg_color", &warning));
  warning.alpha *= 0.35;
  return warning;
}

/* Turns the main loop until the highlight has a colour other than @other (NULL: any). */
static GdkRGBA
wait_highlight (SitrepMessageComposer *composer,
                const GdkRGBA         *other)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GdkRGBA color;

  while (!highlight_color (composer, &color) || (other != NULL && gdk_rgba_equal (&color, other)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return color;
}

/* What is left to fill in is highlighted in the theme's warning colour, in light and in dark
 * style: no colour of the app's own that a dark window would show glaring. */
static void
test_highlight_style (Fixture       *f,
                      gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  SitrepMessageComposer *composer;
  GdkRGBA light, dark, expected;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  composer = show_composer (f, NULL);
  g_assert_true (sitrep_message_composer_select_template (composer, "progress"));
  light = wait_highlight (composer, NULL);
  expected = theme_warning (GTK_WIDGET (composer));
  g_assert_true (gdk_rgba_equal (&light, &expected));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  dark = wait_highlight (composer, &light);
  expected = theme_warning (GTK_WIDGET (composer));
  g_assert_true (gdk_rgba_equal (&dark, &expected));
  g_assert_false (gdk_rgba_equal (&dark, &light));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(GStrv) highlighted = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  SitrepMessageComposer *composer;
  gint64 id;

  sitrep_clock_advance (f->ui.clock, 12 * MINUTE);
  composer = show_composer (f, NULL);
  g_assert_false (sitrep_message_composer_get_can_post (composer));
  g_assert_true (sitrep_message_composer_select_template (composer, "progress"));
  g_assert_false (sitrep_message_composer_select_template (composer, "no-such-template"));
  g_assert_cmpstr (sitrep_message_composer_get_template_id (composer), ==, "progress");

  /* What the console does not know stays as a highlighted [placeholder]. */
  text = sitrep_message_composer_get_text (composer);
  g_assert_cmpstr (text, ==, "Investigating: [action]. ETA [eta].\n");
  highlighted = sitrep_message_composer_get_highlighted (composer);
  g_assert_cmpstrv (highlighted, ((const char *[]) { "[action]", "[eta]", NULL }));

  /* Typed over: the highlight goes with it, the other stays. */
  g_assert_true (sitrep_message_composer_type_over (composer, "[action]",
                                                    "rolling back the gateway 🟡"));
  g_clear_pointer (&highlighted, g_strfreev);
  highlighted = sitrep_message_composer_get_highlighted (composer);
  g_assert_cmpstrv (highlighted, ((const char *[]) { "[eta]", NULL }));
  g_clear_pointer (&text, g_free);
  text = sitrep_message_composer_get_text (composer);
  g_assert_cmpstr (text, ==, "Investigating: rolling back the gateway 🟡. ETA [eta].\n");

  /* Copy: the clipboard holds the plain text, emoji and all. */
  sitrep_message_composer_copy (composer);
  id = sitrep_message_composer_wait_recorded (composer);
  g_assert_cmpint (id, >, 0);
  copied = read_clipboard (GTK_WIDGET (composer));
  g_assert_cmpstr (copied, ==, text);
  g_assert_true (g_str_has_prefix (sitrep_message_composer_get_last_toast (composer),
                                   "Copied — next update due "));

  /* A copy is sent: stored, on the timeline, and the update clock starts again. */
  message = sitrep_store_load_message (f->ui.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->text, ==, text);
  g_assert_cmpstr (message->template_id, ==, "progress");
  g_assert_cmpint (message->copied_at, ==, sitrep_clock_now (f->ui.clock));
  events = sitrep_store_list_events (f->ui.store, f->ui.incident, SITREP_TIMELINE_LIST_DEFAULT,
                                     (const char *[]) { "message", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (fixture_shown_text (events->pdata[0]), ==,
                   "Message sent: Progress — Investigating: rolling back the gateway 🟡. ETA "
                   "[eta].");
  g_assert_cmpint (update_due (f), ==, sitrep_clock_now (f->ui.clock) + UPDATE_EVERY);

  /* Another template renders afresh. */
  g_assert_true (sitrep_message_composer_select_template (composer, "depot-notice"));
  g_clear_pointer (&text, g_free);
  text = sitrep_message_composer_get_text (composer);
  g_assert_true (g_str_has_prefix (text, "[P1/Urgent] Labels do not print\nDepots affected: "
                                         "Every depot\nOwner: @alice\n"));
}

/* Another process holds the database's write lock for 3 s while the commander copies two
 * messages: the main loop keeps turning, the clipboard has the text at once, and both messages
 * are stored (and start the update clock) once the lock goes, in the order copied. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(LockHolder) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *first = NULL;
  g_autofree char *copied = NULL;
  SitrepMessageComposer *composer;
  gint64 give_up;

  sitrep_clock_advance (f->ui.clock, 12 * MINUTE);
  composer = show_composer (f, NULL);
  g_assert_true (sitrep_message_composer_select_template (composer, "progress"));
  first = sitrep_message_composer_get_text (composer);

  lock = lock_holder_start (f->ui.database_path, 3);
  sitrep_message_composer_copy (composer);
  copied = read_clipboard (GTK_WIDGET (composer));
  g_assert_cmpstr (copied, ==, first);
  g_assert_true (sitrep_message_composer_select_template (composer, "depot-notice"));
  sitrep_message_composer_copy (composer);

  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < give_up
         && (!lock_holder_is_released (lock) || composer->n_recording > 0))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lock_holder_is_released (lock));
  g_assert_cmpuint (lock_holder_ticks_while_locked (lock), >=, 5);
  g_assert_cmpuint (composer->n_recording, ==, 0);
  g_assert_cmpint (composer->last_recorded_id, >, 0);
  g_assert_true (g_str_has_prefix (sitrep_message_composer_get_last_toast (composer),
                                   "Copied — next update due "));

  messages = sitrep_store_list_messages (f->ui.store, f->ui.incident, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (((SitrepMessage *) messages->pdata[0])->template_id, ==, "progress");
  g_assert_cmpstr (((SitrepMessage *) messages->pdata[0])->text, ==, first);
  g_assert_cmpstr (((SitrepMessage *) messages->pdata[1])->template_id, ==, "depot-notice");
  g_assert_cmpint (update_due (f), ==, sitrep_clock_now (f->ui.clock) + UPDATE_EVERY);
}

/* One way a post can end, and what the commander must then see. */
typedef struct
{
  const char *name;
  const char *runbook;     /* "strict": Northwind without the http:// opt-in */
  gboolean no_url;
  TestHookMode mode;
  guint status;
  const char *answer;
  gboolean sent;
  const char *expect[3];   /* in the state shown */
  const char *refuse[3];   /* not in the state shown */
} Outcome;

static const Outcome outcomes[] = {
  { "ok-with-a-token-in-the-answer", NULL, FALSE, TEST_HOOK_ANSWER, 200,
    "{\"ok\": true, \"token\": \"" ANSWER_SECRET "\"}", TRUE,
    { "Sent", NULL }, { ANSWER_SECRET, NULL } },
  { "500", NULL, FALSE, TEST_HOOK_ANSWER, 500, "bad token=" ANSWER_SECRET "\nsecond line", FALSE,
    { "Failed: the webhook answered HTTP 500 Internal Server Error: bad token=[redacted]",
      "retrying at 03:25", NULL },
    { ANSWER_SECRET, "second line", NULL } },
  { "404-quoting-the-url", NULL, FALSE, TEST_HOOK_ECHO_PATH, 404, NULL, FALSE,
    { "Failed: the webhook answered HTTP 404 Not Found: no route for POST /<webhook>",
      "retrying at", NULL },
    { TEST_HOOK_TOKEN, NULL } },
  { "reset", NULL, FALSE, TEST_HOOK_RESET, 0, NULL, FALSE,
    { "Failed: cannot reach the webhook: ", "retrying at", NULL }, { NULL } },
  { "silent", NULL, FALSE, TEST_HOOK_SILENT, 0, NULL, FALSE,
    { "Failed: the webhook did not answer within 1 s", "retrying at", NULL }, { NULL } },
  { "no-url", NULL, TRUE, TEST_HOOK_ANSWER, 200, "ok", FALSE,
    { "Failed: no chat webhook URL is set. Set the chat webhook URL in Preferences",
      "secret-tool store", NULL },
    { "retrying", NULL } },
  { "plain-http-without-opt-in", "strict", FALSE, TEST_HOOK_ANSWER, 200, "ok", FALSE,
    { "Failed: the chat webhook URL in the keyring starts with http://",
      "\"webhook\": {\"allow_plain_http\": true}", NULL },
    { "retrying", NULL } },
};

/* Post, through the composer, to a hook that answers as @data says. */
static void
test_post (Fixture       *f,
           gconstpointer  data)
{
  const Outcome *outcome = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepWebhook) webhook = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SitrepMessage) message = NULL;
  g_auto(GStrv) events = NULL;
  g_auto(GStrv) last_update = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  SitrepMessageComposer *composer;
  const char *state;
  gint64 due_before, posted_at, id;

  if (g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("no keyring: run the tests through build-aux/test-session, which starts "
                          "an unlocked gnome-keyring-daemon; the webhook URL lives only there");
      return;
    }
  f->hook = test_hook_new ();
  if (outcome->mode == TEST_HOOK_ANSWER)
    test_hook_answer (f->hook, outcome->status, outcome->answer);
  else
    test_hook_set_mode (f->hook, outcome->mode);
  /* The keyring, as Preferences leaves it. */
  g_assert_true (sitrep_webhook_set_url_sync (outcome->no_url ? NULL : test_hook_get_url (f->hook),
                                              TRUE, NULL, &error));
  g_assert_no_error (error);

  webhook = sitrep_webhook_new (f->ui.store, f->ui.clock);
  /* What the application does with the runbook it loaded. */
  sitrep_webhook_set_allow_plain_http (webhook,
                                       sitrep_runbook_get_webhook_allow_plain_http (f->ui.runbook));
  sitrep_webhook_set_timeout (webhook, 1000);
  sitrep_clock_advance (f->ui.clock, 5 * MINUTE);
  posted_at = sitrep_clock_now (f->ui.clock);
  due_before = update_due (f);
  g_assert_cmpint (due_before, ==, f->ui.t0 + UPDATE_EVERY);

  composer = show_composer (f, webhook);
  g_assert_true (sitrep_message_composer_get_can_post (composer));
  g_assert_true (sitrep_message_composer_select_template (composer, "depot-notice"));
  text = sitrep_message_composer_get_text (composer);

  sitrep_message_composer_post (composer);
  id = sitrep_message_composer_wait_recorded (composer);
  g_assert_cmpint (id, >, 0);
  wait_for_state (composer, outcome->sent ? "Sent" : "Failed: ");
  state = sitrep_message_composer_get_state_text (composer);
  g_test_message ("state: %s", state);
  g_test_message ("toast: %s", sitrep_message_composer_get_last_toast (composer));
  for (guint i = 0; outcome->expect[i] != NULL; i++)
    g_assert_nonnull (strstr (state, outcome->expect[i]));
  for (guint i = 0; outcome->refuse[i] != NULL; i++)
    g_assert_null (strstr (state, outcome->refuse[i]));
  g_assert_cmpuint (test_hook_get_n_requests (f->hook), ==,
                    outcome->no_url || outcome->runbook != NULL ? 0 : 1);

  message = sitrep_store_load_message (f->ui.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->text, ==, text);
  events = message_events (f);
  last_update = test_db_strings (f->ui.database_path,
                                 "SELECT last_update_at FROM incidents WHERE id = ?1",
                                 f->ui.incident);
  if (outcome->sent)
    {
      JsonObject *posted;

      g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
      g_assert_true (g_str_has_prefix (sitrep_message_composer_get_last_toast (composer),
                                       "Posted — next update due "));
      g_assert_true (json_parser_load_from_data (parser, test_hook_get_body (f->hook), -1,
                                                 &error));
      g_assert_no_error (error);
      posted = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (posted, "text"), ==, text);
      /* Sent: on the timeline once, and the update clock starts from it, for every view. */
      g_assert_cmpstrv (events, ((const char *[]) {
                          "Message posted to chat: Depot notice — [P1/Urgent] Labels do not print",
                          NULL }));
      g_assert_cmpint (update_due (f), ==, posted_at + UPDATE_EVERY);
    }
  else
    {
      g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, f->ui.t0);

      g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_FAILED);
      g_assert_nonnull (strstr (state, message->webhook_error));
      /* Not sent: nothing on the timeline says so, and the update is still due when it was. */
      g_assert_cmpstrv (events, ((const char *[]) { NULL }));
      g_assert_cmpint (update_due (f), ==, due_before);
      g_assert_true (g_strcmp0 (last_update[0], "(null)") == 0
                     || g_strcmp0 (last_update[0], at) == 0);
    }
  test_db_assert_absent (f->ui.database_path, TEST_HOOK_TOKEN);
  test_db_assert_absent (f->ui.database_path, test_hook_get_url (f->hook));
  test_db_assert_absent (f->ui.database_path, ANSWER_SECRET);

  /* Whatever the hook did, Copy works, and a copy is sent. */
  sitrep_message_composer_copy (composer);
  g_assert_cmpint (sitrep_message_composer_wait_recorded (composer), >, 0);
  copied = read_clipboard (GTK_WIDGET (composer));
  g_assert_cmpstr (copied, ==, text);
  g_assert_cmpint (update_due (f), ==, posted_at + UPDATE_EVERY);

  g_assert_true (sitrep_webhook_set_url_sync (NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  gboolean done;
  char *url;
  GError *error;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->url = sitrep_secrets_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
}

/* What the keyring holds for the webhook: NULL when nothing. */
static char *
keyring_url (void)
{
  Lookup lookup = { 0 };

  sitrep_secrets_lookup_async (SITREP_WEBHOOK_SECRET_NAME, NULL, lookup_cb, &lookup);
  while (!lookup.done)
    g_main_context_iteration (NULL, TRUE);
  if (lookup.error != NULL)
    {
      g_assert_error (lookup.error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_NOT_FOUND);
      g_clear_error (&lookup.error);
    }
  return lookup.url;
}

/* Waits for the keyring to hold @url, as the preferences save it in a thread. */
static void
wait_keyring (const char *url)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  g_autofree char *stored = NULL;

  do
    {
      g_free (stored);
      stored = keyring_url ();
      g_main_context_iteration (NULL, FALSE);
    }
  while (g_strcmp0 (stored, url) != 0 && g_get_monotonic_time () < deadline);
  g_assert_cmpstr (stored, ==, url);
}

/* The URL row of Preferences refuses http:// unless the runbook allows it, and says how. */
static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *stored = NULL;
  SitrepPreferencesWindow *prefs;
  const char *https_url = "https://hooks.example.test/services/T000/B000/" TEST_HOOK_TOKEN;

  if (g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("no keyring: run the tests through build-aux/test-session");
      return;
    }
  f->hook = test_hook_new ();
  g_assert_true (sitrep_webhook_set_url_sync (NULL, FALSE, NULL, &error));
  g_assert_no_error (error);

  prefs = sitrep_preferences_window_new (settings);
  sitrep_preferences_window_set_webhook_allow_plain_http (
    prefs, sitrep_runbook_get_webhook_allow_plain_http (f->ui.runbook));
  gtk_window_present (GTK_WINDOW (prefs));

  /* Northwind as it is: no plain http. The URL is refused, kept in the field to correct, and
   * the keyring is left alone. */
  sitrep_preferences_window_apply_webhook_url (prefs, test_hook_get_url (f->hook));
  g_test_message ("refused: %s", sitrep_preferences_window_get_webhook_problem (prefs));
  g_assert_nonnull (sitrep_preferences_window_get_webhook_problem (prefs));
  g_assert_nonnull (strstr (sitrep_preferences_window_get_webhook_problem (prefs), "http://"));
  g_assert_nonnull (strstr (sitrep_preferences_window_get_webhook_problem (prefs),
                            "\"webhook\": {\"allow_plain_http\": true}"));
  g_assert_cmpstr (sitrep_preferences_window_get_webhook_text (prefs), ==,
                   test_hook_get_url (f->hook));
  stored = keyring_url ();
  g_assert_null (stored);

  /* https:// is saved, and the field is emptied so that the token is not left on screen. */
  sitrep_preferences_window_apply_webhook_url (prefs, https_url);
  g_assert_null (sitrep_preferences_window_get_webhook_problem (prefs));
  g_assert_cmpstr (sitrep_preferences_window_get_webhook_text (prefs), ==, "");
  wait_keyring (https_url);

  /* With the runbook's opt-in, the http:// URL is saved too. */
  sitrep_preferences_window_set_webhook_allow_plain_http (prefs, TRUE);
  sitrep_preferences_window_apply_webhook_url (prefs, test_hook_get_url (f->hook));
  g_assert_null (sitrep_preferences_window_get_webhook_problem (prefs));
  wait_keyring (test_hook_get_url (f->hook));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (sitrep_webhook_set_url_sync (NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  scratch = ui_test_init (&argc, &argv, "sitrep-composer-test");
  if (scratch == NULL)
    return 1;
  test_hook_take_keyring_turn ();

  g_test_add ("/composer/copy", Fixture, NULL, fixture_set_up, test_copy, fixture_tear_down);
  g_test_add ("/composer/highlight-style", Fixture, NULL, fixture_set_up, test_highlight_style,
              fixture_tear_down);
  g_test_add ("/composer/locked", Fixture, NULL, fixture_set_up, test_locked, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/composer/post/%s", outcomes[i].name);

      g_test_add (path, Fixture, &outcomes[i],
                  outcomes[i].runbook != NULL ? fixture_set_up_strict : fixture_set_up, test_post,
                  fixture_tear_down);
    }
  g_test_add ("/composer/preferences-webhook-url", Fixture, NULL, fixture_set_up_strict,
              test_preferences, fixture_tear_down);

  status = g_test_run ();
  g_rmdir (scratch);
  return status;
}
