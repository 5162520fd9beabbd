/* sitrep-secrets.c: tokens, passwords and URLs kept in the desktop keyring, never on disk
 *
 * A runbook names a secret ("${secret:api-token}", "secret": "db-url"); the value lives in the
 * keyring under the attribute sitrep-secret=NAME, so a team can add one with
 *   secret-tool store --label="Sitrep: api-token" sitrep-secret api-token
 * Where no Secret Service runs (CI, a headless server), a probe's secret may come from an
 * environment variable or a file instead ("env:VARIABLE", "file:PATH"); never from the runbook.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sitrep-reason.h"
#include "sitrep-secrets.h"

/* A secret that cannot be had says why as an error that keeps the reason as data: it becomes
 * a probe's reason, which readers of other languages see in theirs. */
SITREP_DEFINE_REASON_ERROR (sitrep-secrets-error-quark, sitrep_secrets_error)

static void
fail (GError      **error,
      int           code,
      SitrepReason *why)
{
  g_propagate_error (error, sitrep_reason_error_new (SITREP_SECRETS_ERROR, code, why));
}

static SitrepReason *
words (const char *text)
{
  return sitrep_reason_new_text (text);
}

/* DONT_MATCH_NAME: entries added with secret-tool carry no schema name. */
static const SecretSchema schema = {
  "org.carecircle.Sitrep.Secret", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "sitrep-secret", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *value = secret_password_lookup_finish (result, &error);
  const char *name = g_task_get_task_data (task);

  if (error != NULL)
    {
      g_task_return_error (task, sitrep_reason_error_new (
        SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_UNAVAILABLE,
        sitrep_reason_new (N_("the keyring cannot be read for secret \"%s\" (%s): is a secret "
                              "service such as GNOME Keyring running and unlocked?"),
                           words (name), words (error->message))));
      return;
    }
  if (value == NULL)
    {
      g_task_return_error (task, sitrep_reason_error_new (
        SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_NOT_FOUND,
        sitrep_reason_new (N_("secret \"%s\" is not in the keyring: add it with secret-tool "
                              "store --label=\"Sitrep: %s\" sitrep-secret %s"),
                           words (name), words (name), words (name))));
      return;
    }
  g_task_return_pointer (task, value, (GDestroyNotify) secret_password_free);
}

/* The largest secret file read: a token, a password or a connection URI. */
#define MAX_SECRET_FILE 65536

/**
 * sitrep_secrets_check_source:
 * @reference: "env:VARIABLE" or "file:PATH"
 *
 * Whether a runbook may name this source. A runbook is a file someone sent you, and probes run
 * without asking: it may only read variables meant for Sitrep (SITREP_…) and files kept for it
 * (….secret), so it cannot send your cloud credentials or SSH key to a server as a password.
 */
gboolean
sitrep_secrets_check_source (const char *reference,
                             GError    **error)
{
  if (g_str_has_prefix (reference, "env:"))
    {
      const char *variable = reference + strlen ("env:");

      if (!g_regex_match_simple ("^SITREP_[A-Z0-9_]+$", variable, 0, 0))
        {
          g_set_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_INVALID,
                       _("\"%s\" is not a variable a runbook may read a secret from: its name "
                         "must start with SITREP_ and hold only capital letters, digits and "
                         "'_' (e.g. \"SITREP_REDIS_PASSWORD\"), so that a runbook cannot read "
                         "other programs' secrets"),
                       variable);
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_has_prefix (reference, "file:"))
    {
      const char *path = reference + strlen ("file:");

      if (!g_path_is_absolute (path))
        {
          g_set_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_INVALID,
                       _("\"%s\" must be an absolute path: a relative one depends on the "
                         "folder Sitrep starts in"),
                       path);
          return FALSE;
        }
      if (!g_str_has_suffix (path, ".secret") || g_str_has_suffix (path, "/.secret"))
        {
          g_set_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_INVALID,
                       _("\"%s\" does not end in \".secret\": keep the secret in a file of its "
                         "own named NAME.secret, so that a runbook cannot send another file "
                         "(an SSH key, cloud credentials) as a password"),
                       path);
          return FALSE;
        }
      return TRUE;
    }
  return sitrep_secrets_is_valid_name (reference);
}

