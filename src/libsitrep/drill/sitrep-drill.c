/* sitrep-drill.c: a drill: the simulated CareCircle started, ticking, and stopped as one
 *
 * Starting makes the simulated Kubernetes API and the health endpoints (in this process), starts
 * Redis and PostgreSQL on loopback when they are installed (each in a process group that dies
 * with Sitrep), and writes DIR/kubeconfig and DIR/runbook.json: the CareCircle runbook aimed at
 * the simulation. Then the scenario's clock runs, @speed times faster than real time.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-drill.h"
#include "sitrep-drill-history.h"
#include "sitrep-drill-private.h"

/* How often the simulation moves on, in real milliseconds. */
#define TICK_MS 200

struct _SitrepDrill
{
  GObject parent_instance;

  const SitrepDrillScenarioInfo *scenario;
  char *dir;
  char *runbook_path;
  char *kubeconfig_path;
  char *scratch;
  double speed;
  SitrepDrillKube *kube;
  SitrepDrillBackends *backends;
  SitrepDrillPlay *play;
  SitrepDrillHealthServer *health;
  gint64 started_mono;
  gint64 started_at;
  gint64 mitigated_at;
  guint tick_id;
  gboolean stopped;
};

G_DEFINE_FINAL_TYPE (SitrepDrill, sitrep_drill, G_TYPE_OBJECT)

G_DEFINE_QUARK (sitrep-drill-error-quark, sitrep_drill_error)

static void
sitrep_drill_dispose (GObject *object)
{
  sitrep_drill_stop (SITREP_DRILL (object));

  G_OBJECT_CLASS (sitrep_drill_parent_class)->dispose (object);
}

static void
sitrep_drill_finalize (GObject *object)
{
  SitrepDrill *self = (SitrepDrill *) object;

  g_free (self->dir);
  g_free (self->runbook_path);
  g_free (self->kubeconfig_path);
  g_free (self->scratch);

  G_OBJECT_CLASS (sitrep_drill_parent_class)->finalize (object);
}

static void
sitrep_drill_class_init (SitrepDrillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_drill_dispose;
  object_class->finalize = sitrep_drill_finalize;
}

static void
sitrep_drill_init (SitrepDrill *self)
{
}

SitrepDrill *
sitrep_drill_new (const char *scenario_id,
                  const char *dir,
                  double      speed,
                  GError    **error)
{
  const SitrepDrillScenarioInfo *scenario = sitrep_drill_scenario_find (scenario_id);
  SitrepDrill *self;

  g_return_val_if_fail (dir != NULL, NULL);

  if (scenario == NULL)
    {
      g_set_error (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_UNKNOWN_SCENARIO,
                   _("There is no drill scenario “%s”: sitrep drill list shows them."),
                   scenario_id);
      return NULL;
    }
  if (!(speed >= 1 && speed <= 1000))
    {
      g_set_error (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FAILED,
                   _("The speed of a drill is from 1 (real time) to 1000."));
      return NULL;
    }
  self = g_object_new (SITREP_TYPE_DRILL, NULL);
  self->scenario = scenario;
  self->speed = speed;
  self->dir = g_canonicalize_filename (dir, NULL);
  self->runbook_path = g_build_filename (self->dir, "runbook.json", NULL);
  self->kubeconfig_path = g_build_filename (self->dir, "kubeconfig", NULL);
  return self;
}

