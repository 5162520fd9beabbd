/* sitrep-window-views.c: the Incident and Timeline views, made when first shown
 *
 * The window's first frame has only the Health view to build: the view stack has a page for
 * each view from the start (the switcher, Alt+1/2/3 and win.view name them), but the Incident
 * and Timeline pages hold an empty AdwBin until they are first shown, or until something asks
 * for the view (Ctrl+Enter's note, a notification's escalation path). The view is then made,
 * bound to the session like the Health view, its time zone and author to the preferences, and
 * put in its page.
 */
#include "config.h"

#include "sitrep-author.h"
#include "sitrep-window-private.h"

static void
declare_requested_cb (SitrepWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.declare", NULL);
}

/* Items that name a service or an action open the service's page: its commands are there. */
static void
open_service_cb (SitrepWindow *self,
                 const char   *service_id)
{
  sitrep_window_show_service (self, service_id);
}

static void
open_action_cb (SitrepWindow *self,
                const char   *action_id,
                const char   *service_id)
{
  /* A checklist item such as "Implement temporary fix or rollback" opens the action itself, over
   * the service's page so its health and other commands stay at hand. */
  if (service_id == NULL)
    return;
  sitrep_window_show_service (self, service_id);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.run-action", "(ss)", service_id, action_id);
}

/* "lead-name" to whose name goes on what the view writes: the lead's, or the user's when it is
 * empty, as sitrep_author_name() says. */
static gboolean
author_from_lead (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_autofree char *lead = g_strstrip (g_variant_dup_string (variant, NULL));

  g_value_take_string (value, *lead != '\0' ? g_steal_pointer (&lead) : sitrep_author_name (NULL));
  return TRUE;
}

/* The view's "utc" and "author" follow the preferences for as long as it lives. */
static void
bind_preferences (SitrepWindow *self,
                  gpointer      view)
{
  GSettings *settings = sitrep_session_get_settings (self->session);
  GSettingsBindFlags flags = G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY;

  if (settings == NULL)
    {
      g_autofree char *author = sitrep_author_name (NULL);

      g_object_set (view, "author", author, NULL);
      return;
    }
  g_settings_bind (settings, "show-utc", view, "utc", flags);
  g_settings_bind_with_mapping (settings, "lead-name", view, "author", flags, author_from_lead,
                                NULL, NULL, NULL);
}

/**
 * sitrep_window_get_incident_view:
 *
 * The Incident view, made now if it was not shown before.
 */
SitrepIncidentView *
sitrep_window_get_incident_view (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  if (self->incident_view != NULL)
    return self->incident_view;

  self->incident_view = SITREP_INCIDENT_VIEW (sitrep_incident_view_new ());
  self->bindings[SITREP_WINDOW_BINDING_INCIDENTS] =
    g_object_bind_property (self->session, "incidents", self->incident_view, "manager",
                            G_BINDING_SYNC_CREATE);
  bind_preferences (self, self->incident_view);
  g_signal_connect_swapped (self->incident_view, "declare-requested",
                            G_CALLBACK (declare_requested_cb), self);
  g_signal_connect_swapped (self->incident_view, "open-service", G_CALLBACK (open_service_cb),
                            self);
  g_signal_connect_swapped (self->incident_view, "open-action", G_CALLBACK (open_action_cb), self);
  /* In its page: mapped now if the page is on screen, and filled then (its map). */
  adw_bin_set_child (self->incident_page, GTK_WIDGET (self->incident_view));
  return self->incident_view;
}

/**
 * sitrep_window_get_timeline_view:
 *
 * The Timeline view, made now if it was not shown before.
 */
SitrepTimelineView *
sitrep_window_get_timeline_view (SitrepWindow *self)
{
  g_return_val_if_fail (SITREP_IS_WINDOW (self), NULL);

  if (self->timeline_view != NULL)
    return self->timeline_view;

  self->timeline_view = SITREP_TIMELINE_VIEW (sitrep_timeline_view_new ());
  self->bindings[SITREP_WINDOW_BINDING_TIMELINE_INCIDENTS] =
    g_object_bind_property (self->session, "incidents", self->timeline_view, "incident-manager",
                            G_BINDING_SYNC_CREATE);
  self->bindings[SITREP_WINDOW_BINDING_TIMELINE_STORE] =
    g_object_bind_property (self->session, "store", self->timeline_view, "store",
                            G_BINDING_SYNC_CREATE);
  bind_preferences (self, self->timeline_view);
  /* The view reads the timeline when it is first mapped, here if its page is on screen. */
  adw_bin_set_child (self->timeline_page, GTK_WIDGET (self->timeline_view));
  return self->timeline_view;
}

/* The view stack's visible page changed: its view is made if it was not yet (template
 * callback). */
void
sitrep_window_view_shown_cb (SitrepWindow *self)
{
  GtkWidget *page;

  /* The window going away, its pages removed one by one: nothing to make a view for. */
  if (self->session == NULL)
    return;
  page = adw_view_stack_get_visible_child (self->view_stack);
  if (page == GTK_WIDGET (self->incident_page))
    sitrep_window_get_incident_view (self);
  else if (page == GTK_WIDGET (self->timeline_page))
    sitrep_window_get_timeline_view (self);
}

/* A command's start or outcome was committed to the timeline: a Timeline view made shows it. */
void
sitrep_window_views_event_recorded (SitrepWindow *self)
{
  if (self->timeline_view != NULL)
    sitrep_timeline_view_reload (self->timeline_view);
}
