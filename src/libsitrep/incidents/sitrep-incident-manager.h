/* sitrep-incident-manager.h: the open and past incidents, the current one, and their clocks */
#pragma once

#include "sitrep-clock.h"
#include "sitrep-incident-clocks.h"
#include "sitrep-incident.h"
#include "sitrep-incident-runbooks.h"
#include "sitrep-service-state.h"
#include "sitrep-store.h"
#include "sitrep-store-messages.h"

G_BEGIN_DECLS

#define SITREP_TYPE_INCIDENT_MANAGER (sitrep_incident_manager_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncidentManager, sitrep_incident_manager, SITREP, INCIDENT_MANAGER,
                      GObject)

SitrepIncidentManager *sitrep_incident_manager_new           (SitrepStore           *store,
                                                              SitrepRunbook         *runbook,
                                                              SitrepClock           *clock,
                                                              GError               **error);
SitrepIncidentManager *sitrep_incident_manager_new_in_background (SitrepStore     *store,
                                                                  SitrepRunbook   *runbook,
                                                                  SitrepClock     *clock,
                                                                  GError         **error);
gboolean               sitrep_incident_manager_get_loading   (SitrepIncidentManager *self);
GListModel            *sitrep_incident_manager_get_incidents (SitrepIncidentManager *self);
/* What a list of incidents shows: drills only in a drill or when asked for. */
GListModel            *sitrep_incident_manager_get_listed    (SitrepIncidentManager *self);
void                   sitrep_incident_manager_set_show_drills (SitrepIncidentManager *self,
                                                                gboolean               show_drills);
gboolean               sitrep_incident_manager_get_show_drills (SitrepIncidentManager *self);
SitrepIncident        *sitrep_incident_manager_get_current   (SitrepIncidentManager *self);
void                   sitrep_incident_manager_set_current   (SitrepIncidentManager *self,
                                                              gint64                 id);
SitrepIncident        *sitrep_incident_manager_find          (SitrepIncidentManager *self,
                                                              gint64                 id);
SitrepRunbook         *sitrep_incident_manager_get_runbook   (SitrepIncidentManager *self);
SitrepRunbook         *sitrep_incident_manager_get_runbook_for (SitrepIncidentManager *self,
                                                                SitrepIncident        *incident);
char                  *sitrep_incident_manager_describe_runbook (SitrepIncidentManager *self,
                                                                 SitrepIncident        *incident);
SitrepClock           *sitrep_incident_manager_get_clock     (SitrepIncidentManager *self);
gint64                 sitrep_incident_manager_now           (SitrepIncidentManager *self);

gint64                 sitrep_incident_manager_declare       (SitrepIncidentManager *self,
                                                              const char            *severity,
                                                              const char            *summary,
                                                              const char            *impact,
                                                              const char            *lead,
                                                              const char            *channel,
                                                              const char *const     *services,
                                                              GError               **error);
gboolean               sitrep_incident_manager_set_severity  (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              const char            *severity,
                                                              const char            *author,
                                                              GError               **error);
gboolean               sitrep_incident_manager_set_status    (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              SitrepIncidentStatus   status,
                                                              const char            *author,
                                                              GError               **error);
gboolean               sitrep_incident_manager_set_status_id (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              const char            *status,
                                                              const char            *author,
                                                              GError               **error);
gboolean               sitrep_incident_manager_set_item      (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              const char            *item_id,
                                                              gboolean               done,
                                                              const char            *author,
                                                              GError               **error);
gboolean               sitrep_incident_manager_answer_escalation (SitrepIncidentManager *self,
                                                                  gint64                 id,
                                                                  guint                  step,
                                                                  gboolean               escalated,
                                                                  const char            *author,
                                                                  GError               **error);
gboolean               sitrep_incident_manager_set_channel   (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              const char            *channel,
                                                              GError               **error);
gboolean               sitrep_incident_manager_update_sent   (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              const char            *author,
                                                              GError               **error);
