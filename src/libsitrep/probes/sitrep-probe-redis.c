/* sitrep-probe-redis.c: the redis probe (PING, an INFO field, a BullMQ queue) over async hiredis */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/glib.h>

#include "sitrep-probe.h"
#include "sitrep-secrets.h"

typedef enum
{
  STAGE_SECRET,
  STAGE_RESOLVE,
  STAGE_CONNECT,
  STAGE_TALK,
} Stage;

/* The BullMQ keys read by a queue check, in the order the replies come back. */
typedef enum
{
  QUEUE_WAIT,
  QUEUE_ACTIVE,
  QUEUE_PAUSED,
  QUEUE_DELAYED,
  QUEUE_FAILED,
  QUEUE_PRIORITIZED,
  N_QUEUE_COUNTS,
  QUEUE_WAIT_FIRST = N_QUEUE_COUNTS,
  QUEUE_WAIT_LAST,
  QUEUE_PAUSED_FIRST,
  QUEUE_PAUSED_LAST,
  N_QUEUE_REPLIES,
} QueueReply;

static const struct
{
  const char *command;
  const char *suffix;
  const char *index;
} queue_commands[N_QUEUE_REPLIES] = {
  { "LLEN", "wait", NULL },
  { "LLEN", "active", NULL },
  { "LLEN", "paused", NULL },
  { "ZCARD", "delayed", NULL },
  { "ZCARD", "failed", NULL },
  { "ZCARD", "prioritized", NULL },
  { "LINDEX", "wait", "0" },
  { "LINDEX", "wait", "-1" },
  { "LINDEX", "paused", "0" },
  { "LINDEX", "paused", "-1" },
};

typedef struct
{
  GTask *task;                /* held until the probe completes */
  GMainContext *context;
  GCancellable *cancellable;  /* ours: stops the keyring and resolver when the probe ends */
  SitrepProbeResult *result;
  GError *cannot_run;

  char *host;
  guint port;
  gint64 db;
  char *secret;
  char *check;
  char *field;
  char *queue;
  gint64 timeout_ms;
  char *password;

  GList *addresses;           /* GInetAddress, not tried yet */
  redisAsyncContext *ac;      /* NULL once hiredis has freed it */
  GSource *redis_source;
  GSource *timeout_source;
  GSource *cancel_source;
  GSource *step_source;       /* completes the probe or tries the next address, outside hiredis */

  Stage stage;
  gboolean done;
  gint64 started;

  guint pending;
  gint64 counts[N_QUEUE_COUNTS];
  char *ends[N_QUEUE_REPLIES - N_QUEUE_COUNTS]; /* the elements at either end of wait and paused */
} RedisProbe;

static void connect_next (RedisProbe *p);

static void
redis_probe_free (RedisProbe *p)
{
  g_assert (p->ac == NULL);
  g_assert (p->redis_source == NULL);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->context, g_main_context_unref);
  g_clear_pointer (&p->result, sitrep_probe_result_unref);
  g_clear_error (&p->cannot_run);
  g_free (p->host);
  g_free (p->secret);
  g_free (p->check);
  g_free (p->field);
  g_free (p->queue);
  if (p->password != NULL)
    memset (p->password, 0, strlen (p->password));
  g_free (p->password);
  g_list_free_full (p->addresses, g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (p->ends); i++)
    g_free (p->ends[i]);
  g_free (p);
}

