/* sitrep-kept-list.c: the banner's list of the changes kept on this computer while the team database is unreachable
 *
 * The banner counts the changes the journal keeps; "Show" opens this popover, which lists
 * them, oldest first: what each is, when it was kept and of which incident. The store reads
 * the journal on a thread (sitrep_store_list_kept_async()); the list is read again each time
 * it opens and whenever the count changes while it is open.
 *
 * A note kept there can be edited (its typo fixed before anyone reads it): the edit is kept
 * after it and written onto it when the team database is back
 * (sitrep_store_edit_kept_note_async()).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sitrep-incident-kept.h"
#include "sitrep-kept-list-private.h"
#include "sitrep-store-kept.h"
#include "sitrep-store-writer.h"

/* The first changes are listed, the rest counted: the popover stays within the window, and it
 * needs no scrolling, which would let it shrink below its rows. */
#define MAX_ROWS 12

G_DEFINE_FINAL_TYPE (SitrepKeptList, sitrep_kept_list, GTK_TYPE_POPOVER)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_INCIDENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sitrep_kept_list_dispose (GObject *object)
{
  SitrepKeptList *self = SITREP_KEPT_LIST (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_weak_pointer (&self->incidents);

  G_OBJECT_CLASS (sitrep_kept_list_parent_class)->dispose (object);
}

static void
show_message (SitrepKeptList *self,
              const char     *message)
{
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
clear_rows (SitrepKeptList *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

/* Which incident a change is of, as the commander knows it. */
static char *
describe_incident (SitrepKeptList *self,
                   gint64          id)
{
  SitrepIncident *incident = self->incidents ? sitrep_incident_manager_find (self->incidents, id)
                                             : NULL;

  if (id == 0)
    return NULL;
  if (incident == NULL)
    return g_strdup (_("an incident this console does not show"));
  if (sitrep_incident_is_kept (incident))
    /* Translators: the incident a kept change is of; %s is its summary */
    return g_strdup_printf (_("“%s”, a new incident not yet on the team database"),
                            sitrep_incident_get_summary (incident));
  /* Translators: the incident a kept change is of; %s is its summary */
  return g_strdup_printf (_("“%s”"), sitrep_incident_get_summary (incident));
}

/* What the edit of a kept note needs once the dialog answers. */
typedef struct
{
  SitrepKeptList *self;
  char *change_id;
  gint64 incident;
  char *text;
  char *author;
} NoteEdit;

static void
note_edit_free (NoteEdit *edit)
{
  g_clear_object (&edit->self);
  g_free (edit->change_id);
  g_free (edit->text);
  g_free (edit->author);
  g_free (edit);
}

static void
note_edited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SitrepKeptList) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_change_event_finish (SITREP_STORE (source),
                                                                          result, &error);

  if (note == NULL)
    {
      /* Translators: "The edit of the note was not saved: <why>" */
      g_autofree char *message = g_strdup_printf (_("The edit of the note was not saved: %s"),
                                                  error->message);

      show_message (self, message);
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sitrep_kept_list_refresh (self);
}

static void
edit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  NoteEdit         *edit)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  SitrepKeptList *self = edit->self;

  if (g_str_equal (response, "save") && *text != '\0' && g_strcmp0 (text, edit->text) != 0
      && self->store != NULL)
    sitrep_store_edit_kept_note_async (self->store, edit->change_id, edit->incident, text,
                                       g_get_real_time (), edit->author, note_edited_cb,
                                       g_object_ref (self));
}

/* The dialog that edits the kept note @change, over the window. */
static GtkWidget *
edit_note (SitrepKeptList   *self,
                             SitrepKeptChange *change)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();
  NoteEdit *edit = g_new0 (NoteEdit, 1);

  edit->self = g_object_ref (self);
  edit->change_id = g_strdup (change->change_id);
  edit->incident = change->incident;
  edit->text = g_strdup (change->text);
  edit->author = g_strdup (change->author);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Edit Note"),
                                   _("The note is kept on this computer until the team database "
                                     "is back; the edit is kept with it, and the note is written "
                                     "as edited, its first words kept as its original."));
  gtk_editable_set_text (GTK_EDITABLE (entry), change->text != NULL ? change->text : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save",
                                    _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (edit_response_cb), edit,
                         (GClosureNotify) (void (*) (void)) note_edit_free, 0);
  gtk_popover_popdown (GTK_POPOVER (self));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* What a kept note's Edit button edits: held by its "clicked" handler while it is listed. */
typedef struct
{
  SitrepKeptList *self;   /* the list holds the button */
  SitrepKeptChange *change;
} EditTarget;

static void
edit_target_free (EditTarget *target)
{
  sitrep_kept_change_free (target->change);
  g_free (target);
}

static void
edit_clicked_cb (GtkButton  *button,
                 EditTarget *target)
{
  edit_note (target->self, target->change);
}

