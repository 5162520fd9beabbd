/* sitrep-import-map.c: severities read from a runbook's tables and lists, and the ids drafts share
 *
 * Contacts and escalation paths are in sitrep-import-escalation.c.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

void
draft_severity_free (DraftSeverity *s)
{
  g_free (s->id);
  g_free (s->label);
  g_free (s->description);
  g_clear_pointer (&s->examples, g_ptr_array_unref);
  g_free (s);
}

/* A new id from @base that no entry of @list has yet (the char* at @offset of each entry),
 * @base itself or @base with a number after @separator. */
static char *
unique_in (GPtrArray  *list,
           gsize       offset,
           const char *base,
           const char *separator,
           const char *fallback)
{
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);

  if (base == NULL || base[0] == '\0')
    base = fallback;
  for (guint i = 0; i < list->len; i++)
    {
      const char *id = offset == IMPORT_ID_IS_ENTRY ? list->pdata[i]
                                                    : G_STRUCT_MEMBER (char *, list->pdata[i], offset);

      if (id != NULL)
        g_hash_table_add (taken, (gpointer) id);
    }
  if (!g_hash_table_contains (taken, base))
    return g_strdup (base);
  for (guint n = 2;; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s%s%u", base, separator, n);

      if (!g_hash_table_contains (taken, candidate))
        return g_steal_pointer (&candidate);
    }
}

/**
 * import_unique_id:
 * @list: the entries of one list of the runbook (actions, services, links…)
 * @id_offset: where each entry keeps its id, or %IMPORT_ID_IS_ENTRY for a list of ids
 * @base: the id the entry would like, or %NULL
 *
 * Every id the importer makes goes through here, so that no two entries of a list share one,
 * whatever the document repeats: "restart", then "restart-2".
 */
char *
import_unique_id (GPtrArray  *list,
                  gsize       id_offset,
                  const char *base)
{
  return unique_in (list, id_offset, base, "-", "item");
}

/* The same for an action's input names, which are [a-z][a-z0-9_]*: "replicas", "replicas_2". */
char *
import_unique_name (GPtrArray  *list,
                    gsize       name_offset,
                    const char *base)
{
  return unique_in (list, name_offset, base, "_", "value");
}

/* The column of @header whose name holds one of @names (other than @not_this), or -1. */
int
import_find_column (GStrv              header,
                    const char *const *names,
                    int                not_this)
{
  for (int c = 0; header[c] != NULL; c++)
    {
      g_autofree char *lower = g_utf8_strdown (header[c], -1);

      if (c == not_this)
        continue;
      for (guint k = 0; names[k] != NULL; k++)
        if (strstr (lower, names[k]) != NULL)
          return c;
    }
  return -1;
}

static const char *const severity_words[] = {
  "critical", "major", "high", "medium", "moderate", "minor", "low", "informational", NULL
};
static const char *const default_labels[] = { "Critical", "Major", "Minor", "Low", "Informational" };
static const gint64 default_targets[] = { 15 * 60, 30 * 60, 2 * 3600, 24 * 3600, 72 * 3600 };

/* "Critical - Service down" → label "Critical", description "Service down". */
static void
split_label (const char *text,
             char      **label,
             char      **description)
{
  static const char *const seps[] = { " - ", " – ", " — ", ": ", NULL };

  for (guint i = 0; seps[i] != NULL; i++)
    {
      const char *at = strstr (text, seps[i]);

      if (at != NULL && at > text)
        {
          g_autofree char *head = g_strstrip (g_strndup (text, at - text));

          if (import_has_any_word (head, severity_words) && strchr (head, ' ') == NULL)
            {
              *label = g_steal_pointer (&head);
              *description = g_strstrip (g_strdup (at + strlen (seps[i])));
              return;
            }
        }
    }
  *label = NULL;
  *description = g_strstrip (g_strdup (text));
}

static DraftSeverity *
severity_new (ImportDraft *draft,
              const char  *id,
              guint        line)
{
  DraftSeverity *severity;

  for (guint i = 0; i < draft->severities->len; i++)
    if (g_strcmp0 (((DraftSeverity *) draft->severities->pdata[i])->id, id) == 0)
      return NULL;
  severity = g_new0 (DraftSeverity, 1);
  severity->id = g_strdup (id);
  severity->target = -1;
  severity->update_every = -1;
  severity->line = line;
  g_ptr_array_add (draft->severities, severity);
  return severity;
}

