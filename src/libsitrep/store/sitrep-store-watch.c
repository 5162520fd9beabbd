/* sitrep-store-watch.c: follows what other consoles write to a team database (LISTEN/NOTIFY)
 *
 * Every timeline event written to a team database notifies the channel "sitrep" in its
 * transaction (sitrep_store_insert_event()), with a payload naming it: {"table":
 * "timeline_events", "incident": 3, "event": 812, "kind": "note"}. PostgreSQL delivers it on
 * commit, and only then. A watch listens on a connection of its own, made on a thread so that the
 * main loop never waits for the server, and emits "changed" for each payload from the main loop
 * it was made on: a console reloads that incident instead of polling the whole database.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-json.h"
#include "sitrep-store-db-pg.h"
#include "sitrep-store-db.h"
#include "sitrep-store-watch.h"
#include "sitrep-store.h"

struct _SitrepStoreWatch
{
  GObject parent_instance;

  SitrepDb *conn;
  GSource *source;
};

enum
{
  CHANGED,
  LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SitrepStoreWatch, sitrep_store_watch, G_TYPE_OBJECT)

static void
sitrep_store_watch_dispose (GObject *object)
{
  SitrepStoreWatch *self = SITREP_STORE_WATCH (object);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  G_OBJECT_CLASS (sitrep_store_watch_parent_class)->dispose (object);
}

static void
sitrep_store_watch_finalize (GObject *object)
{
  SitrepStoreWatch *self = SITREP_STORE_WATCH (object);

  g_clear_pointer (&self->conn, sitrep_db_close);
  G_OBJECT_CLASS (sitrep_store_watch_parent_class)->finalize (object);
}

static void
sitrep_store_watch_class_init (SitrepStoreWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_store_watch_dispose;
  object_class->finalize = sitrep_store_watch_finalize;

  /**
   * SitrepStoreWatch::changed:
   * @table: what changed ("timeline_events")
   * @incident_id: the incident it belongs to
   * @row_id: the row's id (the event's)
   * @kind: the event's kind ("note", "status" …)
   *
   * Another connection committed a change.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT64,
                                   G_TYPE_INT64, G_TYPE_STRING);
  /**
   * SitrepStoreWatch::lost:
   * @message: why, for people
   *
   * The connection to the team database broke: nothing more will be reported.
   */
  signals[LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sitrep_store_watch_init (SitrepStoreWatch *self)
{
}

static void
emit_payload (SitrepStoreWatch *self,
              const char       *payload)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  /* Anyone who may write the database may notify the channel: a payload that is not ours is
   * ignored, never trusted. */
  if (!json_parser_load_from_data (parser, payload, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_debug ("ignoring a notification that is not Sitrep's: %s", payload);
      return;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (sitrep_json_string (object, "table") == NULL || sitrep_json_int (object, "incident") <= 0)
    {
      g_debug ("ignoring a notification that is not Sitrep's: %s", payload);
      return;
    }
  g_signal_emit (self, signals[CHANGED], 0,
                 sitrep_json_string (object, "table"), sitrep_json_int (object, "incident"),
                 sitrep_json_int (object, "event"),
                 sitrep_json_string (object, "kind") ? sitrep_json_string (object, "kind") : "");
}

static gboolean
readable_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  SitrepStoreWatch *self = user_data;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean alive;

  alive = sitrep_db_postgres_take_notifications (self->conn, payloads, &error);
  g_object_ref (self);
  for (guint i = 0; i < payloads->len; i++)
    emit_payload (self, payloads->pdata[i]);
  if (!alive)
    {
      g_clear_pointer (&self->source, g_source_unref);
      g_signal_emit (self, signals[LOST], 0, error->message);
    }
  g_object_unref (self);
  return alive ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
connect_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *conninfo = task_data;
  g_autoptr(GError) error = NULL;
  SitrepDb *conn;

  if (!sitrep_db_is_postgres_uri (conninfo))
    {
      g_task_return_new_error (task, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                               _("Only a team database reports other consoles’ changes; %s is a "
                                 "file."),
                               conninfo);
      return;
    }
  conn = sitrep_db_postgres_open (conninfo, NULL, &error);
  if (conn == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (sitrep_db_exec (conn, "LISTEN sitrep") != SITREP_DB_OK)
    {
      g_task_return_new_error (task, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                               _("Cannot follow the team database’s changes: %s"),
                               sitrep_db_errmsg (conn));
      sitrep_db_close (conn);
      return;
    }
  g_task_return_pointer (task, conn, (GDestroyNotify) sitrep_db_close);
}

/**
 * sitrep_store_watch_new_async:
 * @conninfo: the team database's address (as sitrep_store_open() takes it)
 *
 * Connects to the team database on a thread and listens for the changes other connections
 * commit; the watch reports them from the calling thread's main context.
 */
void
sitrep_store_watch_new_async (const char          *conninfo,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (conninfo != NULL);

  g_task_set_source_tag (task, sitrep_store_watch_new_async);
  g_task_set_task_data (task, g_strdup (conninfo), g_free);
  g_task_run_in_thread (task, connect_in_thread);
}

SitrepStoreWatch *
sitrep_store_watch_new_finish (GAsyncResult *result,
                               GError      **error)
{
  SitrepStoreWatch *self;
  SitrepDb *conn;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  conn = g_task_propagate_pointer (G_TASK (result), error);
  if (conn == NULL)
    return NULL;
  self = g_object_new (SITREP_TYPE_STORE_WATCH, NULL);
  self->conn = conn;
  self->source = g_unix_fd_source_new (sitrep_db_postgres_socket (conn), G_IO_IN | G_IO_ERR
                                                                         | G_IO_HUP);
  g_source_set_callback (self->source, G_SOURCE_FUNC (readable_cb), self, NULL);
  g_source_set_static_name (self->source, "SitrepStoreWatch");
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return self;
}
