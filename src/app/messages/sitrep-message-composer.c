/* sitrep-message-composer.c: a stakeholder message from a runbook template, copied or posted
 *
 * Copy is sent at once: the text is on the clipboard. Post is sent only when the chat webhook
 * answers 2xx; until then the message shows as queued or failed with the reason, and neither
 * the timeline nor the update clock says it went out.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-incident-format.h"
#include "sitrep-message-composer-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-template-values.h"

G_DEFINE_FINAL_TYPE (SitrepMessageComposer, sitrep_message_composer, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_RUNBOOK,
  PROP_MANAGER,
  PROP_WEBHOOK,
  PROP_UTC,
  PROP_AUTHOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (SitrepMessageComposer *self,
       const char            *message)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static gint64
now (SitrepMessageComposer *self)
{
  return sitrep_incident_manager_now (self->manager);
}

static const SitrepTemplate *
selected_template (SitrepMessageComposer *self)
{
  guint selected = gtk_drop_down_get_selected (self->template_drop_down);

  if (selected >= self->templates->len)
    return NULL;
  return self->templates->pdata[selected];
}

/* Marks every placeholder still to fill, wherever the commander's edits left it. */
static void
highlight (SitrepMessageComposer *self)
{
  GtkTextIter start, end;
  guint n_left = 0;
  g_autofree char *hint = NULL;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->unfilled_tag, &start, &end);
  for (guint i = 0; i < self->unfilled->len; i++)
    {
      g_autofree char *needle = g_strdup_printf ("[%s]", (char *) self->unfilled->pdata[i]);
      GtkTextIter from, match_start, match_end;

      gtk_text_buffer_get_start_iter (self->buffer, &from);
      while (gtk_text_iter_forward_search (&from, needle, GTK_TEXT_SEARCH_TEXT_ONLY, &match_start,
                                           &match_end, NULL))
        {
          gtk_text_buffer_apply_tag (self->buffer, self->unfilled_tag, &match_start, &match_end);
          from = match_end;
          n_left++;
        }
    }
  self->n_left = n_left;
  self->unfilled_warned = FALSE;
  if (n_left > 0)
    hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u highlighted placeholder to fill in before sending",
                                         "%u highlighted placeholders to fill in before sending",
                                         n_left), n_left);
  gtk_label_set_text (self->hint_label, hint ? hint : _("Ready to send"));
  sitrep_incident_format_set_css (GTK_WIDGET (self->hint_label), "warning", n_left > 0);
}

static void
render (SitrepMessageComposer *self)
{
  const SitrepTemplate *template = selected_template (self);
  SitrepIncident *incident = sitrep_incident_manager_get_current (self->manager);
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *text = NULL;
  gboolean kept;

  g_ptr_array_set_size (self->unfilled, 0);
  self->incident_id = incident ? sitrep_incident_get_id (incident) : 0;
  kept = self->incident_id < 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), incident && template);
  /* Declared while the team database is away: the webhook posts only what it holds. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->post_button),
                            incident && template && self->webhook && !kept);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->post_button),
                               kept ? _("This incident is not on the team database yet: copy "
                                        "the message to the chat meanwhile")
                                    : _("Post to the chat webhook set in Preferences; it counts "
                                        "as sent once the webhook accepts it"));
  if (incident == NULL || template == NULL)
    {
      gtk_text_buffer_set_text (self->buffer, "", -1);
      gtk_label_set_text (self->hint_label, incident ? _("The runbook has no message templates.")
                                                     : _("No incident: declare one first."));
      return;
    }
  values = sitrep_template_values_for_incident (incident, self->runbook, now (self), self->utc);
  text = sitrep_template_render (template->body, values, self->unfilled);
  gtk_text_buffer_set_text (self->buffer, text, -1);
  highlight (self);
}

static void
current_changed_cb (SitrepMessageComposer *self)
{
  SitrepIncident *incident = sitrep_incident_manager_get_current (self->manager);

  /* Another incident: a new text. The same one: the commander's edits stay. */
  if ((incident ? sitrep_incident_get_id (incident) : 0) != self->incident_id)
    render (self);
}

static void
set_state (SitrepMessageComposer *self,
           const char            *text,
           const char            *css_class)
{
  g_free (self->state_text);
  self->state_text = g_strdup (text);
  gtk_label_set_text (self->state_label, text ? text : "");
  sitrep_incident_format_set_css (GTK_WIDGET (self->state_label), "error",
                                  g_strcmp0 (css_class, "error") == 0);
  sitrep_incident_format_set_css (GTK_WIDGET (self->state_label), "success",
                                  g_strcmp0 (css_class, "success") == 0);
  sitrep_incident_format_set_css (GTK_WIDGET (self->state_label), "dim-label", css_class == NULL);
}

