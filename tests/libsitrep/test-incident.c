/* test-incident.c: the incident state machine with an injected clock, and its restore after kill -9 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fixture-incident.h"
#include "fixture-language.h"
#include "fixture-runbook.h"
#include "sitrep-incident-clocks.h"
#include "sitrep-incident-kept.h"
#include "sitrep-incident-manager.h"
#include "sitrep-incident-runbooks.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "sitrep-template-values.h"
#include "sitrep-store.h"
#include "sitrep-store-testing.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC) /* 2025-11-28 03:20 UTC */

typedef struct
{
  SitrepRunbook *runbook;
  SitrepStore *store;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  f->store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->runbook);
}

static SitrepIncident *
declare (Fixture    *f,
         const char *severity)
{
  const char *services[] = { "api", NULL };
  g_autoptr(GError) error = NULL;
  gint64 id;
  SitrepIncident *incident;

  id = fixture_declare_incident (f->store, f->runbook, severity, "API returns 503s",
                                 "Families cannot log in", "alice", NULL, services, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  incident = sitrep_store_load_incident (f->store, id, &error);
  g_assert_no_error (error);
  return incident;
}

static SitrepIncident *
reload (Fixture        *f,
        SitrepIncident *incident)
{
  g_autoptr(GError) error = NULL;
  SitrepIncident *fresh = sitrep_store_load_incident (f->store, sitrep_incident_get_id (incident),
                                                      &error);

  g_assert_no_error (error);
  g_object_unref (incident);
  return fresh;
}

static const SitrepChecklistPhase *
phase (Fixture    *f,
       const char *id)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (f->runbook);

  for (guint i = 0; i < phases->len; i++)
    if (g_str_equal (((SitrepChecklistPhase *) phases->pdata[i])->id, id))
      return phases->pdata[i];
  g_error ("no phase %s", id);
}

static void
test_declare (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-1");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-1");
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_INVESTIGATING);
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "API returns 503s");
  g_assert_cmpstr (sitrep_incident_get_lead (incident), ==, "alice");
  g_assert_cmpstr (sitrep_incident_get_channel (incident), ==,
                   "#incident-2025-11-28-api-returns-503s");
  g_assert_cmpstr (sitrep_incident_get_services (incident)[0], ==, "api");
  g_assert_cmpint (sitrep_incident_get_declared_at (incident), ==, T0);
  g_assert_cmpint (sitrep_incident_get_acknowledged_at (incident), ==, 0);
  g_assert_cmpint (sitrep_store_count_events (f->store, sitrep_incident_get_id (incident), &error),
                   ==, 1);

  /* The response target counts from declaration: 15 min for SEV-1. */
  g_assert_cmpint (sitrep_incident_response_due_at (incident, f->runbook), ==, T0 + 15 * MIN_US);
}

static void
test_phases (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-2");
  const SitrepChecklistPhase *ack = phase (f, "acknowledge");
  const SitrepChecklistPhase *gather = phase (f, "gather");
  const SitrepChecklistPhase *mitigate = phase (f, "mitigate");
  const SitrepChecklistPhase *post = phase (f, "post-incident");
  g_autoptr(GError) error = NULL;
  gint64 due;

  g_assert_cmpint (sitrep_incident_phase_state (incident, ack, T0 + 4 * MIN_US, &due), ==,
                   SITREP_CLOCK_ON_TIME);
  g_assert_cmpint (due, ==, T0 + 5 * MIN_US);
  g_assert_cmpint (sitrep_incident_phase_state (incident, ack, T0 + 6 * MIN_US, NULL), ==,
                   SITREP_CLOCK_OVERDUE);
  g_assert_cmpint (sitrep_incident_phase_state (incident, gather, T0 + 6 * MIN_US, &due), ==,
                   SITREP_CLOCK_ON_TIME);
  g_assert_cmpint (due, ==, T0 + 15 * MIN_US);
  /* "starts": Gather begins 5 min in, Mitigate 15 min in; before that they have not started,
   * whatever "due" says. */
  g_assert_cmpint (sitrep_incident_phase_state (incident, gather, T0 + 4 * MIN_US, &due), ==,
                   SITREP_CLOCK_NOT_STARTED);
  g_assert_cmpint (due, ==, T0 + 15 * MIN_US);
  g_assert_cmpint (sitrep_incident_phase_starts_at (incident, gather), ==, T0 + 5 * MIN_US);
  g_assert_cmpint (sitrep_incident_phase_state (incident, mitigate, T0, NULL), ==,
                   SITREP_CLOCK_NOT_STARTED);
  g_assert_cmpint (sitrep_incident_phase_starts_at (incident, mitigate), ==, T0 + 15 * MIN_US);
  g_assert_cmpint (sitrep_incident_phase_state (incident, mitigate, T0 + 15 * MIN_US, NULL), ==,
                   SITREP_CLOCK_ONGOING);
  g_assert_cmpint (sitrep_incident_phase_starts_at (incident, post), ==, 0);
  g_assert_cmpint (sitrep_incident_phase_state (incident, post, T0 + 60 * MIN_US, NULL), ==,
                   SITREP_CLOCK_NOT_STARTED);

  /* Ticking every item of a phase makes it done, overdue or not; the first tick acknowledges. */
  for (guint i = 0; i < ack->items->len; i++)
    {
      const SitrepChecklistItem *item = ack->items->pdata[i];

      g_assert_true (sitrep_store_set_item (f->store, sitrep_incident_get_id (incident), item->id,
                                            item->text, TRUE, T0 + (3 + i) * MIN_US, "bob", &error));
      g_assert_no_error (error);
    }
  incident = reload (f, incident);
  g_assert_cmpint (sitrep_incident_get_acknowledged_at (incident), ==, T0 + 3 * MIN_US);
  g_assert_cmpint (sitrep_incident_phase_state (incident, ack, T0 + 60 * MIN_US, NULL), ==,
                   SITREP_CLOCK_DONE);
  g_assert_cmpstr (sitrep_incident_get_tick (incident, "determine-severity")->done_by, ==, "bob");

  /* Unticking is recorded too, and the phase is open again. */
  g_assert_true (sitrep_store_set_item (f->store, sitrep_incident_get_id (incident),
                                        "determine-severity", "Determine severity level", FALSE,
                                        T0 + 9 * MIN_US, "bob", &error));
  incident = reload (f, incident);
  g_assert_false (sitrep_incident_get_tick (incident, "determine-severity")->done);
  g_assert_cmpint (sitrep_incident_phase_state (incident, ack, T0 + 9 * MIN_US, NULL), ==,
                   SITREP_CLOCK_OVERDUE);

  /* The post-incident phase starts at resolution and is due 24 h later. */
  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_RESOLVED,
                                          T0 + 90 * MIN_US, "bob", &error));
  incident = reload (f, incident);
  g_assert_cmpint (sitrep_incident_phase_state (incident, post, T0 + 91 * MIN_US, &due), ==,
                   SITREP_CLOCK_ON_TIME);
  g_assert_cmpint (due, ==, T0 + 90 * MIN_US + 24 * 60 * MIN_US);
}

