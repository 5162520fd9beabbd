/* test-runbook.c: the runbook loader accepts the shipped runbook and pinpoints every mistake */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <glib/gstdio.h>

#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"
#include "fixture-runbook.h"

/* A small valid runbook, one member per line so that the positions below can be read off it.
 * The variants replace text within a line, so line numbers never move. */
static const char *const BASE =
  /*  1 */ "{\n"
  /*  2 */ "  \"sitrep_runbook\": 1,\n"
  /*  3 */ "  \"name\": \"Test\",\n"
  /*  4 */ "  \"severities\": [\n"
  /*  5 */ "    {\n"
  /*  6 */ "      \"id\": \"SEV-1\",\n"
  /*  7 */ "      \"label\": \"Critical\",\n"
  /*  8 */ "      \"response_target\": \"15m\"\n"
  /*  9 */ "    },\n"
  /* 10 */ "    {\n"
  /* 11 */ "      \"id\": \"SEV-2\",\n"
  /* 12 */ "      \"label\": \"Major\",\n"
  /* 13 */ "      \"response_target\": \"1h30m\",\n"
  /* 14 */ "      \"update_every\": \"30m\"\n"
  /* 15 */ "    }\n"
  /* 16 */ "  ],\n"
  /* 17 */ "  \"contacts\": [\n"
  /* 18 */ "    { \"id\": \"oncall\", \"role\": \"On-call\", \"handle\": \"@oncall\" }\n"
  /* 19 */ "  ],\n"
  /* 20 */ "  \"escalation\": [\n"
  /* 21 */ "    {\n"
  /* 22 */ "      \"id\": \"all\",\n"
  /* 23 */ "      \"severities\": [\"SEV-1\", \"SEV-2\"],\n"
  /* 24 */ "      \"steps\": [\n"
  /* 25 */ "        { \"role\": \"On-call\", \"contact\": \"oncall\", \"after\": \"0m\" },\n"
  /* 26 */ "        { \"role\": \"Lead\", \"severities\": [\"SEV-1\"] }\n"
  /* 27 */ "      ]\n"
  /* 28 */ "    }\n"
  /* 29 */ "  ],\n"
  /* 30 */ "  \"checklist\": [\n"
  /* 31 */ "    {\n"
  /* 32 */ "      \"id\": \"first\",\n"
  /* 33 */ "      \"title\": \"First\",\n"
  /* 34 */ "      \"due\": \"5m\",\n"
  /* 35 */ "      \"items\": [\n"
  /* 36 */ "        { \"id\": \"channel\", \"text\": \"Open the channel\", \"opens\": { \"channel\": true } },\n"
  /* 37 */ "        { \"id\": \"status\", \"text\": \"Post status\", \"opens\": { \"template\": \"status\" } },\n"
  /* 38 */ "        { \"id\": \"dash\", \"text\": \"Dashboards\", \"opens\": { \"link\": \"dash\" } },\n"
  /* 39 */ "        { \"id\": \"restart\", \"text\": \"Restart\", \"opens\": { \"action\": \"restart\", \"service\": \"api\" } }\n"
  /* 40 */ "      ]\n"
  /* 41 */ "    }\n"
  /* 42 */ "  ],\n"
  /* 43 */ "  \"environment\": {\n"
  /* 44 */ "    \"context\": \"prod\",\n"
  /* 45 */ "    \"namespace\": \"app\",\n"
  /* 46 */ "    \"links\": [\n"
  /* 47 */ "      { \"id\": \"dash\", \"label\": \"Dashboards\", \"url\": \"https://dash.example.com\" }\n"
  /* 48 */ "    ]\n"
  /* 49 */ "  },\n"
  /* 50 */ "  \"services\": [\n"
  /* 51 */ "    {\n"
  /* 52 */ "      \"id\": \"api\",\n"
  /* 53 */ "      \"name\": \"API\",\n"
  /* 54 */ "      \"target\": \"deployment/api\",\n"
  /* 55 */ "      \"selector\": \"app=api\",\n"
  /* 56 */ "      \"links\": [\"dash\"],\n"
  /* 57 */ "      \"probes\": [\n"
  /* 58 */ "        { \"id\": \"health\", \"type\": \"http\", \"url\": \"https://api.example.com/health\", \"conditions\": [{ \"check\": \"[STATUS] == 200\", \"severity\": \"critical\" }] },\n"
  /* 59 */ "        { \"id\": \"cache\", \"type\": \"redis\", \"host\": \"redis\", \"check\": \"ping\" }\n"
  /* 60 */ "      ],\n"
  /* 61 */ "      \"actions\": [\"restart\", \"logs\"]\n"
  /* 62 */ "    },\n"
  /* 63 */ "    {\n"
  /* 64 */ "      \"id\": \"db\",\n"
  /* 65 */ "      \"name\": \"Database\",\n"
  /* 66 */ "      \"actions\": [\"logs-fixed\"]\n"
  /* 67 */ "    }\n"
  /* 68 */ "  ],\n"
  /* 69 */ "  \"actions\": [\n"
  /* 70 */ "    {\n"
  /* 71 */ "      \"id\": \"restart\",\n"
  /* 72 */ "      \"label\": \"Restart\",\n"
  /* 73 */ "      \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"],\n"
  /* 74 */ "      \"mutates\": true\n"
  /* 75 */ "    },\n"
  /* 76 */ "    {\n"
  /* 77 */ "      \"id\": \"logs\",\n"
  /* 78 */ "      \"label\": \"Logs\",\n"
  /* 79 */ "      \"argv\": [\"kubectl\", \"logs\", \"-l\", \"{selector}\", \"--tail=100\"]\n"
  /* 80 */ "    },\n"
  /* 81 */ "    {\n"
  /* 82 */ "      \"id\": \"logs-fixed\",\n"
  /* 83 */ "      \"label\": \"Database logs\",\n"
  /* 84 */ "      \"argv\": [\"kubectl\", \"logs\", \"deployment/db\"]\n"
  /* 85 */ "    }\n"
  /* 86 */ "  ],\n"
  /* 87 */ "  \"templates\": [\n"
  /* 88 */ "    {\n"
  /* 89 */ "      \"id\": \"status\",\n"
  /* 90 */ "      \"kind\": \"status\",\n"
  /* 91 */ "      \"title\": \"Status\",\n"
  /* 92 */ "      \"body\": \"Severity: {severity}\\nSummary: {summary}\"\n"
  /* 93 */ "    }\n"
  /* 94 */ "  ]\n"
  /* 95 */ "}\n";

/* Returns BASE with each FROM replaced by its TO; every FROM must occur exactly once. */
static char *
variant (const char *from,
         ...)
{
  GString *text = g_string_new (BASE);
  va_list args;

  va_start (args, from);
  for (const char *f = from; f != NULL; f = va_arg (args, const char *))
    {
      const char *to = va_arg (args, const char *);
      const char *at = strstr (text->str, f);
      gsize pos;

      g_assert (at != NULL);
      g_assert (strstr (at + 1, f) == NULL);
      pos = at - text->str;
      g_string_erase (text, pos, strlen (f));
      g_string_insert (text, pos, to);
    }
  va_end (args);

  return g_string_free (text, FALSE);
}

static SitrepRunbook *
load_valid (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  runbook = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_nonnull (runbook);
  return runbook;
}

/* Loads @json, expects it to be refused, and returns its problems (never NULL). */
static GPtrArray *
load_invalid (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);
  g_assert_null (runbook);
  g_assert_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID);
  if (problems == NULL)
    return g_ptr_array_new ();

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_test_message ("problem: %s", line);
    }
  return g_steal_pointer (&problems);
}

static void
check_message (const char *message,
               const char *fragment)
{
  if (strstr (message, fragment) == NULL)
    {
      g_test_message ("message \"%s\" lacks \"%s\"", message, fragment);
      g_test_fail ();
    }
}

/* Checks problem @index: its position and that its message holds every fragment (NULL-ended). */
static void
assert_problem (GPtrArray  *problems,
                guint       index,
                guint       line,
                guint       column,
                const char *fragment,
                ...)
{
  const SitrepRunbookProblem *problem;
  va_list args;

  g_assert_cmpuint (index, <, problems->len);
  if (index >= problems->len)
    return;
  problem = problems->pdata[index];
  g_assert_cmpstr (problem->file, ==, "test.json");
  g_assert_cmpuint (problem->line, ==, line);
  g_assert_cmpuint (problem->column, ==, column);

  va_start (args, fragment);
  for (const char *f = fragment; f != NULL; f = va_arg (args, const char *))
    check_message (problem->message, f);
  va_end (args);
}

#define assert_single(json, line, column, ...)                   \
  G_STMT_START {                                                 \
    g_autoptr(GPtrArray) _problems = load_invalid (json);        \
    g_assert_cmpuint (_problems->len, ==, 1);                    \
    assert_problem (_problems, 0, line, column, __VA_ARGS__);    \
  } G_STMT_END

static const char *
problem_message (GPtrArray *problems,
                 guint      index)
{
  if (index >= problems->len)
    return "";
  return ((SitrepRunbookProblem *) problems->pdata[index])->message;
}

/* The isolated directory that tests write their files in. */
static char *
test_path (const char *name)
{
  const char *dir = g_get_user_cache_dir ();

  g_assert (g_mkdir_with_parents (dir, 0700) == 0);
  return g_build_filename (dir, name, NULL);
}

static GFile *
write_file (const char *name,
            const char *data,
            gssize      length)
{
  g_autofree char *path = test_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Loads @file and expects exactly one problem, which is returned. */
static SitrepRunbookProblem *
load_file_one_problem (GFile  *file,
                       GQuark  domain,
                       int     code,
                       char  **error_message)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autofree char *path = g_file_get_path (file);
  SitrepRunbookProblem *problem;

  runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  g_assert_null (runbook);
  g_assert_error (error, domain, code);
  g_assert_nonnull (problems);
  g_assert (problems != NULL && problems->len >= 1);
  g_assert_cmpuint (problems->len, ==, 1);

  problem = g_ptr_array_steal_index (problems, 0);
  g_test_message ("problem: %s:%u:%u: %s", problem->file, problem->line, problem->column,
                  problem->message);
  g_assert_cmpstr (problem->file, ==, path);
  if (error_message != NULL)
    *error_message = g_strdup (error != NULL ? error->message : "");
  return problem;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepRunbookProblem, sitrep_runbook_problem_free)

/* The shipped CareCircle runbook ------------------------------------------------------------ */

