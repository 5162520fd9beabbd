/* sitrep-action-dialog.c: asks before a mutation runs, showing the exact command, and starts it
 *
 * The command line shown is the one that runs: every change of an input rebuilds the request
 * through the core, whose refusal of a value is shown under that input's field, and Run stays
 * insensitive until every value is valid, the choices or replicas are known, and the typed
 * confirmation matches. Nothing here depends on a first valid request: an input without a value
 * (a string, an integer without a default) is simply not valid yet. Preview is a button, not a
 * response: an AdwMessageDialog closes on every response.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sitrep-action-dialog-private.h"
#include "sitrep-action-history.h"

G_DEFINE_FINAL_TYPE (SitrepActionDialog, sitrep_action_dialog, ADW_TYPE_MESSAGE_DIALOG)

void
sitrep_action_dialog_set_error (SitrepActionDialog *self,
                                const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
}

static void
update_run (SitrepActionDialog *self)
{
  SitrepRunbook *runbook = sitrep_action_controller_get_runbook (self->controller);
  gboolean ok = self->request != NULL && self->n_loading == 0;

  if (ok && sitrep_action_request_is_scale (self->request))
    ok = self->replicas_known;
  if (ok)
    ok = sitrep_action_request_check_confirmation (self->request,
                                                   gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry)));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "run", ok);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_button),
                            self->request != NULL && self->n_loading == 0
                            && sitrep_action_get_has_preview (self->action, runbook));
}

/* Rebuilds the request from the fields: the core checks every value, and says under each field
 * what is wrong with it. */
void
sitrep_action_dialog_rebuild (SitrepActionDialog *self)
{
  g_autoptr(GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) offered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) valid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GError) error = NULL;
  gboolean all_valid = TRUE;

  /* Not before every row is there: a drop-down that gets its first item says it changed. */
  if (self->error_label == NULL)
    return;
  g_clear_object (&self->request);
  for (guint i = 0; i < self->action->inputs->len; i++)
    {
      const SitrepActionInput *input = self->action->inputs->pdata[i];
      char **values = g_hash_table_lookup (self->choice_values, input->name);
      char *value = sitrep_action_dialog_input_value (self, input);
      g_autoptr(GError) refused = NULL;
      g_autofree char *normalized = NULL;

      if (values != NULL)
        g_hash_table_insert (offered, input->name, values);
      if (value != NULL)
        g_hash_table_insert (inputs, input->name, value);
      /* While its choices load, nothing is wrong with it yet. */
      if (g_hash_table_contains (self->loading, input->name))
        {
          all_valid = FALSE;
          sitrep_action_dialog_set_input_error (self, input, NULL);
          continue;
        }
      if (sitrep_action_validate_input (input, value, (const char *const *) values, &normalized,
                                        &refused))
        {
          g_hash_table_insert (valid, input->name, g_steal_pointer (&normalized));
          sitrep_action_dialog_set_input_error (self, input, NULL);
        }
      else
        {
          all_valid = FALSE;
          sitrep_action_dialog_set_input_error (self, input, refused->message);
        }
    }

  if (all_valid)
    self->request = sitrep_action_controller_resolve (self->controller, self->service,
                                                      self->action, inputs, offered, &error);
  if (self->request != NULL && self->replicas_known
      && !sitrep_action_request_set_current_replicas (self->request, self->replicas, &error))
    g_clear_object (&self->request);

  if (self->request != NULL)
    {
      g_autofree char *command = sitrep_action_request_get_command_line (self->request);

      gtk_label_set_text (self->command_label, command);
      sitrep_action_dialog_set_error (self, NULL);
    }
  else
    {
      g_autofree char *command = NULL;

      command = sitrep_action_command_line_template (sitrep_action_controller_get_runbook (self->controller),
                                                     self->service, self->action, valid,
                                                     sitrep_action_controller_get_kubectl (self->controller));
      gtk_label_set_text (self->command_label, command);
      /* A value's refusal is shown beside it; what is left is about the command itself. */
      sitrep_action_dialog_set_error (self, error != NULL ? error->message : NULL);
    }
  update_run (self);
}

static void
replicas_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SitrepActionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 replicas;

  replicas = sitrep_action_get_replicas_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_loading--;
  gtk_spinner_stop (self->replicas_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->replicas_spinner), FALSE);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The current replicas could not be read: %s"),
                                                  error->message);
      gtk_label_set_text (self->replicas_label, _("Unknown"));
      sitrep_action_dialog_rebuild (self);
      sitrep_action_dialog_set_error (self, message);
      return;
    }
  self->replicas = replicas;
  self->replicas_known = TRUE;
  text = g_strdup_printf (ngettext ("Currently %d replica", "Currently %d replicas", (gulong) replicas),
                          (int) replicas);
  gtk_label_set_text (self->replicas_label, text);
  sitrep_action_dialog_rebuild (self);
}

