/* sitrep-webhook-private.h: what the webhook and its URL handling share */
#pragma once

#include "sitrep-webhook.h"

G_BEGIN_DECLS

/* Overwrites a secret (the webhook URL and its token) before freeing it. */
void sitrep_webhook_wipe_free (char *secret);

G_END_DECLS
