/* sitrep-health-tile.c: one service at a glance: state in icon, word and colour, latency, history */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sitrep-health-tile-private.h"

G_DEFINE_FINAL_TYPE (SitrepHealthTile, sitrep_health_tile, GTK_TYPE_WIDGET)

static const char *const state_classes[] = { "up", "unknown", "degraded", "down" };

static const char *
icon_for (SitrepHealth health)
{
  switch (health)
    {
    case SITREP_HEALTH_UP:
      return "emblem-ok-symbolic";
    case SITREP_HEALTH_DEGRADED:
      return "dialog-warning-symbolic";
    case SITREP_HEALTH_DOWN:
      return "dialog-error-symbolic";
    case SITREP_HEALTH_UNKNOWN:
    default:
      /* Not dialog-question-symbolic: Adwaita draws it as a diamond with a question mark, which
       * reads as the "�" of a missing glyph. No answer yet: three dots. */
      return "content-loading-symbolic";
    }
}

static void
sitrep_health_tile_dispose (GObject *object)
{
  SitrepHealthTile *self = (SitrepHealthTile *) object;

  sitrep_health_tile_set_state (self, NULL);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->shown_reason, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_HEALTH_TILE);
  /* Children of the template's box, gone with it. */
  memset (self->badges, 0, sizeof self->badges);

  G_OBJECT_CLASS (sitrep_health_tile_parent_class)->dispose (object);
}

static void
sitrep_health_tile_class_init (SitrepHealthTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_health_tile_dispose;

  g_type_ensure (SITREP_TYPE_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-health-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, box);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, name);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, word);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, latency);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, sparkline);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, since);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthTile, reason);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "healthtile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* The reason whole, where the tile cuts it. Asked for when the pointer rests on it: set as a
 * tooltip with every change, GTK 4.8 would ask the display server where the pointer is. */
static gboolean
reason_tooltip_cb (GtkWidget  *reason,
                   int         x,
                   int         y,
                   gboolean    keyboard,
                   GtkTooltip *tooltip,
                   gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (reason));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
sitrep_health_tile_init (SitrepHealthTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->reason), TRUE);
  g_signal_connect (self->reason, "query-tooltip", G_CALLBACK (reason_tooltip_cb), NULL);
}

GtkWidget *
sitrep_health_tile_new (void)
{
  return g_object_new (SITREP_TYPE_HEALTH_TILE, NULL);
}

/* The flapping, stale and insecure flags, as one number to compare. */
static guint
flags_of (SitrepServiceState *state)
{
  return (sitrep_service_state_get_flapping (state) ? 1 : 0)
         | (sitrep_service_state_get_stale (state) ? 2 : 0)
         | (sitrep_service_state_get_insecure (state) ? 4 : 0);
}

/* Shows the badges of @flags (flags_of()), making each the first time it is shown. */
static void
show_badges (SitrepHealthTile *self,
             guint             flags)
{
  static const struct
  {
    const char *label;
    const char *tooltip;
  } badges[] = {
    { N_("Flapping"), N_("The results keep changing: notifications are muted until they settle") },
    { N_("Stale"), N_("No fresh result for more than twice the probe interval") },
    { N_("TLS not verified"), N_("The runbook turns off certificate checks for this probe") },
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (badges) == G_N_ELEMENTS (((SitrepHealthTile *) NULL)->badges));
  GtkWidget *after = GTK_WIDGET (self->name);

  for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
    {
      gboolean shown = (flags & (1u << i)) != 0;

      if (shown && self->badges[i] == NULL)
        {
          GtkWidget *badge = gtk_label_new (_(badges[i].label));

          gtk_widget_add_css_class (badge, "badge");
          /* Hidden while its tooltip is set: GTK 4.8 asks the display server where the
           * pointer is when a visible widget's tooltip is set, a round trip
           * (docs/PERFORMANCE.md). */
          gtk_widget_set_visible (badge, FALSE);
          gtk_widget_set_tooltip_text (badge, _(badges[i].tooltip));
          gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (after)), badge, after);
          self->badges[i] = badge;
        }
      if (self->badges[i] != NULL)
        {
          gtk_widget_set_visible (self->badges[i], shown);
          after = self->badges[i];
        }
    }
}

/* A new result: a change of health (or its first result), of its reason or of a flag shows at
 * once. A new latency and a new point of history alone wait for the health view's refresh
 * every few seconds, which moves every tile on in one frame: with a result a second from each
 * of hundreds of services, a tile redrawn for each would keep the window drawing without
 * pause. */
