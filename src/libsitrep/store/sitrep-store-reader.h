/* sitrep-store-reader.h: reading a team database without the main loop waiting on the network */
#pragma once

#include <gio/gio.h>

#include "sitrep-store.h"
#include "sitrep-store-messages.h"
#include "sitrep-postmortem-model.h"

G_BEGIN_DECLS

/* A read run on the store's reader thread, on the reader's own connection: it calls the
 * store's synchronous functions on @store (never on the store it was queued on) and returns
 * what it read, or NULL with @error set. On a file of one's own it runs in the call, on the
 * store itself. */
typedef gpointer (*SitrepStoreReadFunc) (SitrepStore *store,
                                         gpointer     data,
                                         GError     **error);

void     sitrep_store_read_async      (SitrepStore          *self,
                                       SitrepStoreReadFunc   func,
                                       gpointer              data,
                                       GDestroyNotify        data_destroy,
                                       GDestroyNotify        result_destroy,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
void     sitrep_store_read_in_thread_async
                                      (SitrepStore          *self,
                                       SitrepStoreReadFunc   func,
                                       gpointer              data,
                                       GDestroyNotify        data_destroy,
                                       GDestroyNotify        result_destroy,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gpointer sitrep_store_read_finish     (SitrepStore          *self,
                                       GAsyncResult         *result,
                                       GError              **error);
gpointer sitrep_store_read_get_data   (GAsyncResult         *result);
void     sitrep_store_close_reads     (SitrepStore          *self);

void            sitrep_store_load_incident_async  (SitrepStore         *self,
                                                   gint64               id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
SitrepIncident *sitrep_store_load_incident_finish (SitrepStore         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void            sitrep_store_load_message_async   (SitrepStore         *self,
                                                   gint64               id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
SitrepMessage  *sitrep_store_load_message_finish  (SitrepStore         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* What the post-mortem editor shows of an incident, read at once. */
typedef struct
{
  SitrepIncident *incident;
  SitrepPostmortemFields *fields;
  GPtrArray *items;       /* SitrepActionItem */
  GPtrArray *events;      /* SitrepTimelineEvent, as sitrep_store_list_events() lists them;
                           * NULL from sitrep_store_read_postmortem_texts_async() */
} SitrepPostmortemRead;

void                  sitrep_postmortem_read_free         (SitrepPostmortemRead *read);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepPostmortemRead, sitrep_postmortem_read_free)

void                  sitrep_store_read_postmortem_async  (SitrepStore         *self,
                                                           gint64               incident_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
void                  sitrep_store_read_postmortem_texts_async
                                                          (SitrepStore         *self,
                                                           gint64               incident_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
SitrepPostmortemRead *sitrep_store_read_postmortem_finish (SitrepStore         *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
