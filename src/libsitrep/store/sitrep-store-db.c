/* sitrep-store-db.c: the store's engine seam: each call goes to the connection's backend */
#include "config.h"

#include "sitrep-store-db.h"

void
sitrep_db_close (SitrepDb *db)
{
  if (db != NULL)
    db->backend->close (db);
}

int
sitrep_db_exec (SitrepDb   *db,
                const char *sql)
{
  if (db->outer)
    {
      if (g_str_equal (sql, "BEGIN IMMEDIATE") || g_str_equal (sql, "BEGIN"))
        sql = "SAVEPOINT sitrep_change";
      else if (g_str_equal (sql, "COMMIT"))
        sql = "RELEASE SAVEPOINT sitrep_change";
      else if (g_str_equal (sql, "ROLLBACK"))
        sql = "ROLLBACK TO SAVEPOINT sitrep_change; RELEASE SAVEPOINT sitrep_change";
    }
  /* "BEGIN" is the one statement whose words differ: SQLite takes its write lock at once with
   * IMMEDIATE; PostgreSQL locks row by row, and the audit chain takes an advisory lock. */
  if (g_str_equal (sql, "BEGIN IMMEDIATE"))
    sql = db->backend->begin_sql;
  return db->backend->exec (db, sql);
}

/* Opens a transaction of the caller's, inside which the store's own transactions nest. */
int
sitrep_db_begin_outer (SitrepDb *db)
{
  int rc;

  g_return_val_if_fail (!db->outer, SITREP_DB_ERROR);
  rc = sitrep_db_exec (db, "BEGIN IMMEDIATE");
  if (rc == SITREP_DB_OK)
    db->outer = TRUE;
  return rc;
}

/* Commits or rolls back what sitrep_db_begin_outer() opened. */
int
sitrep_db_end_outer (SitrepDb *db,
                     gboolean  commit)
{
  g_return_val_if_fail (db->outer, SITREP_DB_ERROR);
  db->outer = FALSE;
  if (commit)
    return sitrep_db_exec (db, "COMMIT");
  sitrep_db_exec (db, "ROLLBACK");
  return SITREP_DB_OK;
}

int
sitrep_db_prepare (SitrepDb      *db,
                   const char    *sql,
                   SitrepDbStmt **stmt)
{
  *stmt = NULL;
  return db->backend->prepare (db, sql, stmt);
}

const char *
sitrep_db_errmsg (SitrepDb *db)
{
  return db->backend->errmsg (db);
}

gboolean
sitrep_db_in_transaction (SitrepDb *db)
{
  return db->backend->in_transaction (db);
}

gint64
sitrep_db_changes (SitrepDb *db)
{
  return db->backend->changes (db);
}

void
sitrep_db_bind_int64 (SitrepDbStmt *stmt,
                      int           index,
                      gint64        value)
{
  stmt->db->backend->bind_int64 (stmt, index, value);
}

void
sitrep_db_bind_double (SitrepDbStmt *stmt,
                       int           index,
                       double        value)
{
  stmt->db->backend->bind_double (stmt, index, value);
}

/* NULL binds NULL, as sqlite3_bind_text() does. */
void
sitrep_db_bind_text (SitrepDbStmt *stmt,
                     int           index,
                     const char   *value)
{
  if (value == NULL)
    stmt->db->backend->bind_null (stmt, index);
  else
    stmt->db->backend->bind_text (stmt, index, value);
}

void
sitrep_db_bind_blob (SitrepDbStmt *stmt,
                     int           index,
                     gconstpointer data,
                     gsize         size)
{
  stmt->db->backend->bind_blob (stmt, index, data, size);
}

void
sitrep_db_bind_null (SitrepDbStmt *stmt,
                     int           index)
{
  stmt->db->backend->bind_null (stmt, index);
}

int
sitrep_db_step (SitrepDbStmt *stmt)
{
  return stmt->db->backend->step (stmt);
}

void
sitrep_db_reset (SitrepDbStmt *stmt)
{
  stmt->db->backend->reset (stmt);
}

void
sitrep_db_finalize (SitrepDbStmt *stmt)
{
  if (stmt != NULL)
    stmt->db->backend->finalize (stmt);
}

int
sitrep_db_column_type (SitrepDbStmt *stmt,
                       int           column)
{
  return stmt->db->backend->column_type (stmt, column);
}

gint64
sitrep_db_column_int64 (SitrepDbStmt *stmt,
                        int           column)
{
  return stmt->db->backend->column_int64 (stmt, column);
}

int
sitrep_db_column_int (SitrepDbStmt *stmt,
                      int           column)
{
  return (int) stmt->db->backend->column_int64 (stmt, column);
}

double
sitrep_db_column_double (SitrepDbStmt *stmt,
                         int           column)
{
  return stmt->db->backend->column_double (stmt, column);
}

const char *
sitrep_db_column_text (SitrepDbStmt *stmt,
                       int           column)
{
  return stmt->db->backend->column_text (stmt, column);
}

gconstpointer
sitrep_db_column_blob (SitrepDbStmt *stmt,
                       int           column,
                       gsize        *size)
{
  return stmt->db->backend->column_blob (stmt, column, size);
}

/* The length of the text sitrep_db_column_text() returned, NULs included. */
gsize
sitrep_db_column_bytes (SitrepDbStmt *stmt,
                        int           column)
{
  return stmt->db->backend->column_bytes (stmt, column);
}

const char *
sitrep_db_column_name (SitrepDbStmt *stmt,
                       int           column)
{
  return stmt->db->backend->column_name (stmt, column);
}
