/* sitrep-conflict-dialog.c: asks which of two versions of a text to keep when another console
 * changed it meanwhile, showing both
 *
 * Nothing is lost whatever is chosen: theirs is what the store holds; yours stays editable in
 * the dialog, so the person can merge the two by hand before saving, and a dialog closed
 * without a choice leaves this console's text where it was typed. The dialog's words and
 * responses are its template; a caption and a text view for each version are added for each
 * text in conflict.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-conflict-dialog.h"
#include "sitrep-store-conflict.h"

struct _SitrepConflictDialog
{
  AdwMessageDialog parent_instance;

  SitrepConflictFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
  GPtrArray *yours; /* GtkTextBuffer, one per conflict */

  GtkBox *box;
};

G_DEFINE_FINAL_TYPE (SitrepConflictDialog, sitrep_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
sitrep_conflict_dialog_response (AdwMessageDialog *dialog,
                                 const char       *response)
{
  SitrepConflictDialog *self = SITREP_CONFLICT_DIALOG (dialog);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) texts = NULL;

  for (guint i = 0; i < self->yours->len; i++)
    {
      GtkTextBuffer *buffer = self->yours->pdata[i];
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_strv_builder_add (builder, text);
    }
  texts = g_strv_builder_end (builder);
  if (!g_str_equal (response, SITREP_CONFLICT_KEEP_THEIRS)
      && !g_str_equal (response, SITREP_CONFLICT_SAVE_YOURS))
    response = SITREP_CONFLICT_CLOSED;
  if (self->func != NULL)
    self->func (response, (const char *const *) texts, self->user_data);
}

static void
sitrep_conflict_dialog_dispose (GObject *object)
{
  SitrepConflictDialog *self = SITREP_CONFLICT_DIALOG (object);

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  self->destroy = NULL;
  self->func = NULL;
  self->user_data = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_CONFLICT_DIALOG);

  G_OBJECT_CLASS (sitrep_conflict_dialog_parent_class)->dispose (object);
}

static void
sitrep_conflict_dialog_finalize (GObject *object)
{
  SitrepConflictDialog *self = SITREP_CONFLICT_DIALOG (object);

  g_ptr_array_unref (self->yours);

  G_OBJECT_CLASS (sitrep_conflict_dialog_parent_class)->finalize (object);
}

static void
sitrep_conflict_dialog_class_init (SitrepConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_conflict_dialog_dispose;
  object_class->finalize = sitrep_conflict_dialog_finalize;
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = sitrep_conflict_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepConflictDialog, box);
}

static void
sitrep_conflict_dialog_init (SitrepConflictDialog *self)
{
  self->yours = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
text_view (const char *name,
           const char *text,
           gboolean    editable,
           const char *label)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_widget_set_name (view, name);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 72);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  return scrolled;
}

static GtkWidget *
caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/**
 * sitrep_conflict_dialog_present:
 * @conflict: a %SITREP_EDIT_CONFLICT_ERROR, carrying the texts
 * @labels: (nullable): what each text is ("Summary"), or NULL when there is one (a note)
 * @func: called once, with the response and the texts under "Yours"
 *
 * Shows, for each text changed in both places, theirs (read-only, selectable) and yours
 * (editable, to merge by hand), and asks which to keep. The text views are named "theirs-N"
 * and "yours-N".
 *
 * Returns: (transfer none): the dialog, presented
 */
AdwMessageDialog *
sitrep_conflict_dialog_present (GtkWidget          *parent,
                                const GError       *conflict,
                                const char         *heading,
                                const char *const  *labels,
                                SitrepConflictFunc  func,
                                gpointer            user_data,
                                GDestroyNotify      destroy)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  SitrepConflictDialog *self;
  guint n = sitrep_edit_conflict_get_n (conflict);

  self = g_object_new (SITREP_TYPE_CONFLICT_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "heading", heading,
                       NULL);
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;

  for (guint i = 0; i < n; i++)
    {
      const SitrepEditConflict *text = sitrep_edit_conflict_get (conflict, i);
      g_autofree char *theirs_name = g_strdup_printf ("theirs-%u", i);
      g_autofree char *yours_name = g_strdup_printf ("yours-%u", i);
      const char *label = labels != NULL ? labels[i] : NULL;
      /* Translators: the version of a text another console saved, in a conflict */
      g_autofree char *theirs_label = label ? g_strdup_printf (_("%s: theirs"), label)
                                            : g_strdup (_("Theirs"));
      /* Translators: this console's version of a text, in a conflict */
      g_autofree char *yours_label = label ? g_strdup_printf (_("%s: yours"), label)
                                           : g_strdup (_("Yours"));
      GtkWidget *theirs = text_view (theirs_name, text->theirs, FALSE, theirs_label);
      GtkWidget *yours = text_view (yours_name, text->yours, TRUE, yours_label);

      if (i > 0)
        gtk_widget_set_margin_top (GTK_WIDGET (self->box), 12);
      gtk_box_append (self->box, caption (theirs_label));
      gtk_box_append (self->box, theirs);
      gtk_box_append (self->box, caption (yours_label));
      gtk_box_append (self->box, yours);
      g_ptr_array_add (self->yours,
                       g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                         gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (yours))))));
    }
  gtk_window_present (GTK_WINDOW (self));
  return ADW_MESSAGE_DIALOG (self);
}
