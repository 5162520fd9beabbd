/* sitrep-store-audit-verify.c: checks the audit chain and anchor, says what it could not check
 *
 * What verify proves, with the key and the anchor: every entry is as Sitrep recorded it, in
 * order, none removed, none inserted, none added by anyone without the key, and nothing cut
 * off the end since the last time Sitrep appended. Entries from before the log was keyed are
 * checked with their unkeyed hash, and sealed by the first keyed entry and the anchor.
 *
 * What it cannot prove: anything against someone who holds the key (the user's keyring,
 * unlocked) and can write both the database and the anchor: they can rewrite all three so they
 * agree. Without the key (no keyring reachable) it checks the links and the unkeyed entries,
 * and says which entries and what of the anchor it could not check.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-audit-anchor.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"

typedef struct
{
  SitrepStore *store;
  const char *database_id;
  gint64 keyed_from;
  GBytes *key;
  gint64 n_entries;
  gint64 n_legacy;
  gint64 n_keyed;
  gint64 last_id;
  char *last_hash;
  gint64 broken_id;
  char *reason;
} VerifyState;

void
sitrep_audit_report_free (SitrepAuditReport *report)
{
  if (report == NULL)
    return;
  g_free (report->last_hash);
  g_free (report->reason);
  g_clear_pointer (&report->checked, g_ptr_array_unref);
  g_clear_pointer (&report->unchecked, g_ptr_array_unref);
  g_free (report);
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* The id of the row whose hash is @hash, or 0. */
static gint64
find_hash (SitrepStore *self,
           const char  *hash,
           GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self,
                                             "SELECT id FROM audit_log WHERE hash = ?1"
                                             " ORDER BY id LIMIT 1",
                                             error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sitrep_db_bind_text (stmt, 1, hash);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    id = sitrep_db_column_int64 (stmt, 0);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW && rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log"), error);
      return -1;
    }
  return id;
}

/* Why @entry does not follow the row before it: says what most likely happened. */
static char *
explain_broken_link (VerifyState      *state,
                     SitrepAuditEntry *entry,
                     GError          **error)
{
  g_autofree char *previous = id_text (state->last_id);
  g_autofree char *other = NULL;
  gint64 found = find_hash (state->store, entry->prev_hash, error);

  if (found < 0)
    return NULL;
  if (found == 0)
    {
      if (state->last_id == 0)
        return g_strdup (_("it is the first entry but does not start the chain: the entries "
                           "before it were deleted, or it was forged"));
      /* Translators: %s is the number of the entry before the broken one */
      return g_strdup_printf (_("it does not follow entry %s, and no entry has the previous "
                                "hash it names: the entry it followed was deleted or "
                                "replaced, or this entry was forged"),
                              previous);
    }
  other = id_text (found);
  if (found > entry->id)
    /* Translators: both %s are entry numbers */
    return g_strdup_printf (_("it follows entry %s, which comes after it, instead of entry %s: "
                              "entries were reordered"),
                            other, previous);
  /* Translators: both %s are entry numbers */
  return g_strdup_printf (_("it follows entry %s instead of entry %s: entries between them were "
                            "deleted, or entries were reordered or copied"),
                          other, previous);
}

