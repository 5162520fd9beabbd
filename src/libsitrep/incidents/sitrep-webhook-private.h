/* sitrep-webhook-private.h: what the webhook, its queue and its URL handling share */
#pragma once

#include <libsoup/soup.h>

#include "sitrep-webhook.h"

G_BEGIN_DECLS

struct _SitrepWebhook
{
  GObject parent_instance;

  SitrepStore *store;
  SitrepClock *clock;
  SoupSession *session;
  GHashTable *in_flight; /* message id → Attempt */
  GHashTable *posting;   /* message ids posted, read before their attempt starts */
  guint timer_id;
  guint start_id;
  gulong clock_changed_id;
  guint timeout_ms;
  gboolean allow_plain_http;
  GCancellable *reads;   /* the queue's reads, cancelled when the webhook goes */
  gboolean listing;      /* the due messages are being read */
  gboolean list_again;   /* asked for again meanwhile */
  guint attempts_ended;  /* how many attempts ended: a list read before one did is stale */
  GHashTable *kept;      /* message id → its state kept in the journal (sitrep-webhook-marks.c) */
  gboolean kept_loading; /* the states kept in an earlier run are being read: no message is */
  GPtrArray *waiting_posts; /* GTask: posts asked for meanwhile */
  char *claimant;        /* who claims a message this console posts (sitrep-webhook-marks.c) */
  GHashTable *elsewhere; /* message id → the state told of a message another console claimed
                          * first: read with the queue, told when it changes */
};

/* sitrep-webhook.c: SitrepWebhook::changed */
void _sitrep_webhook_emit_changed  (SitrepWebhook      *self,
                                    gint64              message_id,
                                    SitrepWebhookState  state);

/* sitrep-webhook.c: one attempt at a message, started by a retry or by a post */
void _sitrep_webhook_attempt_retry (SitrepWebhook *self,
                                    SitrepMessage *message);
void _sitrep_webhook_attempt_post  (SitrepWebhook *self,
                                    SitrepMessage *message,
                                    GTask         *post_task);

/* sitrep-webhook-queue.c: the queue read, the timer set */
void _sitrep_webhook_schedule_next (SitrepWebhook *self);

/* sitrep-webhook-marks.c: a message's state written on the store's writer thread, or kept in
 * the journal while the team database is away; messages read through what was kept */
GHashTable *_sitrep_webhook_kept_new    (void);
char       *_sitrep_webhook_claimant_new (void);
void        _sitrep_webhook_mark_async  (SitrepWebhook       *self,
                                         const SitrepMessage *message,
                                         SitrepWebhookState   state,
                                         guint                attempts,
                                         gint64               at,
                                         const char          *reason,
                                         gint64               next_attempt_at,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    _sitrep_webhook_mark_finish (SitrepWebhook       *self,
                                         GAsyncResult        *result,
                                         GError             **error);
void        _sitrep_webhook_apply_kept  (SitrepWebhook       *self,
                                         SitrepMessage       *message);
void        _sitrep_webhook_load_kept   (SitrepWebhook       *self);

/* sitrep-webhook-post.c: posts asked for while the kept states were read, read now */
void        _sitrep_webhook_resume_posts (SitrepWebhook      *self,
                                          GPtrArray          *posts);

/* sitrep-webhook-url.c: the URL, and its path and query (where the token is), cut out of
 * text about to be stored or shown; how to set the URL, in words */
char *_sitrep_webhook_scrub       (const char *text,
                                   const char *url);
char *_sitrep_webhook_no_url_hint (void);

/* Overwrites a secret (the webhook URL and its token) before freeing it. */
void sitrep_webhook_wipe_free (char *secret);

/* Defined in sitrep-webhook-testing.c, which only the tests link. */
void  sitrep_webhook_set_timeout     (SitrepWebhook *self,
                                      guint          timeout_ms);
guint sitrep_webhook_get_n_in_flight (SitrepWebhook *self);

G_END_DECLS
