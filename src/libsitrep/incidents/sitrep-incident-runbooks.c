/* sitrep-incident-runbooks.c: the runbook each incident is shown with, read from the store once
 *
 * An incident keeps a copy of the runbook it was declared under; this object reads each copy
 * from the store once, good or bad (views ask every second), and falls back on the runbook at
 * hand for an incident recorded before copies were kept, or whose copy is damaged. The incident
 * manager and the headless verbs share it, so both show an incident with the same runbook.
 *
 * On a team database the copy is read with the incident, on the thread that reads it
 * (sitrep_incident_runbooks_prefetch()), so that the main loop finds it here and never waits
 * on the network for it; the tables are shared with that thread under a lock.
 */
#include "config.h"

#include "sitrep-incident-runbooks.h"

struct _SitrepIncidentRunbooks
{
  GObject parent_instance;

  SitrepStore *store;
  SitrepRunbook *at_hand;
  GMutex lock;            /* the two tables: the readers' threads add to them */
  GHashTable *runbooks;   /* checksum → SitrepRunbook: the copies read so far, never removed */
  GHashTable *unreadable; /* checksum → why its copy cannot be used */
};

G_DEFINE_FINAL_TYPE (SitrepIncidentRunbooks, sitrep_incident_runbooks, G_TYPE_OBJECT)

static void
sitrep_incident_runbooks_dispose (GObject *object)
{
  SitrepIncidentRunbooks *self = (SitrepIncidentRunbooks *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->at_hand);
  g_clear_pointer (&self->runbooks, g_hash_table_unref);
  g_clear_pointer (&self->unreadable, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_incident_runbooks_parent_class)->dispose (object);
}

static void
sitrep_incident_runbooks_finalize (GObject *object)
{
  SitrepIncidentRunbooks *self = (SitrepIncidentRunbooks *) object;

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sitrep_incident_runbooks_parent_class)->finalize (object);
}

static void
sitrep_incident_runbooks_class_init (SitrepIncidentRunbooksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_incident_runbooks_dispose;
  object_class->finalize = sitrep_incident_runbooks_finalize;
}

static void
sitrep_incident_runbooks_init (SitrepIncidentRunbooks *self)
{
  g_mutex_init (&self->lock);
  self->runbooks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->unreadable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * sitrep_incident_runbooks_new:
 * @at_hand: the runbook to fall back on: the one the console has open, or the one a command
 *   was given
 */
SitrepIncidentRunbooks *
sitrep_incident_runbooks_new (SitrepStore   *store,
                              SitrepRunbook *at_hand)
{
  SitrepIncidentRunbooks *self;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (at_hand), NULL);

  self = g_object_new (SITREP_TYPE_INCIDENT_RUNBOOKS, NULL);
  self->store = g_object_ref (store);
  self->at_hand = g_object_ref (at_hand);
  return self;
}

SitrepRunbook *
sitrep_incident_runbooks_get_at_hand (SitrepIncidentRunbooks *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_RUNBOOKS (self), NULL);
  return self->at_hand;
}

/* Under the lock: the copy of @checksum read before, else NULL with *@why (nullable) what
 * was wrong with it, if anything. */
static SitrepRunbook *
find_locked (SitrepIncidentRunbooks *self,
             const char             *checksum,
             const char            **why)
{
  *why = NULL;
  if (checksum == NULL)
    return NULL;
  *why = g_hash_table_lookup (self->unreadable, checksum);
  return g_hash_table_lookup (self->runbooks, checksum);
}

/* Reads the copy of @incident's runbook from @store, on the caller's connection, and keeps it
 * or why it is unusable; returns it (transfer none) or NULL with *@why set. */
