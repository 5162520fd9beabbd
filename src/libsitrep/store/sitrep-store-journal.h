/* sitrep-store-journal.h: a console's changes kept on this computer while its team database is unreachable, and their replay */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-store.h"

G_BEGIN_DECLS

/* The journal's kind of a change to a timeline event the server has (an edit, a deletion, an
 * annotation, a star), kept while a team database is away: its body has "event", "incident",
 * "change" ("edit", "delete", "annotate", "star"), "at", and "text", "base", "starred" as the
 * change needs. */
#define SITREP_STORE_EVENT_CHANGE_KIND "event-change"

typedef struct _SitrepStoreJournal SitrepStoreJournal;

char               *sitrep_store_journal_default_path (const char          *address);
SitrepStoreJournal *sitrep_store_journal_open    (const char          *path,
                                                  GError             **error);
void                sitrep_store_journal_free    (SitrepStoreJournal  *self);
const char         *sitrep_store_journal_get_path (SitrepStoreJournal *self);
gboolean            sitrep_store_journal_append  (SitrepStoreJournal  *self,
                                                  const char          *change_id,
                                                  const char          *kind,
                                                  const char          *body,
                                                  GError             **error);
gint64              sitrep_store_journal_count   (SitrepStoreJournal  *self,
                                                  GError             **error);
gint64              sitrep_store_journal_count_refused (SitrepStoreJournal *self,
                                                        GError            **error);

/* A change kept (@reason NULL) or set aside (@reason why); @at in µs since the epoch. */
typedef void (*SitrepStoreJournalFunc) (const char *change_id,
                                        const char *kind,
                                        const char *body,
                                        gint64      at,
                                        const char *reason,
                                        gpointer    data);

gboolean            sitrep_store_journal_foreach (SitrepStoreJournal     *self,
                                                  gboolean                refused,
                                                  SitrepStoreJournalFunc  func,
                                                  gpointer                data,
                                                  GError                **error);
gboolean            sitrep_store_journal_replay  (SitrepStoreJournal  *self,
                                                  SitrepStore         *team,
                                                  guint                limit,
                                                  guint               *n_written,
                                                  GError             **error);

gboolean            sitrep_store_journal_waits_for_key (SitrepStoreJournal *self);
GArray             *sitrep_store_journal_take_written (SitrepStoreJournal *self);
gint64              sitrep_store_journal_team_id (gint64               id);
gint64              sitrep_store_journal_note_id (const char          *change_id);

/* @func is a SitrepStoreWriteFunc (sitrep-store-writer.h). */
gboolean            sitrep_store_journal_apply   (SitrepStore         *team,
                                                  const char          *change_id,
                                                  gboolean           (*func) (SitrepStore *store,
                                                                              gpointer     data,
                                                                              GError     **error),
                                                  gpointer             data,
                                                  gboolean            *already,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepStoreJournal, sitrep_store_journal_free)

G_END_DECLS
