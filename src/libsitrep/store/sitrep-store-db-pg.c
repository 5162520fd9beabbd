/* sitrep-store-db-pg.c: the store's PostgreSQL backend (team mode): statements, results, connecting
 *
 * A statement is the store's SQL with its ?N placeholders turned into $N, run with
 * PQexecParams() when first stepped; its rows are then read from the result one by one. Values
 * go and come back as text (bytea as binary), so the store's readers see what SQLite gives
 * them: an integer from text, NULL as NULL. Failures are classified by SQLSTATE onto SQLite's
 * result codes: a serialization failure, a deadlock or a lock timeout is "busy" (try again), a
 * violated constraint, a value a column does not take or a trigger's RAISE is "constraint", a
 * read-only transaction (a standby) or a missing privilege is "read-only".
 *
 * With sitrep-store-db-pg-session.c (advisory locks, notifications, a lost connection), the
 * only files that include libpq.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "sitrep-secrets.h"
#include "sitrep-store-db-pg-private.h"
#include "sitrep-store-error.h"

/* The type OIDs the backend names (from PostgreSQL's pg_type.dat, fixed since 7.x). */
#define BOOLOID   16
#define BYTEAOID  17
#define INT8OID   20
#define INT2OID   21
#define INT4OID   23
#define OIDOID    26
#define FLOAT4OID 700
#define FLOAT8OID 701
#define NUMERICOID 1700

typedef struct
{
  SitrepDbStmt parent;
  char *sql;
  int n_params;
  char **values;
  int *lengths;
  int *formats;
  Oid *types;
  PGresult *result;
  int row;
  int n_rows;
  /* Unescaped bytea of the current row, by column. */
  GPtrArray *blobs;
} PgStmt;

#define PGSTMT(stmt) ((PgStmt *) (stmt))

static void
set_error (PgDb       *self,
           const char *message)
{
  g_free (self->error);
  /* A connection lost from the start (sitrep_db_postgres_new_lost()) has no message of its
   * own. */
  if ((message == NULL || *message == '\0') && self->conn == NULL)
    message = _("not connected to the server since Sitrep started");
  self->error = g_strchomp (g_strdup (message != NULL && *message ? message
                                                                  : PQerrorMessage (self->conn)));
}

/* SQLSTATE → the SQLite code the store's callers understand. */
static int
classify (PgDb           *self,
          const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY)
                                        : NULL;

  /* The server's sentence alone, on one line: not "ERROR:", the statement or where in it. */
  set_error (self, primary != NULL ? primary
                                   : result != NULL ? PQresultErrorMessage (result) : NULL);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return SITREP_DB_CANTOPEN;
  if (state == NULL)
    return SITREP_DB_ERROR;
  /* A constraint, a trigger's RAISE, a value the column does not take (22…): the data. */
  if (g_str_has_prefix (state, "23") || g_str_has_prefix (state, "22")
      || g_str_equal (state, "P0001"))
    return SITREP_DB_CONSTRAINT;
  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01")
      || g_str_equal (state, "55P03") || g_str_equal (state, "57014"))
    return SITREP_DB_BUSY;
  if (g_str_equal (state, "25006") || g_str_equal (state, "42501"))
    return SITREP_DB_READONLY;
  /* The connection, or the server shutting down (57P01 …: the next connection may do). */
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
    return SITREP_DB_CANTOPEN;
  return SITREP_DB_ERROR;
}

static void
pg_close (SitrepDb *db)
{
  sitrep_db_pg_hide_socket (PG (db));
  PQfinish (PG (db)->conn);
  g_free (PG (db)->error);
  g_free (db);
}

/* The tests' hook (sitrep_store_testing_set_asking()), which they set and unset while other
 * threads ask. */
static void
tell_asking (const char *sql)
{
  void (*asking) (const char *sql) = g_atomic_pointer_get (&sitrep_db_postgres_asking);

  if (asking != NULL)
    asking (sql);
}