static void show_next_update (SitrepMessageComposer *self,
                              const char            *done,
                              const char            *state,
                              gboolean               recording);

/* The failed message read again, for why and when it is tried next. */
static void
failed_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SitrepMessageComposer *self = user_data; /* unless the read was cancelled */
  g_autoptr(SitrepMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  message = sitrep_store_load_message_finish (SITREP_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Another message was posted meanwhile: its state shows. */
  if (message != NULL && message->id != self->message_id)
    return;
  if (message != NULL && message->next_attempt_at > 0)
    {
      g_autofree char *at = sitrep_incident_format_time (message->next_attempt_at, now (self),
                                                         self->utc, FALSE);
      /* Translators: the webhook post failed; "Failed: HTTP 500 — retrying at 03:41" */
      text = g_strdup_printf (_("Failed: %s — retrying at %s"), message->webhook_error, at);
    }
  else
    /* Translators: the webhook post failed and will not be retried */
    text = g_strdup_printf (_("Failed: %s"), message ? message->webhook_error : error->message);
  set_state (self, text, "error");
}

static void
webhook_changed_cb (SitrepWebhook         *webhook,
                    gint64                 message_id,
                    SitrepWebhookState     state,
                    SitrepMessageComposer *self)
{
  if (message_id != self->message_id)
    return;
  switch (state)
    {
    case SITREP_WEBHOOK_STATE_QUEUED:
      set_state (self, C_("webhook state", "Queued"), NULL);
      break;
    case SITREP_WEBHOOK_STATE_SENT:
      /* The store reset the update clock when the webhook took the message. */
      if (self->incident_id > 0)
        sitrep_incident_manager_reload (self->manager, self->incident_id, NULL);
      show_next_update (self, _("Posted"), C_("webhook state", "Sent"), FALSE);
      break;
    case SITREP_WEBHOOK_STATE_FAILED:
      sitrep_store_load_message_async (self->store, message_id, self->cancellable,
                                       failed_read_cb, self);
      break;
    case SITREP_WEBHOOK_STATE_NONE:
    default:
      set_state (self, NULL, NULL);
      break;
    }
}

char *
sitrep_message_composer_get_text (SitrepMessageComposer *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

/* What "done" waits for: the incident as the store holds it now. */
typedef struct
{
  SitrepMessageComposer *self; /* unowned: the read is cancelled when the composer goes */
  char *done;
  char *state;
  gboolean recording;
} NextUpdate;

static void
next_update_free (NextUpdate *next)
{
  g_free (next->done);
  g_free (next->state);
  g_free (next);
}

static void
next_update_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  NextUpdate *next = user_data;
  SitrepMessageComposer *self = next->self;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 due;

  incident = sitrep_store_load_incident_finish (SITREP_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      next_update_free (next);
      return;
    }
  due = incident ? sitrep_incident_next_update_due_at (incident, self->runbook) : 0;
  if (due > 0)
    {
      g_autofree char *at = sitrep_incident_format_time (due, now (self), self->utc, FALSE);

      /* Translators: "Copied — next update due 03:50" */
      text = g_strdup_printf (_("%s — next update due %s"), next->done, at);
    }
  if (next->state != NULL)
    set_state (self, next->state, "success");
  toast (self, text ? text : next->done);
  if (next->recording)
    self->n_recording--;
  next_update_free (next);
}

/* Says "Copied — next update due 03:50" (and shows @state) once the incident is read as the
 * store holds it now; while @recording, the message counts as on its way until then. */
static void
show_next_update (SitrepMessageComposer *self,
                  const char            *done,
                  const char            *state,
                  gboolean               recording)
{
  NextUpdate *next = g_new0 (NextUpdate, 1);

  next->self = self;
  next->done = g_strdup (done);
  next->state = g_strdup (state);
  next->recording = recording;
  if (recording)
    self->n_recording++;
  sitrep_store_load_incident_async (self->store, self->incident_id, self->cancellable,
                                    next_update_cb, next);
}

/* A message on its way to the store: the composer may be gone when it is written. */
typedef struct
{
  SitrepMessageComposer *self;
  gboolean posted;
} Record;

static void
record_free (Record *record)
{
  g_object_unref (record->self);
  g_free (record);
}

static void record_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);

/* Records the message through the incident manager, on the store's writer thread. A copied
 * one is sent: it goes on the timeline and resets the update clock. One to post is queued, and
 * is sent only when the webhook takes it (record_cb() hands it over).
 * Returns: whether there was a message to store */
