/* sitrep-tool-window.c: a window of its own beside the main one, for a run's output, a message
 * or a post-mortem
 *
 * Its title is the window's ("title"), shown by the header bar; the tool fills the rest. It
 * closes with Escape, as dialogs do.
 */
#include "config.h"

#include "sitrep-tool-window.h"

struct _SitrepToolWindow
{
  AdwWindow parent_instance;

  GtkWidget *tool;

  GtkBox *box;
};

G_DEFINE_FINAL_TYPE (SitrepToolWindow, sitrep_tool_window, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TOOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sitrep_tool_window_dispose (GObject *object)
{
  SitrepToolWindow *self = SITREP_TOOL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_TOOL_WINDOW);
  self->tool = NULL; /* it went with the box */

  G_OBJECT_CLASS (sitrep_tool_window_parent_class)->dispose (object);
}

static void
sitrep_tool_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SitrepToolWindow *self = SITREP_TOOL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      g_value_set_object (value, self->tool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_tool_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SitrepToolWindow *self = SITREP_TOOL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      sitrep_tool_window_set_tool (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_tool_window_class_init (SitrepToolWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_tool_window_dispose;
  object_class->get_property = sitrep_tool_window_get_property;
  object_class->set_property = sitrep_tool_window_set_property;

  /* What the window holds under its header bar. */
  properties[PROP_TOOL] =
    g_param_spec_object ("tool", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-tool-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepToolWindow, box);
}

static void
sitrep_tool_window_init (SitrepToolWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sitrep_tool_window_new:
 * @parent: the window it stays beside
 * @title: its title, in its header bar
 * @tool: what it holds
 * @width: @height: its size at first
 */
SitrepToolWindow *
sitrep_tool_window_new (GtkWindow  *parent,
                        const char *title,
                        GtkWidget  *tool,
                        int         width,
                        int         height)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (tool), NULL);

  return g_object_new (SITREP_TYPE_TOOL_WINDOW,
                       "transient-for", parent,
                       "title", title,
                       "default-width", width,
                       "default-height", height,
                       "tool", tool,
                       NULL);
}

GtkWidget *
sitrep_tool_window_get_tool (SitrepToolWindow *self)
{
  g_return_val_if_fail (SITREP_IS_TOOL_WINDOW (self), NULL);
  return self->tool;
}

void
sitrep_tool_window_set_tool (SitrepToolWindow *self,
                             GtkWidget        *tool)
{
  g_return_if_fail (SITREP_IS_TOOL_WINDOW (self));
  g_return_if_fail (tool == NULL || GTK_IS_WIDGET (tool));

  if (self->tool == tool)
    return;
  if (self->tool != NULL)
    gtk_box_remove (self->box, self->tool);
  self->tool = tool;
  if (tool != NULL)
    {
      gtk_widget_set_vexpand (tool, TRUE);
      gtk_box_append (self->box, tool);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}
