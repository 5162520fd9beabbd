/* sitrep-runbook-loader.h: reading a runbook, strictly: from bytes, a file or the built-in one,
 * and upgrading a file to the current format
 *
 * These fill the model (sitrep-runbook.h) through the checks of sitrep-runbook-schema.h, and
 * say what is wrong and where (file:line:column).
 */
#pragma once

#include <gio/gio.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

SitrepRunbook           *sitrep_runbook_load_bytes         (GBytes        *bytes,
                                                            const char    *display_name,
                                                            GPtrArray    **problems,
                                                            GError       **error);
SitrepRunbook           *sitrep_runbook_load_file          (GFile         *file,
                                                            GCancellable  *cancellable,
                                                            GPtrArray    **problems,
                                                            GError       **error);
SitrepRunbook           *sitrep_runbook_load_default       (GError       **error);
void                     sitrep_runbook_load_file_async    (GFile              *file,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
SitrepRunbook           *sitrep_runbook_load_file_finish   (GAsyncResult  *result,
                                                            GPtrArray    **problems,
                                                            GError       **error);

gboolean                 sitrep_runbook_upgrade_file       (GFile         *file,
                                                            guint         *out_from,
                                                            GPtrArray    **problems,
                                                            GError       **error);
GBytes                  *sitrep_runbook_upgrade_bytes      (GBytes        *bytes,
                                                            const char    *display_name,
                                                            guint         *out_from,
                                                            GPtrArray    **problems,
                                                            GError       **error);

G_END_DECLS
