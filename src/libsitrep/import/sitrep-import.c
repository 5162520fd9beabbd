/* sitrep-import.c: a Markdown runbook read, repaired, mapped, checked by the loader and reported
 *
 * The importer never writes what the strict loader would refuse: the draft is serialised and
 * loaded back before anyone sees it. When the loader refuses it, the document is drafted again
 * with each part put to the loader as it is made (sitrep-import-check.c): what it refuses is
 * left out and reported at its line and column, with what to write instead, so `sitrep import`
 * hands over a runbook that opens.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"
#include "sitrep-runbook.h"

struct _SitrepImport
{
  char *file;
  char *json;
  GPtrArray *notes;
  GPtrArray *summary;
  GPtrArray *commands; /* "Label\targv", once listed */
};

G_DEFINE_QUARK (sitrep-import-error-quark, sitrep_import_error)

static void
note_free (SitrepImportNote *note)
{
  g_free (note->message);
  g_free (note);
}

static void
add_note (ImportDraft         *draft,
          SitrepImportNoteKind kind,
          guint                line,
          guint                column,
          const char          *format,
          va_list              args)
{
  SitrepImportNote *note = g_new0 (SitrepImportNote, 1);

  note->message = g_strdup_vprintf (format, args);
  note->kind = kind;
  note->line = line;
  note->column = line > 0 ? column : 0;
  g_ptr_array_add (draft->notes, note);
}

void
import_note (ImportDraft         *draft,
             SitrepImportNoteKind kind,
             guint                line,
             const char          *format,
             ...)
{
  va_list args;

  va_start (args, format);
  add_note (draft, kind, line, 0, format, args);
  va_end (args);
}

/* A note about one place of a line: the report gives FILE:LINE:COLUMN. */
void
import_note_at (ImportDraft         *draft,
                SitrepImportNoteKind kind,
                guint                line,
                guint                column,
                const char          *format,
                ...)
{
  va_list args;

  va_start (args, format);
  add_note (draft, kind, line, column, format, args);
  va_end (args);
}

/**
 * import_column:
 * @text: (nullable): what the note is about, as the line writes it
 *
 * Where @text starts in the document's @line, in characters from 1; with %NULL, or when the line
 * does not hold it as written (it was repaired or joined), where the line's text starts.
 *
 * Returns: the column, or 0 when there is no such line
 */
guint
import_column (ImportDraft *draft,
               guint        line,
               const char  *text)
{
  const char *in, *at = NULL;

  if (draft->lines == NULL || line == 0 || line > g_strv_length (draft->lines))
    return 0;
  in = draft->lines[line - 1];
  if (text != NULL && text[0] != '\0')
    at = strstr (in, text);
  if (at == NULL)
    for (at = in; *at == ' ' || *at == '\t'; at++)
      ;
  return (guint) g_utf8_pointer_to_offset (in, at) + 1;
}

/* Windows-1252's bytes 0x80–0x9F; 0 where it has none (those bytes stand for themselves). */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
  0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
  0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The byte Windows-1252 encodes @c as, or -1. */
static int
cp1252_byte (gunichar c)
{
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF))
    return (int) c;
  if (c >= 0x80 && c <= 0x9F)
    return (int) c; /* undefined bytes decoded as C1 controls */
  for (int i = 0; i < 32; i++)
    if (cp1252_high[i] == c)
      return 0x80 + i;
  return -1;
}

static gunichar
cp1252_char (guchar b)
{
  if (b >= 0x80 && b <= 0x9F && cp1252_high[b - 0x80] != 0)
    return cp1252_high[b - 0x80];
  return b;
}

/* Text that was UTF-8, decoded as Windows-1252 and encoded again ("ðŸ”´" for "🔴"): each such
 * sequence is put back, and each line where that happened is reported. */
