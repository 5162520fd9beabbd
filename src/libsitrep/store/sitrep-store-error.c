/* sitrep-store-error.c: the store's error domain */
#include "config.h"

#include "sitrep-store-error.h"

G_DEFINE_QUARK (sitrep-store-error-quark, sitrep_store_error)
