/* sitrep-import-escalation.c: contacts and escalation paths read from a runbook's tables and lists
 *
 * The contacts come from a table with a role and a contact column; the paths from a list per
 * severity ("SEV-1/SEV-2:" starts one, each line below it is a step that names a contact and
 * when). Severities are read first (sitrep-import-map.c), so that a path can name them.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

void
draft_contact_free (DraftContact *c)
{
  g_free (c->id);
  g_free (c->role);
  g_free (c->handle);
  g_free (c->when);
  g_free (c);
}

static void
draft_step_free (DraftStep *step)
{
  g_free (step->role);
  g_free (step->contact);
  g_free (step->note);
  g_clear_pointer (&step->severities, g_ptr_array_unref);
  g_free (step);
}

void
draft_path_free (DraftPath *p)
{
  g_free (p->id);
  g_ptr_array_unref (p->severities);
  g_ptr_array_unref (p->steps);
  g_free (p);
}

void
import_map_contacts (ImportDraft *draft)
{
  static const char *const role_names[] = { "role", "who", "team", "position", NULL };
  static const char *const contact_names[] = {
    "contact", "handle", "slack", "email", "phone", "pager", "how", NULL
  };
  static const char *const when_names[] = {
    "when", "escalat", "responsib", "purpose", "description", "reach", NULL
  };
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];
          GStrv header;
          int role_col, contact_col, when_col;

          if (block->kind != IMPORT_BLOCK_TABLE || block->rows->len < 2
              || section->role == IMPORT_ROLE_SEVERITIES)
            continue;
          header = block->rows->pdata[0];
          role_col = import_find_column (header, role_names, -1);
          if (role_col < 0)
            continue;
          contact_col = import_find_column (header, contact_names, role_col);
          when_col = import_find_column (header, when_names, role_col);
          if (contact_col < 0 && when_col < 0)
            continue;
          section->role = IMPORT_ROLE_CONTACTS;
          for (guint r = 1; r < block->rows->len; r++)
            {
              GStrv row = block->rows->pdata[r];
              guint n = g_strv_length (row);
              DraftContact *contact;
              g_autofree char *base = NULL;

              if ((guint) role_col >= n || row[role_col][0] == '\0')
                continue;
              contact = g_new0 (DraftContact, 1);
              contact->role = g_strdelimit (import_strip_markers (row[role_col]), "\n", ' ');
              if (contact_col >= 0 && (guint) contact_col < n && row[contact_col][0] != '\0')
                contact->handle = g_strdelimit (g_strdup (row[contact_col]), "\n", ' ');
              if (when_col >= 0 && (guint) when_col < n && row[when_col][0] != '\0')
                contact->when = g_strdelimit (g_strdup (row[when_col]), "\n", ' ');
              contact->line = g_array_index (block->row_lines, guint, r);
              if (contact->handle != NULL && (contact->handle[0] == '@' || contact->handle[0] == '#')
                  && strchr (contact->handle, ' ') == NULL)
                base = import_slug (contact->handle + 1, 0);
              else
                base = import_slug (contact->role, 3);
              contact->id = import_unique_id (draft->contacts, G_STRUCT_OFFSET (DraftContact, id),
                                              base);
              g_ptr_array_add (draft->contacts, contact);
              g_ptr_array_add (summary,
                               contact->handle != NULL
                                 /* TRANSLATORS: a contact: its role, then its handle ("@oncall") */
                                 ? g_strdup_printf (_("%s %s"), contact->role, contact->handle)
                                 : g_strdup (contact->role));
            }
        }
    }
  if (draft->contacts->len > 0)
    {
      g_autofree char *list = import_join (summary, ", ");

      /* TRANSLATORS: %s is a list of contacts */
      g_ptr_array_add (draft->summary, g_strdup_printf (_("Contacts: %s"), list));
    }
}

/* The contact whose role is @role, or NULL. */
static const char *
match_contact (ImportDraft *draft,
               const char  *role)
{
  for (guint i = 0; i < draft->contacts->len; i++)
    {
      DraftContact *contact = draft->contacts->pdata[i];

      if (g_ascii_strcasecmp (contact->role, role) == 0)
        return contact->id;
    }
  return NULL;
}

