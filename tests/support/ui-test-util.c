/* ui-test-util.c: the setup the tests under a real display share, and the real app run on it */
#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sitrep-declare-dialog-private.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"

/**
 * ui_test_init:
 * @name: the scratch folder's prefix, naming the test
 *
 * Gives the test its own user folders, starts the test framework, GTK and libadwaita. Not
 * G_TEST_OPTION_ISOLATE_DIRS: it also hides the icon themes in XDG_DATA_DIRS, and the windows
 * would be tested without their icons. Anything read from the environment when GLib first asks
 * (HOME, GTK_A11Y) is set before this.
 *
 * Returns: (transfer full) (nullable): the scratch folder the user folders are in, or %NULL
 *   when there is no display, said as TAP's "Bail out!": main() returns 1 then.
 */
char *
ui_test_init (int         *argc,
              char      ***argv,
              const char  *name)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  g_autofree char *scratch = g_dir_make_tmp (template, NULL);

  g_assert_nonnull (scratch);
  g_setenv ("XDG_DATA_HOME", scratch, TRUE);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_setenv ("XDG_CACHE_HOME", scratch, TRUE);
  g_setenv ("XDG_STATE_HOME", scratch, TRUE);

  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("Bail out! No display: run the tests with the README's test command "
                  "(build-aux/sitrep-dev test), which starts Xvfb.\n");
      return NULL;
    }
  adw_init ();
  return g_steal_pointer (&scratch);
}

/**
 * ui_test_database:
 * @name: the file's name in the user's data folder
 * @fresh: emptied when it exists (a new database), otherwise kept as an earlier run left it
 *
 * `--database` names an existing file: an empty one is a new database.
 *
 * Returns: (transfer full): the database's path
 */
char *
ui_test_database (const char *name,
                  gboolean    fresh)
{
  char *database = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  if (fresh || !g_file_test (database, G_FILE_TEST_EXISTS))
    g_assert_true (g_file_set_contents (database, "", 0, NULL));
  return database;
}

/* Removes a test's SQLite file with its companions (write-ahead log, shared memory, rollback
 * journal), and the folder it was made in when that is left empty. */
void
ui_test_remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *dir = g_path_get_dirname (path);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

typedef struct
{
  SitrepApplication *app;
  UiTestWindowFunc func;
  gpointer data;
  gint64 deadline;
  gboolean called;
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

  run->func (run->app, SITREP_WINDOW (window), run->data);
  run->called = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

/**
 * ui_test_run_app:
 * @argv: the whole command line, from "sitrep", %NULL-terminated
 * @unique: registered on the session bus, so that a second `sitrep` reaches it; otherwise it
 *   runs beside the other programs on the test's bus
 * @func: called once on the window when it has loaded, after which the application quits
 *
 * Starts the real application as `sitrep` would and waits (60 s at most: under the sanitizers on
 * a busy machine a start takes its time) for its window.
 */
void
ui_test_run_app (const char *const *argv,
                 gboolean           unique,
                 UiTestWindowFunc   func,
                 gpointer           data)
{
  g_autoptr(SitrepApplication) app = sitrep_application_new ();
  Run run = { app, func, data, g_get_monotonic_time () + 60 * G_USEC_PER_SEC, FALSE };
  gpointer gone = app;
  int status;

  if (!unique)
    g_application_set_flags (G_APPLICATION (app),
                             g_application_get_flags (G_APPLICATION (app))
                             | G_APPLICATION_NON_UNIQUE);

  g_timeout_add (20, poll_cb, &run);
  status = g_application_run (G_APPLICATION (app), g_strv_length ((char **) argv),
                              (char **) argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.called);
  /* Quitting let go of everything: the console's clocks and watches stop with it, and never
   * run on in the next test's main loop. */
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &gone);
  g_clear_object (&app);
  g_assert_null (gone);
}

/* A desktop notification server on the test's bus: the console's escalations and service
 * changes reach org.freedesktop.Notifications as on a desktop. */
static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  </interface>"
  "</node>";

static guint n_notifications;

static void
notifications_call_cb (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *object_path,
                       const char            *interface_name,
                       const char            *method_name,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++n_notifications));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Owns org.freedesktop.Notifications on the session bus until the test ends. */
void
ui_test_serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  gboolean acquired = FALSE;

  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, name_acquired_cb, NULL,
                                &acquired, NULL);
  while (!acquired)
    g_main_context_iteration (NULL, TRUE);
}

/* @widget or the first of its descendants (depth first) that is a @type, or NULL. */
GtkWidget *
ui_test_find_descendant (GtkWidget *widget,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * ui_test_wait_until:
 * @seconds: how long at most
 *
 * Turns the main loop until @condition holds for @window, or @seconds have passed (a benchmark
 * measures how soon; a test only that it happens).
 *
 * Returns: whether @condition holds
 */
gboolean
ui_test_wait_until (SitrepWindow    *window,
                    guint            seconds,
                    UiTestCondition  condition,
                    gpointer         data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timed_out_cb, &timed_out);

  while (!condition (window, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (window, data);
}

/* A UiTestCondition: the session's store is open (a team database connects on a thread). */
gboolean
ui_test_store_open (SitrepWindow *window,
                    gpointer      data)
{
  return sitrep_session_get_store (window->session) != NULL;
}

/* The declare dialog on screen, or NULL. */
SitrepDeclareDialog *
ui_test_find_declare_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (SITREP_IS_DECLARE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return SITREP_DECLARE_DIALOG (toplevel);
    }
  return NULL;
}

/* A UiTestCondition: the declare dialog is on screen. */
gboolean
ui_test_declare_dialog_open (SitrepWindow *window,
                             gpointer      data)
{
  return ui_test_find_declare_dialog () != NULL;
}

/* A UiTestCondition: the declare dialog shows the page @data names ("declared", …). */
gboolean
ui_test_declare_dialog_on_page (SitrepWindow *window,
                                gpointer      data)
{
  SitrepDeclareDialog *dialog = ui_test_find_declare_dialog ();

  return dialog != NULL && g_strcmp0 (sitrep_declare_dialog_get_page (dialog), data) == 0;
}

/* A row of @window's Timeline view shows the text @data. */
gboolean
ui_test_timeline_shows (SitrepWindow *window,
                        gpointer      data)
{
  SitrepTimelineView *view = sitrep_window_get_timeline_view (window);

  for (guint i = 0; i < sitrep_timeline_view_get_n_shown (view); i++)
    {
      g_autofree char *row = sitrep_timeline_view_describe_row (view, i);

      if (strstr (row, data) != NULL)
        return TRUE;
    }
  return FALSE;
}
