/* sitrep-import-checklist.c: links, and the checklist phases with their times and what items open */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"
#include "sitrep-runbook-trust.h"

void
draft_link_free (DraftLink *l)
{
  g_free (l->id);
  g_free (l->label);
  g_free (l->url);
  g_free (l->note);
  g_free (l);
}

void
draft_phase_free (DraftPhase *p)
{
  g_free (p->id);
  g_free (p->title);
  for (guint i = 0; i < p->items->len; i++)
    {
      DraftItem *item = p->items->pdata[i];

      g_free (item->id);
      g_free (item->text);
      g_free (item->opens_ref);
      g_free (item->opens_service);
      g_free (item);
    }
  g_ptr_array_unref (p->items);
  g_free (p);
}

DraftLink *
import_find_link (ImportDraft *draft,
                  const char  *id)
{
  for (guint i = 0; i < draft->links->len; i++)
    if (g_strcmp0 (((DraftLink *) draft->links->pdata[i])->id, id) == 0)
      return draft->links->pdata[i];
  return NULL;
}

/* The maximum of links taken from prose: a handbook page links to everything. */
#define MAX_LINKS 40

static DraftLink *
add_link (ImportDraft *draft,
          const char  *label,
          const char  *url,
          guint        line,
          gboolean     keyed)
{
  g_autofree char *base = NULL;
  g_autofree char *plain = NULL;
  DraftLink *link;
  char *dot;

  for (guint i = 0; url != NULL && i < draft->links->len; i++)
    {
      DraftLink *other = draft->links->pdata[i];

      /* A relative address is kept in the note: the same document twice is one link. */
      if (g_strcmp0 (other->url, url) == 0
          || (other->url == NULL && other->note != NULL && strstr (other->note, url) != NULL))
        return other;
    }
  if (draft->links->len >= MAX_LINKS)
    {
      if (draft->links->len == MAX_LINKS)
        import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line,
                     _("more than %d links: this one and those after it were left out"),
                     MAX_LINKS);
      return NULL;
    }
  link = g_new0 (DraftLink, 1);
  link->label = g_strdelimit (g_strdup (label), "\n", ' ');
  /* The console opens web addresses only: a relative path names a document somewhere else. */
  if (url != NULL && !sitrep_runbook_trust_check_link (url, NULL))
    {
      link->note = g_strdup_printf (_("The runbook says: %s. Set the web address of that document "
                                      "here."), url);
      import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line,
                   _("link “%s” points at %s, which is not a web address: set its \"url\""),
                   label, url);
    }
  else
    link->url = g_strdup (url);
  link->line = line;
  link->keyed = keyed;
  /* "BACKUP_PROCEDURES.md" → "backup-procedures". */
  /* "Deployments (GitHub Actions)" → "deployments". */
  plain = import_strip_parens (label, NULL);
  dot = strrchr (plain, '.');
  if (dot != NULL && strlen (dot) <= 5 && strchr (dot, ' ') == NULL)
    *dot = '\0';
  base = import_slug (plain, keyed || strchr (plain, '_') ? 3 : 1);
  link->id = import_unique_id (draft->links, G_STRUCT_OFFSET (DraftLink, id), base);
  g_ptr_array_add (draft->links, link);
  return link;
}

static gboolean
is_address (const char *url)
{
  return url != NULL && url[0] != '\0' && url[0] != '#' && !g_str_has_prefix (url, "mailto:")
         && !g_str_has_prefix (url, "javascript:");
}

