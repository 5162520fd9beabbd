/* sitrep-action-controller-testing.c: the controller's hooks, which only the tests link */
#include "config.h"

#include "sitrep-action-controller-private.h"

/* The kubectl binary requests are built with (the fake one of the tests); NULL (the default)
 * is the runbook's. */
void
sitrep_action_controller_set_kubectl (SitrepActionController *self,
                                      const char             *kubectl)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));
  g_free (self->kubectl);
  self->kubectl = g_strdup (kubectl);
}

/* How long a stopped command has to end before it is killed. */
void
sitrep_action_controller_set_grace_ms (SitrepActionController *self,
                                       guint                   grace_ms)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));
  self->grace_ms = grace_ms;
}
