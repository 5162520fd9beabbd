/* sitrep-command-row.h: one of a service's commands exactly as it would run, to copy or run */
#pragma once

#include <adwaita.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_COMMAND_ROW (sitrep_command_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepCommandRow, sitrep_command_row, SITREP, COMMAND_ROW, AdwActionRow)

/* With @runnable, a run button asks the window to run @action on @service_id (win.run-action):
 * at once, or through the confirmation dialog. */
GtkWidget  *sitrep_command_row_new           (const SitrepAction *action,
                                              const char         *service_id,
                                              const char         *command_line,
                                              gboolean            runnable);
const char *sitrep_command_row_get_action_id (SitrepCommandRow   *self);

G_END_DECLS
