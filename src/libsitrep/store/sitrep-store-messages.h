/* sitrep-store-messages.h: the stakeholder messages sent, and their chat webhook queue */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sitrep-store.h"

G_BEGIN_DECLS

/* Where a message stands with the chat webhook. */
typedef enum
{
  SITREP_WEBHOOK_STATE_NONE,   /* never posted: copied only */
  SITREP_WEBHOOK_STATE_QUEUED, /* waiting for its first attempt */
  SITREP_WEBHOOK_STATE_SENT,
  SITREP_WEBHOOK_STATE_FAILED, /* the last attempt failed; retried at next_attempt_at, if set */
} SitrepWebhookState;

#define SITREP_TYPE_WEBHOOK_STATE (sitrep_webhook_state_get_type ())

GType       sitrep_webhook_state_get_type    (void) G_GNUC_CONST;
const char *sitrep_webhook_state_to_string   (SitrepWebhookState  state);
gboolean    sitrep_webhook_state_from_string (const char         *text,
                                              SitrepWebhookState *state);
const char *sitrep_webhook_state_get_label   (SitrepWebhookState  state);

/* One stored message. Times are microseconds since the epoch, UTC; 0 when unset. */
typedef struct
{
  gint64 id;
  gint64 incident_id;
  char *template_id;
  char *title;             /* the template's title; NULL in messages older than schema 2 */
  char *author;
  gboolean resets_update;  /* a status update: sending it resets the "next update due" clock */
  char *text;
  gint64 created_at;
  gint64 copied_at;
  SitrepWebhookState webhook_state;
  char *webhook_error;
  guint webhook_attempts;
  gint64 next_attempt_at;
} SitrepMessage;

#define SITREP_TYPE_MESSAGE (sitrep_message_get_type ())

GType          sitrep_message_get_type (void) G_GNUC_CONST;
SitrepMessage *sitrep_message_copy     (const SitrepMessage *message);
void           sitrep_message_free     (SitrepMessage       *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepMessage, sitrep_message_free)

/* What recording a message needs. */
typedef struct
{
  gint64 incident_id;
  const char *template_id;
  const char *title;       /* the template's title, for the timeline; NULL: made from the id */
  SitrepTemplateKind kind; /* every kind but the post-mortem resets the update clock */
  const char *text;
  gint64 at;
  const char *author;
  gboolean posted;         /* to be posted to chat rather than copied: it is queued, and
                            * reaches the timeline and the update clock only once sent */
} SitrepMessageRecord;

gint64         sitrep_store_record_message        (SitrepStore               *self,
                                                   gint64                     incident_id,
                                                   const char                *template_id,
                                                   const char                *text,
                                                   gint64                     at,
                                                   const char                *author,
                                                   gboolean                   posted,
                                                   GError                   **error);
gint64         sitrep_store_record_message_full   (SitrepStore               *self,
                                                   const SitrepMessageRecord *record,
                                                   GError                   **error);
SitrepMessage *sitrep_store_load_message          (SitrepStore               *self,
                                                   gint64                     id,
                                                   GError                   **error);
GPtrArray     *sitrep_store_list_messages         (SitrepStore               *self,
                                                   gint64                     incident_id,
                                                   GError                   **error);

/* The webhook queue. */
gboolean       sitrep_store_mark_message_queued   (SitrepStore               *self,
                                                   gint64                     id,
                                                   const char                *claimant,
                                                   gint64                     now,
                                                   gint64                     claimed_until,
                                                   GError                   **error);
gboolean       sitrep_store_mark_message_sent     (SitrepStore               *self,
                                                   gint64                     id,
                                                   guint                      attempts,
                                                   gint64                     at,
                                                   GError                   **error);
gboolean       sitrep_store_mark_message_failed   (SitrepStore               *self,
                                                   gint64                     id,
                                                   const char                *reason,
                                                   guint                      attempts,
                                                   gint64                     next_attempt_at,
                                                   GError                   **error);
/* A change of a message's webhook state, as sitrep_store_mark_message() makes it. */
typedef struct
{
  gint64 id;
  gint64 incident_id;        /* the message's incident: the journal's replay names it */
  SitrepWebhookState state;  /* queued, sent or failed */
  guint attempts;            /* sent, failed: how many attempts were made */
  gint64 at;                 /* sent: when the webhook took it; queued, failed: now */
  const char *reason;        /* failed: why */
  gint64 next_attempt_at;    /* failed: when it is tried again, 0 for never */
  const char *claimant;      /* queued: the console that claims it to post it; failed: the
                              * console whose attempt failed; or NULL */
  gint64 claimed_until;      /* queued: when a claimant's claim runs out */
} SitrepMessageMark;

/* What the journal of a team database calls a kept copied message (a SitrepMessageRecord). */
#define SITREP_STORE_MESSAGE_KIND "message"

void           sitrep_store_message_record_to_kept   (const SitrepMessageRecord *record,
                                                      JsonObject                *body);
gboolean       sitrep_store_message_record_from_kept (JsonObject                *body,
                                                      SitrepMessageRecord       *record);

/* What the journal of a team database calls a kept SitrepMessageMark. */
#define SITREP_STORE_MESSAGE_MARK_KIND "message-state"

gboolean       sitrep_store_mark_message          (SitrepStore               *self,
                                                   const SitrepMessageMark   *mark,
                                                   GError                   **error);
gboolean       sitrep_store_message_mark_from_kept (JsonObject              *body,
                                                   SitrepMessageMark         *mark);
GPtrArray     *sitrep_store_list_pending_messages (SitrepStore               *self,
                                                   gint64                     now,
                                                   GError                   **error);
gint64         sitrep_store_next_message_attempt  (SitrepStore               *self,
                                                   GError                   **error);

G_END_DECLS
