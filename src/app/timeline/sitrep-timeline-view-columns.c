/* sitrep-timeline-view-columns.c: the timeline's columns: time, kind, text, author, star, menu */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-incident-format.h"
#include "sitrep-popover-menu.h"
#include "sitrep-timeline-event-render.h"
#include "sitrep-timeline-text-cell.h"
#include "sitrep-timeline-view-private.h"

const char *
sitrep_timeline_kind_get_label (const char *kind)
{
  /* Events recorded before Sitrep kept fields have "action" and "health" kinds. */
  static const struct { const char *kind; const char *label; } labels[] = {
    { "note", NC_("timeline kind", "Note") },
    { "declared", NC_("timeline kind", "Declared") },
    { "status", NC_("timeline kind", "Status") },
    { "severity", NC_("timeline kind", "Severity") },
    { "start-moved", NC_("timeline kind", "Start moved") },
    { "checklist", NC_("timeline kind", "Checklist") },
    { "escalation", NC_("timeline kind", "Escalation") },
    { "escalation-due", NC_("timeline kind", "Escalation due") },
    { "action", NC_("timeline kind", "Action") },
    { "message", NC_("timeline kind", "Message") },
    { "update", NC_("timeline kind", "Update") },
    { "update-overdue", NC_("timeline kind", "Update overdue") },
    { "health", NC_("timeline kind", "Health") },
  };

  g_return_val_if_fail (kind != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (kind, labels[i].kind))
      return g_dpgettext2 (GETTEXT_PACKAGE, "timeline kind", labels[i].label);
  if (g_str_has_prefix (kind, "action"))
    return C_("timeline kind", "Action");
  if (g_str_has_prefix (kind, "health"))
    return C_("timeline kind", "Health");
  return kind;
}

gint64
sitrep_timeline_parse_time (const char *text,
                            gint64      now,
                            gboolean    utc,
                            GError    **error)
{
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) today = utc ? g_date_time_ref (now_utc) : g_date_time_to_local (now_utc);
  g_autoptr(GDateTime) when = NULL;
  guint hours, minutes;
  char extra;
  gint64 at;

  if (text == NULL || sscanf (text, "%u:%u%c", &hours, &minutes, &extra) != 2 || hours > 23
      || minutes > 59)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a time: type it as HH:MM, for example 03:05."),
                   text ? text : "");
      return -1;
    }
  when = g_date_time_new (g_date_time_get_timezone (today), g_date_time_get_year (today),
                          g_date_time_get_month (today), g_date_time_get_day_of_month (today),
                          hours, minutes, 0);
  at = g_date_time_to_unix (when) * G_USEC_PER_SEC;
  /* 23:50 typed at 00:10 is yesterday's. */
  if (at > now + 60 * G_USEC_PER_SEC)
    at -= G_TIME_SPAN_DAY;
  return at;
}

/* The event in the reader's words: put together for the rows shown only (a list item's bind),
 * never for the whole timeline, which may hold 100,000 events. */
char *
sitrep_timeline_view_render (SitrepTimelineView  *self,
                             SitrepTimelineEvent *event)
{
  return sitrep_timeline_event_render (event, self->utc ? SITREP_TIMELINE_RENDER_UTC
                                                        : SITREP_TIMELINE_RENDER_DEFAULT);
}

char *
sitrep_timeline_view_format_text (SitrepTimelineView  *self,
                                  SitrepTimelineEvent *event)
{
  g_autofree char *sentence = sitrep_timeline_view_render (self, event);
  GString *text = g_string_new (sentence);

  if (sitrep_timeline_event_get_edited (event))
    /* Translators: the marker after a note that was edited */
    g_string_append_printf (text, " %s", _("(edited)"));
  if (sitrep_timeline_event_get_annotation (event) != NULL)
    /* Translators: a note added to a system event, shown under it */
    g_string_append_printf (text, "\n%s", sitrep_timeline_event_get_annotation (event));
  return g_string_free (text, FALSE);
}

