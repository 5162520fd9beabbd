/* sitrep-popover-menu.c: a menu that belongs to a view and points at one of its children
 *
 * The Health view's tiles and the Timeline's rows are recycled by their list widgets, and a
 * GtkMenuButton in each costs its popover machinery for every item bound (docs/PERFORMANCE.md).
 * So their menus are one popover of the view, made when it opens from the item's menu model,
 * parented to the view and pointed at the item: sitrep_popover_menu_new() makes it, the view
 * keeps it and shows it, and sitrep_popover_menu_clear() takes it away, before the next one is
 * made and when the view goes. When the menu closes, the item it was opened from has the focus
 * back, as a GtkMenuButton's button has: a keyboard user stays where they were.
 */
#include "config.h"

#include "sitrep-popover-menu.h"

/* The menu closed: @invoker has the focus back if the focus is still in the menu (the window's
 * focus went into it), or went nowhere or to the menu's parent, rather than somewhere the
 * person chose meanwhile. */
static void
closed_cb (GtkPopover *popover,
           GtkWidget  *invoker)
{
  GtkRoot *root = gtk_widget_get_root (invoker);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (gtk_widget_get_mapped (invoker)
      && (focus == NULL || focus == gtk_widget_get_parent (GTK_WIDGET (popover))
          || gtk_widget_is_ancestor (focus, GTK_WIDGET (popover))))
    gtk_widget_grab_focus (invoker);
}

/* A GtkPopoverMenu of @model, a child of @parent pointing at @at (in @parent's coordinates),
 * not shown yet; @invoker (the item's button, or the item) has the focus back when it closes.
 * The caller owns it as @parent's child: clear it with sitrep_popover_menu_clear(). */
GtkPopover *
sitrep_popover_menu_new (GtkWidget          *parent,
                         GMenuModel         *model,
                         const GdkRectangle *at,
                         GtkWidget          *invoker)
{
  GtkPopover *popover;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (G_IS_MENU_MODEL (model), NULL);
  g_return_val_if_fail (at != NULL, NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (invoker), NULL);

  popover = GTK_POPOVER (gtk_popover_menu_new_from_model (model));
  gtk_widget_set_parent (GTK_WIDGET (popover), parent);
  gtk_popover_set_pointing_to (popover, at);
  /* Told as long as the invoker lives (a recycled item may go first). */
  g_signal_connect_object (popover, "closed", G_CALLBACK (closed_cb), invoker, 0);
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
