/* sitrep-command-row-private.h: what a command row and the tests that press it share */
#pragma once

#include "sitrep-command-row.h"

G_BEGIN_DECLS

struct _SitrepCommandRow
{
  AdwActionRow parent_instance;

  char *action_id;
  char *service_id;
  char *command_line;

  GtkWidget *dangerous_icon;
  GtkWidget *copy_button;
  GtkWidget *run_button;
};

/* Defined in sitrep-command-row-testing.c, which only the tests link. */
GtkWidget *sitrep_command_row_get_run_button (SitrepCommandRow *self);

G_END_DECLS
