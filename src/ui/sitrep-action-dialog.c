/* sitrep-action-dialog.c: asks before a mutation runs, showing the exact command, and starts it
 *
 * The command line shown is the one that runs: every change of an input rebuilds the request
 * through the core, whose refusal is shown inline, and Run stays insensitive until the request
 * is valid, the revisions or replicas are known, and the typed confirmation matches. Preview is a
 * button, not a response: an AdwMessageDialog closes on every response.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sitrep-action-dialog.h"
#include "sitrep-action-history.h"

struct _SitrepActionDialog
{
  AdwMessageDialog parent_instance;

  SitrepActionController *controller;
  const SitrepService *service;
  const SitrepAction *action;
  SitrepActionRequest *request;
  GCancellable *cancellable;
  AdwToastOverlay *overlay;
  AdwToast *toast;

  GHashTable *widgets;      /* input name → widget */
  GHashTable *choice_values; /* input name → GStrv of values, in the drop-down's order */
  guint n_loading;
  gboolean replicas_known;
  gint64 replicas;

  GtkLabel *command_label;
  GtkLabel *where_label;
  GtkLabel *error_label;
  GtkLabel *replicas_label;
  GtkSpinner *replicas_spinner;
  GtkEntry *confirm_entry;
  GtkButton *preview_button;
  GtkRevealer *preview_revealer;
  SitrepActionOutput *preview_output;
};

G_DEFINE_FINAL_TYPE (SitrepActionDialog, sitrep_action_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
set_error (SitrepActionDialog *self,
           const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
}

static void
update_run (SitrepActionDialog *self)
{
  gboolean ok = self->request != NULL && self->n_loading == 0;

  if (ok && self->request != NULL && sitrep_action_request_is_scale (self->request))
    ok = self->replicas_known;
  if (ok)
    ok = sitrep_action_request_check_confirmation (self->request,
                                                   gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry)));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "run", ok);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_button),
                            self->request != NULL && self->n_loading == 0
                            && sitrep_action_request_get_dry_run_argv (self->request) != NULL);
}

/* Rebuilds the request from the widgets: the core validates every value. */
static void
rebuild (SitrepActionDialog *self)
{
  g_autoptr(GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) offered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->request);
  for (guint i = 0; i < self->action->inputs->len; i++)
    {
      const SitrepActionInput *input = self->action->inputs->pdata[i];
      GtkWidget *widget = g_hash_table_lookup (self->widgets, input->name);
      char **values = g_hash_table_lookup (self->choice_values, input->name);
      char *value = NULL;

      if (GTK_IS_SPIN_BUTTON (widget))
        value = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
      else if (GTK_IS_DROP_DOWN (widget) && values != NULL)
        {
          guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (widget));

          if (selected < g_strv_length (values))
            value = g_strdup (values[selected]);
        }
      else if (GTK_IS_EDITABLE (widget))
        value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
      if (values != NULL)
        g_hash_table_insert (offered, input->name, values);
      if (value != NULL)
        g_hash_table_insert (inputs, input->name, value);
    }

  self->request = sitrep_action_controller_resolve (self->controller, self->service, self->action,
                                                    inputs, offered, &error);
  if (self->request != NULL && self->replicas_known
      && !sitrep_action_request_set_current_replicas (self->request, self->replicas, &error))
    g_clear_object (&self->request);

  if (self->request != NULL)
    {
      g_autofree char *command = sitrep_action_request_get_command_line (self->request);

      gtk_label_set_text (self->command_label, command);
      set_error (self, NULL);
    }
  else if (self->n_loading == 0)
    set_error (self, error->message);
  update_run (self);
}

static void
changed_cb (SitrepActionDialog *self)
{
  rebuild (self);
}

/* Revisions. */

