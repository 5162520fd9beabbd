/* sitrep-timeline-model-private.h: the timeline model's fields, which its tests read */
#pragma once

#include "sitrep-store-db.h"
#include "sitrep-timeline-model.h"

G_BEGIN_DECLS

/* More events recorded at once than this are shown by counting again, not one by one. */
#define SITREP_TIMELINE_MODEL_CAUGHT_UP_ONE_BY_ONE 64

/* Rows are read this many at a time, and at most this many pages are kept. */
#define SITREP_TIMELINE_MODEL_PAGE_SIZE 64
#define SITREP_TIMELINE_MODEL_MAX_PAGES 16

struct _SitrepTimelineModel
{
  GObject parent_instance;

  SitrepStore *store;
  gint64 incident_id;

  GStrv kinds;          /* NULL for every kind; "prefix*" for a family of kinds */
  gboolean starred_only;
  char *search;         /* as typed */
  char *match;          /* the FTS5 query made of it (PostgreSQL: its patterns); NULL
                         * without search */
  gboolean descending;

  guint n_items;
  guint n_total;        /* the events listed without the filters */
  gint64 last_id;       /* the newest event id seen, to catch up from */
  GHashTable *pages;    /* page number → GPtrArray of SitrepTimelineEvent */
  GQueue recent;        /* page numbers, the most recently used first */
  char *problem;        /* why the last read failed, shown in place of the rows */

  /* Pages read on the store's reader thread (a team database, when asked for): those on
   * their way, and a count of what made pages stale, so that a page read before is dropped. */
  gboolean read_in_background;
  GHashTable *reading;  /* page number → its placeholders, while it is read */
  guint generation;
  gboolean refreshing;  /* a refresh is read on the reader thread */
  gboolean refresh_again; /* asked for again meanwhile */
  gboolean counting_first; /* the first count and the newest event are read there */

  guint64 rows_read;
};

#define SITREP_TIMELINE_MODEL_EVENT_COLUMNS                                                \
  "id, incident_id, at, recorded_at, kind, text, author, is_system, starred, annotation," \
  " original_text, edited_at, deleted_at, fields, host"

/* What a refresh read on the reader thread found. */
typedef struct
{
  GPtrArray *fresh;     /* SitrepTimelineEvent recorded since, in the model's order */
  GArray *positions;    /* gint64: each one's place, or -1 when it is not listed */
  gint64 newest;        /* the newest event id seen */
  gboolean many;        /* too many to tell one by one: count again */
  gint64 n_items;
  gint64 n_total;
  guint rows_read;
} SitrepTimelineRefresh;

/* What an event changed read on the reader thread found. */
typedef struct
{
  SitrepTimelineEvent *event;
  gint64 listed;        /* whether it is listed now */
  gint64 position;      /* its place */
  gint64 n_items;
  gint64 n_total;
} SitrepTimelineChange;

typedef enum
{
  WHERE_FILTERED = 1 << 0,   /* kinds, stars and search, not only the incident's listed events */
  WHERE_BEFORE = 1 << 1,     /* before (?3, ?4) in the model's order */
  WHERE_AFTER = 1 << 2,      /* after (?3, ?4) in the model's order */
  WHERE_EVENT = 1 << 3,      /* the event ?5 only */
} WhereFlags;

/* sitrep-timeline-model-query.c: the model's SQL */
gboolean             _sitrep_timeline_model_has_filter     (SitrepTimelineModel *self);
const SitrepDbDialect *_sitrep_timeline_model_dialect (SitrepTimelineModel *self);
void                 _sitrep_timeline_model_append_where   (SitrepTimelineModel *self,
                                                            GString             *sql,
                                                            WhereFlags           flags);
GStrv                _sitrep_timeline_model_bound_kinds    (SitrepTimelineModel *self);
void                 _sitrep_timeline_model_bind_filter    (SitrepDbStmt        *stmt,
                                                            gint64               incident_id,
                                                            const char          *match,
                                                            const char *const   *kinds);
gint64               _sitrep_timeline_model_count          (SitrepTimelineModel *self,
                                                            WhereFlags           flags,
                                                            gint64               at,
                                                            gint64               id,
                                                            GError             **error);
SitrepTimelineEvent *_sitrep_timeline_model_event_from_row (SitrepDbStmt        *stmt);
GPtrArray           *_sitrep_timeline_model_read_rows      (SitrepTimelineModel *self,
                                                            SitrepDbStmt        *stmt,
                                                            GError             **error);
GPtrArray           *_sitrep_timeline_model_read_page      (SitrepTimelineModel *self,
                                                            guint                page,
                                                            GError             **error);
void                 _sitrep_timeline_model_read_page_async (SitrepTimelineModel *self,
                                                             guint                page);

/* sitrep-timeline-model-background.c: the reads on the store's reader thread, and their
 * answers */
void                 _sitrep_timeline_model_count_async    (SitrepTimelineModel *self,
                                                            gboolean             first);
void                 _sitrep_timeline_model_refresh_async  (SitrepTimelineModel *self);
void                 _sitrep_timeline_model_insert_at      (SitrepTimelineModel *self,
                                                            guint                position,
                                                            SitrepTimelineEvent *event);
void                 _sitrep_timeline_model_event_changed_async (SitrepTimelineModel *self,
                                                                 gint64               event_id);
void                 _sitrep_timeline_model_counted        (SitrepTimelineModel *self,
                                                            guint                generation,
                                                            gboolean             first,
                                                            gint64               n_items,
                                                            gint64               n_total,
                                                            gint64               newest,
                                                            const GError        *error);
void                 _sitrep_timeline_model_refreshed      (SitrepTimelineModel *self,
                                                            guint                generation,
                                                            SitrepTimelineRefresh *refresh,
                                                            const GError        *error);
void                 _sitrep_timeline_model_event_read     (SitrepTimelineModel *self,
                                                            guint                generation,
                                                            SitrepTimelineChange *change,
                                                            const GError        *error);

/* sitrep-timeline-model.c: what the answers change */
void                 _sitrep_timeline_model_page_read      (SitrepTimelineModel *self,
                                                            guint                page,
                                                            guint                generation,
                                                            GPtrArray           *events,
                                                            const GError        *error);
void                 _sitrep_timeline_model_set_problem    (SitrepTimelineModel *self,
                                                            const char          *problem);
void                 _sitrep_timeline_model_set_n_total    (SitrepTimelineModel *self,
                                                            guint                n_total);
void                 _sitrep_timeline_model_forget_pages_from (SitrepTimelineModel *self,
                                                               guint                position);
void                 _sitrep_timeline_model_reset          (SitrepTimelineModel *self);
gint                 _sitrep_timeline_model_compare_order  (gconstpointer        a,
                                                            gconstpointer        b);
gboolean             _sitrep_timeline_model_apply_change   (SitrepTimelineModel *self,
                                                            gint64               listed,
                                                            gint64               position,
                                                            gint64               n_items,
                                                            gint64               n_total,
                                                            GError             **error);

/* sitrep-timeline-search.c */
char   *sitrep_timeline_search_patterns        (const char          *text);

/* Defined in sitrep-timeline-model-testing.c, which only the tests link. */
guint64 sitrep_timeline_model_get_rows_read    (SitrepTimelineModel *self);
guint   sitrep_timeline_model_get_n_pages_kept (SitrepTimelineModel *self);

G_END_DECLS
