/* sitrep-line-reader.h: reads a stream in chunks and splits it into capped, valid UTF-8 lines */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SitrepLineReader SitrepLineReader;

/* @line: without its newline or a trailing "\r", valid UTF-8, ending in "…" when it was cut;
 * owned by the reader, valid only during the call. */
typedef void (*SitrepLineFunc) (const char *line,
                                gpointer    user_data);

SitrepLineReader *sitrep_line_reader_new         (gsize                max_line,
                                                  SitrepLineFunc       func,
                                                  gpointer             user_data);
void              sitrep_line_reader_free        (SitrepLineReader    *self);

void              sitrep_line_reader_read_async  (SitrepLineReader    *self,
                                                  GInputStream        *stream,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          sitrep_line_reader_read_finish (SitrepLineReader    *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepLineReader, sitrep_line_reader_free)

G_END_DECLS
