/* sitrep-store-private.h: what the store's parts share: the connection and its helpers */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sitrep-store-db-pg.h"
#include "sitrep-store.h"
#include "sitrep-store-db.h"
#include "sitrep-store-deadline-private.h"
#include "sitrep-json.h"

G_BEGIN_DECLS

typedef struct _SitrepStoreReader SitrepStoreReader;

struct _SitrepStore
{
  GObject parent_instance;

  /* A file's path, or a team database's connection string (which never holds a password). */
  char *path;
  /* The connection, through the engine seam (sitrep-store-db.h); every part of the store but
   * the writer's pragmas and the integrity check speaks through it. */
  SitrepDb *conn;
  /* conn's sqlite3 handle for those; NULL on PostgreSQL. */
  sqlite3 *db;
  int schema_version;

  /* sitrep-store-audit-key.c: the audit log's key, wiped when it goes; why it could not be
   * had; and the keyring lookup in progress with the callers waiting for it (which holds the
   * store, so that none is left when it is finalized). */
  GBytes *audit_key;
  char *audit_key_problem;
  gpointer audit_key_load;
  GPtrArray *audit_key_waiting;
  /* sitrep-store-audit.c: an append inside a transaction of the caller's (a change written
   * with its id): the chain's lock held until that transaction ends, and the anchor to move
   * once it is committed (a SitrepAuditPending). */
  gboolean audit_locked;
  gpointer audit_pending;

  /* sitrep-store-writer.c: the thread that runs queued changes on a connection of its own,
   * started by the first one; NULL for an in-memory database. */
  GThread *writer_thread;
  GAsyncQueue *writer_queue;
  /* What the thread takes its references from: empty once the last one is going, so that it
   * never takes one on a store being finalized. */
  GWeakRef writer_self;

  /* sitrep-store-reader.c: the thread that runs a team database's reads on a connection of
   * its own, made by the first read. Made on the thread that queues reads, but looked at by
   * one that closes them (sitrep_store_close_reads()): set and read atomically. Freed last,
   * when the store goes. */
  SitrepStoreReader *reader;

  /* A team database's journal (sitrep-store-journal.c), where the writer keeps changes while
   * the server is unreachable, and what the main thread knows of it: the writer tells the
   * context the thread was started from. */
  char *journal_path;
  GMainContext *writer_context;
  /* Where the writer thread's connections to a team database show their socket, for a console
   * that closes to cut when the server does not take its changes in time
   * (sitrep_store_finish_writes()); once cut, the thread connects no more. */
  SitrepDbSocketSlot writer_slot;
  /* The deadline of the thread that opened the store (sitrep-store-deadline.c), which cuts the
   * writer thread's connection too; NULL without one. Its slot shows the main connection. */
  SitrepStoreDeadline *deadline;
  gboolean offline;
  gboolean never_connected; /* opened while its server was away, and it has not answered since */
  guint pending_changes;
  /* Why the journal's changes are not written though the server answers; how many were set
   * aside because the server can never take them. */
  char *journal_problem;
  guint refused_changes;
  /* The journal's replay waits for the audit log's key. */
  gboolean waits_for_key;
  /* The main connection being made again on a thread of its own. */
  gboolean reconnecting;
  /* A console's: how long a change the journal can keep may wait for the server, and the
   * source that cuts it after (sitrep-store-writer-stalls.c). */
  gint64 stalled_after;
  GSource *stall_watch;
};

void          sitrep_store_fail      (SitrepStore *self,
                                      int          rc,
                                      const char  *doing,
                                      GError     **error);
gboolean      sitrep_store_exec      (SitrepStore *self,
                                      const char  *sql,
                                      const char  *doing,
                                      GError     **error);
sqlite3_stmt *sitrep_store_prepare   (SitrepStore *self,
                                      const char  *sql,
                                      GError     **error);
SitrepDbStmt *sitrep_store_statement (SitrepStore *self,
                                      const char  *sql,
                                      GError     **error);
gint64        sitrep_store_step_id   (SitrepStore  *self,
                                      SitrepDbStmt *stmt,
                                      const char   *doing,
                                      GError      **error);
gint64        sitrep_store_query_int (SitrepStore *self,
                                      const char  *sql,
                                      gint64       arg,
                                      const char  *doing,
                                      GError     **error);

gboolean      sitrep_store_begin     (SitrepStore  *self,
                                      GError      **error);
gboolean      sitrep_store_commit    (SitrepStore  *self,
                                      GError      **error);
