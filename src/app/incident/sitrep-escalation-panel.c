/* sitrep-escalation-panel.c: the escalation path of an incident, and the banner for a due step
 *
 * The panel is the path's list; the banner it makes belongs at the top of the page, where the
 * incident view puts it, while the path sits below the clocks.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-escalation-panel.h"
#include "sitrep-incident-clocks.h"
#include "sitrep-incident-format.h"

/* The banner's look: not in style.css, so that this widget carries what it needs. */
static const char banner_css[] =
  ".escalation-banner { padding: 18px; background-color: alpha(@warning_bg_color, 0.18);"
  " border: 1px solid alpha(@warning_bg_color, 0.6); }";

typedef struct
{
  AdwActionRow *row;
  GtkLabel *state;
} StepRow;

struct _SitrepEscalationPanel
{
  AdwPreferencesGroup parent_instance;

  GPtrArray *steps;     /* StepRow */
  char *steps_key;
  GHashTable *messages; /* "incident:step" → the ready message the manager made */
  gint banner_step;
  char *banner_text;

  GtkRevealer *banner_revealer;
  GtkLabel *banner_title;
  GtkLabel *banner_contact;
  GtkLabel *banner_message;
};

G_DEFINE_FINAL_TYPE (SitrepEscalationPanel, sitrep_escalation_panel, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  ANSWERED,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
message_key (SitrepIncident *incident,
             guint           step)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%u", sitrep_incident_get_id (incident), step);
}

/* The ready message, as the manager made it when the step fell due; rebuilt in the same words
 * after a restart, counting the incident's age up to @now, when it is sent. */
static char *
ready_message (SitrepEscalationPanel        *self,
               SitrepIncident               *incident,
               const SitrepEscalationStatus *status,
               const SitrepContact          *contact,
               gint64                        now)
{
  g_autofree char *key = message_key (incident, status->index);
  const char *made = g_hash_table_lookup (self->messages, key);

  if (made != NULL)
    return g_strdup (made);
  return sitrep_incident_escalation_message (incident, status->step, contact, now);
}

static void
clear_steps (SitrepEscalationPanel *self)
{
  for (guint i = 0; i < self->steps->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  GTK_WIDGET (((StepRow *) self->steps->pdata[i])->row));
  g_ptr_array_set_size (self->steps, 0);
  g_clear_pointer (&self->steps_key, g_free);
}

/* "@teamlead · Within 15 min if unresolved · When to call: SEV-1/2, escalation": who, the
 * step's note, and when the runbook says to call them. */
static char *
step_subtitle (const SitrepEscalationStep *step,
               const SitrepContact        *contact)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (contact != NULL && contact->handle != NULL)
    g_ptr_array_add (parts, g_strdup (contact->handle));
  if (step->note != NULL)
    g_ptr_array_add (parts, g_strdup (step->note));
  if (contact != NULL && contact->when != NULL)
    /* Translators: a contact's "when" from the runbook, "When to call: DB-specific issues" */
    g_ptr_array_add (parts, g_strdup_printf (_("When to call: %s"), contact->when));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
build_steps (SitrepEscalationPanel *self,
             SitrepRunbook         *runbook,
             GArray                *path)
{
  clear_steps (self);
  for (guint i = 0; i < path->len; i++)
    {
      const SitrepEscalationStatus *status = &g_array_index (path, SitrepEscalationStatus, i);
      const SitrepContact *contact = sitrep_runbook_find_contact (runbook, status->step->contact);
      StepRow *step_row = g_new0 (StepRow, 1);
      g_autofree char *subtitle = NULL;

      step_row->row = ADW_ACTION_ROW (adw_action_row_new ());
      step_row->state = GTK_LABEL (gtk_label_new (NULL));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (step_row->row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (step_row->row), status->step->role);
      subtitle = step_subtitle (status->step, contact);
      adw_action_row_set_subtitle (step_row->row, subtitle);
      gtk_widget_add_css_class (GTK_WIDGET (step_row->state), "numeric");
      adw_action_row_add_suffix (step_row->row, GTK_WIDGET (step_row->state));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (step_row->row));
      g_ptr_array_add (self->steps, step_row);
    }
}

