/* sitrep-declare-dialog-testing.c: the wizard's fields and buttons, read and set as a person
 * would, for the tests */
#include "config.h"

#include "sitrep-affected-service-row.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-severity-row.h"

/* "details" (severity, summary, impact, lead and services on one page) or "declared" */
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

  for (guint i = 0; i < self->severity_rows->len; i++)
    {
      SitrepSeverityRow *row = self->severity_rows->pdata[i];

      if (g_strcmp0 (sitrep_severity_row_get_severity_id (row), severity_id) == 0)
        {
          sitrep_severity_row_set_active (row, TRUE);
          return TRUE;
        }
    }
  return FALSE;
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
  if ((editable = _sitrep_declare_dialog_find_field (self, field)) != NULL)
    gtk_editable_set_text (editable, text ? text : "");
}

static SitrepAffectedServiceRow *
find_service_row (SitrepDeclareDialog *self,
                  const char          *service_id)
{
  for (guint i = 0; i < self->service_rows->len; i++)
    {
      SitrepAffectedServiceRow *row = self->service_rows->pdata[i];

      if (g_strcmp0 (sitrep_affected_service_row_get_service_id (row), service_id) == 0)
        return row;
    }
  return NULL;
}

gboolean
sitrep_declare_dialog_get_service_active (SitrepDeclareDialog *self,
                                          const char          *service_id)
{
  SitrepAffectedServiceRow *row;

  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), FALSE);
  row = find_service_row (self, service_id);
  return row != NULL && sitrep_affected_service_row_get_active (row);
}

void
sitrep_declare_dialog_set_service_active (SitrepDeclareDialog *self,
                                          const char          *service_id,
                                          gboolean             active)
{
  SitrepAffectedServiceRow *row;

  g_return_if_fail (SITREP_IS_DECLARE_DIALOG (self));
  row = find_service_row (self, service_id);
  g_return_if_fail (row != NULL);
  sitrep_affected_service_row_set_active (row, active);
}

/* Why the monitor pre-selected the service ("Down now: …"), or NULL. */
const char *
sitrep_declare_dialog_get_service_note (SitrepDeclareDialog *self,
                                        const char          *service_id)
{
  SitrepAffectedServiceRow *row;

  g_return_val_if_fail (SITREP_IS_DECLARE_DIALOG (self), NULL);
  row = find_service_row (self, service_id);
  return row ? sitrep_affected_service_row_get_note (row) : NULL;
}

/* "declare", "copy-channel": the template's declare_button, copy_channel_button. */
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
 * @button: "cancel", "declare", "done", "copy-channel" or "copy-message"
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
