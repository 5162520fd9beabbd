/* sitrep-declare-dialog-fields.c: the dialog's fields and buttons, read and set as a person would */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-declare-dialog-private.h"

/* "severity", "details" or "declared" */
const char *
sitrep_declare_dialog_get_page (SitrepDeclareDialog *self)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
sitrep_declare_dialog_select_severity (SitrepDeclareDialog *self,
                                       const char          *severity_id)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), FALSE);

  for (guint i = 0; i < self->severity_checks->len; i++)
    {
      GtkCheckButton *check = self->severity_checks->pdata[i];

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "severity-id"), severity_id) == 0)
        {
          gtk_check_button_set_active (check, TRUE);
          return TRUE;
        }
    }
  return FALSE;
}

/* "summary", "impact", "lead" or "channel": the template's summary_row … channel_entry. */
static GtkEditable *
find_field (SitrepDeclareDialog *self,
            const char          *field)
{
  g_autofree char *id = g_strconcat (field, g_str_equal (field, "channel") ? "_entry" : "_row",
                                     NULL);
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (self), SITREP_TYPE_DECLARE_DIALOG,
                                                   id);

  g_return_val_if_fail (GTK_IS_EDITABLE (object), NULL);
  return GTK_EDITABLE (object);
}

/**
 * sitrep_declare_dialog_set_text:
 * @field: "summary", "impact", "lead" or "channel"
 *
 * Types @text into a field, replacing what was there.
 */
void
sitrep_declare_dialog_set_text (SitrepDeclareDialog *self,
                                const char          *field,
                                const char          *text)
{
  GtkEditable *editable;

  g_return_if_fail (SITREP_IS_DECLARE_DIALOG (self));
  if ((editable = find_field (self, field)) != NULL)
    gtk_editable_set_text (editable, text ? text : "");
}

/**
 * sitrep_declare_dialog_get_text:
 * @field: a field as for sitrep_declare_dialog_set_text(), or "severity" (the picked id),
 *   "message" (the initial status message), "summary-error" (what is wrong with the summary),
 *   "error" (why declaring failed)
 *
 * Returns: (nullable): what the field shows now; %NULL for an empty severity, message or error
 */
const char *
sitrep_declare_dialog_get_text (SitrepDeclareDialog *self,
                                const char          *field)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), NULL);

  if (g_strcmp0 (field, "severity") == 0)
    return self->severity;
  if (g_strcmp0 (field, "message") == 0)
    return self->message;
  if (g_strcmp0 (field, "summary-error") == 0)
    return self->summary_error;
  if (g_strcmp0 (field, "error") == 0)
    return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
             ? gtk_label_get_text (self->error_label) : NULL;
  return gtk_editable_get_text (find_field (self, field));
}

gboolean
sitrep_declare_dialog_get_service_active (SitrepDeclareDialog *self,
                                          const char          *service_id)
{
  ServiceRow *row;

  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), FALSE);
  row = _sitrep_declare_dialog_find_service_row (self, service_id);
  return row != NULL && gtk_check_button_get_active (row->check);
}

void
sitrep_declare_dialog_set_service_active (SitrepDeclareDialog *self,
                                          const char          *service_id,
                                          gboolean             active)
{
  ServiceRow *row;

  g_return_if_fail (SITREP_IS_DECLARE_DIALOG (self));
  row = _sitrep_declare_dialog_find_service_row (self, service_id);
  g_return_if_fail (row != NULL);
  gtk_check_button_set_active (row->check, active);
}

/* Why the monitor pre-selected the service ("Down now: …"), or NULL. */
const char *
sitrep_declare_dialog_get_service_note (SitrepDeclareDialog *self,
                                        const char          *service_id)
{
  ServiceRow *row;

  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), NULL);
  row = _sitrep_declare_dialog_find_service_row (self, service_id);
  return row ? row->note : NULL;
}

/* "next", "copy-channel": the template's next_button, copy_channel_button. */
static GtkWidget *
find_button (SitrepDeclareDialog *self,
             const char          *name)
{
  g_autofree char *id = g_strconcat (name, "_button", NULL);
  GObject *object;

  g_strdelimit (id, "-", '_');
  object = gtk_widget_get_template_child (GTK_WIDGET (self), SITREP_TYPE_DECLARE_DIALOG, id);
  g_return_val_if_fail (GTK_IS_BUTTON (object), NULL);
  return GTK_WIDGET (object);
}

/**
 * sitrep_declare_dialog_get_enabled:
 * @button: "cancel", "back", "next", "declare", "done", "copy-channel" or "copy-message"
 *
 * Returns: whether a person could click @button now: it is shown and sensitive
 */
gboolean
sitrep_declare_dialog_get_enabled (SitrepDeclareDialog *self,
                                   const char          *button)
{
  GtkWidget *widget;

  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), FALSE);
  widget = find_button (self, button);
  return widget != NULL && gtk_widget_get_visible (widget) && gtk_widget_is_sensitive (widget);
}

/**
 * sitrep_declare_dialog_press:
 * @button: as for sitrep_declare_dialog_get_enabled()
 *
 * Clicks a button as a person would: only if it is enabled.
 *
 * Returns: whether the button was clicked
 */
gboolean
sitrep_declare_dialog_press (SitrepDeclareDialog *self,
                             const char          *button)
{
  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), FALSE);

  if (!sitrep_declare_dialog_get_enabled (self, button))
    return FALSE;
  g_signal_emit_by_name (find_button (self, button), "clicked");
  return TRUE;
}
