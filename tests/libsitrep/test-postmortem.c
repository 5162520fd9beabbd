/* test-postmortem.c: the post-mortem of a scripted incident, byte for byte, and hostile text */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "sitrep-incident.h"
#include "sitrep-postmortem.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-timeline.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
/* 2025-11-28 03:20:00 UTC */
#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

static SitrepTimelineEvent *
note (SitrepStore *store,
      gint64       id,
      gint64       at,
      const char  *text)
{
  g_autoptr(GError) error = NULL;
  SitrepTimelineEvent *event = sitrep_store_add_note (store, id, at, text, "alice", &error);

  g_assert_no_error (error);
  return event;
}

static void
set_status (SitrepStore         *store,
            gint64               id,
            SitrepIncidentStatus status,
            gint64               at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (store, id, &error);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_set_status (store, incident, status, at, "alice", &error));
  g_assert_no_error (error);
}

static void
tick (SitrepStore *store,
      gint64       id,
      const char  *item,
      const char  *text,
      gint64       at)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_store_set_item (store, id, item, text, TRUE, at, "alice", &error));
  g_assert_no_error (error);
}

static void
star (SitrepStore         *store,
      SitrepTimelineEvent *event)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_store_star_event (store, event, TRUE, &error));
  g_assert_no_error (error);
}

/* The scripted incident: a SEV-1 at 03:20 UTC whose impact began at 03:08, resolved at 04:15,
 * with every kind of hostile Markdown a tired commander might type. */
static gint64
script_incident (SitrepStore   *store,
                 SitrepRunbook *runbook)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  g_autoptr(SitrepTimelineEvent) moved = NULL;
  const char *services[] = { "api", NULL };
  gint64 id;

  id = fixture_declare_incident (store, runbook, "SEV-1", "Checkout returns 502s",
                                 "Customers cannot pay", "alice", NULL, services, T0, &error);
  g_assert_no_error (error);
  events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  star (store, events->pdata[0]);
  g_assert_true (sitrep_store_annotate_event (store, events->pdata[0], "paged at 03:14 by\nPagerDuty",
                                              &error));

  tick (store, id, "ack-monitoring", "Acknowledge the alert", T0 + 1 * MIN_US);
  g_object_unref (note (store, id, T0 + 2 * MIN_US, "# not a heading"));
  g_object_unref (note (store, id, T0 + 3 * MIN_US, "| a | b |"));
  g_object_unref (note (store, id, T0 + 4 * MIN_US, "```rm -rf```"));
  g_object_unref (note (store, id, T0 + 5 * MIN_US, "> quote"));
  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  moved = sitrep_store_move_start (store, incident, T0 - 12 * MIN_US, T0 + 6 * MIN_US, "alice",
                                   &error);
  g_assert_no_error (error);
  g_object_unref (note (store, id, T0 + 7 * MIN_US, "1. list"));
  {
    g_autoptr(SitrepTimelineEvent) first = note (store, id, T0 - 12 * MIN_US,
                                                 "First 502s on the checkout dashboard");
    g_autoptr(SitrepTimelineEvent) cdn = note (store, id, T0 + 9 * MIN_US, "Suspect the CDN");
    g_autoptr(SitrepTimelineEvent) oops = note (store, id, T0 + 10 * MIN_US, "test, please ignore");

    star (store, first);
    g_assert_true (sitrep_store_edit_note (store, cdn, "Not the CDN: the origin answers 502 <b>",
                                           T0 + 14 * MIN_US, &error));
    g_assert_true (sitrep_store_delete_note (store, oops, T0 + 11 * MIN_US, &error));
    g_assert_no_error (error);
  }
  tick (store, id, "determine-severity", "Determine severity level", T0 + 8 * MIN_US);
  set_status (store, id, SITREP_STATUS_IDENTIFIED, T0 + 15 * MIN_US);
  {
    g_autoptr(SitrepTimelineEvent) cause = note (store, id, T0 + 16 * MIN_US,
                                                 "Payments origin TLS certificate expired\n"
                                                 "- renewal job failed on 11-01");

    star (store, cause);
  }
  g_object_unref (note (store, id, T0 + 30 * MIN_US, "Renewed the cert; restarted `api` \\o/"));
  set_status (store, id, SITREP_STATUS_MONITORING, T0 + 35 * MIN_US);
  set_status (store, id, SITREP_STATUS_RESOLVED, T0 + 55 * MIN_US);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = sitrep_store_list_events (store, id, SITREP_TIMELINE_LIST_DEFAULT,
                                     (const char *[]) { "status", NULL }, &error);
  g_assert_no_error (error);
  star (store, events->pdata[events->len - 1]);

  g_free (fields->summary);
  fields->summary = g_strdup ("For 67 minutes no customer could pay.\n# Not a heading either\n"
                              "    not code\n\n\n1) nor a list");
  g_free (fields->root_cause);
  fields->root_cause = g_strdup ("The TLS certificate of the payments origin expired at 03:05.\n"
                                 "| table | attempt |\n|---|---|\n---\n~~~\n<div>html</div>\n"
                                 "[ref]: https://example.com");
  g_free (fields->resolution);
  fields->resolution = g_strdup ("Renewed the certificate and restarted `carecircle-api`.");
  g_free (fields->lessons);
  fields->lessons = g_strdup ("- Monitor certificate expiry\n* Alert on the 502 rate\n\n"
                              "#1 lesson: the runbook worked\n   + > nested");
  g_ptr_array_add (items, sitrep_action_item_new ("Add a cert-expiry alert", "bob", "2025-12-05",
                                                  FALSE));
  g_ptr_array_add (items, sitrep_action_item_new ("Automate renewal\nwith cert-manager", "@carol",
                                                  "2025-12-19", TRUE));
  g_ptr_array_add (items, sitrep_action_item_new ("# Runbook section | TLS", "", "", FALSE));
  g_assert_true (sitrep_store_save_postmortem (store, id, NULL, fields, NULL, items, NULL,
                                               &error));
  g_assert_no_error (error);
  return id;
}

