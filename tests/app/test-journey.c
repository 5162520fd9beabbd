/* test-journey.c: the real window on the second runbook, as a commander goes through it: every
 * control has a name a screen reader can say; windows close with Escape */
#include "config.h"

#include <adwaita.h>

#include "fixture-runbook.h"
#include "sitrep-action-output.h"
#include "sitrep-application.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-health-view-private.h"
#include "sitrep-message-composer-private.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-window-private.h"
#include "ui-test-util.h"

typedef struct _Run Run;
typedef void (*Visit) (Run          *run,
                       SitrepWindow *window);

struct _Run
{
  SitrepApplication *app;
  Visit visit;
  GString *unnamed; /* one line per control without a name, over every window visited */
  GHashTable *labels; /* a window's button labels -> the buttons showing it, while walking it */
  GHashTable *seen; /* the lines already reported */
};

static void
spin (void)
{
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Waits up to 20 s for @ready. */
static gboolean
spin_until (gboolean (*ready) (gpointer),
            gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!ready (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  spin ();
  return TRUE;
}

static gboolean
dialog_declared (gpointer dialog)
{
  return g_strcmp0 (sitrep_declare_dialog_get_page (dialog), "declared") == 0;
}

/* The roles a person operates: what a screen reader announces as a control to press or fill. */
static gboolean
is_control_role (GtkAccessibleRole role)
{
  switch (role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A control made of parts (a menu button's toggle, an entry's text, a row's switch) is named
 * by the whole: the part answers for it when its whole has no name of its own. */
static GtkWidget *
named_whole (GtkWidget *widget)
{
  static GType wholes[8];
  GtkWidget *ancestor;

  if (wholes[0] == 0)
    {
      wholes[0] = GTK_TYPE_MENU_BUTTON;
      wholes[1] = GTK_TYPE_DROP_DOWN;
      wholes[2] = GTK_TYPE_SPIN_BUTTON;
      wholes[3] = GTK_TYPE_ENTRY;
      wholes[4] = GTK_TYPE_SEARCH_ENTRY;
      wholes[5] = GTK_TYPE_PASSWORD_ENTRY;
      wholes[6] = ADW_TYPE_SPLIT_BUTTON;
      wholes[7] = ADW_TYPE_ENTRY_ROW;
    }
  for (ancestor = gtk_widget_get_parent (widget); ancestor != NULL;
       ancestor = gtk_widget_get_parent (ancestor))
    for (guint i = 0; i < G_N_ELEMENTS (wholes); i++)
      if (G_TYPE_CHECK_INSTANCE_TYPE (ancestor, wholes[i]))
        return ancestor;
  return NULL;
}

/* A non-empty label property: what GTK 4.8 reads first for the name it gives AT-SPI. */
static gboolean
has_label (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  g_autofree char *empty = NULL;

  if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  /* check_property answers NULL when the label is the empty string. */
  empty = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return empty != NULL;
}

/* The widget under @root that @widget says it is labelled by, if that one has a label. */
static gboolean
labelled_by_label (GtkWidget *widget,
                   GtkWidget *root)
{
  if (root != widget && has_label (root))
    {
      g_autofree char *differs =
        gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY, root, NULL);

      if (differs == NULL)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (labelled_by_label (widget, child))
      return TRUE;
  return FALSE;
}

/* The name GTK 4.8 gives AT-SPI: the label property, or the labels of what the widget is
 * labelled by (a button's label, an AdwButtonContent's). A tooltip is the description, not the
 * name: an icon button with only a tooltip is heard as "button". An icon button is labelled by
 * its image, which has no label. */
static gboolean
has_name (GtkWidget *widget)
{
  if (has_label (widget))
    return TRUE;
  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;
  return labelled_by_label (widget, widget)
         || labelled_by_label (widget, GTK_WIDGET (gtk_widget_get_root (widget)));
}

static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *name = gtk_widget_get_name (w);

      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (name != NULL && g_strcmp0 (name, G_OBJECT_TYPE_NAME (w)) != 0)
        {
          g_string_insert (path, strlen (G_OBJECT_TYPE_NAME (w)), "#");
          g_string_insert (path, strlen (G_OBJECT_TYPE_NAME (w)) + 1, name);
        }
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (path, " > ");
      if (GTK_IS_ROOT (w))
        break;
    }
  if (tooltip != NULL)
    g_string_append_printf (path, " (tooltip \"%s\")", tooltip);
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (path, " (icon %s)", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  return g_string_free (path, FALSE);
}

static void
walk (Run       *run,
      GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  /* What is not shown is not in the accessibility tree either (an expander row's hidden switch,
   * a stack's other pages: the test shows each page it checks). */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  /* GTK's own shortcuts window, whose search and section controls the app cannot reach. */
  if (GTK_IS_SHORTCUTS_WINDOW (widget))
    return;
  if (is_control_role (role) && !has_name (widget))
    {
      GtkWidget *whole = named_whole (widget);

      if (whole == NULL || !has_name (whole))
        {
          g_autofree char *line = describe (whole != NULL ? whole : widget);

          if (!g_hash_table_contains (run->seen, line))
            {
              g_string_append_printf (run->unnamed, "  %s\n", line);
              g_hash_table_add (run->seen, g_steal_pointer (&line));
            }
        }
    }
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      GPtrArray *same = g_hash_table_lookup (run->labels, gtk_button_get_label (GTK_BUTTON (widget)));

      if (same == NULL)
        {
          same = g_ptr_array_new ();
          g_hash_table_insert (run->labels, (gpointer) gtk_button_get_label (GTK_BUTTON (widget)),
                               same);
        }
      g_ptr_array_add (same, widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (run, child);
}

/* Buttons of one window that show the same word ("Copy Message", "Open") need names that say
 * which one: a name other than the word itself. */
static void
check_same_labels (Run *run)
{
  GHashTableIter iter;
  const char *text;
  GPtrArray *same;

  g_hash_table_iter_init (&iter, run->labels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &text, (gpointer *) &same))
    {
      const char *command = gtk_actionable_get_action_name (GTK_ACTIONABLE (same->pdata[0]));
      gboolean one_command = command != NULL;

      /* Buttons that do the same thing may say the same. */
      for (guint i = 1; i < same->len; i++)
        one_command = one_command
                      && g_strcmp0 (command, gtk_actionable_get_action_name (same->pdata[i])) == 0;
      if (same->len < 2 || one_command)
        continue;
      for (guint i = 0; i < same->len; i++)
        {
          GtkWidget *button = same->pdata[i];
          g_autofree char *differs =
            gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, text);
          g_autofree char *line = NULL;

          if (differs != NULL)
            continue;
          line = describe (button);
          if (!g_hash_table_contains (run->seen, line))
            {
              g_string_append_printf (run->unnamed, "  %s: named only “%s”, as %u buttons are\n",
                                      line, text, same->len);
              g_hash_table_add (run->seen, g_steal_pointer (&line));
            }
        }
    }
}

/* Every window open now. */
static void
walk_toplevels (Run *run)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  spin ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      run->labels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) g_ptr_array_unref);
      walk (run, toplevel);
      check_same_labels (run);
      g_clear_pointer (&run->labels, g_hash_table_unref);
    }
}