static guint
count_due (Fixture        *f,
           SitrepIncident *incident,
           gint64          now,
           SitrepDueKind   kind,
           const char     *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = sitrep_incident_check_clocks (f->store, incident, f->runbook, now,
                                                           &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < due->len; i++)
    {
      SitrepDue *item = due->pdata[i];

      if (item->kind == kind
          && (role == NULL || g_str_equal (item->escalation->role, role)))
        n++;
    }
  return n;
}

/* Each escalation step fires once, at its minute, and only for the severities it names. */
static void
test_escalation (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-1");
  g_autoptr(SitrepIncident) sev2 = declare (f, "SEV-2");
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  SitrepDue *first;

  /* The on-call engineer, "at once", is part of declaring: nothing falls due at the moment of
   * declaring (no banner, no notification), and it is on the path as due. */
  due = sitrep_incident_check_clocks (f->store, incident, f->runbook, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  steps = sitrep_incident_escalation (incident, f->runbook, T0);
  g_assert_cmpstr (g_array_index (steps, SitrepEscalationStatus, 0).step->role, ==,
                   "On-call engineer");
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 0).state, ==,
                   SITREP_ESCALATION_DUE);
  g_clear_pointer (&steps, g_array_unref);

  /* The team lead's step, 15 min later, comes with its ready message. */
  due = sitrep_incident_check_clocks (f->store, incident, f->runbook, T0 + 15 * MIN_US, &error);
  first = NULL;
  for (guint i = 0; i < due->len; i++)
    if (((SitrepDue *) due->pdata[i])->kind == SITREP_DUE_ESCALATION)
      {
        g_assert_null (first);
        first = due->pdata[i];
      }
  g_assert_nonnull (first);
  g_assert_cmpstr (first->escalation->role, ==, "Team lead");
  g_assert_nonnull (strstr (first->message, "#incident-2025-11-28-api-returns-503s"));

  g_assert_cmpuint (count_due (f, incident, T0 + 15 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);
  g_assert_cmpuint (count_due (f, incident, T0 + 29 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);
  g_assert_cmpuint (count_due (f, incident, T0 + 30 * MIN_US, SITREP_DUE_ESCALATION,
                               "Engineering manager"), ==, 1);
  g_assert_cmpuint (count_due (f, incident, T0 + 60 * MIN_US, SITREP_DUE_ESCALATION, "CTO"), ==, 1);
  g_assert_cmpuint (count_due (f, incident, T0 + 61 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);

  /* SEV-2 follows the same path without the CTO. */
  g_assert_cmpuint (count_due (f, sev2, T0 + 120 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 2);

  /* An answer goes on the record. */
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "role", "Team lead");
    json_object_set_string_member (fields, "answer", "escalated");
    g_assert_true (sitrep_store_answer_escalation (f->store, sitrep_incident_get_id (incident), 1,
                                                   T0 + 15 * MIN_US, TRUE, fields,
                                                   T0 + 16 * MIN_US, "alice", &error));
  }
  incident = reload (f, incident);
  steps = sitrep_incident_escalation (incident, f->runbook, T0 + 16 * MIN_US);
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 1).state, ==,
                   SITREP_ESCALATION_ESCALATED);
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 2).state, ==,
                   SITREP_ESCALATION_PENDING);
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 2).due_at, ==, T0 + 30 * MIN_US);
  g_clear_pointer (&steps, g_array_unref);

  /* Resolution stops what is left. */
  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_RESOLVED,
                                          T0 + 20 * MIN_US, "alice", &error));
  incident = reload (f, incident);
  steps = sitrep_incident_escalation (incident, f->runbook, T0 + 40 * MIN_US);
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 2).state, ==,
                   SITREP_ESCALATION_STOPPED);
  g_assert_cmpuint (count_due (f, incident, T0 + 40 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);
}