static void
assert_strv (GStrv             strv,
             const char *const *expected)
{
  g_assert_nonnull (strv);
  if (strv == NULL)
    return;
  g_assert_cmpstrv (strv, expected);
}

static const SitrepProbeSpec *
find_probe (const SitrepService *service,
            const char          *id)
{
  for (guint i = 0; service != NULL && i < service->probes->len; i++)
    {
      const SitrepProbeSpec *probe = service->probes->pdata[i];

      if (g_strcmp0 (probe->id, id) == 0)
        return probe;
    }
  return NULL;
}

static void
check_severities (SitrepRunbook *runbook)
{
  GPtrArray *severities = sitrep_runbook_get_severities (runbook);
  static const char *const ids[] = { "SEV-1", "SEV-2", "SEV-3", "SEV-4" };
  static const char *const labels[] = { "Critical", "Major", "Minor", "Low" };
  static const gint64 targets[] = { 15 * 60, 30 * 60, 2 * 3600, 24 * 3600 };
  static const gint64 updates[] = { 15 * 60, 30 * 60, 30 * 60, 0 };

  g_assert_cmpuint (severities->len, ==, 4);
  for (guint i = 0; i < MIN (severities->len, 4); i++)
    {
      const SitrepSeverity *severity = severities->pdata[i];

      g_assert_cmpstr (severity->id, ==, ids[i]);
      g_assert_cmpstr (severity->label, ==, labels[i]);
      g_assert_cmpint (severity->response_target, ==, targets[i]);
      g_assert_cmpint (severity->update_every, ==, updates[i]);
      g_assert_true (sitrep_runbook_find_severity (runbook, ids[i]) == severity);
    }
  assert_strv (((SitrepSeverity *) severities->pdata[0])->examples,
               (const char *const[]) { "Complete outage", "Data loss", "Security breach", NULL });
  g_assert_cmpstr (((SitrepSeverity *) severities->pdata[0])->description, ==, "Service down");
  g_assert_null (sitrep_runbook_find_severity (runbook, "SEV-5"));
  g_assert_nonnull (strstr (sitrep_runbook_get_severity_hint (runbook), "pick the higher one"));
}

static void
check_contacts (SitrepRunbook *runbook)
{
  static const char *const ids[] = { "oncall", "teamlead", "manager", "infra", "dba" };
  static const char *const handles[] = { "@oncall", "@teamlead", "@manager", "@infra", "@dba" };
  static const char *const roles[] = {
    "On-call Engineer", "Team Lead", "Engineering Manager", "Infrastructure", "Database"
  };
  GPtrArray *contacts = sitrep_runbook_get_contacts (runbook);

  g_assert_cmpuint (contacts->len, ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const SitrepContact *contact = sitrep_runbook_find_contact (runbook, ids[i]);

      g_assert_nonnull (contact);
      if (contact == NULL)
        continue;
      g_assert_cmpstr (contact->handle, ==, handles[i]);
      g_assert_cmpstr (contact->role, ==, roles[i]);
    }
  g_assert_cmpstr (sitrep_runbook_find_contact (runbook, "dba")->when, ==, "DB-specific issues");
}

static void
check_escalation (SitrepRunbook *runbook)
{
  const SitrepEscalationPath *high = sitrep_runbook_find_escalation (runbook, "SEV-1");
  const SitrepEscalationPath *low = sitrep_runbook_find_escalation (runbook, "SEV-4");
  const SitrepEscalationStep *step;

  g_assert_cmpuint (sitrep_runbook_get_escalation (runbook)->len, ==, 2);
  g_assert_nonnull (high);
  g_assert_nonnull (low);
  if (high == NULL || low == NULL)
    return;

  g_assert_true (sitrep_runbook_find_escalation (runbook, "SEV-2") == high);
  g_assert_true (sitrep_runbook_find_escalation (runbook, "SEV-3") == low);
  g_assert_true (high != low);
  g_assert_null (sitrep_runbook_find_escalation (runbook, "SEV-9"));

  g_assert_cmpstr (high->id, ==, "sev-1-2");
  assert_strv (high->severities, (const char *const[]) { "SEV-1", "SEV-2", NULL });
  g_assert_cmpuint (high->steps->len, ==, 4);
  if (high->steps->len == 4)
    {
      step = high->steps->pdata[0];
      g_assert_cmpstr (step->contact, ==, "oncall");
      g_assert_cmpint (step->after, ==, 0);
      g_assert_null (step->severities);
      step = high->steps->pdata[1];
      g_assert_cmpstr (step->contact, ==, "teamlead");
      g_assert_cmpint (step->after, ==, 15 * 60);
      g_assert_null (step->severities);
      step = high->steps->pdata[2];
      g_assert_cmpstr (step->contact, ==, "manager");
      g_assert_cmpint (step->after, ==, 30 * 60);
      g_assert_null (step->severities);
      /* Only the CTO step is limited to SEV-1. */
      step = high->steps->pdata[3];
      g_assert_cmpstr (step->role, ==, "CTO");
      g_assert_null (step->contact);
      g_assert_cmpint (step->after, ==, 3600);
      assert_strv (step->severities, (const char *const[]) { "SEV-1", NULL });
      g_assert_cmpstr (step->note, ==, "For extended SEV-1 incidents");
    }

  g_assert_cmpstr (low->id, ==, "sev-3-4");
  g_assert_cmpuint (low->steps->len, ==, 2);
  if (low->steps->len == 2)
    {
      step = low->steps->pdata[0];
      g_assert_cmpint (step->after, ==, 0);
      step = low->steps->pdata[1];
      g_assert_cmpstr (step->contact, ==, "teamlead");
      g_assert_cmpint (step->after, ==, -1);
      g_assert_cmpstr (step->note, ==, "If needed");
    }
}

static const SitrepChecklistItem *
phase_item (const SitrepChecklistPhase *phase,
            const char                 *id)
{
  for (guint i = 0; i < phase->items->len; i++)
    {
      const SitrepChecklistItem *item = phase->items->pdata[i];

      if (g_strcmp0 (item->id, id) == 0)
        return item;
    }
  g_test_message ("no checklist item %s in phase %s", id, phase->id);
  g_test_fail ();
  return NULL;
}

static void
check_checklist (SitrepRunbook *runbook)
{
  static const char *const ids[] = { "acknowledge", "gather", "mitigate", "post-incident", "post-mortem" };
  static const SitrepPhaseFrom froms[] = {
    SITREP_PHASE_FROM_DECLARED, SITREP_PHASE_FROM_DECLARED, SITREP_PHASE_FROM_DECLARED,
    SITREP_PHASE_FROM_RESOLVED, SITREP_PHASE_FROM_RESOLVED
  };
  static const gint64 starts[] = { 0, 5 * 60, 15 * 60, 0, 0 };
  static const gint64 dues[] = { 5 * 60, 15 * 60, -1, 24 * 3600, 48 * 3600 };
  static const guint n_items[] = { 4, 4, 3, 3, 5 };
  GPtrArray *checklist = sitrep_runbook_get_checklist (runbook);
  const SitrepChecklistItem *item;

  g_assert_cmpuint (checklist->len, ==, 5);
  if (checklist->len != 5)
    return;
  for (guint i = 0; i < 5; i++)
    {
      const SitrepChecklistPhase *phase = checklist->pdata[i];

      g_assert_cmpstr (phase->id, ==, ids[i]);
      g_assert_cmpint (phase->from, ==, froms[i]);
      g_assert_cmpint (phase->starts, ==, starts[i]);
      g_assert_cmpint (phase->due, ==, dues[i]);
      g_assert_cmpuint (phase->items->len, ==, n_items[i]);
    }
  g_assert_cmpstr (((SitrepChecklistPhase *) checklist->pdata[0])->title, ==, "Acknowledge & Assess");

  if ((item = phase_item (checklist->pdata[0], "ack-monitoring")) != NULL)
    {
      g_assert_cmpint (item->opens, ==, SITREP_OPENS_LINK);
      g_assert_cmpstr (item->opens_ref, ==, "monitoring");
    }
  if ((item = phase_item (checklist->pdata[0], "determine-severity")) != NULL)
    g_assert_cmpint (item->opens, ==, SITREP_OPENS_NOTHING);
  if ((item = phase_item (checklist->pdata[0], "create-channel")) != NULL)
    {
      g_assert_cmpint (item->opens, ==, SITREP_OPENS_CHANNEL);
      g_assert_null (item->opens_ref);
      g_assert_nonnull (strstr (item->text, "#incident-YYYY-MM-DD"));
    }
  if ((item = phase_item (checklist->pdata[0], "initial-status")) != NULL)
    {
      g_assert_cmpint (item->opens, ==, SITREP_OPENS_TEMPLATE);
      g_assert_cmpstr (item->opens_ref, ==, "initial-status");
    }
  if ((item = phase_item (checklist->pdata[1], "deployments")) != NULL)
    {
      g_assert_cmpint (item->opens, ==, SITREP_OPENS_LINK);
      g_assert_cmpstr (item->opens_ref, ==, "deployments");
    }
  if ((item = phase_item (checklist->pdata[2], "fix-or-rollback")) != NULL)
    {
      g_assert_cmpint (item->opens, ==, SITREP_OPENS_ACTION);
      g_assert_cmpstr (item->opens_ref, ==, "rollback");
      g_assert_cmpstr (item->opens_service, ==, "api");
    }
  if ((item = phase_item (checklist->pdata[3], "close-channel")) != NULL)
    g_assert_cmpint (item->opens, ==, SITREP_OPENS_CHANNEL);
  if ((item = phase_item (checklist->pdata[4], "gather-timeline")) != NULL)
    {
      g_assert_cmpint (item->opens, ==, SITREP_OPENS_TEMPLATE);
      g_assert_cmpstr (item->opens_ref, ==, "postmortem");
    }
}

static void
check_environment (SitrepRunbook *runbook)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  const SitrepLink *link;

  g_assert_cmpstr (env->context, ==, "carecircle-production");
  g_assert_cmpstr (env->namespace_, ==, "carecircle");
  g_assert_true (env->protected_);
  g_assert_false (env->read_only);
  g_assert_cmpstr (env->kubectl, ==, "kubectl");
  g_assert_cmpuint (env->links->len, ==, 6);

  link = sitrep_runbook_find_link (runbook, "deployments");
  g_assert_nonnull (link);
  if (link != NULL)
    {
      g_assert_cmpstr (link->url, ==, "https://github.com/your-org/carecircle/actions");
      g_assert_cmpstr (link->label, ==, "Deployments (GitHub Actions)");
    }
  /* The team has not filled in the monitoring URL yet: absent, with a note saying so. */
  link = sitrep_runbook_find_link (runbook, "monitoring");
  g_assert_nonnull (link);
  if (link != NULL)
    {
      g_assert_null (link->url);
      g_assert_nonnull (strstr (link->note, "[Your monitoring URL]"));
    }
  g_assert_nonnull (sitrep_runbook_find_link (runbook, "neon"));
  g_assert_null (sitrep_runbook_find_link (runbook, "grafana"));
}

