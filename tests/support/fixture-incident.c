/* fixture-incident.c: an incident declared straight into a store, as a test sets one up */
#include "config.h"

#include "fixture-incident.h"

gint64
fixture_declare_incident (SitrepStore       *store,
                          SitrepRunbook     *runbook,
                          const char        *severity,
                          const char        *summary,
                          const char        *impact,
                          const char        *lead,
                          const char        *channel,
                          const char *const *services,
                          gint64             at,
                          GError           **error)
{
  g_autoptr(SitrepDeclaration) declaration = NULL;

  declaration = sitrep_declaration_new (runbook, severity, summary, impact, lead, channel,
                                        services, at, error);
  if (declaration == NULL)
    return -1;
  return sitrep_store_declare_incident (store, declaration, error);
}
