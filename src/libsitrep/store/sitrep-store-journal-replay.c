/* sitrep-store-journal-replay.c: the journal's changes written to the team database once it answers again
 *
 * Each change is written in the order it was made, in its own transaction with its id
 * (sitrep_store_journal_apply()), and forgotten once committed. The replay is on each
 * incident's timeline: "N changes made while the team database was unreachable were written".
 *
 * An incident declared while the server is away has a provisional id below zero
 * (sitrep-incident-kept.c), and the changes kept after it name that id. The replay writes the
 * declaration, learns the server's id, and in one transaction of the journal remembers the
 * pair (local_ids), rewrites the kept changes that name the provisional id and forgets the
 * declaration; the writer then tells the console (SitrepStore::incident-written). A change
 * queued with the provisional id after that is written under the server's
 * (sitrep_store_journal_team_id()). A declaration the server has already (its COMMIT was lost
 * with the connection) is found again by when it was declared and its summary.
 *
 * A note kept in the journal can be edited before it is written: the edit is kept after it
 * ("note-edit", naming the note's change id). Once the replay has written the note it writes
 * the note's server id into the edits kept after it (learn_note_id()), which are then written
 * onto that note; an edit queued later in this process finds it by
 * sitrep_store_journal_note_id().
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-journal-private.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event.h"

/* A journaled change as the replay runs it. */
typedef struct
{
  const char *kind;
  JsonObject *body;
  gint64 incident;
  gint64 declared;          /* a declaration: the server's id */
  gint64 written;           /* a note: its event's id on the server */
} Entry;

/* An element of a kept array that is not an object (an edited journal) reads as an empty one:
 * its members are missing. */
static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
replay_health (SitrepStore *team,
               JsonObject  *body,
               GError     **error)
{
  JsonArray *samples = sitrep_json_array (body, "samples");
  JsonArray *changes = sitrep_json_array (body, "changes");
  guint n_samples = samples ? json_array_get_length (samples) : 0;
  guint n_changes = changes ? json_array_get_length (changes) : 0;
  g_autofree SitrepHealthSample *s = g_new0 (SitrepHealthSample, MAX (n_samples, 1));
  g_autofree SitrepHealthChange *c = g_new0 (SitrepHealthChange, MAX (n_changes, 1));

  for (guint i = 0; i < n_samples; i++)
    {
      JsonObject *o = element_object (samples, i);

      s[i].service_id = sitrep_json_string (o, "service");
      s[i].probe_id = sitrep_json_string (o, "probe");
      s[i].at = sitrep_json_int (o, "at");
      s[i].health = sitrep_json_string (o, "health");
      s[i].latency_ms = sitrep_json_double (o, "latency_ms", -1);
      s[i].error = sitrep_json_string (o, "error");
      s[i].why = sitrep_json_string (o, "why");
    }
  for (guint i = 0; i < n_changes; i++)
    {
      JsonObject *o = element_object (changes, i);

      c[i].service_id = sitrep_json_string (o, "service");
      c[i].at = sitrep_json_int (o, "at");
      c[i].old_health = sitrep_json_string (o, "old");
      c[i].new_health = sitrep_json_string (o, "new");
      c[i].reason = sitrep_json_string (o, "reason");
      c[i].why = sitrep_json_string (o, "why");
    }
  return sitrep_store_add_health (team, s, n_samples, c, n_changes, error);
}

