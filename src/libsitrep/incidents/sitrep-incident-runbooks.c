/* sitrep-incident-runbooks.c: the runbook each incident is shown with, read from the store once
 *
 * An incident keeps a copy of the runbook it was declared under; this object reads each copy
 * from the store once, good or bad (views ask every second), and falls back on the runbook at
 * hand for an incident recorded before copies were kept, or whose copy is damaged. The incident
 * manager and the headless verbs share it, so both show an incident with the same runbook.
 */
#include "config.h"

#include "sitrep-incident-runbooks.h"

struct _SitrepIncidentRunbooks
{
  GObject parent_instance;

  SitrepStore *store;
  SitrepRunbook *at_hand;
  GHashTable *runbooks;   /* checksum → SitrepRunbook: the copies read so far */
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
sitrep_incident_runbooks_class_init (SitrepIncidentRunbooksClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sitrep_incident_runbooks_dispose;
}

static void
sitrep_incident_runbooks_init (SitrepIncidentRunbooks *self)
{
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

/**
 * sitrep_incident_runbooks_lookup:
 * @kind: (out): which runbook is returned
 * @why: (out) (optional): for a fallback, why the incident's own copy is not used
 *
 * The runbook to show @incident with: the copy kept with it; or, for an incident recorded
 * before copies were kept (or whose copy was damaged), the runbook at hand, and whether it
 * bears the name the incident was declared under.
 *
 * Returns: (transfer none): the runbook, valid as long as @self; never %NULL
 */
SitrepRunbook *
sitrep_incident_runbooks_lookup (SitrepIncidentRunbooks    *self,
                                 SitrepIncident            *incident,
                                 SitrepIncidentRunbookKind *kind,
                                 char                     **why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) own = NULL;
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
  if (checksum != NULL && g_hash_table_contains (self->runbooks, checksum))
    {
      *kind = SITREP_INCIDENT_RUNBOOK_OWN;
      return g_hash_table_lookup (self->runbooks, checksum);
    }

  known = checksum != NULL ? g_hash_table_lookup (self->unreadable, checksum) : NULL;
  if (known == NULL)
    {
      own = sitrep_store_load_incident_runbook (self->store, incident, &error);
      if (own != NULL)
        {
          *kind = SITREP_INCIDENT_RUNBOOK_OWN;
          g_hash_table_insert (self->runbooks, g_strdup (checksum), g_object_ref (own));
          return own;
        }
      /* An incident without a copy has no checksum: it is asked about again, cheaply. */
      known = error->message;
      if (checksum != NULL)
        g_hash_table_insert (self->unreadable, g_strdup (checksum), g_strdup (error->message));
    }

  *kind = g_strcmp0 (sitrep_incident_get_runbook_name (incident),
                     sitrep_runbook_get_name (self->at_hand)) == 0
            ? SITREP_INCIDENT_RUNBOOK_AT_HAND
            : SITREP_INCIDENT_RUNBOOK_MISMATCH;
  if (why != NULL)
    *why = g_strdup (known);
  return self->at_hand;
}
