/* test-team-reads-ui.c: the post-mortem editor, the message composer and the Timeline view's
 * dialogs on a team database
 * whose server stalls keep the main loop turning while they read, and show what they read once
 * it answers (a PostgreSQL cluster of the test's own, stopped with SIGSTOP and continued) */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-message-composer-private.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-incident-view-private.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-model-private.h"
#include "sitrep-timeline-view-private.h"
#include "team-test-util.h"
#include "ui-test-util.h"
#include "sitrep-store-testing.h"

typedef struct
{
  PgTestCluster *cluster;
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  GtkWindow *window;
  gint64 incident;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->cluster = pg_test_cluster_new ();
  f->store = sitrep_store_open (f->cluster->uri, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_is_shared (f->store));
  f->runbook = fixture_runbook_load (NULL);
  f->incident = sitrep_store_insert_incident (f->store, sitrep_runbook_get_name (f->runbook),
                                              "P1", "Labels do not print", g_get_real_time (),
                                              &error);
  g_assert_no_error (error);
  f->clock = sitrep_clock_new ();
  f->manager = sitrep_incident_manager_new (f->store, f->runbook, f->clock, &error);
  g_assert_no_error (error);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 600);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->manager);
  g_clear_object (&f->clock);
  g_clear_object (&f->runbook);
  g_clear_object (&f->store);
  pg_test_cluster_free (f->cluster);
}

/* Stalls the server, runs @func from the main loop, and turns the loop until the server is
 * back: the main loop must keep turning meanwhile. */
static void
stalled (Fixture         *f,
         GSourceOnceFunc  func,
         gpointer         data)
{
  TeamStall stall = { 0 };

  team_test_stall_begin (&stall, f->cluster);
  g_idle_add_once (func, data);
  team_test_stall_end (&stall);
}

typedef struct
{
  Fixture *f;
  SitrepPostmortemEditor *editor;
} Editing;

static void
open_postmortem (gpointer data)
{
  Editing *editing = data;

  /* What the window does for Ctrl+Shift+P. */
  sitrep_postmortem_editor_set_incident (editing->editor, editing->f->incident);
}

static gboolean
summary_shown (gpointer data)
{
  g_autofree char *summary = sitrep_postmortem_editor_get_field (data, "summary");

  return g_str_equal (summary, "Depots could not print for 40 min.");
}

/* The post-mortem opens while the server stalls: the editor says it is reading, and shows what
 * another console wrote once the server answers. */
static void
test_postmortem (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  Editing editing = { f, NULL };

  g_free (fields->summary);
  fields->summary = g_strdup ("Depots could not print for 40 min.");
  g_assert_true (sitrep_store_save_postmortem (f->store, f->incident, NULL, fields, NULL, items,
                                               NULL, &error));
  g_assert_no_error (error);

  editing.editor = SITREP_POSTMORTEM_EDITOR (sitrep_postmortem_editor_new ());
  sitrep_postmortem_editor_set_store (editing.editor, f->store);
  sitrep_postmortem_editor_set_runbook (editing.editor, f->runbook);
  gtk_window_set_child (f->window, GTK_WIDGET (editing.editor));
  gtk_window_present (f->window);
  /* Its first frames drawn: what is measured is the wait on the server. */
  spin (1000);

  stalled (f, open_postmortem, &editing);
  wait_until (summary_shown, editing.editor, 30, "the post-mortem's summary to be shown");
  g_assert_cmpint (sitrep_postmortem_editor_get_incident_id (editing.editor), ==, f->incident);
}

static void
announce_failure (gpointer data)
{
  SitrepMessageComposer *composer = data;

  /* What the webhook says when an attempt at the message failed. */
  g_signal_emit_by_name (composer->webhook, "changed", composer->message_id,
                         SITREP_WEBHOOK_STATE_FAILED);
}

static gboolean
says_failed (gpointer data)
{
  const char *state = sitrep_message_composer_get_state_text (data);

  return state != NULL && g_str_has_prefix (state, "Failed: HTTP 500");
}

/* A message posted from the composer fails while the server stalls: the composer reads why
 * and shows it once the server answers. */
static void
test_composer (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepWebhook) webhook = sitrep_webhook_new (f->store, f->clock);
  SitrepMessageRecord record = {
    .incident_id = f->incident,
    .template_id = "depot-notice",
    .title = "Depot notice",
    .kind = SITREP_TEMPLATE_STATUS,
    .text = "Label printing is down at every depot.",
    .at = g_get_real_time (),
    .author = "Dana",
    .posted = TRUE,
  };
  SitrepMessageComposer *composer;
  gint64 id;

  id = sitrep_store_record_message_full (f->store, &record, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_mark_message_failed (f->store, id, "HTTP 500 from the chat", 1,
                                                   g_get_real_time () + G_TIME_SPAN_HOUR,
                                                   &error));
  g_assert_no_error (error);

  composer = SITREP_MESSAGE_COMPOSER (sitrep_message_composer_new (f->store, f->runbook,
                                                                   f->manager, webhook));
  gtk_window_set_child (f->window, GTK_WIDGET (composer));
  gtk_window_present (f->window);
  spin (1000);
  /* The message this composer posted, whose state it shows. */
  composer->message_id = id;

  stalled (f, announce_failure, composer);
  wait_until (says_failed, composer, 30, "the composer to say why the post failed");
  g_test_message ("%s", sitrep_message_composer_get_state_text (composer));
  g_assert_nonnull (strstr (sitrep_message_composer_get_state_text (composer), "retrying at"));
}

