/* test-team-offline.c: the window says plainly when its team database is unreachable and changes
 * are kept on this computer, lists them, shows an incident declared meanwhile as one not on the
 * team database yet, and stops saying it once they are written; a console started while the
 * server is down opens and connects when it is back (a PostgreSQL cluster of the test's own,
 * stopped and started again) */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pg-test-util.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-incident-kept.h"
#include "sitrep-incident-view-private.h"
#include "sitrep-kept-list-private.h"
#include "sitrep-message-composer-private.h"
#include "sitrep-postmortem-editor.h"
#include "sitrep-preferences-window-private.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-testing.h"
#include "sitrep-store-writer.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"

typedef struct
{
  PgTestCluster *cluster;
  gboolean checked;
} Offline;

/* Turns the main loop until @condition holds, for 60 s at most. */
static gboolean
wait_until (SitrepWindow    *window,
            UiTestCondition  condition,
            gpointer         data)
{
  return ui_test_wait_until (window, 60, condition, data);
}

static gboolean
banner_says (SitrepWindow *window,
             gpointer      data)
{
  return gtk_revealer_get_reveal_child (window->store_revealer)
         && strstr (gtk_label_get_text (window->store_label), data) != NULL;
}

static gboolean
banner_gone (SitrepWindow *window,
             gpointer      data)
{
  return !gtk_revealer_get_reveal_child (window->store_revealer);
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

static gboolean
kept_list_says (SitrepWindow *window,
                gpointer      data)
{
  g_autofree char *text = sitrep_kept_list_get_text (window->kept_list);

  return text != NULL && strstr (text, data) != NULL;
}

/* Opens the banner's list of what is kept, as a click on "Show" would. */
static void
show_kept (SitrepWindow *window)
{
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->kept_button)));
  gtk_menu_button_popup (window->kept_button);
}

static void
note_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source), result,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_nonnull (note);
  (*(guint *) user_data)--;
}

static gboolean
incident_shown (SitrepWindow *window,
                gpointer      data)
{
  return sitrep_incident_manager_find (sitrep_session_get_incidents (window->session),
                                       *(gint64 *) data) != NULL;
}

static void
check_offline (SitrepApplication *app,
               SitrepWindow      *window,
               gpointer           data)
{
  Offline *offline = data;
  SitrepStore *store;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  guint pending = 0;
  gint64 incident;

  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  store = sitrep_session_get_store (window->session);
  g_assert_true (sitrep_store_is_shared (store));
  g_assert_false (gtk_revealer_get_reveal_child (window->store_revealer));
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  /* As another console's would be, once its NOTIFY came. */
  g_assert_true (sitrep_incident_manager_reload (sitrep_session_get_incidents (window->session),
                                                 incident, &error));
  g_assert_true (wait_until (window, incident_shown, &incident));

  /* The server goes away; a note is kept, and the window says so. */
  pg_test_cluster_stop (offline->cluster);
  pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Kept while away", "Dana",
                               NULL, note_cb, &pending);
  g_assert_true (wait_until (window, banner_says,
                             "The team database is unreachable: changes are kept on this "
                             "computer and written when it is back (1 kept)."));
  g_test_message ("the banner: %s", gtk_label_get_text (window->store_label));
  g_assert_cmpuint (pending, ==, 0);

  /* "Show" lists it: what, when, of which incident. */
  show_kept (window);
  g_assert_true (wait_until (window, kept_list_says, "Note “Kept while away”"));
  g_assert_true (kept_list_says (window, "“Queue backlog”"));
  {
    g_autofree char *listed = sitrep_kept_list_get_text (window->kept_list);

    g_test_message ("the list: %s", listed);
  }
  linger ();
  gtk_menu_button_popdown (window->kept_button);

  /* Back: the note is written and the banner goes. */
  pg_test_cluster_start (offline->cluster);
  g_assert_true (wait_until (window, banner_gone, NULL));
  count = pg_test_cluster_query (offline->cluster,
                                 "SELECT count(*) FROM timeline_events WHERE text = "
                                 "'Kept while away'");
  g_assert_cmpstr (count, ==, "1");
  offline->checked = TRUE;
}

