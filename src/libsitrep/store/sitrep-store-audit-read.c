/* sitrep-store-audit-read.c: the audit log's rows read back, as they are stored
 *
 * Nothing here trusts the file: a value Sitrep could never have written (a NULL where it writes
 * text, a blob, a NUL byte, invalid UTF-8, an argv that is not an array of strings) is still
 * read, made showable, and named as malformed, so that verifying the chain
 * (sitrep-store-audit-verify.c) can say which row and which column. Writing is in
 * sitrep-store-audit.c.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"

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

/* A column value Sitrep could have written, or NULL with *malformed naming the column. */
static char *
read_text (SitrepDbStmt *stmt,
           int           column,
           gboolean      nullable,
           const char  **malformed)
{
  const char *text;
  int length;

  if (sitrep_db_column_type (stmt, column) == SITREP_DB_NULL)
    {
      if (!nullable && *malformed == NULL)
        *malformed = sitrep_db_column_name (stmt, column);
      return NULL;
    }
  text = (const char *) sitrep_db_column_text (stmt, column);
  length = sitrep_db_column_bytes (stmt, column);
  if (sitrep_db_column_type (stmt, column) != SITREP_DB_TEXT || text == NULL
      || memchr (text, '\0', length) != NULL || !g_utf8_validate_len (text, length, NULL))
    {
      if (*malformed == NULL)
        *malformed = sitrep_db_column_name (stmt, column);
      return g_utf8_make_valid (text ? text : "", length);
    }
  return g_strndup (text, length);
}

static gboolean
read_int (SitrepDbStmt *stmt,
          int           column,
          gint64        min,
          gint64       *value,
          const char  **malformed)
{
  int type = sitrep_db_column_type (stmt, column);

  *value = 0;
  if (type == SITREP_DB_NULL)
    return FALSE;
  *value = sitrep_db_column_int64 (stmt, column);
  if ((type != SITREP_DB_INTEGER || *value < min) && *malformed == NULL)
    *malformed = sitrep_db_column_name (stmt, column);
  return TRUE;
}

static SitrepAuditEntry *
read_entry (SitrepDbStmt *stmt,
            const char  **malformed)
{
  SitrepAuditEntry *entry = g_new0 (SitrepAuditEntry, 1);
  g_autofree char *argv = NULL;
  gint64 value;

  *malformed = NULL;
  entry->id = sitrep_db_column_int64 (stmt, 0);
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
  read_int (stmt, 17, 1, &entry->started_id, malformed);
  entry->process = read_text (stmt, 18, TRUE, malformed);
  entry->owner = read_text (stmt, 19, TRUE, malformed);
  entry->author = read_text (stmt, 20, TRUE, malformed);
  entry->host = read_text (stmt, 21, TRUE, malformed);
  return entry;
}

/* Calls @func with each row, oldest first, handing it the entry; stops when @func returns FALSE. */
gboolean
sitrep_store_walk_audit (SitrepStore         *self,
                         SitrepAuditWalkFunc  func,
                         gpointer             user_data,
                         GError             **error)
{
  SitrepDbStmt *stmt;
  int rc;

  stmt = sitrep_store_statement (self, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      const char *malformed = NULL;
      SitrepAuditEntry *entry = read_entry (stmt, &malformed);

      if (!func (entry, malformed, user_data, error))
        {
          sitrep_db_finalize (stmt);
          return error == NULL || *error == NULL;
        }
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
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

/**
 * sitrep_store_list_audit_finished:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the "started" entries that a later
 *   entry finishes (as pointers to gint64 keys), or NULL with @error set
 */
GHashTable *
sitrep_store_list_audit_finished (SitrepStore *self,
                                  GError     **error)
{
  g_autoptr(GHashTable) finished = NULL;
  SitrepDbStmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  stmt = sitrep_store_statement (self, "SELECT started_id FROM audit_log WHERE started_id IS NOT NULL",
                               error);
  if (stmt == NULL)
    return NULL;
  finished = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sitrep_db_column_int64 (stmt, 0);
      g_hash_table_add (finished, id);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the audit log"), error);
      return NULL;
    }
  return g_steal_pointer (&finished);
}

typedef struct
{
  GHashTable *finished;
  GPtrArray *unfinished;
} Unfinished;

static gboolean
unfinished_cb (SitrepAuditEntry *entry,
               const char       *malformed,
               gpointer          user_data,
               GError          **error)
{
  Unfinished *data = user_data;

  if (g_strcmp0 (entry->outcome, SITREP_AUDIT_STARTED) == 0
      && !g_hash_table_contains (data->finished, &entry->id))
    g_ptr_array_add (data->unfinished, entry);
  else
    sitrep_audit_entry_free (entry);
  return TRUE;
}

/**
 * sitrep_store_list_unfinished_audit:
 *
 * Returns: (transfer full) (element-type SitrepAuditEntry): the "started" entries no entry
 *   finishes: commands still running, or whose Sitrep stopped while they ran; oldest first
 */
GPtrArray *
sitrep_store_list_unfinished_audit (SitrepStore *self,
                                    GError     **error)
{
  g_autoptr(GHashTable) finished = sitrep_store_list_audit_finished (self, error);
  g_autoptr(GPtrArray) unfinished = NULL;
  Unfinished data;

  if (finished == NULL)
    return NULL;
  unfinished = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_audit_entry_free);
  data.finished = finished;
  data.unfinished = unfinished;
  if (!sitrep_store_walk_audit (self, unfinished_cb, &data, error))
    return NULL;
  return g_steal_pointer (&unfinished);
}

