/* run-test-util.h: a program run to its end while the test's servers answer in its main loop */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int status; /* the exit status, 255 when killed by a signal */
  char *out;
  char *err;
} TestRun;

void test_run_clear   (TestRun           *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TestRun, test_run_clear)

/* Runs @argv, turning the default main context until it ends; the test fails after @seconds. */
void test_run_argv    (TestRun           *run,
                       const char *const *argv,
                       guint              seconds);
/* Runs `kubectl --kubeconfig KUBECONFIG ARGS…` (the real one, /usr/bin/kubectl) the same way. */
void test_run_kubectl (TestRun           *run,
                       const char        *kubeconfig,
                       const char        *first,
                       ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