static char *
repair_double_encoding (const char  *text,
                        ImportDraft *draft)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (text));
  guint line = 1;
  guint reported_line = 0;

  for (const char *p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);
      int lead = cp1252_byte (c);
      int need = lead >= 0xF0 && lead <= 0xF4 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0;

      if (lead >= 0xC2 && lead <= 0xF4)
        {
          guchar bytes[4] = { (guchar) lead };
          const char *q = g_utf8_next_char (p);
          int k;

          for (k = 1; k <= need && *q != '\0'; k++)
            {
              int b = cp1252_byte (g_utf8_get_char (q));

              if (b < 0x80 || b > 0xBF)
                break;
              bytes[k] = (guchar) b;
              q = g_utf8_next_char (q);
            }
          if (k == need + 1 && g_utf8_validate ((const char *) bytes, need + 1, NULL))
            {
              g_string_append_len (out, (const char *) bytes, need + 1);
              if (reported_line != line)
                {
                  g_autofree char *bad = g_strndup (p, q - p);
                  g_autofree char *good = g_strndup ((const char *) bytes, need + 1);

                  import_note (draft, SITREP_IMPORT_NOTE_REPAIRED, line,
                               _("repaired text that was UTF-8 read as Windows-1252 "
                                 "(“%s” is “%s”)"), bad, good);
                  reported_line = line;
                }
              p = q;
              continue;
            }
        }
      if (c == '\n')
        line++;
      g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The document as valid UTF-8 without a byte-order mark or NUL bytes. */
static char *
decode_text (const char  *data,
             gsize        length,
             ImportDraft *draft)
{
  g_autoptr(GString) text = g_string_new_len (data, length);
  gboolean nul = FALSE;

  if (g_str_has_prefix (text->str, "\xEF\xBB\xBF"))
    g_string_erase (text, 0, 3);
  for (gsize i = 0; i < text->len; i++)
    if (text->str[i] == '\0')
      {
        g_string_erase (text, i, 1);
        g_string_insert (text, i, "\xEF\xBF\xBD");
        nul = TRUE;
      }
  if (nul)
    import_note (draft, SITREP_IMPORT_NOTE_REPAIRED, 0,
                 _("the file holds NUL bytes, which were replaced: is it really text?"));

  if (!g_utf8_validate (text->str, text->len, NULL))
    {
      g_autoptr(GString) out = g_string_new (NULL);

      for (gsize i = 0; i < text->len; i++)
        g_string_append_unichar (out, cp1252_char ((guchar) text->str[i]));
      import_note (draft, SITREP_IMPORT_NOTE_REPAIRED, 0,
                   _("the file is not UTF-8: it was read as Windows-1252; save it as UTF-8"));
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
draft_clear (ImportDraft *draft)
{
  g_clear_pointer (&draft->doc, import_doc_free);
  g_clear_pointer (&draft->name, g_free);
  g_clear_pointer (&draft->description, g_free);
  g_clear_pointer (&draft->reminder, g_free);
  g_clear_pointer (&draft->channel, g_free);
  g_clear_pointer (&draft->context, g_free);
  g_clear_pointer (&draft->namespace_, g_free);
  g_clear_pointer (&draft->severities, g_ptr_array_unref);
  g_clear_pointer (&draft->contacts, g_ptr_array_unref);
  g_clear_pointer (&draft->escalation, g_ptr_array_unref);
  g_clear_pointer (&draft->checklist, g_ptr_array_unref);
  g_clear_pointer (&draft->links, g_ptr_array_unref);
  g_clear_pointer (&draft->services, g_ptr_array_unref);
  g_clear_pointer (&draft->actions, g_ptr_array_unref);
  g_clear_pointer (&draft->templates, g_ptr_array_unref);
  g_clear_pointer (&draft->notes, g_ptr_array_unref);
  g_clear_pointer (&draft->summary, g_ptr_array_unref);
  g_clear_pointer (&draft->lines, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportDraft, draft_clear)

static void
draft_init (ImportDraft *draft,
            const char  *file)
{
  memset (draft, 0, sizeof *draft);
  draft->file = file;
  draft->severities = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_severity_free);
  draft->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_contact_free);
  draft->escalation = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_path_free);
  draft->checklist = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_phase_free);
  draft->links = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_link_free);
  draft->services = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_service_free);
  draft->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_action_free);
  draft->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_template_free);
  draft->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) note_free);
  draft->summary = g_ptr_array_new_with_free_func (g_free);
  draft->update_low = draft->update_high = -1;
}

/* How much of the document speaks of incidents: headings and the first paragraphs. */
static guint
incident_signals (ImportDraft *draft)
{
  guint signals = 0;
  ImportSection *intro = draft->doc->sections->pdata[0];

  /* The lines before the first heading, or under the title, say what the document is for. */
  for (guint i = 0; i < MIN (draft->doc->sections->len, 2); i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      if (section->level > 1)
        break;
      intro = section;
      for (guint j = 0; j < MIN (intro->blocks->len, 3); j++)
        {
          ImportBlock *block = intro->blocks->pdata[j];

          if (block->kind == IMPORT_BLOCK_PARAGRAPH
              && import_has_any_word (block->text, import_incident_words))
            {
              signals++;
              break;
            }
        }
    }

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      if (import_has_any_word (section->title, import_incident_words))
        signals++;
    }
  return signals;
}

