/* sitrep-probe-redis.c: the redis probe (PING, an INFO field, a BullMQ queue), with TLS and an ACL user */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-lazy-libraries.h"
#include "sitrep-probe-redis-private.h"
#include "sitrep-probe-tls.h"
#include "sitrep-suggest.h"

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

G_STATIC_ASSERT (G_N_ELEMENTS (((RedisProbe *) NULL)->counts) == N_QUEUE_COUNTS);
G_STATIC_ASSERT (G_N_ELEMENTS (((RedisProbe *) NULL)->ends) == N_QUEUE_REPLIES - N_QUEUE_COUNTS);

static void
redis_probe_free (RedisProbe *p)
{
  redis_wire_free (p);
  g_free (p->host);
  sitrep_probe_scrub_free (p->password);
  g_list_free_full (p->addresses, g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (p->ends); i++)
    g_free (p->ends[i]);
  g_free (p);
}

/* Ends the run as a check that did not complete, for the reason @why (transfer full). */
void
redis_fail (RedisProbe   *p,
            SitrepReason *why)
{
  sitrep_probe_run_fail (p->run, why);
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
  SitrepReason *within = sitrep_probe_timeout_reason (run->timeout_ms);

  if (p->stage == STAGE_CONNECT)
    redis_fail (p, sitrep_reason_new (N_("cannot connect to %s port %s within %s"),
                                      sitrep_reason_new_text (p->host),
                                      sitrep_reason_new_printf ("%u", p->port),
                                      within));
  else if (p->stage == STAGE_HANDSHAKE)
    redis_fail (p, sitrep_reason_new (N_("no TLS handshake within %s: if port %s does not speak "
                                         "TLS, set \"tls\": false"),
                                      within,
                                      sitrep_reason_new_printf ("%u", p->port)));
  else
    redis_fail (p, sitrep_reason_new (N_("no answer within %s"), within));
}

static void
redis_cancelled (SitrepProbeRun *run)
{
  /* The task reports G_IO_ERROR_CANCELLED, whatever the result says. */
  sitrep_probe_run_fail (run, sitrep_reason_new (N_("cancelled")));
}

/* Checks a reply common to every command; returns TRUE when the reply is usable. */
static gboolean
check_reply (RedisProbe *p,
             redisReply *reply,
             const char *what)
{
  if (reply->type == REDIS_REPLY_ERROR)
    {
      /* Redis 6 says WRONGPASS, Redis 5 "ERR invalid password"; NOAUTH: a password is needed.
       * None of them repeats the password. */
      if (g_str_equal (what, "AUTH") || g_str_has_prefix (reply->str, "NOAUTH")
          || g_str_has_prefix (reply->str, "WRONGPASS"))
        redis_fail (p, sitrep_reason_new (N_("authentication failed: %s"),
                                          sitrep_reason_new_text (reply->str)));
      else
        {
          p->run->result->connected = TRUE;
          redis_fail (p, sitrep_reason_new (N_("Redis refused %s: %s"),
                                            sitrep_reason_new_text (what),
                                            sitrep_reason_new_text (reply->str)));
        }
      return FALSE;
    }
  p->run->result->connected = TRUE;
  return TRUE;
}