static void
test_escalation_sev3 (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-3");
  g_autoptr(GArray) steps = sitrep_incident_escalation (incident, f->runbook, T0 + 500 * MIN_US);

  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 1).state, ==,
                   SITREP_ESCALATION_MANUAL);
  /* The on-call engineer at once is part of declaring; the team lead waits for a person. */
  g_assert_cmpuint (count_due (f, incident, T0 + 500 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);
}

/* "Next update due" from the cadence, overdue once per due time, reset by an update. */
static void
test_updates (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-1");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sitrep_incident_next_update_due_at (incident, f->runbook), ==, T0 + 15 * MIN_US);
  g_assert_cmpuint (count_due (f, incident, T0 + 14 * MIN_US, SITREP_DUE_UPDATE, NULL), ==, 0);
  g_assert_cmpuint (count_due (f, incident, T0 + 16 * MIN_US, SITREP_DUE_UPDATE, NULL), ==, 1);
  g_assert_cmpuint (count_due (f, incident, T0 + 17 * MIN_US, SITREP_DUE_UPDATE, NULL), ==, 0);

  g_assert_true (sitrep_store_mark_update_sent (f->store, sitrep_incident_get_id (incident),
                                                T0 + 20 * MIN_US, "alice", &error));
  incident = reload (f, incident);
  g_assert_cmpint (sitrep_incident_next_update_due_at (incident, f->runbook), ==, T0 + 35 * MIN_US);
  g_assert_cmpuint (count_due (f, incident, T0 + 36 * MIN_US, SITREP_DUE_UPDATE, NULL), ==, 1);

  /* SEV-4 sets no cadence: no reminders. */
  {
    g_autoptr(SitrepIncident) low = declare (f, "SEV-4");

    g_assert_cmpint (sitrep_incident_next_update_due_at (low, f->runbook), ==, 0);
  }
}

/* Severity and status changes are recorded with old and new, and times follow the lifecycle. */
static void
test_lifecycle (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-2");
  g_autoptr(SitrepIncident) stale = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_incident_get_id (incident);

  g_assert_true (sitrep_store_set_severity (f->store, incident, "SEV-1", T0 + MIN_US, "alice",
                                            &error));
  incident = reload (f, incident);
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-1");

  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_IDENTIFIED,
                                          T0 + 5 * MIN_US, "alice", &error));
  incident = reload (f, incident);
  g_assert_cmpint (sitrep_incident_get_acknowledged_at (incident), ==, T0 + 5 * MIN_US);
  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_MONITORING,
                                          T0 + 12 * MIN_US, "alice", &error));
  incident = reload (f, incident);
  g_assert_cmpint (sitrep_incident_get_mitigated_at (incident), ==, T0 + 12 * MIN_US);
  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_RESOLVED,
                                          T0 + 30 * MIN_US, "alice", &error));
  incident = reload (f, incident);
  g_assert_cmpint (sitrep_incident_get_resolved_at (incident), ==, T0 + 30 * MIN_US);
  g_assert_cmpint (sitrep_incident_get_mitigated_at (incident), ==, T0 + 12 * MIN_US);
  /* declared, severity, three status changes */
  g_assert_cmpint (sitrep_store_count_events (f->store, id, &error), ==, 5);

  /* Two windows: the second one's change is refused, not lost silently over the first. */
  stale = sitrep_store_load_incident (f->store, id, &error);
  g_assert_true (sitrep_store_set_status (f->store, incident, SITREP_STATUS_MONITORING,
                                          T0 + 31 * MIN_US, "alice", &error));
  g_assert_false (sitrep_store_set_severity (f->store, stale, "SEV-3", T0 + 32 * MIN_US, "bob",
                                             &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  incident = reload (f, incident);
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "SEV-1");
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_MONITORING);
  /* Reopened: no longer resolved. */
  g_assert_cmpint (sitrep_incident_get_resolved_at (incident), ==, 0);
  g_assert_cmpint (sitrep_store_count_events (f->store, id, &error), ==, 6);
}

