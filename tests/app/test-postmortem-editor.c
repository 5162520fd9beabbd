/* test-postmortem-editor.c: the post-mortem editor under a real display: filled in, saved on
 * the store's writer thread, merged with another console's save, conflicts shown with both
 * versions */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "fixture-runbook.h"
#include "sitrep-incident-manager.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-postmortem.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"
#include "ui-fixture.h"
#include "ui-test-util.h"

/* Northwind with one P1 incident declared, in a database file of its own. */
static void
fixture_set_up (UiFixture     *f,
                gconstpointer  data)
{
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);
  const UiFixtureDeclaration declare = {
    "P1", "Labels do not print", "Every depot", "alice", (const char *[]) { "gateway", NULL },
  };
  const UiFixtureOptions options = {
    .runbook = northwind,
    .on_disk = TRUE,
    .declare = &declare,
    .window_width = 640,
    .window_height = 480,
  };

  ui_fixture_set_up (f, &options);
}

static void
fixture_tear_down (UiFixture     *f,
                   gconstpointer  data)
{
  ui_fixture_tear_down (f);
}

static SitrepPostmortemEditor *
show_editor (UiFixture *f)
{
  SitrepPostmortemEditor *editor = SITREP_POSTMORTEM_EDITOR (sitrep_postmortem_editor_new ());

  sitrep_postmortem_editor_set_store (editor, f->store);
  sitrep_postmortem_editor_set_runbook (editor, f->runbook);
  sitrep_postmortem_editor_set_utc (editor, TRUE);
  sitrep_postmortem_editor_set_incident (editor, f->incident);
  sitrep_postmortem_editor_wait_for_load (editor);
  ui_fixture_show (f, GTK_WIDGET (editor));
  return editor;
}

static void
test_postmortem (UiFixture     *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *again = NULL;
  g_autofree char *root_cause = NULL;
  SitrepPostmortemEditor *editor;

  editor = show_editor (f);
  sitrep_postmortem_editor_set_field (editor, "summary", "Depots could not print for 40 min.");
  sitrep_postmortem_editor_set_field (editor, "root-cause",
                                      "An expired TLS certificate on the gateway load balancer");
  sitrep_postmortem_editor_set_field (editor, "resolution", "Renewed the certificate.");
  sitrep_postmortem_editor_set_field (editor, "lessons", "Certificates expire\nAlert first");
  sitrep_postmortem_editor_add_action_item (editor, "Alert on certificate expiry", "bob",
                                            "2026-12-05", FALSE);
  preview = sitrep_postmortem_editor_get_preview (editor);
  g_assert_true (g_str_has_prefix (preview, "# Review: Labels do not print\n"));
  g_assert_nonnull (strstr (preview, "## Why\nAn expired TLS certificate on the gateway load "
                                     "balancer\n"));
  g_assert_nonnull (strstr (preview, "- [ ] Alert on certificate expiry - Owner: @bob - Due: "
                                     "2026-12-05\n"));

  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_postmortem_editor_get_last_toast (editor), ==, "Post-mortem saved");

  /* A fresh editor shows what was saved. */
  editor = show_editor (f);
  root_cause = sitrep_postmortem_editor_get_field (editor, "root-cause");
  g_assert_cmpstr (root_cause, ==, "An expired TLS certificate on the gateway load balancer");
  g_assert_cmpuint (sitrep_postmortem_editor_get_n_action_items (editor), ==, 1);
  again = sitrep_postmortem_editor_get_preview (editor);
  g_assert_cmpstr (again, ==, preview);
}

/* What the window hands over as properties: made with the store, the runbook, the time zone
 * and the incident, the editor reads and shows that incident's post-mortem; "utc" changes its
 * times at once, and the incident set to 0 shows none. */
