/* test-session.c: the session without a display: replacing the runbook, read-only, trust, health */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "action-test-util.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-action-controller-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-writer.h"
#include "sitrep-drill-kube.h"
#include "fixture-runbook.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-session.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-testing.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"

#define KUBECTL "/usr/bin/kubectl"

typedef struct
{
  GSettings *settings;
  SitrepSession *session;
  char *database;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *name = g_strdup_printf ("%s.db", g_test_get_path () + 1);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  f->settings = g_settings_new (APP_ID);
  /* The memory backend keeps values for the whole process. */
  g_settings_reset (f->settings, "read-only");
  g_settings_reset (f->settings, "last-runbook");
  g_settings_reset (f->settings, SITREP_TRUST_SETTINGS_KEY);
  g_strdelimit (name, "/", '-');
  f->database = g_build_filename (g_get_user_data_dir (), name, NULL);
  f->session = sitrep_session_new (f->settings);
  g_assert_true (sitrep_session_open_store (f->session, f->database));
  g_assert_null (sitrep_session_get_store_error (f->session));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  sitrep_session_close (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->database, g_free);
}

static SitrepRunbook *
load_text (const char *text,
           const char *name)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, name, &problems, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static SitrepActionRequest *
request_for (SitrepSession *session,
             const char    *service_id,
             const char    *action_id)
{
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);
  g_autoptr(GError) error = NULL;
  SitrepActionRequest *request;

  request = sitrep_action_controller_resolve (sitrep_session_get_actions (session),
                                              sitrep_runbook_find_service (runbook, service_id),
                                              sitrep_runbook_find_action (runbook, action_id),
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  return request;
}

/* Replacing the runbook while a command runs. */

static const char harbor[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Harbor Cranes\",\n"
  "  \"severities\": [{ \"id\": \"S1\", \"label\": \"Stop\", \"response_target\": \"10m\" }],\n"
  "  \"environment\": { \"context\": \"harbor-live\", \"namespace\": \"cranes\",\n"
  "                     \"kubectl\": \"" KUBECTL "\" },\n"
  "  \"services\": [\n"
  "    { \"id\": \"hoist\", \"name\": \"Hoist Controller\", \"target\": \"deployment/hoist\",\n"
  "      \"actions\": [\"status\", \"restart\"] }\n"
  "  ],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"status\", \"label\": \"Rollout status\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=60s\"] },\n"
  "    { \"id\": \"restart\", \"label\": \"Restart\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"], \"mutates\": true }\n"
  "  ]\n"
  "}\n";

static gboolean
says_waiting (gpointer data)
{
  const char *output = sitrep_action_run_get_output (data);

  return output != NULL && strstr (output, "Waiting for deployment") != NULL;
}

static gboolean
run_ended (gpointer data)
{
  return sitrep_action_run_get_outcome (data) != SITREP_OUTCOME_NONE;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
has_finished_event (gpointer data)
{
  Fixture *f = data;
  g_autoptr(SitrepIncident) incident =
    g_list_model_get_item (sitrep_incident_manager_get_incidents (
                             sitrep_session_get_incidents (f->session)), 0);
  g_autoptr(GPtrArray) events = NULL;

  if (incident == NULL)
    return FALSE;
  events = sitrep_store_list_events (sitrep_session_get_store (f->session),
                                     sitrep_incident_get_id (incident),
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      g_autofree char *text = sitrep_timeline_event_render (events->pdata[i],
                                                             SITREP_TIMELINE_RENDER_DEFAULT);

      if (g_str_has_prefix (text, "Rollout status on Hoist Controller: "))
        return TRUE;
    }
  return FALSE;
}

/* The commands are recorded under the commander's name from Preferences, as the incidents are,
 * and a name changed in Preferences is the next command's author. */
static void
test_actions_author (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load ("KUBECTL", KUBECTL, NULL);
  SitrepActionController *actions;

  g_settings_set_string (f->settings, "lead-name", "Dana Scribe");
  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, northwind);
  actions = sitrep_session_get_actions (f->session);
  g_assert_nonnull (actions);
  g_assert_cmpstr (sitrep_action_controller_get_author (actions), ==, "Dana Scribe");

  g_settings_set_string (f->settings, "lead-name", "Sam Keyboard");
  g_assert_true (sitrep_session_get_actions (f->session) == actions);
  g_assert_cmpstr (sitrep_action_controller_get_author (actions), ==, "Sam Keyboard");
  g_settings_reset (f->settings, "lead-name");
}

/* A command already running goes on to its end, on the record and on the incident's timeline;
 * a confirmed change still waiting to start does not start against a runbook no longer open. */