gboolean      sitrep_store_rollback  (SitrepStore  *self);
gboolean      sitrep_store_step_done (SitrepStore  *self,
                                      SitrepDbStmt *stmt,
                                      const char   *doing,
                                      GError      **error);

/* The words of one timeline event that search finds, as an SQL expression over the columns of
 * @row ("new" in a trigger, "timeline_events" in a SELECT): the kind, a note's text and first
 * text, the annotation, the author, and the values of a system event's fields (fields that are
 * not JSON, in a tampered file, as they are, never refused). Part of migration 8 → 9: never
 * change it; other words need a migration that indexes every event again. */
#define SITREP_STORE_SEARCH_BODY(row)                                                         \
  row ".kind || ' ' || " row ".text || ' ' || " row ".author || ' '"                          \
  " || coalesce (" row ".annotation, '') || ' ' || coalesce (" row ".original_text, '')"      \
  " || ' ' || coalesce (CASE WHEN json_valid (" row ".fields)"                                \
  " THEN (SELECT group_concat (value, ' ') FROM json_each (" row ".fields))"                  \
  " ELSE " row ".fields END, '')"

/* Whether incident @incident_id exists, or FALSE with @error set (sitrep-store-incidents.c). */
gboolean      sitrep_store_check_incident (SitrepStore  *self,
                                           gint64        incident_id,
                                           const char   *doing,
                                           GError      **error);

/* The one way a timeline event is written (sitrep-store-timeline.c), inside the caller's
 * transaction: a system event with @fields, or a note with @text. */
gint64        sitrep_store_insert_event (SitrepStore  *self,
                                         gint64        incident_id,
                                         gint64        at,
                                         const char   *kind,
                                         JsonObject   *fields,
                                         const char   *text,
                                         const char   *author,
                                         GError      **error);

void          sitrep_store_start_writer (SitrepStore  *self);
void          sitrep_store_stop_writer  (SitrepStore  *self);
/* sitrep-store-reader.c: when the store goes (no read is queued then, since each holds it). */
void          sitrep_store_free_reader  (SitrepStore  *self);
gboolean      sitrep_store_is_in_memory (SitrepStore  *self);
/* sitrep-store-audit-key.c tells the writer thread of a key read (or not) from the keyring. */
void          sitrep_store_writer_key_changed (SitrepStore *self);
void          sitrep_store_cut_writer         (SitrepStore *self);
/* Called on the writer thread just before it tells the main context of a state change; only
 * the tests set it (sitrep-store-writer-testing.c), to drop the store's last reference then. */
extern void (*sitrep_store_writer_before_tell) (gpointer data);
extern gpointer sitrep_store_writer_before_tell_data;
void          sitrep_store_writer_testing_set_before_tell (void   (*func) (gpointer data),
                                                           gpointer data);
void          sitrep_store_testing_set_connecting (void (*func) (void));
/* sitrep-store-audit-key.c: where the tests hold the keyring's lookups, as a prompt nobody
 * answers would (sitrep-store-testing.h); NULL: they are made. */
typedef void (*SitrepStoreHoldKeyLookup) (SitrepStore *self,
                                          void       (*lookup) (SitrepStore *self));
extern SitrepStoreHoldKeyLookup sitrep_store_hold_key_lookup;
/* From the writer thread, on the main context: why the journal waits though the server
 * answers (NULL: it does not), how many changes were set aside, and whether the replay waits
 * for the audit log's key. */
void          sitrep_store_set_journal_state (SitrepStore *self,
                                              const char  *problem,
                                              guint        refused,
                                              gboolean     waits_for_key);
/* From the writer thread, on the main context: the journal's state changed. */
void          sitrep_store_set_offline_state (SitrepStore *self,
                                              gboolean     offline,
                                              guint        pending,
                                              guint        replayed);

/* From the writer thread, on the main context: the incident declared while away under the
 * provisional @local_id is on the server, as @incident. */
void          sitrep_store_incident_written  (SitrepStore    *self,
                                              gint64          local_id,
                                              SitrepIncident *incident);

/* sitrep-store-schema.c */
gboolean      sitrep_store_read_schema_version (SitrepStore *self,
                                                int         *version,
                                                GError     **error);
gboolean      sitrep_store_refuse_newer        (SitrepStore *self,
                                                int          version,
                                                GError     **error);
gboolean      sitrep_store_migrate             (SitrepStore *self,
                                                GError     **error);

G_END_DECLS
