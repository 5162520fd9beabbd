/* sitrep-store-presence.c: who else has a console open on a team database
 *
 * Each console keeps one connection of its own to the team database, named
 * "sitrep:NAME@HOST" (application_name, NAME from Preferences), and reads on it now and then
 * which other connections of the same database carry such a name (pg_stat_activity): the
 * consoles open there, not the headless verbs (whose connections are named "sitrep"). The
 * connection is made and read on a thread, one read at a time, so the main loop never waits on
 * the server; what was read is told from the main loop.
 *
 * It never says more than it knows: when a read fails (the server restarted, the network went)
 * or is not answered for a while (the server stalls), who else is there is unknown, and the
 * problem says why, until a read succeeds again; a connection that was lost is made again by
 * the next read.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-store-db-pg.h"
#include "sitrep-store-db.h"
#include "sitrep-store-presence.h"
#include "sitrep-store.h"

#define NAME_PREFIX "sitrep:"
/* How long a read may go unanswered before who else is there counts as unknown: the query is
 * over in milliseconds on a server that answers. */
#define STALLED_AFTER_S 10

struct _SitrepStorePresence
{
  GObject parent_instance;

  SitrepDb *conn;          /* used by one thread at a time: the read in flight, if any */
  char *conninfo;          /* to connect again when the connection was lost */
  char *location;          /* "“incidents” on db.example.org:5432 (user sitrep)" */
  char *name;              /* this console's application_name */
  GStrv others;            /* the other consoles' names, by when they connected */
  char *problem;           /* why the last read failed, or NULL */
  guint interval_ms;
  guint timeout_id;
  guint stalled_id;        /* while a read is in flight: when it counts as unanswered */
  gboolean reading;
};

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_OTHERS,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SitrepStorePresence, sitrep_store_presence, G_TYPE_OBJECT)

static char *
application_name (const char *name)
{
  g_autofree char *clean = g_strstrip (g_strdup (name != NULL ? name : ""));

  /* PostgreSQL keeps 63 bytes of it: the name first, then the machine. */
  return g_strdup_printf (NAME_PREFIX "%s@%s", *clean ? clean : g_get_user_name (),
                          g_get_host_name ());
}

/* What a person reads of another console's application_name: the name, without the machine. */
static char *
person_of (const char *application)
{
  const char *name = application + strlen (NAME_PREFIX);
  const char *at = strrchr (name, '@');

  return at != NULL && at > name ? g_strndup (name, at - name) : g_strdup (name);
}

typedef struct
{
  char *name;
  GStrv others;
} Read;

static void
read_free (Read *read)
{
  g_free (read->name);
  g_strfreev (read->others);
  g_free (read);
}

static gboolean
read_others (SitrepDb   *conn,
             const char *name,
             GStrv      *others,
             GError    **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) consoles = g_ptr_array_new_with_free_func (g_free);
  SitrepDbStmt *stmt = NULL;
  int rc;

  if (sitrep_db_prepare (conn, "SELECT set_config ('application_name', ?1, false)", &stmt)
      != SITREP_DB_OK)
    goto failed;
  sitrep_db_bind_text (stmt, 1, name);
  rc = sitrep_db_step (stmt);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW)
    goto failed;
  if (sitrep_db_prepare (conn, "SELECT application_name FROM pg_stat_activity"
                               " WHERE datname = current_database ()"
                               " AND pid <> pg_backend_pid ()"
                               " AND application_name LIKE 'sitrep:%'"
                               " ORDER BY backend_start, pid", &stmt)
      != SITREP_DB_OK)
    goto failed;
  /* One entry a console: a console seen twice (it reconnected) is one person there. */
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      const char *application = sitrep_db_column_text (stmt, 0);

      if (!g_ptr_array_find_with_equal_func (consoles, application, g_str_equal, NULL))
        g_ptr_array_add (consoles, g_strdup (application));
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    goto failed;
  for (guint i = 0; i < consoles->len; i++)
    {
      g_autofree char *person = person_of (consoles->pdata[i]);
      guint same = 0;

      for (guint j = 0; j < consoles->len; j++)
        {
          g_autofree char *other = person_of (consoles->pdata[j]);

          same += g_str_equal (person, other);
        }
      /* The same name on two computers: say which is which. */
      if (same > 1)
        {
          const char *host = strrchr (consoles->pdata[i], '@');

          if (host != NULL && host[1] != '\0')
            {
              /* Translators: a person on a computer, "Ana on ana-laptop" */
              g_autofree char *where = g_strdup_printf (_("%s on %s"), person, host + 1);

              g_strv_builder_add (builder, where);
              continue;
            }
        }
      g_strv_builder_add (builder, person);
    }
  *others = g_strv_builder_end (builder);
  return TRUE;

