/* sitrep-incident-manager.c: the open and past incidents, the current one, and their clocks
 *
 * Views observe this object: a list of incident snapshots (each change replaces the changed
 * incident's snapshot from the store), the current incident, and a "due" signal whenever an
 * escalation step or a status update falls due. Every change goes to the store first; the
 * snapshot is reloaded from what was stored, so the screen shows what a restart would show.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-list.h"
#include "sitrep-incident-manager-private.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-writer.h"

G_DEFINE_FINAL_TYPE (SitrepIncidentManager, sitrep_incident_manager, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CURRENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  DUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sitrep_incident_manager_dispose (GObject *object)
{
  SitrepIncidentManager *self = (SitrepIncidentManager *) object;

  sitrep_incident_manager_stop (self);
  g_clear_handle_id (&self->list_retry_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->current);
  g_clear_object (&self->listed);
  g_clear_object (&self->incidents);
  g_clear_object (&self->store);
  g_clear_object (&self->runbook);
  g_clear_object (&self->runbooks);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->chains, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_incident_manager_parent_class)->dispose (object);
}

static void
sitrep_incident_manager_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SitrepIncidentManager *self = SITREP_INCIDENT_MANAGER (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_incident_manager_class_init (SitrepIncidentManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_incident_manager_dispose;
  object_class->get_property = sitrep_incident_manager_get_property;

  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, SITREP_TYPE_INCIDENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The list of incidents is on its way from a team database: until it comes the manager
   * shows none (sitrep_incident_manager_new_in_background()). */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepIncidentManager::changed:
   * @incident: the incident as stored now
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, SITREP_TYPE_INCIDENT);

  /**
   * SitrepIncidentManager::due:
   * @incident: the incident
   * @due: (type gpointer): a #SitrepDue: what fell due just now
   */
  signals[DUE] = g_signal_new ("due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                               NULL, NULL, G_TYPE_NONE, 2, SITREP_TYPE_INCIDENT, G_TYPE_POINTER);
}

static void
sitrep_incident_manager_init (SitrepIncidentManager *self)
{
  self->incidents = g_list_store_new (SITREP_TYPE_INCIDENT);
}

static SitrepIncidentManager *
manager_new (SitrepStore   *store,
             SitrepRunbook *runbook,
             SitrepClock   *clock,
             gboolean       background,
             GError       **error)
{
  g_autoptr(SitrepIncidentManager) self = NULL;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  self = g_object_new (SITREP_TYPE_INCIDENT_MANAGER, NULL);
  self->store = g_object_ref (store);
  self->runbook = g_object_ref (runbook);
  self->runbooks = sitrep_incident_runbooks_new (store, runbook);
  self->clock = clock ? g_object_ref (clock) : sitrep_clock_new ();
  _sitrep_incident_manager_follow_journal (self);
  /* In a drill, its incidents are the ones to see; elsewhere they wait to be asked for. */
  self->listed = sitrep_incident_list_new (G_LIST_MODEL (self->incidents));
  sitrep_incident_list_set_show_drills (self->listed, sitrep_runbook_get_environment (runbook)->drill);
  if (!_sitrep_incident_manager_open_list (self, background, error))
    return NULL;
  if (background && sitrep_store_is_shared (store))
    _sitrep_incident_manager_restore_kept (self);
  return g_steal_pointer (&self);
}

/**
 * sitrep_incident_manager_new:
 * @clock: (nullable): the clock; %NULL for the system clock
 *
 * Loads every incident of @store; the newest open one becomes current. What the headless
 * verbs use: the list is read in the call, on a team database too.
 */
SitrepIncidentManager *
sitrep_incident_manager_new (SitrepStore   *store,
                             SitrepRunbook *runbook,
                             SitrepClock   *clock,
                             GError       **error)
{
  return manager_new (store, runbook, clock, FALSE, error);
}