static void
check_services (SitrepRunbook *runbook)
{
  const SitrepService *api = sitrep_runbook_find_service (runbook, "api");
  const SitrepService *web = sitrep_runbook_find_service (runbook, "web");
  const SitrepService *workers = sitrep_runbook_find_service (runbook, "workers");
  const SitrepService *database = sitrep_runbook_find_service (runbook, "database");
  const SitrepService *redis = sitrep_runbook_find_service (runbook, "redis");
  const SitrepService *queues = sitrep_runbook_find_service (runbook, "queues");
  const SitrepProbeSpec *probe;
  const SitrepConditionSpec *condition;

  g_assert_cmpuint (sitrep_runbook_get_services (runbook)->len, ==, 6);
  g_assert_nonnull (api);
  g_assert_nonnull (web);
  g_assert_nonnull (workers);
  g_assert_nonnull (database);
  g_assert_nonnull (redis);
  g_assert_nonnull (queues);
  if (!api || !web || !workers || !database || !redis || !queues)
    return;

  g_assert_cmpstr (api->target, ==, "deployment/carecircle-api");
  g_assert_cmpstr (api->selector, ==, "app=carecircle-api");
  g_assert_cmpstr (web->target, ==, "deployment/carecircle-web");
  g_assert_cmpstr (workers->target, ==, "deployment/carecircle-workers");
  g_assert_cmpstr (workers->selector, ==, "app=carecircle-workers");
  g_assert_null (database->target);
  g_assert_null (redis->target);
  assert_strv (database->links, (const char *const[]) { "neon", "backup-procedures", NULL });
  g_assert_cmpuint (g_strv_length (database->procedures), ==, 4);
  g_assert_true (g_strv_contains ((const char *const *) api->actions, "rollback-to"));
  g_assert_true (g_strv_contains ((const char *const *) api->actions, "scale"));
  g_assert_false (g_strv_contains ((const char *const *) web->actions, "scale"));
  assert_strv (redis->actions, (const char *const[]) { "redis-ping", "redis-memory", "redis-flushdb", NULL });

  probe = find_probe (api, "health");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->type_name, ==, "http");
      g_assert_cmpstr (probe->url, ==, "http://api-internal/health/details");
      g_assert_cmpstr (probe->method, ==, "GET");
      g_assert_cmpint (probe->timeout_ms, ==, 5000);
      g_assert_cmpint (probe->interval_ms, ==, 15000);
      g_assert_cmpuint (probe->fail_after, ==, 3);
      g_assert_cmpuint (probe->recover_after, ==, 2);
      g_assert_cmpuint (probe->conditions->len, ==, 2);
      condition = probe->conditions->pdata[0];
      g_assert_cmpstr (condition->check, ==, "[STATUS] == 200");
      g_assert_cmpint (condition->severity, ==, SITREP_CONDITION_CRITICAL);
      /* Where the check is, for errors found when it is compiled. */
      g_assert_cmpuint (condition->line, ==, 168);
      g_assert_cmpuint (condition->column, ==, 24);
      condition = probe->conditions->pdata[1];
      g_assert_cmpint (condition->severity, ==, SITREP_CONDITION_WARNING);
    }
  /* A kube probe without a target watches its service's target. */
  probe = find_probe (api, "deployment");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->type_name, ==, "kube");
      g_assert_cmpstr (probe->target, ==, "deployment/carecircle-api");
    }
  probe = find_probe (workers, "health");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->type_name, ==, "command");
      assert_strv (probe->argv, (const char *const[]) {
        "kubectl", "exec", "{target}", "--", "curl", "-s", "localhost:3002/health", NULL });
      g_assert_cmpint (probe->interval_ms, ==, 30000);
      g_assert_cmpint (probe->timeout_ms, ==, 10000);
    }
  probe = find_probe (database, "postgres");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->type_name, ==, "postgres");
      g_assert_cmpstr (probe->secret, ==, "carecircle-database-url");
      g_assert_cmpstr (probe->query, ==, "SELECT count(*) FROM pg_stat_activity");
      g_assert_null (probe->conninfo);
    }
  probe = find_probe (database, "api-check");
  g_assert_nonnull (probe);
  if (probe != NULL)
    g_assert_cmpstr (((SitrepConditionSpec *) probe->conditions->pdata[0])->check, ==,
                     "[BODY].checks.database == \"up\"");
  probe = find_probe (redis, "ping");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->type_name, ==, "redis");
      g_assert_cmpstr (probe->host, ==, "your-redis-host");
      g_assert_cmpuint (probe->port, ==, 6379);
      g_assert_cmpstr (probe->check, ==, "ping");
      g_assert_cmpstr (probe->secret, ==, "carecircle-redis-password");
    }
  probe = find_probe (redis, "memory");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->check, ==, "info");
      g_assert_cmpstr (probe->field, ==, "used_memory");
      g_assert_cmpint (probe->interval_ms, ==, 60000);
    }
  g_assert_cmpuint (queues->probes->len, ==, 2);
  probe = find_probe (queues, "notification");
  g_assert_nonnull (probe);
  if (probe != NULL)
    {
      g_assert_cmpstr (probe->check, ==, "queue");
      g_assert_cmpstr (probe->queue, ==, "bull:notification");
    }
}

static const SitrepAction *
find_action (SitrepRunbook *runbook,
             const char    *id)
{
  const SitrepAction *action = sitrep_runbook_find_action (runbook, id);

  if (action == NULL)
    {
      g_test_message ("no action %s", id);
      g_test_fail ();
    }
  return action;
}

static void
check_actions (SitrepRunbook *runbook)
{
  const SitrepAction *action;
  const SitrepActionInput *input;

  g_assert_cmpuint (sitrep_runbook_get_actions (runbook)->len, ==, 23);

  if ((action = find_action (runbook, "restart")) != NULL)
    {
      assert_strv (action->argv, (const char *const[]) { "kubectl", "rollout", "restart", "{target}", NULL });
      g_assert_true (action->mutates);
      g_assert_true (action->dry_run);
      g_assert_false (action->dangerous);
      g_assert_nonnull (action->confirm);
      assert_strv (action->follow_up, (const char *const[]) {
        "kubectl", "rollout", "status", "{target}", "--timeout=5m", NULL });
      g_assert_cmpint (action->timeout_ms, ==, 5 * 60 * 1000);
    }
  if ((action = find_action (runbook, "rollback")) != NULL)
    {
      assert_strv (action->argv, (const char *const[]) { "kubectl", "rollout", "undo", "{target}", NULL });
      g_assert_cmpstr (action->noop_output, ==, "skipped rollback");
    }
  if ((action = find_action (runbook, "rollback-to")) != NULL)
    {
      g_assert_cmpuint (action->inputs->len, ==, 1);
      input = action->inputs->pdata[0];
      g_assert_cmpstr (input->name, ==, "revision");
      g_assert_cmpint (input->type, ==, SITREP_INPUT_CHOICE);
      g_assert_null (input->choices);
      assert_strv (input->choices_from, (const char *const[]) { "kubectl", "rollout", "history", "{target}", NULL });
      g_assert_cmpstr (action->argv[4], ==, "--to-revision={input.revision}");
    }
  if ((action = find_action (runbook, "history")) != NULL)
    {
      assert_strv (action->argv, (const char *const[]) { "kubectl", "rollout", "history", "{target}", NULL });
      g_assert_false (action->mutates);
    }
  if ((action = find_action (runbook, "status")) != NULL)
    g_assert_cmpint (action->timeout_ms, ==, 3 * 60 * 1000);
  if ((action = find_action (runbook, "scale")) != NULL)
    {
      g_assert_cmpuint (action->inputs->len, ==, 1);
      input = action->inputs->pdata[0];
      g_assert_cmpstr (input->name, ==, "replicas");
      g_assert_cmpint (input->type, ==, SITREP_INPUT_INTEGER);
      g_assert_true (input->has_min && input->has_max && input->has_default);
      g_assert_cmpint (input->min, ==, 1);
      g_assert_cmpint (input->max, ==, 20);
      g_assert_cmpint (input->default_value, ==, 4);
      g_assert_true (action->mutates);
    }
  if ((action = find_action (runbook, "logs")) != NULL)
    assert_strv (action->argv, (const char *const[]) { "kubectl", "logs", "-l", "{selector}", "--tail=100", NULL });
  if ((action = find_action (runbook, "logs-workers")) != NULL)
    g_assert_cmpstr (action->argv[4], ==, "--tail=200");
  if ((action = find_action (runbook, "logs-memory")) != NULL)
    g_assert_cmpstr (action->argv[4], ==, "--tail=500");
  if ((action = find_action (runbook, "logs-previous")) != NULL)
    g_assert_cmpstr (action->argv[4], ==, "--previous");
  if ((action = find_action (runbook, "describe")) != NULL)
    assert_strv (action->argv, (const char *const[]) { "kubectl", "describe", "{target}", NULL });
  if ((action = find_action (runbook, "events")) != NULL)
    g_assert_cmpstr (action->argv[2], ==, "events");
  if ((action = find_action (runbook, "top")) != NULL)
    assert_strv (action->argv, (const char *const[]) { "kubectl", "top", "pods", NULL });
  if ((action = find_action (runbook, "redis-ping")) != NULL)
    assert_strv (action->argv, (const char *const[]) { "redis-cli", "-h", "your-redis-host", "ping", NULL });
  if ((action = find_action (runbook, "redis-memory")) != NULL)
    g_assert_cmpstr (action->argv[4], ==, "memory");
  if ((action = find_action (runbook, "redis-flushdb")) != NULL)
    {
      g_assert_true (action->dangerous);
      g_assert_true (action->mutates);
      g_assert_cmpstr (action->argv[3], ==, "FLUSHDB");
    }
  if ((action = find_action (runbook, "queue-notification")) != NULL)
    assert_strv (action->argv, (const char *const[]) {
      "redis-cli", "-h", "your-redis-host", "LLEN", "bull:notification:wait", NULL });
  if ((action = find_action (runbook, "worker-health")) != NULL)
    g_assert_cmpstr (action->argv[3], ==, "--");
  if ((action = find_action (runbook, "exec-shell")) != NULL)
    {
      g_assert_true (action->terminal);
      g_assert_false (action->mutates);
    }
  g_assert_null (sitrep_runbook_find_action (runbook, "reboot"));
}

