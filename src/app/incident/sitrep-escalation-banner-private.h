/* sitrep-escalation-banner-private.h: what the banner and the tests that read it share */
#pragma once

#include "sitrep-escalation-banner.h"

G_BEGIN_DECLS

struct _SitrepEscalationBanner
{
  GtkWidget parent_instance;

  GtkRevealer *revealer;
  GtkLabel *title_label;
  GtkLabel *contact_label;
  GtkLabel *message_label;
};

G_END_DECLS
