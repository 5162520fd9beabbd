/* sitrep-timeline-model.c: an incident's timeline as a list model read from the database a page
 * at a time
 *
 * A timeline may hold 100,000 events; a view shows a few dozen. The model knows how many events
 * its filter lists (a COUNT over an index that covers the order and the filters) and reads
 * the rows of a page when the view asks for one of its items, keeping the pages used last.
 * Order, kinds, stars and search are SQL (search through the timeline_search FTS5 table, or on
 * a team database, which has none, regular expressions over the same words of each event), so
 * changing the filter costs a count and the rows shown, never a pass over every event.
 * Changes are told to the model (refresh() for what was recorded since, event_changed() for an
 * edit, star, annotation or deletion), which says exactly which items changed.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-private.h"
#include "sitrep-timeline-model-private.h"

#define EVENT_COLUMNS                                                                      \
  "id, incident_id, at, recorded_at, kind, text, author, is_system, starred, annotation," \
  " original_text, edited_at, deleted_at, fields, host"

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

/* More events recorded at once than this are shown by counting again, not one by one. */
#define MAX_CAUGHT_UP_ONE_BY_ONE 64

static void sitrep_timeline_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SitrepTimelineModel, sitrep_timeline_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sitrep_timeline_model_list_model_init))

enum
{
  PROP_0,
  PROP_N_TOTAL,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  WHERE_FILTERED = 1 << 0,   /* kinds, stars and search, not only the incident's listed events */
  WHERE_BEFORE = 1 << 1,     /* before (?3, ?4) in the model's order */
  WHERE_AFTER = 1 << 2,      /* after (?3, ?4) in the model's order */
  WHERE_EVENT = 1 << 3,      /* the event ?5 only */
} WhereFlags;

static gboolean
has_filter (SitrepTimelineModel *self)
{
  return self->kinds != NULL || self->starred_only || self->match != NULL;
}

static gboolean
on_postgres (SitrepTimelineModel *self)
{
  return sitrep_db_engine (self->store->conn) == SITREP_DB_ENGINE_POSTGRES;
}

static void
append_where (SitrepTimelineModel *self,
              GString             *sql,
              WhereFlags           flags)
{
  /* What both engines read as false (PostgreSQL has no integer truth). */
  const char *no = on_postgres (self) ? "FALSE" : "0";

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
            g_string_append_printf (sql, !g_str_has_suffix (self->kinds[i], "*") ? " OR kind = ?%u"
                                         : on_postgres (self) ? " OR kind LIKE ?%u"
                                                              : " OR kind GLOB ?%u",
                                    KINDS_FIRST_PARAMETER + i);
          g_string_append (sql, ")");
        }
      if (self->match != NULL && *self->match == '\0')
        g_string_append_printf (sql, " AND %s", no);
      else if (self->match != NULL && on_postgres (self))
        /* No FTS5 there: every pattern (one a line, sitrep_timeline_search_patterns()) is
         * found in the event's words, the same words the SQLite index holds. */
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

static SitrepDbStmt *
prepare (SitrepTimelineModel *self,
         const char          *sql,
         GError             **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self->store, sql, error);

  if (stmt == NULL)
    return NULL;
  /* Every parameter up to the kinds has a value, used or not: PostgreSQL refuses a query
   * with a parameter whose type nothing says (SQLite ignores the ones it lacks). */
  for (int i = 2; i < KINDS_FIRST_PARAMETER; i++)
    sitrep_db_bind_int64 (stmt, i, 0);
  sitrep_db_bind_int64 (stmt, 1, self->incident_id);
  if (self->match != NULL)
    sitrep_db_bind_text (stmt, 2, self->match);
  for (guint i = 0; self->kinds != NULL && self->kinds[i] != NULL; i++)
    {
      g_autofree char *like = on_postgres (self) && g_str_has_suffix (self->kinds[i], "*")
                                ? like_pattern (self->kinds[i]) : NULL;

      sitrep_db_bind_text (stmt, KINDS_FIRST_PARAMETER + i, like ? like : self->kinds[i]);
    }
  return stmt;
}

