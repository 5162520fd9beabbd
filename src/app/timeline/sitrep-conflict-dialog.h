/* sitrep-conflict-dialog.h: asks which of two versions of a text to keep when another console
 * changed it meanwhile, showing both */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SITREP_TYPE_CONFLICT_DIALOG (sitrep_conflict_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SitrepConflictDialog, sitrep_conflict_dialog, SITREP, CONFLICT_DIALOG,
                      AdwMessageDialog)

/* The responses: keep what the other console stored, save the text left under "Yours" (this
 * console's, or both merged by hand), or closed without choosing. */
#define SITREP_CONFLICT_KEEP_THEIRS "theirs"
#define SITREP_CONFLICT_SAVE_YOURS  "yours"
#define SITREP_CONFLICT_CLOSED      "close"

/* @texts: for %SITREP_CONFLICT_SAVE_YOURS, the text to save for each conflict, in order */
typedef void (*SitrepConflictFunc) (const char        *response,
                                    const char *const *texts,
                                    gpointer           user_data);

AdwMessageDialog *sitrep_conflict_dialog_present (GtkWidget          *parent,
                                                  const GError       *conflict,
                                                  const char         *heading,
                                                  const char *const  *labels,
                                                  SitrepConflictFunc  func,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);

G_END_DECLS
