/* sitrep-store-messages.c: the stakeholder messages sent, and their chat webhook queue
 *
 * A message is sent when the commander copies it, or when the chat webhook answers 2xx to its
 * post; only then does it go on the timeline and, for a stakeholder update, reset the "next
 * update due" clock, all in one transaction with the message's new state. A message waiting for
 * the webhook, or failing, is only a row here. The webhook URL is never stored here: only the
 * message, its state and a reason already cleaned of the URL and of credentials.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-store-incidents.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline-private.h"
#include "sitrep-timeline-event.h"

/* How much of a message's first line the timeline shows. */
#define FIRST_LINE_MAX_CHARS 80

static const GEnumValue webhook_state_values[] = {
  { SITREP_WEBHOOK_STATE_NONE, "SITREP_WEBHOOK_STATE_NONE", "none" },
  { SITREP_WEBHOOK_STATE_QUEUED, "SITREP_WEBHOOK_STATE_QUEUED", "queued" },
  { SITREP_WEBHOOK_STATE_SENT, "SITREP_WEBHOOK_STATE_SENT", "sent" },
  { SITREP_WEBHOOK_STATE_FAILED, "SITREP_WEBHOOK_STATE_FAILED", "failed" },
  { 0, NULL, NULL }
};

GType
sitrep_webhook_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("SitrepWebhookState", webhook_state_values));
  return type;
}

/* The strings of the messages.webhook_state column. */
const char *
sitrep_webhook_state_to_string (SitrepWebhookState state)
{
  g_return_val_if_fail (state <= SITREP_WEBHOOK_STATE_FAILED, "none");
  return webhook_state_values[state].value_nick;
}

gboolean
sitrep_webhook_state_from_string (const char         *text,
                                  SitrepWebhookState *state)
{
  for (guint i = 0; webhook_state_values[i].value_nick != NULL; i++)
    if (g_strcmp0 (text, webhook_state_values[i].value_nick) == 0)
      {
        *state = webhook_state_values[i].value;
        return TRUE;
      }
  return FALSE;
}

const char *
sitrep_webhook_state_get_label (SitrepWebhookState state)
{
  switch (state)
    {
    case SITREP_WEBHOOK_STATE_QUEUED:
      return C_("webhook state", "Queued");
    case SITREP_WEBHOOK_STATE_SENT:
      return C_("webhook state", "Posted");
    case SITREP_WEBHOOK_STATE_FAILED:
      return C_("webhook state", "Failed");
    case SITREP_WEBHOOK_STATE_NONE:
    default:
      return C_("webhook state", "Not posted");
    }
}

G_DEFINE_BOXED_TYPE (SitrepMessage, sitrep_message, sitrep_message_copy, sitrep_message_free)

SitrepMessage *
sitrep_message_copy (const SitrepMessage *message)
{
  SitrepMessage *copy = g_memdup2 (message, sizeof *message);

  copy->template_id = g_strdup (message->template_id);
  copy->title = g_strdup (message->title);
  copy->author = g_strdup (message->author);
  copy->text = g_strdup (message->text);
  copy->webhook_error = g_strdup (message->webhook_error);
  return copy;
}

void
sitrep_message_free (SitrepMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->template_id);
  g_free (message->title);
  g_free (message->author);
  g_free (message->text);
  g_free (message->webhook_error);
  g_free (message);
}

static void
bind_time (SitrepDbStmt *stmt,
           int           index,
           gint64        value)
{
  if (value != 0)
    sitrep_db_bind_int64 (stmt, index, value);
  else
    sitrep_db_bind_null (stmt, index);
}

/* The first line with words in it, cut to what a timeline row can show. */
static char *
first_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0')
        continue;
      if (g_utf8_strlen (line, -1) > FIRST_LINE_MAX_CHARS)
        {
          g_autofree char *cut = g_utf8_substring (line, 0, FIRST_LINE_MAX_CHARS - 1);

          return g_strconcat (g_strchomp (cut), "…", NULL);
        }
      return g_strdup (line);
    }
  return g_strdup ("");
}

/* The message's timeline event ("Message sent: …" or "Message posted to chat: …" when shown)
 * and for a status update the reset of the update clock, inside the caller's transaction. */
