/* sitrep-trust-dialog.h: every program an opened runbook would run, and whether to trust it */
#pragma once

#include <adwaita.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_TRUST_DIALOG (sitrep_trust_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTrustDialog, sitrep_trust_dialog, SITREP, TRUST_DIALOG,
                      AdwMessageDialog)

/* Responses: "trust" and "cancel" (the default, and what Escape answers). */
SitrepTrustDialog *sitrep_trust_dialog_new         (GtkWindow         *parent,
                                                    SitrepRunbook     *runbook);
SitrepRunbook     *sitrep_trust_dialog_get_runbook (SitrepTrustDialog *self);

G_END_DECLS