/* Runs a count; -1 with @error set when it fails. */
static gint64
count (SitrepTimelineModel *self,
       WhereFlags           flags,
       gint64               at,
       gint64               id,
       GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM timeline_events");
  SitrepDbStmt *stmt;
  gint64 result = -1;
  int rc;

  append_where (self, sql, flags);
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

static SitrepTimelineEvent *
event_from_row (SitrepDbStmt *stmt)
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
static GPtrArray *
read_rows (SitrepTimelineModel *self,
           SitrepDbStmt        *stmt,
           GError             **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      g_ptr_array_add (events, event_from_row (stmt));
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

/* Reads page @page: after the last event of the page before when that one is kept (scrolling
 * reads the next page by its position in the index, not by skipping all before it). */
static GPtrArray *
read_page (SitrepTimelineModel *self,
           guint                page,
           GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " EVENT_COLUMNS " FROM timeline_events");
  GPtrArray *before = page > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page - 1))
                               : NULL;
  gboolean follow = before != NULL && before->len == SITREP_TIMELINE_MODEL_PAGE_SIZE;
  SitrepDbStmt *stmt;

  append_where (self, sql, WHERE_FILTERED | (follow ? WHERE_AFTER : 0));
  g_string_append (sql, self->descending ? " ORDER BY at DESC, id DESC" : " ORDER BY at, id");
  g_string_append (sql, follow ? " LIMIT ?6" : " LIMIT ?6 OFFSET ?7");
  stmt = prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  if (follow)
    {
      SitrepTimelineEvent *last = before->pdata[before->len - 1];

      sitrep_db_bind_int64 (stmt, 3, last->at);
      sitrep_db_bind_int64 (stmt, 4, last->id);
    }
  sitrep_db_bind_int64 (stmt, 6, SITREP_TIMELINE_MODEL_PAGE_SIZE);
  if (!follow)
    sitrep_db_bind_int64 (stmt, 7, (gint64) page * SITREP_TIMELINE_MODEL_PAGE_SIZE);
  return read_rows (self, stmt, error);
}

static void
set_problem (SitrepTimelineModel *self,
             const char          *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
forget_page (SitrepTimelineModel *self,
             guint                page)
{
  g_queue_remove (&self->recent, GUINT_TO_POINTER (page));
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page));
}

/* Forgets the pages from the one holding @position on: items moved there. */
static void
forget_pages_from (SitrepTimelineModel *self,
                   guint                position)
{
  guint first = position / SITREP_TIMELINE_MODEL_PAGE_SIZE;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (GPOINTER_TO_UINT (key) >= first)
      {
        g_queue_remove (&self->recent, key);
        g_hash_table_iter_remove (&iter);
      }
}

static GPtrArray *
get_page (SitrepTimelineModel *self,
          guint                page)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (events != NULL)
    {
      g_queue_remove (&self->recent, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
      return events;
    }
  events = read_page (self, page, &error);
  if (events == NULL)
    {
      set_problem (self, error->message);
      return NULL;
    }
  while (g_queue_get_length (&self->recent) >= SITREP_TIMELINE_MODEL_MAX_PAGES)
    forget_page (self, GPOINTER_TO_UINT (g_queue_peek_tail (&self->recent)));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), events);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
  return events;
}

/* What a row the database would not give is shown as: why, in place of the event. */
static SitrepTimelineEvent *
placeholder (SitrepTimelineModel *self)
{
  SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

  event->incident_id = self->incident_id;
  event->kind = g_intern_static_string (SITREP_TIMELINE_KIND_NOTE);
  event->is_system = TRUE;
  event->author = g_strdup ("");
  event->text = g_strdup (self->problem ? self->problem
                                        : _("This event changed while it was read: it is shown "
                                            "when the timeline is next brought up to date."));
  return event;
}

