/* pg-test-util.h: team databases for the tests: one on the session's PostgreSQL, or a cluster of the test's own */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *admin;      /* the session's conninfo, with its password: for the test's own SQL only */
  char *dbname;
  char *uri;        /* postgresql://postgres@HOST:PORT/DBNAME, without a password */
  char *host;
  char *port;
  char *password;
  char *pgpass;     /* the PGPASSFILE written for it, or NULL */
} PgTestDatabase;

/* A new database on the session's PostgreSQL (SITREP_TEST_PG_CONNINFO), named PREFIX_random.
 * With @with_pgpass, a password file for it is written and PGPASSFILE set. */
PgTestDatabase *pg_test_database_new  (const char     *prefix,
                                       gboolean        with_pgpass);
void            pg_test_database_free (PgTestDatabase *db);
/* Runs @sql in the database as its administrator; aborts the test when it fails. */
void            pg_test_database_exec (PgTestDatabase *db,
                                       const char     *sql);
/* The first column of the first row of @sql, or NULL. */
char           *pg_test_database_query (PgTestDatabase *db,
                                        const char     *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgTestDatabase, pg_test_database_free)

/* A PostgreSQL cluster of the test's own, which the test may stop and start again (never the
 * session's, which other tests share). Trust authentication on 127.0.0.1; run as postgres when
 * the test runs as root. */
typedef struct
{
  char *folder;
  char *data;
  char *bin;
  char *port;
  char *uri;        /* postgresql://postgres@127.0.0.1:PORT/postgres */
} PgTestCluster;

PgTestCluster  *pg_test_cluster_new   (void);
void            pg_test_cluster_start (PgTestCluster  *cluster);
/* pg_ctl stop -m immediate: the server goes away as in a crash, its connections cut. */
void            pg_test_cluster_stop  (PgTestCluster  *cluster);
void            pg_test_cluster_free  (PgTestCluster  *cluster);
/* SIGSTOP to the server and every process of it: it neither answers nor drops a connection,
 * as a server stalled on its disk or a network that holds the packets; SIGCONT after. Safe to
 * call from any thread. */
void            pg_test_cluster_pause  (PgTestCluster  *cluster);
void            pg_test_cluster_resume (PgTestCluster  *cluster);
char           *pg_test_cluster_query (PgTestCluster  *cluster,
                                       const char     *sql);
/* A statement without rows (ALTER SYSTEM …), in a session that may write whatever the
 * server's default_transaction_read_only says. */
void            pg_test_cluster_exec  (PgTestCluster  *cluster,
                                       const char     *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgTestCluster, pg_test_cluster_free)

G_END_DECLS
