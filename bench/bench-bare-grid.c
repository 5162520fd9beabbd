/* bench-bare-grid.c: the baseline of the 1,000 live tiles: a bare GtkGridView of simple tiles
 *
 * An AdwApplicationWindow with a scrolled GtkGridView over 1,000 items; a tile is an icon, a name
 * and a state word in a box whose style class follows the state. A tenth of the items change
 * state every tenth of a second, so every tile changes once a second, as the benchmark's health
 * server makes every Sitrep service change. It prints when the tiles were first on screen, then
 * records frames as bench-sitrep does.
 */
#include "config.h"

#include <adwaita.h>

#include "bench-frames.h"

#define N_TILES 1000
#define BATCHES_PER_SECOND 10
#define WARMUP_MS 2000
#define RECORD_MS 8000

#define BARE_TYPE_ITEM (bare_item_get_type ())
G_DECLARE_FINAL_TYPE (BareItem, bare_item, BARE, ITEM, GObject)

struct _BareItem
{
  GObject parent_instance;
  char *name;
  gboolean down;
};

G_DEFINE_FINAL_TYPE (BareItem, bare_item, G_TYPE_OBJECT)

static guint changed_signal;

static void
bare_item_finalize (GObject *object)
{
  g_free (BARE_ITEM (object)->name);
  G_OBJECT_CLASS (bare_item_parent_class)->finalize (object);
}

static void
bare_item_class_init (BareItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bare_item_finalize;
  changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bare_item_init (BareItem *self)
{
}

static BenchFrames frames;
static GListStore *items;
static guint next_item;
static gboolean shown;

static void
update_tile (GtkWidget *box,
             BareItem  *item)
{
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *word = gtk_widget_get_last_child (box);

  gtk_widget_remove_css_class (box, item->down ? "up" : "down");
  gtk_widget_add_css_class (box, item->down ? "down" : "up");
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), item->down ? "dialog-error-symbolic"
                                                             : "emblem-ok-symbolic");
  gtk_label_set_text (GTK_LABEL (word), item->down ? "Down" : "Up");
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_add_css_class (box, "card");
  gtk_box_append (GTK_BOX (box), gtk_image_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_list_item_set_child (list_item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  BareItem *item = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (gtk_widget_get_first_child (box))),
                      item->name);
  update_tile (box, item);
  g_signal_connect_swapped (item, "changed", G_CALLBACK (update_tile), box);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  g_signal_handlers_disconnect_by_data (gtk_list_item_get_item (list_item),
                                        gtk_list_item_get_child (list_item));
}

static gboolean
feed_cb (gpointer user_data)
{
  for (guint i = 0; i < N_TILES / BATCHES_PER_SECOND; i++)
    {
      g_autoptr(BareItem) item = g_list_model_get_item (G_LIST_MODEL (items), next_item);

      item->down = !item->down;
      g_signal_emit (item, changed_signal, 0);
      next_item = (next_item + 1) % N_TILES;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer user_data)
{
  bench_frames_record (&frames, FALSE);
  bench_frames_print (&frames);
  g_application_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
start_cb (gpointer user_data)
{
  bench_frames_record (&frames, TRUE);
  g_timeout_add (RECORD_MS, stop_cb, user_data);
  return G_SOURCE_REMOVE;
}

static void
frame_cb (BenchFrames *f,
          gint64       end,
          gpointer     user_data)
{
  if (shown)
    return;
  shown = TRUE;
  g_print ("dashboard %" G_GINT64_FORMAT "\n", end);
  g_timeout_add (1000 / BATCHES_PER_SECOND, feed_cb, NULL);
  g_timeout_add (WARMUP_MS, start_cb, user_data);
}

static GtkWidget *
make_content (void)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *grid;

  items = g_list_store_new (BARE_TYPE_ITEM);
  for (guint i = 0; i < N_TILES; i++)
    {
      g_autoptr(BareItem) item = g_object_new (BARE_TYPE_ITEM, NULL);

      item->name = g_strdup_printf ("Service %u", i);
      g_list_store_append (items, item);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  grid = gtk_grid_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (items))),
                            factory);
  gtk_grid_view_set_max_columns (GTK_GRID_VIEW (grid), 6);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

int
main (int   argc,
      char *argv[])
{
  return bench_bare_run ("org.sitrep.BenchBareGrid", make_content, &frames, frame_cb, argv);
}
