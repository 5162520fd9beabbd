/* sitrep-store-kept.c: the changes a team database's journal keeps on this computer, listed for a person to read
 *
 * The window's banner counts the changes kept while the team database is unreachable; this
 * lists them, oldest first, each with when it was kept, its incident and what it is, in words.
 * The journal is a SQLite file the writer thread appends to (sitrep-store-journal.c): it is
 * read here on a thread of its own, with a connection of its own (the file is in WAL mode, so
 * the writer is not held), and a journal not made yet is an empty list.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-kept.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-private.h"

void
sitrep_kept_change_free (SitrepKeptChange *change)
{
  if (change == NULL)
    return;
  g_free (change->kind);
  g_free (change->what);
  g_free (change->change_id);
  g_free (change->text);
  g_free (change->author);
  g_free (change->note);
  g_free (change->body);
  g_free (change);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* What the change is, in a person's words. */
static char *
describe (const char *kind,
          JsonObject *body)
{
  if (g_str_equal (kind, "declare"))
    {
      JsonObject *declaration = sitrep_json_object (body, "declaration");
      const char *summary = declaration ? sitrep_json_string (declaration, "summary") : NULL;

      /* Translators: a change kept while the team database is away; %s is the summary */
      return g_strdup_printf (_("Declared “%s”"), summary ? summary : "");
    }
  if (g_str_equal (kind, "note"))
    /* Translators: a note kept while the team database is away; %s is its text */
    return g_strdup_printf (_("Note “%s”"), or_empty (sitrep_json_string (body, "text")));
  if (g_str_equal (kind, "note-edit"))
    /* Translators: a kept note's edit; %s is the note's new text */
    return g_strdup_printf (_("Note edited to “%s”"),
                            or_empty (sitrep_json_string (body, "text")));
  if (g_str_equal (kind, SITREP_STORE_EVENT_CHANGE_KIND))
    {
      const char *change = sitrep_json_string (body, "change");
      const char *text = or_empty (sitrep_json_string (body, "text"));

      if (g_strcmp0 (change, "edit") == 0)
        return g_strdup_printf (_("Note edited to “%s”"), text);
      if (g_strcmp0 (change, "delete") == 0)
        return g_strdup (_("Note deleted"));
      if (g_strcmp0 (change, "annotate") == 0 && *text == '\0')
        return g_strdup (_("Annotation removed"));
      if (g_strcmp0 (change, "annotate") == 0)
        /* Translators: an annotation kept while the team database is away; %s is its text */
        return g_strdup_printf (_("Event annotated “%s”"), text);
      if (g_strcmp0 (change, "move-start") == 0)
        return g_strdup (_("Start of impact moved earlier"));
      if (g_strcmp0 (change, "star") == 0)
        return g_strdup (sitrep_json_boolean (body, "starred", FALSE) ? _("Event starred")
                                                                      : _("Star removed"));
    }
  if (g_str_equal (kind, "item"))
    {
      const char *text = sitrep_json_string (body, "item_text");

      if (text == NULL)
        text = sitrep_json_string (body, "item");
      /* Translators: %s is a checklist item's text */
      return g_strdup_printf (sitrep_json_boolean (body, "done", FALSE)
                                ? _("Ticked “%s”")
                                : _("Unticked “%s”"),
                              text ? text : "");
    }
  if (g_str_equal (kind, "status"))
    {
      const char *label = sitrep_json_string (body, "status_label");

      if (label == NULL)
        label = sitrep_incident_status_get_label (
          (SitrepIncidentStatus) sitrep_json_int (body, "stage"));
      /* Translators: %s is a status, "Mitigated" */
      return g_strdup_printf (_("Status set to %s"), label);
    }
  if (g_str_equal (kind, "severity"))
    /* Translators: %s is a severity, "SEV-1" */
    return g_strdup_printf (_("Severity set to %s"),
                            or_empty (sitrep_json_string (body, "severity")));
  if (g_str_equal (kind, "update-sent"))
    return g_strdup (_("Status update marked as sent"));
  if (g_str_equal (kind, "channel"))
    /* Translators: %s is the incident's chat channel, "#inc-checkout" */
    return g_strdup_printf (_("Channel set to %s"),
                            or_empty (sitrep_json_string (body, "channel")));
  if (g_str_equal (kind, "escalation"))
    {
      guint step = (guint) sitrep_json_int (body, "step") + 1;

      /* Translators: %u is the escalation path's step, counted from 1 */
      return g_strdup_printf (sitrep_json_boolean (body, "escalated", FALSE)
                                ? _("Escalated (step %u)")
                                : _("Escalation not needed (step %u)"),
                              step);
    }
  if (g_str_equal (kind, SITREP_STORE_MESSAGE_KIND))
    {
      const char *title = sitrep_json_string (body, "title");

      if (title == NULL)
        title = sitrep_json_string (body, "template");
      /* Translators: a message copied to the chat while the team database is away; %s is its
       * template's title, "Status update" */
      return g_strdup_printf (_("Message “%s” copied"), or_empty (title));
    }
  if (g_str_equal (kind, SITREP_STORE_MESSAGE_MARK_KIND))
    {
      SitrepWebhookState state = SITREP_WEBHOOK_STATE_NONE;

      if (!sitrep_webhook_state_from_string (sitrep_json_string (body, "state"), &state))
        state = SITREP_WEBHOOK_STATE_NONE;
      /* Translators: %s is a chat message's state with the webhook, "Sent" */
      return g_strdup_printf (_("A chat message marked “%s”"),
                              sitrep_webhook_state_get_label (state));
    }
  if (g_str_equal (kind, "event"))
    return g_strdup (_("An event on the timeline"));
  if (g_str_equal (kind, "health"))
    return g_strdup (_("Services’ health"));
  if (g_str_equal (kind, "audit"))
    return g_strdup (_("A record of the audit log"));
  /* Translators: %s is a kind of change this Sitrep does not know */
  return g_strdup_printf (_("A change of kind “%s”"), kind);
}

