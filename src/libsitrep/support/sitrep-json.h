/* sitrep-json.h: members of a JSON object read from what someone else wrote, each of its type or nothing */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *sitrep_json_string  (JsonObject *object,
                                 const char *name);
gint64      sitrep_json_int     (JsonObject *object,
                                 const char *name);
gboolean    sitrep_json_boolean (JsonObject *object,
                                 const char *name,
                                 gboolean    fallback);
double      sitrep_json_double  (JsonObject *object,
                                 const char *name,
                                 double      fallback);
JsonObject *sitrep_json_object  (JsonObject *object,
                                 const char *name);
JsonArray  *sitrep_json_array   (JsonObject *object,
                                 const char *name);
char      **sitrep_json_strv    (JsonObject *object,
                                 const char *name);
const char *sitrep_json_read_string (const char  *p,
                                     char       **out);

G_END_DECLS
