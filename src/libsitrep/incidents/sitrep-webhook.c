/* sitrep-webhook.c: posts stakeholder messages to a chat incoming webhook, with retries
 *
 * Slack and Mattermost both take POST {"text": "…"} as application/json. The URL carries the
 * webhook's token, so it lives in the keyring only: it is looked up for each attempt, never
 * stored in the database, and cut out of any error text before that is stored; what the server
 * answers is redacted too, and only the first line of an error answer is kept. Only an https://
 * URL is used, unless the runbook allows plain http ("webhook": {"allow_plain_http": true}).
 *
 * A message is sent only when the webhook answers 2xx: then the store puts it on the timeline
 * and resets the update clock. Until then it is queued or failed, with the reason.
 *
 * A post (sitrep-webhook-post.c) reserves and reads the message and starts its first attempt
 * here. A message is queued, tried at once, and on failure retried after 10 s, 30 s, 1 min,
 * 2 min and then every 5 min, for up to 24 h after it was written. The queue is the messages
 * table, so a message queued when the app was killed goes out when it starts again
 * (sitrep-webhook-queue.c reads it). Nothing here blocks the main loop (on a team database the
 * queue is read on the store's reader thread, and a message's state is written on its writer
 * thread: sitrep-webhook-marks.c), and copying a message never depends on any of it.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sitrep-audit-redact.h"
#include "sitrep-probe.h"
#include "sitrep-secrets.h"
#include "sitrep-store-reader.h"
#include "sitrep-webhook-private.h"

#define DEFAULT_TIMEOUT_MS (10 * 1000)
#define GIVE_UP_AFTER (24 * G_TIME_SPAN_HOUR)
#define ERROR_BODY_BYTES 4096
#define ERROR_LINE_MAX_CHARS 200

G_DEFINE_FINAL_TYPE (SitrepWebhook, sitrep_webhook, G_TYPE_OBJECT)

G_DEFINE_QUARK (sitrep-webhook-error-quark, sitrep_webhook_error)

enum
{
  PROP_0,
  PROP_ALLOW_PLAIN_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One attempt at posting one message; it keeps the webhook alive until it ends. */
typedef struct
{
  SitrepWebhook *self;
  SitrepMessage *message;
  GTask *post_task; /* the sitrep_webhook_post_async() that started it, until queued */
  char *url;
  SoupMessage *request;
  GInputStream *stream;
  GCancellable *cancellable;
  guint timeout_id;
  gboolean timed_out;
  SitrepWebhookState ended; /* how it ended, while that is written */
  GError *refusal;          /* a post refused before it was tried, while that is written */
} Attempt;

static void lookup_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);

static void
attempt_free (Attempt *attempt)
{
  g_clear_handle_id (&attempt->timeout_id, g_source_remove);
  g_clear_object (&attempt->post_task);
  g_clear_error (&attempt->refusal);
  g_clear_pointer (&attempt->url, sitrep_webhook_wipe_free);
  g_clear_object (&attempt->request);
  g_clear_object (&attempt->stream);
  g_clear_object (&attempt->cancellable);
  g_clear_pointer (&attempt->message, sitrep_message_free);
  attempt->self->attempts_ended++;
  g_clear_object (&attempt->self);
  g_free (attempt);
}

/* After 1, 2, 3, 4 and more failed attempts: 10 s, 30 s, 1 min, 2 min, then every 5 min. */
gint64
sitrep_webhook_retry_delay (guint attempts)
{
  static const gint64 delays[] = { 10, 30, 60, 120, 300 };

  return delays[MIN (MAX (attempts, 1), G_N_ELEMENTS (delays)) - 1] * G_USEC_PER_SEC;
}

/* How the attempt ended is committed: the observers are told, and the message is let go of
 * only now, so that nothing reads it as still queued and tries it again. */
static void
attempt_marked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Attempt *attempt = user_data;
  SitrepWebhook *self = attempt->self;
  g_autoptr(GError) error = NULL;
  gboolean recorded = _sitrep_webhook_mark_finish (self, result, &error);

  if (!recorded)
    g_warning ("Cannot record the webhook state of a message: %s", error->message);
  g_hash_table_remove (self->in_flight, &attempt->message->id);
  if (recorded)
    g_signal_emit (self, signals[CHANGED], 0, attempt->message->id, attempt->ended);
  _sitrep_webhook_schedule_next (self);
  attempt_free (attempt);
}

