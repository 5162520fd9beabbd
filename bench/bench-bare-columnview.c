/* bench-bare-columnview.c: the baseline of the Timeline: a bare GtkColumnView over the same rows
 *
 *   bench-bare-columnview DATABASE INCIDENT_ID
 *
 * An AdwApplicationWindow whose stack shows an empty page first. A second after the first frame
 * it reads the incident's events from the database (time, kind, text, as the Timeline shows
 * them), puts them into a GtkColumnView of three label columns and shows that page; it prints
 * when it was asked and when the first frame with the rows ended.
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "bench-frames.h"

#define BARE_TYPE_ROW (bare_row_get_type ())
G_DECLARE_FINAL_TYPE (BareRow, bare_row, BARE, ROW, GObject)

struct _BareRow
{
  GObject parent_instance;
  char *columns[3];
};

G_DEFINE_FINAL_TYPE (BareRow, bare_row, G_TYPE_OBJECT)

static void
bare_row_finalize (GObject *object)
{
  for (guint i = 0; i < 3; i++)
    g_free (BARE_ROW (object)->columns[i]);
  G_OBJECT_CLASS (bare_row_parent_class)->finalize (object);
}

static void
bare_row_class_init (BareRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bare_row_finalize;
}

static void
bare_row_init (BareRow *self)
{
}

static BenchFrames frames;
static const char *database;
static gint64 incident_id;
static GtkStack *stack;
static GtkColumnView *view;
static GListStore *rows;
static gint64 switched, shown;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  BareRow *row = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      row->columns[GPOINTER_TO_UINT (user_data)]);
}

static void
add_column (const char *title,
            guint       index)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (index));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, index == 2);
  gtk_column_view_append_column (view, column);
}

/* The rows as the Timeline reads them: the incident's events in order, on demand. */
static void
read_rows (void)
{
  g_autoptr(GPtrArray) read = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT at, kind, text FROM timeline_events WHERE incident_id = ?1"
                             " AND deleted_at IS NULL ORDER BY at, id", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("cannot read %s: %s", database, sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, incident_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BareRow *row = g_object_new (BARE_TYPE_ROW, NULL);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 0)
                                                                 / G_USEC_PER_SEC);

      row->columns[0] = g_date_time_format (at, "%H:%M:%S");
      row->columns[1] = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->columns[2] = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (read, row);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_list_store_splice (rows, 0, 0, read->pdata, read->len);
}

static gboolean
switch_cb (gpointer user_data)
{
  switched = g_get_monotonic_time ();
  g_print ("switched %" G_GINT64_FORMAT "\n", switched);
  read_rows ();
  gtk_stack_set_visible_child_name (stack, "timeline");
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_application_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
frame_cb (BenchFrames *f,
          gint64       end,
          gpointer     user_data)
{
  if (end == f->first_frame)
    g_timeout_add (1000, switch_cb, NULL);
  else if (switched != 0 && shown == 0 && gtk_widget_get_mapped (GTK_WIDGET (view))
           && g_list_model_get_n_items (G_LIST_MODEL (rows)) > 0)
    {
      shown = end;
      g_print ("rows %" G_GINT64_FORMAT "\nrows-shown %u\n", end,
               g_list_model_get_n_items (G_LIST_MODEL (rows)));
      g_idle_add (quit_cb, user_data);
    }
}

static GtkWidget *
make_content (void)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  rows = g_list_store_new (BARE_TYPE_ROW);
  view = GTK_COLUMN_VIEW (gtk_column_view_new (
    GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (rows))))));
  add_column ("Time", 0);
  add_column ("Kind", 1);
  add_column ("Event", 2);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (view));
  stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (stack, adw_status_page_new (), "health");
  gtk_stack_add_named (stack, scrolled, "timeline");
  gtk_widget_set_vexpand (GTK_WIDGET (stack), TRUE);
  return GTK_WIDGET (stack);
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 3)
    {
      g_printerr ("usage: bench-bare-columnview DATABASE INCIDENT_ID\n");
      return 2;
    }
  database = argv[1];
  incident_id = g_ascii_strtoll (argv[2], NULL, 10);
  return bench_bare_run ("org.sitrep.BenchBareColumnView", make_content, &frames, frame_cb, argv);
}
