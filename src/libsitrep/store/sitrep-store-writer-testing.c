/* sitrep-store-writer-testing.c: the writer thread's hooks and the keyring's, which only the tests set */
#include "config.h"

#include "sitrep-store-db-pg-private.h"
#include "sitrep-store-private.h"
#include "sitrep-store-testing.h"

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

/* @func is told of every statement sent to a team database, on the thread that sends it. */
void
sitrep_store_testing_set_asking (void (*func) (const char *sql))
{
  g_atomic_pointer_set (&sitrep_db_postgres_asking, func);
}

/* The lookups held: each store (held) and the call that makes its lookup. */
typedef struct
{
  SitrepStore *store;
  void (*lookup) (SitrepStore *self);
} Held;

static GArray *held;

static void
hold_lookup (SitrepStore *self,
             void       (*lookup) (SitrepStore *self))
{
  Held one = { g_object_ref (self), lookup };

  g_array_append_val (held, one);
}

/* From now on the keyring does not answer, as when its password prompt waits for someone:
 * the stores' lookups of the audit log's key wait, until sitrep_store_testing_release_keyring().
 * On the main thread. */
void
sitrep_store_testing_hold_keyring (void)
{
  if (held == NULL)
    held = g_array_new (FALSE, FALSE, sizeof (Held));
  sitrep_store_hold_key_lookup = hold_lookup;
}

/* The prompt is answered: the lookups held are made. */
void
sitrep_store_testing_release_keyring (void)
{
  g_autoptr(GArray) lookups = g_steal_pointer (&held);

  sitrep_store_hold_key_lookup = NULL;
  for (guint i = 0; lookups != NULL && i < lookups->len; i++)
    {
      Held *one = &g_array_index (lookups, Held, i);

      one->lookup (one->store);
      g_object_unref (one->store);
    }
}
