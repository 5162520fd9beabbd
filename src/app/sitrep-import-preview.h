/* sitrep-import-preview.h: what a Markdown runbook imports to, before it is saved and opened */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SITREP_TYPE_IMPORT_PREVIEW (sitrep_import_preview_get_type ())

G_DECLARE_FINAL_TYPE (SitrepImportPreview, sitrep_import_preview, SITREP, IMPORT_PREVIEW, AdwWindow)

SitrepImportPreview *sitrep_import_preview_new      (GtkWindow           *parent,
                                                     GFile               *markdown);
GFile               *sitrep_import_preview_get_file (SitrepImportPreview *self);
gboolean             sitrep_import_is_markdown      (GFile               *file);
gboolean             sitrep_import_is_markdown_arg  (const char          *arg);

G_END_DECLS
