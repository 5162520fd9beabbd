/* sitrep-store-postmortem.c: what only a person knows of an incident, and the rows the export reads
 *
 * The post-mortem's own fields live in the incident's row and its action items in their table;
 * the export reads the timeline's rows here, without an object per event, and puts each into
 * words itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-markdown.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"

static char *
column_strdup (SitrepDbStmt *stmt,
               int           column)
{
  const char *text = (const char *) sitrep_db_column_text (stmt, column);

  return g_strdup (text ? text : "");
}

/* The runbook's own sections, from their JSON object; what is not text is left out. */
static GHashTable *
sections_from_json (const char *json)
{
  GHashTable *sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return sections;
  json_object_iter_init (&iter, json_node_get_object (json_parser_get_root (parser)));
  while (json_object_iter_next (&iter, &id, &node))
    if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      g_hash_table_insert (sections, g_strdup (id), g_strdup (json_node_get_string (node)));
  return sections;
}

static int
compare_ids (const void *a,
             const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* In the order of their ids, so that the same sections are the same bytes. */
static char *
sections_to_json (GHashTable *sections)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree gpointer *ids = NULL;
  guint n = 0;

  json_builder_begin_object (builder);
  if (sections != NULL)
    {
      ids = g_hash_table_get_keys_as_array (sections, &n);
      qsort (ids, n, sizeof (gpointer), compare_ids);
      for (guint i = 0; i < n; i++)
        {
          json_builder_set_member_name (builder, ids[i]);
          json_builder_add_string_value (builder, g_hash_table_lookup (sections, ids[i]));
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Returns: (transfer full): the incident's post-mortem fields, or NULL with @error set */
SitrepPostmortemFields *
sitrep_store_load_postmortem (SitrepStore *store,
                              gint64       incident_id,
                              GError     **error)
{
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  SitrepDbStmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);

  stmt = sitrep_store_statement (store,
                               "SELECT postmortem_summary, root_cause, resolution, lessons,"
                               " postmortem_sections FROM incidents WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    {
      fields = g_new0 (SitrepPostmortemFields, 1);
      fields->summary = column_strdup (stmt, 0);
      fields->root_cause = column_strdup (stmt, 1);
      fields->resolution = column_strdup (stmt, 2);
      fields->lessons = column_strdup (stmt, 3);
      fields->sections = sections_from_json ((const char *) sitrep_db_column_text (stmt, 4));
    }
  sitrep_db_finalize (stmt);
  if (rc == SITREP_DB_DONE)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, sitrep_store_get_path (store));
      return NULL;
    }
  if (rc != SITREP_DB_ROW)
    {
      sitrep_store_fail (store, rc, _("reading a post-mortem"), error);
      return NULL;
    }
  return g_steal_pointer (&fields);
}