static void
ping_cb (RedisProbe *p,
         redisReply *reply,
         gpointer    data)
{
  if (!check_reply (p, reply, "PING"))
    return;
  if (reply->type != REDIS_REPLY_STATUS && reply->type != REDIS_REPLY_STRING)
    {
      redis_fail (p, sitrep_reason_new (N_("PING did not answer with text")));
      return;
    }
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
info_cb (RedisProbe *p,
         redisReply *reply,
         gpointer    data)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  const char *value = NULL;

  if (!check_reply (p, reply, "INFO"))
    return;
  if (reply->type != REDIS_REPLY_STRING)
    {
      redis_fail (p, sitrep_reason_new (N_("INFO did not answer with text")));
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
      redis_fail (p, sitrep_reason_new (N_("INFO has no field %s"),
                                        sitrep_reason_new_text (p->run->spec->field)));
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
queue_cb (RedisProbe *p,
          redisReply *reply,
          gpointer    data)
{
  QueueReply which = GPOINTER_TO_UINT (data);
  g_autofree char *key = NULL;

  key = g_strdup_printf ("%s:%s", p->run->spec->queue, queue_commands[which].suffix);
  if (!check_reply (p, reply, key))
    return;

  if (which < N_QUEUE_COUNTS)
    {
      if (reply->type != REDIS_REPLY_INTEGER)
        {
          redis_fail (p, sitrep_reason_new (N_("%s did not answer with a number"),
                                            sitrep_reason_new_text (key)));
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
    {
      const char *argv[] = { "INFO", "all" };

      redis_wire_send (p, info_cb, NULL, G_N_ELEMENTS (argv), argv);
    }
  else if (g_strcmp0 (spec->check, "queue") == 0)
    {
      p->pending = N_QUEUE_REPLIES;
      for (guint i = 0; i < N_QUEUE_REPLIES; i++)
        {
          g_autofree char *key = g_strdup_printf ("%s:%s", spec->queue, queue_commands[i].suffix);
          const char *argv[] = { queue_commands[i].command, key, queue_commands[i].index };

          redis_wire_send (p, queue_cb, GUINT_TO_POINTER (i),
                           queue_commands[i].index != NULL ? 3 : 2, argv);
        }
    }
  else
    {
      const char *argv[] = { "PING" };

      redis_wire_send (p, ping_cb, NULL, G_N_ELEMENTS (argv), argv);
    }
}

static void
select_cb (RedisProbe *p,
           redisReply *reply,
           gpointer    data)
{
  if (check_reply (p, reply, "SELECT"))
    run_check (p);
}

static void
select_and_check (RedisProbe *p)
{
  if (p->run->spec->db > 0)
    {
      g_autofree char *db = g_strdup_printf ("%" G_GINT64_FORMAT, p->run->spec->db);
      const char *argv[] = { "SELECT", db };

      redis_wire_send (p, select_cb, NULL, G_N_ELEMENTS (argv), argv);
    }
  else
    run_check (p);
}

static void
auth_cb (RedisProbe *p,
         redisReply *reply,
         gpointer    data)
{
  if (check_reply (p, reply, "AUTH"))
    select_and_check (p);
}

void
redis_talk (RedisProbe *p)
{
  const char *user = p->run->spec->user;

  if (p->password == NULL)
    select_and_check (p);
  else if (user != NULL)
    {
      /* Redis 6's ACL: AUTH with a user name; without one AUTH is the "default" user's. */
      const char *argv[] = { "AUTH", user, p->password };

      redis_wire_send (p, auth_cb, NULL, G_N_ELEMENTS (argv), argv);
    }
  else
    {
      const char *argv[] = { "AUTH", p->password };

      redis_wire_send (p, auth_cb, NULL, G_N_ELEMENTS (argv), argv);
    }
}

static void
resolved_cb (SitrepProbeRun *run,
             GList          *addresses,
             const GError   *error)
{
  RedisProbe *p = sitrep_probe_run_get_data (run);

  if (addresses == NULL)
    {
      redis_fail (p, sitrep_reason_new (N_("cannot resolve %s: %s"),
                                        sitrep_reason_new_text (p->host),
                                        sitrep_reason_new_text (error->message)));
      return;
    }
  p->addresses = addresses;
  redis_wire_connect (p);
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
read_secret (RedisProbe *p)
{
  if (p->run->spec->secret != NULL)
    sitrep_probe_run_lookup_secret (p->run, p->run->spec->secret, secret_cb);
  else
    resolve (p);
}

static void
tls_files_cb (SitrepProbeRun      *run,
              SitrepProbeTlsFiles *files,
              const GError        *error)
{
  RedisProbe *p = sitrep_probe_run_get_data (run);

  if (files == NULL)
    {
      /* The runbook names a file this machine cannot use: the service is not to blame. */
      sitrep_probe_run_cannot_run_error (run, error);
      return;
    }
  p->ca_database = g_steal_pointer (&files->ca_database);
  p->client_certificate = g_steal_pointer (&files->client_certificate);
  sitrep_probe_tls_files_free (files);
  read_secret (p);
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
  if (spec->tls && sitrep_probe_tls_files_needed (spec, TRUE))
    sitrep_probe_tls_files_load (run, tls_files_cb);
  else
    read_secret (p);
}

/* "ca_file", "client_certificate", "client_key" (format 2): absolute paths of PEM files that
 * exist, for a probe with "tls": true. */
static char *
tls_path (SitrepLoader *l,
          JsonObject   *object,
          const char   *key,
          gboolean      tls)
{
  JsonNode *node;
  char *path;

  if (!sitrep_schema_since (l, object, key, 2))
    return NULL;
  node = sitrep_schema_member (object, key);
  path = sitrep_schema_text (l, object, key);
  if (path == NULL)
    return NULL;
  if (!tls)
    sitrep_schema_problem (l, AT_KEY (node),
                           _("\"%s\" is for a redis probe with \"tls\": true: add it, or "
                             "remove \"%s\""),
                           key, key);
  else if (!g_path_is_absolute (path))
    sitrep_schema_problem (l, AT_VALUE (node),
                           _("\"%s\" must be an absolute path: \"%s\" depends on the folder "
                             "Sitrep starts in"),
                           key, path);
  else if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    sitrep_schema_problem (l, AT_VALUE (node),
                           _("\"%s\": there is no file %s: give the PEM file's path on this "
                             "machine"),
                           key, path);
  return path;
}

static void
redis_load_tls (SitrepLoader    *l,
                JsonObject      *object,
                SitrepProbeSpec *spec)
{
  if (sitrep_schema_since (l, object, "tls", 2))
    spec->tls = sitrep_schema_bool (l, object, "tls", FALSE);
  if (sitrep_schema_since (l, object, "server_name", 2))
    {
      spec->server_name = sitrep_schema_text (l, object, "server_name");
      if (spec->server_name != NULL && !spec->tls)
        sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, "server_name")),
                               _("\"server_name\" is the name in the server's TLS certificate: "
                                 "it needs \"tls\": true"));
    }
  spec->ca_file = tls_path (l, object, "ca_file", spec->tls);
  spec->client_certificate = tls_path (l, object, "client_certificate", spec->tls);
  spec->client_key = tls_path (l, object, "client_key", spec->tls);
  if (spec->client_key != NULL && spec->client_certificate == NULL)
    sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, "client_key")),
                           _("\"client_key\" is the key of \"client_certificate\": give the "
                             "certificate too"));
  if (sitrep_schema_since (l, object, "user", 2))
    {
      spec->user = sitrep_schema_text (l, object, "user");
      if (spec->user != NULL && sitrep_schema_member (object, "secret") == NULL)
        sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, "user")),
                               _("the ACL user \"%s\" needs its password: name it in "
                                 "\"secret\" (a keyring entry, {\"env\": …} or {\"file\": …})"),
                               spec->user);
    }
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
  redis_load_tls (l, object, spec);
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
  if (spec->tls)
    return g_strdup_printf ("%s:%u · TLS · %s", spec->host, spec->port, spec->check);
  return g_strdup_printf ("%s:%u · %s", spec->host, spec->port, spec->check);
}

static const SitrepProbeKind redis_kind = {
  .load = redis_load,
  .describe = redis_describe,
  .start = redis_start,
  /* hiredis reads the replies. */
  .library_settled = sitrep_lazy_hiredis_settled,
  .library_load = sitrep_lazy_hiredis_load,
  .timed_out = redis_timed_out,
  .cancelled = redis_cancelled,
};

static const char *const redis_keys[] = {
  "host", "port", "db", "secret", "check", "field", "queue", "tls", "server_name", "ca_file",
  "client_certificate", "client_key", "user", NULL
};

SITREP_DEFINE_PROBE_KIND (redis, "redis", redis_keys, redis_kind)