failed:
  g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
               _("Cannot see who else is connected to the team database: %s"),
               sitrep_db_errmsg (conn));
  return FALSE;
}

/* On the reading thread, which has the connection to itself: a connection the server or the
 * network dropped is made again first. */
static gboolean
reconnect_if_lost (SitrepStorePresence *self,
                   GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  SitrepDb *fresh;

  if (!sitrep_db_postgres_is_lost (self->conn))
    return TRUE;
  fresh = sitrep_db_postgres_open (self->conninfo, NULL, &local_error);
  if (fresh == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE,
                   _("Cannot see who else is connected to the team database: %s"),
                   local_error->message);
      return FALSE;
    }
  sitrep_db_postgres_adopt (self->conn, fresh);
  return TRUE;
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SitrepStorePresence *self = source_object;
  Read *read = task_data;
  GError *error = NULL;

  if (!reconnect_if_lost (self, &error)
      || !read_others (self->conn, read->name, &read->others, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void schedule (SitrepStorePresence *self);

static void
set_problem (SitrepStorePresence *self,
             const char          *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* Who else is there is not known now; @problem says why. */
static void
set_unknown (SitrepStorePresence *self,
             const char          *problem)
{
  set_problem (self, problem);
  if (self->others != NULL)
    {
      g_clear_pointer (&self->others, g_strfreev);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTHERS]);
    }
}

static gboolean
stalled_cb (gpointer user_data)
{
  SitrepStorePresence *self = user_data;
  g_autofree char *problem = NULL;

  self->stalled_id = 0;
  problem = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The team database has not answered for %u second.",
                                          "The team database has not answered for %u seconds.",
                                          STALLED_AFTER_S),
                             STALLED_AFTER_S);
  set_unknown (self, problem);
  return G_SOURCE_REMOVE;
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SitrepStorePresence *self = SITREP_STORE_PRESENCE (source);
  Read *read = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->reading = FALSE;
  g_clear_handle_id (&self->stalled_id, g_source_remove);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    set_unknown (self, error->message);
  else
    {
      /* Who is there first, then no problem: never a moment that says neither. */
      if (self->others == NULL
          || !g_strv_equal ((const char *const *) self->others,
                            (const char *const *) read->others))
        {
          g_strfreev (self->others);
          self->others = g_steal_pointer (&read->others);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTHERS]);
        }
      set_problem (self, NULL);
    }
  schedule (self);
}

static void
start_read (SitrepStorePresence *self)
{
  g_autoptr(GTask) task = NULL;
  Read *read;

  if (self->reading || self->conn == NULL)
    return;
  self->reading = TRUE;
  self->stalled_id = g_timeout_add_seconds (STALLED_AFTER_S, stalled_cb, self);
  read = g_new0 (Read, 1);
  read->name = g_strdup (self->name);
  task = g_task_new (self, NULL, read_done_cb, NULL);
  g_task_set_source_tag (task, start_read);
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);
  g_task_run_in_thread (task, read_in_thread);
}

