/* sitrep-store-audit.c: the append-only, keyed hash chain of every action run or refused
 *
 * Each row carries the hash of its content and of the previous row's hash, so editing, deleting,
 * inserting or reordering rows breaks the chain where it happened. The triggers of the schema
 * refuse UPDATE and DELETE; the chain catches whoever drops them.
 *
 * Rows from the database's keyed_from on (audit_chain) are keyed: their hash is an HMAC-SHA256
 * with the database's key, which lives in the keyring, so nobody without the key can rewrite
 * the log with fresh hashes. After every append the head (last entry, its hash) goes into the
 * anchor, a signed file outside the database (sitrep-audit-anchor.c), so cutting rows off the
 * end is seen too. Rows written before Sitrep keyed its log keep their unkeyed hash.
 *
 * The canonical serializations. A text is "s" LENGTH ":" BYTES (LENGTH in bytes, decimal), an
 * integer "i" DECIMAL ";", a NULL "n", and argv "a" COUNT ":" followed by each argument as a
 * text. Every field ends where its own header says, so no two different rows serialize to the
 * same bytes. Hashes are written in lowercase hex.
 *
 *  - version 1 (unkeyed, SHA-256): "sitrep-audit-v1\n", then at, os_user, incident_id, context,
 *    namespace, action_id, service_id, argv, inputs, confirmation, exit_code, duration_ms,
 *    outcome, output_tail, prev_hash.
 *  - version 2 (keyed, HMAC-SHA256): "sitrep-audit-v2\n", then the database id, the row's id,
 *    the version 1 fields from at to output_tail, started_id, process, owner, prev_hash.
 *  - version 3 (keyed, HMAC-SHA256; schema version 10 on, the entries with a host):
 *    "sitrep-audit-v3\n", then what version 2 serializes up to owner, then author, host,
 *    prev_hash. The host says which machine wrote the entry, so it is never NULL in a version 3
 *    entry: an entry without one is a version 2 entry, hashed and verified as before.
 *
 * This file writes the log; sitrep-store-audit-read.c reads it back, -verify.c checks it.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-audit-anchor.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"

static const char *const outcomes[] = {
  SITREP_AUDIT_STARTED,   SITREP_AUDIT_SUCCEEDED, SITREP_AUDIT_NO_CHANGE,
  SITREP_AUDIT_FAILED,    SITREP_AUDIT_CANCELLED, SITREP_AUDIT_TIMED_OUT,
  SITREP_AUDIT_REFUSED,   SITREP_AUDIT_DRY_RUN,   SITREP_AUDIT_NEVER_FINISHED, NULL
};

void
sitrep_audit_entry_free (SitrepAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->os_user);
  g_free (entry->author);
  g_free (entry->host);
  g_free (entry->context);
  g_free (entry->namespace);
  g_free (entry->action_id);
  g_free (entry->service_id);
  g_strfreev (entry->argv);
  g_free (entry->inputs);
  g_free (entry->confirmation);
  g_free (entry->outcome);
  g_free (entry->output_tail);
  g_free (entry->process);
  g_free (entry->owner);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

gboolean
sitrep_audit_outcome_is_valid (const char *outcome)
{
  return outcome != NULL && g_strv_contains (outcomes, outcome);
}

/* One field into whichever digest is in use. */
typedef struct
{
  GChecksum *checksum;
  GHmac *hmac;
} Digest;

static void
digest_update (Digest     *digest,
               const char *data,
               gssize      length)
{
  if (length < 0)
    length = strlen (data);
  if (digest->checksum != NULL)
    g_checksum_update (digest->checksum, (const guchar *) data, length);
  else
    g_hmac_update (digest->hmac, (const guchar *) data, length);
}

static void
digest_text (Digest     *digest,
             const char *text)
{
  char header[32];

  if (text == NULL)
    {
      digest_update (digest, "n", 1);
      return;
    }
  g_snprintf (header, sizeof header, "s%" G_GSIZE_FORMAT ":", strlen (text));
  digest_update (digest, header, -1);
  digest_update (digest, text, strlen (text));
}

static void
digest_int (Digest  *digest,
            gboolean present,
            gint64   value)
{
  char field[32];

  if (!present)
    {
      digest_update (digest, "n", 1);
      return;
    }
  g_snprintf (field, sizeof field, "i%" G_GINT64_FORMAT ";", value);
  digest_update (digest, field, -1);
}

