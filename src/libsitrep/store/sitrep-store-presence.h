/* sitrep-store-presence.h: who else has a console open on a team database */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SITREP_TYPE_STORE_PRESENCE (sitrep_store_presence_get_type ())

G_DECLARE_FINAL_TYPE (SitrepStorePresence, sitrep_store_presence, SITREP, STORE_PRESENCE, GObject)

void                 sitrep_store_presence_new_async   (const char          *conninfo,
                                                        const char          *name,
                                                        guint                interval_ms,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
SitrepStorePresence *sitrep_store_presence_new_finish  (GAsyncResult        *result,
                                                        GError             **error);
void                 sitrep_store_presence_set_name    (SitrepStorePresence *self,
                                                        const char          *name);
const char          *sitrep_store_presence_get_location (SitrepStorePresence *self);
const char *const   *sitrep_store_presence_get_others  (SitrepStorePresence *self);
const char          *sitrep_store_presence_get_problem (SitrepStorePresence *self);
void                 sitrep_store_presence_refresh     (SitrepStorePresence *self);

G_END_DECLS
