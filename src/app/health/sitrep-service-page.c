/* sitrep-service-page.c: one service in detail: each probe's last result, conditions, body, history
 *
 * The rows are built once per service and updated in place on every probe result, so that
 * keyboard focus, the screen reader's place and a pointer over a button survive the results
 * that arrive every few seconds. Only a new service, or new commands (the read-only mode
 * changed), builds rows anew.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-action-controller.h"
#include "sitrep-argv.h"
#include "sitrep-probe-kind.h"
#include "sitrep-service-page.h"
#include "sitrep-sparkline.h"

#define BODY_EXCERPT 2048

/* The rows of one probe, kept to be updated. */
typedef struct
{
  const SitrepProbeSpec *spec;
  GtkWidget *state_row;
  GtkWidget *unencrypted_row;
  GPtrArray *condition_specs; /* SitrepConditionSpec, unowned: the parsed ones, in order */
  GPtrArray *condition_rows;  /* AdwActionRow */
  GPtrArray *condition_icons; /* GtkImage */
  GtkWidget *body_row;
  GtkLabel *body_label;
  GtkWidget *history_row;
  SitrepSparkline *sparkline;
} ProbeRows;

struct _SitrepServicePage
{
  AdwBin parent_instance;

  SitrepServiceState *state;
  SitrepActionController *controller;
  gulong changed_id;
  AdwPreferencesPage *page;
  GPtrArray *groups;   /* AdwPreferencesGroup, in order */
  GPtrArray *commands; /* the groups rebuilt with the controller: AdwPreferencesGroup */
  GtkWidget *health_row;
  GtkWidget *stale_row;
  GPtrArray *probes;   /* ProbeRows */
};

G_DEFINE_FINAL_TYPE (SitrepServicePage, sitrep_service_page, ADW_TYPE_BIN)

static void
probe_rows_free (ProbeRows *rows)
{
  g_ptr_array_unref (rows->condition_specs);
  g_ptr_array_unref (rows->condition_rows);
  g_ptr_array_unref (rows->condition_icons);
  g_free (rows);
}

static AdwPreferencesGroup *
add_group (SitrepServicePage *self,
           GPtrArray         *groups,
           const char        *title,
           const char        *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (groups, group);
  /* Its rows in order, for get_text (): a preferences group does not list them. */
  g_object_set_data_full (G_OBJECT (group), "sitrep-rows", g_ptr_array_new (),
                          (GDestroyNotify) g_ptr_array_unref);
  return group;
}

/* Sets a row's texts only where they changed: a screen reader announces every change. */
static void
set_row (GtkWidget  *row,
         const char *title,
         const char *subtitle)
{
  if (title != NULL
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle == NULL)
    subtitle = "";
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), subtitle) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  set_row (row, title, subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (g_object_get_data (G_OBJECT (group), "sitrep-rows"), row);
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

/* The probe's kind says what it checks. */
static char *
describe_target (const SitrepProbeSpec *spec)
{
  const SitrepProbeKind *kind = sitrep_probe_kind_get (spec->type_name);

  return kind != NULL && kind->describe != NULL ? kind->describe (spec) : NULL;
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
build_probe (SitrepServicePage     *self,
             const SitrepProbeSpec *spec)
{
  g_autofree char *title = g_strdup_printf (_("Probe %s (%s)"), spec->id,
                                            spec->type_name);
  g_autofree char *target = describe_target (spec);
  AdwPreferencesGroup *group = add_group (self, self->groups, title, target);
  ProbeRows *rows = g_new0 (ProbeRows, 1);
  GtkWidget *icon, *label;

  rows->spec = spec;
  rows->state_row = add_row (group, NULL, NULL);

  rows->unencrypted_row = add_row (group, _("Not encrypted"),
                                   _("The check crossed the network in clear text: the server "
                                     "answered without TLS (sslmode disable, or prefer with a "
                                     "server that has no TLS). Set sslmode=require or "
                                     "sslmode=verify-full in the connection string."));
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (rows->unencrypted_row), icon);
  gtk_widget_set_visible (rows->unencrypted_row, FALSE);

  rows->condition_specs = g_ptr_array_new ();
  rows->condition_rows = g_ptr_array_new ();
  rows->condition_icons = g_ptr_array_new ();
  for (guint i = 0; i < spec->conditions->len; i++)
    {
      const SitrepConditionSpec *condition = spec->conditions->pdata[i];
      GtkWidget *row;

      if (condition->parsed == NULL)
        continue;
      row = add_row (group, condition->check, NULL);
      icon = gtk_image_new ();
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_ptr_array_add (rows->condition_specs, (gpointer) condition);
      g_ptr_array_add (rows->condition_rows, row);
      g_ptr_array_add (rows->condition_icons, icon);
    }

  rows->body_row = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->body_row), _("Body"));
  label = gtk_label_new (NULL);
  rows->body_label = GTK_LABEL (label);
  gtk_label_set_selectable (rows->body_label, TRUE);
  gtk_label_set_wrap (rows->body_label, TRUE);
  gtk_label_set_wrap_mode (rows->body_label, PANGO_WRAP_CHAR);
  gtk_label_set_xalign (rows->body_label, 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (rows->body_row), label);
  adw_preferences_group_add (group, rows->body_row);
  gtk_widget_set_visible (rows->body_row, FALSE);

  rows->history_row = add_row (group, _("History"), NULL);
  rows->sparkline = SITREP_SPARKLINE (sitrep_sparkline_new ());
  gtk_widget_set_size_request (GTK_WIDGET (rows->sparkline), 240, 32);
  gtk_widget_set_valign (GTK_WIDGET (rows->sparkline), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (rows->history_row), GTK_WIDGET (rows->sparkline));
  gtk_widget_set_visible (rows->history_row, FALSE);

  g_ptr_array_add (self->probes, rows);
}