static gboolean
add_sent_event (SitrepStore *self,
                gint64       message_id,
                gint64       incident_id,
                const char  *template_id,
                const char  *title,
                const char  *text,
                const char  *author,
                gboolean     resets_update,
                gboolean     posted,
                gint64       at,
                GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *line = first_line (text);
  SitrepDbStmt *stmt;

  json_object_set_int_member (fields, "message", message_id);
  json_object_set_string_member (fields, "template", template_id);
  if (title != NULL && *title != '\0')
    json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "line", line);
  json_object_set_string_member (fields, "via", posted ? "webhook" : "clipboard");
  if (sitrep_store_insert_event (self, incident_id, at, SITREP_TIMELINE_KIND_MESSAGE, fields, NULL,
                                 author, error) < 0)
    return FALSE;

  if (!resets_update)
    return TRUE;
  /* As sitrep_store_mark_update_sent(), whose own event would only repeat the message's. A
   * post delivered late never moves the clock back past a later copy. */
  stmt = sitrep_store_statement (self,
                               /* Not max (a, b): SQLite's, which PostgreSQL spells greatest. */
                               "UPDATE incidents SET last_update_at = CASE"
                               " WHEN last_update_at > ?2 THEN last_update_at ELSE ?2 END,"
                               " update_overdue_at = NULL WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  sitrep_db_bind_int64 (stmt, 2, at);
  return sitrep_store_step_done (self, stmt, _("recording a status update"), error);
}

/**
 * sitrep_store_record_message_full:
 *
 * Records a message the commander wrote. A copied one is sent: its "message" event goes on the
 * incident's timeline and, unless it is a post-mortem, the "next update due" clock is reset
 * exactly as sitrep_store_mark_update_sent() does, all in one transaction. One to be posted is
 * queued for the webhook and changes neither until sitrep_store_mark_message_sent().
 *
 * Returns: the message's id, or -1 with @error set
 */