/* Records how the attempt ended, on the store's writer thread, then tells the observers and
 * lets go of it. */
static void
attempt_finish (Attempt    *attempt,
                const char *reason)
{
  SitrepWebhook *self = attempt->self;
  SitrepMessage *message = attempt->message;
  guint attempts = message->webhook_attempts + 1;

  if (reason == NULL)
    {
      attempt->ended = SITREP_WEBHOOK_STATE_SENT;
      _sitrep_webhook_mark_async (self, message, SITREP_WEBHOOK_STATE_SENT, attempts,
                                  sitrep_clock_now (self->clock), NULL, 0, attempt_marked_cb,
                                  attempt);
    }
  else
    {
      g_autofree char *clean = _sitrep_webhook_scrub (reason, attempt->url);
      g_autofree char *stored = NULL;
      gint64 now = sitrep_clock_now (self->clock);
      gint64 next = now + sitrep_webhook_retry_delay (attempts);

      if (next > message->created_at + GIVE_UP_AFTER)
        {
          next = 0;
          /* Translators: the first %s is why the last attempt failed. */
          stored = g_strdup_printf (_("%s. No more retries: the message is a day old. Post it "
                                      "again to try once more."),
                                    clean);
        }
      attempt->ended = SITREP_WEBHOOK_STATE_FAILED;
      _sitrep_webhook_mark_async (self, message, SITREP_WEBHOOK_STATE_FAILED, attempts, 0,
                                  stored != NULL ? stored : clean, next, attempt_marked_cb,
                                  attempt);
    }
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Attempt *attempt = user_data;

  attempt->timeout_id = 0;
  attempt->timed_out = TRUE;
  g_cancellable_cancel (attempt->cancellable);
  return G_SOURCE_REMOVE;
}

/* The first line of what the server answered, redacted before it is cut, so that a credential
 * it quotes is not kept even in part. */
static char *
first_line (GBytes *body)
{
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  gsize end = 0;

  while (end < size && data[end] != '\n' && data[end] != '\r')
    end++;
  line = g_utf8_make_valid (data != NULL ? data : "", end);
  text = g_strstrip (sitrep_audit_redact (line));
  if (g_utf8_strlen (text, -1) > ERROR_LINE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, ERROR_LINE_MAX_CHARS - 1);

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&text);
}

static void
close_in_background (GInputStream *stream)
{
  /* Not waited for: the session's I/O timeout bounds a server that never finishes. */
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
attempt_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  g_autofree char *line = first_line (body);
  g_autofree char *reason = NULL;
  guint status = soup_message_get_status (attempt->request);
  const char *phrase = soup_message_get_reason_phrase (attempt->request);

  close_in_background (attempt->stream);
  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (status);
  if (*line != '\0')
    /* Translators: "the webhook answered HTTP 500 Internal Server Error: no such channel" */
    reason = g_strdup_printf (_("the webhook answered HTTP %u %s: %s"), status,
                              phrase != NULL ? phrase : "", line);
  else
    reason = g_strdup_printf (_("the webhook answered HTTP %u %s"), status,
                              phrase != NULL ? phrase : "");
  attempt_finish (attempt, g_strchomp (reason));
}

static void
attempt_send_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  attempt->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (attempt->stream == NULL)
    {
      g_autofree char *reason = NULL;

      if (attempt->timed_out)
        reason = g_strdup_printf (_("the webhook did not answer within %u s"),
                                  MAX (1, attempt->self->timeout_ms / 1000));
      else
        {
          g_autofree char *detail = sitrep_audit_redact (error->message);

          reason = g_strdup_printf (_("cannot reach the webhook: %s"), detail);
        }
      attempt_finish (attempt, reason);
      return;
    }

  status = soup_message_get_status (attempt->request);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      close_in_background (attempt->stream);
      attempt_finish (attempt, NULL);
      return;
    }
  g_input_stream_read_bytes_async (attempt->stream, ERROR_BODY_BYTES, G_PRIORITY_DEFAULT,
                                   attempt->cancellable, attempt_read_cb, attempt);
}

