/* sitrep-incident-runbooks.c: the runbook each incident is shown with, read from the store once
 *
 * An incident keeps a copy of the runbook it was declared under; this object keeps each copy
 * once read from the store, and why one cannot be used (views ask every second), and falls
 * back on the runbook at hand for an incident recorded before copies were kept, or whose copy
 * is damaged. The incident
 * manager and the headless verbs share it, so both show an incident with the same runbook.
 *
 * On a team database the copy is read with the incident, on the thread that reads it
 * (sitrep_incident_runbooks_prefetch()), so that the main loop finds it here and never waits
 * on the network for it; the tables are shared with that thread under a lock. An incident
 * declared while the team database was away brings its copy with it, from the journal
 * (sitrep_incident_runbooks_add_declared()).
 *
 * A copy that is missing or altered is so for good; one that could not be read because the
 * server was away is read again by the next prefetch, but never by a lookup, which says why
 * the runbook at hand is shown meanwhile.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-runbooks.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"

struct _SitrepIncidentRunbooks
{
  GObject parent_instance;

  SitrepStore *store;
  SitrepRunbook *at_hand;
  GMutex lock;            /* the three tables: the readers' threads add to them */
  GHashTable *runbooks;   /* checksum → SitrepRunbook: the copies read so far, never removed */
  GHashTable *unreadable; /* checksum → why its copy cannot be used */
  GHashTable *failed;     /* checksum → why its last read failed (the server away): prefetched
                           * again, not looked up again */
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
  g_clear_pointer (&self->failed, g_hash_table_unref);

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
  self->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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

/* Whether @error says the copy itself is unusable (missing, altered, no longer loading), not
 * that the server could not be asked. */
static gboolean
is_lasting (const GError *error)
{
  return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT)
         || g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
}

/* Under the lock: keeps @runbook (nullable) as the copy of @checksum, or why there is none;
 * the first copy kept stays. Returns the copy kept (transfer none) or NULL with *@why set. */
static SitrepRunbook *
keep_locked (SitrepIncidentRunbooks  *self,
             const char              *checksum,
             SitrepRunbook           *runbook,
             const GError            *error,
             char                   **why)
{
  const char *known;
  SitrepRunbook *kept = find_locked (self, checksum, &known);

  if (kept == NULL && known == NULL && runbook != NULL)
    {
      kept = runbook;
      g_hash_table_insert (self->runbooks, g_strdup (checksum), g_object_ref (runbook));
      g_hash_table_remove (self->failed, checksum);
    }
  else if (kept == NULL && known == NULL && is_lasting (error))
    {
      /* Asked once, as the views ask every second. */
      known = error->message;
      g_hash_table_insert (self->unreadable, g_strdup (checksum), g_strdup (known));
      g_hash_table_remove (self->failed, checksum);
    }
  else if (kept == NULL && known == NULL)
    g_hash_table_insert (self->failed, g_strdup (checksum), g_strdup (error->message));
  *why = kept == NULL ? g_strdup (known != NULL ? known : error->message) : NULL;
  return kept;
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
  g_autoptr(SitrepRunbook) own = NULL;
  SitrepRunbook *kept;

  if (checksum == NULL)
    {
      sitrep_store_load_incident_runbook (store, incident, &error);
      *why = g_strdup (error->message);
      return NULL;
    }
  own = sitrep_store_load_incident_runbook (store, incident, &error);
  g_mutex_lock (&self->lock);
  /* Another thread may have read it meanwhile: the first one read is kept. */
  kept = keep_locked (self, checksum, own, error, why);
  g_mutex_unlock (&self->lock);
  return kept;
}

/**
 * sitrep_incident_runbooks_add_declared:
 *
 * Main loop: keeps the runbook @declaration brings with it (an incident declared while the
 * team database was away, which the journal keeps with its runbook), so that the incident is
 * shown with it while the server cannot be asked.
 */
void
sitrep_incident_runbooks_add_declared (SitrepIncidentRunbooks  *self,
                                       const SitrepDeclaration *declaration)
{
  const char *checksum;
  const char *known;
  gboolean have;
  g_autofree char *actual = NULL;
  g_autofree char *why = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SITREP_IS_INCIDENT_RUNBOOKS (self));
  g_return_if_fail (declaration != NULL);

  checksum = declaration->runbook_checksum;
  if (checksum == NULL || declaration->runbook_content == NULL
      || g_str_equal (checksum, sitrep_runbook_get_digest (self->at_hand)))
    return;
  g_mutex_lock (&self->lock);
  have = find_locked (self, checksum, &known) != NULL || known != NULL;
  g_mutex_unlock (&self->lock);
  if (have)
    return;

  /* What is wrong with this computer's copy says nothing of the server's: it is kept as a
   * failed read (not for good), which the next read of the incident from the server mends. */
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, declaration->runbook_content);
  if (!g_str_equal (actual, checksum))
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("the copy of runbook “%s” kept on this computer is altered (the journal was "
                   "changed outside Sitrep): it is read from the team database once that "
                   "answers"),
                 declaration->runbook);
  else
    runbook = sitrep_runbook_load_bytes (declaration->runbook_content,
                                         declaration->runbook_source, NULL, &error);
  if (runbook == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      g_autoptr(GError) loading = g_steal_pointer (&error);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("the copy of runbook “%s” kept with the incident no longer loads: %s"),
                   declaration->runbook, loading->message);
    }
  g_mutex_lock (&self->lock);
  keep_locked (self, checksum, runbook, error, &why);
  g_mutex_unlock (&self->lock);
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
 * bears the name the incident was declared under. A copy never asked for before (by
 * sitrep_incident_runbooks_prefetch()) is read in the call; one whose read failed is not.
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
  /* A read that failed while the server was away is tried again by the next prefetch, on
   * the thread that reads the incident again, never here. */
  if (own == NULL && known == NULL && checksum != NULL)
    known = g_hash_table_lookup (self->failed, checksum);
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
