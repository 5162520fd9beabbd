/* sitrep-trust-item-private.h: what a trust item and the tests that read it share */
#pragma once

#include "sitrep-trust-item.h"

G_BEGIN_DECLS

struct _SitrepTrustItem
{
  GtkWidget parent_instance;

  GtkLabel *what_label;
  GtkLabel *line_label;
};

G_END_DECLS
