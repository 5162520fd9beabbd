/* sitrep-cli-incident.c: `sitrep incident list|show`: the incidents in the store, for scripts
 *
 * Each incident is shown with the runbook it was declared under, from the copy kept with it:
 * its severities, checklist, escalation and contacts, whatever runbook is open or given now.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sitrep-cli-incident-private.h"
#include "sitrep-cli-incident-write.h"
#include "sitrep-cli-common.h"
#include "sitrep-cli-output.h"
#include "sitrep-incident-status.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"

static gboolean use_utc = FALSE;

static char *
format_time (gint64 at)
{
  if (at == 0)
    return g_strdup ("–");
  return sitrep_cli_format_time (at, use_utc);
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

/* An incident with the runbook it is shown with (SitrepCliShown). */
static void
shown_free (SitrepCliShown *shown)
{
  g_clear_object (&shown->incident);
  g_clear_object (&shown->runbook);
  g_free (shown->why);
  g_free (shown->note);
  g_free (shown);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepCliShown, shown_free)

/* Which runbook @incident is shown with: its own copy, or @at_hand for one recorded before
 * copies were kept. */
static SitrepCliShown *
resolve (SitrepIncidentRunbooks *runbooks,
         SitrepIncident         *incident)
{
  SitrepRunbook *at_hand = sitrep_incident_runbooks_get_at_hand (runbooks);
  SitrepCliShown *shown = g_new0 (SitrepCliShown, 1);

  shown->incident = g_object_ref (incident);
  shown->runbook = g_object_ref (sitrep_incident_runbooks_lookup (runbooks, incident, &shown->kind,
                                                                  &shown->why));
  if (shown->kind != SITREP_INCIDENT_RUNBOOK_OWN)
    {
      g_autofree char *origin = sitrep_runbook_describe_origin (at_hand);

      /* Translators: "“CareCircle” as it is now (the built-in runbook), since incident 3 was
       * recorded before Sitrep kept the runbook of each incident" */
      shown->note = g_strdup_printf (_("“%s” as it is now (%s), since %s"),
                                     sitrep_runbook_get_name (at_hand), origin, shown->why);
    }
  return shown;
}

/* The refusal for an incident whose runbook is not at hand. */
static char *
describe_mismatch (SitrepCliShown *shown)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             sitrep_incident_get_id (shown->incident));
  g_autofree char *origin = sitrep_runbook_describe_origin (shown->runbook);
  const char *declared = sitrep_incident_get_runbook_name (shown->incident);

  /* Translators: "Incident 3 was declared under runbook “Northwind Freight”, and Sitrep has
   * no copy of it (…); the runbook here is “CareCircle” (the built-in runbook). Give
   * Northwind Freight's runbook with --runbook FILE." */
  return g_strdup_printf (_("Incident %s was declared under runbook “%s”, and Sitrep has no "
                            "usable copy of it (%s); the runbook here is “%s” (%s). Give %s's "
                            "runbook with --runbook FILE."),
                          number, declared, shown->why, sitrep_runbook_get_name (shown->runbook),
                          origin, declared);
}

static void
print_timeline (GPtrArray *events)
{
  if (events->len > 0)
    g_print ("\n  %s\n", _("Timeline"));
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];
      g_autofree char *author = sitrep_timeline_event_render_author (event);
      const char *annotation = sitrep_timeline_event_get_annotation (event);
      g_autofree char *at = format_time (sitrep_timeline_event_get_at (event));
      g_autofree char *text = sitrep_timeline_event_render (event, use_utc
                                                                     ? SITREP_TIMELINE_RENDER_UTC
                                                                     : SITREP_TIMELINE_RENDER_DEFAULT);

      g_print ("    %s  %s%s%s%s%s\n", at, text,
               sitrep_timeline_event_get_edited (event) ? " " : "",
               sitrep_timeline_event_get_edited (event) ? _("(edited)") : "",
               *author ? " — " : "", author);
      if (annotation != NULL)
        /* Translators: an annotation of a recorded event, under its text */
        g_print (_("        Annotation: %s\n"), annotation);
    }
}

