/* sitrep-probe-tls.c: the TLS files a probe's spec names (CA, client certificate), read off the main loop */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-probe-tls.h"

static int system_database_loaded;

void
sitrep_probe_tls_files_free (SitrepProbeTlsFiles *files)
{
  g_clear_object (&files->ca_database);
  g_clear_object (&files->client_certificate);
  g_free (files);
}

/* The system's trusted certificates are read from disk the first time they are needed, which
 * takes tens of milliseconds, and the runbook's files are files: neither belongs on the main
 * loop. Returns whether the run must load them before it connects. */
gboolean
sitrep_probe_tls_files_needed (const SitrepProbeSpec *spec,
                               gboolean               uses_tls)
{
  return (uses_tls && !g_atomic_int_get (&system_database_loaded)) || spec->ca_file != NULL
         || spec->client_certificate != NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const SitrepProbeSpec *spec = task_data;
  GTlsDatabase *database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  SitrepProbeTlsFiles *files = g_new0 (SitrepProbeTlsFiles, 1);
  g_autoptr(GError) error = NULL;

  g_object_unref (database);
  g_atomic_int_set (&system_database_loaded, 1);
  if (spec->ca_file != NULL)
    {
      files->ca_database = g_tls_file_database_new (spec->ca_file, &error);
      if (files->ca_database == NULL)
        {
          g_task_return_error (task, sitrep_probe_error_new_cannot_run (sitrep_reason_new (
            N_("the CA file %s cannot be used (%s): give a PEM file of the certificates that "
               "sign the server's"),
            sitrep_reason_new_text (spec->ca_file), sitrep_reason_new_text (error->message))));
          sitrep_probe_tls_files_free (files);
          return;
        }
    }
  if (spec->client_certificate != NULL)
    {
      files->client_certificate = g_tls_certificate_new_from_files (spec->client_certificate,
                                                                    spec->client_key, &error);
      if (files->client_certificate == NULL)
        {
          g_task_return_error (task, sitrep_probe_error_new_cannot_run (sitrep_reason_new (
            N_("the client certificate %s cannot be used (%s): give PEM files of the "
               "certificate and its unencrypted key"),
            sitrep_reason_new_text (spec->client_certificate),
            sitrep_reason_new_text (error->message))));
          sitrep_probe_tls_files_free (files);
          return;
        }
    }
  g_task_return_pointer (task, files, (GDestroyNotify) sitrep_probe_tls_files_free);
}

typedef struct
{
  SitrepProbeRun *run;
  SitrepProbeTlsFunc func;
} Waiting;

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(SitrepProbeRun) run = waiting->run;
  SitrepProbeTlsFunc func = waiting->func;
  g_autoptr(GError) error = NULL;
  SitrepProbeTlsFiles *files = g_task_propagate_pointer (G_TASK (result), &error);

  g_free (waiting);
  /* Loading ignores the cancellable: the run may have ended while it went on. */
  if (sitrep_probe_run_is_over (run))
    {
      g_clear_pointer (&files, sitrep_probe_tls_files_free);
      return;
    }
  func (run, files, error);
}

/* Reads the spec's CA and client certificate (and warms the system's trusted certificates) in a
 * thread, then hands them to @func on the run's main context. */
void
sitrep_probe_tls_files_load (SitrepProbeRun    *run,
                             SitrepProbeTlsFunc func)
{
  Waiting *waiting = g_new0 (Waiting, 1);
  GTask *load;

  waiting->run = sitrep_probe_run_ref (run);
  waiting->func = func;
  load = g_task_new (NULL, run->cancellable, loaded_cb, waiting);
  /* The spec lives as long as the runbook, which the run holds. */
  g_task_set_task_data (load, (gpointer) run->spec, NULL);
  g_task_set_check_cancellable (load, FALSE);
  g_task_run_in_thread (load, load_thread);
  g_object_unref (load);
}
