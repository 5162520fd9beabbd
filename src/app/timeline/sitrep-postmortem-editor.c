/* sitrep-postmortem-editor.c: what only a person knows of an incident, beside its Markdown */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-postmortem-editor.h"

static const char *const field_names[] = { "summary", "root-cause", "resolution", "lessons" };

struct _SitrepPostmortemEditor
{
  GtkWidget parent_instance;

  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepIncident *incident;
  GPtrArray *events;
  gboolean utc;
  gboolean loading;
  guint preview_id;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  char *last_toast;

  AdwToastOverlay *toasts;
  GtkStack *stack;
  GtkTextBuffer *fields[G_N_ELEMENTS (field_names)];
  GtkListBox *items;
  GtkSwitch *starred_switch;
  GtkTextBuffer *preview;
};

G_DEFINE_FINAL_TYPE (SitrepPostmortemEditor, sitrep_postmortem_editor, GTK_TYPE_WIDGET)

static void
toast (SitrepPostmortemEditor *self,
       const char             *message)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static SitrepPostmortemFields *
collect_fields (SitrepPostmortemEditor *self)
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
  return fields;
}

static GPtrArray *
collect_items (SitrepPostmortemEditor *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->items)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkEditable *text = g_object_get_data (G_OBJECT (row), "text");
      GtkEditable *owner = g_object_get_data (G_OBJECT (row), "owner");
      GtkEditable *due = g_object_get_data (G_OBJECT (row), "due");
      GtkCheckButton *done = g_object_get_data (G_OBJECT (row), "done");
      SitrepActionItem *item;

      if (text == NULL || *gtk_editable_get_text (text) == '\0')
        continue;
      item = sitrep_action_item_new (gtk_editable_get_text (text), gtk_editable_get_text (owner),
                                     gtk_editable_get_text (due),
                                     gtk_check_button_get_active (done));
      item->id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "id"));
      g_ptr_array_add (items, item);
    }
  return items;
}

static char *
render (SitrepPostmortemEditor *self,
        GError                **error)
{
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (self->incident == NULL || self->runbook == NULL)
    return g_strdup ("");
  fields = collect_fields (self);
  items = collect_items (self);
  return sitrep_postmortem_render (self->incident, self->runbook, self->events, fields, items,
                                   gtk_switch_get_active (self->starred_switch), self->utc, error);
}

static void
update_preview (SitrepPostmortemEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = render (self, &error);

  g_clear_handle_id (&self->preview_id, g_source_remove);
  gtk_text_buffer_set_text (self->preview, markdown ? markdown : error->message, -1);
}

static gboolean
preview_cb (gpointer user_data)
{
  SitrepPostmortemEditor *self = user_data;

  self->preview_id = 0;
  update_preview (self);
  return G_SOURCE_REMOVE;
}

/* Typing re-renders a moment later: a 100,000-event timeline is not rendered per key. */
static void
changed_cb (SitrepPostmortemEditor *self)
{
  if (self->loading)
    return;
  g_clear_handle_id (&self->preview_id, g_source_remove);
  self->preview_id = g_timeout_add (150, preview_cb, self);
}

static void
remove_item_cb (GtkWidget *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, GTK_TYPE_LIST_BOX_ROW);
  GtkWidget *editor = gtk_widget_get_ancestor (row, SITREP_TYPE_POSTMORTEM_EDITOR);
  SitrepPostmortemEditor *self = SITREP_POSTMORTEM_EDITOR (editor);

  gtk_list_box_remove (self->items, row);
  changed_cb (self);
}

static GtkWidget *
item_entry (SitrepPostmortemEditor *self,
            const char             *text,
            const char             *placeholder,
            int                     width)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  if (width > 0)
    gtk_editable_set_width_chars (GTK_EDITABLE (entry), width);
  else
    gtk_widget_set_hexpand (entry, TRUE);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (changed_cb), self);
  return entry;
}

static void
add_item (SitrepPostmortemEditor *self,
          const SitrepActionItem *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *first = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *second = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *done = gtk_check_button_new ();
  GtkWidget *text = item_entry (self, item ? item->text : NULL, _("Action"), 0);
  GtkWidget *owner = item_entry (self, item ? item->owner : NULL, _("Owner"), 10);
  GtkWidget *due = item_entry (self, item ? item->due : NULL, _("Due (2026-12-05, next sprint)"),
                               10);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (done), item && item->done);
  gtk_widget_set_tooltip_text (done, _("Done"));
  g_signal_connect_swapped (done, "toggled", G_CALLBACK (changed_cb), self);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Action Item"));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_item_cb), NULL);
  gtk_widget_set_hexpand (owner, TRUE);
  gtk_widget_set_hexpand (due, TRUE);
  /* The owner and due date line up under the action's text, after the check box. */
  gtk_widget_set_margin_start (second, 30);
  gtk_widget_set_margin_end (second, 40);
  gtk_box_append (GTK_BOX (first), done);
  gtk_box_append (GTK_BOX (first), text);
  gtk_box_append (GTK_BOX (first), remove);
  gtk_box_append (GTK_BOX (second), owner);
  gtk_box_append (GTK_BOX (second), due);
  gtk_box_append (GTK_BOX (box), first);
  gtk_box_append (GTK_BOX (box), second);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "text", text);
  g_object_set_data (G_OBJECT (row), "owner", owner);
  g_object_set_data (G_OBJECT (row), "due", due);
  g_object_set_data (G_OBJECT (row), "done", done);
  g_object_set_data (G_OBJECT (row), "id", GSIZE_TO_POINTER (item ? item->id : 0));
  gtk_list_box_append (self->items, row);
  changed_cb (self);
}

