/* sitrep-action-dialog-private.h: what the dialog's files and the tests that drive it share */
#pragma once

#include "sitrep-action-dialog.h"

G_BEGIN_DECLS

struct _SitrepActionDialog
{
  AdwMessageDialog parent_instance;

  SitrepActionController *controller;
  const SitrepService *service;
  const SitrepAction *action;
  SitrepActionRequest *request; /* NULL while an input is missing or refused */
  GCancellable *cancellable;
  AdwToastOverlay *overlay;
  AdwToast *toast;

  GHashTable *rows;          /* input name → its SitrepActionInputRow */
  GHashTable *choice_values; /* input name → GStrv of values, in the drop-down's order */
  GHashTable *loading;       /* input names whose choices are still loading */
  guint n_loading;
  gboolean replicas_known;
  gint64 replicas;
  gboolean built;            /* every row is there */

  GtkLabel *command_label;
  GtkLabel *where_label;
  GtkListBox *inputs_list;
  AdwActionRow *replicas_row;
  GtkLabel *replicas_label;
  GtkSpinner *replicas_spinner;
  GtkLabel *error_label;
  GtkLabel *confirm_label;
  GtkEntry *confirm_entry;
  GtkButton *preview_button;
  GtkRevealer *preview_revealer;
  SitrepActionOutput *preview_output;
};

void  sitrep_action_dialog_add_input     (SitrepActionDialog      *self,
                                          GtkListBox              *list,
                                          const SitrepActionInput *input);
char *sitrep_action_dialog_input_value   (SitrepActionDialog      *self,
                                          const SitrepActionInput *input);
void  sitrep_action_dialog_set_input_error (SitrepActionDialog    *self,
                                          const SitrepActionInput *input,
                                          const char              *message);
void  sitrep_action_dialog_rebuild       (SitrepActionDialog      *self);
void  sitrep_action_dialog_set_error     (SitrepActionDialog      *self,
                                          const char              *message);

/* Runs the server-side dry run, as the Preview button does. */
void                 sitrep_action_dialog_preview         (SitrepActionDialog     *self);

/* Defined in sitrep-action-dialog-testing.c, which only the tests link. */
SitrepActionRequest *sitrep_action_dialog_get_request     (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_command     (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_where       (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_error       (SitrepActionDialog     *self);
gboolean             sitrep_action_dialog_get_loading     (SitrepActionDialog     *self);
const char          *sitrep_action_dialog_get_replicas_text (SitrepActionDialog   *self);
GtkEditable         *sitrep_action_dialog_get_confirm_entry (SitrepActionDialog   *self);
GtkWidget           *sitrep_action_dialog_get_input       (SitrepActionDialog     *self,
                                                           const char             *name);
const char          *sitrep_action_dialog_get_input_error (SitrepActionDialog     *self,
                                                           const char             *name);
SitrepActionOutput  *sitrep_action_dialog_get_preview_output (SitrepActionDialog  *self);
AdwToast            *sitrep_action_dialog_get_toast       (SitrepActionDialog     *self);

G_END_DECLS
