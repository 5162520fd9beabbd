/* sitrep-timeline-model-background.c: the timeline model's reads on a team database, made on
 * the store's reader thread when the model reads in the background (what the Timeline view
 * asks for): the first counts of a model made so (with the newest event, where a refresh
 * starts), the counts made again when the filter or the order changes, a refresh (the events
 * recorded since, each one's place, the counts after them), an event changed (the event, its
 * place, the counts), and an event looked up that no page holds. Each is made from the model as it is when asked for and told when it
 * comes, unless the list changed meanwhile: then everything is counted again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-private.h"
#include "sitrep-timeline-model-private.h"

/* What every read of the list takes from the model as it is when asked for, on the main loop,
 * to run on the reader thread: its filter's statements and values, and the model for the
 * answer (never touched on the reader thread). */
typedef struct
{
  char *listed_sql;     /* whether the event ?5 is listed */
  char *position_sql;   /* how many listed events come before (?3, ?4) */
  char *filtered_sql;   /* what the filter lists */
  char *total_sql;      /* every listed event; NULL when there is no filter */
  gint64 incident_id;
  char *match;
  GStrv kinds;
  guint generation;
  SitrepTimelineModel *model;
} ListQuery;

static char *
count_sql (SitrepTimelineModel *self,
           WhereFlags           flags)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM timeline_events");

  _sitrep_timeline_model_append_where (self, sql, flags);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static void
list_query_init (ListQuery           *query,
                 SitrepTimelineModel *self)
{
  query->listed_sql = count_sql (self, WHERE_FILTERED | WHERE_EVENT);
  query->position_sql = count_sql (self, WHERE_FILTERED | WHERE_BEFORE);
  query->filtered_sql = count_sql (self, WHERE_FILTERED);
  if (_sitrep_timeline_model_has_filter (self))
    query->total_sql = count_sql (self, 0);
  query->incident_id = self->incident_id;
  query->match = g_strdup (self->match);
  query->kinds = _sitrep_timeline_model_bound_kinds (self);
  query->generation = self->generation;
  query->model = g_object_ref (self);
}

static void
list_query_clear (ListQuery *query)
{
  g_free (query->listed_sql);
  g_free (query->position_sql);
  g_free (query->filtered_sql);
  g_free (query->total_sql);
  g_free (query->match);
  g_strfreev (query->kinds);
  g_clear_object (&query->model);
}

/* One of @query's counts: @at and @id are the event's (?3 … ?5), or 0 for the whole list. */
static gint64
list_count (const ListQuery  *query,
            SitrepStore      *store,
            const char       *sql,
            gint64            at,
            gint64            id,
            GError          **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (store, sql, error);
  gint64 result = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  _sitrep_timeline_model_bind_filter (stmt, query->incident_id, query->match,
                                      (const char *const *) query->kinds);
  sitrep_db_bind_int64 (stmt, 3, at);
  sitrep_db_bind_int64 (stmt, 4, id);
  sitrep_db_bind_int64 (stmt, 5, id);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    result = sitrep_db_column_int64 (stmt, 0);
  else
    sitrep_store_fail (store, rc, _("counting timeline events"), error);
  sitrep_db_finalize (stmt);
  return result;
}

/* What the filter lists and every listed event: FALSE with @error set when a count failed. */
static gboolean
list_count_both (const ListQuery  *query,
                 SitrepStore      *store,
                 gint64           *n_items,
                 gint64           *n_total,
                 GError          **error)
{
  *n_items = list_count (query, store, query->filtered_sql, 0, 0, error);
  if (*n_items < 0)
    return FALSE;
  *n_total = query->total_sql != NULL
               ? list_count (query, store, query->total_sql, 0, 0, error)
               : *n_items;
  return *n_total >= 0;
}

static void
list_query_free (gpointer data)
{
  list_query_clear (data);
  g_free (data);
}

/* A count's reads; the model's first also reads the newest event, where a refresh starts. */
typedef struct
{
  ListQuery list;
  gboolean first;
  gint64 counts[3];     /* what the filter lists, every listed event, the newest id (or -1) */
} CountQuery;

