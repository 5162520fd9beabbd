/* test-incident-view.c: the Incident view under a real display, driven as a commander would */
#include "config.h"

#include <adwaita.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "lock-test-util.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-timeline.h"
#include "sitrep-incident-manager.h"
#include "sitrep-incident-status.h"
#include "sitrep-incident-view-private.h"
#include "ui-fixture.h"
#include "ui-test-util.h"
#include "sitrep-store-testing.h"

#define MINUTE G_GINT64_CONSTANT (60000000)

typedef struct
{
  UiFixture ui;
  SitrepIncidentView *view;
  guint declare_requests;
  char *opened_action;
  char *opened_service;
} Fixture;

static void
declare_requested_cb (SitrepIncidentView *view,
                      Fixture            *f)
{
  f->declare_requests++;
}

static void
open_action_cb (SitrepIncidentView *view,
                const char         *action_id,
                const char         *service_id,
                Fixture            *f)
{
  g_free (f->opened_action);
  f->opened_action = g_strdup_printf ("%s on %s", action_id, service_id);
}

/* CareCircle with no incident yet, the manager started, and the view on screen. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const UiFixtureOptions options = { .window_width = 1000, .window_height = 800 };

  ui_fixture_set_up (&f->ui, &options);
  sitrep_incident_manager_start (f->ui.manager);
  f->view = SITREP_INCIDENT_VIEW (sitrep_incident_view_new ());
  sitrep_incident_view_set_utc (f->view, TRUE);
  sitrep_incident_view_set_author (f->view, "alice");
  g_signal_connect (f->view, "declare-requested", G_CALLBACK (declare_requested_cb), f);
  g_signal_connect (f->view, "open-action", G_CALLBACK (open_action_cb), f);
  ui_fixture_show (&f->ui, GTK_WIDGET (f->view));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ui_fixture_tear_down (&f->ui);
  g_free (f->opened_action);
  g_free (f->opened_service);
}

static void
spin (void)
{
  for (guint i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static char *
text_of (Fixture *f)
{
  spin ();
  return sitrep_incident_view_get_text (f->view);
}

static void
assert_shows (Fixture    *f,
              const char *expected)
{
  g_autofree char *text = text_of (f);

  if (strstr (text, expected) == NULL)
    g_error ("the view does not show “%s”; it shows:\n%s", expected, text);
}

static void
assert_hides (Fixture    *f,
              const char *unexpected)
{
  g_autofree char *text = text_of (f);

  if (strstr (text, unexpected) != NULL)
    g_error ("the view shows “%s”; it shows:\n%s", unexpected, text);
}

static void
advance_to (Fixture *f,
            gint64   minutes)
{
  sitrep_clock_set (f->ui.clock, f->ui.t0 + minutes * MINUTE);
  spin ();
}

static gint64
declare (Fixture    *f,
         const char *severity,
         const char *summary)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_incident_manager_declare (f->ui.manager, severity, summary,
                                               "Patients cannot log in", "alice", NULL, NULL,
                                               &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *text = NULL;

  /* Without a manager, and with one that holds nothing: the empty state, no list. */
  g_assert_cmpstr (sitrep_incident_view_get_page (f->view), ==, "empty");
  sitrep_incident_view_set_manager (f->view, f->ui.manager);
  text = text_of (f);
  g_assert_cmpstr (sitrep_incident_view_get_page (f->view), ==, "empty");
  g_assert_nonnull (strstr (text, "No Incident"));
  g_assert_null (strstr (text, "Past Incidents"));

  g_assert_cmpuint (f->declare_requests, ==, 0);
  g_assert_true (sitrep_incident_view_request_declare (f->view));
  g_assert_cmpuint (f->declare_requests, ==, 1);
}