/* The document's name: its title without the generic words, or the product it names. */
static void
map_title (ImportDraft *draft)
{
  static const char *const generic[] = {
    "incident", "incidents", "response", "runbook", "run", "book", "playbook", "plan",
    "guide", "management", "process", "procedures", "on-call", "oncall", "handbook", "for",
    "the", "and", "of", "&", "—", "-", "–", ":", NULL
  };
  ImportSection *title = NULL;
  const char *front_title = g_hash_table_lookup (draft->doc->front, "title");
  g_autoptr(GString) name = g_string_new (NULL);

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      if (section->level == 1)
        {
          title = section;
          break;
        }
    }

  if (title != NULL)
    {
      g_auto(GStrv) words = g_strsplit (title->title, " ", -1);

      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0' && !g_strv_contains (generic, words[i])
            && !import_has_any_word (words[i], generic))
          g_string_append_printf (name, "%s%s", name->len ? " " : "", words[i]);
      /* The paragraph under the title usually says what it is for. */
      for (guint i = 0; i < title->blocks->len; i++)
        {
          ImportBlock *block = title->blocks->pdata[i];

          if (block->kind == IMPORT_BLOCK_PARAGRAPH && block->lead == NULL)
            {
              draft->description = g_strdelimit (g_strdup (block->text), "\n", ' ');
              break;
            }
        }
    }
  if (draft->description == NULL && g_hash_table_lookup (draft->doc->front, "description"))
    draft->description = g_strdup (g_hash_table_lookup (draft->doc->front, "description"));

  if (name->len == 0 && draft->description != NULL)
    {
      /* "… production incidents in CareCircle." */
      g_autoptr(GRegex) regex = g_regex_new ("\\b(?:in|for|at|of)\\s+([A-Z][\\w.-]*[\\w])\\W*$",
                                             0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (regex, draft->description, 0, &match))
        {
          g_autofree char *found = g_match_info_fetch (match, 1);

          g_string_assign (name, found);
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, title ? title->line : 1,
                       _("the title names no team or product: the runbook is named “%s” after "
                         "the sentence below it"), found);
        }
    }
  if (name->len == 0 && front_title != NULL)
    g_string_assign (name, front_title);
  if (name->len == 0 && title != NULL)
    g_string_assign (name, title->title);
  if (name->len == 0)
    {
      g_autofree char *base = g_path_get_basename (draft->file);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      g_string_assign (name, base);
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, 1,
                   _("the document has no title: the runbook is named after the file, “%s”"),
                   base);
    }
  draft->name = g_string_free (g_steal_pointer (&name), FALSE);

  /* "**Remember:** Stay calm, …" */
  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          if (block->lead != NULL && block->rest != NULL && block->rest[0] != '\0'
              && (g_str_has_prefix (block->lead, "Remember")
                  || g_str_has_prefix (block->lead, "Reminder")))
            {
              g_free (draft->reminder);
              draft->reminder = g_strdelimit (g_strdup (block->rest), "\n", ' ');
            }
        }
    }
}

/* No severity table or list: one severity so the runbook loads, which the team replaces. */
static void
add_assumed_severity (ImportDraft *draft)
{
  DraftSeverity *severity = g_new0 (DraftSeverity, 1);
  guint line = 1;

  severity->id = g_strdup ("SEV-1");
  severity->label = g_strdup ("Critical");
  severity->description = g_strdup (_("Assumed by sitrep import: the document defines no severity "
                                      "levels"));
  severity->target = 15 * 60;
  severity->update_every = draft->update_low > 0 ? draft->update_low : 0;
  g_ptr_array_add (draft->severities, severity);
  /* Point at where the document mentions severities, if it does. */
  for (guint i = 0; i < draft->doc->sections->len && line == 1; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          for (guint k = 0; k < block->links->len; k++)
            {
              ImportLink *link = block->links->pdata[k];

              if (strstr (link->url, "sever") != NULL || strstr (link->text, "severity") != NULL)
                {
                  line = link->line;
                  break;
                }
            }
        }
    }
  import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line,
               _("the document defines no severity levels (they may be in another document): "
                 "one severity, SEV-1 Critical with a 15 min target, was assumed; write the "
                 "team's own"));
  g_ptr_array_add (draft->summary, g_strdup (_("Severities: none in the document; SEV-1 "
                                               "Critical (15 min) assumed")));
}

