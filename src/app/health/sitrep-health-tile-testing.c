/* sitrep-health-tile-testing.c: what the tests read from a tile, as a person sees it */
#include "config.h"

#include "sitrep-health-tile-private.h"

static gboolean
shown (GtkWidget *badge)
{
  return badge != NULL && gtk_widget_get_visible (badge);
}

/* The texts the tile shows, one per line, with a [badge] line for each badge shown. */
char *
sitrep_health_tile_get_text (SitrepHealthTile *self)
{
  const char *latency;
  const char *since;

  g_return_val_if_fail (SITREP_IS_HEALTH_TILE (self), NULL);

  latency = gtk_inscription_get_text (self->latency);
  since = gtk_inscription_get_text (self->since);

  return g_strdup_printf ("%s\n%s\n%s\n%s\n%s%s%s%s", gtk_label_get_text (self->name),
                          gtk_label_get_text (self->word), latency ? latency : "",
                          since ? since : "", gtk_label_get_text (self->reason),
                          shown (self->badges[0]) ? "\n[flapping]" : "",
                          shown (self->badges[1]) ? "\n[stale]" : "",
                          shown (self->badges[2]) ? "\n[insecure]" : "");
}
