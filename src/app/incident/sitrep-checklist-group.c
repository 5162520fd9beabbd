/* sitrep-checklist-group.c: one phase of the runbook's checklist, ticked during an incident */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-checklist-group-private.h"
#include "sitrep-checklist-row.h"
#include "sitrep-incident-format.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-template-values.h"

G_DEFINE_FINAL_TYPE (SitrepChecklistGroup, sitrep_checklist_group, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  ITEM_TOGGLED,
  UPDATE_SENT,
  OPEN_SERVICE,
  OPEN_ACTION,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
copy_text (SitrepChecklistGroup *self,
           const char           *text,
           const char           *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  g_signal_emit (self, signals[TOAST], 0, toast);
}

static void
row_toggled_cb (SitrepChecklistRow   *row,
                gboolean              done,
                SitrepChecklistGroup *self)
{
  g_signal_emit (self, signals[ITEM_TOGGLED], 0, sitrep_checklist_row_get_item (row)->id, done);
}

static void
copy_template (SitrepChecklistGroup *self,
               SitrepIncident       *incident,
               const char           *template_id)
{
  const SitrepTemplate *template = sitrep_runbook_find_template (self->runbook, template_id);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) unfilled = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *toast = NULL;

  if (template == NULL)
    return;
  values = sitrep_template_values_for_incident (incident, self->runbook,
                                                sitrep_incident_manager_now (self->manager),
                                                self->utc);
  text = sitrep_template_render (template->body, values, unfilled);
  if (unfilled->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (unfilled, NULL);
      names = g_strjoinv (", ", (char **) unfilled->pdata);
      /* Translators: after copying a message with placeholders nobody could fill yet */
      toast = g_strdup_printf (_("Copied: fill in %s"), names);
    }
  copy_text (self, text, toast ? toast : _("Copied"));

  /* Copying a status update counts as sending it: the reminder starts again. */
  if (template->kind == SITREP_TEMPLATE_STATUS || template->kind == SITREP_TEMPLATE_UPDATE)
    g_signal_emit (self, signals[UPDATE_SENT], 0);
}

