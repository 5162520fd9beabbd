/* sitrep-cli-incident.c: `sitrep incident list|show`: the incidents in the store, for scripts */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-cli.h"
#include "sitrep-incident.h"
#include "sitrep-store.h"

static gboolean use_utc = FALSE;

static char *
format_time (gint64 at)
{
  g_autoptr(GDateTime) time = NULL;

  if (at == 0)
    return g_strdup ("–");
  time = use_utc ? g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC)
                 : g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);
  return g_date_time_format (time, use_utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z");
}

static char *
format_span (gint64 from,
             gint64 to)
{
  gint64 s;

  if (from == 0 || to == 0)
    return g_strdup ("–");
  s = MAX (0, to - from) / G_USEC_PER_SEC;
  return g_strdup_printf ("%02d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       at)
{
  json_builder_set_member_name (builder, name);
  if (at == 0)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
      g_autofree char *iso = g_date_time_format_iso8601 (time);

      json_builder_add_string_value (builder, iso);
    }
}

static const char *
clock_state_name (SitrepClockState state)
{
  static const char *const names[] = { "not-started", "on-time", "overdue", "done", "ongoing" };

  return names[state];
}

static const char *
escalation_state_name (SitrepEscalationState state)
{
  static const char *const names[] = { "pending", "due", "escalated", "not-needed", "manual",
                                       "stopped" };

  return names[state];
}

static void
add_incident_json (JsonBuilder    *builder,
                   SitrepIncident *incident,
                   SitrepRunbook  *runbook,
                   gboolean        details,
                   gint64          now)
{
  guint total = 0;
  guint done = sitrep_incident_count_done (incident, runbook, &total);
  const char *const *services = sitrep_incident_get_services (incident);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, sitrep_incident_get_id (incident));
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, sitrep_incident_get_severity (incident));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder,
                                 sitrep_incident_status_to_string (sitrep_incident_get_status (incident)));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, sitrep_incident_get_summary (incident));
  json_builder_set_member_name (builder, "impact");
  json_builder_add_string_value (builder, sitrep_incident_get_impact (incident));
  json_builder_set_member_name (builder, "lead");
  json_builder_add_string_value (builder, sitrep_incident_get_lead (incident));
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, sitrep_incident_get_channel (incident));
  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    json_builder_add_string_value (builder, services[i]);
  json_builder_end_array (builder);
  add_time (builder, "started_at", sitrep_incident_get_started_at (incident));
  add_time (builder, "declared_at", sitrep_incident_get_declared_at (incident));
  add_time (builder, "acknowledged_at", sitrep_incident_get_acknowledged_at (incident));
  add_time (builder, "mitigated_at", sitrep_incident_get_mitigated_at (incident));
  add_time (builder, "resolved_at", sitrep_incident_get_resolved_at (incident));
  add_time (builder, "response_due_at", sitrep_incident_response_due_at (incident, runbook));
  add_time (builder, "next_update_due_at", sitrep_incident_next_update_due_at (incident, runbook));
  json_builder_set_member_name (builder, "checklist_done");
  json_builder_add_int_value (builder, done);
  json_builder_set_member_name (builder, "checklist_items");
  json_builder_add_int_value (builder, total);

  if (details)
    {
      GPtrArray *phases = sitrep_runbook_get_checklist (runbook);
      g_autoptr(GArray) steps = sitrep_incident_escalation (incident, runbook, now);

      json_builder_set_member_name (builder, "checklist");
      json_builder_begin_array (builder);
      for (guint i = 0; i < phases->len; i++)
        {
          const SitrepChecklistPhase *phase = phases->pdata[i];
          gint64 due_at = 0;
          SitrepClockState state = sitrep_incident_phase_state (incident, phase, now, &due_at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "phase");
          json_builder_add_string_value (builder, phase->id);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, clock_state_name (state));
          add_time (builder, "due_at", due_at);
          json_builder_set_member_name (builder, "items");
          json_builder_begin_array (builder);
          for (guint k = 0; k < phase->items->len; k++)
            {
              const SitrepChecklistItem *item = phase->items->pdata[k];
              const SitrepChecklistTick *tick = sitrep_incident_get_tick (incident, item->id);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "id");
              json_builder_add_string_value (builder, item->id);
              json_builder_set_member_name (builder, "done");
              json_builder_add_boolean_value (builder, tick != NULL && tick->done);
              json_builder_set_member_name (builder, "by");
              if (tick != NULL)
                json_builder_add_string_value (builder, tick->done_by);
              else
                json_builder_add_null_value (builder);
              add_time (builder, "at", tick ? tick->done_at : 0);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "escalation");
      json_builder_begin_array (builder);
      for (guint i = 0; i < steps->len; i++)
        {
          const SitrepEscalationStatus *status = &g_array_index (steps, SitrepEscalationStatus, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, status->step->role);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, escalation_state_name (status->state));
          add_time (builder, "due_at", status->due_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_list (GPtrArray     *incidents,
            SitrepRunbook *runbook)
{
  if (incidents->len == 0)
    {
      g_print ("%s\n", _("No incidents."));
      return;
    }
  for (guint i = 0; i < incidents->len; i++)
    {
      SitrepIncident *incident = incidents->pdata[i];
      g_autofree char *declared = format_time (sitrep_incident_get_declared_at (incident));
      guint total = 0;
      guint done = sitrep_incident_count_done (incident, runbook, &total);

      g_print ("%-5" G_GINT64_FORMAT " %-6s %-14s %s  %u/%u  %s\n", sitrep_incident_get_id (incident),
               sitrep_incident_get_severity (incident),
               sitrep_incident_status_get_label (sitrep_incident_get_status (incident)), declared,
               done, total, sitrep_incident_get_summary (incident));
    }
}

static void
print_show (SitrepIncident *incident,
            SitrepRunbook  *runbook,
            gint64          now)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (runbook);
  g_autoptr(GArray) steps = sitrep_incident_escalation (incident, runbook, now);
  gint64 declared = sitrep_incident_get_declared_at (incident);
  g_autofree char *t_declared = format_time (declared);
  g_autofree char *t_ack = format_time (sitrep_incident_get_acknowledged_at (incident));
  g_autofree char *t_mit = format_time (sitrep_incident_get_mitigated_at (incident));
  g_autofree char *t_res = format_time (sitrep_incident_get_resolved_at (incident));
  g_autofree char *to_ack = format_span (declared, sitrep_incident_get_acknowledged_at (incident));
  g_autofree char *to_mit = format_span (declared, sitrep_incident_get_mitigated_at (incident));
  g_autofree char *to_res = format_span (declared, sitrep_incident_get_resolved_at (incident));
  g_autofree char *response = format_time (sitrep_incident_response_due_at (incident, runbook));
  g_autofree char *update = format_time (sitrep_incident_next_update_due_at (incident, runbook));

  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, sitrep_incident_get_id (incident));

    /* Translators: the heading of `sitrep incident show`: "Incident 3: API returns 503s" */
    g_print (_("Incident %s: %s\n"), number, sitrep_incident_get_summary (incident));
  }
  g_print ("  %-18s %s\n", _("Severity:"), sitrep_incident_get_severity (incident));
  g_print ("  %-18s %s\n", _("Status:"),
           sitrep_incident_status_get_label (sitrep_incident_get_status (incident)));
  g_print ("  %-18s %s\n", _("Lead:"), sitrep_incident_get_lead (incident));
  g_print ("  %-18s %s\n", _("Impact:"), sitrep_incident_get_impact (incident));
  g_print ("  %-18s %s\n", _("Channel:"), sitrep_incident_get_channel (incident));
  g_print ("  %-18s %s\n", _("Declared:"), t_declared);
  g_print ("  %-18s %s (%s)\n", _("Acknowledged:"), t_ack, to_ack);
  g_print ("  %-18s %s (%s)\n", _("Mitigated:"), t_mit, to_mit);
  g_print ("  %-18s %s (%s)\n", _("Resolved:"), t_res, to_res);
  g_print ("  %-18s %s\n", _("Response due:"), response);
  g_print ("  %-18s %s%s\n", _("Next update due:"), update,
           sitrep_incident_get_update_overdue_at (incident) ? _(" (overdue)") : "");

  for (guint i = 0; i < phases->len; i++)
    {
      const SitrepChecklistPhase *phase = phases->pdata[i];
      SitrepClockState state = sitrep_incident_phase_state (incident, phase, now, NULL);

      g_print ("\n  %s [%s]\n", phase->title, clock_state_name (state));
      for (guint k = 0; k < phase->items->len; k++)
        {
          const SitrepChecklistItem *item = phase->items->pdata[k];
          const SitrepChecklistTick *tick = sitrep_incident_get_tick (incident, item->id);
          g_autofree char *when = tick && tick->done ? format_time (tick->done_at) : NULL;

          g_print ("    [%s] %s%s%s%s%s\n", tick && tick->done ? "x" : " ", item->text,
                   when ? " — " : "", when ? tick->done_by : "", when ? ", " : "",
                   when ? when : "");
        }
    }

  if (steps->len > 0)
    g_print ("\n  %s\n", _("Escalation"));
  for (guint i = 0; i < steps->len; i++)
    {
      const SitrepEscalationStatus *status = &g_array_index (steps, SitrepEscalationStatus, i);
      g_autofree char *due = format_time (status->due_at);

      g_print ("    %-22s %-11s %s\n", status->step->role, escalation_state_name (status->state),
               status->due_at ? due : "");
    }
}

