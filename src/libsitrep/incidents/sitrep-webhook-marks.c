/* sitrep-webhook-marks.c: a message's webhook state (queued, sent, failed) written on the store's writer thread
 *
 * On a team database a write is a round trip to the server, which may stall: the webhook's
 * main loop never waits for it. The attempt that asked keeps its message reserved
 * (SitrepWebhook's in_flight) until the callback, after the commit: a list of what is due,
 * or a post's read of the message, made before then either finds it reserved or is read again
 * (attempts_ended), so no one message is posted twice.
 */
#include "config.h"

#include "sitrep-store-writer.h"
#include "sitrep-webhook-private.h"

typedef struct
{
  SitrepWebhookState state;
  gint64 id;
  guint attempts;
  gint64 at;                /* sent: when the webhook took it */
  char *reason;             /* failed: why */
  gint64 next_attempt_at;   /* failed: when to retry, 0 for never */
} Mark;

static void
mark_free (Mark *mark)
{
  g_free (mark->reason);
  g_free (mark);
}

/* On the writer thread, with its own connection. */
static gboolean
write_mark (SitrepStore *store,
            gpointer     data,
            GError     **error)
{
  Mark *mark = data;

  switch (mark->state)
    {
    case SITREP_WEBHOOK_STATE_QUEUED:
      return sitrep_store_mark_message_queued (store, mark->id, error);
    case SITREP_WEBHOOK_STATE_SENT:
      return sitrep_store_mark_message_sent (store, mark->id, mark->attempts, mark->at, error);
    case SITREP_WEBHOOK_STATE_FAILED:
      return sitrep_store_mark_message_failed (store, mark->id, mark->reason, mark->attempts,
                                               mark->next_attempt_at, error);
    case SITREP_WEBHOOK_STATE_NONE:
    default:
      g_assert_not_reached ();
    }
}

/**
 * _sitrep_webhook_mark_async:
 * @state: queued, sent or failed
 * @attempts: sent or failed: how many attempts were made
 * @at: sent: when
 * @reason: failed: why (copied)
 * @next_attempt_at: failed: when it is tried again, 0 for never
 *
 * sitrep_store_mark_message_queued(), _sent() or _failed() on the store's writer thread;
 * @callback runs on this thread's main context after the commit. Finish with
 * _sitrep_webhook_mark_finish().
 */
void
_sitrep_webhook_mark_async (SitrepWebhook      *self,
                            gint64              message_id,
                            SitrepWebhookState  state,
                            guint               attempts,
                            gint64              at,
                            const char         *reason,
                            gint64              next_attempt_at,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  Mark *mark = g_new0 (Mark, 1);

  g_return_if_fail (state != SITREP_WEBHOOK_STATE_FAILED || reason != NULL);
  mark->state = state;
  mark->id = message_id;
  mark->attempts = attempts;
  mark->at = at;
  mark->reason = g_strdup (reason);
  mark->next_attempt_at = next_attempt_at;
  /* Not cancellable: the state is written even when the webhook goes meanwhile. */
  sitrep_store_write_async (self->store, write_mark, mark, (GDestroyNotify) mark_free, NULL,
                            callback, user_data);
}

gboolean
_sitrep_webhook_mark_finish (SitrepWebhook  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return sitrep_store_write_finish (self->store, result, error);
}
