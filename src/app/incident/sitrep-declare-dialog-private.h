/* sitrep-declare-dialog-private.h: what the declare dialog and its field accessors share */
#pragma once

#include "sitrep-declare-dialog.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  AdwActionRow *row;
  GtkCheckButton *check;
  char *note;        /* why it was pre-selected, or NULL */
  gboolean touched;  /* the person changed it: the monitor no longer decides */
} ServiceRow;

struct _SitrepDeclareDialog
{
  AdwWindow parent_instance;

  SitrepIncidentManager *manager;
  SitrepMonitor *monitor;
  char *severity;      /* the picked severity's id, or NULL */
  gint64 incident_id;  /* once declared, else -1 */
  gboolean show_utc;
  gboolean updating;   /* the dialog itself is toggling service checks */
  GPtrArray *severity_checks; /* GtkCheckButton, "severity-id" data */
  GPtrArray *services; /* ServiceRow */
  char *summary_error;
  char *message;       /* the initial status message as shown */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *cancel_button;
  GtkButton *back_button;
  GtkButton *next_button;
  GtkButton *declare_button;
  GtkButton *done_button;
  GtkStack *stack;
  GtkLabel *hint_label;
  AdwPreferencesGroup *severity_group;
  GtkLabel *error_label;
  AdwEntryRow *summary_row;
  AdwEntryRow *impact_row;
  AdwEntryRow *lead_row;
  GtkLabel *summary_error_label;
  AdwPreferencesGroup *services_group;
  GtkLabel *declared_label;
  GtkLabel *declared_sublabel;
  GtkEntry *channel_entry;
  AdwPreferencesGroup *message_group;
  GtkButton *copy_message_button;
  GtkTextView *message_view;
};

ServiceRow *_sitrep_declare_dialog_find_service_row (SitrepDeclareDialog *self,
                                                     const char          *service_id);

G_END_DECLS
