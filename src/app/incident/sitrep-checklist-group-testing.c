/* sitrep-checklist-group-testing.c: a checklist phase read and ticked as a person would, for
 * the tests */
#include "config.h"

#include "sitrep-checklist-group-private.h"
#include "sitrep-checklist-row-private.h"

/* The phase's title and clock, then one line per item: "[x] Text — alice, 03:24". */
void
sitrep_checklist_group_append_text (SitrepChecklistGroup *self,
                                    GString              *out)
{
  g_return_if_fail (SITREP_IS_CHECKLIST_GROUP (self));

  g_string_append_printf (out, "%s · %s\n", self->phase->title, gtk_label_get_text (self->clock));
  for (guint i = 0; i < self->rows->len; i++)
    {
      SitrepChecklistRow *row = self->rows->pdata[i];
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      g_string_append_printf (out, "[%s] %s%s%s\n",
                              gtk_check_button_get_active (row->check) ? "x" : " ",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              subtitle && *subtitle ? " — " : "", subtitle ? subtitle : "");
    }
}

static SitrepChecklistRow *
find_row (SitrepChecklistGroup *self,
          const char           *item_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      SitrepChecklistRow *row = self->rows->pdata[i];

      if (g_str_equal (row->item->id, item_id))
        return row;
    }
  return NULL;
}

gboolean
sitrep_checklist_group_has_item (SitrepChecklistGroup *self,
                                 const char           *item_id)
{
  g_return_val_if_fail (SITREP_IS_CHECKLIST_GROUP (self), FALSE);
  return find_row (self, item_id) != NULL;
}

/* Ticks or unticks the item's check button, as a click would. */
gboolean
sitrep_checklist_group_set_item_done (SitrepChecklistGroup *self,
                                      const char           *item_id,
                                      gboolean              done)
{
  SitrepChecklistRow *row;

  g_return_val_if_fail (SITREP_IS_CHECKLIST_GROUP (self), FALSE);

  row = find_row (self, item_id);
  if (row == NULL || !gtk_widget_is_sensitive (GTK_WIDGET (row->check)))
    return FALSE;
  gtk_check_button_set_active (row->check, done);
  return TRUE;
}

/* Presses the button of what the item opens. */
gboolean
sitrep_checklist_group_open_item (SitrepChecklistGroup *self,
                                  const char           *item_id)
{
  SitrepChecklistRow *row;

  g_return_val_if_fail (SITREP_IS_CHECKLIST_GROUP (self), FALSE);

  row = find_row (self, item_id);
  if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (row->button))
      || !gtk_widget_is_sensitive (GTK_WIDGET (row->button)))
    return FALSE;
  g_signal_emit_by_name (row->button, "clicked");
  return TRUE;
}