static void
test_properties (UiFixture     *f,
                 gconstpointer  data)
{
  SitrepPostmortemEditor *editor;
  g_autofree char *preview = NULL;
  g_autofree char *local = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  gint64 id = 0;
  gboolean utc = FALSE;

  editor = g_object_new (SITREP_TYPE_POSTMORTEM_EDITOR,
                         "store", f->store,
                         "runbook", f->runbook,
                         "utc", TRUE,
                         "incident-id", f->incident,
                         NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (editor));
  gtk_window_present (f->window);
  sitrep_postmortem_editor_wait_for_load (editor);
  g_object_get (editor, "store", &store, "runbook", &runbook, "incident-id", &id, "utc", &utc,
                NULL);
  g_assert_true (store == f->store);
  g_assert_true (runbook == f->runbook);
  g_assert_cmpint (id, ==, f->incident);
  g_assert_true (utc);
  /* Declared at 03:20 UTC: 04:20 in Berlin, where this console now is. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  preview = sitrep_postmortem_editor_get_preview (editor);
  g_assert_true (g_str_has_prefix (preview, "# Review: Labels do not print\n"));
  g_assert_nonnull (strstr (preview, "03:20"));
  g_assert_null (strstr (preview, "04:20"));

  g_object_set (editor, "utc", FALSE, NULL);
  local = sitrep_postmortem_editor_get_preview (editor);
  g_setenv ("TZ", "UTC", TRUE);
  g_assert_true (g_str_has_prefix (local, "# Review: Labels do not print\n"));
  g_assert_nonnull (strstr (local, "04:20"));
  g_assert_null (strstr (local, "03:20"));

  g_object_set (editor, "incident-id", (gint64) 0, NULL);
  g_assert_cmpint (sitrep_postmortem_editor_get_incident_id (editor), ==, 0);
}


/* A format-2 runbook's own post-mortem sections: the editor shows each with its title and
 * prompt, what is typed under one reaches the preview in the runbook's order, is saved, comes
 * back in a fresh editor, and is in the export; an empty one shows as its placeholder. */
static void
test_postmortem_sections (UiFixture     *f,
                          gconstpointer  data)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) v2 = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *again = NULL;
  g_autofree char *exported = NULL;
  SitrepPostmortemEditor *editor;

  g_assert_cmpuint (g_string_replace (v2, "\"sitrep_runbook\": 1,",
                                      "\"sitrep_runbook\": 2,\n"
                                      "  \"postmortem_sections\": ["
                                      " { \"id\": \"went-well\", \"title\": \"What went well\","
                                      " \"prompt\": \"One thing to keep doing\" },"
                                      " { \"id\": \"customers\", \"title\": \"Customer follow-up\" } ],",
                                      1), ==, 1);
  bytes = g_bytes_new (v2->str, v2->len);
  g_clear_object (&f->runbook);
  f->runbook = sitrep_runbook_load_bytes (bytes, "northwind.json", NULL, &error);
  g_assert_no_error (error);

  editor = show_editor (f);
  shown = sitrep_postmortem_editor_get_sections_text (editor);
  g_assert_cmpstr (shown, ==, "What went well (One thing to keep doing)\nCustomer follow-up\n");
  g_assert_false (sitrep_postmortem_editor_set_section (editor, "lessons", "x"));
  g_assert_true (sitrep_postmortem_editor_set_section (editor, "went-well",
                                                       "# Paging reached the depot leads at once"));
  preview = sitrep_postmortem_editor_get_preview (editor);
  g_assert_true (g_str_has_prefix (preview, "# Review: Labels do not print\n"));
  g_assert_true (g_str_has_suffix (preview, "\n## What went well\n\n"
                                            "\\# Paging reached the depot leads at once\n"
                                            "\n## Customer follow-up\n\n[customers]\n"));
  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);

  editor = show_editor (f);
  again = sitrep_postmortem_editor_get_preview (editor);
  g_assert_cmpstr (again, ==, preview);
  exported = sitrep_postmortem_export (f->store, f->runbook, f->incident, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exported, ==, preview);
}

/* Another console saves the post-mortem: @summary and @root_cause over what it read. */
static void
save_elsewhere (UiFixture  *f,
                const char *summary,
                const char *root_cause)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepPostmortemFields) base = sitrep_store_load_postmortem (f->store, f->incident,
                                                                         &error);
  g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_copy (base);

  g_assert_no_error (error);
  g_free (fields->summary);
  fields->summary = g_strdup (summary);
  g_free (fields->root_cause);
  fields->root_cause = g_strdup (root_cause);
  g_assert_true (sitrep_store_save_postmortem (f->store, f->incident, base, fields, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
}

static char *
dialog_text (AdwMessageDialog *dialog,
             const char       *name)
{
  GtkWidget *found = NULL;
  GtkTextIter start, end;
  GtkTextBuffer *buffer;
  GtkWidget *stack[64];
  guint n = 0;

  stack[n++] = GTK_WIDGET (dialog);
  while (n > 0 && found == NULL)
    {
      GtkWidget *widget = stack[--n];

      if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
        found = widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && n < 64;
           child = gtk_widget_get_next_sibling (child))
        stack[n++] = child;
    }
  g_assert_nonnull (found);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (found));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_dialog_text (AdwMessageDialog *dialog,
                 const char       *name,
                 const char       *text)
{
  GtkWidget *stack[64];
  guint n = 0;

  stack[n++] = GTK_WIDGET (dialog);
  while (n > 0)
    {
      GtkWidget *widget = stack[--n];

      if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
        {
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
          return;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && n < 64;
           child = gtk_widget_get_next_sibling (child))
        stack[n++] = child;
    }
  g_assert_not_reached ();
}

