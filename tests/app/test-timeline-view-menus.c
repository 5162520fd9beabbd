/* test-timeline-view-menus.c: a Timeline row's menu and the dialogs it opens, on a display */
#include "config.h"

#include <adwaita.h>

#include "fixture-incident.h"
#include "sitrep-store-private.h"
#include "sitrep-store-testing.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-private.h"
#include "timeline-view-fixture.h"
#include "ui-test-util.h"

#define MINUTE G_GINT64_CONSTANT (60000000)

/* The visible message dialog whose extra child holds a widget named @name, or any visible
 * message dialog when @name is NULL. */
static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window)
          && (name == NULL || find_named (window, name) != NULL))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static char *
view_text (AdwMessageDialog *dialog,
           const char       *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (GTK_WIDGET (dialog),
                                                                               name)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Opens the Edit Note dialog of @id, types @text in it and saves, after @theirs was saved
 * underneath by another console (NULL: none). Returns the conflict dialog, if one came. */
static AdwMessageDialog *
edit_through_dialog (TimelineFixture *f,
                     gint64           id,
                     const char      *text,
                     const char      *theirs)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.edit", "x", id));
  ui_fixture_settle ();
  dialog = find_dialog (NULL);
  g_assert_nonnull (dialog);
  entry = ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  if (theirs != NULL)
    {
      /* Another console, on the same database, edits the same note meanwhile. */
      g_autoptr(GError) error = NULL;
      g_autoptr(SitrepTimelineEvent) event = sitrep_store_load_event (f->ui.store, id, &error);

      g_assert_no_error (error);
      g_assert_true (sitrep_store_edit_note (f->ui.store, event, theirs, f->ui.t0, &error));
      g_assert_no_error (error);
    }
  adw_message_dialog_response (dialog, "apply");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();
  return find_dialog ("theirs-0");
}

static char *
stored_text (TimelineFixture *f,
             gint64           id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_load_event (f->ui.store, id, &error);

  g_assert_no_error (error);
  return g_strdup (sitrep_timeline_event_get_text (event));
}

/* Two consoles edit the same note: the second save is not written over the first; both
 * versions are shown, and the person keeps theirs, or saves theirs and theirs merged by hand,
 * or closes the dialog and finds the text in the note field. */
static void
test_edit_conflict (TimelineFixture *f,
                    gconstpointer    data)
{
  AdwMessageDialog *conflict;
  GtkTextBuffer *yours;
  g_autofree char *text = NULL;
  gint64 id;

  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  id = fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0, "Gateway 502s");
  ui_fixture_settle ();

  /* Nobody else: saved, no question. */
  g_assert_null (edit_through_dialog (f, id, "Gateway 502s since 03:10", NULL));
  text = stored_text (f, id);
  g_assert_cmpstr (text, ==, "Gateway 502s since 03:10");
  g_clear_pointer (&text, g_free);

  /* Someone else saved first: both shown, theirs kept in the store until the choice. */
  conflict = edit_through_dialog (f, id, "Gateway 502s since 03:10, EU only",
                                  "Gateway 502s since 03:05");
  g_assert_nonnull (conflict);
  text = view_text (conflict, "theirs-0");
  g_assert_cmpstr (text, ==, "Gateway 502s since 03:05");
  g_clear_pointer (&text, g_free);
  text = view_text (conflict, "yours-0");
  g_assert_cmpstr (text, ==, "Gateway 502s since 03:10, EU only");
  g_clear_pointer (&text, g_free);
  text = stored_text (f, id);
  g_assert_cmpstr (text, ==, "Gateway 502s since 03:05");
  g_clear_pointer (&text, g_free);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (find_named (GTK_WIDGET (conflict),
                                                                         "theirs-0"))));

  /* Merged by hand under "Yours", then saved. */
  yours = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (GTK_WIDGET (conflict),
                                                               "yours-0")));
  gtk_text_buffer_set_text (yours, "Gateway 502s since 03:05, EU only", -1);
  adw_message_dialog_response (conflict, "yours");
  gtk_window_destroy (GTK_WINDOW (conflict));
  ui_fixture_settle ();
  g_assert_null (find_dialog ("theirs-0"));
  text = stored_text (f, id);
  g_assert_cmpstr (text, ==, "Gateway 502s since 03:05, EU only");
  g_clear_pointer (&text, g_free);

  /* Keep theirs: the store keeps it. */
  conflict = edit_through_dialog (f, id, "mine", "theirs");
  g_assert_nonnull (conflict);
  adw_message_dialog_response (conflict, "theirs");
  gtk_window_destroy (GTK_WINDOW (conflict));
  ui_fixture_settle ();
  text = stored_text (f, id);
  g_assert_cmpstr (text, ==, "theirs");
  g_clear_pointer (&text, g_free);

  /* Closed without a choice: this console's text waits in the note field. */
  conflict = edit_through_dialog (f, id, "mine again", "theirs again");
  g_assert_nonnull (conflict);
  adw_message_dialog_response (conflict, "close");
  gtk_window_destroy (GTK_WINDOW (conflict));
  ui_fixture_settle ();
  text = stored_text (f, id);
  g_assert_cmpstr (text, ==, "theirs again");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->view->note_entry)), ==, "mine again");
}

