/* sitrep-store-audit-key.c: the audit log's key: one per database, in the keyring, never on disk
 *
 * The keyring holds a random 256-bit key under the attribute sitrep-audit-database=ID, the id
 * the database's audit_chain row names. Sitrep makes the key the first time it needs one, and
 * only while the log has no keyed entry yet: a log whose key went missing is never re-keyed
 * behind the user's back (its keyed entries could no longer be checked); it is refused instead.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"
#include "sitrep-store-reader.h"

static const SecretSchema key_schema = {
  "org.carecircle.Sitrep.AuditKey", SECRET_SCHEMA_NONE,
  { { "sitrep-audit-database", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static void
wipe_bytes (gpointer data)
{
  GBytes *bytes = data;

  /* The last reference: nobody else reads it any more. */
  if (bytes != NULL)
    {
      gsize length;
      gpointer key = (gpointer) g_bytes_get_data (bytes, &length);

      memset (key, 0, length);
      g_bytes_unref (bytes);
    }
}

/* Sets the key the store signs new entries with and checks old ones against. */
void
sitrep_store_set_audit_key (SitrepStore *self,
                            GBytes      *key)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  g_clear_pointer (&self->audit_key, wipe_bytes);
  if (key != NULL)
    {
      self->audit_key = g_bytes_new (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
      g_clear_pointer (&self->audit_key_problem, g_free);
      sitrep_store_writer_key_changed (self);
    }
}

/* (transfer none) (nullable) */
GBytes *
sitrep_store_get_audit_key (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return self->audit_key;
}

/* Why the key could not be read, in words, or NULL. */
const char *
sitrep_store_get_audit_key_problem (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return self->audit_key_problem;
}

static void
set_problem (SitrepStore  *self,
             const GError *error)
{
  g_free (self->audit_key_problem);
  self->audit_key_problem = g_strdup (error->message);
  sitrep_store_writer_key_changed (self);
}

static GBytes *
key_from_text (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static char *
new_key_text (GError **error)
{
  guint8 random[32];
  g_autoptr(GString) hex = g_string_new (NULL);

  if (getrandom (random, sizeof random, 0) != sizeof random)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("no random numbers for the audit log's key: %s"), g_strerror (saved_errno));
      return NULL;
    }
  for (guint i = 0; i < sizeof random; i++)
    g_string_append_printf (hex, "%02x", random[i]);
  memset (random, 0, sizeof random);
  return g_string_free (g_steal_pointer (&hex), FALSE);
}

static char *
key_label (SitrepStore *self)
{
  /* Translators: the keyring entry's label; %s is the database file */
  return g_strdup_printf (_("Sitrep audit log key (%s)"), sitrep_store_get_path (self));
}

/* Whether the log already has entries signed with the key that is missing. */
static gboolean
has_keyed_entries (SitrepStore *self,
                   gint64       keyed_from,
                   GError     **error)
{
  g_autofree char *hash = NULL;
  gint64 head = 0;

  if (!sitrep_store_read_audit_head (self, &head, &hash, error))
    return TRUE;
  return head >= keyed_from;
}

static void
missing_key_error (SitrepStore *self,
                   const char  *database_id,
                   gint64       keyed_from,
                   GError     **error)
{
  g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT, keyed_from);

  if (sitrep_store_is_shared (self))
    g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                 _("the keyring holds no key for the audit log of the team database %s (database "
                   "id %s), though its entries from %s on were signed with one: run sitrep audit "
                   "key export on a computer of the team that has it, and sitrep audit key import "
                   "here"),
                 sitrep_store_get_path (self), database_id, first);
  else
    g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                 _("the keyring holds no key for the audit log of %s (database id %s), though "
                   "its entries from %s on were signed with one: restore the keyring, or start "
                   "Sitrep with --database and a new file"),
                 sitrep_store_get_path (self), database_id, first);
}