static char *
format_timeout (gint64 ms)
{
  if (ms % 1000 == 0)
    return g_strdup_printf (_("%d s"), (int) (ms / 1000));
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Frees the hiredis context. Replies still queued run with a NULL reply while it is freed; they
 * find ac->data cleared and leave the probe alone. Never call this from a hiredis callback. */
static void
drop_connection (RedisProbe *p)
{
  if (p->ac != NULL)
    {
      redisAsyncContext *ac = g_steal_pointer (&p->ac);

      ac->data = NULL;
      redisAsyncFree (ac);
    }
  /* After the context: hiredis' clean-up still asks the source for its main context. */
  destroy_source (&p->redis_source);
}

static void
complete (RedisProbe *p)
{
  GTask *task = g_steal_pointer (&p->task);

  destroy_source (&p->timeout_source);
  destroy_source (&p->cancel_source);
  destroy_source (&p->step_source);
  g_cancellable_cancel (p->cancellable);
  drop_connection (p);

  if (p->cannot_run != NULL)
    g_task_return_error (task, g_steal_pointer (&p->cannot_run));
  else
    {
      /* The whole check, from resolving the host to the last reply, but not the keyring. */
      if (p->result->response_time_ms <= 0)
        p->result->response_time_ms = (g_get_monotonic_time () - p->started) / 1000.0;
      g_task_return_pointer (task, sitrep_probe_result_ref (p->result),
                             (GDestroyNotify) sitrep_probe_result_unref);
    }
  g_object_unref (task);
}

static gboolean
step_cb (gpointer user_data)
{
  RedisProbe *p = user_data;

  g_clear_pointer (&p->step_source, g_source_unref);
  if (p->done)
    complete (p);
  else
    connect_next (p);
  return G_SOURCE_REMOVE;
}

/* Hiredis must not have its context freed under its feet, so the next step always waits for
 * the main loop to come round. */
static void
schedule_step (RedisProbe *p)
{
  if (p->step_source != NULL)
    return;
  p->step_source = g_idle_source_new ();
  g_source_set_priority (p->step_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (p->step_source, step_cb, p, NULL);
  g_source_attach (p->step_source, p->context);
}

static void
fail (RedisProbe *p,
      char       *message)
{
  if (p->done)
    {
      g_free (message);
      return;
    }
  p->done = TRUE;
  p->result->response_time_ms = (g_get_monotonic_time () - p->started) / 1000.0;
  sitrep_probe_result_fail (p->result, message);
  g_free (message);
  schedule_step (p);
}

static void
succeed (RedisProbe *p)
{
  if (p->done)
    return;
  p->done = TRUE;
  p->result->response_time_ms = (g_get_monotonic_time () - p->started) / 1000.0;
  schedule_step (p);
}

static gboolean
timeout_cb (gpointer user_data)
{
  RedisProbe *p = user_data;
  g_autofree char *within = format_timeout (p->timeout_ms);

  g_clear_pointer (&p->timeout_source, g_source_unref);
  if (p->stage == STAGE_SECRET && !p->done)
    {
      p->done = TRUE;
      p->cannot_run = g_error_new (SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                                   _("the keyring did not give secret \"%s\" within %s"),
                                   p->secret, within);
    }
  else if (p->stage == STAGE_RESOLVE)
    fail (p, g_strdup_printf (_("cannot resolve %s: no answer within %s"), p->host, within));
  else if (p->stage == STAGE_CONNECT)
    fail (p, g_strdup_printf (_("cannot connect to %s port %u within %s"), p->host, p->port,
                              within));
  else
    fail (p, g_strdup_printf (_("no answer within %s"), within));
  complete (p);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  RedisProbe *p = user_data;

  g_clear_pointer (&p->cancel_source, g_source_unref);
  /* The task reports G_IO_ERROR_CANCELLED, whatever the result says. */
  fail (p, g_strdup (_("cancelled")));
  complete (p);
  return G_SOURCE_REMOVE;
}

/* Returns the probe a hiredis callback belongs to, or NULL once it no longer matters. */
static RedisProbe *
probe_of (const redisAsyncContext *ac)
{
  RedisProbe *p = ac->data;

  return p != NULL && !p->done ? p : NULL;
}

static const char *
error_text (const redisAsyncContext *ac)
{
  if (ac->c.err != 0 && ac->c.errstr[0] != '\0')
    return ac->c.errstr;
  if (ac->errstr != NULL)
    return ac->errstr;
  return _("unknown error");
}

/* The glib adapter's clean-up, plus what it forgets: a dispatch still holding G_IO_IN would hand
 * the freed context to redisAsyncHandleRead, and the probe must learn that the context is gone. */
static void
source_cleanup (void *data)
{
  RedisSource *source = data;
  RedisProbe *p = source->ac->data;

  redis_source_cleanup (data);
  source->poll_fd.revents = 0;
  if (p != NULL)
    p->ac = NULL;
}

/* Checks a reply common to every command; returns the probe when the reply is usable. */
static RedisProbe *
check_reply (redisAsyncContext *ac,
             redisReply        *reply,
             const char        *what)
{
  RedisProbe *p = probe_of (ac);

  /* A NULL reply comes while hiredis drops the connection; the disconnect callback reports it. */
  if (p == NULL || reply == NULL)
    return NULL;

  if (reply->type == REDIS_REPLY_ERROR)
    {
      /* Redis 6 says WRONGPASS, Redis 5 "ERR invalid password"; NOAUTH: a password is needed. */
      if (g_str_equal (what, "AUTH") || g_str_has_prefix (reply->str, "NOAUTH")
          || g_str_has_prefix (reply->str, "WRONGPASS"))
        fail (p, g_strdup_printf (_("authentication failed: %s"), reply->str));
      else
        {
          p->result->connected = TRUE;
          fail (p, g_strdup_printf (_("Redis refused %s: %s"), what, reply->str));
        }
      return NULL;
    }
  p->result->connected = TRUE;
  return p;
}

static void
ping_cb (redisAsyncContext *ac,
         void              *r,
         void              *privdata)
{
  redisReply *reply = r;
  RedisProbe *p = check_reply (ac, reply, "PING");

  if (p == NULL)
    return;
  p->result->result = g_strndup (reply->str, reply->len);
  succeed (p);
}

static JsonNode *
info_value (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  gint64 integer;
  double number;
  char *end;

  if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    json_node_set_int (node, integer);
  else if ((g_ascii_isdigit (text[0]) || (text[0] == '-' && g_ascii_isdigit (text[1])))
           && (number = g_ascii_strtod (text, &end), *end == '\0'))
    json_node_set_double (node, number);
  else
    json_node_set_string (node, text);
  return node;
}

static void
set_json_body (SitrepProbeResult *result,
               JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);
  sitrep_probe_result_set_body (result, bytes, FALSE);
}

/* INFO is "field:value" lines in "# Section" groups; every field lands in [BODY] too. */
static void
info_cb (redisAsyncContext *ac,
         void              *r,
         void              *privdata)
{
  redisReply *reply = r;
  RedisProbe *p = check_reply (ac, reply, "INFO");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  const char *value = NULL;

  if (p == NULL)
    return;
  if (reply->type != REDIS_REPLY_STRING)
    {
      fail (p, g_strdup (_("INFO did not answer with text")));
      return;
    }

  object = json_object_new ();
  lines = g_strsplit (reply->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);
      char *colon = strchr (line, ':');

      if (line[0] == '#' || colon == NULL)
        continue;
      *colon = '\0';
      json_object_set_member (object, line, info_value (colon + 1));
      if (g_strcmp0 (line, p->field) == 0)
        value = colon + 1;
    }
  root = json_node_init_object (json_node_alloc (), object);
  set_json_body (p->result, root);

  if (value == NULL)
    {
      fail (p, g_strdup_printf (_("INFO has no field %s"), p->field));
      return;
    }
  p->result->result = g_strdup (value);
  succeed (p);
}