static GBytes *
message_body (const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void
attempt_send (Attempt *attempt)
{
  SitrepWebhook *self = attempt->self;
  g_autoptr(GBytes) body = message_body (attempt->message->text);

  attempt->request = soup_message_new (SOUP_METHOD_POST, attempt->url);
  if (attempt->request == NULL)
    {
      attempt_finish (attempt, _("the chat webhook URL in the keyring is not a valid URL"));
      return;
    }
  /* A redirect is a misconfigured webhook, and following it would turn the POST into a GET. */
  soup_message_add_flags (attempt->request, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (attempt->request, "application/json", body);
  attempt->timeout_id = g_timeout_add (self->timeout_ms, attempt_timeout_cb, attempt);
  soup_session_send_async (self->session, attempt->request, G_PRIORITY_DEFAULT,
                           attempt->cancellable, attempt_send_cb, attempt);
}

/* Reserves @message for one attempt, so neither the timer nor another post starts a second. */
static Attempt *
attempt_new (SitrepWebhook *self,
             SitrepMessage *message)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->self = g_object_ref (self);
  attempt->message = message;
  attempt->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->in_flight, &message->id, attempt);
  return attempt;
}

void
_sitrep_webhook_emit_changed (SitrepWebhook      *self,
                              gint64              message_id,
                              SitrepWebhookState  state)
{
  g_signal_emit (self, signals[CHANGED], 0, message_id, state);
}

/* Drops an attempt that never got as far as being queued. */
static void
attempt_abandon (Attempt *attempt)
{
  g_hash_table_remove (attempt->self->in_flight, &attempt->message->id);
  attempt_free (attempt);
}

/* The message is queued (or could not be): a post is answered and tried, a retry looks up the
 * URL. */
static void
attempt_queued_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Attempt *attempt = user_data;
  SitrepWebhook *self = attempt->self;
  g_autoptr(GTask) task = g_steal_pointer (&attempt->post_task);
  g_autoptr(GError) error = NULL;

  if (!_sitrep_webhook_mark_finish (self, result, &error))
    {
      if (g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT))
        {
          /* Another console claimed it first, and posts it (or has): this one leaves it, and
           * wakes up when that claim runs out, should that console have gone. */
          g_debug ("%s", error->message);
          if (!g_hash_table_contains (self->elsewhere, &attempt->message->id))
            g_hash_table_insert (self->elsewhere,
                                 g_memdup2 (&attempt->message->id, sizeof (gint64)),
                                 GUINT_TO_POINTER (SITREP_WEBHOOK_STATE_QUEUED));
          if (task != NULL)
            g_task_return_boolean (task, TRUE);
          _sitrep_webhook_schedule_next (self);
        }
      else if (task != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_warning ("Cannot queue a message for the webhook: %s", error->message);
      attempt_abandon (attempt);
      return;
    }
  /* This console's to post now, whoever had claimed it before. */
  g_hash_table_remove (self->elsewhere, &attempt->message->id);
  attempt->message->webhook_state = SITREP_WEBHOOK_STATE_QUEUED;
  g_signal_emit (self, signals[CHANGED], 0, attempt->message->id, SITREP_WEBHOOK_STATE_QUEUED);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
  /* Claimed just now, the URL known: sent at once, well within the claim. */
  attempt_send (attempt);
}

/* Marks the message queued on the store's writer thread, the message reserved meanwhile: on
 * the database, this console claims it (sitrep-webhook-marks.c), and one that another console
 * claimed first is left to that one. The URL is known by then: nothing (a keyring that asks
 * for its password) stands between the claim and the POST. */
static void
attempt_queue (Attempt *attempt)
{
  _sitrep_webhook_mark_async (attempt->self, attempt->message, SITREP_WEBHOOK_STATE_QUEUED,
                              0, 0, NULL, 0, attempt_queued_cb, attempt);
}

/* A retry: the URL, then queued again (so the state shows it is being tried, and the
 * message is this console's to post, even one another console left queued), then the POST. */
void
_sitrep_webhook_attempt_retry (SitrepWebhook *self,
                               SitrepMessage *message)
{
  Attempt *attempt = attempt_new (self, message);

  sitrep_secrets_lookup_async (SITREP_WEBHOOK_SECRET_NAME, attempt->cancellable, lookup_cb,
                               attempt);
}

