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

/* For tests. */
SitrepActionRequest *sitrep_action_dialog_get_request     (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_command     (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_where       (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_error       (SitrepActionDialog     *self);
gboolean             sitrep_action_dialog_get_loading     (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_replicas_text (SitrepActionDialog   *self);
GtkEditable         *sitrep_action_dialog_get_confirm_entry (SitrepActionDialog   *self);
GtkWidget           *sitrep_action_dialog_get_input       (SitrepActionDialog     *self,
                                                           const char             *name);
const char          *sitrep_action_dialog_get_input_error (SitrepActionDialog     *self,
                                                           const char             *name);
void                 sitrep_action_dialog_preview         (SitrepActionDialog     *self);
SitrepActionOutput  *sitrep_action_dialog_get_preview_output (SitrepActionDialog  *self);
AdwToast            *sitrep_action_dialog_get_toast       (SitrepActionDialog     *self);

G_END_DECLS
