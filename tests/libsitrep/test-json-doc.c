/* test-json-doc.c: the strict JSON reader decodes values and reports positions a person can use */
#include "config.h"

#include <string.h>

#include "sitrep-json-doc.h"

static SitrepJsonDoc *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  SitrepJsonPos pos = { 0, 0 };
  SitrepJsonDoc *doc;

  doc = sitrep_json_doc_parse (json, strlen (json), 0, &pos, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_nonnull (sitrep_json_doc_get_root (doc));
  return doc;
}

/* Parses @length bytes of @json, expects it to fail with @code at @line:@column, and checks
 * that the message contains @fragment. */
static void
assert_error_len (const char *json,
                  gsize       length,
                  guint       max_depth,
                  int         code,
                  guint       line,
                  guint       column,
                  const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepJsonDoc) doc = NULL;
  SitrepJsonPos pos = { 0, 0 };

  doc = sitrep_json_doc_parse (json, length, max_depth, &pos, &error);
  g_assert_null (doc);
  g_assert_error (error, SITREP_JSON_ERROR, code);
  if (error == NULL)
    return;
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    {
      g_test_message ("message \"%s\" lacks \"%s\"", error->message, fragment);
      g_test_fail ();
    }
  g_assert_cmpuint (pos.line, ==, line);
  g_assert_cmpuint (pos.column, ==, column);
}

static void
assert_error (const char *json,
              int         code,
              guint       line,
              guint       column,
              const char *fragment)
{
  assert_error_len (json, strlen (json), 0, code, line, column, fragment);
}

static JsonNode *
member (JsonNode   *object,
        const char *key)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (object));
  g_assert_true (json_object_has_member (json_node_get_object (object), key));
  return json_object_get_member (json_node_get_object (object), key);
}

static void
assert_pos (SitrepJsonPos pos,
            guint         line,
            guint         column)
{
  g_assert_cmpuint (pos.line, ==, line);
  g_assert_cmpuint (pos.column, ==, column);
}

static void
test_values (void)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  JsonNode *root;
  JsonArray *list;

  doc = parse_ok ("{\"s\": \"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\", \"list\": [1, -2, true, false, null, [], {}],"
                  " \"obj\": {\"x\": \"y\"}}");
  root = sitrep_json_doc_get_root (doc);

  g_assert_cmpstr (json_node_get_string (member (root, "s")), ==, "a\"b\\c/d\n\t\r\b\f");

  list = json_node_get_array (member (root, "list"));
  g_assert_cmpuint (json_array_get_length (list), ==, 7);
  g_assert_cmpint (json_array_get_int_element (list, 0), ==, 1);
  g_assert_cmpint (json_array_get_int_element (list, 1), ==, -2);
  g_assert_true (json_array_get_boolean_element (list, 2));
  g_assert_false (json_array_get_boolean_element (list, 3));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (list, 4)));
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (list, 5)), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_array_get_object_element (list, 6)), ==, 0);

  g_assert_cmpstr (json_node_get_string (member (member (root, "obj"), "x")), ==, "y");
}

static void
test_unicode_escapes (void)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  JsonNode *root;

  doc = parse_ok ("{\"e\": \"caf\\u00e9\", \"pair\": \"\\ud83d\\udd34!\", \"upper\": \"\\u00C9\","
                  " \"raw\": \"h\xC3\xA9 \xF0\x9F\x94\xB4\"}");
  root = sitrep_json_doc_get_root (doc);

  g_assert_cmpstr (json_node_get_string (member (root, "e")), ==, "caf\xC3\xA9");
  /* U+1F534 LARGE RED CIRCLE, from a surrogate pair */
  g_assert_cmpstr (json_node_get_string (member (root, "pair")), ==, "\xF0\x9F\x94\xB4!");
  g_assert_cmpstr (json_node_get_string (member (root, "upper")), ==, "\xC3\x89");
  g_assert_cmpstr (json_node_get_string (member (root, "raw")), ==, "h\xC3\xA9 \xF0\x9F\x94\xB4");
}

