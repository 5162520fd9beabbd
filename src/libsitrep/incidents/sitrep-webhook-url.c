/* sitrep-webhook-url.c: which chat webhook URLs Sitrep uses, keeping one in the keyring, and cutting one out of text
 *
 * The URL carries the webhook's token: it goes to the keyring and nowhere else, and a copy in
 * memory is wiped before it is freed. Only https:// is used, unless the runbook allows plain
 * http ("webhook": {"allow_plain_http": true}) for a webhook on a network the team trusts.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-secrets.h"
#include "sitrep-webhook-private.h"

void
sitrep_webhook_wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

/**
 * sitrep_webhook_check_url:
 * @allow_plain_http: the runbook allows an http:// URL
 *
 * Returns: %TRUE when @url is an https:// URL with a host, or an http:// one that is allowed;
 *   otherwise %FALSE with %SITREP_WEBHOOK_ERROR_INVALID_URL or _PLAIN_HTTP saying what to do
 */
gboolean
sitrep_webhook_check_url (const char *url,
                          gboolean    allow_plain_http,
                          GError    **error)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL || *host == '\0'
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_INVALID_URL,
                   _("A chat webhook URL starts with https:// and names a host, like "
                     "https://hooks.slack.com/services/…"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !allow_plain_http)
    {
      /* Translators: the %s is the runbook setting, "webhook": {"allow_plain_http": true} */
      g_set_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_PLAIN_HTTP,
                   _("The chat webhook URL starts with http://, so the messages and the token "
                     "in the URL would cross the network unencrypted. Use the https:// URL your "
                     "chat service gives you; for a webhook on a trusted network, allow plain "
                     "http in the runbook with %s."),
                   "\"webhook\": {\"allow_plain_http\": true}");
      return FALSE;
    }
  return TRUE;
}

gboolean
sitrep_webhook_set_url_sync (const char   *url,
                             gboolean      allow_plain_http,
                             GCancellable *cancellable,
                             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean done;

  if (url == NULL || *url == '\0')
    done = sitrep_secrets_clear_sync (SITREP_WEBHOOK_SECRET_NAME, cancellable, &local_error);
  else if (!sitrep_webhook_check_url (url, allow_plain_http, error))
    return FALSE;
  else
    done = sitrep_secrets_store_sync (SITREP_WEBHOOK_SECRET_NAME, url, cancellable, &local_error);

  if (!done)
    {
      g_set_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_KEYRING,
                   _("The chat webhook URL cannot be saved in the keyring (%s): is a secret "
                     "service such as GNOME Keyring running and unlocked?"),
                   local_error != NULL ? local_error->message : _("unknown error"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char *url;
  gboolean allow_plain_http;
} SetUrl;

static void
set_url_free (SetUrl *set)
{
  sitrep_webhook_wipe_free (set->url);
  g_free (set);
}

static void
set_url_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SetUrl *set = task_data;
  GError *error = NULL;

  if (sitrep_webhook_set_url_sync (set->url, set->allow_plain_http, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sitrep_webhook_set_url_async (const char         *url,
                              gboolean            allow_plain_http,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SetUrl *set = g_new0 (SetUrl, 1);

  set->url = g_strdup (url);
  set->allow_plain_http = allow_plain_http;
  g_task_set_source_tag (task, sitrep_webhook_set_url_async);
  g_task_set_task_data (task, set, (GDestroyNotify) set_url_free);
  g_task_run_in_thread (task, set_url_thread);
}

gboolean
sitrep_webhook_set_url_finish (GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Cuts the URL, and its path and query (where the token is), out of text about to be stored
 * or shown. */
char *
_sitrep_webhook_scrub (const char *text,
                       const char *url)
{
  g_autoptr(GString) out = g_string_new (text);
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (url != NULL && *url != '\0')
    g_string_replace (out, url, "<webhook>", 0);
  if (uri != NULL)
    {
      const char *path = g_uri_get_path (uri);
      const char *query = g_uri_get_query (uri);

      if (path != NULL && strlen (path) > 1)
        g_string_replace (out, path, "/<webhook>", 0);
      if (query != NULL && *query != '\0')
        g_string_replace (out, query, "<webhook>", 0);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* How to set the URL; the command is not translated, so it stays outside the message. */
char *
_sitrep_webhook_no_url_hint (void)
{
  return g_strdup_printf (_("Set the chat webhook URL in Preferences, or in a terminal with: %s"),
                          "secret-tool store --label=\"Sitrep: " SITREP_WEBHOOK_SECRET_NAME "\""
                          " sitrep-secret " SITREP_WEBHOOK_SECRET_NAME);
}
