/* sitrep-postmortem-model.h: the post-mortem's fields and action items, what only a person knows */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SITREP_POSTMORTEM_ERROR (sitrep_postmortem_error_quark ())

typedef enum
{
  SITREP_POSTMORTEM_ERROR_NO_TEMPLATE,
  SITREP_POSTMORTEM_ERROR_INVALID,
} SitrepPostmortemError;

/* The free-text parts of the post-mortem, kept in the incident's row. Never NULL once loaded. */
typedef struct
{
  char *summary;
  char *root_cause;
  char *resolution;
  char *lessons; /* one lesson a line */
  GHashTable *sections; /* format 2: the runbook's own sections' text, by section id */
} SitrepPostmortemFields;

/* One follow-up of the post-mortem; @id is 0 until it is saved. */
typedef struct
{
  gint64 id;
  char *text;
  char *owner; /* a handle ("alice" or "@alice") or a name */
  char *due;   /* as typed: "2025-12-05", "next sprint" */
  gboolean done;
} SitrepActionItem;

#define SITREP_TYPE_POSTMORTEM_FIELDS (sitrep_postmortem_fields_get_type ())
#define SITREP_TYPE_ACTION_ITEM (sitrep_action_item_get_type ())

GQuark                  sitrep_postmortem_error_quark    (void);

GType                   sitrep_postmortem_fields_get_type (void) G_GNUC_CONST;
SitrepPostmortemFields *sitrep_postmortem_fields_new      (void);
SitrepPostmortemFields *sitrep_postmortem_fields_copy     (const SitrepPostmortemFields *fields);
void                    sitrep_postmortem_fields_free     (SitrepPostmortemFields       *fields);

GType                   sitrep_action_item_get_type       (void) G_GNUC_CONST;
SitrepActionItem       *sitrep_action_item_new            (const char                   *text,
                                                           const char                   *owner,
                                                           const char                   *due,
                                                           gboolean                      done);
SitrepActionItem       *sitrep_action_item_copy           (const SitrepActionItem       *item);
void                    sitrep_action_item_free           (SitrepActionItem             *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepPostmortemFields, sitrep_postmortem_fields_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepActionItem, sitrep_action_item_free)

G_END_DECLS
