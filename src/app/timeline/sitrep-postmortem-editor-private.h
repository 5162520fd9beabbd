/* sitrep-postmortem-editor-private.h: what the post-mortem editor and the tests that fill it in
 * share */
#pragma once

#include "sitrep-postmortem-editor.h"
#include "sitrep-postmortem-item.h"

G_BEGIN_DECLS

struct _SitrepPostmortemEditor
{
  GtkWidget parent_instance;

  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepIncident *incident;
  GPtrArray *events;
  GListStore *items_model; /* SitrepPostmortemItem, in their order */
  gboolean utc;
  gboolean loading;
  gint64 incident_id;        /* the incident shown, or being read */
  GCancellable *load_cancellable; /* its read, until it comes */
  GCancellable *refresh_cancellable; /* a read of another console's save, until it comes */
  gboolean refresh_pending;       /* another console saved while the post-mortem was read or
                                   * saved here: read again once that is done */
  gboolean export_when_read;      /* Export was asked for while it was read */
  guint preview_id;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  char *last_toast;
  gboolean unfilled_warned; /* Copy or Export was pressed once over placeholders to fill */

  AdwToastOverlay *toasts;
  GtkStack *stack;
  AdwStatusPage *loading_page;
  GtkTextBuffer *fields[4]; /* summary, root cause, resolution, lessons */
  GtkBox *sections_box;       /* the runbook's own sections (format 2) */
  GPtrArray *section_ids;     /* char *, of the sections shown, in order */
  GPtrArray *section_buffers; /* GtkTextBuffer, theirs */
  GHashTable *loaded_sections; /* section id → text as loaded: kept for sections not shown */
  SitrepPostmortemFields *base; /* as last read or saved: what another console's save is
                                 * merged against (sitrep-postmortem-editor-conflict.c) */
  GPtrArray *base_items;        /* SitrepActionItem, the action items as last read or saved */
  gboolean saving;              /* a save is under way on the store's writer thread */
  GPtrArray *queued_saves;      /* GTask, of each Save pressed meanwhile */
  GtkWidget *conflict_dialog;   /* (weak) asking which version to keep, while shown */
  GtkListBox *items;
  GtkSwitch *starred_switch;
  GtkTextBuffer *preview;
};

SitrepPostmortemItem *_sitrep_postmortem_editor_add_item       (SitrepPostmortemEditor  *self,
                                                                const SitrepActionItem  *action);
SitrepPostmortemFields *_sitrep_postmortem_editor_collect_fields (SitrepPostmortemEditor *self);
GPtrArray            *_sitrep_postmortem_editor_collect_items  (SitrepPostmortemEditor  *self,
                                                                GPtrArray              **shown);
void                  _sitrep_postmortem_editor_update_preview (SitrepPostmortemEditor  *self);
char                 *_sitrep_postmortem_editor_render         (SitrepPostmortemEditor  *self,
                                                                GError                 **error);
/* sitrep-postmortem-editor-export.c */
void                  _sitrep_postmortem_editor_copy           (SitrepPostmortemEditor  *self);
void                  _sitrep_postmortem_editor_export         (SitrepPostmortemEditor  *self);
void                  _sitrep_postmortem_editor_toast          (SitrepPostmortemEditor  *self,
                                                                const char              *message);
void                  _sitrep_postmortem_editor_take_saved     (SitrepPostmortemEditor  *self,
                                                                SitrepPostmortemFields  *fields,
                                                                SitrepPostmortemFields  *sent);
void                  _sitrep_postmortem_editor_take_saved_items (SitrepPostmortemEditor *self,
                                                                  GPtrArray              *sent,
                                                                  GPtrArray              *saved);
void                  _sitrep_postmortem_editor_take_stored    (SitrepPostmortemEditor  *self,
                                                                SitrepPostmortemFields  *fields,
                                                                GPtrArray               *items);
GPtrArray            *_sitrep_postmortem_editor_copy_items     (GPtrArray               *items);
void                  _sitrep_postmortem_editor_resolve        (SitrepPostmortemEditor  *self,
                                                                const GError            *conflict);

/* Defined in sitrep-postmortem-editor-testing.c, which only the tests link. Field names:
 * "summary", "root-cause", "resolution", "lessons". */
void        sitrep_postmortem_editor_set_field          (SitrepPostmortemEditor *self,
                                                         const char             *name,
                                                         const char             *text);
char       *sitrep_postmortem_editor_get_field          (SitrepPostmortemEditor *self,
                                                         const char             *name);
void        sitrep_postmortem_editor_add_action_item    (SitrepPostmortemEditor *self,
                                                         const char             *text,
                                                         const char             *owner,
                                                         const char             *due,
                                                         gboolean                done);
guint       sitrep_postmortem_editor_get_n_action_items (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_set_starred_only   (SitrepPostmortemEditor *self,
                                                         gboolean                starred_only);
char       *sitrep_postmortem_editor_get_preview        (SitrepPostmortemEditor *self);
char       *sitrep_postmortem_editor_get_sections_text  (SitrepPostmortemEditor *self);
gboolean    sitrep_postmortem_editor_set_section        (SitrepPostmortemEditor *self,
                                                         const char             *id,
                                                         const char             *text);
const char *sitrep_postmortem_editor_get_last_toast     (SitrepPostmortemEditor *self);
gboolean    sitrep_postmortem_editor_save_and_wait      (SitrepPostmortemEditor *self,
                                                         GError                **error);
void        sitrep_postmortem_editor_wait_for_load      (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_wait_for_save      (SitrepPostmortemEditor *self);
void        sitrep_postmortem_editor_remove_action_item (SitrepPostmortemEditor *self,
                                                         guint                   index);
void        sitrep_postmortem_editor_set_action_item    (SitrepPostmortemEditor *self,
                                                         guint                   index,
                                                         const char             *property,
                                                         const char             *text);
SitrepActionItem *sitrep_postmortem_editor_get_action_item (SitrepPostmortemEditor *self,
                                                            guint                   index);
AdwMessageDialog *sitrep_postmortem_editor_get_conflict_dialog (SitrepPostmortemEditor *self);

G_END_DECLS