static void
test_numbers (void)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  JsonArray *list;
  JsonNode *node;

  doc = parse_ok ("[9223372036854775807, -9223372036854775808, 9223372036854775808, 1.5, 2e3, 0, -0.25, 10]");
  list = json_node_get_array (sitrep_json_doc_get_root (doc));

  node = json_array_get_element (list, 0);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, G_MAXINT64);

  node = json_array_get_element (list, 1);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, G_MININT64);

  /* One past the largest integer becomes a double rather than wrapping around. */
  node = json_array_get_element (list, 2);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), 9223372036854775808.0, 1e4);

  node = json_array_get_element (list, 3);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 1.5);

  node = json_array_get_element (list, 4);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 2000.0);

  node = json_array_get_element (list, 5);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, 0);

  node = json_array_get_element (list, 6);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, -0.25);

  node = json_array_get_element (list, 7);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, 10);
}

static void
test_positions (void)
{
  const char *json = "{\n"
                     "  \"name\": \"x\",\n"
                     "  \"list\": [1,\n"
                     "\t\t2, {\"k\": null}],\n"
                     "  \"deep\": {\"a\": {\"b\": true}}\n"
                     "}\n";
  g_autoptr(SitrepJsonDoc) doc = parse_ok (json);
  JsonNode *root = sitrep_json_doc_get_root (doc);
  JsonNode *list = member (root, "list");
  JsonNode *second = json_array_get_element (json_node_get_array (list), 1);
  JsonNode *third = json_array_get_element (json_node_get_array (list), 2);

  assert_pos (sitrep_json_doc_get_pos (doc, root), 1, 1);

  assert_pos (sitrep_json_doc_get_key_pos (doc, member (root, "name")), 2, 3);
  assert_pos (sitrep_json_doc_get_pos (doc, member (root, "name")), 2, 11);

  assert_pos (sitrep_json_doc_get_key_pos (doc, list), 3, 3);
  assert_pos (sitrep_json_doc_get_pos (doc, list), 3, 11);
  assert_pos (sitrep_json_doc_get_pos (doc, json_array_get_element (json_node_get_array (list), 0)), 3, 12);
  /* A tab is one character. */
  assert_pos (sitrep_json_doc_get_pos (doc, second), 4, 3);
  assert_pos (sitrep_json_doc_get_pos (doc, third), 4, 6);
  assert_pos (sitrep_json_doc_get_key_pos (doc, member (third, "k")), 4, 7);
  assert_pos (sitrep_json_doc_get_pos (doc, member (third, "k")), 4, 12);

  assert_pos (sitrep_json_doc_get_pos (doc, member (member (member (root, "deep"), "a"), "b")), 5, 23);
  assert_pos (sitrep_json_doc_get_key_pos (doc, member (member (member (root, "deep"), "a"), "b")), 5, 18);
}

static void
test_positions_count_characters (void)
{
  /* "é" is two bytes and "🔴" four, but each is one column. */
  g_autoptr(SitrepJsonDoc) doc = parse_ok ("{\"\xF0\x9F\x94\xB4\": \"caf\xC3\xA9\", \"b\": 2,\n"
                                           " \"\xC3\xA9t\xC3\xA9\": [\"\xC3\xA9\", 3]}");
  JsonNode *root = sitrep_json_doc_get_root (doc);
  JsonNode *ete = member (root, "\xC3\xA9t\xC3\xA9");

  assert_pos (sitrep_json_doc_get_key_pos (doc, member (root, "\xF0\x9F\x94\xB4")), 1, 2);
  assert_pos (sitrep_json_doc_get_pos (doc, member (root, "\xF0\x9F\x94\xB4")), 1, 7);
  assert_pos (sitrep_json_doc_get_key_pos (doc, member (root, "b")), 1, 15);
  assert_pos (sitrep_json_doc_get_pos (doc, member (root, "b")), 1, 20);
  assert_pos (sitrep_json_doc_get_key_pos (doc, ete), 2, 2);
  assert_pos (sitrep_json_doc_get_pos (doc, ete), 2, 9);
  assert_pos (sitrep_json_doc_get_pos (doc, json_array_get_element (json_node_get_array (ete), 1)), 2, 15);
}