/* Whether @entry holds what Sitrep wrote: its hash, unkeyed or keyed as its place says. */
static gboolean
check_content (VerifyState      *state,
               SitrepAuditEntry *entry)
{
  g_autofree char *expected = NULL;

  if (entry->id < state->keyed_from)
    {
      /* Written before the log was keyed: those columns did not exist. */
      if (entry->started_id != 0 || entry->process != NULL || entry->owner != NULL
          || entry->author != NULL || entry->host != NULL)
        {
          state->reason = g_strdup (_("it was recorded before the log was keyed, yet holds "
                                      "values only a keyed entry has: it was changed outside "
                                      "Sitrep"));
          return FALSE;
        }
      expected = sitrep_audit_entry_compute_hash (entry);
      if (!g_str_equal (expected, entry->hash))
        {
          state->reason = g_strdup (_("its content does not match its hash: it was changed after "
                                      "it was recorded"));
          return FALSE;
        }
      state->n_legacy++;
      return TRUE;
    }

  state->n_keyed++;
  if (entry->started_id >= entry->id)
    {
      state->reason = g_strdup (_("it finishes a run that starts after it: it was changed outside "
                                  "Sitrep"));
      return FALSE;
    }
  if (state->key == NULL)
    return TRUE;
  expected = sitrep_audit_entry_compute_mac (entry, state->database_id, state->key);
  if (!g_str_equal (expected, entry->hash))
    {
      state->reason = g_strdup (_("its content does not match its keyed hash: it was changed "
                                  "after it was recorded, or written by someone without the "
                                  "key"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify_cb (SitrepAuditEntry *entry,
           const char       *malformed,
           gpointer          user_data,
           GError          **error)
{
  g_autoptr(SitrepAuditEntry) owned G_GNUC_UNUSED = entry;
  VerifyState *state = user_data;
  const char *expected_prev = state->last_hash ? state->last_hash : SITREP_AUDIT_GENESIS_HASH;

  state->broken_id = entry->id;
  if (malformed != NULL)
    {
      /* Translators: %s is a column name of the audit log, like "argv" */
      state->reason = g_strdup_printf (_("its %s column holds a value Sitrep never writes: it "
                                         "was changed outside Sitrep"),
                                       malformed);
      return FALSE;
    }
  if (!check_content (state, entry))
    {
      /* An entry moved elsewhere no longer matches a keyed hash that covers its number; where
       * its link points says better what happened. */
      if (entry->id == state->last_id + 1 && !g_str_equal (entry->prev_hash, expected_prev))
        {
          g_free (state->reason);
          state->reason = explain_broken_link (state, entry, error);
        }
      return FALSE;
    }
  if (entry->id != state->last_id + 1)
    {
      g_autofree char *first = id_text (state->last_id + 1);
      g_autofree char *last = id_text (entry->id - 1);

      if (entry->id <= state->last_id)
        state->reason = g_strdup (_("its number is out of sequence: entries were renumbered"));
      else if (entry->id == state->last_id + 2)
        /* Translators: %s is an entry number */
        state->reason = g_strdup_printf (_("entry %s before it is missing: it was deleted"), first);
      else
        /* Translators: both %s are entry numbers */
        state->reason = g_strdup_printf (_("entries %s to %s before it are missing: they were "
                                           "deleted"),
                                         first, last);
      return FALSE;
    }
  if (!g_str_equal (entry->prev_hash, expected_prev))
    {
      state->reason = explain_broken_link (state, entry, error);
      return FALSE;
    }

  state->broken_id = 0;
  state->n_entries++;
  state->last_id = entry->id;
  g_free (state->last_hash);
  state->last_hash = g_steal_pointer (&entry->hash);
  return TRUE;
}

static void
broken (SitrepAuditReport *report,
        gint64             id,
        char              *reason)
{
  report->verdict = SITREP_AUDIT_BROKEN;
  report->first_broken_id = id;
  g_free (report->reason);
  report->reason = reason;
}

/* "42", or "42–57". */
static char *
range_text (gint64 first,
            gint64 last)
{
  if (first == last)
    return id_text (first);
  return g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, first, last);
}

/* Another anchor that names this file: the database's id was replaced. */
static SitrepAuditAnchor *
find_anchor_for_path (const char *path)
{
  g_autofree char *dir = sitrep_audit_anchor_dir ();
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      SitrepAuditAnchor *anchor = sitrep_audit_anchor_read (file, NULL);

      if (anchor != NULL && g_strcmp0 (anchor->database_path, path) == 0)
        return anchor;
      sitrep_audit_anchor_free (anchor);
    }
  return NULL;
}

static char *
break_reason (const char *entry,
              const char *code)
{
  if (g_strcmp0 (code, SITREP_ANCHOR_BREAK_MISSING) == 0)
    return g_strdup_printf (_("when entry %s was recorded, the anchor was missing: it had been "
                              "deleted, so entries could have been cut off the end before "
                              "then"),
                            entry);
  if (g_strcmp0 (code, SITREP_ANCHOR_BREAK_CUT) == 0)
    return g_strdup_printf (_("when entry %s was recorded, the log no longer held the entry the "
                              "anchor named: entries had been cut off the end, or the log "
                              "rewritten"),
                            entry);
  return g_strdup_printf (_("when entry %s was recorded, the anchor had been altered or "
                            "replaced"),
                          entry);
}

/* Compares the anchor with the walked log. */
static void
check_anchor (VerifyState       *state,
              SitrepAuditReport *report)
{
  g_autofree char *path = sitrep_audit_anchor_path (state->database_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepAuditAnchor) anchor = sitrep_audit_anchor_read (path, &error);
  g_autofree char *head = id_text (state->last_id);

  if (anchor == NULL && g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_autoptr(SitrepAuditAnchor) other = find_anchor_for_path (state->store->path);

      if (other != NULL)
        broken (report, 0,
                g_strdup_printf (_("the anchor of this file names another database id (%s, not "
                                   "%s): the log's chain record was replaced"),
                                 other->database_id, state->database_id));
      else if (state->n_keyed > 0)
        broken (report, 0,
                g_strdup_printf (_("its anchor %s is missing: it was deleted, or the log was "
                                   "written on another machine or by another user; entries cut "
                                   "off the end, or a log rewritten from the start, cannot be "
                                   "ruled out"),
                                 path));
      else
        g_ptr_array_add (report->unchecked,
                         g_strdup_printf (_("There is no anchor yet (%s): Sitrep writes it when "
                                            "it first reads the log's key or records a "
                                            "command."),
                                          path));
      return;
    }
  if (anchor == NULL && error->domain == G_FILE_ERROR)
    {
      g_ptr_array_add (report->unchecked,
                       g_strdup_printf (_("The anchor could not be read: %s."), error->message));
      return;
    }
  if (anchor == NULL)
    {
      broken (report, 0, g_strdup (error->message));
      return;
    }
  if (state->key != NULL && !sitrep_audit_anchor_check_mac (anchor, state->key))
    {
      broken (report, 0,
              g_strdup_printf (_("its anchor %s was altered: its signature does not match"),
                               path));
      return;
    }
  if (g_strcmp0 (anchor->database_id, state->database_id) != 0
      || anchor->keyed_from != state->keyed_from)
    {
      g_autofree char *named = id_text (anchor->keyed_from);
      g_autofree char *held = id_text (state->keyed_from);

      broken (report, 0,
              g_strdup_printf (_("the anchor says the keyed chain starts at entry %s, the database "
                                 "at entry %s: the log's chain record was changed"),
                               named, held));
      return;
    }
  if (anchor->sequence > state->last_id)
    {
      g_autofree char *named = id_text (anchor->sequence);

      broken (report, 0,
              g_strdup_printf (_("the anchor names entry %s, but the log ends at entry %s: "
                                 "entries were cut off the end"),
                               named, head));
      return;
    }
  {
    g_autofree char *held = NULL;
    g_autofree char *named = id_text (anchor->sequence);

    if (anchor->sequence == 0)
      held = g_strdup (SITREP_AUDIT_GENESIS_HASH);
    else
      sitrep_store_read_audit_hash (state->store, anchor->sequence, &held, NULL);
    if (g_strcmp0 (held, anchor->hash) != 0)
      {
        broken (report, anchor->sequence,
                g_strdup_printf (_("entry %s is not the one the anchor names: the log was "
                                   "rewritten"),
                                 named));
        return;
      }
  }
  for (guint i = 0; anchor->breaks != NULL && anchor->breaks[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (anchor->breaks[i], " ", 2);

      broken (report, 0, break_reason (parts[0], parts[1]));
      return;
    }

  if (anchor->sequence < state->last_id)
    {
      g_autofree char *named = id_text (anchor->sequence);

      g_ptr_array_add (report->unchecked,
                       g_strdup_printf (_("The anchor names entry %s, not the last one (%s): the "
                                          "entries after it were recorded while the anchor could "
                                          "not be updated, and cutting them off would not be "
                                          "seen."),
                                        named, head));
    }
  else
    g_ptr_array_add (report->checked,
                     g_strdup_printf (_("The anchor (%s) names entry %s with the hash the log "
                                        "holds: nothing was cut off the end."),
                                      path, head));
  if (state->key == NULL)
    g_ptr_array_add (report->unchecked,
                     g_strdup (_("The anchor's signature was not checked (no key).")));
}

/**
 * sitrep_store_verify_audit_report:
 *
 * Walks the log oldest first, recomputing each entry's hash (keyed with the store's key from
 * the keyring when it is loaded, see sitrep_store_load_audit_key_sync()), checking that it
 * follows the entry before it, then compares the log's head with the anchor.
 *
 * Returns: (transfer full): the report, or NULL with @error set when the log could not be read
 */
SitrepAuditReport *
sitrep_store_verify_audit_report (SitrepStore *self,
                                  GError     **error)
{
  g_autoptr(SitrepAuditReport) report = g_new0 (SitrepAuditReport, 1);
  g_autofree char *database_id = NULL;
  VerifyState state = { self, NULL, 1, NULL, 0, 0, 0, 0, NULL, 0, NULL };
  GError *local_error = NULL;
  gboolean read;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  report->checked = g_ptr_array_new_with_free_func (g_free);
  report->unchecked = g_ptr_array_new_with_free_func (g_free);

  /* One read transaction: an append from another window must not land between the rows seen. */
  if (!sitrep_store_exec (self, "BEGIN", _("reading the audit log"), error))
    return NULL;
  if (!sitrep_store_read_audit_chain (self, &database_id, &state.keyed_from, error))
    {
      sitrep_db_exec (self->conn, "COMMIT");
      return NULL;
    }
  state.database_id = database_id;
  state.key = sitrep_store_get_audit_key (self);
  read = sitrep_store_walk_audit (self, verify_cb, &state, &local_error);
  /* A private in-memory database (tests) has no anchor: nothing outlives it to compare with. */
  if (read && local_error == NULL && database_id != NULL && state.broken_id == 0
      && !sitrep_store_is_in_memory (self))
    check_anchor (&state, report);
  sitrep_db_exec (self->conn, "COMMIT");
  if (!read || local_error != NULL)
    {
      g_free (state.last_hash);
      g_free (state.reason);
      g_propagate_error (error, local_error);
      return NULL;
    }

  report->n_entries = state.n_entries;
  report->keyed_from = state.keyed_from;
  report->last_hash = state.last_hash ? g_steal_pointer (&state.last_hash)
                                      : g_strdup (SITREP_AUDIT_GENESIS_HASH);
  if (state.broken_id != 0)
    broken (report, state.broken_id, g_steal_pointer (&state.reason));
  else if (database_id == NULL)
    broken (report, 0,
            g_strdup (_("its chain record (the audit_chain table) was removed: which entries are "
                        "keyed, and with which key, can no longer be told")));
  g_free (state.reason);

  if (state.n_legacy > 0)
    {
      g_autofree char *range = range_text (1, state.n_legacy);
      g_autofree char *keyed = id_text (state.keyed_from);

      /* Translators: "Entries 1–41 were recorded before …, which starts at entry 42, …" */
      g_ptr_array_add (report->checked,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Entry %s was recorded before Sitrep keyed "
                                                     "its audit log: it is checked with its "
                                                     "unkeyed hash, and sealed as it was by the "
                                                     "keyed chain, which starts at entry %s, and "
                                                     "the anchor.",
                                                     "Entries %s were recorded before Sitrep keyed "
                                                     "its audit log: they are checked with their "
                                                     "unkeyed hash, and sealed as they were by the "
                                                     "keyed chain, which starts at entry %s, and "
                                                     "the anchor.",
                                                     (gulong) state.n_legacy),
                                        range, keyed));
    }
  if (state.n_keyed > 0)
    {
      g_autofree char *range = range_text (state.keyed_from, state.keyed_from + state.n_keyed - 1);
      const char *why = sitrep_store_get_audit_key_problem (self);

      if (state.key != NULL)
        /* Translators: "Entries 42–57 were checked against their keyed hashes, …" */
        g_ptr_array_add (report->checked,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Entry %s was checked against its keyed "
                                                       "hash, with this database's key from the "
                                                       "keyring.",
                                                       "Entries %s were checked against their keyed "
                                                       "hashes, with this database's key from the "
                                                       "keyring.",
                                                       (gulong) state.n_keyed),
                                          range));
      else
        /* Translators: "Entries 42–57 were not checked …, only their links: the keyring cannot
         * be reached (…)." */
        g_ptr_array_add (report->unchecked,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Entry %s was not checked against its keyed "
                                                       "hash, only its link: %s.",
                                                       "Entries %s were not checked against their "
                                                       "keyed hashes, only their links: %s.",
                                                       (gulong) state.n_keyed),
                                          range, why ? why : _("the key was not read")));
    }

  if (report->verdict != SITREP_AUDIT_BROKEN && report->unchecked->len > 0)
    report->verdict = SITREP_AUDIT_INCOMPLETE;
  return g_steal_pointer (&report);
}

