/* sitrep-cli-output.h: what the verbs print alike: times for people, JSON for scripts */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *sitrep_cli_format_time (gint64       at,
                              gboolean     utc);
void  sitrep_cli_add_string  (JsonBuilder *builder,
                              const char  *name,
                              const char  *value);
void  sitrep_cli_add_time    (JsonBuilder *builder,
                              const char  *name,
                              gint64       at);
void  sitrep_cli_print_json  (JsonBuilder *builder);

G_END_DECLS
