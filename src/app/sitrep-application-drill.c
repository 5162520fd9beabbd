/* sitrep-application-drill.c: "Practise with a Drill": a simulated CareCircle in this console
 *
 * The drill (libsitrep's SitrepDrill: the simulated cluster, its health endpoints, and Redis
 * and PostgreSQL in process groups that end with Sitrep) writes its runbook into the user's
 * runtime folder; the console then works on that runbook, whose environment is marked as a
 * drill, until another runbook is opened or Sitrep quits. Then the drill stops and its files go.
 */
#include "config.h"

#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sitrep-application-private.h"
#include "sitrep-drill.h"

static char *
drill_folder (void)
{
  g_autofree char *name = g_strdup_printf ("sitrep-drill-%d", (int) getpid ());

  return g_build_filename (g_get_user_runtime_dir (), name, NULL);
}

static void
toast (SitrepApplication *self,
       const char        *text)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SITREP_IS_WINDOW (window))
    sitrep_window_show_toast (SITREP_WINDOW (window), text);
}

void
sitrep_application_stop_drill (SitrepApplication *self)
{
  g_autoptr(SitrepDrill) drill = g_steal_pointer (&self->drill);
  g_autofree char *folder = NULL;

  if (drill == NULL)
    return;
  g_clear_signal_handler (&self->drill_runbook_id, self->session);
  sitrep_drill_stop (drill);
  /* Its runbook names ports that no longer answer: nothing may open it again. */
  g_unlink (sitrep_drill_get_runbook_path (drill));
  g_unlink (sitrep_drill_get_kubeconfig_path (drill));
  folder = g_path_get_dirname (sitrep_drill_get_runbook_path (drill));
  g_rmdir (folder);
}

/* Another runbook was opened: the drill is over. */
static void
runbook_changed_cb (SitrepApplication *self)
{
  SitrepRunbook *runbook = sitrep_session_get_runbook (self->session);

  if (self->drill != NULL
      && (runbook == NULL
          || g_strcmp0 (sitrep_runbook_get_source (runbook),
                        sitrep_drill_get_runbook_path (self->drill)) != 0))
    sitrep_application_stop_drill (self);
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SitrepApplication) self = user_data;
  SitrepDrill *drill = SITREP_DRILL (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  if (!sitrep_drill_start_finish (drill, result, &error))
    {
      if (self->drill == drill)
        sitrep_application_stop_drill (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  /* Another drill, or none, was asked for meanwhile. */
  if (self->drill != drill)
    return;

  /* A small file of our own, just written to the runtime folder. */
  file = g_file_new_for_path (sitrep_drill_get_runbook_path (drill));
  runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  if (runbook == NULL)
    {
      toast (self, error->message);
      sitrep_application_stop_drill (self);
      return;
    }
  sitrep_session_set_runbook (self->session, runbook);
  self->drill_runbook_id = g_signal_connect_swapped (self->session, "notify::runbook",
                                                     G_CALLBACK (runbook_changed_cb), self);
}

/**
 * sitrep_application_start_drill:
 *
 * Ends the drill under way, if any, and starts @scenario_id in real time. The console shows its
 * runbook once everything answers.
 */
void
sitrep_application_start_drill (SitrepApplication *self,
                                const char        *scenario_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = drill_folder ();

  sitrep_application_stop_drill (self);
  self->drill = sitrep_drill_new (scenario_id, folder, 1, &error);
  if (self->drill == NULL)
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Starting the drill…"));
  sitrep_drill_start_async (self->drill, NULL, started_cb, g_object_ref (self));
}
