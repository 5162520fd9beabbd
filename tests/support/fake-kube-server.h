/* fake-kube-server.h: a small in-memory Kubernetes API server for kubectl in tests */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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
} FakeKubeRequest;

typedef struct _FakeKubeServer FakeKubeServer;

/* Listens on 127.0.0.1 on a free port, in the thread-default main context. */
FakeKubeServer   *fake_kube_server_new               (GError         **error);
void              fake_kube_server_free              (FakeKubeServer  *self);
guint             fake_kube_server_get_port          (FakeKubeServer  *self);
char             *fake_kube_server_get_url           (FakeKubeServer  *self);

/* Objects. Every add replaces an object of the same namespace, resource and name. A deployment
 * gets a selector app=NAME; its pods and replica set carry that label. */
void              fake_kube_server_add_deployment    (FakeKubeServer  *self,
                                                      const char      *namespace_,
                                                      const char      *name,
                                                      int              replicas,
                                                      int              ready_replicas,
                                                      int              updated_replicas);
void              fake_kube_server_add_pod           (FakeKubeServer  *self,
                                                      const char      *namespace_,
                                                      const char      *name,
                                                      const char      *app,
                                                      int              restarts,
                                                      const char      *log);
/* Any other object: @object must have metadata.name; @resource is the plural ("replicasets"). */
void              fake_kube_server_add_object        (FakeKubeServer  *self,
                                                      const char      *namespace_,
                                                      const char      *resource,
                                                      JsonObject      *object);
/* The stored object (owned by the server), or NULL. */
JsonObject       *fake_kube_server_lookup            (FakeKubeServer  *self,
                                                      const char      *namespace_,
                                                      const char      *resource,
                                                      const char      *name);

/* Every request so far, oldest first (FakeKubeRequest, owned by the server). */
GPtrArray        *fake_kube_server_get_requests      (FakeKubeServer  *self);
void              fake_kube_server_clear_requests    (FakeKubeServer  *self);
/* The last request whose method is @method and whose path contains @path_part, or NULL. */
const FakeKubeRequest *fake_kube_server_find_request (FakeKubeServer  *self,
                                                      const char      *method,
                                                      const char      *path_part);

/* Writes a kubeconfig at @path whose context @context (namespace @namespace_) points at this
 * server (user token "token-CONTEXT", which kubectl only sends over https). Its current-context
 * is a decoy, "decoy", with namespace "decoy", pointing at port 1 where nothing listens: a
 * request that reaches this server proves that the command chose the context itself. */
gboolean          fake_kube_server_write_kubeconfig  (FakeKubeServer  *self,
                                                      const char      *path,
                                                      const char      *context,
                                                      const char      *namespace_,
                                                      GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeKubeServer, fake_kube_server_free)

G_END_DECLS
