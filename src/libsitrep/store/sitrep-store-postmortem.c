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
#include "sitrep-store-conflict.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline-private.h"

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

/* An item keeps its id, so a window that shows it keeps pointing at the same row. A new one
 * takes the next id (PostgreSQL refuses NULL for an identity column), and its statement numbers
 * its parameters from 1: PostgreSQL cannot type one left out. */
static gboolean
insert_item (SitrepStore      *store,
             gint64            incident_id,
             guint             position,
             SitrepActionItem *item,
             GError          **error)
{
  gboolean kept = item->id > 0;
  SitrepDbStmt *stmt = sitrep_store_statement (store,
                                               kept
                                                 ? "INSERT INTO action_items (id, incident_id,"
                                                   " position, text, owner, due, done)"
                                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                                   " RETURNING id"
                                                 : "INSERT INTO action_items (incident_id,"
                                                   " position, text, owner, due, done)"
                                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                                   " RETURNING id",
                                               error);

  if (stmt == NULL)
    return FALSE;
  if (kept)
    sitrep_db_bind_int64 (stmt, 1, item->id);
  sitrep_db_bind_int64 (stmt, 1 + kept, incident_id);
  sitrep_db_bind_int64 (stmt, 2 + kept, position);
  sitrep_db_bind_text (stmt, 3 + kept, item->text);
  sitrep_db_bind_text (stmt, 4 + kept, item->owner ? item->owner : "");
  sitrep_db_bind_text (stmt, 5 + kept, item->due ? item->due : "");
  sitrep_db_bind_int64 (stmt, 6 + kept, item->done ? 1 : 0);
  item->id = sitrep_store_step_id (store, stmt, _("saving action items"), error);
  return item->id > 0;
}

/* SQLite gives a new row the highest id in the table plus one, so an item removed at the top
 * would lend its id to the next new one, and another console's change of the removed item
 * would be merged into it. The highest id ever given is kept in app_state, and new items are
 * numbered after it there. Returns: that id, or -1 with @error set */
static gint64
last_item_id (SitrepStore *store,
              GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (store,
                                               "SELECT max(coalesce((SELECT CAST(value AS INTEGER)"
                                               " FROM app_state"
                                               " WHERE key = 'action_items_last_id'), 0),"
                                               " coalesce((SELECT max(id) FROM action_items), 0))",
                                               error);

  return stmt != NULL ? sitrep_store_step_id (store, stmt, _("saving action items"), error) : -1;
}

static gboolean
save_last_item_id (SitrepStore *store,
                   gint64       last,
                   GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (store,
                                               "INSERT INTO app_state (key, value)"
                                               " VALUES ('action_items_last_id', ?1)"
                                               " ON CONFLICT (key) DO UPDATE"
                                               " SET value = excluded.value",
                                               error);

  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, last);
  return sitrep_store_step_done (store, stmt, _("saving action items"), error);
}

static gboolean
save_items (SitrepStore *store,
            gint64       incident_id,
            GPtrArray   *items,
            GError     **error)
{
  /* Items are deleted and written again on each save: where a deleted row's id comes back, the
   * store numbers them, so that an id names one item for good. */
  gboolean numbered = sitrep_db_dialect (store->conn)->reuses_row_ids;
  SitrepDbStmt *stmt;
  gint64 last = 0;

  if (numbered && (last = last_item_id (store, error)) < 0)
    return FALSE;
  stmt = sitrep_store_statement (store, "DELETE FROM action_items WHERE incident_id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  if (!sitrep_store_step_done (store, stmt, _("saving action items"), error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      SitrepActionItem *item = items->pdata[i];

      if (numbered && item->id <= 0)
        item->id = ++last;
      else if (numbered)
        last = MAX (last, item->id);
      if (!insert_item (store, incident_id, i, item, error))
        return FALSE;
    }
  return !numbered || save_last_item_id (store, last, error);
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

/* One text of the post-mortem merged three ways: *@yours becomes what is to be stored. A text
 * only this console changed is taken, one only another console changed is kept, the same
 * change on both is no conflict; different changes of the same text are added to @conflicts. */
static void
merge_text (const char  *field,
            const char  *base,
            const char  *theirs,
            char       **yours,
            GPtrArray   *conflicts)
{
  base = base ? base : "";
  theirs = theirs ? theirs : "";
  if (*yours == NULL)
    *yours = g_strdup ("");
  if (g_str_equal (theirs, base) || g_str_equal (theirs, *yours))
    return;
  if (g_str_equal (*yours, base))
    {
      g_free (*yours);
      *yours = g_strdup (theirs);
      return;
    }
  sitrep_edit_conflict_add (conflicts, field, base, theirs, *yours);
}

static void
add_ids (GHashTable *ids,
         GHashTable *sections)
{
  GHashTableIter iter;
  gpointer id;

  if (sections == NULL)
    return;
  g_hash_table_iter_init (&iter, sections);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_hash_table_add (ids, id);
}

/* Merges what this console saves (@fields, from @base) with what is stored (@stored), text by
 * text; the texts changed in both places differently are added to @conflicts. */
static void
merge_fields (const SitrepPostmortemFields *base,
              const SitrepPostmortemFields *stored,
              SitrepPostmortemFields       *fields,
              GPtrArray                    *conflicts)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gpointer *sorted = NULL;
  guint n;

  merge_text ("summary", base->summary, stored->summary, &fields->summary, conflicts);
  merge_text ("root_cause", base->root_cause, stored->root_cause, &fields->root_cause, conflicts);
  merge_text ("resolution", base->resolution, stored->resolution, &fields->resolution, conflicts);
  merge_text ("lessons", base->lessons, stored->lessons, &fields->lessons, conflicts);
  if (fields->sections == NULL)
    fields->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  add_ids (ids, base->sections);
  add_ids (ids, stored->sections);
  add_ids (ids, fields->sections);
  sorted = g_hash_table_get_keys_as_array (ids, &n);
  qsort (sorted, n, sizeof (gpointer), compare_ids);
  for (guint i = 0; i < n; i++)
    {
      const char *id = sorted[i];
      g_autofree char *field = g_strconcat ("section:", id, NULL);
      g_autofree char *id_copy = g_strdup (id);
      char *yours = g_strdup (g_hash_table_lookup (fields->sections, id));

      merge_text (field,
                  base->sections ? g_hash_table_lookup (base->sections, id) : NULL,
                  stored->sections ? g_hash_table_lookup (stored->sections, id) : NULL,
                  &yours, conflicts);
      g_hash_table_insert (fields->sections, g_steal_pointer (&id_copy), yours);
    }
}

