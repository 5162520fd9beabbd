/* sitrep-lazy-library.c: a shared library opened on first use, each symbol Sitrep calls found
 *
 * What sitrep-lazy-libpq.c and sitrep-lazy-hiredis.c share: open the library by its SONAME and
 * resolve every function they forward to, or say which could not be.
 */
#include "config.h"

#include "sitrep-lazy-libraries.h"

/**
 * sitrep_lazy_library_open:
 * @names: the functions to resolve, %NULL-terminated
 * @slots: where each is kept, in the order of @names
 * @why_not: (out): when the library cannot be opened, why (g_module_error()'s words)
 * @missing: (out): when it lacks functions, their names, each after a space
 *
 * Returns: (nullable): the library, with every function in its slot; %NULL otherwise
 */
GModule *
sitrep_lazy_library_open (const char        *soname,
                          const char *const *names,
                          gpointer *const   *slots,
                          char             **why_not,
                          char             **missing)
{
  g_autoptr(GString) absent = g_string_new (NULL);
  GModule *module;

  *why_not = NULL;
  *missing = NULL;
  /* Local: the library's names stay its own, and never stand in for Sitrep's forwarders. */
  module = g_module_open (soname, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      *why_not = g_strdup (g_module_error ());
      return NULL;
    }
  for (guint i = 0; names[i] != NULL; i++)
    if (!g_module_symbol (module, names[i], slots[i]) || *slots[i] == NULL)
      g_string_append_printf (absent, " %s", names[i]);
  if (absent->len > 0)
    {
      *missing = g_string_free (g_steal_pointer (&absent), FALSE);
      g_module_close (module);
      return NULL;
    }
  return module;
}