static SitrepRunbook *
read_copy (SitrepIncidentRunbooks  *self,
           SitrepStore             *store,
           SitrepIncident          *incident,
           char                   **why)
{
  const char *checksum = sitrep_incident_get_runbook_checksum (incident);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) own = sitrep_store_load_incident_runbook (store, incident, &error);
  SitrepRunbook *kept;
  const char *known;

  g_mutex_lock (&self->lock);
  /* Another thread may have read it meanwhile: the first one read is kept. */
  kept = find_locked (self, checksum, &known);
  if (kept == NULL && known == NULL && checksum != NULL && own != NULL)
    {
      kept = own;
      g_hash_table_insert (self->runbooks, g_strdup (checksum), g_object_ref (own));
    }
  else if (kept == NULL && known == NULL && checksum != NULL)
    {
      /* Asked once, as the views ask every second: a copy that could not be read (the server
       * gone meanwhile too) is not asked for again while the console runs. */
      known = error->message;
      g_hash_table_insert (self->unreadable, g_strdup (checksum), g_strdup (known));
    }
  *why = kept == NULL ? g_strdup (known != NULL ? known : error->message) : NULL;
  g_mutex_unlock (&self->lock);
  return kept;
}

/**
 * sitrep_incident_runbooks_prefetch:
 * @store: the store to read from, on this thread's connection (a reader's, the writer's)
 *
 * Any thread: reads the copy of the runbook @incident was declared under, unless it is the
 * runbook at hand or was read before, so that sitrep_incident_runbooks_lookup() on the main
 * loop finds it without reading.
 */
void
sitrep_incident_runbooks_prefetch (SitrepIncidentRunbooks *self,
                                   SitrepStore            *store,
                                   SitrepIncident         *incident)
{
  const char *checksum;
  const char *known;
  gboolean have;
  g_autofree char *why = NULL;

  g_return_if_fail (SITREP_IS_INCIDENT_RUNBOOKS (self));
  g_return_if_fail (SITREP_IS_STORE (store));
  g_return_if_fail (SITREP_IS_INCIDENT (incident));

  checksum = sitrep_incident_get_runbook_checksum (incident);
  /* An incident without a copy has nothing to read. */
  if (checksum == NULL || g_str_equal (checksum, sitrep_runbook_get_digest (self->at_hand)))
    return;
  g_mutex_lock (&self->lock);
  have = find_locked (self, checksum, &known) != NULL || known != NULL;
  g_mutex_unlock (&self->lock);
  if (!have)
    read_copy (self, store, incident, &why);
}

/**
 * sitrep_incident_runbooks_lookup:
 * @kind: (out): which runbook is returned
 * @why: (out) (optional): for a fallback, why the incident's own copy is not used
 *
 * The runbook to show @incident with: the copy kept with it; or, for an incident recorded
 * before copies were kept (or whose copy was damaged), the runbook at hand, and whether it
 * bears the name the incident was declared under. A copy not read before (by
 * sitrep_incident_runbooks_prefetch()) is read in the call.
 *
 * Returns: (transfer none): the runbook, valid as long as @self; never %NULL
 */
SitrepRunbook *
sitrep_incident_runbooks_lookup (SitrepIncidentRunbooks    *self,
                                 SitrepIncident            *incident,
                                 SitrepIncidentRunbookKind *kind,
                                 char                     **why)
{
  g_autofree char *reason = NULL;
  SitrepRunbook *own;
  const char *checksum;
  const char *known;

  g_return_val_if_fail (SITREP_IS_INCIDENT_RUNBOOKS (self), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  if (why != NULL)
    *why = NULL;
  checksum = sitrep_incident_get_runbook_checksum (incident);
  if (checksum != NULL && g_str_equal (checksum, sitrep_runbook_get_digest (self->at_hand)))
    {
      *kind = SITREP_INCIDENT_RUNBOOK_OWN;
      return self->at_hand;
    }

  g_mutex_lock (&self->lock);
  own = find_locked (self, checksum, &known);
  if (own == NULL && known != NULL)
    reason = g_strdup (known);
  g_mutex_unlock (&self->lock);
  /* An incident without a copy has no checksum: it is asked about again, cheaply. */
  if (own == NULL && reason == NULL)
    own = read_copy (self, self->store, incident, &reason);
  if (own != NULL)
    {
      *kind = SITREP_INCIDENT_RUNBOOK_OWN;
      return own;
    }

  *kind = g_strcmp0 (sitrep_incident_get_runbook_name (incident),
                     sitrep_runbook_get_name (self->at_hand)) == 0
            ? SITREP_INCIDENT_RUNBOOK_AT_HAND
            : SITREP_INCIDENT_RUNBOOK_MISMATCH;
  if (why != NULL)
    *why = g_steal_pointer (&reason);
  return self->at_hand;
}
