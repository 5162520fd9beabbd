/* sitrep-condition.h: the strict condition language of probe checks, parsed once and evaluated per result */
#pragma once

#include <glib.h>

#include "sitrep-probe.h"

G_BEGIN_DECLS

#define SITREP_CONDITION_ERROR (sitrep_condition_error_quark ())

typedef enum
{
  SITREP_CONDITION_ERROR_EMPTY,
  SITREP_CONDITION_ERROR_UNKNOWN_PLACEHOLDER,
  SITREP_CONDITION_ERROR_MISSING_OPERATOR,
  SITREP_CONDITION_ERROR_MISSING_OPERAND,
  SITREP_CONDITION_ERROR_UNTERMINATED_STRING,
  SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES,
  SITREP_CONDITION_ERROR_UNKNOWN_FUNCTION,
  SITREP_CONDITION_ERROR_TRAILING_GARBAGE,
  SITREP_CONDITION_ERROR_INVALID, /* a bad path, number, escape, or a function in the wrong place */
} SitrepConditionError;

typedef struct _SitrepCondition SitrepCondition;

GQuark           sitrep_condition_error_quark (void);

/* On failure, *error_offset is the byte offset in @text where the problem is. */
SitrepCondition *sitrep_condition_parse       (const char                *text,
                                               gsize                     *error_offset,
                                               GError                   **error);
void             sitrep_condition_free        (SitrepCondition           *condition);
const char      *sitrep_condition_get_text    (const SitrepCondition     *condition);

/* TRUE when the condition holds for @result. *resolved shows the values it saw, e.g.
 * "[STATUS] (503) == 200"; *reason says why it failed ("status 503, expected 200") and is NULL
 * when it holds. Either may be NULL. */
gboolean         sitrep_condition_evaluate    (const SitrepCondition     *condition,
                                               const SitrepProbeResult   *result,
                                               char                     **resolved,
                                               char                     **reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepCondition, sitrep_condition_free)

G_END_DECLS
