/* sitrep-store-message-writes.h: a message recorded, and its webhook state written, on the store's writer thread */
#pragma once

#include "sitrep-store-messages.h"

G_BEGIN_DECLS

void     sitrep_store_record_message_async  (SitrepStore               *self,
                                             const SitrepMessageRecord *record,
                                             GCancellable              *cancellable,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);
gint64   sitrep_store_record_message_finish (SitrepStore               *self,
                                             GAsyncResult              *result,
                                             GError                   **error);
void     sitrep_store_mark_message_async    (SitrepStore               *self,
                                             const SitrepMessageMark   *mark,
                                             gint64                     at,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);
gboolean sitrep_store_mark_message_finish   (SitrepStore               *self,
                                             GAsyncResult              *result,
                                             gboolean                  *kept,
                                             const SitrepMessageMark  **mark,
                                             GError                   **error);

G_END_DECLS
