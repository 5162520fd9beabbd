/* sitrep-lazy-libraries.h: libpq and hiredis, opened on first use rather than linked */
#pragma once

#include <gio/gio.h>
#include <gmodule.h>

G_BEGIN_DECLS

/* Opening a library reads it and what it needs from disk (libpq: Kerberos, LDAP, GnuTLS…):
 * the main loop does it on a thread (sitrep_probe_run_load_library ()) unless the library is
 * settled, when a load answers at once. */
typedef gboolean (*SitrepLazyLoadFunc) (GError **error);
typedef gboolean (*SitrepLazySettledFunc) (void);

gboolean sitrep_lazy_libpq_load      (GError **error);
gboolean sitrep_lazy_hiredis_load    (GError **error);
/* Whether the library was opened, or found missing, already. */
gboolean sitrep_lazy_libpq_settled   (void);
gboolean sitrep_lazy_hiredis_settled (void);

/* One library opened on first use: sitrep-lazy-libpq.c and sitrep-lazy-hiredis.c each fill
 * one with their SONAME, the functions they forward to and how to say it is missing. */
typedef struct
{
  const char *soname;
  const char *const *names;   /* the functions to resolve, NULL-terminated */
  gpointer *const *slots;     /* where each is kept, in the order of names */
  /* The message when the library cannot be opened (@why_not: g_module_error()'s words) or
   * lacks functions (@missing: their names, each after a space); the other is NULL. */
  char *(*describe) (const char *why_not, const char *missing);

  /*< private >*/
  GOnce once;
  GModule *module;
  char *load_error;
  int settled;
} SitrepLazyLibrary;

/* Defines, in a forwarding file whose SYMBOLS (X) lists the functions it forwards: their
 * table `lib`, the `library` that opens @soname, `loaded ()`, which opens it on first use, and
 * sitrep_lazy_@short_name_load() and _settled(). The file defines describe(). */
#define SITREP_LAZY_POINTER(name) __typeof__ (name) *name;
#define SITREP_LAZY_NAME(name) #name,
#define SITREP_LAZY_SLOT(name) (gpointer *) &lib.name,
#define SITREP_DEFINE_LAZY_LIBRARY(short_name, soname)                                    \
  static struct { SYMBOLS (SITREP_LAZY_POINTER) } lib;                                    \
  static const char *const names[] = { SYMBOLS (SITREP_LAZY_NAME) NULL };                 \
  static gpointer *const slots[] = { SYMBOLS (SITREP_LAZY_SLOT) NULL };                   \
  static char *describe (const char *why_not, const char *missing);                       \
  static SitrepLazyLibrary library = { soname, names, slots, describe, G_ONCE_INIT };     \
  static inline gboolean loaded (void) { return sitrep_lazy_library_loaded (&library); }  \
  gboolean sitrep_lazy_##short_name##_load (GError **error)                               \
  {                                                                                       \
    return sitrep_lazy_library_load (&library, error);                                    \
  }                                                                                       \
  gboolean sitrep_lazy_##short_name##_settled (void)                                      \
  {                                                                                       \
    return sitrep_lazy_library_settled (&library);                                        \
  }

gboolean    sitrep_lazy_library_loaded  (SitrepLazyLibrary *library);
gboolean    sitrep_lazy_library_load    (SitrepLazyLibrary *library,
                                         GError           **error);
gboolean    sitrep_lazy_library_settled (SitrepLazyLibrary *library);
const char *sitrep_lazy_library_error   (SitrepLazyLibrary *library);

G_END_DECLS