/* "- Monitoring: [Your monitoring URL]", "- Deployments: [GitHub Actions](https://…)". */
static gboolean
map_keyed_item (ImportDraft *draft,
                ImportItem  *item,
                GPtrArray   *links)
{
  const char *colon = strchr (item->text, ':');
  g_autofree char *label = NULL;
  g_autofree char *rest = NULL;

  if (colon == NULL || colon == item->text || g_str_has_prefix (colon, "://")
      || strchr (item->text, '\n') != NULL)
    return FALSE;
  label = g_strstrip (g_strndup (item->text, colon - item->text));
  rest = g_strstrip (g_strdup (colon + 1));
  if (strlen (label) > 40 || rest[0] == '\0')
    return FALSE;

  for (guint i = 0; i < links->len; i++)
    {
      ImportLink *l = links->pdata[i];

      if (l->line == item->line && is_address (l->url) && strstr (rest, l->text) != NULL)
        {
          g_autofree char *full = g_str_equal (l->text, label) || g_str_equal (l->text, l->url)
                                    ? g_strdup (label)
                                    : g_strdup_printf ("%s (%s)", label, l->text);

          add_link (draft, full, l->url, item->line, TRUE);
          return TRUE;
        }
    }
  if (g_str_has_prefix (rest, "http://") || g_str_has_prefix (rest, "https://"))
    {
      add_link (draft, label, rest, item->line, TRUE);
      return TRUE;
    }
  if (rest[0] == '[' && rest[strlen (rest) - 1] == ']')
    {
      DraftLink *link = add_link (draft, label, NULL, item->line, TRUE);

      if (link != NULL)
        {
          link->note = g_strdup_printf (_("The runbook says: %s. Set it here."), rest);
          import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, item->line,
                       _("link “%s” has no address yet (“%s”): set its \"url\""), label, rest);
        }
      return TRUE;
    }
  return FALSE;
}

/* "# Check Neon console for database status" then "# https://console.neon.tech". */
static void
map_comment_links (ImportDraft *draft,
                   ImportBlock *block)
{
  g_auto(GStrv) lines = g_strsplit (block->literal, "\n", -1);
  g_autofree char *previous = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '#')
        {
          g_clear_pointer (&previous, g_free);
          continue;
        }
      line = g_strstrip (line + 1);
      if (g_str_has_prefix (line, "http://") || g_str_has_prefix (line, "https://"))
        {
          g_autofree char *label = NULL;

          if (previous != NULL)
            {
              static const char *const verbs[] = { "Check ", "See ", "Open ", "Visit ", "Use ", NULL };
              const char *start = previous;

              for (guint v = 0; verbs[v] != NULL; v++)
                if (g_str_has_prefix (start, verbs[v]))
                  start += strlen (verbs[v]);
              if (g_str_has_prefix (start, "the "))
                start += 4;
              label = import_capitalize (start);
            }
          else
            label = g_strdup (line);
          add_link (draft, label, line, block->line + 1 + i, FALSE);
        }
      g_free (previous);
      previous = g_strdup (line);
    }
}

void
import_map_links (ImportDraft *draft)
{
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          if (block->kind == IMPORT_BLOCK_LIST)
            {
              gboolean keyed = FALSE;

              for (guint k = 0; k < block->items->len; k++)
                {
                  ImportItem *item = block->items->pdata[k];
                  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) import_link_free);

                  /* Items keep no links of their own: find them again in the block's. */
                  (void) links;
                  keyed |= map_keyed_item (draft, item, block->links);
                }
              (void) keyed;
            }
          else if (block->kind == IMPORT_BLOCK_CODE && block->literal != NULL)
            map_comment_links (draft, block);

          for (guint k = 0; k < block->links->len; k++)
            {
              ImportLink *l = block->links->pdata[k];

              if (is_address (l->url) && l->text[0] != '\0')
                add_link (draft, l->text, l->url, l->line, FALSE);
            }
        }
    }
  for (guint i = 0; i < draft->links->len; i++)
    {
      DraftLink *link = draft->links->pdata[i];

      g_ptr_array_add (summary, link->url == NULL ? g_strdup_printf (_("%s (no address)"), link->label)
                                                  : g_strdup (link->label));
    }
  if (draft->links->len > 0)
    {
      g_autofree char *list = import_join (summary, ", ");

      /* TRANSLATORS: %s is a list of links */
      g_ptr_array_add (draft->summary, g_strdup_printf (_("Links: %s"), list));
    }
}

/* ---- The checklist ---- */

