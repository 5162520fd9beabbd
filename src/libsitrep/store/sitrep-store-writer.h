/* sitrep-store-writer.h: writing to the store from the main loop without waiting on SQLite */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sitrep-store.h"
#include "sitrep-store-audit.h"
#include "sitrep-timeline-event.h"

G_BEGIN_DECLS

/* A change run by the store's writer thread on the writer's own connection: it calls the
 * store's synchronous functions on @store (never on the store it was queued on) and may touch
 * nothing the main thread changes meanwhile. It must leave no transaction open on failure (the
 * store's functions roll back); a change refused as busy is run again from the start. */
typedef gboolean (*SitrepStoreWriteFunc) (SitrepStore *store,
                                          gpointer     data,
                                          GError     **error);

void     sitrep_store_write_async       (SitrepStore          *self,
                                         SitrepStoreWriteFunc  func,
                                         gpointer              data,
                                         GDestroyNotify        destroy,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
void     sitrep_store_write_patient_async (SitrepStore        *self,
                                          SitrepStoreWriteFunc func,
                                          gpointer            data,
                                          GDestroyNotify      destroy,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
void     sitrep_store_write_journaled_async (SitrepStore      *self,
                                             SitrepStoreWriteFunc func,
                                             gpointer          data,
                                             GDestroyNotify    destroy,
                                             const char       *kind,
                                             JsonObject       *body,
                                             GCancellable     *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer          user_data);
void     sitrep_store_write_if_lost     (GDestroyNotify        func,
                                         gpointer              data);
gboolean sitrep_store_write_was_journaled (GAsyncResult       *result);
const char *sitrep_store_write_get_change_id (GAsyncResult     *result);
gboolean sitrep_store_write_finish      (SitrepStore          *self,
                                         GAsyncResult         *result,
                                         GError              **error);
gpointer sitrep_store_write_get_data    (GAsyncResult         *result);
gboolean sitrep_store_write_sync        (SitrepStore          *self,
                                         SitrepStoreWriteFunc  func,
                                         gpointer              data,
                                         GError              **error);
void     sitrep_store_wait_for_writes   (SitrepStore          *self);
void     sitrep_store_finish_writes     (SitrepStore          *self,
                                         gint64                end_time);

void     sitrep_store_add_health_async  (SitrepStore              *self,
                                         const SitrepHealthSample *samples,
                                         guint                     n_samples,
                                         const SitrepHealthChange *changes,
                                         guint                     n_changes,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data);
gboolean sitrep_store_add_health_finish (SitrepStore              *self,
                                         GAsyncResult             *result,
                                         GError                  **error);

void     sitrep_store_add_note_async    (SitrepStore              *self,
                                         gint64                    incident_id,
                                         gint64                    at,
                                         const char               *text,
                                         const char               *author,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data);
SitrepTimelineEvent *sitrep_store_add_note_finish (SitrepStore   *self,
                                         GAsyncResult             *result,
                                         GError                  **error);

void     sitrep_store_record_event_async  (SitrepStore            *self,
                                           gint64                  incident_id,
                                           gint64                  at,
                                           const char             *kind,
                                           JsonObject             *fields,
                                           const char             *author,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
gint64   sitrep_store_record_event_finish (SitrepStore            *self,
                                           GAsyncResult           *result,
                                           GError                **error);

void     sitrep_store_append_audit_async  (SitrepStore            *self,
                                           const SitrepAuditEntry *entry,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
void     sitrep_store_append_audit_unkept_async (SitrepStore      *self,
                                                 const SitrepAuditEntry *entry,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gint64   sitrep_store_append_audit_finish (SitrepStore            *self,
                                           GAsyncResult           *result,
                                           GError                **error);

/* The commander's changes to timeline events (sitrep-store-writer-notes.c): by the event's id,
 * finished with sitrep_store_change_event_finish(). */
void     sitrep_store_edit_note_async      (SitrepStore            *self,
                                            gint64                  incident_id,
                                            gint64                  event_id,
                                            const char             *base,
                                            const char             *text,
                                            gint64                  at,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
void     sitrep_store_delete_note_async    (SitrepStore            *self,
                                            gint64                  incident_id,
                                            gint64                  event_id,
                                            gint64                  at,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
void     sitrep_store_annotate_event_async (SitrepStore            *self,
                                            gint64                  incident_id,
                                            gint64                  event_id,
                                            const char             *annotation,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
void     sitrep_store_star_event_async     (SitrepStore            *self,
                                            gint64                  incident_id,
                                            gint64                  event_id,
                                            gboolean                starred,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
void     sitrep_store_move_start_async     (SitrepStore            *self,
                                            gint64                  incident_id,
                                            gint64                  started_at,
                                            gint64                  at,
                                            const char             *author,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
/* A note kept in the journal, not on the team database yet, edited by its change's id
 * (sitrep_store_write_get_change_id() of the note's sitrep_store_add_note_async()). */
void     sitrep_store_edit_kept_note_async (SitrepStore            *self,
                                            const char             *note_change_id,
                                            gint64                  incident_id,
                                            const char             *text,
                                            gint64                  at,
                                            const char             *author,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
SitrepTimelineEvent *sitrep_store_change_event_finish (SitrepStore  *self,
                                            GAsyncResult           *result,
                                            GError                **error);

void     sitrep_store_cut_stalled_changes   (SitrepStore        *self,
                                            guint               seconds);

G_END_DECLS
