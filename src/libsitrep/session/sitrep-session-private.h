/* sitrep-session-private.h: what the session's two files share: its fields and notifications */
#pragma once

#include "sitrep-session.h"
#include "sitrep-store-presence.h"
#include "sitrep-store-watch.h"

G_BEGIN_DECLS

struct _SitrepSession
{
  GObject parent_instance;

  GSettings *settings;
  SitrepRunbook *runbook;
  GPtrArray *problems;
  GCancellable *load_cancellable;
  SitrepStore *store;
  char *store_error;
  SitrepMonitor *monitor;
  SitrepIncidentManager *incidents;
  SitrepActionController *actions;
  GBinding *actions_bindings[2]; /* read-only and trusted, owned by the pair */
  GPtrArray *retired;     /* GWeakRef: controllers of replaced runbooks whose commands still run */
  SitrepWebhook *webhook;
  GHashTable *trusted_here; /* digests trusted while no settings could remember them */
  SitrepReadOnlySource read_only_source;
  gboolean loading;
  gboolean trusted;
  gboolean forced_read_only;
  gboolean probes_paused;
  gboolean closed;
  /* A command-line verb's: no probes, chat webhook, clocks or commands; the database opened
   * in the call (sitrep_session_open_existing_store()). */
  gboolean headless;

  /* sitrep-session-team.c: a team database, opened on a thread; the watch that follows the
   * other consoles' changes; who else is connected. */
  char *store_address;
  GCancellable *team_cancellable;
  SitrepStoreWatch *watch;
  guint watch_retry_id;
  guint presence_retry_id; /* who else is there: looked for again, the server away */
  SitrepStorePresence *presence;
  gboolean store_connecting;
  /* The database the session was opened on, which an emptied team address goes back to: a
   * file named on the command line, or NULL for the default one. */
  char *home_path;
  gboolean home_known;
  /* Stores switched away from, each handed to a thread that waits for what it still writes
   * and drops it there: the main loop waits for neither. Joined when the session closes. */
  GPtrArray *releasing;
};

typedef enum
{
  SITREP_SESSION_PROP_0,
  SITREP_SESSION_PROP_SETTINGS,
  SITREP_SESSION_PROP_RUNBOOK,
  SITREP_SESSION_PROP_PROBLEMS,
  SITREP_SESSION_PROP_LOADING,
  SITREP_SESSION_PROP_STORE,
  SITREP_SESSION_PROP_STORE_ERROR,
  SITREP_SESSION_PROP_MONITOR,
  SITREP_SESSION_PROP_INCIDENTS,
  SITREP_SESSION_PROP_ACTIONS,
  SITREP_SESSION_PROP_WEBHOOK,
  SITREP_SESSION_PROP_READ_ONLY,
  SITREP_SESSION_PROP_READ_ONLY_SOURCE,
  SITREP_SESSION_PROP_TRUSTED,
  SITREP_SESSION_PROP_STORE_ADDRESS,
  SITREP_SESSION_PROP_STORE_CONNECTING,
  SITREP_SESSION_PROP_PRESENCE,
  SITREP_SESSION_PROP_HEADLESS,
  SITREP_SESSION_N_PROPS
} SitrepSessionProp;

/* sitrep-session.c: the object's properties and signals */
void sitrep_session_notify              (SitrepSession      *self,
                                         SitrepSessionProp   prop);
void sitrep_session_emit_health_changed (SitrepSession      *self,
                                         SitrepServiceState *state,
                                         SitrepHealth        old_health,
                                         SitrepHealth        new_health);
void sitrep_session_emit_event_changed  (SitrepSession      *self,
                                         gint64              incident_id,
                                         gint64              event_id);
void sitrep_session_emit_postmortem_changed (SitrepSession *self,
                                             gint64         incident_id);
void sitrep_session_emit_due            (SitrepSession      *self,
                                         SitrepIncident     *incident,
                                         SitrepDue          *due);

/* sitrep-session-parts.c: the monitor, incidents, webhook and commands, rebuilt together */
void sitrep_session_replace_monitor     (SitrepSession      *self);
void sitrep_session_replace_incidents   (SitrepSession      *self);
void sitrep_session_close_parts         (SitrepSession      *self);
void sitrep_session_update_author       (SitrepSession      *self);

/* sitrep-session-store.c */
void sitrep_session_set_store_error     (SitrepSession      *self,
                                         const char         *message);
void sitrep_session_store_opened        (SitrepSession      *self);

/* sitrep-session-team.c */
void sitrep_session_open_team_store     (SitrepSession      *self,
                                         const char         *address);
void sitrep_session_close_team          (SitrepSession      *self);
void sitrep_session_join_released       (SitrepSession      *self);
/* How long a console that closes, or leaves a team database, waits for the server to take
 * its changes before the journal keeps what is left (sitrep_store_finish_writes()). */
#define SITREP_SESSION_TEAM_WRITES_WAIT_US (5 * G_USEC_PER_SEC)

G_END_DECLS
