/* sitrep-service-page.c: one service in detail: each probe's last result, conditions, body, history */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-controller.h"
#include "sitrep-argv.h"
#include "sitrep-service-page.h"
#include "sitrep-sparkline.h"

#define BODY_EXCERPT 2048

struct _SitrepServicePage
{
  AdwBin parent_instance;

  SitrepServiceState *state;
  SitrepActionController *controller;
  gulong changed_id;
  AdwPreferencesPage *page;
  GPtrArray *groups;
  GString *text; /* what the rows say, for tests */
};

G_DEFINE_FINAL_TYPE (SitrepServicePage, sitrep_service_page, ADW_TYPE_BIN)

static const char *const probe_type_names[] = { "http", "tcp", "redis", "postgres", "kube", "command" };

static void
clear_groups (SitrepServicePage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_string_truncate (self->text, 0);
}

static AdwPreferencesGroup *
add_group (SitrepServicePage *self,
           const char        *title,
           const char        *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->groups, group);
  g_string_append_printf (self->text, "# %s\n", title);
  if (description != NULL)
    g_string_append_printf (self->text, "%s\n", description);
  return group;
}

static GtkWidget *
add_row (SitrepServicePage   *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  g_string_append_printf (self->text, "%s | %s\n", title, subtitle ? subtitle : "");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (group, row);
  return row;
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "text");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Copied"));
}