/* The fields both versions serialize, from at to output_tail. */
static void
hash_content (GChecksum              *checksum,
              GHmac                  *hmac,
              const SitrepAuditEntry *entry)
{
  Digest digest = { checksum, hmac };
  guint argc = entry->argv ? g_strv_length (entry->argv) : 0;
  char header[32];

  digest_int (&digest, TRUE, entry->at);
  digest_text (&digest, entry->os_user ? entry->os_user : "");
  digest_int (&digest, entry->incident_id > 0, entry->incident_id);
  digest_text (&digest, entry->context ? entry->context : "");
  digest_text (&digest, entry->namespace ? entry->namespace : "");
  digest_text (&digest, entry->action_id ? entry->action_id : "");
  digest_text (&digest, entry->service_id);
  g_snprintf (header, sizeof header, "a%u:", argc);
  digest_update (&digest, header, -1);
  for (guint i = 0; i < argc; i++)
    digest_text (&digest, entry->argv[i]);
  digest_text (&digest, entry->inputs ? entry->inputs : "{}");
  digest_text (&digest, entry->confirmation);
  digest_int (&digest, entry->has_exit_code, entry->exit_code);
  digest_int (&digest, entry->has_duration, entry->duration_ms);
  digest_text (&digest, entry->outcome ? entry->outcome : "");
  digest_text (&digest, entry->output_tail ? entry->output_tail : "");
}

/**
 * sitrep_audit_entry_compute_hash:
 * @entry: an entry as stored, with its prev_hash (NULL is the first row's)
 *
 * Returns: the unkeyed hash (version 1) a row holding exactly @entry's values must carry, in
 * lowercase hex: what rows written before the log was keyed carry. Nothing is redacted or cut
 * here: append does that before it hashes.
 */
char *
sitrep_audit_entry_compute_hash (const SitrepAuditEntry *entry)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  Digest digest = { checksum, NULL };

  g_checksum_update (checksum, (const guchar *) "sitrep-audit-v1\n", -1);
  hash_content (checksum, NULL, entry);
  digest_text (&digest, entry->prev_hash ? entry->prev_hash : SITREP_AUDIT_GENESIS_HASH);
  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * sitrep_audit_entry_compute_mac:
 * @entry: an entry as stored, with its id and prev_hash
 * @database_id: the database's id (audit_chain)
 * @key: the database's key
 *
 * Returns: the keyed hash a row holding exactly @entry's values must carry: version 3 when it
 *   has a host, else version 2.
 */
char *
sitrep_audit_entry_compute_mac (const SitrepAuditEntry *entry,
                                const char             *database_id,
                                GBytes                 *key)
{
  gsize key_length;
  const guchar *key_data = g_bytes_get_data (key, &key_length);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_length);
  Digest digest = { NULL, hmac };

  g_hmac_update (hmac,
                 (const guchar *) (entry->host != NULL ? "sitrep-audit-v3\n" : "sitrep-audit-v2\n"),
                 -1);
  digest_text (&digest, database_id);
  digest_int (&digest, TRUE, entry->id);
  hash_content (NULL, hmac, entry);
  digest_int (&digest, entry->started_id > 0, entry->started_id);
  digest_text (&digest, entry->process);
  digest_text (&digest, entry->owner);
  if (entry->host != NULL)
    {
      digest_text (&digest, entry->author);
      digest_text (&digest, entry->host);
    }
  digest_text (&digest, entry->prev_hash ? entry->prev_hash : SITREP_AUDIT_GENESIS_HASH);
  return g_strdup (g_hmac_get_string (hmac));
}

