/* sitrep-drill-kube.h: the drill's simulated Kubernetes API, which the real kubectl talks to */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One request the server answered, as kubectl sent it. */
typedef struct
{
  char *method;
  char *path;          /* without the query */
  char *query;         /* or NULL */
  char *authorization; /* the Authorization header, or NULL */
  char *content_type;  /* of the request body, or NULL */
  char *body;          /* the request body, or NULL */
} SitrepDrillKubeRequest;

#define SITREP_TYPE_DRILL_KUBE (sitrep_drill_kube_get_type ())

G_DECLARE_FINAL_TYPE (SitrepDrillKube, sitrep_drill_kube, SITREP, DRILL_KUBE, GObject)

/* Listens on 127.0.0.1, on a free port, in the thread-default main context. */
SitrepDrillKube *sitrep_drill_kube_new              (GError          **error);
guint            sitrep_drill_kube_get_port         (SitrepDrillKube  *self);
char            *sitrep_drill_kube_get_url          (SitrepDrillKube  *self);
/* What `kubectl exec` answers: the simulated pods run nothing. */
void             sitrep_drill_kube_set_exec_message (SitrepDrillKube  *self,
                                                     const char       *message);

/* Objects. Every add replaces an object of the same namespace, resource and name. A deployment
 * gets a selector app=NAME; its pods and replica set carry that label. */
void             sitrep_drill_kube_add_deployment   (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *name,
                                                     int               replicas,
                                                     int               ready_replicas,
                                                     int               updated_replicas);
void             sitrep_drill_kube_add_pod          (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *name,
                                                     const char       *app,
                                                     int               restarts,
                                                     const char       *log);
/* Any other object: @object must have metadata.name; @resource is the plural ("replicasets",
 * "events"). The server keeps a reference. */
void             sitrep_drill_kube_add_object       (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *resource,
                                                     JsonObject       *object);
gboolean         sitrep_drill_kube_remove_object    (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *resource,
                                                     const char       *name);
/* The stored object (owned by the server), or NULL. */
JsonObject      *sitrep_drill_kube_lookup           (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *resource,
                                                     const char       *name);
/* The stored objects of @resource whose labels match @selector ("app=x", or NULL for all),
 * sorted by name; the objects are owned by the server. */
GPtrArray       *sitrep_drill_kube_list             (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *resource,
                                                     const char       *selector);
/* A pod's log, and that of its container's previous run (NULL: it has not restarted). */
void             sitrep_drill_kube_set_log          (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *pod,
                                                     const char       *log,
                                                     const char       *previous);
void             sitrep_drill_kube_append_log       (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *pod,
                                                     const char       *lines);
/* What `kubectl top pods` shows for a pod (the metrics API); a pod without is not listed. */
void             sitrep_drill_kube_set_pod_metrics  (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *pod,
                                                     gint64            cpu_millicores,
                                                     gint64            memory_bytes);
/* An event about an object (kind "Deployment", "Pod"), as the cluster records them: the same
 * reason and message on the same object again counts up. */
void             sitrep_drill_kube_add_event        (SitrepDrillKube  *self,
                                                     const char       *namespace_,
                                                     const char       *kind,
                                                     const char       *name,
                                                     gboolean          warning,
                                                     const char       *reason,
                                                     const char       *message);

/* Every request so far, oldest first (SitrepDrillKubeRequest, owned by the server). */
GPtrArray       *sitrep_drill_kube_get_requests     (SitrepDrillKube  *self);
void             sitrep_drill_kube_clear_requests   (SitrepDrillKube  *self);
/* The last request whose method is @method and whose path contains @path_part, or NULL. */
const SitrepDrillKubeRequest *sitrep_drill_kube_find_request (SitrepDrillKube *self,
                                                              const char      *method,
                                                              const char      *path_part);

/* Writes a kubeconfig at @path whose context @context (namespace @namespace_) points at this
 * server (user token "token-CONTEXT", which kubectl only sends over https). With @current the
 * context is the kubeconfig's current one; without, the current context is a decoy, "decoy",
 * with namespace "decoy", pointing at port 1 where nothing listens: a request that reaches this
 * server proves that the command chose the context itself. */
gboolean         sitrep_drill_kube_write_kubeconfig (SitrepDrillKube  *self,
                                                     const char       *path,
                                                     const char       *context,
                                                     const char       *namespace_,
                                                     gboolean          current,
                                                     GError          **error);

G_END_DECLS
