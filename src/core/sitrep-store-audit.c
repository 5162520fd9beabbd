/* sitrep-store-audit.c: the append-only, hash-chained log of every action run or refused
 *
 * Each row's hash is the SHA-256 of a canonical serialization of its content and of the previous
 * row's hash, so editing, deleting, inserting or reordering rows breaks the chain where it
 * happened. The triggers of the schema refuse UPDATE and DELETE; the chain catches whoever drops
 * them. What no chain catches is cutting rows off the end (the shorter log is a valid chain): the
 * last hash that `sitrep audit verify` prints is what to write down elsewhere to catch that.
 *
 * The canonical serialization, version 1: the ASCII bytes "sitrep-audit-v1\n", then each column
 * in this order: at, os_user, incident_id, context, namespace, action_id, service_id, argv,
 * inputs, confirmation, exit_code, duration_ms, outcome, output_tail, prev_hash. A text is
 * "s" LENGTH ":" BYTES (LENGTH in bytes, decimal), an integer "i" DECIMAL ";", a NULL "n", and argv
 * "a" COUNT ":" followed by each argument as a text. Every field ends where its own header says,
 * so no two different rows serialize to the same bytes. The hash is written in lowercase hex.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"

#define AUDIT_CONTENT_COLUMNS                                                          \
  "at, os_user, incident_id, context, namespace, action_id, service_id, argv, inputs," \
  " confirmation, exit_code, duration_ms, outcome, output_tail, prev_hash, hash"
#define AUDIT_COLUMNS "id, " AUDIT_CONTENT_COLUMNS

static const char *const outcomes[] = {
  SITREP_AUDIT_SUCCEEDED, SITREP_AUDIT_NO_CHANGE, SITREP_AUDIT_FAILED, SITREP_AUDIT_CANCELLED,
  SITREP_AUDIT_TIMED_OUT, SITREP_AUDIT_REFUSED,   SITREP_AUDIT_DRY_RUN, NULL
};

void
sitrep_audit_entry_free (SitrepAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->os_user);
  g_free (entry->context);
  g_free (entry->namespace);
  g_free (entry->action_id);
  g_free (entry->service_id);
  g_strfreev (entry->argv);
  g_free (entry->inputs);
  g_free (entry->confirmation);
  g_free (entry->outcome);
  g_free (entry->output_tail);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

gboolean
sitrep_audit_outcome_is_valid (const char *outcome)
{
  return outcome != NULL && g_strv_contains (outcomes, outcome);
}

static void
hash_text (GChecksum  *checksum,
           const char *text)
{
  char header[32];

  if (text == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "n", 1);
      return;
    }
  g_snprintf (header, sizeof header, "s%" G_GSIZE_FORMAT ":", strlen (text));
  g_checksum_update (checksum, (const guchar *) header, -1);
  g_checksum_update (checksum, (const guchar *) text, strlen (text));
}

static void
hash_int (GChecksum *checksum,
          gboolean   present,
          gint64     value)
{
  char field[32];

  if (!present)
    {
      g_checksum_update (checksum, (const guchar *) "n", 1);
      return;
    }
  g_snprintf (field, sizeof field, "i%" G_GINT64_FORMAT ";", value);
  g_checksum_update (checksum, (const guchar *) field, -1);
}

/**
 * sitrep_audit_entry_compute_hash:
 * @entry: an entry as stored, with its prev_hash (NULL is the first row's)
 *
 * Returns: the hash a row holding exactly @entry's values must carry, in lowercase hex. Nothing
 * is redacted or cut here: append does that before it hashes.
 */
char *
sitrep_audit_entry_compute_hash (const SitrepAuditEntry *entry)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint argc = entry->argv ? g_strv_length (entry->argv) : 0;
  char header[32];

  g_checksum_update (checksum, (const guchar *) "sitrep-audit-v1\n", -1);
  hash_int (checksum, TRUE, entry->at);
  hash_text (checksum, entry->os_user ? entry->os_user : "");
  hash_int (checksum, entry->incident_id > 0, entry->incident_id);
  hash_text (checksum, entry->context ? entry->context : "");
  hash_text (checksum, entry->namespace ? entry->namespace : "");
  hash_text (checksum, entry->action_id ? entry->action_id : "");
  hash_text (checksum, entry->service_id);
  g_snprintf (header, sizeof header, "a%u:", argc);
  g_checksum_update (checksum, (const guchar *) header, -1);
  for (guint i = 0; i < argc; i++)
    hash_text (checksum, entry->argv[i]);
  hash_text (checksum, entry->inputs ? entry->inputs : "{}");
  hash_text (checksum, entry->confirmation);
  hash_int (checksum, entry->has_exit_code, entry->exit_code);
  hash_int (checksum, entry->has_duration, entry->duration_ms);
  hash_text (checksum, entry->outcome ? entry->outcome : "");
  hash_text (checksum, entry->output_tail ? entry->output_tail : "");
  hash_text (checksum, entry->prev_hash ? entry->prev_hash : SITREP_AUDIT_GENESIS_HASH);
  return g_strdup (g_checksum_get_string (checksum));
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

