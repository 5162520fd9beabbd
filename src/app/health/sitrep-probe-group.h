/* sitrep-probe-group.h: one probe of a service: last result, conditions, body and history */
#pragma once

#include <adwaita.h>

#include "sitrep-service-state.h"

G_BEGIN_DECLS

#define SITREP_TYPE_PROBE_GROUP (sitrep_probe_group_get_type ())

G_DECLARE_FINAL_TYPE (SitrepProbeGroup, sitrep_probe_group, SITREP, PROBE_GROUP,
                      AdwPreferencesGroup)

/* @spec must outlive the group: the runbook holds it. */
GtkWidget *sitrep_probe_group_new    (const SitrepProbeSpec   *spec);
void       sitrep_probe_group_update (SitrepProbeGroup        *self,
                                      const SitrepProbeStatus *status);

G_END_DECLS
