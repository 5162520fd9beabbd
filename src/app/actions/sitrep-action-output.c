/* sitrep-action-output.c: one action run as it happens: its command, live output, and outcome
 *
 * Everything shown (and copied) comes redacted from the run: its lines, its summary, and the
 * command line, redacted here with the run's redactor.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sitrep-action-output.h"
#include "sitrep-argv.h"

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

G_DEFINE_FINAL_TYPE (SitrepActionOutput, sitrep_action_output, GTK_TYPE_BOX)

static void
update_tag_colors (SitrepActionOutput *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  /* The libadwaita palette's red and a dim grey, readable on either background. */
  g_object_set (self->stderr_tag, "foreground", dark ? "#ff7b63" : "#c01c28", NULL);
  g_object_set (self->command_tag, "foreground", dark ? "#99c1f1" : "#1c71d8", NULL);
  g_object_set (self->match_tag, "background", dark ? "#9c6e03" : "#f8e45c", NULL);
}

static void
dark_changed_cb (AdwStyleManager    *manager,
                 GParamSpec         *pspec,
                 SitrepActionOutput *self)
{
  update_tag_colors (self);
}

static void
append (SitrepActionOutput *self,
        const char         *line,
        GtkTextTag         *tag)
{
  GtkTextIter end;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view));
  /* Follow the output only while the reader is at the bottom. */
  gboolean at_bottom = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
                       >= gtk_adjustment_get_upper (adjustment) - 4;

  gtk_text_buffer_get_end_iter (self->buffer, &end);
  if (tag != NULL)
    gtk_text_buffer_insert_with_tags (self->buffer, &end, line, -1, tag, NULL);
  else
    gtk_text_buffer_insert (self->buffer, &end, line, -1);
  gtk_text_buffer_get_end_iter (self->buffer, &end);
  gtk_text_buffer_insert (self->buffer, &end, "\n", 1);
  if (at_bottom)
    {
      GtkTextMark *mark = gtk_text_buffer_get_insert (self->buffer);

      gtk_text_buffer_get_end_iter (self->buffer, &end);
      gtk_text_buffer_place_cursor (self->buffer, &end);
      gtk_text_view_scroll_mark_onscreen (self->text_view, mark);
    }
}

static void
line_cb (SitrepActionRun    *run,
         gboolean            is_stderr,
         const char         *line,
         SitrepActionOutput *self)
{
  if (is_stderr)
    self->n_stderr_lines++;
  append (self, line, is_stderr ? self->stderr_tag : NULL);
}

static void
follow_up_cb (SitrepActionRun    *run,
              const char         *command_line,
              SitrepActionOutput *self)
{
  g_autofree char *text = g_strdup_printf ("$ %s", command_line);

  append (self, text, self->command_tag);
}

/* "0.4 s", "12 s", "5 min", "2 min 10 s". */
static char *
human_duration (gint64 ms)
{
  gint64 seconds = (ms + 500) / 1000;

  if (ms < 10000)
    return g_strdup_printf (_("%.1f s"), ms / 1000.0);
  if (seconds < 60)
    return g_strdup_printf (_("%d s"), (int) seconds);
  /* A timeout ends a moment after the limit: 300.3 s reads as the limit, 5 min. */
  if (seconds % 60 <= 2)
    return g_strdup_printf (_("%d min"), (int) (seconds / 60));
  return g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) (seconds % 60));
}

/* The outcome in a few words: "Rollout finished", "Nothing changed: skipped rollback". */
char *
sitrep_action_output_headline (SitrepActionRun     *run,
                               SitrepActionRequest *request,
                               gboolean             dry_run)
{
  SitrepRolloutState rollout = sitrep_action_run_get_rollout_state (run);
  const SitrepAction *action = request ? sitrep_action_request_get_action (request) : NULL;
  g_autofree char *duration = human_duration (sitrep_action_run_get_duration_ms (run));

  switch (sitrep_action_run_get_outcome (run))
    {
    case SITREP_OUTCOME_NONE:
      return g_strdup (_("Running…"));
    case SITREP_OUTCOME_SUCCEEDED:
      if (dry_run)
        return g_strdup (_("Preview finished: nothing was changed"));
      if (rollout == SITREP_ROLLOUT_FINISHED)
        return g_strdup (_("Rollout finished"));
      return g_strdup (_("Succeeded"));
    case SITREP_OUTCOME_NO_CHANGE:
      if (action != NULL && action->noop_output != NULL)
        return g_strdup_printf (_("Nothing changed: %s"), action->noop_output);
      return g_strdup (_("Nothing changed"));
    case SITREP_OUTCOME_CANCELLED:
      return g_strdup (_("Cancelled"));
    case SITREP_OUTCOME_TIMED_OUT:
      if (rollout == SITREP_ROLLOUT_TIMED_OUT)
        return g_strdup_printf (_("Rollout did not finish: timed out after %s"), duration);
      return g_strdup_printf (_("Timed out after %s"), duration);
    case SITREP_OUTCOME_FAILED:
    default:
      if (rollout == SITREP_ROLLOUT_FAILED)
        return g_strdup (_("The change was made, but the rollout failed"));
      if (rollout == SITREP_ROLLOUT_TIMED_OUT)
        return g_strdup_printf (_("Rollout did not finish: timed out after %s"), duration);
      if (dry_run)
        return g_strdup (_("Preview failed"));
      return g_strdup (_("Failed"));
    }
}

