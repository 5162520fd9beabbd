/* sitrep-timeline-event-render.h: a timeline event put into words in the reader's language */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-timeline-event.h"

G_BEGIN_DECLS

/* The fields of each kind of system event (times in microseconds since the epoch, UTC; labels
 * as they were when recorded, since a runbook may change; every member may be missing in a
 * tampered database, and then reads as empty):
 *
 *   declared            severity, summary
 *   severity            old, new                  (severity ids)
 *   status              old, new                  ("investigating", …, "resolved")
 *   start-moved         from, to                  (times)
 *   checklist           item, text, done          (item id, its text, boolean)
 *   escalation-due      step, role, contact, handle
 *   escalation          step, role, contact, handle, answer ("escalated", "not-needed")
 *   update              (none)
 *   update-overdue      since, minutes            (last update or declaration, minutes since)
 *   message             message, template, title, line, via ("clipboard", "webhook")
 *   health              service, service_name, old, new, reason  ("up", "degraded", …)
 *   action-started      action, label, service, service_name, command
 *   action-finished     action, label, service, service_name, and the outcome: outcome
 *                       ("succeeded", "no-change", "failed", "cancelled", "timed-out"),
 *                       rollout ("finished", "failed", "timed-out"), program, duration_ms,
 *                       timeout_ms, exit_status, signal, reason, no_change, audit_error
 *   action-never-finished  action, label, service, service_name, started_at
 *
 * Action fields are redacted before they are stored. A note, and an event recorded before
 * Sitrep kept fields ("legacy text"), has no fields: its text is shown as it is. */

typedef enum
{
  SITREP_TIMELINE_RENDER_DEFAULT = 0,
  SITREP_TIMELINE_RENDER_UTC = 1 << 0, /* times in UTC rather than the local time zone */
} SitrepTimelineRenderFlags;

char *sitrep_timeline_render              (const char                *kind,
                                           JsonObject                *fields,
                                           const char                *text,
                                           SitrepTimelineRenderFlags  flags);
char *sitrep_timeline_render_json         (const char                *kind,
                                           const char                *fields,
                                           const char                *text,
                                           SitrepTimelineRenderFlags  flags);
char *sitrep_timeline_event_render        (SitrepTimelineEvent       *event,
                                           SitrepTimelineRenderFlags  flags);
char *sitrep_timeline_event_render_author (SitrepTimelineEvent       *event);
char *sitrep_timeline_render_outcome      (JsonObject                *fields);
char *sitrep_timeline_message_title       (const char                *template_id);

G_END_DECLS
