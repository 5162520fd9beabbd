/* sitrep-incident-format.h: the words and colours of the incident page's clocks */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

char *sitrep_incident_format_countdown (gint64      span);
char *sitrep_incident_format_span      (gint64      microseconds);
char *sitrep_incident_format_time      (gint64      at,
                                        gint64      now,
                                        gboolean    utc,
                                        gboolean    with_date);
void  sitrep_incident_format_set_css   (GtkWidget  *widget,
                                        const char *css_class,
                                        gboolean    on);

G_END_DECLS
