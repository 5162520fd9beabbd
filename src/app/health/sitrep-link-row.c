/* sitrep-link-row.c: one of a service's links (a dashboard, the logs), opened in the browser
 *
 * Only web addresses open from here (the loader refuses others too): a runbook is not trusted
 * to launch other handlers.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-link-row.h"

struct _SitrepLinkRow
{
  AdwActionRow parent_instance;

  char *url; /* a web address, or NULL */

  GtkWidget *open_button;
};

G_DEFINE_FINAL_TYPE (SitrepLinkRow, sitrep_link_row, ADW_TYPE_ACTION_ROW)

static void
open_clicked_cb (SitrepLinkRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->url != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->url, GDK_CURRENT_TIME);
}

static void
sitrep_link_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_LINK_ROW);

  G_OBJECT_CLASS (sitrep_link_row_parent_class)->dispose (object);
}

static void
sitrep_link_row_finalize (GObject *object)
{
  g_free (SITREP_LINK_ROW (object)->url);

  G_OBJECT_CLASS (sitrep_link_row_parent_class)->finalize (object);
}

static void
sitrep_link_row_class_init (SitrepLinkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_link_row_dispose;
  object_class->finalize = sitrep_link_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-link-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepLinkRow, open_button);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
}

static void
sitrep_link_row_init (SitrepLinkRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_link_row_new (const SitrepLink *link)
{
  const char *scheme;
  gboolean web;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  SitrepLinkRow *self;

  g_return_val_if_fail (link != NULL, NULL);

  scheme = link->url ? g_uri_peek_scheme (link->url) : NULL;
  web = scheme != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"));
  if (link->url == NULL)
    g_string_append (subtitle, _("Not set yet: the runbook has no address for this link"));
  else if (!web)
    g_string_append_printf (subtitle, _("%s (not opened from here: only http and https "
                                        "addresses open)"), link->url);
  else
    g_string_append (subtitle, link->url);
  if (link->note != NULL)
    g_string_append_printf (subtitle, "\n%s", link->note);

  self = g_object_new (SITREP_TYPE_LINK_ROW, "title", link->label, "subtitle", subtitle->str, NULL);
  /* A row's suffix box keeps its spacing around a hidden button: the box shows with it. */
  gtk_widget_set_visible (gtk_widget_get_parent (self->open_button), web);
  if (web)
    {
      /* Translators: the tooltip of a link's Open button, "Open “Grafana” in the browser" */
      g_autofree char *tooltip = g_strdup_printf (_("Open “%s” in the browser"), link->label);

      self->url = g_strdup (link->url);
      gtk_widget_set_tooltip_text (self->open_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_widget_set_visible (self->open_button, TRUE);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->open_button);
    }
  return GTK_WIDGET (self);
}

const char *
sitrep_link_row_get_url (SitrepLinkRow *self)
{
  g_return_val_if_fail (SITREP_IS_LINK_ROW (self), NULL);
  return self->url;
}