static void
state_changed_cb (SitrepHealthTile *self)
{
  if (sitrep_service_state_get_health (self->state) == self->shown_health
      && sitrep_service_state_get_since (self->state) == self->shown_since
      && flags_of (self->state) == self->shown_flags
      && g_strcmp0 (sitrep_service_state_get_reason (self->state), self->shown_reason) == 0)
    return;
  sitrep_health_tile_refresh (self, g_get_real_time ());
}

void
sitrep_health_tile_set_state (SitrepHealthTile   *self,
                              SitrepServiceState *state)
{
  g_return_if_fail (SITREP_IS_HEALTH_TILE (self));

  if (self->state == state)
    return;
  if (self->state != NULL)
    g_clear_signal_handler (&self->changed_id, self->state);
  g_set_object (&self->state, state);
  if (state != NULL)
    {
      self->changed_id = g_signal_connect_swapped (state, "changed", G_CALLBACK (state_changed_cb),
                                                   self);
      sitrep_health_tile_refresh (self, g_get_real_time ());
    }
  else
    {
      g_clear_object (&self->state);
    }
}

SitrepServiceState *
sitrep_health_tile_get_state (SitrepHealthTile *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_TILE (self), NULL);
  return self->state;
}

static char *
describe_since (SitrepHealth health,
                gint64       since,
                gint64       now)
{
  g_autofree char *span = NULL;

  if (since == 0)
    return g_strdup (_("No result yet"));
  span = sitrep_clock_format_span (now - since);
  switch (health)
    {
    case SITREP_HEALTH_UP:
      /* Translators: %s is a span of time, "3 min" */
      return g_strdup_printf (_("Up for %s"), span);
    case SITREP_HEALTH_DEGRADED:
      return g_strdup_printf (_("Degraded for %s"), span);
    case SITREP_HEALTH_DOWN:
      return g_strdup_printf (_("Down for %s"), span);
    case SITREP_HEALTH_UNKNOWN:
    default:
      return g_strdup_printf (_("Unknown for %s"), span);
    }
}

/* Updates every text from the state; @now moves "down for 3 min" on between results. */
void
sitrep_health_tile_refresh (SitrepHealthTile *self,
                            gint64            now)
{
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  SitrepHealth health;
  g_autofree char *since = NULL;
  g_autofree char *latency = NULL;
  g_autofree char *description = NULL;
  const char *reason;
  double ms;
  guint n;

  g_return_if_fail (SITREP_IS_HEALTH_TILE (self));

  if (self->state == NULL)
    return;

  health = sitrep_service_state_get_health (self->state);
  self->shown_health = health;
  self->shown_since = sitrep_service_state_get_since (self->state);
  self->shown_flags = flags_of (self->state);
  g_free (self->shown_reason);
  self->shown_reason = g_strdup (sitrep_service_state_get_reason (self->state));
  /* Touch the style only when the state changed: a new class restyles the whole tile. */
  if (!gtk_widget_has_css_class (self->box, state_classes[health]))
    {
      for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
        gtk_widget_remove_css_class (self->box, state_classes[i]);
      gtk_widget_add_css_class (self->box, state_classes[health]);
      gtk_image_set_from_icon_name (self->icon, icon_for (health));
    }
  gtk_label_set_text (self->name, sitrep_service_state_get_name (self->state));
  gtk_label_set_text (self->word, sitrep_health_get_label (health));

  ms = sitrep_service_state_get_latency (self->state);
  if (ms >= 0)
    latency = ms < 10 ? g_strdup_printf (_("%.1f ms"), ms) : g_strdup_printf (_("%.0f ms"), ms);
  gtk_inscription_set_text (self->latency, latency);

  since = describe_since (health, sitrep_service_state_get_since (self->state), now);
  gtk_inscription_set_text (self->since, since);

  reason = sitrep_service_state_get_reason (self->state);
  gtk_label_set_text (self->reason, health != SITREP_HEALTH_UP && reason ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason), health != SITREP_HEALTH_UP && reason);

  show_badges (self, flags_of (self->state));

  n = sitrep_service_state_get_history (self->state, points, G_N_ELEMENTS (points));
  sitrep_sparkline_set_points (self->sparkline, points, n);

  /* Translators: what a screen reader says for a tile: "API: Down. Down for 3 min. …" */
  description = g_strdup_printf (_("%s: %s. %s. %s"), sitrep_service_state_get_name (self->state),
                                 sitrep_health_get_label (health), since,
                                 health != SITREP_HEALTH_UP && reason ? reason : "");
  /* Told to a screen reader only when it says something new: an update is a D-Bus signal. */
  if (g_strcmp0 (description, self->description) != 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      description, -1);
      g_free (self->description);
      self->description = g_steal_pointer (&description);
    }
}
