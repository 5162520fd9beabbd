/* sitrep-store.c: the local SQLite database that keeps incidents, timelines and the audit log
 *
 * Every write is its own committed transaction in WAL mode with synchronous=FULL: when a call
 * returns, the row survives the process being killed, and the machine losing power. The
 * console makes its changes through the writer thread (sitrep-store-writer.c) so that its main
 * loop never waits for that; its connection here only reads.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sitrep-lazy-libraries.h"
#include "sitrep-store-private.h"

G_DEFINE_FINAL_TYPE (SitrepStore, sitrep_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_OFFLINE,
  PROP_PENDING_CHANGES,
  PROP_JOURNAL_PROBLEM,
  PROP_REFUSED_CHANGES,
  PROP_WAITS_FOR_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  JOURNAL_REPLAYED,
  INCIDENT_WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sitrep_store_finalize (GObject *object)
{
  SitrepStore *self = (SitrepStore *) object;

  /* sitrep-store-writer-stalls.c's source. */
  if (self->stall_watch != NULL)
    {
      g_source_destroy (self->stall_watch);
      g_source_unref (self->stall_watch);
    }
  /* Every queued change holds the store, so none is left: the thread just ends. */
  sitrep_store_stop_writer (self);

  /* The audit log's key is wiped, not just freed. */
  if (self->audit_key != NULL)
    {
      gsize length = 0;
      gpointer key = (gpointer) g_bytes_get_data (self->audit_key, &length);

      if (key != NULL)
        memset (key, 0, length);
      g_bytes_unref (self->audit_key);
    }
  g_free (self->audit_key_problem);
  g_warn_if_fail (self->audit_key_load == NULL && self->audit_key_waiting == NULL);
  self->db = NULL;
  g_clear_pointer (&self->conn, sitrep_db_close);
  g_free (self->path);
  g_free (self->journal_path);
  g_free (self->journal_problem);
  g_clear_pointer (&self->writer_context, g_main_context_unref);
  if (self->deadline != NULL)
    sitrep_store_deadline_unwatch (self->deadline, &self->writer_slot);
  sitrep_db_socket_slot_clear (&self->writer_slot);
  /* The reader's thread ends before the connection of its own that it reads on goes. */
  sitrep_store_free_reader (self);

  G_OBJECT_CLASS (sitrep_store_parent_class)->finalize (object);
}

