/* sitrep-incident-manager-kept.c: the manager's incidents declared and changed while the team database is unreachable
 *
 * While the writer keeps changes in the journal there is nothing on the server to reload an
 * incident from: the manager shows its own snapshot, the change made as the store would make it
 * (sitrep-incident-kept.c). An incident declared then has a provisional id; when the replay has
 * written it (SitrepStore::incident-written) its snapshot is replaced by the server's, under
 * the server's id, and stays the current one. Once the journal is written, the open incidents
 * are read again (on the store's reader thread): what the server holds now is what the screen
 * shows.
 *
 * A console that starts while the journal still keeps incidents declared in an earlier run
 * (the server away then, and perhaps now) shows them again from the journal, with the changes
 * kept after them, until the replay writes them.
 */
#include "config.h"

#include "sitrep-incident-kept.h"
#include "sitrep-incident-manager-private.h"
#include "sitrep-incident-runbooks.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-kept.h"

static void
incident_written_cb (SitrepStore           *store,
                     gint64                 local_id,
                     SitrepIncident        *incident,
                     SitrepIncidentManager *self)
{
  _sitrep_incident_manager_replace (self, local_id, incident);
}

static void
journal_replayed_cb (SitrepStore           *store,
                     guint                  n_written,
                     SitrepIncidentManager *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SitrepIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);
      gint64 id = sitrep_incident_get_id (incident);

      if (id > 0 && sitrep_incident_get_status (incident) != SITREP_STATUS_RESOLVED)
        g_array_append_val (open, id);
    }
  /* On the reader thread: the server that just came back may stall again. */
  for (guint i = 0; i < open->len; i++)
    _sitrep_incident_manager_refresh (self, g_array_index (open, gint64, i));
}

void
_sitrep_incident_manager_follow_journal (SitrepIncidentManager *self)
{
  g_signal_connect (self->store, "incident-written", G_CALLBACK (incident_written_cb), self);
  g_signal_connect (self->store, "journal-replayed", G_CALLBACK (journal_replayed_cb), self);
}

/* The callback of a declaration the journal keeps: the incident, current, under @local_id. */
void
_sitrep_incident_manager_keep_declared (SitrepIncidentManager   *self,
                                        const SitrepDeclaration *declaration,
                                        gint64                   local_id)
{
  g_autoptr(SitrepIncident) incident = sitrep_incident_kept_new (declaration, local_id);

  sitrep_incident_runbooks_add_declared (self->runbooks, declaration);
  _sitrep_incident_manager_stamp (incident);
  _sitrep_incident_manager_replace (self, local_id, incident);
  sitrep_incident_manager_set_current (self, local_id);
}

/* The callback of a change the journal keeps: the snapshot with the change made. */
void
_sitrep_incident_manager_keep_change (SitrepIncidentManager *self,
                                      gint64                 id,
                                      const char            *kind,
                                      JsonObject            *body)
{
  SitrepIncident *incident = sitrep_incident_manager_find (self, id);
  g_autoptr(SitrepIncident) changed = NULL;

  if (incident == NULL)
    return;
  changed = sitrep_incident_kept_with_change (incident, kind, body);
  if (changed == incident)
    return;
  /* Newer than any read queued before the change, which lacks it. */
  _sitrep_incident_manager_stamp (changed);
  _sitrep_incident_manager_replace (self, sitrep_incident_get_id (incident), changed);
}

/* Shows an incident the journal keeps from an earlier run, declared under @id. */
static gboolean
restore_declared (SitrepIncidentManager *self,
                  gint64                 id,
                  JsonObject            *body)
{
  JsonNode *node = json_object_get_member (body, "declaration");
  g_autoptr(SitrepDeclaration) declaration = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GError) error = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  declaration = sitrep_declaration_from_json (json_node_get_object (node), &error);
  if (declaration == NULL)
    {
      g_message ("Cannot show an incident kept on this computer: %s", error->message);
      return FALSE;
    }
  incident = sitrep_incident_kept_new (declaration, id);
  /* Declared under a runbook this console may not have open: shown with the copy the
   * journal keeps, since the server cannot be asked for it. */
  sitrep_incident_runbooks_add_declared (self->runbooks, declaration);
  _sitrep_incident_manager_stamp (incident);
  _sitrep_incident_manager_replace (self, id, incident);
  return TRUE;
}

static void
kept_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SitrepIncidentManager) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = sitrep_store_list_kept_finish (SITREP_STORE (source), result,
                                                               &error);
  g_autoptr(GArray) restored = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 newest = 0;

  if (changes == NULL)
    {
      g_message ("Cannot read the changes kept on this computer: %s", error->message);
      return;
    }
  /* Disposed meanwhile: nobody to show them to. */
  if (self->store == NULL)
    return;
  for (guint i = 0; i < changes->len; i++)
    {
      SitrepKeptChange *change = changes->pdata[i];
      g_autoptr(JsonNode) node = NULL;
      gboolean known = FALSE;

      /* Only incidents declared while away; one the replay has written since the journal
       * was read is shown under the server's id already. */
      if (change->incident >= 0 || change->body == NULL
          || sitrep_store_journal_team_id (change->incident) != change->incident)
        continue;
      node = json_from_string (change->body, NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      for (guint k = 0; k < restored->len && !known; k++)
        known = g_array_index (restored, gint64, k) == change->incident;
      if (g_str_equal (change->kind, "declare"))
        {
          /* Declared in this run: shown, with its changes, already. */
          if (known || sitrep_incident_manager_find (self, change->incident) != NULL
              || !restore_declared (self, change->incident, json_node_get_object (node)))
            continue;
          g_array_append_val (restored, change->incident);
          newest = change->incident;
        }
      else if (known)
        _sitrep_incident_manager_keep_change (self, change->incident, change->kind,
                                              json_node_get_object (node));
    }
  if (self->current == NULL && newest != 0)
    sitrep_incident_manager_set_current (self, newest);
}

/* On a team database, at start: the incidents the journal keeps from an earlier run, read on
 * a thread. */
void
_sitrep_incident_manager_restore_kept (SitrepIncidentManager *self)
{
  sitrep_store_list_kept_async (self->store, NULL, kept_listed_cb, g_object_ref (self));
}
