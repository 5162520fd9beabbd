/* sitrep-severity-row.h: a severity to pick, with its description, target and examples */
#pragma once

#include <adwaita.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_SEVERITY_ROW (sitrep_severity_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepSeverityRow, sitrep_severity_row, SITREP, SEVERITY_ROW, AdwActionRow)

/* @group: (nullable): the first row of the choice; picking this row unpicks the others */
GtkWidget  *sitrep_severity_row_new             (const SitrepSeverity *severity,
                                                 SitrepSeverityRow    *group);
const char *sitrep_severity_row_get_severity_id (SitrepSeverityRow    *self);
gboolean    sitrep_severity_row_get_active      (SitrepSeverityRow    *self);
void        sitrep_severity_row_set_active      (SitrepSeverityRow    *self,
                                                 gboolean              active);

G_END_DECLS