static gboolean
is_after_resolution (ImportSection *section)
{
  static const char *const words[] = {
    "post-incident", "post-mortem", "postmortem", "after", "resolution", "resolved",
    "follow-up", "retrospective", "review", "recovery", NULL
  };

  for (ImportSection *s = section; s != NULL; s = s->parent)
    if (import_has_any_word (s->title, words))
      return TRUE;
  return FALSE;
}

static char *
item_id (ImportDraft *draft,
         DraftPhase  *current,
         const char  *text)
{
  g_auto(GStrv) words = g_regex_split_simple ("[^A-Za-z0-9'-]+", text, 0, 0);
  g_autoptr(GString) base = g_string_new (NULL);
  guint taken = 0;

  for (guint i = 0; words[i] != NULL && taken < 3; i++)
    {
      g_autofree char *lower = g_ascii_strdown (words[i], -1);

      if (lower[0] == '\0' || import_is_stop_word (lower))
        continue;
      g_string_append_printf (base, "%s%s", base->len ? " " : "", lower);
      taken++;
    }
  {
    g_autofree char *slug = import_slug (base->str, 0);
    g_autoptr(GPtrArray) all = g_ptr_array_new ();

    for (guint p = 0; p < draft->checklist->len; p++)
      {
        DraftPhase *phase = draft->checklist->pdata[p];

        g_ptr_array_extend (all, phase->items, NULL, NULL);
      }
    g_ptr_array_extend (all, current->items, NULL, NULL);
    return import_unique_id (all, G_STRUCT_OFFSET (DraftItem, id), slug);
  }
}

/* What clicking the item opens: the channel, a template, a link, an action. */
static void
map_opens (ImportDraft *draft,
           DraftItem   *item)
{
  g_autofree char *lower = g_utf8_strdown (item->text, -1);
  DraftTemplate *template_ = NULL;

  if (strstr (lower, "incident channel") || strstr (lower, "#incident"))
    {
      item->opens = DRAFT_OPENS_CHANNEL;
      return;
    }
  for (guint i = 0; i < draft->templates->len && template_ == NULL; i++)
    {
      DraftTemplate *t = draft->templates->pdata[i];
      g_autofree char *title = g_utf8_strdown (t->title, -1);

      if (!g_str_equal (t->kind, "postmortem") && import_has_word (lower, title))
        template_ = t;
    }
  if (template_ == NULL && import_has_word (lower, "timeline"))
    template_ = import_find_template (draft, "postmortem");
  if (template_ == NULL && import_has_word (lower, "stakeholders"))
    template_ = import_find_template (draft, "notification");
  if (template_ == NULL && (import_has_word (lower + 1, "updates") || import_has_word (lower + 1, "update"))
      && !g_str_has_prefix (lower, "update"))
    template_ = import_find_template (draft, "update");
  if (template_ != NULL)
    {
      item->opens = DRAFT_OPENS_TEMPLATE;
      item->opens_ref = g_strdup (template_->id);
      return;
    }
  for (guint i = 0; i < draft->links->len; i++)
    {
      DraftLink *link = draft->links->pdata[i];
      g_autofree char *word = import_slug (link->label, 1);

      if (link->keyed && word[0] != '\0' && import_has_word (lower, word))
        {
          item->opens = DRAFT_OPENS_LINK;
          item->opens_ref = g_strdup (link->id);
          return;
        }
    }
  if (strstr (lower, "rollback") || strstr (lower, "roll back"))
    {
      DraftAction *rollback = import_find_action (draft, "rollback");

      for (guint i = 0; rollback != NULL && i < draft->services->len; i++)
        {
          DraftService *service = draft->services->pdata[i];

          if (g_ptr_array_find_with_equal_func (service->actions, "rollback", g_str_equal, NULL))
            {
              item->opens = DRAFT_OPENS_ACTION;
              item->opens_ref = g_strdup ("rollback");
              item->opens_service = g_strdup (service->id);
              import_note (draft, SITREP_IMPORT_NOTE_GUESS, item->line,
                           _("“%s” opens the rollback of %s, the first service that has one"),
                           item->text, service->name);
              return;
            }
        }
    }
}

