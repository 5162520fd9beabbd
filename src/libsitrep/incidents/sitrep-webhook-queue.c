/* sitrep-webhook-queue.c: the webhook's queue, the messages table: what is due is read and
 * tried, and the timer sleeps until the earliest retry. On a team database the queue is read
 * on the store's reader thread, one list of what is due at a time, so that a list read before
 * an attempt ended never starts it again.
 */
#include "config.h"

#include "sitrep-store-reader.h"
#include "sitrep-webhook-private.h"

/* The timer never sleeps longer than this, so a suspend or a clock jump delays a retry by a
 * minute at most. */
#define MAX_TIMER_MS (60 * 1000)
/* How soon the queue is read again when what is due was not tried. */
#define MIN_TIMER_MS 1000

/* A team database that is away is said by the window's banner: here, a message. */
static void
queue_unread (const GError *error)
{
  if (g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
    g_message ("Cannot read the webhook queue: %s", error->message);
  else
    g_warning ("Cannot read the webhook queue: %s", error->message);
}

static gboolean
timer_cb (gpointer user_data)
{
  SitrepWebhook *self = user_data;

  self->timer_id = 0;
  sitrep_webhook_retry_due (self);
  return G_SOURCE_REMOVE;
}

/* When the list was asked for, and how many attempts had ended then; the messages another
 * console claimed first, as they are now. */
typedef struct
{
  gint64 now;
  guint attempts_ended;
  GArray *elsewhere_ids;
  GPtrArray *elsewhere;  /* SitrepMessage, read on the reader thread */
  GArray *gone_ids;      /* of those, the ones the database has no more */
} DueRead;

static void
due_read_free (DueRead *read)
{
  g_array_unref (read->elsewhere_ids);
  g_ptr_array_unref (read->elsewhere);
  g_array_unref (read->gone_ids);
  g_free (read);
}

static gpointer
read_due (SitrepStore *store,
          gpointer     data,
          GError     **error)
{
  DueRead *read = data;
  GPtrArray *due = sitrep_store_list_pending_messages (store, read->now, error);

  for (guint i = 0; due != NULL && i < read->elsewhere_ids->len; i++)
    {
      gint64 id = g_array_index (read->elsewhere_ids, gint64, i);
      g_autoptr(GError) unread = NULL;
      SitrepMessage *message = sitrep_store_load_message (store, id, &unread);

      if (message != NULL)
        g_ptr_array_add (read->elsewhere, message);
      else if (g_error_matches (unread, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND))
        g_array_append_val (read->gone_ids, id);
    }
  return due;
}

/* Tells of each message another console claimed first what became of it, once: failed (and
 * so anyone's again when its retry falls due, perhaps that console's), then sent. It is
 * followed until it is sent, fails for good, is gone, or this console claims it. */
static void
tell_elsewhere (SitrepWebhook *self,
                DueRead       *read)
{
  for (guint i = 0; i < read->gone_ids->len; i++)
    g_hash_table_remove (self->elsewhere, &g_array_index (read->gone_ids, gint64, i));
  for (guint i = 0; i < read->elsewhere->len; i++)
    {
      SitrepMessage *message = read->elsewhere->pdata[i];
      gpointer told;

      if (!g_hash_table_lookup_extended (self->elsewhere, &message->id, NULL, &told))
        continue;
      if (message->webhook_state == SITREP_WEBHOOK_STATE_SENT
          || (message->webhook_state == SITREP_WEBHOOK_STATE_FAILED
              && message->next_attempt_at == 0))
        g_hash_table_remove (self->elsewhere, &message->id);
      else if (GPOINTER_TO_UINT (told) != message->webhook_state)
        g_hash_table_insert (self->elsewhere, g_memdup2 (&message->id, sizeof message->id),
                             GUINT_TO_POINTER (message->webhook_state));
      if (GPOINTER_TO_UINT (told) != message->webhook_state)
        _sitrep_webhook_emit_changed (self, message->id, message->webhook_state);
    }
}

static void read_due_messages (SitrepWebhook *self);

static void
due_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SitrepWebhook *self = user_data; /* unless the webhook went, and the read was cancelled */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = sitrep_store_read_finish (SITREP_STORE (source), result, &error);
  DueRead *read = sitrep_store_read_get_data (result);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Whoever hears "changed" may drop the last reference. */
  g_object_ref (self);
  self->listing = FALSE;
  /* An attempt ended while the list was read: a message it shows queued may be sent or failed
   * by now. */
  if (due != NULL
      && read->attempts_ended != self->attempts_ended)
    {
      self->list_again = FALSE;
      read_due_messages (self);
      g_object_unref (self);
      return;
    }
  if (due == NULL)
    queue_unread (error);
  else
    {
      tell_elsewhere (self, read);
      for (guint i = 0; i < due->len; i++)
        {
          SitrepMessage *message = due->pdata[i];

          /* Sent, or failed and not due yet, in the journal: the server does not know it yet. */
          _sitrep_webhook_apply_kept (self, message);
          if (message->webhook_state == SITREP_WEBHOOK_STATE_SENT
              || (message->webhook_state == SITREP_WEBHOOK_STATE_FAILED
                  && (message->next_attempt_at == 0 || message->next_attempt_at > read->now)))
            continue;
          if (!g_hash_table_contains (self->in_flight, &message->id)
              && !g_hash_table_contains (self->posting, &message->id))
            _sitrep_webhook_attempt_retry (self, g_ptr_array_steal_index (due, i--));
        }
    }
  /* Asked for again while this list was read: it may miss what changed since. */
  if (self->list_again)
    {
      self->list_again = FALSE;
      read_due_messages (self);
    }
  else
    _sitrep_webhook_schedule_next (self);
  g_object_unref (self);
}

