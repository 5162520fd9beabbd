/* sitrep-action-output.c: one action run as it happens: its command, live output, and outcome
 *
 * Everything shown (and copied) comes redacted from the run: its lines, its summary, and the
 * command line, redacted here with the run's redactor.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-output-private.h"
#include "sitrep-argv.h"

G_DEFINE_FINAL_TYPE (SitrepActionOutput, sitrep_action_output, GTK_TYPE_BOX)

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

void
sitrep_action_output_highlight (SitrepActionOutput *self,
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
  sitrep_action_output_highlight (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
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

/* Construction. */

static void
sitrep_action_output_dispose (GObject *object)
{
  SitrepActionOutput *self = SITREP_ACTION_OUTPUT (object);

  clear_run (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_ACTION_OUTPUT);
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
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_action_output_dispose;
  object_class->finalize = sitrep_action_output_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-action-output.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, title_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, command_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, spinner);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, matches_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, text_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, result_box);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, result_icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, headline_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionOutput, details_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
sitrep_action_output_init (SitrepActionOutput *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  self->buffer = gtk_text_view_get_buffer (self->text_view);
  /* Marked by type, not colour: a text tag cannot take libadwaita's named colours, and a
   * colour written here would miss the dark and high-contrast styles. The current match is
   * also the selection, which the theme colours. */
  self->stderr_tag = gtk_text_buffer_create_tag (self->buffer, "stderr",
                                                 "style", PANGO_STYLE_ITALIC, NULL);
  self->command_tag = gtk_text_buffer_create_tag (self->buffer, "command",
                                                  "weight", PANGO_WEIGHT_BOLD, NULL);
  self->match_tag = gtk_text_buffer_create_tag (self->buffer, "match",
                                                "weight", PANGO_WEIGHT_BOLD,
                                                "underline", PANGO_UNDERLINE_SINGLE, NULL);
}

GtkWidget *
sitrep_action_output_new (void)
{
  return g_object_new (SITREP_TYPE_ACTION_OUTPUT, NULL);
}
