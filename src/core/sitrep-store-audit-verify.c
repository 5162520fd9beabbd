/* sitrep-store-audit-verify.c: walks the audit log's hash chain and says where and why it breaks */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"

typedef struct
{
  SitrepStore *store;
  gint64 n_entries;
  gint64 last_id;
  char *last_hash;
  gint64 broken_id;
  char *reason;
} VerifyState;

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
  sqlite3_stmt *stmt = sitrep_store_prepare (self,
                                             "SELECT id FROM audit_log WHERE hash = ?1"
                                             " ORDER BY id LIMIT 1",
                                             error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
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

static gboolean
verify_cb (SitrepAuditEntry *entry,
           const char       *malformed,
           gpointer          user_data,
           GError          **error)
{
  g_autoptr(SitrepAuditEntry) owned = entry;
  VerifyState *state = user_data;
  g_autofree char *expected_hash = NULL;
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
  expected_hash = sitrep_audit_entry_compute_hash (entry);
  if (!g_str_equal (expected_hash, entry->hash))
    {
      state->reason = g_strdup (_("its content does not match its hash: it was changed after it "
                                  "was recorded"));
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

/**
 * sitrep_store_verify_audit_full:
 * @n_entries: (out) (optional): how many entries were checked and found intact
 * @last_hash: (out) (optional): the hash of the last intact entry (64 zeros when there is none)
 * @first_broken_id: (out) (optional): the first entry that breaks the chain, 0 when none does
 * @reason: (out) (optional): why it breaks the chain, NULL when none does
 *
 * Walks the log oldest first, recomputing each entry's hash and checking that it follows the
 * entry before it. An empty log is intact. Entries cut off the end cannot be noticed here: compare
 * @last_hash with one written down earlier.
 *
 * Returns: TRUE when the chain is intact; FALSE with @first_broken_id and @reason when it is
 *   not, or FALSE with @error set when the log could not be read
 */
gboolean
sitrep_store_verify_audit_full (SitrepStore *self,
                                gint64      *n_entries,
                                char       **last_hash,
                                gint64      *first_broken_id,
                                char       **reason,
                                GError     **error)
{
  VerifyState state = { self, 0, 0, NULL, 0, NULL };
  GError *local_error = NULL;
  gboolean read;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  /* One read transaction: an append from another window must not land between the rows seen. */
  if (!sitrep_store_exec (self, "BEGIN", _("reading the audit log"), error))
    return FALSE;
  read = sitrep_store_walk_audit (self, verify_cb, &state, &local_error);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (!read || local_error != NULL)
    {
      g_free (state.last_hash);
      g_free (state.reason);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (n_entries != NULL)
    *n_entries = state.n_entries;
  if (first_broken_id != NULL)
    *first_broken_id = state.broken_id;
  if (last_hash != NULL)
    *last_hash = g_strdup (state.last_hash ? state.last_hash : SITREP_AUDIT_GENESIS_HASH);
  if (reason != NULL)
    *reason = g_steal_pointer (&state.reason);
  g_free (state.last_hash);
  g_free (state.reason);
  return state.broken_id == 0;
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
