/* sitrep-timeline-model.h: an incident's timeline as a list model read from the database a page
 * at a time */
#pragma once

#include <gio/gio.h>

#include "sitrep-store.h"
#include "sitrep-timeline-event.h"

G_BEGIN_DECLS

#define SITREP_TYPE_TIMELINE_MODEL (sitrep_timeline_model_get_type ())

G_DECLARE_FINAL_TYPE (SitrepTimelineModel, sitrep_timeline_model, SITREP, TIMELINE_MODEL, GObject)

SitrepTimelineModel *sitrep_timeline_model_new            (SitrepStore         *store,
                                                           gint64               incident_id);
SitrepTimelineModel *sitrep_timeline_model_new_in_background (SitrepStore       *store,
                                                             gint64             incident_id);
gint64      sitrep_timeline_model_get_incident_id         (SitrepTimelineModel *self);
void        sitrep_timeline_model_set_read_in_background  (SitrepTimelineModel *self,
                                                           gboolean             background);
void        sitrep_timeline_model_set_kinds               (SitrepTimelineModel *self,
                                                           const char *const   *kinds);
void        sitrep_timeline_model_set_starred_only        (SitrepTimelineModel *self,
                                                           gboolean             starred_only);
void        sitrep_timeline_model_set_search              (SitrepTimelineModel *self,
                                                           const char          *text);
const char *sitrep_timeline_model_get_search              (SitrepTimelineModel *self);
void        sitrep_timeline_model_set_descending          (SitrepTimelineModel *self,
                                                           gboolean             descending);
gboolean    sitrep_timeline_model_get_descending          (SitrepTimelineModel *self);
guint       sitrep_timeline_model_get_n_total             (SitrepTimelineModel *self);
const char *sitrep_timeline_model_get_problem             (SitrepTimelineModel *self);
gboolean    sitrep_timeline_model_refresh                 (SitrepTimelineModel *self,
                                                           GError             **error);
gboolean    sitrep_timeline_model_event_changed           (SitrepTimelineModel *self,
                                                           gint64               event_id,
                                                           GError             **error);
SitrepTimelineEvent *sitrep_timeline_model_peek           (SitrepTimelineModel *self,
                                                           gint64               event_id);
SitrepTimelineEvent *sitrep_timeline_model_lookup         (SitrepTimelineModel *self,
                                                           gint64               event_id,
                                                           GError             **error);
void                 sitrep_timeline_model_lookup_async   (SitrepTimelineModel *self,
                                                           gint64               event_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
SitrepTimelineEvent *sitrep_timeline_model_lookup_finish  (SitrepTimelineModel *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

char       *sitrep_timeline_search_query                  (const char          *text);

G_END_DECLS
