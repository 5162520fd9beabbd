/* sitrep-link-row.h: one of a service's links (a dashboard, the logs), opened in the browser */
#pragma once

#include <adwaita.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_LINK_ROW (sitrep_link_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepLinkRow, sitrep_link_row, SITREP, LINK_ROW, AdwActionRow)

GtkWidget  *sitrep_link_row_new     (const SitrepLink *link);
/* The address the Open button opens, or NULL when the link has none that opens from here. */
const char *sitrep_link_row_get_url (SitrepLinkRow    *self);

G_END_DECLS
