/* sitrep-store-message-writes.c: a message recorded, and its webhook state written, on the store's writer thread
 *
 * The console's main loop never waits on the database for either. A message's webhook state
 * is a change a team database's journal keeps while the server is away ("message-state"): a
 * message the webhook has posted meanwhile is sent, whatever the database can be told, and
 * the replay writes it, so that the queue, read again once the server is back, does not find
 * it still queued and post it a second time.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "sitrep-store-journal.h"
#include "sitrep-store-message-writes.h"
#include "sitrep-store-writer.h"

/* A message to record on the writer thread, with copies of what the record points at. */
typedef struct
{
  SitrepMessageRecord record;
  char *template_id;
  char *title;
  char *text;
  char *author;
  gint64 id;
} MessageWrite;

static void
message_write_free (MessageWrite *write)
{
  g_free (write->template_id);
  g_free (write->title);
  g_free (write->text);
  g_free (write->author);
  g_free (write);
}

static gboolean
write_message (SitrepStore *store,
               gpointer     data,
               GError     **error)
{
  MessageWrite *write = data;
  SitrepMessageRecord record = write->record;

  /* An incident declared while away and written since: under the server's id. */
  record.incident_id = sitrep_store_journal_team_id (record.incident_id);
  write->id = sitrep_store_record_message_full (store, &record, error);
  return write->id >= 0;
}

/**
 * sitrep_store_record_message_async:
 *
 * sitrep_store_record_message_full() on the store's writer thread: the console's main loop
 * never waits on the database, and a database another process holds for a while makes the
 * message wait, not fail. On a team database that does not answer, a copied message is kept
 * in the journal (kind "message") and written, on the timeline and with the update clock, once
 * it does: the commander copied it to the chat, and it happened then. A message to post is
 * not: the webhook posts a message the database holds.
 */
void
sitrep_store_record_message_async (SitrepStore               *self,
                                   const SitrepMessageRecord *record,
                                   GCancellable              *cancellable,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data)
{
  MessageWrite *write;

  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (record != NULL && record->template_id != NULL && record->text != NULL);

  write = g_new0 (MessageWrite, 1);
  write->record = *record;
  write->record.template_id = write->template_id = g_strdup (record->template_id);
  write->record.title = write->title = g_strdup (record->title);
  write->record.text = write->text = g_strdup (record->text);
  write->record.author = write->author = g_strdup (record->author);
  if (!record->posted)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      sitrep_store_message_record_to_kept (record, body);
      sitrep_store_write_journaled_async (self, write_message, write,
                                          (GDestroyNotify) message_write_free,
                                          SITREP_STORE_MESSAGE_KIND, body, cancellable,
                                          callback, user_data);
      return;
    }
  sitrep_store_write_async (self, write_message, write, (GDestroyNotify) message_write_free,
                            cancellable, callback, user_data);
}

/* Returns: the new message's id; 0 for a copied message the journal keeps until the team
 * database answers (sitrep_store_write_was_journaled()); or -1 with @error set */
gint64
sitrep_store_record_message_finish (SitrepStore  *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  MessageWrite *write;

  if (!sitrep_store_write_finish (self, result, error))
    return -1;
  write = sitrep_store_write_get_data (result);
  return write->id;
}

/* A mark and its strings, owned. */
typedef struct
{
  SitrepMessageMark mark;
  char *reason;
  char *claimant;
} MarkWrite;

static void
mark_write_free (MarkWrite *write)
{
  g_free (write->reason);
  g_free (write->claimant);
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
  write->mark.claimant = write->claimant = g_strdup (mark->claimant);

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
