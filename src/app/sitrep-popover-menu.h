/* sitrep-popover-menu.h: a menu that belongs to a view and points at one of its children */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkPopover *sitrep_popover_menu_new   (GtkWidget          *parent,
                                       GMenuModel         *model,
                                       const GdkRectangle *at,
                                       GtkWidget          *invoker);
void        sitrep_popover_menu_clear (GtkPopover        **popover);

G_END_DECLS
