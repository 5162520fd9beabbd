/* test-team-conflict.c: several consoles on one incident: concurrent edits never lose work, and
 * every record says who wrote it and where, on SQLite and on the real PostgreSQL the test
 * command starts
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "pg-test-util.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "sitrep-store-testing.h"

/* Notes and ticks each of two consoles writes at once. */
#define N_WRITES 60

typedef struct
{
  gboolean postgres;
  PgTestDatabase *db;
  char *address; /* a file, or a team database's URI */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->postgres = GPOINTER_TO_INT (data);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  if (!fixture->postgres)
    {
      fixture->address = g_build_filename (g_get_user_data_dir (), "console.db", NULL);
      return;
    }
  fixture->db = pg_test_database_new ("sitrep_conflict", TRUE);
  fixture->address = g_strdup (fixture->db->uri);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->db, pg_test_database_free);
  g_free (fixture->address);
}

static SitrepStore *
console_open (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SitrepStore *store = sitrep_store_open (fixture->address, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
declare (SitrepStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "Scanners offline", 1,
                                            &error);

  g_assert_no_error (error);
  return id;
}

static void
assert_conflict (const GError *error,
                 const char   *field,
                 const char   *base,
                 const char   *theirs,
                 const char   *yours)
{
  const SitrepEditConflict *conflict;

  g_assert_error (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED);
  g_assert_cmpuint (sitrep_edit_conflict_get_n (error), ==, 1);
  conflict = sitrep_edit_conflict_get (error, 0);
  g_assert_cmpstr (conflict->field, ==, field);
  g_assert_cmpstr (conflict->base, ==, base);
  g_assert_cmpstr (conflict->theirs, ==, theirs);
  g_assert_cmpstr (conflict->yours, ==, yours);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Two consoles edit the same note from the same text: the second save is refused with both
 * versions, nothing overwritten; saved over theirs once seen, it goes in. The same through the
 * writer thread, as the Timeline view saves. */
static void
test_note_conflict (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SitrepStore) alice = console_open (fixture);
  g_autoptr(SitrepStore) bob = console_open (fixture);
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(SitrepTimelineEvent) seen_by_alice = NULL;
  g_autoptr(SitrepTimelineEvent) seen_by_bob = NULL;
  g_autoptr(SitrepTimelineEvent) stored = NULL;
  g_autoptr(SitrepTimelineEvent) changed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 incident = declare (alice);

  note = sitrep_store_add_note (alice, incident, 10, "Gateway 502s", "Alice", &error);
  g_assert_no_error (error);
  seen_by_alice = sitrep_store_load_event (alice, sitrep_timeline_event_get_id (note), &error);
  seen_by_bob = sitrep_store_load_event (bob, sitrep_timeline_event_get_id (note), &error);
  g_assert_no_error (error);

  g_assert_true (sitrep_store_edit_note (alice, seen_by_alice, "Gateway 502s since 03:10", 20,
                                         &error));
  g_assert_no_error (error);
  g_assert_false (sitrep_store_edit_note (bob, seen_by_bob, "Gateway 502s (EU only)", 21,
                                          &error));
  assert_conflict (error, NULL, "Gateway 502s", "Gateway 502s since 03:10",
                   "Gateway 502s (EU only)");
  g_clear_error (&error);
  stored = sitrep_store_load_event (bob, sitrep_timeline_event_get_id (note), &error);
  g_assert_cmpstr (sitrep_timeline_event_get_text (stored), ==, "Gateway 502s since 03:10");
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (stored), ==, "Gateway 502s");

  /* Saving the same text as theirs is no conflict. */
  g_assert_true (sitrep_store_edit_note_from (bob, stored, "Gateway 502s",
                                              "Gateway 502s since 03:10", 22, &error));
  g_assert_no_error (error);

  /* Through the writer, from a stale text: the error keeps its versions across the thread. */
  sitrep_store_edit_note_async (bob, sitrep_timeline_event_get_incident_id (note),
                                sitrep_timeline_event_get_id (note), "Gateway 502s",
                                "Merged: since 03:10, EU only", 23, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  changed = sitrep_store_change_event_finish (bob, result, &error);
  g_assert_null (changed);
  assert_conflict (error, NULL, "Gateway 502s", "Gateway 502s since 03:10",
                   "Merged: since 03:10, EU only");
  g_clear_error (&error);
  g_clear_object (&result);

  /* Merged by hand over theirs: saved. */
  sitrep_store_edit_note_async (bob, sitrep_timeline_event_get_incident_id (note),
                                sitrep_timeline_event_get_id (note),
                                "Gateway 502s since 03:10", "Merged: since 03:10, EU only", 24,
                                got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  changed = sitrep_store_change_event_finish (bob, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_timeline_event_get_text (changed), ==, "Merged: since 03:10, EU only");
  g_assert_cmpstr (sitrep_timeline_event_get_original_text (changed), ==, "Gateway 502s");
}

static SitrepPostmortemFields *
fields_with (const char *summary,
             const char *root_cause,
             const char *section)
{
  SitrepPostmortemFields *fields = sitrep_postmortem_fields_new ();

  g_free (fields->summary);
  fields->summary = g_strdup (summary);
  g_free (fields->root_cause);
  fields->root_cause = g_strdup (root_cause);
  if (section != NULL)
    g_hash_table_insert (fields->sections, g_strdup ("customer-impact"), g_strdup (section));
  return fields;
}

/* Two consoles edit one post-mortem: different texts merge, both kept; the same text changed
 * differently refuses the second save, with both versions, and writes nothing of it. */
static void
test_postmortem_conflict (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SitrepStore) alice = console_open (fixture);
  g_autoptr(SitrepStore) bob = console_open (fixture);
  g_autoptr(SitrepPostmortemFields) base = NULL;
  g_autoptr(SitrepPostmortemFields) base_bob = NULL;
  g_autoptr(SitrepPostmortemFields) mine = NULL;
  g_autoptr(SitrepPostmortemFields) theirs = NULL;
  g_autoptr(SitrepPostmortemFields) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 incident = declare (alice);

  base = sitrep_store_load_postmortem (alice, incident, &error);
  base_bob = sitrep_store_load_postmortem (bob, incident, &error);
  g_assert_no_error (error);

  /* Alice writes the summary, Bob the root cause and a section, from the same empty base. */
  mine = fields_with ("Scanners offline for 40 min", "", NULL);
  g_assert_true (sitrep_store_save_postmortem (alice, incident, base, mine, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  theirs = fields_with ("", "Expired certificate", "Depots could not ship");
  g_assert_true (sitrep_store_save_postmortem (bob, incident, base_bob, theirs, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  /* Bob's save took Alice's summary in. */
  g_assert_cmpstr (theirs->summary, ==, "Scanners offline for 40 min");
  stored = sitrep_store_load_postmortem (alice, incident, &error);
  g_assert_cmpstr (stored->summary, ==, "Scanners offline for 40 min");
  g_assert_cmpstr (stored->root_cause, ==, "Expired certificate");
  g_assert_cmpstr (g_hash_table_lookup (stored->sections, "customer-impact"), ==,
                   "Depots could not ship");
  g_clear_pointer (&stored, sitrep_postmortem_fields_free);

  /* Alice, still on her base, rewrites the root cause and the section: refused, both. */
  g_clear_pointer (&base, sitrep_postmortem_fields_free);
  base = sitrep_postmortem_fields_copy (mine);
  g_clear_pointer (&mine, sitrep_postmortem_fields_free);
  mine = fields_with ("Scanners offline for 40 min", "Cert rotation job failed",
                      "Shipping stopped");
  g_assert_false (sitrep_store_save_postmortem (alice, incident, base, mine, NULL, NULL, NULL,
                                                &error));
  g_assert_error (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED);
  g_assert_cmpuint (sitrep_edit_conflict_get_n (error), ==, 2);
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->field, ==, "root_cause");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->theirs, ==, "Expired certificate");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->yours, ==, "Cert rotation job failed");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->base, ==, "");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 1)->field, ==, "section:customer-impact");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 1)->theirs, ==, "Depots could not ship");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 1)->yours, ==, "Shipping stopped");
  g_clear_error (&error);
  stored = sitrep_store_load_postmortem (bob, incident, &error);
  g_assert_cmpstr (stored->root_cause, ==, "Expired certificate");
  g_assert_cmpstr (g_hash_table_lookup (stored->sections, "customer-impact"), ==,
                   "Depots could not ship");
  g_clear_pointer (&stored, sitrep_postmortem_fields_free);

  /* Having seen theirs, Alice saves hers merged by hand: in. */
  g_clear_pointer (&base, sitrep_postmortem_fields_free);
  base = sitrep_store_load_postmortem (alice, incident, &error);
  g_clear_pointer (&mine, sitrep_postmortem_fields_free);
  mine = fields_with ("Scanners offline for 40 min",
                      "Expired certificate: the rotation job failed", "Depots could not ship");
  g_assert_true (sitrep_store_save_postmortem (alice, incident, base, mine, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  stored = sitrep_store_load_postmortem (bob, incident, &error);
  g_assert_cmpstr (stored->root_cause, ==, "Expired certificate: the rotation job failed");
}

static GPtrArray *
items_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
}

