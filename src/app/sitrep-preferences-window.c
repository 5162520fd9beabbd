/* sitrep-preferences-window.c: the preferences: read-only mode, UTC times, the webhook, the lead's
 * name and the team database */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-preferences-window-private.h"
#include "sitrep-store.h"
#include "sitrep-webhook.h"
#include "sitrep-window.h"

G_DEFINE_FINAL_TYPE (SitrepPreferencesWindow, sitrep_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_READ_ONLY_REASON,
  PROP_WEBHOOK_ALLOW_PLAIN_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A refused URL is explained in a dialog: the explanation says what to do, and is too long for
 * a toast. */
static void
webhook_refused (SitrepPreferencesWindow *self,
                 const char              *problem)
{
  GtkWidget *dialog;

  g_free (self->webhook_problem);
  self->webhook_problem = g_strdup (problem);
  gtk_widget_add_css_class (GTK_WIDGET (self->webhook_row), "error");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Webhook URL Not Saved"), problem);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
webhook_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SitrepPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sitrep_webhook_set_url_finish (result, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Webhook URL saved in the keyring")));
  else
    webhook_refused (self, error->message);
}

/* The URL goes straight to the keyring; the field is emptied so it is not left on screen. A URL
 * that cannot be used stays in the (hidden) field, to be corrected rather than typed again. */
static void
webhook_apply_cb (SitrepPreferencesWindow *self)
{
  g_autofree char *url = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->webhook_row)));
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->webhook_problem, g_free);
  gtk_widget_remove_css_class (GTK_WIDGET (self->webhook_row), "error");
  if (*url != '\0' && !sitrep_webhook_check_url (url, self->webhook_allow_plain_http, &error))
    {
      webhook_refused (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->webhook_row), "");
  sitrep_webhook_set_url_async (url, self->webhook_allow_plain_http, NULL, webhook_saved_cb,
                                g_object_ref (self));
}

static void
not_switched (SitrepPreferencesWindow *self,
              const char              *why)
{
  g_autofree char *text = g_strdup_printf (_("Saved for the next start. %s"), why);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Database Not Switched Yet"),
                                              text);

  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The windows open over the console that write to its database (a message, a post-mortem, a
 * declaration, a command's confirmation), one a line; NULL when none. */
static char *
open_editors (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GString) lines = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);
      g_auto(GStrv) names = NULL;

      if (!SITREP_IS_WINDOW (toplevel))
        continue;
      names = sitrep_window_get_open_editors (SITREP_WINDOW (toplevel));
      for (guint j = 0; names[j] != NULL; j++)
        g_string_append_printf (lines, "\n• %s", names[j]);
    }
  return lines->len > 0 ? g_string_free (g_steal_pointer (&lines), FALSE) : NULL;
}

/* The team database's address is checked before it is kept: a password in it is refused (and
 * the field emptied, so it is not left on screen), a file is not a team database. */
static void
team_apply_cb (SitrepPreferencesWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->team_row))));
  const char *problem = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->team_row), "error");
  if (*address != '\0' && !sitrep_store_is_team_address (address))
    problem = _("This is not a PostgreSQL address. Give one such as "
                "postgresql://sitrep@db.example.org/incidents, or leave it empty for this "
                "computer’s database.");
  else if (*address != '\0' && sitrep_store_address_has_password (address))
    {
      problem = _("The address holds a password, which Sitrep never keeps in its settings. "
                  "Remove it from the address and put it in your password file (PGPASSFILE or "
                  "~/.pgpass), or keep it in the keyring with sitrep store password ADDRESS.");
      gtk_editable_set_text (GTK_EDITABLE (self->team_row), "");
    }
  if (problem != NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  _("Team Database Not Saved"), problem);

      gtk_widget_add_css_class (GTK_WIDGET (self->team_row), "error");
      gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "team-database", address);
  /* The console switches now, unless a command still runs on the database it has, or a
   * window opened on it would go on writing there: they are named, to be closed first. */
  if (self->session != NULL)
    {
      g_autoptr(GError) error = NULL;
      const char *current = sitrep_session_get_store_address (self->session);
      gboolean moves = *address != '\0' ? g_strcmp0 (address, current) != 0
                                        : current != NULL && sitrep_store_is_team_address (current);
      g_autofree char *editors = moves ? open_editors () : NULL;

      if (editors != NULL)
        {
          g_autofree char *why = NULL;

          /* Translators: %s is the list of windows, each on a line of its own starting with
           * "\n• " ("\n• Compose Message\n• Post-Mortem") */
          why = g_strdup_printf (_("These windows write to the database in use now: send, save "
                                   "or cancel what is in them and close them, then apply the "
                                   "address again.%s"),
                                 editors);

          not_switched (self, why);
          return;
        }
      if (sitrep_session_switch_store (self->session, *address != '\0' ? address : NULL, &error))
        {
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                            adw_toast_new (*address != '\0'
                                                             ? _("Sitrep now uses the team database")
                                                             : _("Sitrep now uses this computer’s database")));
          return;
        }
      if (error != NULL)
        {
          not_switched (self, error->message);
          return;
        }
    }
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (*address != '\0'
                                                     ? _("Sitrep opens the team database from its next start")
                                                     : _("Sitrep opens this computer’s database from its next start")));
}

