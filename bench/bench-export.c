/* bench-export.c: the post-mortem export of an incident with 100,000 timeline events */
#include "config.h"

#include <glib/gstdio.h>

#include "bench-common.h"
#include "sitrep-incident.h"
#include "sitrep-postmortem.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"

#define N_EVENTS 100000
#define N_RUNS 7
#define TARGET_MS 100.0
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

/* The floor reads what the export reads; the full rows are what the timeline view reads. */
#define FLOOR_SQL                                                                     \
  "SELECT at, kind, fields, text, annotation FROM timeline_events"                     \
  " WHERE incident_id = ?1 AND deleted_at IS NULL ORDER BY at, id"
#define FULL_SQL                                                                      \
  "SELECT id, incident_id, at, recorded_at, kind, text, author, is_system, starred,"   \
  " annotation, original_text, edited_at, deleted_at, fields FROM timeline_events"    \
  " WHERE incident_id = ?1 AND deleted_at IS NULL ORDER BY at, id"

/* System events as the console records them (a kind and its fields, put into words by the
 * export), and the commander's notes. */
static const char *const kinds[] = { "health", "checklist", "status", "update", "note" };
static const char *const fields_of[] = {
  "{\"service\":\"api\",\"service_name\":\"API\",\"old\":\"up\",\"new\":\"degraded\","
  "\"reason\":\"[RESPONSE_TIME] < 300 failed: 812 ms\"}",
  "{\"item\":\"check-monitoring\",\"text\":\"Check monitoring dashboards\",\"done\":true}",
  "{\"old\":\"investigating\",\"new\":\"identified\"}",
  "{}",
  NULL,
};
static const char *const note = "# customers report | errors at `checkout`\n> retrying";

/* One event a second for 28 hours, a tenth of them notes, one in fifty starred. */
static gint64
fill (SitrepStore   *store,
      SitrepRunbook *runbook,
      GError       **error)
{
  g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  g_autoptr(SitrepDeclaration) declaration = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  declaration = sitrep_declaration_new (runbook, "SEV-1", "Checkout returns 502s", "Nobody can pay",
                                        "alice", NULL, NULL, T0, error);
  if (declaration == NULL)
    return -1;
  id = sitrep_store_declare_incident (store, declaration, error);
  if (id < 0)
    return -1;
  if (!sitrep_store_exec (store, "BEGIN", "filling", error))
    return -1;
  stmt = sitrep_store_prepare (store,
                               "INSERT INTO timeline_events (incident_id, at, recorded_at, kind,"
                               " fields, text, author, is_system, starred)"
                               " VALUES (?1, ?2, ?2, ?3, ?4, ?5, 'alice', ?6, ?7)",
                               error);
  if (stmt == NULL)
    return -1;
  for (guint i = 1; i < N_EVENTS; i++)
    {
      guint k = i % 10 == 0 ? 4 : i % 4;

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, T0 + (gint64) i * G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 3, kinds[k], -1, SQLITE_STATIC);
      if (fields_of[k] != NULL)
        sqlite3_bind_text (stmt, 4, fields_of[k], -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_text (stmt, 5, k == 4 ? note : "", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, k != 4);
      sqlite3_bind_int (stmt, 7, i % 50 == 0);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sitrep_store_fail (store, sqlite3_reset (stmt), "filling", error);
          sqlite3_finalize (stmt);
          return -1;
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  if (!sitrep_store_exec (store, "COMMIT", "filling", error))
    return -1;

  g_free (fields->summary);
  fields->summary = g_strdup ("A day of failed payments.");
  g_ptr_array_add (items, sitrep_action_item_new ("Alert on certificate expiry", "bob",
                                                  "2025-12-05", FALSE));
  if (!sitrep_store_save_postmortem (store, id, fields, items, error))
    return -1;
  return id;
}

/* A plain SELECT: the rows read and dropped, each column as its type, no objects, no document. */
static double
select_ms (SitrepStore *store,
           const char  *sql,
           gint64       id,
           guint       *n_rows)
{
  gint64 start = g_get_monotonic_time ();
  sqlite3_stmt *stmt = sitrep_store_prepare (store, sql, NULL);
  gsize bytes = 0;

  g_assert (stmt != NULL);
  *n_rows = 0;
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        if (sqlite3_column_type (stmt, c) == SQLITE_TEXT)
          bytes += sqlite3_column_bytes (stmt, c) + (sqlite3_column_text (stmt, c) != NULL);
        else
          bytes += sqlite3_column_int64 (stmt, c) != 0;
      (*n_rows)++;
    }
  sqlite3_finalize (stmt);
  g_assert (bytes > 0);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* What the timeline view loads: one SitrepTimelineEvent per row. */
static double
list_ms (SitrepStore *store,
         gint64       id)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT,
                                                          NULL, &error);

  if (events == NULL)
    g_error ("listing failed: %s", error->message);
  g_clear_pointer (&events, g_ptr_array_unref);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