/* What no pass took: HTML, indented blocks, tables and text blocks, each said once. */
static void
report_leftovers (ImportDraft *draft)
{
  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          switch (block->kind)
            {
            case IMPORT_BLOCK_HTML:
              if (g_str_has_prefix (block->text, "<!--"))
                break;
              import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, block->line,
                           strstr (block->text, "<table") != NULL
                             ? _("an HTML table was not read: write it as a Markdown table")
                             : _("HTML was not read"));
              break;
            case IMPORT_BLOCK_INDENTED:
              import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, block->line,
                           _("an indented block (an admonition, or code without a fence) was not "
                             "read"));
              break;
            case IMPORT_BLOCK_TABLE:
              if (section->role != IMPORT_ROLE_SEVERITIES && section->role != IMPORT_ROLE_CONTACTS)
                {
                  g_autofree char *columns = g_strjoinv (", ", block->rows->pdata[0]);

                  import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, block->line,
                               _("a table (%s) was not mapped"), columns);
                }
              break;
            case IMPORT_BLOCK_CODE:
              if (section->role == IMPORT_ROLE_NONE || section->role == IMPORT_ROLE_CHECKLIST)
                import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, block->line,
                             _("a %s block was not mapped: it is no command, template or "
                               "escalation path"),
                             block->info && block->info[0] ? block->info : _("text"));
              break;
            case IMPORT_BLOCK_PARAGRAPH:
            case IMPORT_BLOCK_LIST:
            default:
              break;
            }
        }
    }
}

/* The document mapped into @draft and written as JSON; %NULL when it is no runbook. With
 * @check_parts each part is put to the loader before it is kept (sitrep-import-check.c). */
static char *
draft_document (ImportDraft *draft,
                const char  *data,
                gsize        length,
                const char  *display_name,
                gboolean     check_parts,
                GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *repaired = NULL;

  draft_init (draft, display_name);
  draft->check_parts = check_parts;
  text = decode_text (data, length, draft);
  repaired = repair_double_encoding (text, draft);
  draft->doc = import_doc_parse (repaired, strlen (repaired));
  draft->lines = g_strsplit (repaired, "\n", -1);
  /* CommonMark ends a line at \r\n too: the columns count in the line without it. */
  for (guint i = 0; draft->lines[i] != NULL; i++)
    if (g_str_has_suffix (draft->lines[i], "\r"))
      draft->lines[i][strlen (draft->lines[i]) - 1] = '\0';

  map_title (draft);
  import_map_severities (draft);
  import_map_contacts (draft);
  import_map_escalation (draft);
  import_map_links (draft);
  import_map_templates (draft);

  /* A runbook defines severities; without them it must at least be about incidents. */
  if (draft->severities->len == 0
      && (incident_signals (draft) < 2
          || (draft->escalation->len == 0 && draft->templates->len == 0
              && draft->contacts->len == 0 && incident_signals (draft) < 3)))
    {
      g_set_error (error, SITREP_IMPORT_ERROR, SITREP_IMPORT_ERROR_NOT_A_RUNBOOK,
                   _("%s is not an incident runbook: it defines no severity levels (a table or "
                     "list of SEV-1, P1 or Critical with response times) and its headings speak "
                     "of no incident, escalation, on-call or post-mortem. Give the Markdown file "
                     "of your incident runbook."),
                   display_name);
      return NULL;
    }

  if (draft->severities->len == 0)
    add_assumed_severity (draft);
  import_map_services (draft);
  import_map_checklist (draft);
  report_leftovers (draft);
  return import_draft_to_json (draft);
}

/**
 * sitrep_import_markdown:
 * @data: the Markdown document
 * @length: its length in bytes
 * @display_name: the name used in messages (the file as the user gave it)
 *
 * Maps a Markdown runbook to a Sitrep runbook. Returns %NULL with
 * %SITREP_IMPORT_ERROR_NOT_A_RUNBOOK when the document is no incident runbook at all.
 */