static void
test_crlf_positions (void)
{
  g_autoptr(SitrepJsonDoc) doc = parse_ok ("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n");
  JsonNode *root = sitrep_json_doc_get_root (doc);

  assert_pos (sitrep_json_doc_get_key_pos (doc, member (root, "b")), 3, 3);
  assert_pos (sitrep_json_doc_get_pos (doc, member (root, "b")), 3, 8);
}

static void
test_locate_in_string (void)
{
  /*                              columns: 1234567890123456789012345678901234 */
  g_autoptr(SitrepJsonDoc) doc = parse_ok ("{\"a\": \"x\\ny{z}\",\n"
                                           " \"b\": \"\\\"q\\\" {z}\",\n"
                                           " \"c\": \"\\u00e9{z}\",\n"
                                           " \"d\": \"\xC3\xA9{z}\",\n"
                                           " \"e\": \"\\ud83d\\udd34{z}\",\n"
                                           " \"n\": 5}");
  JsonNode *root = sitrep_json_doc_get_root (doc);
  JsonNode *a = member (root, "a");
  JsonNode *b = member (root, "b");
  JsonNode *c = member (root, "c");
  JsonNode *d = member (root, "d");
  JsonNode *e = member (root, "e");

  /* Offset 0 is the first character after the opening quote. */
  assert_pos (sitrep_json_doc_locate_in_string (doc, a, 0), 1, 8);
  /* "x\ny{z}": '{' is decoded byte 3; in the file "\n" takes two columns. */
  g_assert_cmpuint ((gsize) (strchr (json_node_get_string (a), '{') - json_node_get_string (a)), ==, 3);
  assert_pos (sitrep_json_doc_locate_in_string (doc, a, 3), 1, 12);
  /* "\"q\" {z}": '{' is decoded byte 4, after two escaped quotes. */
  assert_pos (sitrep_json_doc_locate_in_string (doc, b, 4), 2, 14);
  /* "\u00e9{z}": é is two decoded bytes and six characters in the file. */
  assert_pos (sitrep_json_doc_locate_in_string (doc, c, 2), 3, 14);
  /* A raw é is two bytes and one column. */
  assert_pos (sitrep_json_doc_locate_in_string (doc, d, 2), 4, 9);
  /* A surrogate pair is four decoded bytes and twelve characters in the file. */
  assert_pos (sitrep_json_doc_locate_in_string (doc, e, 4), 5, 20);
  /* For a value that is not a string, the value's own position. */
  assert_pos (sitrep_json_doc_locate_in_string (doc, member (root, "n"), 3), 6, 7);
}

/* The documents that must fail: the test they belong to; the bytes and their length (-1: up to
 * the NUL); the depth limit (0: the default); the error, where it is reported, and a fragment of
 * its message. */
