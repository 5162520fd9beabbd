/* test-drill-journey.c: one drill in the real window, from its start to the scored post-mortem:
 * declared through the dialog, mitigated through the confirmation with the real kubectl against
 * the drill's simulated cluster, resolved in the Incident view */
#include "config.h"

#include <adwaita.h>

#include "sitrep-action-dialog-private.h"
#include "sitrep-action-output-private.h"
#include "sitrep-application-private.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-drill.h"
#include "sitrep-incident-view-private.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-window-private.h"

/* Twenty times the scenario's pace: its outage (40 simulated seconds) comes in two. */
#define SPEED 20

typedef gboolean (*Ready) (gpointer data);

/* Turns the main loop until @ready says so; the test fails after @seconds. */
static void
wait_until (Ready       ready,
            gpointer    data,
            int         seconds,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!ready (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %d s for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }
  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The window streaming a command's output, or NULL. */
static SitrepActionOutput *
find_output (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);
      GtkWidget *output = find_descendant (toplevel, SITREP_TYPE_ACTION_OUTPUT);

      if (output != NULL)
        return SITREP_ACTION_OUTPUT (output);
    }
  return NULL;
}

static gboolean
drill_ready (gpointer data)
{
  SitrepSession *session = data;
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);

  return runbook != NULL && !sitrep_session_get_loading (session)
         && sitrep_runbook_get_environment (runbook)->drill
         && sitrep_session_get_incidents (session) != NULL
         && sitrep_session_get_actions (session) != NULL;
}

static gboolean
current_resolved (gpointer data)
{
  SitrepIncident *incident = sitrep_incident_manager_get_current (data);

  return incident != NULL && sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED;
}

static gboolean
declare_dialog_open (gpointer data)
{
  return find_toplevel (SITREP_TYPE_DECLARE_DIALOG) != NULL;
}

static gboolean
declared (gpointer data)
{
  return g_strcmp0 (sitrep_declare_dialog_get_page (data), "declared") == 0;
}

static gboolean
confirmation_open (gpointer data)
{
  return find_toplevel (SITREP_TYPE_ACTION_DIALOG) != NULL;
}

static gboolean
confirmation_ready (gpointer data)
{
  return !sitrep_action_dialog_get_loading (data)
         && adw_message_dialog_get_response_enabled (data, "run");
}

static gboolean
output_finished (gpointer data)
{
  SitrepActionOutput *output = find_output ();

  return output != NULL && sitrep_action_output_get_finished (output);
}

static gboolean
drill_mitigated (gpointer data)
{
  SitrepApplication *app = data;

  return app->drill != NULL && sitrep_drill_get_mitigated_at (app->drill) > 0;
}

static gboolean
postmortem_open (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (find_descendant (toplevel, SITREP_TYPE_POSTMORTEM_EDITOR) != NULL)
        return TRUE;
    }
  return FALSE;
}

static SitrepPostmortemEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);
      GtkWidget *editor = find_descendant (toplevel, SITREP_TYPE_POSTMORTEM_EDITOR);

      if (editor != NULL)
        return SITREP_POSTMORTEM_EDITOR (editor);
    }
  return NULL;
}

