/* sitrep-store-health.c: health samples and state changes, kept for the sparklines and history */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-private.h"

typedef void (*BindRow) (SitrepDbStmt *stmt,
                         gconstpointer row);

static void
bind_sample (SitrepDbStmt *stmt,
             gconstpointer row)
{
  const SitrepHealthSample *sample = row;

  sitrep_db_bind_text (stmt, 1, sample->service_id);
  sitrep_db_bind_text (stmt, 2, sample->probe_id);
  sitrep_db_bind_int64 (stmt, 3, sample->at);
  sitrep_db_bind_text (stmt, 4, sample->health);
  if (sample->latency_ms >= 0)
    sitrep_db_bind_double (stmt, 5, sample->latency_ms);
  else
    sitrep_db_bind_null (stmt, 5);
  sitrep_db_bind_text (stmt, 6, sample->error);
  sitrep_db_bind_text (stmt, 7, sample->why);
}

static void
bind_change (SitrepDbStmt *stmt,
             gconstpointer row)
{
  const SitrepHealthChange *change = row;

  sitrep_db_bind_text (stmt, 1, change->service_id);
  sitrep_db_bind_int64 (stmt, 2, change->at);
  sitrep_db_bind_text (stmt, 3, change->old_health);
  sitrep_db_bind_text (stmt, 4, change->new_health);
  sitrep_db_bind_text (stmt, 5, change->reason ? change->reason : "");
  sitrep_db_bind_text (stmt, 6, change->why);
}

/* Runs @sql once for each of the @n_rows rows of @size bytes at @rows, bound by @bind. */
static gboolean
insert_rows (SitrepStore  *self,
             const char   *sql,
             gconstpointer rows,
             gsize         size,
             guint         n_rows,
             BindRow       bind,
             const char   *doing,
             GError      **error)
{
  SitrepDbStmt *stmt;
  int rc = SITREP_DB_DONE;

  if (n_rows == 0)
    return TRUE;
  stmt = sitrep_store_statement (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_rows && rc == SITREP_DB_DONE; i++)
    {
      sitrep_db_reset (stmt);
      bind (stmt, (const char *) rows + i * size);
      rc = sitrep_db_step (stmt);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

/* Health samples and changes arrive in bursts from the monitor: one transaction for a batch,
 * so that a round of probes costs one durable commit on the main loop, not one per change. */
gboolean
sitrep_store_add_health (SitrepStore              *self,
                         const SitrepHealthSample *samples,
                         guint                     n_samples,
                         const SitrepHealthChange *changes,
                         guint                     n_changes,
                         GError                  **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (n_samples == 0 && n_changes == 0)
    return TRUE;
  if (!sitrep_store_exec (self, "BEGIN IMMEDIATE", _("recording health samples"), error))
    return FALSE;
  if (!insert_rows (self,
                    "INSERT INTO health_samples (service_id, probe_id, at, health, latency_ms,"
                    " error, why) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    samples, sizeof *samples, n_samples, bind_sample,
                    _("recording health samples"), error)
      || !insert_rows (self,
                       "INSERT INTO health_changes (service_id, at, old_state, new_state, reason,"
                       " why) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                       changes, sizeof *changes, n_changes, bind_change,
                       _("recording a health change"), error))
    {
      sitrep_db_exec (self->conn, "ROLLBACK");
      return FALSE;
    }
  return sitrep_store_exec (self, "COMMIT", _("recording health samples"), error);
}

/* Hands each row of @stmt (service_id, probe_id, at, health, latency_ms, error, why) to @func,
 * and finalizes it. */
static gboolean
foreach_sample_row (SitrepStore             *self,
                    SitrepDbStmt            *stmt,
                    SitrepHealthSampleFunc   func,
                    gpointer                 user_data,
                    GError                 **error)
{
  int rc;

  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      SitrepHealthSample sample = {
        (const char *) sitrep_db_column_text (stmt, 0),
        (const char *) sitrep_db_column_text (stmt, 1),
        sitrep_db_column_int64 (stmt, 2),
        (const char *) sitrep_db_column_text (stmt, 3),
        sitrep_db_column_type (stmt, 4) == SITREP_DB_NULL ? -1 : sitrep_db_column_double (stmt, 4),
        (const char *) sitrep_db_column_text (stmt, 5),
        (const char *) sitrep_db_column_text (stmt, 6),
      };

      func (&sample, user_data);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading health samples"), error);
      return FALSE;
    }
  return TRUE;
}

/* Calls @func for the newest @limit samples of a probe, oldest first. */
gboolean
sitrep_store_foreach_health_sample (SitrepStore             *self,
                                    const char              *service_id,
                                    const char              *probe_id,
                                    guint                    limit,
                                    SitrepHealthSampleFunc   func,
                                    gpointer                 user_data,
                                    GError                 **error)
{
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  stmt = sitrep_store_statement (self,
                  "SELECT service_id, probe_id, at, health, latency_ms, error, why FROM ("
                  "  SELECT service_id, probe_id, at, health, latency_ms, error, why"
                  "  FROM health_samples"
                  "  WHERE service_id = ?1 AND probe_id = ?2 ORDER BY at DESC LIMIT ?3"
                  ") AS latest ORDER BY at",
                  error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_text (stmt, 1, service_id);
  sitrep_db_bind_text (stmt, 2, probe_id);
  sitrep_db_bind_int64 (stmt, 3, limit);
  return foreach_sample_row (self, stmt, func, user_data, error);
}

/* Calls @func for every sample of every probe taken from @from to @to (inclusive), in time
 * order: what a replay of that time shows. */
gboolean
sitrep_store_foreach_health_sample_between (SitrepStore            *self,
                                            gint64                  from,
                                            gint64                  to,
                                            SitrepHealthSampleFunc  func,
                                            gpointer                user_data,
                                            GError                **error)
{
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  stmt = sitrep_store_statement (self,
                  "SELECT service_id, probe_id, at, health, latency_ms, error, why"
                  " FROM health_samples WHERE at BETWEEN ?1 AND ?2 ORDER BY at, id",
                  error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, from);
  sitrep_db_bind_int64 (stmt, 2, to);
  return foreach_sample_row (self, stmt, func, user_data, error);
}

/* Drops samples and changes older than @before; returns how many rows went, or -1. */
gint64
sitrep_store_prune_health (SitrepStore *self,
                           gint64       before,
                           GError     **error)
{
  const char *tables[] = { "DELETE FROM health_samples WHERE at < ?1",
                           "DELETE FROM health_changes WHERE at < ?1" };
  gint64 removed = 0;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      SitrepDbStmt *stmt = sitrep_store_statement (self, tables[i], error);
      int rc;

      if (stmt == NULL)
        return -1;
      sitrep_db_bind_int64 (stmt, 1, before);
      rc = sitrep_db_step (stmt);
      sitrep_db_finalize (stmt);
      if (rc != SITREP_DB_DONE)
        {
          sitrep_store_fail (self, rc, _("pruning old health samples"), error);
          return -1;
        }
      removed += sitrep_db_changes (self->conn);
    }
  return removed;
}