/**
 * sitrep_store_load_audit_key_sync:
 * @create: make and store a key when the keyring has none and the log has no keyed entry yet
 *
 * Reads the database's key from the keyring, blocking: for the command line. The console uses
 * sitrep_store_load_audit_key_async(). When it fails, sitrep_store_get_audit_key_problem() says
 * why.
 */
gboolean
sitrep_store_load_audit_key_sync (SitrepStore  *self,
                                  gboolean      create,
                                  GCancellable *cancellable,
                                  GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *database_id = NULL;
  g_autofree char *value = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GBytes) key = NULL;
  gint64 keyed_from = 1;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  database_id = sitrep_store_get_audit_database_id (self, &keyed_from, &local);
  if (database_id == NULL)
    goto failed;
  value = secret_password_lookup_sync (&key_schema, cancellable, &local, "sitrep-audit-database",
                                       database_id, NULL);
  if (local != NULL)
    {
      g_autofree char *message = g_strdup (local->message);

      g_clear_error (&local);
      g_set_error (&local, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("the keyring cannot be reached (%s)"), message);
      goto failed;
    }
  if (value == NULL)
    {
      if (!create || has_keyed_entries (self, keyed_from, NULL))
        {
          if (create)
            missing_key_error (self, database_id, keyed_from, &local);
          else
            g_set_error (&local, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                         _("the keyring holds no key for this database (id %s)"), database_id);
          goto failed;
        }
      value = new_key_text (&local);
      label = key_label (self);
      if (value == NULL
          || !secret_password_store_sync (&key_schema, SECRET_COLLECTION_DEFAULT, label, value,
                                          cancellable, &local, "sitrep-audit-database",
                                          database_id, NULL))
        goto failed;
    }
  key = key_from_text (value);
  memset (value, 0, strlen (value));
  sitrep_store_set_audit_key (self, key);
  if (create)
    sitrep_store_seal_audit (self);
  return TRUE;

failed:
  set_problem (self, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/**
 * sitrep_store_export_audit_key_sync:
 *
 * The key of this database's audit log as the keyring holds it (64 hexadecimal digits), for a
 * teammate who shares the team database: `sitrep audit key import` on their computer keeps it
 * in their keyring, so that their console signs the same chain and checks every entry of it.
 *
 * Returns: (transfer full): the key, or %NULL with @error set when the keyring has none
 */
char *
sitrep_store_export_audit_key_sync (SitrepStore  *self,
                                    GCancellable *cancellable,
                                    GError      **error)
{
  gsize length = 0;
  const char *key;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  if (!sitrep_store_load_audit_key_sync (self, FALSE, cancellable, error))
    return NULL;
  key = g_bytes_get_data (self->audit_key, &length);
  return g_strndup (key, length);
}

static gboolean
is_key_text (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/**
 * sitrep_store_import_audit_key_sync:
 * @text: the key as sitrep_store_export_audit_key_sync() gave it
 *
 * Keeps a teammate's key of this database's audit log in this user's keyring, after checking
 * that it is the key the log's entries were signed with: a key that does not verify the log is
 * refused and the keyring left as it was.
 */
gboolean
sitrep_store_import_audit_key_sync (SitrepStore  *self,
                                    const char   *text,
                                    GCancellable *cancellable,
                                    GError      **error)
{
  g_autofree char *database_id = NULL;
  g_autofree char *label = NULL;
  /* Wiped, not just freed, when they go (wipe_bytes). */
  GBytes *key = NULL;
  GBytes *previous = NULL;
  SitrepAuditReport *report;
  gint64 keyed_from = 1;
  gboolean ok = FALSE;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!is_key_text (text))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("an audit log key is 64 hexadecimal digits, as sitrep audit key "
                             "export prints it on a computer that has it"));
      return FALSE;
    }
  database_id = sitrep_store_get_audit_database_id (self, &keyed_from, error);
  if (database_id == NULL)
    return FALSE;

  /* The log is checked with the key given, and the store goes back to its own afterwards. */
  /* A copy: the store wipes the bytes of the key it lets go. */
  if (self->audit_key != NULL)
    previous = g_bytes_new (g_bytes_get_data (self->audit_key, NULL),
                            g_bytes_get_size (self->audit_key));
  key = key_from_text (text);
  sitrep_store_set_audit_key (self, key);
  report = sitrep_store_verify_audit_report (self, error);
  sitrep_store_set_audit_key (self, previous);
  g_clear_pointer (&previous, wipe_bytes);
  if (report == NULL)
    goto out;
  if (report->verdict == SITREP_AUDIT_BROKEN)
    {
      g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, report->first_broken_id);

      /* Translators: %s: an audit entry's number, then why its hash does not hold */
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("with this key the audit log does not verify (entry %s: %s): it is not the "
                     "key of this database, or the log was changed; the keyring was left as it "
                     "was"),
                   entry, report->reason ? report->reason : "");
      sitrep_audit_report_free (report);
      goto out;
    }
  sitrep_audit_report_free (report);

  label = key_label (self);
  ok = secret_password_store_sync (&key_schema, SECRET_COLLECTION_DEFAULT, label, text,
                                   cancellable, error, "sitrep-audit-database", database_id,
                                   NULL);
  if (ok)
    sitrep_store_set_audit_key (self, key);

