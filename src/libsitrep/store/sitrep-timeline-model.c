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

void
_sitrep_timeline_model_set_problem (SitrepTimelineModel *self,
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

/* Pages on their way from the reader thread were read before a change: they are dropped when
 * they come, and read again when asked for. */
static void
pages_in_flight_stale (SitrepTimelineModel *self)
{
  self->generation++;
  g_hash_table_remove_all (self->reading);
}

void
_sitrep_timeline_model_set_n_total (SitrepTimelineModel *self,
                                    guint                n_total)
{
  if (self->n_total == n_total)
    return;
  self->n_total = n_total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
}

/* Forgets the pages from the one holding @position on: items moved there. */
void
_sitrep_timeline_model_forget_pages_from (SitrepTimelineModel *self,
                   guint                position)
{
  guint first = position / SITREP_TIMELINE_MODEL_PAGE_SIZE;
  GHashTableIter iter;
  gpointer key;

  pages_in_flight_stale (self);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (GPOINTER_TO_UINT (key) >= first)
      {
        g_queue_remove (&self->recent, key);
        g_hash_table_iter_remove (&iter);
      }
}

/* @event enters the list at @position, told as one item added. At the end of the list (the
 * usual place of a new event), it joins the kept page @position falls on when that page holds
 * exactly the rows before it: the rows shown stay as they are, the same objects, and nothing is
 * read again (a view then binds one new row instead of the page's). Anywhere else the pages
 * from @position on are read again when asked for. */
void
_sitrep_timeline_model_insert_at (SitrepTimelineModel *self,
                                  guint                position,
                                  SitrepTimelineEvent *event)
{
  guint page = position / SITREP_TIMELINE_MODEL_PAGE_SIZE;
  GPtrArray *events = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (position == self->n_items && events != NULL
      && events->len == position % SITREP_TIMELINE_MODEL_PAGE_SIZE
      && !g_hash_table_contains (self->reading, GUINT_TO_POINTER (page)))
    g_ptr_array_add (events, g_object_ref (event));
  else
    _sitrep_timeline_model_forget_pages_from (self, position);
  self->n_items++;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

/* What a row the database would not give (yet) is shown as: why, in place of the event. */
static SitrepTimelineEvent *
placeholder (SitrepTimelineModel *self,
             gboolean             reading)
{
  SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

  event->incident_id = self->incident_id;
  event->kind = g_intern_static_string (SITREP_TIMELINE_KIND_NOTE);
  event->is_system = TRUE;
  event->author = g_strdup ("");
  event->text = g_strdup (reading ? _("Reading this event from the team database…")
                          : self->problem ? self->problem
                                        : _("This event changed while it was read: it is shown "
                                            "when the timeline is next brought up to date."));
  return event;
}

static void
keep_page (SitrepTimelineModel *self,
           guint                page,
           GPtrArray           *events)
{
  while (g_queue_get_length (&self->recent) >= SITREP_TIMELINE_MODEL_MAX_PAGES)
    forget_page (self, GPOINTER_TO_UINT (g_queue_peek_tail (&self->recent)));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), events);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
}

/* The page, or NULL when it could not be read; (*reading) its placeholders while it is read on
 * the store's reader thread, items-changed saying when it is there. */
static GPtrArray *
get_page (SitrepTimelineModel *self,
          guint                page,
          gboolean            *reading)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  *reading = FALSE;
  if (events != NULL)
    {
      g_queue_remove (&self->recent, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
      return events;
    }
  if (self->read_in_background && sitrep_store_is_shared (self->store))
    {
      /* Its placeholders, one per item, kept until the page comes: a view may hold on to
       * what get_item() gave it without a reference of its own, as it does with rows. */
      events = g_hash_table_lookup (self->reading, GUINT_TO_POINTER (page));
      *reading = TRUE;
      if (events == NULL)
        {
          events = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint i = 0; i < SITREP_TIMELINE_MODEL_PAGE_SIZE; i++)
            g_ptr_array_add (events, placeholder (self, TRUE));
          g_hash_table_insert (self->reading, GUINT_TO_POINTER (page), events);
          _sitrep_timeline_model_read_page_async (self, page);
        }
      return events;
    }
  events = _sitrep_timeline_model_read_page (self, page, &error);
  if (events == NULL)
    {
      _sitrep_timeline_model_set_problem (self, error->message);
      return NULL;
    }
  keep_page (self, page, events);
  return events;
}