/* Runs a console on the test's cluster, offline.cluster, which the test may have stopped, and
 * @check in it; the cluster is dropped after. */
static void
run_console (Offline          *offline,
             UiTestWindowFunc  check)
{
  const char *argv[] = { "sitrep", "--paused", "--database", offline->cluster->uri, NULL };

  ui_test_run_app (argv, FALSE, check, offline);
  g_assert_true (offline->checked);
  pg_test_cluster_free (offline->cluster);
}

static void
test_banner (void)
{
  Offline offline = { pg_test_cluster_new () };

  run_console (&offline, check_offline);
}

/* The Preferences window the app's action opened. */
static SitrepPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SITREP_IS_PREFERENCES_WINDOW (window))
        return SITREP_PREFERENCES_WINDOW (window);
    }
  return NULL;
}

/* The message dialog open over @parent, or NULL. */
static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && gtk_window_get_transient_for (GTK_WINDOW (window)) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
preferences_dialog_open (SitrepWindow *window,
                         gpointer      data)
{
  return find_message_dialog (data) != NULL;
}

/* While changes are kept for the team database, the commander empties its address in
 * Preferences: the console stays on it and a dialog says why, and what to do. */
static void
check_not_switched (SitrepApplication *app,
                    SitrepWindow      *window,
                    gpointer           data)
{
  Offline *offline = data;
  SitrepStore *store;
  SitrepPreferencesWindow *prefs;
  AdwMessageDialog *dialog;
  g_autoptr(GError) error = NULL;
  guint pending = 0;
  gint64 incident;

  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  store = sitrep_session_get_store (window->session);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  pg_test_cluster_stop (offline->cluster);
  pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Kept while away", "Dana",
                               NULL, note_cb, &pending);
  g_assert_true (wait_until (window, banner_says, "(1 kept)"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  gtk_editable_set_text (GTK_EDITABLE (prefs->team_row), "");
  g_signal_emit_by_name (prefs->team_row, "apply");
  g_assert_true (wait_until (window, preferences_dialog_open, prefs));
  dialog = find_message_dialog (GTK_WINDOW (prefs));
  g_test_message ("the dialog: %s — %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Database Not Switched Yet");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Saved for the next start. A change is kept on this computer for the team "
                   "database and not written yet. Switch when it is back and the change is "
                   "written.");
  g_assert_true (sitrep_session_get_store (window->session) == store);
  g_assert_true (banner_says (window, "(1 kept)"));
  /* As its button would. */
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (prefs));
  offline->checked = TRUE;
}

static void
test_not_switched (void)
{
  Offline offline = { pg_test_cluster_new () };

  run_console (&offline, check_not_switched);
}

/* The journal on this computer cannot be read (a disk error, a file moved away): "Show" says
 * so, with SQLite's reason, rather than list nothing. */
static void
check_kept_unreadable (SitrepApplication *app,
                       SitrepWindow      *window,
                       gpointer           data)
{
  Offline *offline = data;
  SitrepStore *store;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *moved = NULL;
  guint pending = 0;
  gint64 incident;

  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  store = sitrep_session_get_store (window->session);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  pg_test_cluster_stop (offline->cluster);
  pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Kept while away", "Dana",
                               NULL, note_cb, &pending);
  g_assert_true (wait_until (window, banner_says, "(1 kept)"));

  /* Where the journal was, something that cannot be opened (the writer keeps the file it has
   * open, under another name). */
  journal = sitrep_store_journal_default_path (sitrep_store_get_path (store));
  moved = g_strconcat (journal, ".moved", NULL);
  g_assert_cmpint (g_rename (journal, moved), ==, 0);
  g_assert_cmpint (g_mkdir (journal, 0700), ==, 0);

  show_kept (window);
  g_assert_true (wait_until (window, kept_list_says, "Cannot read the changes kept: "));
  listed = sitrep_kept_list_get_text (window->kept_list);
  g_test_message ("the list: %s", listed);
  g_assert_null (strstr (listed, "Note “Kept while away”"));
  gtk_menu_button_popdown (window->kept_button);
  offline->checked = TRUE;
}

