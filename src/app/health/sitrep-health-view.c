/* sitrep-health-view.c: the Health view: a live tile per service, and each service's page */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-drill-scenario.h"
#include "sitrep-health-tile.h"
#include "sitrep-health-view-private.h"
#include "sitrep-popover-menu.h"
#include "sitrep-service-page.h"

/* Every tile moves on in one frame this often: "Down for 3 min", and the latency and history a
 * new result brought without changing the health (sitrep-health-tile.c). */
#define REFRESH_SECONDS 5

/* A tile is never narrower than its width-request (sitrep-health-tile.ui), and the grid shows
 * at most this many of them in a row. A column is wider still (the grid's child padding in
 * style.css): dividing by this never allows fewer columns than GTK would lay out, at most one
 * more, which changes neither the layout nor the width, so fitting never loops. */
#define TILE_MIN_WIDTH 260
#define MAX_COLUMNS 8

G_DEFINE_FINAL_TYPE (SitrepHealthView, sitrep_health_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MONITOR,
  PROP_ACTION_CONTROLLER,
  PROP_OFFER_DRILL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_summary (SitrepHealthView *self)
{
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  if (self->monitor == NULL)
    {
      gtk_label_set_text (self->summary_label, "");
      return;
    }
  counts = sitrep_monitor_describe_counts (self->monitor);
  if (sitrep_monitor_get_paused (self->monitor))
    /* Translators: the Health view's summary while probing is paused */
    text = g_strdup_printf (_("Paused · %s"), counts);
  gtk_label_set_text (self->summary_label, text ? text : counts);
}

/* On a first run with the built-in runbook and nothing answering (none of CareCircle's hosts
 * exist on a newcomer's computer), a page offering a drill or the team's own runbook stands in
 * for a wall of Down tiles. Once a service has answered, the tiles are what matters: the page
 * never comes back over them for this runbook, whatever goes down later. */
static void
update_welcome (SitrepHealthView *self)
{
  gboolean welcome;

  if (self->monitor != NULL && !self->seen_up)
    {
      guint n_down, n_degraded, n_unknown, n_up;

      sitrep_monitor_count (self->monitor, &n_down, &n_degraded, &n_unknown, &n_up);
      self->seen_up = n_up > 0;
    }
  welcome = self->offer_drill && self->monitor != NULL && !self->seen_up && !self->welcome_closed;
  /* A 128-pixel symbolic icon is an SVG that GTK renders with librsvg (9.6 MB, issue 13): only
   * once the page is shown. The page is visible only while shown: GTK styles the widgets of a
   * visible page even while the stack shows another (docs/PERFORMANCE.md). */
  if (welcome)
    {
      adw_status_page_set_icon_name (self->welcome_page, "applications-science-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->welcome_page), TRUE);
    }
  gtk_stack_set_visible_child_name (self->grid_stack, welcome ? "welcome" : "grid");
  if (!welcome)
    gtk_widget_set_visible (GTK_WIDGET (self->welcome_page), FALSE);
}

static void
health_changed_cb (SitrepHealthView *self)
{
  update_summary (self);
  update_welcome (self);
}

static void
show_services_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SitrepHealthView *self = SITREP_HEALTH_VIEW (widget);

  self->welcome_closed = TRUE;
  update_welcome (self);
}

/* GTK 4.8's grid makes max-columns × 30 tiles as soon as it has a model, whatever its width
 * holds: with 8 columns, 257 tiles built, bound, styled and measured before the first frame of
 * a runbook of many services, where a window 1,000 pixels wide shows 3 columns (issue 13: the
 * time to the dashboard). The grid is allowed the columns its width holds, the window's width
 * before the grid has one of its own (not for a maximized or full-screen window, whose default
 * width is the one it comes back to), and follows the width as it changes. */
static void
fit_columns (SitrepHealthView *self)
{
  GtkAdjustment *across = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid));
  int width = (int) gtk_adjustment_get_page_size (across);
  guint columns;

  if (width <= 0)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      int height;

      /* GTK 4.8 writes through both pointers: NULL crashes despite (optional). */
      if (GTK_IS_WINDOW (root) && !gtk_window_is_maximized (GTK_WINDOW (root))
          && !gtk_window_is_fullscreen (GTK_WINDOW (root)))
        gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
    }
  if (width <= 0)
    return;
  columns = CLAMP (width / TILE_MIN_WIDTH, 1, MAX_COLUMNS);
  if (gtk_grid_view_get_max_columns (self->grid) != columns)
    gtk_grid_view_set_max_columns (self->grid, columns);
}