static void
show_banner (SitrepEscalationPanel        *self,
             SitrepIncident               *incident,
             SitrepRunbook                *runbook,
             const SitrepEscalationStatus *shown,
             guint                         n_due,
             gint64                        now,
             gboolean                      utc)
{
  const SitrepContact *contact = sitrep_runbook_find_contact (runbook, shown->step->contact);
  const char *handle = contact && contact->handle ? contact->handle : _("No contact set");
  g_autofree char *title = NULL;
  g_autofree char *since = sitrep_incident_format_time (shown->due_at, now, utc, FALSE);
  g_autofree char *who = NULL;

  /* Translators: the escalation banner's title, "Escalate to Team lead" */
  title = g_strdup_printf (_("Escalate to %s"), shown->step->role);
  if (n_due > 1)
    /* Translators: the escalation banner, when more steps wait: "@teamlead · due since
     * 03:35 · 1 more step due" */
    who = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%s · due since %s · %u more step due",
                                        "%s · due since %s · %u more steps due", n_due - 1),
                           handle, since, n_due - 1);
  else
    who = g_strdup_printf (_("%s · due since %s"), handle, since);
  g_free (self->banner_text);
  self->banner_text = ready_message (self, incident, shown, contact, now);
  self->banner_step = shown->index;
  gtk_label_set_text (self->banner_title, title);
  gtk_label_set_text (self->banner_contact, who);
  gtk_label_set_text (self->banner_message, self->banner_text);
}

/* A hidden banner takes no room, not even the box's spacing around it. */
static void
banner_revealed_cb (SitrepEscalationPanel *self)
{
  if (!gtk_revealer_get_reveal_child (self->banner_revealer)
      && !gtk_revealer_get_child_revealed (self->banner_revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), FALSE);
}

static void
banner_escalated_clicked_cb (SitrepEscalationPanel *self)
{
  if (self->banner_step >= 0)
    g_signal_emit (self, signals[ANSWERED], 0, (guint) self->banner_step, TRUE);
}

static void
banner_not_needed_clicked_cb (SitrepEscalationPanel *self)
{
  if (self->banner_step >= 0)
    g_signal_emit (self, signals[ANSWERED], 0, (guint) self->banner_step, FALSE);
}

static void
banner_copy_clicked_cb (SitrepEscalationPanel *self)
{
  if (self->banner_text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self->banner_revealer)),
                          self->banner_text);
  g_signal_emit (self, signals[TOAST], 0, _("Message copied"));
}

static GtkLabel *
banner_label (GtkBox     *box,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return GTK_LABEL (label);
}

static void
banner_button (SitrepEscalationPanel *self,
               GtkBox                *box,
               const char            *label,
               GCallback              clicked_cb)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_signal_connect_object (button, "clicked", clicked_cb, self, G_CONNECT_SWAPPED);
  gtk_box_append (box, button);
}

static void
build_banner (SitrepEscalationPanel *self)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GtkWidget *banner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->banner_revealer = GTK_REVEALER (g_object_ref_sink (gtk_revealer_new ()));
  gtk_revealer_set_transition_type (self->banner_revealer,
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), FALSE);
  g_signal_connect_object (self->banner_revealer, "notify::child-revealed",
                           G_CALLBACK (banner_revealed_cb), self, G_CONNECT_SWAPPED);
  gtk_revealer_set_child (self->banner_revealer, banner);

  gtk_widget_add_css_class (banner, "card");
  gtk_widget_add_css_class (banner, "escalation-banner");
  gtk_css_provider_load_from_data (provider, banner_css, -1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (banner),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_box_append (GTK_BOX (banner), top);
  gtk_box_append (GTK_BOX (banner), buttons);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "warning");
  gtk_box_append (GTK_BOX (top), icon);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (top), texts);
  self->banner_title = banner_label (GTK_BOX (texts), "title-3");
  self->banner_contact = banner_label (GTK_BOX (texts), NULL);
  self->banner_message = banner_label (GTK_BOX (texts), "monospace");
  gtk_label_set_wrap_mode (self->banner_message, PANGO_WRAP_WORD_CHAR);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  banner_button (self, GTK_BOX (buttons), _("_Copy Message"),
                 G_CALLBACK (banner_copy_clicked_cb));
  banner_button (self, GTK_BOX (buttons), _("_Not Needed"),
                 G_CALLBACK (banner_not_needed_clicked_cb));
  banner_button (self, GTK_BOX (buttons), _("_Escalated"),
                 G_CALLBACK (banner_escalated_clicked_cb));
  gtk_widget_add_css_class (gtk_widget_get_last_child (buttons), "suggested-action");
}

