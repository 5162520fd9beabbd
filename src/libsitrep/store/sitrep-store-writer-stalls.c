/* sitrep-store-writer-stalls.c: a console's change that a team database takes and then does not
 * answer is given up after a while, as on a dead link
 *
 * A server that stalls (its disk hangs, it is stopped, a network holds the packets while its
 * kernel acknowledges them, a lock another session holds keeps the change waiting) leaves no
 * limit of the connection's to end the wait: the writer thread would wait for good, and the
 * changes queued behind would neither be written nor kept. While the writer sends a change or
 * replays the journal, its slot says since when the statement has waited (sitrep-store-writer.c,
 * sitrep_db_socket_slot_set_limited()); a source on the console's main context looks every
 * second and cuts a statement that has waited too long. The change fails as on a connection
 * lost: one the journal can keep goes there with those behind it, the console says the server
 * is unreachable, and the journal is written once it answers (its change ids make sure once);
 * another fails with that reason (the escalation check is made again at its next turn, a
 * post-mortem is saved again by its author). A change queued as patient (the hourly pruning of
 * health history, sitrep_store_write_patient_async()) and the connection's own setup
 * (migrations) keep their time: a slow server is allowed it there.
 */
#include "config.h"

#include "sitrep-store-private.h"
#include "sitrep-store-writer.h"

static gboolean
cut_stalled_cb (gpointer user_data)
{
  SitrepStore *self = user_data;

  if (sitrep_db_socket_slot_cut_stalled (&self->writer_slot, self->stalled_after))
    g_message ("The team database %s did not answer a change for %" G_GINT64_FORMAT " s: its "
               "connection was cut, and the console goes on as when the server is unreachable.",
               self->path, self->stalled_after / G_USEC_PER_SEC);
  return G_SOURCE_CONTINUE;
}

/**
 * sitrep_store_cut_stalled_changes:
 * @seconds: how long a change may wait for the server, or 0 to stop
 *
 * For a console on a team database: a change whose statement the server has not answered
 * within @seconds has its connection cut, and is kept on this computer when it can be. Looked
 * at every second on the main context of the caller's thread, which never waits for it; stop
 * it there (0) before the store is released on another thread. A headless verb has its
 * deadline instead (sitrep-store-deadline.c).
 */
void
sitrep_store_cut_stalled_changes (SitrepStore *self,
                                  guint        seconds)
{
  g_return_if_fail (SITREP_IS_STORE (self));

  if (seconds == 0 || !sitrep_store_is_shared (self))
    {
      if (self->stall_watch != NULL)
        {
          g_source_destroy (self->stall_watch);
          g_clear_pointer (&self->stall_watch, g_source_unref);
        }
      return;
    }
  self->stalled_after = (gint64) seconds * G_USEC_PER_SEC;
  if (self->stall_watch != NULL)
    return;
  /* Holds no reference: the store is stopped before it is released elsewhere, and destroys
   * the source when finalized. */
  self->stall_watch = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->stall_watch, cut_stalled_cb, self, NULL);
  g_source_set_static_name (self->stall_watch, "[sitrep] team database stalls");
  g_source_attach (self->stall_watch, g_main_context_get_thread_default ());
}