SitrepImport *
sitrep_import_markdown (const char *data,
                        gsize       length,
                        const char *display_name,
                        GError    **error)
{
  g_auto(ImportDraft) draft = { 0 };
  g_autofree char *json = NULL;
  SitrepImport *self;

  if (length > SITREP_IMPORT_MAX_SIZE)
    {
      /* A plain %lu: a format macro inside _() would make the msgid differ per platform. */
      g_set_error (error, SITREP_IMPORT_ERROR, SITREP_IMPORT_ERROR_TOO_LARGE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is %lu byte: a runbook is a few dozen kilobytes, and the "
                                "importer reads at most %d. Is it the right file?",
                                "%s is %lu bytes: a runbook is a few dozen kilobytes, and the "
                                "importer reads at most %d. Is it the right file?",
                                (gulong) length),
                   display_name, (gulong) length, SITREP_IMPORT_MAX_SIZE);
      return NULL;
    }

  /* Putting each part to the loader as it is drafted costs a load of the runbook per part: only
   * when the draft as a whole does not pass is the document drafted again that way, keeping
   * what the loader takes and reporting the rest. */
  json = draft_document (&draft, data, length, display_name, FALSE, error);
  if (json == NULL)
    return NULL;
  if (!import_loader_takes (json, display_name, NULL, NULL))
    {
      draft_clear (&draft);
      g_clear_pointer (&json, g_free);
      json = draft_document (&draft, data, length, display_name, TRUE, error);
      if (json == NULL)
        return NULL;
      if (!import_check_with_loader (&draft, json, display_name, error))
        return NULL;
    }

  self = g_new0 (SitrepImport, 1);
  self->file = g_strdup (display_name);
  self->json = g_steal_pointer (&json);
  self->notes = g_steal_pointer (&draft.notes);
  self->summary = g_steal_pointer (&draft.summary);
  return self;
}

const char *
sitrep_import_get_json (SitrepImport *self)
{
  return self->json;
}

GPtrArray *
sitrep_import_get_notes (SitrepImport *self)
{
  return self->notes;
}

GPtrArray *
sitrep_import_get_summary (SitrepImport *self)
{
  return self->summary;
}

static int
compare_notes (gconstpointer a,
               gconstpointer b)
{
  const SitrepImportNote *x = *(SitrepImportNote *const *) a;
  const SitrepImportNote *y = *(SitrepImportNote *const *) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

/* The commands the runbook would offer ("Label\targv"), once sitrep_import_file_async () listed
 * them; NULL before. */
GPtrArray *
sitrep_import_get_commands (SitrepImport *self)
{
  return self->commands;
}

void
sitrep_import_set_commands (SitrepImport *self,
                            GPtrArray    *commands)
{
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  self->commands = commands;
}

/* The notes in line order, in a new array that frees none of them. */
GPtrArray *
sitrep_import_sorted_notes (SitrepImport *self)
{
  GPtrArray *notes = g_ptr_array_new_full (self->notes->len, NULL);

  g_ptr_array_extend (notes, self->notes, NULL, NULL);
  g_ptr_array_sort (notes, compare_notes);
  return notes;
}

/* "FILE.md:LINE[:COLUMN]: kind: what", as the user finds it in the document. */
char *
sitrep_import_format_note (SitrepImport           *self,
                           const SitrepImportNote *note)
{
  const char *kind = note->kind == SITREP_IMPORT_NOTE_GUESS ? _("guess")
                     : note->kind == SITREP_IMPORT_NOTE_REPAIRED ? _("repaired")
                     : _("not mapped");

  if (note->column > 0)
    return g_strdup_printf ("%s:%u:%u: %s: %s", self->file, note->line, note->column, kind,
                            note->message);
  return g_strdup_printf ("%s:%u: %s: %s", self->file, MAX (note->line, 1), kind, note->message);
}

/* What was mapped, then one FILE:LINE: line per guess and per thing left out, in line order. */
char *
sitrep_import_format_report (SitrepImport *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) notes = sitrep_import_sorted_notes (self);

  g_string_append_printf (out, _("Mapped from %s:\n"), self->file);
  for (guint i = 0; i < self->summary->len; i++)
    g_string_append_printf (out, "  %s\n", (char *) self->summary->pdata[i]);
  if (self->summary->len == 0)
    g_string_append (out, _("  nothing\n"));

  for (guint i = 0; i < notes->len; i++)
    {
      g_autofree char *line = sitrep_import_format_note (self, notes->pdata[i]);

      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
sitrep_import_free (SitrepImport *self)
{
  g_free (self->file);
  g_free (self->json);
  g_ptr_array_unref (self->notes);
  g_ptr_array_unref (self->summary);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_free (self);
}
