/* sitrep-action-history.h: what commands say for the dialog: revisions, choices, replicas */
#pragma once

#include "sitrep-action-run.h"

G_BEGIN_DECLS

/* One revision of a deployment, from `kubectl rollout history`. */
typedef struct
{
  gint64 revision;
  char *change_cause; /* NULL when kubectl printed <none> */
  char *image;        /* the containers' images, ", "-separated; NULL until known */
} SitrepRevision;

/* Parsers for kubectl's answers: text in, values out. */
GPtrArray        *sitrep_action_parse_history      (const char              *text,
                                                    GError                 **error);
char             *sitrep_action_parse_revision_image (const char            *json,
                                                    GError                 **error);
gboolean          sitrep_action_parse_replicas     (const char              *json,
                                                    gint64                  *replicas,
                                                    GError                 **error);
void              sitrep_revision_free             (SitrepRevision          *revision);
GStrv             sitrep_action_parse_choice_lines (const char              *text);
SitrepChoicesFormat sitrep_action_input_get_choices_format (const SitrepActionInput *input);

/* Run through SitrepActionRun: revisions with their images, and a deployment's replicas. */
void                 sitrep_action_list_revisions_async       (SitrepRunbook           *runbook,
                                                               const SitrepService     *service,
                                                               const SitrepActionInput *input,
                                                               const char              *kubectl,
                                                               GCancellable            *cancellable,
                                                               GAsyncReadyCallback      callback,
                                                               gpointer                 user_data);
GPtrArray           *sitrep_action_list_revisions_finish      (GAsyncResult            *result,
                                                               GError                 **error);
void                 sitrep_action_list_choices_async         (SitrepRunbook           *runbook,
                                                               const SitrepService     *service,
                                                               const SitrepActionInput *input,
                                                               const char              *kubectl,
                                                               GCancellable            *cancellable,
                                                               GAsyncReadyCallback      callback,
                                                               gpointer                 user_data);
GStrv                sitrep_action_list_choices_finish        (GAsyncResult            *result,
                                                               GError                 **error);
void                 sitrep_action_get_replicas_async         (SitrepRunbook           *runbook,
                                                               const SitrepService     *service,
                                                               const char              *kubectl,
                                                               GCancellable            *cancellable,
                                                               GAsyncReadyCallback      callback,
                                                               gpointer                 user_data);
gint64               sitrep_action_get_replicas_finish        (GAsyncResult            *result,
                                                               GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepRevision, sitrep_revision_free)

G_END_DECLS
