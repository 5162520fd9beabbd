/* sitrep-session.h: a console's runbook, database, probes, incidents and commands, kept whole */
#pragma once

#include <gio/gio.h>

#include "sitrep-action-controller.h"
#include "sitrep-incident-manager.h"
#include "sitrep-monitor.h"
#include "sitrep-runbook.h"
#include "sitrep-store.h"
#include "sitrep-store-presence.h"
#include "sitrep-webhook.h"

G_BEGIN_DECLS

/* Why the session is read-only, the first that applies. */
typedef enum
{
  SITREP_READ_ONLY_SOURCE_NONE,
  SITREP_READ_ONLY_SOURCE_FORCED,   /* sitrep_session_force_read_only(): --read-only, until quit */
  SITREP_READ_ONLY_SOURCE_RUNBOOK,  /* the runbook's environment.read_only */
  SITREP_READ_ONLY_SOURCE_SETTINGS, /* the "read-only" setting: the preferences' switch */
} SitrepReadOnlySource;

#define SITREP_TYPE_READ_ONLY_SOURCE (sitrep_read_only_source_get_type ())
GType sitrep_read_only_source_get_type (void) G_GNUC_CONST;

#define SITREP_TYPE_SESSION (sitrep_session_get_type ())

G_DECLARE_FINAL_TYPE (SitrepSession, sitrep_session, SITREP, SESSION, GObject)

SitrepSession          *sitrep_session_new                  (GSettings     *settings);
SitrepSession          *sitrep_session_new_headless         (GSettings     *settings);


gboolean                sitrep_session_open_store           (SitrepSession *self,
                                                             const char    *path);
gboolean                sitrep_session_open_existing_store  (SitrepSession *self,
                                                             const char    *address,
                                                             GError       **error);
gboolean                sitrep_session_read_incidents       (SitrepSession *self,
                                                             GError       **error);
gboolean                sitrep_session_switch_store         (SitrepSession *self,
                                                             const char    *address,
                                                             GError       **error);
void                    sitrep_session_set_runbook          (SitrepSession *self,
                                                             SitrepRunbook *runbook);
void                    sitrep_session_open_runbook         (SitrepSession *self,
                                                             GFile         *file);
void                    sitrep_session_open_last_runbook    (SitrepSession *self);
void                    sitrep_session_trust_runbook        (SitrepSession *self,
                                                             SitrepRunbook *runbook);
void                    sitrep_session_trust_runbook_for_now (SitrepSession *self,
                                                              SitrepRunbook *runbook);
void                    sitrep_session_force_read_only      (SitrepSession *self);
void                    sitrep_session_pause_probes         (SitrepSession *self);
void                    sitrep_session_close                (SitrepSession *self);

GSettings              *sitrep_session_get_settings         (SitrepSession *self);
SitrepRunbook          *sitrep_session_get_runbook          (SitrepSession *self);
GPtrArray              *sitrep_session_get_problems         (SitrepSession *self);
gboolean                sitrep_session_get_loading          (SitrepSession *self);
SitrepStore            *sitrep_session_get_store            (SitrepSession *self);
const char             *sitrep_session_get_store_error      (SitrepSession *self);
const char             *sitrep_session_get_store_address    (SitrepSession *self);
gboolean                sitrep_session_get_store_connecting (SitrepSession *self);
SitrepStorePresence    *sitrep_session_get_presence         (SitrepSession *self);
SitrepMonitor          *sitrep_session_get_monitor          (SitrepSession *self);
SitrepIncidentManager  *sitrep_session_get_incidents        (SitrepSession *self);
SitrepActionController *sitrep_session_get_actions          (SitrepSession *self);
SitrepWebhook          *sitrep_session_get_webhook          (SitrepSession *self);
gboolean                sitrep_session_get_read_only        (SitrepSession *self);
SitrepReadOnlySource    sitrep_session_get_read_only_source (SitrepSession *self);
gboolean                sitrep_session_get_trusted          (SitrepSession *self);

G_END_DECLS
