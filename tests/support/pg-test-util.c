/* pg-test-util.c: team databases for the tests: one on the session's PostgreSQL, or a cluster of the test's own */
#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <glib/gstdio.h>

#include "pg-test-util.h"

static void
exec_on (const char *conninfo,
         const char *sql)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test PostgreSQL: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

static char *
query_on (const char *conninfo,
          const char *sql)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;
  char *value = NULL;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test PostgreSQL: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

PgTestDatabase *
pg_test_database_new (const char *prefix,
                      gboolean    with_pgpass)
{
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");
  PgTestDatabase *db = g_new0 (PgTestDatabase, 1);
  g_autofree char *create = NULL;
  PQconninfoOption *options;

  if (conninfo == NULL)
    g_error ("SITREP_TEST_PG_CONNINFO is not set: run the tests with build-aux/sitrep-dev test, "
             "which starts PostgreSQL");
  db->admin = g_strdup (conninfo);
  options = PQconninfoParse (conninfo, NULL);
  g_assert_nonnull (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (g_str_equal (o->keyword, "host"))
        db->host = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "port"))
        db->port = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "password"))
        db->password = g_strdup (o->val);
    }
  PQconninfoFree (options);

  db->dbname = g_strdup_printf ("%s_%08x", prefix, g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s", db->dbname);
  exec_on (db->admin, create);
  db->uri = g_strdup_printf ("postgresql://postgres@%s:%s/%s", db->host, db->port, db->dbname);
  if (with_pgpass)
    {
      g_autofree char *line = g_strdup_printf ("%s:%s:*:postgres:%s\n", db->host, db->port,
                                               db->password);
      g_autoptr(GError) error = NULL;

      db->pgpass = g_build_filename (g_get_user_data_dir (), "pgpass", NULL);
      g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
      g_assert_true (g_file_set_contents (db->pgpass, line, -1, &error));
      g_assert_cmpint (g_chmod (db->pgpass, 0600), ==, 0);
      g_setenv ("PGPASSFILE", db->pgpass, TRUE);
    }
  return db;
}

static char *
database_conninfo (PgTestDatabase *db)
{
  return g_strdup_printf ("%s dbname=%s", db->admin, db->dbname);
}

void
pg_test_database_exec (PgTestDatabase *db,
                       const char     *sql)
{
  g_autofree char *conninfo = database_conninfo (db);

  exec_on (conninfo, sql);
}

char *
pg_test_database_query (PgTestDatabase *db,
                        const char     *sql)
{
  g_autofree char *conninfo = database_conninfo (db);

  return query_on (conninfo, sql);
}

void
pg_test_database_free (PgTestDatabase *db)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", db->dbname);

  exec_on (db->admin, drop);
  if (db->pgpass != NULL)
    {
      g_unsetenv ("PGPASSFILE");
      g_unlink (db->pgpass);
    }
  g_free (db->admin);
  g_free (db->dbname);
  g_free (db->uri);
  g_free (db->host);
  g_free (db->port);
  g_free (db->password);
  g_free (db->pgpass);
  g_free (db);
}

/* The newest PostgreSQL's programs. */
static char *
find_bin (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  const char *name;
  int best = -1;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    best = MAX (best, atoi (name));
  g_assert_cmpint (best, >, 0);
  return g_strdup_printf ("/usr/lib/postgresql/%d/bin", best);
}

static guint
free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &length), ==, 0);
  close (fd);
  return ntohs (addr.sin_port);
}