static void
show_result (SitrepActionOutput *self)
{
  SitrepOutcome outcome = sitrep_action_run_get_outcome (self->run);
  g_autofree char *duration = human_duration (sitrep_action_run_get_duration_ms (self->run));
  g_autofree char *summary = sitrep_action_run_get_summary (self->run);
  g_autofree char *status = NULL;
  const char *icon = "emblem-ok-symbolic";
  const char *style = "success";

  self->finished = TRUE;
  g_free (self->headline);
  self->headline = sitrep_action_output_headline (self->run, self->request, self->dry_run);

  if (sitrep_action_run_get_term_signal (self->run) != 0)
    status = g_strdup_printf (_("Stopped by signal %d"), sitrep_action_run_get_term_signal (self->run));
  else if (outcome == SITREP_OUTCOME_CANCELLED || outcome == SITREP_OUTCOME_TIMED_OUT)
    status = g_strdup (_("Stopped"));
  else
    status = g_strdup_printf (_("Exit status %d"), sitrep_action_run_get_exit_status (self->run));
  g_free (self->details);
  /* Translators: "Exit status 0 · 4.2 s\nkubectl succeeded and the rollout finished, after 4.2 s" */
  self->details = g_strdup_printf (_("%s · %s\n%s"), status, duration, summary);

  if (outcome == SITREP_OUTCOME_NO_CHANGE || outcome == SITREP_OUTCOME_CANCELLED)
    icon = "dialog-information-symbolic", style = "warning";
  else if (outcome != SITREP_OUTCOME_SUCCEEDED)
    icon = "dialog-error-symbolic", style = "error";

  gtk_image_set_from_icon_name (self->result_icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->headline_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->headline_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->headline_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->headline_label), style);
  gtk_label_set_text (self->headline_label, self->headline);
  gtk_label_set_text (self->details_label, self->details);
  gtk_widget_set_visible (self->result_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

static void
finished_cb (SitrepActionRun    *run,
             SitrepActionOutput *self)
{
  show_result (self);
}

static void
clear_run (SitrepActionOutput *self)
{
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  g_clear_object (&self->request);
}

void
sitrep_action_output_set_run (SitrepActionOutput  *self,
                              SitrepActionRun     *run,
                              SitrepActionRequest *request,
                              gboolean             dry_run)
{
  g_autofree char *command = NULL;
  g_auto(GStrv) shown = NULL;
  const char *title;

  g_return_if_fail (SITREP_IS_ACTION_OUTPUT (self));
  g_return_if_fail (SITREP_IS_ACTION_RUN (run));

  clear_run (self);
  self->run = g_object_ref (run);
  self->request = request ? g_object_ref (request) : NULL;
  self->dry_run = dry_run;
  self->finished = FALSE;
  self->n_stderr_lines = 0;
  g_clear_pointer (&self->headline, g_free);
  g_clear_pointer (&self->details, g_free);
  gtk_text_buffer_set_text (self->buffer, "", 0);

  title = request ? sitrep_action_request_get_title (request) : NULL;
  if (dry_run && title != NULL)
    {
      g_autofree char *preview = g_strdup_printf (_("Preview of “%s”"), title);

      gtk_label_set_text (self->title_label, preview);
    }
  else
    gtk_label_set_text (self->title_label, title ? title : _("Command"));
  /* Redacted by the run's own redactor too: it knows the secret values the run was handed. */
  shown = sitrep_redactor_redact_argv (sitrep_action_run_get_redactor (run),
                                       sitrep_action_run_get_argv (run));
  command = sitrep_argv_to_string ((const char *const *) shown);
  gtk_label_set_text (self->command_label, command);
  gtk_widget_set_visible (self->result_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);

  g_signal_connect_object (run, "line", G_CALLBACK (line_cb), self, 0);
  g_signal_connect_object (run, "follow-up", G_CALLBACK (follow_up_cb), self, 0);
  g_signal_connect_object (run, "finished", G_CALLBACK (finished_cb), self, 0);
  if (!sitrep_action_run_get_running (run) && sitrep_action_run_get_outcome (run) != SITREP_OUTCOME_NONE)
    {
      const char *output = sitrep_action_run_get_output (run);

      gtk_text_buffer_set_text (self->buffer, output ? output : "", -1);
      show_result (self);
    }
}

SitrepActionRun *
sitrep_action_output_get_run (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return self->run;
}

/* Search. */

static void
highlight (SitrepActionOutput *self,
           const char         *needle)
{
  GtkTextIter start, end, match_start, match_end;
  g_autofree char *label = NULL;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->match_tag, &start, &end);
  self->n_matches = 0;
  if (needle == NULL || *needle == '\0')
    {
      gtk_label_set_text (self->matches_label, "");
      return;
    }
  while (gtk_text_iter_forward_search (&start, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE, &match_start,
                                       &match_end, NULL))
    {
      gtk_text_buffer_apply_tag (self->buffer, self->match_tag, &match_start, &match_end);
      if (self->n_matches == 0)
        {
          gtk_text_buffer_select_range (self->buffer, &match_start, &match_end);
          gtk_text_view_scroll_to_iter (self->text_view, &match_start, 0.1, FALSE, 0, 0);
        }
      self->n_matches++;
      start = match_end;
    }
  if (self->n_matches == 0)
    label = g_strdup (_("No matches"));
  else
    label = g_strdup_printf (ngettext ("%u match", "%u matches", self->n_matches), self->n_matches);
  gtk_label_set_text (self->matches_label, label);
}