export_ms (SitrepStore   *store,
           SitrepRunbook *runbook,
           gint64         id,
           gboolean       starred_only,
           gsize         *size)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *document = sitrep_postmortem_export (store, runbook, id, starred_only, TRUE,
                                                        &error);
  double ms = (g_get_monotonic_time () - start) / 1000.0;

  if (document == NULL)
    g_error ("export failed: %s", error->message);
  *size = strlen (document);
  return ms;
}

static void
print_runs (const char *label,
            double     *runs,
            double      median)
{
  g_print ("  %-46s %8.1f ms   (runs:", label, median);
  for (guint i = 0; i < N_RUNS; i++)
    g_print (" %.1f", runs[i]);
  g_print (")\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sitrep-bench-export-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepStore) store = NULL;
  double all[N_RUNS], starred[N_RUNS], floor[N_RUNS], full[N_RUNS], listed[N_RUNS];
  double all_ms, starred_ms, floor_ms;
  gsize size = 0, starred_size = 0;
  guint n_rows = 0;
  gint64 id, started;

  if (dir == NULL)
    {
      g_printerr ("cannot make a temporary folder: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "bench.db", NULL);
  runbook = sitrep_runbook_load_default (&error);
  if (runbook != NULL)
    store = sitrep_store_open (path, &error);
  started = g_get_monotonic_time ();
  id = store ? fill (store, runbook, &error) : -1;
  if (id < 0)
    {
      g_printerr ("cannot prepare the incident: %s\n", error->message);
      return 1;
    }

  g_print ("bench-export: an incident with %d timeline events (one a second for 28 h, 10 %% "
           "notes with hostile Markdown, 2 %% starred), on disk in WAL mode; filled in %.0f ms\n",
           N_EVENTS, (g_get_monotonic_time () - started) / 1000.0);

  /* A warm-up run each, so every run reads from sqlite's and the kernel's caches alike. */
  export_ms (store, runbook, id, FALSE, &size);
  select_ms (store, FULL_SQL, id, &n_rows);
  for (guint i = 0; i < N_RUNS; i++)
    {
      all[i] = export_ms (store, runbook, id, FALSE, &size);
      starred[i] = export_ms (store, runbook, id, TRUE, &starred_size);
      floor[i] = select_ms (store, FLOOR_SQL, id, &n_rows);
      full[i] = select_ms (store, FULL_SQL, id, &n_rows);
      listed[i] = list_ms (store, id);
    }
  all_ms = bench_median (all, N_RUNS);
  starred_ms = bench_median (starred, N_RUNS);
  floor_ms = bench_median (floor, N_RUNS);

  print_runs ("export, all events (load + render)", all, all_ms);
  print_runs ("export, starred events only", starred, starred_ms);
  print_runs ("floor: plain SELECT of what the export reads", floor, floor_ms);
  print_runs ("plain SELECT of the full rows", full, bench_median (full, N_RUNS));
  print_runs ("list_events: one GObject per row (the view)", listed, bench_median (listed, N_RUNS));
  g_print ("  rows read by the floor: %u; document: %" G_GSIZE_FORMAT " bytes "
           "(starred only: %" G_GSIZE_FORMAT " bytes)\n", n_rows, size, starred_size);
  g_print ("  export / floor: %.1f x\n", floor_ms > 0 ? all_ms / floor_ms : 0.0);
  g_print ("export of %d events: %.1f ms (target < %.0f ms): %s\n", N_EVENTS, all_ms, TARGET_MS,
           all_ms < TARGET_MS ? "PASS" : "OVER TARGET");

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