static void
check_templates (SitrepRunbook *runbook)
{
  static const char *const ids[] = {
    "initial-status", "initial-notification", "ongoing-update", "resolution", "postmortem"
  };
  static const SitrepTemplateKind kinds[] = {
    SITREP_TEMPLATE_STATUS, SITREP_TEMPLATE_NOTIFICATION, SITREP_TEMPLATE_UPDATE,
    SITREP_TEMPLATE_RESOLUTION, SITREP_TEMPLATE_POSTMORTEM
  };
  /* U+1F534, U+1F7E1, U+1F7E2: the file holds them as raw UTF-8. */
  static const char *const starts[] = {
    "\xF0\x9F\x94\xB4 INCIDENT DECLARED\nSeverity: {severity}\n",
    "\xF0\x9F\x94\xB4 We're investigating an issue affecting {service}.\n",
    "\xF0\x9F\x9F\xA1 UPDATE on {service} issue:\n",
    "\xF0\x9F\x9F\xA2 RESOLVED: {service} is now operating normally.\n",
    "# Incident Post-Mortem: {title}\n",
  };

  g_assert_cmpuint (sitrep_runbook_get_templates (runbook)->len, ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const SitrepTemplate *template_ = sitrep_runbook_find_template (runbook, ids[i]);

      g_assert_nonnull (template_);
      if (template_ == NULL)
        continue;
      g_assert_cmpint (template_->kind, ==, kinds[i]);
      g_assert_true (g_str_has_prefix (template_->body, starts[i]));
      g_assert_true (g_utf8_validate (template_->body, -1, NULL));
      /* "ðŸ" is what an emoji turns into when UTF-8 is read as Latin-1. */
      g_assert_null (strstr (template_->body, "\xC3\xB0\xC5\xB8"));
    }
  g_assert_nonnull (strstr (sitrep_runbook_find_template (runbook, "postmortem")->body,
                            "## Action Items\n{action_items}\n"));
  g_assert_cmpstr (sitrep_runbook_find_template (runbook, "resolution")->title, ==, "Resolution");
  g_assert_null (sitrep_runbook_find_template (runbook, "missing"));
}

static void
check_carecircle (SitrepRunbook *runbook)
{
  g_autofree char *summary = NULL;

  g_assert_cmpstr (sitrep_runbook_get_name (runbook), ==, "CareCircle");
  g_assert_cmpstr (sitrep_runbook_get_description (runbook), ==,
                   "Guide for responding to production incidents in CareCircle.");
  g_assert_cmpstr (sitrep_runbook_get_reminder (runbook), ==,
                   "Stay calm, communicate frequently, and document everything.");
  g_assert_cmpstr (sitrep_runbook_get_channel_format (runbook), ==, "#incident-{date}-{slug}");

  check_severities (runbook);
  check_contacts (runbook);
  check_escalation (runbook);
  check_checklist (runbook);
  check_environment (runbook);
  check_services (runbook);
  check_actions (runbook);
  check_templates (runbook);

  summary = sitrep_runbook_describe (runbook);
  g_assert_cmpstr (summary, ==,
                   "CareCircle: severities 4, services 6, probes 11, actions 23, checklist items 19, "
                   "templates 5 (context carecircle-production, namespace carecircle)");
}

static void
test_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  if (runbook == NULL)
    return;
  g_assert_true (g_str_has_prefix (sitrep_runbook_get_source (runbook), "resource://"));
  check_carecircle (runbook);
}

static void
test_shipped_file (void)
{
  const char *path = g_getenv ("SITREP_RUNBOOK");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  if (path == NULL)
    {
      g_test_fail_printf ("SITREP_RUNBOOK is not set: run the tests with meson test");
      return;
    }
  file = g_file_new_for_path (path);
  runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_nonnull (runbook);
  if (runbook == NULL)
    return;
  {
    g_autofree char *canonical = g_file_get_path (file);

    g_assert_cmpstr (sitrep_runbook_get_source (runbook), ==, canonical);
  }
  check_carecircle (runbook);
}