static int
pg_exec (SitrepDb   *db,
         const char *sql)
{
  /* A COMMIT of a transaction that an earlier statement aborted succeeds as a statement but
   * rolls everything back (its status is "ROLLBACK"): for the caller, that is a failure. */
  gboolean committing = g_str_equal (sql, "COMMIT");
  PGresult *result;
  ExecStatusType status;
  int rc = SITREP_DB_OK;

  tell_asking (sql);
  sitrep_db_pg_set_asking (PG (db), TRUE);
  result = PQexec (PG (db)->conn, sql);
  sitrep_db_pg_set_asking (PG (db), FALSE);
  status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    rc = classify (PG (db), result);
  else if (committing && g_strcmp0 (PQcmdStatus (result), "ROLLBACK") == 0)
    {
      set_error (PG (db), _("the server rolled the change back because a statement in it had "
                            "failed, so nothing of it was saved"));
      rc = SITREP_DB_ERROR;
    }
  PQclear (result);
  return rc;
}

/* ?N becomes $N and a bare ? the next number, outside quotes; returns the highest number. */
static char *
translate (const char *sql,
           int        *n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  char quote = 0;
  int next = 0;

  *n_params = 0;
  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
          g_string_append_c (out, *p);
          continue;
        }
      if (*p == '\'' || *p == '"')
        {
          quote = *p;
          g_string_append_c (out, *p);
          continue;
        }
      if (*p != '?')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_ascii_isdigit (p[1]))
        {
          int n = 0;

          while (g_ascii_isdigit (p[1]))
            n = n * 10 + (*++p - '0');
          g_string_append_printf (out, "$%d", n);
          *n_params = MAX (*n_params, n);
          next = n;
        }
      else
        {
          g_string_append_printf (out, "$%d", ++next);
          *n_params = MAX (*n_params, next);
        }
    }
  return g_string_free (out, FALSE);
}

static int
pg_prepare (SitrepDb      *db,
            const char    *sql,
            SitrepDbStmt **stmt)
{
  PgStmt *self = g_new0 (PgStmt, 1);

  self->parent.db = db;
  self->sql = translate (sql, &self->n_params);
  self->values = g_new0 (char *, MAX (self->n_params, 1));
  self->lengths = g_new0 (int, MAX (self->n_params, 1));
  self->formats = g_new0 (int, MAX (self->n_params, 1));
  self->types = g_new0 (Oid, MAX (self->n_params, 1));
  self->row = -1;
  self->blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) PQfreemem);
  *stmt = &self->parent;
  return SITREP_DB_OK;
}

static const char *
pg_errmsg (SitrepDb *db)
{
  if (PG (db)->error == NULL && PG (db)->conn == NULL)
    return _("not connected to the server since Sitrep started");
  return PG (db)->error != NULL ? PG (db)->error : PQerrorMessage (PG (db)->conn);
}

static gboolean
pg_in_transaction (SitrepDb *db)
{
  return PQtransactionStatus (PG (db)->conn) != PQTRANS_IDLE;
}

static gint64
pg_changes (SitrepDb *db)
{
  return PG (db)->changes;
}

static void
set_param (PgStmt *self,
           int     index,
           char   *value,
           int     length,
           int     format,
           Oid     type)
{
  if (index < 1 || index > self->n_params)
    {
      g_free (value);
      return;
    }
  g_free (self->values[index - 1]);
  self->values[index - 1] = value;
  self->lengths[index - 1] = length;
  self->formats[index - 1] = format;
  self->types[index - 1] = type;
}

static void
pg_bind_int64 (SitrepDbStmt *stmt,
               int           index,
               gint64        value)
{
  set_param (PGSTMT (stmt), index, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0, INT8OID);
}

static void
pg_bind_double (SitrepDbStmt *stmt,
                int           index,
                double        value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  set_param (PGSTMT (stmt), index, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)), 0,
             0, FLOAT8OID);
}

/* Text goes untyped, so the server takes the type the column or expression wants. */
static void
pg_bind_text (SitrepDbStmt *stmt,
              int           index,
              const char   *value)
{
  set_param (PGSTMT (stmt), index, g_strdup (value), 0, 0, 0);
}

static void
pg_bind_blob (SitrepDbStmt *stmt,
              int           index,
              gconstpointer data,
              gsize         size)
{
  set_param (PGSTMT (stmt), index, g_memdup2 (size ? data : "", MAX (size, 1)), (int) size, 1,
             BYTEAOID);
}

static void
pg_bind_null (SitrepDbStmt *stmt,
              int           index)
{
  set_param (PGSTMT (stmt), index, NULL, 0, 0, 0);
}