/* @change: (transfer full) */
static GtkWidget *
row_new (SitrepKeptList   *self,
         SitrepKeptChange *change)
{
  g_autoptr(SitrepKeptChange) owned = change;
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (change->at / G_USEC_PER_SEC);
  g_autofree char *when = at ? g_date_time_format (at, "%H:%M:%S") : g_strdup ("");
  g_autofree char *incident = describe_incident (self, change->incident);
  g_autofree char *subtitle = NULL;

  if (incident != NULL)
    /* Translators: under a kept change: "14:02:11 · “Queue backlog”" */
    subtitle = g_strdup_printf (_("%s · %s"), when, incident);
  else
    subtitle = g_strdup (when);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), change->what);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (g_str_equal (change->kind, "note") && change->change_id != NULL)
    {
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
      EditTarget *target = g_new0 (EditTarget, 1);

      gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_set_tooltip_text (edit, _("Edit Note"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Edit Note"), -1);
      /* The button holds the change for as long as it is listed. */
      target->self = self;
      target->change = g_steal_pointer (&owned);
      g_signal_connect_data (edit, "clicked", G_CALLBACK (edit_clicked_cb), target,
                             (GClosureNotify) (void (*) (void)) edit_target_free, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
    }
  return row;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SitrepKeptList *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = sitrep_store_list_kept_finish (SITREP_STORE (source), result,
                                                                &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* disposed, or read again since */
  self->reading = FALSE;
  clear_rows (self);
  if (changes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read the changes kept: %s"),
                                                  error->message);

      show_message (self, message);
      return;
    }
  if (changes->len == 0)
    show_message (self, _("Nothing is kept: every change is on the team database."));
  else if (changes->len > MAX_ROWS)
    {
      g_autofree char *more = NULL;

      /* Translators: under the first kept changes; %u is how many more there are */
      more = g_strdup_printf (ngettext ("And %u more after these, written in order too.",
                                        "And %u more after these, written in order too.",
                                        changes->len - MAX_ROWS),
                              changes->len - MAX_ROWS);
      show_message (self, more);
    }
  else
    show_message (self, NULL);
  for (guint i = 0; i < MIN (changes->len, MAX_ROWS); i++)
    gtk_list_box_append (self->list, row_new (self, g_steal_pointer (&changes->pdata[i])));
  gtk_widget_set_visible (GTK_WIDGET (self->list), changes->len > 0);
}

/* Reads the journal again and shows what it keeps. */
void
sitrep_kept_list_refresh (SitrepKeptList *self)
{
  g_return_if_fail (SITREP_IS_KEPT_LIST (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->reading = TRUE;
  if (gtk_widget_get_first_child (GTK_WIDGET (self->list)) == NULL)
    show_message (self, _("Reading the changes kept…"));
  /* The callback holds no reference: the read is cancelled when the list goes. */
  sitrep_store_list_kept_async (self->store, self->cancellable, listed_cb, self);
}

static void
pending_changed_cb (SitrepKeptList *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sitrep_kept_list_refresh (self);
}

/* The store whose journal it lists, and the incidents it names. */
void
sitrep_kept_list_set_sources (SitrepKeptList        *self,
                              SitrepStore           *store,
                              SitrepIncidentManager *incidents)
{
  gboolean store_changed, incidents_changed;

  g_return_if_fail (SITREP_IS_KEPT_LIST (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  store_changed = g_set_object (&self->store, store);
  /* Not held: the session replaces its manager with its store, and an old one must go. */
  incidents_changed = g_set_weak_pointer (&self->incidents, incidents);
  if (store != NULL)
    g_signal_connect_swapped (store, "notify::pending-changes", G_CALLBACK (pending_changed_cb),
                              self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sitrep_kept_list_refresh (self);
  if (store_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  if (incidents_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENTS]);
}

SitrepStore *
sitrep_kept_list_get_store (SitrepKeptList *self)
{
  g_return_val_if_fail (SITREP_IS_KEPT_LIST (self), NULL);
  return self->store;
}

SitrepIncidentManager *
sitrep_kept_list_get_incidents (SitrepKeptList *self)
{
  g_return_val_if_fail (SITREP_IS_KEPT_LIST (self), NULL);
  return self->incidents;
}

static void
sitrep_kept_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SitrepKeptList *self = SITREP_KEPT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_INCIDENTS:
      g_value_set_object (value, self->incidents);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Each is set through sitrep_kept_list_set_sources(), the other as it is. */
static void
sitrep_kept_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SitrepKeptList *self = SITREP_KEPT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      sitrep_kept_list_set_sources (self, g_value_get_object (value), self->incidents);
      break;
    case PROP_INCIDENTS:
      sitrep_kept_list_set_sources (self, self->store, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_kept_list_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sitrep_kept_list_parent_class)->map (widget);
  sitrep_kept_list_refresh (SITREP_KEPT_LIST (widget));
}

static void
sitrep_kept_list_class_init (SitrepKeptListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_kept_list_dispose;
  object_class->get_property = sitrep_kept_list_get_property;
  object_class->set_property = sitrep_kept_list_set_property;
  widget_class->map = sitrep_kept_list_map;

  /* The store whose journal is listed. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SITREP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The incidents the kept changes name (not held). */
  properties[PROP_INCIDENTS] =
    g_param_spec_object ("incidents", NULL, NULL, SITREP_TYPE_INCIDENT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-kept-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepKeptList, message_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepKeptList, list);
}

static void
sitrep_kept_list_init (SitrepKeptList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_kept_list_new (void)
{
  return g_object_new (SITREP_TYPE_KEPT_LIST, NULL);
}
