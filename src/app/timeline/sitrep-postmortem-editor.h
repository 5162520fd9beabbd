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
void        sitrep_postmortem_editor_set_runbook     (SitrepPostmortemEditor *self,
                                                      SitrepRunbook          *runbook);
gboolean    sitrep_postmortem_editor_set_incident    (SitrepPostmortemEditor *self,
                                                      gint64                  incident_id,
                                                      GError                **error);
void        sitrep_postmortem_editor_set_utc         (SitrepPostmortemEditor *self,
                                                      gboolean                utc);
gboolean    sitrep_postmortem_editor_save            (SitrepPostmortemEditor *self,
                                                      GError                **error);

/* For the tests. Field names: "summary", "root-cause", "resolution", "lessons". */
void        sitrep_postmortem_editor_set_field       (SitrepPostmortemEditor *self,
                                                      const char             *name,
                                                      const char             *text);
char       *sitrep_postmortem_editor_get_field       (SitrepPostmortemEditor *self,
                                                      const char             *name);
void        sitrep_postmortem_editor_add_action_item (SitrepPostmortemEditor *self,
                                                      const char             *text,
                                                      const char             *owner,
                                                      const char             *due,
                                                      gboolean                done);
guint       sitrep_postmortem_editor_get_n_action_items (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_set_starred_only (SitrepPostmortemEditor *self,
                                                       gboolean                starred_only);
char       *sitrep_postmortem_editor_get_preview     (SitrepPostmortemEditor *self);
const char *sitrep_postmortem_editor_get_last_toast  (SitrepPostmortemEditor *self);

G_END_DECLS