typedef struct
{
  SitrepTimelineView *view;
  gint64 event_id;
} Asking;

static void
edit_row (gpointer data)
{
  Asking *asking = data;

  /* What a row's menu does for Edit Note. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (asking->view), "timeline.edit", "x",
                                             asking->event_id));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_open (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
timeline_counted (gpointer data)
{
  return sitrep_timeline_view_get_n_shown (data) >= 300;
}

static guint
count_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      n += ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window);
    }
  return n;
}

static gboolean
pages_read (gpointer data)
{
  SitrepTimelineView *view = data;

  return view->model != NULL && g_hash_table_size (view->model->reading) == 0
         && g_hash_table_size (view->model->pages) > 0;
}

/* A Timeline view over 300 notes (five pages) on screen: @ids their ids, in order. */
static SitrepTimelineView *
show_timeline (Fixture *f,
               GArray  *ids)
{
  g_autoptr(GError) error = NULL;
  SitrepTimelineView *view;
  gint64 at = g_get_real_time ();

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("Depot %u prints again", i);
      g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note (f->store, f->incident,
                                                                   at + i, text, "Dana",
                                                                   &error);

      g_assert_no_error (error);
      g_array_append_val (ids, ((gint64) { sitrep_timeline_event_get_id (note) }));
    }
  view = SITREP_TIMELINE_VIEW (sitrep_timeline_view_new ());
  sitrep_timeline_view_set_store (view, f->store);
  sitrep_timeline_view_set_incident_manager (view, f->manager);
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  gtk_window_present (f->window);
  wait_until (timeline_counted, view, 30, "the timeline to be counted");
  /* The rows on screen read and built before the server stalls (on a slow machine that takes
   * a while): the stall is about what the test does, not the view's first pages. */
  wait_until (pages_read, view, 60, "the first pages to be read");
  spin (1000);
  wait_until (pages_read, view, 60, "the first pages to be read");
  return view;
}

/* The @nth note (0: the last) of @ids that none of @view's pages holds, counted from the end,
 * far from the rows shown; its text in @text. */
static gint64
unread_note (SitrepTimelineView *view,
             GArray             *ids,
             guint               nth,
             char              **text)
{
  for (guint i = ids->len; i-- > 0;)
    {
      g_autoptr(SitrepTimelineEvent) held =
        sitrep_timeline_model_peek (view->model, g_array_index (ids, gint64, i));

      if (held == NULL && nth-- == 0)
        {
          *text = g_strdup_printf ("Depot %u prints again", i);
          return g_array_index (ids, gint64, i);
        }
    }
  g_assert_not_reached ();
}

static void
edit_two_rows (gpointer data)
{
  Asking *asking = data;

  /* The commander picks Edit Note on a row, then (nothing opened yet) on the next. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (asking[0].view), "timeline.edit", "x",
                                             asking[0].event_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (asking[1].view), "timeline.edit", "x",
                                             asking[1].event_id));
}

/* Two rows asked to be edited while the server stalls: one dialog opens, the last one asked. */
static void
test_timeline_edit_twice (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *first = NULL, *second = NULL;
  Asking asking[2];
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  asking[0].view = asking[1].view = show_timeline (f, ids);
  asking[0].event_id = unread_note (asking[0].view, ids, 0, &first);
  asking[1].event_id = unread_note (asking[1].view, ids, 1, &second);

  stalled (f, edit_two_rows, asking);
  wait_until (dialog_open, NULL, 30, "the Edit Note dialog to open");
  spin (500);
  g_assert_cmpuint (count_dialogs (), ==, 1);
  dialog = find_dialog ();
  entry = ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, second);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
toast_shown (gpointer data)
{
  return sitrep_timeline_view_get_last_toast (data) != NULL;
}

/* A row whose note another console deleted for good (it is not in the database any more):
 * the view says so rather than do nothing. */
static void
test_timeline_edit_gone (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  SitrepTimelineView *view = show_timeline (f, ids);
  gint64 gone = g_array_index (ids, gint64, ids->len - 1) + 1000;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.edit", "x", gone));
  wait_until (toast_shown, view, 30, "the view to say why nothing opened");
  g_assert_cmpstr (sitrep_timeline_view_get_last_toast (view), ==,
                   "This event is no longer on the timeline.");
  g_assert_cmpuint (count_dialogs (), ==, 0);
}

static void
save_edit (gpointer data)
{
  /* The commander changes the note and presses Save. */
  AdwMessageDialog *dialog = data;
  GtkWidget *entry = ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);

  gtk_editable_set_text (GTK_EDITABLE (entry), "Depot prints again after the reboot");
  adw_message_dialog_response (dialog, "apply");
}