/* One list at a time, so that a list read before an attempt ended never starts it again. */
static void
read_due_messages (SitrepWebhook *self)
{
  GHashTableIter iter;
  gpointer id;
  DueRead *read;

  /* One list at a time; none before the states kept in an earlier run are known. */
  if (self->listing || self->kept_loading)
    {
      self->list_again = TRUE;
      return;
    }
  self->listing = TRUE;
  read = g_new0 (DueRead, 1);
  read->now = sitrep_clock_now (self->clock);
  read->attempts_ended = self->attempts_ended;
  read->elsewhere_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  read->elsewhere = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_message_free);
  read->gone_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_hash_table_iter_init (&iter, self->elsewhere);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_array_append_val (read->elsewhere_ids, *(gint64 *) id);
  sitrep_store_read_async (self->store, read_due, read, (GDestroyNotify) due_read_free,
                           (GDestroyNotify) g_ptr_array_unref, self->reads, due_read_cb, self);
}

/**
 * sitrep_webhook_retry_due:
 *
 * Tries every message that is queued or whose retry time has come, and is not being tried,
 * once the queue is read (on a team database, on the store's reader thread), and tells what
 * became of the messages another console claimed first. The webhook calls it from its timer
 * and when a manual clock moves; the session, when another console's message is on the
 * timeline.
 */
void
sitrep_webhook_retry_due (SitrepWebhook *self)
{
  g_return_if_fail (SITREP_IS_WEBHOOK (self));

  read_due_messages (self);
}

static gpointer
read_next_attempt (SitrepStore *store,
                   gpointer     data,
                   GError     **error)
{
  GError *failed = NULL;
  gint64 next = sitrep_store_next_message_attempt (store, &failed);

  if (failed != NULL)
    {
      g_propagate_error (error, failed);
      return NULL;
    }
  return g_memdup2 (&next, sizeof next);
}

static void
next_attempt_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SitrepWebhook *self = user_data; /* unless the webhook went, and the read was cancelled */
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *next = sitrep_store_read_finish (SITREP_STORE (source), result, &error);
  gint64 wait_ms;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (next == NULL)
    {
      queue_unread (error);
      return;
    }
  /* Nothing scheduled. On a team database another console may claim a message and be killed
   * before it posts it, which nothing here hears of: the queue is read again every minute. */
  if (*next == 0)
    {
      if (sitrep_store_is_shared (self->store))
        self->timer_id = g_timeout_add (MAX_TIMER_MS, timer_cb, self);
      return;
    }
  wait_ms = (*next - sitrep_clock_now (self->clock) + 999) / 1000;
  /* Due already, and yet not tried by the list just read: the attempt under way outlived its
   * claim, or the journal holds a newer state of the message. Not again at once: the queue
   * would read the database without pause until that changes. */
  if (wait_ms <= 0)
    wait_ms = MIN_TIMER_MS;
  self->timer_id = g_timeout_add ((guint) MIN (wait_ms, MAX_TIMER_MS), timer_cb, self);
}

/* Sleeps until the earliest retry only: the timer never scans messages that are not due. The
 * reads answer in the order they were asked, so the last one sets the timer. */
void
_sitrep_webhook_schedule_next (SitrepWebhook *self)
{
  sitrep_store_read_async (self->store, read_next_attempt, NULL, NULL, g_free, self->reads,
                           next_attempt_read_cb, self);
}
