/* sitrep-store-incidents-private.h: what the incidents' reads and their changes share */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-store-private.h"

G_BEGIN_DECLS

/* A statement's parameters, ?1 first, written as ARGS (ARG_INT (id), ARG_TEXT (name)): each
 * statement says its values once, in the order of its placeholders. */
typedef enum
{
  SITREP_STORE_VALUE_END,
  SITREP_STORE_VALUE_INT,
  SITREP_STORE_VALUE_TEXT,
  SITREP_STORE_VALUE_BLOB,
} SitrepStoreValueType;

typedef struct
{
  SitrepStoreValueType type;
  gint64 number;
  const char *text; /* NULL binds SQL NULL */
  gconstpointer data;
  gsize size;
} SitrepStoreValue;

#define ARG_INT(v)        { .type = SITREP_STORE_VALUE_INT, .number = (v) }
#define ARG_TEXT(v)       { .type = SITREP_STORE_VALUE_TEXT, .text = (v) }
#define ARG_BLOB(d, n)    { .type = SITREP_STORE_VALUE_BLOB, .data = (d), .size = (n) }
#define ARGS(...)                                                                         \
  ((const SitrepStoreValue[]) { __VA_ARGS__, { .type = SITREP_STORE_VALUE_END } })
#define NO_ARGS           ((const SitrepStoreValue[]) { { .type = SITREP_STORE_VALUE_END } })
#define MAX_ARGS          12

/* Runs a statement that returns no rows. */
gboolean    sitrep_store_run                (SitrepStore            *self,
                                             const char             *sql,
                                             const SitrepStoreValue *args,
                                             const char             *doing,
                                             GError                **error);
/* Starts a change with its first statement; when either fails, nothing is left begun. */
gboolean    sitrep_store_begin_with         (SitrepStore            *self,
                                             const char             *sql,
                                             const SitrepStoreValue *args,
                                             const char             *doing,
                                             GError                **error);
/* Ends a change with its system event (taking @fields) and commits it, or rolls all of it
 * back. */
gboolean    sitrep_store_commit_with_event  (SitrepStore            *self,
                                             gint64                  incident_id,
                                             gint64                  at,
                                             const char             *kind,
                                             JsonObject             *fields,
                                             const char             *author,
                                             GError                **error);
gboolean    sitrep_store_commit_or_rollback (SitrepStore            *self,
                                             GError                **error);
/* A new object with string members, NAME, VALUE pairs ending with NULL. */
JsonObject *sitrep_store_fields_of          (const char             *first_name,
                                             ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
