/* sitrep-store-db-sqlite.c: the store's SQLite backend: a thin layer over sqlite3 */
#include "config.h"

#include <sqlite3.h>

#include "sitrep-store-db.h"

typedef struct
{
  SitrepDb parent;
  sqlite3 *handle;
} SqliteDb;

typedef struct
{
  SitrepDbStmt parent;
  sqlite3_stmt *handle;
} SqliteStmt;

#define HANDLE(db) (((SqliteDb *) (db))->handle)
#define STMT(stmt) (((SqliteStmt *) (stmt))->handle)

static void
sqlite_close (SitrepDb *db)
{
  sqlite3_close_v2 (HANDLE (db));
  g_free (db);
}

static int
sqlite_exec (SitrepDb   *db,
             const char *sql)
{
  return sqlite3_exec (HANDLE (db), sql, NULL, NULL, NULL);
}

static int
sqlite_prepare (SitrepDb      *db,
                const char    *sql,
                SitrepDbStmt **stmt)
{
  sqlite3_stmt *handle = NULL;
  int rc = sqlite3_prepare_v2 (HANDLE (db), sql, -1, &handle, NULL);
  SqliteStmt *self;

  if (rc != SQLITE_OK)
    return rc;
  self = g_new0 (SqliteStmt, 1);
  self->parent.db = db;
  self->handle = handle;
  *stmt = &self->parent;
  return SQLITE_OK;
}

static const char *
sqlite_errmsg (SitrepDb *db)
{
  return sqlite3_errmsg (HANDLE (db));
}

static gboolean
sqlite_in_transaction (SitrepDb *db)
{
  return !sqlite3_get_autocommit (HANDLE (db));
}

static gint64
sqlite_changes (SitrepDb *db)
{
  return sqlite3_changes (HANDLE (db));
}

static void
sqlite_bind_int64 (SitrepDbStmt *stmt,
                   int           index,
                   gint64        value)
{
  sqlite3_bind_int64 (STMT (stmt), index, value);
}

static void
sqlite_bind_double (SitrepDbStmt *stmt,
                    int           index,
                    double        value)
{
  sqlite3_bind_double (STMT (stmt), index, value);
}

static void
sqlite_bind_text (SitrepDbStmt *stmt,
                  int           index,
                  const char   *value)
{
  sqlite3_bind_text (STMT (stmt), index, value, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_blob (SitrepDbStmt *stmt,
                  int           index,
                  gconstpointer data,
                  gsize         size)
{
  /* An empty blob is not NULL. */
  sqlite3_bind_blob64 (STMT (stmt), index, size ? data : "", size, SQLITE_TRANSIENT);
}

static void
sqlite_bind_null (SitrepDbStmt *stmt,
                  int           index)
{
  sqlite3_bind_null (STMT (stmt), index);
}

static int
sqlite_step (SitrepDbStmt *stmt)
{
  return sqlite3_step (STMT (stmt));
}

static void
sqlite_reset (SitrepDbStmt *stmt)
{
  sqlite3_reset (STMT (stmt));
}

static void
sqlite_finalize (SitrepDbStmt *stmt)
{
  sqlite3_finalize (STMT (stmt));
  g_free (stmt);
}

static int
sqlite_column_type (SitrepDbStmt *stmt,
                    int           column)
{
  /* SQLite's type codes are SitrepDbType's. */
  return sqlite3_column_type (STMT (stmt), column);
}

static gint64
sqlite_column_int64 (SitrepDbStmt *stmt,
                     int           column)
{
  return sqlite3_column_int64 (STMT (stmt), column);
}

static double
sqlite_column_double (SitrepDbStmt *stmt,
                      int           column)
{
  return sqlite3_column_double (STMT (stmt), column);
}

static const char *
sqlite_column_text (SitrepDbStmt *stmt,
                    int           column)
{
  return (const char *) sqlite3_column_text (STMT (stmt), column);
}

static gconstpointer
sqlite_column_blob (SitrepDbStmt *stmt,
                    int           column,
                    gsize        *size)
{
  gconstpointer data = sqlite3_column_blob (STMT (stmt), column);

  *size = sqlite3_column_bytes (STMT (stmt), column);
  return data;
}

static const char *
sqlite_column_name (SitrepDbStmt *stmt,
                    int           column)
{
  return sqlite3_column_name (STMT (stmt), column);
}

static gsize
sqlite_column_bytes (SitrepDbStmt *stmt,
                     int           column)
{
  return sqlite3_column_bytes (STMT (stmt), column);
}

static const SitrepDbDialect sqlite_dialect = {
  .false_value = "0",
  .lock_row = NULL,
  .begin_own = "SAVEPOINT sitrep_own",
  .commit_own = "RELEASE sitrep_own",
  .rollback_own = "ROLLBACK TO sitrep_own; RELEASE sitrep_own",
  .read_version = "PRAGMA user_version",
  .write_version = "PRAGMA user_version = %d",
  .version_exists = NULL,
  .family_operator = "GLOB",
  .family_as_like = FALSE,
  .search_index = TRUE,
  .reuses_row_ids = TRUE,
};

static const SitrepDbBackend sqlite_backend = {
  .engine = SITREP_DB_ENGINE_SQLITE,
  .dialect = &sqlite_dialect,
  .close = sqlite_close,
  .exec = sqlite_exec,
  .prepare = sqlite_prepare,
  .errmsg = sqlite_errmsg,
  .in_transaction = sqlite_in_transaction,
  .changes = sqlite_changes,
  .begin_sql = "BEGIN IMMEDIATE",
  .bind_int64 = sqlite_bind_int64,
  .bind_double = sqlite_bind_double,
  .bind_text = sqlite_bind_text,
  .bind_blob = sqlite_bind_blob,
  .bind_null = sqlite_bind_null,
  .step = sqlite_step,
  .reset = sqlite_reset,
  .finalize = sqlite_finalize,
  .column_type = sqlite_column_type,
  .column_int64 = sqlite_column_int64,
  .column_double = sqlite_column_double,
  .column_text = sqlite_column_text,
  .column_blob = sqlite_column_blob,
  .column_name = sqlite_column_name,
  .column_bytes = sqlite_column_bytes,
};

G_STATIC_ASSERT (SITREP_DB_ROW == SQLITE_ROW && SITREP_DB_DONE == SQLITE_DONE
                 && SITREP_DB_BUSY == SQLITE_BUSY && SITREP_DB_CONSTRAINT == SQLITE_CONSTRAINT
                 && SITREP_DB_NULL == SQLITE_NULL && SITREP_DB_TEXT == SQLITE_TEXT
                 && SITREP_DB_INTEGER == SQLITE_INTEGER && SITREP_DB_BLOB == SQLITE_BLOB);

/* Opens (creating) @path; on failure NULL with *@rc, and the handle closed. */
SitrepDb *
sitrep_db_sqlite_open (const char *path,
                       int        *rc)
{
  SqliteDb *self;
  sqlite3 *handle = NULL;

  *rc = sqlite3_open_v2 (path, &handle,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (*rc != SQLITE_OK)
    {
      sqlite3_close_v2 (handle);
      return NULL;
    }
  self = g_new0 (SqliteDb, 1);
  self->parent.backend = &sqlite_backend;
  self->handle = handle;
  return &self->parent;
}

/* The sqlite3 handle, for the parts that still speak SQLite alone (the timeline model, the
 * writer's pragmas). */
gpointer
sitrep_db_sqlite_handle (SitrepDb *db)
{
  g_return_val_if_fail (db->backend == &sqlite_backend, NULL);
  return HANDLE (db);
}
