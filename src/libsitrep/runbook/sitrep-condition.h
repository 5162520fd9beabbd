/* sitrep-condition.h: the strict condition language of probe checks, parsed once when the runbook loads */
#pragma once

#include <glib.h>

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepCondition, sitrep_condition_free)

G_END_DECLS