/* Only an array of strings is an argv Sitrep wrote. */
static GStrv
argv_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
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
  g_autofree char *output = NULL;

  if (!sitrep_audit_outcome_is_valid (entry->outcome))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("“%s” is not an audit outcome: nothing was recorded."),
                   entry->outcome ? entry->outcome : "");
      return NULL;
    }
  row->inputs = sitrep_audit_redact_inputs (entry->inputs, error);
  if (row->inputs == NULL)
    return NULL;

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
  return g_steal_pointer (&row);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_int_or_null (sqlite3_stmt *stmt,
                  int           index,
                  gboolean      present,
                  gint64        value)
{
  if (present)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
read_last_hash (SitrepStore *self,
                char       **hash,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sitrep_store_prepare (self, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    *hash = g_strdup (SITREP_AUDIT_GENESIS_HASH);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log"), error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_row (SitrepStore      *self,
            SitrepAuditEntry *row,
            GError          **error)
{
  g_autofree char *argv = argv_to_json ((const char *const *) row->argv);
  sqlite3_stmt *stmt;
  int rc;

  stmt = sitrep_store_prepare (self,
                               "INSERT INTO audit_log (" AUDIT_CONTENT_COLUMNS ") VALUES (?1, ?2,"
                               " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->at);
  sqlite3_bind_text (stmt, 2, row->os_user, -1, SQLITE_TRANSIENT);
  bind_int_or_null (stmt, 3, row->incident_id > 0, row->incident_id);
  sqlite3_bind_text (stmt, 4, row->context, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, row->namespace, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, row->action_id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 7, row->service_id);
  sqlite3_bind_text (stmt, 8, argv, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, row->inputs, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 10, row->confirmation);
  bind_int_or_null (stmt, 11, row->has_exit_code, row->exit_code);
  bind_int_or_null (stmt, 12, row->has_duration, row->duration_ms);
  sqlite3_bind_text (stmt, 13, row->outcome, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, row->output_tail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 15, row->prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, row->hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("adding to the audit log"), error);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_store_append_audit:
 * @entry: what happened; see #SitrepAuditEntry for the defaults of what is left zero
 *
 * Appends @entry, with its secrets redacted, to the end of the chain in one transaction, so two
 * windows or processes appending at once still make one chain.
 *
 * Returns: the new row's id, or -1 with @error set
 */
gint64
sitrep_store_append_audit (SitrepStore            *self,
                           const SitrepAuditEntry *entry,
                           GError                **error)
{
  g_autoptr(SitrepAuditEntry) row = NULL;
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (entry != NULL, -1);

  row = prepare_entry (entry, error);
  if (row == NULL)
    return -1;

  if (!sitrep_store_exec (self, "BEGIN IMMEDIATE", _("starting a change"), error))
    return -1;
  if (!read_last_hash (self, &row->prev_hash, error))
    goto failed;
  row->hash = sitrep_audit_entry_compute_hash (row);
  if (!insert_row (self, row, error))
    goto failed;
  id = sqlite3_last_insert_rowid (self->db);
  if (!sitrep_store_exec (self, "COMMIT", _("saving a change"), error))
    goto failed;
  return id;

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return -1;
}

/* A column value Sitrep could have written, or NULL with *malformed naming the column. */
static char *
read_text (sqlite3_stmt *stmt,
           int           column,
           gboolean      nullable,
           const char  **malformed)
{
  const char *text;
  int length;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    {
      if (!nullable && *malformed == NULL)
        *malformed = sqlite3_column_name (stmt, column);
      return NULL;
    }
  text = (const char *) sqlite3_column_text (stmt, column);
  length = sqlite3_column_bytes (stmt, column);
  if (sqlite3_column_type (stmt, column) != SQLITE_TEXT || text == NULL
      || memchr (text, '\0', length) != NULL || !g_utf8_validate_len (text, length, NULL))
    {
      if (*malformed == NULL)
        *malformed = sqlite3_column_name (stmt, column);
      return g_utf8_make_valid (text ? text : "", length);
    }
  return g_strndup (text, length);
}

static gboolean
read_int (sqlite3_stmt *stmt,
          int           column,
          gint64        min,
          gint64       *value,
          const char  **malformed)
{
  int type = sqlite3_column_type (stmt, column);

  *value = 0;
  if (type == SQLITE_NULL)
    return FALSE;
  *value = sqlite3_column_int64 (stmt, column);
  if ((type != SQLITE_INTEGER || *value < min) && *malformed == NULL)
    *malformed = sqlite3_column_name (stmt, column);
  return TRUE;
}

static SitrepAuditEntry *
read_entry (sqlite3_stmt *stmt,
            const char  **malformed)
{
  SitrepAuditEntry *entry = g_new0 (SitrepAuditEntry, 1);
  g_autofree char *argv = NULL;
  gint64 value;

  *malformed = NULL;
  entry->id = sqlite3_column_int64 (stmt, 0);
  if (!read_int (stmt, 1, G_MININT64, &entry->at, malformed) && *malformed == NULL)
    *malformed = "at";
  entry->os_user = read_text (stmt, 2, FALSE, malformed);
  read_int (stmt, 3, 1, &entry->incident_id, malformed);
  entry->context = read_text (stmt, 4, FALSE, malformed);
  entry->namespace = read_text (stmt, 5, FALSE, malformed);
  entry->action_id = read_text (stmt, 6, FALSE, malformed);
  entry->service_id = read_text (stmt, 7, TRUE, malformed);
  argv = read_text (stmt, 8, FALSE, malformed);
  entry->argv = argv_from_json (argv ? argv : "");
  if (entry->argv == NULL)
    {
      /* Still show what is there, as one argument. */
      if (*malformed == NULL)
        *malformed = "argv";
      entry->argv = g_new0 (char *, 2);
      entry->argv[0] = g_strdup (argv ? argv : "");
    }
  entry->inputs = read_text (stmt, 9, FALSE, malformed);
  entry->confirmation = read_text (stmt, 10, TRUE, malformed);
  entry->has_exit_code = read_int (stmt, 11, G_MININT, &value, malformed);
  if (value > G_MAXINT && *malformed == NULL)
    *malformed = "exit_code";
  entry->exit_code = (int) value;
  entry->has_duration = read_int (stmt, 12, G_MININT64, &entry->duration_ms, malformed);
  entry->outcome = read_text (stmt, 13, FALSE, malformed);
  entry->output_tail = read_text (stmt, 14, FALSE, malformed);
  entry->prev_hash = read_text (stmt, 15, FALSE, malformed);
  entry->hash = read_text (stmt, 16, FALSE, malformed);
  return entry;
}

/* Calls @func with each row, oldest first, handing it the entry; stops when @func returns FALSE. */
gboolean
sitrep_store_walk_audit (SitrepStore         *self,
                         SitrepAuditWalkFunc  func,
                         gpointer             user_data,
                         GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sitrep_store_prepare (self, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *malformed = NULL;
      SitrepAuditEntry *entry = read_entry (stmt, &malformed);

      if (!func (entry, malformed, user_data, error))
        {
          sqlite3_finalize (stmt);
          return error == NULL || *error == NULL;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log"), error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  SitrepAuditEntryFunc func;
  gpointer user_data;
} ForeachData;

static gboolean
foreach_cb (SitrepAuditEntry *entry,
            const char       *malformed,
            gpointer          user_data,
            GError          **error)
{
  ForeachData *data = user_data;

  data->func (entry, data->user_data);
  sitrep_audit_entry_free (entry);
  return TRUE;
}

/**
 * sitrep_store_foreach_audit:
 * @func: called with each entry, oldest first; the entry is only valid during the call
 *
 * Reads every entry of the audit log without holding them all in memory, as they are stored:
 * nothing is checked here, see sitrep_store_verify_audit().
 */
gboolean
sitrep_store_foreach_audit (SitrepStore         *self,
                            SitrepAuditEntryFunc func,
                            gpointer             user_data,
                            GError             **error)
{
  ForeachData data = { func, user_data };

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return sitrep_store_walk_audit (self, foreach_cb, &data, error);
}

static gboolean
list_cb (SitrepAuditEntry *entry,
         const char       *malformed,
         gpointer          user_data,
         GError          **error)
{
  g_ptr_array_add (user_data, entry);
  return TRUE;
}

/**
 * sitrep_store_list_audit:
 *
 * Returns: (transfer full) (element-type SitrepAuditEntry): every entry, oldest first, or NULL
 *   with @error set
 */
GPtrArray *
sitrep_store_list_audit (SitrepStore *self,
                         GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_audit_entry_free);
  if (!sitrep_store_walk_audit (self, list_cb, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}
