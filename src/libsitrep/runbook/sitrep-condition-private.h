/* sitrep-condition-private.h: the parsed form of a condition, shared by its parser and judge */
#pragma once

#include "sitrep-condition.h"

G_BEGIN_DECLS

/* Long bodies and errors are cut when quoted in a reason, so that a tile stays readable. */
#define MAX_SHOWN_CHARS 60

typedef enum { PH_STATUS, PH_RESPONSE_TIME, PH_BODY, PH_RESULT, PH_CONNECTED, PH_ERROR } Placeholder;

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_NONE } Op;

typedef enum
{
  NODE_PLACEHOLDER, NODE_LEN, NODE_HAS, /* these have a value only once a result is there */
  NODE_NUMBER, NODE_STRING, NODE_BOOL, NODE_NULL, NODE_PAT, NODE_ANY
} NodeKind;

typedef struct
{
  char *key; /* NULL for an array index */
  guint index;
} Step;

typedef struct _Node Node;
struct _Node
{
  NodeKind kind;
  gsize offset;          /* where it starts in the condition */
  char *text;            /* as written */
  Placeholder placeholder;
  GArray *path;          /* Step, for [BODY].a.b[0] */
  const char *path_text; /* ".a.b[0]", inside text */
  gboolean is_int;
  gint64 integer;
  double number;
  gboolean boolean;
  char *string;          /* a string literal, or the pattern of pat() */
  GPatternSpec *pattern;
  GPtrArray *args;       /* Node: the argument of len() or has(), the values of any() */
};

struct _SitrepCondition
{
  char *text;
  Node *left;
  Op op; /* OP_NONE for a bare has() */
  Node *right;
};

extern const char *const sitrep_condition_op_names[];
extern const char *const sitrep_condition_op_phrases[];

gboolean sitrep_condition_read_number (const char *text,
                                       gboolean   *is_int,
                                       gint64     *integer,
                                       double     *number);

G_END_DECLS
