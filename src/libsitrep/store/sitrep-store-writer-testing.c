/* sitrep-store-writer-testing.c: the writer thread's hooks, which only the tests set */
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

/* @func runs on each thread about to connect to a team database; %NULL for none. */
void
sitrep_store_testing_set_connecting (void (*func) (void))
{
  g_atomic_pointer_set (&sitrep_db_postgres_connecting, func);
}
