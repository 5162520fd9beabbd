/* sitrep-store-conflict.h: an edit refused because someone else changed the same text meanwhile */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An extended error domain: each error carries the versions it is about, so whoever made the
 * edit can show both and let the person choose, without losing either. */
#define SITREP_EDIT_CONFLICT_ERROR (sitrep_edit_conflict_error_quark ())

typedef enum
{
  SITREP_EDIT_CONFLICT_ERROR_CHANGED, /* changed elsewhere since the editor read it */
} SitrepEditConflictError;

/* One text edited in two places: what the editor started from, what is stored now (written by
 * another console), and what this one tried to save. @field names it: NULL for a note,
 * "summary", "root_cause", "resolution", "lessons", or "section:ID" for a post-mortem. */
typedef struct
{
  char *field;
  char *base;
  char *theirs;
  char *yours;
} SitrepEditConflict;

GQuark                    sitrep_edit_conflict_error_quark (void);

GError                   *sitrep_edit_conflict_error_new   (GPtrArray    *conflicts,
                                                            const char   *message);
void                      sitrep_edit_conflict_add         (GPtrArray    *conflicts,
                                                            const char   *field,
                                                            const char   *base,
                                                            const char   *theirs,
                                                            const char   *yours);
GPtrArray                *sitrep_edit_conflicts_new        (void);
guint                     sitrep_edit_conflict_get_n       (const GError *error);
const SitrepEditConflict *sitrep_edit_conflict_get         (const GError *error,
                                                            guint         index);

G_END_DECLS
