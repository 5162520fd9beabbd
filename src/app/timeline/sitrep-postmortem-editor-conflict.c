/* sitrep-postmortem-editor-conflict.c: the post-mortem editor when another console saved the
 * same post-mortem meanwhile
 *
 * The editor keeps the fields as it last read or saved them (its base). The store merges a save
 * with what it holds text by text from that base (sitrep_store_save_postmortem()): what only
 * the other console changed is taken in, and what both changed differently is refused with both
 * versions, which the conflict dialog shows. Whatever the person chooses becomes the new base
 * for those texts, and the save is made again. The action items are merged the same way, item
 * by item; a conflict names an item's text, owner or due date as "item:ID:text" (or owner,
 * due).
 *
 * The save runs on the store's writer thread while the person goes on typing: what comes back
 * is shown only where the editor still shows what it sent.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sitrep-conflict-dialog.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-store-conflict.h"

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *const field_names[] = { "summary", "root_cause", "resolution", "lessons" };

/* The buffer that shows @field, or NULL for a section not shown (another runbook's). */
static GtkTextBuffer *
buffer_of (SitrepPostmortemEditor *self,
           const char             *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field, field_names[i]))
      return self->fields[i];
  if (g_str_has_prefix (field, "section:"))
    for (guint i = 0; self->section_ids != NULL && i < self->section_ids->len; i++)
      if (g_str_equal (field + strlen ("section:"), self->section_ids->pdata[i]))
        return self->section_buffers->pdata[i];
  return NULL;
}

static char **
text_of (SitrepPostmortemFields *fields,
         const char             *field)
{
  char **texts[] = { &fields->summary, &fields->root_cause, &fields->resolution,
                     &fields->lessons };

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field, field_names[i]))
      return texts[i];
  return NULL;
}

/* The action item @field is about ("item:ID:text"): its id and which of its texts. */
static gboolean
parse_item_field (const char  *field,
                  gint64      *id,
                  const char **part)
{
  char *end = NULL;

  if (!g_str_has_prefix (field, "item:"))
    return FALSE;
  *id = g_ascii_strtoll (field + strlen ("item:"), &end, 10);
  if (end == NULL || *end != ':' || *id <= 0)
    return FALSE;
  *part = end + 1;
  return g_str_equal (*part, "text") || g_str_equal (*part, "owner") || g_str_equal (*part, "due");
}

static char **
item_text (SitrepActionItem *item,
           const char       *part)
{
  if (g_str_equal (part, "owner"))
    return &item->owner;
  if (g_str_equal (part, "due"))
    return &item->due;
  return &item->text;
}

/* The editor's item with @id, and its position, or NULL. */
static SitrepPostmortemItem *
shown_item (SitrepPostmortemEditor *self,
            gint64                  id,
            guint                  *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items_model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SitrepPostmortemItem) item = g_list_model_get_item (G_LIST_MODEL (self->items_model),
                                                                     i);

      if (sitrep_postmortem_item_get_id (item) == id)
        {
          if (position != NULL)
            *position = i;
          return item; /* the model holds it */
        }
    }
  return NULL;
}

GPtrArray *
_sitrep_postmortem_editor_copy_items (GPtrArray *items)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);

  for (guint i = 0; items != NULL && i < items->len; i++)
    g_ptr_array_add (copy, sitrep_action_item_copy (items->pdata[i]));
  return copy;
}

/* Sets what @field says in @fields (a section by its id), or an action item's text in
 * @self_base_items. */
static void
set_text (SitrepPostmortemFields *fields,
          GPtrArray              *self_base_items,
          const char             *field,
          const char             *text)
{
  char **slot = text_of (fields, field);
  const char *part;
  gint64 id;

  if (parse_item_field (field, &id, &part))
    {
      for (guint i = 0; self_base_items != NULL && i < self_base_items->len; i++)
        {
          SitrepActionItem *item = self_base_items->pdata[i];

          if (item->id == id)
            {
              g_free (*item_text (item, part));
              *item_text (item, part) = g_strdup (text);
            }
        }
      return;
    }
  if (slot != NULL)
    {
      g_free (*slot);
      *slot = g_strdup (text);
    }
  else if (g_str_has_prefix (field, "section:"))
    g_hash_table_insert (fields->sections, g_strdup (field + strlen ("section:")),
                         g_strdup (text));
}