out:
  g_clear_pointer (&key, wipe_bytes);
  return ok;
}

/* The asynchronous load: one at a time per store; later callers wait for the first. */
typedef struct
{
  char *database_id;
  gint64 keyed_from;
  char *value;
} Load;

static void
load_free (Load *load)
{
  g_free (load->database_id);
  if (load->value != NULL)
    memset (load->value, 0, strlen (load->value));
  g_free (load->value);
  g_free (load);
}

/* Completes every waiting caller. */
static void
load_done (SitrepStore  *self,
           const GError *error)
{
  GPtrArray *waiting = g_steal_pointer (&self->audit_key_waiting);

  /* Cancelled: the console is done with the database (sitrep_store_close_reads ()); the
   * waiting callers are told, the key is not said to have a problem. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_problem (self, error);
  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_clear_pointer (&waiting, g_ptr_array_unref);
}

/* On the reader thread: its store is given the key to seal with. */
static gpointer
seal_in_thread (SitrepStore *store,
                gpointer     data,
                GError     **error)
{
  sitrep_store_set_audit_key (store, data);
  sitrep_store_seal_audit (store);
  return GUINT_TO_POINTER (TRUE);
}

static void
sealed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (sitrep_store_read_finish (SITREP_STORE (source), result, &error) == NULL
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The audit log could not be sealed: %s", error->message);
}

static void
take_key (SitrepStore *self,
          Load        *load)
{
  g_autoptr(GBytes) key = key_from_text (load->value);

  sitrep_store_set_audit_key (self, key);
  /* Sealing reads the log's head: on a team database off the main loop. */
  if (sitrep_store_is_shared (self))
    sitrep_store_read_async (self, seal_in_thread, g_bytes_ref (key),
                             (GDestroyNotify) g_bytes_unref, NULL, NULL, sealed_cb, NULL);
  else
    sitrep_store_seal_audit (self);
  load_done (self, NULL);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SitrepStore) self = user_data;
  Load *load = self->audit_key_load;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    load_done (self, error);
  else
    take_key (self, load);
  g_clear_pointer (&self->audit_key_load, load_free);
}

/* The keyring has no key for the database: an error when entries are signed already, else a
 * new key made and stored. Returns whether the load goes on (the key being stored). */
static gboolean
without_key (SitrepStore *self,
             Load        *load,
             gboolean     has_keyed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (has_keyed)
    {
      missing_key_error (self, load->database_id, load->keyed_from, &error);
      load_done (self, error);
      return FALSE;
    }
  load->value = new_key_text (&error);
  if (load->value == NULL)
    {
      load_done (self, error);
      return FALSE;
    }
  label = key_label (self);
  secret_password_store (&key_schema, SECRET_COLLECTION_DEFAULT, label, load->value, NULL,
                         stored_cb, g_object_ref (self), "sitrep-audit-database",
                         load->database_id, NULL);
  return TRUE;
}

