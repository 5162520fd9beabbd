/* sitrep-action-request-private.h: what the request's files share: its fields, and its process texts */
#pragma once

#include "sitrep-action-request.h"

G_BEGIN_DECLS

/* An environment variable's value, or the standard input, as the runbook and the inputs give
 * it: pieces of literal text (even indexes) and the names of keyring entries (odd indexes). */
typedef struct
{
  char *name;      /* the variable; NULL for the standard input */
  GStrv pieces;
  char *record;    /* what the audit log keeps: references and literal text, never a value */
} SitrepProcessText;

struct _SitrepActionRequest
{
  GObject parent_instance;

  SitrepRunbook *runbook;
  const SitrepEnvironment *environment; /* the runbook's, picked when the request was made */
  const SitrepService *service;
  const SitrepAction *action;
  GHashTable *inputs; /* name → validated value, secret ones included */
  GStrv argv;
  GStrv follow_up;
  GStrv dry_run;
  char *title;
  char *description;
  char *confirm_text;
  guint verb; /* index in argv of kubectl's subcommand, 0 when not kubectl */

  SitrepRedactor *redactor;  /* knows every secret value the request holds or resolves */
  GPtrArray *env;            /* SitrepProcessText */
  SitrepProcessText *stdin_;
};

GHashTable *sitrep_action_request_public_inputs  (SitrepActionRequest *self);
gboolean    sitrep_action_request_build_process  (SitrepActionRequest *self,
                                                  GError             **error);
void        sitrep_process_text_free             (SitrepProcessText   *text);

G_END_DECLS
