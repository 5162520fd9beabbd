/* sitrep-message-composer-private.h: what the composer and the tests that drive it share */
#pragma once

#include "sitrep-message-composer.h"

G_BEGIN_DECLS

struct _SitrepMessageComposer
{
  GtkWidget parent_instance;

  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepIncidentManager *manager;
  SitrepWebhook *webhook;
  gulong current_id;
  gulong webhook_changed_id;
  GCancellable *cancellable;

  GPtrArray *templates; /* borrowed SitrepTemplate, the runbook holds them */
  GPtrArray *unfilled;  /* the names of the placeholders left as [name] */
  guint n_left;         /* how many of them the text still shows */
  gboolean unfilled_warned; /* Copy or Post was pressed once over them */
  gint64 incident_id;
  gint64 message_id;    /* the last one posted, whose state shows */
  guint n_recording;    /* messages on their way to the store */
  gint64 last_recorded_id; /* the last one stored; -1 when that failed */
  char *author;
  gboolean utc;
  char *state_text;
  char *last_toast;

  AdwToastOverlay *toasts;
  GtkDropDown *template_drop_down;
  GtkTextView *text_view;
  GtkTextBuffer *buffer;
  GtkTextTag *unfilled_tag;
  GtkLabel *hint_label;
  GtkButton *copy_button;
  GtkButton *post_button;
  GtkLabel *state_label;
};

/* The gestures, as the buttons make them; the tests make them too. */
char       *sitrep_message_composer_get_text        (SitrepMessageComposer *self);
void        sitrep_message_composer_copy            (SitrepMessageComposer *self);
void        sitrep_message_composer_post            (SitrepMessageComposer *self);

/* Defined in sitrep-message-composer-testing.c, which only the tests link. */
gboolean    sitrep_message_composer_select_template (SitrepMessageComposer *self,
                                                     const char            *template_id);
GStrv       sitrep_message_composer_get_highlighted (SitrepMessageComposer *self);
gboolean    sitrep_message_composer_type_over       (SitrepMessageComposer *self,
                                                     const char            *old_text,
                                                     const char            *new_text);
const char *sitrep_message_composer_get_state_text  (SitrepMessageComposer *self);
const char *sitrep_message_composer_get_last_toast  (SitrepMessageComposer *self);
gboolean    sitrep_message_composer_get_can_post    (SitrepMessageComposer *self);
gint64      sitrep_message_composer_wait_recorded   (SitrepMessageComposer *self);

G_END_DECLS