gint64
sitrep_store_record_message_full (SitrepStore               *self,
                                  const SitrepMessageRecord *record,
                                  GError                   **error)
{
  gboolean resets_update;
  SitrepDbStmt *stmt;
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (record != NULL, -1);
  g_return_val_if_fail (record->template_id != NULL && record->text != NULL, -1);

  resets_update = record->kind != SITREP_TEMPLATE_POSTMORTEM;
  if (!sitrep_store_begin (self, error))
    return -1;
  if (!sitrep_store_check_incident (self, record->incident_id, _("recording a message"), error))
    return sitrep_store_rollback (self), -1;

  stmt = sitrep_store_statement (self,
                               "INSERT INTO messages (incident_id, template_id, title, author,"
                               " resets_update, text, created_at, copied_at, webhook_state)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self), -1;
  sitrep_db_bind_int64 (stmt, 1, record->incident_id);
  sitrep_db_bind_text (stmt, 2, record->template_id);
  if (record->title != NULL && *record->title != '\0')
    sitrep_db_bind_text (stmt, 3, record->title);
  else
    sitrep_db_bind_null (stmt, 3);
  sitrep_db_bind_text (stmt, 4, record->author ? record->author : "");
  sitrep_db_bind_int64 (stmt, 5, resets_update);
  sitrep_db_bind_text (stmt, 6, record->text);
  sitrep_db_bind_int64 (stmt, 7, record->at);
  bind_time (stmt, 8, record->posted ? 0 : record->at);
  sitrep_db_bind_text (stmt, 9, sitrep_webhook_state_to_string (record->posted
                                                                ? SITREP_WEBHOOK_STATE_QUEUED
                                                                : SITREP_WEBHOOK_STATE_NONE));
  id = sitrep_store_step_id (self, stmt, _("recording a message"), error);
  if (id < 0)
    return sitrep_store_rollback (self), -1;

  if (!record->posted
      && !add_sent_event (self, id, record->incident_id, record->template_id, record->title,
                          record->text, record->author, resets_update, FALSE, record->at, error))
    return sitrep_store_rollback (self), -1;

  if (!sitrep_store_commit (self, error))
    return sitrep_store_rollback (self), -1;
  return id;
}

/**
 * sitrep_store_record_message:
 * @template_id: the runbook template the message came from
 * @posted: %TRUE when it is to be posted to chat rather than copied: it is queued for the
 *   webhook, and is sent only when sitrep_store_mark_message_sent() says so
 *
 * sitrep_store_record_message_full() for one of the runbook's stakeholder templates (status,
 * notification, update, resolution), titled from its id; a template id naming the post-mortem
 * does not reset the update clock.
 */
gint64
sitrep_store_record_message (SitrepStore *self,
                             gint64       incident_id,
                             const char  *template_id,
                             const char  *text,
                             gint64       at,
                             const char  *author,
                             gboolean     posted,
                             GError     **error)
{
  SitrepMessageRecord record = { 0 };

  record.incident_id = incident_id;
  record.template_id = template_id;
  record.kind = g_strcmp0 (template_id, "postmortem") == 0
                    || g_strcmp0 (template_id, "post-mortem") == 0
                  ? SITREP_TEMPLATE_POSTMORTEM
                  : SITREP_TEMPLATE_UPDATE;
  record.text = text;
  record.at = at;
  record.author = author;
  record.posted = posted;
  return sitrep_store_record_message_full (self, &record, error);
}

#define MESSAGE_COLUMNS                                                                   \
  "id, incident_id, template_id, text, created_at, copied_at, webhook_state, webhook_error," \
  " webhook_attempts, next_attempt_at, title, author, resets_update"

static SitrepMessage *
read_message (SitrepDbStmt *stmt)
{
  SitrepMessage *message = g_new0 (SitrepMessage, 1);

  message->id = sitrep_db_column_int64 (stmt, 0);
  message->incident_id = sitrep_db_column_int64 (stmt, 1);
  message->template_id = g_strdup ((const char *) sitrep_db_column_text (stmt, 2));
  message->text = g_strdup ((const char *) sitrep_db_column_text (stmt, 3));
  message->created_at = sitrep_db_column_int64 (stmt, 4);
  message->copied_at = sitrep_db_column_int64 (stmt, 5);
  if (!sitrep_webhook_state_from_string ((const char *) sitrep_db_column_text (stmt, 6),
                                         &message->webhook_state))
    message->webhook_state = SITREP_WEBHOOK_STATE_NONE;
  message->webhook_error = g_strdup ((const char *) sitrep_db_column_text (stmt, 7));
  message->webhook_attempts = (guint) MAX (0, sitrep_db_column_int (stmt, 8));
  message->next_attempt_at = sitrep_db_column_int64 (stmt, 9);
  message->title = g_strdup ((const char *) sitrep_db_column_text (stmt, 10));
  message->author = g_strdup ((const char *) sitrep_db_column_text (stmt, 11));
  message->resets_update = sitrep_db_column_int (stmt, 12) != 0;
  return message;
}

static GPtrArray *
list_messages (SitrepStore *self,
               const char  *sql,
               gint64       arg,
               const char  *doing,
               GError     **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_message_free);
  SitrepDbStmt *stmt = sitrep_store_statement (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sitrep_db_bind_int64 (stmt, 1, arg);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    g_ptr_array_add (messages, read_message (stmt));
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, doing, error);
      return NULL;
    }
  return g_steal_pointer (&messages);
}

SitrepMessage *
sitrep_store_load_message (SitrepStore *self,
                           gint64       id,
                           GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  found = list_messages (self, "SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?1", id,
                         _("reading a message"), error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no message %s in %s."), number, self->path);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

/* An incident's messages, oldest first, each with its webhook state. */
GPtrArray *
sitrep_store_list_messages (SitrepStore *self,
                            gint64       incident_id,
                            GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return list_messages (self,
                        "SELECT " MESSAGE_COLUMNS " FROM messages WHERE incident_id = ?1"
                        " ORDER BY created_at, id",
                        incident_id, _("listing messages"), error);
}

/* Messages the webhook should try now: queued ones that no console's claim holds, and failed
 * ones whose retry is due. */
GPtrArray *
sitrep_store_list_pending_messages (SitrepStore *self,
                                    gint64       now,
                                    GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return list_messages (self,
                        "SELECT " MESSAGE_COLUMNS " FROM messages"
                        " WHERE (webhook_state = 'queued' AND (webhook_claimed_until IS NULL"
                        " OR webhook_claimed_until <= ?1)) OR (webhook_state = 'failed'"
                        " AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?1)"
                        " ORDER BY webhook_state = 'failed', next_attempt_at, id",
                        now, _("listing messages to post"), error);
}

/* The earliest retry time of a failed message, or the earliest time a console's claim on a
 * queued message runs out (a console that quit or was killed mid-post leaves its claim: once
 * it runs out, another console tries the message); 0 when there is neither. A queued message
 * that nobody claims is tried as soon as the webhook starts. */
gint64
sitrep_store_next_message_attempt (SitrepStore *self,
                                   GError     **error)
{
  SitrepDbStmt *stmt;
  gint64 next = 0;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), 0);

  stmt = sitrep_store_statement (self,
                               "SELECT min (CASE WHEN webhook_state = 'failed'"
                               " THEN next_attempt_at ELSE webhook_claimed_until END)"
                               " FROM messages"
                               " WHERE (webhook_state = 'failed' AND next_attempt_at IS NOT NULL)"
                               " OR (webhook_state = 'queued' AND webhook_claimed_until IS NOT NULL)",
                               error);
  if (stmt == NULL)
    return 0;
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    next = sitrep_db_column_int64 (stmt, 0);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW)
    sitrep_store_fail (self, rc, _("reading the webhook queue"), error);
  return next;
}

