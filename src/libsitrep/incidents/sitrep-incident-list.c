/* sitrep-incident-list.c: the incidents a list shows: drills only when asked for
 *
 * A drill's incident is practice: it stays in the store (its post-mortem holds the drill's
 * score) but must never be taken for a real one in the list of incidents. This model follows
 * every change of the full list item by item, so a view bound to it keeps its rows (and the
 * selection) when one incident changes, as it does on the full list.
 */
#include "config.h"

#include "sitrep-incident-list.h"
#include "sitrep-incident.h"

struct _SitrepIncidentList
{
  GObject parent_instance;

  GListModel *incidents;
  GListStore *shown;
  GArray *visible; /* gboolean per item of @incidents: whether @shown has it */
  gboolean show_drills;
};

static void sitrep_incident_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SitrepIncidentList, sitrep_incident_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sitrep_incident_list_model_init))

enum
{
  PROP_0,
  PROP_SHOW_DRILLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return SITREP_TYPE_INCIDENT;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (SITREP_INCIDENT_LIST (model)->shown));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (SITREP_INCIDENT_LIST (model)->shown), position);
}

static void
sitrep_incident_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static guint
count_visible (SitrepIncidentList *self,
               guint               from,
               guint               n)
{
  guint count = 0;

  for (guint i = from; i < from + n; i++)
    count += g_array_index (self->visible, gboolean, i);
  return count;
}

/* The full list changed at @position: the same change, less the hidden drills, here. */
static void
items_changed_cb (SitrepIncidentList *self,
                  guint               position,
                  guint               removed,
                  guint               added)
{
  guint shown_at = count_visible (self, 0, position);
  guint shown_removed = count_visible (self, position, removed);
  g_autoptr(GPtrArray) shown_added = g_ptr_array_new_with_free_func (g_object_unref);

  g_array_remove_range (self->visible, position, removed);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SitrepIncident) incident = g_list_model_get_item (self->incidents, i);
      gboolean visible = self->show_drills || !sitrep_incident_get_drill (incident);

      g_array_insert_val (self->visible, i, visible);
      if (visible)
        g_ptr_array_add (shown_added, g_steal_pointer (&incident));
    }
  if (shown_removed > 0 || shown_added->len > 0)
    {
      g_list_store_splice (self->shown, shown_at, shown_removed, shown_added->pdata,
                           shown_added->len);
      g_list_model_items_changed (G_LIST_MODEL (self), shown_at, shown_removed,
                                  shown_added->len);
    }
}

static void
sitrep_incident_list_dispose (GObject *object)
{
  SitrepIncidentList *self = SITREP_INCIDENT_LIST (object);

  if (self->incidents != NULL)
    g_signal_handlers_disconnect_by_func (self->incidents, items_changed_cb, self);
  g_clear_object (&self->incidents);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->visible, g_array_unref);

  G_OBJECT_CLASS (sitrep_incident_list_parent_class)->dispose (object);
}

static void
sitrep_incident_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SitrepIncidentList *self = SITREP_INCIDENT_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_DRILLS:
      g_value_set_boolean (value, self->show_drills);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_incident_list_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SitrepIncidentList *self = SITREP_INCIDENT_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_DRILLS:
      sitrep_incident_list_set_show_drills (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_incident_list_class_init (SitrepIncidentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_incident_list_dispose;
  object_class->get_property = sitrep_incident_list_get_property;
  object_class->set_property = sitrep_incident_list_set_property;

  properties[PROP_SHOW_DRILLS] =
    g_param_spec_boolean ("show-drills", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_incident_list_init (SitrepIncidentList *self)
{
  self->shown = g_list_store_new (SITREP_TYPE_INCIDENT);
  self->visible = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

/**
 * sitrep_incident_list_new:
 *
 * The incidents of @incidents but those declared in a drill, until
 * sitrep_incident_list_set_show_drills() asks for them.
 */
SitrepIncidentList *
sitrep_incident_list_new (GListModel *incidents)
{
  SitrepIncidentList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (incidents), NULL);

  self = g_object_new (SITREP_TYPE_INCIDENT_LIST, NULL);
  self->incidents = g_object_ref (incidents);
  g_signal_connect_swapped (incidents, "items-changed", G_CALLBACK (items_changed_cb), self);
  items_changed_cb (self, 0, 0, g_list_model_get_n_items (incidents));
  return self;
}

gboolean
sitrep_incident_list_get_show_drills (SitrepIncidentList *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_LIST (self), FALSE);
  return self->show_drills;
}

void
sitrep_incident_list_set_show_drills (SitrepIncidentList *self,
                                      gboolean            show_drills)
{
  guint n;

  g_return_if_fail (SITREP_IS_INCIDENT_LIST (self));

  show_drills = !!show_drills;
  if (self->show_drills == show_drills)
    return;
  self->show_drills = show_drills;
  /* As if the whole list had been replaced. */
  n = g_list_model_get_n_items (self->incidents);
  items_changed_cb (self, 0, n, n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_DRILLS]);
}