static gpointer
count_in_thread (SitrepStore *store,
                 gpointer     data,
                 GError     **error)
{
  CountQuery *query = data;

  query->counts[2] = -1;
  /* Before the counts: what is recorded meanwhile comes with the next refresh. */
  if (query->first
      && (query->counts[2] = sitrep_store_query_int (store, "SELECT coalesce (max (id), 0)"
                                                            " FROM timeline_events"
                                                            " WHERE incident_id = ?1",
                                                     query->list.incident_id,
                                                     _("reading the timeline"), error)) < 0)
    return NULL;
  if (!list_count_both (&query->list, store, &query->counts[0], &query->counts[1], error))
    return NULL;
  return query;
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CountQuery *query = sitrep_store_read_get_data (result);
  g_autoptr(GError) error = NULL;
  gboolean read = sitrep_store_read_finish (SITREP_STORE (source), result, &error) != NULL;

  _sitrep_timeline_model_counted (query->list.model, query->list.generation, query->first,
                                  read ? query->counts[0] : -1, read ? query->counts[1] : -1,
                                  read ? query->counts[2] : -1, error);
}

/* Counts what the model lists on the store's reader thread (@first: and the newest event,
 * for a model just made); _sitrep_timeline_model_counted() takes the counts. */
void
_sitrep_timeline_model_count_async (SitrepTimelineModel *self,
                                    gboolean             first)
{
  CountQuery *query = g_new0 (CountQuery, 1);

  list_query_init (&query->list, self);
  query->first = first;
  sitrep_store_read_async (self->store, count_in_thread, query, list_query_free, NULL, NULL,
                           counted_cb, NULL);
}

/* A refresh's reads: the events recorded since, each one's place in the list, and the counts
 * after them. */
typedef struct
{
  ListQuery list;
  char *fresh_sql;
  gboolean descending;
  gint64 last_id;
  SitrepTimelineRefresh refresh;
} RefreshQuery;

static void
refresh_query_free (gpointer data)
{
  RefreshQuery *query = data;

  list_query_clear (&query->list);
  g_free (query->fresh_sql);
  g_clear_pointer (&query->refresh.fresh, g_ptr_array_unref);
  g_clear_pointer (&query->refresh.positions, g_array_unref);
  g_free (query);
}

static gpointer
refresh_in_thread (SitrepStore *store,
                   gpointer     data,
                   GError     **error)
{
  RefreshQuery *query = data;
  const ListQuery *list = &query->list;
  SitrepTimelineRefresh *refresh = &query->refresh;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  SitrepDbStmt *stmt = sitrep_store_statement (store, query->fresh_sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sitrep_db_bind_int64 (stmt, 1, list->incident_id);
  sitrep_db_bind_int64 (stmt, 2, query->last_id);
  sitrep_db_bind_int64 (stmt, 3, SITREP_TIMELINE_MODEL_CAUGHT_UP_ONE_BY_ONE + 1);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    g_ptr_array_add (fresh, _sitrep_timeline_model_event_from_row (stmt));
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (store, rc, _("reading the timeline"), error);
      return NULL;
    }
  refresh->rows_read = fresh->len;
  refresh->newest = query->last_id;
  for (guint i = 0; i < fresh->len; i++)
    refresh->newest = MAX (refresh->newest, ((SitrepTimelineEvent *) fresh->pdata[i])->id);
  if (fresh->len > SITREP_TIMELINE_MODEL_CAUGHT_UP_ONE_BY_ONE)
    {
      /* Counted again from the start: only the newest id matters. */
      refresh->newest = sitrep_store_query_int (store, "SELECT coalesce (max (id), 0)"
                                                       " FROM timeline_events WHERE incident_id = ?1",
                                                list->incident_id, _("reading the timeline"),
                                                error);
      if (refresh->newest < 0)
        return NULL;
      refresh->many = TRUE;
      return query;
    }
  /* In the model's order, so that each one's place counts those before it already told. */
  g_ptr_array_sort (fresh, _sitrep_timeline_model_compare_order);
  if (query->descending)
    for (guint i = 0; i < fresh->len / 2; i++)
      {
        gpointer swap = fresh->pdata[i];

        fresh->pdata[i] = fresh->pdata[fresh->len - 1 - i];
        fresh->pdata[fresh->len - 1 - i] = swap;
      }
  refresh->positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < fresh->len; i++)
    {
      SitrepTimelineEvent *event = fresh->pdata[i];
      gint64 position = -1;

      if (event->deleted_at == 0)
        {
          gint64 listed = list_count (list, store, list->listed_sql, 0, event->id, error);

          if (listed < 0)
            return NULL;
          if (listed > 0
              && (position = list_count (list, store, list->position_sql, event->at, event->id,
                                         error)) < 0)
            return NULL;
        }
      g_array_append_val (refresh->positions, position);
    }
  refresh->fresh = g_steal_pointer (&fresh);
  if (!list_count_both (list, store, &refresh->n_items, &refresh->n_total, error))
    return NULL;
  return query;
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RefreshQuery *query = sitrep_store_read_get_data (result);
  g_autoptr(GError) error = NULL;
  gboolean read = sitrep_store_read_finish (SITREP_STORE (source), result, &error) != NULL;

  _sitrep_timeline_model_refreshed (query->list.model, query->list.generation,
                                    read ? &query->refresh : NULL, error);
}