static gboolean
update_message (SitrepStore  *self,
                SitrepDbStmt *stmt,
                gint64        id,
                GError      **error)
{
  if (!sitrep_store_step_done (self, stmt, _("changing a message's webhook state"), error))
    return FALSE;
  if (sitrep_db_changes (self->conn) == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no message %s in %s."), number, self->path);
      return FALSE;
    }
  return TRUE;
}

/* An UPDATE of one message that may have changed no row: fine when the message is there (sent
 * already, say, or claimed by another console), NOT_FOUND when it is not. Sets @changed. */
static gboolean
update_message_if (SitrepStore  *self,
                   SitrepDbStmt *stmt,
                   gint64        id,
                   gboolean     *changed,
                   GError      **error)
{
  g_autoptr(SitrepMessage) message = NULL;

  if (!sitrep_store_step_done (self, stmt, _("changing a message's webhook state"), error))
    return FALSE;
  *changed = sitrep_db_changes (self->conn) > 0;
  if (*changed)
    return TRUE;
  message = sitrep_store_load_message (self, id, error);
  return message != NULL;
}

/* Tells the other consoles of a team database that message @id changed its state, inside the
 * caller's transaction (kind "message", as a message recorded or sent). */
static gboolean
notify_state (SitrepStore *self,
              gint64       id,
              GError     **error)
{
  g_autoptr(SitrepMessage) message = NULL;

  if (!sitrep_store_is_shared (self))
    return TRUE;
  message = sitrep_store_load_message (self, id, error);
  return message != NULL
         && sitrep_store_notify_change (self, "messages", message->incident_id, id,
                                        SITREP_TIMELINE_KIND_MESSAGE, error);
}

/**
 * sitrep_store_mark_message_queued:
 * @claimant: (nullable): the console about to post the message, which claims it; %NULL for a
 *   state written after the fact (the journal's replay), which claims nothing
 * @now: the time, against which another console's claim may have run out
 * @claimed_until: how long the claim holds: past it, the console is taken to have gone
 *
 * Waiting for its next attempt, which is under way or starts as soon as the webhook runs: a
 * queued message has no retry time and no reason. Several consoles may run the queue over one
 * database: with @claimant, the message is queued only if no other console's claim on it
 * still holds, and sent messages stay sent, in one statement that the database serializes, so
 * that one console alone posts it.
 *
 * Returns: %FALSE with %SITREP_STORE_ERROR_CONFLICT when @claimant could not claim the message
 *   (another console is posting it, or it was posted already), or another error
 */