static GPtrArray *
items_copy (GPtrArray *items)
{
  GPtrArray *copy = items_new ();

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (copy, sitrep_action_item_copy (items->pdata[i]));
  return copy;
}

static SitrepActionItem *
item_at (GPtrArray *items,
         guint      index)
{
  g_assert_cmpuint (index, <, items->len);
  return items->pdata[index];
}

static void
set_string (char       **slot,
            const char  *text)
{
  g_free (*slot);
  *slot = g_strdup (text);
}

/* Two consoles edit one post-mortem's action items: what each added, ticked or reassigned is
 * kept, an item one removed and the other changed is kept, and the same item's text changed
 * differently refuses the save with both versions; an item removed on one side and left alone
 * on the other is gone. */
static void
test_action_items (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SitrepStore) alice = console_open (fixture);
  g_autoptr(SitrepStore) bob = console_open (fixture);
  g_autoptr(GPtrArray) first = items_new ();
  g_autoptr(GPtrArray) base = NULL;
  g_autoptr(GPtrArray) base_bob = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  gint64 incident = declare (alice);
  gint64 expiry, rotate;

  g_ptr_array_add (first, sitrep_action_item_new ("Alert on certificate expiry", "alice", "",
                                                  FALSE));
  g_ptr_array_add (first, sitrep_action_item_new ("Rotate certificates by a job", "bob",
                                                  "next sprint", FALSE));
  g_assert_true (sitrep_store_save_postmortem (alice, incident, NULL, NULL, NULL, first, NULL,
                                               &error));
  g_assert_no_error (error);
  expiry = item_at (first, 0)->id;
  rotate = item_at (first, 1)->id;
  g_assert_cmpint (expiry, >, 0);
  g_assert_cmpint (rotate, >, 0);
  base = sitrep_store_load_action_items (alice, incident, &error);
  base_bob = sitrep_store_load_action_items (bob, incident, &error);
  g_assert_no_error (error);

  /* Alice ticks the first, gives the second to Carol and adds one. */
  mine = items_copy (base);
  item_at (mine, 0)->done = TRUE;
  set_string (&item_at (mine, 1)->owner, "carol");
  g_ptr_array_add (mine, sitrep_action_item_new ("Write the runbook entry", "alice", "", FALSE));
  g_assert_true (sitrep_store_save_postmortem (alice, incident, NULL, NULL, base, mine, &saved,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (saved->len, ==, 3);
  g_clear_pointer (&saved, g_ptr_array_unref);

  /* Bob, from the same base, rewords the first, removes the second and adds one of his own. */
  theirs = items_copy (base_bob);
  set_string (&item_at (theirs, 0)->text, "Alert 14 days before a certificate expires");
  g_ptr_array_remove_index (theirs, 1);
  g_ptr_array_add (theirs, sitrep_action_item_new ("Status page template", "bob", "", FALSE));
  g_assert_true (sitrep_store_save_postmortem (bob, incident, NULL, NULL, base_bob, theirs,
                                               &saved, &error));
  g_assert_no_error (error);
  g_assert_cmpint (item_at (theirs, 1)->id, >, 0);

  /* Nothing either wrote is lost: Bob's wording with Alice's tick, Bob's new item, the second
   * (Alice changed it, so Bob's removal does not take it) with Carol, Alice's new item. */
  stored = sitrep_store_load_action_items (alice, incident, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 4);
  g_assert_cmpint (item_at (stored, 0)->id, ==, expiry);
  g_assert_cmpstr (item_at (stored, 0)->text, ==, "Alert 14 days before a certificate expires");
  g_assert_true (item_at (stored, 0)->done);
  g_assert_cmpstr (item_at (stored, 1)->text, ==, "Status page template");
  g_assert_cmpint (item_at (stored, 2)->id, ==, rotate);
  g_assert_cmpstr (item_at (stored, 2)->owner, ==, "carol");
  g_assert_cmpstr (item_at (stored, 2)->due, ==, "next sprint");
  g_assert_cmpstr (item_at (stored, 3)->text, ==, "Write the runbook entry");
  /* Bob's save says so: what he now has is what is stored. */
  g_assert_cmpuint (saved->len, ==, 4);
  for (guint i = 0; i < saved->len; i++)
    g_assert_cmpstr (item_at (saved, i)->text, ==, item_at (stored, i)->text);
  g_clear_pointer (&saved, g_ptr_array_unref);

  /* Alice, still on her last save, rewords the first too: refused with both texts, and
   * nothing of this save is written. */
  g_clear_pointer (&base, g_ptr_array_unref);
  base = items_copy (mine);
  set_string (&item_at (mine, 0)->text, "Alert 30 days ahead");
  g_ptr_array_remove_index (mine, 2);
  g_assert_false (sitrep_store_save_postmortem (alice, incident, NULL, NULL, base, mine, NULL,
                                                &error));
  g_assert_error (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED);
  g_assert_cmpuint (sitrep_edit_conflict_get_n (error), ==, 1);
  field = g_strdup_printf ("item:%" G_GINT64_FORMAT ":text", expiry);
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->field, ==, field);
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->base, ==, "Alert on certificate expiry");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->theirs, ==,
                   "Alert 14 days before a certificate expires");
  g_assert_cmpstr (sitrep_edit_conflict_get (error, 0)->yours, ==, "Alert 30 days ahead");
  g_clear_error (&error);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = sitrep_store_load_action_items (bob, incident, &error);
  g_assert_cmpuint (stored->len, ==, 4);

  /* From what is stored, Alice removes her runbook entry: gone, the rest as it was. */
  g_clear_pointer (&base, g_ptr_array_unref);
  g_clear_pointer (&mine, g_ptr_array_unref);
  base = items_copy (stored);
  mine = items_copy (stored);
  g_ptr_array_remove_index (mine, 3);
  g_assert_true (sitrep_store_save_postmortem (alice, incident, NULL, NULL, base, mine, NULL,
                                               &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = sitrep_store_load_action_items (bob, incident, &error);
  g_assert_cmpuint (stored->len, ==, 3);
  g_assert_cmpstr (item_at (stored, 2)->owner, ==, "carol");
}

/* An item removed at the top of the list does not lend its id to the next new one: another
 * console's change of the removed item stays that item's, apart from the new one. */
static void
test_action_item_ids (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SitrepStore) alice = console_open (fixture);
  g_autoptr(SitrepStore) bob = console_open (fixture);
  g_autoptr(GPtrArray) first = items_new ();
  g_autoptr(GPtrArray) base = NULL;
  g_autoptr(GPtrArray) base_bob = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 incident = declare (alice);
  gint64 removed;

  g_ptr_array_add (first, sitrep_action_item_new ("Alert on certificate expiry", "alice", "",
                                                  FALSE));
  g_ptr_array_add (first, sitrep_action_item_new ("Rotate certificates by a job", "bob", "",
                                                  FALSE));
  g_assert_true (sitrep_store_save_postmortem (alice, incident, NULL, NULL, NULL, first, NULL,
                                               &error));
  g_assert_no_error (error);
  removed = item_at (first, 1)->id;
  base_bob = sitrep_store_load_action_items (bob, incident, &error);
  g_assert_no_error (error);

  /* Alice removes the last item, saves, then adds one and saves again. */
  base = sitrep_store_load_action_items (alice, incident, &error);
  mine = items_copy (base);
  g_ptr_array_remove_index (mine, 1);
  g_assert_true (sitrep_store_save_postmortem (alice, incident, NULL, NULL, base, mine, NULL,
                                               &error));
  g_assert_no_error (error);
  g_clear_pointer (&base, g_ptr_array_unref);
  base = items_copy (mine);
  g_ptr_array_add (mine, sitrep_action_item_new ("Status page template", "alice", "", FALSE));
  g_assert_true (sitrep_store_save_postmortem (alice, incident, NULL, NULL, base, mine, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (item_at (mine, 1)->id, !=, removed);

  /* Bob, who had not seen the removal, gives the removed item to Carol: it is kept as his,
   * and Alice's new item is left as she wrote it. */
  theirs = items_copy (base_bob);
  set_string (&item_at (theirs, 1)->owner, "carol");
  g_assert_true (sitrep_store_save_postmortem (bob, incident, NULL, NULL, base_bob, theirs, NULL,
                                               &error));
  g_assert_no_error (error);
  stored = sitrep_store_load_action_items (alice, incident, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 3);
  g_assert_cmpstr (item_at (stored, 1)->text, ==, "Rotate certificates by a job");
  g_assert_cmpstr (item_at (stored, 1)->owner, ==, "carol");
  g_assert_cmpstr (item_at (stored, 2)->text, ==, "Status page template");
  g_assert_cmpstr (item_at (stored, 2)->owner, ==, "alice");
}

/* Every timeline event and audit entry says which machine wrote it, beside who; the audit entry
 * with it verifies (version 3), and so does the chain across versions. */
static void
test_who_wrote (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SitrepStore) store = console_open (fixture);
  g_autoptr(SitrepTimelineEvent) note = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 incident = declare (store);
  gint64 broken = -1;
  char *argv[] = { "kubectl", "rollout", "restart", "deployment/api", NULL };
  SitrepAuditEntry entry = { .action_id = "restart-api", .argv = argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .author = "Dana Scribe" };
  SitrepAuditEntry elsewhere = { .action_id = "restart-api", .argv = argv,
                                 .outcome = SITREP_AUDIT_FAILED, .host = "depot-7" };

  note = sitrep_store_add_note (store, incident, 10, "Paged the depot", "Dana Scribe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_timeline_event_get_author (note), ==, "Dana Scribe");
  g_assert_cmpstr (sitrep_timeline_event_get_host (note), ==, g_get_host_name ());
  g_assert_true (sitrep_store_set_item (store, incident, "ack", "Acknowledge", TRUE, 20, "Erik",
                                        &error));
  g_assert_no_error (error);
  events = sitrep_store_list_events (store, incident, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (sitrep_timeline_event_get_author (events->pdata[1]), ==, "Erik");
  g_assert_cmpstr (sitrep_timeline_event_get_host (events->pdata[1]), ==, g_get_host_name ());

  g_assert_true (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), >, 0);
  g_assert_cmpint (sitrep_store_append_audit (store, &elsewhere, &error), >, 0);
  g_assert_no_error (error);
  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->author, ==, "Dana Scribe");
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->host, ==, g_get_host_name ());
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->os_user, ==, g_get_user_name ());
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->author, ==, NULL);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[1])->host, ==, "depot-7");
  g_assert_true (sitrep_store_verify_audit (store, &broken, &reason, &error));
  g_assert_no_error (error);
  g_assert_null (reason);
}

