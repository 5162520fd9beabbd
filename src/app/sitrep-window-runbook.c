/* sitrep-window-runbook.c: what the window shows of the session's runbook
 *
 * Its name in the header, the banner that names the cluster every action aims at (drill,
 * protected, read-only) with the dropdown of its environments, or the list of a broken
 * runbook's problems with where each is.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-window-private.h"

static void show_runbook (SitrepWindow  *self,
                          SitrepRunbook *runbook);

/* The window's pages a console seldom shows (loading, problems) are visible only while shown:
 * GTK styles the widgets of a visible page even while its stack shows another, and a
 * console's first frame need not pay for them (docs/PERFORMANCE.md). */
static void
show_main_page (SitrepWindow *self,
                const char   *name)
{
  static const char *const seldom_shown[] = { "loading", "problems" };
  GtkWidget *page = adw_view_stack_get_child_by_name (self->main_stack, name);

  gtk_widget_set_visible (page, TRUE);
  adw_view_stack_set_visible_child (self->main_stack, page);
  for (guint i = 0; i < G_N_ELEMENTS (seldom_shown); i++)
    if (!g_str_equal (seldom_shown[i], name))
      gtk_widget_set_visible (adw_view_stack_get_child_by_name (self->main_stack,
                                                                seldom_shown[i]),
                              FALSE);
}

static void
environment_changed_cb (SitrepWindow  *self,
                        GParamSpec    *pspec,
                        SitrepRunbook *runbook)
{
  show_runbook (self, runbook);
}

static void
environment_selected_cb (SitrepWindow *self)
{
  SitrepRunbook *runbook = self->environment_runbook;
  guint selected = gtk_drop_down_get_selected (self->environment_dropdown);
  GPtrArray *environments;
  g_autoptr(GError) error = NULL;

  if (runbook == NULL)
    return;
  environments = sitrep_runbook_get_environments (runbook);
  if (selected >= environments->len)
    return;
  if (!sitrep_runbook_select_environment (
        runbook, ((SitrepEnvironment *) environments->pdata[selected])->id, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* The dropdown lists the runbook's environments by label, the one picked selected; the banner
 * follows the runbook when another is picked, here or elsewhere. */
static void
show_environments (SitrepWindow  *self,
                   SitrepRunbook *runbook)
{
  GPtrArray *environments = sitrep_runbook_get_environments (runbook);
  const SitrepEnvironment *current = sitrep_runbook_get_environment (runbook);

  if (self->environment_runbook != runbook)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();

      if (self->environment_runbook != NULL)
        g_signal_handlers_disconnect_by_func (self->environment_runbook, environment_changed_cb,
                                              self);
      /* Weak: a runbook replaced (a drill, another file) goes with its handler. */
      g_set_weak_pointer (&self->environment_runbook, runbook);
      g_signal_connect_object (runbook, "notify::environment", G_CALLBACK (environment_changed_cb),
                               self, G_CONNECT_SWAPPED);
      for (guint i = 0; i < environments->len; i++)
        {
          const SitrepEnvironment *env = environments->pdata[i];

          g_ptr_array_add (labels, env->label ? env->label : env->context);
        }
      g_ptr_array_add (labels, NULL);
      g_signal_handlers_block_by_func (self->environment_dropdown, environment_selected_cb, self);
      gtk_string_list_splice (self->environment_model, 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->environment_model)),
                              (const char *const *) labels->pdata);
      g_signal_handlers_unblock_by_func (self->environment_dropdown, environment_selected_cb, self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->environment_dropdown), environments->len > 1);
  for (guint i = 0; i < environments->len; i++)
    if (environments->pdata[i] == current
        && gtk_drop_down_get_selected (self->environment_dropdown) != i)
      {
        g_signal_handlers_block_by_func (self->environment_dropdown, environment_selected_cb, self);
        gtk_drop_down_set_selected (self->environment_dropdown, i);
        g_signal_handlers_unblock_by_func (self->environment_dropdown, environment_selected_cb,
                                           self);
      }
}