static void
test_replace_while_running (Fixture      *f,
                            gconstpointer data)
{
  g_autofree char *kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_autoptr(SitrepRunbook) cranes = load_text (harbor, "harbor.json");
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load ("KUBECTL", KUBECTL, NULL);
  g_autoptr(SitrepActionRequest) status = NULL;
  g_autoptr(SitrepActionRequest) restart = NULL;
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(GCancellable) undo = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  SitrepIncidentManager *incidents;
  SitrepActionController *actions;
  SitrepIncident *kept;
  SitrepDrillKube *server;
  guint actions_changed = 0;
  gboolean started = FALSE, finished = FALSE;
  gint64 incident_id;

  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("kubectl is missing: build-aux/sitrep-dev installs it at " KUBECTL);
      return;
    }
  server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  sitrep_drill_kube_write_kubeconfig (server, kubeconfig, "harbor-live", "cranes", FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  /* Ready 1 of 3: `rollout status` waits until the test says otherwise. */
  sitrep_drill_kube_add_deployment (server, "cranes", "hoist", 3, 1, 3);

  sitrep_session_set_runbook (f->session, cranes);
  g_assert_false (sitrep_session_get_trusted (f->session));
  sitrep_session_trust_runbook (f->session, cranes);
  g_assert_true (sitrep_session_get_trusted (f->session));
  incidents = sitrep_session_get_incidents (f->session);
  actions = sitrep_session_get_actions (f->session);
  g_assert_nonnull (incidents);
  g_assert_nonnull (actions);
  g_assert_true (sitrep_action_controller_get_runbook (actions) == cranes);
  incident_id = sitrep_incident_manager_declare (incidents, "S1", "Hoist stuck", "Quay 3", "ana",
                                                 NULL, NULL, &error);
  g_assert_no_error (error);

  /* A long command, and a confirmed restart still in its grace period. */
  status = request_for (f->session, "hoist", "status");
  run = sitrep_action_controller_run (actions, status, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_object_ref (run);
  wait_until (says_waiting, run, 30, "kubectl to wait for the rollout");
  sitrep_action_controller_set_grace_ms (actions, 60 * 1000);
  restart = request_for (f->session, "hoist", "restart");
  undo = sitrep_action_controller_schedule (actions, restart, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (actions), ==, 1);

  /* The controller is the run's now: the session lets go of it. */
  g_object_add_weak_pointer (G_OBJECT (actions), (gpointer *) &actions);
  g_signal_connect (f->session, "notify::actions", G_CALLBACK (count_cb), &actions_changed);
  sitrep_session_set_runbook (f->session, northwind);
  g_assert_true (sitrep_session_get_runbook (f->session) == northwind);
  g_assert_cmpuint (actions_changed, ==, 1);
  g_assert_nonnull (sitrep_session_get_actions (f->session));
  g_assert_true (sitrep_session_get_actions (f->session) != actions);
  g_assert_true (sitrep_action_controller_get_runbook (sitrep_session_get_actions (f->session))
                 == northwind);
  g_assert_nonnull (sitrep_monitor_find_service (sitrep_session_get_monitor (f->session),
                                                 "gateway"));
  g_assert_true (sitrep_incident_manager_get_runbook (sitrep_session_get_incidents (f->session))
                 == northwind);
  /* The incident stays open, shown with the runbook it was declared under, and current. */
  kept = sitrep_incident_manager_find (sitrep_session_get_incidents (f->session), incident_id);
  g_assert_nonnull (kept);
  g_assert_cmpstr (sitrep_incident_get_summary (kept), ==, "Hoist stuck");
  g_assert_cmpint (sitrep_incident_get_status (kept), !=, SITREP_STATUS_RESOLVED);
  g_assert_cmpstr (sitrep_runbook_get_name (sitrep_incident_manager_get_runbook_for (
                     sitrep_session_get_incidents (f->session), kept)), ==, "Harbor Cranes");
  g_assert_true (sitrep_incident_manager_get_current (sitrep_session_get_incidents (f->session))
                 == kept);

  /* Not killed: still running, its controller alive for it. */
  spin (1000);
  g_assert_true (sitrep_action_run_get_running (run));
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_NONE);
  g_assert_nonnull (actions);
  /* The restart did not start, and says why. */
  entries = session_audit (f->session);
  g_assert_cmpstr (last_audit (entries)->action_id, ==, "restart");
  g_assert_cmpstr (last_audit (entries)->outcome, ==, SITREP_AUDIT_CANCELLED);
  g_assert_nonnull (strstr (last_audit (entries)->output_tail, "another runbook was opened"));
  g_assert_cmpuint (sitrep_action_controller_get_n_pending (actions), ==, 0);
  g_assert_null (sitrep_drill_kube_find_request (server, "PATCH", "deployments/hoist"));
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* The rollout finishes: the run ends on its own, all of it on the record. */
  sitrep_drill_kube_add_deployment (server, "cranes", "hoist", 3, 3, 3);
  wait_until (run_ended, run, 30, "the rollout status to finish");
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  entries = session_audit (f->session);
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *entry = entries->pdata[i];

      if (g_str_equal (entry->action_id, "status")
          && !g_str_equal (entry->outcome, SITREP_AUDIT_STARTED))
        {
          g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_SUCCEEDED);
          g_assert_cmpint (entry->incident_id, ==, incident_id);
          g_assert_nonnull (strstr (entry->output_tail, "successfully rolled out"));
          finished = TRUE;
        }
    }
  g_assert_true (finished);
  /* The timeline events are committed by the store's writer thread, the last one just now. */
  wait_until (has_finished_event, f, 20, "the finished action on the incident's timeline");
  events = sitrep_store_list_events (sitrep_session_get_store (f->session), incident_id,
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  finished = FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *text = sitrep_timeline_event_render (events->pdata[i],
                                                             SITREP_TIMELINE_RENDER_DEFAULT);

      started |= g_str_has_prefix (text, "Started: Rollout status on Hoist Controller (");
      finished |= g_str_has_prefix (text, "Rollout status on Hoist Controller: ");
    }
  g_assert_true (started);
  g_assert_true (finished);

  /* Its run over, the replaced controller goes. */
  g_clear_object (&run);
  wait_until (is_null, &actions, 10, "the replaced controller to be freed");

  g_unsetenv ("KUBECONFIG");
  g_object_unref (server);
}

/* Read-only. */

static char *
read_only_text (void)
{
  g_autofree char *text = fixture_runbook_text ("KUBECTL", fake_kubectl, NULL);
  GString *read_only = g_string_new (text);

  g_assert_cmpuint (g_string_replace (read_only, "\"protected\": false,",
                                      "\"protected\": false, \"read_only\": true,", 1), ==, 1);
  return g_string_free (read_only, FALSE);
}

