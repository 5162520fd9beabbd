/* sitrep-store-watch.h: follows what other consoles write to a team database (LISTEN/NOTIFY) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SITREP_TYPE_STORE_WATCH (sitrep_store_watch_get_type ())

G_DECLARE_FINAL_TYPE (SitrepStoreWatch, sitrep_store_watch, SITREP, STORE_WATCH, GObject)

void              sitrep_store_watch_new_async  (const char          *conninfo,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
SitrepStoreWatch *sitrep_store_watch_new_finish (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
