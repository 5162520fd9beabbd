/* sitrep-store-copy.c: copies a personal database into an empty team one (sitrep store migrate)
 *
 * Rows keep their ids, so that the audit chain, which hashes them, and every reference between
 * tables stay as they were; the chain keeps its database id, under which this account's keyring
 * holds its key and the state folder its anchor, so it verifies in the copy. All of it is one
 * transaction on the target: an error leaves the team database as it was.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-store-private.h"

/* In the order references allow; health history and the console's own state stay behind. */
static const char *const tables[] = {
  "runbook_snapshots",
  "incidents",
  "checklist_state",
  "escalations",
  "timeline_events",
  "messages",
  "action_items",
  "audit_log",
};

/* The tables whose id PostgreSQL hands out from an identity sequence. */
static const char *const identity_tables[] = {
  "incidents", "timeline_events", "messages", "action_items", "audit_log",
};

static gboolean
copy_table (SitrepStore *self,
            SitrepStore *target,
            const char  *table,
            gint64      *copied,
            GError     **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT * FROM %s ORDER BY rowid", table);
  g_autofree char *doing = g_strdup_printf (_("copying the table %s"), table);
  g_autofree char *insert = NULL;
  SitrepDbStmt *rows;
  int n_columns = 0;
  int rc;

  *copied = 0;
  rows = sitrep_store_statement (self, select, error);
  if (rows == NULL)
    return FALSE;
  while ((rc = sitrep_db_step (rows)) == SITREP_DB_ROW)
    {
      SitrepDbStmt *stmt;

      if (insert == NULL)
        {
          g_autoptr(GString) names = g_string_new (NULL);
          g_autoptr(GString) values = g_string_new (NULL);

          while (sitrep_db_column_name (rows, n_columns) != NULL)
            {
              g_string_append_printf (names, "%s%s", n_columns ? ", " : "",
                                      sitrep_db_column_name (rows, n_columns));
              g_string_append_printf (values, "%s?%d", n_columns ? ", " : "", n_columns + 1);
              n_columns++;
            }
          insert = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", table, names->str,
                                    values->str);
        }
      stmt = sitrep_store_statement (target, insert, error);
      if (stmt == NULL)
        break;
      for (int c = 0; c < n_columns; c++)
        {
          gconstpointer data;
          gsize size;

          switch (sitrep_db_column_type (rows, c))
            {
            case SITREP_DB_INTEGER:
              sitrep_db_bind_int64 (stmt, c + 1, sitrep_db_column_int64 (rows, c));
              break;
            case SITREP_DB_FLOAT:
              sitrep_db_bind_double (stmt, c + 1, sitrep_db_column_double (rows, c));
              break;
            case SITREP_DB_BLOB:
              data = sitrep_db_column_blob (rows, c, &size);
              sitrep_db_bind_blob (stmt, c + 1, data, size);
              break;
            case SITREP_DB_NULL:
              sitrep_db_bind_null (stmt, c + 1);
              break;
            case SITREP_DB_TEXT:
            default:
              sitrep_db_bind_text (stmt, c + 1, sitrep_db_column_text (rows, c));
              break;
            }
        }
      if (!sitrep_store_step_done (target, stmt, doing, error))
        break;
      (*copied)++;
    }
  sitrep_db_finalize (rows);
  if (rc == SITREP_DB_ROW)
    return FALSE; /* the target refused a row: error is set */
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

/* The target's chain record becomes the source's: its entries were signed under that id. */
static gboolean
copy_chain (SitrepStore *self,
            SitrepStore *target,
            GError     **error)
{
  SitrepDbStmt *row = sitrep_store_statement (self,
                                              "SELECT database_id, keyed_from, created_at FROM"
                                              " audit_chain WHERE id = 1",
                                              error);
  SitrepDbStmt *stmt = NULL;
  int rc;

  if (row == NULL)
    return FALSE;
  rc = sitrep_db_step (row);
  if (rc != SITREP_DB_ROW)
    {
      sitrep_store_fail (self, rc == SITREP_DB_DONE ? SITREP_DB_CORRUPT : rc,
                         _("reading the audit chain's record"), error);
      sitrep_db_finalize (row);
      return FALSE;
    }
  /* The record is fixed by a trigger; the copy replaces the one the new database made, inside
   * the copy's transaction. */
  if (!sitrep_store_exec (target,
                          "ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_fixed;"
                          "DELETE FROM audit_chain;",
                          _("copying the audit chain's record"), error))
    goto out;
  stmt = sitrep_store_statement (target,
                                 "INSERT INTO audit_chain (id, database_id, keyed_from,"
                                 " created_at) VALUES (1, ?1, ?2, ?3)",
                                 error);
  if (stmt == NULL)
    goto out;
  sitrep_db_bind_text (stmt, 1, sitrep_db_column_text (row, 0));
  sitrep_db_bind_int64 (stmt, 2, sitrep_db_column_int64 (row, 1));
  sitrep_db_bind_int64 (stmt, 3, sitrep_db_column_int64 (row, 2));
  if (!sitrep_store_step_done (target, stmt, _("copying the audit chain's record"), error)
      || !sitrep_store_exec (target, "ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_fixed",
                             _("copying the audit chain's record"), error))
    goto out;
  sitrep_db_finalize (row);
  return TRUE;

out:
  sitrep_db_finalize (row);
  return FALSE;
}