/* What sitrep_timeline_model_refresh() reads, on the store's reader thread;
 * _sitrep_timeline_model_refreshed() takes it. */
void
_sitrep_timeline_model_refresh_async (SitrepTimelineModel *self)
{
  RefreshQuery *query = g_new0 (RefreshQuery, 1);

  list_query_init (&query->list, self);
  query->fresh_sql = g_strdup ("SELECT " SITREP_TIMELINE_MODEL_EVENT_COLUMNS
                               " FROM timeline_events WHERE incident_id = ?1 AND id > ?2"
                               " ORDER BY id LIMIT ?3");
  query->descending = self->descending;
  query->last_id = self->last_id;
  sitrep_store_read_async (self->store, refresh_in_thread, query, refresh_query_free, NULL, NULL,
                           refreshed_cb, NULL);
}

/* An event changed's reads: the event, whether it is listed and where, and the counts. */
typedef struct
{
  ListQuery list;
  gint64 event_id;
  SitrepTimelineChange change;
} ChangeQuery;

static void
change_query_free (gpointer data)
{
  ChangeQuery *query = data;

  list_query_clear (&query->list);
  g_clear_object (&query->change.event);
  g_free (query);
}

static gpointer
change_in_thread (SitrepStore *store,
                  gpointer     data,
                  GError     **error)
{
  ChangeQuery *query = data;
  const ListQuery *list = &query->list;
  SitrepTimelineChange *change = &query->change;
  SitrepTimelineEvent *event;

  change->event = event = sitrep_store_load_event (store, query->event_id, error);
  if (event == NULL)
    return NULL;
  if (event->incident_id != list->incident_id)
    return query;
  if ((change->listed = list_count (list, store, list->listed_sql, 0, event->id, error)) < 0
      || (change->position = list_count (list, store, list->position_sql, event->at,
                                         event->id, error)) < 0
      || !list_count_both (list, store, &change->n_items, &change->n_total, error))
    return NULL;
  return query;
}

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ChangeQuery *query = sitrep_store_read_get_data (result);
  g_autoptr(GError) error = NULL;
  gboolean read = sitrep_store_read_finish (SITREP_STORE (source), result, &error) != NULL;

  _sitrep_timeline_model_event_read (query->list.model, query->list.generation,
                                     read ? &query->change : NULL, error);
}

/* What sitrep_timeline_model_event_changed() reads, on the store's reader thread;
 * _sitrep_timeline_model_event_read() takes it. */
void
_sitrep_timeline_model_event_changed_async (SitrepTimelineModel *self,
                                            gint64               event_id)
{
  ChangeQuery *query = g_new0 (ChangeQuery, 1);

  list_query_init (&query->list, self);
  query->event_id = event_id;
  sitrep_store_read_async (self->store, change_in_thread, query, change_query_free, NULL, NULL,
                           changed_cb, NULL);
}

/* The counts made on the reader thread arrived: the items are told, unless something changed
 * the list since they were asked for (whatever did asked for them again). The first count
 * says where a refresh starts from, whatever changed since; a refresh asked for before it
 * came is made now. */