/* A severity id or word at the start of a cell, heading or list item. */
static char *
severity_key (const char *text)
{
  g_autofree char *clean = import_strip_markers (text);
  char *id = NULL;

  if (import_severity_id (clean, &id))
    {
      /* The id must lead: "SEV-1 (Critical)", not "… becomes a SEV-2". */
      g_autofree char *lower = g_ascii_strdown (clean, -1);
      g_autofree char *idl = g_ascii_strdown (id, -1);
      const char *digits = idl + strcspn (idl, "0123456789");
      const char *at = strstr (lower, digits);

      if (at != NULL && at - lower <= 10)
        return id;
      g_free (id);
      return NULL;
    }
  for (guint i = 0; severity_words[i] != NULL; i++)
    if (g_ascii_strncasecmp (clean, severity_words[i], strlen (severity_words[i])) == 0
        && !g_ascii_isalnum (clean[strlen (severity_words[i])]))
      return import_capitalize (severity_words[i]);
  return NULL;
}

static gboolean
map_severity_table (ImportDraft *draft,
                    ImportBlock *block)
{
  static const char *const id_names[] = { "severity", "level", "sev", "priority", "class", NULL };
  static const char *const label_names[] = { "name", "label", "title", NULL };
  static const char *const desc_names[] = {
    "description", "impact", "definition", "meaning", "criteria", "summary", NULL
  };
  static const char *const target_names[] = {
    "response", "target", "sla", "acknowledge", "ack", NULL
  };
  static const char *const update_names[] = { "update", "cadence", "communication", NULL };
  static const char *const example_names[] = { "example", NULL };
  GStrv header = block->rows->pdata[0];
  int id_col = import_find_column (header, id_names, -1);
  int label_col, desc_col, target_col, update_col, example_col;
  guint hits = 0;

  if (block->rows->len < 2)
    return FALSE;
  if (id_col < 0)
    id_col = 0;
  for (guint r = 1; r < block->rows->len; r++)
    {
      GStrv row = block->rows->pdata[r];
      g_autofree char *key = g_strv_length (row) > (guint) id_col ? severity_key (row[id_col]) : NULL;

      hits += key != NULL;
    }
  if (hits * 2 < block->rows->len - 1 || hits == 0)
    return FALSE;

  label_col = import_find_column (header, label_names, id_col);
  desc_col = import_find_column (header, desc_names, id_col);
  target_col = import_find_column (header, target_names, id_col);
  update_col = import_find_column (header, update_names, id_col);
  example_col = import_find_column (header, example_names, id_col);

  for (guint r = 1; r < block->rows->len; r++)
    {
      GStrv row = block->rows->pdata[r];
      guint line = g_array_index (block->row_lines, guint, r);
      guint n = g_strv_length (row);
      g_autofree char *key = n > (guint) id_col ? severity_key (row[id_col]) : NULL;
      DraftSeverity *severity;

      if (key == NULL || (severity = severity_new (draft, key, line)) == NULL)
        continue;
      /* "P0 - Critical" in the id cell itself. */
      {
        g_autofree char *cell = import_strip_markers (row[id_col]);
        g_autofree char *label = NULL;
        g_autofree char *rest = NULL;

        split_label (cell + strcspn (cell, " -–:") , &label, &rest);
        if (rest != NULL && rest[0] != '\0' && !g_str_equal (rest, cell))
          {
            g_autofree char *stripped = import_strip_markers (rest);
            g_autofree char *other = stripped[0] != '\0' ? severity_key (stripped) : NULL;

            /* "SEV-1 Critical" labels it; "SEV-1 - SEV-2 Critical" names another one. */
            if (stripped[0] != '\0' && other == NULL
                && import_has_any_word (stripped, severity_words))
              severity->label = g_steal_pointer (&stripped);
          }
      }
      if (label_col >= 0 && (guint) label_col < n && row[label_col][0] != '\0')
        {
          g_free (severity->label);
          severity->label = import_strip_markers (row[label_col]);
        }
      if (desc_col >= 0 && (guint) desc_col < n)
        {
          g_autofree char *label = NULL;

          split_label (row[desc_col], &label, &severity->description);
          if (severity->label == NULL)
            severity->label = g_steal_pointer (&label);
          g_strdelimit (severity->description, "\n", ' ');
        }
      if (target_col >= 0 && (guint) target_col < n)
        {
          gint64 seconds;

          if (import_parse_duration (row[target_col], &seconds, NULL))
            severity->target = seconds;
          if (seconds == 0 || (severity->target > 0 && strstr (row[target_col], "day") != NULL
                               && !g_ascii_isdigit (row[target_col][0])))
            import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                         _("%s: “%s” read as a response target of %s"), severity->id,
                         row[target_col],
                         seconds == 0 ? "0 min" : "24 h");
        }
      if (update_col >= 0 && update_col != target_col && (guint) update_col < n)
        {
          gint64 seconds;

          if (import_parse_duration (row[update_col], &seconds, NULL) && seconds > 0)
            severity->update_every = seconds;
        }
      if (example_col >= 0 && (guint) example_col < n)
        severity->examples = import_split_list (row[example_col]);
    }
  return TRUE;
}

