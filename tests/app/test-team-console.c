/* test-team-console.c: the console on a team database (the test session's real PostgreSQL):
 * the header names it and the other console connected there, and another writer's note and
 * status (the real sitrep incident note/status) show in the Incident and Timeline views; and,
 * on a PostgreSQL of the test's own, what the header says while that server restarts */
#include "config.h"

#include <glib/gstdio.h>

#include "pg-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-session.h"
#include "sitrep-incident-view-private.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-preferences-window-private.h"
#include "sitrep-store-indicator-private.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-presence.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"

typedef struct
{
  PgTestDatabase *pg;
  char *incident;   /* its id, as the command line printed it */
  gboolean checked;
} Team;

/* Runs the real sitrep against the team database, to its end; returns what it printed. */
static char *
run_sitrep (Team              *team,
            const char *const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_strv_builder_add (builder, g_getenv ("SITREP_BIN"));
  g_strv_builder_addv (builder, (const char **) args);
  g_strv_builder_add_many (builder, "--database", team->pg->uri, NULL);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[1], err);
  return g_strstrip (g_steal_pointer (&out));
}

/* Turns the main loop until @condition holds, for 20 s at most. */
static gboolean
wait_until (SitrepWindow    *window,
            UiTestCondition  condition,
            gpointer         data)
{
  return ui_test_wait_until (window, 20, condition, data);
}

static gboolean
indicator_says (SitrepWindow *window,
                gpointer      data)
{
  g_autofree char *text = sitrep_store_indicator_get_text (window->store_indicator);

  return strstr (text, data) != NULL;
}

static gboolean
incident_view_says (SitrepWindow *window,
                    gpointer      data)
{
  g_autofree char *text = sitrep_incident_view_get_text (sitrep_window_get_incident_view (window));

  return strstr (text, data) != NULL;
}

/* A row showing @data, starred. */
static gboolean
timeline_shows_starred (SitrepWindow *window,
                        gpointer      data)
{
  SitrepTimelineView *view = sitrep_window_get_timeline_view (window);

  for (guint i = 0; i < sitrep_timeline_view_get_n_shown (view); i++)
    {
      g_autofree char *row = sitrep_timeline_view_describe_row (view, i);

      if (strstr (row, data) != NULL && g_str_has_suffix (row, " | ★"))
        return TRUE;
    }
  return FALSE;
}

/* The post-mortem editor open over @window, or NULL. */
static SitrepPostmortemEditor *
find_editor (SitrepWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);
      GtkWidget *widget = GTK_WIDGET (toplevel);

      if (gtk_window_get_transient_for (toplevel) != GTK_WINDOW (window))
        continue;
      /* Depth first, through the tool window's header and toasts. */
      while (widget != NULL && !SITREP_IS_POSTMORTEM_EDITOR (widget))
        {
          GtkWidget *next = gtk_widget_get_first_child (widget);

          while (next == NULL && widget != GTK_WIDGET (toplevel))
            {
              next = gtk_widget_get_next_sibling (widget);
              if (next == NULL)
                widget = gtk_widget_get_parent (widget);
            }
          widget = next;
        }
      if (widget != NULL)
        return SITREP_POSTMORTEM_EDITOR (widget);
    }
  return NULL;
}

/* The post-mortem editor shows the post-mortem it read. */
static gboolean
editor_read (SitrepWindow *window,
             gpointer      data)
{
  SitrepPostmortemEditor *editor = find_editor (window);

  return editor != NULL
         && g_strcmp0 (gtk_stack_get_visible_child_name (editor->stack), "editor") == 0;
}

/* The post-mortem editor's @field says what @data says (the field's name, a colon, the text). */
static gboolean
editor_says (SitrepWindow *window,
             gpointer      data)
{
  SitrepPostmortemEditor *editor = find_editor (window);
  g_auto(GStrv) parts = g_strsplit (data, ":", 2);
  g_autofree char *text = NULL;

  if (editor == NULL)
    return FALSE;
  text = sitrep_postmortem_editor_get_field (editor, parts[0]);
  return g_strcmp0 (text, parts[1]) == 0;
}

