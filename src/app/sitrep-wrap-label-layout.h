/* sitrep-wrap-label-layout.h: a bin's layout that gives a wrapping label's width without a height */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SITREP_TYPE_WRAP_LABEL_LAYOUT (sitrep_wrap_label_layout_get_type ())
G_DECLARE_FINAL_TYPE (SitrepWrapLabelLayout, sitrep_wrap_label_layout, SITREP, WRAP_LABEL_LAYOUT,
                      GtkLayoutManager)

GtkLayoutManager *sitrep_wrap_label_layout_new (void);

G_END_DECLS
