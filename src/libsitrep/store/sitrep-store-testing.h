/* sitrep-store-testing.h: the store's hooks that only the tests link (sitrep-store-writer-testing.c) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void sitrep_store_testing_hold_keyring    (void);
void sitrep_store_testing_release_keyring (void);
/* @func is told of every statement sent to a team database, on the thread that sends it;
 * %NULL for none. */
void sitrep_store_testing_set_asking      (void (*func) (const char *sql));

G_END_DECLS
