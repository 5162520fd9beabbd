/* sitrep-import-templates.c: message and post-mortem templates, with [Brackets] as placeholders */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

void
draft_template_free (DraftTemplate *t)
{
  g_free (t->id);
  g_free (t->kind);
  g_free (t->title);
  g_free (t->body);
  g_free (t);
}

DraftTemplate *
import_find_template (ImportDraft *draft,
                      const char  *kind)
{
  for (guint i = 0; i < draft->templates->len; i++)
    if (g_str_equal (((DraftTemplate *) draft->templates->pdata[i])->kind, kind))
      return draft->templates->pdata[i];
  return NULL;
}

typedef struct
{
  const char *words;
  const char *placeholder;
} Rule;

/* What a label ("Root cause:", "## Lessons Learned") stands for. The first match wins. */
static const Rule label_rules[] = {
  { "eta", "eta" },
  { "expected resolution", "eta" },
  { "next update", "next_update" },
  { "root cause", "root_cause" },
  { "cause", "root_cause" },
  { "severity", "severity" },
  { "summary", "summary" },
  { "impact", "impact" },
  { "status", "status" },
  { "incident lead", "lead" },
  { "lead", "lead" },
  { "commander", "lead" },
  { "follow-up", "follow_up" },
  { "follow up", "follow_up" },
  { "next steps", "follow_up" },
  { "fix", "fix" },
  { "resolution", "resolution" },
  { "timeline", "timeline" },
  { "action items", "action_items" },
  { "lessons", "lessons" },
  { "title", "title" },
  { "date", "date" },
  { "start", "start_time" },
  { "end", "end_time" },
  { "duration", "duration" },
  { "service", "service" },
  { "channel", "channel" },
};

/* What the words in brackets stand for, when the label says nothing. */
static const Rule bracket_rules[] = {
  { "service", "service" },
  { "feature", "service" },
  { "root cause", "root_cause" },
  { "cause", "root_cause" },
  { "action", "action" },
  { "start", "start_time" },
  { "end", "end_time" },
  { "duration", "duration" },
  { "title", "title" },
  { "date", "date" },
  { "eta", "eta" },
  { "resolution time", "eta" },
  { "affected", "impact" },
  { "impact", "impact" },
  { "channel", "channel" },
  { "summary", "summary" },
  { "description", "summary" },
  { "lesson", "lessons" },
  { "event", "timeline" },
  { "name", "lead" },
};

static const char *
apply_rules (const Rule *rules,
             gsize       n,
             const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    return NULL;
  lower = g_utf8_strdown (text, -1);
  for (gsize i = 0; i < n; i++)
    if (import_has_word (lower, rules[i].words))
      return rules[i].placeholder;
  return NULL;
}

static const char *const status_words[] = {
  "investigating", "identified", "monitoring", "resolved", "mitigated", "mitigating", NULL
};