/* The controller agrees with the session, and a change asked of it is refused on the record. */
static void
assert_read_only (SitrepSession        *session,
                  gboolean              read_only,
                  SitrepReadOnlySource  source)
{
  SitrepActionController *actions = sitrep_session_get_actions (session);

  g_assert_cmpint (sitrep_session_get_read_only (session), ==, read_only);
  g_assert_cmpint (sitrep_session_get_read_only_source (session), ==, source);
  g_assert_cmpint (sitrep_action_controller_get_read_only (actions), ==, read_only);
  if (read_only)
    {
      g_autoptr(SitrepActionRequest) request = request_for (session, "gateway", "restart");
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_null (sitrep_action_controller_run (actions, request, NULL, FALSE, &error));
      g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_READ_ONLY);
      /* Says which command and why, not just "refused". */
      g_assert_nonnull (strstr (error->message, "“Restart”"));
      g_assert_nonnull (strstr (error->message, "read-only"));
      entries = session_audit (session);
      g_assert_cmpstr (last_audit (entries)->outcome, ==, SITREP_AUDIT_REFUSED);
      g_assert_cmpstr (last_audit (entries)->action_id, ==, "restart");
      g_assert_nonnull (strstr (last_audit (entries)->output_tail, "read-only"));
    }
}

/* Read-only is one live state with three sources: the settings (the preferences), the runbook's
 * environment.read_only, and --read-only, which holds until the session ends. */
static void
test_read_only (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(SitrepRunbook) northwind = NULL;
  g_autoptr(SitrepRunbook) read_only = NULL;
  g_autofree char *read_only_json = NULL;
  g_autofree char *args = NULL;
  g_autoptr(SitrepIncident) stored = NULL;
  g_autoptr(GError) error = NULL;
  SitrepActionController *actions;
  guint notified = 0;
  gint64 incident_id;

  fake_kubectl_set_up ();
  northwind = fixture_runbook_load ("KUBECTL", fake_kubectl, NULL);
  read_only_json = read_only_text ();
  read_only = load_text (read_only_json, "northwind-read-only.json");
  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, northwind);
  sitrep_session_trust_runbook (f->session, northwind);
  actions = sitrep_session_get_actions (f->session);
  g_signal_connect (f->session, "notify::read-only", G_CALLBACK (count_cb), &notified);
  assert_read_only (f->session, FALSE, SITREP_READ_ONLY_SOURCE_NONE);

  /* The settings, switched while the controller lives: the same controller follows. */
  g_settings_set_boolean (f->settings, "read-only", TRUE);
  g_assert_cmpuint (notified, ==, 1);
  assert_read_only (f->session, TRUE, SITREP_READ_ONLY_SOURCE_SETTINGS);
  /* Read-only hides what changes a cluster; incidents stay (the "read-only" setting's
   * description): an incident is declared and on the record. */
  incident_id = sitrep_incident_manager_declare (sitrep_session_get_incidents (f->session), "P2",
                                                 "Gateway slow", "", "ana", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (incident_id, >, 0);
  stored = sitrep_store_load_incident (sitrep_session_get_store (f->session), incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_summary (stored), ==, "Gateway slow");
  g_settings_set_boolean (f->settings, "read-only", FALSE);
  g_assert_cmpuint (notified, ==, 2);
  assert_read_only (f->session, FALSE, SITREP_READ_ONLY_SOURCE_NONE);
  g_assert_true (sitrep_session_get_actions (f->session) == actions);

  /* The runbook's environment.read_only, for as long as it is open. */
  sitrep_session_set_runbook (f->session, read_only);
  sitrep_session_trust_runbook (f->session, read_only);
  g_assert_cmpuint (notified, ==, 3);
  assert_read_only (f->session, TRUE, SITREP_READ_ONLY_SOURCE_RUNBOOK);
  sitrep_session_set_runbook (f->session, northwind);
  assert_read_only (f->session, FALSE, SITREP_READ_ONLY_SOURCE_NONE);

  /* Forced: nothing else turns it off. */
  sitrep_session_force_read_only (f->session);
  assert_read_only (f->session, TRUE, SITREP_READ_ONLY_SOURCE_FORCED);
  g_settings_set_boolean (f->settings, "read-only", TRUE);
  g_settings_set_boolean (f->settings, "read-only", FALSE);
  sitrep_session_set_runbook (f->session, read_only);
  sitrep_session_set_runbook (f->session, northwind);
  assert_read_only (f->session, TRUE, SITREP_READ_ONLY_SOURCE_FORCED);

  /* Every refusal was a refusal: kubectl never ran. */
  spin (300);
  args = recorded ();
  g_assert_cmpstr (args, ==, "");
  fake_kubectl_tear_down ();
}

/* Trust. */