/* The refusal is recorded (or could not be): the post fails with it, and the message is let
 * go of. */
static void
attempt_refused_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Attempt *attempt = user_data;
  SitrepWebhook *self = attempt->self;
  g_autoptr(GTask) task = g_steal_pointer (&attempt->post_task);
  g_autoptr(GError) error = NULL;

  if (_sitrep_webhook_mark_finish (self, result, &error))
    g_signal_emit (self, signals[CHANGED], 0, attempt->message->id, SITREP_WEBHOOK_STATE_FAILED);
  else
    g_warning ("Cannot record the webhook state of a message: %s", error->message);
  g_task_return_error (task, g_steal_pointer (&attempt->refusal));
  attempt_abandon (attempt);
}

/* A post that cannot even be tried (no URL, a refused URL, no keyring) fails at once with the
 * reason, and is not retried: the commander sees why and posts again once it is fixed. The
 * post's task fails with @refusal once that is recorded. */
static void
attempt_refuse (Attempt    *attempt,
                GTask      *task,
                const char *problem,
                GError     *refusal)
{
  attempt->post_task = g_object_ref (task);
  attempt->refusal = refusal;
  _sitrep_webhook_mark_async (attempt->self, attempt->message, SITREP_WEBHOOK_STATE_FAILED,
                              attempt->message->webhook_attempts, 0, problem, 0,
                              attempt_refused_cb, attempt);
}

/* The URL is looked up afresh for each attempt. A post that finds none, or one it may not use,
 * fails with the reason; a retry that does is retried on schedule. */
static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&attempt->post_task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refused = NULL;
  g_autofree char *hint = _sitrep_webhook_no_url_hint ();
  g_autofree char *problem = NULL;
  SitrepWebhookError code = SITREP_WEBHOOK_ERROR_KEYRING;

  attempt->url = sitrep_secrets_lookup_finish (result, &error);
  if (g_error_matches (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_NOT_FOUND))
    {
      code = SITREP_WEBHOOK_ERROR_NO_URL;
      problem = g_strdup_printf (_("no chat webhook URL is set. %s"), hint);
    }
  else if (attempt->url == NULL)
    problem = g_strdup (error->message);
  else if (!sitrep_webhook_check_url (attempt->url, attempt->self->allow_plain_http, &refused))
    {
      code = refused->code;
      if (code == SITREP_WEBHOOK_ERROR_INVALID_URL)
        problem = g_strdup_printf (_("the chat webhook URL in the keyring is not an https URL. "
                                     "%s"),
                                   hint);
      else
        /* Translators: the %s is the runbook setting, "webhook": {"allow_plain_http": true} */
        problem = g_strdup_printf (_("the chat webhook URL in the keyring starts with http://, so "
                                     "the message and the token in the URL would cross the "
                                     "network unencrypted. Set the https:// URL your chat "
                                     "service gives you in Preferences; for a webhook on a "
                                     "trusted network, allow plain http in the runbook with %s."),
                                   "\"webhook\": {\"allow_plain_http\": true}");
    }

  if (task == NULL)
    {
      if (problem != NULL)
        attempt_finish (attempt, problem);
      else
        attempt_queue (attempt);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (problem != NULL)
    {
      attempt_refuse (attempt, task, problem,
                      g_error_new (SITREP_WEBHOOK_ERROR, code,
                                   _("The message was not posted: %s"), problem));
      return;
    }
  else
    {
      attempt->post_task = g_steal_pointer (&task);
      attempt_queue (attempt);
      return;
    }
  attempt_abandon (attempt);
}

/* The first attempt at @message (transfer full), which a post asked for: @post_task (transfer
 * full) completes once the message is queued (or refused). */
void
_sitrep_webhook_attempt_post (SitrepWebhook *self,
                              SitrepMessage *message,
                              GTask         *post_task)
{
  Attempt *attempt = attempt_new (self, message);

  attempt->post_task = post_task;
  sitrep_secrets_lookup_async (SITREP_WEBHOOK_SECRET_NAME, attempt->cancellable, lookup_cb,
                               attempt);
}

/* Messages left queued or due by a previous run go out once the main loop runs. */
static gboolean
start_cb (gpointer user_data)
{
  SitrepWebhook *self = user_data;

  self->start_id = 0;
  sitrep_webhook_retry_due (self);
  return G_SOURCE_REMOVE;
}

