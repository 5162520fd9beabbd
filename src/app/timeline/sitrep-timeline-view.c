/* sitrep-timeline-view.c: the current incident's timeline: notes, stars, annotations, filters
 *
 * The commander's gestures are written by sitrep-timeline-view-gestures.c, asked for by
 * sitrep-timeline-view-dialogs.c; the columns are sitrep-timeline-view-columns.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-popover-menu.h"
#include "sitrep-timeline-text-cell.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-unmeasured-layout.h"

G_DEFINE_FINAL_TYPE (SitrepTimelineView, sitrep_timeline_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_INCIDENT_MANAGER,
  PROP_UTC,
  PROP_AUTHOR,
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

gboolean
sitrep_timeline_view_check_shown (SitrepTimelineView  *self,
                                  SitrepTimelineEvent *event,
                                  GError             **error)
{
  if (event != NULL && !sitrep_timeline_event_get_deleted (event)
      && sitrep_timeline_event_get_incident_id (event) == self->incident_id)
    return TRUE;
  g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                       _("This event is no longer on the timeline."));
  return FALSE;
}

SitrepTimelineEvent *
sitrep_timeline_view_peek (SitrepTimelineView  *self,
                           gint64               id,
                           GError             **error)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;

  if (self->model == NULL || id <= 0)
    {
      sitrep_timeline_view_check_shown (self, NULL, error);
      return NULL;
    }
  event = sitrep_timeline_model_peek (self->model, id);
  if (event != NULL && !sitrep_timeline_view_check_shown (self, event, error))
    return NULL;
  return g_steal_pointer (&event);
}

static void
update_count (SitrepTimelineView *self)
{
  guint shown = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  guint total = self->model ? sitrep_timeline_model_get_n_total (self->model) : 0;
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", total), total);
  else
    /* Translators: "12 of 340 events", when a filter hides some */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events",
                                         total), shown, total);
  gtk_label_set_text (self->count_label, text);
}

/* The kinds each entry of the filter lists, in SQL's terms for the model ("x*": every kind that
 * starts with x). */
