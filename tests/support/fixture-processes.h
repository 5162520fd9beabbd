/* fixture-processes.h: probe programs that leave processes behind, and whether those still live */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new folder inside the test's isolated folders (G_TEST_OPTION_ISOLATE_DIRS), which GLib
 * removes after the test. */
char     *fixture_scratch_dir    (void);
typedef enum
{
  FIXTURE_SCRIPT_WAITS,        /* then sleeps 300 s itself: a probe that times out */
  FIXTURE_SCRIPT_EXITS,        /* then exits 0: a probe that completes, leaving a process */
  FIXTURE_SCRIPT_EXITS_HOLDING /* the same, and the grandchild keeps the output open */
} FixtureScript;

/* Writes an executable shell script into @dir that starts `sleep 300` in the background and
 * records "SHELL_PID GRANDCHILD_PID" in the file *pid_file, then goes on as @kind says. Probes
 * are argv only: the script is the program. */
char     *fixture_forking_script (const char   *dir,
                                  FixtureScript kind,
                                  char        **pid_file);
/* Reads the two pids once the script wrote them; FALSE before. */
gboolean  fixture_read_pids      (const char *pid_file,
                                  GPid       *shell,
                                  GPid       *grandchild);
/* Whether @pid is a live process: a zombie is dead. */
gboolean  fixture_process_alive  (GPid        pid);
/* The live processes whose process group is @group. */
guint     fixture_group_size     (GPid        group);
/* Polls, without running any main loop, until neither process nor any member of @group lives,
 * for at most @seconds; TRUE when they are gone. */
gboolean  fixture_processes_gone (GPid        shell,
                                  GPid        grandchild,
                                  GPid        group,
                                  guint       seconds);

G_END_DECLS