/* Every severity id named in @text, "SEV-1/SEV-2" and "SEV-3/4" alike. */
static GPtrArray *
severities_named (ImportDraft *draft,
                  const char  *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *last_prefix = NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      char *id = NULL;

      if (!g_ascii_isalnum (*p) || (p > text && g_ascii_isalnum (p[-1])))
        continue;
      if (import_severity_id (p, &id))
        {
          const char *digit = id + strlen (id) - 1;

          g_free (last_prefix);
          last_prefix = g_strndup (id, digit - id);
          if (!g_ptr_array_find_with_equal_func (out, id, g_str_equal, NULL))
            g_ptr_array_add (out, id);
          else
            g_free (id);
          p += strcspn (p, "0123456789");
        }
      else if (last_prefix != NULL && g_ascii_isdigit (*p) && p > text
               && (p[-1] == '/' || p[-1] == ',') && !g_ascii_isdigit (p[1]))
        {
          /* "SEV-3/4" */
          g_autofree char *more = g_strdup_printf ("%s%c", last_prefix, *p);

          if (!g_ptr_array_find_with_equal_func (out, more, g_str_equal, NULL))
            g_ptr_array_add (out, g_steal_pointer (&more));
        }
    }
  /* Only the severities this runbook has. */
  for (guint i = 0; i < out->len; i++)
    {
      gboolean known = FALSE;

      for (guint k = 0; k < draft->severities->len && !known; k++)
        known = g_str_equal (((DraftSeverity *) draft->severities->pdata[k])->id, out->pdata[i]);
      if (!known)
        g_ptr_array_remove_index (out, i--);
    }
  return out;
}

static char *
path_id (GPtrArray *severities)
{
  g_autoptr(GString) id = NULL;

  if (severities->len == 0)
    return g_strdup ("all");
  id = g_string_new (NULL);
  {
    g_autofree char *first = import_slug (severities->pdata[0], 0);

    g_string_append (id, first);
  }
  for (guint i = 1; i < severities->len; i++)
    {
      const char *s = severities->pdata[i];

      g_string_append_printf (id, "-%s", s + strcspn (s, "0123456789"));
    }
  return g_string_free (g_steal_pointer (&id), FALSE);
}

static DraftPath *
path_new (ImportDraft *draft,
          GPtrArray   *named,
          guint        line)
{
  DraftPath *path = g_new0 (DraftPath, 1);
  g_autofree char *base = NULL;

  gboolean unnamed = named->len == 0;

  path->severities = g_ptr_array_new_with_free_func (g_free);
  /* A path that names no severity covers those no other path has. */
  if (unnamed)
    for (guint i = 0; i < draft->severities->len; i++)
      g_ptr_array_add (named, g_strdup (((DraftSeverity *) draft->severities->pdata[i])->id));
  /* A severity belongs to one path only. */
  for (guint i = 0; i < named->len; i++)
    {
      gboolean taken = FALSE;

      for (guint p = 0; p < draft->escalation->len && !taken; p++)
        taken = g_ptr_array_find_with_equal_func (((DraftPath *) draft->escalation->pdata[p])->severities,
                                                  named->pdata[i], g_str_equal, NULL);
      if (taken)
        import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line,
                     _("%s already has an escalation path above: left out of this one"),
                     (char *) named->pdata[i]);
      else
        g_ptr_array_add (path->severities, g_strdup (named->pdata[i]));
    }
  base = unnamed ? g_strdup ("all") : path_id (named);
  path->id = import_unique_id (draft->escalation, G_STRUCT_OFFSET (DraftPath, id), base);
  path->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_step_free);
  path->line = line;
  g_ptr_array_add (draft->escalation, path);
  return path;
}

/* One step: "2. Team lead (within 15 min if unresolved)", "Escalate to L2 if unresolved in
 * 15 minutes", "On-Call Engineer (15 min)". */
