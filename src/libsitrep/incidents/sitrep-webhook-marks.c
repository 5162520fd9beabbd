/* sitrep-webhook-marks.c: a message's webhook state (queued, sent or failed) written on the store's writer thread, or kept
 *
 * On a team database a write is a round trip to the server, which may stall: the webhook's
 * main loop never waits for it. The attempt that asked keeps its message reserved
 * (SitrepWebhook's in_flight) until the callback, after the commit: a list of what is due,
 * or a post's read of the message, made before then either finds it reserved or is read again
 * (attempts_ended), so no one message is posted twice.
 *
 * Other consoles on the same database run the same queue. Before a POST, the console marks
 * the message queued with a claim in its name (sitrep_store_mark_message_queued()), which the
 * database grants one console at a time: another console that lists the message, or whose
 * commander presses "Post" on it meanwhile, leaves it to the one that claimed it first.
 *
 * While the team database is away, a state is kept in the console's journal until it is back
 * (sitrep_store_mark_message_async()): a message the chat took meanwhile is sent, although the
 * server still says queued until the replay has written it. The webhook remembers what it
 * kept (kept) and reads every message through it, so that neither the queue nor a second
 * "Post" sends that message again, whenever the server comes back and the replay runs. A
 * console started again while the journal still keeps such states reads them first
 * (_sitrep_webhook_load_kept()), before it reads any message.
 */
#include "config.h"

#include <unistd.h>

#include "sitrep-store-kept.h"
#include "sitrep-store-message-writes.h"
#include "sitrep-webhook-private.h"

/* How much longer than an attempt's time limit a console's claim on a message holds: the
 * claim is written by the store's writer thread, which may wait for a busy database first, and
 * it is checked against another console's clock, which may run a little ahead of this one's
 * (the consoles' clocks must agree within a minute or so). */
#define CLAIM_MARGIN (2 * G_TIME_SPAN_MINUTE)

/* A state kept in the journal, as the server will have it once the replay has written it. */
typedef struct
{
  SitrepWebhookState state;
  guint attempts;
  char *reason;
  gint64 next_attempt_at;
} Kept;

static void
kept_free (gpointer data)
{
  Kept *kept = data;

  g_free (kept->reason);
  g_free (kept);
}

static void remember_kept (GHashTable              *kept,
                           const SitrepMessageMark *mark);

GHashTable *
_sitrep_webhook_kept_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, kept_free);
}

/* This console, as its claims on messages name it: the machine, the process and a random part
 * (a process id is used again after a restart). */
char *
_sitrep_webhook_claimant_new (void)
{
  g_autofree char *random = g_uuid_string_random ();

  return g_strdup_printf ("%s/%d/%s", g_get_host_name (), (int) getpid (), random);
}

/**
 * _sitrep_webhook_mark_async:
 * @message: the message, whose id and incident are used
 * @state: queued, sent or failed
 * @attempts: sent or failed: how many attempts were made
 * @at: sent: when
 * @reason: failed: why (copied)
 * @next_attempt_at: failed: when it is tried again, 0 for never
 *
 * The message's new state, on the store's writer thread or kept in the journal; @callback runs
 * on this thread's main context after the commit. Finish with _sitrep_webhook_mark_finish().
 */
void
_sitrep_webhook_mark_async (SitrepWebhook       *self,
                            const SitrepMessage *message,
                            SitrepWebhookState   state,
                            guint                attempts,
                            gint64               at,
                            const char          *reason,
                            gint64               next_attempt_at,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SitrepMessageMark mark = {
    .id = message->id,
    .incident_id = message->incident_id,
    .state = state,
    .attempts = attempts,
    .at = at,
    .reason = reason,
    .next_attempt_at = next_attempt_at,
  };

  g_return_if_fail (state != SITREP_WEBHOOK_STATE_FAILED || reason != NULL);
  /* Queued by this console to post it: claimed, for as long as an attempt can take and then
   * some. A console that quits or is killed mid-post leaves the claim to run out; then another
   * console tries the message. */
  if (state == SITREP_WEBHOOK_STATE_QUEUED)
    {
      mark.claimant = self->claimant;
      mark.at = sitrep_clock_now (self->clock);
      mark.claimed_until = mark.at + (gint64) self->timeout_ms * 1000 + CLAIM_MARGIN;
    }
  /* Failed: written unless another console claimed the message since. */
  else if (state == SITREP_WEBHOOK_STATE_FAILED)
    {
      mark.claimant = self->claimant;
      mark.at = sitrep_clock_now (self->clock);
    }
  sitrep_store_mark_message_async (self->store, &mark, sitrep_clock_now (self->clock), callback,
                                   user_data);
}