static gboolean
fit_columns_cb (gpointer user_data)
{
  SitrepHealthView *self = user_data;

  self->fit_id = 0;
  fit_columns (self);
  return G_SOURCE_REMOVE;
}

/* The width changed while the grid was being allocated, which a new number of columns must
 * not change under it (GTK asserts): after the allocation. */
static void
page_size_cb (SitrepHealthView *self)
{
  /* NULL once the template is disposed. */
  if (self->grid != NULL && self->fit_id == 0)
    self->fit_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_columns_cb, self, NULL);
}

static gboolean
refresh_cb (gpointer user_data)
{
  SitrepHealthView *self = user_data;
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < self->tiles->len; i++)
    sitrep_health_tile_refresh (self->tiles->pdata[i], now);
  return G_SOURCE_CONTINUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          SitrepHealthView         *self)
{
  gtk_list_item_set_child (item, sitrep_health_tile_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         SitrepHealthView         *self)
{
  SitrepHealthTile *tile = SITREP_HEALTH_TILE (gtk_list_item_get_child (item));

  sitrep_health_tile_set_state (tile, gtk_list_item_get_item (item));
  g_ptr_array_add (self->tiles, tile);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SitrepHealthView         *self)
{
  SitrepHealthTile *tile = SITREP_HEALTH_TILE (gtk_list_item_get_child (item));

  g_ptr_array_remove_fast (self->tiles, tile);
  sitrep_health_tile_set_state (tile, NULL);
}

static void
show_service (SitrepHealthView   *self,
              SitrepServiceState *state)
{
  gtk_label_set_text (self->service_title, sitrep_service_state_get_name (state));
  sitrep_service_page_set_state (self->service_page, state);
  /* Visible from the first service shown on: GTK styles a visible page and the leaflet
   * measures it even while it shows the grid, and a console's first frame need not pay for
   * this one (docs/PERFORMANCE.md). */
  gtk_widget_set_visible (adw_leaflet_get_child_by_name (self->leaflet, "service"), TRUE);
  adw_leaflet_set_visible_child_name (self->leaflet, "service");
}

static void
activate_cb (GtkGridView      *grid,
             guint             position,
             SitrepHealthView *self)
{
  g_autoptr(SitrepServiceState) state =
    g_list_model_get_item (G_LIST_MODEL (gtk_grid_view_get_model (grid)), position);

  if (state != NULL)
    show_service (self, state);
}

/* The mitigations a commander reaches for (the runbook's commands that change the service:
 * restart, roll back, scale) on the tile, each opening the same confirmation as on its page. */
static GMenuModel *
build_tile_menu (SitrepHealthView   *self,
                 SitrepServiceState *state)
{
  const SitrepService *service = sitrep_service_state_get_service (state);
  SitrepRunbook *runbook = sitrep_service_state_get_runbook (state);
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) mitigations = g_menu_new ();
  g_autoptr(GMenu) details = g_menu_new ();

  for (guint i = 0; service->actions != NULL && service->actions[i] != NULL; i++)
    {
      const SitrepAction *action = sitrep_runbook_find_action (runbook, service->actions[i]);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      if (action == NULL || !action->mutates
          || (self->controller != NULL
              && sitrep_action_controller_is_hidden (self->controller, action)))
        continue;
      /* Translators: a command in a tile's menu that asks before it runs, "Restart…" */
      label = g_strdup_printf (_("%s…"), action->label);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.run-action",
                                               g_variant_new ("(ss)", service->id, action->id));
      g_menu_append_item (mitigations, item);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (mitigations)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (mitigations));
  {
    g_autoptr(GMenuItem) item = g_menu_item_new (_("Show Details"), NULL);

    g_menu_item_set_action_and_target_value (item, "health.show-service",
                                             g_variant_new_string (service->id));
    g_menu_append_item (details, item);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (details));
  return G_MENU_MODEL (menu);
}

/* Opens @tile's menu pointing at (@x, @y) in the view, or under the tile's middle when @x < 0
 * (from the keyboard). The popover belongs to the view: tiles are recycled by the grid. */
