/* fixture-schema.c: a database taken back to an older schema, to test its migration */
#include "config.h"

#include "fixture-schema.h"
#include "sitrep-store.h"

#define OLDEST_UNDONE 3

/* undo[N - OLDEST_UNDONE] undoes the migration from version N to N + 1
 * (src/libsitrep/store/sitrep-store-schema.c). A new migration adds its undo here: the static
 * assertion below fails the build until it does. */
static const char *const undo[] = {
  /* 3 → 4 */
  "ALTER TABLE messages DROP COLUMN title;"
  "ALTER TABLE messages DROP COLUMN author;"
  "ALTER TABLE messages DROP COLUMN resets_update;",
  /* 4 → 5 */
  "ALTER TABLE timeline_events DROP COLUMN fields;",
  /* 5 → 6 */
  "ALTER TABLE incidents DROP COLUMN drill;",
  /* 6 → 7 */
  "ALTER TABLE incidents DROP COLUMN status_id;",
  /* 7 → 8 */
  "ALTER TABLE incidents DROP COLUMN postmortem_sections;",
  /* 8 → 9 */
  "DROP TRIGGER timeline_search_update;"
  "DROP TRIGGER timeline_search_delete;"
  "DROP TABLE timeline_search;"
  "DROP INDEX timeline_events_listed;",
  /* 9 → 10 */
  "ALTER TABLE timeline_events DROP COLUMN host;"
  "ALTER TABLE audit_log DROP COLUMN host;"
  "ALTER TABLE audit_log DROP COLUMN author;",
  /* 10 → 11 */
  "DROP TABLE sitrep_journal_applied;",
  /* 11 → 12 */
  "ALTER TABLE messages DROP COLUMN webhook_claim;"
  "ALTER TABLE messages DROP COLUMN webhook_claimed_until;",
  /* 12 → 13 */
  "ALTER TABLE health_samples DROP COLUMN why;"
  "ALTER TABLE health_changes DROP COLUMN why;",
  /* 13 → 14 */
  "DROP INDEX timeline_events_by_incident_id;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (undo) == SITREP_STORE_SCHEMA_VERSION - OLDEST_UNDONE);

char *
fixture_schema_downgrade_sql (int version)
{
  GString *sql = g_string_new (NULL);

  g_assert_cmpint (version, >=, OLDEST_UNDONE);
  g_assert_cmpint (version, <=, SITREP_STORE_SCHEMA_VERSION);
  for (int from = SITREP_STORE_SCHEMA_VERSION - 1; from >= version; from--)
    g_string_append (sql, undo[from - OLDEST_UNDONE]);
  g_string_append_printf (sql, "PRAGMA user_version = %d;", version);
  return g_string_free (sql, FALSE);
}