static void
test_kept_unreadable (void)
{
  Offline offline = { pg_test_cluster_new () };

  run_console (&offline, check_kept_unreadable);
}

/* A command's record kept in the journal by an earlier run, as the journal holds it. */
static void
keep_audit (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  const char *argv[] = { "kubectl", "rollout", "restart", "deploy/api", NULL };
  SitrepAuditEntry entry = { .at = g_get_real_time (), .context = "prod", .namespace = "api",
                             .action_id = "restart-api", .argv = (GStrv) argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .author = "Dana" };
  g_autoptr(JsonObject) body = sitrep_store_audit_entry_to_json (&entry);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
  g_autofree char *text = json_to_string (node, FALSE);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_journal_append (journal, "e0000000-0000-4000-8000-00000000000a",
                                              "audit", text, &error));
  g_assert_no_error (error);
}

/* The console starts on the team database with a command's record kept from its last run,
 * and the keyring does not answer (its password prompt waits for someone): what is kept
 * waits for the audit log's key, and the banner says so and what to do, with the list of
 * what is kept; once the keyring answers, it is written and the banner goes. */
static void
check_waits_for_key (SitrepApplication *app,
                     SitrepWindow      *window,
                     gpointer           data)
{
  Offline *offline = data;
  SitrepStore *store;
  g_autoptr(GError) error = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *notes = NULL;
  guint pending = 0;
  gint64 incident;

  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  store = sitrep_session_get_store (window->session);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Queue backlog",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_manager_reload (sitrep_session_get_incidents (window->session),
                                                 incident, &error));
  pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Written after the record",
                               "Dana", NULL, note_cb, &pending);
  if (!wait_until (window, banner_says, "wait for the audit log’s key"))
    g_error ("the banner says: “%s” (%s)", gtk_label_get_text (window->store_label),
             gtk_revealer_get_reveal_child (window->store_revealer) ? "shown" : "hidden");
  g_test_message ("the banner: %s", gtk_label_get_text (window->store_label));
  g_assert_true (banner_says (window, "2 changes kept on this computer wait for the audit log’s "
                                      "key: unlock the keyring"));
  show_kept (window);
  g_assert_true (wait_until (window, kept_list_says, "Note “Written after the record”"));
  linger ();
  gtk_menu_button_popdown (window->kept_button);

  /* The keyring answers: both are written, in order, and the banner goes. */
  sitrep_store_testing_release_keyring ();
  g_assert_true (wait_until (window, banner_gone, NULL));
  audited = pg_test_cluster_query (offline->cluster,
                                   "SELECT string_agg (action_id, ',') FROM audit_log");
  g_assert_cmpstr (audited, ==, "restart-api");
  notes = pg_test_cluster_query (offline->cluster,
                                 "SELECT count(*) FROM timeline_events"
                                 " WHERE text = 'Written after the record'");
  g_assert_cmpstr (notes, ==, "1");
  offline->checked = TRUE;
}

static void
test_waits_for_key (void)
{
  Offline offline = { pg_test_cluster_new () };
  g_autofree char *journal = NULL;

  journal = sitrep_store_journal_default_path (offline.cluster->uri);
  keep_audit (journal);
  sitrep_store_testing_hold_keyring ();
  run_console (&offline, check_waits_for_key);
  sitrep_store_testing_release_keyring ();
}