static void
revisions_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SitrepActionDialog) self = user_data;
  const SitrepActionInput *input;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  GtkStringList *labels;
  GtkWidget *drop_down;

  revisions = sitrep_action_list_revisions_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_loading--;
  input = g_object_get_data (G_OBJECT (self), "sitrep-choice-input");
  drop_down = g_hash_table_lookup (self->widgets, input->name);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (drop_down), "sitrep-spinner"), FALSE);
  adw_action_row_set_subtitle (g_object_get_data (G_OBJECT (drop_down), "sitrep-row"), NULL);
  if (revisions == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The revisions could not be listed: %s"),
                                                  error->message);
      set_error (self, message);
      update_run (self);
      return;
    }

  labels = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down)));
  /* Newest first: the one to go back to is usually near the top. */
  for (guint i = revisions->len; i > 0; i--)
    {
      SitrepRevision *revision = revisions->pdata[i - 1];
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, revision->revision);
      g_autofree char *label = NULL;

      if (revision->change_cause != NULL)
        /* Translators: "Revision 3 — deploy v1.4.2 — registry/carecircle-api:1.4.2" */
        label = g_strdup_printf (_("Revision %s — %s — %s"), number, revision->change_cause,
                                 revision->image ? revision->image : _("image unknown"));
      else
        /* Translators: "Revision 3 — registry/carecircle-api:1.4.2", without a change cause */
        label = g_strdup_printf (_("Revision %s — %s"), number,
                                 revision->image ? revision->image : _("image unknown"));
      g_strv_builder_add (values, number);
      gtk_string_list_append (labels, label);
    }
  g_hash_table_insert (self->choice_values, input->name, g_strv_builder_end (values));
  gtk_widget_set_sensitive (drop_down, revisions->len > 0);
  /* The current revision is the newest; preselect the one before it. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), revisions->len > 1 ? 1 : 0);
  rebuild (self);
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
      rebuild (self);
      set_error (self, message);
      return;
    }
  self->replicas = replicas;
  self->replicas_known = TRUE;
  text = g_strdup_printf (ngettext ("Currently %d replica", "Currently %d replicas", (gulong) replicas),
                          (int) replicas);
  gtk_label_set_text (self->replicas_label, text);
  rebuild (self);
}

/* Building. */

/* A choice's label: ellipsized on the button, where a long image name must not squeeze the
 * row's title, and whole in the popup list. */
static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
    }
  gtk_list_item_set_child (item, label);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item),
                               GPOINTER_TO_INT (ellipsize)
                                 ? gtk_string_object_get_string (string) : NULL);
}

static GtkListItemFactory *
choice_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), GINT_TO_POINTER (ellipsize));
  return factory;
}

static GtkWidget *
input_row (SitrepActionDialog      *self,
           const SitrepActionInput *input)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *widget;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), input->label ? input->label : input->name);
  switch (input->type)
    {
    case SITREP_INPUT_INTEGER:
      widget = gtk_spin_button_new_with_range (input->has_min ? input->min : 0,
                                               input->has_max ? input->max : G_MAXINT, 1);
      if (input->has_default)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), input->default_value);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (widget), TRUE);
      g_signal_connect_swapped (widget, "value-changed", G_CALLBACK (changed_cb), self);
      break;

    case SITREP_INPUT_CHOICE:
      {
        GtkWidget *spinner = gtk_spinner_new ();
        GtkStringList *labels = gtk_string_list_new (NULL);

        g_autoptr(GtkListItemFactory) button_factory = choice_factory (TRUE);
        g_autoptr(GtkListItemFactory) list_factory = choice_factory (FALSE);

        widget = gtk_drop_down_new (G_LIST_MODEL (labels), NULL);
        gtk_drop_down_set_factory (GTK_DROP_DOWN (widget), button_factory);
        gtk_drop_down_set_list_factory (GTK_DROP_DOWN (widget), list_factory);
        gtk_widget_set_size_request (widget, 200, -1);
        gtk_widget_set_hexpand (widget, TRUE);
        gtk_spinner_start (GTK_SPINNER (spinner));
        adw_action_row_add_suffix (row, spinner);
        g_object_set_data (G_OBJECT (widget), "sitrep-spinner", spinner);
        g_object_set_data (G_OBJECT (widget), "sitrep-row", row);
        if (input->choices != NULL)
          {
            for (guint i = 0; input->choices[i]; i++)
              gtk_string_list_append (labels, input->choices[i]);
            g_hash_table_insert (self->choice_values, input->name, g_strdupv (input->choices));
            gtk_widget_set_visible (spinner, FALSE);
          }
        else
          {
            self->n_loading++;
            gtk_widget_set_sensitive (widget, FALSE);
            adw_action_row_set_subtitle (row, _("Loading revisions…"));
            g_object_set_data (G_OBJECT (self), "sitrep-choice-input", (gpointer) input);
            sitrep_action_list_revisions_async (sitrep_action_controller_get_runbook (self->controller),
                                                self->service, input,
                                                sitrep_action_controller_get_kubectl (self->controller),
                                                self->cancellable, revisions_cb, g_object_ref (self));
          }
        g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (changed_cb), self);
      }
      break;

    case SITREP_INPUT_STRING:
    default:
      widget = gtk_entry_new ();
      g_signal_connect_swapped (widget, "changed", G_CALLBACK (changed_cb), self);
      break;
    }
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (row, widget);
  g_hash_table_insert (self->widgets, input->name, widget);
  return GTK_WIDGET (row);
}

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

  if (self->action->inputs->len > 0 || sitrep_action_request_is_scale (self->request))
    {
      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_box_append (GTK_BOX (box), list);
    }
  if (sitrep_action_request_is_scale (self->request))
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
    gtk_list_box_append (GTK_LIST_BOX (list), input_row (self, self->action->inputs->pdata[i]));

  self->error_label = GTK_LABEL (label_new ("error"));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->confirm_entry = GTK_ENTRY (gtk_entry_new ());
  g_signal_connect_swapped (self->confirm_entry, "changed", G_CALLBACK (confirm_changed_cb), self);
  if (sitrep_action_request_get_needs_typed_confirmation (self->request))
    {
      g_autofree char *prompt = NULL;
      GtkWidget *label;

      /* Translators: "Type carecircle-api to confirm" */
      prompt = g_strdup_printf (_("Type <b>%s</b> to confirm"),
                                sitrep_action_request_get_confirmation_word (self->request));
      label = label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), prompt);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->confirm_entry));
      gtk_entry_set_placeholder_text (self->confirm_entry,
                                      sitrep_action_request_get_confirmation_word (self->request));
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->confirm_entry));
    }

  self->preview_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Preview Changes")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->preview_button),
                               _("Ask the server what would change, without changing anything"));
  gtk_widget_set_halign (GTK_WIDGET (self->preview_button), GTK_ALIGN_START);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_button),
                          sitrep_action_request_get_dry_run_argv (self->request) != NULL);
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
  g_hash_table_unref (self->choice_values);
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
  self->choice_values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) g_strfreev);
}

