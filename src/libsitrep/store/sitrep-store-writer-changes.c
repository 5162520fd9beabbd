/* sitrep-store-writer-changes.c: the console's changes queued on the store's writer thread: health batches, notes, events, audit entries
 *
 * Each is copied when queued (the caller goes on) and made on the writer thread
 * (sitrep-store-writer.c) with the store's synchronous function. Those a team database's
 * journal can keep while the server is unreachable are queued with their journal body.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-writer.h"
#include "sitrep-timeline-event-private.h"

/* Health: a batch of samples and changes, copied so that the monitor can go on. */
typedef struct
{
  GStringChunk *strings;
  GArray *samples;
  GArray *changes;
} HealthBatch;

static void
health_batch_free (HealthBatch *batch)
{
  g_string_chunk_free (batch->strings);
  g_array_unref (batch->samples);
  g_array_unref (batch->changes);
  g_free (batch);
}

static gboolean
write_health (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  HealthBatch *batch = data;
  gboolean ok;

  /* Health history is not what the user wrote: it survives the process being killed (the
   * commit is in the WAL) but may lose its last second to a power cut, which saves an
   * fdatasync per batch. What the user writes stays synchronous=FULL. A team database's
   * durability is its server's to set: the pragmas are SQLite's alone. */
  gboolean relaxed = store->db != NULL && !sitrep_store_is_in_memory (store);

  if (relaxed)
    sitrep_store_exec (store, "PRAGMA synchronous = NORMAL", _("recording health samples"),
                       NULL);
  ok = sitrep_store_add_health (store, (SitrepHealthSample *) (gpointer) batch->samples->data,
                                batch->samples->len,
                                (SitrepHealthChange *) (gpointer) batch->changes->data,
                                batch->changes->len, error);
  if (relaxed)
    sitrep_store_exec (store, "PRAGMA synchronous = FULL", _("recording health samples"), NULL);
  return ok;
}

/**
 * sitrep_store_add_health_async:
 *
 * sitrep_store_add_health() on the writer thread: one transaction for the batch. The samples
 * and changes are copied.
 */
void
sitrep_store_add_health_async (SitrepStore              *self,
                               const SitrepHealthSample *samples,
                               guint                     n_samples,
                               const SitrepHealthChange *changes,
                               guint                     n_changes,
                               GCancellable             *cancellable,
                               GAsyncReadyCallback       callback,
                               gpointer                  user_data)
{
  HealthBatch *batch = g_new0 (HealthBatch, 1);

  batch->strings = g_string_chunk_new (1024);
  batch->samples = g_array_sized_new (FALSE, FALSE, sizeof (SitrepHealthSample), n_samples);
  batch->changes = g_array_sized_new (FALSE, FALSE, sizeof (SitrepHealthChange), n_changes);
  for (guint i = 0; i < n_samples; i++)
    {
      SitrepHealthSample copy = samples[i];

      copy.service_id = g_string_chunk_insert_const (batch->strings, samples[i].service_id);
      copy.probe_id = g_string_chunk_insert_const (batch->strings, samples[i].probe_id);
      copy.health = g_string_chunk_insert_const (batch->strings, samples[i].health);
      if (samples[i].error != NULL)
        copy.error = g_string_chunk_insert (batch->strings, samples[i].error);
      if (samples[i].why != NULL)
        copy.why = g_string_chunk_insert (batch->strings, samples[i].why);
      g_array_append_val (batch->samples, copy);
    }
  for (guint i = 0; i < n_changes; i++)
    {
      SitrepHealthChange copy = changes[i];

      copy.service_id = g_string_chunk_insert_const (batch->strings, changes[i].service_id);
      copy.old_health = g_string_chunk_insert_const (batch->strings, changes[i].old_health);
      copy.new_health = g_string_chunk_insert_const (batch->strings, changes[i].new_health);
      if (changes[i].reason != NULL)
        copy.reason = g_string_chunk_insert (batch->strings, changes[i].reason);
      if (changes[i].why != NULL)
        copy.why = g_string_chunk_insert (batch->strings, changes[i].why);
      g_array_append_val (batch->changes, copy);
    }
  {
    g_autoptr(JsonObject) body = json_object_new ();
    JsonArray *sample_list = json_array_new ();
    JsonArray *change_list = json_array_new ();

    for (guint i = 0; i < n_samples; i++)
      {
        JsonObject *o = json_object_new ();

        json_object_set_string_member (o, "service", samples[i].service_id);
        json_object_set_string_member (o, "probe", samples[i].probe_id);
        json_object_set_int_member (o, "at", samples[i].at);
        json_object_set_string_member (o, "health", samples[i].health);
        json_object_set_double_member (o, "latency_ms", samples[i].latency_ms);
        if (samples[i].error != NULL)
          json_object_set_string_member (o, "error", samples[i].error);
        if (samples[i].why != NULL)
          json_object_set_string_member (o, "why", samples[i].why);
        json_array_add_object_element (sample_list, o);
      }
    for (guint i = 0; i < n_changes; i++)
      {
        JsonObject *o = json_object_new ();

        json_object_set_string_member (o, "service", changes[i].service_id);
        json_object_set_int_member (o, "at", changes[i].at);
        json_object_set_string_member (o, "old", changes[i].old_health);
        json_object_set_string_member (o, "new", changes[i].new_health);
        if (changes[i].reason != NULL)
          json_object_set_string_member (o, "reason", changes[i].reason);
        if (changes[i].why != NULL)
          json_object_set_string_member (o, "why", changes[i].why);
        json_array_add_object_element (change_list, o);
      }
    json_object_set_array_member (body, "samples", sample_list);
    json_object_set_array_member (body, "changes", change_list);
    sitrep_store_write_journaled_async (self, write_health, batch,
                                        (GDestroyNotify) health_batch_free, "health", body,
                                        cancellable, callback, user_data);
  }
}

