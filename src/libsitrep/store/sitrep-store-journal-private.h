/* sitrep-store-journal-private.h: what the journal's files share: the journal itself */
#pragma once

#include <sqlite3.h>

#include "sitrep-store-journal.h"

G_BEGIN_DECLS

struct _SitrepStoreJournal
{
  char *path;
  sqlite3 *db;
  GArray *written;          /* pairs of provisional and server ids learnt by the replay */
  gboolean waits_for_key;   /* the last replay stopped at an audit entry it cannot sign yet */
};

/* Fails with the journal's words: what it was doing, where the file is, what to do. */
gboolean sitrep_store_journal_fail             (SitrepStoreJournal *self,
                                                const char         *doing,
                                                GError            **error);
/* For sitrep_store_journal_team_id(): @local was written as @team, in this process. */
void     sitrep_store_journal_remember_team_id (gint64              local,
                                                gint64              team);

/* For sitrep_store_journal_note_id(): the note kept as @change_id was written as @event_id. */
void     sitrep_store_journal_remember_note_id (const char         *change_id,
                                                gint64              event_id);

/* sitrep-store-journal-events.c: a kept change to a timeline event the server has */
gboolean sitrep_store_journal_replay_event_change (SitrepStore        *team,
                                                   JsonObject         *body,
                                                   gint64             *incident_id,
                                                   GError            **error);
gboolean sitrep_store_journal_chain_edits         (SitrepStoreJournal *self,
                                                   JsonObject         *body,
                                                   GError            **error);

G_END_DECLS
