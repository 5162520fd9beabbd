/* sitrep-cli-probe.c: `sitrep probe`: every probe once, each service's state, for scripts */
#include "config.h"

#include <signal.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sitrep-cli-probe.h"
#include "sitrep-cli-common.h"
#include "sitrep-monitor.h"

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  GError *error;
} Wait;

/* Ctrl+C or a TERM: the probes stop, and with them every program they started, since those run
 * in process groups of their own that the terminal's signal does not reach. */
static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
run_once_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = sitrep_monitor_run_once_finish (SITREP_MONITOR (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
add_probe_json (JsonBuilder             *builder,
                const SitrepProbeStatus *status)
{
  const SitrepProbeResult *last = status->last;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, status->spec->id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, status->spec->type_name);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sitrep_health_to_string (status->health));
  json_builder_set_member_name (builder, "latency_ms");
  if (last != NULL && (last->connected || last->status >= 0))
    json_builder_add_double_value (builder, last->response_time_ms);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  if (last != NULL && last->status >= 0)
    json_builder_add_int_value (builder, last->status);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "error");
  if (status->health != SITREP_HEALTH_UP && status->reason != NULL)
    json_builder_add_string_value (builder, sitrep_reason_to_string (status->reason));
  else if (last != NULL && last->error != NULL)
    json_builder_add_string_value (builder, last->error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_boolean_value (builder, last != NULL && last->failed);
  json_builder_set_member_name (builder, "insecure_tls");
  json_builder_add_boolean_value (builder, last != NULL && last->insecure_tls);
  json_builder_set_member_name (builder, "unencrypted");
  json_builder_add_boolean_value (builder, last != NULL && last->unencrypted);

  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < status->verdicts->len; i++)
    {
      const SitrepConditionVerdict *verdict = status->verdicts->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "check");
      json_builder_add_string_value (builder, verdict->spec->check);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, verdict->spec->severity == SITREP_CONDITION_CRITICAL
                                                ? "critical" : "warning");
      json_builder_set_member_name (builder, "passed");
      json_builder_add_boolean_value (builder, verdict->passed);
      json_builder_set_member_name (builder, "resolved");
      json_builder_add_string_value (builder, verdict->resolved);
      json_builder_set_member_name (builder, "reason");
      if (verdict->reason != NULL)
        json_builder_add_string_value (builder, sitrep_reason_to_string (verdict->reason));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static char *
to_json (GPtrArray *states)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < states->len; i++)
    {
      SitrepServiceState *state = states->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "service");
      json_builder_add_string_value (builder, sitrep_service_state_get_id (state));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, sitrep_service_state_get_name (state));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder,
                                     sitrep_health_to_string (sitrep_service_state_get_health (state)));
      json_builder_set_member_name (builder, "reason");
      if (sitrep_service_state_get_reason (state) != NULL)
        json_builder_add_string_value (builder, sitrep_service_state_get_reason (state));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "probes");
      json_builder_begin_array (builder);
      for (guint p = 0; p < sitrep_service_state_get_n_probes (state); p++)
        add_probe_json (builder, sitrep_service_state_get_probe (state, p));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static void
