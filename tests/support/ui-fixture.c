/* ui-fixture.c: what the widget tests build before their widget: a store, a runbook, a clock, an
 * incident manager with an incident declared, and a window */
#include "config.h"

#include "sitrep-runbook-loader.h"
#include "ui-fixture.h"
#include "ui-test-util.h"

/**
 * ui_fixture_set_up:
 * @options: (nullable): what differs from CareCircle in memory with no incident
 *
 * Opens the store, loads or takes the runbook, makes the clock and the incident manager (not
 * started), declares the incident asked for, and makes the window, not yet on screen.
 */
void
ui_fixture_set_up (UiFixture              *fixture,
                   const UiFixtureOptions *options)
{
  static const UiFixtureOptions defaults = { 0 };
  g_autoptr(GError) error = NULL;

  if (options == NULL)
    options = &defaults;

  fixture->t0 = options->t0 != 0 ? options->t0 : UI_FIXTURE_T0;
  if (options->on_disk)
    {
      fixture->database_dir = g_dir_make_tmp ("sitrep-ui-fixture-db-XXXXXX", &error);
      g_assert_no_error (error);
      /* A file, so the test may read what reached the disk through a connection of its own. */
      fixture->database_path = g_build_filename (fixture->database_dir, "sitrep.db", NULL);
    }
  fixture->store = sitrep_store_open (options->on_disk ? fixture->database_path : ":memory:",
                                      &error);
  g_assert_no_error (error);
  if (options->runbook != NULL)
    fixture->runbook = g_object_ref (options->runbook);
  else
    {
      fixture->runbook = sitrep_runbook_load_default (&error);
      g_assert_no_error (error);
    }
  if (options->real_clock)
    fixture->clock = sitrep_clock_new ();
  else
    fixture->clock = sitrep_clock_new_manual (fixture->t0);
  fixture->manager = sitrep_incident_manager_new (fixture->store, fixture->runbook,
                                                  fixture->clock, &error);
  g_assert_no_error (error);
  if (options->declare != NULL)
    {
      const UiFixtureDeclaration *declare = options->declare;

      fixture->incident = sitrep_incident_manager_declare (fixture->manager, declare->severity,
                                                           declare->summary, declare->impact,
                                                           declare->lead, NULL,
                                                           declare->services, &error);
      g_assert_no_error (error);
    }

  fixture->window = GTK_WINDOW (gtk_window_new ());
  if (options->window_width > 0 || options->window_height > 0)
    gtk_window_set_default_size (fixture->window,
                                 options->window_width > 0 ? options->window_width : -1,
                                 options->window_height > 0 ? options->window_height : -1);
}

/* Destroys the window, lets what it leaves run, and drops the rest; the database file, if any,
 * goes with its folder. What the test made itself may hold references to these and be dropped
 * before or after. */
void
ui_fixture_tear_down (UiFixture *fixture)
{
  g_clear_pointer (&fixture->window, gtk_window_destroy);
  ui_fixture_settle ();
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->runbook);
  g_clear_object (&fixture->store);
  if (fixture->database_path != NULL)
    ui_test_remove_database (fixture->database_path);
  g_clear_pointer (&fixture->database_path, g_free);
  g_clear_pointer (&fixture->database_dir, g_free);
}

/* Puts @child (unless %NULL) in the window, and the window on screen. */
void
ui_fixture_show (UiFixture *fixture,
                 GtkWidget *child)
{
  if (child != NULL)
    gtk_window_set_child (fixture->window, child);
  gtk_window_present (fixture->window);
}

/* Runs the main loop until nothing is pending. */
void
ui_fixture_settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
