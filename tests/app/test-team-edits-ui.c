/* test-team-edits-ui.c: the declare dialog of a console whose team database is unreachable:
 * the channel of the incident declared meanwhile is edited there as always; a note kept on
 * this computer is edited from the banner's list (a PostgreSQL cluster of the test's own,
 * stopped and started again) */
#include "config.h"

#include <string.h>

#include "fixture-runbook.h"
#include "pg-test-util.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-incident-kept.h"
#include "sitrep-kept-list-private.h"
#include "sitrep-store-writer.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"
#include "sitrep-store-testing.h"

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

/* The server's incident, declared while away, has the channel @data. */
static gboolean
server_has_channel (SitrepWindow *window,
                    gpointer      data)
{
  Offline *offline = g_object_get_data (G_OBJECT (window), "test-offline");
  g_autofree char *channel = pg_test_cluster_query (offline->cluster,
                                                    "SELECT channel FROM incidents WHERE summary"
                                                    " = 'Parcels stuck at the hub'");

  return g_strcmp0 (channel, data) == 0;
}

static void
check_channel (SitrepApplication *app,
               SitrepWindow      *window,
               gpointer           data)
{
  Offline *offline = data;
  SitrepIncidentManager *incidents;
  SitrepIncident *current;
  SitrepDeclareDialog *dialog;
  const char *message;
  g_autofree char *count = NULL;

  g_object_set_data (G_OBJECT (window), "test-offline", offline);
  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  incidents = sitrep_session_get_incidents (window->session);
  g_assert_nonnull (incidents);

  /* The server goes away; the commander declares, and names the room as the team calls it. */
  pg_test_cluster_stop (offline->cluster);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  g_assert_true (wait_until (window, ui_test_declare_dialog_open, NULL));
  dialog = ui_test_find_declare_dialog ();
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "P1"));
  sitrep_declare_dialog_set_text (dialog, "summary", "Parcels stuck at the hub");
  sitrep_declare_dialog_set_text (dialog, "lead", "Dana");
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_true (wait_until (window, ui_test_declare_dialog_on_page, "declared"));
  g_assert_cmpint (sitrep_declare_dialog_get_incident_id (dialog), <, -1);
  sitrep_declare_dialog_set_text (dialog, "channel", "#hub-parcels");
  /* The first status message names the room as edited. */
  message = sitrep_declare_dialog_get_text (dialog, "message");
  g_test_message ("the message: %s", message);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "Room: #hub-parcels\n"));
  g_assert_true (sitrep_declare_dialog_press (dialog, "done"));

  /* The console shows the name at once; the rename is kept with the declaration. */
  current = sitrep_incident_manager_get_current (incidents);
  g_assert_true (sitrep_incident_is_kept (current));
  g_assert_true (wait_until (window, banner_says, "(2 kept)"));
  current = sitrep_incident_manager_get_current (incidents);
  g_assert_cmpstr (sitrep_incident_get_channel (current), ==, "#hub-parcels");

  /* Back: the server's incident has the name. */
  pg_test_cluster_start (offline->cluster);
  g_assert_true (wait_until (window, server_has_channel, "#hub-parcels"));
  count = pg_test_cluster_query (offline->cluster,
                                 "SELECT count(*) FROM incidents WHERE summary = "
                                 "'Parcels stuck at the hub'");
  g_assert_cmpstr (count, ==, "1");
  offline->checked = TRUE;
}

static void
test_channel (void)
{
  g_autofree char *runbook = fixture_runbook_write (NULL);
  Offline offline = { 0 };
  const char *argv[] = { "sitrep", "--paused", "--database", NULL, "--runbook", runbook, NULL };

  offline.cluster = pg_test_cluster_new ();
  argv[3] = offline.cluster->uri;
  ui_test_run_app (argv, FALSE, check_channel, &offline);
  /* Warnings stay non-fatal: the writer thread, which outlives the window a moment, may still
   * warn that a connection from before the restart is gone. */
  g_assert_true (offline.checked);
  pg_test_cluster_free (offline.cluster);
}

typedef struct
{
  PgTestCluster *cluster;
  gint64 incident;
  gboolean checked;
} KeptNote;