static char *
argv_to_json (const char *const *argv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    json_builder_add_string_value (builder, argv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
clean_text (const char *text)
{
  return text ? g_utf8_make_valid (text, -1) : NULL;
}

/* The last SITREP_AUDIT_OUTPUT_TAIL_MAX bytes, from a character boundary. */
static char *
cut_tail (char *text)
{
  gsize length = strlen (text);
  const char *start;

  if (length <= SITREP_AUDIT_OUTPUT_TAIL_MAX)
    return text;
  start = text + length - SITREP_AUDIT_OUTPUT_TAIL_MAX;
  while ((*start & 0xc0) == 0x80)
    start++;
  start = g_strconcat ("…", start, NULL);
  g_free (text);
  return (char *) start;
}

/* What append stores: valid UTF-8, secrets redacted, the output cut to its tail. */
static SitrepAuditEntry *
prepare_entry (const SitrepAuditEntry *entry,
               GError                **error)
{
  g_autoptr(SitrepAuditEntry) row = g_new0 (SitrepAuditEntry, 1);

  if (!sitrep_audit_outcome_is_valid (entry->outcome))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("“%s” is not an audit outcome: nothing was recorded."),
                   entry->outcome ? entry->outcome : "");
      return NULL;
    }
  row->inputs = sitrep_audit_redact_inputs (entry->inputs);
  if (row->inputs == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("The inputs of an audit entry must be a JSON object: nothing was recorded."));
      return NULL;
    }

  row->at = entry->at != 0 ? entry->at : g_get_real_time ();
  row->os_user = clean_text (entry->os_user ? entry->os_user : g_get_user_name ());
  row->incident_id = MAX (entry->incident_id, 0);
  row->context = clean_text (entry->context ? entry->context : "");
  row->namespace = clean_text (entry->namespace ? entry->namespace : "");
  row->action_id = clean_text (entry->action_id ? entry->action_id : "");
  row->service_id = clean_text (entry->service_id);
  row->argv = sitrep_audit_redact_argv ((const char *const *) entry->argv);
  row->confirmation = entry->confirmation ? sitrep_audit_redact (entry->confirmation) : NULL;
  row->has_exit_code = entry->has_exit_code;
  row->exit_code = entry->has_exit_code ? entry->exit_code : 0;
  row->has_duration = entry->has_duration;
  row->duration_ms = entry->has_duration ? entry->duration_ms : 0;
  row->outcome = g_strdup (entry->outcome);
  /* Redact before cutting, so the cut never leaves half a secret behind. */
  row->output_tail = cut_tail (sitrep_audit_redact (entry->output_tail));
  row->started_id = MAX (entry->started_id, 0);
  row->owner = clean_text (entry->owner);
  row->author = clean_text (entry->author);
  row->host = clean_text (entry->host ? entry->host : g_get_host_name ());
  if (entry->process != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      row->process = clean_text (entry->process);
      if (!json_parser_load_from_data (parser, row->process, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                       _("The process of an audit entry must be a JSON object: nothing was "
                         "recorded."));
          return NULL;
        }
    }
  return g_steal_pointer (&row);
}

static void
bind_text_or_null (SitrepDbStmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text == NULL)
    sitrep_db_bind_null (stmt, index);
  else
    sitrep_db_bind_text (stmt, index, text);
}

static void
bind_int_or_null (SitrepDbStmt *stmt,
                  int           index,
                  gboolean      present,
                  gint64        value)
{
  if (present)
    sitrep_db_bind_int64 (stmt, index, value);
  else
    sitrep_db_bind_null (stmt, index);
}

/* The last row's id and hash; 0 and the genesis hash for an empty log. */
gboolean
sitrep_store_read_audit_head (SitrepStore *self,
                              gint64      *id,
                              char       **hash,
                              GError     **error)
{
  SitrepDbStmt *stmt;
  int rc;

  stmt = sitrep_store_statement (self, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    {
      *id = sitrep_db_column_int64 (stmt, 0);
      *hash = g_strdup ((const char *) sitrep_db_column_text (stmt, 1));
    }
  else if (rc == SITREP_DB_DONE)
    {
      *id = 0;
      *hash = g_strdup (SITREP_AUDIT_GENESIS_HASH);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW && rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log"), error);
      return FALSE;
    }
  return TRUE;
}

/* The hash of row @id, or NULL in *@hash when there is no such row. */
gboolean
sitrep_store_read_audit_hash (SitrepStore *self,
                              gint64       id,
                              char       **hash,
                              GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self, "SELECT hash FROM audit_log WHERE id = ?1",
                                             error);
  int rc;

  *hash = NULL;
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, id);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW && sitrep_db_column_type (stmt, 0) == SITREP_DB_TEXT)
    *hash = g_strdup ((const char *) sitrep_db_column_text (stmt, 0));
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW && rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log"), error);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_store_read_audit_chain:
 * @database_id: (out): the database's id, NULL when the chain record is gone
 * @keyed_from: (out): the first entry of the keyed chain
 */