typedef struct
{
  const char *group;
  const char *json;
  gssize length;
  guint max_depth;
  int code;
  guint line;
  guint column;
  const char *fragment;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "trailing-comma", "{\"a\": 1,}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 9, "trailing comma" },
  { "trailing-comma", "{\n  \"a\": 1,\n  \"b\": 2,\n}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 4, 1, "trailing comma" },
  { "trailing-comma", "[1, 2,]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 7, "trailing comma" },
  { "trailing-comma", "[\n  1,\n  2,\n  ]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 4, 3, "']'" },
  { "missing-comma", "{\"a\": 1\n \"b\": 2}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 2, 2, "expected ',' or '}'" },
  { "missing-comma", "{\"a\": 1 \"b\": 2}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 9, "\"a\"" },
  { "missing-comma", "[1 2]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 4, "expected ',' or ']'" },
  { "missing-comma", "{\"a\" 1}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 6, "expected ':'" },
  /* Unterminated: the file ends inside the string. */
  { "strings", "{\"a\": \"abc", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 11, "closing '\"'" },
  { "strings", "[\"abc\\", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 7, "ends inside a string" },
  /* A raw line break, at the line break itself. */
  { "strings", "{\"a\": \"one\ntwo\"}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 11, "\\n" },
  { "strings", "[\"tab\there\"]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 6, "control character" },
  /* An unknown escape, at the character after the backslash. */
  { "strings", "{\"a\": \"C:\\windows\"}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 11, "'\\w'" },
  { "strings", "[\"\\x41\"]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 4, "unknown escape" },
  /* \u needs four hex digits: the first non-hex character. */
  { "strings", "[\"\\u12G4\"]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 7, "four hexadecimal digits" },
  /* A key must be a string. */
  { "strings", "{a: 1}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "member name in double quotes" },
  { "strings", "{'a': 1}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "'''" },
  /* A bad \u escape is reported at the '\' that starts it, not after it. */
  { "surrogates", "[\"\\udc00\"]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 3, "lone low surrogate" },
  { "surrogates", "[\"ab\\ud83dx\"]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 5, "surrogate pair is incomplete" },
  { "surrogates", "[\"\\u0000\"]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 3, "\\u0000" },
  { "comments", "{\n  // the API\n  \"a\": 1\n}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 2, 3, "comments are not allowed" },
  { "comments", "{\"a\": 1 /* one */}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 9, "comments are not allowed" },
  { "comments", "[1, # two\n 2]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 5, "'#'" },
  { "numbers", "{\"port\": 0123}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 10, "cannot start with 0" },
  { "numbers", "[-01]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 3, "cannot start with 0" },
  { "numbers", "[-]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 3, "digits after '-'" },
  { "numbers", "[1.]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 4, "digits after '.'" },
  { "numbers", "[1e+]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 5, "exponent" },
  { "numbers", "[+1]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "'+'" },
  { "numbers", "[.5]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "'.'" },
  { "numbers", "[NaN]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "'N'" },
  { "literals", "[tru]", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "'t'" },
  { "literals", "{\"a\": True}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 7, "'T'" },
  { "literals", "[nul", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "expected a value" },
  { "garbage-after", "{} x", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 4, "after the end of the document" },
  { "garbage-after", "{\"a\": 1}\n}\n", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 2, 1, "'}'" },
  { "garbage-after", "{}{}", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 3, "after the end" },
  { "truncated", "{\"a\": ", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 7, "ends where a value was expected" },
  { "truncated", "{\"a\": 1", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 8, "the end of the file" },
  { "truncated", "[1,\n", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 2, 1, "ends where a value was expected" },
  { "truncated", "{", -1, 0,
    SITREP_JSON_ERROR_SYNTAX, 1, 2, "the end of the file" },
  { "empty", "", 0, 0,
    SITREP_JSON_ERROR_EMPTY, 1, 1, "empty" },
  { "empty", NULL, 0, 0,
    SITREP_JSON_ERROR_EMPTY, 1, 1, "empty" },
  { "empty", " \n\t\r\n  ", -1, 0,
    SITREP_JSON_ERROR_EMPTY, 3, 3, "empty" },
  { "empty", "\xEF\xBB\xBF", -1, 0,
    SITREP_JSON_ERROR_EMPTY, 1, 1, "empty" },
  /* A Latin-1 "é" (0xE9) in the middle of the second line. */
  { "encoding", "{\n  \"name\": \"caf\xE9\"\n}", -1, 0,
    SITREP_JSON_ERROR_ENCODING, 2, 15, "UTF-8" },
  /* Columns before the bad byte count characters, not bytes. */
  { "encoding", "[\"\xC3\xA9\xF0\x9F\x94\xB4\", \"\xFF\"]", -1, 0,
    SITREP_JSON_ERROR_ENCODING, 1, 9, "UTF-8" },
  /* A truncated multi-byte sequence at the very end. */
  { "encoding", "[\"\xC3", -1, 0,
    SITREP_JSON_ERROR_ENCODING, 1, 3, "UTF-8" },
  /* An overlong encoding of '/' is not UTF-8 either. */
  { "encoding", "[\"\xC0\xAF\"]", -1, 0,
    SITREP_JSON_ERROR_ENCODING, 1, 3, "UTF-8" },
  /* A NUL byte inside the data is not accepted as text. */
  { "encoding", "[1]\0[2]", 7, 0,
    SITREP_JSON_ERROR_ENCODING, 1, 4, "UTF-8" },
};

/* Every document of one group fails as its row says. */
static void
test_error_group (gconstpointer data)
{
  const char *group = data;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];

      if (!g_str_equal (c->group, group))
        continue;
      g_test_message ("%s, case %u", group, n);
      assert_error_len (c->json, c->length < 0 ? strlen (c->json) : (gsize) c->length,
                        c->max_depth, c->code, c->line, c->column, c->fragment);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

static void
test_error_surrogate_pair_wrong_low (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepJsonDoc) doc = NULL;
  const char *json = "[\"\\ud83d\\u0041\"]";

  /* A high surrogate followed by an escape that is not a low surrogate. */
  doc = sitrep_json_doc_parse (json, strlen (json), 0, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, SITREP_JSON_ERROR, SITREP_JSON_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "surrogate"));
}

static void
test_error_duplicate_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepJsonDoc) doc = NULL;
  SitrepJsonPos pos = { 0, 0 };
  const char *json = "{\n  \"id\": 1,\n  \"name\": 2,\n    \"id\": 3\n}";

  doc = sitrep_json_doc_parse (json, strlen (json), 0, &pos, &error);
  g_assert_null (doc);
  g_assert_error (error, SITREP_JSON_ERROR, SITREP_JSON_ERROR_DUPLICATE_KEY);
  /* Reported at the second key, naming where the first one is. */
  assert_pos (pos, 4, 5);
  g_assert_nonnull (strstr (error->message, "\"id\""));
  g_assert_nonnull (strstr (error->message, "line 2, column 3"));

  /* The same key in two different objects is fine. */
  g_clear_pointer (&doc, sitrep_json_doc_free);
  doc = parse_ok ("[{\"id\": 1}, {\"id\": 2}, {\"x\": {\"id\": 3}, \"id\": 4}]");
}

static void
test_error_too_deep (void)
{
  g_autofree char *ok = NULL;
  g_autofree char *deep = NULL;
  g_autoptr(SitrepJsonDoc) doc = NULL;
  g_autoptr(GError) error = NULL;

  /* Exactly max_depth levels is fine, one more is not. */
  ok = g_strdup_printf ("%s1%s", "[[[[", "]]]]");
  doc = sitrep_json_doc_parse (ok, strlen (ok), 4, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);

  assert_error_len ("[[[[[1]]]]]", 11, 4, SITREP_JSON_ERROR_TOO_DEEP, 1, 5, "deeper than 4 levels");
  assert_error_len ("{\"a\": {\"b\": [{}]}}", 18, 3, SITREP_JSON_ERROR_TOO_DEEP, 1, 14, "deeper than 3");

  /* max_depth 0 means the default, 64 */
  deep = g_strnfill (65, '[');
  assert_error_len (deep, 65, 0, SITREP_JSON_ERROR_TOO_DEEP, 1, 65, "64");
}

static void
test_error_very_deep (void)
{
  const gsize depth = 100000;
  g_autofree char *deep = g_malloc (depth * 2 + 1);

  /* 100,000 levels would overflow the stack of a naive recursive parser; the error's column
   * shows that the parser stopped at the limit instead of reading on. */
  memset (deep, '[', depth);
  memset (deep + depth, ']', depth);
  deep[depth * 2] = '\0';

  assert_error_len (deep, depth * 2, 64, SITREP_JSON_ERROR_TOO_DEEP, 1, 65, "deeper than 64");

  /* Objects too, and unterminated. */
  for (gsize i = 0; i < depth / 6; i++)
    memcpy (deep + i * 6, "{\"a\": ", 6);
  assert_error_len (deep, (depth / 6) * 6, 64, SITREP_JSON_ERROR_TOO_DEEP, 1, 64 * 6 + 1, "deeper than 64");
}

static void
test_bom (void)
{
  g_autoptr(SitrepJsonDoc) doc = parse_ok ("\xEF\xBB\xBF{\"a\": 1,\n \"b\": \"x\"}");
  JsonNode *root = sitrep_json_doc_get_root (doc);

  g_assert_cmpint (json_node_get_int (member (root, "a")), ==, 1);
  /* The BOM is not a character of the first line. */
  assert_pos (sitrep_json_doc_get_pos (doc, root), 1, 1);
  assert_pos (sitrep_json_doc_get_key_pos (doc, member (root, "a")), 1, 2);
  assert_pos (sitrep_json_doc_get_pos (doc, member (root, "a")), 1, 7);
  assert_pos (sitrep_json_doc_get_pos (doc, member (root, "b")), 2, 7);

  /* Errors on the first line after a BOM are not shifted either. */
  assert_error ("\xEF\xBB\xBF{\"a\": 1,}", SITREP_JSON_ERROR_SYNTAX, 1, 9, "trailing comma");
  /* A BOM anywhere but the start is not whitespace. */
  assert_error ("[1, \xEF\xBB\xBF 2]", SITREP_JSON_ERROR_SYNTAX, 1, 5, "expected a value");
}

static void
test_bom_encoding_position (void)
{
  /* The byte order mark is no column. */
  assert_error ("\xEF\xBB\xBF{\"a\": \"\xFF\"}", SITREP_JSON_ERROR_ENCODING, 1, 8, "UTF-8");
}

static void
test_scalar_root (void)
{
  g_autoptr(SitrepJsonDoc) doc = parse_ok ("  \"just a string\"  ");

  g_assert_cmpstr (json_node_get_string (sitrep_json_doc_get_root (doc)), ==, "just a string");
  assert_pos (sitrep_json_doc_get_pos (doc, sitrep_json_doc_get_root (doc)), 1, 3);
}

static void
test_length_bounds_input (void)
{
  g_autoptr(SitrepJsonDoc) doc = NULL;
  g_autoptr(GError) error = NULL;
  const char *json = "{\"a\": 1}garbage";

  /* Only @length bytes are read: the data need not be NUL-terminated. */
  doc = sitrep_json_doc_parse (json, 8, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_cmpint (json_node_get_int (member (sitrep_json_doc_get_root (doc), "a")), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* A wrong position fails its test case without hiding the results of the others. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/json-doc/values", test_values);
  g_test_add_func ("/json-doc/unicode-escapes", test_unicode_escapes);
  g_test_add_func ("/json-doc/numbers", test_numbers);
  g_test_add_func ("/json-doc/positions", test_positions);
  g_test_add_func ("/json-doc/positions-count-characters", test_positions_count_characters);
  g_test_add_func ("/json-doc/crlf-positions", test_crlf_positions);
  g_test_add_func ("/json-doc/locate-in-string", test_locate_in_string);
  g_test_add_data_func ("/json-doc/error/trailing-comma", "trailing-comma", test_error_group);
  g_test_add_data_func ("/json-doc/error/missing-comma", "missing-comma", test_error_group);
  g_test_add_data_func ("/json-doc/error/strings", "strings", test_error_group);
  g_test_add_data_func ("/json-doc/error/surrogates", "surrogates", test_error_group);
  g_test_add_func ("/json-doc/error/surrogate-pair-wrong-low", test_error_surrogate_pair_wrong_low);
  g_test_add_data_func ("/json-doc/error/comments", "comments", test_error_group);
  g_test_add_data_func ("/json-doc/error/numbers", "numbers", test_error_group);
  g_test_add_data_func ("/json-doc/error/literals", "literals", test_error_group);
  g_test_add_data_func ("/json-doc/error/garbage-after", "garbage-after", test_error_group);
  g_test_add_data_func ("/json-doc/error/truncated", "truncated", test_error_group);
  g_test_add_func ("/json-doc/error/duplicate-key", test_error_duplicate_key);
  g_test_add_data_func ("/json-doc/error/empty", "empty", test_error_group);
  g_test_add_data_func ("/json-doc/error/encoding", "encoding", test_error_group);
  g_test_add_func ("/json-doc/error/too-deep", test_error_too_deep);
  g_test_add_func ("/json-doc/error/very-deep", test_error_very_deep);
  g_test_add_func ("/json-doc/bom", test_bom);
  g_test_add_func ("/json-doc/bom-encoding-position", test_bom_encoding_position);
  g_test_add_func ("/json-doc/scalar-root", test_scalar_root);
  g_test_add_func ("/json-doc/length-bounds-input", test_length_bounds_input);

  return g_test_run ();
}