static gboolean
kept_list_says (SitrepWindow *window,
                gpointer      data)
{
  g_autofree char *text = sitrep_kept_list_get_text (window->kept_list);

  return text != NULL && strstr (text, data) != NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
server_note_says (SitrepWindow *window,
                  gpointer      data)
{
  KeptNote *kept = g_object_get_data (G_OBJECT (window), "test-kept");
  g_autofree char *sql = g_strdup_printf ("SELECT text || ' (first: ' || coalesce (original_text,"
                                          " '-') || ')' FROM timeline_events WHERE kind = 'note'"
                                          " AND incident_id = %" G_GINT64_FORMAT,
                                          kept->incident);
  g_autofree char *note = pg_test_cluster_query (kept->cluster, sql);

  return g_strcmp0 (note, data) == 0;
}

static void
note_kept_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source), result,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_nonnull (note);
  g_assert_true (sitrep_store_write_was_journaled (result));
  *done = TRUE;
}

static void
check_kept_note (SitrepApplication *app,
                 SitrepWindow      *window,
                 gpointer           data)
{
  KeptNote *kept = data;
  SitrepStore *store;
  AdwMessageDialog *dialog;
  GtkWidget *edit;
  gboolean done = FALSE;

  g_object_set_data (G_OBJECT (window), "test-kept", kept);
  g_assert_true (wait_until (window, ui_test_store_open, NULL));
  store = sitrep_session_get_store (window->session);

  /* The server goes away; a note with a typo is kept. */
  pg_test_cluster_stop (kept->cluster);
  sitrep_store_add_note_async (store, kept->incident, g_get_real_time (), "Pagd the DBA", "Dana",
                               NULL, note_kept_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait_until (window, banner_says, "(1 kept)"));

  /* "Show", then the note's Edit button: a dialog with its text. */
  gtk_menu_button_popup (window->kept_button);
  g_assert_true (wait_until (window, kept_list_says, "Note “Pagd the DBA”"));
  edit = ui_test_find_descendant (GTK_WIDGET (window->kept_list), GTK_TYPE_BUTTON);
  g_assert_nonnull (edit);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (edit), ==, "Edit Note");
  g_signal_emit_by_name (edit, "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))),
                   ==, "Pagd the DBA");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)),
                         "Paged the DBA");
  adw_message_dialog_response (dialog, "save");

  /* Kept after the note, listed so. */
  g_assert_true (wait_until (window, banner_says, "(2 kept)"));
  gtk_menu_button_popup (window->kept_button);
  g_assert_true (wait_until (window, kept_list_says, "Note edited to “Paged the DBA”"));
  gtk_menu_button_popdown (window->kept_button);

  /* Back: the note is written, then edited; its first words stay its original. */
  pg_test_cluster_start (kept->cluster);
  g_assert_true (wait_until (window, server_note_says, "Paged the DBA (first: Pagd the DBA)"));
  kept->checked = TRUE;
}

static void
test_kept_note (void)
{
  g_autofree char *runbook = fixture_runbook_write (NULL);
  g_autoptr(SitrepRunbook) loaded = fixture_runbook_load (NULL);
  g_autoptr(SitrepStore) other = NULL;
  g_autoptr(GError) error = NULL;
  KeptNote kept = { 0 };
  const char *argv[] = { "sitrep", "--paused", "--database", NULL, "--runbook", runbook, NULL };

  kept.cluster = pg_test_cluster_new ();
  other = sitrep_store_open (kept.cluster->uri, &error);
  g_assert_no_error (error);
  kept.incident = sitrep_store_insert_incident (other, sitrep_runbook_get_name (loaded), "P1",
                                                "Dispatch queue stuck", g_get_real_time (),
                                                &error);
  g_assert_no_error (error);
  g_clear_object (&other);
  argv[3] = kept.cluster->uri;
  ui_test_run_app (argv, FALSE, check_kept_note, &kept);
  g_assert_true (kept.checked);
  pg_test_cluster_free (kept.cluster);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = ui_test_init (&argc, &argv, "test-team-edits-ui");

  if (scratch == NULL)
    return 1;
  g_test_add_func ("/team-edits-ui/channel", test_channel);
  g_test_add_func ("/team-edits-ui/kept-note", test_kept_note);
  return g_test_run ();
}