static void
test_format_duration (void)
{
  static const struct { gint64 seconds; const char *text; } cases[] = {
    { 15 * 60, "15 min" }, { 2 * 3600, "2 h" }, { 86400, "1 d" }, { 90, "90 s" }, { 0, "0 min" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sitrep_format_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The small base runbook and its defaults ---------------------------------------------------- */

static void
test_base (void)
{
  g_autoptr(SitrepRunbook) runbook = load_valid (BASE);
  g_autofree char *summary = NULL;
  const SitrepService *api;
  const SitrepEscalationPath *path;

  if (runbook == NULL)
    return;
  summary = sitrep_runbook_describe (runbook);
  g_assert_cmpstr (summary, ==, "Test: severities 2, services 2, probes 2, actions 3, "
                                "checklist items 4, templates 1 (context prod, namespace app)");
  /* Durations combine units; absent ones take their defaults. */
  g_assert_cmpint (sitrep_runbook_find_severity (runbook, "SEV-2")->response_target, ==, 5400);
  g_assert_cmpint (sitrep_runbook_find_severity (runbook, "SEV-1")->update_every, ==, 0);
  g_assert_cmpstr (sitrep_runbook_get_channel_format (runbook), ==, "#incident-{date}-{slug}");
  g_assert_cmpstr (sitrep_runbook_get_environment (runbook)->kubectl, ==, "kubectl");
  g_assert_false (sitrep_runbook_get_environment (runbook)->protected_);

  path = sitrep_runbook_find_escalation (runbook, "SEV-2");
  g_assert_nonnull (path);
  if (path != NULL)
    g_assert_cmpint (((SitrepEscalationStep *) path->steps->pdata[1])->after, ==, -1);

  api = sitrep_runbook_find_service (runbook, "api");
  g_assert_nonnull (api);
  if (api != NULL)
    {
      const SitrepProbeSpec *cache = find_probe (api, "cache");
      const SitrepProbeSpec *health = find_probe (api, "health");

      g_assert_cmpuint (cache->port, ==, 6379);
      g_assert_cmpint (cache->db, ==, 0);
      g_assert_cmpstr (health->method, ==, "GET");
      g_assert_cmpint (health->max_body, ==, 1048576);
      g_assert_cmpint (health->interval_ms, ==, 15000);
      g_assert_cmpint (health->timeout_ms, ==, 5000);
      g_assert_cmpint (health->jitter_ms, ==, 0);
    }
  g_assert_cmpint (sitrep_runbook_find_action (runbook, "logs")->timeout_ms, ==, 300000);
  g_assert_false (sitrep_runbook_find_action (runbook, "logs")->mutates);
}

/* One class of mistake per test, each at its line and column in BASE ------------------------ */

static void
test_unknown_key (void)
{
  g_autofree char *typo = variant ("\"update_every\": \"30m\"", "\"update_evry\": \"30m\"", NULL);
  g_autofree char *unrelated = variant ("\"update_every\": \"30m\"", "\"colour\": \"red\"", NULL);
  g_autofree char *top = variant ("\"name\": \"Test\",", "\"name\": \"Test\", \"owner\": \"me\",", NULL);
  g_autofree char *required = variant ("\"response_target\": \"15m\"", "\"respons_target\": \"15m\"", NULL);
  g_autoptr(GPtrArray) problems = NULL;

  /* At the key, with the near miss named. */
  assert_single (typo, 14, 7, "unknown key \"update_evry\" in a severity",
                 "did you mean \"update_every\"?", NULL);

  assert_single (unrelated, 14, 7, "unknown key \"colour\" in a severity", NULL);
  problems = load_invalid (unrelated);
  g_assert_null (strstr (problem_message (problems, 0), "did you mean"));

  assert_single (top, 3, 19, "unknown key \"owner\" in a runbook", NULL);

  /* A misspelt required key is also a missing one, reported at the object's brace. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = load_invalid (required);
  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, 5, 5, "a severity is missing the required key \"response_target\"", NULL);
  assert_problem (problems, 1, 8, 7, "unknown key \"respons_target\"", "did you mean \"response_target\"?", NULL);
}

static void
test_wrong_types (void)
{
  g_autofree char *string_for_number = variant ("\"sitrep_runbook\": 1,", "\"sitrep_runbook\": \"1\",", NULL);
  g_autofree char *number_for_string = variant ("\"label\": \"Critical\"", "\"label\": 1", NULL);
  g_autofree char *object_for_list = variant ("\"links\": [\"dash\"],", "\"links\": {\"dash\": true},", NULL);
  g_autofree char *string_for_bool = variant ("\"mutates\": true", "\"mutates\": \"yes\"", NULL);
  g_autofree char *number_for_duration = variant ("\"response_target\": \"15m\"", "\"response_target\": 15", NULL);
  g_autofree char *list_for_object = variant ("\"environment\": {", "\"environment\": [{", "  },\n  \"services\"", "  }],\n  \"services\"", NULL);

  assert_single (string_for_number, 2, 21, "\"sitrep_runbook\" must be a whole number, not a string", NULL);
  assert_single (number_for_string, 7, 16, "\"label\" must be a string in double quotes, not a number", NULL);
  assert_single (object_for_list, 56, 16, "\"links\" must be a list […], not an object", NULL);
  assert_single (string_for_bool, 74, 18, "\"mutates\" must be true or false, not a string", NULL);
  assert_single (number_for_duration, 8, 26, "\"response_target\" must be a string", "not a number", NULL);

  /* Every reference to a link fails too when "environment" is not an object. */
  {
    g_autoptr(GPtrArray) problems = load_invalid (list_for_object);

    assert_problem (problems, 0, 38, 66, "there is no link \"dash\"", NULL);
    assert_problem (problems, 1, 43, 18, "\"environment\" must be an object {…}, not a list", NULL);
  }
}

static void
test_missing_required (void)
{
  g_autofree char *service = variant ("\"name\": \"API\",", "\"description\": \"API\",", NULL);
  g_autofree char *environment = variant ("\"namespace\": \"app\",", "\"read_only\": false,", NULL);
  g_autofree char *top = variant ("\"name\": \"Test\",", "\"description\": \"Test\",", NULL);
  g_autofree char *item = variant ("{ \"id\": \"dash\", \"text\": \"Dashboards\",", "{ \"id\": \"dash\",", NULL);

  /* At the opening brace of the object that lacks it. */
  assert_single (service, 51, 5, "a service is missing the required key \"name\"", NULL);
  assert_single (environment, 43, 18, "\"environment\" is missing the required key \"namespace\"", NULL);
  assert_single (top, 1, 1, "a runbook is missing the required key \"name\"", NULL);
  assert_single (item, 38, 9, "a checklist item is missing the required key \"text\"", NULL);
}

static void
test_duplicate_ids (void)
{
  g_autofree char *severity = variant ("\"id\": \"SEV-2\"", "\"id\": \"SEV-1\"", NULL);
  g_autofree char *service = variant ("\"id\": \"db\"", "\"id\": \"api\"", NULL);
  g_autofree char *action = variant ("\"id\": \"logs-fixed\"", "\"id\": \"logs\"",
                                     "\"actions\": [\"logs-fixed\"]", "\"actions\": []", NULL);
  g_autofree char *item = variant ("{ \"id\": \"dash\", \"text\"", "{ \"id\": \"channel\", \"text\"", NULL);
  g_autoptr(GPtrArray) problems = NULL;

  /* At the second id, naming where the first one is. */
  problems = load_invalid (severity);
  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, 11, 13, "duplicate severity id \"SEV-1\"", "first at line 6, column 13", NULL);
  /* …and the escalation path's reference to the lost SEV-2 fails. */
  assert_problem (problems, 1, 23, 31, "there is no severity \"SEV-2\"", NULL);

  assert_single (service, 64, 13, "duplicate service id \"api\"", "first at line 52, column 13", NULL);
  assert_single (action, 82, 13, "duplicate action id \"logs\"", "first at line 77, column 13", NULL);
  assert_single (item, 38, 17, "duplicate checklist item id \"channel\"", "first at line 36, column 17", NULL);
}

static void
test_missing_references (void)
{
  g_autofree char *contact = variant ("\"contact\": \"oncall\"", "\"contact\": \"oncal\"", NULL);
  g_autofree char *severity = variant ("[\"SEV-1\", \"SEV-2\"]", "[\"SEV-1\", \"SEV-3\"]", NULL);
  g_autofree char *outside = variant ("[\"SEV-1\", \"SEV-2\"]", "[\"SEV-2\"]", NULL);
  g_autofree char *service_action = variant ("[\"restart\", \"logs\"]", "[\"restart\", \"log\"]", NULL);
  g_autofree char *service_link = variant ("\"links\": [\"dash\"]", "\"links\": [\"dahs\"]", NULL);
  g_autofree char *template_ = variant ("{ \"template\": \"status\" }", "{ \"template\": \"statuss\" }", NULL);
  g_autofree char *link = variant ("{ \"link\": \"dash\" }", "{ \"link\": \"dsah\" }", NULL);
  g_autofree char *opens_action = variant ("\"action\": \"restart\"", "\"action\": \"restrat\"", NULL);
  g_autofree char *opens_service = variant ("\"service\": \"api\" }", "\"service\": \"apj\" }", NULL);

  assert_single (contact, 25, 41, "there is no contact \"oncal\" in this runbook", "did you mean \"oncall\"?", NULL);
  assert_single (severity, 23, 31, "there is no severity \"SEV-3\" in this runbook", "did you mean", NULL);
  assert_single (outside, 26, 42, "severity \"SEV-1\" is not one of this escalation path's severities", NULL);
  assert_single (service_action, 61, 30, "there is no action \"log\" in this runbook", "did you mean \"logs\"?", NULL);
  assert_single (service_link, 56, 17, "there is no link \"dahs\" in this runbook", "did you mean \"dash\"?", NULL);
  assert_single (template_, 37, 73, "there is no template \"statuss\" in this runbook", "did you mean \"status\"?", NULL);
  assert_single (link, 38, 66, "there is no link \"dsah\" in this runbook", "did you mean \"dash\"?", NULL);
  assert_single (opens_action, 39, 68, "there is no action \"restrat\" in this runbook", "did you mean \"restart\"?", NULL);
  assert_single (opens_service, 39, 90, "there is no service \"apj\" in this runbook", "did you mean \"api\"?", NULL);
}

static void
test_reference_after_bad_entry (void)
{
  g_autofree char *json = variant ("[\"restart\", \"logs\"]", "[\"restart\", 5, \"lgs\"]", NULL);
  g_autoptr(GPtrArray) problems = load_invalid (json);

  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, 61, 30, "every entry of \"actions\" must be a string, not a number", NULL);
  assert_problem (problems, 1, 61, 33, "there is no action \"lgs\"", NULL);
}

/* Only a drill's runbook may name its cluster's kubeconfig, and say a service is not part of
 * it; a production runbook that tries either is told where and what to do. */
static void
test_drill_only (void)
{
  g_autoptr(SitrepRunbook) drill = NULL;
  const SitrepEnvironment *env;

  {
    g_autofree char *json = variant ("\"namespace\": \"app\",",
                                     "\"namespace\": \"app\", \"kubeconfig\": \"/tmp/kc\",", NULL);
    assert_single (json, 45, 39, "\"kubeconfig\" is only for a drill", "choose the cluster with \"context\"", NULL);
  }
  {
    g_autofree char *json = variant ("\"namespace\": \"app\",",
                                     "\"namespace\": \"app\", \"drill\": true, \"kubeconfig\": \"kc\",", NULL);
    assert_single (json, 45, 54, "\"kubeconfig\" must be an absolute path", "\"kc\"", NULL);
  }
  {
    g_autofree char *json = variant ("\"name\": \"Database\",",
                                     "\"name\": \"Database\", \"absent_from_drill\": \"not installed\",", NULL);
    assert_single (json, 65, 48, "\"absent_from_drill\" is only for a drill's runbook", NULL);
  }
  {
    g_autofree char *json = variant ("\"namespace\": \"app\",",
                                     "\"namespace\": \"app\", \"drill\": true,",
                                     "\"name\": \"API\",",
                                     "\"name\": \"API\", \"absent_from_drill\": \"gone\",", NULL);
    assert_single (json, 57, 17, "service \"api\" is absent from the drill: it has no probes", NULL);
  }
  {
    g_autofree char *json = variant ("\"namespace\": \"app\",",
                                     "\"namespace\": \"app\", \"drill\": true, \"kubeconfig\": \"/tmp/kc\",",
                                     "\"name\": \"Database\",",
                                     "\"name\": \"Database\", \"absent_from_drill\": \"not installed\",", NULL);

    drill = load_valid (json);
  }
  env = sitrep_runbook_get_environment (drill);
  g_assert_true (env->drill);
  g_assert_cmpstr (env->kubeconfig, ==, "/tmp/kc");
  g_assert_cmpstr (sitrep_runbook_find_service (drill, "db")->absent_from_drill, ==, "not installed");
}

static void
test_action_needs_target (void)
{
  g_autofree char *json = variant ("\"actions\": [\"logs-fixed\"]",
                                   "\"actions\": [\"logs-fixed\", \"restart\", \"logs\"]", NULL);
  g_autoptr(GPtrArray) problems = load_invalid (json);

  /* "db" has neither a target nor a selector. */
  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, 66, 33, "action \"restart\" uses {target} but service \"db\" has no \"target\"", NULL);
  assert_problem (problems, 1, 66, 44, "action \"logs\" uses {selector} but service \"db\" has no \"selector\"", NULL);
}

static void
test_template_placeholders (void)
{
  g_autofree char *unknown = variant ("{summary}", "{sumary}", NULL);
  g_autofree char *open = variant ("{summary}", "{summary", NULL);
  g_autofree char *close = variant ("Severity: {severity}", "Severity: severity}", NULL);
  g_autofree char *escapes = variant ("Severity: {severity}\\nSummary: {summary}",
                                      "S\\u00e9v \\\"x\\\" {sevrity}\\nSummary: {sumary}", NULL);
  g_autofree char *literal = variant ("Severity: {severity}", "Severity: {{{severity}}} {{not a placeholder}}", NULL);
  g_autofree char *channel = variant ("\"name\": \"Test\",", "\"name\": \"Test\", \"channel\": \"#inc-{dat}-{slug}\",", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  /* At the '{' inside the string: "\n" earlier in the string counts two columns. */
  assert_single (unknown, 92, 47, "unknown placeholder {sumary} in a template", "did you mean \"summary\"?", NULL);
  assert_single (open, 92, 47, "a '{' without its '}'", "\"{{\"", NULL);
  assert_single (close, 92, 34, "a '}' without its '{'", "\"}}\"", NULL);

  /* \u00e9 is six characters in the file, \" two. */
  problems = load_invalid (escapes);
  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, 92, 31, "unknown placeholder {sevrity}", "did you mean \"severity\"?", NULL);
  assert_problem (problems, 1, 92, 51, "unknown placeholder {sumary}", NULL);

  runbook = load_valid (literal);
  if (runbook != NULL)
    g_assert_cmpstr (sitrep_runbook_find_template (runbook, "status")->body, ==,
                     "Severity: {{{severity}}} {{not a placeholder}}\nSummary: {summary}");

  assert_single (channel, 3, 36, "unknown placeholder {dat} in \"channel\"", "did you mean \"date\"?", NULL);
}

static void
test_action_variables (void)
{
  g_autofree char *input = variant ("\"--tail=100\"", "\"--tail={input.lines}\"", NULL);
  g_autofree char *unknown = variant ("\"--tail=100\"", "\"--tail={tail}\"", NULL);

  assert_single (input, 79, 63, "{input.lines} names no input of this action", NULL);
  assert_single (unknown, 79, 63, "unknown placeholder {tail}", NULL);
}

/* The messages of the rules that keep commands inside "environment" (context "prod",
 * namespace "app" in BASE). */
#define CLUSTER(arg) "\"" arg "\": the console runs kubectl with --context \"prod\" and " \
  "--namespace \"app\" from \"environment\", so a command cannot aim at another cluster; " \
  "remove it (another cluster needs its own runbook)"
#define IDENTITY(arg) "\"" arg "\": kubectl acts as the user the kubeconfig gives context " \
  "\"prod\"; a command cannot take another identity or carry credentials; remove it " \
  "(credentials belong in the kubeconfig, never in the runbook)"
#define TLS(arg) "\"" arg "\": a command cannot change how kubectl checks the cluster's " \
  "certificate; remove it, and fix the certificate in the kubeconfig of context \"prod\""
#define ALL_NAMESPACES(arg) "\"" arg "\": every command stays in namespace \"app\" from " \
  "\"environment\"; remove it (another namespace needs its own runbook)"
