/* sitrep-health-tile-testing.c: what the tests read from a tile, as a person sees it */
#include "config.h"

#include "sitrep-health-tile-private.h"

/* The texts the tile shows, one per line, then a [badge] line for each badge shown, in the
 * order they stand after the name. */
char *
sitrep_health_tile_get_text (SitrepHealthTile *self)
{
  static const char *const names[] = { "\n[flapping]", "\n[stale]", "\n[insecure]" };
  g_autoptr(GString) badges = g_string_new ("");
  const char *latency;
  const char *since;

  g_return_val_if_fail (SITREP_IS_HEALTH_TILE (self), NULL);

  latency = gtk_inscription_get_text (self->latency);
  since = gtk_inscription_get_text (self->since);
  for (GtkWidget *child = gtk_widget_get_next_sibling (GTK_WIDGET (self->name)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (child == self->badges[i] && gtk_widget_get_visible (child))
        g_string_append (badges, names[i]);

  return g_strdup_printf ("%s\n%s\n%s\n%s\n%s%s", gtk_label_get_text (self->name),
                          gtk_label_get_text (self->word), latency ? latency : "",
                          since ? since : "", gtk_label_get_text (self->reason), badges->str);
}
