/* sitrep-postmortem-editor.c: what only a person knows of an incident, beside its Markdown
 *
 * The action items are a list of SitrepPostmortemItem, each shown by a row bound to it. Saving
 * gives new items their ids in place: the rows stay, and with them the focus and a screen
 * reader's place, which replaced rows would pull from under it. Saving is
 * sitrep-postmortem-editor-save.c, copying and exporting the Markdown
 * sitrep-postmortem-editor-export.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-item-row.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-reader.h"

G_DEFINE_FINAL_TYPE (SitrepPostmortemEditor, sitrep_postmortem_editor, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_RUNBOOK,
  PROP_INCIDENT_ID,
  PROP_UTC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (SitrepPostmortemEditor *self,
       const char             *message)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

void
_sitrep_postmortem_editor_toast (SitrepPostmortemEditor *self,
                                 const char             *message)
{
  toast (self, message);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

SitrepPostmortemFields *
_sitrep_postmortem_editor_collect_fields (SitrepPostmortemEditor *self)
{
  SitrepPostmortemFields *fields = sitrep_postmortem_fields_new ();

  g_free (fields->summary);
  fields->summary = buffer_text (self->fields[0]);
  g_free (fields->root_cause);
  fields->root_cause = buffer_text (self->fields[1]);
  g_free (fields->resolution);
  fields->resolution = buffer_text (self->fields[2]);
  g_free (fields->lessons);
  fields->lessons = buffer_text (self->fields[3]);
  /* What was loaded for sections not shown (another runbook's) stays as it was. */
  if (self->loaded_sections != NULL)
    {
      GHashTableIter iter;
      gpointer id, text;

      g_hash_table_iter_init (&iter, self->loaded_sections);
      while (g_hash_table_iter_next (&iter, &id, &text))
        g_hash_table_insert (fields->sections, g_strdup (id), g_strdup (text));
    }
  for (guint i = 0; self->section_ids != NULL && i < self->section_ids->len; i++)
    g_hash_table_insert (fields->sections, g_strdup (self->section_ids->pdata[i]),
                         buffer_text (self->section_buffers->pdata[i]));
  return fields;
}

/* What the list holds, in its order, as the store takes it; an item without text is not one
 * yet. With @shown, the list's items that went in, in the same order. */
GPtrArray *
_sitrep_postmortem_editor_collect_items (SitrepPostmortemEditor  *self,
                                         GPtrArray              **shown)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items_model));

  if (shown != NULL)
    *shown = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SitrepPostmortemItem) item = g_list_model_get_item (G_LIST_MODEL (self->items_model),
                                                                     i);

      if (*sitrep_postmortem_item_get_text (item) == '\0')
        continue;
      g_ptr_array_add (items, sitrep_postmortem_item_to_action (item));
      if (shown != NULL)
        g_ptr_array_add (*shown, g_steal_pointer (&item));
    }
  return items;
}

char *
_sitrep_postmortem_editor_render (SitrepPostmortemEditor *self,
                                  GError                **error)
{
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (self->incident == NULL || self->runbook == NULL)
    return g_strdup ("");
  fields = _sitrep_postmortem_editor_collect_fields (self);
  items = _sitrep_postmortem_editor_collect_items (self, NULL);
  return sitrep_postmortem_render (self->incident, self->runbook, self->events, fields, items,
                                   gtk_switch_get_active (self->starred_switch), self->utc, error);
}

void
_sitrep_postmortem_editor_update_preview (SitrepPostmortemEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = _sitrep_postmortem_editor_render (self, &error);

  g_clear_handle_id (&self->preview_id, g_source_remove);
  gtk_text_buffer_set_text (self->preview, markdown ? markdown : error->message, -1);
}

static gboolean
preview_cb (gpointer user_data)
{
  SitrepPostmortemEditor *self = user_data;

  self->preview_id = 0;
  _sitrep_postmortem_editor_update_preview (self);
  return G_SOURCE_REMOVE;
}

