/* sitrep-drill-process.c: the servers a drill starts, each in a process group that ends with it
 *
 * A server runs in a process group of its own, so that stopping it stops what it started, and
 * asks the kernel for a signal when Sitrep dies (PR_SET_PDEATHSIG), so that nothing outlives a
 * crashed or killed Sitrep. Servers that refuse to run as root (PostgreSQL) run as another user.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "sitrep-drill-private.h"

struct _SitrepDrillProcess
{
  GSubprocess *process;
  pid_t group;
  gboolean exited;
  gboolean orphaned; /* freed while it would not die: its wait callback frees it */
};

typedef struct
{
  uid_t uid;
  gid_t gid;
  gboolean switch_user;
  int death_signal;
  int log_fd;
} ChildSetup;

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
child_setup (gpointer user_data)
{
  ChildSetup *setup = user_data;

  setpgid (0, 0);
  if (setup->log_fd >= 0)
    {
      dup2 (setup->log_fd, STDOUT_FILENO);
      dup2 (setup->log_fd, STDERR_FILENO);
    }
  if (setup->switch_user)
    {
      if (setgroups (0, NULL) != 0 || setgid (setup->gid) != 0 || setuid (setup->uid) != 0)
        _exit (126);
    }
  /* After the change of user, which clears it. */
  prctl (PR_SET_PDEATHSIG, setup->death_signal);
  if (getppid () == 1)
    _exit (125);
}

static gboolean
lookup_user (const char *name,
             ChildSetup *setup,
             GError    **error)
{
  struct passwd *pw = getpwnam (name);

  if (pw == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("there is no user “%s” to run it as (it does not run as root)"), name);
      return FALSE;
    }
  setup->uid = pw->pw_uid;
  setup->gid = pw->pw_gid;
  setup->switch_user = TRUE;
  return TRUE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SitrepDrillProcess *process = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  process->exited = TRUE;
  if (process->orphaned)
    {
      g_object_unref (process->process);
      g_free (process);
    }
}

/**
 * sitrep_drill_process_spawn:
 * @run_as: (nullable): a user to run it as when Sitrep runs as root
 * @log_path: (nullable): where its output goes (appended), or nowhere
 *
 * Starts a server for the drill. Call it from the thread that lives as long as the drill (the
 * main thread): the kernel's parent-death signal follows the thread that started the child.
 */
SitrepDrillProcess *
sitrep_drill_process_spawn (const char *const *argv,
                            const char        *run_as,
                            const char        *log_path,
                            GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  ChildSetup setup = { 0, 0, FALSE, SIGKILL, -1 };
  SitrepDrillProcess *process;
  GSubprocess *child;

  if (run_as != NULL && geteuid () == 0 && !lookup_user (run_as, &setup, error))
    return NULL;
  /* PostgreSQL shuts down at once on SIGQUIT and takes its backends with it. */
  if (run_as != NULL)
    setup.death_signal = SIGQUIT;
  if (log_path != NULL)
    {
      setup.log_fd = g_open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (setup.log_fd < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("cannot write %s: %s"),
                       log_path, g_strerror (saved));
          return NULL;
        }
    }
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &setup, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (setup.log_fd >= 0)
    close (setup.log_fd);
  if (child == NULL)
    return NULL;

  process = g_new0 (SitrepDrillProcess, 1);
  process->process = child;
  process->group = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (child), NULL, 10);
  g_subprocess_wait_async (child, NULL, wait_cb, process);
  return process;
}

gboolean
sitrep_drill_process_is_running (SitrepDrillProcess *process)
{
  return process != NULL && !process->exited;
}

/* Calls back once a short-lived program (initdb) has ended; the record then frees itself. */
void
sitrep_drill_process_await (SitrepDrillProcess *process,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_subprocess_wait_check_async (process->process, NULL, callback, user_data);
  if (process->exited)
    {
      g_object_unref (process->process);
      g_free (process);
    }
  else
    process->orphaned = TRUE;
}

/* Asks the whole group to end. */
void
sitrep_drill_process_stop (SitrepDrillProcess *process,
                           int                 signal_)
{
  if (process == NULL || process->group <= 0 || process->exited)
    return;
  kill (-process->group, signal_);
}

static void
wait_for_exit (SitrepDrillProcess *process,
               int                 seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!process->exited && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (20000);
}

/* Waits (at most 10 s) for a stopped server to end, kills its group if it does not, and frees
 * the record. Only the end of a drill calls it, when nothing else is left to do. */