static gboolean
incident_view_says (SitrepWindow *window,
                    gpointer      data)
{
  g_autofree char *text = sitrep_incident_view_get_text (sitrep_window_get_incident_view (window));

  return strstr (text, data) != NULL;
}

static gboolean
current_on_server (SitrepWindow *window,
                   gpointer      data)
{
  SitrepIncident *current = sitrep_incident_manager_get_current (
    sitrep_session_get_incidents (window->session));

  return current != NULL && !sitrep_incident_is_kept (current)
         && g_strcmp0 (sitrep_incident_get_summary (current), data) == 0;
}

#define NOT_ON_SERVER "not yet on the team database"

/* The commander declares a SEV-1 led by Dana through the Declare dialog, as always. */
static void
declare_in_dialog (SitrepWindow *window,
                   const char   *summary)
{
  SitrepDeclareDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  g_assert_true (wait_until (window, ui_test_declare_dialog_open, NULL));
  dialog = ui_test_find_declare_dialog ();
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "SEV-1"));
  sitrep_declare_dialog_set_text (dialog, "summary", summary);
  sitrep_declare_dialog_set_text (dialog, "lead", "Dana");
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_true (wait_until (window, ui_test_declare_dialog_on_page, "declared"));
  g_assert_true (sitrep_declare_dialog_press (dialog, "done"));
}