gboolean
sitrep_store_read_audit_chain (SitrepStore *self,
                               char       **database_id,
                               gint64      *keyed_from,
                               GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self, "SELECT database_id, keyed_from FROM audit_chain"
                                                   " WHERE id = 1",
                                             error);
  int rc;

  *database_id = NULL;
  *keyed_from = 1;
  if (stmt == NULL)
    return FALSE;
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW && sitrep_db_column_type (stmt, 0) == SITREP_DB_TEXT
      && sitrep_db_column_type (stmt, 1) == SITREP_DB_INTEGER)
    {
      *database_id = g_strdup ((const char *) sitrep_db_column_text (stmt, 0));
      *keyed_from = MAX (1, sitrep_db_column_int64 (stmt, 1));
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW && rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log's chain record"), error);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_store_get_audit_database_id:
 * @keyed_from: (out) (optional): the first entry of the keyed chain
 *
 * Returns: the id under which the keyring keeps this database's key and the state folder its
 *   anchor; NULL with @error set when the chain record was removed from the database
 */
char *
sitrep_store_get_audit_database_id (SitrepStore *self,
                                    gint64      *keyed_from,
                                    GError     **error)
{
  char *database_id = NULL;
  gint64 from = 1;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  if (!sitrep_store_read_audit_chain (self, &database_id, &from, error))
    return NULL;
  if (database_id == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
                   _("The audit log of %s has lost its chain record (the audit_chain table): "
                     "it was changed outside Sitrep, which will not add to it. Keep the file for "
                     "investigation, and start Sitrep with --database and a new file."),
                   self->path);
      return NULL;
    }
  if (keyed_from != NULL)
    *keyed_from = from;
  return database_id;
}

char *
sitrep_store_get_audit_anchor_path (SitrepStore *self,
                                    GError     **error)
{
  g_autofree char *database_id = sitrep_store_get_audit_database_id (self, NULL, error);

  return database_id ? sitrep_audit_anchor_path (database_id) : NULL;
}

static void
add_break (GStrvBuilder *breaks,
           gint64        entry,
           const char   *reason)
{
  g_autofree char *line = g_strdup_printf ("%" G_GINT64_FORMAT " %s", entry, reason);

  g_strv_builder_add (breaks, line);
}

/* After an append: the anchor moves to the new head. If it was not where the log had left it
 * (missing, altered, or naming an entry the log no longer holds), that goes into the anchor
 * for verify to report, whatever happens to the log later. */
static gboolean
update_anchor (SitrepStore *self,
               const char  *database_id,
               gint64       keyed_from,
               gint64       id,
               const char  *hash,
               GBytes      *key,
               GError     **error)
{
  g_autofree char *path = sitrep_audit_anchor_path (database_id);
  g_autoptr(GError) read_error = NULL;
  g_autoptr(SitrepAuditAnchor) old = sitrep_audit_anchor_read (path, &read_error);
  g_autoptr(GStrvBuilder) breaks = g_strv_builder_new ();
  SitrepAuditAnchor anchor = { 0 };
  g_auto(GStrv) all_breaks = NULL;

  if (sitrep_store_is_in_memory (self))
    return TRUE;
  if (old != NULL && old->breaks != NULL)
    g_strv_builder_addv (breaks, (const char **) old->breaks);
  if (old == NULL && g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      if (id - 1 >= keyed_from)
        add_break (breaks, id, SITREP_ANCHOR_BREAK_MISSING);
    }
  else if (old == NULL || !sitrep_audit_anchor_check_mac (old, key)
           || g_strcmp0 (old->database_id, database_id) != 0 || old->keyed_from != keyed_from)
    add_break (breaks, id, SITREP_ANCHOR_BREAK_ALTERED);
  else if (old->sequence > id - 1)
    add_break (breaks, id, SITREP_ANCHOR_BREAK_CUT);
  else if (old->sequence > 0)
    {
      g_autofree char *held = NULL;

      if (!sitrep_store_read_audit_hash (self, old->sequence, &held, error))
        return FALSE;
      if (g_strcmp0 (held, old->hash) != 0)
        add_break (breaks, id, SITREP_ANCHOR_BREAK_CUT);
    }

  all_breaks = g_strv_builder_end (breaks);
  anchor.database_id = (char *) database_id;
  anchor.database_path = self->path;
  anchor.keyed_from = keyed_from;
  anchor.sequence = id;
  anchor.hash = (char *) hash;
  anchor.breaks = all_breaks;
  if (!sitrep_audit_anchor_write (&anchor, path, key, error))
    {
      g_free (anchor.mac);
      return FALSE;
    }
  g_free (anchor.mac);
  return TRUE;
}

/* When the key is first made: the anchor records the head as it is, so entries from before
 * the log was keyed are sealed even before the first keyed entry. */
