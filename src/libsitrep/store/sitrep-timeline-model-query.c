/* sitrep-timeline-model-query.c: the timeline model's SQL: its filter as a WHERE clause,
 * counts, and the rows of a page, read on the main loop or, on a team database, on the
 * store's reader thread
 *
 * A page read on a team database waits on the network: when the model reads in the
 * background (sitrep_timeline_model_set_read_in_background(), what the Timeline view asks
 * for), the item asked for is a placeholder saying it is being read, the page is read on the
 * reader thread, and the model says its items changed when it arrives. Its other reads there
 * are in sitrep-timeline-model-background.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-private.h"
#include "sitrep-timeline-model-private.h"

/* Parameters of every query: ?1 the incident, ?2 the search, ?3 and ?4 a position's (at, id),
 * ?5 an event id, ?6 and ?7 LIMIT and OFFSET; the kinds from ?10 on. */
#define KINDS_FIRST_PARAMETER 10

/* An event's words on PostgreSQL, as SITREP_STORE_SEARCH_BODY says them to SQLite's index:
 * the kind, the text, the author, the annotation, a note's first text and the values of a
 * system event's fields (a JSON object there: the column's check says so). */
#define POSTGRES_SEARCH_BODY                                                                 \
  "kind || ' ' || text || ' ' || author || ' ' || coalesce (annotation, '') || ' '"       \
  " || coalesce (original_text, '') || ' ' || coalesce ((SELECT string_agg (value, ' ')"  \
  " FROM json_each_text (fields::json)), '')"


gboolean
_sitrep_timeline_model_has_filter (SitrepTimelineModel *self)
{
  return self->kinds != NULL || self->starred_only || self->match != NULL;
}

const SitrepDbDialect *
_sitrep_timeline_model_dialect (SitrepTimelineModel *self)
{
  return sitrep_db_dialect (self->store->conn);
}

void
_sitrep_timeline_model_append_where (SitrepTimelineModel *self,
              GString             *sql,
              WhereFlags           flags)
{
  const SitrepDbDialect *dialect = _sitrep_timeline_model_dialect (self);
  const char *no = dialect->false_value;

  /* deleted_at IS NULL as written in the partial index timeline_events_listed, which the
   * planner uses only when the query says it in these words. */
  g_string_append (sql, " WHERE incident_id = ?1 AND deleted_at IS NULL");
  if (flags & WHERE_FILTERED)
    {
      if (self->starred_only)
        g_string_append (sql, " AND starred = 1");
      if (self->kinds != NULL)
        {
          g_string_append_printf (sql, " AND (%s", no);
          for (guint i = 0; self->kinds[i] != NULL; i++)
            if (g_str_has_suffix (self->kinds[i], "*"))
              g_string_append_printf (sql, " OR kind %s ?%u", dialect->family_operator,
                                      KINDS_FIRST_PARAMETER + i);
            else
              g_string_append_printf (sql, " OR kind = ?%u", KINDS_FIRST_PARAMETER + i);
          g_string_append (sql, ")");
        }
      if (self->match != NULL && *self->match == '\0')
        g_string_append_printf (sql, " AND %s", no);
      else if (self->match != NULL && !dialect->search_index)
        /* No FTS5 there (PostgreSQL): every pattern (one a line,
         * sitrep_timeline_search_patterns()) is found in the event's words, the same words the
         * SQLite index holds. */
        g_string_append (sql, " AND (SELECT bool_and ((" POSTGRES_SEARCH_BODY ") ~* pattern)"
                              " FROM unnest (string_to_array (?2, chr (10))) AS pattern)");
      else if (self->match != NULL)
        g_string_append (sql, " AND id IN (SELECT rowid FROM timeline_search"
                              " WHERE timeline_search MATCH ?2)");
    }
  if (flags & WHERE_BEFORE)
    g_string_append (sql, self->descending ? " AND (at, id) > (?3, ?4)" : " AND (at, id) < (?3, ?4)");
  if (flags & WHERE_AFTER)
    g_string_append (sql, self->descending ? " AND (at, id) < (?3, ?4)" : " AND (at, id) > (?3, ?4)");
  if (flags & WHERE_EVENT)
    g_string_append (sql, " AND id = ?5");
}

/* A kind pattern ("action*") as LIKE reads it ("action%"), its other characters literal. */
static char *
like_pattern (const char *kind)
{
  GString *pattern = g_string_new ("");

  for (const char *p = kind; *p != '\0'; p++)
    {
      if (*p == '*' && p[1] == '\0')
        g_string_append_c (pattern, '%');
      else
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
    }
  return g_string_free (pattern, FALSE);
}

