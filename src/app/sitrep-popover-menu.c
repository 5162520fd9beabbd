/* sitrep-popover-menu.c: a menu that belongs to a view and points at one of its children
 *
 * The Health view's tiles and the Timeline's rows are recycled by their list widgets, and a
 * GtkMenuButton in each costs its popover machinery for every item bound (docs/PERFORMANCE.md).
 * So their menus are one popover of the view, made when it opens from the item's menu model,
 * parented to the view and pointed at the item: sitrep_popover_menu_new() makes it, the view
 * keeps it and shows it, and sitrep_popover_menu_clear() takes it away, before the next one is
 * made and when the view goes.
 */
#include "config.h"

#include "sitrep-popover-menu.h"

/* A GtkPopoverMenu of @model, a child of @parent pointing at @at (in @parent's coordinates),
 * not shown yet. The caller owns it as @parent's child: clear it with
 * sitrep_popover_menu_clear(). */
GtkPopover *
sitrep_popover_menu_new (GtkWidget          *parent,
                         GMenuModel         *model,
                         const GdkRectangle *at)
{
  GtkPopover *popover;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (G_IS_MENU_MODEL (model), NULL);
  g_return_val_if_fail (at != NULL, NULL);

  popover = GTK_POPOVER (gtk_popover_menu_new_from_model (model));
  gtk_widget_set_parent (GTK_WIDGET (popover), parent);
  gtk_popover_set_pointing_to (popover, at);
  return popover;
}

/* Closes *@popover if there is one, takes it from its parent and sets it to NULL. */
void
sitrep_popover_menu_clear (GtkPopover **popover)
{
  g_return_if_fail (popover != NULL);

  if (*popover == NULL)
    return;
  gtk_popover_popdown (*popover);
  gtk_widget_unparent (GTK_WIDGET (*popover));
  *popover = NULL;
}