static void
test_commander (Fixture       *f,
                gconstpointer  data)
{
  SitrepIncident *incident;
  const SitrepChecklistTick *tick;
  gint64 id;

  sitrep_incident_view_set_manager (f->view, f->ui.manager);
  id = declare (f, "SEV-1", "API returns 503s");
  g_assert_cmpstr (sitrep_incident_view_get_page (f->view), ==, "incident");
  assert_shows (f, "API returns 503s\n");
  assert_shows (f, "Severity: SEV-1 · Critical\n");
  assert_shows (f, "Status: Investigating\n");
  assert_shows (f, "Channel: #incident-2026-11-28-api-returns-503s\n");
  assert_shows (f, "Response Target: 15:00 left\n");
  assert_shows (f, "Next update due 03:35 UTC (in 15 min)\n");
  assert_shows (f, "Time to Acknowledge: 00:00 so far\n");
  assert_shows (f, "Post-Incident · starts at resolution\n");
  /* The on-call engineer "at once" is part of declaring: no banner at the moment of declaring. */
  assert_hides (f, "Escalate to");
  g_assert_false (sitrep_incident_view_answer_escalation (f->view, TRUE));
  assert_shows (f, "On-call engineer (@oncall · Immediate · When to call: First responder) — at once\n");
  assert_shows (f, "Team lead (@teamlead · Within 15 min if unresolved · When to call: SEV-1/2, escalation) — in 15:00 if unresolved\n");

  /* Four minutes in: the clocks count down. */
  advance_to (f, 4);
  assert_shows (f, "Response Target: 11:00 left\n");
  assert_shows (f, "Acknowledge & Assess · due in 1 min\n");
  assert_shows (f, "Time to Acknowledge: 04:00 so far\n");
  assert_shows (f, "Team lead (@teamlead · Within 15 min if unresolved · When to call: SEV-1/2, escalation) — in 11:00 if unresolved\n");

  /* Ticks go through the view to the store, with who and when. */
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "determine-severity", TRUE));
  advance_to (f, 5);
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "create-channel", TRUE));
  assert_shows (f, "[x] Determine severity level — alice, 03:24 UTC\n");
  assert_shows (f, "[x] Create incident channel: #incident-YYYY-MM-DD-brief-description — alice, 03:25 UTC\n");
  assert_shows (f, "[ ] Post initial status update\n");
  assert_shows (f, "Response Target: met\n");
  assert_shows (f, "Time to Acknowledge: 04:00\n");
  incident = sitrep_incident_manager_get_current (f->ui.manager);
  tick = sitrep_incident_get_tick (incident, "determine-severity");
  g_assert_nonnull (tick);
  g_assert_true (tick->done);
  g_assert_cmpstr (tick->done_by, ==, "alice");
  g_assert_cmpint (tick->done_at, ==, f->ui.t0 + 4 * MINUTE);
  g_assert_null (sitrep_incident_get_tick (incident, "initial-status"));

  /* Unticking is a change too. */
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "create-channel", FALSE));
  assert_shows (f, "[ ] Create incident channel: #incident-YYYY-MM-DD-brief-description\n");
  tick = sitrep_incident_get_tick (sitrep_incident_manager_get_current (f->ui.manager),
                                   "create-channel");
  g_assert_true (tick == NULL || !tick->done);

  /* An action item asks the window to open the action. */
  g_assert_true (sitrep_incident_view_open_item (f->view, "fix-or-rollback"));
  g_assert_cmpstr (f->opened_action, ==, "rollback on api");
  /* A link the runbook leaves without a URL cannot be pressed. */
  g_assert_false (sitrep_incident_view_open_item (f->view, "ack-monitoring"));
  /* The channel item copies the name. */
  g_assert_true (sitrep_incident_view_open_item (f->view, "create-channel"));
  g_assert_cmpstr (sitrep_incident_view_get_last_toast (f->view), ==, "Channel name copied");

  /* Status and severity through the header. */
  g_assert_true (sitrep_incident_view_select_status (f->view, SITREP_STATUS_IDENTIFIED));
  assert_shows (f, "Status: Identified\n");
  g_assert_cmpint (sitrep_incident_get_status (sitrep_incident_manager_get_current (f->ui.manager)),
                   ==, SITREP_STATUS_IDENTIFIED);
  g_assert_true (sitrep_incident_view_select_severity (f->view, "SEV-2"));
  assert_shows (f, "Severity: SEV-2 · Major\n");
  g_assert_cmpstr (sitrep_incident_get_severity (
                     sitrep_incident_manager_get_current (f->ui.manager)), ==, "SEV-2");
  /* SEV-2 updates every 30 min, and has no CTO step. */
  assert_shows (f, "Next update due 03:50 UTC (in 25 min)\n");
  assert_hides (f, "CTO");

  /* Fifteen minutes: the team lead falls due. */
  g_assert_false (sitrep_incident_view_answer_escalation (f->view, TRUE));
  advance_to (f, 15);
  assert_shows (f, "Escalate to Team lead\n@teamlead · due since 03:35 UTC\n");
  assert_shows (f, "@teamlead: SEV-2 incident unresolved for 15 min: API returns 503s. "
                   "Channel: #incident-2026-11-28-api-returns-503s. Please join.\n");
  assert_shows (f, "Team lead (@teamlead · Within 15 min if unresolved · When to call: SEV-1/2, escalation) — due\n");
  advance_to (f, 16);
  g_assert_true (sitrep_incident_view_answer_escalation (f->view, TRUE));
  assert_hides (f, "Escalate to");
  assert_shows (f, "Team lead (@teamlead · Within 15 min if unresolved · When to call: SEV-1/2, escalation) — escalated 03:36 UTC\n");

  /* The update cadence: overdue at 30 min, reset by "Mark Update Sent". */
  advance_to (f, 31);
  assert_shows (f, "Update overdue since 03:50 UTC\n");
  g_assert_true (sitrep_incident_view_mark_update_sent (f->view));
  assert_shows (f, "Next update due 04:21 UTC (in 30 min)\n");
  assert_hides (f, "overdue since");
  g_assert_cmpint (sitrep_incident_get_last_update_at (
                     sitrep_incident_manager_get_current (f->ui.manager)), ==,
                   f->ui.t0 + 31 * MINUTE);

  /* The manager escalation at 30 min was answered "not needed" from the banner. */
  assert_shows (f, "Escalate to Engineering manager\n");
  g_assert_true (sitrep_incident_view_answer_escalation (f->view, FALSE));
  assert_shows (f, "Engineering manager (@manager · Within 30 min if unresolved · When to call: Extended SEV-1) — not needed\n");

  /* Resolution: the post-incident phases start, the clocks stop. */
  advance_to (f, 40);
  g_assert_true (sitrep_incident_view_select_status (f->view, SITREP_STATUS_RESOLVED));
  assert_shows (f, "Status: Resolved\n");
  assert_shows (f, "Post-Incident · due in 24 h\n");
  assert_shows (f, "Post-Mortem · due in 48 h\n");
  assert_shows (f, "Time to Resolve: 40:00\n");
  assert_shows (f, "No updates due: the incident is resolved\n");
  assert_shows (f, "Acknowledge & Assess · 1 of 4 done\n");
  g_assert_false (sitrep_incident_view_mark_update_sent (f->view));
  advance_to (f, 100);
  assert_shows (f, "Time to Resolve: 40:00\n");
  assert_shows (f, "Post-Incident · due in 23 h\n");
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (f->ui.manager)), ==,
                   id);
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SitrepIncidentManager) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  sitrep_incident_view_set_manager (f->view, f->ui.manager);
  id = declare (f, "SEV-3", "Queue backlog growing");
  assert_shows (f, "Team lead (@teamlead · If needed · When to call: SEV-1/2, escalation) — if needed\n");

  /* Another window changes the incident: this one's change is refused and says why. */
  other = sitrep_incident_manager_new (f->ui.store, f->ui.runbook, f->ui.clock, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_manager_set_status (other, id, SITREP_STATUS_MONITORING, "bob",
                                                     &error));
  g_assert_no_error (error);
  g_assert_null (sitrep_incident_view_get_last_toast (f->view));
  g_assert_true (sitrep_incident_view_select_severity (f->view, "SEV-2"));
  assert_shows (f, "Status: Monitoring\n");
  g_assert_nonnull (strstr (sitrep_incident_view_get_last_toast (f->view), "changed elsewhere"));
  /* The screen shows what is stored, not what was asked. */
  assert_shows (f, "Severity: SEV-3 · Minor\n");
  g_assert_cmpstr (sitrep_incident_get_severity (
                     sitrep_incident_manager_get_current (f->ui.manager)), ==, "SEV-3");
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  gint64 first;
  gint64 second;

  sitrep_incident_view_set_manager (f->view, f->ui.manager);
  first = declare (f, "SEV-3", "Slow search");
  advance_to (f, 2);
  second = declare (f, "SEV-1", "Database down");
  assert_shows (f, "Database down\n");

  /* Picking the older one in the list makes it current. */
  g_assert_true (sitrep_incident_view_select_incident (f->view, first));
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (f->ui.manager)), ==,
                   first);
  assert_shows (f, "Slow search\n");
  assert_shows (f, "Severity: SEV-3 · Minor\n");
  g_assert_true (sitrep_incident_view_select_incident (f->view, second));
  assert_shows (f, "Severity: SEV-1 · Critical\n");

  /* With no current incident, the empty state lists both. */
  sitrep_incident_manager_set_current (f->ui.manager, -1);
  g_assert_cmpstr (sitrep_incident_view_get_page (f->view), ==, "empty");
  assert_shows (f, "No Incident\nIncidents\n");
  assert_shows (f, "Slow search — SEV-3 · Investigating · Nov 28, 03:20 UTC\n");
  g_assert_true (sitrep_incident_view_select_incident (f->view, second));
  g_assert_cmpstr (sitrep_incident_view_get_page (f->view), ==, "incident");

  /* Local time instead of UTC: no UTC suffix anywhere. */
  sitrep_incident_view_set_utc (f->view, FALSE);
  assert_hides (f, " UTC");
}