static char *
marker_script (const char *name,
               const char *mark)
{
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho ran >> '%s'\necho exported\n", mark);
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* A runbook from a file runs no program of its own (probe or command) until it is trusted; the
 * trust is kept for its content, in the settings, or for the session when there are none. */
static void
test_trust (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *marker = g_build_filename (g_get_user_data_dir (), "probe-ran", NULL);
  g_autofree char *script = marker_script ("export-check", marker);
  g_autofree char *edited_script = marker_script ("export-check-2", marker);
  g_autofree char *text = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepRunbook) again = NULL;
  g_autoptr(SitrepRunbook) edited = NULL;
  g_autoptr(SitrepSession) forgetful = NULL;
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) trusted = NULL;
  SitrepMonitor *monitor;
  guint notified = 0;

  fake_kubectl_set_up ();
  text = fixture_runbook_text ("KUBECTL", fake_kubectl, "COMMAND", script, NULL);
  runbook = load_text (text, "northwind.json");
  again = load_text (text, "northwind.json");
  edited = fixture_runbook_load ("KUBECTL", fake_kubectl, "COMMAND", edited_script, NULL);

  g_signal_connect (f->session, "notify::trusted", G_CALLBACK (count_cb), &notified);
  sitrep_session_set_runbook (f->session, runbook);
  monitor = sitrep_session_get_monitor (f->session);
  g_assert_false (sitrep_session_get_trusted (f->session));
  g_assert_false (sitrep_probe_context_get_trusted (sitrep_monitor_get_context (monitor)));
  g_assert_false (sitrep_action_controller_get_trusted (sitrep_session_get_actions (f->session)));
  request = request_for (f->session, "gateway", "describe");
  g_assert_null (sitrep_action_controller_run (sitrep_session_get_actions (f->session), request,
                                               NULL, FALSE, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED);
  g_clear_error (&error);
  /* The probes ran their first round: the command probe was held back. */
  spin (2500);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* Trusted: remembered, the same monitor starts the program at once, commands may run. */
  sitrep_session_trust_runbook (f->session, runbook);
  g_assert_true (sitrep_session_get_trusted (f->session));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_true (sitrep_session_get_monitor (f->session) == monitor);
  g_assert_true (sitrep_probe_context_get_trusted (sitrep_monitor_get_context (monitor)));
  g_assert_true (sitrep_action_controller_get_trusted (sitrep_session_get_actions (f->session)));
  wait_until (file_exists, marker, 20, "the trusted command probe to run");
  trusted = g_settings_get_strv (f->settings, SITREP_TRUST_SETTINGS_KEY);
  g_assert_cmpstr (trusted[0], ==, sitrep_runbook_get_digest (runbook));

  /* Another content asks again; the same content, loaded anew, does not. */
  sitrep_session_set_runbook (f->session, edited);
  g_assert_false (sitrep_session_get_trusted (f->session));
  sitrep_session_set_runbook (f->session, again);
  g_assert_true (sitrep_session_get_trusted (f->session));

  /* Without settings, trust lasts as long as the session. */
  forgetful = sitrep_session_new (NULL);
  sitrep_session_pause_probes (forgetful);
  sitrep_session_set_runbook (forgetful, edited);
  g_assert_false (sitrep_session_get_trusted (forgetful));
  sitrep_session_trust_runbook (forgetful, edited);
  g_assert_true (sitrep_session_get_trusted (forgetful));
  /* The settings trust this one, but this session cannot read them. */
  sitrep_session_set_runbook (forgetful, runbook);
  g_assert_false (sitrep_session_get_trusted (forgetful));
  sitrep_session_set_runbook (forgetful, edited);
  g_assert_true (sitrep_session_get_trusted (forgetful));
  sitrep_session_close (forgetful);
  fake_kubectl_tear_down ();
}

/* Opening runbooks. */

static gboolean
loaded (gpointer data)
{
  return !sitrep_session_get_loading (data);
}

/* A file is read without blocking; one that does not load leaves its problems and no
 * half-loaded runbook; the last file that loaded is remembered, the built-in runbook forgets it. */
static void
test_open_runbook (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *path = fixture_runbook_write (NULL);
  g_autofree char *broken = g_build_filename (g_get_user_data_dir (), "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  g_autofree char *last = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(SitrepSession) next = NULL;
  GPtrArray *problems;

  sitrep_session_pause_probes (f->session);
  sitrep_session_open_last_runbook (f->session);
  g_assert_false (sitrep_session_get_loading (f->session));
  g_assert_true (sitrep_runbook_get_builtin (sitrep_session_get_runbook (f->session)));

  sitrep_session_open_runbook (f->session, file);
  g_assert_true (sitrep_session_get_loading (f->session));
  wait_until (loaded, f->session, 20, "the runbook to load");
  g_assert_cmpstr (sitrep_runbook_get_name (sitrep_session_get_runbook (f->session)), ==,
                   "Northwind Freight");
  g_assert_null (sitrep_session_get_problems (f->session));
  g_assert_true (sitrep_monitor_get_paused (sitrep_session_get_monitor (f->session)));
  last = g_settings_get_string (f->settings, "last-runbook");
  g_assert_cmpstr (last, ==, path);
  g_clear_pointer (&last, g_free);

  /* Broken: the problems, and nothing behind them. */
  g_assert_true (g_file_set_contents (broken, "{\n  \"sitrep_runbook\": 1,\n  \"nme\": 3\n}\n", -1,
                                      NULL));
  sitrep_session_open_runbook (f->session, broken_file);
  wait_until (loaded, f->session, 20, "the broken runbook to load");
  g_assert_null (sitrep_session_get_runbook (f->session));
  g_assert_null (sitrep_session_get_monitor (f->session));
  g_assert_null (sitrep_session_get_incidents (f->session));
  g_assert_null (sitrep_session_get_actions (f->session));
  problems = sitrep_session_get_problems (f->session);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len && problem == NULL; i++)
    {
      g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_assert_true (g_str_has_prefix (line, broken));
      if (strstr (line, ":3:3: unknown key \"nme\" in a runbook; did you mean \"name\"?") != NULL)
        problem = g_steal_pointer (&line);
    }
  g_assert_nonnull (problem);
  /* Not remembered: the next start opens the last one that worked. */
  last = g_settings_get_string (f->settings, "last-runbook");
  g_assert_cmpstr (last, ==, path);
  g_clear_pointer (&last, g_free);

  next = sitrep_session_new (f->settings);
  sitrep_session_pause_probes (next);
  sitrep_session_open_last_runbook (next);
  wait_until (loaded, next, 20, "the last runbook to load");
  g_assert_cmpstr (sitrep_runbook_get_source (sitrep_session_get_runbook (next)), ==, path);
  sitrep_session_close (next);

  /* The built-in runbook forgets the file. */
  sitrep_session_open_runbook (f->session, NULL);
  g_assert_true (sitrep_runbook_get_builtin (sitrep_session_get_runbook (f->session)));
  g_assert_null (sitrep_session_get_problems (f->session));
  last = g_settings_get_string (f->settings, "last-runbook");
  g_assert_cmpstr (last, ==, "");
}