SitrepActionDialog *
sitrep_action_dialog_new (GtkWindow              *parent,
                          SitrepActionController *controller,
                          const SitrepService    *service,
                          const SitrepAction     *action)
{
  g_autoptr(GHashTable) placeholder = g_hash_table_new (g_str_hash, g_str_equal);
  SitrepActionDialog *self;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *where = NULL;
  g_autofree char *title = NULL;
  const char *description;
  const char *confirm;

  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (controller), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  self = g_object_new (SITREP_TYPE_ACTION_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->controller = g_object_ref (controller);
  self->service = service;
  self->action = action;

  /* A first request, with placeholders for choices not known yet, for what does not depend on
   * the inputs: the heading, context, namespace and confirmation word. */
  for (guint i = 0; i < action->inputs->len; i++)
    {
      const SitrepActionInput *input = action->inputs->pdata[i];

      if (input->type == SITREP_INPUT_CHOICE && input->choices == NULL)
        {
          static const char *const one[] = { "1", NULL };

          g_hash_table_insert (placeholder, input->name, (gpointer) one);
        }
    }
  {
    g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < action->inputs->len; i++)
      {
        const SitrepActionInput *input = action->inputs->pdata[i];

        if (g_hash_table_contains (placeholder, input->name))
          g_hash_table_insert (inputs, input->name, (gpointer) "1");
      }
    self->request = sitrep_action_controller_resolve (controller, service, action, inputs,
                                                      placeholder, NULL);
  }
  g_return_val_if_fail (self->request != NULL, self);
  title = g_strdup (sitrep_action_request_get_title (self->request));
  if (g_str_has_suffix (title, "…"))
    title[strlen (title) - strlen ("…")] = '\0';

  /* Translators: the dialog's heading, "Restart — API" */
  heading = g_strdup_printf (_("%s — %s"), title,
                             service ? service->name : sitrep_runbook_get_name (sitrep_action_controller_get_runbook (controller)));
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  description = sitrep_action_request_get_description (self->request);
  confirm = sitrep_action_request_get_confirm_text (self->request);
  body = g_strjoin ("\n\n", description ? description : "",
                    confirm && action->inputs->len == 0 ? confirm : "", NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), g_strstrip (body));

  /* Translators: "Context: carecircle-production · Namespace: carecircle" */
  where = g_strdup_printf (_("Context: %s · Namespace: %s"),
                           sitrep_action_request_get_context (self->request),
                           sitrep_action_request_get_namespace (self->request));

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
  rebuild (self);
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
      set_error (self, error->message);
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