static GtkWindow *
find_toplevel (gboolean (*match) (GtkWidget *))
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (match (toplevel))
        return GTK_WINDOW (toplevel);
    }
  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_declare_dialog (GtkWidget *widget)
{
  return SITREP_IS_DECLARE_DIALOG (widget);
}

static gboolean
has_postmortem (GtkWidget *widget)
{
  return find_descendant (widget, SITREP_TYPE_POSTMORTEM_EDITOR) != NULL;
}

static gboolean
has_output (GtkWidget *widget)
{
  return find_descendant (widget, SITREP_TYPE_ACTION_OUTPUT) != NULL;
}

static gboolean
output_open (gpointer data)
{
  return find_toplevel (has_output) != NULL;
}

static void
visit_everything (Run          *run,
                  SitrepWindow *window)
{
  SitrepSession *session = sitrep_application_get_session (run->app);
  SitrepHealthView *health = sitrep_window_get_health_view (window);
  SitrepDeclareDialog *dialog;
  GtkWindow *other;

  g_assert_cmpstr (sitrep_window_get_heading (window), ==, "Northwind Freight");

  /* The trust bar of a runbook from a file, then the commands it offers once trusted. */
  walk_toplevels (run);
  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  spin ();

  /* Each view. */
  for (const char *const *view = (const char *[]) { "health", "incident", "timeline", NULL };
       *view != NULL; view++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", *view));
      walk_toplevels (run);
    }

  /* A service's page, with its checks, links and commands. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "health"));
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "show-service",
                                  g_variant_new_string ("gateway"));
  spin ();
  g_assert_cmpstr (sitrep_health_view_get_page (health), ==, "service");
  walk_toplevels (run);

  /* The declare dialog, each of its pages. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  spin ();
  dialog = SITREP_DECLARE_DIALOG (find_toplevel (is_declare_dialog));
  g_assert_nonnull (dialog);
  walk_toplevels (run);
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "P1"));
  spin ();
  walk_toplevels (run);
  sitrep_declare_dialog_set_text (dialog, "summary", "Labels do not print");
  sitrep_declare_dialog_set_text (dialog, "impact", "Depots cannot ship");
  sitrep_declare_dialog_set_text (dialog, "lead", "Grace Hopper");
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  /* Written on the store's writer thread: the dialog says so once it is stored. */
  g_assert_true (spin_until (dialog_declared, dialog));
  g_assert_cmpstr (sitrep_declare_dialog_get_page (dialog), ==, "declared");
  walk_toplevels (run);
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();

  /* The views again, now that there is an incident with a checklist and a timeline. */
  for (const char *const *view = (const char *[]) { "incident", "timeline", NULL };
       *view != NULL; view++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", *view));
      walk_toplevels (run);
    }

  /* The message composer and the post-mortem. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compose", NULL));
  walk_toplevels (run);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  spin ();
  other = find_toplevel (has_postmortem);
  g_assert_nonnull (other);
  /* An action item row, with its own buttons. */
  sitrep_postmortem_editor_add_action_item (
    SITREP_POSTMORTEM_EDITOR (find_descendant (GTK_WIDGET (other), SITREP_TYPE_POSTMORTEM_EDITOR)),
    "Alert on label queue depth", "Grace", "2026-12-24", FALSE);
  walk_toplevels (run);

  /* The preferences. */
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "preferences", NULL);
  walk_toplevels (run);

  /* A read-only command's output window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)",
                                             "gateway", "describe"));
  g_assert_true (spin_until (output_open, NULL));
  walk_toplevels (run);
}

static void
visit_cb (SitrepApplication *app,
          SitrepWindow      *window,
          gpointer           data)
{
  Run *run = data;

  run->app = app;
  run->visit (run, window);
}

/* Starts the real application on Northwind with a new database, runs @visit on its window. */
static void
run_app (Visit    visit,
         GString *unnamed,
         GHashTable *seen)
{
  g_autofree char *runbook = fixture_runbook_write ("KUBECTL", "/bin/echo", NULL);
  g_autofree char *database = ui_test_database ("journey.db", TRUE);
  const char *argv[] = { "sitrep", "--paused", "--database", database, "--runbook", runbook, NULL };
  Run run = { NULL, visit, unnamed, NULL, seen };

  ui_test_run_app (argv, FALSE, visit_cb, &run);
  /* Nothing stays open for the next test. */
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    {
      g_autoptr(GtkWindow) left = g_list_model_get_item (gtk_window_get_toplevels (), 0);

      gtk_window_destroy (left);
    }
}