/* Replaces the fixture's CareCircle by @runbook, with a manager of its own over the same
 * store, and shows it. */
static void
use_runbook (Fixture       *f,
             SitrepRunbook *runbook)
{
  g_autoptr(GError) error = NULL;

  sitrep_incident_view_set_manager (f->view, NULL);
  g_clear_object (&f->ui.manager);
  g_set_object (&f->ui.runbook, runbook);
  f->ui.manager = sitrep_incident_manager_new (f->ui.store, f->ui.runbook, f->ui.clock, &error);
  g_assert_no_error (error);
  sitrep_incident_manager_start (f->ui.manager);
  sitrep_incident_view_set_manager (f->view, f->ui.manager);
}

/* A drill's incident is practice: the list leaves it out until asked for, except in a drill,
 * and Sitrep never opens on it as the current incident outside one. */
static void
test_drills (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SitrepRunbook) drill = fixture_runbook_load_drill ("2026-11-28T03:00:00Z");
  g_autoptr(GError) error = NULL;
  const char *services[] = { "gateway", NULL };
  gint64 real, practice;

  sitrep_incident_view_set_manager (f->view, f->ui.manager);
  real = declare (f, "SEV-2", "Database down");
  advance_to (f, 2);
  /* Declared in a drill (another Sitrep, the same database), and still open. */
  practice = fixture_declare_incident (f->ui.store, drill, "P1", "Practice: labels do not print",
                                       NULL, "alice", NULL, services, f->ui.t0 + 2 * MINUTE,
                                       &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_manager_reload (f->ui.manager, practice, &error));
  g_assert_no_error (error);
  sitrep_incident_manager_set_current (f->ui.manager, -1);
  assert_shows (f, "Database down — SEV-2");
  assert_hides (f, "Practice");
  g_assert_false (sitrep_incident_view_select_incident (f->view, practice));

  /* Asked for ("Show Drill Incidents"), then put away again. */
  sitrep_incident_manager_set_show_drills (f->ui.manager, TRUE);
  assert_shows (f, "Practice: labels do not print — P1");
  assert_shows (f, "Database down — SEV-2");
  g_assert_true (sitrep_incident_view_select_incident (f->view, practice));
  assert_shows (f, "Practice: labels do not print\n");
  sitrep_incident_manager_set_current (f->ui.manager, -1);
  sitrep_incident_manager_set_show_drills (f->ui.manager, FALSE);
  assert_hides (f, "Practice");
  assert_shows (f, "Database down — SEV-2");

  /* Sitrep starts again on the production runbook: the newest open incident is the drill's,
   * but the one it opens on is the real one. */
  use_runbook (f, f->ui.runbook);
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (f->ui.manager)), ==,
                   real);
  sitrep_incident_manager_set_current (f->ui.manager, -1);
  assert_hides (f, "Practice");

  /* In the drill itself, its incidents are the point. */
  use_runbook (f, drill);
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (f->ui.manager)), ==,
                   practice);
  sitrep_incident_manager_set_current (f->ui.manager, -1);
  assert_shows (f, "Practice: labels do not print — P1");
}