static char *
read_golden (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "golden", "postmortem.md", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
assert_no_structure (const char *document)
{
  static const char *const headings[] = { "## Summary", "## Timeline", "## Root Cause",
                                          "## Resolution", "## Action Items",
                                          "## Lessons Learned", NULL };
  g_auto(GStrv) lines = g_strsplit (document, "\n", -1);

  g_assert_true (g_str_has_prefix (lines[0], "# Incident Post-Mortem: "));
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (line[0] == '#')
        g_assert_true (g_strv_contains (headings, line));
      g_assert_false (line[0] == '|' || line[0] == '>' || line[0] == ' ' || line[0] == '\t'
                      || line[0] == '<' || line[0] == '[' || line[0] == '*' || line[0] == '+');
      g_assert_false (g_str_has_prefix (line, "```") || g_str_has_prefix (line, "~~~")
                      || g_str_has_prefix (line, "---") || g_str_has_prefix (line, "1."));
      /* Every list item is one of ours. */
      if (line[0] == '-')
        g_assert_true (g_regex_match_simple ("^- (\\[[ x]\\] |[0-9][0-9]:[0-9][0-9] - |[^-\\[])",
                                             line, 0, 0));
      g_assert_null (strstr (line, "|") != NULL && strstr (line, "\\|") == NULL ? line : NULL);
    }
}

static void
test_golden (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *golden = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = script_incident (store, runbook);
  first = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
  g_assert_no_error (error);

  if (g_getenv ("SITREP_WRITE_GOLDEN") != NULL)
    {
      g_file_set_contents (g_getenv ("SITREP_WRITE_GOLDEN"), first, -1, &error);
      g_assert_no_error (error);
    }
  golden = read_golden ();
  g_assert_cmpstr (first, ==, golden);

  /* The same incident, the same document. */
  second = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, second);
  assert_no_structure (first);
}

