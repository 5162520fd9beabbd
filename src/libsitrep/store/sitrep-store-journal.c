/* sitrep-store-journal.c: a console's changes kept on this computer while its team database is unreachable
 *
 * When the team database cannot be reached, the writer thread (sitrep-store-writer.c) keeps
 * each change a person makes (a note, a checklist tick, a status, a health batch …) in a SQLite
 * file of this account, in order, as the change's kind and a JSON body, under an id of its own.
 * When the server answers again, the journal is replayed in that order before anything newer
 * (sitrep-store-journal-replay.c).
 *
 * A change never lands twice: on a team database every change that can be journaled is written
 * in one transaction with its id in sitrep_journal_applied (a table of the schema's
 * migrations, sitrep-store-schema.c), and a change whose id is there
 * already is skipped. So a replay cut short and run again, or a change whose COMMIT reached
 * the server just as the connection broke, writes nothing twice. A journal row is deleted only
 * after its change is committed on the server.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-journal-private.h"
#include "sitrep-store-private.h"

/* The provisional ids this process has seen written, for changes queued with them later. */
static GMutex ids_lock;
static GHashTable *team_ids;

void
sitrep_store_journal_remember_team_id (gint64 local,
                                       gint64 team)
{
  g_mutex_lock (&ids_lock);
  if (team_ids == NULL)
    team_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_hash_table_replace (team_ids, g_memdup2 (&local, sizeof local), g_memdup2 (&team, sizeof team));
  g_mutex_unlock (&ids_lock);
}

/**
 * sitrep_store_journal_team_id:
 * @id: an incident's id, perhaps a provisional one (below zero)
 *
 * Returns: the server's id of the incident declared under the provisional @id once the replay
 *   has written it; @id otherwise. Any thread.
 */
gint64
sitrep_store_journal_team_id (gint64 id)
{
  gint64 *team = NULL;

  if (id >= 0)
    return id;
  g_mutex_lock (&ids_lock);
  if (team_ids != NULL)
    team = g_hash_table_lookup (team_ids, &id);
  if (team != NULL)
    id = *team;
  g_mutex_unlock (&ids_lock);
  return id;
}

/* The notes kept in the journal that this process has seen written: their change's id, their
 * event's id on the server. */
static GHashTable *note_ids;

void
sitrep_store_journal_remember_note_id (const char *change_id,
                                       gint64      event_id)
{
  g_mutex_lock (&ids_lock);
  if (note_ids == NULL)
    note_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (note_ids, g_strdup (change_id), g_memdup2 (&event_id, sizeof event_id));
  g_mutex_unlock (&ids_lock);
}

/**
 * sitrep_store_journal_note_id:
 * @change_id: the id of a note's change kept in the journal
 *
 * Returns: the note's event id on the server once the replay has written it in this process,
 *   or 0. Any thread.
 */
gint64
sitrep_store_journal_note_id (const char *change_id)
{
  gint64 *id = NULL;
  gint64 found = 0;

  g_mutex_lock (&ids_lock);
  if (note_ids != NULL)
    id = g_hash_table_lookup (note_ids, change_id);
  if (id != NULL)
    found = *id;
  g_mutex_unlock (&ids_lock);
  return found;
}

/* $XDG_DATA_HOME/sitrep/journal-HASH.db: one journal per team database address. */
char *
sitrep_store_journal_default_path (const char *address)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, address, -1);
  g_autofree char *name = g_strdup_printf ("journal-%.16s.db", hash);

  return g_build_filename (g_get_user_data_dir (), "sitrep", name, NULL);
}

gboolean
sitrep_store_journal_fail (SitrepStoreJournal *self,
                           const char         *doing,
                           GError            **error)
{
  g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
               _("The journal %s, which keeps changes while the team database is unreachable, "
                 "failed while %s (%s): check that its folder is writable and the disk not "
                 "full."),
               self->path, doing, self->db ? sqlite3_errmsg (self->db) : "");
  return FALSE;
}