static void
search_changed_cb (GtkSearchEntry     *entry,
                   SitrepActionOutput *self)
{
  highlight (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

void
sitrep_action_output_next_match (SitrepActionOutput *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkTextIter from, match_start, match_end;

  g_return_if_fail (SITREP_IS_ACTION_OUTPUT (self));
  if (*needle == '\0')
    return;
  gtk_text_buffer_get_selection_bounds (self->buffer, NULL, &from);
  if (!gtk_text_iter_forward_search (&from, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE, &match_start,
                                     &match_end, NULL))
    {
      /* Wrap around to the first match. */
      gtk_text_buffer_get_start_iter (self->buffer, &from);
      if (!gtk_text_iter_forward_search (&from, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                         &match_start, &match_end, NULL))
        return;
    }
  gtk_text_buffer_select_range (self->buffer, &match_start, &match_end);
  gtk_text_view_scroll_to_iter (self->text_view, &match_start, 0.1, FALSE, 0, 0);
}

static void
next_match_cb (GtkSearchEntry     *entry,
               SitrepActionOutput *self)
{
  sitrep_action_output_next_match (self);
}

void
sitrep_action_output_search (SitrepActionOutput *self,
                             const char         *text)
{
  g_return_if_fail (SITREP_IS_ACTION_OUTPUT (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports changes after a delay; a caller wants the answer now. */
  highlight (self, text);
}

guint
sitrep_action_output_get_n_matches (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), 0);
  return self->n_matches;
}

char *
sitrep_action_output_get_selection (SitrepActionOutput *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  gtk_text_buffer_get_selection_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

/* Copy and cancel. */

char *
sitrep_action_output_get_text (SitrepActionOutput *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

void
sitrep_action_output_copy (SitrepActionOutput *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SITREP_IS_ACTION_OUTPUT (self));
  text = sitrep_action_output_get_text (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_clicked_cb (GtkButton          *button,
                 SitrepActionOutput *self)
{
  sitrep_action_output_copy (self);
}

void
sitrep_action_output_cancel (SitrepActionOutput *self)
{
  g_return_if_fail (SITREP_IS_ACTION_OUTPUT (self));
  if (self->run != NULL && sitrep_action_run_get_running (self->run))
    {
      sitrep_action_run_cancel (self->run);
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
    }
}

static void
cancel_clicked_cb (GtkButton          *button,
                   SitrepActionOutput *self)
{
  sitrep_action_output_cancel (self);
}

const char *
sitrep_action_output_get_command (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return gtk_label_get_text (self->command_label);
}

const char *
sitrep_action_output_get_headline (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return self->headline;
}

const char *
sitrep_action_output_get_details (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return self->details;
}

gboolean
sitrep_action_output_get_finished (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), FALSE);
  return self->finished;
}

gboolean
sitrep_action_output_can_cancel (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->cancel_button))
         && gtk_widget_get_sensitive (GTK_WIDGET (self->cancel_button));
}

guint
sitrep_action_output_get_n_stderr_lines (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), 0);
  return self->n_stderr_lines;
}

