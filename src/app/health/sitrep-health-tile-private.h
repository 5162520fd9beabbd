/* sitrep-health-tile-private.h: what a tile and the tests that read it share */
#pragma once

#include "sitrep-health-tile.h"
#include "sitrep-sparkline.h"

G_BEGIN_DECLS

struct _SitrepHealthTile
{
  GtkWidget parent_instance;

  SitrepServiceState *state;
  gulong changed_id;
  char *description; /* what the screen reader was last told */
  /* What the tile shows of the state's health, which a new result changes at once
   * (state_changed_cb()). */
  SitrepHealth shown_health;
  gint64 shown_since;
  guint shown_flags;
  char *shown_reason;

  GtkWidget *box;
  GtkImage *icon;
  GtkLabel *name;
  GtkLabel *word;
  GtkInscription *latency;
  /* The flapping, stale and insecure badges after the name, each made the first time it is
   * shown: three labels in each of up to a hundred tiles, most of them never shown. */
  GtkWidget *badges[3];
  SitrepSparkline *sparkline;
  GtkInscription *since;
  GtkLabel *reason;
};

/* Defined in sitrep-health-tile-testing.c, which only the tests link. */
char *sitrep_health_tile_get_text (SitrepHealthTile *self);

G_END_DECLS