static void
sitrep_preferences_window_finalize (GObject *object)
{
  SitrepPreferencesWindow *self = SITREP_PREFERENCES_WINDOW (object);

  g_free (self->read_only_subtitle);
  g_free (self->read_only_reason);
  g_free (self->webhook_problem);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (sitrep_preferences_window_parent_class)->finalize (object);
}

static void
sitrep_preferences_window_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  SitrepPreferencesWindow *self = SITREP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_READ_ONLY_REASON:
      g_value_set_string (value, self->read_only_reason);
      break;
    case PROP_WEBHOOK_ALLOW_PLAIN_HTTP:
      g_value_set_boolean (value, self->webhook_allow_plain_http);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  SitrepPreferencesWindow *self = SITREP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sitrep_preferences_window_set_session (self, g_value_get_object (value));
      break;
    case PROP_READ_ONLY_REASON:
      sitrep_preferences_window_set_read_only_reason (self, g_value_get_string (value));
      break;
    case PROP_WEBHOOK_ALLOW_PLAIN_HTTP:
      sitrep_preferences_window_set_webhook_allow_plain_http (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_preferences_window_class_init (SitrepPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sitrep_preferences_window_finalize;
  G_OBJECT_CLASS (klass)->get_property = sitrep_preferences_window_get_property;
  G_OBJECT_CLASS (klass)->set_property = sitrep_preferences_window_set_property;
  /* The session whose database the team row switches. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SITREP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why Sitrep is read-only whatever the switch says (the command line, the runbook), or NULL. */
  properties[PROP_READ_ONLY_REASON] =
    g_param_spec_string ("read-only-reason", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the runbook lets the webhook use http://; without it such a URL is refused. */
  properties[PROP_WEBHOOK_ALLOW_PLAIN_HTTP] =
    g_param_spec_boolean ("webhook-allow-plain-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepPreferencesWindow, read_only_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepPreferencesWindow, read_only_switch);
  gtk_widget_class_bind_template_child (widget_class, SitrepPreferencesWindow, utc_switch);
  gtk_widget_class_bind_template_child (widget_class, SitrepPreferencesWindow, lead_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepPreferencesWindow, webhook_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepPreferencesWindow, team_row);
}

static void
sitrep_preferences_window_init (SitrepPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->read_only_subtitle = g_strdup (adw_action_row_get_subtitle (self->read_only_row));
  g_signal_connect_swapped (self->webhook_row, "apply", G_CALLBACK (webhook_apply_cb), self);
  g_signal_connect_swapped (self->team_row, "apply", G_CALLBACK (team_apply_cb), self);
}

SitrepPreferencesWindow *
sitrep_preferences_window_new (GSettings *settings)
{
  SitrepPreferencesWindow *self = g_object_new (SITREP_TYPE_PREFERENCES_WINDOW, NULL);

  if (settings != NULL)
    {
      g_settings_bind (settings, "read-only", self->read_only_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "show-utc", self->utc_switch, "active", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "lead-name", self->lead_row, "text", G_SETTINGS_BIND_DEFAULT);
      self->settings = g_object_ref (settings);
      {
        g_autofree char *team = g_settings_get_string (settings, "team-database");

        gtk_editable_set_text (GTK_EDITABLE (self->team_row), team);
      }
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
    }
  return self;
}

/**
 * sitrep_preferences_window_set_read_only_reason:
 * @reason: (nullable): why Sitrep is read-only whatever the switch says, or %NULL
 *
 * The switch is the preference; the command line or the runbook can make Sitrep read-only too,
 * and then the row says so rather than look as if turning it off would do anything.
 */
void
sitrep_preferences_window_set_read_only_reason (SitrepPreferencesWindow *self,
                                                const char              *reason)
{
  g_return_if_fail (SITREP_IS_PREFERENCES_WINDOW (self));

  if (g_strcmp0 (self->read_only_reason, reason) == 0)
    return;
  g_free (self->read_only_reason);
  self->read_only_reason = g_strdup (reason);
  adw_action_row_set_subtitle (self->read_only_row, reason ? reason : self->read_only_subtitle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY_REASON]);
}

const char *
sitrep_preferences_window_get_read_only_reason (SitrepPreferencesWindow *self)
{
  g_return_val_if_fail (SITREP_IS_PREFERENCES_WINDOW (self), NULL);
  return self->read_only_reason;
}

/* The runbook's "webhook": {"allow_plain_http": true}; without it an http:// URL is refused. */
void
sitrep_preferences_window_set_webhook_allow_plain_http (SitrepPreferencesWindow *self,
                                                        gboolean                 allow)
{
  g_return_if_fail (SITREP_IS_PREFERENCES_WINDOW (self));
  if (self->webhook_allow_plain_http == !!allow)
    return;
  self->webhook_allow_plain_http = !!allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEBHOOK_ALLOW_PLAIN_HTTP]);
}

gboolean
sitrep_preferences_window_get_webhook_allow_plain_http (SitrepPreferencesWindow *self)
{
  g_return_val_if_fail (SITREP_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->webhook_allow_plain_http;
}

/* The session whose database the team row switches; without one, the row's address is used
 * from the next start. */
void
sitrep_preferences_window_set_session (SitrepPreferencesWindow *self,
                                       SitrepSession           *session)
{
  g_return_if_fail (SITREP_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (session == NULL || SITREP_IS_SESSION (session));
  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