static const SitrepConditionVerdict *
find_verdict (const SitrepProbeStatus   *status,
              const SitrepConditionSpec *spec)
{
  for (guint i = 0; i < status->verdicts->len; i++)
    {
      const SitrepConditionVerdict *verdict = status->verdicts->pdata[i];

      if (verdict->spec == spec)
        return verdict;
    }
  return NULL;
}

static void
update_body (ProbeRows               *rows,
             const SitrepProbeResult *last)
{
  g_autofree char *excerpt = NULL;
  const char *data;
  gsize size = 0;

  if (last == NULL || last->body == NULL || g_bytes_get_size (last->body) == 0)
    {
      gtk_widget_set_visible (rows->body_row, FALSE);
      return;
    }
  data = g_bytes_get_data (last->body, &size);
  excerpt = g_utf8_make_valid (data, MIN (size, BODY_EXCERPT));
  if (g_strcmp0 (gtk_label_get_text (rows->body_label), excerpt) != 0)
    gtk_label_set_text (rows->body_label, excerpt);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (rows->body_row),
                                 size > BODY_EXCERPT || last->body_truncated
                                   ? _("The first 2 KB") : "");
  gtk_widget_set_visible (rows->body_row, TRUE);
}

static void
update_probe (ProbeRows               *rows,
              const SitrepProbeStatus *status)
{
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  g_autofree char *state = NULL;
  g_autofree char *result = describe_result (status);
  guint n = 0;

  state = g_strdup_printf ("%s%s", sitrep_health_get_label (status->health),
                           status->flapping ? _(" · flapping") : "");
  set_row (rows->state_row, state, result);
  gtk_widget_set_visible (rows->unencrypted_row, status->last != NULL && status->last->unencrypted);

  for (guint i = 0; i < rows->condition_rows->len; i++)
    {
      const SitrepConditionSpec *spec = rows->condition_specs->pdata[i];
      const SitrepConditionVerdict *verdict = find_verdict (status, spec);
      GtkImage *icon = rows->condition_icons->pdata[i];
      g_autofree char *subtitle = NULL;
      const char *icon_name, *label;

      if (verdict == NULL)
        {
          subtitle = g_strdup_printf ("%s%s", _("Not checked yet"),
                                      spec->severity == SITREP_CONDITION_WARNING
                                        ? _("\nWarning: failing degrades the service") : "");
          icon_name = "content-loading-symbolic";
          label = _("Not checked yet");
        }
      else
        {
          subtitle = g_strdup_printf ("%s%s%s%s", verdict->resolved ? verdict->resolved : "",
                                      verdict->reason ? "\n" : "",
                                      verdict->reason ? verdict->reason : "",
                                      spec->severity == SITREP_CONDITION_WARNING
                                        ? _("\nWarning: failing degrades the service") : "");
          icon_name = verdict->passed ? "emblem-ok-symbolic" : "window-close-symbolic";
          label = verdict->passed ? _("Holds") : _("Fails");
        }
      set_row (rows->condition_rows->pdata[i], NULL, subtitle);
      if (g_strcmp0 (gtk_image_get_icon_name (icon), icon_name) != 0)
        {
          gtk_image_set_from_icon_name (icon, icon_name);
          gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");
          gtk_widget_remove_css_class (GTK_WIDGET (icon), "error");
          if (verdict != NULL)
            gtk_widget_add_css_class (GTK_WIDGET (icon), verdict->passed ? "success" : "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          label, -1);
        }
    }

  update_body (rows, status->last);

  for (guint i = 0; i < status->history_len; i++)
    points[n++] = status->history[(status->history_head + i) % SITREP_HEALTH_HISTORY];
  sitrep_sparkline_set_points (rows->sparkline, points, n);
  gtk_widget_set_visible (rows->history_row, n > 0);
}

/* Everything that changes with a result: texts, icons, and which notices show. */
static void
update (SitrepServicePage *self)
{
  SitrepHealth health;
  g_autofree char *since = NULL;
  g_autofree char *title = NULL;

  if (self->state == NULL || self->health_row == NULL)
    return;

  health = sitrep_service_state_get_health (self->state);
  since = sitrep_service_state_get_since (self->state) > 0
            ? sitrep_clock_format_span (g_get_real_time ()
                                        - sitrep_service_state_get_since (self->state))
            : NULL;
  title = since
    /* Translators: "Down for 3 min" */
    ? g_strdup_printf (_("%s for %s"), sitrep_health_get_label (health), since)
    : g_strdup (sitrep_health_get_label (health));
  set_row (self->health_row, title,
           health != SITREP_HEALTH_UP ? sitrep_service_state_get_reason (self->state) : NULL);
  gtk_widget_set_visible (self->stale_row, sitrep_service_state_get_stale (self->state));

  for (guint i = 0; i < self->probes->len; i++)
    update_probe (self->probes->pdata[i], sitrep_service_state_get_probe (self->state, i));
}

static void
link_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                g_object_get_data (G_OBJECT (button), "url"), GDK_CURRENT_TIME);
}

