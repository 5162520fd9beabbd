/* sitrep-service-page-private.h: what the service page and the tests that read it share */
#pragma once

#include "sitrep-service-page.h"

G_BEGIN_DECLS

struct _SitrepServicePage
{
  AdwBin parent_instance;

  SitrepServiceState *state;
  SitrepActionController *controller;
  gulong changed_id;
  GPtrArray *groups;   /* AdwPreferencesGroup after the service's own, in order */
  GPtrArray *probes;   /* SitrepProbeGroup, by the state's probe index */
  GtkWidget *commands; /* the group rebuilt with the controller, or NULL */

  AdwPreferencesPage *page;
  AdwPreferencesGroup *service_group;
  AdwActionRow *health_row;
  GtkWidget *stale_row;
};

/* Defined in sitrep-service-page-testing.c, which only the tests link. */
char      *sitrep_service_page_get_text        (SitrepServicePage *self);
GtkWidget *sitrep_service_page_find_run_button (SitrepServicePage *self,
                                                const char        *action_id);

G_END_DECLS
