/* sitrep-webhook-testing.c: the webhook's hooks, which only the tests link */
#include "config.h"

#include "sitrep-webhook-private.h"

/* Tests shorten the 10 s limit on one attempt. */
void
sitrep_webhook_set_timeout (SitrepWebhook *self,
                            guint          timeout_ms)
{
  g_return_if_fail (SITREP_IS_WEBHOOK (self));
  self->timeout_ms = MAX (timeout_ms, 1);
}

/* Posts under way, and those waiting for the kept states to be read. */
guint
sitrep_webhook_get_n_in_flight (SitrepWebhook *self)
{
  g_return_val_if_fail (SITREP_IS_WEBHOOK (self), 0);
  return g_hash_table_size (self->in_flight) + g_hash_table_size (self->posting);
}
