/* sitrep-postmortem-editor-conflict.c: the post-mortem editor when another console saved the
 * same post-mortem meanwhile
 *
 * The editor keeps the fields as it last read or saved them (its base). The store merges a save
 * with what it holds text by text from that base (sitrep_store_save_postmortem()): what only
 * the other console changed is taken in, and what both changed differently is refused with both
 * versions, which the conflict dialog shows. Whatever the person chooses becomes the new base
 * for those texts, and the save is made again.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sitrep-conflict-dialog.h"
#include "sitrep-postmortem-editor-private.h"
#include "sitrep-store-conflict.h"

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *const field_names[] = { "summary", "root_cause", "resolution", "lessons" };

/* The buffer that shows @field, or NULL for a section not shown (another runbook's). */
static GtkTextBuffer *
buffer_of (SitrepPostmortemEditor *self,
           const char             *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field, field_names[i]))
      return self->fields[i];
  if (g_str_has_prefix (field, "section:"))
    for (guint i = 0; self->section_ids != NULL && i < self->section_ids->len; i++)
      if (g_str_equal (field + strlen ("section:"), self->section_ids->pdata[i]))
        return self->section_buffers->pdata[i];
  return NULL;
}

static char **
text_of (SitrepPostmortemFields *fields,
         const char             *field)
{
  char **texts[] = { &fields->summary, &fields->root_cause, &fields->resolution,
                     &fields->lessons };

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field, field_names[i]))
      return texts[i];
  return NULL;
}

/* Sets what @field says in @fields (a section by its id). */
static void
set_text (SitrepPostmortemFields *fields,
          const char             *field,
          const char             *text)
{
  char **slot = text_of (fields, field);

  if (slot != NULL)
    {
      g_free (*slot);
      *slot = g_strdup (text);
    }
  else if (g_str_has_prefix (field, "section:"))
    g_hash_table_insert (fields->sections, g_strdup (field + strlen ("section:")),
                         g_strdup (text));
}

/* Shows @text in @field's box, leaving the box (and its cursor) alone when it says it already. */
static void
show_text (SitrepPostmortemEditor *self,
           const char             *field,
           const char             *text)
{
  GtkTextBuffer *buffer = buffer_of (self, field);
  g_autofree char *shown = NULL;
  gboolean loading = self->loading;

  if (buffer == NULL)
    {
      if (self->loaded_sections != NULL && g_str_has_prefix (field, "section:"))
        g_hash_table_insert (self->loaded_sections, g_strdup (field + strlen ("section:")),
                             g_strdup (text));
      return;
    }
  shown = buffer_text (buffer);
  if (g_str_equal (shown, text))
    return;
  self->loading = TRUE;
  gtk_text_buffer_set_text (buffer, text, -1);
  self->loading = loading;
}

/* After a save: @fields is what is stored now, merged with what another console saved; the
 * boxes show it and it is the base of the next save. */
void
_sitrep_postmortem_editor_take_saved (SitrepPostmortemEditor *self,
                                      SitrepPostmortemFields *fields)
{
  GHashTableIter iter;
  gpointer id, text;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    show_text (self, field_names[i], *text_of (fields, field_names[i]));
  g_hash_table_iter_init (&iter, fields->sections);
  while (g_hash_table_iter_next (&iter, &id, &text))
    {
      g_autofree char *field = g_strconcat ("section:", id, NULL);

      show_text (self, field, text);
    }
  g_clear_pointer (&self->base, sitrep_postmortem_fields_free);
  self->base = sitrep_postmortem_fields_copy (fields);
  _sitrep_postmortem_editor_update_preview (self);
}

/* "Summary", or the runbook's title of a section. */
static char *
label_of (SitrepPostmortemEditor *self,
          const char             *field)
{
  static const char *const labels[] = { N_("Summary"), N_("Root Cause"), N_("Resolution"),
                                        N_("Lessons Learned") };
  GPtrArray *sections = self->runbook ? sitrep_runbook_get_postmortem_sections (self->runbook)
                                      : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field, field_names[i]))
      return g_strdup (_(labels[i]));
  for (guint i = 0; sections != NULL && i < sections->len; i++)
    {
      const SitrepPostmortemSection *section = sections->pdata[i];

      if (g_str_equal (field + strlen ("section:"), section->id))
        return g_strdup (section->title);
    }
  return g_strdup (g_str_has_prefix (field, "section:") ? field + strlen ("section:") : field);
}

typedef struct
{
  SitrepPostmortemEditor *self;
  GError *conflict;
} Resolution;

static void
resolution_free (gpointer data)
{
  Resolution *resolution = data;

  g_object_unref (resolution->self);
  g_error_free (resolution->conflict);
  g_free (resolution);
}

static void
resolved_cb (const char        *response,
             const char *const *texts,
             gpointer           user_data)
{
  Resolution *resolution = user_data;
  SitrepPostmortemEditor *self = resolution->self;
  guint n = sitrep_edit_conflict_get_n (resolution->conflict);

  g_clear_weak_pointer (&self->conflict_dialog);
  if (g_str_equal (response, SITREP_CONFLICT_CLOSED) || self->incident == NULL)
    {
      _sitrep_postmortem_editor_toast (self, _("The post-mortem was not saved: your text is "
                                               "still in the editor"));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      const SitrepEditConflict *conflict = sitrep_edit_conflict_get (resolution->conflict, i);

      /* Theirs has been seen: it is what the next save starts from. */
      if (self->base != NULL)
        set_text (self->base, conflict->field, conflict->theirs);
      show_text (self, conflict->field,
                 g_str_equal (response, SITREP_CONFLICT_SAVE_YOURS) ? texts[i] : conflict->theirs);
    }
  sitrep_postmortem_editor_save (self, NULL);
}

/* Shows both versions of each text @conflict is about and saves what the person chooses. */
void
_sitrep_postmortem_editor_resolve (SitrepPostmortemEditor *self,
                                   const GError           *conflict)
{
  guint n = sitrep_edit_conflict_get_n (conflict);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  Resolution *resolution;

  if (self->conflict_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->conflict_dialog));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = label_of (self, sitrep_edit_conflict_get (conflict, i)->field);

      g_strv_builder_add (builder, label);
    }
  labels = g_strv_builder_end (builder);
  resolution = g_new0 (Resolution, 1);
  resolution->self = g_object_ref (self);
  resolution->conflict = g_error_copy (conflict);
  g_set_weak_pointer (&self->conflict_dialog,
                      GTK_WIDGET (sitrep_conflict_dialog_present (GTK_WIDGET (self), conflict,
                                                                  _("Post-Mortem Changed "
                                                                    "Elsewhere"),
                                                                  (const char *const *) labels,
                                                                  resolved_cb, resolution,
                                                                  resolution_free)));
}