static void
sitrep_escalation_panel_dispose (GObject *object)
{
  SitrepEscalationPanel *self = SITREP_ESCALATION_PANEL (object);

  g_clear_object (&self->banner_revealer);

  G_OBJECT_CLASS (sitrep_escalation_panel_parent_class)->dispose (object);
}

static void
sitrep_escalation_panel_finalize (GObject *object)
{
  SitrepEscalationPanel *self = SITREP_ESCALATION_PANEL (object);

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->messages, g_hash_table_unref);
  g_free (self->steps_key);
  g_free (self->banner_text);

  G_OBJECT_CLASS (sitrep_escalation_panel_parent_class)->finalize (object);
}

static void
sitrep_escalation_panel_class_init (SitrepEscalationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_escalation_panel_dispose;
  object_class->finalize = sitrep_escalation_panel_finalize;

  /**
   * SitrepEscalationPanel::answered:
   * @step: the index of the step in the escalation path
   * @escalated: %TRUE if the commander escalated, %FALSE if it was not needed
   *
   * The commander answered the banner; the panel does not record it itself.
   */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
                                    G_TYPE_BOOLEAN);
  /**
   * SitrepEscalationPanel::toast:
   * @text: what to tell the commander
   */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sitrep_escalation_panel_init (SitrepEscalationPanel *self)
{
  self->steps = g_ptr_array_new_with_free_func (g_free);
  self->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->banner_step = -1;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Escalation Path"));
  build_banner (self);
}

GtkWidget *
sitrep_escalation_panel_new (void)
{
  return g_object_new (SITREP_TYPE_ESCALATION_PANEL, NULL);
}

/**
 * sitrep_escalation_panel_get_banner:
 *
 * The banner that asks for the first due step, for the caller to put on the page.
 *
 * Returns: (transfer none): the banner
 */
GtkWidget *
sitrep_escalation_panel_get_banner (SitrepEscalationPanel *self)
{
  g_return_val_if_fail (SITREP_IS_ESCALATION_PANEL (self), NULL);
  return GTK_WIDGET (self->banner_revealer);
}

/* Forgets the path's rows, which point into a runbook, and the messages made so far. */
void
sitrep_escalation_panel_reset (SitrepEscalationPanel *self)
{
  g_return_if_fail (SITREP_IS_ESCALATION_PANEL (self));

  clear_steps (self);
  g_hash_table_remove_all (self->messages);
}

/* Keeps the ready message the manager made when @step fell due, for the banner to show. */
void
sitrep_escalation_panel_remember_message (SitrepEscalationPanel *self,
                                          SitrepIncident        *incident,
                                          guint                  step,
                                          const char            *message)
{
  g_return_if_fail (SITREP_IS_ESCALATION_PANEL (self));
  g_return_if_fail (SITREP_IS_INCIDENT (incident));

  g_hash_table_replace (self->messages, message_key (incident, step), g_strdup (message));
}

/**
 * sitrep_escalation_panel_refresh:
 * @incident: (nullable): the incident on screen
 *
 * Shows @incident's escalation path at @now, and the banner for its first due step.
 */