void
sitrep_store_seal_audit (SitrepStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  gint64 keyed_from = 1, head = 0;
  GBytes *key = sitrep_store_get_audit_key (self);
  SitrepAuditAnchor anchor = { 0 };

  if (key == NULL || sitrep_store_is_in_memory (self))
    return;
  database_id = sitrep_store_get_audit_database_id (self, &keyed_from, &error);
  if (database_id == NULL || !sitrep_store_read_audit_head (self, &head, &hash, &error))
    {
      g_message ("The audit log could not be sealed: %s", error->message);
      return;
    }
  path = sitrep_audit_anchor_path (database_id);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  anchor.database_id = database_id;
  anchor.database_path = self->path;
  anchor.keyed_from = keyed_from;
  anchor.sequence = head;
  anchor.hash = hash;
  if (!sitrep_audit_anchor_write (&anchor, path, key, &error))
    g_message ("The audit log's anchor could not be written: %s", error->message);
  g_free (anchor.mac);
}

static gboolean
insert_row (SitrepStore      *self,
            SitrepAuditEntry *row,
            GError          **error)
{
  g_autofree char *argv = argv_to_json ((const char *const *) row->argv);
  SitrepDbStmt *stmt;
  int rc;

  stmt = sitrep_store_statement (self,
                               "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES (?20, ?1, ?2,"
                               " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                               " ?17, ?18, ?19, ?21, ?22)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, row->at);
  sitrep_db_bind_text (stmt, 2, row->os_user);
  bind_int_or_null (stmt, 3, row->incident_id > 0, row->incident_id);
  sitrep_db_bind_text (stmt, 4, row->context);
  sitrep_db_bind_text (stmt, 5, row->namespace);
  sitrep_db_bind_text (stmt, 6, row->action_id);
  bind_text_or_null (stmt, 7, row->service_id);
  sitrep_db_bind_text (stmt, 8, argv);
  sitrep_db_bind_text (stmt, 9, row->inputs);
  bind_text_or_null (stmt, 10, row->confirmation);
  bind_int_or_null (stmt, 11, row->has_exit_code, row->exit_code);
  bind_int_or_null (stmt, 12, row->has_duration, row->duration_ms);
  sitrep_db_bind_text (stmt, 13, row->outcome);
  sitrep_db_bind_text (stmt, 14, row->output_tail);
  sitrep_db_bind_text (stmt, 15, row->prev_hash);
  sitrep_db_bind_text (stmt, 16, row->hash);
  bind_int_or_null (stmt, 17, row->started_id > 0, row->started_id);
  bind_text_or_null (stmt, 18, row->process);
  bind_text_or_null (stmt, 19, row->owner);
  sitrep_db_bind_int64 (stmt, 20, row->id);
  bind_text_or_null (stmt, 21, row->author);
  bind_text_or_null (stmt, 22, row->host);
  rc = sitrep_db_step (stmt);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("adding to the audit log"), error);
      return FALSE;
    }
  return TRUE;
}

/* An append made inside the caller's transaction (sitrep_db_begin_outer()): what the anchor
 * moves to once that transaction is committed. */
struct _SitrepAuditPending
{
  char *database_id;
  gint64 keyed_from;
  gint64 id;
  char *hash;
  GBytes *key;
};

static void
pending_free (SitrepAuditPending *pending)
{
  if (pending == NULL)
    return;
  g_free (pending->database_id);
  g_free (pending->hash);
  if (pending->key != NULL)
    {
      gsize length = 0;
      gpointer key = (gpointer) g_bytes_get_data (pending->key, &length);

      if (key != NULL)
        memset (key, 0, length);
      g_bytes_unref (pending->key);
    }
  g_free (pending);
}

/**
 * sitrep_store_append_audit:
 * @entry: what happened; see #SitrepAuditEntry for the defaults of what is left zero
 *
 * Appends @entry, with its secrets redacted, to the end of the chain in one transaction, so two
 * windows or processes appending at once still make one chain; when it returns, the entry is
 * on disk (synchronous=FULL). Then the anchor moves to it. The store needs the database's key
 * (sitrep_store_load_audit_key_async()): without it nothing is appended.
 *
 * Inside a transaction of the caller's (a change written with its id on a team database,
 * sitrep_store_journal_apply()), the entry is committed with that transaction: the chain stays
 * locked until it ends, and the anchor moves after its COMMIT
 * (sitrep_store_audit_outer_ended()).
 *
 * Returns: the new row's id, or -1 with @error set
 */