/* A database that cannot be used is said, not fatal: probes run, nothing is recorded, and the
 * file is left as it was. */
static void
test_store_error (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "garbage.db", NULL);
  g_autofree char *garbage = g_strnfill (4096, 'z');
  g_autofree char *after = NULL;
  g_autoptr(SitrepSession) session = sitrep_session_new (NULL);
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  sitrep_session_pause_probes (session);
  g_assert_false (sitrep_session_open_store (session, path));
  g_assert_null (sitrep_session_get_store (session));
  g_assert_nonnull (strstr (sitrep_session_get_store_error (session), "not a Sitrep database"));

  sitrep_session_set_runbook (session, northwind);
  g_assert_nonnull (sitrep_session_get_monitor (session));
  g_assert_null (sitrep_session_get_incidents (session));
  g_assert_null (sitrep_session_get_actions (session));
  g_assert_null (sitrep_session_get_webhook (session));
  sitrep_session_close (session);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

/* Health: probes → monitor → session → the incident's timeline. */

static const char relay_runbook[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Relay Only\",\n"
  "  \"severities\": [{ \"id\": \"S1\", \"label\": \"Stop\", \"response_target\": \"10m\" }],\n"
  "  \"environment\": { \"context\": \"relay\", \"namespace\": \"mail\" },\n"
  "  \"services\": [\n"
  "    { \"id\": \"relay\", \"name\": \"Mail Relay\", \"probes\": [\n"
  "        { \"id\": \"smtp\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u,\n"
  "          \"timeout\": \"3s\", \"interval\": \"1s\", \"fail_after\": 1,\n"
  "          \"conditions\": [ { \"check\": \"[CONNECTED] == true\" } ] }\n"
  "    ] }\n"
  "  ]\n"
  "}\n";

typedef struct
{
  char *service_id;
  SitrepHealth health;
  guint count;
} Changed;

static void
health_changed_cb (SitrepSession      *session,
                   SitrepServiceState *state,
                   SitrepHealth        old_health,
                   SitrepHealth        new_health,
                   Changed            *changed)
{
  g_free (changed->service_id);
  changed->service_id = g_strdup (sitrep_service_state_get_id (state));
  changed->health = new_health;
  changed->count++;
}

static gboolean
went_down (gpointer data)
{
  Changed *changed = data;

  return changed->count > 0 && changed->health == SITREP_HEALTH_DOWN;
}

/* A port nothing listens on, found by listening on it and closing it again. */
static guint
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static gboolean
has_health_event (gpointer data)
{
  Fixture *f = data;
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (f->session);
  g_autoptr(SitrepIncident) incident =
    g_list_model_get_item (sitrep_incident_manager_get_incidents (incidents), 0);
  g_autoptr(GPtrArray) events = NULL;

  if (incident == NULL)
    return FALSE;
  events = sitrep_store_list_events (sitrep_session_get_store (f->session),
                                     sitrep_incident_get_id (incident),
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    if (g_str_equal (sitrep_timeline_event_get_kind (events->pdata[i]), "health"))
      return TRUE;
  return FALSE;
}

/* A service goes down while an incident names it: the session says so, once, whichever
 * runbook's monitor saw it, and the incident's timeline has it. */
static void
test_health_on_timeline (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *text = g_strdup_printf (relay_runbook, closed_port ());
  g_autoptr(SitrepRunbook) relay = load_text (text, "relay.json");
  g_autoptr(SitrepRunbook) again = load_text (text, "relay-again.json");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *services[] = { "relay", NULL };
  Changed changed = { 0 };
  gint64 incident_id;
  guint health_events = 0;

  g_signal_connect (f->session, "health-changed", G_CALLBACK (health_changed_cb), &changed);
  sitrep_session_set_runbook (f->session, relay);
  incident_id = sitrep_incident_manager_declare (sitrep_session_get_incidents (f->session), "S1",
                                                 "Mail stuck", "", "ana", NULL, services, &error);
  g_assert_no_error (error);
  wait_until (went_down, &changed, 20, "the relay to go down");
  g_assert_cmpstr (changed.service_id, ==, "relay");
  /* The event is written by the store's writer thread; the incident is reloaded after. */
  wait_until (has_health_event, f, 20, "the health change on the incident's timeline");

  events = sitrep_store_list_events (sitrep_session_get_store (f->session), incident_id,
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];

      if (g_str_equal (sitrep_timeline_event_get_kind (event), "health"))
        {
          g_autofree char *text = sitrep_timeline_event_render (event,
                                                                 SITREP_TIMELINE_RENDER_DEFAULT);

          g_assert_true (g_str_has_prefix (text, "Mail Relay: "));
          g_assert_nonnull (strstr (text, "Down"));
          health_events++;
        }
    }
  g_assert_cmpuint (health_events, ==, 1);

  /* Another runbook's monitor reports through the same signal: nothing to connect again. */
  changed.count = 0;
  sitrep_session_set_runbook (f->session, again);
  wait_until (went_down, &changed, 20, "the relay to go down under the new runbook");
  g_free (changed.service_id);
}

/* Closing the session (quitting the console) stops what runs, and says so on the record. */
static void
test_close (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *sleeper = g_build_filename (g_get_user_data_dir (), "kubectl-sleeps", NULL);
  g_autofree char *text = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  SitrepAuditEntry *entry = NULL;

  /* A kubectl that answers nothing for a minute. */
  g_assert_true (g_file_set_contents (sleeper, "#!/bin/sh\nexec sleep 60\n", -1, NULL));
  g_assert_cmpint (g_chmod (sleeper, 0755), ==, 0);
  text = fixture_runbook_text ("KUBECTL", sleeper, NULL);
  runbook = load_text (text, "northwind.json");
  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, runbook);
  sitrep_session_trust_runbook (f->session, runbook);
  request = request_for (f->session, "gateway", "describe");
  run = sitrep_action_controller_run (sitrep_session_get_actions (f->session), request, NULL,
                                      FALSE, &error);
  g_assert_no_error (error);
  g_object_ref (run);
  spin (500);
  g_assert_true (sitrep_action_run_get_running (run));

  store = g_object_ref (sitrep_session_get_store (f->session));
  sitrep_session_close (f->session);
  g_assert_null (sitrep_session_get_monitor (f->session));
  g_assert_null (sitrep_session_get_actions (f->session));
  wait_until (run_ended, run, 20, "the command to be stopped");
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_CANCELLED);
  /* Written once the audit log's key is read. */
  for (gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC; entry == NULL;)
    {
      g_clear_pointer (&entries, g_ptr_array_unref);
      entries = sitrep_store_list_audit (store, &error);
      g_assert_no_error (error);
      if (entries->len > 0
          && !g_str_equal (((SitrepAuditEntry *) last_audit (entries))->outcome,
                           SITREP_AUDIT_STARTED))
        entry = last_audit (entries);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpstr (entry->action_id, ==, "describe");
  g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_CANCELLED);
}