/* What a person typed is checked by the model itself, before any store is involved: a refusal
 * leaves nothing half-written. */
static void
test_bad_input (Fixture      *f,
                gconstpointer data)
{
  const char *unknown_service[] = { "api", "payroll", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *long_summary = g_strnfill (10000, 'x');
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(SitrepDeclaration) declaration = NULL;
  gint64 id;

  g_assert_null (sitrep_declaration_new (f->runbook, "SEV-1", "   \n\t ", "", "alice", NULL, NULL,
                                         T0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  g_assert_null (sitrep_declaration_new (f->runbook, "SEV-1", long_summary, "", "alice", NULL,
                                         NULL, T0, &error));
  g_assert_nonnull (strstr (error->message, "10000 characters"));
  g_clear_error (&error);

  g_assert_null (sitrep_declaration_new (f->runbook, "SEV-9", "API down", "", "alice", NULL, NULL,
                                         T0, &error));
  g_assert_nonnull (strstr (error->message, "SEV-1, SEV-2, SEV-3, SEV-4"));
  g_clear_error (&error);

  g_assert_null (sitrep_declaration_new (f->runbook, "SEV-1", "API down", "", "alice", NULL,
                                         unknown_service, T0, &error));
  g_assert_cmpstr (error->message, ==, "The runbook has no service \"payroll\".");
  g_clear_error (&error);

  /* Newlines fold into one line, emoji stay; the channel slug keeps to ASCII; the runbook's
   * copy goes with the declaration. */
  declaration = sitrep_declaration_new (f->runbook, "SEV-2", "🔥 Checkout\nfails  for\tall 🔴", "",
                                        "alice", NULL, NULL, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (declaration->summary, ==, "🔥 Checkout fails for all 🔴");
  g_assert_cmpstr (declaration->channel, ==, "#incident-2025-11-28-checkout-fails-for-all");
  g_assert_cmpstr (declaration->runbook, ==, sitrep_runbook_get_name (f->runbook));
  g_assert_cmpstr (declaration->runbook_checksum, ==, sitrep_runbook_get_digest (f->runbook));
  g_assert_true (g_bytes_equal (declaration->runbook_content,
                                sitrep_runbook_get_content (f->runbook)));

  id = sitrep_store_declare_incident (f->store, declaration, &error);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (f->store, id, &error);
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "🔥 Checkout fails for all 🔴");
  g_assert_cmpstr (sitrep_incident_get_channel (incident), ==,
                   "#incident-2025-11-28-checkout-fails-for-all");

  /* No incident was half-written by the refusals. */
  {
    g_autoptr(GPtrArray) all = sitrep_store_list_incidents (f->store, &error);

    g_assert_cmpuint (all->len, ==, 1);
  }
}

/* Each incident is shown with the runbook it was declared under, whatever runbook is at hand;
 * one recorded before copies were kept falls back on the one at hand, and says why. */
static void
test_runbooks (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);
  g_autoptr(SitrepIncidentRunbooks) runbooks = NULL;
  g_autoptr(SitrepIncident) nw = NULL;
  g_autoptr(SitrepIncident) here = NULL;
  g_autoptr(SitrepIncident) old = NULL;
  g_autoptr(SitrepIncident) stranger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  SitrepIncidentRunbookKind kind;
  SitrepRunbook *shown;
  gint64 id;

  id = fixture_declare_incident (f->store, northwind, "P1", "Labels stopped printing", "", "dana",
                                 NULL, NULL, T0, &error);
  g_assert_no_error (error);
  nw = sitrep_store_load_incident (f->store, id, &error);
  id = fixture_declare_incident (f->store, f->runbook, "SEV-2", "Slow search", "", "alice", NULL,
                                 NULL, T0, &error);
  g_assert_no_error (error);
  here = sitrep_store_load_incident (f->store, id, &error);
  /* What an older Sitrep wrote: no copy of the runbook. */
  id = sitrep_store_insert_incident (f->store, sitrep_runbook_get_name (f->runbook), "SEV-3",
                                     "Old one", T0, &error);
  g_assert_no_error (error);
  old = sitrep_store_load_incident (f->store, id, &error);
  id = sitrep_store_insert_incident (f->store, "Harbor Cranes", "S1", "Hoist stuck", T0, &error);
  g_assert_no_error (error);
  stranger = sitrep_store_load_incident (f->store, id, &error);
  g_assert_no_error (error);

  runbooks = sitrep_incident_runbooks_new (f->store, f->runbook);
  shown = sitrep_incident_runbooks_lookup (runbooks, nw, &kind, &why);
  g_assert_cmpint (kind, ==, SITREP_INCIDENT_RUNBOOK_OWN);
  g_assert_null (why);
  g_assert_cmpstr (sitrep_runbook_get_name (shown), ==, "Northwind Freight");
  g_assert_cmpstr (sitrep_runbook_get_digest (shown), ==, sitrep_runbook_get_digest (northwind));
  /* Read once: the same object the next time. */
  g_assert_true (sitrep_incident_runbooks_lookup (runbooks, nw, &kind, NULL) == shown);

  g_assert_true (sitrep_incident_runbooks_lookup (runbooks, here, &kind, &why) == f->runbook);
  g_assert_cmpint (kind, ==, SITREP_INCIDENT_RUNBOOK_OWN);

  g_assert_true (sitrep_incident_runbooks_lookup (runbooks, old, &kind, &why) == f->runbook);
  g_assert_cmpint (kind, ==, SITREP_INCIDENT_RUNBOOK_AT_HAND);
  g_assert_nonnull (strstr (why, "was recorded before Sitrep kept the runbook of each incident"));
  g_clear_pointer (&why, g_free);

  g_assert_true (sitrep_incident_runbooks_lookup (runbooks, stranger, &kind, &why) == f->runbook);
  g_assert_cmpint (kind, ==, SITREP_INCIDENT_RUNBOOK_MISMATCH);
  g_assert_nonnull (why);
}

/* A clock that jumps backwards neither repeats nor loses anything. */
static void
test_clock_backwards (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-1");

  /* The team lead; the on-call engineer "at once" is part of declaring. */
  g_assert_cmpuint (count_due (f, incident, T0 + 16 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 1);
  g_assert_cmpuint (count_due (f, incident, T0 - 60 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);
  g_assert_cmpint (sitrep_incident_phase_state (incident, phase (f, "acknowledge"),
                                                T0 - 60 * MIN_US, NULL), ==, SITREP_CLOCK_ON_TIME);
  g_assert_cmpuint (count_due (f, incident, T0 + 16 * MIN_US, SITREP_DUE_ESCALATION, NULL), ==, 0);
}

static void
due_cb (SitrepIncidentManager *manager,
        SitrepIncident        *incident,
        SitrepDue             *due,
        GPtrArray             *seen)
{
  g_ptr_array_add (seen, g_strdup (due->text));
}

/* What fell due is recorded on the store's writer thread; "due" comes from the main loop. */
static void
wait_for_due (GPtrArray *seen,
              guint      n)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (seen->len < n && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE);
  /* Anything more that would come comes in the same iteration. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The manager: declare, current incident, "due" signals as an injected clock moves. */
static void
test_manager (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(SitrepIncidentManager) other = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  SitrepIncident *current;
  gint64 id;

  manager = sitrep_incident_manager_new (f->store, f->runbook, clock, &error);
  g_assert_no_error (error);
  g_assert_null (sitrep_incident_manager_get_current (manager));
  g_signal_connect (manager, "due", G_CALLBACK (due_cb), seen);
  sitrep_incident_manager_start (manager);

  id = sitrep_incident_manager_declare (manager, "SEV-1", "Queue backlog", "Reminders are late",
                                        "carol", NULL, NULL, &error);
  g_assert_no_error (error);
  current = sitrep_incident_manager_get_current (manager);
  g_assert_nonnull (current);
  g_assert_cmpint (sitrep_incident_get_id (current), ==, id);
  g_assert_cmpuint (g_list_model_get_n_items (sitrep_incident_manager_get_incidents (manager)), ==, 1);
  /* The on-call engineer's step "at once" is part of declaring: nothing is announced at the
   * moment of declaring. */
  g_assert_cmpuint (seen->len, ==, 0);

  sitrep_clock_advance (clock, 15 * MIN_US);
  wait_for_due (seen, 2);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (seen->pdata[0], ==, "Escalation due: Team lead (@teamlead)");
  g_assert_cmpstr (seen->pdata[1], ==, "Status update overdue");

  g_assert_true (sitrep_incident_manager_update_sent (manager, id, "carol", &error));
  g_assert_true (sitrep_incident_manager_set_item (manager, id, "create-channel", TRUE, "carol",
                                                   &error));
  g_assert_true (sitrep_incident_manager_answer_escalation (manager, id, 1, TRUE, "carol", &error));
  current = sitrep_incident_manager_get_current (manager);
  g_assert_cmpint (sitrep_incident_get_last_update_at (current), ==, T0 + 15 * MIN_US);
  g_assert_true (sitrep_incident_get_tick (current, "create-channel")->done);

  /* A second window (another manager on the same store) changes the severity first: this one
   * is refused and then shows what is stored. */
  other = sitrep_incident_manager_new (f->store, f->runbook, clock, &error);
  g_assert_true (sitrep_incident_manager_set_severity (other, id, "SEV-2", "dave", &error));
  g_assert_false (sitrep_incident_manager_set_status (manager, id, SITREP_STATUS_IDENTIFIED, "carol",
                                                      &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpstr (sitrep_incident_get_severity (sitrep_incident_manager_get_current (manager)), ==,
                   "SEV-2");
  g_assert_true (sitrep_incident_manager_set_status (manager, id, SITREP_STATUS_IDENTIFIED, "carol",
                                                     &error));
  g_assert_no_error (error);

  /* A health change of a service the incident names goes on its timeline; others do not. */
  {
    const char *api[] = { "api", NULL };
    gint64 before = sitrep_store_count_events (f->store, id, &error);
    gint64 with_api = sitrep_incident_manager_declare (manager, "SEV-2", "Login errors", "", "carol",
                                                       NULL, api, &error);
    gint64 api_before = sitrep_store_count_events (f->store, with_api, &error);
    g_autoptr(SitrepReason) bad_gateway = sitrep_reason_new_text ("status 502");
    g_autoptr(SitrepReason) unavailable = sitrep_reason_new_text ("status 503, expected 200");

    g_assert_cmpuint (sitrep_incident_manager_record_health (manager, "web", "Web app",
                                                             SITREP_HEALTH_UP, SITREP_HEALTH_DOWN,
                                                             bad_gateway, T0), ==, 0);
    g_assert_cmpuint (sitrep_incident_manager_record_health (manager, "api", "API",
                                                             SITREP_HEALTH_UP, SITREP_HEALTH_DOWN,
                                                             unavailable, T0 + 16 * MIN_US),
                      ==, 1);
    g_assert_cmpint (sitrep_store_count_events (f->store, id, &error), ==, before);
    g_assert_cmpint (sitrep_store_count_events (f->store, with_api, &error), ==, api_before + 1);
    sitrep_incident_manager_set_current (manager, id);
  }

  /* An unknown severity is refused with the reason. */
  g_assert_false (sitrep_incident_manager_set_severity (manager, id, "SEV-0", "carol", &error));
  g_assert_nonnull (strstr (error->message, "SEV-0"));
}

/* The initial status message, filled from the incident, gaps shown as [name]. */
static void
test_initial_status (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-1");
  const SitrepTemplate *status = sitrep_runbook_find_template (f->runbook, "initial-status");
  const SitrepTemplate *update = sitrep_runbook_find_template (f->runbook, "ongoing-update");
  g_autoptr(GHashTable) values = sitrep_template_values_for_incident (incident, f->runbook,
                                                                      T0 + 2 * MIN_US, TRUE);
  g_autoptr(GPtrArray) unfilled = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = sitrep_template_render (status->body, values, unfilled);
  g_autofree char *update_text = NULL;

  g_assert_cmpstr (text, ==,
                   "🔴 INCIDENT DECLARED\n"
                   "Severity: SEV-1\n"
                   "Summary: API returns 503s\n"
                   "Impact: Families cannot log in\n"
                   "Status: Investigating\n"
                   "Lead: @alice\n");
  g_assert_cmpuint (unfilled->len, ==, 0);

  update_text = sitrep_template_render (update->body, values, unfilled);
  g_assert_true (g_str_has_prefix (update_text, "🟡 UPDATE on API issue:\n- We've identified [root_cause]"));
  g_assert_nonnull (strstr (update_text, "Next update: In 13 minutes (at 03:35 UTC)."));
  g_assert_cmpuint (unfilled->len, ==, 3);
  g_assert_cmpstr (unfilled->pdata[0], ==, "root_cause");
}

/* A German console fills the English runbook's message with the runbook's words: "Status:
 * Investigating", not "Status: Untersuchung"; the console's own labels stay German. */
static void
test_template_language (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(SitrepIncident) incident = declare (f, "SEV-1");
  const SitrepTemplate *update = sitrep_runbook_find_template (f->runbook, "ongoing-update");
  const SitrepTemplate *status = sitrep_runbook_find_template (f->runbook, "initial-status");
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) unfilled = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *update_text = NULL;

  fixture_use_language ("de");
  /* The console speaks German here. */
  g_assert_cmpstr (sitrep_incident_status_get_label (SITREP_STATUS_INVESTIGATING), !=,
                   "Investigating");

  values = sitrep_template_values_for_incident (incident, f->runbook, T0 + 2 * MIN_US, TRUE);
  text = sitrep_template_render (status->body, values, unfilled);
  update_text = sitrep_template_render (update->body, values, unfilled);
  fixture_use_language (NULL);

  g_assert_nonnull (strstr (text, "Status: Investigating\n"));
  g_assert_nonnull (strstr (update_text, "Next update: In 13 minutes (at 03:35 UTC)."));
}

/* What is still "[name]" in a message a person edited: the placeholders, not a tag, a checkbox
 * or a Markdown link. */
static void
test_find_unfilled (void)
{
  g_autoptr(GPtrArray) found = sitrep_template_values_find_unfilled (
    "[P1/Urgent] Labels\nDepots affected: [impact]\n- [x] done\n- [ ] open\n"
    "See [grafana](https://grafana.test/) and [impact] again, then [root_cause_2].\n[lessons");
  g_autoptr(GPtrArray) none = sitrep_template_values_find_unfilled ("All clear [P1]");

  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (found->pdata[0], ==, "[impact]");
  g_assert_cmpstr (found->pdata[1], ==, "[root_cause_2]");
  g_assert_cmpuint (none->len, ==, 0);
}

/* The child of the kill -9 test: a declared incident with some history, then it waits. */
static int
run_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) due = NULL;
  gint64 id;

  if (store == NULL)
    return 1;
  id = fixture_declare_incident (store, runbook, "SEV-1", "Kill me", "", "alice", NULL, NULL, T0,
                                 &error);
  incident = sitrep_store_load_incident (store, id, &error);
  sitrep_store_set_item (store, id, "determine-severity", "Determine severity level", TRUE,
                         T0 + MIN_US, "alice", &error);
  sitrep_store_set_status (store, incident, SITREP_STATUS_IDENTIFIED, T0 + 2 * MIN_US, "alice",
                           &error);
  due = sitrep_incident_check_clocks (store, incident, runbook, T0 + 16 * MIN_US, &error);
  if (error != NULL)
    return 1;
  g_print ("%" G_GINT64_FORMAT "\n", id);
  fflush (stdout);
  /* Killed here, mid-incident. */
  g_usleep (60 * G_USEC_PER_SEC);
  return 0;
}

static void
test_kill9 (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "incident.db", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *report = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_subprocess_launcher_setenv (launcher, "SITREP_TEST_INCIDENT_CHILD", path, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (child));

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_check_integrity (store, &report, &error));
  incident = sitrep_store_load_incident (store, g_ascii_strtoll (line, NULL, 10), &error);
  g_assert_no_error (error);

  /* Everything comes back exactly, and the clocks with it. */
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_IDENTIFIED);
  g_assert_cmpint (sitrep_incident_get_acknowledged_at (incident), ==, T0 + MIN_US);
  g_assert_true (sitrep_incident_get_tick (incident, "determine-severity")->done);
  g_assert_cmpint (sitrep_incident_response_due_at (incident, runbook), ==, T0 + 15 * MIN_US);
  g_assert_cmpint (sitrep_incident_phase_state (incident,
                                                g_ptr_array_index (sitrep_runbook_get_checklist (runbook), 0),
                                                T0 + 16 * MIN_US, NULL), ==, SITREP_CLOCK_OVERDUE);
  g_assert_cmpint (sitrep_incident_get_update_overdue_at (incident), ==, T0 + 15 * MIN_US);
  steps = sitrep_incident_escalation (incident, runbook, T0 + 16 * MIN_US);
  g_assert_cmpint (g_array_index (steps, SitrepEscalationStatus, 1).state, ==,
                   SITREP_ESCALATION_DUE);
  /* Already recorded before the kill: a restart does not fire it again. */
  {
    g_autoptr(GPtrArray) due = sitrep_incident_check_clocks (store, incident, runbook,
                                                             T0 + 16 * MIN_US, &error);

    g_assert_cmpuint (due->len, ==, 0);
  }
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Issue 17: the journal is a file on this computer, and can be edited. A kept declaration or
 * change whose members are of the wrong kind (an object where a text was, an array where a
 * number was) is read as if they were missing: no critical (fatal in the suite), the
 * incident shown as before the change. */
static void
test_kept_tampered (void)
{
  g_autoptr(JsonObject) declared = parse_object (
    "{\"severity\": \"P1\", \"summary\": \"Depot scanners offline\", \"channel\": {},"
    " \"services\": [\"scanner-gateway\", 7, {\"id\": \"x\"}, null, \"label-printer\"],"
    " \"at\": \"yesterday\", \"drill\": [true], \"lead\": 3}");
  g_autoptr(JsonObject) not_a_declaration = parse_object ("{\"severity\": [\"P1\"], "
                                                          "\"summary\": \"x\"}");
  g_autoptr(SitrepDeclaration) declaration = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GError) error = NULL;
  const char *services[] = { "scanner-gateway", "label-printer", NULL };
  struct
  {
    const char *kind;
    const char *body;
  } changes[] = {
    { "severity", "{\"severity\": {\"id\": \"P2\"}, \"author\": [1], \"at\": {}}" },
    { "channel", "{\"channel\": [\"#elsewhere\"]}" },
    { "item", "{\"item\": {}, \"done\": \"yes\"}" },
    { "escalation", "{\"step\": \"one\", \"due_at\": [], \"escalated\": {}}" },
    { "status", "{\"stage\": \"resolved\", \"status_id\": 5}" },
    { "message", "{\"resets_update\": \"no\", \"at\": 1700000000000000}" },
  };

  g_assert_null (sitrep_declaration_from_json (not_a_declaration, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  declaration = sitrep_declaration_from_json (declared, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (declaration->services, services);
  g_assert_null (declaration->channel);
  g_assert_null (declaration->lead);
  g_assert_false (declaration->drill);
  incident = sitrep_incident_kept_new (declaration, -5);
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "P1");

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(JsonObject) body = parse_object (changes[i].body);
      SitrepIncident *changed = sitrep_incident_kept_with_change (incident, changes[i].kind, body);

      g_test_message ("%s: %s", changes[i].kind, changes[i].body);
      g_object_unref (incident);
      incident = changed;
    }
  g_assert_cmpstr (sitrep_incident_get_severity (incident), ==, "P1");
  g_assert_cmpstr (sitrep_incident_get_channel (incident), ==, "");
  g_assert_null (sitrep_incident_get_tick (incident, ""));
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_INVESTIGATING);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, 1700000000000000);
}

