/* sitrep-incident-manager-private.h: what the manager's files share */
#pragma once

#include "sitrep-incident-list.h"
#include "sitrep-incident-manager.h"

G_BEGIN_DECLS

struct _SitrepIncidentManager
{
  GObject parent_instance;

  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepIncidentRunbooks *runbooks; /* the runbooks incidents were declared under */
  SitrepClock *clock;
  GListStore *incidents;
  SitrepIncidentList *listed; /* what a list of incidents shows: drills only when asked for */
  gboolean show_drills;
  SitrepIncident *current;
  guint tick_id;
  gulong clock_changed_id;
  GHashTable *chains;         /* incident id → its changes queued on the writer thread */
  gboolean checking;          /* a check of the clocks is queued on the writer thread */
  gboolean check_again;       /* and another was asked for meanwhile */
  gboolean loading;           /* the list is being read (sitrep-incident-manager-open.c) */
  guint list_retry_id;        /* a list that could not be read is read again */
  gboolean list_failed;       /* and the log said so */
};

/* sitrep-incident-manager.c */
void            _sitrep_incident_manager_show     (SitrepIncidentManager *self,
                                                   SitrepIncident        *fresh);
void            _sitrep_incident_manager_set_loading (SitrepIncidentManager *self,
                                                      gboolean               loading);

/* sitrep-incident-manager-open.c: the list a manager starts with */
gboolean        _sitrep_incident_manager_open_list (SitrepIncidentManager *self,
                                                    gboolean               background,
                                                    GError               **error);

/* sitrep-incident-manager-reload.c: an incident read again and shown */
SitrepIncident *_sitrep_incident_manager_reload   (SitrepIncidentManager *self,
                                                   gint64                 id,
                                                   GError               **error);
void            _sitrep_incident_manager_reload_async  (SitrepIncidentManager *self,
                                                        gint64                 id,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
SitrepIncident *_sitrep_incident_manager_reload_finish (SitrepIncidentManager *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);
void            _sitrep_incident_manager_refresh  (SitrepIncidentManager *self,
                                                   gint64                 id);
SitrepIncident *_sitrep_incident_manager_load     (SitrepStore           *store,
                                                   SitrepIncidentRunbooks *runbooks,
                                                   gint64                 id,
                                                   GError               **error);
GPtrArray      *_sitrep_incident_manager_list     (SitrepStore           *store,
                                                   SitrepIncidentRunbooks *runbooks,
                                                   GError               **error);
void            _sitrep_incident_manager_stamp    (SitrepIncident        *incident);
gboolean        _sitrep_incident_manager_is_older (SitrepIncident        *fresh,
                                                   SitrepIncident        *shown);

/* sitrep-incident-manager.c */
void            _sitrep_incident_manager_emit_due (SitrepIncidentManager *self,
                                                   SitrepIncident        *incident,
                                                   SitrepDue             *due);
const SitrepChecklistItem *_sitrep_incident_manager_check_item (SitrepIncidentManager *self,
                                                                SitrepIncident        *incident,
                                                                const char            *item_id,
                                                                GError               **error);
JsonObject     *_sitrep_incident_manager_escalation_answer (SitrepIncidentManager *self,
                                                            SitrepIncident        *incident,
                                                            guint                  step,
                                                            gboolean               escalated,
                                                            gint64                *due_at,
                                                            GError               **error);
void            _sitrep_incident_manager_check_in_background (SitrepIncidentManager *self);
void            _sitrep_incident_manager_replace  (SitrepIncidentManager *self,
                                                   gint64                 old_id,
                                                   SitrepIncident        *fresh);

/* One of the commander's changes as the store is asked to make it: the same for a change made
 * in the call (sitrep-incident-manager-sync.c) and one made on the writer thread
 * (sitrep-incident-manager-writes.c). Nothing in it is owned. */
typedef enum
{
  SITREP_CHANGE_DECLARE,
  SITREP_CHANGE_SEVERITY,
  SITREP_CHANGE_STATUS,
  SITREP_CHANGE_ITEM,
  SITREP_CHANGE_ESCALATION,
  SITREP_CHANGE_UPDATE_SENT,
  SITREP_CHANGE_CHANNEL,
} SitrepChangeKind;

typedef struct
{
  SitrepChangeKind         kind;
  gint64                   id;          /* the incident's; declaring: the new one's, set */
  const SitrepDeclaration *declaration;
  SitrepIncident          *base;        /* the incident a severity or status starts from */
  const char              *text;        /* the severity, the item's id or the channel */
  const char              *item_text;
  SitrepIncidentStatus     stage;
  const char              *status_id;
  const char              *old_label;
  const char              *new_label;
  gboolean                 flag;        /* done; escalated */
  guint                    step;
  gint64                   due_at;
  JsonObject              *fields;
  gint64                   at;
  const char              *author;
} SitrepChange;

/* sitrep-incident-manager-sync.c: asks @store for @change once (a busy database is the
 * caller's to try again); declaring sets change->id */
gboolean        _sitrep_change_apply              (SitrepStore           *store,
                                                   SitrepChange          *change,
                                                   GError               **error);

/* sitrep-incident-manager-kept.c: incidents declared and changed while the team database is
 * unreachable */
void            _sitrep_incident_manager_follow_journal (SitrepIncidentManager   *self);
void            _sitrep_incident_manager_keep_declared  (SitrepIncidentManager   *self,
                                                         const SitrepDeclaration *declaration,
                                                         gint64                   local_id);
void            _sitrep_incident_manager_keep_change    (SitrepIncidentManager   *self,
                                                         gint64                   id,
                                                         const char              *kind,
                                                         JsonObject              *body);
void            _sitrep_incident_manager_restore_kept   (SitrepIncidentManager   *self);

G_END_DECLS