/* The runbook's documented fields, where a commander looks: the reminder under the summary, a
 * contact's "when" with its escalation step, a link's note with the item that opens it, and a
 * phase's "starts" on its clock. */
static void
test_documented_fields (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);

  use_runbook (f, northwind);
  declare (f, "P1", "Labels stopped printing");
  assert_shows (f, "Labels stopped printing\nPatients cannot log in\n"
                   "Freight first: say what ships and what waits.\n");
  assert_shows (f, "Duty manager (@nw-duty · When to call: Depot-wide stoppages) — in 20:00 if "
                   "unresolved\n");
  assert_shows (f, "Primary on duty (@nw-primary) — at once\n");
  assert_shows (f, "[ ] Look at Grafana — Use the Freight board\n");
  assert_shows (f, "Triage · due in 10 min\n");
  assert_shows (f, "Stabilise · starts in 12:00\n");

  advance_to (f, 5);
  assert_shows (f, "Stabilise · starts in 07:00\n");
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "look-grafana", TRUE));
  assert_shows (f, "[x] Look at Grafana — alice, 03:25 UTC\n");

  /* From its start the phase runs: Stabilise has no "due", so it is ongoing. */
  advance_to (f, 12);
  assert_shows (f, "Stabilise · ongoing\n");
  assert_hides (f, "starts in");
}

