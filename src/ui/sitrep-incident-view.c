/* sitrep-incident-view.c: being written */
#include "config.h"

#include "sitrep-incident-view.h"

struct _SitrepIncidentView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (SitrepIncidentView, sitrep_incident_view, GTK_TYPE_WIDGET)

static void
sitrep_incident_view_class_init (SitrepIncidentViewClass *klass)
{
}

static void
sitrep_incident_view_init (SitrepIncidentView *self)
{
}