static void
test_every_control_named (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) unnamed = g_string_new (NULL);

  run_app (visit_everything, unnamed, seen);
  if (unnamed->len > 0)
    g_error ("%u controls have no accessible name (a screen reader says only their role):\n%s",
             g_hash_table_size (seen), unnamed->str);
}

/* The Escape shortcut of @window: the action it runs, and whether it acts before the widgets
 * inside (capture) or after them (bubble). */
static GtkShortcut *
find_shortcut (GtkWidget           *window,
               guint                keyval,
               GdkModifierType      modifiers,
               GtkPropagationPhase *phase)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            {
              *phase = gtk_event_controller_get_propagation_phase (controller);
              return shortcut;
            }
        }
    }
  return NULL;
}

static GtkShortcut *
find_escape (GtkWidget           *window,
             GtkPropagationPhase *phase)
{
  return find_shortcut (window, GDK_KEY_Escape, 0, phase);
}

/* Presses @window's Escape shortcut; TRUE when the window is gone after it. */
static gboolean
escape_closes (GtkWindow *window)
{
  GtkPropagationPhase phase;
  GtkShortcut *shortcut = find_escape (GTK_WIDGET (window), &phase);
  gpointer weak = window;

  if (shortcut == NULL)
    return FALSE;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                GTK_WIDGET (window), NULL);
  spin ();
  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (window), &weak);
  return weak == NULL;
}