/* Every row's menu button in @widget, in the order they are laid out. */
static void
collect_menu_buttons (GtkWidget *widget,
                      GPtrArray *buttons)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "view-more-symbolic") == 0)
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_menu_buttons (child, buttons);
}

/* What the menu of @button offers when clicked: "LABEL=ACTION(ID)" each, joined with ", ". */
static char *
open_menu (SitrepTimelineView *view,
           GtkButton          *button)
{
  GtkPopover *popover;
  GMenuModel *menu;
  g_autoptr(GString) text = g_string_new (NULL);
  GdkRectangle at;
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (button), GTK_WIDGET (view), &bounds));
  gtk_widget_grab_focus (GTK_WIDGET (button));
  g_signal_emit_by_name (button, "clicked");
  popover = sitrep_timeline_view_get_row_menu (view);
  g_assert_nonnull (popover);
  /* Pointing at the row's button, and open. */
  g_assert_true (gtk_popover_get_pointing_to (popover, &at));
  g_assert_cmpint (at.x, ==, (int) bounds.origin.x);
  g_assert_cmpint (at.y, ==, (int) bounds.origin.y);
  g_assert_cmpint (at.height, ==, (int) bounds.size.height);
  ui_fixture_settle ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL, *action = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s",
                                                      &label));
      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s",
                                                      &action));
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                      G_VARIANT_TYPE_INT64);
      g_assert_nonnull (target);
      g_string_append_printf (text, "%s%s=%s(%" G_GINT64_FORMAT ")", i ? ", " : "", label, action,
                              g_variant_get_int64 (target));
    }
  gtk_popover_popdown (popover);
  ui_fixture_settle ();
  /* Closed, the focus is on the row's button again, for the keyboard. */
  g_assert_true (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (button)))
                 == GTK_WIDGET (button));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Each row's menu, opened: a note's edits, deletes and annotates it, a system event is only
 * annotated; a row shown again for another event (scrolled, filtered) offers that one's. */
static void
test_row_menu (TimelineFixture *f,
               gconstpointer    data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autofree char *note_menu = NULL, *declared_menu = NULL, *expected = NULL;
  gint64 declared_id, note_id;

  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  ui_fixture_settle ();
  declared_id = sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0));
  note_id = fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 + MINUTE,
                              "Pods restarting in a loop");
  sitrep_timeline_view_reload (f->view);
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_timeline_event_get_kind (timeline_fixture_shown_event (f, 0)), ==,
                   "declared");

  collect_menu_buttons (GTK_WIDGET (f->view->column_view), buttons);
  g_assert_cmpuint (buttons->len, >=, 2);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *menu = open_menu (f->view, buttons->pdata[i]);
      g_autofree char *declared = g_strdup_printf ("(%" G_GINT64_FORMAT ")", declared_id);
      g_autofree char *note = g_strdup_printf ("(%" G_GINT64_FORMAT ")", note_id);

      if (strstr (menu, declared) != NULL)
        declared_menu = g_steal_pointer (&menu);
      else if (strstr (menu, note) != NULL)
        note_menu = g_steal_pointer (&menu);
    }
  expected = g_strdup_printf ("_Annotate…=timeline.annotate(%" G_GINT64_FORMAT ")", declared_id);
  g_assert_cmpstr (declared_menu, ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("_Edit…=timeline.edit(%" G_GINT64_FORMAT "), "
                              "_Delete=timeline.delete(%" G_GINT64_FORMAT "), "
                              "_Annotate…=timeline.annotate(%" G_GINT64_FORMAT ")",
                              note_id, note_id, note_id);
  g_assert_cmpstr (note_menu, ==, expected);

  /* Only notes: the first row is the note now, and its menu is the note's. */
  sitrep_timeline_view_set_filter (f->view, SITREP_TIMELINE_FILTER_NOTES, FALSE);
  ui_fixture_settle ();
  g_assert_cmpint (sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0)), ==, note_id);
  g_ptr_array_set_size (buttons, 0);
  collect_menu_buttons (GTK_WIDGET (f->view->column_view), buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *menu = NULL;

      if (!gtk_widget_get_mapped (buttons->pdata[i]))
        continue;
      menu = open_menu (f->view, buttons->pdata[i]);
      g_assert_cmpstr (menu, ==, expected);
    }
}