static void
sitrep_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SitrepStore *self = SITREP_STORE (object);

  switch (prop_id)
    {
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_PENDING_CHANGES:
      g_value_set_uint (value, self->pending_changes);
      break;
    case PROP_JOURNAL_PROBLEM:
      g_value_set_string (value, self->journal_problem);
      break;
    case PROP_REFUSED_CHANGES:
      g_value_set_uint (value, self->refused_changes);
      break;
    case PROP_WAITS_FOR_KEY:
      g_value_set_boolean (value, self->waits_for_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_store_class_init (SitrepStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sitrep_store_finalize;
  object_class->get_property = sitrep_store_get_property;

  /**
   * SitrepStore:offline:
   *
   * Whether the team database is unreachable and the console's changes are kept in the
   * journal on this computer until it is back. Always %FALSE for a file.
   */
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SitrepStore:pending-changes:
   *
   * How many changes the journal keeps for the team database.
   */
  properties[PROP_PENDING_CHANGES] =
    g_param_spec_uint ("pending-changes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SitrepStore:journal-problem:
   *
   * Why the journal's changes are not written although the team database answers (it refuses
   * writes, it is busy …), in words for people; %NULL when nothing stops them but the server
   * being unreachable (#SitrepStore:offline).
   */
  properties[PROP_JOURNAL_PROBLEM] =
    g_param_spec_string ("journal-problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SitrepStore:refused-changes:
   *
   * How many of the journal's changes the team database can never take (a constraint they
   * break, their incident gone): set aside on this computer, listed by `sitrep store journal`.
   */
  properties[PROP_REFUSED_CHANGES] =
    g_param_spec_uint ("refused-changes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SitrepStore:waits-for-key:
   *
   * Whether the journal's changes wait for the audit log's key: the server answers, but the
   * first change kept is a command's record, signed with the key from the keyring, which has
   * not been read yet (the keyring is locked and its prompt not answered). Nothing has
   * failed; they are written, in order, once the key is read.
   */
  properties[PROP_WAITS_FOR_KEY] =
    g_param_spec_boolean ("waits-for-key", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepStore::journal-replayed:
   * @n_written: how many kept changes were written
   *
   * The team database is back and the journal's changes were written to it.
   */
  signals[JOURNAL_REPLAYED] =
    g_signal_new ("journal-replayed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * SitrepStore::incident-written:
   * @local_id: the provisional id the incident was declared under while the team database
   *   was unreachable (below zero)
   * @incident: the incident as the journal's replay wrote it on the team database, under the
   *   server's id
   *
   * Emitted before #SitrepStore::journal-replayed, once per incident declared while away.
   */
  signals[INCIDENT_WRITTEN] =
    g_signal_new ("incident-written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, SITREP_TYPE_INCIDENT);
}

void
sitrep_store_incident_written (SitrepStore    *self,
                               gint64          local_id,
                               SitrepIncident *incident)
{
  g_signal_emit (self, signals[INCIDENT_WRITTEN], 0, local_id, incident);
}

/* On a thread of its own: a connection like the main one (a connect may wait for its 10 s
 * timeout, and for the keyring). */
static void
reconnect_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *conninfo = task_data;
  GError *error = NULL;
  SitrepDb *fresh = sitrep_db_postgres_open (conninfo, NULL, &error);

  if (fresh == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* As sitrep_store_open() configures it. */
  sitrep_db_exec (fresh, "SET client_min_messages = warning");
  g_task_return_pointer (task, fresh, (GDestroyNotify) sitrep_db_close);
}

static void
reconnected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SitrepStore *self = SITREP_STORE (source);
  g_autoptr(GError) error = NULL;
  SitrepDb *fresh = g_task_propagate_pointer (G_TASK (result), &error);

  self->reconnecting = FALSE;
  if (fresh == NULL)
    {
      /* The next time the writer is back, again. */
      g_debug ("The console's connection to %s is not made again yet: %s", self->path,
               error->message);
      return;
    }
  if (sitrep_db_postgres_is_lost (self->conn))
    sitrep_db_postgres_adopt (self->conn, fresh);
  else
    sitrep_db_close (fresh);
}

/* On the main context, from the writer thread. A team database's main connection broke with
 * the writer's; once the writer is back, so is it (one connect, to a server that just
 * answered, on a thread: the main loop never waits for it). */
void
sitrep_store_set_offline_state (SitrepStore *self,
                                gboolean     offline,
                                guint        pending,
                                guint        replayed)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (!offline && !self->reconnecting && sitrep_db_postgres_is_lost (self->conn))
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, reconnected_cb, NULL);

      g_task_set_source_tag (task, sitrep_store_set_offline_state);
      g_task_set_task_data (task, g_strdup (self->path), g_free);
      self->reconnecting = TRUE;
      g_task_run_in_thread (task, reconnect_thread);
    }
  if (!offline)
    self->never_connected = FALSE;
  if (self->offline != offline)
    {
      self->offline = offline;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
    }
  if (self->pending_changes != pending)
    {
      self->pending_changes = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CHANGES]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  if (replayed > 0)
    g_signal_emit (self, signals[JOURNAL_REPLAYED], 0, replayed);
}

void
sitrep_store_set_journal_state (SitrepStore *self,
                                const char  *problem,
                                guint        refused,
                                gboolean     waits_for_key)
{
  if (self->waits_for_key != !!waits_for_key)
    {
      self->waits_for_key = !!waits_for_key;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITS_FOR_KEY]);
    }
  if (g_strcmp0 (self->journal_problem, problem) != 0)
    {
      g_free (self->journal_problem);
      self->journal_problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNAL_PROBLEM]);
    }
  if (self->refused_changes != refused)
    {
      self->refused_changes = refused;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSED_CHANGES]);
    }
}

const char *
sitrep_store_get_journal_problem (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return self->journal_problem;
}

guint
sitrep_store_get_refused_changes (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), 0);
  return self->refused_changes;
}

/* Whether @self was opened while its team database was unreachable
 * (sitrep_store_open_away()) and the server has not answered since: its address may be wrong. */
gboolean
sitrep_store_get_never_connected (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return self->never_connected;
}

gboolean
sitrep_store_get_offline (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return self->offline;
}

guint
sitrep_store_get_pending_changes (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), 0);
  return self->pending_changes;
}

/**
 * sitrep_store_set_journal_path:
 * @path: (nullable): where the journal of a team database is kept; %NULL for the default,
 *   under the user's data folder, one per address
 *
 * Before the first change is queued.
 */
void
sitrep_store_set_journal_path (SitrepStore *self,
                               const char  *path)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (self->writer_thread == NULL);
  g_free (self->journal_path);
  self->journal_path = g_strdup (path);
}

