/* sitrep-incident-manager-writes.c: the commander's changes, made on the store's writer thread
 *
 * Declaring, severity, status, checklist ticks, escalation answers, "update sent", the channel's
 * name and the clocks' checks are queued on the store's writer thread (sitrep-store-writer.c):
 * the main loop never waits for their commit, nor for another process holding the database's
 * lock. They are made in the order they were asked for, each its own durable transaction; the
 * incident is reloaded from the store when the callback comes, so what the screen shows as done
 * is what a restart would show.
 *
 * A change checks the incident's revision against the one the commander saw (another window
 * may have changed it meanwhile). When the commander asks for a second change before the first
 * is written, the second is checked against the incident as this console's first change left
 * it, not against the older snapshot on screen: the writer thread keeps that state per
 * incident (a chain) for as long as changes of it are queued. A change that is not saved
 * after all (its COMMIT failed, or it went to a team database's journal) takes that state with
 * it: the next change reads the incident from the store again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-kept.h"
#include "sitrep-incident-manager-private.h"
#include "sitrep-incident-status.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-writer.h"

/* The changes of one incident queued on the writer thread. */
typedef struct
{
  gatomicrefcount ref_count;
  guint pending;            /* main thread only */
  SitrepIncident *latest;   /* writer thread only: as this console's last change left it */
  gboolean reread;          /* writer thread only: a change was lost, latest with it: the next
                             * one starts from the incident as the store has it */
} Chain;

static Chain *
chain_ref (Chain *chain)
{
  g_atomic_ref_count_inc (&chain->ref_count);
  return chain;
}

static void
chain_unref (Chain *chain)
{
  if (g_atomic_ref_count_dec (&chain->ref_count))
    {
      g_clear_object (&chain->latest);
      g_free (chain);
    }
}

/* Everything the writer thread needs, copied or referenced: it touches nothing the main
 * thread changes (snapshots of incidents and the runbook are not changed once made). */
typedef struct
{
  SitrepChangeKind kind;
  gint64 id;                /* declaring: the server's, filled on the thread */
  gint64 local_id;          /* declaring: the provisional id, should the journal keep it */
  Chain *chain;
  SitrepIncident *seen;     /* the snapshot the commander saw */
  SitrepRunbook *runbook;
  SitrepDeclaration *declaration;
  char *text;               /* the severity, the item's id or the channel */
  char *item_text;
  SitrepIncidentStatus stage;
  char *status_id;
  char *status_label;
  gboolean flag;            /* done; escalated */
  guint step;
  gint64 due_at;
  char *fields;             /* JSON text: a JsonObject is not shared between threads */
  gint64 at;
  char *author;
  SitrepIncident *stored;   /* on a team database: read on the writer thread after the change */
} Change;

static void
change_free (Change *change)
{
  g_clear_pointer (&change->chain, chain_unref);
  g_clear_object (&change->seen);
  g_clear_object (&change->runbook);
  g_clear_pointer (&change->declaration, sitrep_declaration_free);
  g_free (change->text);
  g_free (change->item_text);
  g_free (change->status_id);
  g_free (change->status_label);
  g_free (change->fields);
  g_free (change->author);
  g_clear_object (&change->stored);
  g_free (change);
}

/* On the writer thread: the change that set chain->latest was not saved (its COMMIT failed,
 * or it went to the journal), so latest is what the store never had. */
static void
forget_latest (gpointer data)
{
  Chain *chain = data;

  g_clear_object (&chain->latest);
  chain->reread = TRUE;
}

/* On the writer thread: asks @store for @change, starting from @base, the incident with the
 * server's @id, with its escalation @fields parsed. */
static gboolean
ask_store (SitrepStore     *store,
           Change          *change,
           SitrepIncident  *base,
           gint64           id,
           JsonNode        *fields,
           GError         **error)
{
  SitrepChange asked = {
    .kind = change->kind,
    .id = id,
    .declaration = change->declaration,
    .base = base,
    .text = change->text,
    .item_text = change->item_text,
    .stage = change->stage,
    .status_id = change->status_id,
    .old_label = change->status_id ? sitrep_incident_get_status_label (base, change->runbook)
                                   : NULL,
    .new_label = change->status_label,
    .flag = change->flag,
    .step = change->step,
    .due_at = change->due_at,
    .fields = fields ? json_node_get_object (fields) : NULL,
    .at = change->at,
    .author = change->author,
  };

  gboolean ok = _sitrep_change_apply (store, &asked, error);

  if (change->kind == SITREP_CHANGE_DECLARE)
    change->id = asked.id;
  return ok;
}

