/* sitrep-probe-kind.c: the registry of probe kinds: a name, its keys, and its code on first use
 *
 * The registry knows no kind: sitrep-probe-kinds.c registers the built-in ones the first time
 * anyone asks, and anyone may register more. A kind's keys are known from its registration, so
 * that the loader can tell "this key belongs to a redis probe" without bringing in every kind's
 * code; that code (its factory) is brought in the first time a probe of the kind is loaded or
 * run. Runbooks load on worker threads too: every access holds the lock.
 */
#include "config.h"

#include "sitrep-probe-kind.h"

typedef struct
{
  char *name;
  const char *const *keys;
  SitrepProbeKindFactory factory;
  const SitrepProbeKind *kind; /* NULL until the factory ran */
} Entry;

static GMutex lock;
static GPtrArray *entries; /* Entry, in the order of registration */

static Entry *
find_locked (const char *name)
{
  for (guint i = 0; name != NULL && entries != NULL && i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];

      if (g_str_equal (entry->name, name))
        return entry;
    }
  return NULL;
}

/* For SITREP_DEFINE_PROBE_KIND: registers without first registering the built-in kinds, which
 * is what is under way when it is called. */
void
sitrep_probe_kind_add_builtin (const char            *name,
                               const char *const     *keys,
                               SitrepProbeKindFactory factory)
{
  Entry *entry;

  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (keys != NULL);
  g_return_if_fail (factory != NULL);

  g_mutex_lock (&lock);
  if (find_locked (name) != NULL)
    {
      g_mutex_unlock (&lock);
      g_critical ("A probe kind \"%s\" is registered already", name);
      return;
    }
  if (entries == NULL)
    entries = g_ptr_array_new ();
  entry = g_new0 (Entry, 1);
  entry->name = g_strdup (name);
  entry->keys = keys;
  entry->factory = factory;
  g_ptr_array_add (entries, entry);
  g_mutex_unlock (&lock);
}

/* Takes the lock, the built-in kinds registered. */
static void
lock_registry (void)
{
  static gsize builtin_registered = 0;

  if (g_once_init_enter (&builtin_registered))
    {
      sitrep_probe_kinds_register_builtin ();
      g_once_init_leave (&builtin_registered, 1);
    }
  g_mutex_lock (&lock);
}

/**
 * sitrep_probe_kind_register:
 * @name: what runbooks write as the probe's "type"
 * @keys: (array zero-terminated=1): the keys the kind reads besides the common ones; a static
 *   array, kept as it is
 * @factory: gives the kind's code, the first time a probe of the kind is loaded or run
 *
 * Makes a kind of probe known to the runbook loader, the monitor and everything else that
 * meets probes. Kinds keep the order they were registered in, the built-in ones first, which
 * is the order messages list them in.
 */
void
sitrep_probe_kind_register (const char            *name,
                            const char *const     *keys,
                            SitrepProbeKindFactory factory)
{
  lock_registry ();
  g_mutex_unlock (&lock);
  sitrep_probe_kind_add_builtin (name, keys, factory);
}

/**
 * sitrep_probe_kind_get:
 *
 * Returns: (nullable): the kind registered as @name, its code brought in, or %NULL when no kind
 *   has that name
 */
const SitrepProbeKind *
sitrep_probe_kind_get (const char *name)
{
  const SitrepProbeKind *kind = NULL;
  Entry *entry;

  lock_registry ();
  entry = find_locked (name);
  if (entry != NULL)
    {
      if (entry->kind == NULL)
        {
          entry->kind = entry->factory ();
          if (entry->kind == NULL)
            g_critical ("The factory of probe kind \"%s\" gave no kind", entry->name);
        }
      kind = entry->kind;
    }
  g_mutex_unlock (&lock);
  return kind;
}

/**
 * sitrep_probe_kind_get_keys:
 *
 * Returns: (nullable) (array zero-terminated=1): the keys of the kind registered as @name,
 *   besides the common ones, or %NULL when no kind has that name
 */
const char *const *
sitrep_probe_kind_get_keys (const char *name)
{
  const char *const *keys;
  Entry *entry;

  lock_registry ();
  entry = find_locked (name);
  keys = entry != NULL ? entry->keys : NULL;
  g_mutex_unlock (&lock);
  return keys;
}

/**
 * sitrep_probe_kind_is_loaded:
 *
 * Returns: whether the code of the kind registered as @name has been brought in: a runbook or a
 *   run needed it
 */
gboolean
sitrep_probe_kind_is_loaded (const char *name)
{
  gboolean loaded;
  Entry *entry;

  lock_registry ();
  entry = find_locked (name);
  loaded = entry != NULL && entry->kind != NULL;
  g_mutex_unlock (&lock);
  return loaded;
}

/**
 * sitrep_probe_kind_list:
 *
 * Returns: (transfer full): the names of the registered kinds, in the order of registration
 */
GStrv
sitrep_probe_kind_list (void)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  lock_registry ();
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    g_strv_builder_add (names, ((Entry *) entries->pdata[i])->name);
  g_mutex_unlock (&lock);
  return g_strv_builder_end (names);
}