/* Shows @text in @field's box, leaving the box (and its cursor) alone when it says it already. */
static void
show_text (SitrepPostmortemEditor *self,
           const char             *field,
           const char             *text)
{
  GtkTextBuffer *buffer = buffer_of (self, field);
  g_autofree char *shown = NULL;
  gboolean loading = self->loading;
  const char *part;
  gint64 id;

  if (parse_item_field (field, &id, &part))
    {
      SitrepPostmortemItem *item = shown_item (self, id, NULL);

      if (item != NULL)
        g_object_set (item, part, text, NULL);
      return;
    }
  if (buffer == NULL)
    {
      if (self->loaded_sections != NULL && g_str_has_prefix (field, "section:"))
        g_hash_table_insert (self->loaded_sections, g_strdup (field + strlen ("section:")),
                             g_strdup (text));
      return;
    }
  shown = buffer_text (buffer);
  if (g_str_equal (shown, text))
    return;
  self->loading = TRUE;
  gtk_text_buffer_set_text (buffer, text, -1);
  self->loading = loading;
}

/* Whether @field's box still says what @sent said of it (always, without @sent). */
static gboolean
unchanged_since (SitrepPostmortemEditor *self,
                 const char             *field,
                 SitrepPostmortemFields *sent)
{
  GtkTextBuffer *buffer = buffer_of (self, field);
  g_autofree char *shown = NULL;
  char **slot;
  const char *was;

  if (sent == NULL || buffer == NULL)
    return TRUE;
  slot = text_of (sent, field);
  was = slot != NULL ? *slot
                     : g_hash_table_lookup (sent->sections, field + strlen ("section:"));
  shown = buffer_text (buffer);
  return g_strcmp0 (shown, was ? was : "") == 0;
}

/* After a save: @fields is what is stored now, merged with what another console saved; the
 * boxes that still show what was sent (@sent) show it, and it is the base of the next save. */
void
_sitrep_postmortem_editor_take_saved (SitrepPostmortemEditor *self,
                                      SitrepPostmortemFields *fields,
                                      SitrepPostmortemFields *sent)
{
  GHashTableIter iter;
  gpointer id, text;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (unchanged_since (self, field_names[i], sent))
      show_text (self, field_names[i], *text_of (fields, field_names[i]));
  g_hash_table_iter_init (&iter, fields->sections);
  while (g_hash_table_iter_next (&iter, &id, &text))
    {
      g_autofree char *field = g_strconcat ("section:", id, NULL);

      if (unchanged_since (self, field, sent))
        show_text (self, field, text);
    }
  g_clear_pointer (&self->base, sitrep_postmortem_fields_free);
  self->base = sitrep_postmortem_fields_copy (fields);
  _sitrep_postmortem_editor_update_preview (self);
}

/* One property of @item set to what is stored, if the person left it as it was sent. */
static void
take_string (SitrepPostmortemItem *item,
             const char           *property,
             const char           *sent,
             const char           *stored)
{
  g_autofree char *shown = NULL;

  g_object_get (item, property, &shown, NULL);
  if (g_strcmp0 (shown, sent) == 0 && g_strcmp0 (shown, stored) != 0)
    g_object_set (item, property, stored, NULL);
}

/* After a save: @saved is the action items as stored now, merged with another console's. Each
 * item the person left as it was sent (@sent) shows what is stored; items the other console
 * added are shown after this one's, and those it removed (and this one left alone) go. Rows
 * stay where they are. */
