/* sitrep-escalation-banner.h: the escalation step that is due, its ready message, and answers */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SITREP_TYPE_ESCALATION_BANNER (sitrep_escalation_banner_get_type ())

G_DECLARE_FINAL_TYPE (SitrepEscalationBanner, sitrep_escalation_banner, SITREP, ESCALATION_BANNER,
                      GtkWidget)

GtkWidget *sitrep_escalation_banner_new       (void);
void       sitrep_escalation_banner_show      (SitrepEscalationBanner *self,
                                               const char             *title,
                                               const char             *contact,
                                               const char             *message);
void       sitrep_escalation_banner_hide      (SitrepEscalationBanner *self);
gboolean   sitrep_escalation_banner_get_shown (SitrepEscalationBanner *self);

G_END_DECLS
