/* sitrep-timeline-event.c: one event of an incident's timeline, as the store read it */
#include "config.h"

#include "sitrep-timeline-event-private.h"

G_DEFINE_FINAL_TYPE (SitrepTimelineEvent, sitrep_timeline_event, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_INCIDENT_ID,
  PROP_AT,
  PROP_KIND,
  PROP_FIELDS,
  PROP_TEXT,
  PROP_AUTHOR,
  PROP_IS_SYSTEM,
  PROP_STARRED,
  PROP_ANNOTATION,
  PROP_ORIGINAL_TEXT,
  PROP_EDITED,
  PROP_EDITED_AT,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sitrep_timeline_event_finalize (GObject *object)
{
  SitrepTimelineEvent *self = (SitrepTimelineEvent *) object;

  g_free (self->fields);
  g_free (self->text);
  g_free (self->author);
  g_free (self->host);
  g_free (self->annotation);
  g_free (self->original_text);

  G_OBJECT_CLASS (sitrep_timeline_event_parent_class)->finalize (object);
}

static void
sitrep_timeline_event_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SitrepTimelineEvent *self = SITREP_TIMELINE_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_INCIDENT_ID:
      g_value_set_int64 (value, self->incident_id);
      break;
    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_FIELDS:
      g_value_set_string (value, self->fields);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_IS_SYSTEM:
      g_value_set_boolean (value, self->is_system);
      break;
    case PROP_STARRED:
      g_value_set_boolean (value, self->starred);
      break;
    case PROP_ANNOTATION:
      g_value_set_string (value, self->annotation);
      break;
    case PROP_ORIGINAL_TEXT:
      g_value_set_string (value, self->original_text);
      break;
    case PROP_EDITED:
      g_value_set_boolean (value, self->edited_at != 0);
      break;
    case PROP_EDITED_AT:
      g_value_set_int64 (value, self->edited_at);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted_at != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_timeline_event_class_init (SitrepTimelineEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sitrep_timeline_event_finalize;
  object_class->get_property = sitrep_timeline_event_get_property;

  /* Read-only: every change goes through the store, which updates the event and notifies. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_INCIDENT_ID] = g_param_spec_int64 ("incident-id", NULL, NULL, 0, G_MAXINT64, 0,
                                                     flags);
  properties[PROP_AT] = g_param_spec_int64 ("at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_FIELDS] = g_param_spec_string ("fields", NULL, NULL, NULL, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties[PROP_IS_SYSTEM] = g_param_spec_boolean ("is-system", NULL, NULL, FALSE, flags);
  properties[PROP_STARRED] = g_param_spec_boolean ("starred", NULL, NULL, FALSE, flags);
  properties[PROP_ANNOTATION] = g_param_spec_string ("annotation", NULL, NULL, NULL, flags);
  properties[PROP_ORIGINAL_TEXT] = g_param_spec_string ("original-text", NULL, NULL, NULL, flags);
  properties[PROP_EDITED] = g_param_spec_boolean ("edited", NULL, NULL, FALSE, flags);
  properties[PROP_EDITED_AT] = g_param_spec_int64 ("edited-at", NULL, NULL, 0, G_MAXINT64, 0,
                                                   flags);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sitrep_timeline_event_init (SitrepTimelineEvent *self)
{
}

gint64
sitrep_timeline_event_get_id (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), 0);
  return self->id;
}

gint64
sitrep_timeline_event_get_incident_id (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), 0);
  return self->incident_id;
}

gint64
sitrep_timeline_event_get_at (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), 0);
  return self->at;
}

gint64
sitrep_timeline_event_get_recorded_at (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), 0);
  return self->recorded_at;
}

const char *
sitrep_timeline_event_get_kind (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->kind;
}

/* Returns: (nullable): a system event's fields as a JSON object, NULL for a note and for an
 * event recorded before Sitrep kept fields (its text is the sentence as it was recorded) */
const char *
sitrep_timeline_event_get_fields (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->fields;
}

/* A note's words, or a legacy event's sentence; "" for a system event recorded as fields:
 * sitrep_timeline_event_render() puts any event into words. */
const char *
sitrep_timeline_event_get_text (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->text;
}

/* The machine the event was written on (its host name), or NULL when not recorded. */
const char *
sitrep_timeline_event_get_host (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->host;
}

const char *
sitrep_timeline_event_get_author (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->author;
}

gboolean
sitrep_timeline_event_get_is_system (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), FALSE);
  return self->is_system;
}

gboolean
sitrep_timeline_event_get_starred (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), FALSE);
  return self->starred;
}

/* Returns: (nullable): the commander's remark on the event, NULL when there is none */
const char *
sitrep_timeline_event_get_annotation (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->annotation;
}

/* Returns: (nullable): a note's first text when it was edited since, NULL otherwise */
const char *
sitrep_timeline_event_get_original_text (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), NULL);
  return self->original_text;
}

gint64
sitrep_timeline_event_get_edited_at (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), 0);
  return self->edited_at;
}

gboolean
sitrep_timeline_event_get_edited (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), FALSE);
  return self->edited_at != 0;
}

gint64
sitrep_timeline_event_get_deleted_at (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), 0);
  return self->deleted_at;
}

gboolean
sitrep_timeline_event_get_deleted (SitrepTimelineEvent *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (self), FALSE);
  return self->deleted_at != 0;
}

/* For the store alone: the properties are read-only so that an event changes only once its row
 * has changed. */

void
sitrep_timeline_event_set_edit (SitrepTimelineEvent *self,
                                const char          *text,
                                const char          *original_text,
                                gint64               edited_at)
{
  g_return_if_fail (SITREP_IS_TIMELINE_EVENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->text);
  self->text = g_strdup (text);
  g_free (self->original_text);
  self->original_text = g_strdup (original_text);
  self->edited_at = edited_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGINAL_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITED_AT]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
sitrep_timeline_event_set_deleted_at (SitrepTimelineEvent *self,
                                      gint64               deleted_at)
{
  g_return_if_fail (SITREP_IS_TIMELINE_EVENT (self));

  self->deleted_at = deleted_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

void
sitrep_timeline_event_set_annotation (SitrepTimelineEvent *self,
                                      const char          *annotation)
{
  g_return_if_fail (SITREP_IS_TIMELINE_EVENT (self));

  g_free (self->annotation);
  self->annotation = g_strdup (annotation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATION]);
}

void
sitrep_timeline_event_set_starred (SitrepTimelineEvent *self,
                                   gboolean             starred)
{
  g_return_if_fail (SITREP_IS_TIMELINE_EVENT (self));

  starred = !!starred;
  if (self->starred != starred)
    {
      self->starred = starred;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARRED]);
    }
}
