/* sitrep-store-writer-testing.c: the writer thread's hook, which only the tests set */
#include "config.h"

#include "sitrep-store-private.h"

/* @func runs on the writer thread each time it is about to tell the main context of a state
 * change (offline, changes kept, a replay); %NULL for none. */
void
sitrep_store_writer_testing_set_before_tell (void   (*func) (gpointer data),
                                             gpointer data)
{
  sitrep_store_writer_before_tell_data = data;
  g_atomic_pointer_set (&sitrep_store_writer_before_tell, func);
}
