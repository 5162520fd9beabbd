/* sitrep-action-dialog-private.h: what the dialog's two files share: fields, input rows */
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

  GHashTable *widgets;       /* input name → the widget that holds its value */
  GHashTable *input_errors;  /* input name → the label beside it that says what is wrong */
  GHashTable *choice_values; /* input name → GStrv of values, in the drop-down's order */
  GHashTable *loading;       /* input names whose choices are still loading */
  guint n_loading;
  gboolean replicas_known;
  gint64 replicas;

  GtkLabel *command_label;
  GtkLabel *where_label;
  GtkLabel *error_label;
  GtkLabel *replicas_label;
  GtkSpinner *replicas_spinner;
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

G_END_DECLS
