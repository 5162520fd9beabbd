/* sitrep-application-private.h: what the application and its menu actions share */
#pragma once

#include "sitrep-application.h"
#include "sitrep-window.h"

G_BEGIN_DECLS

struct _SitrepApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  SitrepRunbook *runbook;
  GPtrArray *problems;
  char *store_error;
  SitrepStore *store;
  SitrepMonitor *monitor;
  SitrepIncidentManager *incidents;
  SitrepActionController *actions;
  GBinding *actions_bindings[2]; /* read-only and trusted, owned by the pair */
  GPtrArray *retired; /* GWeakRef: controllers of replaced runbooks whose commands still run */
  GHashTable *session_trust; /* digests trusted while the settings could not remember them */
  SitrepWebhook *webhook;
  GCancellable *load_cancellable;
  gboolean loading;
  gboolean read_only;
  gboolean trusted;
  gboolean start_paused;
  gboolean started;
};

SitrepWindow *sitrep_application_ensure_window  (SitrepApplication *self);
void          sitrep_application_install_actions (SitrepApplication *self);

G_END_DECLS