/* A page read on the reader thread arrived: its items are told changed, unless something
 * changed the list since it was asked for (then it is read again when asked for). */
void
_sitrep_timeline_model_page_read (SitrepTimelineModel *self,
                                  guint                page,
                                  guint                generation,
                                  GPtrArray           *events,
                                  const GError        *error)
{
  guint first = page * SITREP_TIMELINE_MODEL_PAGE_SIZE;

  if (self->pages == NULL || generation != self->generation)
    {
      g_clear_pointer (&events, g_ptr_array_unref);
      return;
    }
  g_hash_table_remove (self->reading, GUINT_TO_POINTER (page));
  if (events == NULL)
    {
      _sitrep_timeline_model_set_problem (self, error->message);
      return;
    }
  _sitrep_timeline_model_set_problem (self, NULL);
  keep_page (self, page, events);
  if (first < self->n_items)
    {
      guint n = MIN (SITREP_TIMELINE_MODEL_PAGE_SIZE, self->n_items - first);

      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
    }
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
  gboolean reading;

  if (position >= self->n_items)
    return NULL;
  events = get_page (self, position / SITREP_TIMELINE_MODEL_PAGE_SIZE, &reading);
  if (events == NULL || offset >= events->len)
    return placeholder (self, FALSE);
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
  pages_in_flight_stale (self);
  if (self->store != NULL && self->incident_id > 0 && self->read_in_background
      && sitrep_store_is_shared (self->store))
    {
      /* Counted on the reader thread: the list is empty until the counts come. */
      self->n_items = 0;
      if (removed > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      _sitrep_timeline_model_count_async (self, FALSE);
      return TRUE;
    }
  if (self->store != NULL && self->incident_id > 0)
    {
      n_items = _sitrep_timeline_model_count (self, WHERE_FILTERED, 0, 0, &local_error);
      if (n_items >= 0)
        n_total = _sitrep_timeline_model_has_filter (self) ? _sitrep_timeline_model_count (self, 0, 0, 0, &local_error) : n_items;
      if (n_items < 0 || n_total < 0)
        {
          _sitrep_timeline_model_set_problem (self, local_error->message);
          n_items = n_total = 0;
        }
      else
        _sitrep_timeline_model_set_problem (self, NULL);
    }
  /* Said as two changes, every item removed and then the new ones added: told in one, GTK 4.8's
   * list views look for the rows they track (the focus, the scroll's anchor) among the added
   * items by identity, asking for each of them, and so read every page of the timeline. */
  self->n_items = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  self->n_items = n_items;
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
  /* After the items: a handler of notify::n-total may ask how many there are. */
  if (self->n_total != n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

void
_sitrep_timeline_model_reset (SitrepTimelineModel *self)
{
  reset (self, NULL);
}

static void
sitrep_timeline_model_dispose (GObject *object)
{
  SitrepTimelineModel *self = SITREP_TIMELINE_MODEL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->reading, g_hash_table_unref);
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
  self->reading = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
}

static SitrepTimelineModel *
model_new (SitrepStore *store,
           gint64       incident_id,
           gboolean     background)
{
  SitrepTimelineModel *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);

  self = g_object_new (SITREP_TYPE_TIMELINE_MODEL, NULL);
  self->store = g_object_ref (store);
  self->incident_id = incident_id;
  self->read_in_background = background;
  if (background && sitrep_store_is_shared (store) && incident_id > 0)
    {
      /* Empty until the counts come; a refresh asked for meanwhile waits for them. */
      self->counting_first = TRUE;
      _sitrep_timeline_model_count_async (self, TRUE);
      return self;
    }
  self->last_id = sitrep_store_query_int (store, "SELECT coalesce (max (id), 0)"
                                                 " FROM timeline_events WHERE incident_id = ?1",
                                          incident_id, _("reading the timeline"), &error);
  if (self->last_id < 0)
    {
      self->last_id = 0;
      _sitrep_timeline_model_set_problem (self, error->message);
    }
  _sitrep_timeline_model_reset (self);
  return self;
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
  return model_new (store, incident_id, FALSE);
}

/**
 * sitrep_timeline_model_new_in_background:
 * @incident_id: whose timeline; the events listed are those not deleted
 *
 * A model that reads in the background from the start
 * (sitrep_timeline_model_set_read_in_background()): on a team database it is empty until its
 * first counts come from the store's reader thread, then #GListModel::items-changed says how
 * many events it lists; on a file as sitrep_timeline_model_new().
 */
SitrepTimelineModel *
sitrep_timeline_model_new_in_background (SitrepStore *store,
                                         gint64       incident_id)
{
  return model_new (store, incident_id, TRUE);
}

/**
 * sitrep_timeline_model_set_read_in_background:
 *
 * On a team database, reads a page on the store's reader thread when one of its items is
 * asked for: the item is a placeholder saying it is being read until the page arrives, and
 * #GListModel::items-changed says when it has. The counts made again when the filter or the
 * order changes are made there too: the list is empty until they come. What the Timeline view asks for, so that its
 * main loop never waits on the network; on a file, rows are read when asked for, as without.
 */
void
sitrep_timeline_model_set_read_in_background (SitrepTimelineModel *self,
                                              gboolean             background)
{
  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));
  self->read_in_background = !!background;
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
  _sitrep_timeline_model_reset (self);
}

