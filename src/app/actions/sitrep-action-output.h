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

G_END_DECLS