/* On the team database, inside sitrep_store_journal_apply()'s transaction. */
static gboolean
replay_entry (SitrepStore *team,
              gpointer     data,
              GError     **error)
{
  Entry *entry = data;
  JsonObject *body = entry->body;
  gint64 at = sitrep_json_int (body, "at");
  const char *author = sitrep_json_string (body, "author");

  if (g_str_equal (entry->kind, "declare"))
    {
      JsonNode *node = json_object_get_member (body, "declaration");
      g_autoptr(SitrepDeclaration) declaration = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
          || (declaration = sitrep_declaration_from_json (json_node_get_object (node),
                                                          error)) == NULL)
        {
          g_clear_error (error);
          g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                               _("the kept declaration of an incident is not readable"));
          return FALSE;
        }
      entry->declared = sitrep_store_declare_incident (team, declaration, error);
      return entry->declared > 0;
    }
  if (g_str_equal (entry->kind, "audit"))
    {
      g_autoptr(SitrepAuditEntry) audit = sitrep_store_audit_entry_from_json (body,
                                                                              entry->incident);

      /* Appended to the server's chain as it is now: its hashes are made there. */
      return sitrep_store_append_audit (team, audit, error) > 0;
    }
  if (g_str_equal (entry->kind, "escalation"))
    {
      JsonNode *fields = json_object_get_member (body, "fields");

      return sitrep_store_answer_escalation (team, entry->incident,
                                             sitrep_json_int (body, "step"),
                                             sitrep_json_int (body, "due_at"),
                                             sitrep_json_boolean (body, "escalated", FALSE),
                                             fields != NULL && JSON_NODE_HOLDS_OBJECT (fields)
                                               ? json_node_get_object (fields)
                                               : NULL,
                                             at, author, error);
    }
  if (g_str_equal (entry->kind, "note"))
    {
      const char *text = sitrep_json_string (body, "text");
      g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note (team, entry->incident, at,
                                                                   text, author, error);

      entry->written = note != NULL ? sitrep_timeline_event_get_id (note) : 0;
      return note != NULL;
    }
  if (g_str_equal (entry->kind, "note-edit"))
    {
      /* The note it edits was kept before it and written by now (learn_note_id()). */
      gint64 event_id = sitrep_json_int (body, "event");
      g_autoptr(SitrepTimelineEvent) note = NULL;

      /* Kept while the server was away again, after an earlier replay wrote the note. */
      if (event_id <= 0 && sitrep_json_string (body, "note") != NULL)
        event_id = sitrep_store_journal_note_id (sitrep_json_string (body, "note"));
      if (event_id <= 0)
        {
          g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                               _("the note it edits, kept while the team database was "
                                 "unreachable, was not written"));
          return FALSE;
        }
      note = sitrep_store_load_event (team, event_id, error);
      if (note == NULL)
        return FALSE;
      /* Nobody else had the note before the replay wrote it, just now: no conflict to see. */
      return sitrep_store_edit_note_from (team, note, sitrep_timeline_event_get_text (note),
                                          sitrep_json_string (body, "text"), at, error);
    }
  if (g_str_equal (entry->kind, SITREP_STORE_EVENT_CHANGE_KIND))
    /* The replay's line goes on the incident the event is on. */
    return sitrep_store_journal_replay_event_change (team, body, &entry->incident, error);
  if (g_str_equal (entry->kind, "event"))
    {
      JsonNode *fields = json_object_get_member (body, "fields");

      return sitrep_store_record_event (team, entry->incident, at,
                                        sitrep_json_string (body, "event"),
                                        fields != NULL && JSON_NODE_HOLDS_OBJECT (fields)
                                          ? json_node_get_object (fields)
                                          : NULL,
                                        author, error)
             >= 0;
    }
  if (g_str_equal (entry->kind, "item"))
    return sitrep_store_set_item (team, entry->incident, sitrep_json_string (body, "item"),
                                  sitrep_json_string (body, "item_text"),
                                  sitrep_json_boolean (body, "done", FALSE),
                                  at, author, error);
  if (g_str_equal (entry->kind, "update-sent"))
    return sitrep_store_mark_update_sent (team, entry->incident, at, author, error);
  if (g_str_equal (entry->kind, "channel"))
    {
      const char *channel = sitrep_json_string (body, "channel");

      if (channel == NULL)
        {
          g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                               _("the kept name of an incident's channel is not readable"));
          return FALSE;
        }
      return sitrep_store_set_channel (team, entry->incident, channel, error);
    }
  if (g_str_equal (entry->kind, "status") || g_str_equal (entry->kind, "severity"))
    {
      /* Against the incident as the server has it now: another console may have moved it
       * meanwhile, and the last word is this one's, made later than theirs was seen. */
      g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (team, entry->incident,
                                                                       error);

      if (incident == NULL)
        return FALSE;
      if (g_str_equal (entry->kind, "severity"))
        return sitrep_store_set_severity (team, incident,
                                          sitrep_json_string (body, "severity"), at, author,
                                          error);
      /* The old status's words are those the commander saw when making the change. */
      return sitrep_store_change_status (team, incident,
                                         (SitrepIncidentStatus)
                                           sitrep_json_int (body, "stage"),
                                         sitrep_json_string (body, "status_id"),
                                         sitrep_json_string (body, "old_label"),
                                         sitrep_json_string (body, "status_label"), at,
                                         author, error);
    }
  if (g_str_equal (entry->kind, "health"))
    return replay_health (team, body, error);
  if (g_str_equal (entry->kind, SITREP_STORE_MESSAGE_KIND))
    {
      SitrepMessageRecord record;

      if (!sitrep_store_message_record_from_kept (body, &record))
        {
          g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                               _("the kept copy of a message is not readable"));
          return FALSE;
        }
      record.incident_id = entry->incident;
      return sitrep_store_record_message_full (team, &record, error) > 0;
    }
  if (g_str_equal (entry->kind, SITREP_STORE_MESSAGE_MARK_KIND))
    {
      SitrepMessageMark mark;

      if (!sitrep_store_message_mark_from_kept (body, &mark))
        {
          g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                               _("the kept webhook state of a message is not readable"));
          return FALSE;
        }
      return sitrep_store_mark_message (team, &mark, error);
    }

  g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
               _("a change of an unknown kind “%s”, kept by a newer Sitrep"), entry->kind);
  return FALSE;
}