#define NAMESPACE(arg) "\"" arg "\": every command runs in namespace \"app\" from " \
  "\"environment\", which the console adds itself; remove the flag, or write {namespace}"
#define WRAPPER(prog) "\"" prog "\" runs another program, hidden from the console's checks and " \
  "from the --context and --namespace it adds to kubectl; write the program itself first, " \
  "e.g. [\"kubectl\", …]"
#define ENV(prog) "\"" prog "\" runs another program (and can hand it KUBECONFIG or KUBECTL), " \
  "hidden from the console's checks and from the --context and --namespace it adds to " \
  "kubectl; write the program itself first, e.g. [\"kubectl\", …]: the console sets no " \
  "variables for a command"
#define SHELL(prog) "\"" prog "\": commands run as argv, never through a shell, so that the " \
  "console sees every program and argument; write the program and each of its arguments as " \
  "entries of the list, e.g. [\"kubectl\", \"get\", \"pods\"]"

/* Every way out of the environment, in every spelling, refused at its element with what to
 * write instead: the "logs" action's argv (line 79) is replaced by each. */
static void
test_escapes (void)
{
  static const struct
  {
    const char *argv;
    guint column;
    const char *message;
  } cases[] = {
    { "[\"env\", \"kubectl\", \"delete\", \"pod\", \"x\"]", 16, ENV ("env") },
    { "[\"/usr/bin/env\", \"kubectl\", \"get\", \"pods\"]", 16, ENV ("/usr/bin/env") },
    { "[\"env\", \"KUBECTL=/tmp/k\", \"kubectl\", \"get\", \"pods\"]", 16, ENV ("env") },
    { "[\"timeout\", \"10\", \"kubectl\", \"get\", \"pods\"]", 16,
      "\"timeout\" runs another program, hidden from the console's checks and from the "
      "--context and --namespace it adds to kubectl; write the program itself first, e.g. "
      "[\"kubectl\", …], and set the time limit with \"timeout\": \"2m\"" },
    { "[\"sudo\", \"kubectl\", \"get\", \"pods\"]", 16, WRAPPER ("sudo") },
    { "[\"sh\", \"-c\", \"kubectl delete pod x\"]", 16, SHELL ("sh") },
    { "[\"bash\", \"-c\", \"kubectl get pods\"]", 16, SHELL ("bash") },
    { "[\"python3\", \"-c\", \"import os\"]", 27,
      "\"-c\": python3 would run a program written here, hidden from the console's checks and "
      "from the --context and --namespace it adds to kubectl; write the program itself first, "
      "with each argument as an entry of the list" },
    { "[\"perl\", \"-e\", \"system 1\"]", 24,
      "\"-e\": perl would run a program written here, hidden from the console's checks and "
      "from the --context and --namespace it adds to kubectl; write the program itself first, "
      "with each argument as an entry of the list" },
    { "[\"find\", \".\", \"-exec\", \"kubectl\", \"delete\", \"pod\", \"x\", \";\"]", 29,
      "\"-exec\": find would run a program written here, hidden from the console's checks and "
      "from the --context and --namespace it adds to kubectl; write the program itself first, "
      "with each argument as an entry of the list" },
    { "[\"kubectl\", \"get\", \"pods\", \"--context\", \"other\"]", 42, CLUSTER ("--context") },
    { "[\"kubectl\", \"get\", \"pods\", \"--context=other\"]", 42, CLUSTER ("--context=other") },
    { "[\"kubectl\", \"get\", \"pods\", \"--kubeconfig=/tmp/k\"]", 42,
      CLUSTER ("--kubeconfig=/tmp/k") },
    { "[\"kubectl\", \"get\", \"pods\", \"--kubeconfig\", \"/tmp/k\"]", 42, CLUSTER ("--kubeconfig") },
    { "[\"kubectl\", \"get\", \"pods\", \"--server=https://x\"]", 42,
      CLUSTER ("--server=https://x") },
    { "[\"kubectl\", \"get\", \"pods\", \"-s\", \"https://x\"]", 42, CLUSTER ("-s") },
    { "[\"kubectl\", \"get\", \"pods\", \"--token=abc\"]", 42, IDENTITY ("--token=abc") },
    { "[\"kubectl\", \"get\", \"pods\", \"--token\", \"abc\"]", 42, IDENTITY ("--token") },
    { "[\"kubectl\", \"get\", \"pods\", \"--as=admin\"]", 42, IDENTITY ("--as=admin") },
    { "[\"kubectl\", \"get\", \"pods\", \"--as\", \"admin\"]", 42, IDENTITY ("--as") },
    { "[\"kubectl\", \"get\", \"pods\", \"--as-group=system:masters\"]", 42,
      IDENTITY ("--as-group=system:masters") },
    { "[\"kubectl\", \"get\", \"pods\", \"--as-group\", \"system:masters\"]", 42,
      IDENTITY ("--as-group") },
    { "[\"kubectl\", \"get\", \"pods\", \"--as-uid=0\"]", 42, IDENTITY ("--as-uid=0") },
    { "[\"kubectl\", \"get\", \"pods\", \"--as-uid\", \"0\"]", 42, IDENTITY ("--as-uid") },
    { "[\"kubectl\", \"get\", \"pods\", \"--insecure-skip-tls-verify\"]", 42,
      TLS ("--insecure-skip-tls-verify") },
    { "[\"kubectl\", \"get\", \"pods\", \"--insecure-skip-tls-verify=true\"]", 42,
      TLS ("--insecure-skip-tls-verify=true") },
    { "[\"kubectl\", \"get\", \"pods\", \"--all-namespaces\"]", 42,
      ALL_NAMESPACES ("--all-namespaces") },
    { "[\"kubectl\", \"get\", \"pods\", \"-A\"]", 42, ALL_NAMESPACES ("-A") },
    { "[\"kubectl\", \"get\", \"pods\", \"-Aowide\"]", 42, ALL_NAMESPACES ("-Aowide") },
    { "[\"kubectl\", \"get\", \"pods\", \"-n\", \"other\"]", 42, NAMESPACE ("-n other") },
    { "[\"kubectl\", \"get\", \"pods\", \"-nother\"]", 42, NAMESPACE ("-nother") },
    { "[\"kubectl\", \"get\", \"pods\", \"-n=other\"]", 42, NAMESPACE ("-n=other") },
    { "[\"kubectl\", \"get\", \"pods\", \"--namespace\", \"other\"]", 42,
      NAMESPACE ("--namespace other") },
    { "[\"kubectl\", \"get\", \"pods\", \"--namespace=other\"]", 42,
      NAMESPACE ("--namespace=other") },
    { "[\"kubectl\", \"logs\", \"-pn\", \"other\", \"x\"]", 35, NAMESPACE ("-pn other") },
    { "[\"kubectl\", \"config\", \"use-context\", \"other\"]", 37,
      "\"use-context\": kubectl config use-context changes the kubeconfig for every program on "
      "this machine; remove this command (the console gives each command --context \"prod\" "
      "itself)" },
    { "[\"/usr/bin/kubectl\", \"get\", \"pods\", \"--context=other\"]", 51,
      CLUSTER ("--context=other") },
    { "[\"kubectl-1.28\", \"get\", \"pods\"]", 16,
      "\"kubectl-1.28\" is not known to be kubectl, so the console would not give it --context "
      "and --namespace; write \"kubectl\" and set \"environment\".\"kubectl\" to "
      "\"kubectl-1.28\"" },
  };
  const char *logs_argv = "[\"kubectl\", \"logs\", \"-l\", \"{selector}\", \"--tail=100\"]";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = variant (logs_argv, cases[i].argv, NULL);
      g_autoptr(GPtrArray) problems = load_invalid (json);
      g_autofree char *expected = g_strdup_printf ("test.json:79:%u: %s", cases[i].column,
                                                   cases[i].message);
      g_autofree char *line = NULL;

      g_test_message ("argv %s", cases[i].argv);
      g_assert_cmpuint (problems->len, ==, 1);
      if (problems->len != 1)
        continue;
      line = sitrep_runbook_problem_to_string (problems->pdata[0]);
      g_assert_cmpstr (line, ==, expected);
    }
}

/* The same rules hold in follow_up, choices_from, a command probe, and for kubectl by the path
 * environment.kubectl gives; environment.kubectl itself cannot be a wrapper. */
static void
test_escapes_everywhere (void)
{
  static const struct
  {
    const char *from;
    const char *to;
    guint line;
    guint column;
    const char *message;
  } cases[] = {
    { "\"mutates\": true\n",
      "\"mutates\": true, \"follow_up\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--context=other\"]\n",
      74, 82, CLUSTER ("--context=other") },
    { "\"mutates\": true\n",
      "\"mutates\": true, \"inputs\": [{ \"name\": \"rev\", \"type\": \"choice\", \"choices_from\": [\"kubectl\", \"-A\", \"get\", \"rs\"] }]\n",
      74, 98, ALL_NAMESPACES ("-A") },
    { "{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"redis\", \"check\": \"ping\" }",
      "{ \"id\": \"cache\", \"type\": \"command\", \"argv\": [\"env\", \"kubectl\", \"get\", \"pods\"] }",
      59, 54, ENV ("env") },
    { "\"namespace\": \"app\",", NULL, 0, 0, NULL },
    { "\"namespace\": \"app\",",
      "\"namespace\": \"app\", \"kubectl\": \"/usr/bin/env\",",
      45, 36, "\"kubectl\" is \"/usr/bin/env\", a program that runs other programs or a shell: "
              "give the path of the kubectl binary itself, e.g. \"/usr/bin/kubectl\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *line = NULL;

      if (cases[i].message == NULL)
        {
          /* kubectl by environment.kubectl's path: "--token" after it is refused too. */
          json = variant (cases[i].from,
                          "\"namespace\": \"app\", \"kubectl\": \"/opt/kube/bin/k8s\",",
                          "[\"kubectl\", \"logs\", \"-l\", \"{selector}\", \"--tail=100\"]",
                          "[\"/opt/kube/bin/k8s\", \"logs\", \"--token=x\"]", NULL);
          problems = load_invalid (json);
          expected = g_strdup_printf ("test.json:79:45: %s", IDENTITY ("--token=x"));
        }
      else
        {
          json = variant (cases[i].from, cases[i].to, NULL);
          problems = load_invalid (json);
          expected = g_strdup_printf ("test.json:%u:%u: %s", cases[i].line, cases[i].column,
                                      cases[i].message);
        }
      g_assert_cmpuint (problems->len, ==, 1);
      if (problems->len != 1)
        continue;
      line = sitrep_runbook_problem_to_string (problems->pdata[0]);
      g_assert_cmpstr (line, ==, expected);
    }
}

/* What stays inside is accepted: the environment's own namespace, {namespace}, and whatever
 * follows "--" (the command in the pod). */
static void
test_escapes_allowed (void)
{
  static const char *const allowed[] = {
    "[\"kubectl\", \"get\", \"pods\", \"-n\", \"app\"]",
    "[\"kubectl\", \"get\", \"pods\", \"--namespace=app\"]",
    "[\"kubectl\", \"get\", \"pods\", \"-n\", \"{namespace}\"]",
    "[\"kubectl\", \"get\", \"pods\", \"--namespace={namespace}\", \"-lapp=x\"]",
    "[\"kubectl\", \"config\", \"current-context\"]",
    "[\"kubectl\", \"exec\", \"-l\", \"{selector}\", \"--\", \"curl\", \"-s\", \"-n\", \"localhost\"]",
    "[\"redis-cli\", \"-h\", \"cache\", \"-n\", \"3\", \"--as\", \"x\"]",
    "[\"python3\", \"/opt/checks/queue.py\", \"-c\", \"10\"]",
    "[\"find\", \"/var/log\", \"-name\", \"*.log\"]",
  };
  const char *logs_argv = "[\"kubectl\", \"logs\", \"-l\", \"{selector}\", \"--tail=100\"]";

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autofree char *json = variant (logs_argv, allowed[i], NULL);
      g_autoptr(SitrepRunbook) runbook = NULL;

      g_test_message ("argv %s", allowed[i]);
      runbook = load_valid (json);
      g_assert_nonnull (runbook);
    }
}

