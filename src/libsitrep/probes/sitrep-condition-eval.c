/* sitrep-condition-eval.c: judges a probe result by a parsed condition, strictly */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "sitrep-condition-eval.h"
#include "sitrep-condition-private.h"

/* Evaluation */

typedef enum { V_NULL, V_BOOL, V_NUMBER, V_STRING, V_LIST, V_OBJECT } ValueType;
static const char *const value_types[] = { N_("null"), N_("true or false"), N_("a number"),
                                           N_("a string"), N_("a list"), N_("an object") };

typedef struct
{
  ValueType type;
  gboolean numeric; /* a number, or [RESULT] text that reads entirely as one */
  gboolean is_int;
  gint64 integer;
  double number;
  gboolean boolean;
  char *string;     /* also the raw text of a JSON body, for pat() */
  guint size;       /* of a list or an object */
  JsonNode *node;   /* borrowed from the result */
} Value;

/* NOT_FOUND is a missing path, which has() turns into false; NO_VALUE always fails. */
typedef enum { FOUND, NOT_FOUND, NO_VALUE } Found;

static void
set_number (Value   *v,
            gboolean is_int,
            gint64   integer,
            double   number)
{
  v->type = V_NUMBER;
  v->numeric = TRUE;
  v->is_int = is_int;
  v->integer = integer;
  v->number = is_int ? (double) integer : number;
}

static void
set_text (Value      *v,
          const char *text,
          gssize      length,
          gboolean    maybe_number)
{
  g_autofree char *stripped = NULL;

  v->type = V_STRING;
  /* An empty body or output may come as NULL data: it is the empty string all the same. */
  v->string = text != NULL ? g_utf8_make_valid (text, length) : g_strdup ("");
  stripped = g_strstrip (g_strdup (v->string));
  v->numeric = maybe_number && sitrep_condition_read_number (stripped, &v->is_int, &v->integer, &v->number);
}

static void
set_json (Value    *v,
          JsonNode *node)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  v->node = node;
  v->type = JSON_NODE_HOLDS_OBJECT (node) ? V_OBJECT : JSON_NODE_HOLDS_ARRAY (node) ? V_LIST : V_NULL;
  if (v->type == V_OBJECT)
    v->size = json_object_get_size (json_node_get_object (node));
  else if (v->type == V_LIST)
    v->size = json_array_get_length (json_node_get_array (node));
  else if (type == G_TYPE_STRING)
    set_text (v, json_node_get_string (node), -1, FALSE);
  else if (type == G_TYPE_INT64)
    set_number (v, TRUE, json_node_get_int (node), 0);
  else if (type == G_TYPE_DOUBLE)
    set_number (v, FALSE, 0, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    v->type = V_BOOL, v->boolean = json_node_get_boolean (node);
}

/* A list or an object as a reason shows it, "a list of 3 items", in each reader's language. */
static SitrepReason *
shown_size (const Value *v)
{
  SitrepReason *count = sitrep_reason_new_printf ("%u", v->size);

  if (v->type == V_LIST)
    return sitrep_reason_new_plural ("a list of %s item", "a list of %s items", v->size, count);
  return sitrep_reason_new_plural ("an object of %s member", "an object of %s members", v->size,
                                   count);
}

static char *
format_value (const Value *v)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(GString) s = NULL;
  const char *p;
  guint n = 0;

  if (v->type == V_NUMBER)
    return v->is_int ? g_strdup_printf ("%" G_GINT64_FORMAT, v->integer)
                     : g_strdup (g_ascii_formatd (number, sizeof number, "%.15g", v->number));
  if (v->type == V_LIST || v->type == V_OBJECT)
    {
      g_autoptr(SitrepReason) size = shown_size (v);

      return g_strdup (sitrep_reason_to_string (size));
    }
  if (v->type != V_STRING)
    return g_strdup (v->type == V_NULL ? "null" : v->boolean ? "true" : "false");
  if (v->numeric)
    return g_strstrip (g_strdup (v->string));
  s = g_string_new ("\"");
  for (p = v->string; *p != '\0' && n < MAX_SHOWN_CHARS; p = g_utf8_next_char (p), n++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (s, *p == '\n' ? "\\n" : "\\x%02x", *p);
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
    }
  g_string_append (s, *p != '\0' ? "…\"" : "\"");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static SitrepReason *
text (const char *words)
{
  return sitrep_reason_new_text (words);
}

static SitrepReason *
take_text (char *words)
{
  SitrepReason *reason = sitrep_reason_new_text (words);

  g_free (words);
  return reason;
}