static void
popup_tile_menu (SitrepHealthView *self,
                 SitrepHealthTile *tile,
                 double            x,
                 double            y)
{
  SitrepServiceState *state = sitrep_health_tile_get_state (tile);
  g_autoptr(GMenuModel) model = NULL;
  graphene_rect_t bounds;
  GdkRectangle at;

  if (state == NULL)
    return;
  sitrep_popover_menu_clear (&self->tile_menu);
  model = build_tile_menu (self, state);
  if (x < 0 && gtk_widget_compute_bounds (GTK_WIDGET (tile), GTK_WIDGET (self), &bounds))
    {
      x = bounds.origin.x + bounds.size.width / 2;
      y = bounds.origin.y + bounds.size.height / 2;
    }
  at = (GdkRectangle) { (int) MAX (x, 0), (int) MAX (y, 0), 1, 1 };
  /* The focus comes back to the grid's item of the tile, where the keyboard was. */
  self->tile_menu = sitrep_popover_menu_new (GTK_WIDGET (self), model, &at,
                                             gtk_widget_get_parent (GTK_WIDGET (tile)));
  gtk_popover_set_has_arrow (self->tile_menu, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->tile_menu), GTK_ALIGN_START);
  gtk_popover_popup (self->tile_menu);
}

static SitrepHealthTile *
tile_at (GtkWidget *widget)
{
  /* A grid item holds its tile; a widget inside a tile has it as an ancestor. */
  GtkWidget *child = widget ? gtk_widget_get_first_child (widget) : NULL;

  if (child != NULL && SITREP_IS_HEALTH_TILE (child))
    return SITREP_HEALTH_TILE (child);
  widget = widget ? gtk_widget_get_ancestor (widget, SITREP_TYPE_HEALTH_TILE) : NULL;
  return widget ? SITREP_HEALTH_TILE (widget) : NULL;
}

static void
grid_pressed_cb (GtkGestureClick  *gesture,
                 int               n_press,
                 double            x,
                 double            y,
                 SitrepHealthView *self)
{
  SitrepHealthTile *tile = tile_at (gtk_widget_pick (GTK_WIDGET (self->grid), x, y,
                                                     GTK_PICK_DEFAULT));
  double view_x, view_y;

  if (tile == NULL ||
      !gtk_widget_translate_coordinates (GTK_WIDGET (self->grid), GTK_WIDGET (self), x, y,
                                         &view_x, &view_y))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_tile_menu (self, tile, view_x, view_y);
}

/* Menu or Shift+F10 on the focused tile. */
static void
tile_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SitrepHealthView *self = SITREP_HEALTH_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  SitrepHealthTile *tile;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->grid)))
    return;
  if ((tile = tile_at (focus)) != NULL)
    popup_tile_menu (self, tile, -1, -1);
}

static void
show_service_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SitrepHealthView *self = SITREP_HEALTH_VIEW (widget);
  SitrepServiceState *state;

  if (self->monitor == NULL)
    return;
  state = sitrep_monitor_find_service (self->monitor, g_variant_get_string (parameter, NULL));
  if (state != NULL)
    show_service (self, state);
}

static void
probe_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SitrepHealthView *self = SITREP_HEALTH_VIEW (widget);

  if (self->monitor != NULL)
    sitrep_monitor_probe_now (self->monitor);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sitrep_health_view_show_grid (SITREP_HEALTH_VIEW (widget));
}

static void
sitrep_health_view_dispose (GObject *object)
{
  SitrepHealthView *self = (SitrepHealthView *) object;

  sitrep_health_view_set_monitor (self, NULL);
  g_clear_object (&self->controller);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  sitrep_popover_menu_clear (&self->tile_menu);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_HEALTH_VIEW);
  /* After the template: its grid's last width change may have queued a fit. */
  g_clear_handle_id (&self->fit_id, g_source_remove);
  g_clear_pointer (&self->tiles, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_health_view_parent_class)->dispose (object);
}