static const SitrepActionItem *
find_item (GPtrArray *items,
           gint64     id)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    if (((SitrepActionItem *) items->pdata[i])->id == id)
      return items->pdata[i];
  return NULL;
}

static gboolean
item_equal (const SitrepActionItem *a,
            const SitrepActionItem *b)
{
  return g_strcmp0 (a->text, b->text) == 0 && g_strcmp0 (a->owner, b->owner) == 0
         && g_strcmp0 (a->due, b->due) == 0 && !a->done == !b->done;
}

/* One text of an action item merged three ways, as merge_text() does; its field in a conflict
 * is "item:ID:text" (or owner, due). */
static void
merge_item_text (const SitrepActionItem *yours,
                 const char             *part,
                 const char             *base,
                 const char             *theirs,
                 char                  **text,
                 GPtrArray              *conflicts)
{
  g_autofree char *field = g_strdup_printf ("item:%" G_GINT64_FORMAT ":%s", yours->id, part);

  merge_text (field, base, theirs, text, conflicts);
}

/* Merges this console's action items (@yours, as it read them in @base) with those stored now
 * (@stored), item by item and field by field, so that neither console loses what it wrote: an
 * item either added is kept; one deleted on one side is gone unless the other changed it; a
 * field only one side changed takes that change; a text both changed differently is added to
 * @conflicts. This console's items come first in its order, then those only the other added.
 * @from_yours gets, for each returned item, the index in @yours it came from, or -1.
 * Returns: (transfer full): the items to store */
static GPtrArray *
merge_items (GPtrArray *base,
             GPtrArray *stored,
             GPtrArray *yours,
             GArray    *from_yours,
             GPtrArray *conflicts)
{
  GPtrArray *merged = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_int64_hash, g_int64_equal);
  const int none = -1;

  for (guint i = 0; i < yours->len; i++)
    {
      const SitrepActionItem *item = yours->pdata[i];
      const SitrepActionItem *was = item->id > 0 ? find_item (base, item->id) : NULL;
      const SitrepActionItem *theirs = item->id > 0 ? find_item (stored, item->id) : NULL;
      SitrepActionItem *copy;
      int index = (int) i;

      /* Removed elsewhere, and left as it was here: removed. */
      if (theirs == NULL && was != NULL && item_equal (item, was))
        continue;
      copy = sitrep_action_item_copy (item);
      if (theirs != NULL)
        {
          /* Without what this console read, what is stored counts as read: this one's wins. */
          if (was == NULL)
            was = theirs;
          merge_item_text (item, "text", was->text, theirs->text, &copy->text, conflicts);
          merge_item_text (item, "owner", was->owner, theirs->owner, &copy->owner, conflicts);
          merge_item_text (item, "due", was->due, theirs->due, &copy->due, conflicts);
          if (!item->done == !was->done)
            copy->done = theirs->done;
          g_hash_table_add (taken, (gpointer) &theirs->id);
        }
      g_ptr_array_add (merged, copy);
      g_array_append_val (from_yours, index);
    }
  for (guint i = 0; i < stored->len; i++)
    {
      const SitrepActionItem *theirs = stored->pdata[i];
      const SitrepActionItem *was = find_item (base, theirs->id);

      if (g_hash_table_contains (taken, &theirs->id))
        continue;
      /* Removed here, and left as it was elsewhere: removed. Added or changed there: kept. */
      if (was != NULL && item_equal (theirs, was))
        continue;
      g_ptr_array_add (merged, sitrep_action_item_copy (theirs));
      g_array_append_val (from_yours, none);
    }
  return merged;
}