/* An incident declared while the team database was away brings its runbook from the journal,
 * where it can have been edited: an altered copy, or one that no longer loads, is not used,
 * and the commander is told why. */
static void
test_kept_runbook (void)
{
  g_autoptr(SitrepRunbook) older = fixture_runbook_load ("COMMAND", "/bin/false", NULL);
  g_autoptr(SitrepRunbook) at_hand = fixture_runbook_load (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  const char *broken = "{\"version\": 2}";
  struct
  {
    const char *content; /* NULL: the runbook's own */
    gboolean checksum_of_content;
    const char *why;
  } cases[] = {
    { NULL, TRUE, NULL },
    { "{\"name\": \"Northwind Freight\"}", FALSE, "altered" },
    { broken, TRUE, "no longer loads" },
  };

  store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SitrepIncidentRunbooks) runbooks = sitrep_incident_runbooks_new (store, at_hand);
      g_autoptr(SitrepDeclaration) declaration = NULL;
      g_autoptr(SitrepIncident) incident = NULL;
      g_autofree char *why = NULL;
      SitrepIncidentRunbookKind kind;
      SitrepRunbook *shown;

      declaration = sitrep_declaration_new (older, "P2", "Customs feed stalled", NULL, "Dana",
                                            NULL, NULL, g_get_real_time (), &error);
      g_assert_no_error (error);
      if (cases[i].content != NULL)
        {
          g_clear_pointer (&declaration->runbook_content, g_bytes_unref);
          declaration->runbook_content = g_bytes_new_static (cases[i].content,
                                                             strlen (cases[i].content));
        }
      if (cases[i].content != NULL && cases[i].checksum_of_content)
        {
          g_free (declaration->runbook_checksum);
          declaration->runbook_checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                         cases[i].content, -1);
        }
      incident = sitrep_incident_kept_new (declaration, -1 - (gint64) i);
      sitrep_incident_runbooks_add_declared (runbooks, declaration);
      shown = sitrep_incident_runbooks_lookup (runbooks, incident, &kind, &why);
      if (cases[i].why == NULL)
        {
          g_assert_cmpint (kind, ==, SITREP_INCIDENT_RUNBOOK_OWN);
          g_assert_cmpstr (sitrep_runbook_get_digest (shown), ==,
                           sitrep_runbook_get_digest (older));
          g_assert_null (why);
        }
      else
        {
          g_assert_cmpint (kind, ==, SITREP_INCIDENT_RUNBOOK_AT_HAND);
          g_assert_true (shown == at_hand);
          g_assert_nonnull (strstr (why, cases[i].why));
          g_assert_nonnull (strstr (why, "Northwind"));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *child = g_getenv ("SITREP_TEST_INCIDENT_CHILD");

  if (child != NULL)
    return run_child (child);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/incident/declare", Fixture, NULL, fixture_setup, test_declare, fixture_teardown);
  g_test_add ("/incident/phases", Fixture, NULL, fixture_setup, test_phases, fixture_teardown);
  g_test_add ("/incident/escalation", Fixture, NULL, fixture_setup, test_escalation,
              fixture_teardown);
  g_test_add ("/incident/escalation-sev3", Fixture, NULL, fixture_setup, test_escalation_sev3,
              fixture_teardown);
  g_test_add ("/incident/updates", Fixture, NULL, fixture_setup, test_updates, fixture_teardown);
  g_test_add ("/incident/lifecycle", Fixture, NULL, fixture_setup, test_lifecycle,
              fixture_teardown);
  g_test_add ("/incident/bad-input", Fixture, NULL, fixture_setup, test_bad_input,
              fixture_teardown);
  g_test_add ("/incident/clock-backwards", Fixture, NULL, fixture_setup, test_clock_backwards,
              fixture_teardown);
  g_test_add ("/incident/initial-status", Fixture, NULL, fixture_setup, test_initial_status,
              fixture_teardown);
  g_test_add ("/incident/manager", Fixture, NULL, fixture_setup, test_manager, fixture_teardown);
  g_test_add ("/incident/runbooks", Fixture, NULL, fixture_setup, test_runbooks,
              fixture_teardown);
  g_test_add ("/incident/template-language", Fixture, NULL, fixture_setup, test_template_language,
              fixture_teardown);
  g_test_add_func ("/incident/find-unfilled", test_find_unfilled);
  g_test_add_func ("/incident/kept-tampered", test_kept_tampered);
  g_test_add_func ("/incident/kept-runbook", test_kept_runbook);
  g_test_add_func ("/incident/kill-9", test_kill9);

  return g_test_run ();
}
