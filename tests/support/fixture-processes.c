/* fixture-processes.c: probe programs that leave processes behind, and whether those still live */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fixture-processes.h"

char *
fixture_scratch_dir (void)
{
  static guint n;
  char *dir = g_strdup_printf ("%s/scratch-%u", g_get_user_cache_dir (), ++n);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

char *
fixture_forking_script (const char   *dir,
                        FixtureScript kind,
                        char        **pid_file)
{
  static const char *const names[] = { "waits", "exits", "exits-holding" };
  g_autoptr(GError) error = NULL;
  g_autofree char *pids = g_strdup_printf ("%s/%s.pids", dir, names[kind]);
  char *path = g_strdup_printf ("%s/%s.sh", dir, names[kind]);
  g_autofree char *text = g_strdup_printf (
    "#!/bin/sh\n"
    "sleep 300 %s &\n"
    "echo \"$$ $!\" > '%s.tmp' && mv '%s.tmp' '%s'\n"
    "%s\n",
    kind == FIXTURE_SCRIPT_EXITS_HOLDING ? "" : ">/dev/null 2>&1", pids, pids, pids,
    kind == FIXTURE_SCRIPT_WAITS ? "sleep 300" : "echo exported; exit 0");

  g_unlink (pids);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  *pid_file = g_steal_pointer (&pids);
  return path;
}

gboolean
fixture_read_pids (const char *pid_file,
                   GPid       *shell,
                   GPid       *grandchild)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents (pid_file, &text, NULL, NULL))
    return FALSE;
  parts = g_strsplit (g_strstrip (text), " ", 2);
  if (g_strv_length (parts) != 2)
    return FALSE;
  *shell = atoi (parts[0]);
  *grandchild = atoi (parts[1]);
  return *shell > 0 && *grandchild > 0;
}

/* The state letter and process group from /proc/PID/stat, after the command's parentheses. */
static gboolean
read_stat (GPid  pid,
           char *state,
           GPid *group)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *after;
  int ppid, pgrp;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  after = strrchr (text, ')');
  if (after == NULL || sscanf (after + 1, " %c %d %d", state, &ppid, &pgrp) != 3)
    return FALSE;
  *group = pgrp;
  return TRUE;
}

gboolean
fixture_process_alive (GPid pid)
{
  char state;
  GPid group;

  return read_stat (pid, &state, &group) && state != 'Z' && state != 'X';
}

guint
fixture_group_size (GPid group)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      guint64 pid;
      char state;
      GPid pgrp;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      if (read_stat ((GPid) pid, &state, &pgrp) && pgrp == group && state != 'Z' && state != 'X')
        n++;
    }
  return n;
}

gboolean
fixture_processes_gone (GPid  shell,
                        GPid  grandchild,
                        GPid  group,
                        guint seconds)
{
  gint64 until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (fixture_process_alive (shell) || fixture_process_alive (grandchild)
         || fixture_group_size (group) > 0)
    {
      if (g_get_monotonic_time () > until)
        {
          g_test_message ("still alive: shell %d %s, grandchild %d %s, %u in group %d",
                          (int) shell, fixture_process_alive (shell) ? "yes" : "no",
                          (int) grandchild, fixture_process_alive (grandchild) ? "yes" : "no",
                          fixture_group_size (group), (int) group);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
  return TRUE;
}