print_text (GPtrArray *states)
{
  for (guint i = 0; i < states->len; i++)
    {
      SitrepServiceState *state = states->pdata[i];
      SitrepHealth health = sitrep_service_state_get_health (state);
      const char *reason = sitrep_service_state_get_reason (state);

      g_print ("%-12s %-9s %s\n", sitrep_service_state_get_id (state),
               sitrep_health_get_label (health),
               health != SITREP_HEALTH_UP && reason ? reason : "");

      for (guint p = 0; p < sitrep_service_state_get_n_probes (state); p++)
        {
          const SitrepProbeStatus *status = sitrep_service_state_get_probe (state, p);
          const SitrepProbeResult *last = status->last;
          g_autofree char *latency = NULL;

          if (last != NULL && (last->connected || last->status >= 0))
            latency = g_strdup_printf ("%.1f ms", last->response_time_ms);
          g_print ("  %-22s %-9s %-10s %s\n", status->spec->id,
                   sitrep_health_get_label (status->health), latency ? latency : "–",
                   status->health != SITREP_HEALTH_UP && status->reason
                     ? sitrep_reason_to_string (status->reason) : "");
          if (last != NULL && last->insecure_tls)
            g_print ("    ! %s\n", _("The certificate was not verified"));
          if (last != NULL && last->unencrypted)
            g_print ("    ! %s\n", _("Not encrypted: the connection does not use TLS"));
          for (guint c = 0; c < status->verdicts->len; c++)
            {
              const SitrepConditionVerdict *verdict = status->verdicts->pdata[c];

              g_print ("    %s %s%s%s\n", verdict->passed ? "✓" : "✗",
                       verdict->resolved ? verdict->resolved : verdict->spec->check,
                       verdict->passed || verdict->reason == NULL ? "" : ": ",
                       verdict->passed || verdict->reason == NULL ? ""
                         : sitrep_reason_to_string (verdict->reason));
            }
        }
    }
}

/* sitrep probe [--runbook FILE] [--service ID] [--json]: exit 0 when every service is up, 1 when
 * one is degraded, 2 when one is down or unknown. */
int
sitrep_cli_probe (int    argc,
                  char **argv)
{
  g_autofree char *runbook_path = NULL;
  g_autofree char *service_id = NULL;
  g_autofree char *environment_id = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, &runbook_path,
      N_("Probe the services of the runbook in FILE instead of the built-in one"), N_("FILE") },
    { "service", 's', 0, G_OPTION_ARG_STRING, &service_id, N_("Probe only the service ID"),
      N_("ID") },
    { "environment", 'e', 0, G_OPTION_ARG_STRING, &environment_id,
      N_("Probe in the runbook's environment ID (format 2 \"environments\") instead of its "
         "first"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the states as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("— run every probe once"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint sigint_id, sigterm_id;
  SitrepHealth worst = SITREP_HEALTH_UP;
  Wait wait = { 0 };
  GListModel *services;

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, &error) || argc != 1)
    {
      g_printerr ("%s\n", error ? error->message : _("sitrep probe takes no other argument"));
      return 3;
    }

  runbook = sitrep_cli_load_runbook (runbook_path);
  if (runbook == NULL)
    return 3;

  if (environment_id != NULL
      && !sitrep_runbook_select_environment (runbook, environment_id, &error))
    {
      g_printerr ("sitrep probe: %s\n", error->message);
      return 3;
    }

  if (service_id != NULL && sitrep_runbook_find_service (runbook, service_id) == NULL)
    {
      g_printerr (_("There is no service \"%s\" in %s.\n"), service_id,
                  sitrep_runbook_get_source (runbook));
      return 3;
    }

  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);
  sitrep_monitor_run_once_async (monitor, service_id, cancellable, run_once_cb, &wait);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (!wait.ok && g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("%s\n", _("Interrupted: the probes were stopped."));
      g_clear_error (&wait.error);
      return 3;
    }
  if (!wait.ok)
    {
      g_printerr ("%s\n", wait.error->message);
      g_clear_error (&wait.error);
      return 3;
    }

  services = sitrep_monitor_get_services (monitor);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      SitrepServiceState *state = g_list_model_get_item (services, i);

      if (service_id != NULL && g_strcmp0 (sitrep_service_state_get_id (state), service_id) != 0)
        {
          g_object_unref (state);
          continue;
        }
      worst = MAX (worst, sitrep_service_state_get_health (state));
      g_ptr_array_add (states, state);
    }

  if (as_json)
    {
      g_autofree char *json = to_json (states);

      g_print ("%s\n", json);
    }
  else
    {
      print_text (states);
    }

  switch (worst)
    {
    case SITREP_HEALTH_UP:
      return 0;
    case SITREP_HEALTH_DEGRADED:
      return 1;
    case SITREP_HEALTH_UNKNOWN:
    case SITREP_HEALTH_DOWN:
    default:
      return 2;
    }
}
