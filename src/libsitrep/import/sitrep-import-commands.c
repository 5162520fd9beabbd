/* sitrep-import-commands.c: a runbook's shell commands mapped to actions, kubectl's by its verbs */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

void
draft_input_free (DraftInput *input)
{
  g_free (input->name);
  g_free (input->label);
  g_free (input->type);
  g_free (input->pattern);
  g_clear_pointer (&input->choices_from, g_ptr_array_unref);
  g_free (input);
}

void
draft_action_free (DraftAction *a)
{
  g_free (a->id);
  g_free (a->label);
  g_free (a->description);
  g_free (a->confirm);
  g_free (a->noop_output);
  g_ptr_array_unref (a->argv);
  g_clear_pointer (&a->follow_up, g_ptr_array_unref);
  g_ptr_array_unref (a->inputs);
  g_free (a);
}

DraftAction *
import_find_action (ImportDraft *draft,
                    const char  *id)
{
  for (guint i = 0; i < draft->actions->len; i++)
    if (g_strcmp0 (((DraftAction *) draft->actions->pdata[i])->id, id) == 0)
      return draft->actions->pdata[i];
  return NULL;
}

/* The value of a flag given as "-n X" or "--namespace=X" at @i, and how many words it took. */
const char *
import_flag_value (GPtrArray  *words,
                   guint       i,
                   const char *flag,
                   guint      *taken)
{
  const char *w = words->pdata[i];
  gsize len = strlen (flag);

  if (g_str_equal (w, flag))
    {
      /* A flag left without its value at the end goes too. */
      *taken = i + 1 < words->len ? 2 : 1;
      return i + 1 < words->len ? words->pdata[i + 1] : "";
    }
  if (g_str_has_prefix (w, flag) && w[len] == '=')
    {
      *taken = 1;
      return w + len + 1;
    }
  /* "-ncarecircle", as kubectl reads a short flag. */
  if (len == 2 && g_str_has_prefix (w, flag) && w[len] != '\0')
    {
      *taken = 1;
      return w + len;
    }
  return NULL;
}

/* The namespace, context and Redis host the document's commands use, read before mapping so
 * that every command sees the same. */
void
import_commands_survey (ImportDraft *draft,
                        const char  *line,
                        char       **redis_host)
{
  g_autofree char *why = NULL;
  g_autoptr(ImportCommand) command = import_command_parse (line, &why);

  if (command == NULL)
    return;
  for (guint i = 1; i < command->argv->len; i++)
    {
      guint taken = 0;
      const char *value;
      const char *program = command->argv->pdata[0];

      if (g_str_equal (program, "kubectl"))
        {
          if ((value = import_flag_value (command->argv, i, "-n", &taken))
              || (value = import_flag_value (command->argv, i, "--namespace", &taken)))
            {
              if (draft->namespace_ == NULL && import_kube_name_ok (value))
                draft->namespace_ = g_strdup (value);
            }
          else if ((value = import_flag_value (command->argv, i, "--context", &taken)))
            {
              if (draft->context == NULL && value[0] != '\0')
                draft->context = g_strdup (value);
            }
        }
      else if (g_str_equal (program, "redis-cli")
               && (value = import_flag_value (command->argv, i, "-h", &taken)) && *redis_host == NULL
               && value[0] != '\0' && value[0] != '-')
        *redis_host = g_strdup (value);
    }
}

/* "carecircle-api" → "api" when the namespace is "carecircle". */
static char *
short_name (ImportDraft *draft,
            const char  *name)
{
  if (draft->namespace_ != NULL && g_str_has_prefix (name, draft->namespace_)
      && name[strlen (draft->namespace_)] == '-' && name[strlen (draft->namespace_) + 1] != '\0')
    return import_slug (name + strlen (draft->namespace_) + 1, 0);
  return import_slug (name, 0);
}

DraftService *
import_service_for_deployment (ImportDraft *draft,
                               const char  *name,
                               guint        line)
{
  g_autofree char *id = short_name (draft, name);
  DraftService *service = import_find_service (draft, id);

  if (service == NULL)
    {
      service = import_service_new (draft, id, line);
      /* "api" → "API", "workers" → "Workers". */
      service->name = strlen (id) <= 3 ? g_ascii_strup (id, -1) : import_capitalize (id);
    }
  return service;
}

