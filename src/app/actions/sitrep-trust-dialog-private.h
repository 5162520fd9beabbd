/* sitrep-trust-dialog-private.h: what the trust dialog and the tests that read it share */
#pragma once

#include "sitrep-trust-dialog.h"

G_BEGIN_DECLS

struct _SitrepTrustDialog
{
  AdwMessageDialog parent_instance;

  SitrepRunbook *runbook;

  GtkBox *list;
};

/* Defined in sitrep-trust-dialog-testing.c, which only the tests link. Every listed command as
 * "what: command line", one a line. */
char *sitrep_trust_dialog_get_text (SitrepTrustDialog *self);

G_END_DECLS