/* Building. */

static GtkWidget *
label_new (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
preview_clicked_cb (SitrepActionDialog *self)
{
  sitrep_action_dialog_preview (self);
}

static void
confirm_changed_cb (SitrepActionDialog *self)
{
  update_run (self);
}

static GtkWidget *
build_extra (SitrepActionDialog *self)
{
  SitrepRunbook *runbook = sitrep_action_controller_get_runbook (self->controller);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *command_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = NULL;

  self->command_label = GTK_LABEL (label_new ("monospace"));
  gtk_label_set_selectable (self->command_label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->command_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Command line"), -1);
  self->where_label = GTK_LABEL (label_new ("dim-label"));
  gtk_widget_add_css_class (command_box, "card");
  gtk_widget_set_margin_top (GTK_WIDGET (self->command_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->command_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->command_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->where_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->where_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->where_label), 12);
  gtk_box_append (GTK_BOX (command_box), GTK_WIDGET (self->command_label));
  gtk_box_append (GTK_BOX (command_box), GTK_WIDGET (self->where_label));
  gtk_box_append (GTK_BOX (box), command_box);

  if (self->action->inputs->len > 0 || sitrep_action_get_is_scale (self->action, runbook))
    {
      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_box_append (GTK_BOX (box), list);
    }
  if (sitrep_action_get_is_scale (self->action, runbook))
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Current replicas"));
      self->replicas_label = GTK_LABEL (gtk_label_new (_("Reading…")));
      self->replicas_spinner = GTK_SPINNER (gtk_spinner_new ());
      gtk_spinner_start (self->replicas_spinner);
      adw_action_row_add_suffix (row, GTK_WIDGET (self->replicas_spinner));
      adw_action_row_add_suffix (row, GTK_WIDGET (self->replicas_label));
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
      self->n_loading++;
      sitrep_action_get_replicas_async (sitrep_action_controller_get_runbook (self->controller),
                                        self->service,
                                        sitrep_action_controller_get_kubectl (self->controller),
                                        self->cancellable, replicas_cb, g_object_ref (self));
    }
  for (guint i = 0; i < self->action->inputs->len; i++)
    sitrep_action_dialog_add_input (self, GTK_LIST_BOX (list), self->action->inputs->pdata[i]);

  self->error_label = GTK_LABEL (label_new ("error"));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->confirm_entry = GTK_ENTRY (gtk_entry_new ());
  g_signal_connect_swapped (self->confirm_entry, "changed", G_CALLBACK (confirm_changed_cb), self);
  if (sitrep_action_get_needs_typed_confirmation (self->action, runbook))
    {
      const char *word = sitrep_action_get_confirmation_word (self->action, self->service);
      g_autofree char *escaped = g_markup_escape_text (word, -1);
      g_autofree char *prompt = NULL;
      GtkWidget *label;

      /* Translators: "Type carecircle-api to confirm" */
      prompt = g_strdup_printf (_("Type <b>%s</b> to confirm"), escaped);
      label = label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), prompt);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->confirm_entry));
      gtk_entry_set_placeholder_text (self->confirm_entry, word);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->confirm_entry));
    }

  self->preview_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Preview Changes")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->preview_button),
                               _("Ask the server what would change, without changing anything"));
  gtk_widget_set_halign (GTK_WIDGET (self->preview_button), GTK_ALIGN_START);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_button),
                          sitrep_action_get_has_preview (self->action, runbook));
  g_signal_connect_swapped (self->preview_button, "clicked", G_CALLBACK (preview_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->preview_button));

  self->preview_output = SITREP_ACTION_OUTPUT (sitrep_action_output_new ());
  self->preview_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->preview_revealer, GTK_WIDGET (self->preview_output));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->preview_revealer));
  return box;
}

/* The toast that outlives the dialog: Undo until the controller starts the run. */
typedef struct
{
  SitrepActionController *controller;
  SitrepActionRequest *request;
  GCancellable *undo;
  gulong started_id;
} Grace;

static void
grace_free (Grace *grace)
{
  g_clear_signal_handler (&grace->started_id, grace->controller);
  g_clear_object (&grace->controller);
  g_clear_object (&grace->request);
  g_clear_object (&grace->undo);
  g_free (grace);
}