char *
sitrep_timeline_view_format_time (SitrepTimelineView  *self,
                                  SitrepTimelineEvent *event)
{
  return sitrep_incident_format_time (sitrep_timeline_event_get_at (event),
                                      sitrep_timeline_view_now (self), self->utc, FALSE);
}

/* The row menu's actions; the system's own events can only be annotated (and starred). */
GStrv
sitrep_timeline_view_actions_for (SitrepTimelineEvent *event)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!sitrep_timeline_event_get_is_system (event))
    {
      g_strv_builder_add (builder, "timeline.edit");
      g_strv_builder_add (builder, "timeline.delete");
    }
  g_strv_builder_add (builder, "timeline.annotate");
  return g_strv_builder_end (builder);
}

/* The date and time of @event, as the time cell's tooltip and description give it. */
static char *
full_time (SitrepTimelineView  *self,
           SitrepTimelineEvent *event)
{
  return sitrep_incident_format_time (sitrep_timeline_event_get_at (event),
                                      sitrep_timeline_view_now (self), self->utc, TRUE);
}

/* The tooltips of the cells are asked for when the pointer rests on one, never set on the
 * ~200 rows GTK 4.8's column view binds: in GTK 4.8 setting a visible widget's tooltip text
 * asks the display server where the pointer is (a round trip each time, the main loop waiting),
 * which cost a third of the time from Alt+3 to the rows (docs/PERFORMANCE.md). What a screen
 * reader says is set as the tooltip set it: the description. */
static gboolean
time_tooltip_cb (GtkWidget   *label,
                 int          x,
                 int          y,
                 gboolean     keyboard,
                 GtkTooltip  *tooltip,
                 GtkListItem *item)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *view = gtk_widget_get_ancestor (label, SITREP_TYPE_TIMELINE_VIEW);
  g_autofree char *full = NULL;

  if (event == NULL || view == NULL)
    return FALSE;
  full = full_time (SITREP_TIMELINE_VIEW (view), event);
  gtk_tooltip_set_text (tooltip, full);
  return TRUE;
}

/* @text: a translated string, which lives as long as the program */
static gboolean
fixed_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  const char *text)
{
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_fixed_tooltip (GtkWidget  *widget,
                   const char *text)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (fixed_tooltip_cb), (gpointer) text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
setup_time_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label;

  setup_label_cb (factory, item, user_data);
  label = gtk_list_item_get_child (item);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_has_tooltip (label, TRUE);
  /* The item owns the label: it outlives every call. */
  g_signal_connect (label, "query-tooltip", G_CALLBACK (time_tooltip_cb), item);
}

static void
bind_time_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SitrepTimelineView       *self)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  g_autofree char *time = sitrep_timeline_view_format_time (self, event);
  g_autofree char *full = full_time (self, event);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), time);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, full, -1);
}

static void
bind_kind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      sitrep_timeline_kind_get_label (sitrep_timeline_event_get_kind (event)));
}

static void
bind_author_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  g_autofree char *author = sitrep_timeline_event_render_author (event);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), author);
}

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gtk_list_item_set_child (item, sitrep_timeline_text_cell_new ());
}

static void
bind_text_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SitrepTimelineView       *self)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  const char *note = sitrep_timeline_event_get_annotation (event);
  g_autofree char *original = NULL;
  g_autofree char *annotation = NULL;
  g_autofree char *text = sitrep_timeline_view_render (self, event);

  if (sitrep_timeline_event_get_edited (event))
    original = g_strdup_printf (_("Originally: %s"),
                                sitrep_timeline_event_get_original_text (event));
  if (note != NULL)
    /* Translators: an annotation of a recorded event, under its text */
    annotation = g_strdup_printf (_("Annotation: %s"), note);
  sitrep_timeline_text_cell_set (SITREP_TIMELINE_TEXT_CELL (cell), text, original, annotation);
}

/* The star belongs to the row's event, whichever that is now: the list item says. */
static void
star_toggled_cb (GtkToggleButton *button,
                 GtkListItem     *item)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (button), SITREP_TYPE_TIMELINE_VIEW);
  gboolean active = gtk_toggle_button_get_active (button);

  if (event == NULL || view == NULL || active == sitrep_timeline_event_get_starred (event))
    return;
  if (!sitrep_timeline_view_star (SITREP_TIMELINE_VIEW (view), sitrep_timeline_event_get_id (event),
                                  active, NULL))
    gtk_toggle_button_set_active (button, sitrep_timeline_event_get_starred (event));
}