void
_sitrep_postmortem_editor_take_saved_items (SitrepPostmortemEditor *self,
                                            GPtrArray              *sent,
                                            GPtrArray              *saved)
{
  g_autoptr(GHashTable) was_sent = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < sent->len; i++)
    g_hash_table_add (was_sent, &((SitrepActionItem *) sent->pdata[i])->id);
  /* The other console's new items; one this editor sent and no longer shows was removed here
   * meanwhile, and stays removed. */
  for (guint i = 0; i < saved->len; i++)
    {
      SitrepActionItem *item = saved->pdata[i];

      if (!g_hash_table_contains (was_sent, &item->id) && shown_item (self, item->id, NULL) == NULL)
        _sitrep_postmortem_editor_add_item (self, item);
    }
  for (guint i = 0; i < sent->len; i++)
    {
      const SitrepActionItem *was = sent->pdata[i];
      const SitrepActionItem *now = NULL;
      SitrepPostmortemItem *shown;
      guint position;
      gboolean done;

      if ((shown = shown_item (self, was->id, &position)) == NULL)
        continue;
      for (guint j = 0; j < saved->len && now == NULL; j++)
        if (((SitrepActionItem *) saved->pdata[j])->id == was->id)
          now = saved->pdata[j];
      if (now == NULL)
        {
          g_autoptr(SitrepActionItem) current = sitrep_postmortem_item_to_action (shown);

          /* Removed elsewhere: gone here too, unless changed here meanwhile (then saved anew). */
          current->id = was->id;
          if (g_strcmp0 (current->text, was->text) == 0
              && g_strcmp0 (current->owner, was->owner) == 0
              && g_strcmp0 (current->due, was->due) == 0 && !current->done == !was->done)
            g_list_store_remove (self->items_model, position);
          else
            sitrep_postmortem_item_set_id (shown, 0);
          continue;
        }
      take_string (shown, "text", was->text, now->text);
      take_string (shown, "owner", was->owner, now->owner);
      take_string (shown, "due", was->due, now->due);
      g_object_get (shown, "done", &done, NULL);
      if (!done == !was->done && !done != !now->done)
        g_object_set (shown, "done", now->done, NULL);
    }
  g_clear_pointer (&self->base_items, g_ptr_array_unref);
  self->base_items = _sitrep_postmortem_editor_copy_items (saved);
  _sitrep_postmortem_editor_update_preview (self);
}

/* Whether the action items shown are those last read or saved, each as it was. */
static gboolean
items_unchanged (SitrepPostmortemEditor *self)
{
  g_autoptr(GPtrArray) shown = _sitrep_postmortem_editor_collect_items (self, NULL);

  if (self->base_items == NULL || shown->len != self->base_items->len)
    return FALSE;
  for (guint i = 0; i < shown->len; i++)
    {
      const SitrepActionItem *now = shown->pdata[i];
      const SitrepActionItem *was = self->base_items->pdata[i];

      if (now->id != was->id || g_strcmp0 (now->text, was->text) != 0
          || g_strcmp0 (now->owner, was->owner) != 0 || g_strcmp0 (now->due, was->due) != 0
          || !now->done != !was->done)
        return FALSE;
    }
  return TRUE;
}

/* Another console saved the post-mortem: @fields and @items are what is stored now. A box the
 * person left as last read or saved shows what is stored, which becomes its base; a box
 * changed here keeps the change and its base, so that saving it meets the other console's
 * change as a conflict. The action items follow likewise when none was changed here; else
 * the next save merges them. */
void
_sitrep_postmortem_editor_take_stored (SitrepPostmortemEditor *self,
                                       SitrepPostmortemFields *fields,
                                       GPtrArray              *items)
{
  g_autoptr(SitrepPostmortemFields) base = sitrep_postmortem_fields_copy (self->base);
  GHashTableIter iter;
  gpointer id, text;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (unchanged_since (self, field_names[i], self->base))
      {
        show_text (self, field_names[i], *text_of (fields, field_names[i]));
        set_text (base, NULL, field_names[i], *text_of (fields, field_names[i]));
      }
  g_hash_table_iter_init (&iter, fields->sections);
  while (g_hash_table_iter_next (&iter, &id, &text))
    {
      g_autofree char *field = g_strconcat ("section:", id, NULL);

      if (unchanged_since (self, field, self->base))
        {
          show_text (self, field, text);
          set_text (base, NULL, field, text);
        }
    }
  g_clear_pointer (&self->base, sitrep_postmortem_fields_free);
  self->base = g_steal_pointer (&base);
  if (items_unchanged (self))
    {
      g_autoptr(GPtrArray) sent = _sitrep_postmortem_editor_copy_items (self->base_items);

      _sitrep_postmortem_editor_take_saved_items (self, sent, items);
    }
  _sitrep_postmortem_editor_update_preview (self);
}