/* Construction. */

static void
sitrep_action_output_dispose (GObject *object)
{
  SitrepActionOutput *self = SITREP_ACTION_OUTPUT (object);

  clear_run (self);
  G_OBJECT_CLASS (sitrep_action_output_parent_class)->dispose (object);
}

static void
sitrep_action_output_finalize (GObject *object)
{
  SitrepActionOutput *self = SITREP_ACTION_OUTPUT (object);

  g_free (self->headline);
  g_free (self->details);
  G_OBJECT_CLASS (sitrep_action_output_parent_class)->finalize (object);
}

static void
sitrep_action_output_class_init (SitrepActionOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_action_output_dispose;
  object_class->finalize = sitrep_action_output_finalize;
}

static GtkWidget *
build_header (SitrepActionOutput *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->title_label));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), row);

  self->command_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->command_label, 0);
  gtk_label_set_selectable (self->command_label, TRUE);
  gtk_label_set_wrap (self->command_label, TRUE);
  gtk_label_set_wrap_mode (self->command_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->command_label), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->command_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->command_label));
  return box;
}

static GtkWidget *
build_toolbar (SitrepActionOutput *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self->search_entry), TRUE);
  g_object_set (self->search_entry, "placeholder-text", _("Search the output"), NULL);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (next_match_cb), self);
  g_signal_connect (self->search_entry, "next-match", G_CALLBACK (next_match_cb), self);
  self->matches_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->matches_label), "dim-label");

  self->copy_button = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-copy-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copy all output"));
  g_signal_connect (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);

  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Stop")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               _("Stop the command: SIGTERM, then SIGKILL"));
  gtk_widget_add_css_class (GTK_WIDGET (self->cancel_button), "destructive-action");
  g_signal_connect (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  /* Shown once a run is attached: there is nothing to stop before. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->matches_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->copy_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->cancel_button));
  return box;
}

static GtkWidget *
build_result (SitrepActionOutput *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *words = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  self->result_icon = GTK_IMAGE (gtk_image_new ());
  gtk_image_set_icon_size (self->result_icon, GTK_ICON_SIZE_LARGE);
  gtk_widget_set_valign (GTK_WIDGET (self->result_icon), GTK_ALIGN_START);
  self->headline_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->headline_label, 0);
  gtk_label_set_wrap (self->headline_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->headline_label), "title-4");
  self->details_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->details_label, 0);
  gtk_label_set_wrap (self->details_label, TRUE);
  gtk_label_set_wrap_mode (self->details_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (self->details_label, TRUE);
  gtk_box_append (GTK_BOX (words), GTK_WIDGET (self->headline_label));
  gtk_box_append (GTK_BOX (words), GTK_WIDGET (self->details_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->result_icon));
  gtk_box_append (GTK_BOX (box), words);
  gtk_widget_set_visible (box, FALSE);
  self->result_box = box;
  return box;
}

static void
sitrep_action_output_init (SitrepActionOutput *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);

  self->buffer = gtk_text_buffer_new (NULL);
  self->stderr_tag = gtk_text_buffer_create_tag (self->buffer, "stderr", NULL);
  self->command_tag = gtk_text_buffer_create_tag (self->buffer, "command", "weight", PANGO_WEIGHT_BOLD,
                                                  NULL);
  self->match_tag = gtk_text_buffer_create_tag (self->buffer, "match", NULL);
  update_tag_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, 0);

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 8);
  gtk_text_view_set_right_margin (self->text_view, 8);
  gtk_text_view_set_top_margin (self->text_view, 6);
  gtk_text_view_set_bottom_margin (self->text_view, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Command output"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->text_view));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 220);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_frame_set_child (GTK_FRAME (frame), scrolled);

  gtk_box_append (GTK_BOX (self), build_header (self));
  gtk_box_append (GTK_BOX (self), build_toolbar (self));
  gtk_box_append (GTK_BOX (self), frame);
  gtk_box_append (GTK_BOX (self), build_result (self));
}

GtkWidget *
sitrep_action_output_new (void)
{
  return g_object_new (SITREP_TYPE_ACTION_OUTPUT, NULL);
}
