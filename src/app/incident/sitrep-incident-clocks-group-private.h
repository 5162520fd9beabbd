/* sitrep-incident-clocks-group-private.h: what the clocks group and the tests that read it share */
#pragma once

#include "sitrep-incident-clocks-group.h"

G_BEGIN_DECLS

struct _SitrepIncidentClocksGroup
{
  AdwPreferencesGroup parent_instance;

  GtkLabel *response_label;
  AdwActionRow *update_row;
  GtkImage *update_icon;
  GtkButton *update_sent_button;
  GtkLabel *ack_label;
  GtkLabel *mitigate_label;
  GtkLabel *resolve_label;
};

/* Defined in sitrep-incident-clocks-group-testing.c, which only the tests link. */
void       sitrep_incident_clocks_group_append_text      (SitrepIncidentClocksGroup *self,
                                                          GString                   *out);
gboolean   sitrep_incident_clocks_group_mark_update_sent (SitrepIncidentClocksGroup *self);

G_END_DECLS