void
sitrep_webhook_set_allow_plain_http (SitrepWebhook *self,
                                     gboolean       allow)
{
  g_return_if_fail (SITREP_IS_WEBHOOK (self));

  if (self->allow_plain_http == !!allow)
    return;
  self->allow_plain_http = !!allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PLAIN_HTTP]);
}

gboolean
sitrep_webhook_get_allow_plain_http (SitrepWebhook *self)
{
  g_return_val_if_fail (SITREP_IS_WEBHOOK (self), FALSE);
  return self->allow_plain_http;
}

static void
sitrep_webhook_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SitrepWebhook *self = SITREP_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_ALLOW_PLAIN_HTTP:
      g_value_set_boolean (value, self->allow_plain_http);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_webhook_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SitrepWebhook *self = SITREP_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_ALLOW_PLAIN_HTTP:
      sitrep_webhook_set_allow_plain_http (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_webhook_dispose (GObject *object)
{
  SitrepWebhook *self = SITREP_WEBHOOK (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_signal_handler (&self->clock_changed_id, self->clock);
  g_cancellable_cancel (self->reads);

  G_OBJECT_CLASS (sitrep_webhook_parent_class)->dispose (object);
}

static void
sitrep_webhook_finalize (GObject *object)
{
  SitrepWebhook *self = SITREP_WEBHOOK (object);

  /* Every attempt holds a reference: none can be left. */
  g_hash_table_destroy (self->in_flight);
  g_hash_table_destroy (self->posting);
  g_hash_table_destroy (self->kept);
  g_hash_table_destroy (self->elsewhere);
  g_clear_pointer (&self->waiting_posts, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);
  g_clear_object (&self->reads);
  g_free (self->claimant);

  G_OBJECT_CLASS (sitrep_webhook_parent_class)->finalize (object);
}

static void
sitrep_webhook_class_init (SitrepWebhookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_webhook_dispose;
  object_class->finalize = sitrep_webhook_finalize;
  object_class->get_property = sitrep_webhook_get_property;
  object_class->set_property = sitrep_webhook_set_property;

  /**
   * SitrepWebhook:allow-plain-http:
   *
   * Whether an http:// URL may be used: the runbook's "webhook": {"allow_plain_http": true}.
   */
  properties[PROP_ALLOW_PLAIN_HTTP] =
    g_param_spec_boolean ("allow-plain-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepWebhook::changed:
   * @message_id: the message
   * @state: its new #SitrepWebhookState
   *
   * Emitted when a message is queued, posted or fails; the reason and the next retry time are
   * in the store (sitrep_store_load_message()). A message another console claimed first
   * (and so posts) is told of once the queue is read after that console is done with it.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
                                   SITREP_TYPE_WEBHOOK_STATE);
}

static void
sitrep_webhook_init (SitrepWebhook *self)
{
  sitrep_probe_ensure_proxy_resolver ();
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->in_flight = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->posting = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->kept = _sitrep_webhook_kept_new ();
  self->elsewhere = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->reads = g_cancellable_new ();
  self->claimant = _sitrep_webhook_claimant_new ();
  self->session = soup_session_new_with_options ("user-agent", "Sitrep/" PACKAGE_VERSION,
                                                 "timeout", DEFAULT_TIMEOUT_MS / 1000,
                                                 NULL);
}

/**
 * sitrep_webhook_new:
 * @clock: (nullable): the time retries are scheduled by; %NULL for the system's
 *
 * Once the main loop runs, messages left queued or due by a previous run are posted.
 */
SitrepWebhook *
sitrep_webhook_new (SitrepStore *store,
                    SitrepClock *clock)
{
  SitrepWebhook *self;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (clock == NULL || SITREP_IS_CLOCK (clock), NULL);

  self = g_object_new (SITREP_TYPE_WEBHOOK, NULL);
  self->store = g_object_ref (store);
  self->clock = clock != NULL ? g_object_ref (clock) : sitrep_clock_new ();
  self->clock_changed_id = g_signal_connect_swapped (self->clock, "changed",
                                                     G_CALLBACK (sitrep_webhook_retry_due), self);
  self->start_id = g_idle_add (start_cb, self);
  _sitrep_webhook_load_kept (self);
  return self;
}
