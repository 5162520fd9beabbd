/* sitrep-store-deadline.h: a limit on how long a team database may leave a caller waiting */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SitrepStoreDeadline SitrepStoreDeadline;

typedef enum
{
  SITREP_STORE_DEADLINE_CUT_NOTHING,
  SITREP_STORE_DEADLINE_CUT_CONNECTING,
  SITREP_STORE_DEADLINE_CUT_CONNECTED,
} SitrepStoreDeadlineCut;

SitrepStoreDeadline   *sitrep_store_deadline_start   (guint                seconds);
SitrepStoreDeadlineCut sitrep_store_deadline_get_cut (SitrepStoreDeadline *self);
void                   sitrep_store_deadline_stop    (SitrepStoreDeadline *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepStoreDeadline, sitrep_store_deadline_stop)

G_END_DECLS
