/* test-runbook-v2.c: format 2 of the runbook, its new keys, and the upgrade from format 1 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sitrep-action-request.h"
#include "sitrep-argv.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"
#include "sitrep-incident-manager.h"
#include "sitrep-incident-status.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "sitrep-store.h"
#include "sitrep-template-values.h"
#include "fixture-incident.h"
#include "fixture-runbook.h"

/* A small format-2 runbook, one member per line so that positions can be read off it. */
static const char *const BASE =
  /*  1 */ "{\n"
  /*  2 */ "  \"sitrep_runbook\": 2,\n"
  /*  3 */ "  \"name\": \"Test\",\n"
  /*  4 */ "  \"severities\": [\n"
  /*  5 */ "    { \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" },\n"
  /*  6 */ "    { \"id\": \"SEV-2\", \"label\": \"Major\", \"response_target\": \"1h\" }\n"
  /*  7 */ "  ],\n"
  /*  8 */ "  \"checklist\": [\n"
  /*  9 */ "    { \"id\": \"first\", \"title\": \"First\", \"items\": [\n"
  /* 10 */ "        { \"id\": \"page\", \"text\": \"Page the VP\" },\n"
  /* 11 */ "        { \"id\": \"note\", \"text\": \"Take notes\" }\n"
  /* 12 */ "    ] }\n"
  /* 13 */ "  ],\n"
  /* 14 */ "  \"environment\": { \"context\": \"prod\", \"namespace\": \"app\" },\n"
  /* 15 */ "  \"services\": [ { \"id\": \"api\", \"name\": \"API\" } ],\n"
  /* 16 */ "  \"templates\": [\n"
  /* 17 */ "    { \"id\": \"status\", \"kind\": \"status\", \"title\": \"Status\", \"body\": \"{severity}: {summary}\" }\n"
  /* 18 */ "  ]\n"
  /* 19 */ "}\n";

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
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_test_message ("unexpected problem: %s", line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

/* Expects @json to be refused with exactly one problem, at @line:@column, whose message holds
 * every fragment (NULL-ended). */
static void
assert_single (const char *json,
               guint       line,
               guint       column,
               const char *fragment,
               ...)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  const SitrepRunbookProblem *problem;
  va_list args;

  runbook = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);
  g_assert_null (runbook);
  g_assert_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_test_message ("problem: %s", text);
    }
  g_assert_cmpuint (problems->len, ==, 1);
  problem = problems->pdata[0];
  g_assert_cmpstr (problem->file, ==, "test.json");
  g_assert_cmpuint (problem->line, ==, line);
  g_assert_cmpuint (problem->column, ==, column);
  va_start (args, fragment);
  for (const char *f = fragment; f != NULL; f = va_arg (args, const char *))
    if (strstr (problem->message, f) == NULL)
      g_test_fail_printf ("message \"%s\" lacks \"%s\"", problem->message, f);
  va_end (args);
}