/* The input of @type named @name that the command already asks for, or a new one with a name
 * no other input of the action has: a word the document repeats is asked for once, and two
 * inputs never share a name. */
DraftInput *
import_input_for (GPtrArray  *inputs,
                  const char *name,
                  const char *label,
                  const char *type)
{
  DraftInput *input;

  for (guint i = 0; i < inputs->len; i++)
    {
      input = inputs->pdata[i];
      if (g_str_equal (input->name, name) && g_str_equal (input->type, type))
        return input;
    }
  input = g_new0 (DraftInput, 1);
  input->name = import_unique_name (inputs, G_STRUCT_OFFSET (DraftInput, name), name);
  input->label = g_strdup (label);
  input->type = g_strdup (type);
  g_ptr_array_add (inputs, input);
  return input;
}

/* "<pod-name>" or "$POD" → an input; returns the word with {input.NAME} in its place and the
 * rest of it with its braces doubled, so that the loader reads no other placeholder. */
char *
import_placeholder_input (ImportDraft *draft,
                          const char  *word,
                          GPtrArray   *inputs,
                          guint        line)
{
  g_autoptr(GRegex) regex = g_regex_new ("<([A-Za-z][\\w-]*)>|\\$\\{([A-Z][A-Z0-9_]*)\\}|\\$([A-Z][A-Z0-9_]*)",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *name = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *label = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  DraftInput *input;
  guint known;
  int start, end;

  if (!g_regex_match (regex, word, 0, &match))
    return import_json_escape_braces (word);
  whole = g_match_info_fetch (match, 0);
  for (int group = 1; group <= 3 && (raw == NULL || raw[0] == '\0'); group++)
    {
      g_free (raw);
      raw = g_match_info_fetch (match, group);
    }
  name = g_ascii_strdown (raw, -1);
  /* The loader takes [a-z][a-z0-9_]*. */
  for (char *q = name; *q != '\0'; q++)
    if (!g_ascii_islower (*q) && !g_ascii_isdigit (*q))
      *q = '_';
  if (!g_ascii_islower (name[0]))
    {
      g_autofree char *old = name;

      name = g_strconcat ("v", old, NULL);
    }
  g_match_info_fetch_pos (match, 0, &start, &end);
  before = g_strndup (word, start);
  after = g_strdup (word + end);

  known = inputs->len;
  label = g_strdelimit (import_capitalize (raw), "-_", ' ');
  input = import_input_for (inputs, name, label, "string");
  if (inputs->len > known)
    {
      input->pattern = g_strdup ("^[A-Za-z0-9][A-Za-z0-9._:/=-]*$");
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                   _("%s is asked for before the command runs (input “%s”, letters, digits "
                     "and ._:/=- only)"), whole, input->name);
    }
  {
    g_autofree char *escaped_before = import_json_escape_braces (before);
    g_autofree char *escaped_after = import_json_escape_braces (after);

    return g_strdup_printf ("%s{input.%s}%s", escaped_before, input->name, escaped_after);
  }
}

/* A label from the comment above a command: "Check pod status" → "Pod status",
 * "Restart if needed" → "Restart". */
char *
import_label_from (const char *comment,
                   GPtrArray  *argv)
{
  static const char *const verbs[] = { "Check ", "check ", "List ", "Show ", "View ", NULL };
  static const char *const tails[] = { " if needed", " if recent deployment", " if corrupted",
                                       " if necessary", NULL };
  g_autofree char *inside = NULL;
  g_autofree char *text = NULL;
  const char *start;
  const char *comma;
  char *tail;

  if (comment == NULL || comment[0] == '\0')
    return NULL;
  text = import_strip_parens (comment, &inside);
  start = text;
  /* "For connection pool exhaustion, restart API pods" */
  if (g_str_has_prefix (start, "For ") && (comma = strchr (start, ',')) != NULL)
    start = comma + 1;
  while (*start == ' ')
    start++;
  for (guint i = 0; verbs[i] != NULL; i++)
    if (g_str_has_prefix (start, verbs[i]) && strlen (start) > strlen (verbs[i]) + 3)
      start += strlen (verbs[i]);
  for (guint i = 0; tails[i] != NULL; i++)
    if ((tail = strstr (start, tails[i])) != NULL)
      *tail = '\0';
  {
    char *label = import_capitalize (start);

    for (guint i = 0; i < argv->len; i++)
      if (g_str_has_prefix (argv->pdata[i], "--tail="))
        {
          const char *count = (char *) argv->pdata[i] + strlen ("--tail=");
          char *old = label;

          if (count[0] != '\0' && strspn (count, "0123456789") == strlen (count) && strlen (count) < 10)
            {
              gulong n = (gulong) g_ascii_strtoull (count, NULL, 10);

              /* TRANSLATORS: a command's label, then how many lines of the log it shows */
              label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (last %lu line)",
                                                    "%s (last %lu lines)", n), old, n);
            }
          else
            /* TRANSLATORS: a command's label, then how many lines of the log it shows */
            label = g_strdup_printf (_("%s (last %s lines)"), old, count);
          g_free (old);
        }
    return label;
  }
}

