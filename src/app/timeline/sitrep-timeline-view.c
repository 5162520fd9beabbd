/* sitrep-timeline-view.c: the current incident's timeline: notes, stars, annotations, filters */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-timeline-text-cell.h"
#include "sitrep-timeline-view-private.h"

G_DEFINE_FINAL_TYPE (SitrepTimelineView, sitrep_timeline_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_INCIDENT_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gint64
sitrep_timeline_view_now (SitrepTimelineView *self)
{
  if (self->manager != NULL)
    return sitrep_incident_manager_now (self->manager);
  return g_get_real_time ();
}

void
sitrep_timeline_view_toast (SitrepTimelineView *self,
                            const char         *message)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static gboolean
refuse (SitrepTimelineView *self,
        GError             *local_error,
        GError            **error)
{
  sitrep_timeline_view_toast (self, local_error->message);
  g_propagate_error (error, local_error);
  return FALSE;
}

/* Events are kept in time order, ties in the order they were recorded. */
static gint
compare_events (SitrepTimelineEvent *a,
                SitrepTimelineEvent *b)
{
  gint64 at_a = sitrep_timeline_event_get_at (a), at_b = sitrep_timeline_event_get_at (b);
  gint64 id_a = sitrep_timeline_event_get_id (a), id_b = sitrep_timeline_event_get_id (b);

  if (at_a != at_b)
    return at_a < at_b ? -1 : 1;
  return id_a < id_b ? -1 : id_a > id_b;
}

static gpointer
id_key (SitrepTimelineEvent *event)
{
  gint64 id = sitrep_timeline_event_get_id (event);

  return g_memdup2 (&id, sizeof id);
}

static void
insert_sorted (SitrepTimelineView  *self,
               SitrepTimelineEvent *event)
{
  guint low = 0, high = g_list_model_get_n_items (G_LIST_MODEL (self->events));

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      g_autoptr(SitrepTimelineEvent) other = g_list_model_get_item (G_LIST_MODEL (self->events),
                                                                    middle);

      if (compare_events (other, event) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  g_list_store_insert (self->events, low, event);
  g_hash_table_insert (self->by_id, id_key (event), event);
  self->last_id = MAX (self->last_id, sitrep_timeline_event_get_id (event));
}

static SitrepTimelineEvent *
find_event (SitrepTimelineView *self,
            gint64              id,
            GError            **error)
{
  SitrepTimelineEvent *event = g_hash_table_lookup (self->by_id, &id);

  if (event == NULL)
    g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                 _("This event is no longer on the timeline."));
  return event;
}

/* Re-binds the rows of @event after the store changed it, and re-filters it. */
static void
event_changed (SitrepTimelineView  *self,
               SitrepTimelineEvent *event)
{
  g_autoptr(SitrepTimelineEvent) keep = g_object_ref (event);
  guint position;

  /* The store may hold the only reference: keep the event alive through the splice. */
  if (g_list_store_find (self->events, keep, &position))
    g_list_store_splice (self->events, position, 1, (gpointer *) &keep, 1);
}

static void
update_count (SitrepTimelineView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", total), total);
  else
    /* Translators: "12 of 340 events", when a filter hides some */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events",
                                         total), shown, total);
  gtk_label_set_text (self->count_label, text);
}

/* Everything the store lists for the incident replaces the model. */
static void
load_all (SitrepTimelineView *self,
          gint64              id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;

  events = sitrep_store_list_events (self->store, id, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  if (events == NULL)
    {
      sitrep_timeline_view_toast (self, error->message);
      return;
    }
  self->incident_id = id;
  self->last_id = 0;
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < events->len; i++)
    {
      g_hash_table_insert (self->by_id, id_key (events->pdata[i]), events->pdata[i]);
      self->last_id = MAX (self->last_id, sitrep_timeline_event_get_id (events->pdata[i]));
    }
  g_list_store_splice (self->events, 0, g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                       events->pdata, events->len);
}

/* Brings the model in line with everything the store lists, keeping the rows that stay: what it
 * no longer lists (a note deleted in another window) goes, what is missing comes in. */
static void
reconcile (SitrepTimelineView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) listed = NULL;
  guint n;

  events = sitrep_store_list_events (self->store, self->incident_id, SITREP_TIMELINE_LIST_DEFAULT,
                                     NULL, &error);
  if (events == NULL)
    {
      sitrep_timeline_view_toast (self, error->message);
      return;
    }
  listed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      gint64 event_id = sitrep_timeline_event_get_id (events->pdata[i]);

      g_hash_table_add (listed, id_key (events->pdata[i]));
      if (g_hash_table_lookup (self->by_id, &event_id) == NULL)
        insert_sorted (self, events->pdata[i]);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SitrepTimelineEvent) event = g_list_model_get_item (G_LIST_MODEL (self->events),
                                                                    i - 1);
      gint64 event_id = sitrep_timeline_event_get_id (event);

      if (!g_hash_table_contains (listed, &event_id))
        {
          g_hash_table_remove (self->by_id, &event_id);
          g_list_store_remove (self->events, i - 1);
        }
    }
}