static void
put_string (JsonObject *object,
            const char *name,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
}

/* An entry to append as a team database's journal keeps it while the server is away
 * (sitrep-store-journal.c): what append takes, no id and no hashes, which the replay's append
 * computes on the server's chain. */
JsonObject *
sitrep_store_audit_entry_to_json (const SitrepAuditEntry *entry)
{
  JsonObject *object = json_object_new ();
  JsonArray *argv = json_array_new ();

  json_object_set_int_member (object, "at", entry->at);
  json_object_set_int_member (object, "incident", entry->incident_id);
  put_string (object, "os_user", entry->os_user);
  put_string (object, "context", entry->context);
  put_string (object, "namespace", entry->namespace);
  put_string (object, "action_id", entry->action_id);
  put_string (object, "service_id", entry->service_id);
  for (guint i = 0; entry->argv != NULL && entry->argv[i] != NULL; i++)
    json_array_add_string_element (argv, entry->argv[i]);
  json_object_set_array_member (object, "argv", argv);
  put_string (object, "inputs", entry->inputs);
  put_string (object, "confirmation", entry->confirmation);
  if (entry->has_exit_code)
    json_object_set_int_member (object, "exit_code", entry->exit_code);
  if (entry->has_duration)
    json_object_set_int_member (object, "duration_ms", entry->duration_ms);
  put_string (object, "outcome", entry->outcome);
  put_string (object, "output_tail", entry->output_tail);
  json_object_set_int_member (object, "started_id", entry->started_id);
  put_string (object, "process", entry->process);
  put_string (object, "owner", entry->owner);
  put_string (object, "author", entry->author);
  put_string (object, "host", entry->host ? entry->host : g_get_host_name ());
  return object;
}

static char *
take_string (JsonObject *object,
             const char *name)
{
  return g_strdup (sitrep_json_string (object, name));
}

/* Returns: (transfer full): the entry kept by sitrep_store_audit_entry_to_json(), with
 * @incident_id */
SitrepAuditEntry *
sitrep_store_audit_entry_from_json (JsonObject *object,
                                    gint64      incident_id)
{
  SitrepAuditEntry *entry = g_new0 (SitrepAuditEntry, 1);

  entry->at = sitrep_json_int (object, "at");
  entry->incident_id = incident_id;
  entry->os_user = take_string (object, "os_user");
  entry->context = take_string (object, "context");
  entry->namespace = take_string (object, "namespace");
  entry->action_id = take_string (object, "action_id");
  entry->service_id = take_string (object, "service_id");
  /* What is not a word (a journal edited by hand) is left out. */
  entry->argv = sitrep_json_strv (object, "argv");
  if (entry->argv == NULL)
    entry->argv = g_new0 (char *, 1);
  entry->inputs = take_string (object, "inputs");
  entry->confirmation = take_string (object, "confirmation");
  entry->has_exit_code = json_object_has_member (object, "exit_code");
  entry->exit_code = (int) sitrep_json_int (object, "exit_code");
  entry->has_duration = json_object_has_member (object, "duration_ms");
  entry->duration_ms = sitrep_json_int (object, "duration_ms");
  entry->outcome = take_string (object, "outcome");
  entry->output_tail = take_string (object, "output_tail");
  entry->started_id = sitrep_json_int (object, "started_id");
  entry->process = take_string (object, "process");
  entry->owner = take_string (object, "owner");
  entry->author = take_string (object, "author");
  entry->host = take_string (object, "host");
  return entry;
}
