/* sitrep-timeline-view.h: the current incident's timeline: notes, stars, annotations, filters */
#pragma once

#include <adwaita.h>

#include "sitrep-incident-manager.h"
#include "sitrep-store-timeline.h"

G_BEGIN_DECLS

/* The kinds the filter offers, in the order of its drop-down. */
typedef enum
{
  SITREP_TIMELINE_FILTER_ALL,
  SITREP_TIMELINE_FILTER_NOTES,
  SITREP_TIMELINE_FILTER_STATUS,
  SITREP_TIMELINE_FILTER_CHECKLIST,
  SITREP_TIMELINE_FILTER_ESCALATIONS,
  SITREP_TIMELINE_FILTER_ACTIONS,
  SITREP_TIMELINE_FILTER_MESSAGES,
  SITREP_TIMELINE_FILTER_HEALTH,
} SitrepTimelineFilter;

#define SITREP_TYPE_TIMELINE_VIEW (sitrep_timeline_view_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTimelineView, sitrep_timeline_view, SITREP, TIMELINE_VIEW, GtkWidget)

GtkWidget  *sitrep_timeline_view_new                (void);
void        sitrep_timeline_view_set_store          (SitrepTimelineView    *self,
                                                     SitrepStore           *store);
void        sitrep_timeline_view_set_incident_manager (SitrepTimelineView  *self,
                                                       SitrepIncidentManager *manager);
void        sitrep_timeline_view_set_utc            (SitrepTimelineView    *self,
                                                     gboolean               utc);
gboolean    sitrep_timeline_view_get_utc            (SitrepTimelineView    *self);
void        sitrep_timeline_view_set_author         (SitrepTimelineView    *self,
                                                     const char            *author);
const char *sitrep_timeline_view_get_author         (SitrepTimelineView    *self);
void        sitrep_timeline_view_focus_note_entry   (SitrepTimelineView    *self);
/* Reads what the store recorded since the newest event shown: the manager's signals and the
 * action controller's call it. */
void        sitrep_timeline_view_reload             (SitrepTimelineView    *self);
void        sitrep_timeline_view_event_changed      (SitrepTimelineView    *self,
                                                     gint64                 event_id);
/* Activates the view's own shortcut for @trigger ("<Control>Return") as a key press on the
 * note entry would; FALSE when the view has no such shortcut. */
gboolean    sitrep_timeline_view_activate_shortcut  (SitrepTimelineView    *self,
                                                     const char            *trigger);

/* Shared with the composer: "HH:MM" on the day of @now (the day before when it would be later
 * than @now), in UTC or local time. */
gint64      sitrep_timeline_parse_time              (const char            *text,
                                                     gint64                 now,
                                                     gboolean               utc,
                                                     GError               **error);
const char *sitrep_timeline_kind_get_label          (const char            *kind);

G_END_DECLS
