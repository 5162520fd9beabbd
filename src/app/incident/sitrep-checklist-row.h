/* sitrep-checklist-row.h: an item of the checklist: its tick, who ticked it, and what it opens */
#pragma once

#include <adwaita.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_CHECKLIST_ROW (sitrep_checklist_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepChecklistRow, sitrep_checklist_row, SITREP, CHECKLIST_ROW,
                      AdwActionRow)

/* @item must outlive the row: the runbook holds it. */
GtkWidget                 *sitrep_checklist_row_new        (const SitrepChecklistItem *item);
const SitrepChecklistItem *sitrep_checklist_row_get_item   (SitrepChecklistRow        *self);
gboolean                   sitrep_checklist_row_get_done   (SitrepChecklistRow        *self);
/* Shows the tick without emitting ::toggled: the incident says it, the commander did not. */
void                       sitrep_checklist_row_set_done   (SitrepChecklistRow        *self,
                                                            gboolean                   done);
/* The button for what the item opens; a NULL @label shows none. */
void                       sitrep_checklist_row_set_button (SitrepChecklistRow        *self,
                                                            const char                *label,
                                                            const char                *name,
                                                            const char                *tooltip,
                                                            gboolean                   sensitive);

G_END_DECLS
