/* sitrep-settings.h: the console's settings, for the app and the headless verbs alike */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *sitrep_settings_new (void);

G_END_DECLS
