/* test-cli-team-password.c: a team database's password from the keyring, never from the command line
 *
 * On the real PostgreSQL of the test session (scram passwords) and its unlocked keyring: no
 * password file, the address without a password; `sitrep store password ADDRESS` reads the
 * password from standard input into the keyring, and then the verbs and the library connect.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pg-test-util.h"
#include "sitrep-secrets.h"
#include "sitrep-store.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs sitrep with @args, @input on its standard input; no password file anywhere. */
static void
run (const char *const *args,
     const char        *input,
     const char        *password,
     Run               *result)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "no-pgpass", NULL);

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    {
      /* What a person types: never the password. */
      g_assert_null (strstr (args[i], password));
      g_ptr_array_add (argv, (gpointer) args[i]);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PGPASSFILE", missing, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PGPASSWORD");
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_exit_status (process);
  /* Nothing sitrep prints holds the password. */
  g_assert_null (strstr (result->out, password));
  g_assert_null (strstr (result->err, password));
}

static void
test_keyring (void)
{
  g_autoptr(PgTestDatabase) db = NULL;
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "no-pgpass", NULL);
  g_autofree char *input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;

  if (g_getenv ("SITREP_TEST_KEYRING") == NULL)
    g_error ("no keyring in this session: run the tests with build-aux/sitrep-dev test");
  db = pg_test_database_new ("sitrep_password", FALSE);
  g_setenv ("PGPASSFILE", missing, TRUE);
  g_unsetenv ("PGPASSWORD");
  g_assert_false (sitrep_store_address_has_password (db->uri));

  /* No password file, nothing in the keyring: the message says what to do. */
  {
    g_auto (Run) result = { 0 };

    run ((const char *[]) { "incident", "list", "--database", db->uri, NULL }, NULL,
         db->password, &result);
    g_assert_cmpint (result.status, ==, 2);
    g_assert_nonnull (strstr (result.err, "wants a password"));
    g_assert_nonnull (strstr (result.err, "sitrep store password"));
    g_assert_nonnull (strstr (result.err, db->uri));
  }
  store = sitrep_store_open (db->uri, &error);
  g_assert_null (store);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN);
  g_assert_null (strstr (error->message, db->password));
  g_clear_error (&error);

  /* An address with a password in it is refused, and the password not repeated. */
  {
    g_auto (Run) result = { 0 };
    g_autofree char *with = g_strdup_printf ("postgresql://postgres:hunter2@%s:%s/%s", db->host,
                                             db->port, db->dbname);

    run ((const char *[]) { "store", "password", with, NULL }, "x\n", db->password, &result);
    g_assert_cmpint (result.status, ==, 2);
    g_assert_null (strstr (result.err, "hunter2"));
    g_assert_nonnull (strstr (result.err, "contains a password"));
  }

  /* A wrong password kept: the server refuses it, and the message says which to correct. */
  {
    g_auto (Run) result = { 0 };

    run ((const char *[]) { "store", "password", db->uri, NULL }, "not-the-password\n",
         db->password, &result);
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);
    memset (&result, 0, sizeof result);
    run ((const char *[]) { "incident", "list", "--database", db->uri, NULL }, NULL,
         db->password, &result);
    g_assert_cmpint (result.status, ==, 2);
    g_assert_nonnull (strstr (result.err, "refused the password the keyring holds"));
    g_assert_null (strstr (result.err, "not-the-password"));
  }

  /* The right one, from standard input. */
  input = g_strdup_printf ("%s\n", db->password);
  {
    g_auto (Run) result = { 0 };

    run ((const char *[]) { "store", "password", db->uri, NULL }, input, db->password, &result);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, "is in the keyring"));
    run_clear (&result);
    memset (&result, 0, sizeof result);
    run ((const char *[]) { "incident", "declare", "--severity", "SEV-2", "--title",
                            "Keyring login", "--database", db->uri, NULL },
         NULL, db->password, &result);
    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);
    memset (&result, 0, sizeof result);
    run ((const char *[]) { "incident", "list", "--database", db->uri, NULL }, NULL,
         db->password, &result);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, "Keyring login"));
  }

  /* The library too (the console's store opens this way, off its main loop). */
  store = sitrep_store_open (db->uri, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_is_shared (store));
  g_clear_object (&store);

  /* Nothing was written to a password file. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/team-password/keyring", test_keyring);

  return g_test_run ();
}