static gboolean
has_task_list (ImportSection *section)
{
  for (guint j = 0; j < section->blocks->len; j++)
    {
      ImportBlock *block = section->blocks->pdata[j];

      for (guint k = 0; block->kind == IMPORT_BLOCK_LIST && k < block->items->len; k++)
        if (((ImportItem *) block->items->pdata[k])->task)
          return TRUE;
    }
  return FALSE;
}

static gboolean
has_steps (ImportSection *section)
{
  static const char *const words[] = {
    "checklist", "steps", "step", "response", "respond", "assess", "triage", "mitigate",
    "mitigation", "resolve", "investigate", "remediate", "recover", "communicate", "declare",
    "acknowledge", "commander", "deputy", "scribe", "liaison", "post-incident", "after",
    "during", "before", "initiate", "contain", "eradicate", NULL
  };

  if (!import_has_any_word (section->title, words)
      && !import_has_any_word (section->title, import_incident_words))
    return FALSE;
  for (guint j = 0; j < section->blocks->len; j++)
    {
      ImportBlock *block = section->blocks->pdata[j];

      if (block->kind == IMPORT_BLOCK_LIST && block->items->len >= 2)
        return TRUE;
    }
  return FALSE;
}

static const char *const timing_words[] = {
  "immediate", "immediately", "now", "first", "next", "then", "later", "ongoing", "within", NULL
};