static GType
sitrep_timeline_model_get_item_type (GListModel *model)
{
  return SITREP_TYPE_TIMELINE_EVENT;
}

static guint
sitrep_timeline_model_get_n_items (GListModel *model)
{
  return SITREP_TIMELINE_MODEL (model)->n_items;
}

static gpointer
sitrep_timeline_model_get_item (GListModel *model,
                                guint       position)
{
  SitrepTimelineModel *self = SITREP_TIMELINE_MODEL (model);
  GPtrArray *events;
  guint offset = position % SITREP_TIMELINE_MODEL_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;
  events = get_page (self, position / SITREP_TIMELINE_MODEL_PAGE_SIZE);
  if (events == NULL || offset >= events->len)
    return placeholder (self);
  return g_object_ref (events->pdata[offset]);
}

static void
sitrep_timeline_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sitrep_timeline_model_get_item_type;
  iface->get_n_items = sitrep_timeline_model_get_n_items;
  iface->get_item = sitrep_timeline_model_get_item;
}

/* Counts again and tells the view every item changed: after the filter changed, or when the
 * database changed in a way one event at a time cannot follow. */
static gboolean
reset (SitrepTimelineModel *self,
       GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  guint removed = self->n_items;
  gint64 n_items = 0, n_total = 0;

  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
  if (self->store != NULL && self->incident_id > 0)
    {
      n_items = count (self, WHERE_FILTERED, 0, 0, &local_error);
      if (n_items >= 0)
        n_total = has_filter (self) ? count (self, 0, 0, 0, &local_error) : n_items;
      if (n_items < 0 || n_total < 0)
        {
          set_problem (self, local_error->message);
          n_items = n_total = 0;
        }
      else
        set_problem (self, NULL);
    }
  self->n_items = n_items;
  if (self->n_total != n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  if (removed > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
reset_quietly (SitrepTimelineModel *self)
{
  reset (self, NULL);
}

static void
sitrep_timeline_model_dispose (GObject *object)
{
  SitrepTimelineModel *self = SITREP_TIMELINE_MODEL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->recent);

  G_OBJECT_CLASS (sitrep_timeline_model_parent_class)->dispose (object);
}

static void
sitrep_timeline_model_finalize (GObject *object)
{
  SitrepTimelineModel *self = SITREP_TIMELINE_MODEL (object);

  g_strfreev (self->kinds);
  g_free (self->search);
  g_free (self->match);
  g_free (self->problem);

  G_OBJECT_CLASS (sitrep_timeline_model_parent_class)->finalize (object);
}

static void
sitrep_timeline_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SitrepTimelineModel *self = SITREP_TIMELINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_total);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_timeline_model_class_init (SitrepTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_timeline_model_dispose;
  object_class->finalize = sitrep_timeline_model_finalize;
  object_class->get_property = sitrep_timeline_model_get_property;

  /* The incident's events without the filters (deleted notes left out): "12 of 340". */
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the last read failed, or NULL. */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_timeline_model_init (SitrepTimelineModel *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
}

/**
 * sitrep_timeline_model_new:
 * @incident_id: whose timeline; the events listed are those not deleted
 *
 * Counts the incident's events; rows are read when items are asked for.
 */
SitrepTimelineModel *
sitrep_timeline_model_new (SitrepStore *store,
                           gint64       incident_id)
{
  SitrepTimelineModel *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);

  self = g_object_new (SITREP_TYPE_TIMELINE_MODEL, NULL);
  self->store = g_object_ref (store);
  self->incident_id = incident_id;
  self->last_id = sitrep_store_query_int (store, "SELECT coalesce (max (id), 0)"
                                                 " FROM timeline_events WHERE incident_id = ?1",
                                          incident_id, _("reading the timeline"), &error);
  if (self->last_id < 0)
    {
      self->last_id = 0;
      set_problem (self, error->message);
    }
  reset_quietly (self);
  return self;
}

gint64
sitrep_timeline_model_get_incident_id (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), 0);
  return self->incident_id;
}