/* A value as a reason shows it: as it is, or its size. */
static SitrepReason *
shown_value (const Value *v)
{
  if (v->type == V_LIST || v->type == V_OBJECT)
    return shown_size (v);
  return take_text (format_value (v));
}

/* Why the result failed, as its probe said it. */
static SitrepReason *
result_reason (const SitrepProbeResult *r)
{
  return r->why != NULL ? sitrep_reason_ref (r->why) : text (r->error);
}

/* A side as a reason names it: "status 503", "`.status` is \"up\"", a literal as written. */
static SitrepReason *
subject (const Node  *node,
         const Value *v)
{
  static const char *const formats[] = { N_("status %s"), N_("response time %s ms"),
                                         N_("the body is %s"), N_("the result is %s"),
                                         N_("connected is %s"), N_("the error is %s") };

  if (node->kind == NODE_LEN || node->kind == NODE_HAS)
    return sitrep_reason_new (N_("%s is %s"), text (node->text), shown_value (v));
  if (node->kind != NODE_PLACEHOLDER)
    return shown_value (v);
  if (node->path_text != NULL)
    return sitrep_reason_new (N_("`%s` is %s"), text (node->path_text),
                              shown_value (v));
  if (node->placeholder == PH_BODY && v->type == V_STRING && v->string[0] == '\0')
    return sitrep_reason_new (N_("the body is empty"));
  return sitrep_reason_new (formats[node->placeholder], shown_value (v));
}

/* A side as the resolved condition shows it: "[STATUS] (503)", or a literal as written. */
static SitrepReason *
describe (const Node  *node,
          const Value *v,
          Found        found)
{
  if (node->kind > NODE_HAS)
    return text (node->text);
  if (found != FOUND)
    return sitrep_reason_new (found == NOT_FOUND ? N_("%s (not found)") : N_("%s (no value)"),
                              text (node->text));
  return sitrep_reason_new ("%s (%s)", text (node->text), shown_value (v));
}

static Found
no_value (const SitrepProbeResult *r,
          const char              *what,
          SitrepReason           **why)
{
  if (r->error != NULL)
    *why = sitrep_reason_new ("%s: %s", sitrep_reason_new (what), result_reason (r));
  else
    *why = sitrep_reason_new (what);
  return NO_VALUE;
}

static Found
resolve_body (const Node              *node,
              const SitrepProbeResult *r,
              Value                   *v,
              SitrepReason           **why)
{
  JsonNode *at = r->json;
  gsize size = 0;
  const char *data = r->body != NULL ? g_bytes_get_data (r->body, &size) : NULL;

  if (r->body == NULL)
    return no_value (r, N_("no body"), why);
  /* GLib hands out NULL for the data of an empty GBytes. */
  if (data == NULL)
    data = "";
  if (at == NULL && node->path != NULL)
    {
      *why = sitrep_reason_new (N_("`%s` cannot be read: %s"), text (node->path_text),
                                r->json_why != NULL ? sitrep_reason_ref (r->json_why)
                                                    : text (r->json_error));
      return NO_VALUE;
    }
  for (guint i = 0; node->path != NULL && i < node->path->len; i++)
    {
      const Step *step = &g_array_index (node->path, Step, i);

      if (step->key != NULL && JSON_NODE_HOLDS_OBJECT (at))
        at = json_object_get_member (json_node_get_object (at), step->key);
      else if (step->key == NULL && JSON_NODE_HOLDS_ARRAY (at)
               && step->index < json_array_get_length (json_node_get_array (at)))
        at = json_array_get_element (json_node_get_array (at), step->index);
      else
        at = NULL;
      if (at == NULL)
        {
          *why = sitrep_reason_new (N_("`%s` not found in body"), text (node->path_text));
          return NOT_FOUND;
        }
    }
  if (at != NULL)
    set_json (v, at);
  if (node->path != NULL || (at != NULL && v->string != NULL))
    return FOUND;
  /* The whole body: JSON when it is JSON, else text; a cut body cannot equal anything. */
  if (r->body_truncated)
    *why = sitrep_reason_new (N_("the body was cut at the size limit, so it cannot be compared"));
  else if (!g_utf8_validate_len (data, size, NULL))
    *why = sitrep_reason_new (N_("the body is not valid UTF-8"));
  else
    {
      v->string = g_strchomp (g_strndup (data, size));
      v->type = at != NULL ? v->type : V_STRING;
    }
  return *why != NULL ? NO_VALUE : FOUND;
}

