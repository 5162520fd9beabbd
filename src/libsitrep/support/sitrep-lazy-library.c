/* sitrep-lazy-library.c: a shared library opened on first use, each symbol Sitrep calls found
 *
 * What sitrep-lazy-libpq.c and sitrep-lazy-hiredis.c share: open the library by its SONAME,
 * once, on the first thread that asks, and resolve every function they forward to, or keep
 * the message that says why it could not be.
 */
#include "config.h"

#include "sitrep-lazy-libraries.h"

/* The library with every function in its slot; %NULL with @why_not (g_module_error()'s
 * words) when it cannot be opened, or @missing (each name after a space) when it lacks some. */
static GModule *
open_library (const char        *soname,
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

static gpointer
load_once (gpointer data)
{
  SitrepLazyLibrary *library = data;
  g_autofree char *why_not = NULL;
  g_autofree char *missing = NULL;

  library->module = open_library (library->soname, library->names, library->slots, &why_not,
                                  &missing);
  if (library->module == NULL)
    library->load_error = library->describe (why_not, missing);
  g_atomic_int_set (&library->settled, TRUE);
  return NULL;
}

/**
 * sitrep_lazy_library_loaded:
 *
 * Opens @library the first time it is asked for, on whichever thread asks first.
 *
 * Returns: whether it is open, every function in its slot
 */
gboolean
sitrep_lazy_library_loaded (SitrepLazyLibrary *library)
{
  g_once (&library->once, load_once, library);
  return library->module != NULL;
}

/**
 * sitrep_lazy_library_load:
 *
 * Opens @library if it is not yet: FALSE, with the reason, when it cannot be.
 */
gboolean
sitrep_lazy_library_load (SitrepLazyLibrary *library,
                          GError           **error)
{
  if (sitrep_lazy_library_loaded (library))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, library->load_error);
  return FALSE;
}

/* Whether @library was opened, or found missing, already: a load answers at once then. */
gboolean
sitrep_lazy_library_settled (SitrepLazyLibrary *library)
{
  return g_atomic_int_get (&library->settled);
}

/* Why @library could not be opened; %NULL while it is not tried or when it is open. */
const char *
sitrep_lazy_library_error (SitrepLazyLibrary *library)
{
  return library->load_error;
}
