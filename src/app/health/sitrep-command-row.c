/* sitrep-command-row.c: one of a service's commands exactly as it would run, to copy or run */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-command-row-private.h"

G_DEFINE_FINAL_TYPE (SitrepCommandRow, sitrep_command_row, ADW_TYPE_ACTION_ROW)

static void
copy_clicked_cb (SitrepCommandRow *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->command_line);
  gtk_widget_set_tooltip_text (self->copy_button, _("Copied"));
}

static void
run_clicked_cb (SitrepCommandRow *self)
{
  /* The window decides how: at once, or through the confirmation dialog. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.run-action", "(ss)", self->service_id,
                              self->action_id);
}

static void
sitrep_command_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_COMMAND_ROW);

  G_OBJECT_CLASS (sitrep_command_row_parent_class)->dispose (object);
}

static void
sitrep_command_row_finalize (GObject *object)
{
  SitrepCommandRow *self = SITREP_COMMAND_ROW (object);

  g_free (self->action_id);
  g_free (self->service_id);
  g_free (self->command_line);

  G_OBJECT_CLASS (sitrep_command_row_parent_class)->finalize (object);
}

static void
sitrep_command_row_class_init (SitrepCommandRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_command_row_dispose;
  object_class->finalize = sitrep_command_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-command-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepCommandRow, dangerous_icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepCommandRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepCommandRow, run_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
}

static void
sitrep_command_row_init (SitrepCommandRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_command_row_new (const SitrepAction *action,
                        const char         *service_id,
                        const char         *command_line,
                        gboolean            runnable)
{
  SitrepCommandRow *self;

  g_return_val_if_fail (action != NULL, NULL);
  g_return_val_if_fail (command_line != NULL, NULL);

  self = g_object_new (SITREP_TYPE_COMMAND_ROW, "title", action->label, "subtitle", command_line,
                       NULL);
  self->action_id = g_strdup (action->id);
  self->service_id = g_strdup (service_id);
  self->command_line = g_strdup (command_line);
  gtk_widget_set_visible (self->dangerous_icon, action->dangerous);
  /* A row's prefix box keeps its margin around a hidden icon: the box goes too. */
  gtk_widget_set_visible (gtk_widget_get_parent (self->dangerous_icon), action->dangerous);
  if (runnable)
    {
      /* Translators: the tooltip of a command's run button, "Run “Restart”" */
      g_autofree char *tooltip = g_strdup_printf (_("Run “%s”"), action->label);

      gtk_button_set_icon_name (GTK_BUTTON (self->run_button),
                                action->mutates ? "system-run-symbolic"
                                                : "media-playback-start-symbolic");
      gtk_widget_set_tooltip_text (self->run_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->run_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_widget_set_visible (self->run_button, TRUE);
    }
  return GTK_WIDGET (self);
}

const char *
sitrep_command_row_get_action_id (SitrepCommandRow *self)
{
  g_return_val_if_fail (SITREP_IS_COMMAND_ROW (self), NULL);
  return self->action_id;
}
