/* bench-postmortem.c: the post-mortem of 100,000 events against a plain SELECT of its rows
 *
 * Interleaved with the SELECT of the rows it reads; fails when the export takes 100 ms or more. */
#include "config.h"

#include "bench-common.h"
#include "sitrep-incident.h"
#include "sitrep-postmortem.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"

#define N_EVENTS 100000
#define N_RUNS 7 /* pairs */
#define TARGET_MS 100.0

/* The baseline reads what the export reads. */
#define FLOOR_SQL                                                                     \
  "SELECT at, kind, fields, text, annotation FROM timeline_events"                     \
  " WHERE incident_id = ?1 AND deleted_at IS NULL ORDER BY at, id"

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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(BenchScratch) scratch = { 0 };
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepStore) store = NULL;
  GArray *floor, *all, *starred, *listed;
  double all_ms;
  gboolean met;
  gsize size = 0, starred_size = 0;
  guint n_rows = 0;
  gint64 id, started;

  if (!bench_scratch_init (&scratch, "sitrep-bench-export", NULL))
    return 1;
  runbook = sitrep_runbook_load_default (&error);
  if (runbook != NULL)
    store = sitrep_store_open (scratch.database, &error);
  started = g_get_monotonic_time ();
  id = store ? bench_fill_incident (store, runbook, N_EVENTS, &error) : -1;
  if (id < 0)
    {
      g_printerr ("cannot prepare the incident: %s\n", error->message);
      return 1;
    }

  g_print ("bench-postmortem: an incident with %d timeline events (one a second for 28 h, "
           "10 %% notes with hostile Markdown, 2 %% starred), on disk in WAL mode; filled in "
           "%.0f ms\n", N_EVENTS, (g_get_monotonic_time () - started) / 1000.0);
  bench_print_load ("before");

  floor = g_array_new (FALSE, FALSE, sizeof (double));
  all = g_array_new (FALSE, FALSE, sizeof (double));
  starred = g_array_new (FALSE, FALSE, sizeof (double));
  listed = g_array_new (FALSE, FALSE, sizeof (double));
  /* A warm-up run each, so every run reads from sqlite's and the kernel's caches alike. */
  export_ms (store, runbook, id, FALSE, &size);
  select_ms (store, FLOOR_SQL, id, &n_rows);
  for (guint i = 0; i < N_RUNS; i++)
    {
      double ms = select_ms (store, FLOOR_SQL, id, &n_rows);

      g_array_append_val (floor, ms);
      ms = export_ms (store, runbook, id, FALSE, &size);
      g_array_append_val (all, ms);
      ms = export_ms (store, runbook, id, TRUE, &starred_size);
      g_array_append_val (starred, ms);
      ms = list_ms (store, id);
      g_array_append_val (listed, ms);
    }
  bench_print_pairs ("post-mortem export of every event (baseline: a plain SELECT of the same "
                     "rows)", "ms", floor, all);
  bench_print_pairs ("post-mortem export of the starred events", "ms", floor, starred);
  bench_print_pairs ("one SitrepTimelineEvent per row, as the timeline view loads them", "ms",
                     floor, listed);
  g_print ("  rows read: %u; document: %" G_GSIZE_FORMAT " bytes (starred only: %" G_GSIZE_FORMAT
           " bytes)\n", n_rows, size, starred_size);
  all_ms = bench_median ((double *) all->data, all->len);
  met = bench_verdict ("post-mortem of 100,000 events < 100 ms", all_ms < TARGET_MS);
  bench_print_load ("after");
  g_array_unref (floor);
  g_array_unref (all);
  g_array_unref (starred);
  g_array_unref (listed);

  g_clear_object (&store);
  return met ? 0 : 1;
}
