/* sitrep-postmortem-item.c: one action item of a post-mortem, as the editor's list holds it
 *
 * A row shows it through its properties, so saving (which gives a new item its id) changes the
 * item, never the row.
 */
#include "config.h"

#include "sitrep-postmortem-item.h"

struct _SitrepPostmortemItem
{
  GObject parent_instance;

  gint64 id; /* 0 until saved */
  char *text;
  char *owner;
  char *due;
  gboolean done;
};

G_DEFINE_FINAL_TYPE (SitrepPostmortemItem, sitrep_postmortem_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TEXT,
  PROP_OWNER,
  PROP_DUE,
  PROP_DONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (SitrepPostmortemItem  *self,
            char                 **field,
            const char            *value,
            guint                  prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
sitrep_postmortem_item_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SitrepPostmortemItem *self = SITREP_POSTMORTEM_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    case PROP_DUE:
      g_value_set_string (value, self->due);
      break;
    case PROP_DONE:
      g_value_set_boolean (value, self->done);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_postmortem_item_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SitrepPostmortemItem *self = SITREP_POSTMORTEM_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      sitrep_postmortem_item_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TEXT:
      set_string (self, &self->text, g_value_get_string (value), PROP_TEXT);
      break;
    case PROP_OWNER:
      set_string (self, &self->owner, g_value_get_string (value), PROP_OWNER);
      break;
    case PROP_DUE:
      set_string (self, &self->due, g_value_get_string (value), PROP_DUE);
      break;
    case PROP_DONE:
      if (self->done != g_value_get_boolean (value))
        {
          self->done = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, properties[PROP_DONE]);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_postmortem_item_finalize (GObject *object)
{
  SitrepPostmortemItem *self = SITREP_POSTMORTEM_ITEM (object);

  g_free (self->text);
  g_free (self->owner);
  g_free (self->due);

  G_OBJECT_CLASS (sitrep_postmortem_item_parent_class)->finalize (object);
}

static void
sitrep_postmortem_item_class_init (SitrepPostmortemItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sitrep_postmortem_item_get_property;
  object_class->set_property = sitrep_postmortem_item_set_property;
  object_class->finalize = sitrep_postmortem_item_finalize;

  /* The store's id of the item; 0 until it is saved. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "", flags);
  properties[PROP_OWNER] = g_param_spec_string ("owner", NULL, NULL, "", flags);
  properties[PROP_DUE] = g_param_spec_string ("due", NULL, NULL, "", flags);
  properties[PROP_DONE] = g_param_spec_boolean ("done", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_postmortem_item_init (SitrepPostmortemItem *self)
{
  self->text = g_strdup ("");
  self->owner = g_strdup ("");
  self->due = g_strdup ("");
}

SitrepPostmortemItem *
sitrep_postmortem_item_new (const SitrepActionItem *item)
{
  if (item == NULL)
    return g_object_new (SITREP_TYPE_POSTMORTEM_ITEM, NULL);
  return g_object_new (SITREP_TYPE_POSTMORTEM_ITEM,
                       "id", item->id,
                       "text", item->text ? item->text : "",
                       "owner", item->owner ? item->owner : "",
                       "due", item->due ? item->due : "",
                       "done", item->done,
                       NULL);
}

SitrepActionItem *
sitrep_postmortem_item_to_action (SitrepPostmortemItem *self)
{
  SitrepActionItem *item;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_ITEM (self), NULL);

  item = sitrep_action_item_new (self->text, self->owner, self->due, self->done);
  item->id = self->id;
  return item;
}

gint64
sitrep_postmortem_item_get_id (SitrepPostmortemItem *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_ITEM (self), 0);
  return self->id;
}

void
sitrep_postmortem_item_set_id (SitrepPostmortemItem *self,
                               gint64                id)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_ITEM (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sitrep_postmortem_item_get_text (SitrepPostmortemItem *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_ITEM (self), NULL);
  return self->text;
}
