/* sitrep-action-output-private.h: what the output and the tests that read it share */
#pragma once

#include "sitrep-action-output.h"

G_BEGIN_DECLS

struct _SitrepActionOutput
{
  GtkBox parent_instance;

  SitrepActionRun *run;
  SitrepActionRequest *request;
  gboolean dry_run;
  gboolean finished;
  guint n_stderr_lines;
  guint n_matches;
  char *headline;
  char *details;

  GtkLabel *title_label;
  GtkLabel *command_label;
  GtkSpinner *spinner;
  GtkSearchEntry *search_entry;
  GtkLabel *matches_label;
  GtkButton *copy_button;
  GtkButton *cancel_button;
  GtkTextView *text_view;
  GtkTextBuffer *buffer;
  GtkTextTag *stderr_tag;
  GtkTextTag *command_tag;
  GtkTextTag *match_tag;
  GtkWidget *result_box;
  GtkImage *result_icon;
  GtkLabel *headline_label;
  GtkLabel *details_label;
};

/* What the buttons and the search entry do; the tests do it too. */
void             sitrep_action_output_highlight (SitrepActionOutput  *self,
                                                 const char          *needle);
char            *sitrep_action_output_get_text      (SitrepActionOutput  *self);
void             sitrep_action_output_next_match    (SitrepActionOutput  *self);
void             sitrep_action_output_copy          (SitrepActionOutput  *self);
void             sitrep_action_output_cancel        (SitrepActionOutput  *self);

/* Defined in sitrep-action-output-testing.c, which only the tests link. */
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

G_END_DECLS
