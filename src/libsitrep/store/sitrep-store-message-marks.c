/* sitrep-store-message-marks.c: a message's webhook state written, or kept in the journal while the team database is away
 *
 * A message the webhook has posted while the team database does not answer is sent, whatever
 * the database can be told: its state is kept in the console's journal ("message-state") and
 * written by the replay, so that the queue, read again once the server is back, does not find
 * it still queued and post it a second time.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-store-journal-private.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-writer.h"

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

  switch (mark->state)
    {
    case SITREP_WEBHOOK_STATE_QUEUED:
      return sitrep_store_mark_message_queued (self, mark->id, error);
    case SITREP_WEBHOOK_STATE_SENT:
      return sitrep_store_mark_message_sent (self, mark->id, mark->attempts, mark->at, error);
    case SITREP_WEBHOOK_STATE_FAILED:
      return sitrep_store_mark_message_failed (self, mark->id, mark->reason, mark->attempts,
                                               mark->next_attempt_at, error);
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

/* A mark and its reason, owned. */
typedef struct
{
  SitrepMessageMark mark;
  char *reason;
} MarkWrite;

static void
mark_write_free (MarkWrite *write)
{
  g_free (write->reason);
  g_free (write);
}

static gboolean
write_mark (SitrepStore *store,
            gpointer     data,
            GError     **error)
{
  return sitrep_store_mark_message (store, &((MarkWrite *) data)->mark, error);
}

/**
 * sitrep_store_mark_message_async:
 * @mark: the message's new state (copied)
 * @at: when the change is made, for the journal
 *
 * sitrep_store_mark_message() on the store's writer thread. On a team database that does not
 * answer, the mark is kept in the journal and written once it does: the operation succeeds and
 * sitrep_store_mark_message_finish() says it was kept. Not cancellable: a message's state is
 * written even when whoever asked has gone.
 */
void
sitrep_store_mark_message_async (SitrepStore             *self,
                                 const SitrepMessageMark *mark,
                                 gint64                   at,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  MarkWrite *write;

  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (mark != NULL && mark->state != SITREP_WEBHOOK_STATE_NONE);
  g_return_if_fail (mark->state != SITREP_WEBHOOK_STATE_FAILED || mark->reason != NULL);

  write = g_new0 (MarkWrite, 1);
  write->mark = *mark;
  write->mark.reason = write->reason = g_strdup (mark->reason);

  json_object_set_int_member (body, "incident", mark->incident_id);
  json_object_set_int_member (body, "at", at);
  json_object_set_int_member (body, "message", mark->id);
  json_object_set_string_member (body, "state", sitrep_webhook_state_to_string (mark->state));
  json_object_set_int_member (body, "attempts", mark->attempts);
  json_object_set_int_member (body, "sent_at", mark->at);
  if (mark->reason != NULL)
    json_object_set_string_member (body, "reason", mark->reason);
  json_object_set_int_member (body, "next_attempt_at", mark->next_attempt_at);
  sitrep_store_write_journaled_async (self, write_mark, write, (GDestroyNotify) mark_write_free,
                                      SITREP_STORE_MESSAGE_MARK_KIND, body, NULL, callback,
                                      user_data);
}

/**
 * sitrep_store_mark_message_finish:
 * @kept: (out) (optional): whether the mark is kept in the journal rather than written
 * @mark: (out) (optional) (transfer none): the mark, valid during the callback
 */
gboolean
sitrep_store_mark_message_finish (SitrepStore              *self,
                                  GAsyncResult             *result,
                                  gboolean                 *kept,
                                  const SitrepMessageMark **mark,
                                  GError                  **error)
{
  if (kept != NULL)
    *kept = sitrep_store_write_was_journaled (result);
  if (mark != NULL)
    *mark = &((MarkWrite *) sitrep_store_write_get_data (result))->mark;
  return sitrep_store_write_finish (self, result, error);
}

/* The journal's "message-state", on the team database, in the replay's transaction. */
gboolean
sitrep_store_replay_message_mark (SitrepStore *team,
                                  JsonObject  *body,
                                  GError     **error)
{
  SitrepMessageMark mark = { 0, };
  const char *state = sitrep_store_journal_body_string (body, "state");

  mark.id = sitrep_store_journal_body_int (body, "message");
  if (mark.id <= 0 || state == NULL || !sitrep_webhook_state_from_string (state, &mark.state))
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("the kept webhook state of a message is not readable"));
      return FALSE;
    }
  mark.incident_id = sitrep_store_journal_body_int (body, "incident");
  mark.attempts = (guint) CLAMP (sitrep_store_journal_body_int (body, "attempts"), 0, G_MAXINT);
  mark.at = sitrep_store_journal_body_int (body, "sent_at");
  mark.reason = sitrep_store_journal_body_string (body, "reason");
  mark.next_attempt_at = sitrep_store_journal_body_int (body, "next_attempt_at");
  if (mark.state == SITREP_WEBHOOK_STATE_FAILED && mark.reason == NULL)
    mark.reason = "";
  return sitrep_store_mark_message (team, &mark, error);
}