/* Runs @argv (as postgres when we are root) to its end; aborts the test when it fails. */
static void
run_as_owner (const char *const *argv)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (geteuid () == 0)
    {
      g_ptr_array_add (full, (gpointer) "runuser");
      g_ptr_array_add (full, (gpointer) "-u");
      g_ptr_array_add (full, (gpointer) "postgres");
      g_ptr_array_add (full, (gpointer) "--");
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  if (!g_spawn_sync ("/", (char **) full->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s\n%s%s", argv[0], error->message, out, err);
}

PgTestCluster *
pg_test_cluster_new (void)
{
  PgTestCluster *cluster = g_new0 (PgTestCluster, 1);
  const char *parent;
  const char *template;
  g_autoptr(GError) error = NULL;

  cluster->bin = find_bin ();
  /* Not under the test's HOME: the postgres user must reach it. In the test session, in its
   * folder for clusters, whose servers it stops when it ends, should a test abort before it
   * stops its own. */
  parent = g_getenv ("SITREP_TEST_PG_CLUSTERS");
  if (parent != NULL && g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      cluster->folder = g_build_filename (parent, "sitrep-pg-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (cluster->folder));
    }
  else
    {
      cluster->folder = g_dir_make_tmp ("sitrep-pg-XXXXXX", &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_chmod (cluster->folder, 0755), ==, 0);
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);
      g_assert_cmpint (chown (cluster->folder, pw->pw_uid, pw->pw_gid), ==, 0);
    }
  cluster->data = g_build_filename (cluster->folder, "data", NULL);
  /* A copy of the cluster the test session made, when there is one: initdb costs some 1.5 s
   * of a processor each time. */
  template = g_getenv ("SITREP_TEST_PG_TEMPLATE");
  if (template != NULL && g_file_test (template, G_FILE_TEST_IS_DIR))
    {
      const char *argv[] = { "cp", "-a", template, cluster->data, NULL };

      run_as_owner (argv);
    }
  else
    {
      g_autofree char *initdb = g_build_filename (cluster->bin, "initdb", NULL);
      const char *argv[] = { initdb, "-D", cluster->data, "-U", "postgres", "-A", "trust",
                             "--no-sync", NULL };

      run_as_owner (argv);
    }
  cluster->port = g_strdup_printf ("%u", free_port ());
  cluster->uri = g_strdup_printf ("postgresql://postgres@127.0.0.1:%s/postgres", cluster->port);
  pg_test_cluster_start (cluster);
  return cluster;
}

void
pg_test_cluster_start (PgTestCluster *cluster)
{
  g_autofree char *pg_ctl = g_build_filename (cluster->bin, "pg_ctl", NULL);
  g_autofree char *log = g_build_filename (cluster->folder, "postgres.log", NULL);
  g_autofree char *options = g_strdup_printf ("-p %s -k %s -c listen_addresses=127.0.0.1 "
                                              "-c fsync=off",
                                              cluster->port, cluster->folder);
  const char *argv[] = { pg_ctl, "-D", cluster->data, "-l", log, "-w", "-t", "30", "-o",
                         options, "start", NULL };

  run_as_owner (argv);
}

void
pg_test_cluster_stop (PgTestCluster *cluster)
{
  g_autofree char *pg_ctl = g_build_filename (cluster->bin, "pg_ctl", NULL);
  const char *argv[] = { pg_ctl, "-D", cluster->data, "-m", "immediate", "-w", "stop", NULL };

  run_as_owner (argv);
}

/* The postmaster's pid, from the first line of postmaster.pid. */
static pid_t
postmaster_pid (PgTestCluster *cluster)
{
  g_autofree char *file = g_build_filename (cluster->data, "postmaster.pid", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  return (pid_t) atoi (text);
}

/* Sends @sig to the postmaster and its children (the backends and helpers). */
static void
signal_cluster (PgTestCluster *cluster,
                int            sig)
{
  pid_t postmaster = postmaster_pid (cluster);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_cmpint (postmaster, >, 1);
  /* The children first on a stop (none of them is started meanwhile), the postmaster first on
   * a continue. */
  if (sig == SIGCONT)
    g_assert_cmpint (kill (postmaster, sig), ==, 0);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *text = NULL;
      const char *close_paren;
      int ppid = 0;

      if (!g_ascii_isdigit (*name) || !g_file_get_contents (stat, &text, NULL, NULL))
        continue;
      /* pid (comm) state ppid …: comm may hold spaces and parentheses. */
      close_paren = strrchr (text, ')');
      if (close_paren == NULL || sscanf (close_paren + 1, " %*c %d", &ppid) != 1)
        continue;
      if (ppid == postmaster)
        kill ((pid_t) atoi (name), sig);
    }
  if (sig != SIGCONT)
    g_assert_cmpint (kill (postmaster, sig), ==, 0);
}

void
pg_test_cluster_pause (PgTestCluster *cluster)
{
  signal_cluster (cluster, SIGSTOP);
}

void
pg_test_cluster_resume (PgTestCluster *cluster)
{
  signal_cluster (cluster, SIGCONT);
}

char *
pg_test_cluster_query (PgTestCluster *cluster,
                       const char    *sql)
{
  return query_on (cluster->uri, sql);
}

void
pg_test_cluster_exec (PgTestCluster *cluster,
                      const char    *sql)
{
  g_autofree char *writable = g_strdup_printf ("%s?options=-c%%20default_transaction_read_only"
                                               "%%3Doff",
                                               cluster->uri);

  exec_on (writable, sql);
}

void
pg_test_cluster_free (PgTestCluster *cluster)
{
  g_autofree char *pg_ctl = g_build_filename (cluster->bin, "pg_ctl", NULL);
  const char *argv[] = { "runuser", "-u", "postgres", "--", pg_ctl, "-D", cluster->data, "-m",
                         "immediate", "-w", "stop", NULL };
  const char *rm[] = { "rm", "-rf", cluster->folder, NULL };
  /* Without runuser when the test is not root. */
  const char *const *stop = geteuid () == 0 ? argv : argv + 4;

  /* Stopped already, perhaps: no complaint. */
  g_spawn_sync ("/", (char **) stop, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, NULL);
  g_spawn_sync ("/", (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (cluster->folder);
  g_free (cluster->data);
  g_free (cluster->bin);
  g_free (cluster->port);
  g_free (cluster->uri);
  g_free (cluster);
}