/* Loads the current incident's events: all of them when the incident changed, else only what
 * was recorded since the newest one shown, so the scroll position stays and a change to a long
 * timeline costs milliseconds; the whole list is read again only when notes went away. */
void
sitrep_timeline_view_reload (SitrepTimelineView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  SitrepIncident *incident = NULL;
  gint64 id, n_listed;

  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (self->manager != NULL)
    incident = sitrep_incident_manager_get_current (self->manager);
  id = incident != NULL ? sitrep_incident_get_id (incident) : 0;
  gtk_stack_set_visible_child_name (self->stack, id > 0 && self->store ? "timeline" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.add-note", id > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.move-start", id > 0);
  if (id <= 0 || self->store == NULL)
    {
      self->incident_id = 0;
      self->last_id = 0;
      g_hash_table_remove_all (self->by_id);
      g_list_store_remove_all (self->events);
      return;
    }

  if (id != self->incident_id)
    {
      load_all (self, id);
      update_count (self);
      return;
    }

  events = sitrep_store_list_events_after (self->store, id, self->last_id, &error);
  if (events == NULL)
    {
      sitrep_timeline_view_toast (self, error->message);
      return;
    }
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];
      gint64 event_id = sitrep_timeline_event_get_id (event);

      if (g_hash_table_lookup (self->by_id, &event_id) == NULL)
        insert_sorted (self, event);
    }

  n_listed = sitrep_store_count_listed_events (self->store, id, &error);
  if (n_listed < 0)
    sitrep_timeline_view_toast (self, error->message);
  else if ((guint64) n_listed != g_hash_table_size (self->by_id))
    reconcile (self);
  update_count (self);
}

static void
manager_changed_cb (SitrepTimelineView *self)
{
  sitrep_timeline_view_reload (self);
}

/* Filtering */

static gboolean
kind_in_group (const char           *kind,
               SitrepTimelineFilter  group)
{
  switch (group)
    {
    case SITREP_TIMELINE_FILTER_ALL:
      return TRUE;
    case SITREP_TIMELINE_FILTER_NOTES:
      return g_str_equal (kind, SITREP_TIMELINE_KIND_NOTE);
    case SITREP_TIMELINE_FILTER_STATUS:
      return g_str_equal (kind, "declared") || g_str_equal (kind, "status")
             || g_str_equal (kind, "severity") || g_str_equal (kind, "resolved")
             || g_str_equal (kind, SITREP_TIMELINE_KIND_START_MOVED);
    case SITREP_TIMELINE_FILTER_CHECKLIST:
      return g_str_has_prefix (kind, "checklist");
    case SITREP_TIMELINE_FILTER_ESCALATIONS:
      return g_str_has_prefix (kind, "escalation");
    case SITREP_TIMELINE_FILTER_ACTIONS:
      return g_str_has_prefix (kind, "action");
    case SITREP_TIMELINE_FILTER_MESSAGES:
      return g_str_equal (kind, "message") || g_str_has_prefix (kind, "update");
    case SITREP_TIMELINE_FILTER_HEALTH:
      return g_str_has_prefix (kind, "health");
    default:
      g_return_val_if_reached (TRUE);
    }
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  SitrepTimelineView *self = user_data;
  SitrepTimelineEvent *event = item;

  if (self->starred_only && !sitrep_timeline_event_get_starred (event))
    return FALSE;
  return kind_in_group (sitrep_timeline_event_get_kind (event), self->filter_kind);
}

