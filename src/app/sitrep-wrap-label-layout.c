/* sitrep-wrap-label-layout.c: a bin's layout that gives a wrapping label's width without a height
 *
 * For a wrapping label in a horizontal GtkBox, such as the banners under the window's header.
 * A horizontal box allocates its children by asking each one's width for the box's height, and
 * a wrapping label answers that by laying its text out at width after width until the text
 * fits that height (a binary search): GTK 4.8 did it at each allocation before the first frame,
 * some 50 layouts per label, a fifth of the measuring of a console's first frame
 * (docs/PERFORMANCE.md). Under this layout the label is asked its width alone, which it knows
 * from one layout, and its height for the width the box gives it, as before:
 *
 *   <object class="AdwBin">
 *     <property name="hexpand">True</property>
 *     <property name="layout-manager">
 *       <object class="SitrepWrapLabelLayout"/>
 *     </property>
 *     <property name="child">
 *       <object class="GtkLabel">
 *         <property name="wrap">True</property>…
 *
 * What the label gets is what the box gave it before when the box has room for the label's
 * natural width; in less, the box shares the room out from the label's narrowest width (its
 * longest word, or a character when it may break words) rather than from the narrowest width
 * at which it fits the box's height.
 */
#include "config.h"

#include "sitrep-wrap-label-layout.h"

struct _SitrepWrapLabelLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (SitrepWrapLabelLayout, sitrep_wrap_label_layout, GTK_TYPE_LAYOUT_MANAGER)

static GtkSizeRequestMode
sitrep_wrap_label_layout_get_request_mode (GtkLayoutManager *manager,
                                           GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sitrep_wrap_label_layout_measure (GtkLayoutManager *manager,
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
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      {
        int child_minimum, child_natural;

        /* A width whatever the height; a height for the width given. */
        gtk_widget_measure (child, orientation,
                            orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : for_size,
                            &child_minimum, &child_natural, NULL, NULL);
        *minimum = MAX (*minimum, child_minimum);
        *natural = MAX (*natural, child_natural);
      }
}

static void
sitrep_wrap_label_layout_allocate (GtkLayoutManager *manager,
                                   GtkWidget        *widget,
                                   int               width,
                                   int               height,
                                   int               baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
sitrep_wrap_label_layout_class_init (SitrepWrapLabelLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->get_request_mode = sitrep_wrap_label_layout_get_request_mode;
  layout_class->measure = sitrep_wrap_label_layout_measure;
  layout_class->allocate = sitrep_wrap_label_layout_allocate;
}

static void
sitrep_wrap_label_layout_init (SitrepWrapLabelLayout *self)
{
}

GtkLayoutManager *
sitrep_wrap_label_layout_new (void)
{
  return g_object_new (SITREP_TYPE_WRAP_LABEL_LAYOUT, NULL);
}
