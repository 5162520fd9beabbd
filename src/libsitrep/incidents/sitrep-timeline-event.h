/* sitrep-timeline-event.h: one event of an incident's timeline, as the store read it */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The kinds of event. A system event is its kind and its fields (a JSON object of ids, labels as
 * recorded, numbers and times), put into words only when shown; a note is the commander's words.
 * sitrep-timeline-event-render.h lists the fields of each kind. */
#define SITREP_TIMELINE_KIND_NOTE "note"
#define SITREP_TIMELINE_KIND_DECLARED "declared"
#define SITREP_TIMELINE_KIND_SEVERITY "severity"
#define SITREP_TIMELINE_KIND_STATUS "status"
#define SITREP_TIMELINE_KIND_START_MOVED "start-moved"
#define SITREP_TIMELINE_KIND_CHECKLIST "checklist"
#define SITREP_TIMELINE_KIND_ESCALATION_DUE "escalation-due"
#define SITREP_TIMELINE_KIND_ESCALATION "escalation"
#define SITREP_TIMELINE_KIND_UPDATE "update"
#define SITREP_TIMELINE_KIND_UPDATE_OVERDUE "update-overdue"
#define SITREP_TIMELINE_KIND_MESSAGE "message"
#define SITREP_TIMELINE_KIND_HEALTH "health"
#define SITREP_TIMELINE_KIND_ACTION_STARTED "action-started"
#define SITREP_TIMELINE_KIND_ACTION_FINISHED "action-finished"
#define SITREP_TIMELINE_KIND_ACTION_NEVER_FINISHED "action-never-finished"
#define SITREP_TIMELINE_KIND_JOURNAL_REPLAYED "journal-replayed"

#define SITREP_TYPE_TIMELINE_EVENT (sitrep_timeline_event_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTimelineEvent, sitrep_timeline_event, SITREP, TIMELINE_EVENT, GObject)

gint64      sitrep_timeline_event_get_id            (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_incident_id   (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_at            (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_recorded_at   (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_kind          (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_fields        (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_text          (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_author        (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_host          (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_is_system     (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_starred       (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_annotation    (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_original_text (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_edited_at     (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_edited        (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_deleted_at    (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_deleted       (SitrepTimelineEvent *self);

G_END_DECLS
