/* sitrep-import-shell.c: a runbook's shell command line split into words, pipes and comments */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

void
import_command_free (ImportCommand *command)
{
  g_ptr_array_unref (command->argv);
  g_free (command->comment);
  g_free (command->dropped);
  g_ptr_array_unref (command->substs);
  g_free (command);
}

/* Programs a runbook's command blocks run: a block of other words is prose or a diagram. */
gboolean
import_is_command (const char *word)
{
  static const char *const programs[] = {
    "kubectl", "oc", "helm", "redis-cli", "curl", "wget", "psql", "mysql", "mongo", "mongosh",
    "docker", "podman", "systemctl", "journalctl", "service", "aws", "gcloud", "az", "top", "htop",
    "df", "du", "free", "ps", "kill", "pkill", "tail", "cat", "grep", "less", "ls", "dig", "nslookup",
    "ping", "traceroute", "netstat", "ss", "lsof", "iostat", "vmstat", "uptime", "git", "terraform",
    "ansible", "ssh", "scp", "nc", "openssl", "sudo", "heroku", "fly", "flyctl", "pg_dump",
    "pg_restore", "rabbitmqctl", "nodetool", "etcdctl", "consul", "vault", "nomad", NULL
  };
  const char *base = strrchr (word, '/');

  return g_strv_contains (programs, base ? base + 1 : word);
}

/* Reads up to the ')' matching the '(' at @p[-1], nested and quoted ones skipped. */
static const char *
skip_subst (const char *p)
{
  int depth = 1;
  char quote = 0;

  for (; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
          continue;
        }
      if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        return p;
    }
  return NULL;
}

/**
 * import_command_parse:
 * @line: one command line, continuations already joined
 * @why_not: (out): why the line is no command the console could run, or %NULL
 *
 * Splits @line as a POSIX shell would split a simple command: quotes, backslashes, $(…) kept
 * as one word. What a shell alone can do (a pipe, &&, a redirection) ends the command and is
 * kept in "dropped". Returns %NULL with @why_not set when the line cannot be split.
 */
ImportCommand *
import_command_parse (const char *line,
                      char      **why_not)
{
  g_autoptr(ImportCommand) command = g_new0 (ImportCommand, 1);
  g_autoptr(GString) word = g_string_new (NULL);
  gboolean in_word = FALSE;
  const char *p = line;

  *why_not = NULL;
  command->argv = g_ptr_array_new_with_free_func (g_free);
  command->substs = g_ptr_array_new_with_free_func (g_free);

  while (*p != '\0')
    {
      char c = *p;

      if (c == '\'' || c == '"')
        {
          const char *close = p + 1;

          while (*close != '\0' && *close != c)
            {
              if (c == '"' && *close == '\\' && close[1] != '\0')
                close++;
              close++;
            }
          if (*close == '\0')
            {
              *why_not = g_strdup (_("a quote is not closed"));
              return NULL;
            }
          for (const char *q = p + 1; q < close; q++)
            {
              if (c == '"' && *q == '\\' && (q[1] == '"' || q[1] == '\\' || q[1] == '$'))
                q++;
              g_string_append_c (word, *q);
            }
          in_word = TRUE;
          p = close + 1;
          continue;
        }
      if (c == '\\' && p[1] != '\0')
        {
          g_string_append_c (word, p[1]);
          in_word = TRUE;
          p += 2;
          continue;
        }
      if ((c == '$' && p[1] == '(') || c == '`')
        {
          const char *close = c == '`' ? strchr (p + 1, '`') : skip_subst (p + 2);
          const char *start = c == '`' ? p + 1 : p + 2;

          if (close == NULL)
            {
              *why_not = g_strdup (_("a $( is not closed"));
              return NULL;
            }
          g_ptr_array_add (command->substs, g_strstrip (g_strndup (start, close - start)));
          g_string_append_printf (word, "\x01%u", command->substs->len - 1);
          in_word = TRUE;
          p = close + 1;
          continue;
        }
      if (c == '<' && g_ascii_isalpha (p[1]))
        {
          /* "<pod-name>" is a placeholder, not a redirection. */
          const char *close = strchr (p, '>');

          if (close != NULL && strcspn (p, " \t") > (gsize) (close - p))
            {
              g_string_append_len (word, p, close - p + 1);
              in_word = TRUE;
              p = close + 1;
              continue;
            }
        }
      if (c == '#' && !in_word)
        {
          command->comment = g_strstrip (g_strdup (p + 1));
          break;
        }
      if (c == '|' || c == ';' || c == '>' || c == '<' || (c == '&' && p[1] == '&')
          || (c == '&' && !in_word))
        {
          if (in_word)
            g_ptr_array_add (command->argv, g_strdup (word->str));
          in_word = FALSE;
          g_string_truncate (word, 0);
          /* "2>&1" belongs to the redirection too. */
          if (c == '>' && command->argv->len > 0
              && g_str_equal (command->argv->pdata[command->argv->len - 1], "2"))
            g_ptr_array_remove_index (command->argv, command->argv->len - 1);
          command->dropped = g_strstrip (g_strdup (p));
          break;
        }
      if (g_ascii_isspace (c))
        {
          if (in_word)
            g_ptr_array_add (command->argv, g_strdup (word->str));
          in_word = FALSE;
          g_string_truncate (word, 0);
          p++;
          continue;
        }
      g_string_append_c (word, c);
      in_word = TRUE;
      p++;
    }
  if (in_word)
    g_ptr_array_add (command->argv, g_strdup (word->str));
  if (command->argv->len == 0)
    {
      *why_not = g_strdup (_("there is no command before the pipe or redirection"));
      return NULL;
    }
  return g_steal_pointer (&command);
}