static gboolean
no_command_runs (gpointer data)
{
  SitrepActionController *actions = sitrep_session_get_actions (data);

  return actions != NULL && sitrep_action_controller_get_n_running (actions) == 0;
}

/* The summaries of the incidents the session shows, in its list's order, comma-separated. */
static char *
summaries (SitrepSession *session)
{
  GListModel *list = sitrep_incident_manager_get_incidents (sitrep_session_get_incidents (session));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SitrepIncident) incident = g_list_model_get_item (list, i);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                              sitrep_incident_get_summary (incident));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Switches, and keeps the store left behind in @left: the test waits for what it still
 * writes (a clock check queued before) before its folder goes. */
static gboolean
switch_keeping (SitrepSession *session,
                const char    *address,
                GPtrArray     *left,
                GError       **error)
{
  SitrepStore *store = sitrep_session_get_store (session);

  if (store != NULL)
    g_ptr_array_add (left, g_object_ref (store));
  return sitrep_session_switch_store (session, address, error);
}

static void
wait_for_left (GPtrArray *left)
{
  for (guint i = 0; i < left->len; i++)
    sitrep_store_wait_for_writes (left->pdata[i]);
}

/* Preferences' team database switches the console at once: the incidents, the monitor and the
 * commands are those of the other database, and back again; not while a command runs, whose
 * record belongs to the database it started on. */
static void
test_switch_store (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *waiter = g_build_filename (g_get_user_data_dir (), "kubectl-waits", NULL);
  g_autofree char *flag = g_build_filename (g_get_user_data_dir (), "kubectl-may-end", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nwhile [ ! -e '%s' ]; do sleep 0.1; done\n"
                                             "echo finished\n", flag);
  g_autofree char *other = g_build_filename (g_get_user_data_dir (), "other.db", NULL);
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(SitrepStore) first = NULL;
  g_autoptr(SitrepMonitor) first_monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);
  guint store_changed = 0;

  g_assert_true (g_file_set_contents (waiter, script, -1, NULL));
  g_assert_cmpint (g_chmod (waiter, 0755), ==, 0);
  text = fixture_runbook_text ("KUBECTL", waiter, NULL);
  runbook = load_text (text, "northwind.json");
  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, runbook);
  sitrep_session_trust_runbook (f->session, runbook);
  sitrep_incident_manager_declare (sitrep_session_get_incidents (f->session),
                                   "P2",
                                   "Checkout down", NULL, "ana", NULL, NULL, &error);
  g_assert_no_error (error);
  first = g_object_ref (sitrep_session_get_store (f->session));
  first_monitor = g_object_ref (sitrep_session_get_monitor (f->session));
  g_signal_connect (f->session, "notify::store", G_CALLBACK (count_cb), &store_changed);

  /* A command runs: the console stays where it is, and says why. */
  request = request_for (f->session, "gateway", "describe");
  run = sitrep_action_controller_run (sitrep_session_get_actions (f->session), request, NULL,
                                      FALSE, &error);
  g_assert_no_error (error);
  g_object_ref (run);
  g_assert_false (switch_keeping (f->session, other, left, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==, "A command is running or about to start: its record "
                                       "belongs to the database it started on. Switch when it "
                                       "has finished.");
  g_clear_error (&error);
  g_assert_true (sitrep_session_get_store (f->session) == first);
  g_assert_cmpstr (sitrep_session_get_store_address (f->session), ==, f->database);
  g_assert_cmpuint (store_changed, ==, 0);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_NONE);

  /* It ends: the console switches to the other database, empty of incidents. */
  g_assert_true (g_file_set_contents (flag, "", -1, NULL));
  wait_until (run_ended, run, 30, "the command to end");
  wait_until (no_command_runs, f->session, 30, "no command to run");
  g_assert_true (switch_keeping (f->session, other, left, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_changed, >=, 1);
  g_assert_nonnull (sitrep_session_get_store (f->session));
  g_assert_true (sitrep_session_get_store (f->session) != first);
  g_assert_cmpstr (sitrep_session_get_store_address (f->session), ==, other);
  g_assert_null (sitrep_session_get_store_error (f->session));
  g_assert_nonnull (sitrep_session_get_monitor (f->session));
  g_assert_true (sitrep_session_get_monitor (f->session) != first_monitor);
  g_assert_nonnull (sitrep_session_get_actions (f->session));
  shown = summaries (f->session);
  g_assert_cmpstr (shown, ==, "");
  g_clear_pointer (&shown, g_free);
  sitrep_incident_manager_declare (sitrep_session_get_incidents (f->session),
                                   "P2",
                                   "Search slow", NULL, "ana", NULL, NULL, &error);
  g_assert_no_error (error);
  shown = summaries (f->session);
  g_assert_cmpstr (shown, ==, "Search slow");
  g_clear_pointer (&shown, g_free);

  /* And back: the first database's incident, not the other's. */
  g_assert_true (switch_keeping (f->session, f->database, left, &error));
  g_assert_no_error (error);
  shown = summaries (f->session);
  g_assert_cmpstr (shown, ==, "Checkout down");
  g_clear_pointer (&shown, g_free);
  /* The same address again changes nothing. */
  store_changed = 0;
  g_assert_true (switch_keeping (f->session, f->database, left, &error));
  g_assert_cmpuint (store_changed, ==, 0);

  /* A team database that does not answer: the console connects on a thread and probes
   * meanwhile, as at start; it can switch back before it ever answers. */
  g_assert_true (switch_keeping (f->session, "postgresql://sitrep@127.0.0.1:1/incidents", left,
                                 &error));
  g_assert_no_error (error);
  g_assert_null (sitrep_session_get_store (f->session));
  g_assert_nonnull (sitrep_session_get_monitor (f->session));
  g_assert_true (switch_keeping (f->session, f->database, left, &error));
  g_assert_no_error (error);
  g_assert_false (sitrep_session_get_store_connecting (f->session));
  shown = summaries (f->session);
  g_assert_cmpstr (shown, ==, "Checkout down");
  wait_for_left (left);
}