static void
print_list (GPtrArray *shown_list)
{
  if (shown_list->len == 0)
    {
      g_print ("%s\n", _("No incidents."));
      return;
    }
  for (guint i = 0; i < shown_list->len; i++)
    {
      SitrepCliShown *shown = shown_list->pdata[i];
      SitrepIncident *incident = shown->incident;
      g_autofree char *declared = format_time (sitrep_incident_get_declared_at (incident));
      g_autofree char *progress = NULL;
      guint total = 0;
      guint done = sitrep_incident_count_done (incident, shown->runbook, &total);

      /* Another runbook's checklist would count the wrong items. */
      if (shown->kind == SITREP_INCIDENT_RUNBOOK_MISMATCH)
        progress = g_strdup ("–/–");
      else
        progress = g_strdup_printf ("%u/%u", done, total);
      g_print ("%-5" G_GINT64_FORMAT " %-6s %-14s %s  %s  %s%s\n",
               sitrep_incident_get_id (incident), sitrep_incident_get_severity (incident),
               sitrep_incident_get_status_label (incident, shown->runbook), declared,
               progress,
               /* Translators: before the summary of an incident declared in a drill */
               sitrep_incident_get_drill (incident) ? _("[Drill] ") : "",
               sitrep_incident_get_summary (incident));
    }
}

static void
print_runbook (SitrepCliShown *shown)
{
  g_autofree char *text = NULL;

  if (shown->kind == SITREP_INCIDENT_RUNBOOK_OWN)
    /* Translators: `sitrep incident show`, "Northwind Freight, as declared (from
     * /srv/runbooks/northwind.json)" */
    text = g_strdup_printf (_("%s, as declared (from %s)"), sitrep_runbook_get_name (shown->runbook),
                            sitrep_runbook_get_source (shown->runbook));
  else
    text = g_strdup (shown->note);
  g_print ("  %-18s %s\n", _("Runbook:"), text);
}

static void
print_checklist (SitrepCliShown *shown,
                 gint64          now)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (shown->runbook);

  for (guint i = 0; i < phases->len; i++)
    {
      const SitrepChecklistPhase *phase = phases->pdata[i];
      SitrepClockState state = sitrep_incident_phase_state (shown->incident, phase, now, NULL);
      gint64 starts_at = sitrep_incident_phase_starts_at (shown->incident, phase);

      if (!sitrep_incident_phase_applies (shown->incident, phase))
        continue;
      if (state == SITREP_CLOCK_NOT_STARTED && starts_at != 0)
        {
          g_autofree char *at = format_time (starts_at);

          /* Translators: a checklist phase in `sitrep incident show`: "Stabilise
           * [not-started, starts 2025-11-28 03:30:00 UTC]" */
          g_print (_("\n  %s [%s, starts %s]\n"), phase->title,
                   sitrep_cli_clock_state_name (state), at);
        }
      else
        {
          g_print ("\n  %s [%s]\n", phase->title, sitrep_cli_clock_state_name (state));
        }
      for (guint k = 0; k < phase->items->len; k++)
        {
          const SitrepChecklistItem *item = phase->items->pdata[k];
          const SitrepChecklistTick *tick = sitrep_incident_get_tick (shown->incident, item->id);
          g_autofree char *when = tick && tick->done ? format_time (tick->done_at) : NULL;
          const SitrepLink *link = item->opens == SITREP_OPENS_LINK
                                     ? sitrep_runbook_find_link (shown->runbook, item->opens_ref)
                                     : NULL;

          if (!sitrep_incident_item_applies (shown->incident, item))
            continue;
          g_print ("    [%s] %s%s%s%s%s\n", tick && tick->done ? "x" : " ", item->text,
                   when ? " — " : "", when ? tick->done_by : "", when ? ", " : "",
                   when ? when : "");
          if (link != NULL)
            g_print ("        → %s: %s%s%s\n", link->label,
                     link->url ? link->url : _("no URL set"), link->note ? " — " : "",
                     link->note ? link->note : "");
        }
    }
}