static gboolean
record (SitrepMessageComposer *self,
        gboolean               posted)
{
  const SitrepTemplate *template = selected_template (self);
  g_autofree char *text = sitrep_message_composer_get_text (self);
  SitrepMessageRecord message = { 0, };
  Record *record;

  /* An incident declared while the team database is away has a provisional id below zero:
   * a copy of its message is kept with it, but the webhook posts only what the database
   * holds. */
  if (template == NULL || self->incident_id == 0)
    return FALSE;
  if (posted && self->incident_id < 0)
    {
      toast (self, _("This incident is not on the team database yet: copy the message to "
                     "the chat meanwhile, and post once the database is back."));
      return FALSE;
    }
  message.incident_id = self->incident_id;
  message.template_id = template->id;
  message.title = template->title;
  message.kind = template->kind;
  message.text = text;
  message.at = now (self);
  message.author = self->author;
  message.posted = posted;
  record = g_new0 (Record, 1);
  record->self = g_object_ref (self);
  record->posted = posted;
  self->n_recording++;
  sitrep_incident_manager_record_message_async (self->manager, &message, record_cb, record);
  return TRUE;
}

void
sitrep_message_composer_copy (SitrepMessageComposer *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SITREP_IS_MESSAGE_COMPOSER (self));

  /* The clipboard first: whatever the store says, the commander has the text. */
  text = sitrep_message_composer_get_text (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  record (self, FALSE);
}

static void
post_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SitrepMessageComposer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sitrep_webhook_post_finish (SITREP_WEBHOOK (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* It could not even be tried (no URL, a refused URL, no keyring): the message shows as
   * failed with what to do, from the webhook's "changed"; Copy still works. */
  if (!g_error_matches (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_NO_URL)
      && !g_error_matches (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_PLAIN_HTTP)
      && !g_error_matches (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_INVALID_URL)
      && !g_error_matches (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_KEYRING))
    set_state (self, error->message, "error");
  toast (self, error->message);
}

static void
record_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Record *record = user_data;
  SitrepMessageComposer *self = record->self;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_incident_manager_record_message_finish (SITREP_INCIDENT_MANAGER (source),
                                                             result, &error);
  /* Disposed meanwhile: the message is stored, there is nobody to tell. */
  gboolean shown = self->store != NULL;

  self->n_recording--;
  self->last_recorded_id = id;
  if (!shown)
    ;
  else if (id < 0)
    {
      if (record->posted)
        set_state (self, error->message, "error");
      toast (self, error->message);
    }
  /* Copied while the team database is away: the journal keeps it (id 0) until it is back. */
  else if (id == 0 && !record->posted)
    toast (self, _("Copied. The message is kept on this computer until the team database "
                   "takes it."));
  else if (!record->posted)
    show_next_update (self, _("Copied"), NULL, TRUE);
  else if (self->webhook != NULL)
    {
      self->message_id = id;
      sitrep_webhook_post_async (self->webhook, id, self->cancellable, post_cb,
                                 g_object_ref (self));
    }
  record_free (record);
}

void
sitrep_message_composer_post (SitrepMessageComposer *self)
{
  g_return_if_fail (SITREP_IS_MESSAGE_COMPOSER (self));

  if (self->webhook == NULL || !record (self, TRUE))
    return;
  set_state (self, C_("webhook state", "Queued"), NULL);
}

/* A placeholder never leaves unnoticed: the first Copy or Post over one says what is left and
 * selects it, so typing fills it in; pressed again, the message goes as it is. */
static gboolean
check_unfilled (SitrepMessageComposer *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) unfilled = NULL;
  g_autofree char *names = NULL;
  g_autofree char *note = NULL;
  GtkTextIter start;

  if (self->n_left == 0 || self->unfilled_warned)
    return TRUE;
  text = sitrep_message_composer_get_text (self);
  unfilled = sitrep_template_values_find_unfilled (text);
  if (unfilled->len == 0)
    return TRUE;
  g_ptr_array_add (unfilled, NULL);
  names = g_strjoinv (", ", (char **) unfilled->pdata);
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  if (gtk_text_iter_starts_tag (&start, self->unfilled_tag)
      || gtk_text_iter_forward_to_tag_toggle (&start, self->unfilled_tag))
    {
      GtkTextIter end = start;

      gtk_text_iter_forward_to_tag_toggle (&end, self->unfilled_tag);
      gtk_text_buffer_select_range (self->buffer, &start, &end);
      gtk_text_view_scroll_to_iter (self->text_view, &start, 0.0, FALSE, 0, 0);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  /* Translators: "[root_cause], [eta]": what the message still says instead of values */
  note = g_strdup_printf (_("Still to fill in: %s. Type over the highlighted text, or press "
                            "again to send the message as it is"), names);
  gtk_label_set_text (self->hint_label, note);
  toast (self, note);
  self->unfilled_warned = TRUE;
  return FALSE;
}

