/* sitrep-trust-item.h: a program a runbook would run: what it is for, and its command line */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-runbook-trust.h"

G_BEGIN_DECLS

#define SITREP_TYPE_TRUST_ITEM (sitrep_trust_item_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTrustItem, sitrep_trust_item, SITREP, TRUST_ITEM, GtkWidget)

GtkWidget *sitrep_trust_item_new (const SitrepTrustCommand *command);

G_END_DECLS