static void
test_starred (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autofree char *starred = NULL;
  g_autofree char *all = NULL;
  g_autofree char *timeline = NULL;
  const char *from, *to;
  gint64 id;

  g_assert_no_error (error);
  id = script_incident (store, runbook);
  starred = sitrep_postmortem_export (store, runbook, id, TRUE, TRUE, &error);
  all = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
  g_assert_no_error (error);
  assert_no_structure (starred);

  from = strstr (starred, "## Timeline\n");
  to = strstr (starred, "\n\n## Root Cause");
  g_assert_nonnull (from);
  g_assert_nonnull (to);
  timeline = g_strndup (from + strlen ("## Timeline\n"), to - from - strlen ("## Timeline\n"));
  g_assert_cmpstr (timeline, ==,
                   "- 03:08 - First 502s on the checkout dashboard\n"
                   "- 03:20 - Declared SEV-1: Checkout returns 502s (paged at 03:14 by PagerDuty)\n"
                   "- 03:36 - Payments origin TLS certificate expired - renewal job failed on 11-01\n"
                   "- 04:15 - Status: Monitoring → Resolved");
  g_assert_nonnull (strstr (all, "\n- 03:21 - Done: Acknowledge the alert\n"));
  g_assert_null (strstr (all, "please ignore"));
  g_assert_cmpuint (strlen (starred), <, strlen (all));
}

static void
test_missing_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autofree char *document = NULL;
  gint64 id;

  g_assert_no_error (error);
  /* An incident still open at 23:50 UTC, and a note after midnight. */
  id = fixture_declare_incident (store, runbook, "SEV-3", "Slow reports ##", NULL, NULL, NULL, NULL,
                                 T0 + 20 * 60 * MIN_US + 30 * MIN_US, &error);
  g_assert_no_error (error);
  g_object_unref (note (store, id, T0 + 21 * 60 * MIN_US, "Still slow"));
  incident = sitrep_store_load_incident (store, id, &error);
  document = sitrep_postmortem_render (incident, runbook, NULL, NULL, NULL, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (document, "# Incident Post-Mortem: Slow reports \\##\n"
                                             "Date: 2025-11-28\n"
                                             "Duration: 23:50 - [end_time]\n"
                                             "Severity: SEV-3\n\n"
                                             "## Summary\n[summary]\n\n"
                                             "## Timeline\n[timeline]\n\n"
                                             "## Root Cause\n[root_cause]\n"));
  g_assert_nonnull (strstr (document, "## Action Items\n[action_items]\n"));
  g_clear_pointer (&document, g_free);

  document = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (document, "- 23:50 - Declared SEV-3: Slow reports ##\n"
                                      "- 2025-11-29 00:20 - Still slow\n"));

  g_assert_null (sitrep_postmortem_export (store, runbook, 99, FALSE, TRUE, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
}

static void
test_escape (void)
{
  static const struct
  {
    const char *in, *line;
  } cases[] = {
    { "# not a heading", "\\# not a heading" },
    { "\x01\x7f # not a heading either", "\\# not a heading either" },
    { "  ## indented", "\\## indented" },
    { "| a | b |", "\\| a \\| b \\|" },
    { "```rm -rf```", "\\`\\`\\`rm -rf\\`\\`\\`" },
    { "~~~", "\\~~~" },
    { "> quote", "\\> quote" },
    { "1. list", "1\\. list" },
    { "12) list", "12\\) list" },
    { "2025-11-28 at noon", "2025-11-28 at noon" },
    { "- item", "\\- item" },
    { "* item", "\\* item" },
    { "+ item", "\\+ item" },
    { "---", "\\---" },
    { "===", "\\===" },
    { "___", "\\___" },
    { "[ref]: https://x", "\\[ref]: https://x" },
    { "see [x](javascript:alert(1)) ![i](javascript:y)",
      "see \\[x](javascript:alert(1)) !\\[i](javascript:y)" },
    { "<div>", "\\<div>" },
    { "a < b", "a < b" },
    { "line one\nline two\r\n# three", "line one line two # three" },
    { "C:\\temp\\", "C:\\temp\\\\" },
    { "\\*literal\\*", "\\\\*literal\\\\*" },
    { "tab\there", "tab here" },
    /* A dropped control character between a backslash or "<" and what follows (fuzz-template). */
    { "\\\x7f[x](javascript:y)", "\\\\\\[x](javascript:y)" },
    { "<\x01" "div>", "\\<div>" },
    /* Spaces between words: one kept, runs folded, none at the end. */
    { "one two  three   four ", "one two three four" },
    { "a |b [c `d <e \\f", "a \\|b \\[c \\`d \\<e \\f" },
    { "a \x01 b \x7f", "a b" },
    { "x \t y\n", "x y" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = sitrep_markdown_escape_line (cases[i].in);

      g_assert_cmpstr (line, ==, cases[i].line);
    }

  {
    g_autofree char *paragraph = sitrep_markdown_escape_paragraph ("\n\nFirst\n# second\n"
                                                                   "    third\n\n\n\n> fourth\n\n");

    g_assert_cmpstr (paragraph, ==, "First\n\\# second\nthird\n\n\\> fourth");
  }
}

static int
run_cli (const char *const *args,
         char             **out,
         char             **err)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "export");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  /* Bytes, not text in the locale's charset: the document must come out as it was made. */
  *out = g_strndup (g_bytes_get_size (out_bytes) ? g_bytes_get_data (out_bytes, NULL) : "",
                    g_bytes_get_size (out_bytes));
  *err = g_strndup (g_bytes_get_size (err_bytes) ? g_bytes_get_data (err_bytes, NULL) : "",
                    g_bytes_get_size (err_bytes));
  return g_subprocess_get_exit_status (process);
}