void
sitrep_timeline_model_set_starred_only (SitrepTimelineModel *self,
                                        gboolean             starred_only)
{
  g_return_if_fail (SITREP_IS_TIMELINE_MODEL (self));

  if (self->starred_only == !!starred_only)
    return;
  self->starred_only = !!starred_only;
  _sitrep_timeline_model_reset (self);
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

  /* An empty search is none: the view sets its empty entry's text on a new model, which must
   * not count the timeline again. */
  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  g_free (self->match);
  self->match = _sitrep_timeline_model_dialect (self)->search_index
                  ? sitrep_timeline_search_query (text)
                  : sitrep_timeline_search_patterns (text);
  _sitrep_timeline_model_reset (self);
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
  _sitrep_timeline_model_reset (self);
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

gint
_sitrep_timeline_model_compare_order (gconstpointer a,
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
  gint64 listed = _sitrep_timeline_model_count (self, WHERE_FILTERED | WHERE_EVENT, 0, event->id, error);
  gint64 position;

  if (listed <= 0)
    return listed == 0;
  position = _sitrep_timeline_model_count (self, WHERE_FILTERED | WHERE_BEFORE, event->at, event->id, error);
  if (position < 0)
    return FALSE;
  _sitrep_timeline_model_insert_at (self, position, event);
  return TRUE;
}

/**
 * sitrep_timeline_model_refresh:
 *
 * Catches up with the database: the events recorded since the model last looked come in at
 * their place (usually the end, where a view following the timeline shows them), without
 * reading the others again. When the count then differs (a note deleted by another window),
 * or many events came at once, everything is counted again. On a team database, when the
 * model reads in the background, this is read on the store's reader thread and told when it
 * comes (a failure then is the model's #SitrepTimelineModel:problem).
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

  if (self->read_in_background && sitrep_store_is_shared (self->store))
    {
      /* One at a time: the next starts from where this one left the list (or the first count
       * left it). */
      if (self->refreshing || self->counting_first)
        self->refresh_again = TRUE;
      else
        {
          self->refreshing = TRUE;
          _sitrep_timeline_model_refresh_async (self);
        }
      return TRUE;
    }

  stmt = sitrep_store_statement (self->store,
                                 "SELECT " SITREP_TIMELINE_MODEL_EVENT_COLUMNS " FROM timeline_events"
                                 " WHERE incident_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, self->incident_id);
  sitrep_db_bind_int64 (stmt, 2, self->last_id);
  sitrep_db_bind_int64 (stmt, 3, SITREP_TIMELINE_MODEL_CAUGHT_UP_ONE_BY_ONE + 1);
  fresh = _sitrep_timeline_model_read_rows (self, stmt, error);
  if (fresh == NULL)
    return FALSE;
  if (fresh->len > SITREP_TIMELINE_MODEL_CAUGHT_UP_ONE_BY_ONE)
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
  g_ptr_array_sort (fresh, _sitrep_timeline_model_compare_order);
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

  n_items = _sitrep_timeline_model_count (self, WHERE_FILTERED, 0, 0, error);
  if (n_items < 0)
    return FALSE;
  if ((guint) n_items != self->n_items)
    return reset (self, error);
  n_total = _sitrep_timeline_model_has_filter (self) ? _sitrep_timeline_model_count (self, 0, 0, 0, error) : n_items;
  if (n_total < 0)
    return FALSE;
  if ((guint) n_total != self->n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  return TRUE;
}

/* Only one event changed: the list differs from before by it alone. */
gboolean
_sitrep_timeline_model_apply_change (SitrepTimelineModel *self,
              gint64               listed,
              gint64               position,
              gint64               n_items,
              gint64               n_total,
              GError             **error)
{
  gint64 was_listed = (gint64) self->n_items - n_items + listed;

  if (was_listed < 0 || was_listed > 1)
    return reset (self, error);
  if (was_listed != listed)
    _sitrep_timeline_model_forget_pages_from (self, position);
  else
    forget_page (self, position / SITREP_TIMELINE_MODEL_PAGE_SIZE);
  self->n_items = n_items;
  if ((guint) n_total != self->n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  if (was_listed > 0 || listed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, was_listed, listed);
  return TRUE;
}

/**
 * sitrep_timeline_model_event_changed:
 * @event_id: an event of the incident that was edited, starred, annotated or deleted
 *
 * Tells the view the one item that changed: it is read again in its place, leaves the list
 * (a deleted note; an event that no longer matches the filter) or enters it. The event keeps
 * its time, so its place is where it was. On a team database, when the model reads in the
 * background, this is read on the store's reader thread and told when it comes.
 */
gboolean
sitrep_timeline_model_event_changed (SitrepTimelineModel *self,
                                     gint64               event_id,
                                     GError             **error)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;
  gint64 n_items, listed, position, n_total;

  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), FALSE);

  if (self->read_in_background && sitrep_store_is_shared (self->store))
    {
      _sitrep_timeline_model_event_changed_async (self, event_id);
      return TRUE;
    }
  event = sitrep_store_load_event (self->store, event_id, error);
  if (event == NULL)
    return FALSE;
  if (event->incident_id != self->incident_id)
    return TRUE;
  if ((listed = _sitrep_timeline_model_count (self, WHERE_FILTERED | WHERE_EVENT, 0, event_id, error)) < 0
      || (n_items = _sitrep_timeline_model_count (self, WHERE_FILTERED, 0, 0, error)) < 0
      || (position = _sitrep_timeline_model_count (self, WHERE_FILTERED | WHERE_BEFORE, event->at, event->id,
                            error)) < 0)
    return FALSE;
  n_total = _sitrep_timeline_model_has_filter (self) ? _sitrep_timeline_model_count (self, 0, 0, 0, error) : n_items;
  if (n_total < 0)
    return FALSE;
  return _sitrep_timeline_model_apply_change (self, listed, position, n_items, n_total, error);
}

