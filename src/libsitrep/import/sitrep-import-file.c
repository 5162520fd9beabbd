/* sitrep-import-file.c: importing a Markdown file and saving the runbook beside it, off the main loop
 *
 * What the console's import preview uses: reading and mapping a document of thousands of lines,
 * and writing the result, happen in a thread; the preview only shows what comes back. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "sitrep-argv.h"
#include "sitrep-import.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"

/* The commands the drafted runbook would offer, "Label: argv", as the loader reads them. */
static GPtrArray *
list_commands (SitrepImport *import,
               const char   *display_name)
{
  const char *json = sitrep_import_get_json (import);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, display_name, NULL, NULL);
  GPtrArray *commands = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *actions;

  /* The importer checked it with the same loader: it opens. */
  if (runbook == NULL)
    return commands;
  actions = sitrep_runbook_get_actions (runbook);
  for (guint i = 0; i < actions->len; i++)
    {
      const SitrepAction *action = actions->pdata[i];
      g_autofree char *argv = sitrep_argv_to_string ((const char *const *) action->argv);

      g_ptr_array_add (commands, g_strdup_printf ("%s\t%s", action->label, argv));
    }
  return commands;
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *data = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  SitrepImport *import;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info != NULL && g_file_info_get_size (info) > SITREP_IMPORT_MAX_SIZE)
    {
      g_task_return_new_error (task, SITREP_IMPORT_ERROR, SITREP_IMPORT_ERROR_TOO_LARGE,
                               _("%s is larger than a runbook can be (%u MB): give the Markdown "
                                 "file of your incident runbook"),
                               name, SITREP_IMPORT_MAX_SIZE / 1000 / 1000);
      return;
    }
  if (info == NULL || !g_file_load_contents (file, cancellable, &data, &length, NULL, &error))
    {
      g_task_return_new_error (task, error->domain, error->code, _("Cannot read %s: %s"), name,
                               error->message);
      return;
    }
  import = sitrep_import_markdown (data, length, name, &error);
  if (import == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sitrep_import_set_commands (import, list_commands (import, name));
  g_task_return_pointer (task, import, (GDestroyNotify) sitrep_import_free);
}

/**
 * sitrep_import_file_async:
 * @markdown: the team's Markdown runbook
 *
 * Reads and maps @markdown in a thread: what sitrep_import_markdown() does, plus the commands
 * the runbook would offer (sitrep_import_get_commands()).
 */
void
sitrep_import_file_async (GFile              *markdown,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (markdown));

  g_task_set_source_tag (task, sitrep_import_file_async);
  g_task_set_task_data (task, g_object_ref (markdown), g_object_unref);
  g_task_run_in_thread (task, import_thread);
}

SitrepImport *
sitrep_import_file_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* FILE.json beside FILE.md (or FILE.markdown, or FILE.md.json for another name). */
GFile *
sitrep_import_json_file_for (GFile *markdown)
{
  g_autofree char *name = g_file_get_basename (markdown);
  g_autoptr(GFile) parent = g_file_get_parent (markdown);
  g_autofree char *json = NULL;
  const char *const suffixes[] = { ".md", ".markdown", ".MD", ".Markdown" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes) && json == NULL; i++)
    if (g_str_has_suffix (name, suffixes[i]) && strlen (name) > strlen (suffixes[i]))
      json = g_strdup_printf ("%.*s.json", (int) (strlen (name) - strlen (suffixes[i])), name);
  if (json == NULL)
    json = g_strdup_printf ("%s.json", name);
  return parent != NULL ? g_file_get_child (parent, json) : g_file_new_for_path (json);
}

typedef struct
{
  GFile *destination;
  char *json;
  gboolean replace;
} Save;

static void
save_free (Save *save)
{
  g_object_unref (save->destination);
  g_free (save->json);
  g_free (save);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = strlen (save->json);

  if (save->replace)
    {
      /* A new file renamed over the old: a crash leaves one or the other, whole. */
      if (!g_file_replace_contents (save->destination, save->json, length, NULL, FALSE,
                                    G_FILE_CREATE_NONE, NULL, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Created, never replaced: a FILE.json made since the question was asked stays. */
  out = g_file_create (save->destination, G_FILE_CREATE_NONE, cancellable, &error);
  if (out == NULL
      || !g_output_stream_write_all (G_OUTPUT_STREAM (out), save->json, length, NULL,
                                     cancellable, &error)
      || !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      /* Half a file is worse than none. */
      if (out != NULL)
        g_file_delete (save->destination, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * sitrep_import_save_async:
 * @replace: whether an existing @destination may be replaced
 *
 * Writes the drafted runbook to @destination in a thread. Without @replace an existing file is
 * left alone and the result is G_IO_ERROR_EXISTS, for the caller to ask.
 */
void
sitrep_import_save_async (SitrepImport       *self,
                          GFile              *destination,
                          gboolean            replace,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Save *save = g_new0 (Save, 1);

  save->destination = g_object_ref (destination);
  save->json = g_strdup (sitrep_import_get_json (self));
  save->replace = replace;
  g_task_set_source_tag (task, sitrep_import_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sitrep_import_save_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