static const char *const *
kinds_of (SitrepTimelineFilter filter)
{
  static const char *const notes[] = { SITREP_TIMELINE_KIND_NOTE, NULL };
  static const char *const status[] = { "declared", "status", "severity", "resolved",
                                        SITREP_TIMELINE_KIND_START_MOVED, NULL };
  static const char *const checklist[] = { "checklist*", NULL };
  static const char *const escalations[] = { "escalation*", NULL };
  static const char *const actions[] = { "action*", NULL };
  static const char *const messages[] = { "message", "update*", NULL };
  static const char *const health[] = { "health*", NULL };

  switch (filter)
    {
    case SITREP_TIMELINE_FILTER_ALL:
      return NULL;
    case SITREP_TIMELINE_FILTER_NOTES:
      return notes;
    case SITREP_TIMELINE_FILTER_STATUS:
      return status;
    case SITREP_TIMELINE_FILTER_CHECKLIST:
      return checklist;
    case SITREP_TIMELINE_FILTER_ESCALATIONS:
      return escalations;
    case SITREP_TIMELINE_FILTER_ACTIONS:
      return actions;
    case SITREP_TIMELINE_FILTER_MESSAGES:
      return messages;
    case SITREP_TIMELINE_FILTER_HEALTH:
      return health;
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
model_items_changed_cb (SitrepTimelineView *self)
{
  update_count (self);
}

static void
set_model (SitrepTimelineView  *self,
           SitrepTimelineModel *model)
{
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    {
      sitrep_timeline_model_set_kinds (model, kinds_of (self->filter_kind));
      sitrep_timeline_model_set_starred_only (model, self->starred_only);
      sitrep_timeline_model_set_search (model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      g_signal_connect_swapped (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
      g_signal_connect_swapped (model, "notify::n-total", G_CALLBACK (model_items_changed_cb), self);
    }
  /* The old rows go first: replaced in one change, the column view would ask the new model
   * for every item, looking for the rows it tracks (sitrep-timeline-model.c, reset()). */
  gtk_no_selection_set_model (self->selection, NULL);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (model));
  update_count (self);
}

/* Shows what the store recorded since the model last looked: the new events come in at their
 * place, the rest of the rows stay. A view not shown yet reads nothing: it does when it is. */
void
sitrep_timeline_view_reload (SitrepTimelineView *self)
{
  g_autoptr(GError) error = NULL;
  SitrepIncident *incident = NULL;
  gint64 id;

  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (self->manager != NULL)
    incident = sitrep_incident_manager_get_current (self->manager);
  id = incident != NULL && self->store != NULL ? sitrep_incident_get_id (incident) : 0;
  /* An incident declared while the team database was away is not there to be read yet: the
   * view says so, and its notes are kept with it (sitrep_store_add_note_async() takes its
   * number below zero). */
  gtk_stack_set_visible_child_name (self->stack, id > 0 ? "timeline" : id < 0 ? "kept" : "empty");
  gtk_widget_set_visible (self->note_bar, id != 0);
  gtk_widget_set_visible (self->note_separator, id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.add-note", id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.move-start", id > 0);
  if (!self->shown)
    return;
  if (id <= 0)
    {
      self->incident_id = id;
      set_model (self, NULL);
      return;
    }

  if (id != self->incident_id || self->model == NULL)
    {
      /* A team database's counts and pages come from a thread: the window never waits on
       * the network for rows. */
      g_autoptr(SitrepTimelineModel) model = sitrep_timeline_model_new_in_background (self->store,
                                                                                      id);

      self->incident_id = id;
      set_model (self, model);
      if (sitrep_timeline_model_get_problem (model) != NULL)
        sitrep_timeline_view_toast (self, sitrep_timeline_model_get_problem (model));
      return;
    }

  if (!sitrep_timeline_model_refresh (self->model, &error))
    sitrep_timeline_view_toast (self, error->message);
  update_count (self);
}

/* The first time the view is on screen it reads the timeline: a window opening on another view
 * pays nothing for it. */
static void
sitrep_timeline_view_map (GtkWidget *widget)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (widget);

  GTK_WIDGET_CLASS (sitrep_timeline_view_parent_class)->map (widget);
  if (!self->shown)
    {
      self->shown = TRUE;
      sitrep_timeline_view_reload (self);
    }
}

/* After a gesture changed @event_id in the store: its row is read again, or leaves. */
void
sitrep_timeline_view_reread (SitrepTimelineView *self,
                             gint64              event_id)
{
  g_autoptr(GError) error = NULL;

  if (self->model != NULL && !sitrep_timeline_model_event_changed (self->model, event_id, &error))
    sitrep_timeline_view_toast (self, error->message);
  update_count (self);
}

/* Another console changed @event_id (on a team database): read again when it is shown here. */
void
sitrep_timeline_view_event_changed (SitrepTimelineView *self,
                                    gint64              event_id)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (self->model != NULL)
    sitrep_timeline_view_reread (self, event_id);
}

static void
manager_changed_cb (SitrepTimelineView *self)
{
  sitrep_timeline_view_reload (self);
}

/* Filtering: the model's, in SQL */

void
sitrep_timeline_view_set_filter (SitrepTimelineView   *self,
                                 SitrepTimelineFilter  filter,
                                 gboolean              starred_only)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (filter == self->filter_kind && starred_only == self->starred_only)
    return;
  self->filter_kind = filter;
  self->starred_only = starred_only;
  if (gtk_drop_down_get_selected (self->kind_drop_down) != (guint) filter)
    gtk_drop_down_set_selected (self->kind_drop_down, filter);
  if (gtk_toggle_button_get_active (self->starred_button) != starred_only)
    gtk_toggle_button_set_active (self->starred_button, starred_only);
  if (self->model != NULL)
    {
      sitrep_timeline_model_set_kinds (self->model, kinds_of (filter));
      sitrep_timeline_model_set_starred_only (self->model, starred_only);
    }
  update_count (self);
}

