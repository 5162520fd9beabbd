/* sitrep-declare-dialog.c: being written */
#include "config.h"

#include "sitrep-declare-dialog.h"

struct _SitrepDeclareDialog
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (SitrepDeclareDialog, sitrep_declare_dialog, GTK_TYPE_WIDGET)

static void
sitrep_declare_dialog_class_init (SitrepDeclareDialogClass *klass)
{
}

static void
sitrep_declare_dialog_init (SitrepDeclareDialog *self)
{
}