void
import_map_checklist (ImportDraft *draft)
{
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);
  gboolean tasks = FALSE;
  gint64 previous_due = 0;
  gboolean previous_resolved = FALSE;
  guint items = 0;

  for (guint i = 0; i < draft->doc->sections->len; i++)
    tasks |= has_task_list (draft->doc->sections->pdata[i]);

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];
      g_autofree char *inside = NULL;
      g_autofree char *title = NULL;
      g_autofree char *base = NULL;
      DraftPhase *phase;
      gint64 seconds = 0, upper = -1;
      gboolean timed;

      if (section->role != IMPORT_ROLE_NONE || section->level == 0
          || !(tasks ? has_task_list (section) : has_steps (section)))
        continue;
      section->role = IMPORT_ROLE_CHECKLIST;

      phase = g_new0 (DraftPhase, 1);
      phase->items = g_ptr_array_new ();
      phase->line = section->line;
      title = import_strip_parens (section->title, &inside);
      /* "Immediate (Within 24 hours)" under "Post-Incident" is the post-incident phase. */
      if ((title[0] == '\0' || import_has_any_word (title, timing_words)) && strchr (title, ' ') == NULL
          && section->parent != NULL && section->parent->level > 0)
        {
          g_free (title);
          title = g_strdup (section->parent->title);
        }
      phase->title = g_steal_pointer (&title);
      base = import_slug (phase->title, 1);
      phase->id = import_unique_id (draft->checklist, G_STRUCT_OFFSET (DraftPhase, id), base);
      phase->from_resolved = is_after_resolution (section);
      if (phase->from_resolved != previous_resolved)
        previous_due = 0;
      previous_resolved = phase->from_resolved;

      timed = inside != NULL && import_parse_duration (inside, &seconds, &upper);
      if (timed)
        {
          g_autofree char *lower = g_ascii_strdown (inside, -1);

          if (g_str_has_prefix (lower, "next") || g_str_has_prefix (lower, "then"))
            {
              phase->starts = previous_due;
              phase->due = previous_due + (upper > 0 ? upper : seconds);
              if (upper > 0)
                {
                  g_autofree char *starts = import_human_duration (phase->starts);
                  g_autofree char *due = import_human_duration (phase->due);

                  import_note (draft, SITREP_IMPORT_NOTE_GUESS, section->line,
                               _("“%s”: starts at %s, where the phase before ends, and is due at "
                                 "%s, the longest the range allows"), inside, starts, due);
                }
            }
          else
            {
              phase->starts = 0;
              phase->due = seconds == 0 ? -1 : (upper > 0 ? upper : seconds);
            }
        }
      else
        {
          phase->starts = previous_due;
          phase->due = -1;
          if (inside == NULL || !import_has_word (inside, "ongoing"))
            import_note (draft, SITREP_IMPORT_NOTE_GUESS, section->line,
                         _("phase “%s” gives no time: it starts when the one before is due and "
                           "runs until the end"), phase->title);
        }
      if (phase->due >= 0 && phase->due <= phase->starts)
        phase->due = -1;
      if (phase->due > 0)
        previous_due = phase->due;

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          for (guint k = 0; block->kind == IMPORT_BLOCK_LIST && k < block->items->len; k++)
            {
              ImportItem *source = block->items->pdata[k];
              DraftItem *item;

              if ((tasks && !source->task) || source->text[0] == '\0')
                continue;
              item = g_new0 (DraftItem, 1);
              item->text = g_strdelimit (g_strdup (source->text), "\n", ' ');
              item->line = source->line;
              item->id = item_id (draft, phase, item->text);
              g_ptr_array_add (phase->items, item);
              map_opens (draft, item);
            }
        }
      if (phase->items->len == 0)
        {
          draft_phase_free (phase);
          continue;
        }
      items += phase->items->len;
      g_ptr_array_add (draft->checklist, phase);
      {
        g_autofree char *starts = import_human_duration (phase->starts);
        g_autofree char *due = phase->due >= 0 ? import_human_duration (phase->due)
                                               : g_strdup (_("ongoing"));

        guint n = phase->items->len;

        if (phase->from_resolved)
          /* TRANSLATORS: a checklist phase: its title, when it starts and is due, its items */
          g_ptr_array_add (summary, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "%s (after resolution, %s – %s, %u item)",
                                                                  "%s (after resolution, %s – %s, %u items)",
                                                                  n),
                                                     phase->title, starts, due, n));
        else
          /* TRANSLATORS: a checklist phase: its title, when it starts and is due, its items */
          g_ptr_array_add (summary, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "%s (%s – %s, %u item)",
                                                                  "%s (%s – %s, %u items)", n),
                                                     phase->title, starts, due, n));
      }
    }
  if (draft->checklist->len > 0)
    {
      g_autofree char *list = import_join (summary, "; ");

      /* TRANSLATORS: %s is a list of checklist phases */
      g_ptr_array_add (draft->summary, g_strdup_printf (_("Checklist: %s"), list));
    }

  /* The channel name: "#incident-YYYY-MM-DD-brief-description". */
  for (guint p = 0; p < draft->checklist->len && draft->channel == NULL; p++)
    {
      DraftPhase *phase = draft->checklist->pdata[p];

      for (guint k = 0; k < phase->items->len; k++)
        {
          DraftItem *item = phase->items->pdata[k];
          const char *hash = strstr (item->text, "#incident");
          g_autoptr(GRegex) date = g_regex_new ("YYYY-?MM-?DD", 0, 0, NULL);

          if (hash != NULL && item->opens == DRAFT_OPENS_CHANNEL)
            {
              g_autofree char *name = g_strndup (hash, strcspn (hash, " `),"));
              g_autofree char *escaped = import_json_escape_braces (name);
              g_autofree char *dated = g_regex_replace_literal (date, escaped, -1, 0, "{date}", 0, NULL);
              char *at = strstr (dated, "{date}");

              if (at != NULL)
                {
                  g_autofree char *channel = NULL;
                  g_autofree char *refused = NULL;

                  at[strlen ("{date}")] = '\0';
                  channel = g_strconcat (dated, "-{slug}", NULL);
                  refused = import_check_channel (draft, channel);
                  if (refused == NULL)
                    draft->channel = g_steal_pointer (&channel);
                  else
                    import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, item->line,
                                    import_column (draft, item->line, name),
                                    _("the channel name “%s” was not mapped: %s. Write it as "
                                      "#incident-YYYY-MM-DD-description"), name, refused);
                }
              break;
            }
        }
    }
  (void) items;
}