static char *
write_temp (const char *name,
            const char *text,
            int         mode)
{
  const char *dir = g_get_user_cache_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert (g_mkdir_with_parents (dir, 0700) == 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return g_steal_pointer (&path);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* @text with its first `"sitrep_runbook": 1` made 2: all an upgrade may change. */
static char *
expected_upgrade (const char *text)
{
  const char *at = strstr (text, "\"sitrep_runbook\": 1");

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s\"sitrep_runbook\": 2%s", (int) (at - text), text,
                          at + strlen ("\"sitrep_runbook\": 1"));
}

static void
test_version (void)
{
  g_autoptr(SitrepRunbook) two = load_valid (BASE);
  g_autofree char *v1 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,", NULL);
  g_autoptr(SitrepRunbook) one = load_valid (v1);
  g_autofree char *v3 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 3,", NULL);
  g_autofree char *v0 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 0,", NULL);

  g_assert_cmpuint (sitrep_runbook_get_format (two), ==, 2);
  g_assert_cmpuint (sitrep_runbook_get_format (one), ==, 1);
  assert_single (v3, 2, 21, "this runbook is in format 3", "reads formats 1 to 2", NULL);
  assert_single (v0, 2, 21, "this runbook is in format 0", NULL);
}

/* The upgrade of bytes changes the version and nothing else: not the order of keys, not the
 * layout, not a value; a runbook in format 2 comes back as it is. */
static void
test_upgrade_bytes (void)
{
  g_autofree char *v1 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (v1, strlen (v1));
  g_autoptr(GBytes) current = g_bytes_new (BASE, strlen (BASE));
  g_autoptr(GBytes) upgraded = NULL;
  g_autoptr(GBytes) same = NULL;
  g_autoptr(GError) error = NULL;
  guint from = 0;

  upgraded = sitrep_runbook_upgrade_bytes (bytes, "test.json", &from, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (upgraded, NULL), g_bytes_get_size (upgraded), BASE,
                   strlen (BASE));

  same = sitrep_runbook_upgrade_bytes (current, "test.json", &from, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from, ==, 2);
  g_assert_true (g_bytes_equal (same, current));
}

/* The shipped runbook and the second one, upgraded in place: byte for byte the same file but
 * for the version, the file's permissions kept, and it loads as format 2 with what it had. */
static void
test_upgrade_files (void)
{
  const char *carecircle = g_getenv ("SITREP_RUNBOOK");
  g_autofree char *northwind_text = fixture_runbook_text (NULL);
  g_autofree char *carecircle_text = NULL;
  const char *texts[2];

  if (carecircle == NULL)
    {
      g_test_fail_printf ("SITREP_RUNBOOK is not set: run the tests with meson test");
      return;
    }
  carecircle_text = read_text (carecircle);
  texts[0] = carecircle_text;
  texts[1] = northwind_text;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *path = write_temp (i == 0 ? "carecircle.json" : "northwind.json",
                                          texts[i], 0640);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *want = expected_upgrade (texts[i]);
      g_autofree char *got = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(SitrepRunbook) before = NULL;
      g_autoptr(SitrepRunbook) after = NULL;
      g_autofree char *described_before = NULL;
      g_autofree char *described_after = NULL;
      struct stat st;
      guint from = 0;

      before = sitrep_runbook_load_file (file, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (sitrep_runbook_upgrade_file (file, &from, &problems, &error));
      g_assert_no_error (error);
      g_assert_null (problems);
      g_assert_cmpuint (from, ==, 1);
      got = read_text (path);
      g_assert_cmpstr (got, ==, want);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 07777, ==, 0640);

      after = sitrep_runbook_load_file (file, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sitrep_runbook_get_format (after), ==, 2);
      described_before = sitrep_runbook_describe (before);
      described_after = sitrep_runbook_describe (after);
      g_assert_cmpstr (described_after, ==, described_before);

      /* Again: already in format 2, nothing is written. */
      g_assert_true (sitrep_runbook_upgrade_file (file, &from, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (from, ==, 2);
      g_clear_pointer (&got, g_free);
      got = read_text (path);
      g_assert_cmpstr (got, ==, want);
    }
}

/* A runbook with a problem is refused with the problem, and the file stays byte-identical
 * (and so does its modification time: it is not rewritten at all). */
static void
test_upgrade_refuses_invalid (void)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autofree char *bad = NULL;
  g_autofree char *path = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st_before, st_after;
  const char *at = strstr (text, "\"update_every\": \"20m\"");
  guint from = 0;

  g_assert_nonnull (at);
  bad = g_strdup_printf ("%.*s\"update_evry\": \"20m\"%s", (int) (at - text), text,
                         at + strlen ("\"update_every\": \"20m\""));
  path = write_temp ("northwind-bad.json", bad, 0600);
  file = g_file_new_for_path (path);
  g_assert_cmpint (g_stat (path, &st_before), ==, 0);

  g_assert_false (sitrep_runbook_upgrade_file (file, &from, &problems, &error));
  g_assert_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 1);
  {
    const SitrepRunbookProblem *problem = problems->pdata[0];

    g_assert_cmpstr (problem->file, ==, path);
    g_assert_cmpuint (problem->line, ==, 9);
    g_assert_cmpuint (problem->column, ==, 7);
    g_assert_nonnull (strstr (problem->message, "did you mean \"update_every\"?"));
  }
  after = read_text (path);
  g_assert_cmpstr (after, ==, bad);
  g_assert_cmpint (g_stat (path, &st_after), ==, 0);
  g_assert_cmpint (st_after.st_ino, ==, st_before.st_ino);
  g_assert_cmpint (st_after.st_mtim.tv_sec, ==, st_before.st_mtim.tv_sec);
  g_assert_cmpint (st_after.st_mtim.tv_nsec, ==, st_before.st_mtim.tv_nsec);
}