/* Only web links leave the console: anything else could start a program. */
static void
open_link (SitrepChecklistGroup *self,
           GtkWindow            *window,
           const char           *uri)
{
  g_autoptr(GError) error = NULL;

  if (!sitrep_runbook_trust_check_link (uri, &error))
    g_signal_emit (self, signals[TOAST], 0, error->message);
  else
    gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static void
row_open_cb (SitrepChecklistRow   *row,
             SitrepChecklistGroup *self)
{
  const SitrepChecklistItem *item = sitrep_checklist_row_get_item (row);
  SitrepIncident *incident = sitrep_incident_manager_get_current (self->manager);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  const SitrepLink *link;

  if (incident == NULL)
    return;
  switch (item->opens)
    {
    case SITREP_OPENS_CHANNEL:
      copy_text (self, sitrep_incident_get_channel (incident), _("Channel name copied"));
      break;
    case SITREP_OPENS_TEMPLATE:
      copy_template (self, incident, item->opens_ref);
      break;
    case SITREP_OPENS_LINK:
      link = sitrep_runbook_find_link (self->runbook, item->opens_ref);
      if (link != NULL && link->url != NULL)
        open_link (self, window, link->url);
      break;
    case SITREP_OPENS_URL:
      open_link (self, window, item->opens_ref);
      break;
    case SITREP_OPENS_SERVICE:
      g_signal_emit (self, signals[OPEN_SERVICE], 0, item->opens_ref);
      break;
    case SITREP_OPENS_ACTION:
      g_signal_emit (self, signals[OPEN_ACTION], 0, item->opens_ref, item->opens_service);
      break;
    case SITREP_OPENS_NOTHING:
    default:
      break;
    }
}

/* The button for what an item opens, if anything. */
static void
set_item_button (SitrepChecklistGroup *self,
                 SitrepChecklistRow   *row)
{
  const SitrepChecklistItem *item = sitrep_checklist_row_get_item (row);
  gboolean sensitive = TRUE;
  const SitrepLink *link;
  const SitrepTemplate *template;
  const SitrepService *service;
  const SitrepAction *action;
  g_autofree char *label = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *name = NULL;

  switch (item->opens)
    {
    case SITREP_OPENS_CHANNEL:
      label = g_strdup (_("Copy Name"));
      name = g_strdup (_("Copy Channel Name"));
      tooltip = g_strdup (_("Copy the incident channel's name"));
      break;
    case SITREP_OPENS_TEMPLATE:
      template = sitrep_runbook_find_template (self->runbook, item->opens_ref);
      label = g_strdup (_("Copy Message"));
      /* Translators: a button's name for screen readers, "Copy “Initial status” Message" */
      name = g_strdup_printf (_("Copy “%s” Message"),
                              template ? template->title : item->opens_ref);
      /* Translators: tooltip, "Copy the “Initial status” message, filled in" */
      tooltip = g_strdup_printf (_("Copy the “%s” message, filled in"),
                                 template ? template->title : item->opens_ref);
      break;
    case SITREP_OPENS_LINK:
      link = sitrep_runbook_find_link (self->runbook, item->opens_ref);
      label = g_strdup (_("Open"));
      /* Translators: a button's name for screen readers, "Open Grafana" */
      name = g_strdup_printf (_("Open %s"), link ? link->label : item->opens_ref);
      if (link == NULL || link->url == NULL)
        {
          tooltip = link && link->note ? g_strdup (link->note)
                                       : g_strdup (_("The runbook does not set this URL yet"));
          sensitive = FALSE;
        }
      else if (link->note != NULL)
        {
          /* Translators: a link's tooltip, "Grafana: https://… — use the Freight board" */
          tooltip = g_strdup_printf (_("%s: %s — %s"), link->label, link->url, link->note);
        }
      else
        {
          tooltip = g_strdup_printf ("%s: %s", link->label, link->url);
        }
      break;
    case SITREP_OPENS_URL:
      label = g_strdup (_("Open"));
      name = g_strdup_printf (_("Open %s"), item->opens_ref);
      tooltip = g_strdup (item->opens_ref);
      break;
    case SITREP_OPENS_SERVICE:
      service = sitrep_runbook_find_service (self->runbook, item->opens_ref);
      label = g_strdup (_("Show Service"));
      /* Translators: a button's name for screen readers, "Show API" */
      name = g_strdup_printf (_("Show %s"), service ? service->name : item->opens_ref);
      tooltip = g_strdup (service ? service->name : item->opens_ref);
      break;
    case SITREP_OPENS_ACTION:
      action = sitrep_runbook_find_action (self->runbook, item->opens_ref);
      service = sitrep_runbook_find_service (self->runbook, item->opens_service);
      /* Translators: a button that opens an action's dialog, "Rollback…" */
      label = g_strdup_printf (_("%s…"), action ? action->label : item->opens_ref);
      if (service != NULL)
        {
          /* Translators: tooltip, "Run on API" */
          tooltip = g_strdup_printf (_("Run on %s"), service->name);
          /* Translators: a button's name for screen readers, "Rollback… on API" */
          name = g_strdup_printf (_("%s on %s"), label, service->name);
        }
      break;
    case SITREP_OPENS_NOTHING:
    default:
      sitrep_checklist_row_set_button (row, NULL, NULL, NULL, FALSE);
      return;
    }
  if (self->foreign && (item->opens == SITREP_OPENS_SERVICE || item->opens == SITREP_OPENS_ACTION))
    {
      g_free (tooltip);
      /* Translators: a checklist button of an incident declared under another runbook */
      tooltip = g_strdup_printf (_("This incident was declared under the runbook “%s”: open "
                                   "that runbook to use its services and commands"),
                                 sitrep_runbook_get_name (self->runbook));
      sensitive = FALSE;
    }
  sitrep_checklist_row_set_button (row, label, name, tooltip, sensitive);
}

static void
build (SitrepChecklistGroup *self)
{
  g_autofree char *title = g_markup_escape_text (self->phase->title, -1);

  /* The group's title is markup: "Acknowledge & Assess" needs its ampersand escaped. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), title);
  for (guint k = 0; k < self->phase->items->len; k++)
    {
      const SitrepChecklistItem *item = self->phase->items->pdata[k];
      GtkWidget *row = sitrep_checklist_row_new (item);

      set_item_button (self, SITREP_CHECKLIST_ROW (row));
      g_signal_connect_object (row, "toggled", G_CALLBACK (row_toggled_cb), self, 0);
      g_signal_connect_object (row, "open", G_CALLBACK (row_open_cb), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
}

/* What the runbook notes about an item's link, shown until the item is ticked. */
static const char *
item_hint (SitrepChecklistGroup      *self,
           const SitrepChecklistItem *item)
{
  const SitrepLink *link;

  if (item->opens != SITREP_OPENS_LINK)
    return NULL;
  link = sitrep_runbook_find_link (self->runbook, item->opens_ref);
  return link != NULL ? link->note : NULL;
}

static char *
clock_text (SitrepChecklistGroup *self,
            SitrepIncident       *incident,
            gint64                now)
{
  const SitrepChecklistPhase *phase = self->phase;
  gboolean resolved = sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED;
  gint64 due_at = 0;
  gint64 starts_at;
  SitrepClockState state = sitrep_incident_phase_state (incident, phase, now, &due_at);
  g_autofree char *span = NULL;
  guint done = 0, total = 0;

  sitrep_incident_format_set_css (GTK_WIDGET (self->clock), "error",
                                  state == SITREP_CLOCK_OVERDUE && !resolved);
  sitrep_incident_format_set_css (GTK_WIDGET (self->clock), "success",
                                  state == SITREP_CLOCK_DONE);
  sitrep_incident_format_set_css (GTK_WIDGET (self->clock), "dim-label",
                                  state == SITREP_CLOCK_NOT_STARTED);

  /* Once resolved, the clocks of the response phases no longer run: say how far they got. */
  if (resolved && phase->from == SITREP_PHASE_FROM_DECLARED && state != SITREP_CLOCK_DONE)
    {
      for (guint i = 0; i < phase->items->len; i++)
        {
          const SitrepChecklistItem *item = phase->items->pdata[i];
          const SitrepChecklistTick *tick = sitrep_incident_get_tick (incident, item->id);

          if (!sitrep_incident_item_applies (incident, item))
            continue;
          total++;
          done += tick != NULL && tick->done;
        }
      /* Translators: a phase left unfinished at resolution, "2 of 4 done" */
      return g_strdup_printf (_("%u of %u done"), done, total);
    }

  switch (state)
    {
    case SITREP_CLOCK_NOT_STARTED:
      starts_at = sitrep_incident_phase_starts_at (incident, phase);
      if (starts_at == 0)
        return g_strdup (_("starts at resolution"));
      span = sitrep_incident_format_countdown (starts_at - now);
      /* Translators: a phase's clock before the phase begins, "starts in 12:00" */
      return g_strdup_printf (_("starts in %s"), span);
    case SITREP_CLOCK_ON_TIME:
      span = sitrep_incident_format_span (due_at - now);
      /* Translators: a phase's clock, "due in 3 min" */
      return g_strdup_printf (_("due in %s"), span);
    case SITREP_CLOCK_OVERDUE:
      span = sitrep_incident_format_span (now - due_at);
      /* Translators: a phase's clock, "overdue by 2 min" */
      return g_strdup_printf (_("overdue by %s"), span);
    case SITREP_CLOCK_DONE:
      return g_strdup (_("done"));
    case SITREP_CLOCK_ONGOING:
    default:
      return g_strdup (_("ongoing"));
    }
}

static void
sitrep_checklist_group_dispose (GObject *object)
{
  SitrepChecklistGroup *self = SITREP_CHECKLIST_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_CHECKLIST_GROUP);
  g_clear_object (&self->manager);
  self->runbook = NULL;

  G_OBJECT_CLASS (sitrep_checklist_group_parent_class)->dispose (object);
}

static void
sitrep_checklist_group_finalize (GObject *object)
{
  SitrepChecklistGroup *self = SITREP_CHECKLIST_GROUP (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_checklist_group_parent_class)->finalize (object);
}

static void
sitrep_checklist_group_class_init (SitrepChecklistGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_checklist_group_dispose;
  object_class->finalize = sitrep_checklist_group_finalize;

  /**
   * SitrepChecklistGroup::item-toggled:
   * @item_id: the runbook's checklist item id
   * @done: whether the item is now ticked
   *
   * The commander ticked or unticked an item; the group does not record it itself.
   */
  signals[ITEM_TOGGLED] = g_signal_new ("item-toggled", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_STRING, G_TYPE_BOOLEAN);
  /**
   * SitrepChecklistGroup::update-sent:
   *
   * A status update was copied, which counts as sending it.
   */
  signals[UPDATE_SENT] = g_signal_new ("update-sent", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SitrepChecklistGroup::open-service:
   * @service_id: the runbook's service id
   */
  signals[OPEN_SERVICE] = g_signal_new ("open-service", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        G_TYPE_STRING);
  /**
   * SitrepChecklistGroup::open-action:
   * @action_id: the runbook's action id
   * @service_id: (nullable): the service it applies to
   */
  signals[OPEN_ACTION] = g_signal_new ("open-action", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_STRING);
  /**
   * SitrepChecklistGroup::toast:
   * @text: what to tell the commander
   */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-checklist-group.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepChecklistGroup, clock);
}

static void
sitrep_checklist_group_init (SitrepChecklistGroup *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sitrep_checklist_group_new:
 * @manager: the incidents, for the current one and the time when an item's button is pressed
 * @runbook: the runbook of the incidents shown, which holds @phase
 * @phase: a phase of @runbook, which must outlive the group
 *
 * When @runbook is not the one open (an incident declared under another runbook), the items
 * that show a service or run a command say so instead: those belong to the open runbook.
 */
GtkWidget *
sitrep_checklist_group_new (SitrepIncidentManager      *manager,
                            SitrepRunbook              *runbook,
                            const SitrepChecklistPhase *phase)
{
  SitrepChecklistGroup *self;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (manager), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);
  g_return_val_if_fail (phase != NULL, NULL);

  self = g_object_new (SITREP_TYPE_CHECKLIST_GROUP, NULL);
  self->manager = g_object_ref (manager);
  self->runbook = runbook;
  self->foreign = runbook != sitrep_incident_manager_get_runbook (manager);
  self->phase = phase;
  build (self);
  return GTK_WIDGET (self);
}

const SitrepChecklistPhase *
sitrep_checklist_group_get_phase (SitrepChecklistGroup *self)
{
  g_return_val_if_fail (SITREP_IS_CHECKLIST_GROUP (self), NULL);
  return self->phase;
}

/* Shows @incident's ticks and the phase's clock at @now. */
void
sitrep_checklist_group_refresh (SitrepChecklistGroup *self,
                                SitrepIncident       *incident,
                                gint64                now,
                                gboolean              utc)
{
  g_autofree char *clock = NULL;

  g_return_if_fail (SITREP_IS_CHECKLIST_GROUP (self));
  g_return_if_fail (SITREP_IS_INCIDENT (incident));

  self->utc = utc;
  gtk_widget_set_visible (GTK_WIDGET (self), sitrep_incident_phase_applies (incident, self->phase));
  clock = clock_text (self, incident, now);
  gtk_label_set_text (self->clock, clock);

  for (guint i = 0; i < self->rows->len; i++)
    {
      SitrepChecklistRow *row = self->rows->pdata[i];
      const SitrepChecklistItem *item = sitrep_checklist_row_get_item (row);
      const SitrepChecklistTick *tick = sitrep_incident_get_tick (incident, item->id);
      gboolean done = tick != NULL && tick->done;
      const char *hint = item_hint (self, item);
      g_autofree char *subtitle = NULL;

      /* An item for other severities is not on this incident's checklist. */
      gtk_widget_set_visible (GTK_WIDGET (row), sitrep_incident_item_applies (incident, item));
      if (done)
        {
          g_autofree char *at = sitrep_incident_format_time (tick->done_at, now, utc, FALSE);

          /* Translators: who ticked a checklist item and when, "alice, 03:24" */
          subtitle = g_strdup_printf (_("%s, %s"), tick->done_by && *tick->done_by
                                                     ? tick->done_by : _("someone"), at);
        }
      sitrep_checklist_row_set_done (row, done);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : hint ? hint : "");
    }
}