/* The team address emptied in Preferences: the console goes back to the database it was
 * started with (sitrep --database FILE), not to this computer's default one. */
static void
test_switch_back_home (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *other = g_build_filename (g_get_user_data_dir (), "other.db", NULL);
  g_autofree char *shown = NULL;
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("KUBECTL", KUBECTL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);

  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, runbook);
  sitrep_incident_manager_declare (sitrep_session_get_incidents (f->session), "P2",
                                   "Checkout down", NULL, "ana", NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (switch_keeping (f->session, other, left, &error));
  g_assert_no_error (error);
  shown = summaries (f->session);
  g_assert_cmpstr (shown, ==, "");
  g_clear_pointer (&shown, g_free);

  /* Emptied (NULL, as Preferences passes it) and "": the file it started with, twice. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (switch_keeping (f->session, i == 0 ? NULL : "", left, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (sitrep_session_get_store_address (f->session), ==, f->database);
      shown = summaries (f->session);
      g_assert_cmpstr (shown, ==, "Checkout down");
      g_clear_pointer (&shown, g_free);
      g_assert_true (switch_keeping (f->session, other, left, &error));
      g_assert_no_error (error);
    }
  wait_for_left (left);
}

/* A console started on the default database goes back to it. */
static void
test_switch_back_default (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SitrepSession) session = sitrep_session_new (settings);
  g_autofree char *other = g_build_filename (g_get_user_data_dir (), "elsewhere.db", NULL);
  g_autofree char *default_path = sitrep_store_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (sitrep_session_open_store (session, NULL));
  g_assert_true (switch_keeping (session, other, left, &error));
  g_assert_no_error (error);
  g_assert_true (switch_keeping (session, NULL, left, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_session_get_store_address (session), ==, default_path);
  sitrep_session_close (session);
  wait_for_left (left);
}


static gboolean
store_offline (gpointer data)
{
  SitrepStore *store = sitrep_session_get_store (data);

  return store != NULL && sitrep_store_get_offline (store);
}

static gboolean
nothing_kept (gpointer data)
{
  SitrepStore *store = sitrep_session_get_store (data);

  return store != NULL && !sitrep_store_get_offline (store)
         && sitrep_store_get_pending_changes (store) == 0;
}

static gboolean
team_store_open (gpointer data)
{
  return sitrep_session_get_store (data) != NULL;
}

/* A console does not leave a team database while its server is away: what it keeps for it is
 * written only by a console on it. Once it is back and written, the console switches. */
static void
test_switch_keeps_journal (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("KUBECTL", KUBECTL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;
  SitrepIncidentManager *incidents;

  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, runbook);
  g_assert_true (sitrep_session_switch_store (f->session, cluster->uri, &error));
  g_assert_no_error (error);
  wait_until (team_store_open, f->session, 30, "the team database to open");
  incidents = sitrep_session_get_incidents (f->session);
  sitrep_incident_manager_declare (incidents, "P2", "Invoices late", NULL, "ana", NULL, NULL,
                                   &error);
  g_assert_no_error (error);

  pg_test_cluster_stop (cluster);
  sitrep_store_add_note_async (sitrep_session_get_store (f->session),
                               sitrep_incident_manager_get_current (incidents) != NULL
                                 ? sitrep_incident_get_id (sitrep_incident_manager_get_current (incidents))
                                 : 1,
                               g_get_real_time (), "Kept while away", "ana", NULL, NULL, NULL);
  wait_until (store_offline, f->session, 30, "the team database to be away");
  g_assert_false (switch_keeping (f->session, f->database, left, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Switch when it is back"));
  g_clear_error (&error);
  g_assert_true (sitrep_store_is_shared (sitrep_session_get_store (f->session)));

  pg_test_cluster_start (cluster);
  wait_until (nothing_kept, f->session, 60, "the kept note to be written");
  count = pg_test_cluster_query (cluster, "SELECT count(*) FROM timeline_events WHERE text = "
                                          "'Kept while away'");
  g_assert_cmpstr (count, ==, "1");
  g_assert_true (switch_keeping (f->session, f->database, left, &error));
  g_assert_no_error (error);
  g_assert_false (sitrep_store_is_shared (sitrep_session_get_store (f->session)));
  wait_for_left (left);
}

static gboolean
one_kept (gpointer data)
{
  SitrepStore *store = sitrep_session_get_store (data);

  return store != NULL && sitrep_store_get_offline (store)
         && sitrep_store_get_pending_changes (store) == 1;
}

/* A console started on a team database that has never answered since (a server down, or a
 * wrong address) switches away when asked, although it keeps a change: that change waits in
 * that address's journal. Once a server has answered, the console stays (above). */
static void
test_switch_from_never_connected (Fixture      *f,
                                  gconstpointer data)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("KUBECTL", KUBECTL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);

  pg_test_cluster_stop (cluster);
  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, runbook);
  g_assert_true (sitrep_session_switch_store (f->session, cluster->uri, &error));
  g_assert_no_error (error);
  wait_until (store_offline, f->session, 30, "the team database to be opened while away");
  g_assert_true (sitrep_store_get_never_connected (sitrep_session_get_store (f->session)));
  sitrep_store_add_note_async (sitrep_session_get_store (f->session), 1, g_get_real_time (),
                               "Kept for a server that never answered", "ana", NULL, NULL, NULL);
  wait_until (one_kept, f->session, 30, "the note to be kept");

  g_assert_true (switch_keeping (f->session, f->database, left, &error));
  g_assert_no_error (error);
  g_assert_false (sitrep_store_is_shared (sitrep_session_get_store (f->session)));
  wait_for_left (left);
}

static gboolean
waits_for_key (gpointer data)
{
  SitrepStore *store = sitrep_session_get_store (data);
  gboolean waits = FALSE;

  if (store != NULL)
    g_object_get (store, "waits-for-key", &waits, NULL);
  return waits && sitrep_store_get_pending_changes (store) == 2;
}

/* A console on a team database whose journal keeps a command's record from its last run, the
 * keyring not answering (its prompt unanswered): the changes wait for the audit log's key, and
 * the console does not switch away, saying so and what to do; once the keyring answers they
 * are written and it switches. */
static void
test_switch_waits_for_key (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("KUBECTL", KUBECTL, NULL);
  g_autofree char *journal_path = sitrep_store_journal_default_path (cluster->uri);
  g_autofree char *folder = g_path_get_dirname (journal_path);
  const char *argv[] = { "kubectl", "rollout", "restart", "deploy/api", NULL };
  SitrepAuditEntry entry = { .at = g_get_real_time (), .context = "prod", .namespace = "api",
                             .action_id = "restart-api", .argv = (GStrv) argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .author = "ana" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 incident;

  {
    g_autoptr(SitrepStoreJournal) journal = NULL;
    g_autoptr(JsonObject) body = sitrep_store_audit_entry_to_json (&entry);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
    journal = sitrep_store_journal_open (journal_path, &error);
    g_assert_no_error (error);
    g_assert_true (sitrep_store_journal_append (journal, "e0000000-0000-4000-8000-00000000000b",
                                                "audit", text, &error));
    g_assert_no_error (error);
  }
  /* The runbook's commands read the key as the console opens the team database. */
  sitrep_session_pause_probes (f->session);
  sitrep_session_set_runbook (f->session, runbook);
  sitrep_store_testing_hold_keyring ();
  g_assert_true (sitrep_session_switch_store (f->session, cluster->uri, &error));
  g_assert_no_error (error);
  wait_until (team_store_open, f->session, 30, "the team database to open");
  incident = sitrep_store_insert_incident (sitrep_session_get_store (f->session), "CareCircle",
                                           "SEV-1", "Queue backlog", g_get_real_time (), &error);
  g_assert_no_error (error);
  sitrep_store_add_note_async (sitrep_session_get_store (f->session), incident,
                               g_get_real_time (), "Behind the record", "ana", NULL, NULL, NULL);
  wait_until (waits_for_key, f->session, 30, "the record and the note to wait for the key");

  g_assert_false (switch_keeping (f->session, f->database, left, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==,
                   "2 changes kept on this computer wait for the audit log’s key before they are "
                   "written to the team database: unlock the keyring, and switch once they are "
                   "written.");
  g_clear_error (&error);

  sitrep_store_testing_release_keyring ();
  wait_until (nothing_kept, f->session, 60, "the record and the note to be written");
  g_assert_true (switch_keeping (f->session, f->database, left, &error));
  g_assert_no_error (error);
  wait_for_left (left);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/session/replace-while-running", Fixture, NULL, fixture_set_up,
              test_replace_while_running, fixture_tear_down);
  g_test_add ("/session/actions-author", Fixture, NULL, fixture_set_up, test_actions_author,
              fixture_tear_down);
  g_test_add ("/session/read-only", Fixture, NULL, fixture_set_up, test_read_only,
              fixture_tear_down);
  g_test_add ("/session/trust", Fixture, NULL, fixture_set_up, test_trust, fixture_tear_down);
  g_test_add ("/session/open-runbook", Fixture, NULL, fixture_set_up, test_open_runbook,
              fixture_tear_down);
  g_test_add_func ("/session/store-error", test_store_error);
  g_test_add ("/session/health-on-timeline", Fixture, NULL, fixture_set_up,
              test_health_on_timeline, fixture_tear_down);
  g_test_add ("/session/close", Fixture, NULL, fixture_set_up, test_close, fixture_tear_down);
  g_test_add ("/session/switch-store", Fixture, NULL, fixture_set_up, test_switch_store,
              fixture_tear_down);
  g_test_add ("/session/switch-back-home", Fixture, NULL, fixture_set_up, test_switch_back_home,
              fixture_tear_down);
  g_test_add_func ("/session/switch-back-default", test_switch_back_default);
  g_test_add ("/session/switch-waits-for-key", Fixture, NULL, fixture_set_up,
              test_switch_waits_for_key, fixture_tear_down);
  g_test_add ("/session/switch-keeps-journal", Fixture, NULL, fixture_set_up,
              test_switch_keeps_journal, fixture_tear_down);
  g_test_add ("/session/switch-from-never-connected", Fixture, NULL, fixture_set_up,
              test_switch_from_never_connected, fixture_tear_down);

  return g_test_run ();
}
