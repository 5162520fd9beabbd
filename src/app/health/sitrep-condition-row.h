/* sitrep-condition-row.h: a probe's condition, its resolved value, and whether it holds */
#pragma once

#include <adwaita.h>

#include "sitrep-service-state.h"

G_BEGIN_DECLS

#define SITREP_TYPE_CONDITION_ROW (sitrep_condition_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepConditionRow, sitrep_condition_row, SITREP, CONDITION_ROW,
                      AdwActionRow)

/* @spec must outlive the row: the runbook holds it. */
GtkWidget                 *sitrep_condition_row_new         (const SitrepConditionSpec    *spec);
const SitrepConditionSpec *sitrep_condition_row_get_spec    (SitrepConditionRow           *self);
/* @verdict: (nullable): the condition's last verdict, or NULL before it was checked */
void                       sitrep_condition_row_set_verdict (SitrepConditionRow           *self,
                                                             const SitrepConditionVerdict *verdict);

G_END_DECLS