typedef struct
{
  Fixture *fixture;
  const char *name;
  gint64 incident;
  int failed;
} Console;

/* A console ticking its half of the checklist and writing notes, alternately, on its own
 * connection. */
static gpointer
tick_and_note (gpointer data)
{
  Console *console = data;
  g_autoptr(SitrepStore) store = console_open (console->fixture);

  for (guint i = 0; i < N_WRITES; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s-item-%03u", console->name, i);
      g_autofree char *text = g_strdup_printf ("%s %03u", console->name, i);
      g_autoptr(SitrepTimelineEvent) note = NULL;
      g_autoptr(GError) error = NULL;

      if (!sitrep_store_set_item (store, console->incident, item, item, TRUE,
                                  g_get_real_time (), console->name, &error))
        {
          g_test_message ("%s: %s", item, error->message);
          console->failed++;
          g_clear_error (&error);
        }
      note = sitrep_store_add_note (store, console->incident, g_get_real_time (), text,
                                    console->name, &error);
      if (note == NULL)
        {
          g_test_message ("%s: %s", text, error->message);
          console->failed++;
        }
    }
  return NULL;
}

/* Two consoles ticking items and adding notes at the same moment on one incident: every tick
 * and every note kept, each console's in the order it wrote them. */
static void
test_concurrent_ticks_and_notes (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SitrepStore) store = console_open (fixture);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "alpha", "bravo" };
  Console consoles[2];
  GThread *threads[2];
  guint next_note[2] = { 0 }, next_tick[2] = { 0 };
  gint64 id = declare (store);

  for (guint i = 0; i < 2; i++)
    {
      consoles[i] = (Console) { fixture, names[i], id, 0 };
      threads[i] = g_thread_new (names[i], tick_and_note, &consoles[i]);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (consoles[i].failed, ==, 0);
    }

  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < N_WRITES; i++)
      {
        g_autofree char *item = g_strdup_printf ("%s-item-%03u", names[c], i);
        const SitrepChecklistTick *tick = sitrep_incident_get_tick (incident, item);

        g_assert_nonnull (tick);
        g_assert_true (tick->done);
        g_assert_cmpstr (tick->done_by, ==, names[c]);
      }

  events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4 * N_WRITES);
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];
      const char *author = sitrep_timeline_event_get_author (event);
      guint c = g_str_equal (author, "alpha") ? 0 : 1;

      g_assert_cmpstr (author, ==, names[c]);
      if (g_str_equal (sitrep_timeline_event_get_kind (event), SITREP_TIMELINE_KIND_NOTE))
        {
          g_autofree char *expected = g_strdup_printf ("%s %03u", names[c], next_note[c]++);

          g_assert_cmpstr (sitrep_timeline_event_get_text (event), ==, expected);
        }
      else
        next_tick[c]++;
    }
  g_assert_cmpuint (next_note[0], ==, N_WRITES);
  g_assert_cmpuint (next_note[1], ==, N_WRITES);
  g_assert_cmpuint (next_tick[0], ==, N_WRITES);
  g_assert_cmpuint (next_tick[1], ==, N_WRITES);
}