/* The window that holds a widget of @type, once it is open (two seconds at most). */
static GtkWindow *
wait_for_window_with (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint tries = 0; found == NULL && tries < 200; tries++)
    {
      for (guint i = 0; found == NULL && i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

          if (ui_test_find_descendant (toplevel, type) != NULL)
            found = GTK_WINDOW (toplevel);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_nonnull (found);
  return found;
}

/* The commander opens the composer, picks @template_id and copies the message: the toast
 * says the message is kept. */
static void
copy_in_composer (SitrepWindow *window,
                  const char   *template_id)
{
  SitrepMessageComposer *composer;
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compose", NULL));
  dialog = wait_for_window_with (SITREP_TYPE_MESSAGE_COMPOSER);
  composer = SITREP_MESSAGE_COMPOSER (ui_test_find_descendant (GTK_WIDGET (dialog),
                                                               SITREP_TYPE_MESSAGE_COMPOSER));
  g_assert_true (sitrep_message_composer_select_template (composer, template_id));
  /* The incident is not on the team database: Post waits for it, Copy does not. */
  g_assert_false (sitrep_message_composer_get_can_post (composer));
  sitrep_message_composer_copy (composer);
  /* Kept in the journal: no id on the server yet. */
  g_assert_cmpint (sitrep_message_composer_wait_recorded (composer), ==, 0);
  g_test_message ("the toast: %s", sitrep_message_composer_get_last_toast (composer));
  g_assert_nonnull (sitrep_message_composer_get_last_toast (composer));
  g_assert_nonnull (strstr (sitrep_message_composer_get_last_toast (composer),
                            "The message is kept on this computer until the team database "
                            "takes it"));
  linger ();
  gtk_window_destroy (dialog);
}

/* The Timeline view shows its page @data ("timeline", "kept", "empty"). */
static gboolean
timeline_page_is (SitrepWindow *window,
                  gpointer      data)
{
  SitrepTimelineView *view = sitrep_window_get_timeline_view (window);

  return g_strcmp0 (gtk_stack_get_visible_child_name (view->stack), data) == 0;
}

static gboolean
timeline_toast_says (SitrepWindow *window,
                     gpointer      data)
{
  const char *toast = sitrep_timeline_view_get_last_toast (sitrep_window_get_timeline_view (window));

  return toast != NULL && strstr (toast, data) != NULL;
}

/* The commander asks for the current incident's post-mortem: its window opens, and is closed. */
static void
open_postmortem_window (SitrepWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  gtk_window_destroy (wait_for_window_with (SITREP_TYPE_POSTMORTEM_EDITOR));
}

/* Stars the shown note whose text is @text, as its star button does. */
static void
star_note (SitrepWindow *window,
           const char   *text)
{
  SitrepTimelineView *view = sitrep_window_get_timeline_view (window);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sitrep_timeline_view_get_n_shown (view); i++)
    {
      SitrepTimelineEvent *event = sitrep_timeline_view_get_shown (view, i);

      if (g_strcmp0 (sitrep_timeline_event_get_text (event), text) == 0)
        {
          g_assert_true (sitrep_timeline_view_star (view, sitrep_timeline_event_get_id (event),
                                                    TRUE, &error));
          g_assert_no_error (error);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
check_declare (SitrepApplication *app,
               SitrepWindow      *window,
               gpointer           data)
{
  Offline *offline = data;
  SitrepIncidentManager *incidents;
  SitrepIncident *current;
  g_autofree char *view = NULL;
  g_autofree char *list = NULL;
  g_autofree char *count = NULL;
  g_autofree char *server_id = NULL;
  g_autofree char *server_number = NULL;
  g_autofree char *messages = NULL;

  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  incidents = sitrep_session_get_incidents (window->session);
  g_assert_nonnull (incidents);

  /* The server goes away; the commander declares an incident as always. */
  pg_test_cluster_stop (offline->cluster);
  declare_in_dialog (window, "Payments failing at checkout");

  /* At once: the incident is current, shown as one not on the team database yet, in the
   * Incident view and the list beside it; the banner counts it; "Show" lists it. */
  current = sitrep_incident_manager_get_current (incidents);
  g_assert_nonnull (current);
  g_assert_cmpstr (sitrep_incident_get_summary (current), ==, "Payments failing at checkout");
  g_assert_true (sitrep_incident_is_kept (current));
  g_assert_true (wait_until (window, incident_view_says, "New incident, " NOT_ON_SERVER));
  view = sitrep_incident_view_get_text (sitrep_window_get_incident_view (window));
  g_assert_nonnull (strstr (view, "Payments failing at checkout"));
  list = sitrep_incident_view_get_list_text (sitrep_window_get_incident_view (window));
  g_test_message ("the list of incidents: %s", list);
  g_assert_nonnull (strstr (list, "Payments failing at checkout — SEV-1 · "));
  g_assert_nonnull (strstr (list, NOT_ON_SERVER));
  g_assert_cmpstr (sitrep_incident_view_get_page (sitrep_window_get_incident_view (window)), ==,
                   "incident");
  g_assert_true (wait_until (window, banner_says, "(1 kept)"));
  linger ();
  show_kept (window);
  g_assert_true (wait_until (window, kept_list_says, "Declared “Payments failing at checkout”"));
  g_assert_true (kept_list_says (window, "a new incident " NOT_ON_SERVER));
  linger ();
  gtk_menu_button_popdown (window->kept_button);

  /* Its post-mortem opens (as none yet: there is nothing of it on the team database). */
  open_postmortem_window (window);

  /* The initial status, copied to the chat while away: kept with the declaration (the
   * update clock it starts again is checked in test-team-edits.c). */
  copy_in_composer (window, "initial-status");
  g_assert_true (wait_until (window, banner_says, "(2 kept)"));
  show_kept (window);
  g_assert_true (wait_until (window, kept_list_says, "Message “Initial status” copied"));
  linger ();
  gtk_menu_button_popdown (window->kept_button);

  /* The Timeline view says why it has no rows for it (not "No Incident"), and takes a note,
   * kept with the incident. */
  adw_view_stack_set_visible_child_name (window->view_stack, "timeline");
  g_assert_true (wait_until (window, timeline_page_is, "kept"));
  g_assert_true (gtk_widget_get_visible (sitrep_window_get_timeline_view (window)->note_bar));
  linger ();
  sitrep_timeline_view_set_note_text (sitrep_window_get_timeline_view (window),
                                      "Card processor returns 502", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sitrep_window_get_timeline_view (window)),
                                             "timeline.add-note", NULL));
  g_assert_true (wait_until (window, banner_says, "(3 kept)"));
  g_assert_true (wait_until (window, timeline_toast_says, "kept on this computer"));

  /* Back: written once, shown under the server's id, no longer as kept; the banner goes. */
  pg_test_cluster_start (offline->cluster);
  g_assert_true (wait_until (window, banner_gone, NULL));
  g_assert_true (wait_until (window, current_on_server, "Payments failing at checkout"));
  count = pg_test_cluster_query (offline->cluster,
                                 "SELECT count(*) FROM incidents WHERE summary = "
                                 "'Payments failing at checkout'");
  g_assert_cmpstr (count, ==, "1");
  server_id = pg_test_cluster_query (offline->cluster,
                                     "SELECT id FROM incidents WHERE summary = "
                                     "'Payments failing at checkout'");
  current = sitrep_incident_manager_get_current (incidents);
  server_number = g_strdup_printf ("%" G_GINT64_FORMAT, sitrep_incident_get_id (current));
  g_assert_cmpstr (server_number, ==, server_id);
  messages = g_strdup_printf ("SELECT count(*) FROM messages WHERE incident_id = %s"
                              " AND template_id = 'initial-status'", server_id);
  g_free (count);
  count = pg_test_cluster_query (offline->cluster, messages);
  g_assert_cmpstr (count, ==, "1");
  g_assert_false (incident_view_says (window, NOT_ON_SERVER));
  /* The note kept with it is on the server once, under its number, and on the timeline. */
  g_free (count);
  g_free (messages);
  messages = g_strdup_printf ("SELECT count(*) FROM timeline_events WHERE incident_id = %s"
                              " AND kind = 'note' AND text = 'Card processor returns 502'",
                              server_id);
  count = pg_test_cluster_query (offline->cluster, messages);
  g_assert_cmpstr (count, ==, "1");
  g_assert_true (wait_until (window, timeline_page_is, "timeline"));
  g_assert_true (wait_until (window, ui_test_timeline_shows, "Card processor returns 502"));
  g_clear_pointer (&list, g_free);
  list = sitrep_incident_view_get_list_text (sitrep_window_get_incident_view (window));
  g_assert_null (strstr (list, NOT_ON_SERVER));

  /* Away again: the commander stars that note, now on the server. The star is kept (the toast
   * and the list say so) and written when the server is back; the row shows it then. */
  pg_test_cluster_stop (offline->cluster);
  star_note (window, "Card processor returns 502");
  g_assert_true (wait_until (window, timeline_toast_says,
                             "The star is kept on this computer and written to the team "
                             "database when it answers"));
  g_assert_true (wait_until (window, banner_says, "(1 kept)"));
  /* And moves the start of impact ten minutes earlier: kept too. */
  {
    SitrepTimelineView *view = sitrep_window_get_timeline_view (window);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) shown = view->utc ? g_date_time_ref (now) : g_date_time_to_local (now);
    g_autoptr(GDateTime) earlier = g_date_time_add_minutes (shown, -10);
    g_autofree char *time = g_date_time_format (earlier, "%H:%M");
    g_autoptr(GError) error = NULL;

    g_assert_true (sitrep_timeline_view_move_start (view, time, &error));
    g_assert_no_error (error);
  }
  g_assert_true (wait_until (window, timeline_toast_says,
                             "The incident’s new start is kept on this computer"));
  g_assert_true (wait_until (window, banner_says, "(2 kept)"));
  show_kept (window);
  g_assert_true (wait_until (window, kept_list_says, "Event starred"));
  g_assert_true (kept_list_says (window, "Start of impact moved earlier"));
  linger ();
  gtk_menu_button_popdown (window->kept_button);
  pg_test_cluster_start (offline->cluster);
  g_assert_true (wait_until (window, banner_gone, NULL));
  g_free (messages);
  messages = g_strdup_printf ("SELECT starred FROM timeline_events WHERE incident_id = %s"
                              " AND text = 'Card processor returns 502'",
                              server_id);
  g_free (count);
  count = pg_test_cluster_query (offline->cluster, messages);
  g_assert_cmpstr (count, ==, "1");
  g_assert_true (wait_until (window, ui_test_timeline_shows, "Card processor returns 502 | Dana | ★"));
  g_free (messages);
  messages = g_strdup_printf ("SELECT count(*) FROM timeline_events WHERE incident_id = %s"
                              " AND kind = 'start-moved'",
                              server_id);
  g_free (count);
  count = pg_test_cluster_query (offline->cluster, messages);
  g_assert_cmpstr (count, ==, "1");
  offline->checked = TRUE;
}