/* sitrep incident list|show ID [--json] [--utc] [--database FILE] [--runbook FILE] */
int
sitrep_cli_incident (int    argc,
                     char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *runbook_path = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Read incidents from FILE instead of the default database"), N_("FILE") },
    { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, &runbook_path,
      N_("Count checklist items of the runbook in FILE instead of the built-in one"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "utc", 0, 0, G_OPTION_ARG_NONE, &use_utc, N_("Show times in UTC"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("list | show ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepStore) store = NULL;
  gint64 now = g_get_real_time ();

  g_option_context_set_summary (options,
                                _("list prints every incident, open ones first, with its "
                                  "severity, status, declaration time and checklist progress. "
                                  "show ID prints one incident: its times, clocks, checklist and "
                                  "escalation steps, in the runbook it was declared under."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;
  if (argc < 2 || (g_str_equal (argv[1], "list") && argc != 2)
      || (g_str_equal (argv[1], "show") && argc != 3)
      || (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "show")))
    {
      sitrep_cli_usage (options);
      return 2;
    }
  if (as_json && use_utc)
    {
      g_printerr (_("%s: --utc does not apply to --json, whose times are always UTC "
                    "(ISO 8601): leave out one of them.\n"),
                  g_get_prgname ());
      return 2;
    }

  runbook = sitrep_cli_load_runbook (runbook_path);
  if (runbook == NULL)
    return 2;
  store = sitrep_cli_open_store (database, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) incidents = sitrep_store_list_incidents (store, &error);

      if (incidents == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      if (as_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_array (builder);
          for (guint i = 0; i < incidents->len; i++)
            add_incident_json (builder, incidents->pdata[i], runbook, FALSE, now);
          json_builder_end_array (builder);
          print_json (builder);
        }
      else
        {
          print_list (incidents, runbook);
        }
    }
  else
    {
      gint64 id;
      g_autoptr(SitrepIncident) incident = NULL;

      if (!g_ascii_string_to_signed (argv[2], 10, 1, G_MAXINT64, &id, NULL))
        {
          g_printerr (_("\"%s\" is not an incident number: see sitrep incident list.\n"), argv[2]);
          return 2;
        }
      incident = sitrep_store_load_incident (store, id, &error);
      if (incident == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (as_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          add_incident_json (builder, incident, runbook, TRUE, now);
          print_json (builder);
        }
      else
        {
          print_show (incident, runbook, now);
        }
    }
  return 0;
}
