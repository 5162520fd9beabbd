/* sitrep-probe-redis.c: the redis probe (PING, an INFO field, a BullMQ queue) over async hiredis */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/glib.h>

#include "sitrep-probe-run.h"
#include "sitrep-suggest.h"

/* Before it connects, the run itself waits on the keyring and the resolver. */
typedef enum
{
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
  SitrepProbeRun *run;
  char *host;
  guint port;
  char *password;

  GList *addresses;           /* GInetAddress, not tried yet */
  redisAsyncContext *ac;      /* NULL once hiredis has freed it */
  GSource *redis_source;

  Stage stage;
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
  g_free (p->host);
  sitrep_probe_scrub_free (p->password);
  g_list_free_full (p->addresses, g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (p->ends); i++)
    g_free (p->ends[i]);
  g_free (p);
}

/* Frees the hiredis context. Replies still queued run with a NULL reply while it is freed; they
 * find ac->data cleared and leave the probe alone. Never call this from a hiredis callback:
 * the run calls it (redis_stop) on a turn of the main loop of its own. */
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
  sitrep_probe_destroy_source (&p->redis_source);
}

static void
fail (RedisProbe *p,
      char       *message)
{
  sitrep_probe_run_fail (p->run, message);
  g_free (message);
}

static void
succeed (RedisProbe *p)
{
  sitrep_probe_run_complete (p->run);
}

static void
redis_timed_out (SitrepProbeRun *run)
{
  RedisProbe *p = sitrep_probe_run_get_data (run);
  g_autofree char *within = sitrep_probe_format_timeout (run->timeout_ms);

  if (p->stage == STAGE_CONNECT)
    fail (p, g_strdup_printf (_("cannot connect to %s port %u within %s"), p->host, p->port,
                              within));
  else
    fail (p, g_strdup_printf (_("no answer within %s"), within));
}

static void
redis_cancelled (SitrepProbeRun *run)
{
  /* The task reports G_IO_ERROR_CANCELLED, whatever the result says. */
  sitrep_probe_run_fail (run, _("cancelled"));
}

static void
redis_stop (SitrepProbeRun *run)
{
  drop_connection (sitrep_probe_run_get_data (run));
}