static void
test_declare (void)
{
  Offline offline = { pg_test_cluster_new () };

  run_console (&offline, check_declare);
}

static gboolean
runbook_shown (SitrepWindow *window,
               gpointer      data)
{
  return g_strcmp0 (sitrep_window_get_page (window), "console") == 0;
}

static void
check_start_unreachable (SitrepApplication *app,
                         SitrepWindow      *window,
                         gpointer           data)
{
  Offline *offline = data;
  SitrepIncidentManager *incidents;
  SitrepIncident *current;
  g_autofree char *count = NULL;

  /* The window is open, shows the runbook, and says the server has not answered, what to
   * check, and that changes are kept on this computer until it answers. */
  g_assert_true (wait_until (window, banner_says, "has not answered since Sitrep started"));
  g_assert_true (banner_says (window, "the address in Preferences"));
  g_test_message ("the banner: %s", gtk_label_get_text (window->store_label));
  g_assert_true (runbook_shown (window, NULL));
  g_assert_true (sitrep_store_is_shared (sitrep_session_get_store (window->session)));
  incidents = sitrep_session_get_incidents (window->session);
  g_assert_nonnull (incidents);
  linger ();

  /* The commander declares an incident as always: it is current at once, kept. */
  declare_in_dialog (window, "Checkout down since the start");
  current = sitrep_incident_manager_get_current (incidents);
  g_assert_nonnull (current);
  g_assert_true (sitrep_incident_is_kept (current));
  g_assert_true (wait_until (window, incident_view_says, "New incident, " NOT_ON_SERVER));
  g_assert_true (wait_until (window, banner_says, "(1 kept)"));
  linger ();

  /* The server starts: the console connects by itself, writes the incident once, shows it
   * under the server's id, and the banner goes. */
  pg_test_cluster_start (offline->cluster);
  g_assert_true (wait_until (window, banner_gone, NULL));
  g_assert_true (wait_until (window, current_on_server, "Checkout down since the start"));
  count = pg_test_cluster_query (offline->cluster,
                                 "SELECT count(*) FROM incidents WHERE summary = "
                                 "'Checkout down since the start'");
  g_assert_cmpstr (count, ==, "1");
  g_assert_false (incident_view_says (window, NOT_ON_SERVER));
  offline->checked = TRUE;
}

static void
test_start_unreachable (void)
{
  Offline offline = { pg_test_cluster_new () };

  pg_test_cluster_stop (offline.cluster);
  run_console (&offline, check_start_unreachable);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = ui_test_init (&argc, &argv, "test-team-offline");

  if (scratch == NULL)
    return 1;
  g_test_add_func ("/team-offline/banner", test_banner);
  g_test_add_func ("/team-offline/declare", test_declare);
  g_test_add_func ("/team-offline/start-unreachable", test_start_unreachable);
  g_test_add_func ("/team-offline/not-switched", test_not_switched);
  g_test_add_func ("/team-offline/kept-unreadable", test_kept_unreadable);
  g_test_add_func ("/team-offline/waits-for-key", test_waits_for_key);
  return g_test_run ();
}