/* Returns: (transfer full) (element-type SitrepActionItem): in their order, or NULL on error */
GPtrArray *
sitrep_store_load_action_items (SitrepStore *store,
                                gint64       incident_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) items
    = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  SitrepDbStmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);

  stmt = sitrep_store_statement (store,
                               "SELECT id, text, owner, due, done FROM action_items"
                               " WHERE incident_id = ?1 ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return NULL;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      SitrepActionItem *item = g_new0 (SitrepActionItem, 1);

      item->id = sitrep_db_column_int64 (stmt, 0);
      item->text = column_strdup (stmt, 1);
      item->owner = column_strdup (stmt, 2);
      item->due = column_strdup (stmt, 3);
      item->done = sitrep_db_column_int (stmt, 4) != 0;
      g_ptr_array_add (items, item);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (store, rc, _("reading action items"), error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
save_items (SitrepStore *store,
            gint64       incident_id,
            GPtrArray   *items,
            GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (store,
                                             "DELETE FROM action_items WHERE incident_id = ?1",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  if (!sitrep_store_step_done (store, stmt, _("saving action items"), error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      SitrepActionItem *item = items->pdata[i];

      /* An item keeps its id, so a window that shows it keeps pointing at the same row. */
      /* A new one takes the next id: PostgreSQL refuses NULL for an identity column. */
      stmt = sitrep_store_statement (store,
                                     item->id > 0
                                       ? "INSERT INTO action_items"
                                         " (id, incident_id, position, text, owner, due, done)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"
                                       : "INSERT INTO action_items"
                                         " (incident_id, position, text, owner, due, done)"
                                         " VALUES (?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                                     error);
      if (stmt == NULL)
        return FALSE;
      if (item->id > 0)
        sitrep_db_bind_int64 (stmt, 1, item->id);
      sitrep_db_bind_int64 (stmt, 2, incident_id);
      sitrep_db_bind_int64 (stmt, 3, i);
      sitrep_db_bind_text (stmt, 4, item->text);
      sitrep_db_bind_text (stmt, 5, item->owner ? item->owner : "");
      sitrep_db_bind_text (stmt, 6, item->due ? item->due : "");
      sitrep_db_bind_int64 (stmt, 7, item->done ? 1 : 0);
      item->id = sitrep_store_step_id (store, stmt, _("saving action items"), error);
      if (item->id < 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_items (GPtrArray *items,
             GError   **error)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const SitrepActionItem *item = items->pdata[i];

      if (sitrep_markdown_is_blank (item->text))
        {
          g_set_error (error, SITREP_POSTMORTEM_ERROR, SITREP_POSTMORTEM_ERROR_INVALID,
                       _("Action item %u has no text: say what is to be done, or remove it."),
                       i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sitrep_store_save_postmortem:
 * @fields: (nullable): the fields to keep, or NULL to leave them as they are
 * @action_items: (element-type SitrepActionItem) (nullable): the whole list of action items in
 *   its order, or NULL to leave them as they are; new items get their id
 *
 * Saves the post-mortem in one transaction: all of it or nothing.
 */
gboolean
sitrep_store_save_postmortem (SitrepStore                  *store,
                              gint64                        incident_id,
                              const SitrepPostmortemFields *fields,
                              GPtrArray                    *action_items,
                              GError                      **error)
{
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (store), FALSE);

  if (!check_items (action_items, error))
    return FALSE;
  if (!sitrep_store_exec (store, "BEGIN IMMEDIATE", _("starting a change"), error))
    return FALSE;
  stmt = sitrep_store_statement (store,
                               fields != NULL
                                 ? "UPDATE incidents SET postmortem_summary = ?2, root_cause = ?3,"
                                   " resolution = ?4, lessons = ?5, postmortem_sections = ?6"
                                   " WHERE id = ?1"
                                 : "UPDATE incidents SET id = id WHERE id = ?1",
                               error);
  if (stmt == NULL)
    goto fail;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  if (fields != NULL)
    {
      g_autofree char *sections = sections_to_json (fields->sections);

      sitrep_db_bind_text (stmt, 2, fields->summary ? fields->summary : "");
      sitrep_db_bind_text (stmt, 3, fields->root_cause ? fields->root_cause : "");
      sitrep_db_bind_text (stmt, 4, fields->resolution ? fields->resolution : "");
      sitrep_db_bind_text (stmt, 5, fields->lessons ? fields->lessons : "");
      sitrep_db_bind_text (stmt, 6, sections);
    }
  if (!sitrep_store_step_done (store, stmt, _("saving a post-mortem"), error))
    goto fail;
  if (sitrep_db_changes (store->conn) == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, sitrep_store_get_path (store));
      goto fail;
    }
  if (action_items != NULL && !save_items (store, incident_id, action_items, error))
    goto fail;
  if (!sitrep_store_exec (store, "COMMIT", _("saving a post-mortem"), error))
    goto fail;
  return TRUE;

fail:
  sitrep_db_exec (store->conn, "ROLLBACK");
  return FALSE;
}

/**
 * sitrep_store_foreach_event_row:
 * @starred_only: only the starred events
 * @func: called with each event's time, kind, fields, text and annotation (each string valid
 *   during the call only)
 *
 * The incident's timeline as the post-mortem shows it: in time order (ties in the order they
 * were recorded), deleted notes left out, as sitrep_store_list_events() lists it.
 */
gboolean
sitrep_store_foreach_event_row (SitrepStore        *store,
                                gint64              incident_id,
                                gboolean            starred_only,
                                SitrepEventRowFunc  func,
                                gpointer            user_data,
                                GError            **error)
{
  SitrepDbStmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (store), FALSE);

  stmt = sitrep_store_statement (store,
                               starred_only
                                 ? "SELECT at, kind, fields, text, annotation FROM timeline_events"
                                   " WHERE incident_id = ?1 AND deleted_at IS NULL AND starred = 1"
                                   " ORDER BY at, id"
                                 : "SELECT at, kind, fields, text, annotation FROM timeline_events"
                                   " WHERE incident_id = ?1 AND deleted_at IS NULL"
                                   " ORDER BY at, id",
                               error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    func (sitrep_db_column_int64 (stmt, 0), (const char *) sitrep_db_column_text (stmt, 1),
          (const char *) sitrep_db_column_text (stmt, 2),
          (const char *) sitrep_db_column_text (stmt, 3),
          (const char *) sitrep_db_column_text (stmt, 4), user_data);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (store, rc, _("reading the timeline"), error);
      return FALSE;
    }
  return TRUE;
}