static gboolean
argv_equal (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (a->pdata[i], b->pdata[i]))
      return FALSE;
  return TRUE;
}

GPtrArray *
import_strv_array (const char *first,
                   ...)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (out, g_strdup (s));
  va_end (args);
  return out;
}

/* The action with this argv, or a new one with an id no other action has, once the loader took
 * it; NULL, with the loader's reason in the report, when it would not. */
DraftAction *
import_add_action (ImportDraft  *draft,
                   DraftAction  *action,
                   const char   *base,
                   DraftService *service,
                   const char   *text)
{
  g_autofree char *id = NULL;
  g_autofree char *refused = NULL;

  if (base == NULL || base[0] == '\0')
    base = "command";
  for (guint i = 0; i < draft->actions->len; i++)
    {
      DraftAction *other = draft->actions->pdata[i];

      if (argv_equal (other->argv, action->argv))
        {
          draft_action_free (action);
          return other;
        }
    }
  if (import_find_action (draft, base) == NULL)
    id = g_strdup (base);
  else
    {
      gboolean previous = FALSE;

      for (guint i = 0; i < action->argv->len; i++)
        previous |= g_str_equal (action->argv->pdata[i], "--previous");
      if (previous)
        id = g_strdup_printf ("%s-previous", base);
      else if (service != NULL)
        id = g_strdup_printf ("%s-%s", base, service->id);
      if (id != NULL && import_find_action (draft, id) != NULL)
        g_clear_pointer (&id, g_free);
      if (id == NULL)
        id = import_unique_id (draft->actions, G_STRUCT_OFFSET (DraftAction, id), base);
    }
  action->id = g_steal_pointer (&id);
  refused = import_check_action (draft, action);
  if (refused != NULL)
    {
      import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, action->line,
                      import_column (draft, action->line, text),
                      _("“%s” was not mapped: %s. Write the command in the document so that it "
                        "meets this, or add the action by hand to the runbook written"),
                      text, refused);
      draft_action_free (action);
      return NULL;
    }
  g_ptr_array_add (draft->actions, action);
  return action;
}

/* Words that say a command changes something, whatever the program. */
static const char *const changing_words[] = {
  "restart", "stop", "start", "delete", "del", "remove", "rm", "kill", "drop", "flush",
  "flushdb", "flushall", "truncate", "reboot", "shutdown", "purge", "reset", "rollback",
  "scale", "deploy", "apply", "update", "set", "insert", "alter", "upgrade", "uninstall",
  "expire", "rename", "lpush", "rpush", "hset", "publish", "post", "put", "patch", NULL
};
static const char *const destructive_words[] = {
  "delete", "del", "drop", "flush", "flushdb", "flushall", "truncate", "rm", "kill", "purge",
  "shutdown", "uninstall", NULL
};