static void
test_bad_durations (void)
{
  g_autofree char *words = variant ("\"15m\"", "\"15 minutes\"", NULL);
  g_autofree char *after = variant ("\"after\": \"0m\"", "\"after\": \"soon\"", NULL);
  g_autofree char *unit = variant ("\"due\": \"5m\"", "\"due\": \"5\"", NULL);

  assert_single (words, 8, 26, "\"15 minutes\" is not a duration", "\"1h30m\"", NULL);
  assert_single (after, 25, 60, "\"soon\" is not a duration", NULL);
  assert_single (unit, 34, 14, "\"5\" is not a duration", NULL);
}

static void
test_unknown_enums (void)
{
  g_autofree char *probe_type = variant ("\"type\": \"http\"", "\"type\": \"htp\"", NULL);
  g_autofree char *condition = variant ("\"severity\": \"critical\"", "\"severity\": \"critcal\"", NULL);
  g_autofree char *kind = variant ("\"kind\": \"status\"", "\"kind\": \"stats\"", NULL);
  g_autofree char *from = variant ("\"due\": \"5m\",", "\"due\": \"5m\", \"from\": \"declard\",", NULL);
  g_autofree char *check = variant ("\"check\": \"ping\"", "\"check\": \"pong\"", NULL);

  assert_single (probe_type, 58, 35, "unknown probe type \"htp\"", "did you mean \"http\"?", NULL);
  assert_single (condition, 58, 141, "unknown condition severity \"critcal\"", "did you mean \"critical\"?", NULL);
  assert_single (kind, 90, 15, "unknown template kind \"stats\"", "did you mean \"status\"?", NULL);
  assert_single (from, 34, 28, "\"from\" is \"declard\"", "did you mean \"declared\"?", NULL);
  assert_single (check, 59, 69, "unknown redis check \"pong\"", "did you mean \"ping\"?", NULL);
}

static void
test_key_of_other_probe_type (void)
{
  g_autofree char *json = NULL;
  g_autofree char *typo = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  /* In a subprocess: this once crashed the loader (a NULL passed to g_str_equal), and a crash
   * must fail this test alone. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  json = variant ("\"check\": \"ping\" }", "\"check\": \"ping\", \"url\": \"http://redis\" }", NULL);
  assert_single (json, 59, 77, "\"url\" does not apply to a redis probe", NULL);
  problems = load_invalid (json);
  g_assert_null (strstr (problem_message (problems, 0), "did you mean"));

  /* A plain typo in a probe gets the usual suggestion. */
  typo = variant ("\"type\": \"http\",", "\"type\": \"http\", \"intervall\": \"30s\",", NULL);
  assert_single (typo, 58, 43, "unknown key \"intervall\" in a probe", "did you mean \"interval\"?", NULL);
}

static void
test_opens (void)
{
  g_autofree char *two = variant ("{ \"template\": \"status\" }", "{ \"template\": \"status\", \"channel\": true }", NULL);
  g_autofree char *no_service = variant ("{ \"action\": \"restart\", \"service\": \"api\" }", "{ \"action\": \"restart\" }", NULL);
  g_autofree char *not_listed = variant ("\"action\": \"restart\"", "\"action\": \"logs-fixed\"", NULL);

  assert_single (two, 37, 59, "\"opens\" takes exactly one of", NULL);
  assert_single (no_service, 39, 56, "exactly one more key, \"service\"", NULL);
  assert_single (not_listed, 39, 68, "action \"logs-fixed\" is not one of service \"api\"'s \"actions\"", NULL);
}

static void
test_format_version (void)
{
  g_autofree char *json = variant ("\"sitrep_runbook\": 1,", "\"sitrep_runbook\": 3,", NULL);

  assert_single (json, 2, 21, "this runbook is in format 3", "this Sitrep reads formats 1 to 2", NULL);
}

static void
test_not_an_object (void)
{
  assert_single ("[]", 1, 1, "a runbook must be an object {…}, not a list", NULL);
  assert_single ("\n  \"runbook\"\n", 2, 3, "a runbook must be an object {…}, not a string", NULL);
}

static void
test_all_problems_sorted (void)
{
  /* Sections are checked in dependency order (severities, escalation, actions, services,
   * checklist…), but the report follows the file. */
  g_autofree char *json = variant ("\"15m\"", "\"15 minutes\"",
                                   "{ \"link\": \"dash\" }", "{ \"link\": \"dsah\" }",
                                   "[\"restart\", \"logs\"]", "[\"restart\", \"log\"]",
                                   "\"--tail=100\"]", "\"--tail=100\", \"-n\", \"other\"]",
                                   "{summary}", "{sumary}",
                                   "\"contact\": \"oncall\", \"after\": \"0m\"",
                                   "\"contact\": \"oncal\", \"after\": \"soon\"",
                                   NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);
  g_assert_null (runbook);
  g_assert_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID);
  g_assert_nonnull (problems);
  if (problems == NULL)
    return;
  g_assert_cmpuint (problems->len, ==, 7);
  assert_problem (problems, 0, 8, 26, "\"15 minutes\" is not a duration", NULL);
  /* Two on one line, by column. */
  assert_problem (problems, 1, 25, 41, "there is no contact \"oncal\"", NULL);
  assert_problem (problems, 2, 25, 59, "\"soon\" is not a duration", NULL);
  assert_problem (problems, 3, 38, 66, "there is no link \"dsah\"", NULL);
  assert_problem (problems, 4, 61, 30, "there is no action \"log\"", NULL);
  assert_problem (problems, 5, 79, 69, "\"-n other\"", NULL);
  assert_problem (problems, 6, 92, 47, "unknown placeholder {sumary}", NULL);

  /* The error names the first problem and counts the rest. */
  g_assert_true (g_str_has_prefix (error->message, "test.json:8:26: "));
  g_assert_nonnull (strstr (error->message, "(and 6 more problems)"));
}

/* Files that are not runbooks at all: one problem each -------------------------------------- */

static void
test_file_empty (void)
{
  g_autoptr(GFile) file = write_file ("empty.json", "", 0);
  g_autoptr(SitrepRunbookProblem) problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR,
                                                                   SITREP_RUNBOOK_ERROR_INVALID, NULL);

  g_assert_cmpuint (problem->line, ==, 1);
  g_assert_cmpuint (problem->column, ==, 1);
  check_message (problem->message, "the file is empty");
}

static void
test_file_not_utf8 (void)
{
  g_autoptr(GFile) file = write_file ("latin1.json", "{\n  \"name\": \"caf\xE9\"\n}\n", -1);
  g_autoptr(SitrepRunbookProblem) problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR,
                                                                   SITREP_RUNBOOK_ERROR_INVALID, NULL);

  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpuint (problem->column, ==, 15);
  check_message (problem->message, "UTF-8");
}

static void
test_file_syntax (void)
{
  g_autofree char *json = variant ("\"mutates\": true\n", "\"mutates\": true,\n", NULL);
  g_autoptr(GFile) file = write_file ("comma.json", json, -1);
  g_autoptr(SitrepRunbookProblem) problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR,
                                                                   SITREP_RUNBOOK_ERROR_INVALID, NULL);

  g_assert_cmpuint (problem->line, ==, 75);
  g_assert_cmpuint (problem->column, ==, 5);
  check_message (problem->message, "trailing comma");
}

static void
test_file_too_deep (void)
{
  const gsize depth = 100000;
  g_autofree char *deep = g_malloc (depth * 2);
  g_autoptr(GFile) file = NULL;
  g_autoptr(SitrepRunbookProblem) problem = NULL;

  memset (deep, '[', depth);
  memset (deep + depth, ']', depth);
  file = write_file ("deep.json", deep, depth * 2);

  problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID, NULL);
  g_assert_cmpuint (problem->line, ==, 1);
  g_assert_cmpuint (problem->column, ==, 65);
  check_message (problem->message, "deeper than 64 levels");
}

static void
test_file_too_large (void)
{
  g_autofree char *path = test_path ("huge.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbookProblem) problem = NULL;
  g_autofree char *error_message = NULL;
  g_autofree char *chunk = g_strnfill (1000 * 1000, ' ');

  /* 50 MB of whitespace around a valid document: only its size is wrong. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (stream), BASE, strlen (BASE), NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    {
      g_output_stream_write_all (G_OUTPUT_STREAM (stream), chunk, 1000 * 1000, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error);
  g_assert_no_error (error);

  problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_TOO_LARGE,
                                   &error_message);
  check_message (problem->message, "limit");
  /* g_format_size () puts a no-break space before the unit. */
  check_message (problem->message, "the limit is 8.0\u00a0MB");
  check_message (problem->message, "the file is 50.0\u00a0MB");
  check_message (error_message, path);
  check_message (error_message, "limit");
}

static void
test_bytes_too_large (void)
{
  gsize size = SITREP_RUNBOOK_MAX_SIZE + 1;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_strnfill (size, ' '), size);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "big.json", &problems, &error);
  g_assert_null (runbook);
  g_assert_nonnull (error);
  g_assert_nonnull (problems);
  if (problems == NULL)
    return;
  g_assert_cmpuint (problems->len, ==, 1);
  check_message (problem_message (problems, 0), "the limit is 8.0\u00a0MB");
}