void
sitrep_timeline_view_set_filter (SitrepTimelineView   *self,
                                 SitrepTimelineFilter  filter,
                                 gboolean              starred_only)
{
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (filter == self->filter_kind && starred_only == self->starred_only)
    return;
  if (filter == self->filter_kind)
    change = starred_only ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT;
  else if (self->filter_kind == SITREP_TIMELINE_FILTER_ALL && starred_only == self->starred_only)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (filter == SITREP_TIMELINE_FILTER_ALL && starred_only == self->starred_only)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  self->filter_kind = filter;
  self->starred_only = starred_only;
  if (gtk_drop_down_get_selected (self->kind_drop_down) != (guint) filter)
    gtk_drop_down_set_selected (self->kind_drop_down, filter);
  if (gtk_toggle_button_get_active (self->starred_button) != starred_only)
    gtk_toggle_button_set_active (self->starred_button, starred_only);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
kind_selected_cb (SitrepTimelineView *self)
{
  sitrep_timeline_view_set_filter (self, gtk_drop_down_get_selected (self->kind_drop_down),
                                   self->starred_only);
}

static void
starred_toggled_cb (SitrepTimelineView *self)
{
  sitrep_timeline_view_set_filter (self, self->filter_kind,
                                   gtk_toggle_button_get_active (self->starred_button));
}

/* Gestures */

static void
add_note_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry)));
  const char *time = gtk_editable_get_text (GTK_EDITABLE (self->time_entry));
  gint64 now = sitrep_timeline_view_now (self);
  gint64 at = now;

  g_strstrip (text);
  if (self->incident_id <= 0 || *text == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
      return;
    }
  if (*time != '\0' && (at = sitrep_timeline_parse_time (time, now, self->utc, &error)) < 0)
    {
      sitrep_timeline_view_toast (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->time_entry));
      return;
    }
  event = sitrep_store_add_note (self->store, self->incident_id, at, text, self->author, &error);
  if (event == NULL)
    {
      sitrep_timeline_view_toast (self, error->message);
      return;
    }
  insert_sorted (self, event);
  update_count (self);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->time_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

gboolean
sitrep_timeline_view_edit_note (SitrepTimelineView *self,
                                gint64              event_id,
                                const char         *text,
                                GError            **error)
{
  GError *local_error = NULL;
  SitrepTimelineEvent *event = find_event (self, event_id, &local_error);

  if (event == NULL
      || !sitrep_store_edit_note (self->store, event, text, sitrep_timeline_view_now (self),
                                  &local_error))
    return refuse (self, local_error, error);
  event_changed (self, event);
  return TRUE;
}

gboolean
sitrep_timeline_view_annotate (SitrepTimelineView *self,
                               gint64              event_id,
                               const char         *annotation,
                               GError            **error)
{
  GError *local_error = NULL;
  SitrepTimelineEvent *event = find_event (self, event_id, &local_error);

  if (event == NULL || !sitrep_store_annotate_event (self->store, event, annotation, &local_error))
    return refuse (self, local_error, error);
  event_changed (self, event);
  return TRUE;
}

gboolean
sitrep_timeline_view_delete_note (SitrepTimelineView *self,
                                  gint64              event_id,
                                  GError            **error)
{
  GError *local_error = NULL;
  SitrepTimelineEvent *event = find_event (self, event_id, &local_error);
  guint position;

  if (event == NULL
      || !sitrep_store_delete_note (self->store, event, sitrep_timeline_view_now (self),
                                    &local_error))
    return refuse (self, local_error, error);
  if (g_list_store_find (self->events, event, &position))
    {
      g_hash_table_remove (self->by_id, &event_id);
      g_list_store_remove (self->events, position);
    }
  update_count (self);
  sitrep_timeline_view_toast (self, _("Note deleted"));
  return TRUE;
}

gboolean
sitrep_timeline_view_star (SitrepTimelineView *self,
                           gint64              event_id,
                           gboolean            starred,
                           GError            **error)
{
  GError *local_error = NULL;
  SitrepTimelineEvent *event = find_event (self, event_id, &local_error);

  if (event == NULL || !sitrep_store_star_event (self->store, event, starred, &local_error))
    return refuse (self, local_error, error);
  event_changed (self, event);
  return TRUE;
}

gboolean
sitrep_timeline_view_move_start (SitrepTimelineView *self,
                                 const char         *time,
                                 GError            **error)
{
  GError *local_error = NULL;
  g_autoptr(SitrepTimelineEvent) event = NULL;
  SitrepIncident *incident = self->manager ? sitrep_incident_manager_get_current (self->manager)
                                           : NULL;
  gint64 now = sitrep_timeline_view_now (self);
  gint64 at;

  if (incident == NULL)
    return FALSE;
  if ((at = sitrep_timeline_parse_time (time, now, self->utc, &local_error)) < 0)
    return refuse (self, local_error, error);
  event = sitrep_store_move_start (self->store, incident, at, now, self->author, &local_error);
  if (event == NULL)
    return refuse (self, local_error, error);
  insert_sorted (self, event);
  update_count (self);
  return TRUE;
}

static void
note_activate_cb (SitrepTimelineView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "timeline.add-note", NULL);
}

/* Set-up */

static void
sitrep_timeline_view_dispose (GObject *object)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->manager != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->manager);
      g_clear_signal_handler (&self->current_id, self->manager);
    }
  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_TIMELINE_VIEW);
  g_clear_object (&self->filtered);
  g_clear_object (&self->events);
  g_clear_pointer (&self->by_id, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_timeline_view_parent_class)->dispose (object);
}

static void
sitrep_timeline_view_finalize (GObject *object)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (object);

  g_free (self->author);
  g_free (self->last_toast);

  G_OBJECT_CLASS (sitrep_timeline_view_parent_class)->finalize (object);
}

