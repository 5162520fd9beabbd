/* sitrep-timeline-view-columns.c: the timeline's columns: time, kind, text, author, star, menu */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-incident-format.h"
#include "sitrep-timeline-view-private.h"

const char *
sitrep_timeline_kind_get_label (const char *kind)
{
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

char *
sitrep_timeline_view_format_text (SitrepTimelineEvent *event)
{
  GString *text = g_string_new (sitrep_timeline_event_get_text (event));

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

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data))
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_time_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SitrepTimelineView       *self)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  g_autofree char *time = sitrep_timeline_view_format_time (self, event);
  g_autofree char *full = sitrep_incident_format_time (sitrep_timeline_event_get_at (event),
                                                       sitrep_timeline_view_now (self), self->utc,
                                                       TRUE);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), time);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), full);
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
  const char *author = sitrep_timeline_event_get_author (event);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), author ? author : "");
}

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *edited = gtk_label_new (_("(edited)"));
  GtkWidget *annotation = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), FALSE);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (edited, "dim-label");
  gtk_widget_add_css_class (edited, "caption");
  gtk_widget_set_valign (edited, GTK_ALIGN_BASELINE);
  gtk_label_set_xalign (GTK_LABEL (annotation), 0);
  gtk_label_set_wrap (GTK_LABEL (annotation), TRUE);
  gtk_widget_add_css_class (annotation, "dim-label");
  gtk_widget_add_css_class (annotation, "caption");
  gtk_box_append (GTK_BOX (line), text);
  gtk_box_append (GTK_BOX (line), edited);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), annotation);
  g_object_set_data (G_OBJECT (box), "text", text);
  g_object_set_data (G_OBJECT (box), "edited", edited);
  g_object_set_data (G_OBJECT (box), "annotation", annotation);
  gtk_list_item_set_child (item, box);
}

static void
bind_text_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *edited = g_object_get_data (G_OBJECT (box), "edited");
  GtkWidget *annotation = g_object_get_data (G_OBJECT (box), "annotation");
  const char *note = sitrep_timeline_event_get_annotation (event);

  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "text"),
                      sitrep_timeline_event_get_text (event));
  gtk_widget_set_visible (edited, sitrep_timeline_event_get_edited (event));
  if (sitrep_timeline_event_get_edited (event))
    {
      g_autofree char *tooltip = g_strdup_printf (_("Originally: %s"),
                                                  sitrep_timeline_event_get_original_text (event));
      gtk_widget_set_tooltip_text (edited, tooltip);
    }
  gtk_widget_set_visible (annotation, note != NULL);
  if (note != NULL)
    {
      /* Translators: an annotation of a recorded event, under its text */
      g_autofree char *line = g_strdup_printf (_("Annotation: %s"), note);
      gtk_label_set_text (GTK_LABEL (annotation), line);
    }
}

static void
star_toggled_cb (GtkToggleButton    *button,
                 SitrepTimelineView *self)
{
  SitrepTimelineEvent *event = g_object_get_data (G_OBJECT (button), "event");
  gboolean active = gtk_toggle_button_get_active (button);

  if (event == NULL || active == sitrep_timeline_event_get_starred (event))
    return;
  if (!sitrep_timeline_view_star (self, sitrep_timeline_event_get_id (event), active, NULL))
    gtk_toggle_button_set_active (button, sitrep_timeline_event_get_starred (event));
}

static void
setup_star_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SitrepTimelineView       *self)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_button_set_icon_name (GTK_BUTTON (button), "non-starred-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Star as a key event"));
  g_signal_connect (button, "toggled", G_CALLBACK (star_toggled_cb), self);
  gtk_list_item_set_child (item, button);
}

static void
bind_star_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SitrepTimelineView       *self)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  GtkWidget *button = gtk_list_item_get_child (item);
  gboolean starred = sitrep_timeline_event_get_starred (event);

  g_object_set_data (G_OBJECT (button), "event", NULL);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), starred);
  gtk_button_set_icon_name (GTK_BUTTON (button),
                            starred ? "starred-symbolic" : "non-starred-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  starred ? _("Starred") : _("Not starred"), -1);
  g_object_set_data (G_OBJECT (button), "event", event);
}

static void
unbind_star_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "event", NULL);
}

static void
setup_menu_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Event Menu"));
  gtk_list_item_set_child (item, button);
}

static void
bind_menu_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  SitrepTimelineEvent *event = gtk_list_item_get_item (item);
  g_auto(GStrv) actions = sitrep_timeline_view_actions_for (event);
  g_autoptr(GMenu) menu = g_menu_new ();
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
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (gtk_list_item_get_child (item)),
                                  G_MENU_MODEL (menu));
}

static void
add_column (SitrepTimelineView *self,
            const char         *title,
            GCallback           setup,
            gpointer            setup_data,
            GCallback           bind,
            gboolean            expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, setup_data);
  g_signal_connect (factory, "bind", bind, self);
  if (bind == G_CALLBACK (bind_star_cb))
    g_signal_connect (factory, "unbind", G_CALLBACK (unbind_star_cb), NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->column_view, column);
}

void
sitrep_timeline_view_add_columns (SitrepTimelineView *self)
{
  add_column (self, _("Time"), G_CALLBACK (setup_label_cb), GINT_TO_POINTER (TRUE),
              G_CALLBACK (bind_time_cb), FALSE);
  add_column (self, _("Kind"), G_CALLBACK (setup_label_cb), GINT_TO_POINTER (FALSE),
              G_CALLBACK (bind_kind_cb), FALSE);
  add_column (self, _("Event"), G_CALLBACK (setup_text_cb), NULL, G_CALLBACK (bind_text_cb),
              TRUE);
  add_column (self, _("Author"), G_CALLBACK (setup_label_cb), GINT_TO_POINTER (FALSE),
              G_CALLBACK (bind_author_cb), FALSE);
  add_column (self, "", G_CALLBACK (setup_star_cb), self, G_CALLBACK (bind_star_cb), FALSE);
  add_column (self, "", G_CALLBACK (setup_menu_cb), NULL, G_CALLBACK (bind_menu_cb), FALSE);
}
