/* webhook-test-util.h: a loopback chat webhook that misbehaves on demand, and the database checks */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The token in the hook's URL path, as Slack puts one there. */
#define TEST_HOOK_TOKEN "T0K3N-b7e2c9-do-not-leak"

typedef enum
{
  TEST_HOOK_ANSWER,    /* answers the status and body set with test_hook_answer() */
  TEST_HOOK_ECHO_PATH, /* 404 with the request's path (token and all) in the body, as proxies do */
  TEST_HOOK_RESET,     /* reads the request, then resets the connection (RST) */
  TEST_HOOK_SILENT,    /* reads the request and never answers */
  TEST_HOOK_HOLD,      /* reads the request and answers it when released (test_hook_release) */
} TestHookMode;

typedef struct _TestHook TestHook;

/* The webhook URL lives in the keyring the whole test run shares: the tests that set it take
 * turns, each holding this lock (a file in the build folder) until it exits. Call before
 * g_test_run(). */
void        test_hook_take_keyring_turn (void);

/* A raw HTTP/1.1 server on 127.0.0.1, on the caller's main context. */
TestHook   *test_hook_new            (void);
void        test_hook_free           (TestHook    *hook);
/* http://127.0.0.1:PORT/hooks/TEST_HOOK_TOKEN */
const char *test_hook_get_url        (TestHook    *hook);
guint       test_hook_get_port       (TestHook    *hook);
void        test_hook_set_mode       (TestHook    *hook,
                                      TestHookMode mode);
void        test_hook_answer         (TestHook    *hook,
                                      guint        status,
                                      const char  *body);
/* TEST_HOOK_HOLD: how many requests wait, and answers them with the status and body set with
 * test_hook_answer() before the mode was set. */
guint       test_hook_get_n_held     (TestHook    *hook);
void        test_hook_release        (TestHook    *hook);
/* What it received: the number of complete requests, and the last one's method, path,
 * content type and body. */
guint       test_hook_get_n_requests (TestHook    *hook);
const char *test_hook_get_method     (TestHook    *hook);
const char *test_hook_get_path       (TestHook    *hook);
const char *test_hook_get_content_type (TestHook  *hook);
const char *test_hook_get_body       (TestHook    *hook);
/* Stops listening (connections are refused) and starts again on the same port. */
void        test_hook_stop           (TestHook    *hook);
void        test_hook_restart        (TestHook    *hook);

/* The first column of every row @sql returns, run on the database FILE at @path through a
 * connection of its own (?1 is bound to @arg). */
GStrv       test_db_strings          (const char  *path,
                                      const char  *sql,
                                      gint64       arg);
/* The incident's events of @kind, oldest first, read from the database FILE at @path through a
 * connection of its own and put into words as the timeline shows them. */
GStrv       test_db_events           (const char  *path,
                                      gint64       incident_id,
                                      const char  *kind);
/* Fails the test when @needle is in any column of any row of any table of the database at
 * @path, or anywhere in the bytes of the file, its WAL or its journal. */
void        test_db_assert_absent    (const char  *path,
                                      const char  *needle);

G_END_DECLS
