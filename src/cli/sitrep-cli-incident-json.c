/* sitrep-cli-incident-json.c: `sitrep incident list|show --json`: an incident as JSON
 *
 * What scripts read: times in UTC (ISO 8601), kinds and states by their untranslated names,
 * each timeline event both in the reader's words and as data.
 */
#include "config.h"

#include "sitrep-cli-incident-private.h"
#include "sitrep-cli-output.h"
#include "sitrep-incident-status.h"
#include "sitrep-json.h"
#include "sitrep-reason.h"
#include "sitrep-timeline-event-render.h"

static void
add_runbook_json (JsonBuilder    *builder,
                  SitrepCliShown *shown)
{
  json_builder_set_member_name (builder, "runbook");
  json_builder_begin_object (builder);
  sitrep_cli_add_string (builder, "name", sitrep_runbook_get_name (shown->runbook));
  sitrep_cli_add_string (builder, "declared_under",
                         sitrep_incident_get_runbook_name (shown->incident));
  sitrep_cli_add_string (builder, "source", sitrep_runbook_get_source (shown->runbook));
  sitrep_cli_add_string (builder, "sha256", sitrep_runbook_get_digest (shown->runbook));
  json_builder_set_member_name (builder, "kept_with_incident");
  json_builder_add_boolean_value (builder, shown->kind == SITREP_INCIDENT_RUNBOOK_OWN);
  sitrep_cli_add_string (builder, "note", shown->note);
  json_builder_end_object (builder);
}