/* "- **SEV1 (Critical)**: Complete outage" or "### P0 - Critical (Immediate Response)" with
 * "**Response Time:** 15 minutes" under it. */
static void
map_severity_entry (ImportDraft   *draft,
                    const char    *text,
                    guint          line,
                    ImportSection *section,
                    ImportItem    *item)
{
  g_autofree char *key = severity_key (text);
  g_autofree char *clean = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *outside = NULL;
  DraftSeverity *severity;
  const char *colon;
  gint64 seconds;

  if (key == NULL || (severity = severity_new (draft, key, line)) == NULL)
    return;
  clean = import_strip_markers (text);
  outside = import_strip_parens (clean, &inside);
  colon = strchr (outside, ':');
  if (inside != NULL && import_has_any_word (inside, severity_words))
    severity->label = import_capitalize (inside);
  else if (inside != NULL && import_parse_duration (inside, &seconds, NULL))
    severity->target = seconds;
  {
    /* What follows the id: "- Critical", ": Service down". */
    const char *after = outside + strcspn (outside, " -–:");
    g_autofree char *label = NULL;
    g_autofree char *desc = NULL;

    while (*after == ' ' || *after == '-' || *after == ':' || g_str_has_prefix (after, "–"))
      after += *after == ' ' || *after == '-' || *after == ':' ? 1 : strlen ("–");
    split_label (after, &label, &desc);
    if (label == NULL && import_has_any_word (desc, severity_words) && strchr (desc, ' ') == NULL)
      label = g_steal_pointer (&desc);
    if (severity->label == NULL && label != NULL)
      severity->label = g_steal_pointer (&label);
    if (desc != NULL && desc[0] != '\0' && colon == NULL)
      severity->description = g_steal_pointer (&desc);
  }
  if (colon != NULL && colon[1] != '\0')
    severity->description = g_strstrip (g_strdup (colon + 1));
  if (severity->target < 0 && import_parse_duration (text, &seconds, NULL))
    severity->target = seconds;

  /* The details under a heading, or under a list item. */
  if (section != NULL)
    for (guint i = 0; i < section->blocks->len; i++)
      {
        ImportBlock *block = section->blocks->pdata[i];
        g_autofree char *lead = block->lead ? g_ascii_strdown (block->lead, -1) : NULL;

        if (lead == NULL && block->kind == IMPORT_BLOCK_LIST)
          {
            for (guint j = 0; j < block->items->len; j++)
              {
                ImportItem *sub = block->items->pdata[j];
                g_autofree char *low = g_ascii_strdown (sub->text, -1);

                if (g_str_has_prefix (low, "response") && import_parse_duration (sub->text, &seconds, NULL))
                  severity->target = seconds;
                else if (severity->description == NULL)
                  severity->description = g_strdup (sub->text);
                else if (j > 0)
                  {
                    if (severity->examples == NULL)
                      severity->examples = g_ptr_array_new_with_free_func (g_free);
                    if (!g_str_has_prefix (low, "response"))
                      g_ptr_array_add (severity->examples, g_strdup (sub->text));
                  }
              }
            continue;
          }
        if (lead == NULL)
          continue;
        if ((strstr (lead, "response") || strstr (lead, "target") || strstr (lead, "sla"))
            && import_parse_duration (block->rest, &seconds, NULL))
          severity->target = seconds;
        else if (strstr (lead, "impact") || strstr (lead, "definition") || strstr (lead, "description"))
          {
            g_free (severity->description);
            severity->description = g_strdup (block->rest);
          }
        else if (strstr (lead, "example") && i + 1 < section->blocks->len
                 && ((ImportBlock *) section->blocks->pdata[i + 1])->kind == IMPORT_BLOCK_LIST)
          {
            ImportBlock *list = section->blocks->pdata[i + 1];

            severity->examples = g_ptr_array_new_with_free_func (g_free);
            for (guint j = 0; j < list->items->len; j++)
              g_ptr_array_add (severity->examples,
                               g_strdup (((ImportItem *) list->items->pdata[j])->text));
          }
        else if (strstr (lead, "update") && import_parse_duration (block->rest, &seconds, NULL))
          severity->update_every = seconds;
      }
  if (item != NULL)
    for (guint j = 0; j < item->children->len; j++)
      {
        ImportItem *sub = item->children->pdata[j];
        g_autofree char *low = g_ascii_strdown (sub->text, -1);

        if (strstr (low, "response") && import_parse_duration (sub->text, &seconds, NULL))
          severity->target = seconds;
        else if (strstr (low, "update") && import_parse_duration (sub->text, &seconds, NULL))
          severity->update_every = seconds;
      }
}