/* The environment's links the runbook gives this service: dashboards, logs, consoles. Only
 * web addresses open from here (the loader refuses others too): a runbook is not trusted to
 * launch other handlers. */
static void
build_links (SitrepServicePage *self)
{
  const SitrepService *service = sitrep_service_state_get_service (self->state);
  SitrepRunbook *runbook = sitrep_service_state_get_runbook (self->state);
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; service->links != NULL && service->links[i] != NULL; i++)
    {
      const SitrepLink *link = sitrep_runbook_find_link (runbook, service->links[i]);
      const char *scheme = link && link->url ? g_uri_peek_scheme (link->url) : NULL;
      gboolean web = scheme != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"));
      g_autoptr(GString) subtitle = g_string_new (NULL);
      GtkWidget *row, *button;

      if (link == NULL)
        continue;
      if (group == NULL)
        group = add_group (self, self->groups, _("Links"), NULL);

      if (link->url == NULL)
        g_string_append (subtitle, _("Not set yet: the runbook has no address for this link"));
      else if (!web)
        g_string_append_printf (subtitle, _("%s (not opened from here: only http and https "
                                            "addresses open)"), link->url);
      else
        g_string_append (subtitle, link->url);
      if (link->note != NULL)
        g_string_append_printf (subtitle, "\n%s", link->note);
      row = add_row (group, link->label, subtitle->str);
      gtk_widget_add_css_class (row, "link");
      if (!web)
        continue;

      button = gtk_button_new_with_label (_("Open"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* Translators: the tooltip of a link's Open button, "Open “Grafana” in the browser" */
      {
        g_autofree char *tooltip = g_strdup_printf (_("Open “%s” in the browser"), link->label);

        gtk_widget_set_tooltip_text (button, tooltip);
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        tooltip, -1);
      }
      g_object_set_data_full (G_OBJECT (button), "url", g_strdup (link->url), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (link_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }
}

static void
build_strings (SitrepServicePage *self,
               const char        *title,
               GStrv              strings)
{
  AdwPreferencesGroup *group;

  if (strings == NULL || strings[0] == NULL)
    return;
  group = add_group (self, self->groups, title, NULL);
  for (guint i = 0; strings[i] != NULL; i++)
    add_row (group, strings[i], NULL);
}

static void
clear_commands (SitrepServicePage *self)
{
  for (guint i = 0; i < self->commands->len; i++)
    adw_preferences_page_remove (self->page, self->commands->pdata[i]);
  g_ptr_array_set_size (self->commands, 0);
}

static void
build_commands (SitrepServicePage *self)
{
  const SitrepService *service;
  SitrepRunbook *runbook;
  AdwPreferencesGroup *group;

  clear_commands (self);
  if (self->state == NULL)
    return;
  service = sitrep_service_state_get_service (self->state);
  runbook = sitrep_service_state_get_runbook (self->state);
  if (service->actions == NULL || service->actions[0] == NULL)
    return;

  group = add_group (self, self->commands, _("Commands"),
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
      row = add_row (group, action->label, line);
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
clear (SitrepServicePage *self)
{
  clear_commands (self);
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->probes, 0);
  self->health_row = self->stale_row = NULL;
}

/* The rows of a new service: once, then updated in place. */
static void
build (SitrepServicePage *self)
{
  const SitrepService *service;
  AdwPreferencesGroup *group;

  clear (self);
  if (self->state == NULL)
    return;

  service = sitrep_service_state_get_service (self->state);
  group = add_group (self, self->groups, service->name, service->target);
  self->health_row = add_row (group, NULL, NULL);
  self->stale_row = add_row (group, _("Stale"),
                             _("No fresh result for more than twice the probe interval"));
  gtk_widget_set_visible (self->stale_row, FALSE);
  for (guint i = 0; i < sitrep_service_state_get_n_probes (self->state); i++)
    build_probe (self, sitrep_service_state_get_probe (self->state, i)->spec);
  build_links (self);
  build_strings (self, _("Symptoms"), service->symptoms);
  build_strings (self, _("Procedures"), service->procedures);
  build_commands (self);
  update (self);
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
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_clear_pointer (&self->probes, g_ptr_array_unref);

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
  self->commands = g_ptr_array_new ();
  self->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_rows_free);
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

  if (state == self->state)
    return;
  if (self->state != NULL)
    g_clear_signal_handler (&self->changed_id, self->state);
  g_set_object (&self->state, state);
  if (state != NULL)
    self->changed_id = g_signal_connect_swapped (state, "changed", G_CALLBACK (update), self);
  else
    g_clear_object (&self->state);
  if (self->groups != NULL)
    build (self);
}

SitrepServiceState *
sitrep_service_page_get_state (SitrepServicePage *self)
{
  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);
  return self->state;
}

static void
append_group_text (GString             *text,
                   AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), "sitrep-rows");
  const char *description = adw_preferences_group_get_description (group);

  g_string_append_printf (text, "# %s\n", adw_preferences_group_get_title (group));
  if (description != NULL && description[0] != '\0')
    g_string_append_printf (text, "%s\n", description);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      /* As a person sees the page: a hidden row is not there. */
      if (gtk_widget_get_visible (row))
        g_string_append_printf (text, "%s | %s\n",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                subtitle ? subtitle : "");
    }
}

/* Every group and row as the page shows them, one per line, for tests. */
char *
sitrep_service_page_get_text (SitrepServicePage *self)
{
  GString *text;

  g_return_val_if_fail (SITREP_IS_SERVICE_PAGE (self), NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->groups->len; i++)
    append_group_text (text, self->groups->pdata[i]);
  for (guint i = 0; i < self->commands->len; i++)
    append_group_text (text, self->commands->pdata[i]);
  return g_string_free (text, FALSE);
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
  /* Read-only and trust change while the page is open: its buttons follow at once. Only the
   * commands are built anew; the rows above keep their place. */
  if (controller != NULL)
    {
      g_signal_connect_swapped (controller, "notify::read-only", G_CALLBACK (build_commands), self);
      g_signal_connect_swapped (controller, "notify::trusted", G_CALLBACK (build_commands), self);
    }
  if (self->groups != NULL)
    build_commands (self);
}