static Found
resolve (const Node              *node,
         const SitrepProbeResult *r,
         Value                   *v,
         SitrepReason           **why)
{
  Value inner = { 0 };
  Found found;

  switch (node->kind)
    {
    case NODE_NUMBER:
      set_number (v, node->is_int, node->integer, node->number);
      return FOUND;
    case NODE_STRING:
      set_text (v, node->string, -1, FALSE);
      return FOUND;
    case NODE_BOOL:
    case NODE_NULL:
      v->type = node->kind == NODE_BOOL ? V_BOOL : V_NULL;
      v->boolean = node->boolean;
      return FOUND;
    case NODE_LEN:
    case NODE_HAS:
      found = resolve (g_ptr_array_index (node->args, 0), r, &inner, why);
      if (node->kind == NODE_HAS && found != NO_VALUE)
        v->type = V_BOOL, v->boolean = found == FOUND, found = FOUND;
      else if (found == FOUND && inner.type != V_STRING && inner.type < V_LIST)
        {
          *why = sitrep_reason_new (N_("len() needs text, a list or an object, but %s"),
                                    subject (g_ptr_array_index (node->args, 0), &inner));
          found = NO_VALUE;
        }
      else if (found == FOUND)
        set_number (v, TRUE, inner.type == V_STRING ? g_utf8_strlen (inner.string, -1) : inner.size, 0);
      g_free (inner.string);
      return found;
    case NODE_PLACEHOLDER:
    case NODE_PAT:
    case NODE_ANY:
    default:
      break;
    }
  switch (node->placeholder)
    {
    case PH_STATUS:
      if (r->status < 0)
        return no_value (r, N_("no status"), why);
      set_number (v, TRUE, r->status, 0);
      break;
    case PH_RESPONSE_TIME:
      set_number (v, FALSE, 0, r->response_time_ms);
      break;
    case PH_BODY:
      return resolve_body (node, r, v, why);
    case PH_RESULT:
      if (r->result == NULL)
        return no_value (r, N_("no result"), why);
      set_text (v, r->result, -1, TRUE);
      break;
    case PH_CONNECTED:
      v->type = V_BOOL;
      v->boolean = r->connected;
      break;
    case PH_ERROR:
    default:
      set_text (v, r->error != NULL ? r->error : "", -1, FALSE);
      break;
    }
  return FOUND;
}

/* 1 when @a @op @b holds, 0 when it does not, -1 when their types cannot be compared. */
static int
compare (const Value *a,
         Op           op,
         const Value *b)
{
  gboolean equal;
  int order;

  if (a->numeric && b->numeric && (op >= OP_LT || a->type == V_NUMBER || b->type == V_NUMBER))
    {
      order = a->is_int && b->is_int ? (a->integer > b->integer) - (a->integer < b->integer)
                                     : (a->number > b->number) - (a->number < b->number);
      return op == OP_EQ ? order == 0 : op == OP_NE ? order != 0 : op == OP_LT ? order < 0
             : op == OP_LE ? order <= 0 : op == OP_GT ? order > 0 : order >= 0;
    }
  if (op >= OP_LT || (a->type != b->type && a->type != V_NULL && b->type != V_NULL))
    return -1;
  if (a->type != b->type)
    equal = FALSE; /* only null against a value: a plain inequality */
  else if (a->type == V_STRING)
    equal = strcmp (a->string, b->string) == 0;
  else if (a->type == V_BOOL)
    equal = !a->boolean == !b->boolean;
  else
    equal = a->type == V_NULL || json_node_equal (a->node, b->node);
  return (op == OP_EQ) == equal;
}

static SitrepReason *
explain_mismatch (const Node  *left,
                  const Value *l,
                  Op           op,
                  const Node  *right,
                  const Value *r)
{
  if (op >= OP_LT)
    return sitrep_reason_new (N_("%s, not a number"),
                              subject (l->numeric ? right : left, l->numeric ? r : l));
  return sitrep_reason_new (N_("type mismatch: %s is %s, %s is %s"), describe (left, l, FOUND),
                            sitrep_reason_new (value_types[l->type]), describe (right, r, FOUND),
                            sitrep_reason_new (value_types[r->type]));
}

/* `LEFT == any(…)` and `LEFT == pat(…)`, and their !=. A value that cannot match (a list
 * against a pattern, a path missing from the body) matches nothing, so != holds for it. */