static void
grace_started_cb (SitrepActionController *controller,
                  SitrepActionRun        *run,
                  SitrepActionRequest    *request,
                  gboolean                dry_run,
                  AdwToast               *toast)
{
  Grace *grace = g_object_get_data (G_OBJECT (toast), "sitrep-grace");

  if (grace != NULL && request == grace->request)
    adw_toast_dismiss (toast);
}

static void
undo_clicked_cb (AdwToast *toast,
                 Grace    *grace)
{
  g_cancellable_cancel (grace->undo);
}

static char *
grace_title (SitrepActionRequest *request,
             guint                seconds)
{
  const char *id = sitrep_action_request_get_action (request)->id;
  const char *word = sitrep_action_request_get_confirmation_word (request);

  if (g_str_has_prefix (id, "restart"))
    return g_strdup_printf (_("Restarting %s in %u s"), word, seconds);
  if (g_str_has_prefix (id, "rollback"))
    return g_strdup_printf (_("Rolling back %s in %u s"), word, seconds);
  if (g_str_equal (id, "scale"))
    return g_strdup_printf (_("Scaling %s in %u s"), word, seconds);
  /* Translators: "Running “Flush cache” on redis in 5 s" */
  return g_strdup_printf (_("Running “%s” on %s in %u s"), sitrep_action_request_get_title (request),
                          word, seconds);
}

static void
start (SitrepActionDialog *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));
  g_autoptr(GCancellable) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  Grace *grace;

  /* What the log keeps as the confirmation: the typed word, or that Run was pressed. */
  undo = sitrep_action_controller_schedule (self->controller, self->request,
                                            sitrep_action_request_get_needs_typed_confirmation (self->request)
                                              ? typed : "confirmed", &error);
  if (undo == NULL)
    {
      if (self->overlay != NULL)
        adw_toast_overlay_add_toast (self->overlay, adw_toast_new (error->message));
      return;
    }
  if (self->overlay == NULL)
    return;

  title = grace_title (self->request,
                       (sitrep_action_controller_get_grace_ms (self->controller) + 999) / 1000);
  self->toast = adw_toast_new (title);
  adw_toast_set_button_label (self->toast, _("_Undo"));
  adw_toast_set_priority (self->toast, ADW_TOAST_PRIORITY_HIGH);
  /* The controller's grace period decides when the run starts; the toast only follows it. */
  adw_toast_set_timeout (self->toast, 0);
  grace = g_new0 (Grace, 1);
  grace->controller = g_object_ref (self->controller);
  grace->request = g_object_ref (self->request);
  grace->undo = g_object_ref (undo);
  g_object_set_data_full (G_OBJECT (self->toast), "sitrep-grace", grace, (GDestroyNotify) grace_free);
  /* Disconnected by grace_free () when the toast goes. */
  grace->started_id = g_signal_connect (self->controller, "run-started",
                                        G_CALLBACK (grace_started_cb), self->toast);
  g_signal_connect (self->toast, "button-clicked", G_CALLBACK (undo_clicked_cb), grace);
  adw_toast_overlay_add_toast (self->overlay, g_object_ref (self->toast));
}

static void
sitrep_action_dialog_response (AdwMessageDialog *dialog,
                               const char       *response)
{
  SitrepActionDialog *self = SITREP_ACTION_DIALOG (dialog);

  g_cancellable_cancel (self->cancellable);
  if (g_strcmp0 (response, "run") == 0 && self->request != NULL)
    start (self);
  if (ADW_MESSAGE_DIALOG_CLASS (sitrep_action_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (sitrep_action_dialog_parent_class)->response (dialog, response);
}

static void
sitrep_action_dialog_dispose (GObject *object)
{
  SitrepActionDialog *self = SITREP_ACTION_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->request);
  g_clear_object (&self->controller);
  g_clear_object (&self->toast);
  g_clear_weak_pointer (&self->overlay);
  G_OBJECT_CLASS (sitrep_action_dialog_parent_class)->dispose (object);
}

static void
sitrep_action_dialog_finalize (GObject *object)
{
  SitrepActionDialog *self = SITREP_ACTION_DIALOG (object);

  g_hash_table_unref (self->widgets);
  g_hash_table_unref (self->input_errors);
  g_hash_table_unref (self->choice_values);
  g_hash_table_unref (self->loading);
  G_OBJECT_CLASS (sitrep_action_dialog_parent_class)->finalize (object);
}

static void
sitrep_action_dialog_class_init (SitrepActionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = sitrep_action_dialog_dispose;
  object_class->finalize = sitrep_action_dialog_finalize;
  dialog_class->response = sitrep_action_dialog_response;
}

static void
sitrep_action_dialog_init (SitrepActionDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->widgets = g_hash_table_new (g_str_hash, g_str_equal);
  self->input_errors = g_hash_table_new (g_str_hash, g_str_equal);
  self->loading = g_hash_table_new (g_str_hash, g_str_equal);
  self->choice_values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) g_strfreev);
}

