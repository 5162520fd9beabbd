/* sitrep-unmeasured-layout.h: a layout that gives its children all its room and never asks their size for its own */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SITREP_TYPE_UNMEASURED_LAYOUT (sitrep_unmeasured_layout_get_type ())

G_DECLARE_FINAL_TYPE (SitrepUnmeasuredLayout, sitrep_unmeasured_layout, SITREP, UNMEASURED_LAYOUT,
                      GtkLayoutManager)

GtkLayoutManager *sitrep_unmeasured_layout_new (void);

G_END_DECLS