/* Through a symbolic link, the file it points at is upgraded and the link stays a link. */
static void
test_upgrade_through_link (void)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autofree char *path = write_temp ("northwind-target.json", text, 0644);
  g_autofree char *link = g_build_filename (g_get_user_cache_dir (), "northwind-link.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (link);
  g_autoptr(GError) error = NULL;
  g_autofree char *want = expected_upgrade (text);
  g_autofree char *got = NULL;
  GStatBuf st;

  g_unlink (link);
  g_assert_cmpint (symlink (path, link), ==, 0);
  g_assert_true (sitrep_runbook_upgrade_file (file, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  got = read_text (path);
  g_assert_cmpstr (got, ==, want);
}

/* Checklist items for some severities only: the loader reads them, checks every severity
 * named, and refuses the key in a format-1 runbook. */
static void
test_item_severities (void)
{
  g_autofree char *good = variant ("\"text\": \"Page the VP\" }",
                                   "\"text\": \"Page the VP\", \"severities\": [\"SEV-1\"] }", NULL);
  g_autofree char *unknown = variant ("\"text\": \"Page the VP\" }",
                                      "\"text\": \"Page the VP\", \"severities\": [\"SEV-3\", \"SEV1\"] }",
                                      NULL);
  g_autofree char *empty = variant ("\"text\": \"Page the VP\" }",
                                    "\"text\": \"Page the VP\", \"severities\": [] }", NULL);
  g_autofree char *not_list = variant ("\"text\": \"Page the VP\" }",
                                       "\"text\": \"Page the VP\", \"severities\": \"SEV-1\" }", NULL);
  g_autofree char *v1 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,",
                                 "\"text\": \"Page the VP\" }",
                                 "\"text\": \"Page the VP\", \"severities\": [\"SEV-1\"] }", NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (good);
  const SitrepChecklistPhase *phase = sitrep_runbook_get_checklist (runbook)->pdata[0];
  const SitrepChecklistItem *page = phase->items->pdata[0];
  const SitrepChecklistItem *note = phase->items->pdata[1];

  g_assert_cmpuint (g_strv_length (page->severities), ==, 1);
  g_assert_true (sitrep_checklist_item_applies (page, "SEV-1"));
  g_assert_false (sitrep_checklist_item_applies (page, "SEV-2"));
  g_assert_null (note->severities);
  g_assert_true (sitrep_checklist_item_applies (note, "SEV-2"));

  {
    g_autoptr(GBytes) bytes = g_bytes_new (unknown, strlen (unknown));
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepRunbook) refused = sitrep_runbook_load_bytes (bytes, "test.json", &problems,
                                                                   &error);
    const SitrepRunbookProblem *first, *second;

    g_assert_null (refused);
    g_assert_cmpuint (problems->len, ==, 2);
    first = problems->pdata[0];
    second = problems->pdata[1];
    g_assert_cmpuint (first->line, ==, 10);
    g_assert_cmpuint (first->column, ==, 63);
    g_assert_nonnull (strstr (first->message, "there is no severity \"SEV-3\""));
    g_assert_cmpuint (second->line, ==, 10);
    g_assert_cmpuint (second->column, ==, 72);
    g_assert_nonnull (strstr (second->message, "did you mean \"SEV-1\"?"));
  }
  assert_single (empty, 10, 62, "\"severities\" is empty", NULL);
  assert_single (not_list, 10, 62, "\"severities\" must be a list", NULL);
  assert_single (v1, 10, 48, "\"severities\" is new in format 2",
                 "this runbook is in format 1", "sitrep check --upgrade test.json", NULL);
}

#define PLACEHOLDERS "\"name\": \"Test\", \"placeholders\": { \"status_page\": \"https://status.example.com\", \"team\": \"Payments & Co\" },"

/* The runbook's own placeholders: read in the file's order, usable in templates, refused when
 * they shadow one of the console's, badly named, not text, or in a format-1 runbook. */
static void
test_placeholders (void)
{
  g_autofree char *good = variant ("\"name\": \"Test\",", PLACEHOLDERS,
                                   "{severity}: {summary}", "{severity}: {summary} ({team}, {status_page})",
                                   NULL);
  g_autofree char *shadow = variant ("\"name\": \"Test\",",
                                     "\"name\": \"Test\", \"placeholders\": { \"team\": \"x\", \"status\": \"green\" },",
                                     NULL);
  g_autofree char *bad_name = variant ("\"name\": \"Test\",",
                                       "\"name\": \"Test\", \"placeholders\": { \"Status-Page\": \"x\" },",
                                       NULL);
  g_autofree char *bad_value = variant ("\"name\": \"Test\",",
                                        "\"name\": \"Test\", \"placeholders\": { \"team\": 3 },",
                                        NULL);
  g_autofree char *not_object = variant ("\"name\": \"Test\",",
                                         "\"name\": \"Test\", \"placeholders\": [\"team\"],", NULL);
  g_autofree char *typo = variant ("\"name\": \"Test\",", PLACEHOLDERS,
                                   "{severity}: {summary}", "{severity}: {status_pgae}", NULL);
  g_autofree char *v1 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,",
                                 "\"name\": \"Test\",", PLACEHOLDERS, NULL);
  g_autofree char *without = variant ("{severity}: {summary}", "{severity}: {team}", NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (good);
  const char *const *names = sitrep_runbook_get_placeholder_names (runbook);

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 2);
  g_assert_cmpstr (names[0], ==, "status_page");
  g_assert_cmpstr (names[1], ==, "team");
  g_assert_cmpstr (sitrep_runbook_get_placeholder (runbook, "team"), ==, "Payments & Co");
  g_assert_null (sitrep_runbook_get_placeholder (runbook, "status"));

  assert_single (shadow, 3, 50, "placeholder \"status\" is one of the console's own",
                 "choose another name", NULL);
  assert_single (bad_name, 3, 37, "placeholder name \"Status-Page\" is not a name", NULL);
  assert_single (bad_value, 3, 45, "the value of placeholder \"team\" must be a string, not a number",
                 NULL);
  assert_single (not_object, 3, 35, "\"placeholders\" must be an object", NULL);
  assert_single (typo, 17, 81, "unknown placeholder {status_pgae}", "did you mean \"status_page\"?",
                 NULL);
  assert_single (v1, 3, 19, "\"placeholders\" is new in format 2", NULL);
  assert_single (without, 17, 81, "unknown placeholder {team}", NULL);
}

/* A message of an incident declared under the runbook carries the runbook's values, through
 * the template engine that fills the console's own. */
