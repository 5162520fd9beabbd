/* sitrep-action-dialog.h: asks before a mutation runs, showing the exact command, and starts it */
#pragma once

#include <adwaita.h>

#include "sitrep-action-controller.h"
#include "sitrep-action-output.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ACTION_DIALOG (sitrep_action_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionDialog, sitrep_action_dialog, SITREP, ACTION_DIALOG,
                      AdwMessageDialog)

SitrepActionDialog  *sitrep_action_dialog_new             (GtkWindow              *parent,
                                                           SitrepActionController *controller,
                                                           const SitrepService    *service,
                                                           const SitrepAction     *action);
/* Where the "Restarting … in 5 s — Undo" toast goes; without one, no toast is shown. */
void                 sitrep_action_dialog_set_toast_overlay (SitrepActionDialog   *self,
                                                             AdwToastOverlay      *overlay);

G_END_DECLS