static int
pg_step (SitrepDbStmt *stmt)
{
  PgStmt *self = PGSTMT (stmt);
  PgDb *db = PG (stmt->db);

  g_ptr_array_set_size (self->blobs, 0);
  if (self->result == NULL)
    {
      ExecStatusType status;

      tell_asking (self->sql);
      sitrep_db_pg_set_asking (db, TRUE);
      self->result = PQexecParams (db->conn, self->sql, self->n_params, self->types,
                                   (const char *const *) self->values, self->lengths,
                                   self->formats, 0);
      sitrep_db_pg_set_asking (db, FALSE);
      status = PQresultStatus (self->result);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        {
          int rc = classify (db, self->result);

          g_clear_pointer (&self->result, PQclear);
          return rc;
        }
      db->changes = g_ascii_strtoll (PQcmdTuples (self->result), NULL, 10);
      self->n_rows = PQntuples (self->result);
      self->row = -1;
    }
  if (self->row + 1 < self->n_rows)
    {
      self->row++;
      return SITREP_DB_ROW;
    }
  self->row = self->n_rows;
  return SITREP_DB_DONE;
}

static void
pg_reset (SitrepDbStmt *stmt)
{
  PgStmt *self = PGSTMT (stmt);

  g_ptr_array_set_size (self->blobs, 0);
  g_clear_pointer (&self->result, PQclear);
  self->row = -1;
  self->n_rows = 0;
}

static void
pg_finalize (SitrepDbStmt *stmt)
{
  PgStmt *self = PGSTMT (stmt);

  pg_reset (stmt);
  for (int i = 0; i < self->n_params; i++)
    g_free (self->values[i]);
  g_free (self->values);
  g_free (self->lengths);
  g_free (self->formats);
  g_free (self->types);
  g_ptr_array_unref (self->blobs);
  g_free (self->sql);
  g_free (self);
}

static gboolean
has_value (PgStmt *self,
           int     column)
{
  return self->result != NULL && self->row >= 0 && self->row < self->n_rows && column >= 0
         && column < PQnfields (self->result) && !PQgetisnull (self->result, self->row, column);
}

static int
pg_column_type (SitrepDbStmt *stmt,
                int           column)
{
  PgStmt *self = PGSTMT (stmt);

  if (!has_value (self, column))
    return SITREP_DB_NULL;
  switch (PQftype (self->result, column))
    {
    case INT2OID:
    case INT4OID:
    case INT8OID:
    case OIDOID:
    case BOOLOID:
      return SITREP_DB_INTEGER;
    case FLOAT4OID:
    case FLOAT8OID:
    case NUMERICOID:
      return SITREP_DB_FLOAT;
    case BYTEAOID:
      return SITREP_DB_BLOB;
    default:
      return SITREP_DB_TEXT;
    }
}

static gint64
pg_column_int64 (SitrepDbStmt *stmt,
                 int           column)
{
  PgStmt *self = PGSTMT (stmt);
  const char *text;

  if (!has_value (self, column))
    return 0;
  text = PQgetvalue (self->result, self->row, column);
  if (PQftype (self->result, column) == BOOLOID)
    return text[0] == 't';
  /* numeric (a sum) may come with a fraction; SQLite would truncate it too. */
  return g_ascii_strtoll (text, NULL, 10);
}

static double
pg_column_double (SitrepDbStmt *stmt,
                  int           column)
{
  PgStmt *self = PGSTMT (stmt);

  if (!has_value (self, column))
    return 0;
  return g_ascii_strtod (PQgetvalue (self->result, self->row, column), NULL);
}

static const char *
pg_column_text (SitrepDbStmt *stmt,
                int           column)
{
  PgStmt *self = PGSTMT (stmt);

  if (!has_value (self, column))
    return NULL;
  return PQgetvalue (self->result, self->row, column);
}

static gconstpointer
pg_column_blob (SitrepDbStmt *stmt,
                int           column,
                gsize        *size)
{
  PgStmt *self = PGSTMT (stmt);
  unsigned char *data;
  size_t length = 0;

  *size = 0;
  if (!has_value (self, column))
    return NULL;
  if (PQftype (self->result, column) != BYTEAOID)
    {
      *size = PQgetlength (self->result, self->row, column);
      return PQgetvalue (self->result, self->row, column);
    }
  data = PQunescapeBytea ((const unsigned char *) PQgetvalue (self->result, self->row, column),
                          &length);
  if (data == NULL)
    return NULL;
  g_ptr_array_add (self->blobs, data);
  *size = length;
  return data;
}

