/* sitrep-application-drill.c: "Practise with a Drill": a simulated CareCircle in this console
 *
 * The drill (libsitrep's SitrepDrill: the simulated cluster, its health endpoints, and Redis
 * and PostgreSQL in process groups that end with Sitrep) writes its runbook into a folder of
 * its own in the user's runtime folder; the console then works on that runbook, whose
 * environment is marked as a drill, until another runbook is opened or Sitrep quits. Then the
 * drill stops and its files go. Sitrep wrote that runbook itself, so it is trusted for this
 * session only: nothing remembers it, and no later Sitrep takes the file as trusted.
 */
#include "config.h"

#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sitrep-application-private.h"
#include "sitrep-drill-history.h"
#include "sitrep-drill.h"
#include "sitrep-runbook-loader.h"

/* A folder per drill: a drill that is still stopping keeps its own until it is gone. */
static char *
drill_folder (void)
{
  static guint serial;
  g_autofree char *name = g_strdup_printf ("sitrep-drill-%d-%u", (int) getpid (), ++serial);

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

static void
remove_files (SitrepDrill *drill)
{
  g_autofree char *folder = g_path_get_dirname (sitrep_drill_get_runbook_path (drill));

  g_unlink (sitrep_drill_get_runbook_path (drill));
  g_unlink (sitrep_drill_get_kubeconfig_path (drill));
  sitrep_drill_remove_health_store (folder);
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GPtrArray) stopping = user_data;
  SitrepDrill *drill = SITREP_DRILL (source);
  g_autofree char *folder = g_path_get_dirname (sitrep_drill_get_runbook_path (drill));

  sitrep_drill_stop_finish (drill, result, NULL);
  /* The drill's monitor may have written its history again since remove_files(). */
  sitrep_drill_remove_health_store (folder);
  g_rmdir (folder);
  g_ptr_array_remove (stopping, drill);
}

/**
 * sitrep_application_stop_drill:
 *
 * Ends the drill under way, if any, without waiting: its runbook goes at once (it names ports
 * that will no longer answer: nothing may open it again), its servers in the background.
 */
void
sitrep_application_stop_drill (SitrepApplication *self)
{
  g_autoptr(SitrepDrill) drill = g_steal_pointer (&self->drill);

  if (drill == NULL)
    return;
  g_clear_signal_handler (&self->drill_runbook_id, self->session);
  g_cancellable_cancel (self->drill_cancellable);
  g_clear_object (&self->drill_cancellable);
  remove_files (drill);
  g_ptr_array_add (self->stopping_drills, g_object_ref (drill));
  sitrep_drill_stop_async (drill, stopped_cb, g_ptr_array_ref (self->stopping_drills));
}

/* Quitting, when no window is left: what still runs of any drill ends now, and is waited for
 * (each server is killed after 10 s), so that its folders go too. */
void
sitrep_application_end_drills (SitrepApplication *self)
{
  sitrep_application_stop_drill (self);
  while (self->stopping_drills != NULL && self->stopping_drills->len > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&self->stopping_drills, g_ptr_array_unref);
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
runbook_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SitrepApplication) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_file_finish (result, &problems, &error);
  /* Stopping the drill cancels the load: another drill, or none, was asked for meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->drill == NULL)
    return;
  if (runbook == NULL)
    {
      g_autofree char *first = problems && problems->len
                                 ? sitrep_runbook_problem_to_string (problems->pdata[0]) : NULL;

      toast (self, first ? first : error->message);
      sitrep_application_stop_drill (self);
      return;
    }
  /* Sitrep wrote it a moment ago: no review, and nothing to remember either. */
  sitrep_session_trust_runbook_for_now (self->session, runbook);
  sitrep_session_set_runbook (self->session, runbook);
  self->drill_runbook_id = g_signal_connect_swapped (self->session, "notify::runbook",
                                                     G_CALLBACK (runbook_changed_cb), self);
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SitrepApplication) self = user_data;
  SitrepDrill *drill = SITREP_DRILL (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  if (!sitrep_drill_start_finish (drill, result, &error))
    {
      if (self->drill == drill)
        sitrep_application_stop_drill (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (self->drill != drill)
    return;

  file = g_file_new_for_path (sitrep_drill_get_runbook_path (drill));
  sitrep_runbook_load_file_async (file, self->drill_cancellable, runbook_loaded_cb,
                                  g_object_ref (self));
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
  sitrep_application_start_drill_at_speed (self, scenario_id, 1);
}

void
sitrep_application_start_drill_at_speed (SitrepApplication *self,
                                         const char        *scenario_id,
                                         double             speed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = drill_folder ();

  sitrep_application_stop_drill (self);
  self->drill = sitrep_drill_new (scenario_id, folder, speed, &error);
  if (self->drill == NULL)
    {
      toast (self, error->message);
      return;
    }
  if (self->stopping_drills == NULL)
    self->stopping_drills = g_ptr_array_new_with_free_func (g_object_unref);
  self->drill_cancellable = g_cancellable_new ();
  toast (self, _("Starting the drill…"));
  sitrep_drill_start_async (self->drill, self->drill_cancellable, started_cb,
                            g_object_ref (self));
}
