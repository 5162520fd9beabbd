/* sitrep-timeline-model-testing.c: what the tests read of the timeline model */
#include "config.h"

#include "sitrep-timeline-model-private.h"

/* How many rows of events the model read from the database since it was made. */
guint64
sitrep_timeline_model_get_rows_read (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), 0);
  return self->rows_read;
}

guint
sitrep_timeline_model_get_n_pages_kept (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), 0);
  return g_hash_table_size (self->pages);
}