DraftAction *
import_map_other (ImportDraft   *draft,
                  ImportCommand *command,
                  const char    *text,
                  guint          line,
                  const char    *comment,
                  const char    *redis_host,
                  DraftService  *service)
{
  DraftAction *action = g_new0 (DraftAction, 1);
  const char *program = command->argv->pdata[0];
  g_autoptr(GString) line_text = g_string_new (NULL);
  g_autofree char *base = NULL;
  gboolean caution;

  action->argv = g_ptr_array_new_with_free_func (g_free);
  action->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_input_free);
  action->line = line;
  for (guint i = 0; i < command->argv->len; i++)
    {
      const char *w = command->argv->pdata[i];

      if (strchr (w, '\x01') != NULL)
        {
          import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, line,
                       _("“$(…)” needs a shell: the console runs commands without one; write the "
                         "command without it"));
          draft_action_free (action);
          return NULL;
        }
      g_string_append_printf (line_text, "%s%s", i ? " " : "", w);
      g_ptr_array_add (action->argv, import_placeholder_input (draft, w, action->inputs, line));
      if (i == 0 && g_str_equal (program, "redis-cli") && redis_host != NULL
          && !g_ptr_array_find_with_equal_func (command->argv, "-h", g_str_equal, NULL))
        {
          g_ptr_array_add (action->argv, g_strdup ("-h"));
          g_ptr_array_add (action->argv, g_strdup (redis_host));
          import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                       _("“%s” names no host: -h %s added, the Redis host of the runbook's "
                         "other redis-cli commands"), (char *) command->argv->pdata[0], redis_host);
        }
    }

  {
    gboolean changes = FALSE, destroys = FALSE;
    guint start = 1;

    /* curl changes something with -X POST/PUT/PATCH/DELETE or a body. */
    if (g_str_equal (program, "curl"))
      for (guint i = 1; i < command->argv->len; i++)
        {
          const char *w = command->argv->pdata[i];

          if ((g_str_equal (w, "-X") || g_str_equal (w, "--request")) && i + 1 < command->argv->len)
            {
              const char *method = command->argv->pdata[i + 1];

              changes |= g_ascii_strcasecmp (method, "GET") != 0 && g_ascii_strcasecmp (method, "HEAD") != 0;
              destroys |= g_ascii_strcasecmp (method, "DELETE") == 0;
            }
          changes |= g_str_has_prefix (w, "-d") || g_str_has_prefix (w, "--data");
        }
    else
      for (guint i = start; i < command->argv->len; i++)
        {
          g_autofree char *lower = g_ascii_strdown (command->argv->pdata[i], -1);

          if (lower[0] == '-')
            continue;
          changes |= g_strv_contains (changing_words, lower);
          destroys |= g_strv_contains (destructive_words, lower);
        }
    caution = comment != NULL && (strstr (comment, "CAUTION") || strstr (comment, "WARNING")
                                  || strstr (comment, "DANGER") || strstr (comment, "destructive"));
    action->mutates = changes || destroys;
    action->dangerous = destroys || (changes && caution);
    if (action->mutates)
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                   action->dangerous
                     ? _("guessed that “%s” changes something and cannot be undone: mutates and "
                         "dangerous (typed confirmation)")
                     : _("guessed that “%s” changes something: mutates"),
                   line_text->str);
  }
  if (command->dropped != NULL)
    import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
                 _("dropped “%s”: the console runs one program, without a shell"), command->dropped);

  {
    const char *what = command->argv->len > 1 ? command->argv->pdata[command->argv->len - 1] : "";
    g_autofree char *prog = import_slug (strrchr (program, '/') ? strrchr (program, '/') + 1 : program, 1);

    if (g_str_equal (program, "redis-cli"))
      {
        const char *verb = NULL;

        for (guint i = 1; i < command->argv->len && verb == NULL; i++)
          {
            const char *w = command->argv->pdata[i];

            if (w[0] == '-')
              i++;
            else
              verb = w;
          }
        {
          g_autofree char *slug = import_slug (verb ? verb : "cli", 1);

          base = g_strdup_printf ("redis-%s", slug);
        }
      }
    else if (g_str_has_prefix (what, "http"))
      {
        const char *last = strrchr (what, '/');
        g_autofree char *slug = import_slug (last != NULL ? last + 1 : what, 0);

        base = g_strdup_printf ("%s-%s", prog, slug[0] ? slug : "request");
      }
    else
      base = g_strdup (prog);
  }
  action->label = import_label_from (comment, action->argv);
  if (action->label == NULL)
    action->label = g_strdup (line_text->str);
  if (comment != NULL && strcmp (comment, action->label) != 0)
    action->description = import_json_escape_braces (comment);
  if (action->dangerous)
    {
      g_autofree char *escaped = import_json_escape_braces (line_text->str);

      action->confirm = g_strdup_printf (_("“%s” cannot be undone. Type the service name to "
                                           "confirm."), escaped);
    }
  return import_add_action (draft, action, base, service, text);
}