static gboolean
timeout_cb (gpointer user_data)
{
  SitrepStorePresence *self = user_data;

  self->timeout_id = 0;
  start_read (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (SitrepStorePresence *self)
{
  if (self->timeout_id == 0 && self->interval_ms > 0 && self->conn != NULL)
    self->timeout_id = g_timeout_add (self->interval_ms, timeout_cb, self);
}

static void
sitrep_store_presence_dispose (GObject *object)
{
  SitrepStorePresence *self = SITREP_STORE_PRESENCE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->stalled_id, g_source_remove);
  G_OBJECT_CLASS (sitrep_store_presence_parent_class)->dispose (object);
}

static void
sitrep_store_presence_finalize (GObject *object)
{
  SitrepStorePresence *self = SITREP_STORE_PRESENCE (object);

  /* A read in flight holds the object: none is left when it goes. */
  g_clear_pointer (&self->conn, sitrep_db_close);
  g_free (self->conninfo);
  g_free (self->location);
  g_free (self->name);
  g_strfreev (self->others);
  g_free (self->problem);
  G_OBJECT_CLASS (sitrep_store_presence_parent_class)->finalize (object);
}

static void
sitrep_store_presence_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SitrepStorePresence *self = SITREP_STORE_PRESENCE (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_OTHERS:
      g_value_set_boxed (value, self->others);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_store_presence_class_init (SitrepStorePresenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sitrep_store_presence_dispose;
  object_class->finalize = sitrep_store_presence_finalize;
  object_class->get_property = sitrep_store_presence_get_property;

  /* Where the team database is, for people. */
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, flags);
  /* The names of the other consoles connected, by when they connected; NULL when not known:
   * the last read failed or is not answered (the problem says why). */
  properties[PROP_OTHERS] = g_param_spec_boxed ("others", NULL, NULL, G_TYPE_STRV, flags);
  /* Why who else is there is not known, or NULL. */
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_store_presence_init (SitrepStorePresence *self)
{
}

typedef struct
{
  char *conninfo;
  char *name;
  char *location;
  GStrv others;
  guint interval_ms; /* for the presence made once connected; the thread does not touch it */
} Connect;

static void
connect_free (Connect *connect)
{
  g_free (connect->conninfo);
  g_free (connect->name);
  g_free (connect->location);
  g_strfreev (connect->others);
  g_free (connect);
}

static void
connect_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Connect *connect = task_data;
  GError *error = NULL;
  SitrepDb *conn;

  if (!sitrep_db_is_postgres_uri (connect->conninfo))
    {
      g_task_return_new_error (task, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                               _("Only a team database has other consoles; %s is a file."),
                               connect->conninfo);
      return;
    }
  conn = sitrep_db_postgres_open (connect->conninfo, &connect->location, &error);
  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!read_others (conn, connect->name, &connect->others, &error))
    {
      sitrep_db_close (conn);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, conn, (GDestroyNotify) sitrep_db_close);
}

/**
 * sitrep_store_presence_new_async:
 * @conninfo: the team database's address (as sitrep_store_open() takes it)
 * @name: (nullable): this console's person (Preferences' name)
 * @interval_ms: how often to read again; 0 for only when asked (sitrep_store_presence_refresh())
 *
 * Connects on a thread under this console's name and reads who else is there.
 */
void
sitrep_store_presence_new_async (const char          *conninfo,
                                 const char          *name,
                                 guint                interval_ms,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Connect *connect = g_new0 (Connect, 1);

  g_return_if_fail (conninfo != NULL);

  connect->conninfo = g_strdup (conninfo);
  connect->name = application_name (name);
  connect->interval_ms = interval_ms;
  g_task_set_source_tag (task, sitrep_store_presence_new_async);
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);
  g_task_run_in_thread (task, connect_in_thread);
}

SitrepStorePresence *
sitrep_store_presence_new_finish (GAsyncResult *result,
                                  GError      **error)
{
  SitrepStorePresence *self;
  Connect *connect;
  SitrepDb *conn;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  conn = g_task_propagate_pointer (G_TASK (result), error);
  if (conn == NULL)
    return NULL;
  connect = g_task_get_task_data (G_TASK (result));
  self = g_object_new (SITREP_TYPE_STORE_PRESENCE, NULL);
  self->conn = conn;
  self->conninfo = g_strdup (connect->conninfo);
  self->name = g_strdup (connect->name);
  self->location = g_steal_pointer (&connect->location);
  self->others = g_steal_pointer (&connect->others);
  self->interval_ms = connect->interval_ms;
  schedule (self);
  return self;
}

/* Another name from Preferences: the next read says it to the others. */
void
sitrep_store_presence_set_name (SitrepStorePresence *self,
                                const char          *name)
{
  g_return_if_fail (SITREP_IS_STORE_PRESENCE (self));

  g_free (self->name);
  self->name = application_name (name);
  sitrep_store_presence_refresh (self);
}

/* Reads again now (unless a read is on its way). */
void
sitrep_store_presence_refresh (SitrepStorePresence *self)
{
  g_return_if_fail (SITREP_IS_STORE_PRESENCE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  start_read (self);
}

const char *
sitrep_store_presence_get_location (SitrepStorePresence *self)
{
  g_return_val_if_fail (SITREP_IS_STORE_PRESENCE (self), NULL);
  return self->location;
}

/* Returns: (nullable) (array zero-terminated=1): the other consoles' names */
const char *const *
sitrep_store_presence_get_others (SitrepStorePresence *self)
{
  g_return_val_if_fail (SITREP_IS_STORE_PRESENCE (self), NULL);
  return (const char *const *) self->others;
}

const char *
sitrep_store_presence_get_problem (SitrepStorePresence *self)
{
  g_return_val_if_fail (SITREP_IS_STORE_PRESENCE (self), NULL);
  return self->problem;
}