/* Typing re-renders a moment later: a 100,000-event timeline is not rendered per key. */
static void
changed_cb (SitrepPostmortemEditor *self)
{
  if (self->loading)
    return;
  self->unfilled_warned = FALSE;
  g_clear_handle_id (&self->preview_id, g_source_remove);
  self->preview_id = g_timeout_add (150, preview_cb, self);
}

static void
remove_item_cb (SitrepPostmortemEditor *self,
                SitrepActionItemRow    *row)
{
  guint position;

  if (g_list_store_find (self->items_model, sitrep_action_item_row_get_item (row), &position))
    g_list_store_remove (self->items_model, position);
  changed_cb (self);
}

static GtkWidget *
create_item_row_cb (gpointer item,
                    gpointer user_data)
{
  SitrepPostmortemEditor *self = user_data;
  GtkWidget *row = sitrep_action_item_row_new (item);

  g_signal_connect_object (row, "remove", G_CALLBACK (remove_item_cb), self, G_CONNECT_SWAPPED);
  return row;
}

/* Every change of an item (typed, ticked) re-renders the preview a moment later. */
SitrepPostmortemItem *
_sitrep_postmortem_editor_add_item (SitrepPostmortemEditor *self,
                                    const SitrepActionItem *action)
{
  g_autoptr(SitrepPostmortemItem) item = sitrep_postmortem_item_new (action);

  g_signal_connect_object (item, "notify", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  g_list_store_append (self->items_model, item);
  changed_cb (self);
  return item;
}

static void
add_item_clicked_cb (SitrepPostmortemEditor *self)
{
  SitrepPostmortemItem *item = _sitrep_postmortem_editor_add_item (self, NULL);
  guint position;

  if (g_list_store_find (self->items_model, item, &position))
    sitrep_action_item_row_focus_text (SITREP_ACTION_ITEM_ROW (
      gtk_list_box_get_row_at_index (self->items, position)));
}

/* Shows what was saved for the incident, and its timeline once. */
static void
show_read (SitrepPostmortemEditor *self,
           SitrepPostmortemRead   *read)
{
  SitrepPostmortemFields *fields = read->fields;

  self->loading = TRUE;
  g_set_object (&self->incident, read->incident);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  self->events = g_steal_pointer (&read->events);
  gtk_text_buffer_set_text (self->fields[0], fields->summary, -1);
  gtk_text_buffer_set_text (self->fields[1], fields->root_cause, -1);
  gtk_text_buffer_set_text (self->fields[2], fields->resolution, -1);
  gtk_text_buffer_set_text (self->fields[3], fields->lessons, -1);
  g_clear_pointer (&self->loaded_sections, g_hash_table_unref);
  self->loaded_sections = g_hash_table_ref (fields->sections);
  g_clear_pointer (&self->base, sitrep_postmortem_fields_free);
  self->base = sitrep_postmortem_fields_copy (fields);
  for (guint i = 0; self->section_ids != NULL && i < self->section_ids->len; i++)
    {
      const char *text = g_hash_table_lookup (fields->sections, self->section_ids->pdata[i]);

      gtk_text_buffer_set_text (self->section_buffers->pdata[i], text ? text : "", -1);
    }
  g_list_store_remove_all (self->items_model);
  for (guint i = 0; i < read->items->len; i++)
    _sitrep_postmortem_editor_add_item (self, read->items->pdata[i]);
  g_clear_pointer (&self->base_items, g_ptr_array_unref);
  self->base_items = g_steal_pointer (&read->items);
  self->loading = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "editor");
  _sitrep_postmortem_editor_update_preview (self);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SitrepPostmortemEditor *self = user_data; /* unless the read was cancelled */
  g_autoptr(SitrepPostmortemRead) read = NULL;
  g_autoptr(GError) error = NULL;

  read = sitrep_store_read_postmortem_finish (SITREP_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->load_cancellable);
  if (read != NULL)
    {
      show_read (self, read);
      /* The read may have come before that save. */
      if (self->refresh_pending)
        sitrep_postmortem_editor_refresh (self);
      if (self->export_when_read)
        _sitrep_postmortem_editor_export (self);
      self->export_when_read = FALSE;
      return;
    }
  self->export_when_read = FALSE;
  adw_status_page_set_title (self->loading_page, _("Cannot Read the Post-Mortem"));
  adw_status_page_set_description (self->loading_page, error->message);
  _sitrep_postmortem_editor_toast (self, error->message);
}