/**
 * sitrep_timeline_model_set_kinds:
 * @kinds: (nullable) (array zero-terminated=1): the kinds listed, "action*" for every kind
 *   that starts with "action"; NULL for all
 */
void
sitrep_timeline_model_set_kinds (SitrepTimelineModel *self,
                                 const char *const   *kinds)
{
  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));

  if (kinds == NULL && self->kinds == NULL)
    return;
  if (kinds != NULL && self->kinds != NULL
      && g_strv_equal ((const char *const *) self->kinds, kinds))
    return;
  g_strfreev (self->kinds);
  self->kinds = g_strdupv ((char **) kinds);
  reset_quietly (self);
}

void
sitrep_timeline_model_set_starred_only (SitrepTimelineModel *self,
                                        gboolean             starred_only)
{
  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));

  if (self->starred_only == !!starred_only)
    return;
  self->starred_only = !!starred_only;
  reset_quietly (self);
}

/**
 * sitrep_timeline_model_set_search:
 * @text: (nullable): the words the events must hold, as typed; NULL or "" for all events
 */
void
sitrep_timeline_model_set_search (SitrepTimelineModel *self,
                                  const char          *text)
{
  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));

  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  g_free (self->match);
  self->match = on_postgres (self) ? sitrep_timeline_search_patterns (text)
                                    : sitrep_timeline_search_query (text);
  reset_quietly (self);
}

const char *
sitrep_timeline_model_get_search (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), NULL);
  return self->search;
}

/* Newest first when @descending; events at the same time in the order they were recorded
 * (reversed with it). */
void
sitrep_timeline_model_set_descending (SitrepTimelineModel *self,
                                      gboolean             descending)
{
  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));

  if (self->descending == !!descending)
    return;
  self->descending = !!descending;
  reset_quietly (self);
}

gboolean
sitrep_timeline_model_get_descending (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), FALSE);
  return self->descending;
}

guint
sitrep_timeline_model_get_n_total (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), 0);
  return self->n_total;
}

/* Returns: (nullable): why the last read failed */
const char *
sitrep_timeline_model_get_problem (SitrepTimelineModel *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), NULL);
  return self->problem;
}