/* An incident declared under another runbook is run by that one in the console: its
 * severities, checklist, escalation and reminder, with a note saying so; the open runbook's
 * own incidents keep theirs. */
static void
test_other_runbook (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *northwind_path = fixture_runbook_write (NULL);
  g_autoptr(GFile) file = g_file_new_for_path (northwind_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) northwind = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_autoptr(SitrepRunbook) carecircle = g_object_ref (f->ui.runbook);
  g_autofree char *note = NULL;
  gint64 nw_id, cc_id, legacy_id;

  g_assert_no_error (error);
  /* Declared while Northwind was open… */
  nw_id = fixture_declare_incident (f->ui.store, northwind, "P1", "Labels stopped printing",
                                    "Every depot", "dana", NULL, NULL, f->ui.t0, &error);
  g_assert_no_error (error);
  /* …and one an older Sitrep recorded, which kept no runbook. */
  legacy_id = sitrep_store_insert_incident (f->ui.store, "Northwind Freight", "P2", "Old incident",
                                            f->ui.t0 - 60 * MINUTE, &error);
  g_assert_no_error (error);
  /* Now CareCircle is open. */
  use_runbook (f, carecircle);
  cc_id = declare (f, "SEV-2", "API returns 503s");
  assert_shows (f, "Severity: SEV-2 · Major\n");
  assert_hides (f, "Declared under");

  g_assert_true (sitrep_incident_view_select_incident (f->view, nw_id));
  note = g_strdup_printf ("Declared under the runbook “Northwind Freight” (%s) as it was then, not "
                          "the one open now: its severities, checklist, escalation and messages "
                          "are shown here. Its commands run only with that runbook open.\n",
                          northwind_path);
  assert_shows (f, note);
  assert_shows (f, "Labels stopped printing\nEvery depot\n"
                   "Freight first: say what ships and what waits.\n");
  assert_shows (f, "Severity: P1 · Urgent\n");
  assert_shows (f, "Triage · due in 10 min\n[ ] Open the incident room\n");
  assert_shows (f, "Primary on duty (@nw-primary) — at once\n");
  assert_hides (f, "Acknowledge & Assess");
  assert_hides (f, "Stay calm");
  assert_hides (f, "Team lead");

  /* Its messages are its own; its commands belong to a runbook that is not open. */
  g_assert_true (sitrep_incident_view_open_item (f->view, "first-word"));
  g_assert_cmpstr (sitrep_incident_view_get_last_toast (f->view), ==, "Copied");
  g_assert_false (sitrep_incident_view_open_item (f->view, "undo-gateway"));
  g_assert_null (f->opened_action);

  /* It is changed by its own runbook's rules: P2 exists there, SEV-1 does not. */
  g_assert_true (sitrep_incident_view_select_severity (f->view, "P2"));
  assert_shows (f, "Severity: P2 · High\n");
  g_assert_cmpstr (sitrep_incident_get_severity (
                     sitrep_incident_manager_find (f->ui.manager, nw_id)), ==, "P2");
  g_assert_false (sitrep_incident_view_select_severity (f->view, "SEV-1"));
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "open-room", TRUE));
  assert_shows (f, "[x] Open the incident room — alice, 03:20 UTC\n");

  /* Its clocks are Northwind's: the duty manager at 20 min, no CareCircle team lead at 15. */
  advance_to (f, 16);
  g_assert_true (sitrep_incident_view_select_incident (f->view, nw_id));
  assert_hides (f, "Escalate to Team lead");
  advance_to (f, 20);
  g_assert_true (sitrep_incident_view_select_incident (f->view, nw_id));
  assert_shows (f, "Duty manager (@nw-duty · When to call: Depot-wide stoppages) — due\n");

  /* The older incident says what it is shown with. */
  g_assert_true (sitrep_incident_view_select_incident (f->view, legacy_id));
  g_clear_pointer (&note, g_free);
  note = g_strdup_printf ("Declared under the runbook “Northwind Freight”, but shown with "
                          "“CareCircle”, the one open now, since incident %" G_GINT64_FORMAT
                          " was recorded before Sitrep kept the runbook of each incident: its "
                          "severities and checklist may not be the ones it was run by.\n",
                          legacy_id);
  assert_shows (f, note);

  /* Back to CareCircle's own incident: CareCircle's checklist, no note. */
  g_assert_true (sitrep_incident_view_select_incident (f->view, cc_id));
  assert_shows (f, "Severity: SEV-2 · Major\n");
  assert_shows (f, "Acknowledge & Assess · ");
  assert_shows (f, "Stay calm, communicate frequently, and document everything.\n");
  assert_hides (f, "Declared under");
  assert_hides (f, "Triage");
}


