/* sitrep-trust-dialog.c: every program an opened runbook would run, and whether to trust it */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-runbook-trust.h"
#include "sitrep-trust-dialog.h"

struct _SitrepTrustDialog
{
  AdwMessageDialog parent_instance;

  SitrepRunbook *runbook;
  GString *text;
};

G_DEFINE_FINAL_TYPE (SitrepTrustDialog, sitrep_trust_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
sitrep_trust_dialog_dispose (GObject *object)
{
  SitrepTrustDialog *self = SITREP_TRUST_DIALOG (object);

  g_clear_object (&self->runbook);
  if (self->text != NULL)
    g_string_free (g_steal_pointer (&self->text), TRUE);
  G_OBJECT_CLASS (sitrep_trust_dialog_parent_class)->dispose (object);
}

static void
sitrep_trust_dialog_class_init (SitrepTrustDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sitrep_trust_dialog_dispose;
}

static void
sitrep_trust_dialog_init (SitrepTrustDialog *self)
{
  self->text = g_string_new (NULL);
}

static GtkWidget *
entry_box (const SitrepTrustCommand *command)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *what = gtk_label_new (command->what);
  GtkWidget *line = gtk_label_new (command->command_line);

  gtk_label_set_xalign (GTK_LABEL (what), 0);
  gtk_label_set_wrap (GTK_LABEL (what), TRUE);
  gtk_widget_add_css_class (what, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (line), 0);
  gtk_label_set_wrap (GTK_LABEL (line), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (line), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (line), TRUE);
  gtk_widget_add_css_class (line, "monospace");
  gtk_box_append (GTK_BOX (box), what);
  gtk_box_append (GTK_BOX (box), line);
  return box;
}

/* Cancel is the default: trusting is something you decide, not something Enter does. */
SitrepTrustDialog *
sitrep_trust_dialog_new (GtkWindow     *parent,
                         SitrepRunbook *runbook)
{
  g_autoptr(GPtrArray) commands = NULL;
  g_autofree char *body = NULL;
  SitrepTrustDialog *self;
  GtkWidget *scrolled, *list;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  self = g_object_new (SITREP_TYPE_TRUST_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->runbook = g_object_ref (runbook);
  commands = sitrep_runbook_trust_list_commands (runbook);

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Trust This Runbook's Commands?"));
  /* Translators: "“Northwind Freight” (/home/ana/northwind.json) would run 9 commands…" */
  body = g_strdup_printf (ngettext ("“%s” (%s) would run %u command on this computer, "
                                    "exactly as shown. Trust it only if you know where the file "
                                    "comes from. If the file changes, Sitrep asks again.",
                                    "“%s” (%s) would run %u commands on this computer, "
                                    "exactly as shown. Trust it only if you know where the file "
                                    "comes from. If the file changes, Sitrep asks again.",
                                    commands->len),
                          sitrep_runbook_get_name (runbook), sitrep_runbook_get_source (runbook),
                          commands->len);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 12);
  for (guint i = 0; i < commands->len; i++)
    {
      const SitrepTrustCommand *command = commands->pdata[i];

      gtk_box_append (GTK_BOX (list), entry_box (command));
      g_string_append_printf (self->text, "%s: %s\n", command->what, command->command_line);
    }
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  /* Wide enough for a kubectl command line to read as one, tall enough to show several. */
  gtk_widget_set_size_request (scrolled, 560, -1);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), scrolled);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust and Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "trust",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  return self;
}

SitrepRunbook *
sitrep_trust_dialog_get_runbook (SitrepTrustDialog *self)
{
  g_return_val_if_fail (SITREP_IS_TRUST_DIALOG (self), NULL);
  return self->runbook;
}

char *
sitrep_trust_dialog_get_text (SitrepTrustDialog *self)
{
  g_return_val_if_fail (SITREP_IS_TRUST_DIALOG (self), NULL);
  return g_strdup (self->text->str);
}
