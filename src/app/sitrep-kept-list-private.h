/* sitrep-kept-list-private.h: what the kept changes' list and the tests that read it share */
#pragma once

#include "sitrep-kept-list.h"

G_BEGIN_DECLS

struct _SitrepKeptList
{
  GtkPopover parent_instance;

  SitrepStore *store;
  SitrepIncidentManager *incidents; /* a weak pointer */
  GCancellable *cancellable;  /* the read under way */
  gboolean reading;

  GtkLabel *message_label;
  GtkListBox *list;
};

/* sitrep-kept-list-testing.c: what the list shows, a line a row ("title — subtitle"), or its
 * message when it has no rows; NULL while it reads */
char *sitrep_kept_list_get_text (SitrepKeptList *self);

G_END_DECLS
