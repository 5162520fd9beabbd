/* sitrep-store-db.h: the store's engine seam: one connection and statement API over SQLite and PostgreSQL
 *
 * The store writes its SQL once, in SQLite's dialect where the two agree, with numbered
 * parameters (?1, ?2 …) and RETURNING for new ids. What differs between the engines lives
 * behind this API, in one backend file each: placeholders, how a value is bound and read back,
 * transactions and their locks, how a failure is classified, and the few SQL words in which
 * the two differ (SitrepDbDialect): the store's files ask the dialect rather than which engine
 * it is. Result codes are SQLite's
 * (SITREP_DB_ROW is SQLITE_ROW …) so that both engines' failures go through one
 * sitrep_store_fail().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SITREP_DB_ENGINE_SQLITE,
  SITREP_DB_ENGINE_POSTGRES,
} SitrepDbEngine;

/* SQLite's primary result codes, which the PostgreSQL backend maps its SQLSTATEs onto. */
typedef enum
{
  SITREP_DB_OK = 0,
  SITREP_DB_ERROR = 1,
  SITREP_DB_BUSY = 5,
  SITREP_DB_READONLY = 8,
  SITREP_DB_CORRUPT = 11,
  SITREP_DB_CANTOPEN = 14,
  SITREP_DB_CONSTRAINT = 19,
  SITREP_DB_NOTADB = 26,
  SITREP_DB_ROW = 100,
  SITREP_DB_DONE = 101,
} SitrepDbResult;

typedef enum
{
  SITREP_DB_INTEGER = 1,
  SITREP_DB_FLOAT = 2,
  SITREP_DB_TEXT = 3,
  SITREP_DB_BLOB = 4,
  SITREP_DB_NULL = 5,
} SitrepDbType;

/* The SQL in which the engines differ, for the store's own statements; everything else the store
 * writes once. */
typedef struct
{
  /* What a WHERE reads as false: PostgreSQL has no integer truth. */
  const char *false_value;
  /* Put after a SELECT of the row a transaction then changes, to hold it until the commit; NULL
   * where the transaction's BEGIN holds the whole database already (SQLite's IMMEDIATE). */
  const char *lock_row;
  /* A statement's transaction of its own when the caller has none: a savepoint on SQLite (cheap,
   * nests), a transaction on PostgreSQL (which has savepoints only inside one). */
  const char *begin_own;
  const char *commit_own;
  const char *rollback_own;
  /* The schema version: a query of one integer, and a printf() format with exactly one %d (and
   * no other %) that sets it; with version_exists, a count that is 0 while the table keeping it
   * is not made yet. */
  const char *read_version;
  const char *write_version;
  const char *version_exists;
  /* A family of timeline kinds ("action*"): the operator, and whether its pattern is written
   * as LIKE reads it ("action%") rather than as GLOB does. */
  const char *family_operator;
  gboolean    family_as_like;
  /* Timeline search through the FTS5 table timeline_search (its rows kept by the INSERT of an
   * event); without it, patterns matched against each event's words. */
  gboolean    search_index;
  /* A deleted row's id may be handed out again (SQLite's INTEGER PRIMARY KEY without
   * AUTOINCREMENT): ids that must stay unique over time are numbered by the store. */
  gboolean    reuses_row_ids;
} SitrepDbDialect;

typedef struct _SitrepDb SitrepDb;
typedef struct _SitrepDbStmt SitrepDbStmt;
typedef struct _SitrepDbBackend SitrepDbBackend;