static void
visit_escape (Run          *run,
              SitrepWindow *window)
{
  SitrepSession *session = sitrep_application_get_session (run->app);
  SitrepDeclareDialog *dialog;
  GtkWindow *other;
  GtkPropagationPhase phase;
  const char *lead;

  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  /* A console where nobody has declared yet (the tests before led in this process's settings). */
  g_settings_reset (sitrep_session_get_settings (session), "lead-name");
  spin ();

  /* The declare dialog, after copying the initial message: its toast would take a bubbling
   * Escape first, so the dialog's acts in the capture phase and one Escape closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  spin ();
  dialog = SITREP_DECLARE_DIALOG (find_toplevel (is_declare_dialog));
  /* Nobody has led here yet: the lead is asked for, not guessed from the account ("root"). */
  lead = sitrep_declare_dialog_get_text (dialog, "lead");
  g_assert_true (lead == NULL || *lead == '\0');
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "P2"));
  sitrep_declare_dialog_set_text (dialog, "summary", "Labels print late");
  sitrep_declare_dialog_set_text (dialog, "impact", "Depots wait");
  sitrep_declare_dialog_set_text (dialog, "lead", "Grace Hopper");
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_true (spin_until (dialog_declared, dialog));
  g_assert_true (sitrep_declare_dialog_press (dialog, "copy-message"));
  spin ();
  g_assert_nonnull (find_escape (GTK_WIDGET (dialog), &phase));
  g_assert_cmpint (phase, ==, GTK_PHASE_CAPTURE);
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));

  /* Asked once: the next declaration starts from the lead given to this one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  spin ();
  dialog = SITREP_DECLARE_DIALOG (find_toplevel (is_declare_dialog));
  g_assert_cmpstr (sitrep_declare_dialog_get_text (dialog, "lead"), ==, "Grace Hopper");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();

  /* The post-mortem. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  spin ();
  other = find_toplevel (has_postmortem);
  g_assert_nonnull (other);
  g_assert_true (escape_closes (other));
  g_assert_null (find_toplevel (has_postmortem));

  /* A command's output. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)",
                                             "gateway", "describe"));
  g_assert_true (spin_until (output_open, NULL));
  other = find_toplevel (has_output);
  g_assert_true (escape_closes (other));
  g_assert_null (find_toplevel (has_output));
}

typedef struct
{
  SitrepTimelineView *view;
  const char *text;
} Shown;

/* Whether a row of the Timeline view, as shown now, says @text. */
static gboolean
timeline_shows (gpointer data)
{
  Shown *shown = data;

  for (guint i = 0; i < sitrep_timeline_view_get_n_shown (shown->view); i++)
    {
      g_autofree char *row = sitrep_timeline_view_describe_row (shown->view, i);

      if (strstr (row, shown->text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The Timeline view on screen follows a command as it is recorded: no reopening. */
static void
visit_timeline_live (Run          *run,
                     SitrepWindow *window)
{
  SitrepSession *session = sitrep_application_get_session (run->app);
  SitrepIncidentManager *incidents = sitrep_session_get_incidents (session);
  g_autoptr(GError) error = NULL;
  SitrepTimelineView *timeline = sitrep_window_get_timeline_view (window);
  Shown started = { timeline, "Describe" };
  const char *services[] = { "gateway", NULL };
  guint before;

  sitrep_session_trust_runbook (session, sitrep_session_get_runbook (session));
  g_assert_cmpint (sitrep_incident_manager_declare (incidents, "P2", "Labels print late", NULL,
                                                    "Grace Hopper", NULL, services, &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "timeline"));
  spin ();
  before = sitrep_timeline_view_get_n_shown (timeline);
  g_assert_cmpuint (before, >, 0);
  g_assert_false (timeline_shows (&started));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-action", "(ss)",
                                             "gateway", "describe"));
  g_assert_true (spin_until (output_open, NULL));
  /* Its start and its outcome, within seconds. */
  g_assert_true (spin_until (timeline_shows, &started));
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (sitrep_timeline_view_get_n_shown (timeline) < before + 2
           && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
  }
  g_assert_cmpuint (sitrep_timeline_view_get_n_shown (timeline), >=, before + 2);
  g_assert_cmpstr (sitrep_window_get_view (window), ==, "timeline");
}

static void
test_timeline_live (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) unnamed = g_string_new (NULL);

  run_app (visit_timeline_live, unnamed, seen);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* What the clipboard holds now. */
static char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &text);
  while (text == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (text);
  return text;
}

static char *
selected_text (GtkTextView *view)
{
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (gtk_text_view_get_buffer (view), &start, &end))
    return g_strdup ("");
  return gtk_text_iter_get_text (&start, &end);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_composer (GtkWidget *widget)
{
  return find_descendant (widget, SITREP_TYPE_MESSAGE_COMPOSER) != NULL;
}

/* A "[impact]" or "[lessons]" never leaves the app unnoticed: the first Copy shows it and puts the
 * cursor on it, typing fills it in place, and the next Copy takes the filled text. */
static void
visit_unfilled (Run          *run,
                SitrepWindow *window)
{
  SitrepDeclareDialog *dialog;
  GtkTextView *view;
  GtkTextBuffer *buffer;
  SitrepMessageComposer *composer;
  SitrepPostmortemEditor *editor;
  GtkWidget *copy;
  g_autofree char *copied = NULL;
  g_autofree char *selected = NULL;

  /* Declared without an impact: the initial message says "Depots affected: [impact]". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  spin ();
  dialog = SITREP_DECLARE_DIALOG (find_toplevel (is_declare_dialog));
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "P1"));
  sitrep_declare_dialog_set_text (dialog, "summary", "Labels do not print");
  sitrep_declare_dialog_set_text (dialog, "lead", "Grace Hopper");
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_true (spin_until (dialog_declared, dialog));
  g_assert_nonnull (strstr (sitrep_declare_dialog_get_text (dialog, "message"),
                            "Depots affected: [impact]"));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "nothing yet");
  g_assert_true (sitrep_declare_dialog_press (dialog, "copy-message"));
  spin ();
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, "nothing yet");
  view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                       SITREP_TYPE_DECLARE_DIALOG, "message_view"));
  selected = selected_text (view);
  g_assert_cmpstr (selected, ==, "[impact]");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (view)));

  /* Typed over, in place. */
  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "every depot north of the river", -1, TRUE);
  g_assert_true (sitrep_declare_dialog_press (dialog, "copy-message"));
  spin ();
  g_free (copied);
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (copied, "Depots affected: every depot north of the river\n"));
  g_assert_null (strstr (copied, "[impact]"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();

  /* The composer: the first Copy over "[impact]" selects it; the second copies it as it is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compose", NULL));
  spin ();
  composer = SITREP_MESSAGE_COMPOSER (find_descendant (GTK_WIDGET (find_toplevel (has_composer)),
                                                       SITREP_TYPE_MESSAGE_COMPOSER));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "nothing yet");
  g_signal_emit_by_name (composer->copy_button, "clicked");
  spin ();
  g_free (copied);
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, "nothing yet");
  g_free (selected);
  selected = selected_text (composer->text_view);
  g_assert_cmpstr (selected, ==, "[impact]");
  g_assert_nonnull (strstr (gtk_label_get_text (composer->hint_label), "[impact]"));
  g_signal_emit_by_name (composer->copy_button, "clicked");
  spin ();
  g_free (copied);
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (copied, "Depots affected: [impact]"));

  /* The post-mortem of the resolved incident: "[lessons]" is named and its field gets the cursor
   * before anything is copied; once filled, Copy Markdown copies. */
  {
    SitrepIncidentManager *incidents =
      sitrep_session_get_incidents (sitrep_application_get_session (run->app));
    g_autoptr(GError) error = NULL;

    g_assert_true (sitrep_incident_manager_set_status (
      incidents, sitrep_incident_get_id (sitrep_incident_manager_get_current (incidents)),
      SITREP_STATUS_RESOLVED, "Grace Hopper", &error));
    g_assert_no_error (error);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  spin ();
  editor = SITREP_POSTMORTEM_EDITOR (find_descendant (GTK_WIDGET (find_toplevel (has_postmortem)),
                                                      SITREP_TYPE_POSTMORTEM_EDITOR));
  copy = find_button (GTK_WIDGET (editor), "_Copy Markdown");
  g_assert_nonnull (copy);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "nothing yet");
  g_signal_emit_by_name (copy, "clicked");
  spin ();
  g_free (copied);
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, "nothing yet");
  g_assert_nonnull (strstr (sitrep_postmortem_editor_get_last_toast (editor), "[lessons]"));
  sitrep_postmortem_editor_set_field (editor, "root-cause", "A certificate expired");
  sitrep_postmortem_editor_set_field (editor, "lessons", "Watch certificate expiry");
  sitrep_postmortem_editor_add_action_item (editor, "Alert 30 days before expiry", "Grace",
                                            "2026-12-24", FALSE);
  g_signal_emit_by_name (copy, "clicked");
  spin ();
  g_free (copied);
  copied = clipboard_text (GTK_WIDGET (window));
  if (strstr (copied, "Watch certificate expiry") == NULL)
    g_test_message ("the post-mortem said: %s", sitrep_postmortem_editor_get_last_toast (editor));
  g_assert_nonnull (strstr (copied, "Watch certificate expiry"));
  g_assert_null (strstr (copied, "[lessons]"));
  g_assert_null (strstr (copied, "[root_cause]"));
}

