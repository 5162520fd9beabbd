/* sitrep-action-output.h: one action run as it happens: its command, live output, and outcome */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-action-run.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ACTION_OUTPUT (sitrep_action_output_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionOutput, sitrep_action_output, SITREP, ACTION_OUTPUT, GtkBox)

GtkWidget       *sitrep_action_output_new           (void);
/* Shows @run from now on; @request (nullable) gives the title and the no-op text. */
void             sitrep_action_output_set_run       (SitrepActionOutput  *self,
                                                     SitrepActionRun     *run,
                                                     SitrepActionRequest *request,
                                                     gboolean             dry_run);
SitrepActionRun *sitrep_action_output_get_run       (SitrepActionOutput  *self);
char            *sitrep_action_output_headline      (SitrepActionRun     *run,
                                                     SitrepActionRequest *request,
                                                     gboolean             dry_run);

/* For tests, and for a person reading the state in words. */
char            *sitrep_action_output_get_text      (SitrepActionOutput  *self);
const char      *sitrep_action_output_get_command   (SitrepActionOutput  *self);
const char      *sitrep_action_output_get_headline  (SitrepActionOutput  *self);
const char      *sitrep_action_output_get_details   (SitrepActionOutput  *self);
gboolean         sitrep_action_output_get_finished  (SitrepActionOutput  *self);
gboolean         sitrep_action_output_can_cancel    (SitrepActionOutput  *self);
guint            sitrep_action_output_get_n_stderr_lines (SitrepActionOutput *self);
void             sitrep_action_output_search        (SitrepActionOutput  *self,
                                                     const char          *text);
guint            sitrep_action_output_get_n_matches (SitrepActionOutput  *self);
char            *sitrep_action_output_get_selection (SitrepActionOutput  *self);
void             sitrep_action_output_next_match    (SitrepActionOutput  *self);
void             sitrep_action_output_copy          (SitrepActionOutput  *self);
void             sitrep_action_output_cancel        (SitrepActionOutput  *self);

G_END_DECLS