static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_stored_summary (UiFixture  *f,
                       const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepPostmortemFields) stored = sitrep_store_load_postmortem (f->store, f->incident,
                                                                           &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stored->summary, ==, summary);
}

/* Two consoles edit one post-mortem: what only the other changed comes in on save; the same
 * field changed in both is not overwritten: the editor shows both, and the person saves theirs
 * merged by hand, keeps theirs, or closes and keeps typing. */
static void
test_postmortem_conflict (UiFixture     *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SitrepPostmortemEditor *editor = show_editor (f);
  AdwMessageDialog *dialog;

  sitrep_postmortem_editor_set_field (editor, "summary", "Depots could not print.");
  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);

  /* The other console rewrites the summary and fills in the root cause; this one the summary
   * too, differently. */
  save_elsewhere (f, "Depots could not print for 40 min.", "Expired certificate");
  sitrep_postmortem_editor_set_field (editor, "summary", "Labels failed at every depot.");
  g_assert_false (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_error (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED);
  g_clear_error (&error);
  assert_stored_summary (f, "Depots could not print for 40 min.");
  dialog = sitrep_postmortem_editor_get_conflict_dialog (editor);
  g_assert_nonnull (dialog);
  text = dialog_text (dialog, "theirs-0");
  g_assert_cmpstr (text, ==, "Depots could not print for 40 min.");
  g_clear_pointer (&text, g_free);
  text = dialog_text (dialog, "yours-0");
  g_assert_cmpstr (text, ==, "Labels failed at every depot.");
  g_clear_pointer (&text, g_free);

  /* Merged by hand and saved: the root cause the other console wrote comes in as well. */
  set_dialog_text (dialog, "yours-0", "Labels failed at every depot for 40 min.");
  answer (dialog, "yours");
  sitrep_postmortem_editor_wait_for_save (editor);
  g_assert_null (sitrep_postmortem_editor_get_conflict_dialog (editor));
  assert_stored_summary (f, "Labels failed at every depot for 40 min.");
  text = sitrep_postmortem_editor_get_field (editor, "root-cause");
  g_assert_cmpstr (text, ==, "Expired certificate");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr (sitrep_postmortem_editor_get_last_toast (editor), ==, "Post-mortem saved");

  /* Theirs kept: the editor shows it. */
  save_elsewhere (f, "Theirs", "Expired certificate");
  sitrep_postmortem_editor_set_field (editor, "summary", "Mine");
  g_assert_false (sitrep_postmortem_editor_save_and_wait (editor, NULL));
  answer (sitrep_postmortem_editor_get_conflict_dialog (editor), "theirs");
  sitrep_postmortem_editor_wait_for_save (editor);
  assert_stored_summary (f, "Theirs");
  text = sitrep_postmortem_editor_get_field (editor, "summary");
  g_assert_cmpstr (text, ==, "Theirs");
  g_clear_pointer (&text, g_free);

  /* Closed without a choice: nothing saved, this console's text still in the editor. */
  save_elsewhere (f, "Theirs again", "Expired certificate");
  sitrep_postmortem_editor_set_field (editor, "summary", "Mine again");
  g_assert_false (sitrep_postmortem_editor_save_and_wait (editor, NULL));
  answer (sitrep_postmortem_editor_get_conflict_dialog (editor), "close");
  assert_stored_summary (f, "Theirs again");
  text = sitrep_postmortem_editor_get_field (editor, "summary");
  g_assert_cmpstr (text, ==, "Mine again");
}

/* Another console changes the action items: from what it read, @change is applied and saved,
 * merged with what is stored. */
typedef void (*ItemsChange) (GPtrArray *items);

static void
change_items_elsewhere (UiFixture   *f,
                        ItemsChange  change)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) base = sitrep_store_load_action_items (f->store, f->incident, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);

  g_assert_no_error (error);
  for (guint i = 0; i < base->len; i++)
    g_ptr_array_add (items, sitrep_action_item_copy (base->pdata[i]));
  change (items);
  g_assert_true (sitrep_store_save_postmortem (f->store, f->incident, NULL, NULL, base, items,
                                               NULL, &error));
  g_assert_no_error (error);
}