/* On the writer thread, with its own connection. */
static gboolean
write_change (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  Change *change = data;
  SitrepIncident *base = change->chain && change->chain->latest ? change->chain->latest
                                                                : change->seen;
  g_autoptr(SitrepIncident) head = NULL;
  g_autoptr(JsonNode) fields = NULL;
  /* An incident declared while away and written since: the server's id. */
  gint64 id = sitrep_store_journal_team_id (change->id);
  gboolean ok = FALSE;

  if (change->fields != NULL && (fields = json_from_string (change->fields, error)) == NULL)
    return FALSE;
  /* Read again: the chain's last change was not saved, or the snapshot is the console's own
   * of an incident declared while away (sitrep-incident-kept.c). */
  if (change->kind != SITREP_CHANGE_DECLARE
      && ((change->chain != NULL && change->chain->reread)
          || (base != NULL && sitrep_incident_get_id (base) < 0)))
    {
      head = sitrep_store_load_incident (store, id, error);
      if (head == NULL)
        return FALSE;
      base = head;
    }

  ok = ask_store (store, change, base, id, fields, error);

  if (ok && change->chain != NULL)
    {
      SitrepIncident *latest = sitrep_store_load_incident (store, id, NULL);

      if (latest != NULL)
        {
          g_clear_object (&change->chain->latest);
          change->chain->latest = latest;
          change->chain->reread = FALSE;
          sitrep_store_write_if_lost (forget_latest, change->chain);
        }
    }
  /* What the screen then shows, read here on a team database: the main loop must not wait on
   * the network for it. After a failure too, since the snapshot may be old. */
  if (sitrep_store_is_shared (store) && change->id > 0)
    {
      g_clear_object (&change->stored);
      /* Its runbook was read when it was listed or declared here. */
      change->stored = _sitrep_incident_manager_load (store, NULL, change->id, NULL);
    }
  return ok;
}

/* Shows the incident as the change left it: on a team database as the writer thread read it
 * (or, when that read failed, once the reader thread has); on a file read here. */
static gboolean
show_stored (SitrepIncidentManager *self,
             Change                *change,
             gboolean               ok,
             GError               **error)
{
  if (!sitrep_store_is_shared (self->store))
    return _sitrep_incident_manager_reload (self, change->id, error) != NULL;
  /* A change that did not commit may have been read before its COMMIT failed. */
  if (ok && change->stored != NULL)
    _sitrep_incident_manager_show (self, change->stored);
  else
    _sitrep_incident_manager_refresh (self, change->id);
  return TRUE;
}

/* What a team database's journal keeps of a change while the server is unreachable
 * (sitrep-store-journal.c replays it); NULL for a change it does not keep. */
