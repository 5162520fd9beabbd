/* sitrep-drill-kube-private.h: what the simulated Kubernetes API's parts share */
#pragma once

#include <libsoup/soup.h>

#include "sitrep-drill-kube.h"

G_BEGIN_DECLS

struct _SitrepDrillKube
{
  GObject parent_instance;

  SoupServer *server;
  guint port;
  GHashTable *objects;  /* "ns/resource/name" → JsonObject */
  GHashTable *logs;     /* "ns/pod" → char* */
  GHashTable *previous; /* "ns/pod" → char*: the log of the container's previous run */
  GHashTable *metrics;  /* "ns/pod" → gint64[2]: millicores, bytes */
  GPtrArray *requests;  /* SitrepDrillKubeRequest */
  GPtrArray *watches;   /* SitrepDrillKubeWatch */
  guint resource_version;
  char *exec_message;
};

/* An open ?watch=true list: "ns/resource/" and the name its field selector asks for, or NULL. */
typedef struct
{
  SoupServerMessage *msg;
  char *prefix;
  char *name;
} SitrepDrillKubeWatch;

/* Signals. */
void        sitrep_drill_kube_emit_changed   (SitrepDrillKube   *self,
                                              const char        *namespace_,
                                              const char        *resource,
                                              const char        *name);

/* Answers (sitrep-drill-kube-api.c). */
void        sitrep_drill_kube_handle         (SitrepDrillKube   *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query,
                                              const char        *body);
void        sitrep_drill_kube_reply_text     (SoupServerMessage *msg,
                                              guint              status,
                                              const char        *content_type,
                                              const char        *text);
void        sitrep_drill_kube_reply_object   (SoupServerMessage *msg,
                                              guint              status,
                                              JsonObject        *object);
void        sitrep_drill_kube_reply_status   (SoupServerMessage *msg,
                                              guint              code,
                                              const char        *reason,
                                              const char        *message);
void        sitrep_drill_kube_stamp          (SitrepDrillKube   *self,
                                              JsonObject        *object);
void        sitrep_drill_kube_add_replica_set (SitrepDrillKube  *self,
                                              const char        *namespace_,
                                              JsonObject        *deployment,
                                              int                revision);
void        sitrep_drill_kube_roll_out       (SitrepDrillKube   *self,
                                              const char        *namespace_,
                                              JsonObject        *old,
                                              JsonObject        *deployment,
                                              gboolean           dry_run);

/* JSON (sitrep-drill-json.c): what the API server and the simulation read and write. */
JsonNode   *sitrep_drill_json_parse          (const char        *text);
JsonObject *sitrep_drill_json_copy           (JsonObject        *object);
JsonObject *sitrep_drill_json_object_at      (JsonObject        *object,
                                              const char        *name);
const char *sitrep_drill_json_string_at      (JsonObject        *object,
                                              const char        *name);
const char *sitrep_drill_json_path_string    (JsonObject        *object,
                                              const char        *dotted);
JsonObject *sitrep_drill_json_ensure_object  (JsonObject        *object,
                                              const char        *name);
void        sitrep_drill_json_merge_patch    (JsonObject        *target,
                                              JsonObject        *patch);
gboolean    sitrep_drill_json_patch          (JsonObject        *target,
                                              JsonArray         *ops);
char       *sitrep_drill_json_template_text  (JsonObject        *object);
gboolean    sitrep_drill_json_labels_match   (JsonObject        *object,
                                              const char        *selector);
gboolean    sitrep_drill_json_fields_match   (JsonObject        *object,
                                              const char        *selector);
int         sitrep_drill_json_revision       (JsonObject        *object);
char       *sitrep_drill_format_age          (const char        *timestamp);
char       *sitrep_drill_timestamp_now       (void);
JsonObject *sitrep_drill_kube_make_table     (const char        *resource,
                                              GPtrArray         *items);

G_END_DECLS
