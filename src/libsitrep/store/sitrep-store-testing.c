/* sitrep-store-testing.c: what only the tests ask of a store: an incident put in by hand, counts
 * of what is stored, SQLite's own integrity check
 *
 * Compiled into the tests alone (sitrep-store-testing.h): the product writes an incident
 * through the incident manager and the writer, and never counts rows to decide anything.
 */
#include "config.h"

#include "sitrep-store-private.h"
#include "sitrep-store-testing.h"

gboolean
sitrep_store_check_integrity (SitrepStore *self,
                              char       **report,
                              GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  /* PostgreSQL checks its pages itself (checksums, amcheck); there is nothing to ask. */
  if (self->db == NULL)
    {
      if (report != NULL)
        *report = g_strdup ("ok");
      return TRUE;
    }
  stmt = sitrep_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, "checking integrity", error);
      return FALSE;
    }
  if (report != NULL)
    *report = g_strdup (text->str);
  return g_str_equal (text->str, "ok");
}

gint64
sitrep_store_insert_incident (SitrepStore *self,
                              const char  *runbook,
                              const char  *severity,
                              const char  *summary,
                              gint64       declared_at,
                              GError     **error)
{
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);

  stmt = sitrep_store_statement (self,
                                 "INSERT INTO incidents (runbook, severity, summary, started_at,"
                                 " declared_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
                                 error);
  if (stmt == NULL)
    return -1;
  sitrep_db_bind_text (stmt, 1, runbook);
  sitrep_db_bind_text (stmt, 2, severity);
  sitrep_db_bind_text (stmt, 3, summary);
  sitrep_db_bind_int64 (stmt, 4, declared_at);
  return sitrep_store_step_id (self, stmt, "adding an incident", error);
}

gint64
sitrep_store_count_events (SitrepStore *self,
                           gint64       incident_id,
                           GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  return sitrep_store_query_int (self,
                                 "SELECT count(*) FROM timeline_events WHERE incident_id = ?1",
                                 incident_id, "counting timeline events", error);
}

gboolean
sitrep_store_has_event (SitrepStore *self,
                        gint64       event_id,
                        GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return sitrep_store_query_int (self, "SELECT count(*) FROM timeline_events WHERE id = ?1",
                                 event_id, "looking up a timeline event", error) == 1;
}

gint64
sitrep_store_count_health_samples (SitrepStore *self,
                                   GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  return sitrep_store_query_int (self, "SELECT count(*) FROM health_samples WHERE ?1 = ?1", 0,
                                 "counting health samples", error);
}