static void
sitrep_health_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SitrepHealthView *self = SITREP_HEALTH_VIEW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_ACTION_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    case PROP_OFFER_DRILL:
      g_value_set_boolean (value, self->offer_drill);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_health_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SitrepHealthView *self = SITREP_HEALTH_VIEW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      sitrep_health_view_set_monitor (self, g_value_get_object (value));
      break;
    case PROP_ACTION_CONTROLLER:
      sitrep_health_view_set_action_controller (self, g_value_get_object (value));
      break;
    case PROP_OFFER_DRILL:
      sitrep_health_view_set_offer_drill (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_health_view_class_init (SitrepHealthViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_health_view_dispose;
  object_class->get_property = sitrep_health_view_get_property;
  object_class->set_property = sitrep_health_view_set_property;

  /* The services shown, and the commands their pages offer. */
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, SITREP_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION_CONTROLLER] =
    g_param_spec_object ("action-controller", NULL, NULL, SITREP_TYPE_ACTION_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Offer a drill while no service answers: the first run on the built-in runbook. */
  properties[PROP_OFFER_DRILL] =
    g_param_spec_boolean ("offer-drill", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SITREP_TYPE_SERVICE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-health-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, grid);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, welcome_drill_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, service_title);
  gtk_widget_class_bind_template_child (widget_class, SitrepHealthView, service_page);
  gtk_widget_class_bind_template_callback (widget_class, setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_install_action (widget_class, "health.probe-now", NULL, probe_now_action);
  gtk_widget_class_install_action (widget_class, "health.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "health.show-services", NULL,
                                   show_services_action);
  gtk_widget_class_install_action (widget_class, "health.show-service", "s", show_service_action);
  gtk_widget_class_install_action (widget_class, "health.tile-menu", NULL, tile_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "health.probe-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "health.tile-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "health.tile-menu", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sitrep_health_view_init (SitrepHealthView *self)
{
  guint n_scenarios;
  const SitrepDrillScenarioInfo *scenarios = sitrep_drill_scenario_list (&n_scenarios);

  self->tiles = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (grid_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->grid), GTK_EVENT_CONTROLLER (click));
  }
  /* One click to a drill: the first scenario; the main menu has them all. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->welcome_drill_button),
                                          g_variant_new_string (scenarios[0].id));
  update_welcome (self);
  /* The grid's horizontal page is its width (the template's scrolled window gave the grid its
   * adjustments). */
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid)),
                           "notify::page-size", G_CALLBACK (page_size_cb), self,
                           G_CONNECT_SWAPPED);

  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

void
sitrep_health_view_set_monitor (SitrepHealthView *self,
                                SitrepMonitor    *monitor)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (SITREP_IS_HEALTH_VIEW (self));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_signal_handlers_disconnect_by_data (sitrep_monitor_get_services (self->monitor), self);
      g_clear_pointer (&self->paused_binding, g_binding_unbind);
    }
  g_set_object (&self->monitor, monitor);
  if (monitor == NULL)
    g_clear_object (&self->monitor);

  if (self->service_page != NULL)
    {
      sitrep_service_page_set_state (self->service_page, NULL);
      adw_leaflet_set_visible_child_name (self->leaflet, "grid");
    }

  if (monitor != NULL)
    {
      selection = gtk_no_selection_new (g_object_ref (sitrep_monitor_get_services (monitor)));
      g_signal_connect_swapped (monitor, "health-changed", G_CALLBACK (health_changed_cb), self);
      g_signal_connect_swapped (monitor, "notify::paused", G_CALLBACK (update_summary), self);
      self->paused_binding = g_object_bind_property (monitor, "paused", self->pause_button,
                                                     "active",
                                                     G_BINDING_BIDIRECTIONAL
                                                       | G_BINDING_SYNC_CREATE);
    }
  if (self->grid != NULL)
    {
      fit_columns (self);
      gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (selection));
    }
  update_summary (self);
  /* Another runbook: its own world, which may not answer either. */
  self->seen_up = FALSE;
  self->welcome_closed = FALSE;
  if (self->grid_stack != NULL)
    update_welcome (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

SitrepMonitor *
sitrep_health_view_get_monitor (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return self->monitor;
}

void
sitrep_health_view_open_service (SitrepHealthView *self,
                                 const char       *service_id)
{
  SitrepServiceState *state;

  g_return_if_fail (SITREP_IS_HEALTH_VIEW (self));

  if (self->monitor == NULL)
    return;
  state = sitrep_monitor_find_service (self->monitor, service_id);
  if (state != NULL)
    show_service (self, state);
}

void
sitrep_health_view_show_grid (SitrepHealthView *self)
{
  g_return_if_fail (SITREP_IS_HEALTH_VIEW (self));

  adw_leaflet_set_visible_child_name (self->leaflet, "grid");
  sitrep_service_page_set_state (self->service_page, NULL);
}

void
sitrep_health_view_set_action_controller (SitrepHealthView       *self,
                                          SitrepActionController *controller)
{
  g_return_if_fail (SITREP_IS_HEALTH_VIEW (self));

  if (!g_set_object (&self->controller, controller))
    return;
  sitrep_service_page_set_controller (self->service_page, controller);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION_CONTROLLER]);
}

SitrepActionController *
sitrep_health_view_get_action_controller (SitrepHealthView *self)
{
  g_return_val_if_fail (SITREP_IS_HEALTH_VIEW (self), NULL);
  return self->controller;
}

void
sitrep_health_view_set_offer_drill (SitrepHealthView *self,
                                    gboolean          offer_drill)
{
  g_return_if_fail (SITREP_IS_HEALTH_VIEW (self));

  offer_drill = !!offer_drill;
  if (self->offer_drill == offer_drill)
    return;
  self->offer_drill = offer_drill;
  update_welcome (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFER_DRILL]);
}