/* Reads an "env:" or "file:" secret. Messages name the source, never the value. */
static char *
read_local (const char *reference,
            GError    **error)
{
  const char *path = reference + strlen ("file:");
  g_autofree char *data = NULL;
  struct stat st;
  gsize length = 0;
  gssize n;
  int fd;

  if (g_str_has_prefix (reference, "env:"))
    {
      const char *variable = reference + strlen ("env:");
      const char *value = g_getenv (variable);

      if (value == NULL || *value == '\0')
        {
          fail (error, SITREP_SECRETS_ERROR_NOT_FOUND,
                sitrep_reason_new (value == NULL ? N_("the environment variable %s is not set: "
                                                      "export it before starting Sitrep")
                                                 : N_("the environment variable %s is empty: "
                                                      "export the secret in it before starting "
                                                      "Sitrep"),
                                   words (variable)));
          return NULL;
        }
      return g_strdup (value);
    }

  /* Not through a symbolic link: the permissions checked are the file's own. */
  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        fail (error, SITREP_SECRETS_ERROR_NOT_FOUND,
              sitrep_reason_new (N_("the secret file %s does not exist: create it with the "
                                    "secret on one line, then chmod 600 it"),
                                 words (path)));
      else if (saved_errno == ELOOP)
        fail (error, SITREP_SECRETS_ERROR_INVALID,
              sitrep_reason_new (N_("the secret file %s is a symbolic link: name the file "
                                    "itself"),
                                 words (path)));
      else
        fail (error, SITREP_SECRETS_ERROR_NOT_FOUND,
              sitrep_reason_new (N_("the secret file %s cannot be opened (%s): check its "
                                    "permissions"),
                                 words (path), words (g_strerror (saved_errno))));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      fail (error, SITREP_SECRETS_ERROR_INVALID,
            sitrep_reason_new (N_("the secret file %s is not a regular file"), words (path)));
      close (fd);
      return NULL;
    }
  if (st.st_uid != geteuid ())
    {
      fail (error, SITREP_SECRETS_ERROR_INVALID,
            sitrep_reason_new (N_("the secret file %s belongs to another user: a secret file "
                                  "must be yours (chown it to yourself)"),
                               words (path)));
      close (fd);
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      fail (error, SITREP_SECRETS_ERROR_INVALID,
            sitrep_reason_new (N_("the secret file %s can be read or changed by its group or "
                                  "by others (mode %s): a secret file must be yours alone; run "
                                  "chmod 600 %s"),
                               words (path),
                               sitrep_reason_new_printf ("%04o", (unsigned) (st.st_mode & 07777)),
                               words (path)));
      close (fd);
      return NULL;
    }
  data = g_malloc (MAX_SECRET_FILE + 1);
  while (length <= MAX_SECRET_FILE
         && (n = read (fd, data + length, MAX_SECRET_FILE + 1 - length)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          fail (error, SITREP_SECRETS_ERROR_INVALID,
                sitrep_reason_new (N_("the secret file %s cannot be read (%s)"), words (path),
                                   words (g_strerror (saved_errno))));
          close (fd);
          memset (data, 0, length);
          return NULL;
        }
      length += n;
    }
  close (fd);
  /* One trailing line break is how editors and `echo` end a file, not part of the secret. */
  if (length > 0 && data[length - 1] == '\n')
    length--;
  if (length > 0 && data[length - 1] == '\r')
    length--;
  if (length == 0 || length > MAX_SECRET_FILE || memchr (data, '\0', length) != NULL
      || memchr (data, '\n', length) != NULL)
    {
      fail (error, SITREP_SECRETS_ERROR_INVALID,
            sitrep_reason_new (length == 0 ? N_("the secret file %s is empty: write the secret "
                                                "in it")
                                           : N_("the secret file %s does not hold one secret on "
                                                "one line (at most 64 KiB, no NUL byte)"),
                               words (path)));
      memset (data, 0, MAX_SECRET_FILE + 1);
      return NULL;
    }
  data[length] = '\0';
  return g_steal_pointer (&data);
}

/* Whether @name is read from here rather than the keyring (sitrep_secrets_check_source()). */
static gboolean
is_local (const char *name)
{
  return g_str_has_prefix (name, "env:") || g_str_has_prefix (name, "file:");
}

static void
read_local_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  char *value = read_local (task_data, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_free);
}

void
sitrep_secrets_lookup_async (const char         *name,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sitrep_secrets_lookup_async);
  /* The name, kept until the task goes, also says at the finish where the secret came from. */
  g_task_set_task_data (task, g_strdup (name), g_free);
  if (is_local (name))
    {
      /* A file may sit on a slow share: read off the main loop. */
      g_task_run_in_thread (task, read_local_thread);
      g_object_unref (task);
      return;
    }
  secret_password_lookup (&schema, cancellable, lookup_cb, task, "sitrep-secret", name, NULL);
}