static void
test_cli (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "export.db", NULL);
  g_autofree char *output = g_build_filename (g_get_user_data_dir (), "out", "postmortem.md", NULL);
  g_autofree char *out_dir = g_path_get_dirname (output);
  g_autofree char *missing_db = g_build_filename (g_get_user_data_dir (), "nowhere.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *golden = read_golden ();
  g_autofree char *id_text = NULL;
  g_autofree char *written = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 id;

  g_assert_no_error (error);
  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  id = script_incident (store, runbook);
  g_clear_object (&store);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0700), ==, 0);
  g_assert_cmpint (run_cli ((const char *[]) { id_text, "--utc", "--database", path, "--output",
                                               output, NULL }, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "");
  g_file_get_contents (output, &written, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, golden);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* To standard output, the same bytes. */
  g_assert_cmpint (run_cli ((const char *[]) { id_text, "--utc", "--database", path, NULL }, &out,
                            &err), ==, 0);
  g_assert_cmpstr (out, ==, golden);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* No such incident: 1. No such database: 2 (nothing to look in), and nothing created. */
  g_assert_cmpint (run_cli ((const char *[]) { "99", "--database", path, NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "There is no incident 99"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "1", "--database", missing_db, NULL }, &out, &err),
                   ==, 2);
  g_assert_nonnull (strstr (err, "There is no database at"));
  g_assert_false (g_file_test (missing_db, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors: 2. */
  g_assert_cmpint (run_cli ((const char *[]) { "--database", path, NULL }, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "one", "--database", path, NULL }, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "1", "--bogus", NULL }, &out, &err), ==, 2);
}

/* Text in a tampered database that is not UTF-8 neither stops the export nor makes the
 * document invalid: the bad bytes show as U+FFFD. */