static const char *
pg_column_name (SitrepDbStmt *stmt,
                int           column)
{
  PgStmt *self = PGSTMT (stmt);

  if (self->result == NULL || column < 0 || column >= PQnfields (self->result))
    return NULL;
  return PQfname (self->result, column);
}

static gsize
pg_column_bytes (SitrepDbStmt *stmt,
                 int           column)
{
  PgStmt *self = PGSTMT (stmt);

  if (!has_value (self, column))
    return 0;
  return PQgetlength (self->result, self->row, column);
}

static const SitrepDbDialect pg_dialect = {
  .false_value = "FALSE",
  .lock_row = " FOR UPDATE",
  .begin_own = "BEGIN",
  .commit_own = "COMMIT",
  .rollback_own = "ROLLBACK",
  .read_version = "SELECT coalesce (max (version), 0) FROM sitrep_schema",
  .write_version = "DELETE FROM sitrep_schema; INSERT INTO sitrep_schema (version) VALUES (%d)",
  .version_exists = "SELECT count(*) FROM pg_tables WHERE tablename = 'sitrep_schema'"
                    " AND schemaname = current_schema ()",
  .family_operator = "LIKE",
  .family_as_like = TRUE,
  .search_index = FALSE,
  .reuses_row_ids = FALSE,
};

static const SitrepDbBackend pg_backend = {
  .engine = SITREP_DB_ENGINE_POSTGRES,
  .dialect = &pg_dialect,
  .close = pg_close,
  .exec = pg_exec,
  .prepare = pg_prepare,
  .errmsg = pg_errmsg,
  .in_transaction = pg_in_transaction,
  .changes = pg_changes,
  .begin_sql = "BEGIN",
  .bind_int64 = pg_bind_int64,
  .bind_double = pg_bind_double,
  .bind_text = pg_bind_text,
  .bind_blob = pg_bind_blob,
  .bind_null = pg_bind_null,
  .step = pg_step,
  .reset = pg_reset,
  .finalize = pg_finalize,
  .column_type = pg_column_type,
  .column_int64 = pg_column_int64,
  .column_double = pg_column_double,
  .column_text = pg_column_text,
  .column_blob = pg_column_blob,
  .column_name = pg_column_name,
  .column_bytes = pg_column_bytes,
};

/**
 * sitrep_db_is_postgres_uri:
 *
 * Whether --database names a PostgreSQL server (a postgresql:// or postgres:// URI, or a libpq
 * "key=value" connection string naming a host, database or service) rather than a file.
 */
gboolean
sitrep_db_is_postgres_uri (const char *location)
{
  PQconninfoOption *options;
  gboolean named = FALSE;

  if (location == NULL)
    return FALSE;
  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return TRUE;
  if (strchr (location, '=') == NULL || strchr (location, '/') != NULL)
    return FALSE;
  options = PQconninfoParse (location, NULL);
  if (options == NULL)
    return FALSE;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL
        && (g_str_equal (o->keyword, "host") || g_str_equal (o->keyword, "hostaddr")
            || g_str_equal (o->keyword, "dbname") || g_str_equal (o->keyword, "service")))
      named = TRUE;
  PQconninfoFree (options);
  return named;
}

/* Whether a connection string or URI holds a password (one that does not parse holds none). */
gboolean
sitrep_db_postgres_has_password (const char *conninfo)
{
  PQconninfoOption *options = PQconninfoParse (conninfo, NULL);
  gboolean has_password = FALSE;

  if (options == NULL)
    return FALSE;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL)
      has_password = TRUE;
  PQconninfoFree (options);
  return has_password;
}