static gint64
count_rows (SitrepStore *target,
            GError     **error)
{
  return sitrep_store_query_int (target,
                                 "SELECT (SELECT count(*) FROM incidents)"
                                 " + (SELECT count(*) FROM timeline_events)"
                                 " + (SELECT count(*) FROM audit_log)"
                                 " + (SELECT count(*) FROM messages)",
                                 0, _("looking into the team database"), error);
}

/**
 * sitrep_store_copy_into:
 * @self: a personal (SQLite) database
 * @target: an empty team (PostgreSQL) database
 * @counts: (out): what was copied
 *
 * Copies the incidents with their runbooks, checklists, escalations, timelines, messages and
 * action items, and the audit log with its chain's identity, keeping every id. A target that
 * holds incidents, events, messages or audit entries already is refused: ids would clash and
 * two audit chains cannot be one. Nothing is written to the target unless everything is.
 */
gboolean
sitrep_store_copy_into (SitrepStore           *self,
                        SitrepStore           *target,
                        SitrepStoreCopyCounts *counts,
                        GError               **error)
{
  gint64 held;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_STORE (target), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  if (!sitrep_store_is_shared (target) || sitrep_store_is_shared (self))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("Sitrep copies a database file into a team (PostgreSQL) database; %s to "
                     "%s is not that."),
                   self->path, target->path);
      return FALSE;
    }
  /* One snapshot of the source, whoever writes it meanwhile. */
  if (!sitrep_store_exec (self, "BEGIN", _("reading the database"), error))
    return FALSE;
  if (!sitrep_store_begin (target, error))
    return sitrep_store_rollback (self);
  if (!sitrep_db_postgres_lock (target->conn, "audit-chain", FALSE, error))
    goto failed;
  held = count_rows (target, error);
  if (held < 0)
    goto failed;
  if (held > 0)
    {
      g_autofree char *rows = g_strdup_printf ("%" G_GINT64_FORMAT, held);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT,
                   _("The team database %s is not empty (it holds %s incidents, events, "
                     "messages and audit entries). Nothing was copied: copy into a new, empty "
                     "database; merging two databases is not supported."),
                   target->path, rows);
      goto failed;
    }

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gint64 copied = 0;

      if (!copy_table (self, target, tables[i], &copied, error))
        goto failed;
      if (g_str_equal (tables[i], "incidents"))
        counts->incidents = copied;
      else if (g_str_equal (tables[i], "timeline_events"))
        counts->events = copied;
      else if (g_str_equal (tables[i], "messages"))
        counts->messages = copied;
      else if (g_str_equal (tables[i], "action_items"))
        counts->action_items = copied;
      else if (g_str_equal (tables[i], "audit_log"))
        counts->audit_entries = copied;
    }
  if (!copy_chain (self, target, error))
    goto failed;
  /* New rows continue after the copied ids. */
  for (guint i = 0; i < G_N_ELEMENTS (identity_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT setval (pg_get_serial_sequence ('%s', 'id'),"
        " (SELECT coalesce (max (id), 0) + 1 FROM %s), false)",
        identity_tables[i], identity_tables[i]);

      if (!sitrep_store_exec (target, sql, _("continuing the ids after the copy"), error))
        goto failed;
    }
  if (!sitrep_store_commit (target, error))
    goto failed;
  sitrep_store_rollback (self);
  return TRUE;

failed:
  sitrep_store_rollback (target);
  sitrep_store_rollback (self);
  memset (counts, 0, sizeof *counts);
  return FALSE;
}
