/* sitrep-store-timeline.h: an incident's timeline: system events, the commander's notes, stars */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-store.h"
#include "sitrep-store-conflict.h"
#include "sitrep-timeline-event.h"

G_BEGIN_DECLS

typedef enum
{
  SITREP_TIMELINE_LIST_DEFAULT = 0,
  SITREP_TIMELINE_LIST_INCLUDE_DELETED = 1 << 0, /* deleted notes too, for an "undo" view */
  SITREP_TIMELINE_LIST_STARRED_ONLY = 1 << 1,
} SitrepTimelineListFlags;

GPtrArray           *sitrep_store_list_events    (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  SitrepTimelineListFlags  flags,
                                                  const char *const       *kinds,
                                                  GError                 **error);
GPtrArray           *sitrep_store_list_events_after (SitrepStore          *self,
                                                     gint64                incident_id,
                                                     gint64                after_id,
                                                     GError              **error);
gint64               sitrep_store_count_listed_events (SitrepStore        *self,
                                                       gint64              incident_id,
                                                       GError            **error);
SitrepTimelineEvent *sitrep_store_load_event     (SitrepStore             *self,
                                                  gint64                   event_id,
                                                  GError                 **error);
gint64               sitrep_store_insert_note    (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  gint64                   at,
                                                  const char              *text,
                                                  const char              *author,
                                                  GError                 **error);
SitrepTimelineEvent *sitrep_store_add_note       (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  gint64                   at,
                                                  const char              *text,
                                                  const char              *author,
                                                  GError                 **error);
gboolean             sitrep_store_edit_note      (SitrepStore             *self,
                                                  SitrepTimelineEvent     *event,
                                                  const char              *text,
                                                  gint64                   at,
                                                  GError                 **error);
gboolean             sitrep_store_edit_note_from (SitrepStore         *self,
                                                  SitrepTimelineEvent     *event,
                                                  const char              *base,
                                                  const char              *text,
                                                  gint64                   at,
                                                  GError                 **error);
gboolean             sitrep_store_delete_note    (SitrepStore             *self,
                                                  SitrepTimelineEvent     *event,
                                                  gint64                   at,
                                                  GError                 **error);
gboolean             sitrep_store_annotate_event (SitrepStore             *self,
                                                  SitrepTimelineEvent     *event,
                                                  const char              *annotation,
                                                  GError                 **error);
gboolean             sitrep_store_star_event     (SitrepStore             *self,
                                                  SitrepTimelineEvent     *event,
                                                  gboolean                 starred,
                                                  GError                 **error);
gint64               sitrep_store_record_event   (SitrepStore             *self,
                                                  gint64                   incident_id,
                                                  gint64                   at,
                                                  const char              *kind,
                                                  JsonObject              *fields,
                                                  const char              *author,
                                                  GError                 **error);
SitrepTimelineEvent *sitrep_store_move_start     (SitrepStore             *self,
                                                  SitrepIncident          *incident,
                                                  gint64                   started_at,
                                                  gint64                   at,
                                                  const char              *author,
                                                  GError                 **error);

G_END_DECLS
