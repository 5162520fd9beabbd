/* sitrep-checklist-row-private.h: what a checklist row and the tests that tick it share */
#pragma once

#include "sitrep-checklist-row.h"

G_BEGIN_DECLS

struct _SitrepChecklistRow
{
  AdwActionRow parent_instance;

  const SitrepChecklistItem *item;
  gboolean updating;

  GtkCheckButton *check;
  GtkButton *button;
};

G_END_DECLS