gboolean               sitrep_incident_manager_reload        (SitrepIncidentManager *self,
                                                              gint64                 id,
                                                              GError               **error);
void                   sitrep_incident_manager_reload_list   (SitrepIncidentManager *self);
guint                  sitrep_incident_manager_record_health (SitrepIncidentManager *self,
                                                              const char            *service_id,
                                                              const char            *service_name,
                                                              SitrepHealth           old_health,
                                                              SitrepHealth           new_health,
                                                              SitrepReason          *reason,
                                                              gint64                 at);
void                   sitrep_incident_manager_start         (SitrepIncidentManager *self);
void                   sitrep_incident_manager_stop          (SitrepIncidentManager *self);
guint                  sitrep_incident_manager_check         (SitrepIncidentManager *self);

/* The same changes through the store's writer thread: the main loop does not wait on SQLite.
 * Each is made in the order asked for; the incident is reloaded before the callback. */
void                   sitrep_incident_manager_declare_async (SitrepIncidentManager *self,
                                                              const char            *severity,
                                                              const char            *summary,
                                                              const char            *impact,
                                                              const char            *lead,
                                                              const char            *channel,
                                                              const char *const     *services,
                                                              GCancellable          *cancellable,
                                                              GAsyncReadyCallback    callback,
                                                              gpointer               user_data);
gint64                 sitrep_incident_manager_declare_finish (SitrepIncidentManager *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);
void                   sitrep_incident_manager_set_severity_async (SitrepIncidentManager *self,
                                                                   gint64                 id,
                                                                   const char            *severity,
                                                                   const char            *author,
                                                                   GCancellable          *cancellable,
                                                                   GAsyncReadyCallback    callback,
                                                                   gpointer               user_data);
void                   sitrep_incident_manager_set_status_async (SitrepIncidentManager *self,
                                                                 gint64                 id,
                                                                 SitrepIncidentStatus   status,
                                                                 const char            *author,
                                                                 GCancellable          *cancellable,
                                                                 GAsyncReadyCallback    callback,
                                                                 gpointer               user_data);
void                   sitrep_incident_manager_set_status_id_async (SitrepIncidentManager *self,
                                                                    gint64                 id,
                                                                    const char            *status,
                                                                    const char            *author,
                                                                    GCancellable          *cancellable,
                                                                    GAsyncReadyCallback    callback,
                                                                    gpointer               user_data);
void                   sitrep_incident_manager_set_item_async (SitrepIncidentManager *self,
                                                               gint64                 id,
                                                               const char            *item_id,
                                                               gboolean               done,
                                                               const char            *author,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
void                   sitrep_incident_manager_answer_escalation_async (SitrepIncidentManager *self,
                                                                        gint64                 id,
                                                                        guint                  step,
                                                                        gboolean               escalated,
                                                                        const char            *author,
                                                                        GCancellable          *cancellable,
                                                                        GAsyncReadyCallback    callback,
                                                                        gpointer               user_data);
void                   sitrep_incident_manager_update_sent_async (SitrepIncidentManager *self,
                                                                  gint64                 id,
                                                                  const char            *author,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
void                   sitrep_incident_manager_set_channel_async (SitrepIncidentManager *self,
                                                                  gint64                 id,
                                                                  const char            *channel,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
gboolean               sitrep_incident_manager_change_finish (SitrepIncidentManager *self,
                                                              GAsyncResult          *result,
                                                              GError               **error);
void                   sitrep_incident_manager_record_message_async (SitrepIncidentManager     *self,
                                                                     const SitrepMessageRecord *message,
                                                                     GAsyncReadyCallback        callback,
                                                                     gpointer                   user_data);
gint64                 sitrep_incident_manager_record_message_finish (SitrepIncidentManager *self,
                                                                      GAsyncResult          *result,
                                                                      GError               **error);

G_END_DECLS