static JsonObject *
journal_body (Change      *change,
              const char **kind)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "incident", change->id);
  json_object_set_int_member (body, "at", change->at);
  json_object_set_string_member (body, "author", change->author);
  switch (change->kind)
    {
    case SITREP_CHANGE_DECLARE:
      /* The changes kept after it name its provisional id; the replay learns the server's. */
      *kind = "declare";
      json_object_set_int_member (body, "incident", change->local_id);
      json_object_set_int_member (body, "at", change->declaration->at);
      json_object_set_string_member (body, "author", change->declaration->lead);
      json_object_set_object_member (body, "declaration",
                                     sitrep_declaration_to_json (change->declaration));
      return body;
    case SITREP_CHANGE_ESCALATION:
      *kind = "escalation";
      json_object_set_int_member (body, "step", change->step);
      json_object_set_int_member (body, "due_at", change->due_at);
      json_object_set_boolean_member (body, "escalated", change->flag);
      if (change->fields != NULL)
      {
        g_autoptr(JsonNode) fields = json_from_string (change->fields, NULL);

        if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
          json_object_set_object_member (body, "fields",
                                         json_object_ref (json_node_get_object (fields)));
      }
      return body;
    case SITREP_CHANGE_ITEM:
      *kind = "item";
      json_object_set_string_member (body, "item", change->text);
      json_object_set_string_member (body, "item_text", change->item_text);
      json_object_set_boolean_member (body, "done", change->flag);
      return body;
    case SITREP_CHANGE_STATUS:
      *kind = "status";
      json_object_set_int_member (body, "stage", change->stage);
      json_object_set_string_member (body, "status_id", change->status_id);
      json_object_set_string_member (body, "status_label", change->status_label);
      if (change->status_id != NULL)
        json_object_set_string_member (body, "old_label",
                                       sitrep_incident_get_status_label (change->seen,
                                                                         change->runbook));
      return body;
    case SITREP_CHANGE_SEVERITY:
      *kind = "severity";
      json_object_set_string_member (body, "severity", change->text);
      return body;
    case SITREP_CHANGE_UPDATE_SENT:
      *kind = "update-sent";
      return body;
    case SITREP_CHANGE_CHANNEL:
      *kind = "channel";
      json_object_set_string_member (body, "channel", change->text);
      return body;
    default:
      json_object_unref (body);
      return NULL;
    }
}

