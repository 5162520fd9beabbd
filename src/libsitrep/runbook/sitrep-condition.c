/* sitrep-condition.c: parses the Gatus-like condition language and judges probe results by it, strictly */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "sitrep-condition-private.h"
#include "sitrep-suggest.h"

G_DEFINE_QUARK (sitrep-condition-error-quark, sitrep_condition_error)

static const char *const placeholder_names[] = {
  "[STATUS]", "[RESPONSE_TIME]", "[BODY]", "[RESULT]", "[CONNECTED]", "[ERROR]", NULL
};
const char *const sitrep_condition_op_names[] = { "==", "!=", "<", "<=", ">", ">=", "" };
/* Translators: what a failed comparison expected, e.g. "expected at most 300" */
const char *const sitrep_condition_op_phrases[] = { "", N_("anything but "), N_("less than "),
                                                    N_("at most "), N_("more than "),
                                                    N_("at least ") };
static const char *const function_names[] = { "len", "has", "pat", "any", NULL };

static void
step_clear (gpointer data)
{
  g_free (((Step *) data)->key);
}

static void
node_free (Node *node)
{
  g_free (node->text);
  g_clear_pointer (&node->path, g_array_unref);
  g_free (node->string);
  g_clear_pointer (&node->pattern, g_pattern_spec_free);
  g_clear_pointer (&node->args, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  return node;
}

/* Parsing */

typedef enum { SIDE_LEFT, SIDE_RIGHT, SIDE_ARG } Side;

typedef struct
{
  const char *text;
  const char *p;
  gsize *error_offset;
  GError **error;
} Parser;

#define FAIL(at, code, ...) fail (ps, (at), SITREP_CONDITION_ERROR_##code, __VA_ARGS__)

/* Records the error and where it is; returns NULL so that parsers can return it. */
static gpointer G_GNUC_PRINTF (4, 5)
fail (Parser              *ps,
      const char          *at,
      SitrepConditionError code,
      const char          *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (ps->error_offset != NULL)
    *ps->error_offset = at - ps->text;
  g_set_error_literal (ps->error, SITREP_CONDITION_ERROR, code, message);
  return NULL;
}

static void
skip_spaces (Parser *ps)
{
  while (g_ascii_isspace (*ps->p))
    ps->p++;
}

/* The word at @p, for "found `…`" in messages. */
static char *
token_at (const char *p)
{
  const char *end = p;

  while (*end != '\0' && !g_ascii_isspace (*end) && end - p < 24)
    end = g_utf8_next_char (end);
  return g_strndup (p, end - p);
}

/* The end of the number at @p (-12, 3.5, 1e6), or NULL: no hex, no inf, no leading +. */
static const char *
scan_number (const char *p,
             gboolean   *is_int)
{
  *is_int = TRUE;
  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return NULL;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.' && g_ascii_isdigit (p[1]))
    for (*is_int = FALSE, p++; g_ascii_isdigit (*p); p++)
      ;
  if ((*p == 'e' || *p == 'E')
      && (g_ascii_isdigit (p[1]) || ((p[1] == '+' || p[1] == '-') && g_ascii_isdigit (p[2]))))
    for (*is_int = FALSE, p += 2; g_ascii_isdigit (*p); p++)
      ;
  return p;
}

/* Reads @text as a number when all of it is one; integers too large for 64 bits become doubles. */
gboolean
sitrep_condition_read_number (const char *text,
                              gboolean   *is_int,
                              gint64     *integer,
                              double     *number)
{
  const char *end = scan_number (text, is_int);

  if (end == NULL || *end != '\0')
    return FALSE;
  *number = g_ascii_strtod (text, NULL);
  if (*is_int && !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, integer, NULL))
    *is_int = FALSE;
  return isfinite (*number);
}