static void
find_update_cadence (ImportDraft *draft)
{
  g_autoptr(GRegex) regex = g_regex_new ("(?i)\\bevery\\s+(\\d+\\s*(?:-|–|to)?\\s*\\d*\\s*"
                                         "(?:min|minute|hour|h|m)\\w*)", 0, 0, NULL);

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];
          g_autoptr(GString) text = g_string_new (block->text);

          for (guint k = 0; block->items != NULL && k < block->items->len; k++)
            {
              ImportItem *item = block->items->pdata[k];
              g_autoptr(GMatchInfo) match = NULL;

              if (g_regex_match (regex, item->text, 0, &match))
                {
                  g_autofree char *found = g_match_info_fetch (match, 1);

                  if (import_parse_duration (found, &draft->update_low, &draft->update_high))
                    {
                      draft->update_line = item->line;
                      return;
                    }
                }
            }
          {
            g_autoptr(GMatchInfo) match = NULL;

            if (text->len > 0 && g_regex_match (regex, text->str, 0, &match))
              {
                g_autofree char *found = g_match_info_fetch (match, 1);

                if (import_parse_duration (found, &draft->update_low, &draft->update_high))
                  {
                    draft->update_line = block->line;
                    return;
                  }
              }
          }
        }
    }
}

void
import_map_severities (ImportDraft *draft)
{
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < draft->doc->sections->len && draft->severities->len == 0; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          if (block->kind == IMPORT_BLOCK_TABLE && map_severity_table (draft, block))
            {
              section->role = IMPORT_ROLE_SEVERITIES;
              break;
            }
        }
    }

  /* Lists and headings, in sections about severities or priorities. */
  for (guint i = 0; i < draft->doc->sections->len && draft->severities->len == 0; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];
      static const char *const words[] = { "severity", "severities", "priority", "priorities",
                                           "levels", "classification", NULL };

      if (!import_has_any_word (section->title, words))
        continue;
      section->role = IMPORT_ROLE_SEVERITIES;
      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          for (guint k = 0; block->kind == IMPORT_BLOCK_LIST && k < block->items->len; k++)
            {
              ImportItem *item = block->items->pdata[k];

              map_severity_entry (draft, item->text, item->line, NULL, item);
            }
        }
      for (guint k = i + 1; k < draft->doc->sections->len; k++)
        {
          ImportSection *sub = draft->doc->sections->pdata[k];

          if (sub->level <= section->level)
            break;
          map_severity_entry (draft, sub->title, sub->line, sub, NULL);
          if (draft->severities->len > 0)
            sub->role = IMPORT_ROLE_SEVERITIES;
        }
    }

  find_update_cadence (draft);
  for (guint i = 0; i < draft->severities->len; i++)
    {
      DraftSeverity *severity = draft->severities->pdata[i];
      g_autofree char *target = NULL;

      if (severity->label == NULL)
        {
          severity->label = g_strdup (default_labels[MIN (i, G_N_ELEMENTS (default_labels) - 1)]);
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, severity->line,
                       _("%s has no name: labelled “%s” by its rank"), severity->id,
                       severity->label);
        }
      if (severity->target < 0)
        {
          severity->target = default_targets[MIN (i, G_N_ELEMENTS (default_targets) - 1)];
          target = import_human_duration (severity->target);
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, severity->line,
                       _("%s has no response time: %s assumed, set the team's own"),
                       severity->id, target);
          g_clear_pointer (&target, g_free);
        }
      else if (severity->target == 0)
        {
          /* A clock needs something to count down. */
          severity->target = 5 * 60;
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, severity->line,
                       _("%s responds at once: its response target is 5 min so the clock can "
                         "count"), severity->id);
        }
      if (severity->update_every < 0 && draft->update_low > 0)
        {
          severity->update_every = i == 0 || draft->update_high < 0 ? draft->update_low
                                                                   : draft->update_high;
        }
      target = import_human_duration (severity->target);
      /* TRANSLATORS: a severity in the import summary: "SEV-1 Critical (15 min)" */
      g_ptr_array_add (summary, g_strdup_printf (_("%s %s (%s)"), severity->id, severity->label,
                                                 target));
    }
  if (draft->update_low > 0 && draft->severities->len > 0)
    {
      g_autofree char *low = import_human_duration (draft->update_low);
      g_autofree char *high = import_human_duration (draft->update_high > 0 ? draft->update_high
                                                                              : draft->update_low);

      import_note (draft, SITREP_IMPORT_NOTE_GUESS, draft->update_line,
                   _("the update cadence names no severity: every %s for %s, every %s for the "
                     "others"), low, ((DraftSeverity *) draft->severities->pdata[0])->id, high);
    }
  if (draft->severities->len > 0)
    {
      g_autofree char *list = import_join (summary, ", ");

      /* TRANSLATORS: %s is a list of severities with their response targets */
      g_ptr_array_add (draft->summary, g_strdup_printf (_("Severities: %s"), list));
    }
}
