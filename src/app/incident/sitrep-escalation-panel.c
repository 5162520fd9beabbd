/* sitrep-escalation-panel.c: the escalation path of an incident, and the banner for a due step
 *
 * The panel is the path's list, below the clocks; the banner it fills belongs at the top of the
 * page, where the incident view puts it and hands it to the panel (the "banner" property).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-escalation-panel-private.h"
#include "sitrep-escalation-row.h"
#include "sitrep-incident-clocks.h"
#include "sitrep-incident-format.h"

G_DEFINE_FINAL_TYPE (SitrepEscalationPanel, sitrep_escalation_panel, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  PROP_0,
  PROP_BANNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), self->steps->pdata[i]);
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
      g_autofree char *subtitle = step_subtitle (status->step, contact);
      GtkWidget *row = sitrep_escalation_row_new (status->step->role, subtitle);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->steps, row);
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
  if (self->banner != NULL)
    sitrep_escalation_banner_show (self->banner, title, who, self->banner_text);
}

static void
banner_answered_cb (SitrepEscalationPanel *self,
                    gboolean               escalated)
{
  if (self->banner_step >= 0)
    g_signal_emit (self, signals[ANSWERED], 0, (guint) self->banner_step, escalated);
}

static void
banner_copy_cb (SitrepEscalationPanel *self)
{
  if (self->banner_text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->banner_text);
  g_signal_emit (self, signals[TOAST], 0, _("Message copied"));
}

static void
sitrep_escalation_panel_dispose (GObject *object)
{
  SitrepEscalationPanel *self = SITREP_ESCALATION_PANEL (object);

  sitrep_escalation_panel_set_banner (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_ESCALATION_PANEL);

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
sitrep_escalation_panel_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SitrepEscalationPanel *self = SITREP_ESCALATION_PANEL (object);

  switch (prop_id)
    {
    case PROP_BANNER:
      g_value_set_object (value, self->banner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_escalation_panel_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SitrepEscalationPanel *self = SITREP_ESCALATION_PANEL (object);

  switch (prop_id)
    {
    case PROP_BANNER:
      sitrep_escalation_panel_set_banner (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_escalation_panel_class_init (SitrepEscalationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_escalation_panel_dispose;
  object_class->finalize = sitrep_escalation_panel_finalize;
  object_class->get_property = sitrep_escalation_panel_get_property;
  object_class->set_property = sitrep_escalation_panel_set_property;

  /**
   * SitrepEscalationPanel:banner:
   *
   * Where the panel asks about the first due step; it sits elsewhere on the page.
   */
  properties[PROP_BANNER] = g_param_spec_object ("banner", NULL, NULL,
                                                 SITREP_TYPE_ESCALATION_BANNER,
                                                 G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                 | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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

  g_type_ensure (SITREP_TYPE_ESCALATION_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-escalation-panel.ui");
}

static void
sitrep_escalation_panel_init (SitrepEscalationPanel *self)
{
  self->steps = g_ptr_array_new ();
  self->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->banner_step = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_escalation_panel_new (void)
{
  return g_object_new (SITREP_TYPE_ESCALATION_PANEL, NULL);
}

/**
 * sitrep_escalation_panel_set_banner:
 * @banner: (nullable): where to ask about the first due step
 */
void
sitrep_escalation_panel_set_banner (SitrepEscalationPanel  *self,
                                    SitrepEscalationBanner *banner)
{
  g_return_if_fail (SITREP_IS_ESCALATION_PANEL (self));
  g_return_if_fail (banner == NULL || SITREP_IS_ESCALATION_BANNER (banner));

  if (self->banner == banner)
    return;
  if (self->banner != NULL)
    g_signal_handlers_disconnect_by_data (self->banner, self);
  g_set_object (&self->banner, banner);
  if (banner != NULL)
    {
      g_signal_connect_swapped (banner, "answered", G_CALLBACK (banner_answered_cb), self);
      g_signal_connect_swapped (banner, "copy", G_CALLBACK (banner_copy_cb), self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANNER]);
}

/* Returns: (transfer none) (nullable): the banner */
SitrepEscalationBanner *
sitrep_escalation_panel_get_banner (SitrepEscalationPanel *self)
{
  g_return_val_if_fail (SITREP_IS_ESCALATION_PANEL (self), NULL);
  return self->banner;
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
    {
      if (self->banner != NULL)
        sitrep_escalation_banner_hide (self->banner);
      return;
    }

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
          /* Due at the declaration ("on-call at once"): part of declaring, no banner. */
          if (status->due_at <= sitrep_incident_get_declared_at (incident))
            {
              text = g_strdup (_("at once"));
              break;
            }
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
      sitrep_escalation_row_set_state (self->steps->pdata[i], text, status->state);
    }

  if (shown != NULL)
    show_banner (self, incident, runbook, shown, n_due, now, utc);
  else if (self->banner != NULL)
    sitrep_escalation_banner_hide (self->banner);
}