static void
print_show (SitrepCliShown *shown,
            GPtrArray      *events,
            gint64          now)
{
  SitrepIncident *incident = shown->incident;
  SitrepRunbook *runbook = shown->runbook;
  g_autoptr(GArray) steps = sitrep_incident_escalation (incident, runbook, now);
  GPtrArray *contacts = sitrep_runbook_get_contacts (runbook);
  const SitrepSeverity *severity = sitrep_runbook_find_severity (runbook,
                                                                 sitrep_incident_get_severity (incident));
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
  print_runbook (shown);
  if (severity != NULL)
    g_print ("  %-18s %s · %s\n", _("Severity:"), severity->id, severity->label);
  else
    g_print ("  %-18s %s\n", _("Severity:"), sitrep_incident_get_severity (incident));
  g_print ("  %-18s %s\n", _("Status:"),
           sitrep_incident_get_status_label (incident, shown->runbook));
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

  print_checklist (shown, now);

  if (steps->len > 0)
    g_print ("\n  %s\n", _("Escalation"));
  for (guint i = 0; i < steps->len; i++)
    {
      const SitrepEscalationStatus *status = &g_array_index (steps, SitrepEscalationStatus, i);
      const SitrepContact *contact = sitrep_runbook_find_contact (runbook, status->step->contact);
      g_autofree char *due = format_time (status->due_at);

      g_print ("    %-22s %-11s %s\n", status->step->role,
               sitrep_cli_escalation_state_name (status->state), status->due_at ? due : "");
      if (contact != NULL)
        /* Translators: under an escalation step, "@nw-duty — call when: customs holds" */
        g_print (_("        %s%s%s\n"), contact->handle ? contact->handle : contact->role,
                 contact->when ? _(" — when to call: ") : "", contact->when ? contact->when : "");
    }

  if (contacts->len > 0)
    g_print ("\n  %s\n", _("Contacts"));
  for (guint i = 0; i < contacts->len; i++)
    {
      const SitrepContact *contact = contacts->pdata[i];

      if (contact->when != NULL)
        g_print ("    %-22s %-14s %s\n", contact->role, contact->handle ? contact->handle : "",
                 contact->when);
      else
        g_print ("    %-22s %s\n", contact->role, contact->handle ? contact->handle : "");
    }

  print_timeline (events);
}

/* sitrep incident list|show ID [--json] [--utc] [--database FILE] [--runbook FILE] */
/* Where the verb is: the first word that is neither an option nor the value of one of the
 * options taking a value (-d/--database, -r/--runbook), or -1. */
static int
find_verb (int    argc,
           char **argv)
{
  static const char *const with_value[] = { "-d", "--database", "-r", "--runbook" };

  for (int i = 1; i < argc; i++)
    {
      gboolean takes_value = FALSE;

      if (g_str_equal (argv[i], "--"))
        return i + 1 < argc ? i + 1 : -1;
      if (argv[i][0] != '-')
        return i;
      for (guint k = 0; k < G_N_ELEMENTS (with_value); k++)
        takes_value |= g_str_equal (argv[i], with_value[k]);
      if (takes_value)
        i++;
    }
  return -1;
}