SitrepStoreJournal *
sitrep_store_journal_open (const char *path,
                           GError    **error)
{
  g_autoptr(SitrepStoreJournal) self = g_new0 (SitrepStoreJournal, 1);
  g_autofree char *dir = g_path_get_dirname (path);

  self->path = g_strdup (path);
  if (g_mkdir_with_parents (dir, 0700) != 0
      || sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
           != SQLITE_OK)
    {
      sitrep_store_journal_fail (self, _("opening"), error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 2000);
  if (sqlite3_exec (self->db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = FULL;"
                    "CREATE TABLE IF NOT EXISTS journal ("
                    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                    " change_id TEXT NOT NULL UNIQUE,"
                    " kind TEXT NOT NULL,"
                    " body TEXT NOT NULL,"
                    " kept_at INTEGER NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS refused ("
                    " change_id TEXT PRIMARY KEY,"
                    " kind TEXT NOT NULL,"
                    " body TEXT NOT NULL,"
                    " reason TEXT NOT NULL,"
                    " refused_at INTEGER NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS local_ids ("
                    " local_id INTEGER PRIMARY KEY,"
                    " team_id INTEGER NOT NULL);",
                    NULL, NULL, NULL)
      != SQLITE_OK)
    {
      sitrep_store_journal_fail (self, _("opening"), error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
sitrep_store_journal_free (SitrepStoreJournal *self)
{
  if (self == NULL)
    return;
  sqlite3_close (self->db);
  g_clear_pointer (&self->written, g_array_unref);
  g_free (self->path);
  g_free (self);
}

const char *
sitrep_store_journal_get_path (SitrepStoreJournal *self)
{
  return self->path;
}

/* Keeps a change, durably, behind the others. */
gboolean
sitrep_store_journal_append (SitrepStoreJournal *self,
                             const char         *change_id,
                             const char         *kind,
                             const char         *body,
                             GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO journal (change_id, kind, body, kept_at)"
                          " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return sitrep_store_journal_fail (self, _("keeping a change"), error);
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sitrep_store_journal_fail (self, _("keeping a change"), error);
  return TRUE;
}

/* How many changes wait for the team database; -1 with @error set. */
gint64
sitrep_store_journal_count (SitrepStoreJournal *self,
                            GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM journal", -1, &stmt, NULL) != SQLITE_OK)
    {
      sitrep_store_journal_fail (self, _("counting the changes kept"), error);
      return -1;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (n < 0)
    sitrep_store_journal_fail (self, _("counting the changes kept"), error);
  return n;
}

/* How many changes were set aside because the team database can never write them; -1 with
 * @error set. */
gint64
sitrep_store_journal_count_refused (SitrepStoreJournal *self,
                                    GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM refused", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (n < 0)
    sitrep_store_journal_fail (self, _("counting the changes set aside"), error);
  return n;
}

/**
 * sitrep_store_journal_foreach:
 * @refused: the changes set aside (with why) rather than those waiting
 * @func: called for each, oldest first; @reason is %NULL for a change waiting
 *
 * What `sitrep store journal` lists.
 */
gboolean
sitrep_store_journal_foreach (SitrepStoreJournal     *self,
                              gboolean                refused,
                              SitrepStoreJournalFunc  func,
                              gpointer                data,
                              GError                **error)
{
  const char *sql = refused ? "SELECT change_id, kind, body, refused_at, reason FROM refused"
                              " ORDER BY refused_at, change_id"
                            : "SELECT change_id, kind, body, kept_at, NULL FROM journal"
                              " ORDER BY seq";
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return sitrep_store_journal_fail (self, _("reading the changes kept"), error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
          (const char *) sqlite3_column_text (stmt, 2), sqlite3_column_int64 (stmt, 3),
          (const char *) sqlite3_column_text (stmt, 4), data);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sitrep_store_journal_fail (self, _("reading the changes kept"), error);
  return TRUE;
}

/* Ends the change's transaction, then what an audit entry appended in it waits for (its
 * anchor, the chain's lock). */
static int
end_outer (SitrepStore *team,
           gboolean     commit)
{
  int rc = sitrep_db_end_outer (team->conn, commit);

  sitrep_store_audit_outer_ended (team, commit && rc == SITREP_DB_OK);
  return rc;
}

/**
 * sitrep_store_journal_apply:
 * @change_id: the change's own id, which the team database keeps
 * @already: (out): set when the team database had the change already (nothing was written)
 *
 * Runs @func on the team database in one transaction with @change_id's record.
 */
gboolean
sitrep_store_journal_apply (SitrepStore         *team,
                            const char          *change_id,
                            gboolean           (*func) (SitrepStore *store,
                                                        gpointer     data,
                                                        GError     **error),
                            gpointer             data,
                            gboolean            *already,
                            GError             **error)
{
  SitrepDbStmt *stmt;
  int rc;

  *already = FALSE;
  rc = sitrep_db_begin_outer (team->conn);
  if (rc != SITREP_DB_OK)
    {
      sitrep_store_fail (team, rc, _("starting a change"), error);
      return FALSE;
    }
  stmt = sitrep_store_statement (team,
                                 "INSERT INTO sitrep_journal_applied (change_id, applied_at)"
                                 " VALUES (?1, ?2) ON CONFLICT DO NOTHING RETURNING 1",
                                 error);
  if (stmt == NULL)
    {
      end_outer (team, FALSE);
      return FALSE;
    }
  sitrep_db_bind_text (stmt, 1, change_id);
  sitrep_db_bind_int64 (stmt, 2, g_get_real_time ());
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    rc = sitrep_db_step (stmt) == SITREP_DB_DONE ? SITREP_DB_ROW : SITREP_DB_ERROR;
  sitrep_db_finalize (stmt);
  if (rc == SITREP_DB_DONE)
    {
      /* No row: the server has this change already. */
      *already = TRUE;
      end_outer (team, FALSE);
      return TRUE;
    }
  if (rc != SITREP_DB_ROW)
    {
      sitrep_store_fail (team, rc, _("recording a change's id"), error);
      end_outer (team, FALSE);
      return FALSE;
    }
  if (!func (team, data, error))
    {
      end_outer (team, FALSE);
      return FALSE;
    }
  rc = end_outer (team, TRUE);
  if (rc != SITREP_DB_OK)
    {
      sitrep_store_fail (team, rc, _("saving a change"), error);
      return FALSE;
    }
  return TRUE;
}