void
_sitrep_timeline_model_counted (SitrepTimelineModel *self,
                                guint                generation,
                                gboolean             first,
                                gint64               n_items,
                                gint64               n_total,
                                gint64               newest,
                                const GError        *error)
{
  if (self->pages == NULL)
    return;
  if (first)
    {
      self->counting_first = FALSE;
      self->last_id = MAX (self->last_id, newest);
    }
  if (generation == self->generation)
    {
      if (n_items < 0)
        {
          _sitrep_timeline_model_set_problem (self, error->message);
          n_items = n_total = 0;
        }
      else
        _sitrep_timeline_model_set_problem (self, NULL);
      /* The items first: a handler of notify::n-total may ask how many there are. */
      self->n_items = n_items;
      if (self->n_items > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
      _sitrep_timeline_model_set_n_total (self, n_total);
    }
  if (first && self->refresh_again && !self->refreshing)
    {
      self->refresh_again = FALSE;
      self->refreshing = TRUE;
      _sitrep_timeline_model_refresh_async (self);
    }
}

/* What a refresh read on the reader thread arrived: the events recorded since come in at their
 * place, unless the list changed since it was asked for (then everything is counted again). */
void
_sitrep_timeline_model_refreshed (SitrepTimelineModel   *self,
                                  guint                  generation,
                                  SitrepTimelineRefresh *refresh,
                                  const GError          *error)
{
  if (self->pages == NULL)
    return;
  self->refreshing = FALSE;
  if (refresh == NULL)
    _sitrep_timeline_model_set_problem (self, error->message);
  else if (refresh->many || generation != self->generation)
    {
      self->rows_read += refresh->rows_read;
      self->last_id = MAX (self->last_id, refresh->newest);
      _sitrep_timeline_model_reset (self);
    }
  else
    {
      self->rows_read += refresh->rows_read;
      for (guint i = 0; i < refresh->fresh->len; i++)
        {
          gint64 position = g_array_index (refresh->positions, gint64, i);

          if (position < 0)
            continue;
          _sitrep_timeline_model_insert_at (self, position, refresh->fresh->pdata[i]);
        }
      self->last_id = MAX (self->last_id, refresh->newest);
      if (refresh->n_items != self->n_items)
        _sitrep_timeline_model_reset (self);
      else
        _sitrep_timeline_model_set_n_total (self, refresh->n_total);
    }
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      self->refreshing = TRUE;
      _sitrep_timeline_model_refresh_async (self);
    }
}

/* What an event changed read on the reader thread arrived: its item is told, unless the list
 * changed since it was asked for (then everything is counted again). */
void
_sitrep_timeline_model_event_read (SitrepTimelineModel  *self,
                                   guint                 generation,
                                   SitrepTimelineChange *change,
                                   const GError         *error)
{
  if (self->pages == NULL)
    return;
  if (change == NULL)
    _sitrep_timeline_model_set_problem (self, error->message);
  else if (change->event->incident_id != self->incident_id)
    return;
  else if (generation != self->generation)
    _sitrep_timeline_model_reset (self);
  else
    _sitrep_timeline_model_apply_change (self, change->listed, change->position, change->n_items, change->n_total, NULL);
}

static gpointer
load_event_in_reader (SitrepStore *store,
                      gpointer     data,
                      GError     **error)
{
  return sitrep_store_load_event (store, *(gint64 *) data, error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  SitrepTimelineEvent *event = sitrep_store_read_finish (SITREP_STORE (source), result, &error);

  if (event == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, event, g_object_unref);
}

/**
 * sitrep_timeline_model_lookup_async:
 *
 * sitrep_timeline_model_lookup() without waiting on the network: an event a page holds comes
 * from it, another is read on the store's reader thread (on a file, in the call). Finish with
 * sitrep_timeline_model_lookup_finish().
 */
void
sitrep_timeline_model_lookup_async (SitrepTimelineModel *self,
                                    gint64               event_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SitrepTimelineEvent *event;

  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_timeline_model_lookup_async);
  event = sitrep_timeline_model_peek (self, event_id);
  if (event != NULL)
    {
      g_task_return_pointer (task, event, g_object_unref);
      return;
    }
  sitrep_store_read_async (self->store, load_event_in_reader,
                           g_memdup2 (&event_id, sizeof event_id), g_free, g_object_unref,
                           cancellable, looked_up_cb, g_steal_pointer (&task));
}

/* Returns: (transfer full): the event, or NULL with @error set */
SitrepTimelineEvent *
sitrep_timeline_model_lookup_finish (SitrepTimelineModel  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