/* A contact as an object, or null when there is none. */
static void
add_contact_value (JsonBuilder         *builder,
                   const SitrepContact *contact)
{
  if (contact == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  sitrep_cli_add_string (builder, "id", contact->id);
  sitrep_cli_add_string (builder, "role", contact->role);
  sitrep_cli_add_string (builder, "handle", contact->handle);
  sitrep_cli_add_string (builder, "when", contact->when);
  json_builder_end_object (builder);
}

static void
add_contact_json (JsonBuilder         *builder,
                  const char          *name,
                  const SitrepContact *contact)
{
  json_builder_set_member_name (builder, name);
  add_contact_value (builder, contact);
}

static void
add_checklist_json (JsonBuilder    *builder,
                    SitrepCliShown *shown,
                    gint64          now)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (shown->runbook);

  json_builder_set_member_name (builder, "checklist");
  json_builder_begin_array (builder);
  for (guint i = 0; i < phases->len; i++)
    {
      const SitrepChecklistPhase *phase = phases->pdata[i];
      gint64 due_at = 0;
      SitrepClockState state = sitrep_incident_phase_state (shown->incident, phase, now, &due_at);

      if (!sitrep_incident_phase_applies (shown->incident, phase))
        continue;
      json_builder_begin_object (builder);
      sitrep_cli_add_string (builder, "phase", phase->id);
      sitrep_cli_add_string (builder, "title", phase->title);
      sitrep_cli_add_string (builder, "state", sitrep_cli_clock_state_name (state));
      sitrep_cli_add_time (builder, "starts_at",
                           sitrep_incident_phase_starts_at (shown->incident, phase));
      sitrep_cli_add_time (builder, "due_at", due_at);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint k = 0; k < phase->items->len; k++)
        {
          const SitrepChecklistItem *item = phase->items->pdata[k];
          const SitrepChecklistTick *tick = sitrep_incident_get_tick (shown->incident, item->id);
          const SitrepLink *link = item->opens == SITREP_OPENS_LINK
                                     ? sitrep_runbook_find_link (shown->runbook, item->opens_ref)
                                     : NULL;

          if (!sitrep_incident_item_applies (shown->incident, item))
            continue;
          json_builder_begin_object (builder);
          sitrep_cli_add_string (builder, "id", item->id);
          sitrep_cli_add_string (builder, "text", item->text);
          json_builder_set_member_name (builder, "done");
          json_builder_add_boolean_value (builder, tick != NULL && tick->done);
          sitrep_cli_add_string (builder, "by", tick != NULL ? tick->done_by : NULL);
          sitrep_cli_add_time (builder, "at", tick ? tick->done_at : 0);
          if (link != NULL)
            {
              json_builder_set_member_name (builder, "link");
              json_builder_begin_object (builder);
              sitrep_cli_add_string (builder, "label", link->label);
              sitrep_cli_add_string (builder, "url", link->url);
              sitrep_cli_add_string (builder, "note", link->note);
              json_builder_end_object (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The incident's timeline, each event in the reader's words and, for scripts, as data. */
static void
add_timeline_json (JsonBuilder *builder,
                   GPtrArray   *events)
{
  json_builder_set_member_name (builder, "timeline");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];
      const char *fields = sitrep_timeline_event_get_fields (event);
      g_autoptr(JsonNode) data = fields ? json_from_string (fields, NULL) : NULL;
      g_autofree char *text = sitrep_timeline_event_render (event, SITREP_TIMELINE_RENDER_UTC);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, sitrep_timeline_event_get_id (event));
      sitrep_cli_add_time (builder, "at", sitrep_timeline_event_get_at (event));
      sitrep_cli_add_string (builder, "kind", sitrep_timeline_event_get_kind (event));
      json_builder_set_member_name (builder, "fields");
      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        {
          JsonObject *object = json_node_get_object (data);
          const char *why = sitrep_json_string (object, "why");
          g_autofree char *readable = why != NULL ? sitrep_reason_render_packed (why) : NULL;

          /* A health change's reason as data, not JSON in a string (sitrep-reason.c); one that
           * is not a reason stays the text it is. */
          if (readable != NULL && g_strcmp0 (sitrep_timeline_event_get_kind (event),
                                             SITREP_TIMELINE_KIND_HEALTH) == 0)
            json_object_set_member (object, "why", json_from_string (why, NULL));
          json_builder_add_value (builder, g_steal_pointer (&data));
        }
      else
        json_builder_add_null_value (builder);
      sitrep_cli_add_string (builder, "text", text);
      sitrep_cli_add_string (builder, "author", sitrep_timeline_event_get_author (event));
      sitrep_cli_add_string (builder, "host", sitrep_timeline_event_get_host (event));
      json_builder_set_member_name (builder, "system");
      json_builder_add_boolean_value (builder, sitrep_timeline_event_get_is_system (event));
      json_builder_set_member_name (builder, "starred");
      json_builder_add_boolean_value (builder, sitrep_timeline_event_get_starred (event));
      sitrep_cli_add_string (builder, "annotation", sitrep_timeline_event_get_annotation (event));
      sitrep_cli_add_string (builder, "original_text",
                             sitrep_timeline_event_get_original_text (event));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* @events: (nullable): the timeline, for the details of one incident */
void
sitrep_cli_incident_add_json (JsonBuilder    *builder,
                              SitrepCliShown *shown,
                              GPtrArray      *events,
                              gint64          now)
{
  SitrepIncident *incident = shown->incident;
  SitrepRunbook *runbook = shown->runbook;
  gboolean counted = shown->kind != SITREP_INCIDENT_RUNBOOK_MISMATCH;
  guint total = 0;
  guint done = sitrep_incident_count_done (incident, runbook, &total);
  const char *const *services = sitrep_incident_get_services (incident);
  const SitrepSeverity *severity = counted ? sitrep_runbook_find_severity (
                                               runbook, sitrep_incident_get_severity (incident))
                                           : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, sitrep_incident_get_id (incident));
  sitrep_cli_add_string (builder, "severity", sitrep_incident_get_severity (incident));
  sitrep_cli_add_string (builder, "severity_label", severity ? severity->label : NULL);
  sitrep_cli_add_string (builder, "status", sitrep_incident_get_status_id (incident));
  sitrep_cli_add_string (builder, "status_label",
                         sitrep_incident_get_status_label (incident, runbook));
  sitrep_cli_add_string (builder, "summary", sitrep_incident_get_summary (incident));
  sitrep_cli_add_string (builder, "impact", sitrep_incident_get_impact (incident));
  sitrep_cli_add_string (builder, "lead", sitrep_incident_get_lead (incident));
  sitrep_cli_add_string (builder, "channel", sitrep_incident_get_channel (incident));
  json_builder_set_member_name (builder, "drill");
  json_builder_add_boolean_value (builder, sitrep_incident_get_drill (incident));
  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    json_builder_add_string_value (builder, services[i]);
  json_builder_end_array (builder);
  add_runbook_json (builder, shown);
  sitrep_cli_add_time (builder, "started_at", sitrep_incident_get_started_at (incident));
  sitrep_cli_add_time (builder, "declared_at", sitrep_incident_get_declared_at (incident));
  sitrep_cli_add_time (builder, "acknowledged_at", sitrep_incident_get_acknowledged_at (incident));
  sitrep_cli_add_time (builder, "mitigated_at", sitrep_incident_get_mitigated_at (incident));
  sitrep_cli_add_time (builder, "resolved_at", sitrep_incident_get_resolved_at (incident));
  sitrep_cli_add_time (builder, "response_due_at",
            counted ? sitrep_incident_response_due_at (incident, runbook) : 0);
  sitrep_cli_add_time (builder, "next_update_due_at",
            counted ? sitrep_incident_next_update_due_at (incident, runbook) : 0);
  json_builder_set_member_name (builder, "checklist_done");
  if (counted)
    json_builder_add_int_value (builder, done);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "checklist_items");
  if (counted)
    json_builder_add_int_value (builder, total);
  else
    json_builder_add_null_value (builder);

  if (events != NULL)
    {
      g_autoptr(GArray) steps = sitrep_incident_escalation (incident, runbook, now);
      GPtrArray *contacts = sitrep_runbook_get_contacts (runbook);

      add_checklist_json (builder, shown, now);

      json_builder_set_member_name (builder, "escalation");
      json_builder_begin_array (builder);
      for (guint i = 0; i < steps->len; i++)
        {
          const SitrepEscalationStatus *status = &g_array_index (steps, SitrepEscalationStatus, i);

          json_builder_begin_object (builder);
          sitrep_cli_add_string (builder, "role", status->step->role);
          sitrep_cli_add_string (builder, "state",
                                 sitrep_cli_escalation_state_name (status->state));
          sitrep_cli_add_time (builder, "due_at", status->due_at);
          sitrep_cli_add_string (builder, "note", status->step->note);
          add_contact_json (builder, "contact",
                            sitrep_runbook_find_contact (runbook, status->step->contact));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "contacts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < contacts->len; i++)
        add_contact_value (builder, contacts->pdata[i]);
      json_builder_end_array (builder);
      add_timeline_json (builder, events);
    }
  json_builder_end_object (builder);
}