void
sitrep_drill_process_free (SitrepDrillProcess *process)
{
  if (process == NULL)
    return;
  wait_for_exit (process, 10);
  /* What it started and left behind goes too; the group cannot have been reused while they
   * live. */
  kill (-process->group, SIGKILL);
  wait_for_exit (process, 5);
  if (!process->exited)
    {
      process->orphaned = TRUE;
      return;
    }
  g_object_unref (process->process);
  g_free (process);
}

/* Ending a server without waiting: the group is asked to end, killed after 10 s, and given up
 * on (its record freed when it finally goes) after 5 s more. */
typedef struct
{
  SitrepDrillProcess *process;
  guint timeout_id;
  gboolean killed;
  gboolean done;
} Ending;

static void
ending_free (Ending *ending)
{
  g_clear_handle_id (&ending->timeout_id, g_source_remove);
  g_free (ending);
}

/* The record goes now when the server is gone, else when its wait callback hears it went. */
static void
release (SitrepDrillProcess *process)
{
  if (process->exited)
    {
      g_object_unref (process->process);
      g_free (process);
    }
  else
    process->orphaned = TRUE;
}

static gboolean
end_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Ending *ending = g_task_get_task_data (task);

  ending->timeout_id = 0;
  kill (-ending->process->group, SIGKILL);
  if (!ending->killed)
    {
      ending->killed = TRUE;
      ending->timeout_id = g_timeout_add_seconds (5, end_timeout_cb, task);
      return G_SOURCE_REMOVE;
    }
  /* It does not die: nothing more to do than to stop waiting for it. */
  ending->done = TRUE;
  release (ending->process);
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
end_wait_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Ending *ending = g_task_get_task_data (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (ending->done)
    return;
  ending->done = TRUE;
  g_clear_handle_id (&ending->timeout_id, g_source_remove);
  /* What it started and left behind goes too; the group cannot have been reused while they
   * live. */
  kill (-ending->process->group, SIGKILL);
  release (ending->process);
  g_task_return_boolean (task, TRUE);
}

/**
 * sitrep_drill_process_end_async:
 * @process: (transfer full) (nullable): the server
 *
 * Sends @signal_ to the server's group and calls back once it has ended, as
 * sitrep_drill_process_free() does but without waiting: the main loop runs meanwhile.
 */
void
sitrep_drill_process_end_async (SitrepDrillProcess *process,
                                int                 signal_,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Ending *ending;

  g_task_set_source_tag (task, sitrep_drill_process_end_async);
  if (process == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  ending = g_new0 (Ending, 1);
  ending->process = process;
  g_task_set_task_data (task, ending, (GDestroyNotify) ending_free);
  sitrep_drill_process_stop (process, signal_);
  ending->timeout_id = g_timeout_add_seconds (10, end_timeout_cb, task);
  /* The wait holds the task until the server is gone. */
  g_subprocess_wait_async (process->process, NULL, end_wait_cb, task);
}

/* The program on PATH, or PostgreSQL's in Debian's versioned folders (newest first). */
char *
sitrep_drill_find_program (const char *name)
{
  g_autofree char *found = g_find_program_in_path (name);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_free);

  if (found != NULL)
    return g_steal_pointer (&found);
  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  for (const char *entry = dir ? g_dir_read_name (dir) : NULL; entry != NULL;
       entry = g_dir_read_name (dir))
    g_ptr_array_add (versions, g_strdup (entry));
  g_ptr_array_sort (versions, (GCompareFunc) g_strcmp0);
  for (guint i = versions->len; i > 0; i--)
    {
      g_autofree char *path = g_build_filename ("/usr/lib/postgresql", versions->pdata[i - 1],
                                                "bin", name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* When Sitrep runs as root, a folder the server (running as @user) must own. */
gboolean
sitrep_drill_chown_for (const char *path,
                        const char *user,
                        GError    **error)
{
  struct passwd *pw;

  if (geteuid () != 0)
    return TRUE;
  pw = getpwnam (user);
  if (pw == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("there is no user “%s” to run it as (it does not run as root)"), user);
      return FALSE;
    }
  if (chown (path, pw->pw_uid, pw->pw_gid) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("cannot hand %s to %s: %s"),
                   path, user, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A port of 127.0.0.1 that nothing listens on now. */
guint
sitrep_drill_free_port (GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
