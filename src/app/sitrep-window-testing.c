/* sitrep-window-testing.c: reading the main window as a person would: page, banner, bars */
#include "config.h"

#include "sitrep-window-private.h"

const char *
sitrep_window_get_page (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->main_stack);
}

const char *
sitrep_window_get_view (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/* The runbook name the header bar shows, or NULL when no runbook is loaded. */
const char *
sitrep_window_get_heading (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->runbook_label)))
    return NULL;
  return gtk_label_get_text (self->runbook_label);
}

char *
sitrep_window_get_environment_text (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);
  return g_strdup_printf ("%s %s%s%s", gtk_label_get_text (self->environment_label),
                          gtk_label_get_text (self->environment_flags),
                          gtk_widget_has_css_class (self->environment_banner, "protected")
                            ? " [protected]" : "",
                          gtk_widget_has_css_class (self->environment_banner, "drill")
                            ? " [drill]" : "");
}

/* Picks the environment labelled @label in the banner's dropdown, as a person would; FALSE when
 * the dropdown is not shown or has no such environment. */
gboolean
sitrep_window_select_environment (SitrepWindow *self,
                                  const char   *label)
{
  GListModel *model;

  g_return_val_if_fail (SITREP_IS_WINDOW (self), FALSE);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->environment_dropdown)))
    return FALSE;
  model = gtk_drop_down_get_model (self->environment_dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          gtk_drop_down_set_selected (self->environment_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* The problems as the window shows them, one per line, for tests and bug reports. */
char *
sitrep_window_get_problems_text (SitrepWindow *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->problem_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!ADW_IS_ACTION_ROW (row))
        continue;
      g_string_append_printf (text, "%s: %s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  return g_string_free (text, FALSE);
}

/* What the trust bar says, or NULL when it is not shown. */
const char *
sitrep_window_get_trust_text (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->trust_revealer))
    return NULL;
  return gtk_label_get_text (self->trust_label);
}

/* The database problem the window shows, or NULL when there is none. */
const char *
sitrep_window_get_store_text (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->store_revealer))
    return NULL;
  return gtk_label_get_text (self->store_label);
}

SitrepHealthView *
sitrep_window_get_health_view (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);
  return self->health_view;
}

/* Whether the main page named @name ("loading", "console", "problems") is visible: GTK styles
 * the widgets of a visible page even while another is shown. */
gboolean
sitrep_window_get_page_visible (SitrepWindow *self,
                                const char   *name)
{
  GtkWidget *page;

  g_return_val_if_fail (SITREP_IS_WINDOW (self), FALSE);

  page = adw_view_stack_get_child_by_name (self->main_stack, name);
  g_return_val_if_fail (page != NULL, FALSE);
  return gtk_widget_get_visible (page);
}

/* Whether the view named @name ("health", "incident", "timeline") has been made: the Incident
 * and Timeline views are made when first shown. */
gboolean
sitrep_window_get_view_made (SitrepWindow *self,
                             const char   *name)
{
  GtkWidget *page;

  g_return_val_if_fail (SITREP_IS_WINDOW (self), FALSE);

  page = adw_view_stack_get_child_by_name (self->view_stack, name);
  g_return_val_if_fail (page != NULL, FALSE);
  if (ADW_IS_BIN (page))
    return adw_bin_get_child (ADW_BIN (page)) != NULL;
  return TRUE;
}
