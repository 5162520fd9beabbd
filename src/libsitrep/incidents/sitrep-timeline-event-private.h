/* sitrep-timeline-event-private.h: the event's fields, which the store fills from its rows */
#pragma once

#include "sitrep-timeline-event.h"

G_BEGIN_DECLS

struct _SitrepTimelineEvent
{
  GObject parent_instance;

  gint64 id;
  gint64 incident_id;
  gint64 at;
  gint64 recorded_at;
  const char *kind; /* interned: a handful of kinds shared by 100,000 events */
  char *text;
  char *author;
  char *annotation;
  char *original_text;
  gint64 edited_at;
  gint64 deleted_at;
  gboolean is_system;
  gboolean starred;
};

void sitrep_timeline_event_set_edit       (SitrepTimelineEvent *self,
                                           const char          *text,
                                           const char          *original_text,
                                           gint64               edited_at);
void sitrep_timeline_event_set_deleted_at (SitrepTimelineEvent *self,
                                           gint64               deleted_at);
void sitrep_timeline_event_set_annotation (SitrepTimelineEvent *self,
                                           const char          *annotation);
void sitrep_timeline_event_set_starred    (SitrepTimelineEvent *self,
                                           gboolean             starred);

G_END_DECLS