typedef struct
{
  SitrepSession *session;
  gint64 incident;
} Knowing;

/* The other console has read the incident. */
static gboolean
session_knows (SitrepWindow *window,
               gpointer      data)
{
  Knowing *knowing = data;
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (knowing->session);

  return incidents != NULL && sitrep_incident_manager_find (incidents, knowing->incident) != NULL;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
check_team (SitrepApplication *app,
            SitrepWindow      *window,
            gpointer           data)
{
  Team *team = data;
  SitrepSession *session = sitrep_application_get_session (app);
  g_autoptr(SitrepStorePresence) ben = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *where = g_strdup_printf ("“%s”", team->pg->dbname);

  /* Connected on a thread: the window was there first. */
  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  g_assert_null (sitrep_session_get_store_error (session));
  g_assert_true (sitrep_store_is_shared (sitrep_session_get_store (session)));
  /* The header names the team database, and says nobody else is there yet. */
  g_assert_true (wait_until (window, indicator_says, where));
  g_assert_true (wait_until (window, indicator_says, "No one else connected"));

  /* Another console (Ben's) connects: the header names him. */
  sitrep_store_presence_new_async (team->pg->uri, "Ben", 0, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ben = sitrep_store_presence_new_finish (result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpstrv (sitrep_store_presence_get_others (ben), ((const char *[]) { "Dana", NULL }));
  sitrep_store_presence_refresh (sitrep_session_get_presence (session));
  g_assert_true (wait_until (window, indicator_says, "1 other connected: Ben"));
  text = sitrep_store_indicator_get_text (window->store_indicator);
  g_test_message ("the header: %s", text);

  /* Ben's console connects again before its old connection is gone: a third console sees one
   * Ben, not two. */
  {
    g_autoptr(SitrepStorePresence) again = NULL;
    g_autoptr(SitrepStorePresence) watcher = NULL;

    sitrep_store_presence_new_async (team->pg->uri, "Ben", 0, NULL, got_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    again = sitrep_store_presence_new_finish (result, &error);
    g_clear_object (&result);
    g_assert_no_error (error);
    sitrep_store_presence_new_async (team->pg->uri, "Eve", 0, NULL, got_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    watcher = sitrep_store_presence_new_finish (result, &error);
    g_clear_object (&result);
    g_assert_no_error (error);
    g_assert_cmpstrv (sitrep_store_presence_get_others (watcher),
                      ((const char *[]) { "Dana", "Ben", NULL }));
  }

  /* The incident the command line declared is on screen. */
  adw_view_stack_set_visible_child_name (window->view_stack, "incident");
  if (!wait_until (window, incident_view_says, "Labels fail to print"))
    {
      g_autofree char *shown = sitrep_incident_view_get_text (sitrep_window_get_incident_view (window));

      g_error ("the Incident view shows: %s", shown);
    }
  adw_view_stack_set_visible_child_name (window->view_stack, "timeline");
  g_assert_true (wait_until (window, ui_test_timeline_shows, "Labels fail to print"));

  /* Another writer's note and status: the Timeline and the Incident view show them. */
  g_free (run_sitrep (team, (const char *[]) { "incident", "note", team->incident,
                                               "Gateway pods OOM-killed", NULL }));
  g_assert_true (wait_until (window, ui_test_timeline_shows, "Gateway pods OOM-killed"));
  /* Another console stars that note: the row shows it (an UPDATE, announced too). */
  {
    SitrepTimelineView *view = sitrep_window_get_timeline_view (window);
    g_autoptr(SitrepStore) other = sitrep_store_open (team->pg->uri, &error);
    g_autoptr(SitrepTimelineEvent) note = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < sitrep_timeline_view_get_n_shown (view) && note == NULL; i++)
      {
        SitrepTimelineEvent *shown = sitrep_timeline_view_get_shown (view, i);

        if (g_strcmp0 (sitrep_timeline_event_get_text (shown), "Gateway pods OOM-killed") == 0)
          note = sitrep_store_load_event (other, sitrep_timeline_event_get_id (shown), &error);
      }
    g_assert_no_error (error);
    g_assert_nonnull (note);
    g_assert_false (timeline_shows_starred (window, "Gateway pods OOM-killed"));
    g_assert_true (sitrep_store_star_event (other, note, TRUE, &error));
    g_assert_no_error (error);
    g_assert_true (wait_until (window, timeline_shows_starred, "Gateway pods OOM-killed"));
  }
  g_free (run_sitrep (team, (const char *[]) { "incident", "status", team->incident,
                                               "monitoring", NULL }));
  g_assert_true (wait_until (window, ui_test_timeline_shows, "Monitoring"));
  g_clear_pointer (&text, g_free);
  text = sitrep_incident_view_get_text (sitrep_window_get_incident_view (window));
  g_test_message ("the Incident view: %s", text);
  g_assert_true (wait_until (window, incident_view_says, "Monitoring"));

  /* Ben's console, a whole session of its own on the team database (its writer thread, its
   * journal, its watch), ticks an item: the checklist here shows it ticked by Ben. */
  {
    g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autoptr(SitrepSession) bens = sitrep_session_new (settings);
    gint64 id = g_ascii_strtoll (team->incident, NULL, 10);

    g_assert_no_error (error);
    sitrep_session_set_runbook (bens, runbook);
    /* Connected on a thread, as here. */
    sitrep_session_open_store (bens, team->pg->uri);
    g_assert_true (wait_until (window, session_knows, &(Knowing) { bens, id }));
    g_assert_false (incident_view_says (window, "[x] Acknowledge the incident in monitoring "
                                                "channel — Ben"));
    sitrep_incident_manager_set_item_async (sitrep_session_get_incidents (bens), id,
                                            "ack-monitoring", TRUE, "Ben", NULL, got_result_cb,
                                            &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (sitrep_incident_manager_change_finish (sitrep_session_get_incidents (bens),
                                                          result, &error));
    g_assert_no_error (error);
    g_clear_object (&result);
    g_assert_true (wait_until (window, incident_view_says,
                               "[x] Acknowledge the incident in monitoring channel — Ben"));
    sitrep_session_close (bens);
  }

  /* The post-mortem open here while Ben's console saves its draft: the texts Dana has not
   * touched show Ben's; the one she is writing stays hers. */
  {
    g_autoptr(SitrepStore) other = sitrep_store_open (team->pg->uri, &error);
    g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_new ();
    g_autoptr(SitrepPostmortemFields) stored = NULL;

    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
    g_assert_true (wait_until (window, editor_read, NULL));
    g_assert_true (editor_says (window, "summary:"));
    sitrep_postmortem_editor_set_field (find_editor (window), "root-cause", "Still digging");
    g_free (fields->summary);
    fields->summary = g_strdup ("Label printers stopped after a firmware push.");
    g_free (fields->root_cause);
    fields->root_cause = g_strdup ("The firmware push.");
    g_free (fields->lessons);
    fields->lessons = g_strdup ("Stage firmware on one depot first.");
    g_assert_true (sitrep_store_save_postmortem (other, g_ascii_strtoll (team->incident, NULL, 10),
                                                 NULL, fields, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (wait_until (window, editor_says,
                               "summary:Label printers stopped after a firmware push."));
    g_assert_true (wait_until (window, editor_says, "lessons:Stage firmware on one depot first."));
    g_assert_true (editor_says (window, "root-cause:Still digging"));
    /* Saved here: her cause and Ben's meet as a conflict; nothing is written over Ben's. */
    sitrep_postmortem_editor_save_async (find_editor (window), NULL, got_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (sitrep_postmortem_editor_save_finish (find_editor (window), result, &error));
    g_assert_error (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED);
    g_clear_error (&error);
    g_clear_object (&result);
    stored = sitrep_store_load_postmortem (other, g_ascii_strtoll (team->incident, NULL, 10),
                                           &error);
    g_assert_no_error (error);
    g_assert_cmpstr (stored->root_cause, ==, "The firmware push.");
    gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (find_editor (window)))));
  }

  /* Ben leaves: the header says so. */
  g_clear_object (&ben);
  sitrep_store_presence_refresh (sitrep_session_get_presence (session));
  g_assert_true (wait_until (window, indicator_says, "No one else connected"));
  team->checked = TRUE;
}

static void
test_follow (void)
{
  Team team = { 0 };
  const char *argv[] = { "sitrep", "--paused", "--database", NULL, NULL };

  /* The person at this console (the settings are in memory, this process's). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_string (settings, "lead-name", "Dana");
  }
  team.pg = pg_test_database_new ("sitrep_team_console", TRUE);
  team.incident = run_sitrep (&team, (const char *[]) { "incident", "declare", "--severity",
                                                         "SEV-2", "--title",
                                                         "Labels fail to print", NULL });
  g_assert_cmpint (g_ascii_strtoll (team.incident, NULL, 10), >, 0);
  argv[3] = team.pg->uri;
  ui_test_run_app (argv, FALSE, check_team, &team);
  g_assert_true (team.checked);
  g_free (team.incident);
  pg_test_database_free (team.pg);
}

/* An address with a password is refused before anything connects, and says where it goes. */
static void
check_never_called (SitrepApplication *app,
                    SitrepWindow      *window,
                    gpointer           data)
{
  g_assert_not_reached ();
}

static void
test_password_refused (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { g_getenv ("SITREP_BIN"), "--database",
                         "postgresql://sitrep:hunter2@127.0.0.1:1/incidents", NULL };

  (void) check_never_called;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "holds a password"));
  g_assert_null (strstr (err, "hunter2"));
}


static gboolean
on_team_store (SitrepWindow *window,
               gpointer      data)
{
  SitrepStore *store = sitrep_session_get_store (window->session);

  return store != NULL && sitrep_store_is_shared (store);
}

static gboolean
on_local_store (SitrepWindow *window,
                gpointer      data)
{
  SitrepStore *store = sitrep_session_get_store (window->session);

  return store != NULL && !sitrep_store_is_shared (store);
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

static void
apply_team_address (SitrepPreferencesWindow *prefs,
                    const char              *address)
{
  gtk_editable_set_text (GTK_EDITABLE (prefs->team_row), address);
  g_signal_emit_by_name (prefs->team_row, "apply");
}

/* The team database set in Preferences is used at once: the header names it and the Incident
 * view shows its incident; emptied, the console is back on this computer's. */
static void
check_switch (SitrepApplication *app,
              SitrepWindow      *window,
              gpointer           data)
{
  Team *team = data;
  SitrepSession *session = sitrep_application_get_session (app);
  g_autofree char *where = g_strdup_printf ("“%s”", team->pg->dbname);
  g_autoptr(GError) error = NULL;
  SitrepPreferencesWindow *prefs;

  g_assert_true (wait_until (window, on_local_store, NULL));
  sitrep_incident_manager_declare (sitrep_session_get_incidents (session), "SEV-3",
                                   "Kiosk printer jammed", NULL, "Dana", NULL, NULL, &error);
  g_assert_no_error (error);
  adw_view_stack_set_visible_child_name (window->view_stack, "incident");
  g_assert_true (wait_until (window, incident_view_says, "Kiosk printer jammed"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  apply_team_address (prefs, team->pg->uri);
  g_assert_true (wait_until (window, on_team_store, NULL));
  g_assert_cmpstr (sitrep_session_get_store_address (session), ==, team->pg->uri);
  g_assert_true (wait_until (window, indicator_says, where));
  if (!wait_until (window, incident_view_says, "Labels fail to print"))
    {
      g_autofree char *shown = sitrep_incident_view_get_text (sitrep_window_get_incident_view (window));

      g_error ("the Incident view shows: %s", shown);
    }
  /* Another console's note there reaches this one: the team database is followed. */
  g_free (run_sitrep (team, (const char *[]) { "incident", "note", team->incident,
                                               "Printer vendor called", NULL }));
  adw_view_stack_set_visible_child_name (window->view_stack, "timeline");
  g_assert_true (wait_until (window, ui_test_timeline_shows, "Printer vendor called"));

  /* Emptied: this computer's database again, with its incident. */
  apply_team_address (prefs, "");
  g_assert_true (wait_until (window, on_local_store, NULL));
  adw_view_stack_set_visible_child_name (window->view_stack, "incident");
  g_assert_true (wait_until (window, incident_view_says, "Kiosk printer jammed"));
  g_assert_false (indicator_says (window, where));
  gtk_window_destroy (GTK_WINDOW (prefs));
  team->checked = TRUE;
}

static void
test_switch (void)
{
  Team team = { 0 };
  const char *argv[] = { "sitrep", "--paused", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *saved = NULL;

  g_settings_set_string (settings, "lead-name", "Dana");
  team.pg = pg_test_database_new ("sitrep_team_switch", TRUE);
  team.incident = run_sitrep (&team, (const char *[]) { "incident", "declare", "--severity",
                                                         "SEV-2", "--title",
                                                         "Labels fail to print", NULL });
  ui_test_run_app (argv, FALSE, check_switch, &team);
  g_assert_true (team.checked);
  saved = g_settings_get_string (settings, "team-database");
  g_assert_cmpstr (saved, ==, "");
  g_settings_reset (settings, "team-database");
  g_free (team.incident);
  pg_test_database_free (team.pg);
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
dialog_over_preferences (SitrepWindow *window,
                         gpointer      data)
{
  return find_message_dialog (data) != NULL;
}

/* The windows open over the console (but Preferences): the composer, the post-mortem, the
 * declaration. */
static guint
count_over (SitrepWindow *window,
            GtkWindow    *prefs)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel != prefs && gtk_widget_get_visible (GTK_WIDGET (toplevel))
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        n++;
    }
  return n;
}

static void
close_over (SitrepWindow *window,
            GtkWindow    *prefs)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i - 1);

      if (toplevel != prefs && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        gtk_window_destroy (toplevel);
    }
}

/* A message being written, a post-mortem and a declaration are open on this computer's
 * database when the commander sets the team database: the console stays where they write,
 * a dialog names them and says what to do; once they are closed, it switches. */
static void
check_switch_with_editors (SitrepApplication *app,
                           SitrepWindow      *window,
                           gpointer           data)
{
  Team *team = data;
  SitrepSession *session = sitrep_application_get_session (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *local = NULL;
  SitrepPreferencesWindow *prefs;
  AdwMessageDialog *dialog;
  const char *body;

  g_assert_true (wait_until (window, on_local_store, NULL));
  local = g_strdup (sitrep_session_get_store_address (session));
  sitrep_incident_manager_declare (sitrep_session_get_incidents (session), "SEV-3",
                                   "Kiosk printer jammed", NULL, "Dana", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compose", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  g_assert_cmpuint (count_over (window, NULL), ==, 3);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  apply_team_address (prefs, team->pg->uri);
  if (!wait_until (window, dialog_over_preferences, prefs))
    g_error ("no dialog; the console is on %s", sitrep_session_get_store_address (session));
  dialog = find_message_dialog (GTK_WINDOW (prefs));
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("the dialog: %s — %s", adw_message_dialog_get_heading (dialog), body);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Database Not Switched Yet");
  g_assert_nonnull (strstr (body, "These windows write to the database in use now"));
  g_assert_nonnull (strstr (body, "• Compose Message"));
  g_assert_nonnull (strstr (body, "• Post-Mortem"));
  g_assert_nonnull (strstr (body, "• Declare Incident"));
  g_assert_cmpstr (sitrep_session_get_store_address (session), ==, local);
  g_assert_true (on_local_store (window, NULL));
  /* As its button would. */
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Closed: the address applied again switches. */
  close_over (window, GTK_WINDOW (prefs));
  apply_team_address (prefs, team->pg->uri);
  g_assert_true (wait_until (window, on_team_store, NULL));
  g_assert_null (find_message_dialog (GTK_WINDOW (prefs)));
  apply_team_address (prefs, "");
  g_assert_true (wait_until (window, on_local_store, NULL));
  g_assert_cmpstr (sitrep_session_get_store_address (session), ==, local);
  gtk_window_destroy (GTK_WINDOW (prefs));
  team->checked = TRUE;
}

static void
test_switch_with_editors (void)
{
  Team team = { 0 };
  const char *argv[] = { "sitrep", "--paused", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "lead-name", "Dana");
  team.pg = pg_test_database_new ("sitrep_team_editors", TRUE);
  ui_test_run_app (argv, FALSE, check_switch_with_editors, &team);
  g_assert_true (team.checked);
  g_settings_reset (settings, "team-database");
  pg_test_database_free (team.pg);
}

typedef struct
{
  PgTestCluster *cluster;
  gboolean checked;
} Restarting;

static gboolean
indicator_tooltip_says (SitrepWindow *window,
                        gpointer      data)
{
  const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (window->store_indicator));

  return tooltip != NULL && strstr (tooltip, data) != NULL;
}

static void
check_restarted (SitrepApplication *app,
                 SitrepWindow      *window,
                 gpointer           data)
{
  Restarting *restarting = data;
  g_autofree char *text = NULL;

  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  g_assert_true (wait_until (window, indicator_says, "No one else connected"));

  /* The server goes away: the header no longer says who is there, and the tooltip says why. */
  pg_test_cluster_stop (restarting->cluster);
  g_assert_true (wait_until (window, indicator_says, "Cannot see who else is connected"));
  g_assert_false (indicator_says (window, "No one else connected"));
  /* Why, in libpq's words after the console's (which depend on how the server went). */
  g_assert_true (indicator_tooltip_says (window, "Cannot see who else is connected to the team "
                                                 "database: "));
  text = sitrep_store_indicator_get_text (window->store_indicator);
  g_test_message ("the header with the server down: %s (%s)", text,
                  gtk_widget_get_tooltip_text (GTK_WIDGET (window->store_indicator)));

  /* It is back: the console sees who is there again, on a connection made anew. */
  pg_test_cluster_start (restarting->cluster);
  g_assert_true (wait_until (window, indicator_says, "No one else connected"));
  restarting->checked = TRUE;
}

/* The team database restarts under a running console: the header says what it knows. */
static void
test_restarted (void)
{
  Restarting restarting = { 0 };
  const char *argv[] = { "sitrep", "--paused", "--database", NULL, NULL };

  restarting.cluster = pg_test_cluster_new ();
  argv[3] = restarting.cluster->uri;
  ui_test_run_app (argv, FALSE, check_restarted, &restarting);
  g_assert_true (restarting.checked);
  pg_test_cluster_free (restarting.cluster);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = ui_test_init (&argc, &argv, "test-team-console");

  if (scratch == NULL)
    return 1;
  g_test_add_func ("/team-console/follow", test_follow);
  g_test_add_func ("/team-console/password-refused", test_password_refused);
  g_test_add_func ("/team-console/switch", test_switch);
  g_test_add_func ("/team-console/switch-with-editors", test_switch_with_editors);
  g_test_add_func ("/team-console/restarted", test_restarted);
  return g_test_run ();
}