static void
test_placeholders_in_messages (void)
{
  g_autofree char *json = variant ("\"name\": \"Test\",", PLACEHOLDERS,
                                   "{severity}: {summary}", "{severity}: {summary} ({team}, {status_page})",
                                   NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *message = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = fixture_declare_incident (store, runbook, "SEV-2", "Checkout slow", NULL, NULL, NULL, NULL,
                                 g_get_real_time (), &error);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  values = sitrep_template_values_for_incident (incident, runbook, g_get_real_time (), TRUE);
  message = sitrep_template_render (sitrep_runbook_find_template (runbook, "status")->body, values,
                                    NULL);
  g_assert_cmpstr (message, ==, "SEV-2: Checkout slow (Payments & Co, https://status.example.com)");
}

#define SERVICES "\"services\": [ { \"id\": \"api\", \"name\": \"API\" } ],"

static char *
with_secret (const char *secret)
{
  g_autofree char *services = g_strdup_printf ("\"services\": [ { \"id\": \"api\", \"name\": \"API\", "
                                               "\"probes\": [ { \"id\": \"cache\", \"type\": \"redis\", "
                                               "\"host\": \"127.0.0.1\", \"secret\": %s } ] } ],",
                                               secret);

  return variant (SERVICES, services, NULL);
}

/* A probe's secret from an environment variable or a file, named in the runbook and checked
 * there: only SITREP_ variables, only absolute NAME.secret files, one source, format 2. */
static void
test_secret_sources (void)
{
  g_autofree char *env = with_secret ("{ \"env\": \"SITREP_REDIS_PASSWORD\" }");
  g_autofree char *file = with_secret ("{ \"file\": \"/etc/sitrep/redis.secret\" }");
  g_autofree char *keyring = with_secret ("\"redis-password\"");
  g_autofree char *other_env = with_secret ("{ \"env\": \"AWS_SECRET_ACCESS_KEY\" }");
  g_autofree char *relative = with_secret ("{ \"file\": \"redis.secret\" }");
  g_autofree char *any_file = with_secret ("{ \"file\": \"/home/me/.ssh/id_ed25519\" }");
  g_autofree char *both = with_secret ("{ \"env\": \"SITREP_A\", \"file\": \"/a.secret\" }");
  g_autofree char *typo = with_secret ("{ \"envv\": \"SITREP_A\" }");
  g_autofree char *v1_text = with_secret ("{ \"env\": \"SITREP_REDIS_PASSWORD\" }");
  g_autofree char *v1 = NULL;
  g_autoptr(SitrepRunbook) from_env = load_valid (env);
  g_autoptr(SitrepRunbook) from_file = load_valid (file);
  g_autoptr(SitrepRunbook) from_keyring = load_valid (keyring);
  const SitrepService *service = sitrep_runbook_find_service (from_env, "api");
  const SitrepProbeSpec *probe = service->probes->pdata[0];

  g_assert_cmpstr (probe->secret, ==, "env:SITREP_REDIS_PASSWORD");
  service = sitrep_runbook_find_service (from_file, "api");
  probe = service->probes->pdata[0];
  g_assert_cmpstr (probe->secret, ==, "file:/etc/sitrep/redis.secret");
  service = sitrep_runbook_find_service (from_keyring, "api");
  probe = service->probes->pdata[0];
  g_assert_cmpstr (probe->secret, ==, "redis-password");

  assert_single (other_env, 15, 133, "\"AWS_SECRET_ACCESS_KEY\" is not a variable a runbook may "
                 "read a secret from", "must start with SITREP_", NULL);
  assert_single (relative, 15, 134, "\"redis.secret\" must be an absolute path", NULL);
  assert_single (any_file, 15, 134, "does not end in \".secret\"", NULL);
  assert_single (both, 15, 124, "\"secret\" takes exactly one of \"env\"", NULL);
  assert_single (typo, 15, 126, "did you mean \"env\"?", NULL);

  {
    GString *text = g_string_new (v1_text);

    g_string_replace (text, "\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,", 1);
    v1 = g_string_free (text, FALSE);
  }
  assert_single (v1, 15, 124, "is new in format 2", "or name a keyring entry", NULL);
}

/* An incident's checklist counts only the items for its severity: the phase of a SEV-2
 * incident is done once the items for SEV-2 are, and the manager refuses to tick an item that
 * is not on its checklist. */
static void
test_item_severities_in_incident (void)
{
  g_autofree char *json = variant ("\"text\": \"Page the VP\" }",
                                   "\"text\": \"Page the VP\", \"severities\": [\"SEV-1\"] }",
                                   "\"title\": \"First\",", "\"title\": \"First\", \"due\": \"10m\",", NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  g_autoptr(SitrepIncidentManager) manager = NULL;
  const SitrepChecklistPhase *phase = sitrep_runbook_get_checklist (runbook)->pdata[0];
  gint64 now = sitrep_clock_now (clock);
  gint64 major_id, critical_id;
  SitrepIncident *major, *critical;
  guint n_items = 0;

  g_assert_no_error (error);
  major_id = fixture_declare_incident (store, runbook, "SEV-2", "Slow", NULL, NULL, NULL, NULL,
                                       now, &error);
  g_assert_no_error (error);
  critical_id = fixture_declare_incident (store, runbook, "SEV-1", "Down", NULL, NULL, NULL, NULL,
                                          now, &error);
  g_assert_no_error (error);
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);
  major = sitrep_incident_manager_find (manager, major_id);
  critical = sitrep_incident_manager_find (manager, critical_id);

  g_assert_cmpuint (sitrep_incident_count_done (major, runbook, &n_items), ==, 0);
  g_assert_cmpuint (n_items, ==, 1);
  g_assert_cmpuint (sitrep_incident_count_done (critical, runbook, &n_items), ==, 0);
  g_assert_cmpuint (n_items, ==, 2);

  g_assert_false (sitrep_incident_manager_set_item (manager, major_id, "page", TRUE, "dana", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "The checklist item \"page\" is only for SEV-1 incidents, and this one is SEV-2.");
  g_clear_error (&error);

  g_assert_true (sitrep_incident_manager_set_item (manager, major_id, "note", TRUE, "dana", &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_manager_set_item (manager, critical_id, "note", TRUE, "dana", &error));
  g_assert_no_error (error);
  major = sitrep_incident_manager_find (manager, major_id);
  critical = sitrep_incident_manager_find (manager, critical_id);
  g_assert_cmpint (sitrep_incident_phase_state (major, phase, now + 20 * 60 * G_USEC_PER_SEC, NULL),
                   ==, SITREP_CLOCK_DONE);
  g_assert_cmpint (sitrep_incident_phase_state (critical, phase, now + 20 * 60 * G_USEC_PER_SEC, NULL),
                   ==, SITREP_CLOCK_OVERDUE);
  g_assert_cmpuint (sitrep_incident_count_done (major, runbook, &n_items), ==, 1);
  g_assert_cmpuint (n_items, ==, 1);
  g_assert_false (sitrep_incident_item_applies (major, phase->items->pdata[0]));
  g_assert_true (sitrep_incident_phase_applies (major, phase));
}


#define STATUSES "\"name\": \"Test\", \"statuses\": [ " \
  "{ \"id\": \"triage\", \"label\": \"Triage\" }, " \
  "{ \"id\": \"fixing\", \"label\": \"Fix under way\" }, " \
  "{ \"id\": \"fix-deployed\", \"label\": \"Fix deployed\", \"mitigated\": true }, " \
  "{ \"id\": \"closed\", \"label\": \"Closed\", \"resolves\": true } ],"

static char *
with_statuses (const char *statuses)
{
  g_autofree char *name = g_strdup_printf ("\"name\": \"Test\", \"statuses\": [ %s ],", statuses);

  return variant ("\"name\": \"Test\",", name, NULL);
}

/* The runbook's own statuses: in order, ids one can type, exactly one final one that is not
 * the first, format 2. */
static void
test_statuses (void)
{
  g_autofree char *good = variant ("\"name\": \"Test\",", STATUSES, NULL);
  g_autofree char *one = with_statuses ("{ \"id\": \"open\", \"label\": \"Open\", \"resolves\": true }");
  g_autofree char *bad_id = with_statuses ("{ \"id\": \"Fix Deployed\", \"label\": \"x\" }, "
                                           "{ \"id\": \"done\", \"label\": \"Done\", \"resolves\": true }");
  g_autofree char *no_final = with_statuses ("{ \"id\": \"open\", \"label\": \"Open\" }, "
                                             "{ \"id\": \"done\", \"label\": \"Done\" }");
  g_autofree char *two_final = with_statuses ("{ \"id\": \"open\", \"label\": \"Open\" }, "
                                              "{ \"id\": \"done\", \"label\": \"Done\", \"resolves\": true }, "
                                              "{ \"id\": \"gone\", \"label\": \"Gone\", \"resolves\": true }");
  g_autofree char *first_final = with_statuses ("{ \"id\": \"done\", \"label\": \"Done\", \"resolves\": true }, "
                                                "{ \"id\": \"open\", \"label\": \"Open\" }");
  g_autofree char *typo = with_statuses ("{ \"id\": \"open\", \"label\": \"Open\" }, "
                                         "{ \"id\": \"done\", \"label\": \"Done\", \"resolve\": true }");
  g_autofree char *not_bool = with_statuses ("{ \"id\": \"open\", \"label\": \"Open\" }, "
                                             "{ \"id\": \"done\", \"label\": \"Done\", \"resolves\": \"yes\" }");
  g_autofree char *duplicate = with_statuses ("{ \"id\": \"open\", \"label\": \"Open\" }, "
                                              "{ \"id\": \"open\", \"label\": \"Done\", \"resolves\": true }");
  g_autofree char *v1 = variant ("\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,",
                                 "\"name\": \"Test\",", STATUSES, NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (good);
  g_autoptr(SitrepRunbook) plain = load_valid (BASE);
  GPtrArray *statuses = sitrep_runbook_get_statuses (runbook);
  const SitrepStatusSpec *spec;

  g_assert_null (sitrep_runbook_get_statuses (plain));
  g_assert_nonnull (statuses);
  g_assert_cmpuint (statuses->len, ==, 4);
  spec = statuses->pdata[2];
  g_assert_cmpstr (spec->id, ==, "fix-deployed");
  g_assert_cmpstr (spec->label, ==, "Fix deployed");
  g_assert_true (spec->mitigated);
  g_assert_false (spec->resolves);
  g_assert_true (sitrep_runbook_find_status (runbook, "closed")->resolves);
  g_assert_null (sitrep_runbook_find_status (runbook, "resolved"));

  assert_single (one, 3, 31, "\"statuses\" needs at least two statuses", NULL);
  assert_single (bad_id, 3, 41, "status id \"Fix Deployed\" is not one you can type", NULL);
  assert_single (no_final, 3, 31, "no status in \"statuses\" resolves an incident",
                 "add \"resolves\": true to the final one", NULL);
  assert_single (two_final, 3, 166, "only one status may resolve an incident, and \"done\" does "
                 "already: remove \"resolves\" from \"gone\"", NULL);
  assert_single (first_final, 3, 78, "the first status is the one a new incident starts in", NULL);
  /* The misspelt key is reported, and the status that would resolve is missing too. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (typo, strlen (typo));
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepRunbook) refused = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);
    gboolean suggested = FALSE;

    g_assert_null (refused);
    for (guint i = 0; i < problems->len; i++)
      {
        g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

        g_test_message ("problem: %s", line);
        suggested |= strstr (line, "test.json:3:") != NULL
                     && strstr (line, "did you mean \"resolves\"?") != NULL;
      }
    g_assert_true (suggested);
  }
  assert_single (not_bool, 3, 113, "\"resolves\" must be", NULL);
  assert_single (duplicate, 3, 76, "duplicate status id \"open\"", NULL);
  assert_single (v1, 3, 19, "\"statuses\" is new in format 2", "sitrep check --upgrade", NULL);
}

/* An incident under a runbook with its own statuses starts in the first, moves by their ids,
 * counts "mitigated" and "resolves" as monitoring and resolved do, says the runbook's words
 * in the timeline and in messages, and refuses a status the runbook does not have. */
static void
test_statuses_in_incident (void)
{
  g_autofree char *json = variant ("\"name\": \"Test\",", STATUSES,
                                   "{severity}: {summary}", "{severity}: {summary} ({status})", NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  g_autoptr(SitrepIncidentManager) manager = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *message = NULL;
  g_autofree char *last = NULL;
  SitrepIncident *incident;
  gint64 id;

  g_assert_no_error (error);
  id = fixture_declare_incident (store, runbook, "SEV-2", "Checkout slow", NULL, NULL, NULL, NULL,
                                 sitrep_clock_now (clock), &error);
  g_assert_no_error (error);
  manager = sitrep_incident_manager_new (store, runbook, clock, &error);
  g_assert_no_error (error);
  incident = sitrep_incident_manager_find (manager, id);
  g_assert_cmpstr (sitrep_incident_get_status_id (incident), ==, "triage");
  g_assert_cmpstr (sitrep_incident_get_status_label (incident, runbook), ==, "Triage");
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_INVESTIGATING);

  g_assert_false (sitrep_incident_manager_set_status_id (manager, id, "monitoring", "dana", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "“monitoring” is not a status: give one of triage, fixing, "
                   "fix-deployed, closed.");
  g_clear_error (&error);
  g_assert_false (sitrep_incident_manager_set_status_id (manager, id, "fixng", "dana", &error));
  g_assert_nonnull (strstr (error->message, "Did you mean “fixing”?"));
  g_clear_error (&error);

  g_assert_true (sitrep_incident_manager_set_status_id (manager, id, "fix-deployed", "dana", &error));
  g_assert_no_error (error);
  incident = sitrep_incident_manager_find (manager, id);
  g_assert_cmpstr (sitrep_incident_get_status_id (incident), ==, "fix-deployed");
  g_assert_cmpint (sitrep_incident_get_status (incident), ==, SITREP_STATUS_MONITORING);
  g_assert_cmpint (sitrep_incident_get_mitigated_at (incident), ==, sitrep_clock_now (clock));
  g_assert_cmpint (sitrep_incident_get_resolved_at (incident), ==, 0);

  values = sitrep_template_values_for_incident (incident, runbook, sitrep_clock_now (clock), TRUE);
  message = sitrep_template_render (sitrep_runbook_find_template (runbook, "status")->body, values,
                                    NULL);
  g_assert_cmpstr (message, ==, "SEV-2: Checkout slow (Fix deployed)");

  events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  last = sitrep_timeline_event_render (events->pdata[events->len - 1], 0);
  g_assert_cmpstr (last, ==, "Status: Triage → Fix deployed");

  /* Resolving, as the console's and the CLI's resolve do, is the runbook's final status. */
  g_assert_true (sitrep_incident_manager_set_status (manager, id, SITREP_STATUS_RESOLVED, "dana",
                                                     &error));
  g_assert_no_error (error);
  incident = sitrep_incident_manager_find (manager, id);
  g_assert_cmpstr (sitrep_incident_get_status_id (incident), ==, "closed");
  g_assert_cmpint (sitrep_incident_get_resolved_at (incident), ==, sitrep_clock_now (clock));
}


static char *
with_sections (const char *sections)
{
  g_autofree char *name = g_strdup_printf ("\"name\": \"Test\", \"postmortem_sections\": [ %s ],",
                                           sections);

  return variant ("\"name\": \"Test\",", name, NULL);
}

/* The runbook's own post-mortem sections: in order, with a title and an optional prompt. */
static void
test_postmortem_sections (void)
{
  g_autofree char *good = with_sections ("{ \"id\": \"went-well\", \"title\": \"What went well\", "
                                         "\"prompt\": \"One thing to keep\" }, "
                                         "{ \"id\": \"customers\", \"title\": \"Customers\" }");
  g_autofree char *empty = with_sections ("");
  g_autofree char *bad_id = with_sections ("{ \"id\": \"Went Well\", \"title\": \"x\" }");
  g_autofree char *typo = with_sections ("{ \"id\": \"a\", \"title\": \"A\", \"promt\": \"?\" }");
  g_autofree char *no_title = with_sections ("{ \"id\": \"a\" }");
  g_autofree char *duplicate = with_sections ("{ \"id\": \"a\", \"title\": \"A\" }, "
                                              "{ \"id\": \"a\", \"title\": \"B\" }");
  g_autofree char *v1 = NULL;
  g_autoptr(SitrepRunbook) runbook = load_valid (good);
  g_autoptr(SitrepRunbook) plain = load_valid (BASE);
  GPtrArray *sections = sitrep_runbook_get_postmortem_sections (runbook);
  const SitrepPostmortemSection *section;

  g_assert_null (sitrep_runbook_get_postmortem_sections (plain));
  g_assert_cmpuint (sections->len, ==, 2);
  section = sections->pdata[0];
  g_assert_cmpstr (section->id, ==, "went-well");
  g_assert_cmpstr (section->title, ==, "What went well");
  g_assert_cmpstr (section->prompt, ==, "One thing to keep");
  section = sections->pdata[1];
  g_assert_cmpstr (section->id, ==, "customers");
  g_assert_null (section->prompt);

  assert_single (empty, 3, 42, "\"postmortem_sections\" is empty", NULL);
  assert_single (bad_id, 3, 52, "post-mortem section id \"Went Well\" is not one you can type", NULL);
  assert_single (typo, 3, 71, "did you mean \"prompt\"?", NULL);
  assert_single (no_title, 3, 44, "\"title\"", NULL);
  assert_single (duplicate, 3, 81, "duplicate post-mortem section id \"a\"", NULL);
  {
    GString *text = g_string_new (good);

    g_string_replace (text, "\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,", 1);
    v1 = g_string_free (text, FALSE);
  }
  assert_single (v1, 3, 19, "\"postmortem_sections\" is new in format 2", NULL);
}


#define ENVIRONMENTS "\"environment\": { \"context\": \"prod\", \"namespace\": \"app\" },"

static char *
with_environments (const char *environments)
{
  g_autofree char *list = g_strdup_printf ("\"environments\": [ %s ],", environments);

  return variant (ENVIRONMENTS, list, NULL);
}

#define TWO_ENVIRONMENTS \
  "{ \"id\": \"production\", \"label\": \"Production\", \"context\": \"prod\", \"namespace\": \"app\", " \
  "\"protected\": true, \"links\": [ { \"id\": \"logs\", \"label\": \"Logs\", \"url\": \"https://logs.example.com/prod\" } ] }, " \
  "{ \"id\": \"staging\", \"label\": \"Staging\", \"context\": \"stage\", \"namespace\": \"app-staging\", " \
  "\"read_only\": true, \"links\": [ { \"id\": \"logs\", \"label\": \"Logs\", \"url\": \"https://logs.example.com/staging\" } ] }"

/* Several environments (format 2): each its own context, namespace, protection and links, the
 * first picked at first; ids one can type; links the runbook opens in every one; one kubectl. */
static void
test_environments (void)
{
  g_autofree char *good = with_environments (TWO_ENVIRONMENTS);
  g_autofree char *both = variant (ENVIRONMENTS, ENVIRONMENTS " \"environments\": [],", NULL);
  g_autofree char *neither = variant (ENVIRONMENTS, "", NULL);
  g_autofree char *bad_id = with_environments ("{ \"id\": \"Prod EU\", \"label\": \"x\", \"context\": \"c\", \"namespace\": \"n\" }");
  g_autofree char *typo = with_environments ("{ \"id\": \"eu\", \"label\": \"EU\", \"context\": \"c\", \"namespace\": \"n\", \"protectd\": true }");
  g_autofree char *duplicate = with_environments ("{ \"id\": \"eu\", \"label\": \"EU\", \"context\": \"c\", \"namespace\": \"n\" }, "
                                                  "{ \"id\": \"eu\", \"label\": \"EU 2\", \"context\": \"d\", \"namespace\": \"n\" }");
  g_autofree char *kubectl = with_environments ("{ \"id\": \"eu\", \"label\": \"EU\", \"context\": \"c\", \"namespace\": \"n\" }, "
                                                "{ \"id\": \"us\", \"label\": \"US\", \"context\": \"d\", \"namespace\": \"n\", \"kubectl\": \"/opt/kubectl\" }");
  g_autofree char *drill = with_environments ("{ \"id\": \"eu\", \"label\": \"EU\", \"context\": \"c\", \"namespace\": \"n\", \"drill\": true }");
  g_autofree char *missing_link = NULL;
  g_autofree char *v1 = NULL;
  g_autoptr(SitrepRunbook) runbook = load_valid (good);
  g_autoptr(SitrepRunbook) single = load_valid (BASE);
  GPtrArray *environments = sitrep_runbook_get_environments (runbook);
  const SitrepEnvironment *env;

  g_assert_cmpuint (sitrep_runbook_get_environments (single)->len, ==, 1);
  g_assert_null (sitrep_runbook_get_environment (single)->id);
  g_assert_cmpuint (environments->len, ==, 2);
  env = sitrep_runbook_get_environment (runbook);
  g_assert_cmpstr (env->id, ==, "production");
  g_assert_cmpstr (env->label, ==, "Production");
  g_assert_true (env->protected_);
  env = environments->pdata[1];
  g_assert_cmpstr (env->context, ==, "stage");
  g_assert_cmpstr (env->namespace_, ==, "app-staging");
  g_assert_true (env->read_only);
  g_assert_false (env->protected_);

  assert_single (both, 14, 61, "has \"environment\" or \"environments\", not both", NULL);
  assert_single (neither, 1, 1, "missing the required key \"environment\"", NULL);
  assert_single (bad_id, 14, 29, "environment id \"Prod EU\" is not one you can type", NULL);
  assert_single (typo, 14, 84, "did you mean \"protected\"?", NULL);
  assert_single (duplicate, 14, 94, "duplicate environment id \"eu\"", NULL);
  assert_single (kubectl, 14, 160, "\"kubectl\" must be the same program in every environment", NULL);
  assert_single (drill, 14, 84, "unknown key \"drill\" in an environment", NULL);
  {
    GString *text = g_string_new (good);

    g_string_replace (text, "\"id\": \"logs\", \"label\": \"Logs\", \"url\": \"https://logs.example.com/staging\"",
                      "\"id\": \"log\", \"label\": \"Logs\", \"url\": \"https://logs.example.com/staging\"", 1);
    g_string_replace (text, "\"text\": \"Take notes\" }", "\"text\": \"Take notes\", \"opens\": { \"link\": \"logs\" } }", 1);
    missing_link = g_string_free (text, FALSE);
  }
  assert_single (missing_link, 11, 66, "link \"logs\" is not in environment \"staging\"", NULL);
  {
    GString *text = g_string_new (good);

    g_string_replace (text, "\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,", 1);
    v1 = g_string_free (text, FALSE);
  }
  assert_single (v1, 14, 3, "\"environments\" is new in format 2", NULL);
}

static void
notified_cb (GObject    *object,
             GParamSpec *pspec,
             guint      *count)
{
  (*count)++;
}

/* Picking an environment changes what a command aims at, its links, and what the audit keeps;
 * an unknown one is refused with the list. */
static void
test_environments_in_actions (void)
{
  g_autofree char *json = variant (ENVIRONMENTS,
                                   "\"environments\": [ " TWO_ENVIRONMENTS " ],",
                                   "\"services\": [ { \"id\": \"api\", \"name\": \"API\" } ],",
                                   "\"services\": [ { \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/api\", \"actions\": [\"restart\"] } ],"
                                   " \"actions\": [ { \"id\": \"restart\", \"label\": \"Restart\", \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"], \"mutates\": true } ],",
                                   NULL);
  g_autoptr(SitrepRunbook) runbook = load_valid (json);
  g_autoptr(SitrepActionRequest) in_production = NULL;
  g_autoptr(SitrepActionRequest) in_staging = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *production_record = NULL;
  g_autofree char *staging_record = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *argv_text = NULL;
  const SitrepService *api = sitrep_runbook_find_service (runbook, "api");
  const SitrepAction *restart = sitrep_runbook_find_action (runbook, "restart");
  guint notified = 0;

  g_signal_connect (runbook, "notify::environment", G_CALLBACK (notified_cb), &notified);
  in_production = sitrep_action_request_new (runbook, api, restart, NULL, NULL, "kubectl", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_runbook_find_link (runbook, "logs")->url, ==, "https://logs.example.com/prod");

  g_assert_false (sitrep_runbook_select_environment (runbook, "stagin", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Runbook “Test” has no environment “stagin”: give one of "
                   "production, staging. Did you mean “staging”?");
  g_clear_error (&error);
  g_assert_cmpuint (notified, ==, 0);

  g_assert_true (sitrep_runbook_select_environment (runbook, "staging", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (sitrep_runbook_get_environment (runbook)->id, ==, "staging");
  g_assert_cmpstr (sitrep_runbook_find_link (runbook, "logs")->url, ==, "https://logs.example.com/staging");
  argv = sitrep_argv_expand ((const char *const *) restart->argv, runbook, api, NULL, "kubectl", &error);
  g_assert_no_error (error);
  argv_text = g_strjoinv (" ", argv);
  g_assert_cmpstr (argv_text, ==, "kubectl --context stage --namespace app-staging rollout restart deployment/api");
  in_staging = sitrep_action_request_new (runbook, api, restart, NULL, NULL, "kubectl", &error);
  g_assert_no_error (error);

  /* Each request keeps the environment it was made in, whatever is picked later. */
  production_record = sitrep_action_request_get_process_record (in_production);
  staging_record = sitrep_action_request_get_process_record (in_staging);
  g_assert_cmpstr (production_record, ==, "{\"environment\":\"production\"}");
  g_assert_cmpstr (staging_record, ==, "{\"environment\":\"staging\"}");
  g_assert_cmpstr (sitrep_action_request_get_context (in_production), ==, "prod");
  g_assert_cmpstr (sitrep_action_request_get_namespace (in_staging), ==, "app-staging");
}

static char *
with_http (const char *url,
           const char *tls)
{
  g_autofree char *services = g_strdup_printf ("\"services\": [ { \"id\": \"api\", \"name\": \"API\", "
                                               "\"probes\": [ { \"id\": \"h\", \"type\": \"http\", "
                                               "\"url\": \"%s\", %s } ] } ],",
                                               url, tls);

  return variant (SERVICES, services, NULL);
}

/* An https probe's own CA and client certificate (format 2): absolute paths, https only, a key
 * with its certificate. */
static void
test_http_tls_files (void)
{
  g_autofree char *good = with_http ("https://api.example.com/health",
                                     "\"ca_file\": \"/etc/ca.pem\", \"client_certificate\": \"/etc/c.pem\", \"client_key\": \"/etc/c.key\"");
  g_autofree char *relative = with_http ("https://api.example.com/health", "\"ca_file\": \"ca.pem\"");
  g_autofree char *plain = with_http ("http://api.example.com/health", "\"ca_file\": \"/etc/ca.pem\"");
  g_autofree char *key_only = with_http ("https://api.example.com/health", "\"client_key\": \"/etc/c.key\"");
  g_autofree char *v1 = NULL;
  g_autoptr(SitrepRunbook) runbook = load_valid (good);
  const SitrepProbeSpec *probe = sitrep_runbook_find_service (runbook, "api")->probes->pdata[0];

  g_assert_cmpstr (probe->ca_file, ==, "/etc/ca.pem");
  g_assert_cmpstr (probe->client_certificate, ==, "/etc/c.pem");
  g_assert_cmpstr (probe->client_key, ==, "/etc/c.key");
  assert_single (relative, 15, 140, "\"ca_file\" must be an absolute path", NULL);
  assert_single (plain, 15, 128, "\"ca_file\" is for an https:// URL", NULL);
  assert_single (key_only, 15, 129, "\"client_key\" is the key of \"client_certificate\"", NULL);
  {
    GString *text = g_string_new (good);

    g_string_replace (text, "\"sitrep_runbook\": 2,", "\"sitrep_runbook\": 1,", 1);
    v1 = g_string_free (text, FALSE);
  }
  {
    g_autoptr(GBytes) bytes = g_bytes_new (v1, strlen (v1));
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepRunbook) refused = sitrep_runbook_load_bytes (bytes, "test.json", &problems,
                                                                   &error);

    g_assert_null (refused);
    g_assert_cmpuint (problems->len, ==, 3);
    for (guint i = 0; i < problems->len; i++)
      g_assert_nonnull (strstr (((SitrepRunbookProblem *) problems->pdata[i])->message,
                                "is new in format 2"));
    g_assert_cmpuint (((SitrepRunbookProblem *) problems->pdata[0])->column, ==, 129);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/runbook-v2/version", test_version);
  g_test_add_func ("/runbook-v2/upgrade/bytes", test_upgrade_bytes);
  g_test_add_func ("/runbook-v2/upgrade/files", test_upgrade_files);
  g_test_add_func ("/runbook-v2/upgrade/refuses-invalid", test_upgrade_refuses_invalid);
  g_test_add_func ("/runbook-v2/upgrade/through-link", test_upgrade_through_link);
  g_test_add_func ("/runbook-v2/checklist/item-severities", test_item_severities);
  g_test_add_func ("/runbook-v2/checklist/item-severities-in-incident",
                   test_item_severities_in_incident);
  g_test_add_func ("/runbook-v2/placeholders", test_placeholders);
  g_test_add_func ("/runbook-v2/placeholders/messages", test_placeholders_in_messages);
  g_test_add_func ("/runbook-v2/secret-sources", test_secret_sources);
  g_test_add_func ("/runbook-v2/http-tls-files", test_http_tls_files);
  g_test_add_func ("/runbook-v2/statuses", test_statuses);
  g_test_add_func ("/runbook-v2/postmortem-sections", test_postmortem_sections);
  g_test_add_func ("/runbook-v2/environments", test_environments);
  g_test_add_func ("/runbook-v2/environments/actions", test_environments_in_actions);
  g_test_add_func ("/runbook-v2/statuses/incident", test_statuses_in_incident);

  return g_test_run ();
}