static void
notice_cb (void       *user_data,
           const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* "“incidents” on db.example.org:5432 (user sitrep)", without anything secret, for messages. */
static char *
describe (PGconn *conn)
{
  const char *host = PQhost (conn);
  const char *port = PQport (conn);

  if (host == NULL || *host == '\0')
    host = "localhost";
  if (port == NULL || *port == '\0')
    port = "5432";
  /* Translators: "“incidents” on db.example.org:5432 (user sitrep)"; a host starting with /
   * is the folder of a local socket. */
  return g_strdup_printf (_("“%s” on %s:%s (user %s)"), PQdb (conn), host, port, PQuser (conn));
}

/* libpq's message on one line. */
char *
sitrep_db_pg_one_line (const char *message)
{
  g_auto(GStrv) lines = g_strsplit_set (message != NULL ? message : "", "\n\t", -1);
  g_autofree char *joined = g_strjoinv (" ", lines);

  return g_strstrip (g_strdup (joined));
}

/* Connects to @conninfo, with @password (nullable) after it.
 *
 * A dead link (a cable pulled, a VPN gone, packets dropped) says nothing: TCP would retry what
 * was sent for a quarter of an hour, and an idle connection (the watch's LISTEN) would never
 * learn. So data unacknowledged for 15 s ends the connection, and so do keepalives unanswered
 * on an idle one (Linux counts those against the same 15 s once it has sent the first, after
 * 10 s idle); a slow server still acknowledges, so a long query is not cut (a console gives up
 * a change its journal can keep after 15 s, sitrep-store-writer-stalls.c). The address comes
 * after these, so what it says wins; a service file (service=…, PGSERVICE) is read only for
 * what the parameters leave unset, so with one none are given and the file decides. */
static PGconn *
connect_to (const char *conninfo,
            gboolean    from_service,
            const char *password)
{
  g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

#define PARAM(keyword, value) \
  G_STMT_START { \
    g_ptr_array_add (keywords, (gpointer) (keyword)); \
    g_ptr_array_add (values, (gpointer) (value)); \
  } G_STMT_END

  PARAM ("connect_timeout", "10");
  PARAM ("application_name", "sitrep");
  if (!from_service)
    {
      PARAM ("keepalives", "1");
      PARAM ("keepalives_idle", "10");
      PARAM ("keepalives_interval", "5");
      PARAM ("keepalives_count", "3");
      PARAM ("tcp_user_timeout", "15000");
    }
  PARAM ("dbname", conninfo);
  if (password != NULL)
    PARAM ("password", password);
  PARAM (NULL, NULL);
#undef PARAM

  return PQconnectdbParams ((const char *const *) keywords->pdata,
                            (const char *const *) values->pdata, TRUE);
}

/**
 * sitrep_db_postgres_open:
 * @conninfo: a libpq URI or connection string, without a password
 * @display_name: (out): where the store is, for people: "user@host:port/dbname"
 *
 * Connects to a team database. A password in @conninfo is refused before anything connects:
 * it would be in the shell's history and in `ps` for everyone on the machine. libpq reads it
 * from PGPASSFILE (or ~/.pgpass). A server that cannot be reached, or that refuses the
 * password, is an error naming host:port and what to do.
 */
void (*sitrep_db_postgres_connecting) (void) = NULL;
void (*sitrep_db_postgres_asking) (const char *sql) = NULL;

SitrepDb *
sitrep_db_postgres_open (const char *conninfo,
                         char      **display_name,
                         GError    **error)
{
  g_autofree char *parse_error = NULL;
  PQconninfoOption *options;
  gboolean from_service;
  gboolean from_keyring = FALSE;
  g_autoptr(GError) keyring_error = NULL;
  PGconn *conn;
  PgDb *self;

  {
    char *message = NULL;

    options = PQconninfoParse (conninfo, &message);
    if (message != NULL)
      {
        parse_error = g_strchomp (g_strdup (message));
        PQfreemem (message);
      }
  }
  if (options == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("“%s” is not a PostgreSQL connection string (%s): give --database "
                     "postgresql://USER@HOST:PORT/DATABASE."),
                   conninfo, parse_error != NULL ? parse_error : "");
      return NULL;
    }
  from_service = g_getenv ("PGSERVICE") != NULL;
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, "service") && option->val != NULL)
      from_service = TRUE;
  PQconninfoFree (options);
  if (sitrep_db_postgres_has_password (conninfo))
    {
      /* The connection string itself is not repeated: it holds the password. */
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("The team database address contains a password, which Sitrep never "
                     "takes on the command line (other users see it in the process list and "
                     "it stays in the shell's history). Remove it from the address and put it "
                     "in the file PGPASSFILE names (or ~/.pgpass), one line "
                     "HOST:PORT:DATABASE:USER:PASSWORD, readable by you alone."));
      return NULL;
    }

  {
    void (*connecting) (void) = g_atomic_pointer_get (&sitrep_db_postgres_connecting);

    if (connecting != NULL)
      connecting ();
  }
  conn = connect_to (conninfo, from_service, NULL);
  if (conn != NULL && PQstatus (conn) != CONNECTION_OK && PQconnectionNeedsPassword (conn))
    {
      /* Neither PGPASSFILE nor ~/.pgpass had one: the keyring may, under the address. This
       * waits on D-Bus; the store connects off the main loop. */
      char *password = sitrep_secrets_lookup_database_password_sync (conninfo, NULL,
                                                                     &keyring_error);

      if (password != NULL)
        {
          PQfinish (conn);
          conn = connect_to (conninfo, from_service, password);
          from_keyring = TRUE;
          sitrep_secrets_free_password (password);
        }
    }
  if (conn == NULL)
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                           _("Out of memory while connecting to the team database."));
      return NULL;
    }
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *where = describe (conn);
      g_autofree char *detail = sitrep_db_pg_one_line (PQerrorMessage (conn));

      if (PQconnectionNeedsPassword (conn)
          && g_error_matches (keyring_error, SITREP_SECRETS_ERROR,
                              SITREP_SECRETS_ERROR_UNAVAILABLE))
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                     _("The team database %s wants a password and none was found: %s. Start "
                       "the keyring and store the password with “sitrep store password %s” "
                       "(it asks for it), or put it in the file PGPASSFILE names (or ~/.pgpass), "
                       "one line HOST:PORT:DATABASE:USER:PASSWORD."),
                     where, keyring_error->message, conninfo);
      else if (PQconnectionNeedsPassword (conn))
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                     _("The team database %s wants a password and none was found in the "
                       "keyring or a password file: store it with “sitrep store password %s” "
                       "(it asks for it), or put it in the file PGPASSFILE names (or ~/.pgpass), "
                       "one line HOST:PORT:DATABASE:USER:PASSWORD."),
                     where, conninfo);
      else if (from_keyring && PQconnectionUsedPassword (conn))
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                     _("The team database %s refused the password the keyring holds for user "
                       "“%s” (%s): store the right one with “sitrep store password %s”."),
                     where, PQuser (conn), detail, conninfo);
      else if (PQconnectionUsedPassword (conn))
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                     _("The team database %s refused the password for user “%s” (%s): correct "
                       "it in the file PGPASSFILE names (or ~/.pgpass)."),
                     where, PQuser (conn), detail);
      else
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE,
                     _("Cannot reach the team database %s (%s): check that the server runs "
                       "and that the address is right, or use a local database with --database "
                       "FILE."),
                     where, detail);
      PQfinish (conn);
      return NULL;
    }

  PQsetNoticeProcessor (conn, notice_cb, NULL);
  self = g_new0 (PgDb, 1);
  self->parent.backend = &pg_backend;
  self->conn = conn;
  sitrep_db_pg_show_socket (self);
  /* A verb that gives up (its --wait passed, sitrep-store-deadline.c) cuts its connection, but
   * a server busy with its statement (waiting for a lock another session holds) notices only
   * when it next writes to it: until then its backend keeps its place in the lock queue and a
   * connection slot. PostgreSQL 14 and later look at the connection every 2 s while a statement
   * runs and end it when the client is gone. Sent once the deadline watches the socket: it
   * may stall too. */
  if (PQserverVersion (conn) >= 140000)
    {
      tell_asking ("SET client_connection_check_interval = '2s'");
      sitrep_db_pg_set_asking (self, TRUE);
      PQclear (PQexec (conn, "SET client_connection_check_interval = '2s'"));
      sitrep_db_pg_set_asking (self, FALSE);
    }
  if (display_name != NULL)
    *display_name = describe (conn);
  return &self->parent;
}

/* A connection that is lost from the start, for a console that starts while its team database
 * is unreachable: every statement fails as on a broken connection (libpq takes a NULL
 * connection for one), sitrep_db_postgres_is_lost() says so, and sitrep_db_postgres_adopt()
 * gives it a real one once the server answers. */
SitrepDb *
sitrep_db_postgres_new_lost (void)
{
  PgDb *self = g_new0 (PgDb, 1);

  self->parent.backend = &pg_backend;
  self->conn = NULL;
  return &self->parent;
}
