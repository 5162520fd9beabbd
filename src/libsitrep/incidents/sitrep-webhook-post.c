/* sitrep-webhook-post.c: a message the commander sends to the webhook
 *
 * A post reserves the message, reads it (on a team database on the store's reader thread),
 * and starts its first attempt (sitrep-webhook.c) unless an attempt has it already or it was
 * posted before. The post completes once the message is queued, not when it is delivered.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-reader.h"
#include "sitrep-webhook-private.h"

/* A post's read of its message, and how many attempts had ended when it was asked for. */
typedef struct
{
  gint64 id;
  guint attempts_ended;
} PostRead;

static gpointer
read_message (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  return sitrep_store_load_message (store, ((PostRead *) data)->id, error);
}

static void post_message_read_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
read_message_to_post (SitrepWebhook *self,
                      gint64         message_id,
                      GTask         *task)
{
  PostRead *read = g_new0 (PostRead, 1);

  read->id = message_id;
  read->attempts_ended = self->attempts_ended;
  sitrep_store_read_async (self->store, read_message, read, g_free,
                           (GDestroyNotify) sitrep_message_free, self->reads,
                           post_message_read_cb, task);
}

/* The message to post, read: it is reserved for an attempt unless one started meanwhile. */
static void
post_message_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepWebhook *self = g_task_get_source_object (task);
  PostRead *read = sitrep_store_read_get_data (result);
  gint64 message_id = read->id;
  GError *error = NULL;
  SitrepMessage *message;

  message = sitrep_store_read_finish (SITREP_STORE (source), result, &error);
  if (message != NULL && read->attempts_ended != self->attempts_ended
      && !g_hash_table_contains (self->in_flight, &message_id))
    {
      /* An attempt ended while it was read, its state written after the read: this one may
       * be sent by now. Read again, the message still reserved for this post. */
      sitrep_message_free (message);
      read_message_to_post (self, message_id, g_steal_pointer (&task));
      return;
    }
  g_hash_table_remove (self->posting, &message_id);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_hash_table_contains (self->in_flight, &message_id))
    {
      sitrep_message_free (message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Sent while the team database was away: the journal has it, the server not yet. */
  _sitrep_webhook_apply_kept (self, message);
  if (message->webhook_state == SITREP_WEBHOOK_STATE_SENT)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, message_id);

      sitrep_message_free (message);
      g_task_return_new_error (task, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_ALREADY_SENT,
                               _("Message %s was posted already: write a new one to post again."),
                               number);
      return;
    }

  _sitrep_webhook_attempt_post (self, message, g_steal_pointer (&task));
}

/**
 * sitrep_webhook_post_async:
 * @message_id: a message recorded with sitrep_store_record_message()
 *
 * Queues the message and starts posting it. The operation completes once the message is
 * queued, not when it is delivered: #SitrepWebhook::changed tells how each attempt ended, and
 * only a 2xx answer makes it sent. It fails when no webhook URL is set
 * (%SITREP_WEBHOOK_ERROR_NO_URL, with how to set one), the URL is plain http:// and the runbook
 * does not allow it (%SITREP_WEBHOOK_ERROR_PLAIN_HTTP), or the keyring cannot be read: then the
 * message is marked failed with that reason and is not retried. A message already being tried
 * is left to that attempt; one posted already is refused.
 *
 * Cancelling @cancellable only drops the callback: the post itself goes on.
 */
void
sitrep_webhook_post_async (SitrepWebhook      *self,
                           gint64              message_id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SITREP_IS_WEBHOOK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_webhook_post_async);

  if (g_hash_table_contains (self->in_flight, &message_id)
      || g_hash_table_contains (self->posting, &message_id))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Reserved while it is read: a retry of the queue leaves it to this post. */
  g_hash_table_add (self->posting, g_memdup2 (&message_id, sizeof message_id));
  /* Read once the states kept in an earlier run are known: the message may be sent. */
  if (self->kept_loading)
    {
      g_task_set_task_data (task, g_memdup2 (&message_id, sizeof message_id), g_free);
      g_ptr_array_add (self->waiting_posts, g_steal_pointer (&task));
      return;
    }
  read_message_to_post (self, message_id, g_steal_pointer (&task));
}

/* The posts asked for while the kept states were read: their messages are read now. */
void
_sitrep_webhook_resume_posts (SitrepWebhook *self,
                              GPtrArray     *posts)
{
  g_autoptr(GPtrArray) waiting = posts;

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];
      gint64 message_id = *(gint64 *) g_task_get_task_data (task);

      if (g_cancellable_is_cancelled (self->reads))
        {
          g_hash_table_remove (self->posting, &message_id);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The message was not posted: the console let go of its "
                                     "chat webhook."));
          continue;
        }
      read_message_to_post (self, message_id, g_object_ref (task));
    }
}

gboolean
sitrep_webhook_post_finish (SitrepWebhook *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sitrep_webhook_post_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
