/* sitrep-store-reader.h: reading a team database without the main loop waiting on the network */
#pragma once

#include <gio/gio.h>

#include "sitrep-store.h"

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
gpointer sitrep_store_read_finish     (SitrepStore          *self,
                                       GAsyncResult         *result,
                                       GError              **error);
gpointer sitrep_store_read_get_data   (GAsyncResult         *result);

void            sitrep_store_load_incident_async  (SitrepStore         *self,
                                                   gint64               id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
SitrepIncident *sitrep_store_load_incident_finish (SitrepStore         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