/* The incident shown, or being read; 0 for none. */
gint64
sitrep_postmortem_editor_get_incident_id (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), 0);
  return self->incident_id;
}

/**
 * sitrep_postmortem_editor_set_incident:
 *
 * Shows @incident_id's post-mortem once the store has read it, on its reader thread for a team
 * database (the editor says it is waiting until then, and why it could not read it if so).
 */
void
sitrep_postmortem_editor_set_incident (SitrepPostmortemEditor *self,
                                       gint64                  incident_id)
{
  gint64 shown = MAX (incident_id, 0);

  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  /* Set with the others (g_object_new), the store comes first. */
  g_return_if_fail (incident_id <= 0 || self->store != NULL);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_pending = FALSE;
  self->export_when_read = FALSE;
  /* A save coming back meanwhile is not this incident's to show. */
  g_clear_object (&self->incident);
  if (self->incident_id != shown)
    {
      self->incident_id = shown;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT_ID]);
    }
  if (incident_id <= 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  adw_status_page_set_title (self->loading_page, _("Reading the Post-Mortem"));
  adw_status_page_set_description (self->loading_page,
                                   _("Waiting for the database to answer."));
  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->load_cancellable = g_cancellable_new ();
  sitrep_store_read_postmortem_async (self->store, incident_id, self->load_cancellable, read_cb,
                                      self);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SitrepPostmortemEditor *self = user_data; /* unless the read was cancelled */
  g_autoptr(SitrepPostmortemRead) read = NULL;
  g_autoptr(GError) error = NULL;

  read = sitrep_store_read_postmortem_finish (SITREP_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->refresh_cancellable);
  if (read == NULL)
    {
      g_autofree char *why = g_strdup_printf (
        /* Translators: %s says why the read failed */
        _("Cannot show what another console saved to this post-mortem (%s). Your text stays "
          "here, and saving merges it with theirs."),
        error->message);

      _sitrep_postmortem_editor_toast (self, why);
      return;
    }
  /* A save began meanwhile (it cancels this read): a read after it will show what is stored. */
  if (self->incident == NULL || self->saving)
    return;
  g_set_object (&self->incident, read->incident);
  _sitrep_postmortem_editor_take_stored (self, read->fields, read->items);
}

/**
 * sitrep_postmortem_editor_refresh:
 *
 * The post-mortem shown was saved elsewhere (another console on a team database): reads it
 * again and shows what the person has not changed here. What they changed stays, and is
 * merged with the other console's when saved. While the post-mortem is first read or saved,
 * it is read again once that is done.
 */
void
sitrep_postmortem_editor_refresh (SitrepPostmortemEditor *self)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));

  /* Read again once the first read or this console's save is done. */
  self->refresh_pending = self->load_cancellable != NULL || self->saving;
  /* Not read (yet, or it failed): there is nothing shown to bring up to date. */
  if (self->store == NULL || self->incident == NULL || self->refresh_pending)
    return;
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();
  /* The texts and items only: the timeline shown is the one read when the editor opened. */
  sitrep_store_read_postmortem_texts_async (self->store, self->incident_id,
                                            self->refresh_cancellable, refreshed_cb, self);
}

static void
save_clicked_cb (SitrepPostmortemEditor *self)
{
  sitrep_postmortem_editor_save_async (self, NULL, NULL, NULL);
}

static void
export_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _sitrep_postmortem_editor_export (SITREP_POSTMORTEM_EDITOR (widget));
}

