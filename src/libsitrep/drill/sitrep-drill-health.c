/* sitrep-drill-health.c: the simulated services' health endpoints, real HTTP on loopback
 *
 *   /api/health/details  the API's health check, with its database and Redis checks, as slow
 *                        as the API is; "no healthy upstream" when no API pod is ready
 *   /workers/health      the workers' health check (the runbook asks it through kubectl exec;
 *                        the drill's pods run nothing, so its runbook asks here)
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sitrep-drill-private.h"

struct _SitrepDrillHealthServer
{
  SoupServer *server;
  guint port;
  SitrepDrillPlay *play;
  GPtrArray *delayed; /* Delayed */
};

typedef struct
{
  SitrepDrillHealthServer *server;
  SoupServerMessage *msg;
  guint source;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  if (delayed->source != 0)
    {
      /* The server ends first: the answer goes out now rather than never. */
      g_source_remove (delayed->source);
      soup_server_message_unpause (delayed->msg);
    }
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static gboolean
answer_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->source = 0;
  soup_server_message_unpause (delayed->msg);
  g_ptr_array_remove (delayed->server->delayed, delayed);
  return G_SOURCE_REMOVE;
}

static void
reply (SitrepDrillHealthServer *self,
       SoupServerMessage       *msg,
       guint                    status,
       const char              *type,
       const char              *body,
       int                      delay_ms)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
  if (delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->server = self;
      delayed->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      delayed->source = g_timeout_add (delay_ms, answer_cb, delayed);
      g_ptr_array_add (self->delayed, delayed);
    }
}

static void
api_health (SitrepDrillHealthServer *self,
            SoupServerMessage       *msg)
{
  SitrepDrillHealth *health = sitrep_drill_play_get_health (self->play);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  gboolean ok = g_str_equal (health->database, "up");

  if (!sitrep_drill_play_is_ready (self->play, "api"))
    {
      /* What the ingress says when the service has no ready endpoint. */
      reply (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", "no healthy upstream", 0);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, ok ? "ok" : "error");
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, health->database);
  json_builder_set_member_name (builder, "redis");
  json_builder_add_string_value (builder, health->redis);
  json_builder_end_object (builder);
  if (health->api_error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, health->api_error);
    }
  json_builder_set_member_name (builder, "drill");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);
  reply (self, msg, ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, "application/json",
         text, health->api_latency_ms);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SitrepDrillHealthServer *self = user_data;

  if (g_str_equal (path, "/api/health/details"))
    api_health (self, msg);
  else if (g_str_equal (path, "/workers/health"))
    {
      if (sitrep_drill_play_is_ready (self->play, "workers"))
        reply (self, msg, SOUP_STATUS_OK, "application/json", "{\"status\":\"ok\"}", 0);
      else
        reply (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "application/json",
               "{\"status\":\"error\",\"error\":\"worker stalled: Connection is closed.\"}", 0);
    }
  else
    reply (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not found", 0);
}

SitrepDrillHealthServer *
sitrep_drill_health_server_new (SitrepDrillPlay *play,
                                GError         **error)
{
  SitrepDrillHealthServer *self = g_new0 (SitrepDrillHealthServer, 1);
  GSList *uris;

  self->play = play;
  self->delayed = g_ptr_array_new_with_free_func ((GDestroyNotify) delayed_free);
  self->server = soup_server_new ("server-header", "carecircle-drill", NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      sitrep_drill_health_server_free (self);
      return NULL;
    }
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

void
sitrep_drill_health_server_free (SitrepDrillHealthServer *self)
{
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self);
}

guint
sitrep_drill_health_server_get_port (SitrepDrillHealthServer *self)
{
  return self->port;
}