/* The kinds as bound: a family ("action*") as LIKE reads it where the dialect says so. */
GStrv
_sitrep_timeline_model_bound_kinds (SitrepTimelineModel *self)
{
  GStrv kinds;
  guint n;

  if (self->kinds == NULL)
    return NULL;
  n = g_strv_length (self->kinds);
  kinds = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    kinds[i] = _sitrep_timeline_model_dialect (self)->family_as_like
               && g_str_has_suffix (self->kinds[i], "*")
                 ? like_pattern (self->kinds[i]) : g_strdup (self->kinds[i]);
  return kinds;
}

void
_sitrep_timeline_model_bind_filter (SitrepDbStmt      *stmt,
             gint64             incident_id,
             const char        *match,
             const char *const *kinds)
{
  /* Every parameter up to the kinds has a value, used or not: PostgreSQL refuses a query
   * with a parameter whose type nothing says (SQLite ignores the ones it lacks). */
  for (int i = 2; i < KINDS_FIRST_PARAMETER; i++)
    sitrep_db_bind_int64 (stmt, i, 0);
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  if (match != NULL)
    sitrep_db_bind_text (stmt, 2, match);
  for (guint i = 0; kinds != NULL && kinds[i] != NULL; i++)
    sitrep_db_bind_text (stmt, KINDS_FIRST_PARAMETER + i, kinds[i]);
}

static SitrepDbStmt *
prepare (SitrepTimelineModel *self,
         const char          *sql,
         GError             **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self->store, sql, error);
  g_auto(GStrv) kinds = NULL;

  if (stmt == NULL)
    return NULL;
  kinds = _sitrep_timeline_model_bound_kinds (self);
  _sitrep_timeline_model_bind_filter (stmt, self->incident_id, self->match, (const char *const *) kinds);
  return stmt;
}

/* Runs a count; -1 with @error set when it fails. */
gint64
_sitrep_timeline_model_count (SitrepTimelineModel *self,
                              WhereFlags           flags,
                              gint64               at,
                              gint64               id,
                              GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM timeline_events");
  SitrepDbStmt *stmt;
  gint64 result = -1;
  int rc;

  _sitrep_timeline_model_append_where (self, sql, flags);
  stmt = prepare (self, sql->str, error);
  if (stmt == NULL)
    return -1;
  if (flags & (WHERE_BEFORE | WHERE_AFTER))
    {
      sitrep_db_bind_int64 (stmt, 3, at);
      sitrep_db_bind_int64 (stmt, 4, id);
    }
  if (flags & WHERE_EVENT)
    sitrep_db_bind_int64 (stmt, 5, id);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    result = sitrep_db_column_int64 (stmt, 0);
  else
    sitrep_store_fail (self->store, rc, _("counting timeline events"), error);
  sitrep_db_finalize (stmt);
  return result;
}

SitrepTimelineEvent *
_sitrep_timeline_model_event_from_row (SitrepDbStmt *stmt)
{
  SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

  event->id = sitrep_db_column_int64 (stmt, 0);
  event->incident_id = sitrep_db_column_int64 (stmt, 1);
  event->at = sitrep_db_column_int64 (stmt, 2);
  event->recorded_at = sitrep_db_column_int64 (stmt, 3);
  event->kind = g_intern_string (sitrep_db_column_text (stmt, 4));
  event->text = g_strdup (sitrep_db_column_text (stmt, 5));
  event->author = g_strdup (sitrep_db_column_text (stmt, 6));
  event->is_system = sitrep_db_column_int (stmt, 7) != 0;
  event->starred = sitrep_db_column_int (stmt, 8) != 0;
  event->annotation = g_strdup (sitrep_db_column_text (stmt, 9));
  event->original_text = g_strdup (sitrep_db_column_text (stmt, 10));
  event->edited_at = sitrep_db_column_int64 (stmt, 11);
  event->deleted_at = sitrep_db_column_int64 (stmt, 12);
  event->fields = g_strdup (sitrep_db_column_text (stmt, 13));
  event->host = g_strdup (sitrep_db_column_text (stmt, 14));
  return event;
}

