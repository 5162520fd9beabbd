/* sitrep-trust-dialog.c: every program an opened runbook would run, and whether to trust it */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-runbook-trust.h"
#include "sitrep-trust-dialog-private.h"
#include "sitrep-trust-item.h"

G_DEFINE_FINAL_TYPE (SitrepTrustDialog, sitrep_trust_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
sitrep_trust_dialog_dispose (GObject *object)
{
  SitrepTrustDialog *self = SITREP_TRUST_DIALOG (object);

  g_clear_object (&self->runbook);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_TRUST_DIALOG);
  G_OBJECT_CLASS (sitrep_trust_dialog_parent_class)->dispose (object);
}

static void
sitrep_trust_dialog_class_init (SitrepTrustDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_trust_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-trust-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepTrustDialog, list);
}

static void
sitrep_trust_dialog_init (SitrepTrustDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Cancel is the default: trusting is something you decide, not something Enter does. */
SitrepTrustDialog *
sitrep_trust_dialog_new (GtkWindow     *parent,
                         SitrepRunbook *runbook)
{
  g_autoptr(GPtrArray) commands = NULL;
  g_autofree char *body = NULL;
  SitrepTrustDialog *self;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  self = g_object_new (SITREP_TYPE_TRUST_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->runbook = g_object_ref (runbook);
  commands = sitrep_runbook_trust_list_commands (runbook);

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

  for (guint i = 0; i < commands->len; i++)
    gtk_box_append (self->list, sitrep_trust_item_new (commands->pdata[i]));
  return self;
}

SitrepRunbook *
sitrep_trust_dialog_get_runbook (SitrepTrustDialog *self)
{
  g_return_val_if_fail (SITREP_IS_TRUST_DIALOG (self), NULL);
  return self->runbook;
}