static void
add_step (ImportDraft *draft,
          DraftPath   *path,
          const char  *text,
          guint        line)
{
  g_autofree char *unmarked = import_strip_markers (text);
  g_autofree char *clean = import_strip_numbering (unmarked);
  g_autofree char *inside = NULL;
  g_autofree char *role = import_strip_parens (clean, &inside);
  DraftStep *step;
  const char *to;
  gint64 seconds;

  if (role[0] == '\0')
    return;
  to = strstr (role, "scalate to ");
  if (to != NULL)
    {
      g_autofree char *rest = g_strdup (to + strlen ("scalate to "));
      static const char *const stops[] = { " if ", " within ", " after ", ",", ".", " when ", NULL };

      for (guint i = 0; stops[i] != NULL; i++)
        {
          char *at = strstr (rest, stops[i]);

          if (at != NULL)
            *at = '\0';
        }
      if (inside == NULL)
        inside = g_strdup (clean);
      g_free (role);
      role = import_capitalize (g_strstrip (rest));
      if (g_str_has_prefix (role, "The "))
        memmove (role, role + 4, strlen (role + 4) + 1), role[0] = g_ascii_toupper (role[0]);
    }

  step = g_new0 (DraftStep, 1);
  step->role = g_steal_pointer (&role);
  step->line = line;
  step->after = -1;
  if (inside != NULL && inside[0] != '\0')
    {
      step->note = import_capitalize (inside);
      if (import_parse_duration (inside, &seconds, NULL))
        step->after = seconds;
      {
        g_autoptr(GPtrArray) named = severities_named (draft, inside);
        g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (g_free);

        /* A step can only narrow its path: "CTO (for extended SEV-1 incidents)" under a path
         * that does not cover SEV-1 (or lost it to an earlier path) limits nothing. */
        for (guint i = 0; i < named->len; i++)
          if (g_ptr_array_find_with_equal_func (path->severities, named->pdata[i], g_str_equal, NULL))
            g_ptr_array_add (own, g_strdup (named->pdata[i]));
        if (own->len > 0 && own->len < path->severities->len)
          step->severities = g_steal_pointer (&own);
        else if (named->len > 0 && own->len == 0)
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                       _("“%s” names severities this escalation path does not cover: the step "
                         "applies to all of the path's severities"), inside);
      }
    }
  else if (import_parse_duration (clean, &seconds, NULL))
    step->after = seconds;
  step->contact = g_strdup (match_contact (draft, step->role));

  if (step->after < 0 && path->steps->len == 0)
    {
      step->after = 0;
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                   _("“%s” is the first step and gives no time: due at once"), step->role);
    }
  else if (step->after < 0 && (step->note == NULL || strstr (step->note, "needed") == NULL))
    import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                 _("“%s” gives no time: the step has no timer (“if needed”); set \"after\" if "
                   "it has one"), step->role);
  g_ptr_array_add (path->steps, step);
}

/* The lines of an escalation block: "SEV-1/SEV-2:" starts a path, other lines are steps. */
static void
map_escalation_lines (ImportDraft *draft,
                      const char  *text,
                      guint        first_line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  DraftPath *path = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *clean = import_strip_markers (lines[i]);
      gsize len = strlen (clean);
      g_autoptr(GPtrArray) named = NULL;

      if (len == 0)
        continue;
      named = severities_named (draft, clean);
      if (clean[len - 1] == ':' && named->len > 0)
        {
          path = path_new (draft, named, first_line + i);
          continue;
        }
      if (path == NULL)
        path = path_new (draft, named, first_line + i);
      add_step (draft, path, clean, first_line + i);
    }
}

void
import_map_escalation (ImportDraft *draft)
{
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);

  if (draft->severities->len == 0)
    return;
  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      if (strstr (section->title, "scalat") == NULL || section->role != IMPORT_ROLE_NONE)
        continue;
      section->role = IMPORT_ROLE_ESCALATION;
      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          if (block->kind == IMPORT_BLOCK_CODE)
            map_escalation_lines (draft, block->literal, block->line + 1);
          else if (block->kind == IMPORT_BLOCK_LIST)
            {
              for (guint k = 0; k < block->items->len; k++)
                {
                  ImportItem *item = block->items->pdata[k];

                  /* Each item on its own line, so the item's line is the step's. */
                  if (draft->escalation->len == 0 || k == 0)
                    map_escalation_lines (draft, item->text, item->line);
                  else
                    add_step (draft, draft->escalation->pdata[draft->escalation->len - 1],
                              item->text, item->line);
                }
            }
        }
      if (draft->escalation->len > 0)
        break;
    }

  for (guint p = 0; p < draft->escalation->len; p++)
    {
      DraftPath *path = draft->escalation->pdata[p];

      if (path->severities->len == 0 || path->steps->len == 0)
        {
          g_ptr_array_remove_index (draft->escalation, p--);
          continue;
        }
      {
        g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *severities = import_join (path->severities, ", ");
        g_autofree char *list = NULL;

        for (guint s = 0; s < path->steps->len; s++)
          {
            DraftStep *step = path->steps->pdata[s];
            g_autofree char *when = import_human_duration (step->after);

            /* TRANSLATORS: an escalation step: who, and when ("Team lead (15 min)") */
            g_ptr_array_add (steps, g_strdup_printf (_("%s (%s)"), step->role, when));
          }
        list = import_join (steps, ", ");
        /* TRANSLATORS: an escalation path: its severities, then its steps */
        g_ptr_array_add (summary, g_strdup_printf (_("%s: %s"), severities, list));
      }
    }
  if (draft->escalation->len > 0)
    {
      g_autofree char *list = import_join (summary, "; ");

      /* TRANSLATORS: %s is a list of escalation paths */
      g_ptr_array_add (draft->summary, g_strdup_printf (_("Escalation: %s"), list));
    }
}
