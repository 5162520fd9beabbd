/* sitrep-postmortem-model.c: the post-mortem's fields and action items, what only a person knows
 *
 * Plain types, so that the store can keep them without the post-mortem's document code.
 */
#include "config.h"

#include "sitrep-postmortem-model.h"

G_DEFINE_QUARK (sitrep-postmortem-error-quark, sitrep_postmortem_error)

G_DEFINE_BOXED_TYPE (SitrepPostmortemFields, sitrep_postmortem_fields,
                     sitrep_postmortem_fields_copy, sitrep_postmortem_fields_free)
G_DEFINE_BOXED_TYPE (SitrepActionItem, sitrep_action_item,
                     sitrep_action_item_copy, sitrep_action_item_free)

SitrepPostmortemFields *
sitrep_postmortem_fields_new (void)
{
  SitrepPostmortemFields *fields = g_new0 (SitrepPostmortemFields, 1);

  fields->summary = g_strdup ("");
  fields->root_cause = g_strdup ("");
  fields->resolution = g_strdup ("");
  fields->lessons = g_strdup ("");
  fields->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return fields;
}

SitrepPostmortemFields *
sitrep_postmortem_fields_copy (const SitrepPostmortemFields *fields)
{
  SitrepPostmortemFields *copy = g_new0 (SitrepPostmortemFields, 1);

  copy->summary = g_strdup (fields->summary);
  copy->root_cause = g_strdup (fields->root_cause);
  copy->resolution = g_strdup (fields->resolution);
  copy->lessons = g_strdup (fields->lessons);
  copy->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (fields->sections != NULL)
    {
      GHashTableIter iter;
      gpointer id, text;

      g_hash_table_iter_init (&iter, fields->sections);
      while (g_hash_table_iter_next (&iter, &id, &text))
        g_hash_table_insert (copy->sections, g_strdup (id), g_strdup (text));
    }
  return copy;
}

void
sitrep_postmortem_fields_free (SitrepPostmortemFields *fields)
{
  if (fields == NULL)
    return;
  g_free (fields->summary);
  g_free (fields->root_cause);
  g_free (fields->resolution);
  g_free (fields->lessons);
  g_clear_pointer (&fields->sections, g_hash_table_unref);
  g_free (fields);
}

SitrepActionItem *
sitrep_action_item_new (const char *text,
                        const char *owner,
                        const char *due,
                        gboolean    done)
{
  SitrepActionItem *item = g_new0 (SitrepActionItem, 1);

  item->text = g_strdup (text ? text : "");
  item->owner = g_strdup (owner ? owner : "");
  item->due = g_strdup (due ? due : "");
  item->done = done;
  return item;
}

SitrepActionItem *
sitrep_action_item_copy (const SitrepActionItem *item)
{
  SitrepActionItem *copy = sitrep_action_item_new (item->text, item->owner, item->due, item->done);

  copy->id = item->id;
  return copy;
}

void
sitrep_action_item_free (SitrepActionItem *item)
{
  if (item == NULL)
    return;
  g_free (item->text);
  g_free (item->owner);
  g_free (item->due);
  g_free (item);
}