/* A runbook with its own statuses (format 2): the view offers them in its words instead of the
 * four, a choice there moves the incident, and the incident list says the runbook's word. */
static void
test_own_statuses (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) v2 = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) own = NULL;
  g_autoptr(SitrepRunbook) carecircle = g_object_ref (f->ui.runbook);
  SitrepIncident *incident;
  gint64 id;

  g_string_replace (v2, "\"sitrep_runbook\": 1,", "\"sitrep_runbook\": 2, \"statuses\": ["
                    " { \"id\": \"triage\", \"label\": \"Triage\" },"
                    " { \"id\": \"fix-deployed\", \"label\": \"Fix deployed\", \"mitigated\": true },"
                    " { \"id\": \"closed\", \"label\": \"Closed\", \"resolves\": true } ],", 1);
  bytes = g_bytes_new (v2->str, v2->len);
  own = sitrep_runbook_load_bytes (bytes, "own.json", NULL, &error);
  g_assert_no_error (error);
  use_runbook (f, own);
  id = declare (f, "P1", "Labels stopped printing");
  assert_shows (f, "Status: Triage\n");
  assert_hides (f, "Investigating");

  g_assert_false (sitrep_incident_view_select_status_label (f->view, "Monitoring"));
  g_assert_true (sitrep_incident_view_select_status_label (f->view, "Fix deployed"));
  assert_shows (f, "Status: Fix deployed\n");
  incident = sitrep_incident_manager_find (f->ui.manager, id);
  g_assert_cmpstr (sitrep_incident_get_status_id (incident), ==, "fix-deployed");
  g_assert_cmpint (sitrep_incident_get_mitigated_at (incident), ==, f->ui.t0);

  g_assert_true (sitrep_incident_view_select_status_label (f->view, "Closed"));
  assert_shows (f, "Status: Closed\n");
  incident = sitrep_incident_manager_find (f->ui.manager, id);
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_RESOLVED);

  /* A runbook with the built-in statuses: the four buttons again. */
  use_runbook (f, carecircle);
  declare (f, "SEV-2", "API returns 503s");
  assert_shows (f, "Status: Investigating\n");
  g_assert_false (sitrep_incident_view_select_status_label (f->view, "Triage"));
}