static gboolean
match (const SitrepCondition   *cond,
       const SitrepProbeResult *r,
       const Value             *l,
       SitrepReason           **why)
{
  const Node *right = cond->right;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *matched_text = NULL;
  g_autoptr(SitrepReason) missing = NULL;
  gboolean matched = FALSE, comparable = FALSE;

  if (right->kind == NODE_PAT)
    {
      matched_text = l->string != NULL ? g_strdup (l->string)
                                       : l->type < V_STRING ? format_value (l) : NULL;
      if (matched_text == NULL)
        {
          if (cond->op == OP_NE)
            return TRUE;
          *why = sitrep_reason_new (N_("type mismatch: %s, not text that %s can match"),
                                    subject (cond->left, l), text (right->text));
          return FALSE;
        }
      if (g_pattern_spec_match_string (right->pattern, matched_text) == (cond->op == OP_EQ))
        return TRUE;
      *why = sitrep_reason_new (cond->op == OP_EQ ? N_("%s, expected to match %s")
                                                  : N_("%s, expected not to match %s"),
                                subject (cond->left, l), text (right->string));
      return FALSE;
    }
  /* The list is shown in this console's words: a reason's message takes 16 arguments at most. */
  for (guint i = 0; i < right->args->len; i++)
    {
      const Node *item = g_ptr_array_index (right->args, i);
      g_autoptr(SitrepReason) item_why = NULL;
      g_autoptr(SitrepReason) shown = NULL;
      Value v = { 0 };
      Found found = resolve (item, r, &v, &item_why);
      int c = -1;

      if (found != FOUND)
        {
          if (missing == NULL)
            missing = g_steal_pointer (&item_why);
        }
      else
        {
          c = compare (l, OP_EQ, &v);
          matched |= c == 1;
          comparable |= c >= 0;
        }
      shown = describe (item, &v, found);
      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", sitrep_reason_to_string (shown));
      g_free (v.string);
    }
  if (matched == (cond->op == OP_EQ))
    return TRUE;
  if (cond->op == OP_NE)
    *why = sitrep_reason_new (N_("%s, expected none of %s"), subject (cond->left, l),
                              text (list->str));
  else if (!comparable && missing != NULL)
    *why = g_steal_pointer (&missing);
  else
    *why = sitrep_reason_new (!comparable ? N_("type mismatch: %s, expected one of %s")
                                          : N_("%s, expected one of %s"),
                              subject (cond->left, l), text (list->str));
  return FALSE;
}

gboolean
sitrep_condition_evaluate (const SitrepCondition   *condition,
                           const SitrepProbeResult *result,
                           char                   **resolved,
                           SitrepReason           **reason)
{
  const Node *left = condition->left, *right = condition->right;
  gboolean matcher = right != NULL && right->kind >= NODE_PAT;
  g_autoptr(SitrepReason) why = NULL;
  g_autoptr(SitrepReason) right_why = NULL;
  Value l = { 0 }, r = { 0 };
  Found lf = NO_VALUE, rf = NO_VALUE;
  gboolean held = FALSE;

  g_return_val_if_fail (condition != NULL && result != NULL, FALSE);

  /* A value that is missing, or that cannot be compared with the other side, equals nothing:
   * == and the orderings fail with the reason, != holds. It never counts as 0 or "". */
  if (!result->ran)
    why = sitrep_reason_new (N_("the check could not run: %s"),
                             result->error ? result_reason (result)
                                           : sitrep_reason_new (N_("no reason given")));
  else if ((lf = resolve (left, result, &l, &why)) != FOUND)
    held = condition->op == OP_NE;
  else if (right != NULL && !matcher && (rf = resolve (right, result, &r, &right_why)) != FOUND)
    {
      g_clear_pointer (&why, sitrep_reason_unref);
      why = g_steal_pointer (&right_why);
      held = condition->op == OP_NE;
    }
  else if (condition->op == OP_NONE)
    held = l.boolean; /* a bare has(): why says which path is missing */
  else
    {
      g_clear_pointer (&why, sitrep_reason_unref);
      if (matcher)
        held = match (condition, result, &l, &why);
      else if ((held = compare (&l, condition->op, &r)) < 0)
        {
          held = condition->op == OP_NE;
          if (!held)
            why = explain_mismatch (left, &l, condition->op, right, &r);
        }
      else if (!held)
        why = sitrep_reason_new (N_("%s, expected %s%s"), subject (left, &l),
                                 sitrep_reason_new (sitrep_condition_op_phrases[condition->op]),
                                 describe (right, &r, FOUND));
    }

  if (resolved != NULL)
    {
      g_autoptr(SitrepReason) ls = describe (left, &l, lf);
      g_autoptr(SitrepReason) rs = right != NULL ? describe (right, &r, rf) : NULL;

      *resolved = rs != NULL ? g_strdup_printf ("%s %s %s", sitrep_reason_to_string (ls),
                                                sitrep_condition_op_names[condition->op],
                                                sitrep_reason_to_string (rs))
                             : g_strdup (sitrep_reason_to_string (ls));
    }
  if (reason != NULL)
    *reason = held ? NULL : g_steal_pointer (&why);
  g_free (l.string);
  g_free (r.string);
  return held;
}