static void
sitrep_postmortem_editor_dispose (GObject *object)
{
  SitrepPostmortemEditor *self = SITREP_POSTMORTEM_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_POSTMORTEM_EDITOR);
  g_clear_object (&self->items_model);
  g_clear_object (&self->store);
  g_clear_object (&self->runbook);
  g_clear_object (&self->incident);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->section_ids, g_ptr_array_unref);
  g_clear_pointer (&self->section_buffers, g_ptr_array_unref);
  g_clear_pointer (&self->loaded_sections, g_hash_table_unref);
  g_clear_pointer (&self->base, sitrep_postmortem_fields_free);
  g_clear_pointer (&self->base_items, g_ptr_array_unref);
  g_clear_pointer (&self->queued_saves, g_ptr_array_unref);
  if (self->conflict_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->conflict_dialog));
  g_clear_weak_pointer (&self->conflict_dialog);

  G_OBJECT_CLASS (sitrep_postmortem_editor_parent_class)->dispose (object);
}

static void
sitrep_postmortem_editor_finalize (GObject *object)
{
  SitrepPostmortemEditor *self = SITREP_POSTMORTEM_EDITOR (object);

  g_free (self->last_toast);

  G_OBJECT_CLASS (sitrep_postmortem_editor_parent_class)->finalize (object);
}