static void
copy_clicked_cb (SitrepMessageComposer *self)
{
  if (check_unfilled (self))
    sitrep_message_composer_copy (self);
}

static void
post_clicked_cb (SitrepMessageComposer *self)
{
  if (check_unfilled (self))
    sitrep_message_composer_post (self);
}

static void
sitrep_message_composer_dispose (GObject *object)
{
  SitrepMessageComposer *self = SITREP_MESSAGE_COMPOSER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->manager != NULL)
    g_clear_signal_handler (&self->current_id, self->manager);
  if (self->webhook != NULL)
    g_clear_signal_handler (&self->webhook_changed_id, self->webhook);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_MESSAGE_COMPOSER);
  /* The text view's buffer, and its tags, went with the template. */
  self->buffer = NULL;
  self->unfilled_tag = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->runbook);
  g_clear_object (&self->manager);
  g_clear_object (&self->webhook);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  g_clear_pointer (&self->unfilled, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_message_composer_parent_class)->dispose (object);
}

static void
sitrep_message_composer_finalize (GObject *object)
{
  SitrepMessageComposer *self = SITREP_MESSAGE_COMPOSER (object);

  g_free (self->author);
  g_free (self->state_text);
  g_free (self->last_toast);

  G_OBJECT_CLASS (sitrep_message_composer_parent_class)->finalize (object);
}

/* The highlight of what is left to fill in takes the style's warning colour, light or dark or
 * high contrast, as it changes: a text tag has no style class of its own. */
static void
update_highlight (SitrepMessageComposer *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GdkRGBA) shown = NULL;
  GdkRGBA warning;

  if (self->unfilled_tag == NULL
      || !gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                          "warning_bg_color", &warning))
    return;
  warning.alpha *= 0.35;
  /* The style changes on hover and focus too; the text is laid out again only for a colour. */
  g_object_get (self->unfilled_tag, "background-rgba", &shown, NULL);
  if (shown == NULL || !gdk_rgba_equal (shown, &warning))
    g_object_set (self->unfilled_tag, "background-rgba", &warning, NULL);
}

static void
sitrep_message_composer_css_changed (GtkWidget         *widget,
                                     GtkCssStyleChange *change)
{
  SitrepMessageComposer *self = SITREP_MESSAGE_COMPOSER (widget);

  GTK_WIDGET_CLASS (sitrep_message_composer_parent_class)->css_changed (widget, change);
  update_highlight (self);
}

/* The templates of the runbook, the manager's current incident and the webhook, once all are
 * given (construct-only properties). */
static void
sitrep_message_composer_constructed (GObject *object)
{
  SitrepMessageComposer *self = SITREP_MESSAGE_COMPOSER (object);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  GPtrArray *templates;

  G_OBJECT_CLASS (sitrep_message_composer_parent_class)->constructed (object);
  g_return_if_fail (self->store != NULL && self->runbook != NULL && self->manager != NULL);

  templates = sitrep_runbook_get_templates (self->runbook);
  for (guint i = 0; templates != NULL && i < templates->len; i++)
    {
      const SitrepTemplate *template = templates->pdata[i];

      /* The post-mortem has its own editor. */
      if (template->kind == SITREP_TEMPLATE_POSTMORTEM)
        continue;
      g_ptr_array_add (self->templates, (gpointer) template);
      gtk_string_list_append (titles, template->title);
    }
  gtk_drop_down_set_model (self->template_drop_down, G_LIST_MODEL (titles));
  g_signal_connect_swapped (self->template_drop_down, "notify::selected", G_CALLBACK (render),
                            self);
  self->current_id = g_signal_connect_swapped (self->manager, "notify::current",
                                               G_CALLBACK (current_changed_cb), self);
  if (self->webhook != NULL)
    self->webhook_changed_id = g_signal_connect (self->webhook, "changed",
                                                 G_CALLBACK (webhook_changed_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->post_button), self->webhook != NULL);
  render (self);
}

