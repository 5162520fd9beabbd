/* sitrep-timeline-model-private.h: the timeline model's fields, which its tests read */
#pragma once

#include "sitrep-timeline-model.h"

G_BEGIN_DECLS

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

  guint64 rows_read;
};

/* sitrep-timeline-search.c */
char   *sitrep_timeline_search_patterns        (const char          *text);

/* Defined in sitrep-timeline-model-testing.c, which only the tests link. */
guint64 sitrep_timeline_model_get_rows_read    (SitrepTimelineModel *self);
guint   sitrep_timeline_model_get_n_pages_kept (SitrepTimelineModel *self);

G_END_DECLS
