/* sitrep-unmeasured-layout.c: a layout that gives its children all its room and never asks their size for its own
 *
 * For a bin holding a GtkScrolledWindow whose scrollbars are automatic: such a scrolled window
 * asks nothing of the window for its child (its size is its scrollbars' and borders'), but it
 * measures the whole child to say so. For a list of a few hundred rows that is every row laid
 * out, and GTK 4.8 on X11 measures the whole window for its minimum size once more, in an idle
 * before the frame, whenever something in it was resized: the Timeline's ~200 rows (GTK 4.8
 * makes 200 whatever the window's height) were laid out once for nothing each time it opened
 * (docs/PERFORMANCE.md). Under this layout the rows are measured once, when they are
 * allocated (the child's width is asked then, as GTK wants before an allocation).
 *
 *   <object class="AdwBin">
 *     <property name="layout-manager">
 *       <object class="SitrepUnmeasuredLayout"/>
 *     </property>
 *     <property name="child">
 *       <object class="GtkScrolledWindow">…
 *
 * The bin asks for no room: what the scrolled window would ask with overlay scrollbars and no
 * border. With classic scrollbars it would ask for their width, which the window may then not
 * give when it is at its smallest.
 */
#include "config.h"

#include "sitrep-unmeasured-layout.h"

struct _SitrepUnmeasuredLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (SitrepUnmeasuredLayout, sitrep_unmeasured_layout, GTK_TYPE_LAYOUT_MANAGER)

static GtkSizeRequestMode
sitrep_unmeasured_layout_get_request_mode (GtkLayoutManager *manager,
                                           GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
sitrep_unmeasured_layout_measure (GtkLayoutManager *manager,
                                  GtkWidget        *widget,
                                  GtkOrientation    orientation,
                                  int               for_size,
                                  int              *minimum,
                                  int              *natural,
                                  int              *minimum_baseline,
                                  int              *natural_baseline)
{
  *minimum = 0;
  *natural = 0;
}

static void
sitrep_unmeasured_layout_allocate (GtkLayoutManager *manager,
                                   GtkWidget        *widget,
                                   int               width,
                                   int               height,
                                   int               baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      {
        /* GTK wants a widget measured before it is allocated. Its width is what the scrolled
         * window's allocation asks of the rows too: callgrind counts 175 M instructions for
         * both against 156 M for the allocation alone (the Timeline, 100,000 events). */
        gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
        gtk_widget_allocate (child, width, height, baseline, NULL);
      }
}

static void
sitrep_unmeasured_layout_class_init (SitrepUnmeasuredLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->get_request_mode = sitrep_unmeasured_layout_get_request_mode;
  layout_class->measure = sitrep_unmeasured_layout_measure;
  layout_class->allocate = sitrep_unmeasured_layout_allocate;
}

static void
sitrep_unmeasured_layout_init (SitrepUnmeasuredLayout *self)
{
}

GtkLayoutManager *
sitrep_unmeasured_layout_new (void)
{
  return g_object_new (SITREP_TYPE_UNMEASURED_LAYOUT, NULL);
}
