/* sitrep-store-journal-events.c: the changes to timeline events the server has, kept while it is away
 *
 * An edit, a deletion, an annotation or a star of an event already on the team database, or an
 * incident's start of impact moved earlier, is kept in the journal
 * (SITREP_STORE_EVENT_CHANGE_KIND, queued by sitrep-store-writer-notes.c) and made by the
 * replay (sitrep-store-journal-replay.c) with the store's own calls. An edit is made only on
 * the text it started from: one that another console's edit overtook meanwhile is set aside
 * with both texts, never written over theirs.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-json.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-error.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-journal-private.h"
#include "sitrep-store-timeline.h"

/* A kept change to a timeline event the server has, made on it: an edit only on the text it
 * started from. One another console's edit overtook while this one was kept is refused as
 * SITREP_STORE_ERROR_INVALID, naming both texts, so that it is set aside, not written over
 * theirs. @incident_id: the incident the event is on, for the replay's line. */
gboolean
sitrep_store_journal_replay_event_change (SitrepStore *team,
                                          JsonObject  *body,
                                          gint64      *incident_id,
                                          GError     **error)
{
  const char *change = sitrep_json_string (body, "change");
  const char *text = sitrep_json_string (body, "text");
  gint64 at = sitrep_json_int (body, "at");
  g_autoptr(SitrepTimelineEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (g_strcmp0 (change, "move-start") == 0)
    {
      g_autoptr(SitrepIncident) incident = NULL;
      g_autoptr(SitrepTimelineEvent) moved = NULL;

      /* The replay has made a provisional id the server's already. */
      incident = sitrep_store_load_incident (team, *incident_id, error);
      if (incident == NULL)
        return FALSE;
      *incident_id = sitrep_incident_get_id (incident);
      /* A start moved earlier still by another console meanwhile refuses this one
       * (SITREP_STORE_ERROR_INVALID): set aside, theirs stands. */
      moved = sitrep_store_move_start (team, incident, sitrep_json_int (body, "started_at"), at,
                                       sitrep_json_string (body, "author"), error);
      return moved != NULL;
    }
  event = sitrep_store_load_event (team, sitrep_json_int (body, "event"), error);
  if (event == NULL)
    return FALSE;
  *incident_id = sitrep_timeline_event_get_incident_id (event);
  if (g_strcmp0 (change, "edit") == 0 && text != NULL)
    {
      const char *base = sitrep_json_string (body, "base");

      ok = sitrep_store_edit_note_from (team, event,
                                        base != NULL ? base : sitrep_timeline_event_get_text (event),
                                        text, at, &local_error);
    }
  else if (g_strcmp0 (change, "delete") == 0)
    ok = sitrep_store_delete_note (team, event, at, &local_error);
  else if (g_strcmp0 (change, "annotate") == 0 && text != NULL)
    ok = sitrep_store_annotate_event (team, event, text, &local_error);
  else if (g_strcmp0 (change, "star") == 0)
    ok = sitrep_store_star_event (team, event, sitrep_json_boolean (body, "starred", FALSE),
                                  &local_error);
  else
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("the kept change to a timeline event is not readable (“%s”)"),
                   change != NULL ? change : "");
      return FALSE;
    }
  if (ok)
    return TRUE;
  /* A change the store's checks refused without a word (a journal edited by hand: an edit of
   * an event that has no text): never writable, set aside. */
  if (local_error == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("the kept change to a timeline event is not readable (“%s”)"), change);
      return FALSE;
    }
  if (g_error_matches (local_error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED)
      && sitrep_edit_conflict_get_n (local_error) > 0)
    {
      const SitrepEditConflict *conflict = sitrep_edit_conflict_get (local_error, 0);

      /* Translators: an edit kept while the team database was unreachable, set aside; the
       * first %s is the edit's text, the second the note's text on the server */
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("the edit “%s” was not made: another console changed the note to “%s” "
                     "meanwhile"),
                   conflict->yours, conflict->theirs);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* After a kept edit of an event is on the server: the edits of the same event kept after it,
 * which the person made on the text the row still showed (the row shows the server's, which
 * had not changed yet), start from this one's text instead, so that the replay does not take
 * them for another console's overtaken edits. */
gboolean
sitrep_store_journal_chain_edits (SitrepStoreJournal *self,
                                  JsonObject         *body,
                                  GError            **error)
{
  const char *text = sitrep_json_string (body, "text");
  const char *base = sitrep_json_string (body, "base");
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (g_strcmp0 (sitrep_json_string (body, "change"), "edit") != 0 || text == NULL
      || base == NULL)
    return TRUE;
  ok = sqlite3_prepare_v2 (self->db,
                           "UPDATE journal SET body = json_set (body, '$.base', ?3)"
                           " WHERE kind = '" SITREP_STORE_EVENT_CHANGE_KIND "'"
                           " AND json_valid (body) AND json_extract (body, '$.change') = 'edit'"
                           " AND json_extract (body, '$.event') = ?1"
                           " AND json_extract (body, '$.base') = ?2",
                           -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, sitrep_json_int (body, "event"));
      sqlite3_bind_text (stmt, 2, base, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    return sitrep_store_journal_fail (self, _("keeping an edit's text for the edits after it"),
                                      error);
  return TRUE;
}