static void
tick_first_and_add (GPtrArray *items)
{
  ((SitrepActionItem *) items->pdata[0])->done = TRUE;
  g_ptr_array_add (items, sitrep_action_item_new ("Status page template", "dana", "", FALSE));
}

static void
reword_first (GPtrArray *items)
{
  SitrepActionItem *item = items->pdata[0];

  g_free (item->text);
  item->text = g_strdup ("Alert 14 days before expiry");
}

static void
assert_item (SitrepPostmortemEditor *editor,
             guint                   index,
             const char             *text,
             const char             *owner,
             gboolean                done)
{
  g_autoptr(SitrepActionItem) item = sitrep_postmortem_editor_get_action_item (editor, index);

  g_assert_cmpstr (item->text, ==, text);
  g_assert_cmpstr (item->owner, ==, owner);
  g_assert_cmpint (item->done, ==, done);
}

/* Two consoles edit the action items: each keeps what the other did (a tick, a new item, a new
 * owner), the editor shows the other's at once after its save, and one item reworded in both
 * brings up the conflict dialog with both texts. */
static void
test_postmortem_items_merge (UiFixture     *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *text = NULL;
  SitrepPostmortemEditor *editor = show_editor (f);
  AdwMessageDialog *dialog;

  sitrep_postmortem_editor_add_action_item (editor, "Alert on certificate expiry", "alice", "",
                                            FALSE);
  sitrep_postmortem_editor_add_action_item (editor, "Rotate certificates", "bob", "", FALSE);
  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);

  /* The other console ticks the first and adds one; this one reassigns the second and adds
   * one of its own. */
  change_items_elsewhere (f, tick_first_and_add);
  sitrep_postmortem_editor_set_action_item (editor, 1, "owner", "carol");
  sitrep_postmortem_editor_add_action_item (editor, "Write the runbook entry", "alice", "",
                                            FALSE);
  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sitrep_postmortem_editor_get_n_action_items (editor), ==, 4);
  assert_item (editor, 0, "Alert on certificate expiry", "alice", TRUE);
  assert_item (editor, 1, "Rotate certificates", "carol", FALSE);
  assert_item (editor, 2, "Write the runbook entry", "alice", FALSE);
  assert_item (editor, 3, "Status page template", "dana", FALSE);
  stored = sitrep_store_load_action_items (f->store, f->incident, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 4);
  g_assert_cmpstr (((SitrepActionItem *) stored->pdata[1])->owner, ==, "carol");
  g_assert_cmpstr (((SitrepActionItem *) stored->pdata[3])->text, ==, "Status page template");

  /* Both reword the first: nothing saved, both texts shown; theirs kept. */
  change_items_elsewhere (f, reword_first);
  sitrep_postmortem_editor_set_action_item (editor, 0, "text", "Alert 30 days ahead");
  g_assert_false (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_error (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED);
  dialog = sitrep_postmortem_editor_get_conflict_dialog (editor);
  g_assert_nonnull (dialog);
  text = dialog_text (dialog, "theirs-0");
  g_assert_cmpstr (text, ==, "Alert 14 days before expiry");
  g_clear_pointer (&text, g_free);
  text = dialog_text (dialog, "yours-0");
  g_assert_cmpstr (text, ==, "Alert 30 days ahead");
  answer (dialog, "theirs");
  sitrep_postmortem_editor_wait_for_save (editor);
  assert_item (editor, 0, "Alert 14 days before expiry", "alice", TRUE);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = sitrep_store_load_action_items (f->store, f->incident, &error);
  g_assert_cmpstr (((SitrepActionItem *) stored->pdata[0])->text, ==,
                   "Alert 14 days before expiry");
  g_assert_cmpuint (stored->len, ==, 4);
}

/* The person goes on working while a save is under way: an item removed meanwhile stays
 * removed, and a save that comes back after another incident was opened leaves that one as it
 * is. */