/**
 * sitrep_store_verify_audit_full:
 * @n_entries: (out) (optional): how many entries were checked and found intact
 * @last_hash: (out) (optional): the hash of the last intact entry (64 zeros when there is none)
 * @first_broken_id: (out) (optional): the first entry that breaks the chain, 0 when none does
 * @reason: (out) (optional): why it breaks, or what could not be checked; NULL when intact
 *
 * sitrep_store_verify_audit_report() in short.
 *
 * Returns: TRUE only when everything was checked and holds; FALSE with @reason when the log is
 *   broken or not everything could be checked, or FALSE with @error set when it could not be
 *   read
 */
gboolean
sitrep_store_verify_audit_full (SitrepStore *self,
                                gint64      *n_entries,
                                char       **last_hash,
                                gint64      *first_broken_id,
                                char       **reason,
                                GError     **error)
{
  g_autoptr(SitrepAuditReport) report = sitrep_store_verify_audit_report (self, error);

  if (report == NULL)
    return FALSE;
  if (n_entries != NULL)
    *n_entries = report->n_entries;
  if (last_hash != NULL)
    *last_hash = g_strdup (report->last_hash);
  if (first_broken_id != NULL)
    *first_broken_id = report->first_broken_id;
  if (reason != NULL)
    {
      if (report->verdict == SITREP_AUDIT_BROKEN)
        *reason = g_strdup (report->reason);
      else if (report->verdict == SITREP_AUDIT_INCOMPLETE)
        {
          g_ptr_array_add (report->unchecked, NULL);
          *reason = g_strjoinv (" ", (char **) report->unchecked->pdata);
        }
      else
        *reason = NULL;
    }
  return report->verdict == SITREP_AUDIT_INTACT;
}

/**
 * sitrep_store_verify_audit:
 *
 * sitrep_store_verify_audit_full() without the count and the last hash.
 */
gboolean
sitrep_store_verify_audit (SitrepStore *self,
                           gint64      *first_broken_id,
                           char       **reason,
                           GError     **error)
{
  return sitrep_store_verify_audit_full (self, NULL, NULL, first_broken_id, reason, error);
}
