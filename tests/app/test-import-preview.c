/* test-import-preview.c: opening a Markdown runbook in the console: the preview, Save and Open
 *
 * The documents are the public ones the import tests keep (tests/support/data/import/), never
 * CareCircle's, copied into a folder of the test's own so that FILE.json lands there. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sitrep-application.h"
#include "sitrep-import-preview-private.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"

static char *scratch;

/* @document (of tests/support/data/import) copied to the scratch folder as @name. */
static char *
copy_document (const char *document,
               const char *name)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "import", document, NULL);
  g_autofree char *folder = g_build_filename (scratch, "runbooks", NULL);
  char *path = g_build_filename (folder, name, NULL);
  g_autofree char *text = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (source, &text, &length, NULL));
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, length, NULL));
  return path;
}

static void
spin_until (gboolean (*done) (gpointer),
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done (data));
}

static SitrepImportPreview *
find_preview (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (SITREP_IS_IMPORT_PREVIEW (toplevel))
        return SITREP_IMPORT_PREVIEW (toplevel);
    }
  return NULL;
}

static gboolean
preview_loaded (gpointer data)
{
  SitrepImportPreview *preview = find_preview ();

  return preview != NULL && g_strcmp0 (sitrep_import_preview_get_page (preview), "loading") != 0;
}

static gboolean
preview_gone (gpointer data)
{
  return find_preview () == NULL;
}

static gboolean
replace_asked (gpointer data)
{
  SitrepImportPreview *preview = find_preview ();

  return preview != NULL && sitrep_import_preview_get_replace_dialog (preview) != NULL;
}

/* The session has the runbook from @data (a path) open. */
static gboolean
runbook_opened (gpointer data)
{
  SitrepSession *session = sitrep_application_get_session (
    SITREP_APPLICATION (g_application_get_default ()));
  g_autofree char *last = g_settings_get_string (sitrep_session_get_settings (session),
                                                 "last-runbook");
  SitrepRunbook *runbook = sitrep_session_get_runbook (session);

  return !sitrep_session_get_loading (session) && runbook != NULL && g_strcmp0 (last, data) == 0;
}

static void
run_app (const char      *path,
         UiTestWindowFunc check,
         gpointer         data)
{
  g_autofree char *database = ui_test_database ("import-preview.db", FALSE);
  const char *argv[] = { "sitrep", "--paused", "--database", database, path, NULL };

  ui_test_run_app (argv, FALSE, check, data);
}

static char *
json_beside (const char *markdown)
{
  g_autofree char *base = g_strndup (markdown, strlen (markdown) - strlen (".md"));

  return g_strconcat (base, ".json", NULL);
}

/* What was understood, what needs a human with its FILE.md:LINE, and the commands, as the
 * preview shows them. */
static void
assert_preview (SitrepImportPreview *preview)
{
  g_autofree char *text = NULL;

  spin_until (preview_loaded, NULL);
  text = sitrep_import_preview_get_text (preview);
  g_test_message ("%s", text);
  g_assert_cmpstr (sitrep_import_preview_get_page (preview), ==, "preview");
  g_assert_true (g_str_has_prefix (text, "payments.md\nSaves as payments.json\n"));
  g_assert_nonnull (strstr (text, "# Understood\n"));
  g_assert_nonnull (strstr (text, "\nSeverities | P1 Critical (15 min), P2 Major (30 min), "
                                  "P3 Minor (4 h), P4 Low (24 h)\n"));
  g_assert_nonnull (strstr (text, "\nEscalation | P1, P2, P3, P4: On-Call Engineer (15 min), "
                                  "Team Lead (30 min)"));
  g_assert_nonnull (strstr (text, "\nChecklist | On-Call Checklist (at once – ongoing, 7 items)\n"));
  g_assert_nonnull (strstr (text, "\nTemplates | Communication (notification)\n"));
  g_assert_nonnull (strstr (text, "\nCommands | CPU: top; Out of disk: df, du\n"));
  g_assert_nonnull (strstr (text, "# Needs a Human\n"));
  g_assert_nonnull (strstr (text, "\npayments.md:12: guess: P1 has no name: labelled “Critical” "
                                  "by its rank\n"));
  g_assert_nonnull (strstr (text, "# Commands It Would Offer\n"));
  g_assert_nonnull (strstr (text, " | df -h\n"));
  g_assert_nonnull (strstr (text, " | top -c\n"));
  g_assert_true (sitrep_import_preview_can_save (preview));
}