static char *
parse_string (Parser *ps)
{
  const char *open = ps->p++;
  g_autoptr(GString) s = g_string_new (NULL);

  for (; *ps->p != '"'; ps->p++)
    {
      if (*ps->p == '\0' || (*ps->p == '\\' && ps->p[1] == '\0'))
        return FAIL (open, UNTERMINATED_STRING, _("unterminated string: expected a closing \" to match this one"));
      if (*ps->p == '\\' && ps->p[1] != '"' && ps->p[1] != '\\')
        return FAIL (ps->p, INVALID, _("unknown escape in a string: only \\\" and \\\\ are allowed"));
      ps->p += *ps->p == '\\';
      g_string_append_c (s, *ps->p);
    }
  ps->p++;
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static Node *
parse_number (Parser *ps)
{
  g_autoptr(Node) node = node_new (NODE_NUMBER);
  const char *end = scan_number (ps->p, &node->is_int);
  g_autofree char *text = end != NULL ? g_strndup (ps->p, end - ps->p) : NULL;

  if (end == NULL || g_ascii_isalnum (*end) || *end == '_' || *end == '.')
    {
      g_autofree char *token = token_at (ps->p);

      return FAIL (ps->p, INVALID, _("`%s` is not a number"), token);
    }
  if (!sitrep_condition_read_number (text, &node->is_int, &node->integer, &node->number))
    return FAIL (ps->p, INVALID, _("this number is too large"));
  ps->p = end;
  return g_steal_pointer (&node);
}

/* Reads .name and [index] steps; names may hold letters, digits, _ and -. */
static GArray *
parse_path (Parser *ps)
{
  g_autoptr(GArray) path = g_array_new (FALSE, TRUE, sizeof (Step));

  g_array_set_clear_func (path, step_clear);
  while (*ps->p == '.' || *ps->p == '[')
    {
      Step step = { NULL, 0 };
      const char *start = ++ps->p;

      if (ps->p[-1] == '.')
        {
          while (g_ascii_isalnum (*ps->p) || *ps->p == '_' || *ps->p == '-')
            ps->p++;
          if (ps->p == start)
            return FAIL (ps->p, INVALID, _("expected a key name (letters, digits, _ or -) after the dot"));
          step.key = g_strndup (start, ps->p - start);
        }
      else
        {
          for (guint64 index = 0; g_ascii_isdigit (*ps->p); ps->p++, step.index = index)
            if ((index = index * 10 + (*ps->p - '0')) > G_MAXINT)
              return FAIL (start, INVALID, _("this array index is too large"));
          if (ps->p == start)
            return FAIL (ps->p, INVALID, _("expected an array index such as [0]"));
          if (*ps->p++ != ']')
            return FAIL (ps->p - 1, INVALID, _("expected ] to close the array index"));
        }
      g_array_append_val (path, step);
    }
  return g_steal_pointer (&path);
}

static Node *
parse_placeholder (Parser *ps)
{
  static const char name_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
  const char *close = ps->p + 1 + strspn (ps->p + 1, name_chars);
  g_autofree char *name = g_strndup (ps->p, close + 1 - ps->p);
  g_autoptr(Node) node = node_new (NODE_PLACEHOLDER);
  const char *guess;

  if (*close != ']')
    return FAIL (ps->p, UNKNOWN_PLACEHOLDER, _("unterminated placeholder %.*s: expected ]"),
                 (int) (close - ps->p), ps->p);
  while (placeholder_names[node->placeholder] != NULL
         && strcmp (name, placeholder_names[node->placeholder]) != 0)
    node->placeholder++;
  if (placeholder_names[node->placeholder] == NULL)
    {
      if ((guess = sitrep_suggest (name, placeholder_names)) != NULL)
        return FAIL (ps->p, UNKNOWN_PLACEHOLDER, _("unknown placeholder %s; did you mean %s?"), name, guess);
      return FAIL (ps->p, UNKNOWN_PLACEHOLDER,
                   _("unknown placeholder %s; expected [STATUS], [RESPONSE_TIME], [BODY], "
                     "[BODY].path, [RESULT], [CONNECTED] or [ERROR]"), name);
    }
  ps->p = close + 1;
  if ((*ps->p == '.' || *ps->p == '[') && node->placeholder != PH_BODY)
    return FAIL (ps->p, INVALID, _("only [BODY] has a path; %s is a single value"), name);
  if ((*ps->p == '.' || *ps->p == '[') && (node->path = parse_path (ps)) == NULL)
    return NULL;
  return g_steal_pointer (&node);
}

static Node *parse_operand (Parser *ps, Side side);

static gboolean
close_function (Parser     *ps,
                const char *name)
{
  skip_spaces (ps);
  if (*ps->p == ')')
    return *ps->p++ == ')';
  FAIL (ps->p, UNBALANCED_PARENTHESES, _("unbalanced parentheses: expected ) to close %s("), name);
  return FALSE;
}

static Node *
parse_function (Parser     *ps,
                const char *start,
                const char *name,
                Side        side)
{
  static const NodeKind kinds[] = { NODE_LEN, NODE_HAS, NODE_PAT, NODE_ANY };
  g_autoptr(Node) node = NULL;
  const char *guess, *at;
  Node *arg;
  int i;

  for (i = 0; function_names[i] != NULL && strcmp (name, function_names[i]) != 0; i++)
    ;
  if (function_names[i] == NULL && (guess = sitrep_suggest (name, function_names)) != NULL)
    return FAIL (start, UNKNOWN_FUNCTION, _("unknown function %s(); did you mean %s()?"), name, guess);
  if (function_names[i] == NULL)
    return FAIL (start, UNKNOWN_FUNCTION, _("unknown function %s(); known: len(), has(), pat(), any()"), name);
  node = node_new (kinds[i]);
  if ((node->kind == NODE_PAT || node->kind == NODE_ANY) && side != SIDE_RIGHT)
    return FAIL (start, INVALID, _("%s() belongs on the right side of == or !=, e.g. %s"), name,
                 node->kind == NODE_PAT ? "[BODY].status == pat(*up*)" : "[STATUS] == any(200, 204)");
  node->args = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  ps->p++; /* ( */
  skip_spaces (ps);
  at = ps->p;

  if (node->kind == NODE_PAT)
    {
      /* Gatus writes the pattern bare, pat(*up*); a quoted one may hold a ) */
      if (*ps->p == '"' && (node->string = parse_string (ps)) == NULL)
        return NULL;
      for (; node->string == NULL && *ps->p != '\0' && *ps->p != ')'; ps->p++)
        ;
      if (node->string == NULL)
        node->string = g_strstrip (g_strndup (at, ps->p - at));
      if (!close_function (ps, name))
        return NULL;
      if (node->string[0] == '\0')
        return FAIL (at, MISSING_OPERAND, _("pat() needs a pattern, e.g. pat(*up*)"));
      node->pattern = g_pattern_spec_new (node->string);
      return g_steal_pointer (&node);
    }

  if (*ps->p == ')' && node->kind == NODE_ANY)
    return FAIL (ps->p, MISSING_OPERAND, _("any() needs at least one value, e.g. any(200, 204)"));
  if (*ps->p == ')')
    return FAIL (ps->p, MISSING_OPERAND, _("%s() needs a placeholder, e.g. %s([BODY].items)"), name, name);
  for (;;)
    {
      g_autofree char *token = NULL;

      if ((arg = parse_operand (ps, SIDE_ARG)) == NULL)
        return NULL;
      g_ptr_array_add (node->args, arg);
      skip_spaces (ps);
      if (node->kind != NODE_ANY || *ps->p == ')' || *ps->p == '\0')
        break;
      if (*ps->p++ == ',')
        {
          skip_spaces (ps);
          continue;
        }
      token = token_at (--ps->p);
      return FAIL (ps->p, INVALID, _("expected , or ) in any(), found `%s`"), token);
    }
  if (node->kind == NODE_HAS && (arg->kind != NODE_PLACEHOLDER || arg->placeholder != PH_BODY))
    return FAIL (at, INVALID, _("has() takes a [BODY] path, e.g. has([BODY].errors)"));
  if (node->kind == NODE_LEN && (arg->kind != NODE_PLACEHOLDER || arg->placeholder == PH_STATUS
                                 || arg->placeholder == PH_RESPONSE_TIME
                                 || arg->placeholder == PH_CONNECTED))
    return FAIL (at, INVALID, _("len() takes a placeholder holding text or a list, e.g. len([BODY].items)"));
  return close_function (ps, name) ? g_steal_pointer (&node) : NULL;
}

static Node *
parse_operand (Parser *ps,
               Side    side)
{
  const char *start = ps->p;
  g_autoptr(Node) node = NULL;
  g_autofree char *word = NULL;

  if (*ps->p == '[')
    node = parse_placeholder (ps);
  else if (*ps->p == '"')
    {
      node = node_new (NODE_STRING);
      if ((node->string = parse_string (ps)) == NULL)
        return NULL;
    }
  else if (*ps->p == '-' || g_ascii_isdigit (*ps->p))
    node = parse_number (ps);
  else if (g_ascii_isalpha (*ps->p) || *ps->p == '_')
    {
      while (g_ascii_isalnum (*ps->p) || *ps->p == '_')
        ps->p++;
      word = g_strndup (start, ps->p - start);
      skip_spaces (ps);
      if (*ps->p == '(')
        node = parse_function (ps, start, word, side);
      else if (g_strv_contains ((const char *const[]) { "true", "false", "null", NULL }, word))
        {
          node = node_new (word[0] == 'n' ? NODE_NULL : NODE_BOOL);
          node->boolean = word[0] == 't';
          ps->p = start + strlen (word); /* not a call: give the spaces back */
        }
      else
        return FAIL (start, INVALID, _("`%s` is not a value: write text in double quotes (\"%s\") "
                                       "and placeholders in brackets ([STATUS])"), word, word);
    }
  else if (*ps->p == ')' && side != SIDE_ARG)
    return FAIL (ps->p, UNBALANCED_PARENTHESES, _("unbalanced parentheses: ) without a matching ("));
  else if (*ps->p == '\0' || *ps->p == ')' || *ps->p == ',')
    return FAIL (ps->p, MISSING_OPERAND, _("expected a value: a placeholder such as [STATUS], a number, "
                                           "a \"string\", true, false or null"));
  else
    {
      word = token_at (ps->p);
      return FAIL (ps->p, MISSING_OPERAND, _("expected a value, found `%s`: a placeholder such as "
                                             "[STATUS], a number, a \"string\", true, false or null"), word);
    }
  if (node == NULL)
    return NULL;
  node->offset = start - ps->text;
  node->text = g_strndup (start, ps->p - start);
  if (node->path != NULL)
    node->path_text = node->text + strlen ("[BODY]");
  return g_steal_pointer (&node);
}

static Op
parse_operator (Parser *ps)
{
  for (Op op = OP_EQ; op < OP_NONE; op++)
    {
      gsize length = strlen (sitrep_condition_op_names[op]);

      /* "<" must not take the first half of "<=" */
      if (strncmp (ps->p, sitrep_condition_op_names[op], length) == 0 && (length == 2 || ps->p[1] != '='))
        {
          ps->p += length;
          return op;
        }
    }
  return OP_NONE;
}

SitrepCondition *
sitrep_condition_parse (const char *text,
                        gsize      *error_offset,
                        GError    **error)
{
  g_autoptr(SitrepCondition) cond = NULL;
  Parser parser = { text, text, error_offset, error };
  Parser *ps = &parser;
  g_autofree char *token = NULL;
  const char *bad;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, &bad))
    return FAIL (bad, INVALID, _("the condition is not valid UTF-8"));
  skip_spaces (ps);
  if (*ps->p == '\0')
    return FAIL (text, EMPTY, _("the condition is empty; expected e.g. [STATUS] == 200"));
  cond = g_new0 (SitrepCondition, 1);
  cond->text = g_strdup (text);
  if ((cond->left = parse_operand (ps, SIDE_LEFT)) == NULL)
    return NULL;
  skip_spaces (ps);
  token = token_at (ps->p);
  if ((cond->op = parse_operator (ps)) == OP_NONE)
    {
      if (*ps->p == '\0' && cond->left->kind == NODE_HAS)
        return g_steal_pointer (&cond);
      if (*ps->p == ')')
        return FAIL (ps->p, UNBALANCED_PARENTHESES, _("unbalanced parentheses: ) without a matching ("));
      if (*ps->p == '=')
        return FAIL (ps->p, MISSING_OPERATOR, _("`=` is not an operator: write == to compare %s with a value"),
                     cond->left->text);
      if (*ps->p == '\0')
        return FAIL (ps->p, MISSING_OPERATOR, _("expected an operator (==, !=, <, <=, >, >=) after %s"),
                     cond->left->text);
      return FAIL (ps->p, MISSING_OPERATOR,
                   _("expected an operator (==, !=, <, <=, >, >=) after %s, found `%s`"),
                   cond->left->text, token);
    }
  skip_spaces (ps);
  if (*ps->p == '\0')
    return FAIL (ps->p, MISSING_OPERAND, _("nothing after %s: expected a value to compare %s with"),
                 sitrep_condition_op_names[cond->op], cond->left->text);
  if ((cond->right = parse_operand (ps, SIDE_RIGHT)) == NULL)
    return NULL;
  if (cond->op >= OP_LT && cond->right->kind >= NODE_PAT)
    return FAIL (text + cond->right->offset, INVALID, _("%s only works with == or !="), cond->right->text);
  skip_spaces (ps);
  g_free (token);
  token = token_at (ps->p);
  if (*ps->p == ')')
    return FAIL (ps->p, UNBALANCED_PARENTHESES, _("unbalanced parentheses: ) without a matching ("));
  if (*ps->p != '\0')
    return FAIL (ps->p, TRAILING_GARBAGE, _("unexpected `%s` after the condition: a check is one "
                                            "comparison; write another condition for the next one"),
                 token);
  return g_steal_pointer (&cond);
}

void
sitrep_condition_free (SitrepCondition *condition)
{
  if (condition == NULL)
    return;
  g_free (condition->text);
  g_clear_pointer (&condition->left, node_free);
  g_clear_pointer (&condition->right, node_free);
  g_free (condition);
}

const char *
sitrep_condition_get_text (const SitrepCondition *condition)
{
  g_return_val_if_fail (condition != NULL, NULL);
  return condition->text;
}