static void
test_tampered_text (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "tampered.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  g_assert_no_error (error);
  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  id = fixture_declare_incident (store, runbook, "SEV-2", "Checkout is slow", "Some customers",
                                 "alice", NULL, NULL, T0, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE incidents SET"
                                     " root_cause = CAST (X'436163686520ff0a2320666c757368' AS TEXT),"
                                     " summary = CAST (X'536c6f77c3' AS TEXT)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (run_cli ((const char *[]) { id_text, "--utc", "--database", path, NULL }, &out,
                            &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_nonnull (strstr (out, "## Root Cause\nCache \xef\xbf\xbd\n\\# flush\n"));
  g_assert_nonnull (strstr (out, "Slow\xef\xbf\xbd"));
}

/* Northwind (format 2) whose review template has @body, and whose own placeholder "marker"
 * holds the bytes the export stands in for the timeline while it fills the template. */
static SitrepRunbook *
load_review (const char *body)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) edited = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = g_strescape (body, NULL);
  const char *from = strstr (edited->str, "\"kind\": \"postmortem\"");
  const char *start, *end;
  SitrepRunbook *runbook;

  g_assert_nonnull (from);
  start = strstr (from, "\"body\": \"") + strlen ("\"body\": \"");
  end = strstr (start, "\" }");
  g_string_erase (edited, start - edited->str, end - start);
  g_string_insert (edited, start - edited->str, quoted);
  g_assert_cmpuint (g_string_replace (edited, "\"sitrep_runbook\": 1,",
                                      "\"sitrep_runbook\": 2,"
                                      " \"placeholders\": { \"marker\": \"\\u0001timeline\\u0001\" },",
                                      1), ==, 1);
  bytes = g_bytes_new (edited->str, edited->len);
  runbook = sitrep_runbook_load_bytes (bytes, "review.json", NULL, &error);
  g_assert_no_error (error);
  return runbook;
}

/* The timeline goes where the template says, as often as it says, and nowhere else: a long
 * timeline is not copied into the document but the document built around it (see
 * fill_template()), which must not change a byte. */
static void
test_timeline_places (void)
{
  static const struct
  {
    const char *body, *document;
  } cases[] = {
    { "Before\n{timeline}\nAfter {marker}.\n",
      "Before\n@\nAfter \x01timeline\x01.\n" },
    { "{timeline}", "@" },
    { "# {title}\n\n{timeline}\n\nSeverity {severity}.\n",
      "# Trucks stuck\n\n@\n\nSeverity P1.\n" },
    { "{marker}{timeline}{marker}", "\x01timeline\x01@\x01timeline\x01" },
    { "One\n{timeline}\nTwo\n{timeline}\n", "One\n@\nTwo\n@\n" },
    { "# {title}: no timeline {marker}\n", "# Trucks stuck: no timeline \x01timeline\x01\n" },
  };
  static const char *const timeline = "- 03:20 - Declared P1: Trucks stuck\n"
                                      "- 03:21 - Gate 4 scanner down\n"
                                      "- 03:22 - \\[x] ticked by hand";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SitrepRunbook) runbook = load_review (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
      g_autofree char *document = NULL;
      g_autofree char *starred = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *expected_empty = NULL;
      gint64 id;

      g_assert_no_error (error);
      id = fixture_declare_incident (store, runbook, "P1", "Trucks stuck", NULL, NULL, NULL, NULL,
                                     T0, &error);
      g_assert_no_error (error);
      g_object_unref (note (store, id, T0 + MIN_US, "Gate 4 scanner down"));
      g_object_unref (note (store, id, T0 + 2 * MIN_US, "[x] ticked by hand"));

      document = sitrep_postmortem_export (store, runbook, id, FALSE, TRUE, &error);
      g_assert_no_error (error);
      {
        g_auto(GStrv) parts = g_strsplit (cases[i].document, "@", -1);

        expected = g_strjoinv (timeline, parts);
        expected_empty = g_strjoinv ("[timeline]", parts);
      }
      g_assert_cmpstr (document, ==, expected);

      /* Nothing starred: the timeline is empty, and shows as missing. */
      starred = sitrep_postmortem_export (store, runbook, id, TRUE, TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (starred, ==, expected_empty);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The golden file is in UTC, and texts recorded in local time must not vary by machine. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/postmortem/escape", test_escape);
  g_test_add_func ("/postmortem/golden", test_golden);
  g_test_add_func ("/postmortem/starred", test_starred);
  g_test_add_func ("/postmortem/missing-fields", test_missing_fields);
  g_test_add_func ("/postmortem/cli", test_cli);
  g_test_add_func ("/postmortem/tampered-text", test_tampered_text);
  g_test_add_func ("/postmortem/timeline-places", test_timeline_places);

  return g_test_run ();
}