char *
sitrep_secrets_lookup_finish (GAsyncResult *result,
                              GError      **error)
{
  char *secret;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  /* Not from the keyring: no secure memory to copy out of. */
  if (is_local (g_task_get_task_data (G_TASK (result))))
    return g_task_propagate_pointer (G_TASK (result), error);
  /* Copy out of the secure memory so callers free it the ordinary way. */
  secret = g_task_propagate_pointer (G_TASK (result), error);
  if (secret != NULL)
    {
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      return copy;
    }
  return NULL;
}

gboolean
sitrep_secrets_store_sync (const char   *name,
                           const char   *value,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_autofree char *label = g_strdup_printf ("Sitrep: %s", name);

  return secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, label, value,
                                     cancellable, error, "sitrep-secret", name, NULL);
}

gboolean
sitrep_secrets_clear_sync (const char   *name,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (&schema, cancellable, &local_error, "sitrep-secret", name, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A team database's password, under its address (which never holds one): what a person
 * stores with `sitrep store password ADDRESS`, or with
 *   secret-tool store --label="Sitrep: ADDRESS" sitrep-database ADDRESS */
static const SecretSchema database_schema = {
  "org.carecircle.Sitrep.DatabasePassword", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "sitrep-database", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

/**
 * sitrep_secrets_lookup_database_password_sync:
 * @address: the team database's address, as given to --database
 *
 * Blocks on D-Bus: call it off the main loop (the store connects on a thread of its own).
 *
 * Returns: (transfer full) (nullable): the password, to free with
 *   sitrep_secrets_free_password(); %NULL with @error set (SITREP_SECRETS_ERROR_NOT_FOUND when
 *   the keyring holds none for @address, SITREP_SECRETS_ERROR_UNAVAILABLE when it cannot be read)
 */
char *
sitrep_secrets_lookup_database_password_sync (const char   *address,
                                              GCancellable *cancellable,
                                              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  char *value;

  g_return_val_if_fail (address != NULL, NULL);

  value = secret_password_lookup_sync (&database_schema, cancellable, &local_error,
                                       "sitrep-database", address, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_UNAVAILABLE,
                   _("the keyring cannot be read (%s): is a secret service such as GNOME "
                     "Keyring running and unlocked?"),
                   local_error->message);
      return NULL;
    }
  if (value == NULL)
    {
      g_set_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_NOT_FOUND,
                   _("the keyring holds no password for %s"), address);
      return NULL;
    }
  return value;
}

gboolean
sitrep_secrets_store_database_password_sync (const char   *address,
                                             const char   *password,
                                             GCancellable *cancellable,
                                             GError      **error)
{
  g_autofree char *label = g_strdup_printf ("Sitrep: %s", address);

  g_return_val_if_fail (address != NULL && password != NULL, FALSE);
  return secret_password_store_sync (&database_schema, SECRET_COLLECTION_DEFAULT, label,
                                     password, cancellable, error, "sitrep-database", address,
                                     NULL);
}

/* Wipes a password before freeing it. */
void
sitrep_secrets_free_password (char *password)
{
  if (password != NULL)
    secret_password_free (password);
}

/* Expanding "${secret:NAME}" references in a header value: the text cut at its references
 * (sitrep_secrets_split_references()), every name looked up (sitrep_secrets_lookup_all_async()),
 * and the pieces joined again. */
static void
expand_looked_up_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GStrv pieces = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GHashTable) values = sitrep_secrets_lookup_all_finish (result, &error);
  GString *out;

  if (values == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  out = g_string_new (NULL);
  for (guint i = 0; pieces[i] != NULL; i++)
    g_string_append (out, i % 2 == 0 ? pieces[i] : g_hash_table_lookup (values, pieces[i]));
  g_task_return_pointer (task, g_string_free (out, FALSE), g_free);
}

void
sitrep_secrets_expand_async (const char         *text,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) wanted = NULL;
  GError *error = NULL;
  GStrv pieces;

  g_task_set_source_tag (task, sitrep_secrets_expand_async);
  pieces = sitrep_secrets_split_references (text, NULL, &error);
  if (pieces == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, pieces, (GDestroyNotify) g_strfreev);
  for (guint i = 1; pieces[i - 1] != NULL && pieces[i] != NULL; i += 2)
    g_strv_builder_add (names, pieces[i]);
  wanted = g_strv_builder_end (names);
  sitrep_secrets_lookup_all_async ((const char *const *) wanted, cancellable, expand_looked_up_cb,
                                   g_steal_pointer (&task));
}