static gboolean
forget (SitrepStoreJournal *self,
        gint64              seq,
        GError            **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM journal WHERE seq = %" G_GINT64_FORMAT,
                                          seq);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sitrep_store_journal_fail (self, _("forgetting a change written"), error);
  return TRUE;
}

/* A change the server refuses (its incident was deleted, a newer Sitrep's kind) is set aside
 * in the journal, not lost, and the replay goes on. */
static gboolean
set_aside (SitrepStoreJournal *self,
           gint64              seq,
           const char         *reason,
           GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO refused (change_id, kind, body, reason, refused_at)"
                          " SELECT change_id, kind, body, ?2, ?3 FROM journal WHERE seq = ?1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return sitrep_store_journal_fail (self, _("setting a refused change aside"), error);
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sitrep_store_journal_fail (self, _("setting a refused change aside"), error);
  return forget (self, seq, error);
}

/* Whether the server refused a change for what it says (a constraint it breaks, its incident
 * gone, a value it does not take, a kind this Sitrep does not know), so that no later try can
 * write it. Any other failure may pass on a later try: the connection lost, the server busy
 * (a serialization failure, a deadlock), read-only (a standby after a failover), a privilege
 * missing, a transaction it rolled back. Then the change stays in the journal. */
static gboolean
can_never_apply (SitrepStore  *team,
                 const GError *error)
{
  if (sitrep_db_postgres_is_lost (team->conn))
    return FALSE;
  return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID)
         || g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
}

typedef struct
{
  gint64 incident;
  guint count;
  char *author;
  gint64 at;
} Touched;

static void
touched_free (gpointer data)
{
  Touched *touched = data;

  g_free (touched->author);
  g_free (touched);
}