struct _SitrepDbBackend
{
  SitrepDbEngine engine;
  const SitrepDbDialect *dialect;
  void          (*close)          (SitrepDb     *db);
  int           (*exec)           (SitrepDb     *db,
                                   const char   *sql);
  int           (*prepare)        (SitrepDb     *db,
                                   const char   *sql,
                                   SitrepDbStmt **stmt);
  const char   *(*errmsg)         (SitrepDb     *db);
  gboolean      (*in_transaction) (SitrepDb     *db);
  gint64        (*changes)        (SitrepDb     *db);
  const char   *begin_sql;
  void          (*bind_int64)     (SitrepDbStmt *stmt,
                                   int           index,
                                   gint64        value);
  void          (*bind_double)    (SitrepDbStmt *stmt,
                                   int           index,
                                   double        value);
  void          (*bind_text)      (SitrepDbStmt *stmt,
                                   int           index,
                                   const char   *value);
  void          (*bind_blob)      (SitrepDbStmt *stmt,
                                   int           index,
                                   gconstpointer data,
                                   gsize         size);
  void          (*bind_null)      (SitrepDbStmt *stmt,
                                   int           index);
  int           (*step)           (SitrepDbStmt *stmt);
  void          (*reset)          (SitrepDbStmt *stmt);
  void          (*finalize)       (SitrepDbStmt *stmt);
  int           (*column_type)    (SitrepDbStmt *stmt,
                                   int           column);
  gint64        (*column_int64)   (SitrepDbStmt *stmt,
                                   int           column);
  double        (*column_double)  (SitrepDbStmt *stmt,
                                   int           column);
  const char   *(*column_text)    (SitrepDbStmt *stmt,
                                   int           column);
  gconstpointer (*column_blob)    (SitrepDbStmt *stmt,
                                   int           column,
                                   gsize        *size);
  const char   *(*column_name)    (SitrepDbStmt *stmt,
                                   int           column);
  gsize         (*column_bytes)   (SitrepDbStmt *stmt,
                                   int           column);
};

/* What every backend's connection and statement start with. */
struct _SitrepDb
{
  const SitrepDbBackend *backend;
  /* sitrep_db_begin_outer(): while set, the store's own BEGIN, COMMIT and ROLLBACK are a
   * savepoint inside the caller's transaction, so that a change and what the journal records
   * of it commit together. */
  gboolean outer;
};

struct _SitrepDbStmt
{
  SitrepDb *db;
};

/* sitrep-store-db-sqlite.c */
SitrepDb      *sitrep_db_sqlite_open   (const char  *path,
                                        int         *rc);
gpointer       sitrep_db_sqlite_handle (SitrepDb    *db);

static inline SitrepDbEngine
sitrep_db_engine (SitrepDb *db)
{
  return db->backend->engine;
}

static inline const SitrepDbDialect *
sitrep_db_dialect (SitrepDb *db)
{
  return db->backend->dialect;
}

void           sitrep_db_close         (SitrepDb     *db);
int            sitrep_db_exec          (SitrepDb     *db,
                                        const char   *sql);
int            sitrep_db_prepare       (SitrepDb     *db,
                                        const char   *sql,
                                        SitrepDbStmt **stmt);
const char    *sitrep_db_errmsg        (SitrepDb     *db);
gboolean       sitrep_db_in_transaction (SitrepDb    *db);
int            sitrep_db_begin_outer   (SitrepDb     *db);
int            sitrep_db_end_outer     (SitrepDb     *db,
                                        gboolean      commit);

void           sitrep_db_bind_int64    (SitrepDbStmt *stmt,
                                        int           index,
                                        gint64        value);
void           sitrep_db_bind_double   (SitrepDbStmt *stmt,
                                        int           index,
                                        double        value);
void           sitrep_db_bind_text     (SitrepDbStmt *stmt,
                                        int           index,
                                        const char   *value);
void           sitrep_db_bind_blob     (SitrepDbStmt *stmt,
                                        int           index,
                                        gconstpointer data,
                                        gsize         size);
void           sitrep_db_bind_null     (SitrepDbStmt *stmt,
                                        int           index);
int            sitrep_db_step          (SitrepDbStmt *stmt);
void           sitrep_db_reset         (SitrepDbStmt *stmt);
void           sitrep_db_finalize      (SitrepDbStmt *stmt);
gint64         sitrep_db_changes       (SitrepDb     *db);
int            sitrep_db_column_type   (SitrepDbStmt *stmt,
                                        int           column);
gint64         sitrep_db_column_int64  (SitrepDbStmt *stmt,
                                        int           column);
int            sitrep_db_column_int    (SitrepDbStmt *stmt,
                                        int           column);
double         sitrep_db_column_double (SitrepDbStmt *stmt,
                                        int           column);
const char    *sitrep_db_column_text   (SitrepDbStmt *stmt,
                                        int           column);
gconstpointer  sitrep_db_column_blob   (SitrepDbStmt *stmt,
                                        int           column,
                                        gsize        *size);
const char    *sitrep_db_column_name   (SitrepDbStmt *stmt,
                                        int           column);
gsize          sitrep_db_column_bytes  (SitrepDbStmt *stmt,
                                        int           column);

G_END_DECLS