static void
play_drill (SitrepApplication *app,
            SitrepWindow      *window)
{
  SitrepSession *session = sitrep_application_get_session (app);
  SitrepIncidentView *view = sitrep_window_get_incident_view (window);
  SitrepIncidentManager *incidents;
  SitrepDeclareDialog *declare;
  SitrepActionDialog *confirmation;
  SitrepActionOutput *output;
  SitrepIncident *incident;
  GtkEditable *typed;
  gint64 id;
  g_autofree char *output_text = NULL;
  g_autofree char *preview = NULL;

  /* "Practise with a Drill": the web app after a bad release. */
  sitrep_application_start_drill_at_speed (app, "web-bad-deploy", SPEED);
  wait_until (drill_ready, session, 120, "the drill to start");
  g_assert_cmpstr (sitrep_window_get_heading (window), ==, "CareCircle (drill)");
  incidents = sitrep_session_get_incidents (session);

  /* Declared through the dialog, as a commander does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  wait_until (declare_dialog_open, NULL, 20, "the declare dialog");
  declare = SITREP_DECLARE_DIALOG (find_toplevel (SITREP_TYPE_DECLARE_DIALOG));
  g_assert_true (sitrep_declare_dialog_select_severity (declare, "SEV-2"));
  sitrep_declare_dialog_set_text (declare, "summary", "Web app down after the release");
  sitrep_declare_dialog_set_text (declare, "impact", "Patients cannot log in");
  sitrep_declare_dialog_set_text (declare, "lead", "Grace Hopper");
  g_assert_true (sitrep_declare_dialog_press (declare, "declare"));
  wait_until (declared, declare, 20, "the declaration");
  gtk_window_destroy (GTK_WINDOW (declare));
  incident = sitrep_incident_manager_get_current (incidents);
  g_assert_nonnull (incident);
  g_assert_true (sitrep_incident_get_drill (incident));
  /* Each change replaces the manager's snapshot of the incident: it is found by its id. */
  id = sitrep_incident_get_id (incident);

  /* The right mitigation, rollout undo, through its confirmation: aimed at the drill only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)", "web",
                                             "rollback"));
  wait_until (confirmation_open, NULL, 20, "the confirmation");
  confirmation = SITREP_ACTION_DIALOG (find_toplevel (SITREP_TYPE_ACTION_DIALOG));
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (confirmation),
                            "rollout undo deployment/carecircle-web"));
  g_assert_nonnull (strstr (sitrep_action_dialog_get_command (confirmation), "--kubeconfig"));
  g_assert_nonnull (strstr (sitrep_action_dialog_get_where (confirmation), "Drill"));
  typed = sitrep_action_dialog_get_confirm_entry (confirmation);
  if (gtk_widget_get_visible (GTK_WIDGET (typed)))
    gtk_editable_set_text (typed, gtk_entry_get_placeholder_text (GTK_ENTRY (typed)));
  wait_until (confirmation_ready, confirmation, 30, "the confirmation to allow Run");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirmation), "run");
  gtk_window_close (GTK_WINDOW (confirmation));

  /* The real kubectl reached the drill's cluster, which rolled the release back. */
  wait_until (output_finished, NULL, 90, "kubectl rollout undo to finish");
  output = find_output ();
  output_text = sitrep_action_output_get_text (output);
  g_assert_nonnull (strstr (output_text, "rolled back"));
  wait_until (drill_mitigated, app, 60, "the drill to see the release rolled back");

  /* Mitigated, then resolved, in the Incident view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "incident"));
  g_assert_true (sitrep_incident_view_select_status (view, SITREP_STATUS_MONITORING));
  g_assert_true (sitrep_incident_view_select_status (view, SITREP_STATUS_RESOLVED));
  /* Written on the store's writer thread: the manager shows it once it is stored. */
  wait_until (current_resolved, incidents, 30, "the incident to be stored as resolved");
  incident = sitrep_incident_manager_find (incidents, id);
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_RESOLVED);

  /* The post-mortem ends with the drill's score. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  wait_until (postmortem_open, NULL, 20, "the post-mortem editor");
  /* What it shows is read from the store as it opens. */
  sitrep_postmortem_editor_wait_for_load (find_editor ());
  preview = sitrep_postmortem_editor_get_preview (find_editor ());
  g_test_message ("%s", preview);
  g_assert_nonnull (strstr (preview, "Web app down after the release"));
  g_assert_nonnull (strstr (preview, "\n## Drill score\n\n- Declared "));
  g_assert_nonnull (strstr (preview, " after the drill began\n"));
  g_assert_nonnull (strstr (preview, "- No stakeholder message was sent: the response target is "
                                     "30 min 00 s\n"));
  g_assert_nonnull (strstr (preview, "\n- Mitigated after "));
  g_assert_nonnull (strstr (preview, "\n- Resolved after "));
  g_assert_nonnull (strstr (preview, "\n- Checklist: 0 of "));
}

typedef struct
{
  SitrepApplication *app;
  gint64 deadline;
  gboolean checked;
} Run;

static gboolean
poll_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  if (g_get_monotonic_time () > run->deadline)
    g_error ("the window did not finish loading within 60 s");
  if (window == NULL || g_strcmp0 (sitrep_window_get_page (SITREP_WINDOW (window)), "loading") == 0)
    return G_SOURCE_CONTINUE;

  play_drill (run->app, SITREP_WINDOW (window));
  run->checked = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
test_drill_to_postmortem (void)
{
  g_autoptr(SitrepApplication) app = sitrep_application_new ();
  g_autofree char *database = g_build_filename (g_get_user_data_dir (), "drill.db", NULL);
  /* The CareCircle hosts do not exist here: the drill's probes are not what this test is about. */
  const char *argv[] = { "sitrep", "--paused", "--database", database, NULL };
  Run run = { app, g_get_monotonic_time () + 60 * G_USEC_PER_SEC, FALSE };
  int status;

  /* Only the drill's runbook may lead kubectl to the drill. */
  g_unsetenv ("KUBECONFIG");
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (database, "", 0, NULL));
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);

  g_timeout_add (20, poll_cb, &run);
  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, (char **) argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.checked);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  /* As test-window.c: the user's folders isolated, the icon themes kept. */
  scratch = g_dir_make_tmp ("sitrep-drill-journey-XXXXXX", NULL);
  g_assert_nonnull (scratch);
  g_setenv ("XDG_DATA_HOME", scratch, TRUE);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_setenv ("XDG_CACHE_HOME", scratch, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", scratch, TRUE);
  g_setenv ("HOME", scratch, TRUE);
  g_setenv ("LC_ALL", "C", TRUE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("Bail out! No display: run the tests with the README's test command "
                  "(build-aux/sitrep-dev test), which starts Xvfb.\n");
      return 1;
    }
  adw_init ();

  g_test_add_func ("/drill-journey/to-postmortem", test_drill_to_postmortem);

  return g_test_run ();
}