typedef struct
{
  Fixture *f;
  gint64 event_id;
} Saved;

static gboolean
edit_stored (gpointer data)
{
  Saved *saved = data;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_load_event (saved->f->store,
                                                                   saved->event_id, NULL);

  return event != NULL && g_str_equal (sitrep_timeline_event_get_text (event),
                                       "Depot prints again after the reboot");
}

/* The edit of a note none of the view's pages holds is saved while the server stalls: the main
 * loop does not read the note again to check it (the store's writer does), and the edit is
 * stored once the server answers. */
static void
test_timeline_edit_save (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *text = NULL;
  Asking asking;
  Saved saved = { f, 0 };

  asking.view = show_timeline (f, ids);
  asking.event_id = unread_note (asking.view, ids, 0, &text);
  edit_row (&asking);
  wait_until (dialog_open, NULL, 30, "the Edit Note dialog to open");
  /* Scrolled away meanwhile: the row's page is not held when Save is pressed. */
  g_assert_null (sitrep_timeline_model_peek (asking.view->model, asking.event_id));

  stalled (f, save_edit, find_dialog ());
  saved.event_id = asking.event_id;
  wait_until (edit_stored, &saved, 30, "the edit to be stored");
  g_assert_null (sitrep_timeline_view_get_last_toast (asking.view));
}

/* A row whose event none of the model's pages holds asks to be edited while the server
 * stalls: the dialog opens with the note once the server answers. */
static void
test_timeline_edit (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *expected = NULL;
  Asking asking;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  asking.view = show_timeline (f, ids);
  asking.event_id = unread_note (asking.view, ids, 0, &expected);

  stalled (f, edit_row, &asking);
  wait_until (dialog_open, NULL, 30, "the Edit Note dialog to open");
  dialog = find_dialog ();
  entry = ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, expected);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  Fixture *f;
  SitrepIncidentView *view;
  SitrepIncidentManager *manager;
  char *title_while_loading;
} Opening;

static void
open_incidents (gpointer data)
{
  Opening *opening = data;
  g_autoptr(GError) error = NULL;

  /* What the console does when it opens a team database, or another runbook. */
  opening->manager = sitrep_incident_manager_new_in_background (opening->f->store,
                                                                opening->f->runbook,
                                                                opening->f->clock, &error);
  g_assert_no_error (error);
  sitrep_incident_view_set_manager (opening->view, opening->manager);
  opening->title_while_loading = g_strdup (adw_status_page_get_title (opening->view->empty_page));
}

static gboolean
incident_shown (gpointer data)
{
  Opening *opening = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (opening->view->stack), "incident") == 0;
}

/* The console opens its incidents while the server stalls: the Incident view says they are
 * being read (not that there is none), and shows the open one once the server answers. */
static void
test_incident_view_loading (Fixture      *f,
                            gconstpointer data)
{
  Opening opening = { f, NULL, NULL, NULL };

  opening.view = SITREP_INCIDENT_VIEW (sitrep_incident_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (opening.view));
  gtk_window_present (f->window);
  spin (1000);

  stalled (f, open_incidents, &opening);
  g_assert_cmpstr (opening.title_while_loading, ==, "Reading the Incidents…");
  wait_until (incident_shown, &opening, 30, "the open incident to be shown");
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (opening.manager)),
                   ==, f->incident);
  sitrep_incident_view_set_manager (opening.view, NULL);
  g_clear_object (&opening.manager);
  g_free (opening.title_while_loading);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;
  int status;

  scratch = ui_test_init (&argc, &argv, "sitrep-team-reads-ui-test");
  if (scratch == NULL)
    return 1;

  g_test_add ("/team-reads-ui/postmortem", Fixture, NULL, fixture_set_up, test_postmortem,
              fixture_tear_down);
  g_test_add ("/team-reads-ui/composer", Fixture, NULL, fixture_set_up, test_composer,
              fixture_tear_down);
  g_test_add ("/team-reads-ui/incident-view-loading", Fixture, NULL, fixture_set_up,
              test_incident_view_loading, fixture_tear_down);
  g_test_add ("/team-reads-ui/timeline-edit", Fixture, NULL, fixture_set_up, test_timeline_edit,
              fixture_tear_down);
  g_test_add ("/team-reads-ui/timeline-edit-twice", Fixture, NULL, fixture_set_up,
              test_timeline_edit_twice, fixture_tear_down);
  g_test_add ("/team-reads-ui/timeline-edit-gone", Fixture, NULL, fixture_set_up,
              test_timeline_edit_gone, fixture_tear_down);
  g_test_add ("/team-reads-ui/timeline-edit-save", Fixture, NULL, fixture_set_up,
              test_timeline_edit_save, fixture_tear_down);

  status = g_test_run ();
  g_rmdir (scratch);
  return status;
}