static gboolean
tick_cb (gpointer user_data)
{
  SitrepDrill *self = user_data;
  double now = (g_get_monotonic_time () - self->started_mono) * self->speed / G_USEC_PER_SEC;
  double mitigated;

  sitrep_drill_play_tick (self->play, now);
  mitigated = sitrep_drill_play_mitigated_at (self->play);
  if (mitigated >= 0 && self->mitigated_at == 0)
    self->mitigated_at = self->started_at + (gint64) (mitigated / self->speed * G_USEC_PER_SEC);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_runbook (SitrepDrill *self,
               GError     **error)
{
  SitrepDrillTargets targets = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = g_path_get_dirname (self->runbook_path);

  targets.kubeconfig = self->kubeconfig_path;
  targets.health_port = sitrep_drill_health_server_get_port (self->health);
  targets.redis_port = sitrep_drill_backends_redis_port (self->backends, &targets.redis_absent);
  targets.pg_port = sitrep_drill_backends_pg_port (self->backends, &targets.pg_absent);
  targets.scenario_title = _(self->scenario->title);
  targets.started_at = self->started_at;
  /* A new drill in the folder of an earlier one starts with no history. */
  sitrep_drill_remove_health_store (dir);

  if (!sitrep_drill_kube_write_kubeconfig (self->kube, self->kubeconfig_path, SITREP_DRILL_CONTEXT,
                                           SITREP_DRILL_NAMESPACE, TRUE, error))
    return FALSE;
  bytes = sitrep_drill_runbook_make (&targets, error);
  return bytes != NULL
         && g_file_set_contents_full (self->runbook_path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), G_FILE_SET_CONTENTS_CONSISTENT,
                                      0600, error);
}

static void
backends_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepDrill *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *exec_message = NULL;

  if (self->stopped)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The drill was stopped while it started."));
      return;
    }
  sitrep_drill_backends_start_finish (self->backends, result, NULL);
  self->play = sitrep_drill_play_new (self->scenario, self->kube, self->backends);
  self->health = sitrep_drill_health_server_new (self->play, &error);
  /* The runbook says when the scenario began: the score counts the time to declare from it. */
  self->started_mono = g_get_monotonic_time ();
  self->started_at = g_get_real_time ();
  if (self->health == NULL || !write_runbook (self, &error))
    {
      g_task_return_new_error (task, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FAILED,
                               _("The drill could not start: %s"), error->message);
      return;
    }
  exec_message = g_strdup_printf (_("This is a drill: the simulated pods run no programs, so "
                                    "kubectl exec is refused. The workers' health check is at "
                                    "http://127.0.0.1:%u/workers/health."),
                                  sitrep_drill_health_server_get_port (self->health));
  sitrep_drill_kube_set_exec_message (self->kube, exec_message);

  self->tick_id = g_timeout_add (TICK_MS, tick_cb, self);
  tick_cb (self);
  g_task_return_boolean (task, TRUE);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  for (const char *name = dir ? g_dir_read_name (dir) : NULL; name != NULL;
       name = g_dir_read_name (dir))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The scratch folders of drills whose Sitrep was killed before it could remove them: each
 * names its process in "pid"; the servers in it died with that process. */
static void
remove_stale_scratch (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);

  for (const char *name = dir ? g_dir_read_name (dir) : NULL; name != NULL;
       name = g_dir_read_name (dir))
    {
      g_autofree char *path = NULL;
      g_autofree char *pid_path = NULL;
      g_autofree char *pid_text = NULL;
      GStatBuf st;
      gint64 pid;

      if (!g_str_has_prefix (name, "sitrep-drill-"))
        continue;
      path = g_build_filename (g_get_tmp_dir (), name, NULL);
      pid_path = g_build_filename (path, "pid", NULL);
      if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != geteuid ()
          || !g_file_get_contents (pid_path, &pid_text, NULL, NULL))
        continue;
      pid = g_ascii_strtoll (pid_text, NULL, 10);
      if (pid > 0 && kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        remove_tree (path);
    }
}

/**
 * sitrep_drill_start_async:
 *
 * Starts the simulation and its servers. It completes once everything answers: the Kubernetes
 * API, the health endpoints, and Redis and PostgreSQL where they are part of the drill.
 */