static void
sitrep_store_init (SitrepStore *self)
{
  sitrep_db_socket_slot_init (&self->writer_slot);
  self->deadline = sitrep_store_deadline_watch_current (&self->writer_slot);
}

char *
sitrep_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "sitrep", "sitrep.db", NULL);
}

/* Refuses early, with a clear message, what sqlite would only report half-way through. */
static gboolean
check_writable (SitrepStore *self,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("cannot create the folder %s for the database (%s): start Sitrep with "
                     "--database and a file in a writable folder."),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* WAL mode keeps its journal beside the database, so the folder must be writable too. */
  if (g_access (dir, W_OK) != 0
      || (g_file_test (self->path, G_FILE_TEST_EXISTS) && g_access (self->path, W_OK) != 0))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY,
                   _("cannot write to %s: the file or its folder is read-only. Nothing was "
                     "changed: make them writable, or start Sitrep with --database and a file "
                     "in a writable folder."),
                   self->path);
      return FALSE;
    }
  return TRUE;
}

/* A team database: connects, then brings its schema up to date under a lock. */
static SitrepStore *
open_postgres (const char *conninfo,
               GError    **error)
{
  g_autoptr(SitrepStore) self = g_object_new (SITREP_TYPE_STORE, NULL);
  g_autoptr(GError) missing = NULL;

  /* libpq is opened the first time it is needed (support/sitrep-lazy-libpq.c). */
  if (!sitrep_lazy_libpq_load (&missing))
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN, missing->message);
      return NULL;
    }
  self->path = g_strdup (conninfo);
  self->conn = sitrep_db_postgres_open (conninfo, NULL, error);
  if (self->conn == NULL)
    return NULL;
  /* Quiet: the migrations' "already exists" notices are no news. */
  if (!sitrep_store_exec (self, "SET client_min_messages = warning", _("configuring the connection"),
                          error)
      || !sitrep_store_migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sitrep_store_open_away:
 * @address: a team database's PostgreSQL connection string, which sitrep_store_open() could
 *   not reach (%SITREP_STORE_ERROR_UNREACHABLE)
 *
 * A store for a team database that is unreachable as the console starts: the console works on
 * at once, as when its server goes away later. It is #SitrepStore:offline; its changes are
 * kept in the journal, and its reads fail with %SITREP_STORE_ERROR_UNREACHABLE (the incident
 * list is read again until they succeed). The writer thread tries the server every few
 * seconds; once it answers, the writer brings the schema up to date, writes what was kept, and
 * the store connects again (sitrep_store_set_offline_state()).
 */
SitrepStore *
sitrep_store_open_away (const char *address,
                        GError    **error)
{
  g_autoptr(SitrepStore) self = NULL;
  g_autoptr(GError) missing = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  if (!sitrep_db_is_postgres_uri (address))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("“%s” is not a team database’s address: only a team database can be "
                     "opened while it is unreachable."),
                   address);
      return NULL;
    }
  if (!sitrep_lazy_libpq_load (&missing))
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN, missing->message);
      return NULL;
    }
  self = g_object_new (SITREP_TYPE_STORE, NULL);
  self->path = g_strdup (address);
  self->conn = sitrep_db_postgres_new_lost ();
  self->offline = TRUE;
  self->never_connected = TRUE;
  /* Now, not at the first change: the writer is what notices that the server is back. */
  sitrep_store_start_writer (self);
  return g_steal_pointer (&self);
}

/**
 * sitrep_store_open:
 * @path: the database file, ":memory:" for a private in-memory database, or a team database's
 *   PostgreSQL connection string (postgresql://USER@HOST:PORT/DATABASE, without a password)
 *
 * Opens the database, creating it and its folder when missing, and brings its schema up to
 * date. A database from a newer Sitrep, a damaged file or a read-only place is refused with an
 * error that says so, and nothing in the file is changed.
 */
