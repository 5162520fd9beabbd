/* sitrep-application.h: the application: command line, settings, notifications and the window */
#pragma once

#include <adwaita.h>

#include "sitrep-session.h"

G_BEGIN_DECLS

#define SITREP_TYPE_APPLICATION (sitrep_application_get_type ())

G_DECLARE_FINAL_TYPE (SitrepApplication, sitrep_application, SITREP, APPLICATION, AdwApplication)

SitrepApplication *sitrep_application_new         (void);
SitrepSession     *sitrep_application_get_session (SitrepApplication *self);

G_END_DECLS