void
sitrep_drill_start_async (SitrepDrill        *self,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SITREP_IS_DRILL (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_drill_start_async);

  if (g_mkdir_with_parents (self->dir, 0700) != 0 || !g_file_test (self->dir, G_FILE_TEST_IS_DIR))
    {
      int saved = errno;

      g_task_return_new_error (task, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FOLDER,
                               _("Cannot use the folder %s for the drill: %s"), self->dir,
                               g_strerror (saved));
      return;
    }
  remove_stale_scratch ();
  self->scratch = g_dir_make_tmp ("sitrep-drill-XXXXXX", &error);
  if (self->scratch != NULL)
    {
      g_autofree char *pid_path = g_build_filename (self->scratch, "pid", NULL);
      g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());

      g_file_set_contents (pid_path, pid, -1, NULL);
    }
  /* PostgreSQL runs as its own user when Sitrep runs as root: it must reach its folder. */
  if (self->scratch != NULL && geteuid () == 0)
    g_chmod (self->scratch, 0711);
  if (self->scratch != NULL)
    self->kube = sitrep_drill_kube_new (&error);
  if (self->kube == NULL)
    {
      g_task_return_new_error (task, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_FAILED,
                               _("The drill could not start: %s"), error->message);
      return;
    }
  self->backends = sitrep_drill_backends_new (self->scratch);
  sitrep_drill_backends_start_async (self->backends, cancellable, backends_started_cb,
                                     g_steal_pointer (&task));
}

gboolean
sitrep_drill_start_finish (SitrepDrill  *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sitrep_drill_stop (SitrepDrill *self)
{
  g_return_if_fail (SITREP_IS_DRILL (self));
  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->health, sitrep_drill_health_server_free);
  if (self->backends != NULL)
    sitrep_drill_backends_stop (self->backends);
  g_clear_pointer (&self->play, sitrep_drill_play_free);
  g_clear_pointer (&self->backends, sitrep_drill_backends_free);
  g_clear_object (&self->kube);
  if (self->scratch != NULL)
    remove_tree (self->scratch);
}

static void
backends_stopped_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepDrill *self = g_task_get_source_object (task);

  g_clear_pointer (&self->play, sitrep_drill_play_free);
  g_clear_pointer (&self->backends, sitrep_drill_backends_free);
  g_clear_object (&self->kube);
  if (self->scratch != NULL)
    remove_tree (self->scratch);
  g_task_return_boolean (task, TRUE);
}

/**
 * sitrep_drill_stop_async:
 *
 * Stops the simulation at once, and its servers as sitrep_drill_stop() does, without waiting
 * for them: the callback comes once every server has ended and the scratch folder is gone.
 */
void
sitrep_drill_stop_async (SitrepDrill        *self,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SITREP_IS_DRILL (self));
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sitrep_drill_stop_async);
  if (self->stopped)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stopped = TRUE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->health, sitrep_drill_health_server_free);
  if (self->backends == NULL)
    {
      backends_stopped_cb (NULL, NULL, g_steal_pointer (&task));
      return;
    }
  sitrep_drill_backends_stop_async (self->backends, backends_stopped_cb, g_steal_pointer (&task));
}

gboolean
sitrep_drill_stop_finish (SitrepDrill  *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const SitrepDrillScenarioInfo *
sitrep_drill_get_scenario (SitrepDrill *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL (self), NULL);
  return self->scenario;
}

const char *
sitrep_drill_get_runbook_path (SitrepDrill *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL (self), NULL);
  return self->runbook_path;
}

const char *
sitrep_drill_get_kubeconfig_path (SitrepDrill *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL (self), NULL);
  return self->kubeconfig_path;
}

double
sitrep_drill_get_speed (SitrepDrill *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL (self), 1);
  return self->speed;
}

gint64
sitrep_drill_get_started_at (SitrepDrill *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL (self), 0);
  return self->started_at;
}

gint64
sitrep_drill_get_mitigated_at (SitrepDrill *self)
{
  g_return_val_if_fail (SITREP_IS_DRILL (self), 0);
  return self->mitigated_at;
}

const char *
sitrep_drill_get_absent (SitrepDrill *self,
                         const char  *server)
{
  const char *absent = NULL;

  g_return_val_if_fail (SITREP_IS_DRILL (self), NULL);
  if (self->backends == NULL)
    return NULL;
  if (g_strcmp0 (server, "redis") == 0)
    sitrep_drill_backends_redis_port (self->backends, &absent);
  else if (g_strcmp0 (server, "postgres") == 0)
    sitrep_drill_backends_pg_port (self->backends, &absent);
  return absent;
}
