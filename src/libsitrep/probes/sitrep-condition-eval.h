/* sitrep-condition-eval.h: a parsed condition judged against a probe's result */
#pragma once

#include <glib.h>

#include "sitrep-condition.h"
#include "sitrep-probe.h"

G_BEGIN_DECLS

/* TRUE when the condition holds for @result. *resolved shows the values it saw, e.g.
 * "[STATUS] (503) == 200"; *reason says why it failed ("status 503, expected 200") and is NULL
 * when it holds. Either may be NULL. */
gboolean         sitrep_condition_evaluate    (const SitrepCondition     *condition,
                                               const SitrepProbeResult   *result,
                                               char                     **resolved,
                                               SitrepReason             **reason);

G_END_DECLS