SitrepActionDialog *
sitrep_action_dialog_new (GtkWindow              *parent,
                          SitrepActionController *controller,
                          const SitrepService    *service,
                          const SitrepAction     *action)
{
  SitrepRunbook *runbook;
  const SitrepEnvironment *env;
  SitrepActionDialog *self;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *where = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *confirm = NULL;

  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (controller), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  self = g_object_new (SITREP_TYPE_ACTION_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->controller = g_object_ref (controller);
  self->service = service;
  self->action = action;
  runbook = sitrep_action_controller_get_runbook (controller);
  env = sitrep_runbook_get_environment (runbook);

  /* What does not depend on the inputs: the heading, the text, the context and namespace. */
  title = sitrep_action_fill_text (action->label, runbook, service, NULL);
  if (g_str_has_suffix (title, "…"))
    title[strlen (title) - strlen ("…")] = '\0';
  /* Translators: the dialog's heading, "Restart — API" */
  heading = g_strdup_printf (_("%s — %s"), title,
                             service ? service->name : sitrep_runbook_get_name (runbook));
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  description = sitrep_action_fill_text (action->description, runbook, service, NULL);
  if (action->confirm != NULL && action->inputs->len == 0)
    confirm = sitrep_action_fill_text (action->confirm, runbook, service, NULL);
  else if (action->inputs->len == 0)
    confirm = g_strdup_printf (_("Run “%s” on %s?"), title,
                               service ? service->name : sitrep_runbook_get_name (runbook));
  body = g_strjoin ("\n\n", description ? description : "", confirm ? confirm : "", NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), g_strstrip (body));

  /* Translators: "Context: carecircle-production · Namespace: carecircle" */
  where = g_strdup_printf (_("Context: %s · Namespace: %s"), env->context, env->namespace_);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "run", _("_Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "run",
                                              action->mutates ? ADW_RESPONSE_DESTRUCTIVE
                                                              : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), build_extra (self));
  gtk_label_set_text (self->where_label, where);
  sitrep_action_dialog_rebuild (self);
  return self;
}

void
sitrep_action_dialog_set_toast_overlay (SitrepActionDialog *self,
                                        AdwToastOverlay    *overlay)
{
  g_return_if_fail (SITREP_IS_ACTION_DIALOG (self));
  g_set_weak_pointer (&self->overlay, overlay);
}

/* Runs the server-side dry run and shows its output in the dialog. */
void
sitrep_action_dialog_preview (SitrepActionDialog *self)
{
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;

  g_return_if_fail (SITREP_IS_ACTION_DIALOG (self));
  if (self->request == NULL)
    return;
  run = sitrep_action_controller_run (self->controller, self->request, NULL, TRUE, &error);
  if (run == NULL)
    {
      sitrep_action_dialog_set_error (self, error->message);
      return;
    }
  sitrep_action_output_set_run (self->preview_output, run, self->request, TRUE);
  gtk_revealer_set_reveal_child (self->preview_revealer, TRUE);
}

SitrepActionOutput *
sitrep_action_dialog_get_preview_output (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->preview_output;
}

SitrepActionRequest *
sitrep_action_dialog_get_request (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->request;
}

const char *
sitrep_action_dialog_get_command (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_label_get_text (self->command_label);
}

const char *
sitrep_action_dialog_get_where (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_label_get_text (self->where_label);
}

const char *
sitrep_action_dialog_get_error (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label) : NULL;
}

/* What the "Current replicas" row says, or NULL for an action without one. */
const char *
sitrep_action_dialog_get_replicas_text (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->replicas_label ? gtk_label_get_text (self->replicas_label) : NULL;
}

gboolean
sitrep_action_dialog_get_loading (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), FALSE);
  return self->n_loading > 0;
}

GtkEditable *
sitrep_action_dialog_get_confirm_entry (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return GTK_EDITABLE (self->confirm_entry);
}

/* What is wrong with the input's value, as shown under its field, or NULL. */
const char *
sitrep_action_dialog_get_input_error (SitrepActionDialog *self,
                                      const char         *name)
{
  GtkWidget *label;

  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  label = g_hash_table_lookup (self->input_errors, name);
  if (label == NULL || !gtk_widget_get_visible (gtk_widget_get_parent (label)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

GtkWidget *
sitrep_action_dialog_get_input (SitrepActionDialog *self,
                                const char         *name)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return g_hash_table_lookup (self->widgets, name);
}

AdwToast *
sitrep_action_dialog_get_toast (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->toast;
}
