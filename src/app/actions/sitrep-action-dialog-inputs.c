/* sitrep-action-dialog-inputs.c: a row for each input of an action, of every kind there is
 *
 * An integer with a default is a spin button; without one, an empty entry for digits, so that
 * no value is taken for granted. A string is an entry, masked when the input is secret. A choice
 * is a drop-down, filled from the runbook or from its choices_from command: kubectl's rollout
 * history becomes revisions with their change cause and image, any other command one choice per
 * line. Under each row, a label says what is wrong with its value, in the core's words.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-dialog-private.h"
#include "sitrep-action-history.h"
#include "sitrep-action-input-row.h"

static void
changed_cb (SitrepActionDialog *self)
{
  sitrep_action_dialog_rebuild (self);
}

/* A choice's label: ellipsized on the button, where a long image name must not squeeze the
 * row's title, and whole in the popup list. */
static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
    }
  gtk_list_item_set_child (item, label);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item),
                               GPOINTER_TO_INT (ellipsize)
                                 ? gtk_string_object_get_string (string) : NULL);
}

static GtkListItemFactory *
choice_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), GINT_TO_POINTER (ellipsize));
  return factory;
}

/* Loading a drop-down's choices from a command. */
typedef struct
{
  SitrepActionDialog *self;
  const SitrepActionInput *input;
} ChoiceLoad;

static void
choice_load_free (ChoiceLoad *load)
{
  g_object_unref (load->self);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChoiceLoad, choice_load_free)

/* Stops the spinner; returns the drop-down, or NULL when the dialog no longer waits for it. */
static GtkWidget *
choices_arrived (ChoiceLoad   *load,
                 const GError *error)
{
  SitrepActionDialog *self = load->self;
  SitrepActionInputRow *row;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  self->n_loading--;
  g_hash_table_remove (self->loading, load->input->name);
  row = g_hash_table_lookup (self->rows, load->input->name);
  sitrep_action_input_row_set_loading (row, NULL);
  return sitrep_action_input_row_get_field (row);
}

static void
revisions_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ChoiceLoad) load = user_data;
  SitrepActionDialog *self = load->self;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  GtkStringList *labels;
  GtkWidget *drop_down;

  revisions = sitrep_action_list_revisions_finish (result, &error);
  drop_down = choices_arrived (load, error);
  if (drop_down == NULL)
    return;
  if (revisions == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The revisions could not be listed: %s"),
                                                  error->message);
      sitrep_action_dialog_rebuild (self);
      sitrep_action_dialog_set_input_error (self, load->input, message);
      return;
    }

  labels = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down)));
  /* Newest first: the one to go back to is usually near the top. */
  for (guint i = revisions->len; i > 0; i--)
    {
      SitrepRevision *revision = revisions->pdata[i - 1];
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, revision->revision);
      g_autofree char *label = NULL;

      if (revision->change_cause != NULL)
        /* Translators: "Revision 3 — deploy v1.4.2 — registry/carecircle-api:1.4.2" */
        label = g_strdup_printf (_("Revision %s — %s — %s"), number, revision->change_cause,
                                 revision->image ? revision->image : _("image unknown"));
      else
        /* Translators: "Revision 3 — registry/carecircle-api:1.4.2", without a change cause */
        label = g_strdup_printf (_("Revision %s — %s"), number,
                                 revision->image ? revision->image : _("image unknown"));
      g_strv_builder_add (values, number);
      gtk_string_list_append (labels, label);
    }
  g_hash_table_insert (self->choice_values, load->input->name, g_strv_builder_end (values));
  gtk_widget_set_sensitive (drop_down, revisions->len > 0);
  /* The current revision is the newest; preselect the one before it. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), revisions->len > 1 ? 1 : 0);
  sitrep_action_dialog_rebuild (self);
}

static void
lines_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ChoiceLoad) load = user_data;
  SitrepActionDialog *self = load->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) choices = sitrep_action_list_choices_finish (result, &error);
  GtkWidget *drop_down = choices_arrived (load, error);
  GtkStringList *labels;

  if (drop_down == NULL)
    return;
  if (choices == NULL || choices[0] == NULL)
    {
      g_autofree char *message = NULL;

      if (choices == NULL)
        message = g_strdup_printf (_("The choices could not be listed: %s"), error->message);
      else
        message = g_strdup (_("The command that lists the choices printed none"));
      sitrep_action_dialog_rebuild (self);
      sitrep_action_dialog_set_input_error (self, load->input, message);
      return;
    }
  labels = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down)));
  for (guint i = 0; choices[i] != NULL; i++)
    gtk_string_list_append (labels, choices[i]);
  g_hash_table_insert (self->choice_values, load->input->name, g_steal_pointer (&choices));
  gtk_widget_set_sensitive (drop_down, TRUE);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 0);
  sitrep_action_dialog_rebuild (self);
}

static void
load_choices (SitrepActionDialog      *self,
              SitrepActionInputRow    *row)
{
  const SitrepActionInput *input = sitrep_action_input_row_get_input (row);
  SitrepRunbook *runbook = sitrep_action_controller_get_runbook (self->controller);
  const char *kubectl = sitrep_action_controller_get_kubectl (self->controller);
  ChoiceLoad *load = g_new0 (ChoiceLoad, 1);

  load->self = g_object_ref (self);
  load->input = input;
  self->n_loading++;
  g_hash_table_add (self->loading, input->name);
  gtk_widget_set_sensitive (sitrep_action_input_row_get_field (row), FALSE);
  if (sitrep_action_input_get_choices_format (input) == SITREP_CHOICES_ROLLOUT_HISTORY)
    {
      sitrep_action_input_row_set_loading (row, _("Loading revisions…"));
      sitrep_action_list_revisions_async (runbook, self->service, input, kubectl,
                                          self->cancellable, revisions_cb, load);
    }
  else
    {
      sitrep_action_input_row_set_loading (row, _("Loading choices…"));
      sitrep_action_list_choices_async (runbook, self->service, input, kubectl, self->cancellable,
                                        lines_cb, load);
    }
}

/* A drop-down of the runbook's choices, or of those its command lists (loaded once the row is
 * in the dialog). */