static void
test_postmortem_save_in_background (UiFixture     *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *summary = NULL;
  SitrepPostmortemEditor *editor = show_editor (f);
  gint64 other;

  sitrep_postmortem_editor_add_action_item (editor, "Alert on certificate expiry", "alice", "",
                                            FALSE);
  sitrep_postmortem_editor_add_action_item (editor, "Rotate certificates", "bob", "", FALSE);
  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);

  /* Saved again, and the first item removed before the save comes back. */
  sitrep_postmortem_editor_set_field (editor, "summary", "Depots could not print.");
  sitrep_postmortem_editor_save_async (editor, NULL, NULL, NULL);
  sitrep_postmortem_editor_remove_action_item (editor, 0);
  sitrep_postmortem_editor_wait_for_save (editor);
  g_assert_cmpuint (sitrep_postmortem_editor_get_n_action_items (editor), ==, 1);
  g_assert_true (sitrep_postmortem_editor_save_and_wait (editor, &error));
  g_assert_no_error (error);
  stored = sitrep_store_load_action_items (f->store, f->incident, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (((SitrepActionItem *) stored->pdata[0])->text, ==, "Rotate certificates");

  /* Saved, and another incident opened before the save comes back: it shows its own. */
  other = sitrep_incident_manager_declare (f->manager, "P2", "Slow label printing",
                                           "One depot", "alice", NULL,
                                           (const char *[]) { "gateway", NULL }, &error);
  g_assert_no_error (error);
  sitrep_postmortem_editor_set_field (editor, "summary", "Depots could not print for 40 min.");
  sitrep_postmortem_editor_save_async (editor, NULL, NULL, NULL);
  sitrep_postmortem_editor_set_incident (editor, other);
  sitrep_postmortem_editor_wait_for_save (editor);
  sitrep_postmortem_editor_wait_for_load (editor);
  g_assert_cmpuint (sitrep_postmortem_editor_get_n_action_items (editor), ==, 0);
  summary = sitrep_postmortem_editor_get_field (editor, "summary");
  g_assert_cmpstr (summary, ==, "");
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = sitrep_store_load_action_items (f->store, other, &error);
  g_assert_cmpuint (stored->len, ==, 0);
  /* The first incident's save was made all the same. */
  sitrep_postmortem_editor_set_incident (editor, f->incident);
  sitrep_postmortem_editor_wait_for_load (editor);
  g_clear_pointer (&summary, g_free);
  summary = sitrep_postmortem_editor_get_field (editor, "summary");
  g_assert_cmpstr (summary, ==, "Depots could not print for 40 min.");
}

/* Another console saved, and reading what it saved fails (here the database lost a table):
 * the editor says so and why, keeps what the person typed and stays open to save it. */
static void
test_postmortem_refresh_fails (UiFixture     *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  SitrepPostmortemEditor *editor = show_editor (f);
  const char *toast;

  sitrep_postmortem_editor_set_field (editor, "summary", "Labels failed at every depot.");
  save_elsewhere (f, "Depots could not print.", "Expired certificate");
  g_assert_true (sitrep_store_exec (f->store, "DROP TABLE action_items", "breaking the store",
                                    &error));
  g_assert_no_error (error);

  sitrep_postmortem_editor_refresh (editor);
  while (editor->refresh_cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);

  toast = sitrep_postmortem_editor_get_last_toast (editor);
  g_test_message ("%s", toast);
  g_assert_true (g_str_has_prefix (toast, "Cannot show what another console saved to this "
                                          "post-mortem ("));
  g_assert_nonnull (strstr (toast, "action_items"));
  g_assert_nonnull (strstr (toast, "Your text stays here"));
  summary = sitrep_postmortem_editor_get_field (editor, "summary");
  g_assert_cmpstr (summary, ==, "Labels failed at every depot.");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (editor->stack), ==, "editor");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  scratch = ui_test_init (&argc, &argv, "sitrep-postmortem-editor-test");
  if (scratch == NULL)
    return 1;

  g_test_add ("/postmortem-editor/save", UiFixture, NULL, fixture_set_up, test_postmortem,
              fixture_tear_down);
  g_test_add ("/postmortem-editor/properties", UiFixture, NULL, fixture_set_up, test_properties,
              fixture_tear_down);
  g_test_add ("/postmortem-editor/sections", UiFixture, NULL, fixture_set_up,
              test_postmortem_sections, fixture_tear_down);
  g_test_add ("/postmortem-editor/conflict", UiFixture, NULL, fixture_set_up,
              test_postmortem_conflict, fixture_tear_down);
  g_test_add ("/postmortem-editor/items-merge", UiFixture, NULL, fixture_set_up,
              test_postmortem_items_merge, fixture_tear_down);
  g_test_add ("/postmortem-editor/save-in-background", UiFixture, NULL, fixture_set_up,
              test_postmortem_save_in_background, fixture_tear_down);
  g_test_add ("/postmortem-editor/refresh-fails", UiFixture, NULL, fixture_set_up,
              test_postmortem_refresh_fails, fixture_tear_down);

  status = g_test_run ();
  g_rmdir (scratch);
  return status;
}