/* A console of its own (this executable again): appends audit entries and notes until it has
 * written @count of each (0: until killed), saying each on stdout. */
static int
run_console (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, " ", 4);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 incident;
  guint count;

  if (g_strv_length (parts) != 4)
    return 2;
  incident = g_ascii_strtoll (parts[2], NULL, 10);
  count = (guint) g_ascii_strtoull (parts[3], NULL, 10);
  store = sitrep_store_open (parts[0], &error);
  if (store == NULL || !sitrep_store_load_audit_key_sync (store, FALSE, NULL, &error))
    {
      g_printerr ("console: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; count == 0 || i < count; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %04u", parts[1], i);
      g_autoptr(SitrepTimelineEvent) note = NULL;
      char *argv[] = { "kubectl", "rollout", "restart", "deployment/scanner-gateway", NULL };
      SitrepAuditEntry entry = { .action_id = "restart-gateway", .argv = argv,
                                 .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = text,
                                 .incident_id = incident, .author = parts[1] };
      gint64 id = sitrep_store_append_audit (store, &entry, &error);

      if (id < 0)
        {
          g_printerr ("console: %s\n", error->message);
          return 1;
        }
      note = sitrep_store_add_note (store, incident, g_get_real_time (), text, parts[1], &error);
      if (note == NULL)
        {
          g_printerr ("console: %s\n", error->message);
          return 1;
        }
      g_print ("wrote %s\n", text);
      fflush (stdout);
    }
  return 0;
}