static void
sitrep_timeline_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_INCIDENT_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_timeline_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      sitrep_timeline_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_INCIDENT_MANAGER:
      sitrep_timeline_view_set_incident_manager (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_timeline_view_class_init (SitrepTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_timeline_view_dispose;
  object_class->finalize = sitrep_timeline_view_finalize;
  object_class->get_property = sitrep_timeline_view_get_property;
  object_class->set_property = sitrep_timeline_view_set_property;

  /* Where the events are read and written, and whose current incident is shown. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SITREP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCIDENT_MANAGER] =
    g_param_spec_object ("incident-manager", NULL, NULL, SITREP_TYPE_INCIDENT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sitrep-timeline-view");

  gtk_widget_class_install_action (widget_class, "timeline.add-note", NULL, add_note_cb);
  gtk_widget_class_install_action (widget_class, "timeline.edit", "x",
                                   sitrep_timeline_view_edit_action);
  gtk_widget_class_install_action (widget_class, "timeline.annotate", "x",
                                   sitrep_timeline_view_annotate_action);
  gtk_widget_class_install_action (widget_class, "timeline.delete", "x",
                                   sitrep_timeline_view_delete_action);
  gtk_widget_class_install_action (widget_class, "timeline.move-start", NULL,
                                   sitrep_timeline_view_move_start_action);

  g_type_ensure (SITREP_TYPE_TIMELINE_TEXT_CELL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-timeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, toasts);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, kind_drop_down);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, starred_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, move_start_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, time_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, note_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, shortcuts);
  gtk_widget_class_bind_template_callback (widget_class, kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, starred_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_activate_cb);
  sitrep_timeline_view_bind_columns (widget_class);
}

static void
sitrep_timeline_view_init (SitrepTimelineView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->events = g_list_store_new (SITREP_TYPE_TIMELINE_EVENT);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->events)),
                                              GTK_FILTER (self->filter));
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);
  self->author = g_strdup (g_get_user_name ());

  gtk_widget_init_template (GTK_WIDGET (self));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.add-note", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.move-start", FALSE);
}

GtkWidget *
sitrep_timeline_view_new (void)
{
  return g_object_new (SITREP_TYPE_TIMELINE_VIEW, NULL);
}

void
sitrep_timeline_view_set_store (SitrepTimelineView *self,
                                SitrepStore        *store)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (g_set_object (&self->store, store))
    {
      self->incident_id = 0;
      sitrep_timeline_view_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

void
sitrep_timeline_view_set_incident_manager (SitrepTimelineView    *self,
                                           SitrepIncidentManager *manager)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (self->manager == manager)
    return;
  if (self->manager != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->manager);
      g_clear_signal_handler (&self->current_id, self->manager);
    }
  g_set_object (&self->manager, manager);
  if (manager != NULL)
    {
      self->changed_id = g_signal_connect_swapped (manager, "changed",
                                                   G_CALLBACK (manager_changed_cb), self);
      self->current_id = g_signal_connect_swapped (manager, "notify::current",
                                                   G_CALLBACK (manager_changed_cb), self);
    }
  sitrep_timeline_view_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT_MANAGER]);
}

void
sitrep_timeline_view_set_utc (SitrepTimelineView *self,
                              gboolean            utc)
{
  guint n;

  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (self->utc == !!utc)
    return;
  self->utc = !!utc;
  /* The rows re-bind: the column view asks only for those it shows. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  g_list_model_items_changed (G_LIST_MODEL (self->events), 0, n, n);
}

void
sitrep_timeline_view_set_author (SitrepTimelineView *self,
                                 const char         *author)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  g_free (self->author);
  self->author = g_strdup (author);
}

void
sitrep_timeline_view_focus_note_entry (SitrepTimelineView *self)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

/* Activates the view's own shortcut for @trigger ("<Control>Return") as a key press on the
 * focused note entry would; FALSE when the view has no such shortcut. */
gboolean
sitrep_timeline_view_activate_shortcut (SitrepTimelineView *self,
                                        const char         *trigger)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (trigger);
  GListModel *shortcuts = G_LIST_MODEL (self->shortcuts);

  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), FALSE);
  g_return_val_if_fail (wanted != NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      GtkShortcutTrigger *have = gtk_shortcut_get_trigger (shortcut);
      g_autofree char *have_text = gtk_shortcut_trigger_to_string (have);
      g_autofree char *wanted_text = gtk_shortcut_trigger_to_string (wanted);
      g_auto(GStrv) alternatives = g_strsplit (have_text, "|", -1);

      if (!g_strv_contains ((const char *const *) alternatives, wanted_text))
        continue;
      gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
      return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                           GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                           GTK_WIDGET (self->note_entry), NULL);
    }
  return FALSE;
}
