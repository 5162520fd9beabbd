/* sitrep-webhook.h: posts stakeholder messages to a chat incoming webhook, with retries */
#pragma once

#include <gio/gio.h>

#include "sitrep-clock.h"
#include "sitrep-store-messages.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* The keyring entry (attribute sitrep-secret) that holds the webhook URL. */
#define SITREP_WEBHOOK_SECRET_NAME "sitrep-webhook-url"

#define SITREP_WEBHOOK_ERROR (sitrep_webhook_error_quark ())

typedef enum
{
  SITREP_WEBHOOK_ERROR_NO_URL,       /* no URL in the keyring: nothing was queued */
  SITREP_WEBHOOK_ERROR_KEYRING,      /* the keyring cannot be read or written */
  SITREP_WEBHOOK_ERROR_INVALID_URL,  /* the URL is not http(s) */
  SITREP_WEBHOOK_ERROR_ALREADY_SENT, /* the message was posted already */
  SITREP_WEBHOOK_ERROR_PLAIN_HTTP,   /* an http:// URL, and the runbook does not allow it */
} SitrepWebhookError;

#define SITREP_TYPE_WEBHOOK (sitrep_webhook_get_type ())

G_DECLARE_FINAL_TYPE (SitrepWebhook, sitrep_webhook, SITREP, WEBHOOK, GObject)

GQuark         sitrep_webhook_error_quark      (void);

SitrepWebhook *sitrep_webhook_new              (SitrepStore         *store,
                                                SitrepClock         *clock);

void           sitrep_webhook_post_async       (SitrepWebhook       *self,
                                                gint64               message_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       sitrep_webhook_post_finish      (SitrepWebhook       *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           sitrep_webhook_retry_due        (SitrepWebhook       *self);

/* The runbook's "webhook": {"allow_plain_http": true}; without it an http:// URL is refused. */
void           sitrep_webhook_set_allow_plain_http (SitrepWebhook   *self,
                                                    gboolean         allow);
gboolean       sitrep_webhook_get_allow_plain_http (SitrepWebhook   *self);

/* Whether @url can be a chat webhook URL, with what to do when it cannot. */
gboolean       sitrep_webhook_check_url        (const char          *url,
                                                gboolean             allow_plain_http,
                                                GError             **error);

/* For the preferences and the tests: the URL goes to the keyring, nowhere else, once
 * sitrep_webhook_check_url() accepts it. An empty or NULL URL removes it. */
gboolean       sitrep_webhook_set_url_sync     (const char          *url,
                                                gboolean             allow_plain_http,
                                                GCancellable        *cancellable,
                                                GError             **error);
void           sitrep_webhook_set_url_async    (const char          *url,
                                                gboolean             allow_plain_http,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       sitrep_webhook_set_url_finish   (GAsyncResult        *result,
                                                GError             **error);

/* How long after the @attempts-th failed attempt the next one is made, in microseconds. */
gint64         sitrep_webhook_retry_delay      (guint                attempts);

G_END_DECLS
