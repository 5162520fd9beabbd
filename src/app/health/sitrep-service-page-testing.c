/* sitrep-service-page-testing.c: a service's page read as a person sees it, for the tests */
#include "config.h"

#include "sitrep-command-row-private.h"
#include "sitrep-service-page-private.h"

/* Every row shown, in order: "title | subtitle". A body (an expander) is not a line. */
static void
append_rows (GString   *text,
             GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *subtitle;

      /* As a person sees the page: a hidden row is not there. */
      if (!gtk_widget_get_visible (child) || ADW_IS_EXPANDER_ROW (child))
        continue;
      if (!ADW_IS_ACTION_ROW (child))
        {
          append_rows (text, child);
          continue;
        }
      subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (child));
      g_string_append_printf (text, "%s | %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                              subtitle ? subtitle : "");
    }
}

static void
append_groups (GString   *text,
               GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwPreferencesGroup *group;
      const char *description;

      if (!gtk_widget_get_visible (child))
        continue;
      if (!ADW_IS_PREFERENCES_GROUP (child))
        {
          append_groups (text, child);
          continue;
        }
      group = ADW_PREFERENCES_GROUP (child);
      description = adw_preferences_group_get_description (group);
      g_string_append_printf (text, "# %s\n", adw_preferences_group_get_title (group));
      if (description != NULL && description[0] != '\0')
        g_string_append_printf (text, "%s\n", description);
      append_rows (text, child);
    }
}

/* Every group and row as the page shows them, one per line: "# Group", its description, then
 * "title | subtitle" for each row. */
char *
sitrep_service_page_get_text (SitrepServicePage *self)
{
  GString *text;

  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);

  text = g_string_new (NULL);
  append_groups (text, GTK_WIDGET (self->page));
  return g_string_free (text, FALSE);
}

static GtkWidget *
find_command_row (GtkWidget  *widget,
                  const char *action_id)
{
  if (SITREP_IS_COMMAND_ROW (widget)
      && g_strcmp0 (sitrep_command_row_get_action_id (SITREP_COMMAND_ROW (widget)), action_id) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_command_row (child, action_id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The run button of @action_id's command, or NULL when the page shows none. */
GtkWidget *
sitrep_service_page_find_run_button (SitrepServicePage *self,
                                     const char        *action_id)
{
  GtkWidget *row;

  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);

  row = find_command_row (GTK_WIDGET (self->page), action_id);
  return row ? sitrep_command_row_get_run_button (SITREP_COMMAND_ROW (row)) : NULL;
}