/* BullMQ (before version 5) may leave a "0:<timestamp>" marker at either end of the wait list
 * (or of the paused list, when it lands there while the queue is paused) to wake its workers:
 * it is not a job. */
static gboolean
is_marker (const char *element)
{
  return element != NULL && g_str_has_prefix (element, "0:");
}

/* The jobs of a list, without the markers at its ends. */
static gint64
jobs_in (RedisProbe *p,
         QueueReply  list,
         QueueReply  first)
{
  gint64 length = p->counts[list], markers = 0;

  if (length > 0 && is_marker (p->ends[first - N_QUEUE_COUNTS]))
    markers++;
  if (length > 1 && is_marker (p->ends[first + 1 - N_QUEUE_COUNTS]))
    markers++;
  return length - markers;
}

static void
queue_done (RedisProbe *p)
{
  static const char *const names[N_QUEUE_COUNTS] = {
    "wait", "active", "paused", "delayed", "failed", "prioritized"
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gint64 counts[N_QUEUE_COUNTS], waiting;

  memcpy (counts, p->counts, sizeof counts);
  counts[QUEUE_WAIT] = jobs_in (p, QUEUE_WAIT, QUEUE_WAIT_FIRST);
  counts[QUEUE_PAUSED] = jobs_in (p, QUEUE_PAUSED, QUEUE_PAUSED_FIRST);
  /* Every job waiting for a worker, wherever BullMQ keeps it: a paused queue moves its jobs to
   * the paused list, and BullMQ 4 and later keep jobs with a priority in a sorted set. A
   * paused queue with 10,000 jobs is not empty. */
  waiting = counts[QUEUE_WAIT] + counts[QUEUE_PAUSED] + counts[QUEUE_PRIORITIZED];

  json_builder_begin_object (builder);
  for (guint i = 0; i < N_QUEUE_COUNTS; i++)
    {
      json_builder_set_member_name (builder, names[i]);
      json_builder_add_int_value (builder, counts[i]);
    }
  json_builder_set_member_name (builder, "waiting");
  json_builder_add_int_value (builder, waiting);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_json_body (p->result, root);

  p->result->result = g_strdup_printf ("%" G_GINT64_FORMAT, waiting);
  succeed (p);
}

static void
queue_cb (redisAsyncContext *ac,
          void              *r,
          void              *privdata)
{
  redisReply *reply = r;
  QueueReply which = GPOINTER_TO_UINT (privdata);
  g_autofree char *key = NULL;
  RedisProbe *p = probe_of (ac);

  if (p == NULL)
    return;
  key = g_strdup_printf ("%s:%s", p->queue, queue_commands[which].suffix);
  if (check_reply (ac, reply, key) == NULL)
    return;

  if (which < N_QUEUE_COUNTS)
    {
      if (reply->type != REDIS_REPLY_INTEGER)
        {
          fail (p, g_strdup_printf (_("%s did not answer with a number"), key));
          return;
        }
      p->counts[which] = reply->integer;
    }
  else if (reply->type == REDIS_REPLY_STRING)
    {
      g_free (p->ends[which - N_QUEUE_COUNTS]);
      p->ends[which - N_QUEUE_COUNTS] = g_strndup (reply->str, reply->len);
    }

  if (--p->pending == 0)
    queue_done (p);
}

static void
run_check (RedisProbe *p)
{
  if (g_strcmp0 (p->check, "info") == 0)
    redisAsyncCommand (p->ac, info_cb, NULL, "INFO all");
  else if (g_strcmp0 (p->check, "queue") == 0)
    {
      p->pending = N_QUEUE_REPLIES;
      for (guint i = 0; i < N_QUEUE_REPLIES; i++)
        {
          g_autofree char *key = g_strdup_printf ("%s:%s", p->queue, queue_commands[i].suffix);
          const char *argv[] = { queue_commands[i].command, key, queue_commands[i].index };

          redisAsyncCommandArgv (p->ac, queue_cb, GUINT_TO_POINTER (i),
                                 queue_commands[i].index != NULL ? 3 : 2, argv, NULL);
        }
    }
  else
    redisAsyncCommand (p->ac, ping_cb, NULL, "PING");
}

static void
select_cb (redisAsyncContext *ac,
           void              *r,
           void              *privdata)
{
  RedisProbe *p = check_reply (ac, r, "SELECT");

  if (p != NULL)
    run_check (p);
}

static void
select_and_check (RedisProbe *p)
{
  if (p->db > 0)
    redisAsyncCommand (p->ac, select_cb, NULL, "SELECT %lld", (long long) p->db);
  else
    run_check (p);
}

static void
auth_cb (redisAsyncContext *ac,
         void              *r,
         void              *privdata)
{
  RedisProbe *p = check_reply (ac, r, "AUTH");

  if (p != NULL)
    select_and_check (p);
}

static void
connect_cb (const redisAsyncContext *ac,
            int                      status)
{
  RedisProbe *p = probe_of (ac);

  if (p == NULL)
    return;

  if (status != REDIS_OK)
    {
      /* Hiredis frees the context as soon as this returns. */
      p->ac = NULL;
      if (p->addresses != NULL)
        schedule_step (p);
      else
        fail (p, g_strdup_printf (_("cannot connect to %s port %u: %s"), p->host, p->port,
                                  error_text (ac)));
      return;
    }

  p->stage = STAGE_TALK;
  if (p->password != NULL)
    redisAsyncCommand (p->ac, auth_cb, NULL, "AUTH %s", p->password);
  else
    select_and_check (p);
}

static void
disconnect_cb (const redisAsyncContext *ac,
               int                      status)
{
  RedisProbe *p = probe_of (ac);

  if (p == NULL)
    return;
  p->ac = NULL;
  fail (p, g_strdup_printf (_("Redis closed the connection: %s"), error_text (ac)));
}

static void
connect_next (RedisProbe *p)
{
  /* The source of a previous attempt: hiredis has freed its context already. */
  drop_connection (p);
  p->stage = STAGE_CONNECT;

  while (p->ac == NULL)
    {
      GInetAddress *address = p->addresses->data;
      g_autofree char *numeric = g_inet_address_to_string (address);
      redisAsyncContext *ac;

      p->addresses = g_list_delete_link (p->addresses, p->addresses);
      g_object_unref (address);
      /* A numeric address: hiredis' own getaddrinfo () does no DNS with it. */
      ac = redisAsyncConnect (numeric, p->port);

      if (ac == NULL)
        {
          fail (p, g_strdup (_("out of memory")));
          return;
        }
      if (ac->err != 0)
        {
          g_autofree char *message = g_strdup_printf (_("cannot connect to %s port %u: %s"),
                                                      p->host, p->port, error_text (ac));

          redisAsyncFree (ac);
          if (p->addresses == NULL)
            {
              fail (p, g_steal_pointer (&message));
              return;
            }
          continue;
        }
      p->ac = ac;
    }

  p->ac->data = p;
  p->redis_source = redis_source_new (p->ac);
  p->ac->ev.cleanup = source_cleanup;
  g_source_attach (p->redis_source, p->context);
  /* Only now: setting the connect callback asks the source for the first write event. */
  redisAsyncSetConnectCallback (p->ac, connect_cb);
  redisAsyncSetDisconnectCallback (p->ac, disconnect_cb);
}

static void
resolve_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RedisProbe *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res, &error);

  if (p->done)
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  if (addresses == NULL)
    {
      fail (p, g_strdup_printf (_("cannot resolve %s: %s"), p->host, error->message));
      return;
    }
  p->addresses = addresses;
  connect_next (p);
}

