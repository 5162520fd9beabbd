/* sitrep-postmortem-editor-save.c: the post-mortem saved while the person goes on typing
 *
 * A save collects what the editor shows and hands it to the store's writer thread, which merges
 * it with what another console saved meanwhile (sitrep_store_save_postmortem()). When it comes
 * back, new action items take their ids, and what the other console changed is shown where the
 * person left the text as it was sent (sitrep-postmortem-editor-conflict.c). Save pressed again
 * meanwhile saves once more when the first is done.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-postmortem-editor-private.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-writer.h"

/* A save as the store's writer thread makes it: plain data, no object of this thread. */
typedef struct
{
  gint64 incident_id;
  SitrepPostmortemFields *base;
  SitrepPostmortemFields *fields;  /* as sent */
  SitrepPostmortemFields *merged;  /* as saved, merged with another console's */
  GPtrArray *base_items;
  GPtrArray *items;                /* as sent; the new ones get their ids */
  GPtrArray *saved;                /* the action items as stored after the save */
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_pointer (&save->base, sitrep_postmortem_fields_free);
  g_clear_pointer (&save->fields, sitrep_postmortem_fields_free);
  g_clear_pointer (&save->merged, sitrep_postmortem_fields_free);
  g_clear_pointer (&save->base_items, g_ptr_array_unref);
  g_clear_pointer (&save->items, g_ptr_array_unref);
  g_clear_pointer (&save->saved, g_ptr_array_unref);
  g_free (save);
}

static gboolean
save_func (SitrepStore *store,
           gpointer     data,
           GError     **error)
{
  SaveData *save = data;

  /* The store merges into what it is given: a save run again (busy) starts from what was sent,
   * not from the first try's merge. */
  g_clear_pointer (&save->saved, g_ptr_array_unref);
  g_clear_pointer (&save->merged, sitrep_postmortem_fields_free);
  save->merged = sitrep_postmortem_fields_copy (save->fields);
  return sitrep_store_save_postmortem (store, save->incident_id, save->base, save->merged,
                                       save->base_items, save->items, &save->saved, error);
}

/* What the editor sent, to tell what the person typed while the save was under way. */
typedef struct
{
  SitrepPostmortemEditor *self;
  SitrepPostmortemFields *sent;
  GPtrArray *shown; /* SitrepPostmortemItem, of each item sent */
  GPtrArray *tasks; /* GTask, of each save this one makes */
} SaveState;

static void
save_state_free (SaveState *state)
{
  g_object_unref (state->self);
  sitrep_postmortem_fields_free (state->sent);
  g_ptr_array_unref (state->shown);
  g_ptr_array_unref (state->tasks);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveState, save_state_free)

static void start_save (SitrepPostmortemEditor *self,
                        GPtrArray              *tasks);

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaveState) state = user_data;
  SitrepPostmortemEditor *self = state->self;
  SaveData *save = sitrep_store_write_get_data (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  gboolean saved;

  self->saving = FALSE;
  saved = sitrep_store_write_finish (SITREP_STORE (source), result, &error);
  /* Closed meanwhile, or showing another incident now: the save is made all the same, and
   * what it brings back is not this editor's to show. */
  if (self->queued_saves == NULL || self->incident == NULL
      || sitrep_incident_get_id (self->incident) != save->incident_id)
    {
      for (guint i = 0; i < state->tasks->len; i++)
        if (saved)
          g_task_return_boolean (state->tasks->pdata[i], TRUE);
        else
          g_task_return_error (state->tasks->pdata[i], g_error_copy (error));
    }
  else if (!saved)
    {
      if (self->incident != NULL
          && g_error_matches (error, SITREP_EDIT_CONFLICT_ERROR,
                              SITREP_EDIT_CONFLICT_ERROR_CHANGED))
        _sitrep_postmortem_editor_resolve (self, error);
      _sitrep_postmortem_editor_toast (self, error->message);
      for (guint i = 0; i < state->tasks->len; i++)
        g_task_return_error (state->tasks->pdata[i], g_error_copy (error));
    }
  else
    {
      /* New items have their ids now: the items take them, the rows showing them stay. */
      for (guint i = 0; i < save->items->len; i++)
        sitrep_postmortem_item_set_id (state->shown->pdata[i],
                                       ((SitrepActionItem *) save->items->pdata[i])->id);
      /* What another console saved meanwhile, where this one left it alone, is shown now. */
      _sitrep_postmortem_editor_take_saved (self, save->merged, state->sent);
      _sitrep_postmortem_editor_take_saved_items (self, save->items, save->saved);
      _sitrep_postmortem_editor_toast (self, _("Post-mortem saved"));
      for (guint i = 0; i < state->tasks->len; i++)
        g_task_return_boolean (state->tasks->pdata[i], TRUE);
    }

  /* Save pressed again meanwhile: what was typed since is saved now (after a conflict, the
   * dialog's choice saves). */
  if (self->queued_saves == NULL)
    return;
  queued = g_steal_pointer (&self->queued_saves);
  self->queued_saves = g_ptr_array_new_with_free_func (g_object_unref);
  if (queued->len > 0 && saved && self->incident != NULL)
    start_save (self, g_steal_pointer (&queued));
  else
    for (guint i = 0; i < queued->len; i++)
      g_task_return_new_error (queued->pdata[i], G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The post-mortem was not saved"));
  /* Another console saved while this one did: what is stored now is read. */
  if (!self->saving && self->refresh_pending)
    sitrep_postmortem_editor_refresh (self);
}

/* Sends what the editor shows now to the writer thread; @tasks are done when it is saved. */
static void
start_save (SitrepPostmortemEditor *self,
            GPtrArray              *tasks)
{
  SaveData *save = g_new0 (SaveData, 1);
  SaveState *state = g_new0 (SaveState, 1);

  save->incident_id = sitrep_incident_get_id (self->incident);
  save->base = self->base ? sitrep_postmortem_fields_copy (self->base) : NULL;
  save->fields = _sitrep_postmortem_editor_collect_fields (self);
  save->base_items = _sitrep_postmortem_editor_copy_items (self->base_items);
  save->items = _sitrep_postmortem_editor_collect_items (self, &state->shown);
  state->self = g_object_ref (self);
  state->sent = sitrep_postmortem_fields_copy (save->fields);
  state->tasks = tasks;
  self->saving = TRUE;
  /* A read of another console's save under way may have read before this one commits: read
   * again once it has. */
  if (self->refresh_cancellable != NULL)
    {
      g_cancellable_cancel (self->refresh_cancellable);
      g_clear_object (&self->refresh_cancellable);
      self->refresh_pending = TRUE;
    }
  /* Not cancelled with the editor: what was sent is saved even if the window closes. */
  sitrep_store_write_async (self->store, save_func, save, save_data_free, NULL, saved_cb, state);
}

/**
 * sitrep_postmortem_editor_save_async:
 *
 * Saves what the editor shows on the store's writer thread, merged with what another console
 * saved meanwhile; the person goes on typing. A text both changed differently brings up the
 * conflict dialog. Pressed again while a save is under way, the editor saves once more when
 * that one is done.
 */
void
sitrep_postmortem_editor_save_async (SitrepPostmortemEditor *self,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *tasks;

  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_postmortem_editor_save_async);
  if (self->incident == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("There is no post-mortem to save: choose an incident first"));
      return;
    }
  if (self->saving)
    {
      g_ptr_array_add (self->queued_saves, g_steal_pointer (&task));
      return;
    }
  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (tasks, g_steal_pointer (&task));
  start_save (self, tasks);
}

gboolean
sitrep_postmortem_editor_save_finish (SitrepPostmortemEditor *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