gboolean
sitrep_store_add_health_finish (SitrepStore  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return sitrep_store_write_finish (self, result, error);
}

/* A note or an event of the timeline. */
typedef struct
{
  gint64 incident_id;
  gint64 at;
  char *kind;
  char *fields;             /* JSON text: a JsonObject is not shared between threads */
  char *text;
  char *author;
  gint64 id;
  SitrepTimelineEvent *event;
} EventWrite;

static void
event_write_free (EventWrite *write)
{
  g_free (write->kind);
  g_free (write->fields);
  g_free (write->text);
  g_free (write->author);
  g_clear_object (&write->event);
  g_free (write);
}

static gboolean
write_note (SitrepStore *store,
            gpointer     data,
            GError     **error)
{
  EventWrite *write = data;

  /* Run again after a busy commit: the first try's note was never stored. */
  g_clear_object (&write->event);
  /* An incident declared while away and written since: under the server's id. */
  write->event = sitrep_store_add_note (store, sitrep_store_journal_team_id (write->incident_id),
                                        write->at, write->text,
                                        write->author, error);
  return write->event != NULL;
}

/**
 * sitrep_store_add_note_async:
 *
 * sitrep_store_add_note() on the writer thread.
 */
void
sitrep_store_add_note_async (SitrepStore         *self,
                             gint64               incident_id,
                             gint64               at,
                             const char          *text,
                             const char          *author,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  EventWrite *write = g_new0 (EventWrite, 1);

  write->incident_id = incident_id;
  write->at = at;
  write->text = g_strdup (text);
  write->author = g_strdup (author);
  {
    g_autoptr(JsonObject) body = json_object_new ();

    json_object_set_int_member (body, "incident", incident_id);
    json_object_set_int_member (body, "at", at);
    json_object_set_string_member (body, "text", text);
    json_object_set_string_member (body, "author", author);
    sitrep_store_write_journaled_async (self, write_note, write,
                                        (GDestroyNotify) event_write_free, "note", body,
                                        cancellable, callback, user_data);
  }
}

/* Returns: (transfer full): the note as written; kept in the journal, the note as it will be
 * written, with no id yet (0) */
SitrepTimelineEvent *
sitrep_store_add_note_finish (SitrepStore  *self,
                              GAsyncResult *result,
                              GError      **error)
{
  EventWrite *write;

  if (!sitrep_store_write_finish (self, result, error))
    return NULL;
  write = sitrep_store_write_get_data (result);
  /* Kept in the journal, even after the note was written in a transaction whose commit was
   * lost: the note as it will be written. */
  if (sitrep_store_write_was_journaled (result))
    {
      SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

      event->incident_id = write->incident_id;
      event->at = write->at;
      event->recorded_at = g_get_real_time ();
      event->kind = g_intern_static_string (SITREP_TIMELINE_KIND_NOTE);
      event->text = g_strdup (write->text);
      event->author = g_strdup (write->author);
      return event;
    }
  return g_steal_pointer (&write->event);
}

static gboolean
write_event (SitrepStore *store,
             gpointer     data,
             GError     **error)
{
  EventWrite *write = data;
  g_autoptr(JsonNode) node = NULL;

  write->id = -1;
  if (write->fields != NULL)
    {
      node = json_from_string (write->fields, error);
      if (node == NULL)
        return FALSE;
    }
  write->id = sitrep_store_record_event (store, sitrep_store_journal_team_id (write->incident_id),
                                         write->at, write->kind,
                                         node != NULL ? json_node_get_object (node) : NULL,
                                         write->author, error);
  return write->id >= 0;
}

/**
 * sitrep_store_record_event_async:
 * @fields: (nullable): copied
 *
 * sitrep_store_record_event() on the writer thread.
 */