gboolean
sitrep_store_mark_message_queued (SitrepStore *self,
                                  gint64       id,
                                  const char  *claimant,
                                  gint64       now,
                                  gint64       claimed_until,
                                  GError     **error)
{
  SitrepDbStmt *stmt;
  gboolean changed = FALSE;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  stmt = sitrep_store_statement (self,
                               "UPDATE messages SET webhook_state = 'queued', webhook_error = NULL,"
                               " next_attempt_at = NULL, webhook_claim = ?2,"
                               " webhook_claimed_until = ?3"
                               " WHERE id = ?1 AND webhook_state <> 'sent'"
                               " AND (webhook_claim IS NULL OR webhook_claim = ?2"
                               " OR webhook_claimed_until <= ?4)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, id);
  if (claimant != NULL)
    {
      sitrep_db_bind_text (stmt, 2, claimant);
      sitrep_db_bind_int64 (stmt, 3, claimed_until);
    }
  else
    {
      sitrep_db_bind_null (stmt, 2);
      sitrep_db_bind_null (stmt, 3);
    }
  sitrep_db_bind_int64 (stmt, 4, now);
  if (!update_message_if (self, stmt, id, &changed, error))
    return FALSE;
  if (!changed && claimant != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      /* Translators: %s is a message's number. */
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT,
                   _("Message %s is being posted by another console, or was posted already."),
                   number);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_store_mark_message_sent:
 * @at: when the webhook took the message
 *
 * The webhook answered 2xx: the message is sent. In one transaction with its new state, it goes
 * on the timeline ("Message posted to chat: …") and, for a status update, resets the "next
 * update due" clock from @at. A message sent already is left as it is.
 */
gboolean
sitrep_store_mark_message_sent (SitrepStore *self,
                                gint64       id,
                                guint        attempts,
                                gint64       at,
                                GError     **error)
{
  g_autoptr(SitrepMessage) message = NULL;
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin (self, error))
    return FALSE;
  message = sitrep_store_load_message (self, id, error);
  if (message == NULL)
    return sitrep_store_rollback (self);
  if (message->webhook_state == SITREP_WEBHOOK_STATE_SENT)
    return sitrep_store_commit (self, error) || sitrep_store_rollback (self);

  stmt = sitrep_store_statement (self,
                               "UPDATE messages SET webhook_state = 'sent', webhook_error = NULL,"
                               " webhook_attempts = ?2, next_attempt_at = NULL,"
                               " webhook_claim = NULL, webhook_claimed_until = NULL WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sitrep_db_bind_int64 (stmt, 1, id);
  sitrep_db_bind_int64 (stmt, 2, (int) attempts);
  if (!update_message (self, stmt, id, error)
      || !add_sent_event (self, id, message->incident_id, message->template_id, message->title,
                          message->text, message->author, message->resets_update, TRUE, at,
                          error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* The failure of an attempt by @claimant (NULL: whoever made it), at @now. Nothing is written
 * when another console's claim holds: that console is trying the message again (this one's
 * claim ran out meanwhile), and tells how its own attempt ended. */
static gboolean
mark_failed (SitrepStore *self,
             gint64       id,
             const char  *reason,
             guint        attempts,
             gint64       next_attempt_at,
             const char  *claimant,
             gint64       now,
             GError     **error)
{
  SitrepDbStmt *stmt;
  gboolean changed;

  /* A console that left the message to this one learns of the failure now, not at its next
   * read of the queue (a post that works is on the timeline, which tells it): in one
   * transaction with the failure, so that the failure is never written unannounced. */
  if (!sitrep_store_begin (self, error))
    return FALSE;
  /* Without a claimant, whoever holds a claim; the CAST gives PostgreSQL ?5's type. */
  stmt = sitrep_store_statement (self,
                               "UPDATE messages SET webhook_state = 'failed',"
                               " webhook_error = ?2, webhook_attempts = ?3,"
                               " next_attempt_at = ?4, webhook_claim = NULL,"
                               " webhook_claimed_until = NULL"
                               " WHERE id = ?1 AND webhook_state <> 'sent'"
                               " AND (CAST (?5 AS TEXT) IS NULL OR webhook_claim IS NULL"
                               " OR webhook_claim = ?5 OR webhook_claimed_until <= ?6)",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sitrep_db_bind_int64 (stmt, 1, id);
  sitrep_db_bind_text (stmt, 2, reason);
  sitrep_db_bind_int64 (stmt, 3, (int) attempts);
  bind_time (stmt, 4, next_attempt_at);
  sitrep_db_bind_text (stmt, 5, claimant);
  sitrep_db_bind_int64 (stmt, 6, now);
  if (!update_message_if (self, stmt, id, &changed, error)
      || (changed && !notify_state (self, id, error))
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* @next_attempt_at is 0 when the webhook gave up on the message. The attempt's claim ends; a
 * message sent already (by another console, say) stays sent. */
gboolean
sitrep_store_mark_message_failed (SitrepStore *self,
                                  gint64       id,
                                  const char  *reason,
                                  guint        attempts,
                                  gint64       next_attempt_at,
                                  GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  return mark_failed (self, id, reason, attempts, next_attempt_at, NULL, 0, error);
}

/**
 * sitrep_store_mark_message:
 *
 * sitrep_store_mark_message_queued(), _sent() or _failed(), as @mark says.
 */
gboolean
sitrep_store_mark_message (SitrepStore             *self,
                           const SitrepMessageMark *mark,
                           GError                 **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (mark != NULL, FALSE);

  /* A message sent stays sent: a state kept while the server was away may be older than
   * another console's post of it. */
  switch (mark->state)
    {
    case SITREP_WEBHOOK_STATE_QUEUED:
      return sitrep_store_mark_message_queued (self, mark->id, mark->claimant, mark->at,
                                               mark->claimed_until, error);
    case SITREP_WEBHOOK_STATE_SENT:
      return sitrep_store_mark_message_sent (self, mark->id, mark->attempts, mark->at, error);
    case SITREP_WEBHOOK_STATE_FAILED:
      g_return_val_if_fail (mark->reason != NULL, FALSE);
      return mark_failed (self, mark->id, mark->reason, mark->attempts, mark->next_attempt_at,
                          mark->claimant, mark->at, error);
    case SITREP_WEBHOOK_STATE_NONE:
    default:
      {
        g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, mark->id);

        /* Translators: %s is a message's number. */
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                     _("message %s can only be marked queued, sent or failed"), number);
        return FALSE;
      }
    }
}

/**
 * sitrep_store_message_record_to_kept:
 * @body: where the record goes, as the journal of a team database keeps it
 *
 * A copied message, kept while the team database is away: what
 * sitrep_store_record_message_full() needs to write it once the server is back.
 */
void
sitrep_store_message_record_to_kept (const SitrepMessageRecord *record,
                                     JsonObject                *body)
{
  json_object_set_int_member (body, "incident", record->incident_id);
  json_object_set_int_member (body, "at", record->at);
  json_object_set_string_member (body, "template", record->template_id);
  if (record->title != NULL)
    json_object_set_string_member (body, "title", record->title);
  json_object_set_boolean_member (body, "resets_update",
                                  record->kind != SITREP_TEMPLATE_POSTMORTEM);
  json_object_set_string_member (body, "text", record->text);
  if (record->author != NULL)
    json_object_set_string_member (body, "author", record->author);
}

/**
 * sitrep_store_message_record_from_kept:
 * @body: a "message" change as the journal keeps it
 * @record: (out): the record; its strings point into @body
 *
 * Returns: whether @body is a readable copied message
 */
gboolean
sitrep_store_message_record_from_kept (JsonObject          *body,
                                       SitrepMessageRecord *record)
{
  memset (record, 0, sizeof *record);
  record->incident_id = sitrep_json_int (body, "incident");
  record->at = sitrep_json_int (body, "at");
  record->template_id = sitrep_json_string (body, "template");
  record->title = sitrep_json_string (body, "title");
  record->kind = sitrep_json_boolean (body, "resets_update", TRUE)
                   ? SITREP_TEMPLATE_UPDATE
                   : SITREP_TEMPLATE_POSTMORTEM;
  record->text = sitrep_json_string (body, "text");
  record->author = sitrep_json_string (body, "author");
  return record->incident_id != 0 && record->template_id != NULL && record->text != NULL;
}

/**
 * sitrep_store_message_mark_from_kept:
 * @body: a "message-state" change as the journal keeps it
 * @mark: (out): the mark; its reason points into @body
 *
 * Returns: whether @body is a readable mark
 */
gboolean
sitrep_store_message_mark_from_kept (JsonObject        *body,
                                     SitrepMessageMark *mark)
{
  const char *state = sitrep_json_string (body, "state");

  memset (mark, 0, sizeof *mark);
  mark->id = sitrep_json_int (body, "message");
  if (mark->id <= 0 || state == NULL || !sitrep_webhook_state_from_string (state, &mark->state)
      || mark->state == SITREP_WEBHOOK_STATE_NONE)
    return FALSE;
  mark->incident_id = sitrep_json_int (body, "incident");
  mark->attempts = (guint) CLAMP (sitrep_json_int (body, "attempts"), 0, G_MAXINT);
  mark->at = sitrep_json_int (body, "sent_at");
  mark->reason = sitrep_json_string (body, "reason");
  mark->next_attempt_at = sitrep_json_int (body, "next_attempt_at");
  if (mark->state == SITREP_WEBHOOK_STATE_FAILED && mark->reason == NULL)
    mark->reason = "";
  return TRUE;
}