static gint
compare_order (gconstpointer a,
               gconstpointer b)
{
  SitrepTimelineEvent *x = *(SitrepTimelineEvent **) a, *y = *(SitrepTimelineEvent **) b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* One event enters the list: it is told at its place. */
static gboolean
insert_one (SitrepTimelineModel *self,
            SitrepTimelineEvent *event,
            GError             **error)
{
  gint64 listed = count (self, WHERE_FILTERED | WHERE_EVENT, 0, event->id, error);
  gint64 position;

  if (listed <= 0)
    return listed == 0;
  position = count (self, WHERE_FILTERED | WHERE_BEFORE, event->at, event->id, error);
  if (position < 0)
    return FALSE;
  forget_pages_from (self, position);
  self->n_items++;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  return TRUE;
}

/**
 * sitrep_timeline_model_refresh:
 *
 * Catches up with the database: the events recorded since the model last looked come in at
 * their place (usually the end, where a view following the timeline shows them), without
 * reading the others again. When the count then differs (a note deleted by another window),
 * or many events came at once, everything is counted again.
 */
gboolean
sitrep_timeline_model_refresh (SitrepTimelineModel *self,
                               GError             **error)
{
  g_autoptr(GPtrArray) fresh = NULL;
  SitrepDbStmt *stmt;
  gint64 n_items, n_total;
  gint64 newest;

  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), FALSE);

  stmt = sitrep_store_statement (self->store,
                                 "SELECT " EVENT_COLUMNS " FROM timeline_events"
                                 " WHERE incident_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, self->incident_id);
  sitrep_db_bind_int64 (stmt, 2, self->last_id);
  sitrep_db_bind_int64 (stmt, 3, MAX_CAUGHT_UP_ONE_BY_ONE + 1);
  fresh = read_rows (self, stmt, error);
  if (fresh == NULL)
    return FALSE;
  if (fresh->len > MAX_CAUGHT_UP_ONE_BY_ONE)
    {
      newest = sitrep_store_query_int (self->store, "SELECT coalesce (max (id), 0)"
                                                    " FROM timeline_events WHERE incident_id = ?1",
                                       self->incident_id, _("reading the timeline"), error);
      if (newest < 0)
        return FALSE;
      self->last_id = newest;
      return reset (self, error);
    }
  /* In the model's order, so that each one's place counts those before it already told. */
  g_ptr_array_sort (fresh, compare_order);
  if (self->descending)
    for (guint i = 0; i < fresh->len / 2; i++)
      {
        gpointer swap = fresh->pdata[i];

        fresh->pdata[i] = fresh->pdata[fresh->len - 1 - i];
        fresh->pdata[fresh->len - 1 - i] = swap;
      }
  for (guint i = 0; i < fresh->len; i++)
    {
      SitrepTimelineEvent *event = fresh->pdata[i];

      self->last_id = MAX (self->last_id, event->id);
      if (event->deleted_at == 0 && !insert_one (self, event, error))
        return FALSE;
    }

  n_items = count (self, WHERE_FILTERED, 0, 0, error);
  if (n_items < 0)
    return FALSE;
  if ((guint) n_items != self->n_items)
    return reset (self, error);
  n_total = has_filter (self) ? count (self, 0, 0, 0, error) : n_items;
  if (n_total < 0)
    return FALSE;
  if ((guint) n_total != self->n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  return TRUE;
}

/**
 * sitrep_timeline_model_event_changed:
 * @event_id: an event of the incident that was edited, starred, annotated or deleted
 *
 * Tells the view the one item that changed: it is read again in its place, leaves the list
 * (a deleted note; an event that no longer matches the filter) or enters it. The event keeps
 * its time, so its place is where it was.
 */
gboolean
sitrep_timeline_model_event_changed (SitrepTimelineModel *self,
                                     gint64               event_id,
                                     GError             **error)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;
  gint64 n_items, listed, position, was_listed, n_total;

  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), FALSE);

  event = sitrep_store_load_event (self->store, event_id, error);
  if (event == NULL)
    return FALSE;
  if (event->incident_id != self->incident_id)
    return TRUE;
  if ((listed = count (self, WHERE_FILTERED | WHERE_EVENT, 0, event_id, error)) < 0
      || (n_items = count (self, WHERE_FILTERED, 0, 0, error)) < 0
      || (position = count (self, WHERE_FILTERED | WHERE_BEFORE, event->at, event->id,
                            error)) < 0)
    return FALSE;
  /* Only this event changed: the list differs from before by it alone. */
  was_listed = (gint64) self->n_items - n_items + listed;
  if (was_listed < 0 || was_listed > 1)
    return reset (self, error);
  if (was_listed != listed)
    forget_pages_from (self, position);
  else
    forget_page (self, position / SITREP_TIMELINE_MODEL_PAGE_SIZE);
  self->n_items = n_items;
  n_total = has_filter (self) ? count (self, 0, 0, 0, error) : n_items;
  if (n_total >= 0 && (guint) n_total != self->n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  if (was_listed > 0 || listed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, was_listed, listed);
  return n_total >= 0;
}

/**
 * sitrep_timeline_model_lookup:
 *
 * The event @event_id as the model shows it when one of its pages holds it, else as stored.
 *
 * Returns: (transfer full): the event, or NULL with @error set
 */
SitrepTimelineEvent *
sitrep_timeline_model_lookup (SitrepTimelineModel *self,
                              gint64               event_id,
                              GError             **error)
{
  GHashTableIter iter;
  GPtrArray *events;

  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), NULL);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &events))
    for (guint i = 0; i < events->len; i++)
      if (((SitrepTimelineEvent *) events->pdata[i])->id == event_id)
        return g_object_ref (events->pdata[i]);
  return sitrep_store_load_event (self->store, event_id, error);
}