/* The file Save and Open wrote is the runbook the importer drafted, and it loads. */
static void
assert_saved (const char *json)
{
  g_autoptr(GFile) file = g_file_new_for_path (json);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  g_assert_cmpstr (sitrep_runbook_get_name (runbook), ==, "Incident Response");
  g_assert_cmpuint (sitrep_runbook_get_severities (runbook)->len, ==, 4);
}

static void
check_save_and_open (SitrepApplication *app,
                     SitrepWindow      *window,
                     gpointer           data)
{
  const char *markdown = data;
  g_autofree char *json = json_beside (markdown);
  SitrepImportPreview *preview;

  spin_until (preview_loaded, NULL);
  preview = find_preview ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preview)) == GTK_WINDOW (window));
  assert_preview (preview);
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));

  sitrep_import_preview_save (preview);
  spin_until (preview_gone, NULL);
  spin_until (runbook_opened, json);
  assert_saved (json);
  /* Through the trust step: its commands run once the user has trusted them. */
  g_assert_false (sitrep_session_get_trusted (sitrep_application_get_session (app)));
  g_assert_nonnull (sitrep_window_get_trust_text (window));
}

/* `sitrep payments.md`: the preview, then Save and Open writes payments.json beside it and
 * opens it, untrusted. */
static void
test_save_and_open (void)
{
  g_autofree char *markdown = copy_document ("vibe-coder-incident-response.md", "payments.md");

  run_app (markdown, check_save_and_open, markdown);
}

static void
check_replace (SitrepApplication *app,
               SitrepWindow      *window,
               gpointer           data)
{
  const char *markdown = data;
  g_autofree char *json = json_beside (markdown);
  g_autofree char *kept = NULL;
  SitrepImportPreview *preview;
  AdwMessageDialog *question;

  spin_until (preview_loaded, NULL);
  preview = find_preview ();
  assert_preview (preview);

  /* Saved, the answer is Cancel: the file there is as it was, the preview stays. */
  sitrep_import_preview_save (preview);
  spin_until (replace_asked, NULL);
  question = sitrep_import_preview_get_replace_dialog (preview);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Replace payments.json?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  adw_message_dialog_response (question, "cancel");
  g_assert_true (g_file_get_contents (json, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "{ \"hours of work\": true }\n");
  g_assert_true (find_preview () == preview);
  g_assert_true (sitrep_import_preview_can_save (preview));

  /* Asked again, the answer is Replace. */
  sitrep_import_preview_save (preview);
  spin_until (replace_asked, NULL);
  adw_message_dialog_response (sitrep_import_preview_get_replace_dialog (preview), "replace");
  spin_until (preview_gone, NULL);
  spin_until (runbook_opened, json);
  assert_saved (json);
}

/* payments.json is there already: Save and Open asks before it replaces it. */
static void
test_replace (void)
{
  g_autofree char *markdown = copy_document ("vibe-coder-incident-response.md", "payments.md");
  g_autofree char *json = json_beside (markdown);

  g_assert_true (g_file_set_contents (json, "{ \"hours of work\": true }\n", -1, NULL));
  run_app (markdown, check_replace, markdown);
}

static void
check_not_a_runbook (SitrepApplication *app,
                     SitrepWindow      *window,
                     gpointer           data)
{
  g_autofree char *text = NULL;
  SitrepImportPreview *preview;

  spin_until (preview_loaded, NULL);
  preview = find_preview ();
  text = sitrep_import_preview_get_text (preview);
  g_test_message ("%s", text);
  g_assert_cmpstr (sitrep_import_preview_get_page (preview), ==, "failed");
  g_assert_nonnull (strstr (text, "README.md is not an incident runbook: it defines no severity "
                                  "levels"));
  g_assert_nonnull (strstr (text, "Give the Markdown file of your incident runbook."));
  g_assert_nonnull (strstr (text, "\nNothing was written.\n"));
  g_assert_false (sitrep_import_preview_can_save (preview));
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint files = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    files++;
  return files;
}

/* A README that is not a runbook: a clear message, no Save, nothing written. */
static void
test_not_a_runbook (void)
{
  g_autofree char *markdown = copy_document ("not-a-runbook-README.md", "README.md");
  g_autofree char *json = json_beside (markdown);
  g_autofree char *folder = g_path_get_dirname (markdown);
  guint before = count_files (folder);

  run_app (markdown, check_not_a_runbook, NULL);
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (folder), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  scratch = ui_test_init (&argc, &argv, "sitrep-import-preview-test");
  if (scratch == NULL)
    return 1;

  g_test_add_func ("/import-preview/save-and-open", test_save_and_open);
  g_test_add_func ("/import-preview/replace", test_replace);
  g_test_add_func ("/import-preview/not-a-runbook", test_not_a_runbook);

  return g_test_run ();
}