static void
show_runbook (SitrepWindow  *self,
              SitrepRunbook *runbook)
{
  const SitrepEnvironment *env = sitrep_runbook_get_environment (runbook);
  gboolean read_only = sitrep_session_get_read_only (self->session);
  g_autoptr(GString) flags = g_string_new (NULL);
  g_autofree char *where = NULL;

  /* The switcher title shows the name only when narrow; the label keeps it in view always. */
  adw_view_switcher_title_set_title (self->switcher_title, sitrep_runbook_get_name (runbook));
  adw_view_switcher_title_set_subtitle (self->switcher_title, _("Incident Console"));
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);
  gtk_label_set_text (self->runbook_label, sitrep_runbook_get_name (runbook));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->runbook_label),
                               sitrep_runbook_get_source (runbook));
  gtk_widget_set_visible (GTK_WIDGET (self->runbook_label), TRUE);
  gtk_window_set_title (GTK_WINDOW (self), sitrep_runbook_get_name (runbook));

  if (env->drill)
    /* Translators: the banner of a drill, a simulated cluster to practise on */
    where = g_strdup_printf (_("Drill · Context %s · Namespace %s"), env->context,
                             env->namespace_);
  else if (env->label != NULL)
    /* Translators: the banner of one of a runbook's environments: "Staging · Context … · …" */
    where = g_strdup_printf (_("%s · Context %s · Namespace %s"), env->label, env->context,
                             env->namespace_);
  else
    /* Translators: the banner that says which cluster every action aims at */
    where = g_strdup_printf (_("Context %s · Namespace %s"), env->context, env->namespace_);
  gtk_label_set_text (self->environment_label, where);
  show_environments (self, runbook);

  if (env->drill)
    g_string_append (flags, _("A simulation: commands reach only the drill, never production"));
  if (env->protected_)
    {
      if (flags->len > 0)
        g_string_append (flags, " · ");
      g_string_append (flags, _("Protected: changes need typed confirmation"));
    }
  if (read_only)
    {
      if (flags->len > 0)
        g_string_append (flags, " · ");
      g_string_append (flags, _("Read-only"));
    }
  gtk_label_set_text (self->environment_flags, flags->str);

  if (env->drill)
    gtk_widget_add_css_class (self->environment_banner, "drill");
  else
    gtk_widget_remove_css_class (self->environment_banner, "drill");
  if (env->protected_)
    {
      gtk_widget_add_css_class (self->environment_banner, "protected");
      gtk_image_set_from_icon_name (self->environment_icon, "dialog-warning-symbolic");
    }
  else
    {
      gtk_widget_remove_css_class (self->environment_banner, "protected");
      gtk_image_set_from_icon_name (self->environment_icon,
                                    env->drill ? "applications-science-symbolic"
                                               : "network-server-symbolic");
    }

  show_main_page (self, "console");
}

static GtkWidget *
problem_row (const SitrepRunbookProblem *problem)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *where = NULL;

  if (problem->line > 0)
    /* Translators: where a runbook error is, e.g. "line 12, column 7" */
    where = g_strdup_printf (_("line %u, column %u"), problem->line, problem->column);
  else
    where = g_strdup (problem->file);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "problem");
  return row;
}

static void
show_problems (SitrepWindow *self,
               GPtrArray    *problems)
{
  const SitrepRunbookProblem *first = problems->pdata[0];
  g_autofree char *description = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problem_list))) != NULL)
    gtk_list_box_remove (self->problem_list, child);

  for (guint i = 0; i < problems->len; i++)
    gtk_list_box_append (self->problem_list, problem_row (problems->pdata[i]));

  description = g_strdup_printf (ngettext ("%u problem in %s. Fix it and reload, open another "
                                           "runbook, or use the built-in one.",
                                           "%u problems in %s. Fix them and reload, open another "
                                           "runbook, or use the built-in one.",
                                           problems->len),
                                 problems->len, first->file);
  adw_status_page_set_description (self->problems_page, description);

  adw_view_switcher_title_set_title (self->switcher_title, _("Sitrep"));
  adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->runbook_label), FALSE);
  gtk_window_set_title (GTK_WINDOW (self), _("Sitrep"));
  /* Its 128-pixel icon is rendered with librsvg: only when the page is shown. */
  adw_status_page_set_icon_name (self->problems_page, "dialog-error-symbolic");
  show_main_page (self, "problems");
}

/* The runbook the session loaded, its problems, or that it is being loaded. */
void
sitrep_window_show_runbook_state (SitrepWindow *self)
{
  SitrepRunbook *runbook = sitrep_session_get_runbook (self->session);
  GPtrArray *problems = sitrep_session_get_problems (self->session);
  gboolean loading = sitrep_session_get_loading (self->session);

  gtk_spinner_set_spinning (self->spinner, loading);

  if (loading)
    {
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      show_main_page (self, "loading");
    }
  else if (problems != NULL && problems->len > 0)
    show_problems (self, problems);
  else if (runbook != NULL)
    show_runbook (self, runbook);
}

/* Disposing: the runbook shown no longer tells the window of another environment. */
void
sitrep_window_forget_runbook (SitrepWindow *self)
{
  if (self->environment_runbook != NULL)
    g_signal_handlers_disconnect_by_func (self->environment_runbook, environment_changed_cb, self);
  g_clear_weak_pointer (&self->environment_runbook);
}

/* The environments' dropdown, made empty with the window. */
void
sitrep_window_init_runbook (SitrepWindow *self)
{
  self->environment_model = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->environment_dropdown, G_LIST_MODEL (self->environment_model));
  g_signal_connect_swapped (self->environment_dropdown, "notify::selected",
                            G_CALLBACK (environment_selected_cb), self);
}