char *
sitrep_secrets_expand_finish (GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What a keyring entry's name may be: what `secret-tool store … sitrep-secret NAME` takes
 * without quoting. */
gboolean
sitrep_secrets_is_valid_name (const char *name)
{
  if (name == NULL || !g_ascii_isalnum (*name))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * sitrep_secrets_split_references:
 * @text: a text that may hold ${secret:NAME} references
 * @error_offset: (out) (optional): where in @text the error is, in bytes
 *
 * Returns: (transfer full): @text cut at its references: even elements are literal text, odd
 *   ones the names of keyring entries ("a${secret:x}b" gives "a", "x", "b"); or NULL with
 *   @error set when a reference is not closed or its name is not valid
 */
GStrv
sitrep_secrets_split_references (const char *text,
                                 gsize      *error_offset,
                                 GError    **error)
{
  g_autoptr(GStrvBuilder) pieces = g_strv_builder_new ();
  const char *rest = text;
  const char *start;

  g_return_val_if_fail (text != NULL, NULL);

  while ((start = strstr (rest, "${secret:")) != NULL)
    {
      const char *name_start = start + strlen ("${secret:");
      const char *end = strchr (name_start, '}');
      g_autofree char *literal = g_strndup (rest, start - rest);
      g_autofree char *name = NULL;

      if (error_offset != NULL)
        *error_offset = start - text;
      if (end == NULL)
        {
          g_set_error_literal (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_INVALID,
                               _("\"${secret:\" without its closing \"}\""));
          return NULL;
        }
      name = g_strndup (name_start, end - name_start);
      if (!sitrep_secrets_is_valid_name (name))
        {
          g_set_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_INVALID,
                       _("\"%s\" is not a keyring entry name: use letters, digits, '.', '_' and "
                         "'-', starting with a letter or digit"),
                       name);
          return NULL;
        }
      g_strv_builder_add (pieces, literal);
      g_strv_builder_add (pieces, name);
      rest = end + 1;
    }
  g_strv_builder_add (pieces, rest);
  return g_strv_builder_end (pieces);
}

/* Looking up several entries, one at a time. */
typedef struct
{
  GStrv names;
  guint next;
  GHashTable *values; /* name → value, wiped when freed */
} LookupAll;

static void
wipe_value (gpointer data)
{
  char *value = data;

  memset (value, 0, strlen (value));
  g_free (value);
}

static void
lookup_all_free (LookupAll *data)
{
  g_strfreev (data->names);
  g_clear_pointer (&data->values, g_hash_table_unref);
  g_free (data);
}

static void lookup_next (GTask *task);

static void
lookup_all_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupAll *data = g_task_get_task_data (task);
  GError *error = NULL;
  char *value = sitrep_secrets_lookup_finish (result, &error);

  if (value == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_hash_table_insert (data->values, g_strdup (data->names[data->next]), value);
  data->next++;
  lookup_next (g_steal_pointer (&task));
}

static void
lookup_next (GTask *task)
{
  LookupAll *data = g_task_get_task_data (task);

  while (data->names[data->next] != NULL
         && g_hash_table_contains (data->values, data->names[data->next]))
    data->next++;
  if (data->names[data->next] == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->values),
                             (GDestroyNotify) g_hash_table_unref);
      g_object_unref (task);
      return;
    }
  sitrep_secrets_lookup_async (data->names[data->next], g_task_get_cancellable (task),
                               lookup_all_cb, task);
}

/**
 * sitrep_secrets_lookup_all_async:
 * @names: the keyring entries to read; repeated names are read once
 *
 * Reads every entry, failing at the first that is missing or cannot be read.
 */
void
sitrep_secrets_lookup_all_async (const char *const  *names,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LookupAll *data = g_new0 (LookupAll, 1);

  g_task_set_source_tag (task, sitrep_secrets_lookup_all_async);
  data->names = g_strdupv ((GStrv) names);
  if (data->names == NULL)
    data->names = g_new0 (char *, 1);
  data->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_value);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_all_free);
  lookup_next (task);
}

/* Returns: (transfer full): name → value; wipe the values when done. */
GHashTable *
sitrep_secrets_lookup_all_finish (GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
