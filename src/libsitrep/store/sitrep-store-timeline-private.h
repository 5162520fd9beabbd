/* sitrep-store-timeline-private.h: what the timeline's writes and its edits share */
#pragma once

#include "sitrep-store-timeline.h"

G_BEGIN_DECLS

/* Sets "There is no timeline event @event_id in …". */
void     sitrep_store_event_not_found      (SitrepStore *self,
                                            gint64       event_id,
                                            GError     **error);
/* Returns: (transfer full): @text trimmed, or NULL with @error set when nothing is left */
char    *sitrep_store_clean_note           (const char  *text,
                                            GError     **error);
/* Tells the other consoles of a team database that row @id of @table (of incident
 * @incident_id) changed, inside the caller's transaction; nothing on SQLite. */
gboolean sitrep_store_notify_change        (SitrepStore *self,
                                            const char  *table,
                                            gint64       incident_id,
                                            gint64       id,
                                            const char  *kind,
                                            GError     **error);
/* Tells the other consoles of a team database that @event_id changed, inside the caller's
 * transaction; nothing on SQLite. */
gboolean sitrep_store_notify_event_changed (SitrepStore *self,
                                            gint64       event_id,
                                            GError     **error);

G_END_DECLS