static void
sitrep_message_composer_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SitrepMessageComposer *self = SITREP_MESSAGE_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RUNBOOK:
      g_value_set_object (value, self->runbook);
      break;
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_WEBHOOK:
      g_value_set_object (value, self->webhook);
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
sitrep_message_composer_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SitrepMessageComposer *self = SITREP_MESSAGE_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_RUNBOOK:
      self->runbook = g_value_dup_object (value);
      break;
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_WEBHOOK:
      self->webhook = g_value_dup_object (value);
      break;
    case PROP_UTC:
      sitrep_message_composer_set_utc (self, g_value_get_boolean (value));
      break;
    case PROP_AUTHOR:
      sitrep_message_composer_set_author (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_message_composer_class_init (SitrepMessageComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = sitrep_message_composer_constructed;
  object_class->dispose = sitrep_message_composer_dispose;
  object_class->finalize = sitrep_message_composer_finalize;
  object_class->get_property = sitrep_message_composer_get_property;
  object_class->set_property = sitrep_message_composer_set_property;

  /* Where a message copied or posted is recorded. */
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, SITREP_TYPE_STORE, flags);
  /* Whose message templates are offered. */
  properties[PROP_RUNBOOK] = g_param_spec_object ("runbook", NULL, NULL, SITREP_TYPE_RUNBOOK,
                                                  flags);
  /* Whose current incident the message is about. */
  properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL,
                                                  SITREP_TYPE_INCIDENT_MANAGER, flags);
  /* The chat webhook, or NULL: then Post is not offered. */
  properties[PROP_WEBHOOK] = g_param_spec_object ("webhook", NULL, NULL, SITREP_TYPE_WEBHOOK,
                                                  flags);
  flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  /* Times in the message in UTC rather than local time. */
  properties[PROP_UTC] = g_param_spec_boolean ("utc", NULL, NULL, FALSE, flags);
  /* Whose name goes on a message copied or posted; the user name until set. */
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->css_changed = sitrep_message_composer_css_changed;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sitrep-message-composer");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-message-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, toasts);
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, template_drop_down);
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, hint_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, post_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepMessageComposer, state_label);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, post_clicked_cb);
}

static void
sitrep_message_composer_init (SitrepMessageComposer *self)
{
  self->cancellable = g_cancellable_new ();
  self->templates = g_ptr_array_new ();
  self->unfilled = g_ptr_array_new_with_free_func (g_free);
  self->author = g_strdup (g_get_user_name ());

  gtk_widget_init_template (GTK_WIDGET (self));
  self->buffer = gtk_text_view_get_buffer (self->text_view);
  self->unfilled_tag = gtk_text_buffer_create_tag (self->buffer, "unfilled",
                                                   "weight", PANGO_WEIGHT_BOLD, NULL);
  update_highlight (self);
  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (highlight), self);
}

/**
 * sitrep_message_composer_new:
 * @webhook: (nullable): the chat webhook; without one, Post is not offered
 *
 * A composer for the manager's current incident, on the first message template.
 */
GtkWidget *
sitrep_message_composer_new (SitrepStore           *store,
                             SitrepRunbook         *runbook,
                             SitrepIncidentManager *manager,
                             SitrepWebhook         *webhook)
{
  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (manager), NULL);
  g_return_val_if_fail (webhook == NULL || SITREP_IS_WEBHOOK (webhook), NULL);

  return g_object_new (SITREP_TYPE_MESSAGE_COMPOSER,
                       "store", store,
                       "runbook", runbook,
                       "manager", manager,
                       "webhook", webhook,
                       NULL);
}

const char *
sitrep_message_composer_get_template_id (SitrepMessageComposer *self)
{
  const SitrepTemplate *template;

  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), NULL);

  template = selected_template (self);
  return template ? template->id : NULL;
}

void
sitrep_message_composer_set_utc (SitrepMessageComposer *self,
                                 gboolean               utc)
{
  g_return_if_fail (SITREP_IS_MESSAGE_COMPOSER (self));

  if (self->utc == !!utc)
    return;
  self->utc = !!utc;
  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTC]);
}

gboolean
sitrep_message_composer_get_utc (SitrepMessageComposer *self)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), FALSE);
  return self->utc;
}

void
sitrep_message_composer_set_author (SitrepMessageComposer *self,
                                    const char            *author)
{
  g_return_if_fail (SITREP_IS_MESSAGE_COMPOSER (self));

  /* No name: the account's, as the composer starts with. */
  if (author == NULL || *author == '\0')
    author = g_get_user_name ();
  if (g_strcmp0 (self->author, author) == 0)
    return;
  g_free (self->author);
  self->author = g_strdup (author);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHOR]);
}

const char *
sitrep_message_composer_get_author (SitrepMessageComposer *self)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), NULL);
  return self->author;
}