static void
add_change_cb (const char *change_id,
               const char *kind,
               const char *body,
               gint64      at,
               const char *reason,
               gpointer    data)
{
  GPtrArray *changes = data;
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                         ? json_node_get_object (node)
                         : NULL;
  g_autoptr(JsonObject) empty = json_object_new ();
  SitrepKeptChange *change = g_new0 (SitrepKeptChange, 1);

  change->at = at;
  change->kind = g_strdup (kind);
  change->incident = object ? sitrep_json_int (object, "incident") : 0;
  change->what = describe (kind, object ? object : empty);
  change->change_id = g_strdup (change_id);
  change->body = g_strdup (body);
  if (object != NULL && (g_str_equal (kind, "note") || g_str_equal (kind, "note-edit")))
    {
      change->text = g_strdup (sitrep_json_string (object, "text"));
      change->author = g_strdup (sitrep_json_string (object, "author"));
      change->note = g_strdup (sitrep_json_string (object, "note"));
    }
  /* A note's edit kept after it: the note as it will be written. */
  for (guint i = 0; change->note != NULL && i < changes->len; i++)
    {
      SitrepKeptChange *note = changes->pdata[i];

      if (g_strcmp0 (note->change_id, change->note) == 0)
        {
          g_free (note->text);
          note->text = g_strdup (change->text);
        }
    }
  g_ptr_array_add (changes, change);
}

static void
list_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   sitrep_kept_change_free);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  GError *error = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      journal = sitrep_store_journal_open (path, &error);
      if (journal == NULL
          || !sitrep_store_journal_foreach (journal, FALSE, add_change_cb, changes, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&changes), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sitrep_store_list_kept_async:
 *
 * Lists the changes the journal of @self, a team database, keeps on this computer, on a
 * thread: the main loop does not wait on the file.
 */
void
sitrep_store_list_kept_async (SitrepStore         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SITREP_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_store_list_kept_async);
  if (!sitrep_store_is_shared (self))
    {
      g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  g_task_set_task_data (task,
                        self->journal_path != NULL
                          ? g_strdup (self->journal_path)
                          : sitrep_store_journal_default_path (sitrep_store_get_path (self)),
                        g_free);
  g_task_run_in_thread (task, list_in_thread);
}

/* Returns: (transfer full) (element-type SitrepKeptChange): the changes, oldest first, or
 * NULL with @error set */
GPtrArray *
sitrep_store_list_kept_finish (SitrepStore   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