gint64
sitrep_store_append_audit (SitrepStore            *self,
                           const SitrepAuditEntry *entry,
                           GError                **error)
{
  g_autoptr(SitrepAuditEntry) row = NULL;
  g_autoptr(GError) anchor_error = NULL;
  g_autofree char *database_id = NULL;
  GBytes *key;
  gint64 keyed_from = 1, last_id = 0;
  gboolean outer;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (entry != NULL, -1);

  row = prepare_entry (entry, error);
  if (row == NULL)
    return -1;
  key = sitrep_store_get_audit_key (self);
  if (key == NULL)
    {
      const char *problem = sitrep_store_get_audit_key_problem (self);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("The audit log cannot sign new entries: %s"),
                   problem ? problem : _("its key has not been read from the keyring yet"));
      return -1;
    }

  /* One chain under concurrent writers: on a team database each append waits for the one
   * before it to commit and move this machine's anchor, and reads the head it wrote. An
   * anchor moved out of order would report the log cut. Inside the caller's transaction the
   * entry is committed only when that transaction is: the lock (a session's, so that it
   * outlives the COMMIT until the anchor has moved) is held until then. */
  outer = self->conn->outer;
  if (!outer || !self->audit_locked)
    {
      if (!sitrep_db_postgres_lock (self->conn, "audit-chain", TRUE, error))
        return -1;
      self->audit_locked = outer;
    }
  if (!sitrep_store_exec (self, "BEGIN IMMEDIATE", _("starting a change"), error))
    goto failed;
  database_id = sitrep_store_get_audit_database_id (self, &keyed_from, error);
  if (database_id == NULL || !sitrep_store_read_audit_head (self, &last_id, &row->prev_hash, error))
    goto failed;
  row->id = last_id + 1;
  if (row->id >= keyed_from)
    row->hash = sitrep_audit_entry_compute_mac (row, database_id, key);
  else
    {
      /* Version 1 has no such fields. */
      g_clear_pointer (&row->author, g_free);
      g_clear_pointer (&row->host, g_free);
      row->hash = sitrep_audit_entry_compute_hash (row);
    }
  if (!insert_row (self, row, error))
    goto failed;
  if (!sitrep_store_exec (self, "COMMIT", _("saving a change"), error))
    goto failed;

  if (outer)
    {
      SitrepAuditPending *pending = g_new0 (SitrepAuditPending, 1);

      pending->database_id = g_steal_pointer (&database_id);
      pending->keyed_from = keyed_from;
      pending->id = row->id;
      pending->hash = g_strdup (row->hash);
      pending->key = g_bytes_new (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
      pending_free (self->audit_pending);
      self->audit_pending = pending;
      return row->id;
    }

  /* The entry is kept whatever happens to the anchor; verify reports an anchor left behind. */
  if (!update_anchor (self, database_id, keyed_from, row->id, row->hash, key, &anchor_error))
    g_message ("The audit log's anchor could not be updated after entry %" G_GINT64_FORMAT
               ": %s", row->id, anchor_error->message);
  sitrep_db_postgres_unlock (self->conn, "audit-chain");
  return row->id;

failed:
  if (sitrep_db_in_transaction (self->conn))
    sitrep_db_exec (self->conn, "ROLLBACK");
  /* Inside the caller's transaction, the lock goes when it ends. */
  if (!outer)
    sitrep_db_postgres_unlock (self->conn, "audit-chain");
  return -1;
}

/**
 * sitrep_store_audit_outer_ended:
 * @committed: whether the caller's transaction was committed
 *
 * After a transaction of the caller's (sitrep_db_end_outer()) in which entries may have been
 * appended: once committed, this machine's anchor moves to the last of them; then the chain's
 * lock goes, so that the next append reads the head committed and moves the anchor after this
 * one.
 */
void
sitrep_store_audit_outer_ended (SitrepStore *self,
                                gboolean     committed)
{
  SitrepAuditPending *pending = g_steal_pointer (&self->audit_pending);

  if (committed && pending != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!update_anchor (self, pending->database_id, pending->keyed_from, pending->id,
                          pending->hash, pending->key, &error))
        g_message ("The audit log's anchor could not be updated after entry %" G_GINT64_FORMAT
                   ": %s", pending->id, error->message);
    }
  pending_free (pending);
  if (self->audit_locked)
    {
      self->audit_locked = FALSE;
      sitrep_db_postgres_unlock (self->conn, "audit-chain");
    }
}
