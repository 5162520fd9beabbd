/* sitrep-escalation-row.h: a step of the escalation path: who, and when to call them */
#pragma once

#include <adwaita.h>

#include "sitrep-incident.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ESCALATION_ROW (sitrep_escalation_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepEscalationRow, sitrep_escalation_row, SITREP, ESCALATION_ROW,
                      AdwActionRow)

GtkWidget  *sitrep_escalation_row_new            (const char            *role,
                                                  const char            *subtitle);
/* @text: the state in words, "in 07:12 if unresolved"; @state gives its colour */
void        sitrep_escalation_row_set_state      (SitrepEscalationRow   *self,
                                                  const char            *text,
                                                  SitrepEscalationState  state);
const char *sitrep_escalation_row_get_state_text (SitrepEscalationRow   *self);

G_END_DECLS