void
sitrep_timeline_view_set_search (SitrepTimelineView *self,
                                 const char         *text)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  if (self->model != NULL)
    sitrep_timeline_model_set_search (self->model, text);
  update_count (self);
}

static void
search_changed_cb (SitrepTimelineView *self)
{
  sitrep_timeline_view_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
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

  if (self->manager != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->manager);
      g_clear_signal_handler (&self->current_id, self->manager);
    }
  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_cancellable_cancel (self->asking);
  g_clear_object (&self->asking);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  sitrep_popover_menu_clear (&self->row_menu);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_TIMELINE_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

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
    case PROP_UTC:
      g_value_set_boolean (value, self->utc);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
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
    case PROP_UTC:
      sitrep_timeline_view_set_utc (self, g_value_get_boolean (value));
      break;
    case PROP_AUTHOR:
      sitrep_timeline_view_set_author (self, g_value_get_string (value));
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
  /* Times shown (and typed for a note) in UTC rather than local time. */
  properties[PROP_UTC] =
    g_param_spec_boolean ("utc", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whose name goes on the notes, stars and edits made here; the user name until set. */
  properties[PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = sitrep_timeline_view_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sitrep-timeline-view");

  gtk_widget_class_install_action (widget_class, "timeline.add-note", NULL,
                                   sitrep_timeline_view_add_note_action);
  gtk_widget_class_install_action (widget_class, "timeline.edit", "x",
                                   sitrep_timeline_view_edit_action);
  gtk_widget_class_install_action (widget_class, "timeline.annotate", "x",
                                   sitrep_timeline_view_annotate_action);
  gtk_widget_class_install_action (widget_class, "timeline.delete", "x",
                                   sitrep_timeline_view_delete_action);
  gtk_widget_class_install_action (widget_class, "timeline.move-start", NULL,
                                   sitrep_timeline_view_move_start_action);

  g_type_ensure (SITREP_TYPE_TIMELINE_TEXT_CELL);
  g_type_ensure (SITREP_TYPE_UNMEASURED_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-timeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, toasts);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, kind_drop_down);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, starred_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, move_start_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, note_bar);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, note_separator);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, time_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, note_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineView, shortcuts);
  gtk_widget_class_bind_template_callback (widget_class, kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, starred_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_activate_cb);
  sitrep_timeline_view_bind_columns (widget_class);
}

static void
sitrep_timeline_view_init (SitrepTimelineView *self)
{
  self->author = g_strdup (g_get_user_name ());

  gtk_widget_init_template (GTK_WIDGET (self));
  self->selection = gtk_no_selection_new (NULL);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  gtk_widget_set_visible (self->note_bar, FALSE);
  gtk_widget_set_visible (self->note_separator, FALSE);
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
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  if (self->utc == !!utc)
    return;
  self->utc = !!utc;
  /* The rows re-bind: the column view asks only for those it shows. */
  gtk_no_selection_set_model (self->selection, NULL);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTC]);
}

gboolean
sitrep_timeline_view_get_utc (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), FALSE);

  return self->utc;
}

void
sitrep_timeline_view_set_author (SitrepTimelineView *self,
                                 const char         *author)
{
  g_return_if_fail (SITREP_IS_TIMELINE_VIEW (self));

  /* No name: the account's, as the view starts with. */
  if (author == NULL || *author == '\0')
    author = g_get_user_name ();
  if (g_strcmp0 (self->author, author) == 0)
    return;
  g_free (self->author);
  self->author = g_strdup (author);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHOR]);
}

const char *
sitrep_timeline_view_get_author (SitrepTimelineView *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_VIEW (self), NULL);

  return self->author;
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