/* The server's id of a provisional one this journal has seen written, or 0. */
static gint64
local_to_team (SitrepStoreJournal *self,
               gint64              local)
{
  sqlite3_stmt *stmt = NULL;
  gint64 team = 0;

  if (sqlite3_prepare_v2 (self->db, "SELECT team_id FROM local_ids WHERE local_id = ?1", -1,
                          &stmt, NULL)
      != SQLITE_OK)
    return 0;
  sqlite3_bind_int64 (stmt, 1, local);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    team = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return team;
}

/* A declaration the server had already: the incident declared at that moment with that
 * summary (declared_at is in microseconds). */
static gint64
find_declared (SitrepStore *team,
               JsonObject  *body,
               GError     **error)
{
  JsonNode *node = json_object_get_member (body, "declaration");
  JsonObject *declaration;
  SitrepDbStmt *stmt;
  gint64 id = 0;
  int rc;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  declaration = json_node_get_object (node);
  stmt = sitrep_store_statement (team,
                                 "SELECT id FROM incidents WHERE declared_at = ?1 AND summary = ?2"
                                 " ORDER BY id LIMIT 1",
                                 error);
  if (stmt == NULL)
    return -1;
  sitrep_db_bind_int64 (stmt, 1, sitrep_json_int (declaration, "at"));
  sitrep_db_bind_text (stmt, 2, sitrep_json_string (declaration, "summary"));
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    id = sitrep_db_column_int64 (stmt, 0);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW && rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (team, rc, _("finding an incident declared while away"), error);
      return -1;
    }
  return id;
}

/* A note the server had already (its COMMIT was lost with the connection): the one written
 * for that incident at that moment by that author. */
static gint64
find_note (SitrepStore *team,
           Entry       *entry)
{
  g_autoptr(GError) error = NULL;
  const char *author;
  SitrepDbStmt *stmt;
  gint64 id = 0;

  stmt = sitrep_store_statement (team,
                                 "SELECT id FROM timeline_events WHERE incident_id = ?1"
                                 " AND kind = 'note' AND at = ?2 AND author = ?3"
                                 " ORDER BY id LIMIT 1",
                                 &error);
  if (stmt == NULL)
    return 0;
  sitrep_db_bind_int64 (stmt, 1, entry->incident);
  sitrep_db_bind_int64 (stmt, 2, sitrep_json_int (entry->body, "at"));
  author = sitrep_json_string (entry->body, "author");
  sitrep_db_bind_text (stmt, 3, author != NULL ? author : "");
  if (sitrep_db_step (stmt) == SITREP_DB_ROW)
    id = sitrep_db_column_int64 (stmt, 0);
  sitrep_db_finalize (stmt);
  return id;
}

/* After the note kept as @change_id is on the server as @event_id: the edits of it kept after
 * it name that id, and a later edit in this process finds it. */