/* On the main thread, when the change is written or has failed. */
static void
change_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepIncidentManager *self = g_task_get_source_object (task);
  Change *change = sitrep_store_write_get_data (result);
  g_autoptr(GError) error = NULL;
  gboolean ok = sitrep_store_write_finish (SITREP_STORE (source), result, &error);

  if (change->chain != NULL && --change->chain->pending == 0 && self->chains != NULL)
    g_hash_table_remove (self->chains, &change->id);

  if (self->store == NULL)
    {
      /* Disposed meanwhile: the change is stored (or not), nobody shows it. */
      if (ok)
        g_task_return_int (task, change->id);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Declared while the team database is away: shown under its provisional id. */
  if (change->kind == SITREP_CHANGE_DECLARE && ok && sitrep_store_write_was_journaled (result))
    {
      _sitrep_incident_manager_keep_declared (self, change->declaration, change->local_id);
      g_task_return_int (task, change->local_id);
      return;
    }
  if (change->kind == SITREP_CHANGE_DECLARE)
    {
      if (!ok || !show_stored (self, change, TRUE, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      sitrep_incident_manager_set_current (self, change->id);
      _sitrep_incident_manager_check_in_background (self);
      g_task_return_int (task, change->id);
      return;
    }

  /* Kept in the journal until the team database is back: there is nothing to reload from,
   * the console's snapshot shows the change. */
  if (ok && sitrep_store_write_was_journaled (result))
    {
      const char *kind = NULL;
      g_autoptr(JsonObject) body = journal_body (change, &kind);

      if (body != NULL)
        _sitrep_incident_manager_keep_change (self, change->id, kind, body);
      g_task_return_int (task, change->id);
      return;
    }

  /* Failed or not, the screen shows what is stored: a refused change shows it undone. */
  if (ok)
    {
      if (!show_stored (self, change, TRUE, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_int (task, change->id);
    }
  else
    {
      show_stored (self, change, FALSE, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

static Change *
change_new (SitrepIncidentManager *self,
            SitrepChangeKind       kind,
            SitrepIncident        *incident,
            const char            *author)
{
  Change *change = g_new0 (Change, 1);

  change->kind = kind;
  change->at = sitrep_clock_now (self->clock);
  change->author = g_strdup (author);
  if (incident != NULL)
    {
      Chain *chain;

      change->id = sitrep_incident_get_id (incident);
      change->seen = g_object_ref (incident);
      change->runbook = g_object_ref (sitrep_incident_manager_get_runbook_for (self, incident));
      if (self->chains == NULL)
        self->chains = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) chain_unref);
      chain = g_hash_table_lookup (self->chains, &change->id);
      if (chain == NULL)
        {
          chain = g_new0 (Chain, 1);
          g_atomic_ref_count_init (&chain->ref_count);
          g_hash_table_insert (self->chains, g_memdup2 (&change->id, sizeof (gint64)), chain);
        }
      chain->pending++;
      change->chain = chain_ref (chain);
    }
  return change;
}

static void
queue (SitrepIncidentManager *self,
       Change                *change,
       GTask                 *task)
{
  const char *kind = NULL;
  g_autoptr(JsonObject) body = journal_body (change, &kind);

  if (body != NULL)
    sitrep_store_write_journaled_async (self->store, write_change, change,
                                        (GDestroyNotify) change_free, kind, body, NULL,
                                        change_written_cb, g_object_ref (task));
  else
    sitrep_store_write_async (self->store, write_change, change, (GDestroyNotify) change_free,
                              NULL, change_written_cb, g_object_ref (task));
}

static GTask *
task_new (SitrepIncidentManager *self,
          GCancellable          *cancellable,
          GAsyncReadyCallback    callback,
          gpointer               user_data,
          gpointer               source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* A queued change is always made, and its callback always says how it went. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

static SitrepIncident *
find_or_fail (SitrepIncidentManager *self,
              gint64                 id,
              GTask                 *task)
{
  SitrepIncident *incident = sitrep_incident_manager_find (self, id);

  if (incident == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("There is no incident %s in this database."), number);
    }
  return incident;
}

/**
 * sitrep_incident_manager_declare_async:
 *
 * sitrep_incident_manager_declare() without waiting on the store: what was typed is checked
 * at once (the callback reports it), the incident is written on the store's writer thread and
 * becomes the current one when the callback comes.
 */
void
sitrep_incident_manager_declare_async (SitrepIncidentManager *self,
                                       const char            *severity,
                                       const char            *summary,
                                       const char            *impact,
                                       const char            *lead,
                                       const char            *channel,
                                       const char *const     *services,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SitrepDeclaration *declaration;
  Change *change;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data, sitrep_incident_manager_declare_async);
  declaration = sitrep_declaration_new (self->runbook, severity, summary, impact, lead, channel,
                                        services, sitrep_clock_now (self->clock), &error);
  if (declaration == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  change = change_new (self, SITREP_CHANGE_DECLARE, NULL, NULL);
  change->declaration = declaration;
  change->local_id = sitrep_incident_kept_new_id ();
  queue (self, change, task);
}

/* Returns: the new incident's id (a provisional one below -1 when the journal keeps the
 * declaration: sitrep-incident-kept.c), or -1 with @error set */
gint64
sitrep_incident_manager_declare_finish (SitrepIncidentManager *self,
                                        GAsyncResult          *result,
                                        GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/**
 * sitrep_incident_manager_change_finish:
 *
 * Finishes any of the manager's `_async` changes but declaring. On failure the incident was
 * reloaded: the screen shows what is stored, and @error says what was not saved and why.
 */
gboolean
sitrep_incident_manager_change_finish (SitrepIncidentManager *self,
                                       GAsyncResult          *result,
                                       GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  /* An incident declared while away has an id below zero. */
  g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

void
sitrep_incident_manager_set_severity_async (SitrepIncidentManager *self,
                                            gint64                 id,
                                            const char            *severity,
                                            const char            *author,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  SitrepIncident *incident;
  Change *change;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data,
                   sitrep_incident_manager_set_severity_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  if (sitrep_runbook_find_severity (sitrep_incident_manager_get_runbook_for (self, incident),
                                    severity) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The runbook defines no severity \"%s\"."), severity);
      return;
    }
  change = change_new (self, SITREP_CHANGE_SEVERITY, incident, author);
  change->text = g_strdup (severity);
  queue (self, change, task);
}

static void
queue_status (SitrepIncidentManager    *self,
              SitrepIncident           *incident,
              const SitrepStatusChoice *to,
              const char               *author,
              GTask                    *task)
{
  Change *change = change_new (self, SITREP_CHANGE_STATUS, incident, author);

  change->stage = to->stage;
  change->status_id = g_strdup (to->id);
  change->status_label = to->id ? g_strdup (to->label) : NULL;
  queue (self, change, task);
}

/* sitrep_incident_manager_set_status() on the writer thread. */
void
sitrep_incident_manager_set_status_async (SitrepIncidentManager *self,
                                          gint64                 id,
                                          SitrepIncidentStatus   status,
                                          const char            *author,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  SitrepIncident *incident;
  SitrepStatusChoice to = { status, NULL, NULL };

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data,
                   sitrep_incident_manager_set_status_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  if (!sitrep_incident_status_for_stage (sitrep_incident_manager_get_runbook_for (self, incident),
                                         status, &to))
    {
      g_autofree char *known =
        sitrep_incident_status_list (sitrep_incident_manager_get_runbook_for (self, incident));

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("This runbook has no status that counts as %s: give one of %s."),
                               sitrep_incident_status_to_string (status), known);
      return;
    }
  queue_status (self, incident, &to, author, task);
}

/* sitrep_incident_manager_set_status_id() on the writer thread. */
void
sitrep_incident_manager_set_status_id_async (SitrepIncidentManager *self,
                                             gint64                 id,
                                             const char            *status,
                                             const char            *author,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SitrepIncident *incident;
  SitrepStatusChoice to;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data,
                   sitrep_incident_manager_set_status_id_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  if (!sitrep_incident_status_parse (sitrep_incident_manager_get_runbook_for (self, incident),
                                     status, &to, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  queue_status (self, incident, &to, author, task);
}

/* sitrep_incident_manager_set_item() on the writer thread. */
void
sitrep_incident_manager_set_item_async (SitrepIncidentManager *self,
                                        gint64                 id,
                                        const char            *item_id,
                                        gboolean               done,
                                        const char            *author,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const SitrepChecklistItem *item;
  SitrepIncident *incident;
  Change *change;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data, sitrep_incident_manager_set_item_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  item = _sitrep_incident_manager_check_item (self, incident, item_id, &error);
  if (item == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  change = change_new (self, SITREP_CHANGE_ITEM, incident, author);
  change->text = g_strdup (item_id);
  change->item_text = g_strdup (item->text);
  change->flag = done;
  queue (self, change, task);
}

/* sitrep_incident_manager_answer_escalation() on the writer thread. */
void
sitrep_incident_manager_answer_escalation_async (SitrepIncidentManager *self,
                                                 gint64                 id,
                                                 guint                  step,
                                                 gboolean               escalated,
                                                 const char            *author,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *fields;
  SitrepIncident *incident;
  Change *change;
  gint64 due_at;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data,
                   sitrep_incident_manager_answer_escalation_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  fields = _sitrep_incident_manager_escalation_answer (self, incident, step, escalated, &due_at,
                                                       &error);
  if (fields == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  node = json_node_init_object (json_node_alloc (), fields);
  json_object_unref (fields);
  change = change_new (self, SITREP_CHANGE_ESCALATION, incident, author);
  change->step = step;
  change->flag = escalated;
  change->due_at = due_at;
  change->fields = json_to_string (node, FALSE);
  queue (self, change, task);
}

/* sitrep_incident_manager_update_sent() on the writer thread. */
void
sitrep_incident_manager_update_sent_async (SitrepIncidentManager *self,
                                           gint64                 id,
                                           const char            *author,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  SitrepIncident *incident;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));

  task = task_new (self, cancellable, callback, user_data,
                   sitrep_incident_manager_update_sent_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  queue (self, change_new (self, SITREP_CHANGE_UPDATE_SENT, incident, author), task);
}

/* sitrep_incident_manager_set_channel() on the writer thread; an emptied name keeps the one
 * the incident has. */
void
sitrep_incident_manager_set_channel_async (SitrepIncidentManager *self,
                                           gint64                 id,
                                           const char            *channel,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *clean = NULL;
  SitrepIncident *incident;
  Change *change;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));
  g_return_if_fail (channel != NULL);

  task = task_new (self, cancellable, callback, user_data,
                   sitrep_incident_manager_set_channel_async);
  if ((incident = find_or_fail (self, id, task)) == NULL)
    return;
  clean = g_strstrip (g_strdup (channel));
  if (*clean == '\0')
    {
      g_task_return_int (task, id);
      return;
    }
  change = change_new (self, SITREP_CHANGE_CHANNEL, incident, NULL);
  change->text = g_steal_pointer (&clean);
  queue (self, change, task);
}
