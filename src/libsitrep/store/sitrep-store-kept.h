/* sitrep-store-kept.h: the changes a team database's journal keeps on this computer, listed for a person to read */
#pragma once

#include <gio/gio.h>

#include "sitrep-store.h"

G_BEGIN_DECLS

/* One change the journal keeps: when it was kept, of which incident, what it is. */
typedef struct
{
  gint64 at;          /* µs since the epoch, when it was kept */
  gint64 incident;    /* its incident's id as kept (below zero: declared while away), or 0 */
  char *kind;         /* the journal's kind: "note", "item", "declare" … */
  char *what;         /* in a person's words: “Note “Paged the DBA””, … */
  char *change_id;    /* the change's own id: a kept note's, for its edit */
  char *text;         /* a note: its text with the edits kept after it; its edit: the text */
  char *author;       /* a note: who wrote it */
  char *note;         /* a note's edit: the note's change id */
  char *body;         /* the change as the journal keeps it: JSON text */
} SitrepKeptChange;

void        sitrep_kept_change_free           (SitrepKeptChange    *change);

void        sitrep_store_list_kept_async      (SitrepStore         *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray  *sitrep_store_list_kept_finish     (SitrepStore         *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepKeptChange, sitrep_kept_change_free)

G_END_DECLS