/* Another process holds the database's write lock for 3 s while the commander ticks, unticks,
 * changes severity and status and marks an update sent: the main loop keeps turning (before,
 * each gesture waited on the lock and was then refused as busy), nothing is refused, and
 * everything lands afterwards in the order it was done. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "incident-view-locked.db",
                                            NULL);
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(LockHolder) lock = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *kinds[] = { "checklist", "severity", "status", "update", NULL };
  const char *expected[] = {
    "Done: Open the incident room",
    "Done: Tell the depots",
    "Not done: Open the incident room",
    "Severity P1 → P2",
    "Status: Investigating → Identified",
    "Status update sent",
  };
  SitrepIncident *incident;
  gint64 give_up;
  gint64 id;

  sitrep_incident_view_set_manager (f->view, NULL);
  g_clear_object (&f->ui.manager);
  g_clear_object (&f->ui.store);
  g_set_object (&f->ui.runbook, northwind);
  f->ui.store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  use_runbook (f, northwind);
  id = declare (f, "P1", "Labels stopped printing");
  assert_shows (f, "Status: Investigating\n");

  lock = lock_holder_start (path, 3);
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "open-room", TRUE));
  advance_to (f, 1);
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "first-word", TRUE));
  advance_to (f, 2);
  g_assert_true (sitrep_incident_view_set_item_done (f->view, "open-room", FALSE));
  advance_to (f, 3);
  g_assert_true (sitrep_incident_view_select_severity (f->view, "P2"));
  advance_to (f, 4);
  g_assert_true (sitrep_incident_view_select_status (f->view, SITREP_STATUS_IDENTIFIED));
  advance_to (f, 5);
  g_assert_true (sitrep_incident_view_mark_update_sent (f->view));

  /* Generous: whatever the machine's load, the loop turns; nothing was refused meanwhile. */
  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < give_up
         && (!lock_holder_is_released (lock)
             || sitrep_incident_get_last_update_at (
                  sitrep_incident_manager_get_current (f->ui.manager)) <= 0))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lock_holder_is_released (lock));
  g_assert_cmpuint (lock_holder_ticks_while_locked (lock), >=, 5);
  g_assert_null (sitrep_incident_view_get_last_toast (f->view));

  /* What the screen shows is stored. */
  assert_shows (f, "Severity: P2 · High\n");
  assert_shows (f, "Status: Identified\n");
  incident = sitrep_incident_manager_get_current (f->ui.manager);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, f->ui.t0 + 5 * MINUTE);
  g_assert_true (sitrep_incident_get_tick (incident, "first-word")->done);
  g_assert_false (sitrep_incident_get_tick (incident, "open-room")->done);

  /* In the database, as another process reads it: in the order the commander went. */
  reader = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  events = sitrep_store_list_events (reader, id, 0, kinds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_cmpstr (fixture_shown_text (events->pdata[i]), ==, expected[i]);
      g_assert_cmpint (sitrep_timeline_event_get_at (events->pdata[i]), ==,
                       f->ui.t0 + MIN (i, 5) * MINUTE);
    }
}

/* A view not on screen yet builds nothing of the incident: no checklist, no list rows; shown,
 * it fills itself. */
static void
test_first_show (Fixture       *f,
                 gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SitrepIncidentView *view = SITREP_INCIDENT_VIEW (sitrep_incident_view_new ());
  g_autofree char *text = NULL;

  declare (f, "SEV-2", "API returns 503s");
  gtk_window_set_child (window, GTK_WIDGET (view));
  sitrep_incident_view_set_manager (view, f->ui.manager);
  sitrep_incident_view_set_utc (view, TRUE);
  spin ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (view->groups->len, ==, 0);
  g_assert_null (gtk_list_box_get_row_at_index (view->incident_list, 0));

  gtk_window_present (window);
  spin ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (view->groups->len, >, 0);
  g_assert_nonnull (gtk_list_box_get_row_at_index (view->incident_list, 0));
  text = sitrep_incident_view_get_text (view);
  g_assert_nonnull (strstr (text, "Severity: SEV-2 · Major\n"));
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  scratch = ui_test_init (&argc, &argv, "sitrep-incident-view-test");
  if (scratch == NULL)
    return 1;

  g_test_add ("/incident-view/empty", Fixture, NULL, fixture_set_up, test_empty,
              fixture_tear_down);
  g_test_add ("/incident-view/commander", Fixture, NULL, fixture_set_up, test_commander,
              fixture_tear_down);
  g_test_add ("/incident-view/conflict", Fixture, NULL, fixture_set_up, test_conflict,
              fixture_tear_down);
  g_test_add ("/incident-view/list", Fixture, NULL, fixture_set_up, test_list,
              fixture_tear_down);
  g_test_add ("/incident-view/documented-fields", Fixture, NULL, fixture_set_up,
              test_documented_fields, fixture_tear_down);
  g_test_add ("/incident-view/own-statuses", Fixture, NULL, fixture_set_up, test_own_statuses,
              fixture_tear_down);
  g_test_add ("/incident-view/drills", Fixture, NULL, fixture_set_up, test_drills,
              fixture_tear_down);
  g_test_add ("/incident-view/first-show", Fixture, NULL, fixture_set_up, test_first_show,
              fixture_tear_down);
  g_test_add ("/incident-view/locked", Fixture, NULL, fixture_set_up, test_locked,
              fixture_tear_down);
  g_test_add ("/incident-view/other-runbook", Fixture, NULL, fixture_set_up, test_other_runbook,
              fixture_tear_down);

  return g_test_run ();
}