static void
setup_star_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_button_set_icon_name (GTK_BUTTON (button), "non-starred-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  set_fixed_tooltip (button, _("Star as a key event"));
  g_signal_connect_object (button, "toggled", G_CALLBACK (star_toggled_cb), item, 0);
  gtk_list_item_set_child (item, button);
}

static void
bind_star_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *button = gtk_list_item_get_child (item);
  gboolean starred = sitrep_timeline_event_get_starred (event);

  /* The event is already the item's: toggling to its own state records nothing. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), starred);
  gtk_button_set_icon_name (GTK_BUTTON (button),
                            starred ? "starred-symbolic" : "non-starred-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  starred ? _("Starred") : _("Not starred"), -1);
}

/* The menu of @event's row: a note's is edited, deleted and annotated; a system event's is only
 * annotated. */
static GMenuModel *
event_menu (SitrepTimelineEvent *event)
{
  g_auto(GStrv) actions = sitrep_timeline_view_actions_for (event);
  GMenu *menu = g_menu_new ();
  gint64 id = sitrep_timeline_event_get_id (event);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) entry = NULL;
      const char *label;

      if (g_str_equal (actions[i], "timeline.edit"))
        label = _("_Edit…");
      else if (g_str_equal (actions[i], "timeline.delete"))
        label = _("_Delete");
      else
        label = _("_Annotate…");
      entry = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (entry, actions[i], g_variant_new_int64 (id));
      g_menu_append_item (menu, entry);
    }
  return G_MENU_MODEL (menu);
}

/* The menu closed: its button says so (the focus comes back to it, sitrep-popover-menu.c). */
static void
row_menu_closed_cb (GtkPopover *popover,
                    GtkWidget  *button)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_EXPANDED, FALSE,
                               -1);
}

/* The row's menu is a popover of the view, made when it opens and pointed at the row's button:
 * the rows are recycled, and a GtkMenuButton in each of the ~200 rows GTK 4.8 binds (a toggle
 * button inside each, its popover machinery) cost 15 ms of the Timeline's opening
 * (docs/PERFORMANCE.md). The menu points where the button was when it opened; its items name
 * the event by its id, so a row moved or recycled meanwhile changes nothing of what they do. */
static void
menu_clicked_cb (GtkButton   *button,
                 GtkListItem *item)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (button), SITREP_TYPE_TIMELINE_VIEW);
  SitrepTimelineView *self;
  g_autoptr(GMenuModel) menu = NULL;
  graphene_rect_t bounds;
  GdkRectangle at;

  if (event == NULL || view == NULL
      || !gtk_widget_compute_bounds (GTK_WIDGET (button), view, &bounds))
    return;
  self = SITREP_TIMELINE_VIEW (view);
  sitrep_popover_menu_clear (&self->row_menu);
  menu = event_menu (event);
  at = (GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                        (int) bounds.size.width, (int) bounds.size.height };
  self->row_menu = sitrep_popover_menu_new (view, menu, &at, GTK_WIDGET (button));
  /* Told as long as the button lives (the item owns it). */
  g_signal_connect_object (self->row_menu, "closed", G_CALLBACK (row_menu_closed_cb), button,
                           0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_EXPANDED, TRUE, -1);
  gtk_popover_popup (self->row_menu);
}

static void
setup_menu_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("view-more-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  set_fixed_tooltip (button, _("Event Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Event Menu"),
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);
  /* The item owns the button: it outlives every call. */
  g_signal_connect (button, "clicked", G_CALLBACK (menu_clicked_cb), item);
  gtk_list_item_set_child (item, button);
}

/* The columns are in the view's template; their cells are made and filled here. */
void
sitrep_timeline_view_bind_columns (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, setup_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_time_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_time_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_kind_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_author_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_star_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_star_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_menu_cb);
}