/* Steps @stmt to its end, the rows as events; NULL with @error set when it fails. */
GPtrArray *
_sitrep_timeline_model_read_rows (SitrepTimelineModel *self,
                                  SitrepDbStmt        *stmt,
                                  GError             **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      g_ptr_array_add (events, _sitrep_timeline_model_event_from_row (stmt));
      self->rows_read++;
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self->store, rc, _("reading the timeline"), error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* A page's query, made on the main loop from the model as it is, run on either thread. */
typedef struct
{
  char *sql;
  gint64 incident_id;
  char *match;
  GStrv kinds;
  gboolean follow;      /* after (at, id), the last event of the page before */
  gint64 at;
  gint64 id;
  guint page;
  guint generation;
  SitrepTimelineModel *model; /* for the answer; never touched on the reader thread */
} PageQuery;

static void
page_query_free (gpointer data)
{
  PageQuery *query = data;

  g_free (query->sql);
  g_free (query->match);
  g_strfreev (query->kinds);
  g_clear_object (&query->model);
  g_free (query);
}

/* Reads page @page: after the last event of the page before when that one is kept (scrolling
 * reads the next page by its position in the index, not by skipping all before it). */
static PageQuery *
page_query_new (SitrepTimelineModel *self,
                guint                page)
{
  PageQuery *query = g_new0 (PageQuery, 1);
  g_autoptr(GString) sql = g_string_new ("SELECT " SITREP_TIMELINE_MODEL_EVENT_COLUMNS
                                         " FROM timeline_events");
  GPtrArray *before = page > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page - 1))
                               : NULL;

  query->follow = before != NULL && before->len == SITREP_TIMELINE_MODEL_PAGE_SIZE;
  if (query->follow)
    {
      SitrepTimelineEvent *last = before->pdata[before->len - 1];

      query->at = last->at;
      query->id = last->id;
    }
  _sitrep_timeline_model_append_where (self, sql,
                                       WHERE_FILTERED | (query->follow ? WHERE_AFTER : 0));
  g_string_append (sql, self->descending ? " ORDER BY at DESC, id DESC" : " ORDER BY at, id");
  g_string_append (sql, query->follow ? " LIMIT ?6" : " LIMIT ?6 OFFSET ?7");
  query->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  query->incident_id = self->incident_id;
  query->match = g_strdup (self->match);
  query->kinds = _sitrep_timeline_model_bound_kinds (self);
  query->page = page;
  query->generation = self->generation;
  return query;
}

static GPtrArray *
page_query_run (PageQuery    *query,
                SitrepStore  *store,
                GError      **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  SitrepDbStmt *stmt = sitrep_store_statement (store, query->sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _sitrep_timeline_model_bind_filter (stmt, query->incident_id, query->match, (const char *const *) query->kinds);
  if (query->follow)
    {
      sitrep_db_bind_int64 (stmt, 3, query->at);
      sitrep_db_bind_int64 (stmt, 4, query->id);
    }
  sitrep_db_bind_int64 (stmt, 6, SITREP_TIMELINE_MODEL_PAGE_SIZE);
  if (!query->follow)
    sitrep_db_bind_int64 (stmt, 7, (gint64) query->page * SITREP_TIMELINE_MODEL_PAGE_SIZE);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    g_ptr_array_add (events, _sitrep_timeline_model_event_from_row (stmt));
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (store, rc, _("reading the timeline"), error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

GPtrArray *
_sitrep_timeline_model_read_page (SitrepTimelineModel *self,
                                  guint                page,
                                  GError             **error)
{
  PageQuery *query = page_query_new (self, page);
  GPtrArray *events = page_query_run (query, self->store, error);

  if (events != NULL)
    self->rows_read += events->len;
  page_query_free (query);
  return events;
}

static gpointer
read_page_in_thread (SitrepStore *store,
                     gpointer     data,
                     GError     **error)
{
  return page_query_run (data, store, error);
}

static void
page_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PageQuery *query = sitrep_store_read_get_data (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sitrep_store_read_finish (SITREP_STORE (source), result, &error);

  if (events != NULL)
    query->model->rows_read += events->len;
  _sitrep_timeline_model_page_read (query->model, query->page, query->generation,
                                    g_steal_pointer (&events), error);
}

/* Reads page @page on the store's reader thread; _sitrep_timeline_model_page_read() takes it. */
void
_sitrep_timeline_model_read_page_async (SitrepTimelineModel *self,
                                        guint                page)
{
  PageQuery *query = page_query_new (self, page);

  query->model = g_object_ref (self);
  sitrep_store_read_async (self->store, read_page_in_thread, query, page_query_free,
                           (GDestroyNotify) g_ptr_array_unref, NULL, page_read_cb, NULL);
}
