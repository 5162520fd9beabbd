/* sitrep-runbook-file.c: reads a runbook from bytes, the built-in resource or a file: a regular
 * file only, never more than a runbook could be, on or off the main thread
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>

#include "sitrep-runbook-loader-private.h"

/* Problem lists: what a runbook that cannot be read says, each at its place. */
static void
problems_add (GPtrArray  *problems,
              const char *file,
              guint       line,
              guint       column,
              const char *message)
{
  SitrepRunbookProblem *problem = g_new0 (SitrepRunbookProblem, 1);

  problem->file = g_strdup (file);
  problem->line = line;
  problem->column = column;
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

static GPtrArray *
problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_runbook_problem_free);
}

static void
problems_fail (GPtrArray  *problems,
               GPtrArray **out_problems,
               GError    **error)
{
  const SitrepRunbookProblem *first = problems->pdata[0];
  g_autofree char *first_text = sitrep_runbook_problem_to_string (first);

  if (problems->len == 1)
    g_set_error_literal (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID, first_text);
  else
    g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID,
                 ngettext ("%s (and %u more problem)", "%s (and %u more problems)",
                           problems->len - 1),
                 first_text, problems->len - 1);

  if (out_problems != NULL)
    *out_problems = g_ptr_array_ref (problems);
}

/* What a file that is not a regular one is, for the message that refuses it. */
static const char *
describe_special (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("this is a folder: choose the runbook's .json file");
  if (S_ISFIFO (mode))
    return _("this is a named pipe (FIFO), not a file: reading it would wait for a writer "
             "forever; give the runbook's .json file");
  if (S_ISSOCK (mode))
    return _("this is a socket, not a file: give the runbook's .json file");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("this is a device, not a file: give the runbook's .json file");
  return _("this is not a regular file: give the runbook's .json file");
}

/* Opens @file for reading only if it is a regular file. A local path is opened without
 * blocking and checked on the open descriptor, so that a named pipe (which would block the
 * open until a writer comes) or a path swapped for one after a check never hangs the caller. */
static GInputStream *
open_regular (GFile        *file,
              goffset      *size,
              GCancellable *cancellable,
              GError      **error)
{
  const char *path = g_file_peek_path (file);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  GFileType type;

  if (path != NULL)
    {
      struct stat st = { 0 };
      int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
      int saved_errno = errno;
      int flags;

      if (fd < 0)
        {
          if (saved_errno == ENOENT || saved_errno == ENOTDIR)
            g_set_error_literal (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                                 _("there is no such file: check the path"));
          else
            g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                         _("the file cannot be opened (%s): check its permissions"),
                         g_strerror (saved_errno));
          return NULL;
        }
      if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_set_error_literal (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                               describe_special (st.st_mode));
          close (fd);
          return NULL;
        }
      /* A regular file never blocks; reads go back to the ordinary, blocking kind. */
      flags = fcntl (fd, F_GETFL);
      if (flags >= 0)
        fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
      *size = st.st_size;
      return g_unix_input_stream_new (fd, TRUE);
    }

  /* A URI (a share mounted through GVfs): its type is all that can be checked. */
  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error_literal (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                             _("there is no such file: check the path"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  type = g_file_info_get_file_type (info);
  if (type != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                           type == G_FILE_TYPE_DIRECTORY
                             ? _("this is a folder: choose the runbook's .json file")
                             : _("this is not a regular file: give the runbook's .json file"));
      return NULL;
    }
  *size = g_file_info_get_size (info);
  return G_INPUT_STREAM (g_file_read (file, cancellable, error));
}