static GSubprocess *
spawn_console (Fixture    *fixture,
               const char *name,
               gint64      incident,
               guint       count)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *spec = g_strdup_printf ("%s %s %" G_GINT64_FORMAT " %u", fixture->address,
                                           name, incident, count);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_subprocess_launcher_setenv (launcher, "SITREP_TEST_TEAM_CONSOLE", spec, TRUE);
  /* The consoles are this machine's: they move its audit anchor, in its state folder. */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, NULL);
  g_assert_no_error (error);
  return child;
}

/* Two processes append to one team database's audit log at once while a third is killed with
 * SIGKILL in the middle of its writes: the survivors' entries are all there in their order,
 * the incident reads whole, and the log is one chain that verifies. */
static void
test_audit_processes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SitrepStore) store = console_open (fixture);
  g_autoptr(GSubprocess) victim = NULL;
  g_autoptr(GDataInputStream) victim_lines = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SitrepAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "alpha", "bravo" };
  GSubprocess *writers[2];
  guint next[2] = { 0 };
  guint victim_wrote = 0;
  gint64 incident = declare (store);

  g_assert_true (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
  g_assert_no_error (error);

  victim = spawn_console (fixture, "victim", incident, 0);
  for (guint i = 0; i < 2; i++)
    writers[i] = spawn_console (fixture, names[i], incident, N_WRITES);
  victim_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (victim));
  for (; victim_wrote < 10; victim_wrote++)
    {
      g_autofree char *line = g_data_input_stream_read_line (victim_lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  g_subprocess_force_exit (victim);
  g_subprocess_wait (victim, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (victim));
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (g_subprocess_wait_check (writers[i], NULL, &error));
      g_assert_no_error (error);
      g_object_unref (writers[i]);
    }

  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >=, 2 * N_WRITES + victim_wrote);
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *entry = entries->pdata[i];

      g_assert_cmpint (entry->id, ==, i + 1);
      g_assert_cmpstr (entry->host, ==, g_get_host_name ());
      for (guint w = 0; w < 2; w++)
        if (g_str_equal (entry->author, names[w]))
          {
            g_autofree char *expected = g_strdup_printf ("%s %04u", names[w], next[w]++);

            g_assert_cmpstr (entry->output_tail, ==, expected);
          }
    }
  g_assert_cmpuint (next[0], ==, N_WRITES);
  g_assert_cmpuint (next[1], ==, N_WRITES);
  report = sitrep_store_verify_audit_report (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; report->unchecked != NULL && i < report->unchecked->len; i++)
    g_test_message ("unchecked: %s", (char *) report->unchecked->pdata[i]);
  if (report->reason != NULL)
    g_test_message ("broken: %s", report->reason);
  g_assert_cmpint (report->verdict, ==, SITREP_AUDIT_INTACT);
  g_assert_cmpint (report->n_entries, ==, entries->len);

  /* The incident reads whole: every survivor's note, the victim's acknowledged ones. */
  events = sitrep_store_list_events (store, incident, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 2 * N_WRITES + victim_wrote);
}

