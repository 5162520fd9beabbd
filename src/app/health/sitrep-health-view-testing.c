/* sitrep-health-view-testing.c: what the tests read from the Health view */
#include "config.h"

#include "sitrep-health-view-private.h"

const char *
sitrep_health_view_get_summary (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

const char *
sitrep_health_view_get_page (SitrepHealthView *self)
{
  GtkWidget *page;

  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);

  /* A leaflet switches to a page that is not visible: nothing would be on screen. */
  page = adw_leaflet_get_visible_child (self->leaflet);
  if (page == NULL || !gtk_widget_get_visible (page))
    return NULL;
  return adw_leaflet_get_visible_child_name (self->leaflet);
}

GtkWidget *
sitrep_health_view_get_service_page (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return GTK_WIDGET (self->service_page);
}

/* The tiles on screen now, for tests. */
GPtrArray *
sitrep_health_view_get_tiles (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return self->tiles;
}

/* Whether the first-run page stands in for the tiles. */
gboolean
sitrep_health_view_get_welcome_shown (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->grid_stack), "welcome") == 0;
}

/* Whether the page named @name (the leaflet's "grid" or "service", or the grid stack's
 * "welcome") is visible: GTK styles the widgets of a visible page even while another is shown,
 * and the leaflet measures them too. */
gboolean
sitrep_health_view_get_page_visible (SitrepHealthView *self,
                                     const char       *name)
{
  GtkWidget *page;

  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), FALSE);

  page = adw_leaflet_get_child_by_name (self->leaflet, name);
  if (page == NULL)
    page = gtk_stack_get_child_by_name (self->grid_stack, name);
  g_return_val_if_fail (page != NULL, FALSE);
  return gtk_widget_get_visible (page);
}

GtkWidget *
sitrep_health_view_get_welcome_drill_button (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return GTK_WIDGET (self->welcome_drill_button);
}

/* The tile's context menu while it is open, or NULL. */
GtkPopover *
sitrep_health_view_get_tile_menu (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return self->tile_menu;
}