static void
add_item_clicked_cb (SitrepPostmortemEditor *self)
{
  GtkWidget *row;

  add_item (self, NULL);
  row = gtk_widget_get_last_child (GTK_WIDGET (self->items));
  gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "text"));
}

/* Loads what was saved for the incident, and its timeline once. */
static gboolean
load (SitrepPostmortemEditor *self,
      gint64                  incident_id,
      GError                **error)
{
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) events = NULL;
  GtkWidget *child;

  if ((incident = sitrep_store_load_incident (self->store, incident_id, error)) == NULL
      || (fields = sitrep_store_load_postmortem (self->store, incident_id, error)) == NULL
      || (items = sitrep_store_load_action_items (self->store, incident_id, error)) == NULL
      || (events = sitrep_store_list_events (self->store, incident_id,
                                             SITREP_TIMELINE_LIST_DEFAULT, NULL, error)) == NULL)
    return FALSE;

  self->loading = TRUE;
  g_set_object (&self->incident, incident);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  self->events = g_steal_pointer (&events);
  gtk_text_buffer_set_text (self->fields[0], fields->summary, -1);
  gtk_text_buffer_set_text (self->fields[1], fields->root_cause, -1);
  gtk_text_buffer_set_text (self->fields[2], fields->resolution, -1);
  gtk_text_buffer_set_text (self->fields[3], fields->lessons, -1);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items))) != NULL)
    gtk_list_box_remove (self->items, child);
  for (guint i = 0; i < items->len; i++)
    add_item (self, items->pdata[i]);
  self->loading = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "editor");
  update_preview (self);
  return TRUE;
}

gboolean
sitrep_postmortem_editor_set_incident (SitrepPostmortemEditor *self,
                                       gint64                  incident_id,
                                       GError                **error)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (incident_id <= 0)
    {
      g_clear_object (&self->incident);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return TRUE;
    }
  return load (self, incident_id, error);
}

gboolean
sitrep_postmortem_editor_save (SitrepPostmortemEditor *self,
                               GError                **error)
{
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), FALSE);

  if (self->incident == NULL)
    return FALSE;
  fields = collect_fields (self);
  items = collect_items (self);
  if (!sitrep_store_save_postmortem (self->store, sitrep_incident_get_id (self->incident), fields,
                                     items, &local_error))
    {
      toast (self, local_error->message);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  toast (self, _("Post-mortem saved"));
  /* The saved items now have ids: take them from the store. */
  return load (self, sitrep_incident_get_id (self->incident), error);
}

static void
save_clicked_cb (SitrepPostmortemEditor *self)
{
  sitrep_postmortem_editor_save (self, NULL);
}

static void
copy_clicked_cb (SitrepPostmortemEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = render (self, &error);

  if (markdown == NULL)
    {
      toast (self, error->message);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), markdown);
  toast (self, _("Markdown copied"));
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SitrepPostmortemEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      name = g_file_get_parse_name (G_FILE (source));
      message = g_strdup_printf (_("Cannot write %s: %s"), name, error->message);
      toast (self, message);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  message = g_strdup_printf (_("Exported to %s"), name);
  toast (self, message);
}

static void
chooser_response_cb (GtkNativeDialog        *chooser,
                     int                     response,
                     SitrepPostmortemEditor *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  if ((markdown = render (self, &error)) == NULL)
    {
      toast (self, error->message);
      return;
    }
  bytes = g_bytes_new_take (markdown, strlen (markdown));
  g_steal_pointer (&markdown);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, written_cb, g_object_ref (self));
}

