/* sitrep-store-deadline-private.h: what the store tells the deadline of the thread that opens it */
#pragma once

#include "sitrep-store-db-pg.h"
#include "sitrep-store-deadline.h"

G_BEGIN_DECLS

/* The writer thread a store of this thread starts is cut with its deadline. */
SitrepStoreDeadline *sitrep_store_deadline_watch_current (SitrepDbSocketSlot  *slot);
void                 sitrep_store_deadline_unwatch       (SitrepStoreDeadline *self,
                                                          SitrepDbSocketSlot  *slot);

G_END_DECLS
