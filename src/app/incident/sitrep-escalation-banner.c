/* sitrep-escalation-banner.c: the escalation step that is due, its ready message, and answers
 *
 * The banner only shows and asks: the escalation panel decides what it says, and records the
 * answer through the incident view.
 */
#include "config.h"

#include "sitrep-escalation-banner-private.h"

G_DEFINE_FINAL_TYPE (SitrepEscalationBanner, sitrep_escalation_banner, GTK_TYPE_WIDGET)

enum
{
  ANSWERED,
  COPY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A hidden banner takes no room, not even the spacing around it in its box. */
static void
revealed_cb (SitrepEscalationBanner *self)
{
  if (!gtk_revealer_get_reveal_child (self->revealer)
      && !gtk_revealer_get_child_revealed (self->revealer))
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
escalated_clicked_cb (SitrepEscalationBanner *self)
{
  g_signal_emit (self, signals[ANSWERED], 0, TRUE);
}

static void
not_needed_clicked_cb (SitrepEscalationBanner *self)
{
  g_signal_emit (self, signals[ANSWERED], 0, FALSE);
}

static void
copy_clicked_cb (SitrepEscalationBanner *self)
{
  g_signal_emit (self, signals[COPY], 0);
}

static void
sitrep_escalation_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_ESCALATION_BANNER);

  G_OBJECT_CLASS (sitrep_escalation_banner_parent_class)->dispose (object);
}

static void
sitrep_escalation_banner_class_init (SitrepEscalationBannerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_escalation_banner_dispose;

  /**
   * SitrepEscalationBanner::answered:
   * @escalated: %TRUE for Escalated, %FALSE for Not Needed
   */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /**
   * SitrepEscalationBanner::copy:
   *
   * The commander asked for the ready message on the clipboard.
   */
  signals[COPY] = g_signal_new ("copy", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-escalation-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepEscalationBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, SitrepEscalationBanner, title_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepEscalationBanner, contact_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepEscalationBanner, message_label);
  gtk_widget_class_bind_template_callback (widget_class, revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, escalated_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, not_needed_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sitrep_escalation_banner_init (SitrepEscalationBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_escalation_banner_new (void)
{
  return g_object_new (SITREP_TYPE_ESCALATION_BANNER, NULL);
}

void
sitrep_escalation_banner_show (SitrepEscalationBanner *self,
                               const char             *title,
                               const char             *contact,
                               const char             *message)
{
  g_return_if_fail (SITREP_IS_ESCALATION_BANNER (self));

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->contact_label, contact);
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

void
sitrep_escalation_banner_hide (SitrepEscalationBanner *self)
{
  g_return_if_fail (SITREP_IS_ESCALATION_BANNER (self));
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

gboolean
sitrep_escalation_banner_get_shown (SitrepEscalationBanner *self)
{
  g_return_val_if_fail (SITREP_IS_ESCALATION_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}