int
main (int   argc,
      char *argv[])
{
  const char *console = g_getenv ("SITREP_TEST_TEAM_CONSOLE");

  if (console != NULL)
    return run_console (console);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/team-conflict/note/sqlite", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_note_conflict, fixture_teardown);
  g_test_add ("/team-conflict/note/postgres", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_note_conflict, fixture_teardown);
  g_test_add ("/team-conflict/postmortem/sqlite", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_postmortem_conflict, fixture_teardown);
  g_test_add ("/team-conflict/postmortem/postgres", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_postmortem_conflict, fixture_teardown);
  g_test_add ("/team-conflict/action-items/sqlite", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_action_items, fixture_teardown);
  g_test_add ("/team-conflict/action-items/postgres", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_action_items, fixture_teardown);
  g_test_add ("/team-conflict/action-item-ids/sqlite", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_action_item_ids, fixture_teardown);
  g_test_add ("/team-conflict/action-item-ids/postgres", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_action_item_ids, fixture_teardown);
  g_test_add ("/team-conflict/who-wrote/sqlite", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_who_wrote, fixture_teardown);
  g_test_add ("/team-conflict/who-wrote/postgres", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_who_wrote, fixture_teardown);
  g_test_add ("/team-conflict/ticks-and-notes/postgres", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_concurrent_ticks_and_notes, fixture_teardown);
  g_test_add ("/team-conflict/audit-processes/postgres", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_audit_processes, fixture_teardown);
  return g_test_run ();
}