static void
sitrep_postmortem_editor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SitrepPostmortemEditor *self = SITREP_POSTMORTEM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RUNBOOK:
      g_value_set_object (value, self->runbook);
      break;
    case PROP_INCIDENT_ID:
      g_value_set_int64 (value, self->incident_id);
      break;
    case PROP_UTC:
      g_value_set_boolean (value, self->utc);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_postmortem_editor_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SitrepPostmortemEditor *self = SITREP_POSTMORTEM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      sitrep_postmortem_editor_set_store (self, g_value_get_object (value));
      break;
    case PROP_RUNBOOK:
      sitrep_postmortem_editor_set_runbook (self, g_value_get_object (value));
      break;
    case PROP_INCIDENT_ID:
      sitrep_postmortem_editor_set_incident (self, g_value_get_int64 (value));
      break;
    case PROP_UTC:
      sitrep_postmortem_editor_set_utc (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_postmortem_editor_class_init (SitrepPostmortemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sitrep_postmortem_editor_dispose;
  object_class->finalize = sitrep_postmortem_editor_finalize;
  object_class->get_property = sitrep_postmortem_editor_get_property;
  object_class->set_property = sitrep_postmortem_editor_set_property;

  /* Where the post-mortem is read and saved; set before the incident. */
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, SITREP_TYPE_STORE, flags);
  /* The runbook the incident was declared under: its template and sections. */
  properties[PROP_RUNBOOK] = g_param_spec_object ("runbook", NULL, NULL, SITREP_TYPE_RUNBOOK,
                                                  flags);
  /* The incident shown, or being read; 0 for none. One declared while the team database was
   * away (below zero) has no post-mortem there yet: shown as none. */
  properties[PROP_INCIDENT_ID] = g_param_spec_int64 ("incident-id", NULL, NULL, G_MININT64,
                                                     G_MAXINT64, 0, flags);
  properties[PROP_UTC] = g_param_spec_boolean ("utc", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sitrep-postmortem-editor");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-postmortem-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, toasts);
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, stack);
  gtk_widget_class_bind_template_child_full (widget_class, "summary_buffer", FALSE,
                                             G_STRUCT_OFFSET (SitrepPostmortemEditor, fields[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "root_cause_buffer", FALSE,
                                             G_STRUCT_OFFSET (SitrepPostmortemEditor, fields[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "resolution_buffer", FALSE,
                                             G_STRUCT_OFFSET (SitrepPostmortemEditor, fields[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "lessons_buffer", FALSE,
                                             G_STRUCT_OFFSET (SitrepPostmortemEditor, fields[3]));
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, items);
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, sections_box);
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, starred_switch);
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepPostmortemEditor, preview);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_preview",
                                                G_CALLBACK (_sitrep_postmortem_editor_update_preview));
  gtk_widget_class_bind_template_callback (widget_class, add_item_clicked_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "copy_clicked_cb",
                                                G_CALLBACK (_sitrep_postmortem_editor_copy));
  gtk_widget_class_bind_template_callback_full (widget_class, "export_clicked_cb",
                                                G_CALLBACK (_sitrep_postmortem_editor_export));
  gtk_widget_class_install_action (widget_class, "postmortem.export", NULL, export_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "postmortem.export", NULL);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
sitrep_postmortem_editor_init (SitrepPostmortemEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->items_model = g_list_store_new (SITREP_TYPE_POSTMORTEM_ITEM);
  self->queued_saves = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->items, G_LIST_MODEL (self->items_model), create_item_row_cb,
                           self, NULL);
}

GtkWidget *
sitrep_postmortem_editor_new (void)
{
  return g_object_new (SITREP_TYPE_POSTMORTEM_EDITOR, NULL);
}

void
sitrep_postmortem_editor_set_store (SitrepPostmortemEditor *self,
                                    SitrepStore            *store)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

SitrepStore *
sitrep_postmortem_editor_get_store (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  return self->store;
}

/* A heading, the prompt under it and a text box for each of the runbook's own sections. What
 * was typed in a section the new runbook also has moves with it. */
static void
build_sections (SitrepPostmortemEditor *self)
{
  GPtrArray *sections = self->runbook ? sitrep_runbook_get_postmortem_sections (self->runbook) : NULL;
  g_autoptr(GHashTable) typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GtkWidget *child;
  gboolean loading = self->loading;

  for (guint i = 0; self->section_ids != NULL && i < self->section_ids->len; i++)
    g_hash_table_insert (typed, g_strdup (self->section_ids->pdata[i]),
                         buffer_text (self->section_buffers->pdata[i]));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);
  g_clear_pointer (&self->section_ids, g_ptr_array_unref);
  g_clear_pointer (&self->section_buffers, g_ptr_array_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->sections_box), sections != NULL);
  if (sections == NULL)
    return;

  self->loading = TRUE;
  self->section_ids = g_ptr_array_new_with_free_func (g_free);
  self->section_buffers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sections->len; i++)
    {
      const SitrepPostmortemSection *section = sections->pdata[i];
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *frame = gtk_frame_new (NULL);
      GtkTextBuffer *buffer = gtk_text_buffer_new (NULL);
      GtkWidget *view = gtk_text_view_new_with_buffer (buffer);
      const char *text = g_hash_table_lookup (typed, section->id);

      if (text == NULL && self->loaded_sections != NULL)
        text = g_hash_table_lookup (self->loaded_sections, section->id);
      gtk_text_buffer_set_text (buffer, text ? text : "", -1);
      g_signal_connect_object (buffer, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), section->title);
      if (section->prompt != NULL)
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), section->prompt);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
      gtk_widget_set_size_request (view, -1, 72);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      section->title, -1);
      gtk_frame_set_child (GTK_FRAME (frame), view);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
      gtk_box_append (self->sections_box, group);
      g_ptr_array_add (self->section_ids, g_strdup (section->id));
      g_ptr_array_add (self->section_buffers, buffer);
    }
  self->loading = loading;
}

void
sitrep_postmortem_editor_set_runbook (SitrepPostmortemEditor *self,
                                      SitrepRunbook          *runbook)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  if (g_set_object (&self->runbook, runbook))
    {
      build_sections (self);
      _sitrep_postmortem_editor_update_preview (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNBOOK]);
    }
}

SitrepRunbook *
sitrep_postmortem_editor_get_runbook (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  return self->runbook;
}

void
sitrep_postmortem_editor_set_utc (SitrepPostmortemEditor *self,
                                  gboolean                utc)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  if (self->utc == !!utc)
    return;
  self->utc = !!utc;
  _sitrep_postmortem_editor_update_preview (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTC]);
}

gboolean
sitrep_postmortem_editor_get_utc (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), FALSE);
  return self->utc;
}