/* On the reader thread: whether the log has entries from *@data, the keyed chain's start. */
static gpointer
read_keyed (SitrepStore *store,
            gpointer     data,
            GError     **error)
{
  GError *local = NULL;
  gboolean has_keyed = has_keyed_entries (store, *(gint64 *) data, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_memdup2 (&has_keyed, sizeof has_keyed);
}

static void
keyed_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SitrepStore) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *has_keyed = sitrep_store_read_finish (self, result, &error);

  if (has_keyed == NULL)
    load_done (self, error);
  else if (without_key (self, self->audit_key_load, *has_keyed))
    return;
  g_clear_pointer (&self->audit_key_load, load_free);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SitrepStore) self = user_data;
  Load *load = self->audit_key_load;
  g_autoptr(GError) error = NULL;
  char *value = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_autoptr(GError) unreachable = g_error_new (SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                                                   _("the keyring cannot be reached (%s)"),
                                                   error->message);

      load_done (self, unreachable);
    }
  else if (value != NULL)
    {
      load->value = g_strdup (value);
      secret_password_free (value);
      take_key (self, load);
    }
  else
    {
      /* No key yet: whether entries are signed already is read without the main loop
       * waiting (a team database's log is on the network). */
      sitrep_store_read_async (self, read_keyed, g_memdup2 (&load->keyed_from, sizeof (gint64)),
                               g_free, g_free, NULL, keyed_read_cb, g_object_ref (self));
      return;
    }
  g_clear_pointer (&self->audit_key_load, load_free);
}

/* Set only by the tests (sitrep-store-writer-testing.c), as a keyring whose password prompt
 * nobody answers: a lookup is handed to it, with the call that makes it, instead of made. */
SitrepStoreHoldKeyLookup sitrep_store_hold_key_lookup = NULL;

/* Asks the keyring for the key of the load in progress. */
static void
start_key_lookup (SitrepStore *self)
{
  /* Not cancellable: other callers may be waiting on the same lookup. */
  secret_password_lookup (&key_schema, NULL, looked_up_cb, g_object_ref (self),
                          "sitrep-audit-database",
                          ((Load *) self->audit_key_load)->database_id, NULL);
}

/* On the reader thread: the database's id and where its keyed chain starts. */
static gpointer
read_load (SitrepStore *store,
           gpointer     data,
           GError     **error)
{
  Load *load = g_new0 (Load, 1);

  load->database_id = sitrep_store_get_audit_database_id (store, &load->keyed_from, error);
  if (load->database_id == NULL)
    g_clear_pointer (&load, load_free);
  return load;
}

static void
load_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SitrepStore) self = user_data;
  g_autoptr(GError) error = NULL;
  Load *load = sitrep_store_read_finish (self, result, &error);

  if (load == NULL)
    {
      load_done (self, error);
      return;
    }
  self->audit_key_load = load;
  if (sitrep_store_hold_key_lookup != NULL)
    sitrep_store_hold_key_lookup (self, start_key_lookup);
  else
    start_key_lookup (self);
}

/**
 * sitrep_store_load_audit_key_async:
 *
 * Reads the database's key from the keyring, making it the first time (while the log has no
 * keyed entry). Completes at once when the key is already loaded.
 */
void
sitrep_store_load_audit_key_async (SitrepStore        *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *waiting;

  g_return_if_fail (SITREP_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_store_load_audit_key_async);
  if (sitrep_store_get_audit_key (self) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->audit_key_waiting != NULL)
    {
      g_ptr_array_add (self->audit_key_waiting, g_steal_pointer (&task));
      return;
    }

  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting, g_steal_pointer (&task));
  self->audit_key_waiting = waiting;
  /* The database's id names its key in the keyring: read without the main loop waiting. */
  sitrep_store_read_async (self, read_load, NULL, NULL, (GDestroyNotify) load_free, NULL,
                           load_read_cb, g_object_ref (self));
}

gboolean
sitrep_store_load_audit_key_finish (SitrepStore  *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