/**
 * sitrep_incident_manager_new_in_background:
 * @clock: (nullable): the clock; %NULL for the system clock
 *
 * What a console uses: on a file as sitrep_incident_manager_new(); on a team database the
 * manager starts with no incident and #SitrepIncidentManager:loading, and reads the list on
 * the store's reader thread (again a few seconds later when that fails): the main loop never
 * waits on the network for it. When it arrives the incidents are listed and the newest open
 * one becomes current, unless one already is (sitrep-incident-manager-open.c).
 *
 * Returns: (transfer full): the manager, or %NULL with @error set (a file only)
 */
SitrepIncidentManager *
sitrep_incident_manager_new_in_background (SitrepStore   *store,
                                           SitrepRunbook *runbook,
                                           SitrepClock   *clock,
                                           GError       **error)
{
  return manager_new (store, runbook, clock, TRUE, error);
}

/* Whether the list of incidents is still on its way from a team database. */
gboolean
sitrep_incident_manager_get_loading (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);
  return self->loading;
}

void
_sitrep_incident_manager_set_loading (SitrepIncidentManager *self,
                                      gboolean               loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

GListModel *
sitrep_incident_manager_get_incidents (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  return G_LIST_MODEL (self->incidents);
}

/**
 * sitrep_incident_manager_get_listed:
 *
 * The incidents a list shows: all of them but those declared in a drill, unless this manager
 * works on a drill's runbook or sitrep_incident_manager_set_show_drills() asked for them.
 *
 * Returns: (transfer none): a #GListModel of #SitrepIncident, newest first
 */
GListModel *
sitrep_incident_manager_get_listed (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  return G_LIST_MODEL (self->listed);
}

void
sitrep_incident_manager_set_show_drills (SitrepIncidentManager *self,
                                         gboolean               show_drills)
{
  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  self->show_drills = show_drills;
  sitrep_incident_list_set_show_drills (self->listed,
                                        show_drills
                                        || sitrep_runbook_get_environment (self->runbook)->drill);
}

gboolean
sitrep_incident_manager_get_show_drills (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);
  return self->show_drills;
}

SitrepIncident *
sitrep_incident_manager_get_current (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  return self->current;
}

static gint
position_of (SitrepIncidentManager *self,
             gint64                 id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SitrepIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      if (sitrep_incident_get_id (incident) == id)
        return i;
    }
  return -1;
}

SitrepIncident *
sitrep_incident_manager_find (SitrepIncidentManager *self,
                              gint64                 id)
{
  gint position;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);

  position = position_of (self, id);
  /* Declared while the team database was away, and written since under the server's id. */
  if (position < 0 && id < 0)
    position = position_of (self, sitrep_store_journal_team_id (id));
  if (position < 0)
    return NULL;
  /* The store holds a reference: borrowed pointers stay valid until the next change. */
  {
    g_autoptr(SitrepIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents),
                                                                position);
    return incident;
  }
}

void
sitrep_incident_manager_set_current (SitrepIncidentManager *self,
                                     gint64                 id)
{
  SitrepIncident *incident;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  incident = sitrep_incident_manager_find (self, id);
  if (g_set_object (&self->current, incident))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

SitrepRunbook *
sitrep_incident_manager_get_runbook (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  return self->runbook;
}

/**
 * sitrep_incident_manager_get_runbook_for:
 *
 * The runbook @incident is run by: the one it was declared under, from the copy kept with it,
 * whatever runbook is open now; the open one for an incident recorded before copies were kept
 * or whose copy cannot be read (sitrep_incident_manager_describe_runbook() says so).
 *
 * Returns: (transfer none): the runbook, valid as long as the manager
 */
SitrepRunbook *
sitrep_incident_manager_get_runbook_for (SitrepIncidentManager *self,
                                         SitrepIncident        *incident)
{
  SitrepIncidentRunbookKind kind;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);

  return sitrep_incident_runbooks_lookup (self->runbooks, incident, &kind, NULL);
}

/**
 * sitrep_incident_manager_describe_runbook:
 *
 * What the commander must know about the runbook @incident is shown with, when it is not
 * simply the open one: that it was declared under another runbook (whose severities,
 * checklist and messages are shown), or that it was recorded before Sitrep kept each
 * incident's runbook and is shown with the open one.
 *
 * Returns: (transfer full) (nullable): the sentence, or %NULL
 */