GBytes *
sitrep_runbook_read_file (GFile        *file,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  goffset size = 0;
  char *buffer;
  gsize n_read = 0;

  stream = open_regular (file, &size, cancellable, error);
  if (stream == NULL)
    return NULL;

  /* Read one byte more than allowed so that an oversized file, or one that grows while it is
   * read, is caught without reading all of it; read_all loops over short reads (shares). */
  buffer = g_malloc (SITREP_RUNBOOK_MAX_SIZE + 1);
  if (!g_input_stream_read_all (stream, buffer, SITREP_RUNBOOK_MAX_SIZE + 1, &n_read,
                                cancellable, error))
    {
      g_free (buffer);
      return NULL;
    }
  bytes = g_bytes_new_take (g_realloc (buffer, MAX (n_read, 1)), n_read);

  if (g_bytes_get_size (bytes) > SITREP_RUNBOOK_MAX_SIZE)
    {
      g_autofree char *have = g_format_size_full (MAX (size, (goffset) g_bytes_get_size (bytes)),
                                                  G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *limit = g_format_size (SITREP_RUNBOOK_MAX_SIZE);

      if (size > SITREP_RUNBOOK_MAX_SIZE)
        g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_TOO_LARGE,
                     _("the file is %s, larger than any runbook (the limit is %s): "
                       "is this the right file?"),
                     have, limit);
      else
        g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_TOO_LARGE,
                     _("the file goes on past %s, the limit for a runbook: is this the right "
                       "file?"),
                     limit);
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

SitrepRunbook *
sitrep_runbook_load_file (GFile        *file,
                          GCancellable *cancellable,
                          GPtrArray   **out_problems,
                          GError      **error)
{
  g_autofree char *display_name = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  display_name = g_file_get_path (file);
  if (display_name == NULL)
    display_name = g_file_get_uri (file);

  bytes = sitrep_runbook_read_file (file, cancellable, &local_error);
  if (bytes == NULL)
    {
      g_autoptr(GPtrArray) problems = problems_new ();
      guint line = local_error->domain == SITREP_RUNBOOK_ERROR
                   && local_error->code == SITREP_RUNBOOK_ERROR_TOO_LARGE ? 1 : 0;

      problems_add (problems, display_name, line, line, local_error->message);
      if (out_problems != NULL)
        *out_problems = g_steal_pointer (&problems);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", display_name);
      return NULL;
    }

  return sitrep_runbook_load_bytes (bytes, display_name, out_problems, error);
}


typedef struct
{
  SitrepRunbook *runbook;
  GPtrArray *problems;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_object (&result->runbook);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  LoadResult *result = g_new0 (LoadResult, 1);
  GError *error = NULL;

  result->runbook = sitrep_runbook_load_file (file, cancellable, &result->problems, &error);
  if (result->runbook == NULL && result->problems == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

/* Reads and checks a runbook off the main thread: a runbook on a slow network share must not
 * freeze the console. */
void
sitrep_runbook_load_file_async (GFile              *file,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_runbook_load_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_file_thread);
}

SitrepRunbook *
sitrep_runbook_load_file_finish (GAsyncResult *result,
                                 GPtrArray   **out_problems,
                                 GError      **error)
{
  LoadResult *loaded;
  SitrepRunbook *runbook;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sitrep_runbook_load_file_async,
                        NULL);

  if (out_problems != NULL)
    *out_problems = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  runbook = g_steal_pointer (&loaded->runbook);
  if (runbook == NULL)
    problems_fail (loaded->problems, out_problems, error);
  load_result_free (loaded);
  return runbook;
}

SitrepRunbook *
sitrep_runbook_load_bytes (GBytes     *bytes,
                           const char *display_name,
                           GPtrArray **out_problems,
                           GError    **error)
{
  g_autoptr(GPtrArray) problems = problems_new ();
  g_autoptr(SitrepRunbook) self = NULL;
  g_autoptr(SitrepJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  SitrepJsonPos pos;
  gsize size;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  if (out_problems != NULL)
    *out_problems = NULL;

  data = g_bytes_get_data (bytes, &size);
  if (size > SITREP_RUNBOOK_MAX_SIZE)
    {
      g_autofree char *have = g_format_size_full (size, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *limit = g_format_size (SITREP_RUNBOOK_MAX_SIZE);
      g_autofree char *message =
        g_strdup_printf (_("the file is %s, larger than any runbook (the limit is %s): "
                           "is this the right file?"), have, limit);

      problems_add (problems, display_name, 1, 1, message);
      problems_fail (problems, out_problems, error);
      return NULL;
    }

  doc = sitrep_json_doc_parse (data, size, SITREP_RUNBOOK_MAX_DEPTH, &pos, &local_error);
  if (doc == NULL)
    {
      problems_add (problems, display_name, pos.line, pos.column, local_error->message);
      problems_fail (problems, out_problems, error);
      return NULL;
    }

  self = g_object_new (SITREP_TYPE_RUNBOOK, NULL);
  self->source = g_strdup (display_name);
  self->content = g_bytes_ref (bytes);
  self->digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  if (!sitrep_runbook_loader_fill (self, doc, display_name, problems))
    {
      problems_fail (problems, out_problems, error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

SitrepRunbook *
sitrep_runbook_load_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  SitrepRunbook *runbook;

  bytes = g_resources_lookup_data (SITREP_RUNBOOK_DEFAULT_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "resource://" SITREP_RUNBOOK_DEFAULT_RESOURCE, NULL,
                                       error);
  if (runbook != NULL)
    runbook->builtin = TRUE;
  return runbook;
}
