/* fixture-incident.c: an incident declared straight into a store, and its events as shown */
#include "config.h"

#include "fixture-incident.h"
#include "sitrep-store-incidents.h"
#include "sitrep-timeline-event-render.h"

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

/* @event (a SitrepTimelineEvent) in words, as the timeline shows it; valid as long as @event. */
const char *
fixture_shown_text (gpointer event)
{
  char *text = sitrep_timeline_event_render (event, SITREP_TIMELINE_RENDER_DEFAULT);

  g_object_set_data_full (G_OBJECT (event), "test-shown-text", text, g_free);
  return text;
}
