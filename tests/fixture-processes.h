/* fixture-processes.h: probe programs that leave processes behind, and whether those still live */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new folder inside the test's isolated folders (G_TEST_OPTION_ISOLATE_DIRS), which GLib
 * removes after the test. */
char     *fixture_scratch_dir    (void);
/* Writes an executable shell script into @dir that starts `sleep 300` in the background,
 * records "SHELL_PID GRANDCHILD_PID" in the file *pid_file, and then, when @wait is TRUE,
 * sleeps 300 s itself (a probe that times out) or, when FALSE, exits 0 at once leaving the
 * grandchild behind (a probe that completes). Probes are argv only: the script is the program. */
char     *fixture_forking_script (const char *dir,
                                  gboolean    wait,
                                  char      **pid_file);
/* Reads the two pids once the script wrote them; FALSE before. */
gboolean  fixture_read_pids      (const char *pid_file,
                                  GPid       *shell,
                                  GPid       *grandchild);
/* Polls (without running any main loop) until the pid file exists, for at most @seconds. */
void      fixture_wait_for_pids  (const char *pid_file,
                                  guint       seconds,
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