void
sitrep_store_record_event_async (SitrepStore         *self,
                                 gint64               incident_id,
                                 gint64               at,
                                 const char          *kind,
                                 JsonObject          *fields,
                                 const char          *author,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  EventWrite *write = g_new0 (EventWrite, 1);

  write->incident_id = incident_id;
  write->at = at;
  write->kind = g_strdup (kind);
  write->author = g_strdup (author);
  write->id = -1;
  if (fields != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);

      write->fields = json_to_string (node, FALSE);
    }
  {
    g_autoptr(JsonObject) body = json_object_new ();

    json_object_set_int_member (body, "incident", incident_id);
    json_object_set_int_member (body, "at", at);
    json_object_set_string_member (body, "event", kind);
    if (fields != NULL)
      json_object_set_object_member (body, "fields", json_object_ref (fields));
    json_object_set_string_member (body, "author", author);
    sitrep_store_write_journaled_async (self, write_event, write,
                                        (GDestroyNotify) event_write_free, "event", body,
                                        cancellable, callback, user_data);
  }
}

/* Returns: the event's id; 0 when it is kept in the journal (no id yet); -1 with @error set */
gint64
sitrep_store_record_event_finish (SitrepStore  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  if (!sitrep_store_write_finish (self, result, error))
    return -1;
  if (sitrep_store_write_was_journaled (result))
    return 0;
  return ((EventWrite *) sitrep_store_write_get_data (result))->id;
}

/* An audit entry, copied. */
typedef struct
{
  SitrepAuditEntry *entry;
  gint64 id;
} AuditWrite;

static void
audit_write_free (AuditWrite *write)
{
  sitrep_audit_entry_free (write->entry);
  g_free (write);
}

static gboolean
write_audit (SitrepStore *store,
             gpointer     data,
             GError     **error)
{
  AuditWrite *write = data;
  SitrepAuditEntry entry = *write->entry;

  /* An incident declared while away and written since: under the server's id. */
  entry.incident_id = sitrep_store_journal_team_id (entry.incident_id);
  write->id = sitrep_store_append_audit (store, &entry, error);
  return write->id > 0;
}

/* A copy of @entry to write; "now" is when it was asked for, not when the thread gets to it. */
static AuditWrite *
audit_write_new (const SitrepAuditEntry *entry)
{
  AuditWrite *write = g_new0 (AuditWrite, 1);
  SitrepAuditEntry *copy = g_new0 (SitrepAuditEntry, 1);

  *copy = *entry;
  copy->os_user = g_strdup (entry->os_user);
  copy->context = g_strdup (entry->context);
  copy->namespace = g_strdup (entry->namespace);
  copy->action_id = g_strdup (entry->action_id);
  copy->service_id = g_strdup (entry->service_id);
  copy->argv = g_strdupv (entry->argv);
  copy->inputs = g_strdup (entry->inputs);
  copy->confirmation = g_strdup (entry->confirmation);
  copy->outcome = g_strdup (entry->outcome);
  copy->output_tail = g_strdup (entry->output_tail);
  copy->process = g_strdup (entry->process);
  copy->owner = g_strdup (entry->owner);
  copy->author = g_strdup (entry->author);
  copy->host = g_strdup (entry->host);
  copy->prev_hash = g_strdup (entry->prev_hash);
  copy->hash = g_strdup (entry->hash);
  if (copy->at == 0)
    copy->at = g_get_real_time ();
  write->entry = copy;
  write->id = -1;
  return write;
}

/**
 * sitrep_store_append_audit_async:
 * @entry: copied
 *
 * sitrep_store_append_audit() on the writer thread, signed with the key this store holds now.
 */
void
sitrep_store_append_audit_async (SitrepStore            *self,
                                 const SitrepAuditEntry *entry,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  AuditWrite *write = audit_write_new (entry);
  g_autoptr(JsonObject) body = sitrep_store_audit_entry_to_json (write->entry);

  sitrep_store_write_journaled_async (self, write_audit, write, (GDestroyNotify) audit_write_free,
                                      "audit", body, cancellable, callback, user_data);
}

/**
 * sitrep_store_append_audit_unkept_async:
 * @entry: copied
 *
 * sitrep_store_append_audit_async() for an entry that must be on the team database before the
 * caller goes on (a command's "started" entry: nothing runs off the record). Never kept in the
 * journal: while the server is unreachable it fails at once, saying so. Finished with
 * sitrep_store_append_audit_finish().
 */
void
sitrep_store_append_audit_unkept_async (SitrepStore            *self,
                                        const SitrepAuditEntry *entry,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  sitrep_store_write_async (self, write_audit, audit_write_new (entry),
                            (GDestroyNotify) audit_write_free, cancellable, callback, user_data);
}

/* Returns: the entry's id; 0 when it is kept in the journal (no id yet); -1 with @error set */
gint64
sitrep_store_append_audit_finish (SitrepStore  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  if (!sitrep_store_write_finish (self, result, error))
    return -1;
  if (sitrep_store_write_was_journaled (result))
    return 0;
  return ((AuditWrite *) sitrep_store_write_get_data (result))->id;
}
