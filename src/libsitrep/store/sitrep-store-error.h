/* sitrep-store-error.h: how the store (either engine) says what went wrong */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SITREP_STORE_ERROR (sitrep_store_error_quark ())

typedef enum
{
  SITREP_STORE_ERROR_OPEN,
  SITREP_STORE_ERROR_READ_ONLY,
  SITREP_STORE_ERROR_CORRUPT,
  SITREP_STORE_ERROR_NEWER_VERSION,
  SITREP_STORE_ERROR_FAILED,
  SITREP_STORE_ERROR_INVALID,
  SITREP_STORE_ERROR_CONFLICT,
  SITREP_STORE_ERROR_NOT_FOUND,
  SITREP_STORE_ERROR_BUSY,
  SITREP_STORE_ERROR_UNREACHABLE,
} SitrepStoreError;

GQuark sitrep_store_error_quark (void);

G_END_DECLS