SitrepStore *
sitrep_store_open (const char *path,
                   GError    **error)
{
  g_autoptr(SitrepStore) self = NULL;
  gboolean in_memory;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (sitrep_db_is_postgres_uri (path))
    return open_postgres (path, error);

  self = g_object_new (SITREP_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  in_memory = g_str_equal (path, ":memory:");

  if (!in_memory && !check_writable (self, error))
    return NULL;

  self->conn = sitrep_db_sqlite_open (path, &rc);
  if (self->conn == NULL)
    {
      sitrep_store_fail (self, rc, _("opening"), error);
      return NULL;
    }
  self->db = sitrep_db_sqlite_handle (self->conn);

  /* Short: the console's connection lives on the main loop, which must not wait long. */
  sqlite3_busy_timeout (self->db, 500);
  sqlite3_extended_result_codes (self->db, 0);

  /* Read the version before anything writes: a newer or damaged file must stay untouched. */
  {
    int version;

    if (!sitrep_store_read_schema_version (self, &version, error)
        || !sitrep_store_refuse_newer (self, version, error))
      return NULL;
  }

  if (!in_memory && !sitrep_store_exec (self, "PRAGMA journal_mode = WAL", _("switching to WAL"), error))
    return NULL;
  if (!sitrep_store_exec (self,
                 "PRAGMA synchronous = FULL;"
                 "PRAGMA foreign_keys = ON;",
                 _("configuring the connection"), error))
    return NULL;

  if (!sitrep_store_migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sitrep_store_is_team_address:
 *
 * Whether @address names a team database (a libpq URI or connection string) rather than a file.
 */
gboolean
sitrep_store_is_team_address (const char *address)
{
  return sitrep_db_is_postgres_uri (address);
}

/**
 * sitrep_store_address_has_password:
 *
 * Whether a team database's @address holds a password, which Sitrep never takes there.
 */
gboolean
sitrep_store_address_has_password (const char *address)
{
  g_return_val_if_fail (address != NULL, FALSE);
  return sitrep_db_is_postgres_uri (address) && sitrep_db_postgres_has_password (address);
}

/* A private ":memory:" database, which no other connection (the writer's, the reader's) sees. */
gboolean
sitrep_store_is_in_memory (SitrepStore *self)
{
  return g_str_equal (self->path, ":memory:");
}

/**
 * sitrep_store_is_shared:
 *
 * Whether the store is a team database (PostgreSQL) rather than a file of one's own.
 */
gboolean
sitrep_store_is_shared (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return sitrep_db_engine (self->conn) == SITREP_DB_ENGINE_POSTGRES;
}

/**
 * sitrep_store_check_file:
 * @path: the database file a person named, or the default one
 * @is_default: whether @path is the default database rather than one given with --database
 *
 * Whether @path names an existing regular file, before anything opens it. Opening would create
 * a missing file, and an empty database answers "no incidents" or "audit log intact" for a
 * mistyped path; a named pipe would block the first read. The console and the headless verbs
 * check a database they are given this way.
 */
gboolean
sitrep_store_check_file (const char *path,
                         gboolean    is_default,
                         GError    **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT && saved_errno != ENOTDIR)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Cannot read the database %s (%s): check its permissions."), path,
                     g_strerror (saved_errno));
      else if (is_default)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no database at %s yet: the console creates it when it first "
                       "starts. Give another one with --database FILE."),
                     path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no database at %s: check the path. --database names an "
                       "existing file (an empty file starts a new database); nothing was "
                       "created."),
                     path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   S_ISDIR (st.st_mode)
                     ? _("%s is a folder, not a database: give the database file with "
                         "--database FILE.")
                     : _("%s is not a regular file (a pipe, a device or a socket): give the "
                         "database file with --database FILE."),
                   path);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_store_open_existing:
 * @path: (nullable): the database a person named, or %NULL for the default one
 *
 * Opens a database that must already exist (sitrep_store_check_file()): what the headless verbs
 * read. Only the console creates its database. A team database (a PostgreSQL connection
 * string) is opened, and its schema created on first use.
 */
SitrepStore *
sitrep_store_open_existing (const char *path,
                            GError    **error)
{
  g_autofree char *fallback = NULL;

  if (path == NULL)
    path = fallback = sitrep_store_default_path ();
  /* A team database that does not exist is the server's error to report. */
  if (sitrep_db_is_postgres_uri (path))
    return sitrep_store_open (path, error);
  if (!sitrep_store_check_file (path, fallback != NULL, error))
    return NULL;
  return sitrep_store_open (path, error);
}

/**
 * sitrep_store_set_busy_timeout:
 * @milliseconds: how long a change waits for another writer of the same file
 *
 * The console waits half a second at most, since its main loop must not stall; a headless verb
 * that shares the file with a console and other verbs can wait longer rather than lose a write.
 */
void
sitrep_store_set_busy_timeout (SitrepStore *self,
                               guint        milliseconds)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  /* A team database makes a writer wait on a row lock or the audit chain's lock as long as
   * the other holds it. */
  if (self->db != NULL)
    sqlite3_busy_timeout (self->db, (int) MIN (milliseconds, G_MAXINT));
}

const char *
sitrep_store_get_path (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return self->path;
}

int
sitrep_store_get_schema_version (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), 0);
  return self->schema_version;
}