char *
sitrep_incident_manager_describe_runbook (SitrepIncidentManager *self,
                                          SitrepIncident        *incident)
{
  SitrepRunbook *runbook;
  g_autofree char *why = NULL;
  g_autofree char *origin = NULL;
  SitrepIncidentRunbookKind kind;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);

  runbook = sitrep_incident_runbooks_lookup (self->runbooks, incident, &kind, &why);
  switch (kind)
    {
    case SITREP_INCIDENT_RUNBOOK_OWN:
      if (runbook == self->runbook)
        return NULL;
      origin = sitrep_runbook_describe_origin (runbook);
      /* Translators: "Declared under the runbook “Northwind Freight” (/srv/northwind.json) as
       * it was then: its severities, checklist, escalation and messages are shown here. …" */
      return g_strdup_printf (_("Declared under the runbook “%s” (%s) as it was then, not the "
                                "one open now: its severities, checklist, escalation and "
                                "messages are shown here. Its commands run only with that "
                                "runbook open."),
                              sitrep_runbook_get_name (runbook), origin);
    case SITREP_INCIDENT_RUNBOOK_AT_HAND:
      return g_strdup_printf (_("Shown with the runbook open now, “%s”, since %s."),
                              sitrep_runbook_get_name (runbook), why);
    case SITREP_INCIDENT_RUNBOOK_MISMATCH:
    default:
      return g_strdup_printf (_("Declared under the runbook “%s”, but shown with “%s”, the one "
                                "open now, since %s: its severities and checklist may not be "
                                "the ones it was run by."),
                              sitrep_incident_get_runbook_name (incident),
                              sitrep_runbook_get_name (runbook), why);
    }
}

SitrepClock *
sitrep_incident_manager_get_clock (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), NULL);
  return self->clock;
}

gint64
sitrep_incident_manager_now (SitrepIncidentManager *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), 0);
  return sitrep_clock_now (self->clock);
}

/* Whether the snapshot at @position comes from a read that started after @fresh's: then
 * @fresh is not shown (sitrep-incident-manager-reload.c). */
static gboolean
shows_newer (SitrepIncidentManager *self,
             gint                   position,
             SitrepIncident        *fresh)
{
  g_autoptr(SitrepIncident) shown = NULL;

  if (position < 0)
    return FALSE;
  shown = g_list_model_get_item (G_LIST_MODEL (self->incidents), position);
  return _sitrep_incident_manager_is_older (fresh, shown);
}

/* Shows @fresh, as the store holds it now, in place of the incident's snapshot; not when
 * what is shown was read later. */
void
_sitrep_incident_manager_show (SitrepIncidentManager *self,
                               SitrepIncident        *fresh)
{
  gint64 id = sitrep_incident_get_id (fresh);
  gint position = position_of (self, id);

  if (shows_newer (self, position, fresh))
    return;
  if (position >= 0)
    g_list_store_splice (self->incidents, position, 1, (gpointer *) &fresh, 1);
  else
    g_list_store_insert (self->incidents, 0, fresh);

  if (self->current != NULL && sitrep_incident_get_id (self->current) == id)
    {
      g_set_object (&self->current, fresh);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
    }
  g_signal_emit (self, signals[CHANGED], 0, fresh);
}

/* Puts @fresh where the snapshot of @old_id was (the same id but for an incident declared
 * while away, now written); the current one stays current. */
void
_sitrep_incident_manager_replace (SitrepIncidentManager *self,
                                  gint64                 old_id,
                                  SitrepIncident        *fresh)
{
  gint position = position_of (self, old_id);
  gint listed = position_of (self, sitrep_incident_get_id (fresh));

  /* The list, read again while the journal was written, may show it already under the
   * server's id: it stays one row. */
  if (position < 0)
    position = listed;
  if (shows_newer (self, position, fresh))
    return;
  if (listed >= 0 && listed != position)
    {
      g_list_store_remove (self->incidents, listed);
      if (listed < position)
        position--;
    }
  if (position >= 0)
    g_list_store_splice (self->incidents, position, 1, (gpointer *) &fresh, 1);
  else
    g_list_store_insert (self->incidents, 0, fresh);

  if (self->current != NULL
      && (sitrep_incident_get_id (self->current) == old_id
          || sitrep_incident_get_id (self->current) == sitrep_incident_get_id (fresh)))
    {
      g_set_object (&self->current, fresh);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
    }
  g_signal_emit (self, signals[CHANGED], 0, fresh);
}

