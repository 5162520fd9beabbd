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
  char *fields;     /* a system event's JSON object; NULL for a note or a legacy sentence */
  char *text;       /* a note's words, or the sentence a legacy event was recorded as */
  char *author;
  char *host;       /* the machine that wrote it; NULL before schema version 10 */
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

/* How many events were put into words since the program started, for the tests that check a
 * long timeline is rendered row by row as shown, never all at once. */
guint sitrep_timeline_render_get_count    (void);

G_END_DECLS