/* "Summary", or the runbook's title of a section. */
static char *
label_of (SitrepPostmortemEditor *self,
          const char             *field)
{
  static const char *const labels[] = { N_("Summary"), N_("Root Cause"), N_("Resolution"),
                                        N_("Lessons Learned") };
  GPtrArray *sections = self->runbook ? sitrep_runbook_get_postmortem_sections (self->runbook)
                                      : NULL;
  const char *part;
  gint64 id;
  guint position = 0;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field, field_names[i]))
      return g_strdup (_(labels[i]));
  if (parse_item_field (field, &id, &part))
    {
      if (shown_item (self, id, &position) == NULL)
        position = 0;
      /* Translators: %u is the action item's place in the list, from 1 */
      if (g_str_equal (part, "owner"))
        return g_strdup_printf (_("Action Item %u: Owner"), position + 1);
      if (g_str_equal (part, "due"))
        return g_strdup_printf (_("Action Item %u: Due"), position + 1);
      return g_strdup_printf (_("Action Item %u"), position + 1);
    }
  for (guint i = 0; sections != NULL && i < sections->len; i++)
    {
      const SitrepPostmortemSection *section = sections->pdata[i];

      if (g_str_equal (field + strlen ("section:"), section->id))
        return g_strdup (section->title);
    }
  return g_strdup (g_str_has_prefix (field, "section:") ? field + strlen ("section:") : field);
}

typedef struct
{
  SitrepPostmortemEditor *self;
  GError *conflict;
} Resolution;

static void
resolution_free (gpointer data)
{
  Resolution *resolution = data;

  g_object_unref (resolution->self);
  g_error_free (resolution->conflict);
  g_free (resolution);
}

static void
resolved_cb (const char        *response,
             const char *const *texts,
             gpointer           user_data)
{
  Resolution *resolution = user_data;
  SitrepPostmortemEditor *self = resolution->self;
  guint n = sitrep_edit_conflict_get_n (resolution->conflict);

  g_clear_weak_pointer (&self->conflict_dialog);
  if (g_str_equal (response, SITREP_CONFLICT_CLOSED) || self->incident == NULL)
    {
      _sitrep_postmortem_editor_toast (self, _("The post-mortem was not saved: your text is "
                                               "still in the editor"));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      const SitrepEditConflict *conflict = sitrep_edit_conflict_get (resolution->conflict, i);

      /* Theirs has been seen: it is what the next save starts from. */
      if (self->base != NULL)
        set_text (self->base, self->base_items, conflict->field, conflict->theirs);
      show_text (self, conflict->field,
                 g_str_equal (response, SITREP_CONFLICT_SAVE_YOURS) ? texts[i] : conflict->theirs);
    }
  sitrep_postmortem_editor_save_async (self, NULL, NULL, NULL);
}

/* Shows both versions of each text @conflict is about and saves what the person chooses. */
void
_sitrep_postmortem_editor_resolve (SitrepPostmortemEditor *self,
                                   const GError           *conflict)
{
  guint n = sitrep_edit_conflict_get_n (conflict);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  Resolution *resolution;

  if (self->conflict_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->conflict_dialog));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = label_of (self, sitrep_edit_conflict_get (conflict, i)->field);

      g_strv_builder_add (builder, label);
    }
  labels = g_strv_builder_end (builder);
  resolution = g_new0 (Resolution, 1);
  resolution->self = g_object_ref (self);
  resolution->conflict = g_error_copy (conflict);
  g_set_weak_pointer (&self->conflict_dialog,
                      GTK_WIDGET (sitrep_conflict_dialog_present (GTK_WIDGET (self), conflict,
                                                                  _("Post-Mortem Changed "
                                                                    "Elsewhere"),
                                                                  (const char *const *) labels,
                                                                  resolved_cb, resolution,
                                                                  resolution_free)));
}
