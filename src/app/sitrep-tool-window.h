/* sitrep-tool-window.h: a window of its own beside the main one, for a run's output, a message
 * or a post-mortem */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SITREP_TYPE_TOOL_WINDOW (sitrep_tool_window_get_type ())

G_DECLARE_FINAL_TYPE (SitrepToolWindow, sitrep_tool_window, SITREP, TOOL_WINDOW, AdwWindow)

SitrepToolWindow *sitrep_tool_window_new      (GtkWindow        *parent,
                                               const char       *title,
                                               GtkWidget        *tool,
                                               int               width,
                                               int               height);
GtkWidget        *sitrep_tool_window_get_tool (SitrepToolWindow *self);
void              sitrep_tool_window_set_tool (SitrepToolWindow *self,
                                               GtkWidget        *tool);

G_END_DECLS
