/* sitrep-postmortem-editor.h: what only a person knows of an incident, beside its Markdown */
#pragma once

#include <adwaita.h>

#include "sitrep-postmortem.h"

G_BEGIN_DECLS

#define SITREP_TYPE_POSTMORTEM_EDITOR (sitrep_postmortem_editor_get_type ())

G_DECLARE_FINAL_TYPE (SitrepPostmortemEditor, sitrep_postmortem_editor, SITREP, POSTMORTEM_EDITOR,
                      GtkWidget)

GtkWidget  *sitrep_postmortem_editor_new             (void);
void        sitrep_postmortem_editor_set_store       (SitrepPostmortemEditor *self,
                                                      SitrepStore            *store);
SitrepStore *sitrep_postmortem_editor_get_store      (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_set_runbook     (SitrepPostmortemEditor *self,
                                                      SitrepRunbook          *runbook);
SitrepRunbook *sitrep_postmortem_editor_get_runbook  (SitrepPostmortemEditor *self);
gint64      sitrep_postmortem_editor_get_incident_id (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_set_incident    (SitrepPostmortemEditor *self,
                                                      gint64                  incident_id);
void        sitrep_postmortem_editor_set_utc         (SitrepPostmortemEditor *self,
                                                      gboolean                utc);
gboolean    sitrep_postmortem_editor_get_utc         (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_refresh         (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_save_async      (SitrepPostmortemEditor *self,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
gboolean    sitrep_postmortem_editor_save_finish     (SitrepPostmortemEditor *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

G_END_DECLS
