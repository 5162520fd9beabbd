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
#include "sitrep-action-input-row.h"

G_DEFINE_FINAL_TYPE (SitrepActionDialog, sitrep_action_dialog, ADW_TYPE_MESSAGE_DIALOG)

void
sitrep_action_dialog_set_error (SitrepActionDialog *self,
                                const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
}

/* A preview is about to start (the audit log's key, its record on its way to a team
 * database) or running: a second click must not start another. */
static gboolean
previewing (SitrepActionDialog *self)
{
  SitrepActionRun *run = sitrep_action_output_get_run (self->preview_output);

  return run != NULL && (sitrep_action_run_get_running (run)
                         || sitrep_action_run_get_outcome (run) == SITREP_OUTCOME_NONE);
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
                            && sitrep_action_get_has_preview (self->action, runbook)
                            && !previewing (self));
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
  if (!self->built)
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

/* The parts of the template this action has: its inputs, the replicas, the typed confirmation
 * and the preview. */
static void
build_extra (SitrepActionDialog *self)
{
  SitrepRunbook *runbook = sitrep_action_controller_get_runbook (self->controller);
  gboolean scale = sitrep_action_get_is_scale (self->action, runbook);

  gtk_widget_set_visible (GTK_WIDGET (self->inputs_list),
                          self->action->inputs->len > 0 || scale);
  if (scale)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->replicas_row), TRUE);
      self->n_loading++;
      sitrep_action_get_replicas_async (runbook, self->service,
                                        sitrep_action_controller_get_kubectl (self->controller),
                                        self->cancellable, replicas_cb, g_object_ref (self));
    }
  for (guint i = 0; i < self->action->inputs->len; i++)
    sitrep_action_dialog_add_input (self, self->inputs_list, self->action->inputs->pdata[i]);

  if (sitrep_action_get_needs_typed_confirmation (self->action, runbook))
    {
      const char *word = sitrep_action_get_confirmation_word (self->action, self->service);
      g_autofree char *escaped = g_markup_escape_text (word, -1);
      g_autofree char *prompt = NULL;

      /* Translators: "Type carecircle-api to confirm" */
      prompt = g_strdup_printf (_("Type <b>%s</b> to confirm"), escaped);
      gtk_label_set_markup (self->confirm_label, prompt);
      gtk_entry_set_placeholder_text (self->confirm_entry, word);
      gtk_widget_set_visible (GTK_WIDGET (self->confirm_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->confirm_entry), TRUE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->preview_button),
                          sitrep_action_get_has_preview (self->action, runbook));
  self->built = TRUE;
}

/* The toast that outlives the dialog: Undo until the controller starts the run. It lives as
 * long as the toast's "button-clicked" handler, which is the toast's. */
typedef struct
{
  SitrepActionController *controller;
  SitrepActionRequest *request;
  GCancellable *undo;
  AdwToast *toast; /* unowned: it owns this */
  gulong started_id;
} Grace;

static void
grace_free (gpointer  data,
            GClosure *closure)
{
  Grace *grace = data;

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
                  Grace                  *grace)
{
  if (request == grace->request)
    adw_toast_dismiss (grace->toast);
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
  grace->toast = self->toast;
  /* Disconnected by grace_free () when the toast goes. */
  grace->started_id = g_signal_connect (self->controller, "run-started",
                                        G_CALLBACK (grace_started_cb), grace);
  g_signal_connect_data (self->toast, "button-clicked", G_CALLBACK (undo_clicked_cb), grace,
                         grace_free, 0);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_ACTION_DIALOG);
  G_OBJECT_CLASS (sitrep_action_dialog_parent_class)->dispose (object);
}

static void
sitrep_action_dialog_finalize (GObject *object)
{
  SitrepActionDialog *self = SITREP_ACTION_DIALOG (object);

  g_hash_table_unref (self->rows);
  g_hash_table_unref (self->choice_values);
  g_hash_table_unref (self->loading);
  G_OBJECT_CLASS (sitrep_action_dialog_parent_class)->finalize (object);
}

static void
sitrep_action_dialog_class_init (SitrepActionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = sitrep_action_dialog_dispose;
  object_class->finalize = sitrep_action_dialog_finalize;
  dialog_class->response = sitrep_action_dialog_response;

  g_type_ensure (SITREP_TYPE_ACTION_OUTPUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-action-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, command_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, where_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, inputs_list);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, replicas_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, replicas_spinner);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, replicas_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, confirm_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, preview_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, preview_revealer);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionDialog, preview_output);
  gtk_widget_class_bind_template_callback (widget_class, confirm_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_clicked_cb);
}

static void
sitrep_action_dialog_init (SitrepActionDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->loading = g_hash_table_new (g_str_hash, g_str_equal);
  self->choice_values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) g_strfreev);
  gtk_widget_init_template (GTK_WIDGET (self));
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

  if (env->drill)
    /* Translators: the confirmation of a command in a drill, a simulated cluster to practise
     * on: "Drill · Context: drill-carecircle · Namespace: carecircle" */
    where = g_strdup_printf (_("Drill · Context: %s · Namespace: %s"), env->context,
                             env->namespace_);
  else
    /* Translators: "Context: carecircle-production · Namespace: carecircle" */
    where = g_strdup_printf (_("Context: %s · Namespace: %s"), env->context, env->namespace_);

  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "run",
                                              action->mutates ? ADW_RESPONSE_DESTRUCTIVE
                                                              : ADW_RESPONSE_SUGGESTED);
  gtk_label_set_text (self->where_label, where);
  build_extra (self);
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

static void
preview_running_cb (SitrepActionRun    *run,
                    GParamSpec         *pspec,
                    SitrepActionDialog *self)
{
  update_run (self);
}

/* Runs the server-side dry run and shows its output in the dialog. */
void
sitrep_action_dialog_preview (SitrepActionDialog *self)
{
  g_autoptr(GError) error = NULL;
  SitrepActionRun *run;

  g_return_if_fail (SITREP_IS_ACTION_DIALOG (self));
  if (self->request == NULL || previewing (self))
    return;
  run = sitrep_action_controller_run (self->controller, self->request, NULL, TRUE, &error);
  if (run == NULL)
    {
      sitrep_action_dialog_set_error (self, error->message);
      return;
    }
  sitrep_action_output_set_run (self->preview_output, run, self->request, TRUE);
  g_signal_connect_object (run, "notify::running", G_CALLBACK (preview_running_cb), self, 0);
  update_run (self);
  gtk_revealer_set_reveal_child (self->preview_revealer, TRUE);
}

