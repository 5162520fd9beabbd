/* fixture-incident.c: an incident declared straight into a store, its events as shown, and
 * events written straight to it */
#include "config.h"

#include "fixture-incident.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
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

/* What the console records when a service's health changes. */
gint64
fixture_add_health (SitrepStore *store,
                    gint64       incident,
                    gint64       at,
                    const char  *old_health,
                    const char  *new_health)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  json_object_set_string_member (fields, "service", "api");
  json_object_set_string_member (fields, "service_name", "API");
  json_object_set_string_member (fields, "old", old_health);
  json_object_set_string_member (fields, "new", new_health);
  id = sitrep_store_record_event (store, incident, at, SITREP_TIMELINE_KIND_HEALTH, fields, NULL,
                                  &error);
  g_assert_no_error (error);
  return id;
}

gint64
fixture_add_note (SitrepStore *store,
                  gint64       incident,
                  gint64       at,
                  const char  *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_insert_event (store, incident, at, SITREP_TIMELINE_KIND_NOTE, NULL, text,
                                         "", &error);

  g_assert_no_error (error);
  return id;
}