void
sitrep_escalation_panel_refresh (SitrepEscalationPanel *self,
                                 SitrepIncident        *incident,
                                 SitrepRunbook         *runbook,
                                 gint64                 now,
                                 gboolean               utc)
{
  g_autoptr(GArray) path = NULL;
  g_autofree char *key = NULL;
  const SitrepEscalationStatus *shown = NULL;
  guint n_due = 0;

  g_return_if_fail (SITREP_IS_ESCALATION_PANEL (self));

  self->banner_step = -1;
  if (incident == NULL)
    return;

  path = sitrep_incident_escalation (incident, runbook, now);
  /* The rows point into @runbook: another runbook (another incident's) builds them anew. */
  key = g_strdup_printf ("%p:%s:%u", (gpointer) runbook, sitrep_incident_get_severity (incident),
                         path->len);
  if (g_strcmp0 (key, self->steps_key) != 0)
    {
      build_steps (self, runbook, path);
      self->steps_key = g_steal_pointer (&key);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), path->len > 0);

  for (guint i = 0; i < path->len && i < self->steps->len; i++)
    {
      const SitrepEscalationStatus *status = &g_array_index (path, SitrepEscalationStatus, i);
      GtkWidget *state = GTK_WIDGET (((StepRow *) self->steps->pdata[i])->state);
      g_autofree char *text = NULL;
      g_autofree char *span = NULL;
      g_autofree char *at = NULL;

      switch (status->state)
        {
        case SITREP_ESCALATION_PENDING:
          span = sitrep_incident_format_countdown (status->due_at - now);
          /* Translators: an escalation step's state, "in 07:12 if unresolved" */
          text = g_strdup_printf (_("in %s if unresolved"), span);
          break;
        case SITREP_ESCALATION_DUE:
          text = g_strdup (_("due"));
          n_due++;
          if (shown == NULL)
            shown = status;
          break;
        case SITREP_ESCALATION_ESCALATED:
          at = sitrep_incident_format_time (status->answered_at, now, utc, FALSE);
          /* Translators: an escalation step's state, "escalated 03:36" */
          text = g_strdup_printf (_("escalated %s"), at);
          break;
        case SITREP_ESCALATION_NOT_NEEDED:
          text = g_strdup (_("not needed"));
          break;
        case SITREP_ESCALATION_MANUAL:
          text = g_strdup (_("if needed"));
          break;
        case SITREP_ESCALATION_STOPPED:
        default:
          text = g_strdup (_("stopped"));
          break;
        }
      gtk_label_set_text (GTK_LABEL (state), text);
      sitrep_incident_format_set_css (state, "error", status->state == SITREP_ESCALATION_DUE);
      sitrep_incident_format_set_css (state, "heading", status->state == SITREP_ESCALATION_DUE);
      sitrep_incident_format_set_css (state, "success",
                                      status->state == SITREP_ESCALATION_ESCALATED);
      sitrep_incident_format_set_css (state, "dim-label",
                                      status->state == SITREP_ESCALATION_NOT_NEEDED
                                      || status->state == SITREP_ESCALATION_STOPPED
                                      || status->state == SITREP_ESCALATION_MANUAL);
    }

  if (shown != NULL)
    {
      show_banner (self, incident, runbook, shown, n_due, now, utc);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), TRUE);
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, shown != NULL);
}

/* For tests */

/* The banner's three lines when it is shown, then one line per step: "Role (subtitle) — state". */
void
sitrep_escalation_panel_append_text (SitrepEscalationPanel *self,
                                     GString               *out)
{
  g_return_if_fail (SITREP_IS_ESCALATION_PANEL (self));

  if (gtk_revealer_get_reveal_child (self->banner_revealer))
    g_string_append_printf (out, "%s\n%s\n%s\n", gtk_label_get_text (self->banner_title),
                            gtk_label_get_text (self->banner_contact),
                            gtk_label_get_text (self->banner_message));

  for (guint i = 0; i < self->steps->len; i++)
    {
      StepRow *step_row = self->steps->pdata[i];

      g_string_append_printf (out, "%s (%s) — %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (step_row->row)),
                              adw_action_row_get_subtitle (step_row->row),
                              gtk_label_get_text (step_row->state));
    }
}

/* Answers the step the banner shows, as its buttons would; FALSE when no banner is shown. */
gboolean
sitrep_escalation_panel_answer (SitrepEscalationPanel *self,
                                gboolean               escalated)
{
  g_return_val_if_fail (SITREP_IS_ESCALATION_PANEL (self), FALSE);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return FALSE;
  if (escalated)
    banner_escalated_clicked_cb (self);
  else
    banner_not_needed_clicked_cb (self);
  return TRUE;
}