static GtkWidget *
choice_widget (SitrepActionDialog      *self,
               const SitrepActionInput *input)
{
  GtkStringList *labels = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) button_factory = choice_factory (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = choice_factory (FALSE);
  GtkWidget *widget = gtk_drop_down_new (G_LIST_MODEL (labels), NULL);

  gtk_drop_down_set_factory (GTK_DROP_DOWN (widget), button_factory);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (widget), list_factory);
  gtk_widget_set_size_request (widget, 200, -1);
  gtk_widget_set_hexpand (widget, TRUE);
  if (input->choices != NULL)
    {
      for (guint i = 0; input->choices[i]; i++)
        gtk_string_list_append (labels, input->choices[i]);
      g_hash_table_insert (self->choice_values, input->name, g_strdupv (input->choices));
    }
  g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (changed_cb), self);
  return widget;
}

static GtkWidget *
integer_widget (SitrepActionDialog      *self,
                const SitrepActionInput *input)
{
  GtkWidget *widget;

  if (!input->has_default)
    {
      g_autofree char *bounds = NULL;

      /* No value is taken for granted: the field starts empty. */
      widget = gtk_entry_new ();
      gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_DIGITS);
      if (input->has_min && input->has_max)
        /* Translators: the placeholder of an empty number field, "1–20" */
        bounds = g_strdup_printf (_("%d–%d"), (int) input->min, (int) input->max);
      else
        bounds = g_strdup (_("A whole number"));
      gtk_entry_set_placeholder_text (GTK_ENTRY (widget), bounds);
      g_signal_connect_swapped (widget, "changed", G_CALLBACK (changed_cb), self);
      return widget;
    }
  widget = gtk_spin_button_new_with_range (input->has_min ? input->min : 0,
                                           input->has_max ? input->max : G_MAXINT, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), input->default_value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (widget), TRUE);
  g_signal_connect_swapped (widget, "value-changed", G_CALLBACK (changed_cb), self);
  return widget;
}

static GtkWidget *
string_widget (SitrepActionDialog      *self,
               const SitrepActionInput *input)
{
  GtkWidget *widget;

  if (input->secret)
    {
      /* Masked, and never shown in the command line, the log or the output. */
      widget = gtk_password_entry_new ();
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (widget), TRUE);
    }
  else
    widget = gtk_entry_new ();
  g_signal_connect_swapped (widget, "changed", G_CALLBACK (changed_cb), self);
  return widget;
}

/* Appends @input's row, and under it the row that says what is wrong with its value. */
void
sitrep_action_dialog_add_input (SitrepActionDialog      *self,
                                GtkListBox              *list,
                                const SitrepActionInput *input)
{
  GtkWidget *field, *row;

  switch (input->type)
    {
    case SITREP_INPUT_INTEGER:
      field = integer_widget (self, input);
      break;
    case SITREP_INPUT_CHOICE:
      field = choice_widget (self, input);
      break;
    case SITREP_INPUT_STRING:
    default:
      field = string_widget (self, input);
      break;
    }
  row = sitrep_action_input_row_new (input, field);
  g_hash_table_insert (self->rows, input->name, row);
  gtk_list_box_append (list, row);
  gtk_list_box_append (list, sitrep_action_input_row_get_error_row (SITREP_ACTION_INPUT_ROW (row)));
  if (input->type == SITREP_INPUT_CHOICE && input->choices == NULL)
    load_choices (self, SITREP_ACTION_INPUT_ROW (row));
}

/* The input's value as the fields hold it now, or NULL when it has none yet. */
char *
sitrep_action_dialog_input_value (SitrepActionDialog      *self,
                                  const SitrepActionInput *input)
{
  SitrepActionInputRow *row = g_hash_table_lookup (self->rows, input->name);
  GtkWidget *widget = sitrep_action_input_row_get_field (row);
  char **values = g_hash_table_lookup (self->choice_values, input->name);

  if (GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
  if (GTK_IS_DROP_DOWN (widget))
    {
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (widget));

      return values != NULL && selected < g_strv_length (values) ? g_strdup (values[selected])
                                                                  : NULL;
    }
  if (GTK_IS_EDITABLE (widget) && *gtk_editable_get_text (GTK_EDITABLE (widget)) != '\0')
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
  return NULL;
}

/* @message: (nullable): what is wrong with the input's value, shown under its field */
void
sitrep_action_dialog_set_input_error (SitrepActionDialog      *self,
                                      const SitrepActionInput *input,
                                      const char              *message)
{
  sitrep_action_input_row_set_error (g_hash_table_lookup (self->rows, input->name), message);
}
