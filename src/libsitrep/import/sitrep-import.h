/* sitrep-import.h: a team's Markdown runbook turned into a Sitrep runbook, with a report */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SITREP_IMPORT_ERROR (sitrep_import_error_quark ())

typedef enum
{
  SITREP_IMPORT_ERROR_TOO_LARGE,
  SITREP_IMPORT_ERROR_NOT_A_RUNBOOK,
  SITREP_IMPORT_ERROR_INVALID, /* what was drafted did not pass the loader: a bug */
} SitrepImportError;

/* A Markdown document of a few thousand lines is a big runbook; anything past this is not one. */
#define SITREP_IMPORT_MAX_SIZE (4 * 1000 * 1000)

typedef enum
{
  SITREP_IMPORT_NOTE_GUESS,    /* mapped, but on an assumption the user should check */
  SITREP_IMPORT_NOTE_UNMAPPED, /* left out: the user finishes it by hand */
  SITREP_IMPORT_NOTE_REPAIRED, /* the text itself was repaired (encoding) */
} SitrepImportNoteKind;

typedef struct
{
  SitrepImportNoteKind kind;
  guint line; /* in the Markdown document, from 1; 0 for the document as a whole */
  guint column; /* in that line, in characters from 1; 0 for the line as a whole */
  char *message;
} SitrepImportNote;

typedef struct _SitrepImport SitrepImport;

GQuark        sitrep_import_error_quark   (void);

SitrepImport *sitrep_import_markdown      (const char   *data,
                                           gsize         length,
                                           const char   *display_name,
                                           GError      **error);
const char   *sitrep_import_get_json      (SitrepImport *self);
GPtrArray    *sitrep_import_get_notes     (SitrepImport *self);
GPtrArray    *sitrep_import_get_summary   (SitrepImport *self);
GPtrArray    *sitrep_import_get_commands  (SitrepImport *self);
void          sitrep_import_set_commands  (SitrepImport *self,
                                           GPtrArray    *commands);
char         *sitrep_import_format_note   (SitrepImport           *self,
                                           const SitrepImportNote *note);
GPtrArray    *sitrep_import_sorted_notes  (SitrepImport *self);
char         *sitrep_import_format_report (SitrepImport *self);
void          sitrep_import_free          (SitrepImport *self);

void          sitrep_import_file_async    (GFile               *markdown,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SitrepImport *sitrep_import_file_finish   (GAsyncResult        *result,
                                           GError             **error);
GFile        *sitrep_import_json_file_for (GFile               *markdown);
void          sitrep_import_save_async    (SitrepImport        *self,
                                           GFile               *destination,
                                           gboolean             replace,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      sitrep_import_save_finish   (GAsyncResult        *result,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepImport, sitrep_import_free)

G_END_DECLS