static void
export_clicked_cb (SitrepPostmortemEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;

  if (self->incident == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Post-Mortem"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  /* Translators: the file name a post-mortem is exported to, before "-<incident>.md" */
  name = g_strdup_printf ("%s-%" G_GINT64_FORMAT ".md", _("postmortem"),
                          sitrep_incident_get_id (self->incident));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
sitrep_postmortem_editor_dispose (GObject *object)
{
  SitrepPostmortemEditor *self = SITREP_POSTMORTEM_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer ((GtkWidget **) &self->toasts, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_object (&self->runbook);
  g_clear_object (&self->incident);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->events, g_ptr_array_unref);

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
sitrep_postmortem_editor_class_init (SitrepPostmortemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_postmortem_editor_dispose;
  object_class->finalize = sitrep_postmortem_editor_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sitrep-postmortem-editor");
}

static GtkWidget *
field_view (SitrepPostmortemEditor *self,
            guint                   index,
            const char             *title,
            const char             *description)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  self->fields[index] = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_signal_connect_swapped (self->fields[index], "changed", G_CALLBACK (changed_cb), self);
  return group;
}

static GtkWidget *
build_form (SitrepPostmortemEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *items_group = adw_preferences_group_new ();
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *timeline_group = adw_preferences_group_new ();
  GtkWidget *starred_row = adw_action_row_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_box_append (GTK_BOX (box), field_view (self, 0, _("Summary"),
                                             _("What happened, for someone who was not there")));
  gtk_box_append (GTK_BOX (box), field_view (self, 1, _("Root Cause"), NULL));
  gtk_box_append (GTK_BOX (box), field_view (self, 2, _("Resolution"), NULL));
  gtk_box_append (GTK_BOX (box), field_view (self, 3, _("Lessons Learned"), _("One per line")));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (items_group), _("Action Items"));
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_tooltip_text (add, _("Add Action Item"));
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (add_item_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (items_group), add);
  self->items = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->items, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->items), "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (items_group), GTK_WIDGET (self->items));
  gtk_box_append (GTK_BOX (box), items_group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (timeline_group), _("Timeline"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (starred_row), _("Starred Events Only"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (starred_row),
                               _("Star the key events on the Timeline page"));
  self->starred_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->starred_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (starred_row), GTK_WIDGET (self->starred_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (starred_row),
                                         GTK_WIDGET (self->starred_switch));
  g_signal_connect_swapped (self->starred_switch, "notify::active", G_CALLBACK (update_preview),
                            self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (timeline_group), starred_row);
  gtk_box_append (GTK_BOX (box), timeline_group);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scrolled, 360, -1);
  return scrolled;
}

static GtkWidget *
build_preview (SitrepPostmortemEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Markdown Preview"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Markdown"));
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export…"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect_swapped (copy, "clicked", G_CALLBACK (copy_clicked_cb), self);
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked_cb), self);
  gtk_box_append (GTK_BOX (bar), title);
  gtk_box_append (GTK_BOX (bar), copy);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_box_append (GTK_BOX (bar), save);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);

  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Markdown Preview"), -1);
  self->preview = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);

  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_widget_set_size_request (box, 320, -1);
  return box;
}

static void
sitrep_postmortem_editor_init (SitrepPostmortemEditor *self)
{
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *empty = adw_status_page_new ();

  self->cancellable = g_cancellable_new ();
  gtk_paned_set_start_child (GTK_PANED (paned), build_form (self));
  gtk_paned_set_end_child (GTK_PANED (paned), build_preview (self));
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "document-edit-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Incident"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Pick an incident to write its post-mortem."));
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_stack_add_named (self->stack, paned, "editor");
  gtk_stack_set_visible_child_name (self->stack, "empty");

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->stack));
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
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
  g_set_object (&self->store, store);
}

void
sitrep_postmortem_editor_set_runbook (SitrepPostmortemEditor *self,
                                      SitrepRunbook          *runbook)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  if (g_set_object (&self->runbook, runbook))
    update_preview (self);
}

void
sitrep_postmortem_editor_set_utc (SitrepPostmortemEditor *self,
                                  gboolean                utc)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  if (self->utc == !!utc)
    return;
  self->utc = !!utc;
  update_preview (self);
}

static GtkTextBuffer *
field_buffer (SitrepPostmortemEditor *self,
              const char             *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (name, field_names[i]))
      return self->fields[i];
  g_return_val_if_reached (NULL);
}

void
sitrep_postmortem_editor_set_field (SitrepPostmortemEditor *self,
                                    const char             *name,
                                    const char             *text)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  gtk_text_buffer_set_text (field_buffer (self, name), text, -1);
}

char *
sitrep_postmortem_editor_get_field (SitrepPostmortemEditor *self,
                                    const char             *name)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  return buffer_text (field_buffer (self, name));
}

void
sitrep_postmortem_editor_add_action_item (SitrepPostmortemEditor *self,
                                          const char             *text,
                                          const char             *owner,
                                          const char             *due,
                                          gboolean                done)
{
  g_autoptr(SitrepActionItem) item = sitrep_action_item_new (text, owner, due, done);

  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  add_item (self, item);
}

guint
sitrep_postmortem_editor_get_n_action_items (SitrepPostmortemEditor *self)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), 0);
  items = collect_items (self);
  return items->len;
}

void
sitrep_postmortem_editor_set_starred_only (SitrepPostmortemEditor *self,
                                           gboolean                starred_only)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  gtk_switch_set_active (self->starred_switch, starred_only);
}

/* The preview as shown, brought up to date first. */
char *
sitrep_postmortem_editor_get_preview (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  update_preview (self);
  return buffer_text (self->preview);
}

const char *
sitrep_postmortem_editor_get_last_toast (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  return self->last_toast;
}
