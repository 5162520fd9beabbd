/* test-team-offline.c: the window says plainly when its team database is unreachable and changes
 * are kept on this computer, and stops saying it once they are written (a PostgreSQL cluster of
 * the test's own, stopped and started again) */
#include "config.h"

#include <string.h>

#include "pg-test-util.h"
#include "sitrep-store-writer.h"
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

static void
note_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source), result,
                                                                      &error);

  g_assert_no_error (error);
  (*(guint *) user_data)--;
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

  /* The server goes away; a note is kept, and the window says so. The console's reads still
   * go to the server (see "Not yet" in docs/ARCHITECTURE.md) and warn that it is away: not
   * fatal while it is, criticals still are. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  pg_test_cluster_stop (offline->cluster);
  pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Kept while away", "Dana",
                               NULL, note_cb, &pending);
  g_assert_true (wait_until (window, banner_says,
                             "The team database is unreachable: changes are kept on this "
                             "computer and written when it is back (1 kept)."));
  g_test_message ("the banner: %s", gtk_label_get_text (window->store_label));
  g_assert_cmpuint (pending, ==, 0);

  /* Back: the note is written and the banner goes. */
  pg_test_cluster_start (offline->cluster);
  g_assert_true (wait_until (window, banner_gone, NULL));
  count = pg_test_cluster_query (offline->cluster,
                                 "SELECT count(*) FROM timeline_events WHERE text = "
                                 "'Kept while away'");
  g_assert_cmpstr (count, ==, "1");
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  offline->checked = TRUE;
}

static void
test_banner (void)
{
  Offline offline = { 0 };
  const char *argv[] = { "sitrep", "--paused", "--database", NULL, NULL };

  offline.cluster = pg_test_cluster_new ();
  argv[3] = offline.cluster->uri;
  ui_test_run_app (argv, FALSE, check_offline, &offline);
  g_assert_true (offline.checked);
  pg_test_cluster_free (offline.cluster);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = ui_test_init (&argc, &argv, "test-team-offline");

  if (scratch == NULL)
    return 1;
  g_test_add_func ("/team-offline/banner", test_banner);
  return g_test_run ();
}