static void
resolve (RedisProbe *p)
{
  g_autoptr(GResolver) resolver = NULL;

  p->started = g_get_monotonic_time ();
  p->stage = STAGE_RESOLVE;
  resolver = g_resolver_get_default ();
  /* GResolver answers numeric addresses at once and looks names up off the main thread. */
  g_resolver_lookup_by_name_async (resolver, p->host, p->cancellable, resolve_cb,
                                   g_object_ref (p->task));
}

static void
secret_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RedisProbe *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *password = sitrep_secrets_lookup_finish (res, &error);

  if (p->done)
    {
      g_free (password);
      return;
    }
  if (password == NULL)
    {
      p->done = TRUE;
      p->cannot_run = g_error_new_literal (SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                                           error->message);
      schedule_step (p);
      return;
    }
  p->password = password;
  resolve (p);
}

void
sitrep_probe_redis_run_async (SitrepProbeContext    *context,
                              const SitrepService   *service,
                              const SitrepProbeSpec *spec,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  RedisProbe *p = g_new0 (RedisProbe, 1);

  g_task_set_source_tag (task, sitrep_probe_redis_run_async);
  g_task_set_task_data (task, p, (GDestroyNotify) redis_probe_free);

  p->task = task;
  p->context = g_main_context_ref_thread_default ();
  p->cancellable = g_cancellable_new ();
  p->result = sitrep_probe_result_new ();
  p->host = g_strdup (spec->host != NULL ? spec->host : "localhost");
  p->port = spec->port != 0 ? spec->port : 6379;
  p->db = spec->db;
  p->secret = g_strdup (spec->secret);
  p->check = g_strdup (spec->check != NULL ? spec->check : "ping");
  p->field = g_strdup (spec->field);
  p->queue = g_strdup (spec->queue);
  p->timeout_ms = spec->timeout_ms > 0 ? spec->timeout_ms : 5000;
  p->started = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (g_steal_pointer (&p->task));
      return;
    }

  p->timeout_source = g_timeout_source_new (p->timeout_ms);
  g_source_set_callback (p->timeout_source, timeout_cb, p, NULL);
  g_source_attach (p->timeout_source, p->context);
  if (cancellable != NULL)
    {
      p->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (p->cancel_source, G_SOURCE_FUNC (cancelled_cb), p, NULL);
      g_source_attach (p->cancel_source, p->context);
    }

  if (p->secret != NULL)
    {
      p->stage = STAGE_SECRET;
      sitrep_secrets_lookup_async (p->secret, p->cancellable, secret_cb, g_object_ref (task));
    }
  else
    resolve (p);
}

SitrepProbeResult *
sitrep_probe_redis_run_finish (GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sitrep_probe_redis_run_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