void
_sitrep_incident_manager_emit_due (SitrepIncidentManager *self,
                                   SitrepIncident        *incident,
                                   SitrepDue             *due)
{
  g_signal_emit (self, signals[DUE], 0, incident, due);
}

typedef struct
{
  SitrepIncident *incident;
  SitrepRunbook *runbook;
  gint64 now;
  GPtrArray *due;
} Check;

/* Run again while the database is busy: what an earlier try recorded is not due again (each
 * step and update is recorded once, in a transaction of its own), so it is not told twice. */
static gboolean
check_clocks (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  Check *check = data;

  g_clear_pointer (&check->due, g_ptr_array_unref);
  check->due = sitrep_incident_check_clocks (store, check->incident, check->runbook, check->now,
                                             error);
  return check->due != NULL;
}

/**
 * sitrep_incident_manager_check:
 *
 * Records whatever fell due in the open incidents and emits #SitrepIncidentManager::due for each:
 * the headless verbs' way, in the call, waiting for a busy database (a console checks on its
 * store's writer thread: _sitrep_incident_manager_check_in_background()).
 *
 * Returns: how many things fell due
 */
guint
sitrep_incident_manager_check (SitrepIncidentManager *self)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = sitrep_clock_now (self->clock);
  guint count = 0;
  guint n;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  for (guint i = 0; i < n; i++)
    {
      SitrepIncident *incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      if (sitrep_incident_get_status (incident) != SITREP_STATUS_RESOLVED)
        g_ptr_array_add (open, incident);
      else
        g_object_unref (incident);
    }

  for (guint i = 0; i < open->len; i++)
    {
      SitrepIncident *incident = open->pdata[i];
      g_autoptr(GError) error = NULL;
      Check check = { incident, sitrep_incident_manager_get_runbook_for (self, incident), now,
                      NULL };
      g_autoptr(GPtrArray) due = NULL;
      SitrepIncident *fresh;

      if (sitrep_store_write_sync (self->store, check_clocks, &check, &error))
        due = g_steal_pointer (&check.due);
      g_clear_pointer (&check.due, g_ptr_array_unref);
      if (due == NULL)
        {
          g_warning ("Cannot record what fell due in incident %" G_GINT64_FORMAT ": %s",
                     sitrep_incident_get_id (incident), error->message);
          continue;
        }
      if (due->len == 0)
        continue;
      fresh = _sitrep_incident_manager_reload (self, sitrep_incident_get_id (incident), NULL);
      for (guint k = 0; k < due->len; k++)
        g_signal_emit (self, signals[DUE], 0, fresh ? fresh : incident, due->pdata[k]);
      count += due->len;
    }
  return count;
}

static gboolean
tick_cb (gpointer user_data)
{
  _sitrep_incident_manager_check_in_background (user_data);
  return G_SOURCE_CONTINUE;
}

/* Checks the clocks every 5 seconds, or whenever a manual clock moves, on the store's writer
 * thread: what fell due is recorded without the main loop waiting for the commit. */
void
sitrep_incident_manager_start (SitrepIncidentManager *self)
{
  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  if (self->tick_id != 0 || self->clock_changed_id != 0)
    return;
  if (sitrep_clock_is_manual (self->clock))
    self->clock_changed_id = g_signal_connect_swapped (self->clock, "changed",
                                                       G_CALLBACK (_sitrep_incident_manager_check_in_background),
                                                       self);
  else
    self->tick_id = g_timeout_add_seconds (5, tick_cb, self);
  _sitrep_incident_manager_check_in_background (self);
}

void
sitrep_incident_manager_stop (SitrepIncidentManager *self)
{
  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->clock != NULL)
    g_clear_signal_handler (&self->clock_changed_id, self->clock);
}
