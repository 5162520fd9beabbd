/* sitrep-line-reader.c: reads a stream in chunks and splits it into capped, valid UTF-8 lines
 *
 * Not GDataInputStream, whose line reads hold a line of any length in memory: a command printing
 * a gigabyte without a newline must cost max_line bytes, not a gigabyte.
 */
#include "config.h"

#include <string.h>

#include "sitrep-line-reader.h"

#define READ_CHUNK 16384

struct _SitrepLineReader
{
  GString *line;
  gsize max_line;
  gboolean cut;
  SitrepLineFunc func;
  gpointer user_data;
  GTask *task;
  guint8 buffer[READ_CHUNK];
};

/* @func is called with each line: at most @max_line bytes of it, then "…" if it was longer. */
SitrepLineReader *
sitrep_line_reader_new (gsize          max_line,
                        SitrepLineFunc func,
                        gpointer       user_data)
{
  SitrepLineReader *self;

  g_return_val_if_fail (max_line > 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (SitrepLineReader, 1);
  self->line = g_string_new (NULL);
  self->max_line = max_line;
  self->func = func;
  self->user_data = user_data;
  return self;
}

/* Not while a read is pending: its owner waits for the read to finish first. */
void
sitrep_line_reader_free (SitrepLineReader *self)
{
  if (self == NULL)
    return;
  g_return_if_fail (self->task == NULL);
  g_string_free (self->line, TRUE);
  g_free (self);
}

static void
emit_line (SitrepLineReader *self)
{
  g_autofree char *text = NULL;

  if (self->line->len > 0 && self->line->str[self->line->len - 1] == '\r')
    g_string_truncate (self->line, self->line->len - 1);
  text = g_utf8_make_valid (self->line->str, self->line->len);
  if (self->cut)
    {
      /* The cut may have split a character: make_valid turned it into U+FFFD. */
      g_autofree char *marked = g_strconcat (text, "…", NULL);

      g_free (text);
      text = g_steal_pointer (&marked);
    }
  g_string_truncate (self->line, 0);
  self->cut = FALSE;

  self->func (text, self->user_data);
}

static void
take_bytes (SitrepLineReader *self,
            const char       *data,
            gsize             len)
{
  while (len > 0)
    {
      const char *nl = memchr (data, '\n', len);
      gsize part = nl ? (gsize) (nl - data) : len;
      gsize room = self->max_line - self->line->len;

      if (part > room)
        self->cut = TRUE;
      g_string_append_len (self->line, data, MIN (part, room));
      if (nl == NULL)
        return;
      emit_line (self);
      data = nl + 1;
      len -= part + 1;
    }
}

static void read_next (SitrepLineReader *self);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SitrepLineReader *self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n <= 0)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      /* The last line, if it had no newline, also when the read failed or was cancelled. */
      if (self->line->len > 0 || self->cut)
        emit_line (self);
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  take_bytes (self, (const char *) self->buffer, n);
  read_next (self);
}

static void
read_next (SitrepLineReader *self)
{
  g_input_stream_read_async (g_task_get_task_data (self->task), self->buffer,
                             sizeof self->buffer, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (self->task), read_cb, self);
}

/**
 * sitrep_line_reader_read_async:
 *
 * Reads @stream to its end, calling the line function for each line as it arrives. One read at
 * a time; the reader must outlive it.
 */
void
sitrep_line_reader_read_async (SitrepLineReader   *self,
                               GInputStream       *stream,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, sitrep_line_reader_read_async);
  g_task_set_task_data (self->task, g_object_ref (stream), g_object_unref);
  read_next (self);
}

/* FALSE when reading failed or was cancelled; the lines read until then were delivered. */
gboolean
sitrep_line_reader_read_finish (SitrepLineReader *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