static void
test_file_directory (void)
{
  g_autofree char *path = test_path ("runbooks.d");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SitrepRunbookProblem) problem = NULL;
  g_autofree char *error_message = NULL;
  g_autofree char *text = NULL;

  g_assert (g_mkdir_with_parents (path, 0700) == 0);
  problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO, &error_message);
  check_message (problem->message, "folder");
  check_message (error_message, path);
  /* No line or column for a file that cannot be read: "FILE: message". */
  text = sitrep_runbook_problem_to_string (problem);
  g_assert_cmpstr (text, ==, error_message);
}

static void
test_file_missing (void)
{
  g_autofree char *path = test_path ("no-such-runbook.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SitrepRunbookProblem) problem = NULL;
  g_autofree char *error_message = NULL;

  problem = load_file_one_problem (file, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO, &error_message);
  check_message (problem->message, "no such file");
  g_assert_cmpuint (problem->line, ==, 0);
  check_message (error_message, path);
}

/* Loading off the main thread ------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  SitrepRunbook *runbook;
  GPtrArray *problems;
  GError *error;
} AsyncData;

static void
load_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncData *data = user_data;

  g_assert_null (source);
  data->runbook = sitrep_runbook_load_file_finish (result, &data->problems, &data->error);
  g_main_loop_quit (data->loop);
}

static void
load_async (GFile     *file,
            AsyncData *data)
{
  data->loop = g_main_loop_new (NULL, FALSE);
  sitrep_runbook_load_file_async (file, NULL, load_ready_cb, data);
  g_main_loop_run (data->loop);
  g_clear_pointer (&data->loop, g_main_loop_unref);
}

static gboolean
load_hung_cb (gpointer user_data)
{
  AsyncData *data = user_data;

  g_main_loop_quit (data->loop);
  return G_SOURCE_REMOVE;
}

/* What `sitrep --runbook` does in the console: a named pipe or a device is refused at once (a
 * pipe would block the loading thread until a writer came, and the console would stay on
 * "Loading" forever). */
static void
test_async_not_a_file (void)
{
  g_autofree char *fifo = test_path ("runbook.fifo");
  const char *const paths[] = { fifo, "/dev/zero" };
  const char *const messages[] = {
    "this is a named pipe (FIFO), not a file: reading it would wait for a writer forever; give "
    "the runbook's .json file",
    "this is a device, not a file: give the runbook's .json file",
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autofree char *expected = g_strdup_printf ("%s: %s", paths[i], messages[i]);
      AsyncData data = { 0 };
      guint guard;

      data.loop = g_main_loop_new (NULL, FALSE);
      guard = g_timeout_add_seconds (10, load_hung_cb, &data);
      sitrep_runbook_load_file_async (file, NULL, load_ready_cb, &data);
      g_main_loop_run (data.loop);
      g_clear_pointer (&data.loop, g_main_loop_unref);
      if (data.runbook == NULL && data.error == NULL)
        {
          /* The loading thread is stuck: the test ends here, and the process with it. */
          g_test_fail_printf ("loading %s did not finish within 10 s", paths[i]);
          return;
        }
      g_source_remove (guard);
      g_assert_null (data.runbook);
      g_assert_nonnull (data.error);
      g_assert_cmpuint (data.error->domain, ==, SITREP_RUNBOOK_ERROR);
      g_assert_cmpstr (data.error->message, ==, expected);
      g_assert_nonnull (data.problems);
      if (data.problems != NULL)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (data.problems->pdata[0]);

          g_assert_cmpuint (data.problems->len, ==, 1);
          g_assert_cmpstr (line, ==, expected);
        }
      g_clear_error (&data.error);
      g_clear_pointer (&data.problems, g_ptr_array_unref);
    }
}

static void
test_async_valid (void)
{
  g_autoptr(GFile) file = write_file ("valid.json", BASE, -1);
  AsyncData data = { 0 };

  load_async (file, &data);
  g_assert_no_error (data.error);
  g_assert_null (data.problems);
  g_assert_nonnull (data.runbook);
  if (data.runbook != NULL)
    g_assert_cmpstr (sitrep_runbook_get_name (data.runbook), ==, "Test");
  g_clear_object (&data.runbook);
}

static void
test_async_invalid (void)
{
  g_autofree char *json = variant ("\"15m\"", "\"15 minutes\"", "{summary}", "{sumary}", NULL);
  g_autoptr(GFile) file = write_file ("invalid.json", json, -1);
  g_autofree char *path = g_file_get_path (file);
  AsyncData data = { 0 };

  load_async (file, &data);
  g_assert_null (data.runbook);
  g_assert_error (data.error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID);
  g_assert_nonnull (data.problems);
  if (data.problems != NULL && data.problems->len == 2)
    {
      const SitrepRunbookProblem *first = data.problems->pdata[0];
      const SitrepRunbookProblem *second = data.problems->pdata[1];

      g_assert_cmpstr (first->file, ==, path);
      g_assert_cmpuint (first->line, ==, 8);
      g_assert_cmpuint (first->column, ==, 26);
      g_assert_cmpuint (second->line, ==, 92);
      g_assert_cmpuint (second->column, ==, 47);
    }
  else
    {
      g_test_message ("expected two problems");
      g_test_fail ();
    }
  g_clear_error (&data.error);
  g_clear_pointer (&data.problems, g_ptr_array_unref);
}

static void
test_async_missing (void)
{
  g_autofree char *path = test_path ("gone.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncData data = { 0 };

  load_async (file, &data);
  g_assert_null (data.runbook);
  g_assert_nonnull (data.error);
  g_assert_nonnull (data.problems);
  if (data.problems != NULL)
    {
      g_assert_cmpuint (data.problems->len, ==, 1);
      check_message (problem_message (data.problems, 0), "no such file");
    }
  g_clear_error (&data.error);
  g_clear_pointer (&data.problems, g_ptr_array_unref);
}

/* The tests' second runbook is valid, and is not CareCircle-shaped. */
static void
test_fixture_second_runbook (void)
{
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autofree char *path = fixture_runbook_write ("HTTP_URL", "http://127.0.0.1:8080", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) from_file = NULL;
  g_autoptr(GFile) file = NULL;
  const SitrepSeverity *p1;
  const SitrepService *gateway;

  g_assert_cmpstr (sitrep_runbook_get_name (runbook), ==, "Northwind Freight");
  g_assert_cmpuint (sitrep_runbook_get_severities (runbook)->len, ==, 3);
  p1 = sitrep_runbook_find_severity (runbook, "P1");
  g_assert_nonnull (p1);
  g_assert_cmpint (p1->response_target, ==, 10 * 60);
  g_assert_null (sitrep_runbook_find_severity (runbook, "SEV-1"));
  g_assert_cmpuint (sitrep_runbook_get_services (runbook)->len, ==, 6);

  file = g_file_new_for_path (path);
  from_file = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  gateway = sitrep_runbook_find_service (from_file, "gateway");
  g_assert_nonnull (gateway);
  g_assert_cmpstr (((SitrepProbeSpec *) gateway->probes->pdata[0])->url, ==,
                   "http://127.0.0.1:8080/health");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* A wrong position fails its test case without hiding the results of the others. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/runbook/default", test_default);
  g_test_add_func ("/runbook/shipped-file", test_shipped_file);
  g_test_add_func ("/runbook/format-duration", test_format_duration);
  g_test_add_func ("/runbook/base", test_base);
  g_test_add_func ("/runbook/fixture-second-runbook", test_fixture_second_runbook);

  g_test_add_func ("/runbook/problem/unknown-key", test_unknown_key);
  g_test_add_func ("/runbook/problem/drill-only", test_drill_only);
  g_test_add_func ("/runbook/problem/wrong-types", test_wrong_types);
  g_test_add_func ("/runbook/problem/missing-required", test_missing_required);
  g_test_add_func ("/runbook/problem/duplicate-ids", test_duplicate_ids);
  g_test_add_func ("/runbook/problem/missing-references", test_missing_references);
  g_test_add_func ("/runbook/problem/reference-after-bad-entry", test_reference_after_bad_entry);
  g_test_add_func ("/runbook/problem/action-needs-target", test_action_needs_target);
  g_test_add_func ("/runbook/problem/template-placeholders", test_template_placeholders);
  g_test_add_func ("/runbook/problem/action-variables", test_action_variables);
  g_test_add_func ("/runbook/problem/escapes", test_escapes);
  g_test_add_func ("/runbook/problem/escapes-everywhere", test_escapes_everywhere);
  g_test_add_func ("/runbook/escapes-allowed", test_escapes_allowed);
  g_test_add_func ("/runbook/problem/bad-durations", test_bad_durations);
  g_test_add_func ("/runbook/problem/unknown-enums", test_unknown_enums);
  g_test_add_func ("/runbook/problem/key-of-other-probe-type", test_key_of_other_probe_type);
  g_test_add_func ("/runbook/problem/opens", test_opens);
  g_test_add_func ("/runbook/problem/format-version", test_format_version);
  g_test_add_func ("/runbook/problem/not-an-object", test_not_an_object);
  g_test_add_func ("/runbook/problem/all-sorted", test_all_problems_sorted);

  g_test_add_func ("/runbook/file/empty", test_file_empty);
  g_test_add_func ("/runbook/file/not-utf8", test_file_not_utf8);
  g_test_add_func ("/runbook/file/syntax", test_file_syntax);
  g_test_add_func ("/runbook/file/too-deep", test_file_too_deep);
  g_test_add_func ("/runbook/file/too-large", test_file_too_large);
  g_test_add_func ("/runbook/file/bytes-too-large", test_bytes_too_large);
  g_test_add_func ("/runbook/file/directory", test_file_directory);
  g_test_add_func ("/runbook/async/not-a-file", test_async_not_a_file);
  g_test_add_func ("/runbook/file/missing", test_file_missing);

  g_test_add_func ("/runbook/async/valid", test_async_valid);
  g_test_add_func ("/runbook/async/invalid", test_async_invalid);
  g_test_add_func ("/runbook/async/missing", test_async_missing);

  return g_test_run ();
}
