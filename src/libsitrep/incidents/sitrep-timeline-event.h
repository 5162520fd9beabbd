/* sitrep-timeline-event.h: one event of an incident's timeline, as the store read it */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SITREP_TYPE_TIMELINE_EVENT (sitrep_timeline_event_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTimelineEvent, sitrep_timeline_event, SITREP, TIMELINE_EVENT, GObject)

gint64      sitrep_timeline_event_get_id            (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_incident_id   (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_at            (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_recorded_at   (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_kind          (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_text          (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_author        (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_is_system     (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_starred       (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_annotation    (SitrepTimelineEvent *self);
const char *sitrep_timeline_event_get_original_text (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_edited_at     (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_edited        (SitrepTimelineEvent *self);
gint64      sitrep_timeline_event_get_deleted_at    (SitrepTimelineEvent *self);
gboolean    sitrep_timeline_event_get_deleted       (SitrepTimelineEvent *self);

G_END_DECLS
