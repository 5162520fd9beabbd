/* sitrep-affected-service-row.h: a service the incident may affect, and why it is suggested */
#pragma once

#include <adwaita.h>

#include "sitrep-service-state.h"

G_BEGIN_DECLS

#define SITREP_TYPE_AFFECTED_SERVICE_ROW (sitrep_affected_service_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepAffectedServiceRow, sitrep_affected_service_row, SITREP,
                      AFFECTED_SERVICE_ROW, AdwActionRow)

GtkWidget  *sitrep_affected_service_row_new            (const SitrepService      *service);
const char *sitrep_affected_service_row_get_service_id (SitrepAffectedServiceRow *self);
gboolean    sitrep_affected_service_row_get_active     (SitrepAffectedServiceRow *self);
/* Ticks or unticks the service as the commander: suggestions no longer change it. */
void        sitrep_affected_service_row_set_active     (SitrepAffectedServiceRow *self,
                                                        gboolean                  active);
/* What the monitor sees: a service down or degraded is ticked, with why, unless the commander
 * already decided. */
void        sitrep_affected_service_row_suggest        (SitrepAffectedServiceRow *self,
                                                        SitrepHealth              health,
                                                        const char               *reason);
/* Why the service is suggested ("Down now: …"), or NULL. */
const char *sitrep_affected_service_row_get_note       (SitrepAffectedServiceRow *self);

G_END_DECLS
