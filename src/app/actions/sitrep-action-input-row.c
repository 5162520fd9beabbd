/* sitrep-action-input-row.c: an input of an action, its field, and what is wrong with its value
 *
 * What is wrong shows in a row of its own under the input's, so that a long reason wraps across
 * the dialog; the field's accessible description points at it.
 */
#include "config.h"

#include "sitrep-action-input-row.h"

struct _SitrepActionInputRow
{
  AdwActionRow parent_instance;

  const SitrepActionInput *input;
  GtkWidget *field;
  GtkWidget *error_row; /* owned: the list shows it */
  GtkLabel *error_label;

  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (SitrepActionInputRow, sitrep_action_input_row, ADW_TYPE_ACTION_ROW)

static void
sitrep_action_input_row_dispose (GObject *object)
{
  SitrepActionInputRow *self = SITREP_ACTION_INPUT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_ACTION_INPUT_ROW);
  g_clear_object (&self->error_row);

  G_OBJECT_CLASS (sitrep_action_input_row_parent_class)->dispose (object);
}

static void
sitrep_action_input_row_class_init (SitrepActionInputRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_action_input_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-action-input-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepActionInputRow, spinner);
}

static void
sitrep_action_input_row_init (SitrepActionInputRow *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->error_label = GTK_LABEL (label);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_wrap_mode (self->error_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  self->error_row = g_object_ref_sink (gtk_list_box_row_new ());
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->error_row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->error_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self->error_row), FALSE);
  gtk_widget_set_visible (self->error_row, FALSE);
}

GtkWidget *
sitrep_action_input_row_new (const SitrepActionInput *input,
                             GtkWidget               *field)
{
  SitrepActionInputRow *self;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (field), NULL);

  self = g_object_new (SITREP_TYPE_ACTION_INPUT_ROW,
                       "title", input->label ? input->label : input->name,
                       NULL);
  self->input = input;
  self->field = field;
  gtk_widget_set_valign (field, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), field);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
  return GTK_WIDGET (self);
}

const SitrepActionInput *
sitrep_action_input_row_get_input (SitrepActionInputRow *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_INPUT_ROW (self), NULL);
  return self->input;
}

GtkWidget *
sitrep_action_input_row_get_field (SitrepActionInputRow *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_INPUT_ROW (self), NULL);
  return self->field;
}

GtkWidget *
sitrep_action_input_row_get_error_row (SitrepActionInputRow *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_INPUT_ROW (self), NULL);
  return self->error_row;
}

void
sitrep_action_input_row_set_error (SitrepActionInputRow *self,
                                   const char           *message)
{
  g_return_if_fail (SITREP_IS_ACTION_INPUT_ROW (self));

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (self->error_row, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (self->field, "error");
  else
    gtk_widget_remove_css_class (self->field, "error");
}

const char *
sitrep_action_input_row_get_error (SitrepActionInputRow *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_INPUT_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->error_row))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

void
sitrep_action_input_row_set_loading (SitrepActionInputRow *self,
                                     const char           *what)
{
  g_return_if_fail (SITREP_IS_ACTION_INPUT_ROW (self));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), what);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), what != NULL);
  gtk_spinner_set_spinning (self->spinner, what != NULL);
}