static void
add_copy_button (GtkWidget  *row,
                 const char *text)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Copy the command"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the command"), -1);
  g_object_set_data_full (G_OBJECT (button), "text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static void
run_clicked_cb (GtkButton *button,
                gpointer   user_data)
{
  SitrepServicePage *self = user_data;
  const char *action_id = g_object_get_data (G_OBJECT (button), "action");

  /* The window decides how: at once, or through the confirmation dialog. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.run-action", "(ss)",
                              sitrep_service_state_get_id (self->state), action_id);
}

static void
add_run_button (SitrepServicePage  *self,
                GtkWidget          *row,
                const SitrepAction *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (action->mutates ? "system-run-symbolic"
                                                                     : "media-playback-start-symbolic");
  /* Translators: the tooltip of a command's run button, "Run “Restart”" */
  g_autofree char *tooltip = g_strdup_printf (_("Run “%s”"), action->label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "action", g_strdup (action->id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (run_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static char *
describe_target (const SitrepProbeSpec *spec)
{
  switch (spec->type)
    {
    case SITREP_PROBE_HTTP:
      return g_strdup_printf ("%s %s", spec->method, spec->url);
    case SITREP_PROBE_TCP:
      return g_strdup_printf ("%s:%u", spec->host, spec->port);
    case SITREP_PROBE_REDIS:
      return g_strdup_printf ("%s:%u · %s", spec->host, spec->port, spec->check);
    case SITREP_PROBE_POSTGRES:
      return g_strdup (spec->query ? spec->query : "SELECT 1");
    case SITREP_PROBE_KUBE:
      return g_strdup_printf ("kubectl get %s", spec->target);
    case SITREP_PROBE_COMMAND:
    default:
      return spec->argv ? sitrep_argv_to_string ((const char *const *) spec->argv) : NULL;
    }
}

static char *
describe_result (const SitrepProbeStatus *status)
{
  const SitrepProbeResult *last = status->last;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *when = NULL;

  if (status->last_at == 0)
    return g_strdup (_("No result yet"));
  at = g_date_time_new_from_unix_local (status->last_at / G_USEC_PER_SEC);
  when = g_date_time_format (at, "%H:%M:%S");

  if (last == NULL)
    {
      /* Translators: "at 14:02:31: the probe could not run: …" */
      return g_strdup_printf (_("at %s: could not run: %s"), when,
                              status->reason ? status->reason : "");
    }
  g_string_append_printf (text, _("at %s"), when);
  if (last->status >= 0)
    g_string_append_printf (text, " · %s %d", _("status"), last->status);
  if (last->connected || last->status >= 0)
    g_string_append_printf (text, " · %.1f ms", last->response_time_ms);
  if (last->result != NULL && *last->result != '\0' && last->status < 0)
    g_string_append_printf (text, " · %s", last->result);
  if (last->error != NULL)
    g_string_append_printf (text, "\n%s", last->error);
  if (last->insecure_tls)
    g_string_append_printf (text, "\n%s", _("The certificate was not verified"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_body (AdwPreferencesGroup     *group,
          const SitrepProbeResult *last)
{
  GtkWidget *expander, *label;
  g_autofree char *excerpt = NULL;
  gsize size;
  const char *data;

  if (last == NULL || last->body == NULL || g_bytes_get_size (last->body) == 0)
    return;

  data = g_bytes_get_data (last->body, &size);
  excerpt = g_utf8_make_valid (data, MIN (size, BODY_EXCERPT));
  expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Body"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 size > BODY_EXCERPT || last->body_truncated
                                   ? _("The first 2 KB") : NULL);
  label = gtk_label_new (excerpt);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), label);
  adw_preferences_group_add (group, expander);
}

static void
add_probe (SitrepServicePage       *self,
           const SitrepProbeStatus *status)
{
  g_autofree char *title = g_strdup_printf (_("Probe %s (%s)"), status->spec->id,
                                            probe_type_names[status->spec->type]);
  g_autofree char *target = describe_target (status->spec);
  g_autofree char *result = describe_result (status);
  g_autofree char *state = NULL;
  AdwPreferencesGroup *group = add_group (self, title, target);
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  GtkWidget *row, *sparkline;
  guint n;

  state = g_strdup_printf ("%s%s", sitrep_health_get_label (status->health),
                           status->flapping ? _(" · flapping") : "");
  add_row (self, group, state, result);

  for (guint i = 0; i < status->verdicts->len; i++)
    {
      const SitrepConditionVerdict *verdict = status->verdicts->pdata[i];
      g_autofree char *subtitle = NULL;
      GtkWidget *icon;

      subtitle = g_strdup_printf ("%s%s%s%s", verdict->resolved ? verdict->resolved : "",
                                  verdict->reason ? "\n" : "",
                                  verdict->reason ? verdict->reason : "",
                                  verdict->spec->severity == SITREP_CONDITION_WARNING
                                    ? _("\nWarning: failing degrades the service") : "");
      row = add_row (self, group, verdict->spec->check, subtitle);
      icon = gtk_image_new_from_icon_name (verdict->passed ? "emblem-ok-symbolic"
                                                           : "window-close-symbolic");
      gtk_widget_add_css_class (icon, verdict->passed ? "success" : "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      verdict->passed ? _("Holds") : _("Fails"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  add_body (group, status->last);

  n = 0;
  for (guint i = 0; i < status->history_len; i++)
    points[n++] = status->history[(status->history_head + i) % SITREP_HEALTH_HISTORY];
  if (n > 0)
    {
      row = add_row (self, group, _("History"), NULL);
      sparkline = sitrep_sparkline_new ();
      gtk_widget_set_size_request (sparkline, 240, 32);
      gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);
      sitrep_sparkline_set_points (SITREP_SPARKLINE (sparkline), points, n);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sparkline);
    }
}

static void
add_strings (SitrepServicePage *self,
             const char        *title,
             GStrv              strings)
{
  AdwPreferencesGroup *group;

  if (strings == NULL || strings[0] == NULL)
    return;
  group = add_group (self, title, NULL);
  for (guint i = 0; strings[i] != NULL; i++)
    add_row (self, group, strings[i], NULL);
}

static void
add_commands (SitrepServicePage *self)
{
  const SitrepService *service = sitrep_service_state_get_service (self->state);
  SitrepRunbook *runbook = sitrep_service_state_get_runbook (self->state);
  AdwPreferencesGroup *group;

  if (service->actions == NULL || service->actions[0] == NULL)
    return;

  group = add_group (self, _("Commands"),
                     self->controller != NULL
                       && !sitrep_action_controller_get_trusted (self->controller)
                       ? _("The runbook's commands for this service, exactly as they would run. "
                           "None runs until you review this runbook's commands and trust it.")
                       : _("The runbook's commands for this service, exactly as they will run: "
                           "run one from here, or copy it to a terminal."));
  for (guint i = 0; service->actions[i] != NULL; i++)
    {
      const SitrepAction *action = sitrep_runbook_find_action (runbook, service->actions[i]);
      g_auto(GStrv) argv = NULL;
      g_autofree char *line = NULL;
      GtkWidget *row;

      if (action == NULL
          || (self->controller != NULL && sitrep_action_controller_is_hidden (self->controller,
                                                                              action)))
        continue;
      /* Commands with inputs show their template until the action dialog asks for values. */
      argv = sitrep_argv_expand ((const char *const *) action->argv, runbook, service, NULL, NULL,
                                 NULL);
      line = argv ? sitrep_argv_to_string ((const char *const *) argv)
                  : sitrep_argv_to_string ((const char *const *) action->argv);
      row = add_row (self, group, action->label, line);
      gtk_widget_add_css_class (row, "command");
      if (action->dangerous)
        adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                   gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      add_copy_button (row, line);
      /* Of a runbook not trusted yet, the commands show, but none runs from here. */
      if (self->controller != NULL
          && sitrep_action_controller_check_allowed (self->controller, action, NULL))
        add_run_button (self, row, action);
    }
}

static void
rebuild (SitrepServicePage *self)
{
  const SitrepService *service;
  AdwPreferencesGroup *group;
  g_autofree char *since = NULL;
  const char *reason;

  clear_groups (self);
  if (self->state == NULL)
    return;

  service = sitrep_service_state_get_service (self->state);
  reason = sitrep_service_state_get_reason (self->state);
  group = add_group (self, service->name, service->target);
  since = sitrep_service_state_get_since (self->state) > 0
            ? sitrep_clock_format_span (g_get_real_time ()
                                        - sitrep_service_state_get_since (self->state))
            : NULL;
  {
    g_autofree char *title = since
      /* Translators: "Down for 3 min" */
      ? g_strdup_printf (_("%s for %s"), sitrep_health_get_label (sitrep_service_state_get_health (self->state)), since)
      : g_strdup (sitrep_health_get_label (sitrep_service_state_get_health (self->state)));

    add_row (self, group, title, sitrep_service_state_get_health (self->state) != SITREP_HEALTH_UP
                             ? reason : NULL);
  }
  if (sitrep_service_state_get_stale (self->state))
    add_row (self, group, _("Stale"), _("No fresh result for more than twice the probe interval"));

  for (guint i = 0; i < sitrep_service_state_get_n_probes (self->state); i++)
    add_probe (self, sitrep_service_state_get_probe (self->state, i));

  add_strings (self, _("Symptoms"), service->symptoms);
  add_strings (self, _("Procedures"), service->procedures);
  add_commands (self);
}

static void
sitrep_service_page_dispose (GObject *object)
{
  SitrepServicePage *self = (SitrepServicePage *) object;

  sitrep_service_page_set_state (self, NULL);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  if (self->text != NULL)
    g_string_free (g_steal_pointer (&self->text), TRUE);

  G_OBJECT_CLASS (sitrep_service_page_parent_class)->dispose (object);
}

static void
sitrep_service_page_class_init (SitrepServicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_service_page_dispose;
}

static void
sitrep_service_page_init (SitrepServicePage *self)
{
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  self->groups = g_ptr_array_new ();
  self->text = g_string_new (NULL);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->page));
}

GtkWidget *
sitrep_service_page_new (void)
{
  return g_object_new (SITREP_TYPE_SERVICE_PAGE, NULL);
}

void
sitrep_service_page_set_state (SitrepServicePage  *self,
                               SitrepServiceState *state)
{
  g_return_if_fail (SITREP_IS_SERVICE_PAGE (self));

  if (self->state != NULL)
    g_clear_signal_handler (&self->changed_id, self->state);
  g_set_object (&self->state, state);
  if (state != NULL)
    self->changed_id = g_signal_connect_swapped (state, "changed", G_CALLBACK (rebuild), self);
  else
    g_clear_object (&self->state);
  if (self->groups != NULL)
    rebuild (self);
}

SitrepServiceState *
sitrep_service_page_get_state (SitrepServicePage *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);
  return self->state;
}

/* Every group and row as the page shows them, one per line, for tests. */
char *
sitrep_service_page_get_text (SitrepServicePage *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);
  return g_strdup (self->text->str);
}

/* With a controller, each command the runbook lets run here gets a run button. */
void
sitrep_service_page_set_controller (SitrepServicePage      *self,
                                    SitrepActionController *controller)
{
  g_return_if_fail (SITREP_IS_SERVICE_PAGE (self));

  if (self->controller == controller)
    return;
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);
  /* Read-only and trust change while the page is open: its buttons follow at once. */
  if (controller != NULL)
    {
      g_signal_connect_swapped (controller, "notify::read-only", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (controller, "notify::trusted", G_CALLBACK (rebuild), self);
    }
  if (self->groups != NULL)
    rebuild (self);
}
