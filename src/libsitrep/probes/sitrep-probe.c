/* sitrep-probe.c: what a probe found, and what the probes of one runbook share */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-json-doc.h"
#include "sitrep-probe-private.h"

#define SITREP_PROBE_MAX_JSON_DEPTH 256

/* A probe that could not run says why as a GError, which keeps the reason as data. */
SITREP_DEFINE_REASON_ERROR (sitrep-probe-error-quark, sitrep_probe_error)

/* A probe that could not run, for the reason @why (transfer full). */
GError *
sitrep_probe_error_new_cannot_run (SitrepReason *why)
{
  return sitrep_reason_error_new (SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN, why);
}

G_DEFINE_BOXED_TYPE (SitrepProbeResult, sitrep_probe_result, sitrep_probe_result_ref,
                     sitrep_probe_result_unref)

SitrepProbeResult *
sitrep_probe_result_new (void)
{
  SitrepProbeResult *result = g_atomic_rc_box_new0 (SitrepProbeResult);

  result->started_at = g_get_real_time ();
  result->status = -1;
  result->ran = TRUE;
  return result;
}

SitrepProbeResult *
sitrep_probe_result_ref (SitrepProbeResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

static void
result_clear (SitrepProbeResult *result)
{
  g_free (result->error);
  g_clear_pointer (&result->why, sitrep_reason_unref);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_pointer (&result->json, json_node_unref);
  g_free (result->json_error);
  g_clear_pointer (&result->json_why, sitrep_reason_unref);
  g_free (result->result);
}

void
sitrep_probe_result_unref (SitrepProbeResult *result)
{
  g_atomic_rc_box_release_full (result, (GDestroyNotify) result_clear);
}

/* The check did not complete, for the reason @why (words from elsewhere, shown as they are):
 * the result can never be up. */
void
sitrep_probe_result_fail (SitrepProbeResult *result,
                          const char        *why)
{
  g_return_if_fail (result != NULL && why != NULL);

  sitrep_probe_result_fail_because (result, sitrep_reason_new_text (why));
}

/* The same with a reason of Sitrep's own (transfer full). The first reason stays, since what
 * broke first is what a person needs to know. */
void
sitrep_probe_result_fail_because (SitrepProbeResult *result,
                                  SitrepReason      *why)
{
  g_return_if_fail (result != NULL && why != NULL);

  result->failed = TRUE;
  if (result->error == NULL)
    {
      result->error = g_strdup (sitrep_reason_to_string (why));
      result->why = why;
    }
  else
    sitrep_reason_unref (why);
}

static void
set_json_error (SitrepProbeResult *result,
                SitrepReason      *why)
{
  result->json_error = g_strdup (sitrep_reason_to_string (why));
  result->json_why = why;
}

/* Keeps @body and parses it as JSON when it looks like JSON. A body that is not JSON is no
 * error in itself: only a condition that needs [BODY].path fails, with json_error as reason. */
void
sitrep_probe_result_set_body (SitrepProbeResult *result,
                              GBytes            *body,
                              gboolean           truncated)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  g_autoptr(GError) error = NULL;
  SitrepJsonPos pos;
  const char *data;
  gsize size;

  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_pointer (&result->json, json_node_unref);
  g_clear_pointer (&result->json_error, g_free);
  g_clear_pointer (&result->json_why, sitrep_reason_unref);

  result->body = g_bytes_ref (body);
  result->body_truncated = truncated;
  data = g_bytes_get_data (body, &size);

  if (truncated)
    {
      set_json_error (result, sitrep_reason_new (N_("the body was cut at the size limit")));
      return;
    }
  if (!g_utf8_validate_len (data, size, NULL))
    {
      set_json_error (result, sitrep_reason_new (N_("the body is not valid UTF-8")));
      return;
    }

  if (size == 0)
    {
      set_json_error (result, sitrep_reason_new (N_("the body is empty")));
      return;
    }

  /* The runbook's strict reader, not json-glib's: it bounds the nesting depth, so a hostile
   * body nested 100,000 deep is an error, not a stack overflow. */
  doc = sitrep_json_doc_parse (data, size, SITREP_PROBE_MAX_JSON_DEPTH, &pos, &error);
  if (doc == NULL)
    {
      set_json_error (result,
                      sitrep_reason_new (N_("the body is not JSON (line %s, column %s: %s)"),
                                         sitrep_reason_new_printf ("%u", pos.line),
                                         sitrep_reason_new_printf ("%u", pos.column),
                                         sitrep_reason_new_text (error->message)));
      return;
    }
  result->json = json_node_ref (sitrep_json_doc_get_root (doc));
}

/**
 * sitrep_probe_ensure_proxy_resolver:
 *
 * GIO's GNOME proxy resolver aborts the process when the desktop's proxy schema is missing,
 * as on a bare server running `sitrep probe` over SSH, and every socket asks it. Without that
 * schema there are no proxy settings to honour anyway: use GIO's direct resolver. Call this
 * before the first socket, on the main thread; it does its work once.
 */
void
sitrep_probe_ensure_proxy_resolver (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, "org.gnome.system.proxy", TRUE);
      if (schema == NULL && g_getenv ("GIO_USE_PROXY_RESOLVER") == NULL)
        g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
      g_once_init_leave (&done, 1);
    }
}

SitrepProbeContext *
sitrep_probe_context_new (SitrepRunbook *runbook)
{
  SitrepProbeContext *context;

  sitrep_probe_ensure_proxy_resolver ();
  context = g_new0 (SitrepProbeContext, 1);
  g_atomic_ref_count_init (&context->ref_count);
  context->runbook = g_object_ref (runbook);
  context->session = soup_session_new_with_options ("user-agent", "Sitrep/" PACKAGE_VERSION,
                                                    "max-conns", 64,
                                                    "max-conns-per-host", 8,
                                                    NULL);

  context->kubectl = g_strdup (sitrep_runbook_get_environment (runbook)->kubectl);
  return context;
}

SitrepProbeContext *
sitrep_probe_context_ref (SitrepProbeContext *context)
{
  g_atomic_ref_count_inc (&context->ref_count);
  return context;
}

void
sitrep_probe_context_unref (SitrepProbeContext *context)
{
  if (!g_atomic_ref_count_dec (&context->ref_count))
    return;
  g_clear_object (&context->runbook);
  g_clear_object (&context->session);
  g_free (context->kubectl);
  g_free (context);
}

SitrepRunbook *
sitrep_probe_context_get_runbook (SitrepProbeContext *context)
{
  return context->runbook;
}

SoupSession *
sitrep_probe_context_get_session (SitrepProbeContext *context)
{
  return context->session;
}

const char *
sitrep_probe_context_get_kubectl (SitrepProbeContext *context)
{
  return context->kubectl;
}

/* Probes that run a program (command, kube) run only for a runbook the user trusts; the others
 * do not run anything of the runbook's. Trusted unless the app says otherwise. */
void
sitrep_probe_context_set_trusted (SitrepProbeContext *context,
                                  gboolean            trusted)
{
  context->untrusted = !trusted;
}

gboolean
sitrep_probe_context_get_trusted (SitrepProbeContext *context)
{
  return !context->untrusted;
}
