/* lock-test-util.h: another process, as SQLite sees it, holding a database's write lock */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LockHolder LockHolder;

LockHolder *lock_holder_start              (const char *path,
                                            guint       seconds);
gboolean    lock_holder_is_released        (LockHolder *holder);
guint       lock_holder_ticks_while_locked (LockHolder *holder);
void        lock_holder_free               (LockHolder *holder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LockHolder, lock_holder_free)

G_END_DECLS