/* One line of a message: its [brackets] and known values become placeholders. */
static char *
map_line (ImportDraft *draft,
          const char  *line,
          guint        line_number,
          gboolean    *mapped_any)
{
  g_autofree char *escaped = import_json_escape_braces (line);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *colon = strstr (escaped, ": ");
  g_autofree char *label = NULL;
  const char *by_label = NULL;
  guint brackets = 0;

  if (colon != NULL && colon - escaped < 40)
    {
      g_autofree char *raw = g_strndup (escaped, colon - escaped);

      label = import_strip_markers (raw);
      by_label = apply_rules (label_rules, G_N_ELEMENTS (label_rules), label);
    }
  for (const char *p = escaped; *p != '\0'; p++)
    if (*p == '[' && p[1] != ' ' && p[1] != ']' && p[1] != 'x' && strchr (p, ']') != NULL)
      brackets++;

  if (by_label != NULL && colon != NULL)
    {
      const char *value = colon + 2;
      g_autofree char *trimmed = g_strstrip (g_strdup (value));
      gsize len = strlen (trimmed);
      char last = len > 0 ? trimmed[len - 1] : '\0';
      gint64 seconds;
      gboolean whole = FALSE;

      if (brackets == 1 && trimmed[0] == '[' && strchr (trimmed, ']') >= trimmed + len - 2)
        whole = TRUE;
      else if (g_str_equal (by_label, "next_update") && (brackets > 0 || import_parse_duration (trimmed, &seconds, NULL)))
        whole = TRUE;
      else if (g_str_equal (by_label, "severity") && (strstr (trimmed, "SEV-") || trimmed[0] == 'P'))
        whole = TRUE;
      else if (g_str_equal (by_label, "lead") && trimmed[0] == '@')
        whole = TRUE;
      else if (g_str_equal (by_label, "status") && import_has_any_word (trimmed, status_words)
               && strchr (trimmed, ' ') == NULL)
        whole = TRUE;
      else if (brackets == 1 && g_str_equal (by_label, "status"))
        whole = TRUE;

      if (whole)
        {
          g_string_append_len (out, escaped, value - escaped);
          g_string_append_printf (out, "{%s}", by_label);
          if (last == '.' && brackets <= 1)
            g_string_append_c (out, '.');
          *mapped_any = TRUE;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
    }

  for (const char *p = escaped; *p != '\0';)
    {
      const char *close = *p == '[' ? strchr (p, ']') : NULL;

      if (close != NULL && close > p + 1 && p[1] != ' ' && !(close == p + 2 && p[1] == 'x'))
        {
          g_autofree char *inside = g_strndup (p + 1, close - p - 1);
          const char *placeholder = brackets == 1 && by_label != NULL && colon < p
                                      ? by_label
                                      : apply_rules (bracket_rules, G_N_ELEMENTS (bracket_rules),
                                                     inside);

          if (placeholder != NULL)
            {
              g_string_append_printf (out, "{%s}", placeholder);
              *mapped_any = TRUE;
            }
          else
            {
              g_string_append_len (out, p, close - p + 1);
              import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line_number,
                           _("“[%s]” in a template matches no placeholder: it stays as text"),
                           inside);
            }
          p = close + 1;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_placeholder_line (const char *line)
{
  const char *open = strchr (line, '[');

  while (open != NULL && open[1] == ' ')
    open = strchr (open + 1, '[');
  return (open != NULL && strchr (open, ']') != NULL) || strstr (line, "HH:MM") != NULL;
}

/* A template's body: line by line, and under a heading that names a placeholder ("## Timeline")
 * lines that are only examples ("- HH:MM - [Event]") become that placeholder. */
static char *
map_body (ImportDraft *draft,
          const char  *literal,
          guint        first_line,
          gboolean    *mapped_any)
{
  g_autoptr(ImportDoc) inner = import_doc_parse (literal, strlen (literal));
  g_auto(GStrv) lines = g_strsplit (literal, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = g_strv_length (lines);

  for (guint i = 0; i < n; i++)
    {
      ImportSection *heading = NULL;
      const char *placeholder;

      for (guint s = 1; s < inner->sections->len; s++)
        if (((ImportSection *) inner->sections->pdata[s])->line == i + 1)
          heading = inner->sections->pdata[s];

      placeholder = heading != NULL && strchr (heading->title, '[') == NULL
                      ? apply_rules (label_rules, G_N_ELEMENTS (label_rules), heading->title)
                      : NULL;
      if (placeholder != NULL)
        {
          guint j = i + 1;
          gboolean only = TRUE;
          guint content = 0;

          while (j < n && !g_str_has_prefix (lines[j], "#"))
            {
              if (lines[j][0] != '\0')
                {
                  only &= is_placeholder_line (lines[j]);
                  content++;
                }
              j++;
            }
          {
            g_autofree char *escaped = import_json_escape_braces (lines[i]);

            g_string_append_printf (out, "%s\n", escaped);
          }
          if (only && content > 0)
            {
              g_string_append_printf (out, "{%s}\n", placeholder);
              *mapped_any = TRUE;
              /* Keep the blank line before the next heading. */
              if (j < n && j > i + 1 && lines[j - 1][0] == '\0')
                g_string_append_c (out, '\n');
              i = j - 1;
            }
          continue;
        }
      if (i == n - 1 && lines[i][0] == '\0')
        break;
      {
        g_autofree char *mapped = map_line (draft, lines[i], first_line + i, mapped_any);

        g_string_append_printf (out, "%s\n", mapped);
      }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
template_kind (const char *title)
{
  static const Rule kinds[] = {
    { "post-mortem", "postmortem" },
    { "postmortem", "postmortem" },
    { "post mortem", "postmortem" },
    { "retrospective", "postmortem" },
    { "resolution", "resolution" },
    { "resolved", "resolution" },
    { "closure", "resolution" },
    { "status", "status" },
    { "update", "update" },
    { "ongoing", "update" },
    { "progress", "update" },
    { "notification", "notification" },
    { "initial", "notification" },
    { "stakeholder", "notification" },
    { "communication", "notification" },
    { "announcement", "notification" },
    { "message", "notification" },
  };

  return apply_rules (kinds, G_N_ELEMENTS (kinds), title);
}

static void
add_template (ImportDraft *draft,
              const char  *title_text,
              ImportBlock *block)
{
  g_autofree char *stripped = NULL;
  g_autofree char *title = NULL;
  g_autofree char *base = NULL;
  g_autofree char *refused = NULL;
  const char *kind = template_kind (title_text);
  DraftTemplate *t;
  gboolean mapped = FALSE;
  char *at;

  if (kind == NULL || block->literal == NULL || block->literal[0] == '\0')
    return;
  stripped = g_strdup (title_text);
  if ((at = strstr (stripped, " Template")) != NULL || (at = strstr (stripped, " template")) != NULL)
    *at = '\0';
  g_strstrip (g_strdelimit (stripped, ":", ' '));
  title = import_sentence_case (stripped);

  t = g_new0 (DraftTemplate, 1);
  t->kind = g_strdup (kind);
  t->title = g_steal_pointer (&title);
  t->line = block->line;
  base = g_str_equal (kind, "postmortem") ? g_strdup ("postmortem") : import_slug (t->title, 0);
  t->id = import_unique_id (draft->templates, G_STRUCT_OFFSET (DraftTemplate, id), base);
  t->body = map_body (draft, block->literal, block->line + 1, &mapped);
  refused = import_check_template (draft, t);
  if (refused != NULL)
    {
      import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, block->line,
                      import_column (draft, block->line, NULL),
                      _("template “%s” was not mapped: %s. Write its blanks as [Brackets]"),
                      t->title, refused);
      draft_template_free (t);
      return;
    }
  if (!mapped)
    import_note (draft, SITREP_IMPORT_NOTE_GUESS, block->line,
                 _("template “%s” has no [brackets] to fill: it was kept word for word"), t->title);
  g_ptr_array_add (draft->templates, t);
}

void
import_map_templates (ImportDraft *draft)
{
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);
  static const char *const words[] = { "template", "templates", "communication", "communications",
                                       "messages", "message", NULL };

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];
      gboolean in_templates = FALSE;

      for (ImportSection *s = section; s != NULL && !in_templates; s = s->parent)
        in_templates = import_has_any_word (s->title, words);

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];
          ImportBlock *before = j > 0 ? section->blocks->pdata[j - 1] : NULL;

          if (block->kind != IMPORT_BLOCK_CODE)
            continue;
          if (before != NULL && before->kind == IMPORT_BLOCK_PARAGRAPH && before->lead != NULL
              && import_has_word (before->lead, "template"))
            add_template (draft, before->lead, block);
          else if (in_templates && section->level > 0
                   && (block->info == NULL || block->info[0] == '\0'
                       || g_str_equal (block->info, "markdown") || g_str_equal (block->info, "md")
                       || g_str_equal (block->info, "text")))
            {
              add_template (draft, section->title, block);
              if (section->role == IMPORT_ROLE_NONE)
                section->role = IMPORT_ROLE_TEMPLATE;
            }
        }
    }
  for (guint i = 0; i < draft->templates->len; i++)
    {
      DraftTemplate *t = draft->templates->pdata[i];

      /* TRANSLATORS: a template: its title, then its kind ("Resolution (resolution)") */
      g_ptr_array_add (summary, g_strdup_printf (_("%s (%s)"), t->title, t->kind));
    }
  if (draft->templates->len > 0)
    {
      g_autofree char *list = import_join (summary, ", ");

      /* TRANSLATORS: %s is a list of templates */
      g_ptr_array_add (draft->summary, g_strdup_printf (_("Templates: %s"), list));
    }
  if (import_find_template (draft, "postmortem") != NULL)
    g_ptr_array_add (draft->summary,
                     g_strdup_printf (_("Post-mortem template: %s"),
                                      import_find_template (draft, "postmortem")->title));
}
