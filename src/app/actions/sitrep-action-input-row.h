/* sitrep-action-input-row.h: an input of an action, its field, and what is wrong with its value */
#pragma once

#include <adwaita.h>

#include "sitrep-action.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ACTION_INPUT_ROW (sitrep_action_input_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionInputRow, sitrep_action_input_row, SITREP, ACTION_INPUT_ROW,
                      AdwActionRow)

/* @input must outlive the row: the runbook holds it. @field holds the value: an entry, a spin
 * button or a drop-down. */
GtkWidget               *sitrep_action_input_row_new         (const SitrepActionInput *input,
                                                              GtkWidget               *field);
const SitrepActionInput *sitrep_action_input_row_get_input   (SitrepActionInputRow    *self);
GtkWidget               *sitrep_action_input_row_get_field   (SitrepActionInputRow    *self);
/* The row under this one that says what is wrong with the value; the list holds both. */
GtkWidget               *sitrep_action_input_row_get_error_row (SitrepActionInputRow  *self);
/* @message: (nullable): what is wrong with the value, in the core's words */
void                     sitrep_action_input_row_set_error   (SitrepActionInputRow    *self,
                                                              const char              *message);
/* Returns: (nullable): what is wrong with the value, as shown, or NULL */
const char              *sitrep_action_input_row_get_error   (SitrepActionInputRow    *self);
/* @what: (nullable): what is loading ("Loading revisions…"), or NULL once it arrived */
void                     sitrep_action_input_row_set_loading (SitrepActionInputRow    *self,
                                                              const char              *what);

G_END_DECLS
