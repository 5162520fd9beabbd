/* sitrep-store-indicator.c: the header's word on which database the console uses, and who else is there
 *
 * "This computer", or the team database ("“incidents” on db.example.org:5432 (user sitrep)")
 * with the other consoles connected to it ("2 others connected: Ana, Ben"), or that it is
 * being connected to, or that it could not be, or that who else is there cannot be seen now (the
 * server restarts or stalls: the tooltip says why). The session knows; this only shows it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-store-indicator-private.h"

G_DEFINE_FINAL_TYPE (SitrepStoreIndicator, sitrep_store_indicator, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (SitrepStoreIndicator *self)
{
  const char *address = self->session ? sitrep_session_get_store_address (self->session) : NULL;
  gboolean team = address != NULL && sitrep_store_is_team_address (address);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon = "computer-symbolic";

  if (self->session == NULL || address == NULL)
    title = g_strdup ("");
  else if (!team)
    {
      title = g_strdup (_("This computer"));
      /* Translators: the tooltip of "This computer" in the header: the database's file */
      tooltip = g_strdup_printf (_("Incidents are kept in %s"), address);
    }
  else
    {
      const char *location = self->presence ? sitrep_store_presence_get_location (self->presence)
                                            : NULL;
      const char *const *others = self->presence ? sitrep_store_presence_get_others (self->presence)
                                                 : NULL;
      const char *problem = self->presence ? sitrep_store_presence_get_problem (self->presence)
                                           : NULL;

      icon = "network-server-symbolic";
      title = g_strdup (location ? location : address);
      tooltip = g_strdup_printf (_("Incidents are kept in the team database %s"),
                                 location ? location : address);
      if (sitrep_session_get_store_connecting (self->session))
        subtitle = g_strdup (_("Connecting…"));
      else if (sitrep_session_get_store (self->session) == NULL)
        subtitle = g_strdup (_("Not connected"));
      else if (problem != NULL)
        {
          g_autofree char *where = g_steal_pointer (&tooltip);

          subtitle = g_strdup (_("Cannot see who else is connected"));
          tooltip = g_strdup_printf ("%s\n%s", where, problem);
        }
      else if (others != NULL && others[0] == NULL)
        subtitle = g_strdup (_("No one else connected"));
      else if (others != NULL)
        {
          guint n = g_strv_length ((char **) others);
          g_autofree char *names = g_strjoinv (", ", (char **) others);

          /* Translators: the other consoles on the team database: "2 others connected: Ana, Ben" */
          subtitle = g_strdup_printf (ngettext ("%u other connected: %s",
                                                "%u others connected: %s", n),
                                      n, names);
        }
    }
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_text (self->title, title);
  gtk_label_set_text (self->subtitle, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), subtitle != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self), *title != '\0');
}

static void
presence_changed_cb (SitrepStoreIndicator *self)
{
  SitrepStorePresence *presence = self->session ? sitrep_session_get_presence (self->session)
                                                : NULL;

  if (presence != self->presence)
    {
      if (self->presence != NULL)
        g_signal_handlers_disconnect_by_data (self->presence, self);
      g_set_object (&self->presence, presence);
      if (presence != NULL)
        {
          g_signal_connect_swapped (presence, "notify::others", G_CALLBACK (update), self);
          g_signal_connect_swapped (presence, "notify::location", G_CALLBACK (update), self);
          g_signal_connect_swapped (presence, "notify::problem", G_CALLBACK (update), self);
        }
    }
  update (self);
}

void
sitrep_store_indicator_set_session (SitrepStoreIndicator *self,
                                    SitrepSession        *session)
{
  g_return_if_fail (SITREP_IS_STORE_INDICATOR (self));
  g_return_if_fail (session == NULL || SITREP_IS_SESSION (session));

  if (session == self->session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      const char *signals[] = { "notify::store-address", "notify::store-connecting",
                                "notify::store", "notify::store-error" };

      for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
        g_signal_connect_swapped (session, signals[i], G_CALLBACK (update), self);
      g_signal_connect_swapped (session, "notify::presence", G_CALLBACK (presence_changed_cb),
                                self);
    }
  presence_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
sitrep_store_indicator_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SitrepStoreIndicator *self = SITREP_STORE_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_store_indicator_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SitrepStoreIndicator *self = SITREP_STORE_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sitrep_store_indicator_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_store_indicator_dispose (GObject *object)
{
  SitrepStoreIndicator *self = SITREP_STORE_INDICATOR (object);

  if (self->presence != NULL)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  g_clear_object (&self->presence);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_STORE_INDICATOR);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sitrep_store_indicator_parent_class)->dispose (object);
}

static void
sitrep_store_indicator_class_init (SitrepStoreIndicatorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_store_indicator_dispose;
  G_OBJECT_CLASS (klass)->get_property = sitrep_store_indicator_get_property;
  G_OBJECT_CLASS (klass)->set_property = sitrep_store_indicator_set_property;

  /* The console's session: its store, connection and presence are what is shown. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SITREP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-store-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepStoreIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepStoreIndicator, title);
  gtk_widget_class_bind_template_child (widget_class, SitrepStoreIndicator, subtitle);
}

static void
sitrep_store_indicator_init (SitrepStoreIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