int
sitrep_cli_incident (int    argc,
                     char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *runbook_path = NULL;
  gboolean as_json = FALSE;
  gboolean drills = FALSE;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Read incidents from the database file FILE, or the team database at "
         "postgresql://…, instead of the default database"),
      N_("FILE|ADDRESS") },
    { "runbook", 'r', 0, G_OPTION_ARG_FILENAME, &runbook_path,
      N_("For incidents recorded before Sitrep kept each incident's runbook: show them with "
         "the runbook in FILE instead of the built-in one"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "utc", 0, 0, G_OPTION_ARG_NONE, &use_utc, N_("Show times in UTC"), NULL },
    { "drills", 0, 0, G_OPTION_ARG_NONE, &drills,
      N_("List the incidents declared in drills too (practice, kept out of the list)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (
    _("list | show ID | declare | note ID TEXT | status ID STATUS | resolve ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepIncidentRunbooks) runbooks = NULL;
  SitrepRunbook *at_hand;
  SitrepStore *store;
  g_autoptr(GPtrArray) shown_list = g_ptr_array_new_with_free_func ((GDestroyNotify) shown_free);
  g_autoptr(GPtrArray) incidents = NULL;
  gboolean at_hand_used = FALSE;
  gint64 now = g_get_real_time ();

  /* The verbs that write have options of their own: hand them the command line with the verb
   * first, wherever it was typed ("sitrep incident --database F declare …"). */
  {
    int verb = find_verb (argc, argv);

    if (verb > 0 && sitrep_cli_incident_is_write_verb (argv[verb]))
      {
        char *word = argv[verb];

        memmove (&argv[2], &argv[1], (verb - 1) * sizeof (char *));
        argv[1] = word;
        return sitrep_cli_incident_write (argc, argv);
      }
  }

  g_option_context_set_summary (options,
                                _("list prints every incident, open ones first, with its "
                                  "severity, status, declaration time and checklist progress. "
                                  "show ID prints one incident: its times, clocks, checklist, "
                                  "escalation steps and timeline, in the runbook it was declared "
                                  "under.\n\n"
                                  "declare --severity ID --title TEXT declares an incident and "
                                  "prints its number; note ID TEXT adds a note to its timeline; "
                                  "status ID STATUS sets its status; resolve ID resolves it. "
                                  "Each has --help: sitrep incident declare --help."));
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

  session = sitrep_cli_open_session (runbook_path, database);
  if (session == NULL)
    return 2;
  at_hand = sitrep_session_get_runbook (session);
  store = sitrep_session_get_store (session);
  runbooks = sitrep_incident_runbooks_new (store, at_hand);

  if (g_str_equal (argv[1], "list"))
    {
      incidents = sitrep_store_list_incidents (store, &error);
      if (incidents == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      /* Practice is not history: drills only when asked for. */
      for (guint i = incidents->len; !drills && i > 0; i--)
        if (sitrep_incident_get_drill (incidents->pdata[i - 1]))
          g_ptr_array_remove_index (incidents, i - 1);
    }
  else
    {
      gint64 id;
      SitrepIncident *incident;

      if (!sitrep_cli_parse_incident_id (argv[2], &id))
        return 2;
      incident = sitrep_store_load_incident (store, id, &error);
      if (incident == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      incidents = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (incidents, incident);
    }

  for (guint i = 0; i < incidents->len; i++)
    {
      SitrepCliShown *shown = resolve (runbooks, incidents->pdata[i]);

      /* The very runbook an incident was declared under is no other one. */
      at_hand_used |= shown->kind != SITREP_INCIDENT_RUNBOOK_OWN || shown->runbook == at_hand;
      g_ptr_array_add (shown_list, shown);
    }
  /* --runbook is for incidents that carry no runbook of their own: given for none, it would
   * silently change nothing. */
  if (runbook_path != NULL && !at_hand_used && incidents->len > 0)
    {
      g_printerr (_("%s: --runbook does not apply: every incident shown carries the runbook it "
                    "was declared under. Leave out --runbook.\n"),
                  g_get_prgname ());
      return 2;
    }

  if (g_str_equal (argv[1], "show"))
    {
      SitrepCliShown *shown = shown_list->pdata[0];
      g_autoptr(GPtrArray) events = NULL;

      if (shown->kind == SITREP_INCIDENT_RUNBOOK_MISMATCH)
        {
          g_autofree char *message = describe_mismatch (shown);

          g_printerr ("%s\n", message);
          return 1;
        }
      events = sitrep_store_list_events (store, sitrep_incident_get_id (shown->incident),
                                         SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
      if (events == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      if (as_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          sitrep_cli_incident_add_json (builder, shown, events, now);
          sitrep_cli_print_json (builder);
        }
      else
        {
          print_show (shown, events, now);
        }
      return 0;
    }

  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < shown_list->len; i++)
        sitrep_cli_incident_add_json (builder, shown_list->pdata[i], NULL, now);
      json_builder_end_array (builder);
      sitrep_cli_print_json (builder);
    }
  else
    {
      print_list (shown_list);
    }
  return 0;
}

/**
 * sitrep_cli_incident_runbook:
 * @at_hand: the runbook --runbook gave, or the built-in one
 * @given: whether --runbook was given
 *
 * For a verb about one incident (export): the runbook it was declared under, or @at_hand for
 * an incident recorded before Sitrep kept each incident's runbook. Prints on stderr what is
 * wrong, or a note when @at_hand is used.
 *
 * Returns: (transfer full): the runbook, or %NULL with *@status the exit status
 */
SitrepRunbook *
sitrep_cli_incident_runbook (SitrepStore    *store,
                             SitrepIncident *incident,
                             SitrepRunbook  *at_hand,
                             gboolean        given,
                             int            *status)
{
  g_autoptr(SitrepIncidentRunbooks) runbooks = sitrep_incident_runbooks_new (store, at_hand);
  g_autoptr(SitrepCliShown) shown = resolve (runbooks, incident);

  if (shown->kind == SITREP_INCIDENT_RUNBOOK_MISMATCH)
    {
      g_autofree char *message = describe_mismatch (shown);

      g_printerr ("%s\n", message);
      *status = 1;
      return NULL;
    }
  if (shown->kind == SITREP_INCIDENT_RUNBOOK_OWN && given && shown->runbook != at_hand)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 sitrep_incident_get_id (incident));

      g_printerr (_("%s: --runbook does not apply: incident %s carries the runbook it was "
                    "declared under (“%s”). Leave out --runbook.\n"),
                  g_get_prgname (), number, sitrep_runbook_get_name (shown->runbook));
      *status = 2;
      return NULL;
    }
  if (shown->note != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 sitrep_incident_get_id (incident));

      /* Translators: "Note: incident 3 uses “CareCircle” as it is now (…), since …" */
      g_printerr (_("Note: incident %s uses %s.\n"), number, shown->note);
    }
  return g_steal_pointer (&shown->runbook);
}