/* sitrep-import-preview-private.h: what the import preview and the tests that read it share */
#pragma once

#include "sitrep-import-preview.h"
#include "sitrep-import.h"

G_BEGIN_DECLS

struct _SitrepImportPreview
{
  AdwWindow parent_instance;

  GFile *markdown;
  GFile *json;
  SitrepImport *import;
  GCancellable *cancellable;
  AdwMessageDialog *replace_dialog; /* "Replace FILE.json?" while asked */
  gboolean saving;

  GtkStack *stack;
  GtkButton *save_button;
  AdwWindowTitle *window_title;
  AdwStatusPage *failed_page;
  GtkLabel *error_label;
  AdwPreferencesGroup *understood_group;
  AdwPreferencesGroup *human_group;
  AdwPreferencesGroup *commands_group;
};

/* Defined in sitrep-import-preview-testing.c, which only the tests link. */
const char       *sitrep_import_preview_get_page          (SitrepImportPreview *self);
char             *sitrep_import_preview_get_text          (SitrepImportPreview *self);
gboolean          sitrep_import_preview_can_save          (SitrepImportPreview *self);
void              sitrep_import_preview_save              (SitrepImportPreview *self);
AdwMessageDialog *sitrep_import_preview_get_replace_dialog (SitrepImportPreview *self);

G_END_DECLS