static gboolean
learn_note_id (SitrepStoreJournal *self,
               const char         *change_id,
               gint64              event_id,
               GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_prepare_v2 (self->db,
                           "UPDATE journal SET body = json_set (body, '$.event', ?2)"
                           " WHERE kind = 'note-edit' AND json_valid (body)"
                           " AND json_extract (body, '$.note') = ?1",
                           -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, event_id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    return sitrep_store_journal_fail (self, _("keeping a note's id from the team database"),
                                      error);
  sitrep_store_journal_remember_note_id (change_id, event_id);
  return TRUE;
}

/* After the declaration kept at @seq is committed on the server as @team_id: the pair
 * remembered, the kept changes naming @local rewritten, the declaration forgotten, at once. */
static gboolean
learn_team_id (SitrepStoreJournal *self,
               gint64              seq,
               gint64              local,
               gint64              team_id,
               GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return sitrep_store_journal_fail (self,
                                      _("keeping an incident's id from the team database"),
                                      error);
  ok = sqlite3_prepare_v2 (self->db,
                           "INSERT OR REPLACE INTO local_ids (local_id, team_id) VALUES (?1, ?2)",
                           -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, local);
      sqlite3_bind_int64 (stmt, 2, team_id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (ok)
    ok = sqlite3_prepare_v2 (self->db,
                             "UPDATE journal SET body = json_set (body, '$.incident', ?2)"
                             " WHERE json_valid (body)"
                             " AND json_extract (body, '$.incident') = ?1",
                             -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, local);
      sqlite3_bind_int64 (stmt, 2, team_id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (ok)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM journal WHERE seq = %" G_GINT64_FORMAT,
                                              seq);

      ok = sqlite3_exec (self->db, sql, NULL, NULL, NULL) == SQLITE_OK;
    }
  if (!ok || sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      sitrep_store_journal_fail (self, _("keeping an incident's id from the team database"), error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  sitrep_store_journal_remember_team_id (local, team_id);
  if (self->written == NULL)
    self->written = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->written, local);
  g_array_append_val (self->written, team_id);
  return TRUE;
}

/**
 * sitrep_store_journal_take_written:
 *
 * Returns: (transfer full) (nullable): the incidents declared while away that the replays
 *   since the last call wrote: pairs of their provisional and the server's id, or %NULL
 */
GArray *
sitrep_store_journal_take_written (SitrepStoreJournal *self)
{
  return g_steal_pointer (&self->written);
}

/* Whether the last replay stopped, not failed, at an audit entry waiting for the audit log's
 * key (sitrep_store_set_audit_key() on the replay's store). */
gboolean
sitrep_store_journal_waits_for_key (SitrepStoreJournal *self)
{
  return self->waits_for_key;
}

/**
 * sitrep_store_journal_replay:
 * @team: the team database, reachable again
 * @limit: how many changes at most (0: all); the tests cut a replay short this way
 * @n_written: (out) (optional): how many changes were written (not those it had already)
 *
 * Writes the journal's changes to @team in the order they were made, each in its own
 * transaction with its id, and forgets each once committed. Each incident that got changes
 * gets an event saying how many. A change that can never be written is set aside; at any
 * other failure (the connection broke again, the server is busy …) the replay stops and what
 * is left stays in the journal. At an audit entry while @team has no audit key (nor a reason
 * it cannot have one) the replay stops too, without failing:
 * sitrep_store_journal_waits_for_key() says so.
 */
gboolean
sitrep_store_journal_replay (SitrepStoreJournal *self,
                             SitrepStore        *team,
                             guint               limit,
                             guint              *n_written,
                             GError            **error)
{
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func (touched_free);
  g_autoptr(GError) local_error = NULL;
  guint done = 0, written = 0;
  gboolean ok = TRUE;

  if (n_written != NULL)
    *n_written = 0;
  self->waits_for_key = FALSE;
  for (;;)
    {
      sqlite3_stmt *stmt = NULL;
      g_autofree char *change_id = NULL;
      g_autofree char *kind = NULL;
      g_autoptr(JsonNode) body = NULL;
      gint64 seq;
      gboolean already = FALSE;
      Entry entry;

      if (limit > 0 && done >= limit)
        break;
      if (sqlite3_prepare_v2 (self->db,
                              "SELECT seq, change_id, kind, body FROM journal ORDER BY seq LIMIT 1",
                              -1, &stmt, NULL)
          != SQLITE_OK)
        return sitrep_store_journal_fail (self, _("reading the changes kept"), error);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_finalize (stmt);
          break;
        }
      seq = sqlite3_column_int64 (stmt, 0);
      change_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      body = json_from_string ((const char *) sqlite3_column_text (stmt, 3), NULL);
      sqlite3_finalize (stmt);
      done++;

      if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
        {
          if (!set_aside (self, seq, _("the kept change is not readable"), error))
            return FALSE;
          continue;
        }
      /* An audit entry is signed on the server's chain with the key from the keyring, which
       * a console that has just started may not have read yet: it waits, the changes after it
       * too, in order, until the key is there (or what keeps it from being had). */
      if (g_str_equal (kind, "audit") && sitrep_store_get_audit_key (team) == NULL
          && sitrep_store_get_audit_key_problem (team) == NULL)
        {
          self->waits_for_key = TRUE;
          break;
        }
      entry.kind = kind;
      entry.body = json_node_get_object (body);
      entry.incident = sitrep_json_int (entry.body, "incident");
      entry.declared = 0;
      entry.written = 0;
      if (entry.incident < 0 && !g_str_equal (kind, "declare"))
        {
          gint64 known = local_to_team (self, entry.incident);

          if (known <= 0)
            {
              if (!set_aside (self, seq,
                              _("its incident, declared while the team database was "
                                "unreachable, was not written"),
                              error))
                return FALSE;
              continue;
            }
          entry.incident = known;
        }
      if (!sitrep_store_journal_apply (team, change_id, replay_entry, &entry, &already,
                                       &local_error))
        {
          if (!can_never_apply (team, local_error))
            {
              ok = FALSE;
              break;
            }
          if (!set_aside (self, seq, local_error->message, error))
            return FALSE;
          g_clear_error (&local_error);
          continue;
        }
      if (g_str_equal (kind, "declare"))
        {
          if (already)
            entry.declared = find_declared (team, entry.body, &local_error);
          if (entry.declared <= 0)
            {
              /* The server says it has the declaration but not the incident: deleted since. */
              if (entry.declared == 0
                  && !set_aside (self, seq, _("the incident declared while away is gone"), error))
                return FALSE;
              if (entry.declared == 0)
                continue;
              ok = FALSE;
              break;
            }
          if (!learn_team_id (self, seq, entry.incident, entry.declared, error))
            return FALSE;
          entry.incident = entry.declared;
        }
      else
        {
          /* Before the note is forgotten: should this stop here, the next replay finds it on
           * the server (already) and learns its id then. */
          if (g_str_equal (kind, "note"))
            {
              gint64 event_id = already ? find_note (team, &entry) : entry.written;

              if (event_id > 0 && !learn_note_id (self, change_id, event_id, error))
                return FALSE;
            }
          if (g_str_equal (kind, SITREP_STORE_EVENT_CHANGE_KIND)
              && !sitrep_store_journal_chain_edits (self, entry.body, error))
            return FALSE;
          if (!forget (self, seq, error))
            return FALSE;
        }
      if (already)
        continue;
      written++;
      if (entry.incident > 0)
        {
          Touched *t = NULL;

          for (guint i = 0; i < touched->len && t == NULL; i++)
            if (((Touched *) touched->pdata[i])->incident == entry.incident)
              t = touched->pdata[i];
          if (t == NULL)
            {
              t = g_new0 (Touched, 1);
              t->incident = entry.incident;
              g_ptr_array_add (touched, t);
            }
          t->count++;
          /* The last change that says who made it (a star does not). */
          if (sitrep_json_string (entry.body, "author") != NULL)
            {
              g_free (t->author);
              t->author = g_strdup (sitrep_json_string (entry.body, "author"));
            }
          t->at = MAX (t->at, sitrep_json_int (entry.body, "at"));
        }
    }

  /* The replay, on each incident's timeline, after the changes it wrote. */
  for (guint i = 0; i < touched->len; i++)
    {
      Touched *t = touched->pdata[i];
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(GError) event_error = NULL;

      json_object_set_int_member (fields, "count", t->count);
      if (sitrep_store_record_event (team, t->incident, MAX (t->at, g_get_real_time ()),
                                     SITREP_TIMELINE_KIND_JOURNAL_REPLAYED, fields, t->author,
                                     &event_error)
          < 0)
        g_message ("The replay of the journal could not be noted on incident %" G_GINT64_FORMAT
                   ": %s", t->incident, event_error->message);
    }
  if (n_written != NULL)
    *n_written = written;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