/**
 * sitrep_store_save_postmortem:
 * @base: (nullable): the fields as the editor read them, or NULL to write @fields as they are
 * @fields: (nullable): the fields to keep, or NULL to leave them as they are
 * @base_items: (element-type SitrepActionItem) (nullable): the action items as the editor read
 *   them, or NULL to write @action_items as they are
 * @action_items: (element-type SitrepActionItem) (nullable): the whole list of action items in
 *   its order, or NULL to leave them as they are; new items get their id
 * @saved_items: (out) (optional) (transfer full) (element-type SitrepActionItem): the action
 *   items as stored now, merged with another console's
 *
 * Saves the post-mortem in one transaction: all of it or nothing. With @base, several consoles
 * can edit one post-mortem: each text is merged with what is stored now (the incident's row
 * locked meanwhile), so a text another console changed and this one did not is kept (and put
 * into @fields), and a text both changed differently refuses the whole save with
 * %SITREP_EDIT_CONFLICT_ERROR_CHANGED, carrying each such text's three versions. With
 * @base_items the action items are merged the same way, item by item (see merge_items()).
 */
gboolean
sitrep_store_save_postmortem (SitrepStore                  *store,
                              gint64                        incident_id,
                              const SitrepPostmortemFields *base,
                              SitrepPostmortemFields       *fields,
                              GPtrArray                    *base_items,
                              GPtrArray                    *action_items,
                              GPtrArray                   **saved_items,
                              GError                      **error)
{
  g_autoptr(GPtrArray) conflicts = sitrep_edit_conflicts_new ();
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GArray) from_yours = NULL;
  SitrepDbStmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (store), FALSE);

  if (!check_items (action_items, error))
    return FALSE;
  if (!sitrep_store_exec (store, "BEGIN IMMEDIATE", _("starting a change"), error))
    return FALSE;
  if ((fields != NULL && base != NULL) || (action_items != NULL && base_items != NULL))
    {
      /* The row stays as read until the commit: SQLite's writer lock, PostgreSQL's row lock. */
      const char *lock_row = sitrep_db_dialect (store->conn)->lock_row;

      if (lock_row != NULL)
        {
          g_autofree char *sql = g_strconcat ("SELECT id FROM incidents WHERE id = ?1", lock_row,
                                              NULL);

          stmt = sitrep_store_statement (store, sql, error);
          if (stmt == NULL)
            goto fail;
          sitrep_db_bind_int64 (stmt, 1, incident_id);
          rc = sitrep_db_step (stmt);
          sitrep_db_finalize (stmt);
          if (rc != SITREP_DB_ROW && rc != SITREP_DB_DONE)
            {
              sitrep_store_fail (store, rc, _("saving a post-mortem"), error);
              goto fail;
            }
        }
    }
  if (fields != NULL && base != NULL)
    {
      g_autoptr(SitrepPostmortemFields) stored = NULL;

      stored = sitrep_store_load_postmortem (store, incident_id, error);
      if (stored == NULL)
        goto fail;
      merge_fields (base, stored, fields, conflicts);
    }
  if (action_items != NULL && base_items != NULL)
    {
      g_autoptr(GPtrArray) stored = sitrep_store_load_action_items (store, incident_id, error);

      if (stored == NULL)
        goto fail;
      from_yours = g_array_new (FALSE, FALSE, sizeof (int));
      written = merge_items (base_items, stored, action_items, from_yours, conflicts);
    }
  else if (action_items != NULL)
    {
      written = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
      from_yours = g_array_new (FALSE, FALSE, sizeof (int));
      for (guint i = 0; i < action_items->len; i++)
        {
          int index = (int) i;

          g_ptr_array_add (written, sitrep_action_item_copy (action_items->pdata[i]));
          g_array_append_val (from_yours, index);
        }
    }
  if (conflicts->len > 0)
    {
      g_propagate_error (error,
                         sitrep_edit_conflict_error_new (conflicts,
                                                         _("The post-mortem was changed elsewhere "
                                                           "while you edited it: nothing was "
                                                           "saved. For each text changed in both "
                                                           "places, keep theirs or yours, or "
                                                           "merge the two.")));
      goto fail;
    }
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
  if (written != NULL && !save_items (store, incident_id, written, error))
    goto fail;
  /* Another console's editor shows what was saved (kind "postmortem"). */
  if (!sitrep_store_notify_change (store, "incidents", incident_id, incident_id,
                                   SITREP_STORE_CHANGE_POSTMORTEM, error))
    goto fail;
  if (!sitrep_store_exec (store, "COMMIT", _("saving a post-mortem"), error))
    goto fail;
  /* This console's new items learn their ids. */
  for (guint i = 0; written != NULL && i < written->len; i++)
    {
      int index = g_array_index (from_yours, int, i);

      if (index >= 0)
        ((SitrepActionItem *) action_items->pdata[index])->id
          = ((SitrepActionItem *) written->pdata[i])->id;
    }
  if (saved_items != NULL)
    *saved_items = g_steal_pointer (&written);
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