/* The label in @widget whose text with its mnemonic is @label, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *label)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Opens @button's menu and activates its item @label as a click would; returns the message
 * dialog it opened. */
static AdwMessageDialog *
choose (SitrepTimelineView *view,
        GtkButton          *button,
        const char         *label)
{
  GtkPopover *popover;
  GtkWidget *item;
  AdwMessageDialog *dialog = NULL;
  gboolean timed_out = FALSE;
  guint timeout;

  g_signal_emit_by_name (button, "clicked");
  popover = sitrep_timeline_view_get_row_menu (view);
  g_assert_nonnull (popover);
  ui_fixture_settle ();
  item = find_label (GTK_WIDGET (popover), label);
  g_assert_nonnull (item);
  /* The menu's item is the button around its label. */
  item = gtk_widget_get_ancestor (item, g_type_from_name ("GtkModelButton"));
  g_assert_nonnull (item);
  g_assert_true (gtk_widget_get_mapped (item));
  g_assert_true (gtk_widget_activate (item));
  timeout = g_timeout_add_seconds (10, timed_out_cb, &timed_out);
  while ((dialog = find_dialog (NULL)) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_assert_nonnull (dialog);
  /* The item closed its menu. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  return dialog;
}

/* The items of a row's menu do what they say for the row's event: the menu is the view's, so
 * its items reach the view's actions. */
static void
test_row_menu_items (TimelineFixture *f,
                     gconstpointer    data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  AdwMessageDialog *dialog;
  GtkButton *declared_button = NULL, *note_button = NULL;
  g_autofree char *declared = NULL, *note = NULL;

  sitrep_timeline_view_set_store (f->view, f->ui.store);
  sitrep_timeline_view_set_incident_manager (f->view, f->ui.manager);
  ui_fixture_settle ();
  g_assert_cmpstr (sitrep_timeline_event_get_kind (timeline_fixture_shown_event (f, 0)), ==,
                   "declared");
  declared = g_strdup_printf ("(%" G_GINT64_FORMAT ")",
                              sitrep_timeline_event_get_id (timeline_fixture_shown_event (f, 0)));
  note = g_strdup_printf ("(%" G_GINT64_FORMAT ")",
                          fixture_add_note (f->ui.store, f->ui.incident, f->ui.t0 + MINUTE,
                                            "Pods restarting in a loop"));
  sitrep_timeline_view_reload (f->view);
  ui_fixture_settle ();

  collect_menu_buttons (GTK_WIDGET (f->view->column_view), buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *menu = NULL;

      if (!gtk_widget_get_mapped (buttons->pdata[i]))
        continue;
      menu = open_menu (f->view, buttons->pdata[i]);
      if (strstr (menu, note) != NULL)
        note_button = buttons->pdata[i];
      else if (strstr (menu, declared) != NULL)
        declared_button = buttons->pdata[i];
    }
  g_assert_nonnull (note_button);
  g_assert_nonnull (declared_button);

  dialog = choose (f->view, note_button, "_Delete");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete Note?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Pods restarting in a loop");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();

  dialog = choose (f->view, declared_button, "_Annotate…");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Annotate Event");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "API returns 503s"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_fixture_settle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  scratch = ui_test_init (&argc, &argv, "sitrep-timeline-menus-test");
  if (scratch == NULL)
    return 1;

  g_test_add ("/timeline-view/row-menu", TimelineFixture, NULL, timeline_fixture_set_up,
              test_row_menu, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/row-menu-items", TimelineFixture, NULL, timeline_fixture_set_up,
              test_row_menu_items, timeline_fixture_tear_down);
  g_test_add ("/timeline-view/edit-conflict", TimelineFixture, NULL, timeline_fixture_set_up,
              test_edit_conflict, timeline_fixture_tear_down);

  return g_test_run ();
}