/* Returns the probe a hiredis callback belongs to, or NULL once it no longer matters. */
static RedisProbe *
probe_of (const redisAsyncContext *ac)
{
  RedisProbe *p = ac->data;

  return p != NULL && !sitrep_probe_run_is_over (p->run) ? p : NULL;
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
          p->run->result->connected = TRUE;
          fail (p, g_strdup_printf (_("Redis refused %s: %s"), what, reply->str));
        }
      return NULL;
    }
  p->run->result->connected = TRUE;
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
  p->run->result->result = g_strndup (reply->str, reply->len);
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
      if (g_strcmp0 (line, p->run->spec->field) == 0)
        value = colon + 1;
    }
  root = json_node_init_object (json_node_alloc (), object);
  set_json_body (p->run->result, root);

  if (value == NULL)
    {
      fail (p, g_strdup_printf (_("INFO has no field %s"), p->run->spec->field));
      return;
    }
  p->run->result->result = g_strdup (value);
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
  set_json_body (p->run->result, root);

  p->run->result->result = g_strdup_printf ("%" G_GINT64_FORMAT, waiting);
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
  key = g_strdup_printf ("%s:%s", p->run->spec->queue, queue_commands[which].suffix);
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
  const SitrepProbeSpec *spec = p->run->spec;

  if (g_strcmp0 (spec->check, "info") == 0)
    redisAsyncCommand (p->ac, info_cb, NULL, "INFO all");
  else if (g_strcmp0 (spec->check, "queue") == 0)
    {
      p->pending = N_QUEUE_REPLIES;
      for (guint i = 0; i < N_QUEUE_REPLIES; i++)
        {
          g_autofree char *key = g_strdup_printf ("%s:%s", spec->queue, queue_commands[i].suffix);
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
  if (p->run->spec->db > 0)
    redisAsyncCommand (p->ac, select_cb, NULL, "SELECT %lld", (long long) p->run->spec->db);
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

static void connect_next_cb (SitrepProbeRun *run);

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
        sitrep_probe_run_later (p->run, connect_next_cb);
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
  g_source_attach (p->redis_source, p->run->main_context);
  /* Only now: setting the connect callback asks the source for the first write event. */
  redisAsyncSetConnectCallback (p->ac, connect_cb);
  redisAsyncSetDisconnectCallback (p->ac, disconnect_cb);
}

static void
connect_next_cb (SitrepProbeRun *run)
{
  connect_next (sitrep_probe_run_get_data (run));
}

static void
resolved_cb (SitrepProbeRun *run,
             GList          *addresses,
             const GError   *error)
{
  RedisProbe *p = sitrep_probe_run_get_data (run);

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
  /* The clock starts here: looking the host up is part of the check, the keyring is not. */
  sitrep_probe_run_start_clock (p->run);
  sitrep_probe_run_resolve (p->run, p->host, resolved_cb);
}

static void
secret_cb (SitrepProbeRun *run,
           char           *password)
{
  RedisProbe *p = sitrep_probe_run_get_data (run);

  p->password = password;
  resolve (p);
}

static void
redis_start (SitrepProbeRun *run)
{
  const SitrepProbeSpec *spec = run->spec;
  RedisProbe *p = g_new0 (RedisProbe, 1);

  p->run = run;
  p->host = g_strdup (spec->host != NULL ? spec->host : "localhost");
  p->port = spec->port != 0 ? spec->port : 6379;
  sitrep_probe_run_set_data (run, p, (GDestroyNotify) redis_probe_free);

  if (spec->secret != NULL)
    sitrep_probe_run_lookup_secret (run, spec->secret, secret_cb);
  else
    resolve (p);
}

static void
redis_load (SitrepLoader        *l,
            JsonNode            *node,
            const SitrepService *service,
            SitrepProbeSpec     *spec)
{
  static const char *const checks[] = { "ping", "info", "queue", NULL };
  JsonObject *object = json_node_get_object (node);

  spec->host = sitrep_schema_text (l, object, "host");
  if (spec->host == NULL && sitrep_schema_member (object, "host") == NULL)
    sitrep_schema_problem (l, AT_VALUE (node), _("a %s probe needs a \"host\""), "redis");
  spec->port = sitrep_schema_int (l, object, "port", 1, 65535, 6379);
  spec->db = sitrep_schema_int (l, object, "db", 0, 1024, 0);
  spec->secret = sitrep_schema_secret (l, object, "secret");
  spec->check = sitrep_schema_string (l, object, "check");
  if (spec->check == NULL)
    spec->check = g_strdup ("ping");
  else if (!g_strv_contains (checks, spec->check))
    {
      g_autofree char *hint = sitrep_did_you_mean (spec->check, checks);

      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "check")),
                             _("unknown redis check \"%s\"%s (known: ping, info, queue)"),
                             spec->check, hint);
    }
  spec->field = sitrep_schema_text (l, object, "field");
  spec->queue = sitrep_schema_text (l, object, "queue");
  if (g_str_equal (spec->check, "info") && spec->field == NULL)
    sitrep_schema_problem (l, AT_VALUE (node),
                           _("a redis \"info\" check needs a \"field\", like \"used_memory\""));
  if (g_str_equal (spec->check, "queue") && spec->queue == NULL)
    sitrep_schema_problem (l, AT_VALUE (node),
                           _("a redis \"queue\" check needs a \"queue\", like "
                             "\"bull:notification\""));
}

static char *
redis_describe (const SitrepProbeSpec *spec)
{
  return g_strdup_printf ("%s:%u · %s", spec->host, spec->port, spec->check);
}

static const SitrepProbeKind redis_kind = {
  .type = SITREP_PROBE_REDIS,
  .load = redis_load,
  .describe = redis_describe,
  .start = redis_start,
  .timed_out = redis_timed_out,
  .cancelled = redis_cancelled,
  .stop = redis_stop,
};

static const char *const redis_keys[] = {
  "host", "port", "db", "secret", "check", "field", "queue", NULL
};

SITREP_DEFINE_PROBE_KIND (redis, "redis", redis_keys, redis_kind)