/**
 * sitrep_timeline_model_peek:
 *
 * The event @event_id as one of the model's pages holds it, or %NULL when none does: never
 * reads the store, so the main loop may ask at any time.
 *
 * Returns: (transfer full) (nullable): the event
 */
SitrepTimelineEvent *
sitrep_timeline_model_peek (SitrepTimelineModel *self,
                            gint64               event_id)
{
  GHashTableIter iter;
  GPtrArray *events;

  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), NULL);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &events))
    for (guint i = 0; i < events->len; i++)
      if (((SitrepTimelineEvent *) events->pdata[i])->id == event_id)
        return g_object_ref (events->pdata[i]);
  return NULL;
}

/**
 * sitrep_timeline_model_lookup:
 *
 * The event @event_id as the model shows it when one of its pages holds it, else as stored,
 * read in the call (sitrep_timeline_model_lookup_async() reads a team database's on a thread).
 *
 * Returns: (transfer full): the event, or NULL with @error set
 */
SitrepTimelineEvent *
sitrep_timeline_model_lookup (SitrepTimelineModel *self,
                              gint64               event_id,
                              GError             **error)
{
  SitrepTimelineEvent *event;

  g_return_val_if_fail (SITREP_IS_TIMELINE_MODEL (self), NULL);

  event = sitrep_timeline_model_peek (self, event_id);
  if (event != NULL)
    return event;
  return sitrep_store_load_event (self->store, event_id, error);
}