/* Remembers a state kept in the journal, and forgets it once one is written. */
gboolean
_sitrep_webhook_mark_finish (SitrepWebhook  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  const SitrepMessageMark *mark = NULL;
  gboolean kept = FALSE;

  if (!sitrep_store_mark_message_finish (self->store, result, &kept, &mark, error))
    return FALSE;
  if (kept)
    remember_kept (self->kept, mark);
  else
    g_hash_table_remove (self->kept, &mark->id);
  return TRUE;
}

/* @message as read from the store, with the state this console kept for it, if any: as the
 * server will have it once the journal is written. */
void
_sitrep_webhook_apply_kept (SitrepWebhook *self,
                            SitrepMessage *message)
{
  Kept *kept = g_hash_table_lookup (self->kept, &message->id);

  if (kept == NULL)
    return;
  message->webhook_state = kept->state;
  /* Queued again: the attempts so far count on, as the server will keep them. */
  if (kept->state != SITREP_WEBHOOK_STATE_QUEUED)
    message->webhook_attempts = kept->attempts;
  g_free (message->webhook_error);
  message->webhook_error = g_strdup (kept->reason);
  message->next_attempt_at = kept->next_attempt_at;
}

static void
remember_kept (GHashTable              *kept,
               const SitrepMessageMark *mark)
{
  Kept *state = g_new0 (Kept, 1);

  state->state = mark->state;
  state->attempts = mark->attempts;
  state->reason = g_strdup (mark->reason);
  state->next_attempt_at = mark->next_attempt_at;
  g_hash_table_insert (kept, g_memdup2 (&mark->id, sizeof mark->id), state);
}

static void
kept_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(SitrepWebhook) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = sitrep_store_list_kept_finish (SITREP_STORE (source), result,
                                                               &error);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self == NULL)
    return;
  self->kept_loading = FALSE;
  if (changes == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Cannot read the webhook states kept on this computer: %s", error->message);
  /* Oldest first: the last one kept for a message is the one the server will have. No
   * message was tried meanwhile, so none is newer. */
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      SitrepKeptChange *change = changes->pdata[i];
      g_autoptr(JsonNode) node = NULL;
      SitrepMessageMark mark;

      if (g_strcmp0 (change->kind, SITREP_STORE_MESSAGE_MARK_KIND) != 0 || change->body == NULL)
        continue;
      node = json_from_string (change->body, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node)
          && sitrep_store_message_mark_from_kept (json_node_get_object (node), &mark))
        remember_kept (self->kept, &mark);
    }
  _sitrep_webhook_resume_posts (self, g_steal_pointer (&self->waiting_posts));
  /* Asked for meanwhile (at start, by the timer or a clock change). */
  if (self->list_again && !g_cancellable_is_cancelled (self->reads))
    {
      self->list_again = FALSE;
      sitrep_webhook_retry_due (self);
    }
}

/* The journal is written: the server has every state kept, and is the one to go by again (a
 * message another console sent since included). A list or a post's read made before is read
 * again, and the queue now, for what waited while the server was away. */
static void
journal_replayed_cb (SitrepWebhook *self)
{
  if (sitrep_store_get_pending_changes (self->store) > 0)
    return;
  g_hash_table_remove_all (self->kept);
  self->attempts_ended++;
  sitrep_webhook_retry_due (self);
}

/* On a team database: the states an earlier run kept in the journal, read on a thread before
 * any message is, and forgotten once the journal is written. */
void
_sitrep_webhook_load_kept (SitrepWebhook *self)
{
  GWeakRef *weak;

  if (!sitrep_store_is_shared (self->store))
    return;
  g_signal_connect_object (self->store, "journal-replayed", G_CALLBACK (journal_replayed_cb),
                           self, G_CONNECT_SWAPPED);
  self->kept_loading = TRUE;
  self->waiting_posts = g_ptr_array_new_with_free_func (g_object_unref);
  /* Not a reference: a webhook the console lets go of meanwhile reads nothing. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  sitrep_store_list_kept_async (self->store, NULL, kept_listed_cb, weak);
}