static guint
count_toplevels (gboolean (*match) (GtkWidget *))
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      n += match (toplevel) ? 1 : 0;
    }
  return n;
}

/* Fewer steps: the initial message is one shortcut away on the declared page, and a resolved
 * incident's post-mortem goes to its export in one action. */
static void
visit_fewer_steps (Run          *run,
                   SitrepWindow *window)
{
  SitrepIncidentManager *incidents =
    sitrep_session_get_incidents (sitrep_application_get_session (run->app));
  SitrepDeclareDialog *dialog;
  SitrepPostmortemEditor *editor;
  GtkPropagationPhase phase;
  GtkShortcut *copy;
  g_autofree char *copied = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.declare", NULL));
  spin ();
  dialog = SITREP_DECLARE_DIALOG (find_toplevel (is_declare_dialog));
  g_assert_true (sitrep_declare_dialog_select_severity (dialog, "P1"));
  sitrep_declare_dialog_set_text (dialog, "summary", "Labels do not print");
  sitrep_declare_dialog_set_text (dialog, "impact", "Depots cannot ship");
  sitrep_declare_dialog_set_text (dialog, "lead", "Grace Hopper");
  g_assert_true (sitrep_declare_dialog_press (dialog, "declare"));
  g_assert_true (spin_until (dialog_declared, dialog));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "nothing yet");
  copy = find_shortcut (GTK_WIDGET (dialog), GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, &phase);
  g_assert_nonnull (copy);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (copy),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE, GTK_WIDGET (dialog),
                                               gtk_shortcut_get_arguments (copy)));
  spin ();
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (copied, "Labels do not print\nDepots affected: Depots cannot ship\n"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();

  /* Resolved: Ctrl+Shift+E opens the post-mortem at its export; what is unfilled is named first. */
  g_assert_true (sitrep_incident_manager_set_status (
    incidents, sitrep_incident_get_id (sitrep_incident_manager_get_current (incidents)),
    SITREP_STATUS_RESOLVED, "Grace Hopper", &error));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-postmortem", NULL));
  spin ();
  editor = SITREP_POSTMORTEM_EDITOR (find_descendant (GTK_WIDGET (find_toplevel (has_postmortem)),
                                                      SITREP_TYPE_POSTMORTEM_EDITOR));
  g_assert_null (editor->chooser);
  g_assert_nonnull (strstr (sitrep_postmortem_editor_get_last_toast (editor), "[lessons]"));
  /* Asked again, the same window comes back rather than a second one. (Its file chooser is not
   * opened here: GTK's own chooser dialog loses memory under LeakSanitizer.) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.postmortem", NULL));
  spin ();
  g_assert_cmpuint (count_toplevels (has_postmortem), ==, 1);
  g_assert_true (SITREP_POSTMORTEM_EDITOR (find_descendant (GTK_WIDGET (find_toplevel (has_postmortem)),
                                                            SITREP_TYPE_POSTMORTEM_EDITOR)) == editor);
  g_assert_null (editor->chooser);
}

static void
test_fewer_steps (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) unnamed = g_string_new (NULL);

  run_app (visit_fewer_steps, unnamed, seen);
}

static void
test_unfilled (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) unnamed = g_string_new (NULL);

  run_app (visit_unfilled, unnamed, seen);
}

static void
test_escape_closes (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) unnamed = g_string_new (NULL);

  run_app (visit_escape, unnamed, seen);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = NULL;

  /* The suite turns accessibility off; this test reads what GTK would hand a screen reader. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  scratch = ui_test_init (&argc, &argv, "sitrep-names-test");
  if (scratch == NULL)
    return 1;
  ui_test_serve_notifications ();

  g_test_add_func ("/journey/every-control-named", test_every_control_named);
  g_test_add_func ("/journey/escape-closes", test_escape_closes);
  g_test_add_func ("/journey/timeline-live", test_timeline_live);
  g_test_add_func ("/journey/unfilled", test_unfilled);
  g_test_add_func ("/journey/fewer-steps", test_fewer_steps);

  return g_test_run ();
}
