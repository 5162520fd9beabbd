/* test-template.c: the one {placeholder} engine: its segments, each output rule against hostile
 * values, and the loader, the command line, the channel and the action texts that use it */
#include "config.h"

#include <string.h>

#include "fixture-runbook.h"
#include "sitrep-action.h"
#include "sitrep-argv.h"
#include "sitrep-incident.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-template.h"

#define LONGEST_VALUE "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
                      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
                      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
                      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

/* The segments in a form a table can hold: kind, offset+length in the source, and the text. */
static char *
describe_segments (const char *source)
{
  g_autoptr(SitrepTemplateText) parsed = sitrep_template_text_parse (source);
  g_autoptr(GString) out = g_string_new (NULL);
  const SitrepTemplateSegment *segments;
  guint n_segments;

  segments = sitrep_template_text_get_segments (parsed, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    {
      static const char kinds[] = { 'L', 'P', 'O', 'C' };
      g_autofree char *text = g_strescape (segments[i].text, NULL);

      g_string_append_printf (out, "%s%c%" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT "'%s'",
                              i > 0 ? " " : "", kinds[segments[i].kind], segments[i].offset,
                              segments[i].length, text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_parse (void)
{
  static const struct
  {
    const char *source;
    const char *segments;
  } cases[] = {
    { "", "" },
    { "plain text", "L0+10'plain text'" },
    { "{summary}", "P0+9'summary'" },
    { "Lead: {lead}.", "L0+6'Lead: ' P6+6'lead' L12+1'.'" },
    /* "{{" and "}}" are one brace of the text, and keep their two bytes of the source. */
    { "x {{y}} {z}", "L0+8'x {y} ' P8+3'z'" },
    { "{{{severity}}}", "L0+2'{' P2+10'severity' L12+2'}'" },
    { "}}}", "L0+2'}' C2+1'}'" },
    /* What the loader refuses is still split, so it can say where. */
    { "a } b", "L0+2'a ' C2+1'}' L3+2' b'" },
    { "{summary", "O0+1'{' L1+7'summary'" },
    { "{sum\nmary}", "O0+1'{' L1+8'sum\\nmary' C9+1'}'" },
    { "{a{b}", "O0+1'{' L1+1'a' P2+3'b'" },
    { "{}", "P0+2''" },
    { "{ spaced }", "P0+10' spaced '" },
    { "{input.replicas}", "P0+16'input.replicas'" },
    /* Bytes that are no UTF-8 are text like any other. */
    { "\xff{x}\xfe", "L0+1'\\377' P1+3'x' L4+1'\\376'" },
    { "S\xc3\xa9v: {severity}", "L0+6'S\\303\\251v: ' P6+10'severity'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *segments = describe_segments (cases[i].source);
      g_autofree char *source = g_strescape (cases[i].source, NULL);

      g_test_message ("source: \"%s\"", source);
      g_assert_cmpstr (segments, ==, cases[i].segments);
    }
}

/* Renders "<{v}>" with @value for {v}, of the kind @kind, for @output. */
static char *
render_one (SitrepTemplateOutput     output,
            SitrepTemplateValueKind  kind,
            const char              *value,
            GError                 **error)
{
  g_autoptr(GHashTable) values = sitrep_template_values_new ();

  sitrep_template_values_take (values, "v", kind, g_strdup (value));
  return sitrep_template_expand ("<{v}>", output, SITREP_TEMPLATE_MISSING_ERROR,
                                 sitrep_template_values_lookup, values, NULL, error);
}

static void
assert_rendered (SitrepTemplateOutput     output,
                 SitrepTemplateValueKind  kind,
                 const char              *value,
                 const char              *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = render_one (output, kind, value, &error);
  g_autofree char *shown = g_strescape (value, NULL);
  g_autofree char *wanted = g_strdup_printf ("<%s>", expected);

  g_test_message ("value: \"%s\"", shown);
  g_assert_no_error (error);
  g_assert_cmpstr (rendered, ==, wanted);
}

/* Values a person, a pasted log line or a tampered database could hold. */
static const char *const hostile[] = {
  "line one\nline two", "{summary}", "}", "{", "{{", "# heading", "> quote", "- item",
  "1. item", "```", "| a | b |", "<script>alert(1)</script>", "[x]: https://evil.test",
  "$(id); rm -rf ~ `id` & | > < * ? ! #", "-n kube-system", "--all-namespaces", "\xff\xfe",
  "a\xe2\x80\x8b\x62" /* a, zero-width space, b */, "\r\n", "", "javascript:alert(1)",
  "[click](javascript:alert(1))",
  "<javascript:alert(1)>", "{x}",
};

/* PLAIN: a message a person copies; every value as it is, nothing re-read as a placeholder. */
static void
test_plain (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      assert_rendered (SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_VALUE_TEXT, hostile[i], hostile[i]);
      assert_rendered (SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_VALUE_LINE, hostile[i], hostile[i]);
    }
}

/* MARKDOWN: a person's text reads as text; it opens no heading, quote, list, table, code block,
 * HTML or link definition, on its own line or after a line break it carries. */
static void
test_markdown (void)
{
  static const struct
  {
    SitrepTemplateValueKind kind;
    const char *value;
    const char *expected;
  } cases[] = {
    { SITREP_TEMPLATE_VALUE_LINE, "# heading", "\\# heading" },
    { SITREP_TEMPLATE_VALUE_LINE, "  > quote", "\\> quote" },
    { SITREP_TEMPLATE_VALUE_LINE, "- item", "\\- item" },
    { SITREP_TEMPLATE_VALUE_LINE, "12. item", "12\\. item" },
    { SITREP_TEMPLATE_VALUE_LINE, "```sh\nrm -rf /", "\\`\\`\\`sh rm -rf /" },
    { SITREP_TEMPLATE_VALUE_LINE, "| a | b |", "\\| a \\| b \\|" },
    { SITREP_TEMPLATE_VALUE_LINE, "<script>alert(1)</script>", "\\<script>alert(1)\\</script>" },
    { SITREP_TEMPLATE_VALUE_LINE, "[x]: https://evil.test", "\\[x]: https://evil.test" },
    /* No link or image a reader could click, wherever it starts. */
    { SITREP_TEMPLATE_VALUE_LINE, "see [click](javascript:alert(1))",
      "see \\[click](javascript:alert(1))" },
    { SITREP_TEMPLATE_VALUE_LINE, "![x](javascript:alert(1)) [a][b]",
      "!\\[x](javascript:alert(1)) \\[a]\\[b]" },
    { SITREP_TEMPLATE_VALUE_LINE, "<javascript:alert(1)>", "\\<javascript:alert(1)>" },
    { SITREP_TEMPLATE_VALUE_LINE, "javascript:alert(1)", "javascript:alert(1)" },
    { SITREP_TEMPLATE_VALUE_TEXT, "ok\n[click](javascript:alert(1))",
      "ok\n\\[click](javascript:alert(1))" },
    { SITREP_TEMPLATE_VALUE_LINE, "line one\n# line two", "line one # line two" },
    { SITREP_TEMPLATE_VALUE_LINE, "\x01# hidden", "\\# hidden" },
    { SITREP_TEMPLATE_VALUE_LINE, "ends in a backslash\\", "ends in a backslash\\\\" },
    { SITREP_TEMPLATE_VALUE_LINE, "{summary} {{", "{summary} {{" },
    { SITREP_TEMPLATE_VALUE_LINE, "$(id); rm -rf ~", "$(id); rm -rf ~" },
    /* A tampered database: the document stays UTF-8. */
    { SITREP_TEMPLATE_VALUE_LINE, "\xff# x", "\xef\xbf\xbd# x" },
    { SITREP_TEMPLATE_VALUE_TEXT, "First\n# second\n\n\n> third", "First\n\\# second\n\n\\> third" },
    { SITREP_TEMPLATE_VALUE_TEXT, "\r\n- a\r\n- b", "\\- a\n\\- b" },
    { SITREP_TEMPLATE_VALUE_TEXT, "```\ncode\n```", "\\`\\`\\`\ncode\n\\`\\`\\`" },
    { SITREP_TEMPLATE_VALUE_TEXT, "    indented code", "indented code" },
    { SITREP_TEMPLATE_VALUE_TEXT, "ok\xff\n# x", "ok\xef\xbf\xbd\n\\# x" },
    /* What the console composed as Markdown goes in as it is. */
    { SITREP_TEMPLATE_VALUE_VERBATIM, "- 03:12 - Declared\n- 03:15 - Restarted",
      "- 03:12 - Declared\n- 03:15 - Restarted" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_rendered (SITREP_TEMPLATE_MARKDOWN, cases[i].kind, cases[i].value, cases[i].expected);
}

/* ARGV: a person's value is (part of) exactly one argument that a shell, kubectl or another
 * program reads as one value; anything else is refused, with why. */
static void
test_argv (void)
{
  static const struct
  {
    const char *value;
    const char *refused; /* NULL: accepted as it is */
  } cases[] = {
    { "4", NULL },
    { "deployment/api", NULL },
    { "r\xc3\xa9vision-3", NULL },
    { "app=web,tier=api", NULL },
    { LONGEST_VALUE, NULL },
    { "", "the value is empty" },
    { LONGEST_VALUE "x", "the value is longer than 256 bytes" },
    { "\xff", "the value is not valid UTF-8 text" },
    { "4\n--namespace=kube-system", "the value contains a line break or another control character" },
    { "4\r", "the value contains a line break or another control character" },
    { "a\tb", "the value contains a line break or another control character" },
    { "a\xe2\x80\x8b\x62" /* a, zero-width space, b */, "the value contains an invisible formatting character" },
    { "4 --all-namespaces", "the value contains white space" },
    { "a\xc2\xa0" "b", "the value contains white space" },
    { "4;id", "the value contains “;”, which a shell would interpret" },
    { "$(id)", "the value contains “$”, which a shell would interpret" },
    { "`id`", "the value contains “`”, which a shell would interpret" },
    { "a|b", "the value contains “|”, which a shell would interpret" },
    { "a&b", "the value contains “&”, which a shell would interpret" },
    { ">x", "the value contains “>”, which a shell would interpret" },
    { "*", "the value contains “*”, which a shell would interpret" },
    { "~root", "the value contains “~”, which a shell would interpret" },
    { "{summary}", "the value contains “{”, which a shell would interpret" },
    { "a}", "the value contains “}”, which a shell would interpret" },
    { "it's", "the value contains “'”, which a shell would interpret" },
    { "javascript:alert(1)", "the value contains “(”, which a shell would interpret" },
    { "#heading", "the value contains “#”, which a shell would interpret" },
    { "[x](y)", "the value contains “[”, which a shell would interpret" },
    { "{x}", "the value contains “{”, which a shell would interpret" },
    { "-A", "the value starts with “-”, so a command would read it as an option" },
    { "a--b", "the value contains “--”, which looks like a command-line option" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *rendered = NULL;

      if (cases[i].refused == NULL)
        {
          assert_rendered (SITREP_TEMPLATE_ARGV, SITREP_TEMPLATE_VALUE_TEXT, cases[i].value,
                           cases[i].value);
          continue;
        }
      rendered = render_one (SITREP_TEMPLATE_ARGV, SITREP_TEMPLATE_VALUE_TEXT, cases[i].value,
                             &error);
      g_assert_null (rendered);
      g_assert_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_VALUE);
      g_assert_true (g_str_has_prefix (error->message, "{v}: "));
      g_assert_cmpstr (error->message + strlen ("{v}: "), ==, cases[i].refused);
    }

  /* The runbook's own values (a label selector with spaces) are the runbook's to write. */
  assert_rendered (SITREP_TEMPLATE_ARGV, SITREP_TEMPLATE_VALUE_VERBATIM, "tier in (web, api)",
                   "tier in (web, api)");
}

/* URL: a person's value stays inside its path segment or query parameter. */
static void
test_url (void)
{
  static const struct
  {
    const char *value;
    const char *expected;
  } cases[] = {
    { "a b&c=d/\xc3\xa9?#", "a%20b%26c%3Dd%2F%C3%A9%3F%23" },
    { "../../admin", "..%2F..%2Fadmin" },
    { "line\nbreak\r", "line%0Abreak%0D" },
    { "{summary}", "%7Bsummary%7D" },
    { "\xff\xfe", "%FF%FE" },
    { "javascript:alert(1)", "javascript%3Aalert%281%29" },
    { "[click](javascript:x)", "%5Bclick%5D%28javascript%3Ax%29" },
    { "$(id);`x`|y>z", "%24%28id%29%3B%60x%60%7Cy%3Ez" },
    { "# h\n- i", "%23%20h%0A-%20i" },
    { "-._~AZaz09", "-._~AZaz09" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_rendered (SITREP_TEMPLATE_URL, SITREP_TEMPLATE_VALUE_TEXT, cases[i].value,
                     cases[i].expected);
  assert_rendered (SITREP_TEMPLATE_URL, SITREP_TEMPLATE_VALUE_VERBATIM, "a/b?c=d", "a/b?c=d");
}

/* Missing values: shown for a person to fill, kept as written, or refused. */
static void
test_missing (void)
{
  const char *body = "Cause: {root_cause}. ETA {eta}. {empty}{{x}} }";
  g_autoptr(GHashTable) values = sitrep_template_values_new ();
  g_autoptr(GPtrArray) unfilled = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *refused = NULL;

  sitrep_template_values_take (values, "root_cause", SITREP_TEMPLATE_VALUE_TEXT,
                               g_strdup ("a full disk"));
  sitrep_template_values_take (values, "empty", SITREP_TEMPLATE_VALUE_TEXT, g_strdup (""));

  shown = sitrep_template_expand (body, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_SHOW,
                                  sitrep_template_values_lookup, values, unfilled, NULL);
  g_assert_cmpstr (shown, ==, "Cause: a full disk. ETA [eta]. [empty]{x} }");
  g_assert_cmpuint (unfilled->len, ==, 2);
  g_assert_cmpstr (unfilled->pdata[0], ==, "eta");
  g_assert_cmpstr (unfilled->pdata[1], ==, "empty");

  kept = sitrep_template_expand (body, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_KEEP,
                                 sitrep_template_values_lookup, values, NULL, NULL);
  g_assert_cmpstr (kept, ==, "Cause: a full disk. ETA {eta}. {x} }");

  refused = sitrep_template_expand (body, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_ERROR,
                                    sitrep_template_values_lookup, values, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SITREP_TEMPLATE_ERROR, SITREP_TEMPLATE_ERROR_MISSING);
  g_assert_cmpstr (error->message, ==, "{eta} has no value here");

  /* An empty value in a Markdown document is as missing as an absent one, and so is text that
   * shows nothing once escaped. */
  g_clear_pointer (&shown, g_free);
  sitrep_template_values_take (values, "eta", SITREP_TEMPLATE_VALUE_LINE, g_strdup (" \t\x01 "));
  shown = sitrep_template_expand ("ETA {eta}", SITREP_TEMPLATE_MARKDOWN,
                                  SITREP_TEMPLATE_MISSING_SHOW, sitrep_template_values_lookup,
                                  values, NULL, NULL);
  g_assert_cmpstr (shown, ==, "ETA [eta]");
}

/* Any text, braces doubled, renders as itself: how the importer writes a document's text. */
static void
test_escape_literal (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *escaped = sitrep_template_escape_literal (hostile[i]);
      g_autoptr(SitrepTemplateText) parsed = sitrep_template_text_parse (escaped);
      g_autofree char *rendered = NULL;
      const SitrepTemplateSegment *segments;
      guint n_segments;

      /* One literal segment, none for "". */
      segments = sitrep_template_text_get_segments (parsed, &n_segments);
      g_assert_cmpuint (n_segments, ==, *hostile[i] != '\0' ? 1 : 0);
      if (n_segments == 1)
        g_assert_cmpint (segments[0].kind, ==, SITREP_TEMPLATE_SEGMENT_LITERAL);
      rendered = sitrep_template_text_render (parsed, SITREP_TEMPLATE_ARGV,
                                              SITREP_TEMPLATE_MISSING_ERROR, NULL, NULL, NULL,
                                              NULL);
      g_assert_cmpstr (rendered, ==, hostile[i]);
    }
}

/* A runbook of its own: one service whose label selector has spaces, one template. */
#define ENGINE_RUNBOOK(body) \
  "{\n" \
  "  \"sitrep_runbook\": 1,\n" \
  "  \"name\": \"Engine\",\n" \
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n" \
  "  \"environment\": { \"context\": \"prod\", \"namespace\": \"app\" },\n" \
  "  \"services\": [\n" \
  "    { \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/api\",\n" \
  "      \"selector\": \"tier in (web, api)\", \"actions\": [\"pods\", \"scale\"] }\n" \
  "  ],\n" \
  "  \"actions\": [\n" \
  "    { \"id\": \"pods\", \"label\": \"Pods of {service} }\", \"argv\": [\"kubectl\", \"get\", \"pods\", \"-l\", \"{selector}\"] },\n" \
  "    { \"id\": \"scale\", \"label\": \"Scale\", \"mutates\": true,\n" \
  "      \"argv\": [\"kubectl\", \"scale\", \"{target}\", \"--replicas={input.replicas}\"],\n" \
  "      \"inputs\": [{ \"name\": \"replicas\", \"type\": \"integer\", \"min\": 1, \"max\": 9 }],\n" \
  "      \"confirm\": \"Scale {target} to {input.replicas} in {namespace}? {{{{sure}}}}\" }\n" \
  "  ],\n" \
  "  \"templates\": [\n" \
  "    { \"id\": \"status\", \"kind\": \"status\", \"title\": \"Status\",\n" \
  "      \"body\": \"" body "\" }\n" \
  "  ]\n" \
  "}\n"

/* The line (the template's body is on line 19) and column of @needle's first byte. */
static guint
column_of (const char *json,
           const char *needle)
{
  const char *at = strstr (json, needle);
  const char *line_start = at;

  g_assert_nonnull (at);
  while (line_start > json && line_start[-1] != '\n')
    line_start--;
  return at - line_start + 1;
}

/* The loader reports what the parser finds, at the file's line and column of each brace. */
static void
test_loader_positions (void)
{
  const char *json = ENGINE_RUNBOOK ("Status {status}\\nBad {sum\\nmary} here, {} and a } "
                                     "{{ok}} {sevrity}");
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autofree char *first = NULL, *second = NULL, *third = NULL, *fourth = NULL, *fifth = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "engine.json", &problems, &error);
  g_assert_null (runbook);
  g_assert_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 5);

  first = g_strdup_printf ("engine.json:19:%u: a '{' without its '}' in a template: write "
                           "\"{{\" for a literal brace", column_of (json, "{sum"));
  second = g_strdup_printf ("engine.json:19:%u: a '}' without its '{' in a template: write "
                            "\"}}\" for a literal brace", column_of (json, "} here"));
  third = g_strdup_printf ("engine.json:19:%u: unknown placeholder {} in a template (known: ",
                           column_of (json, "{} and"));
  fourth = g_strdup_printf ("engine.json:19:%u: a '}' without its '{' in a template",
                            column_of (json, "} {{ok"));
  fifth = g_strdup_printf ("engine.json:19:%u: unknown placeholder {sevrity} in a template; did "
                           "you mean \"severity\"?", column_of (json, "{sevrity}"));
  {
    const char *expected[] = { first, second, third, fourth, fifth };

    for (guint i = 0; i < problems->len; i++)
      {
        g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

        g_test_message ("problem: %s", line);
        g_assert_true (g_str_has_prefix (line, expected[i]));
      }
  }
}

/* A runbook whose service has no "target": an action with a choice input and a secret one. */
#define LITERAL_RUNBOOK(choices_from, confirm) \
  "{\n" \
  "  \"sitrep_runbook\": 1,\n" \
  "  \"name\": \"Literal\",\n" \
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n" \
  "  \"environment\": { \"context\": \"prod\", \"namespace\": \"app\" },\n" \
  "  \"services\": [{ \"id\": \"db\", \"name\": \"Database\", \"actions\": [\"rotate\"] }],\n" \
  "  \"actions\": [\n" \
  "    { \"id\": \"rotate\", \"label\": \"Rotate\", \"argv\": [\"kubectl\", \"get\", \"secrets\"],\n" \
  "      \"confirm\": \"" confirm "\",\n" \
  "      \"inputs\": [\n" \
  "        { \"name\": \"key\", \"type\": \"choice\", \"choices_from\": [\"kubectl\", \"get\", \"secrets\", \"-o\", \"" choices_from "\"] },\n" \
  "        { \"name\": \"token\", \"type\": \"string\", \"secret\": true, \"pass_as\": \"stdin\" }\n" \
  "      ] }\n" \
  "  ]\n" \
  "}\n"

/* Loads @json; returns its problems joined by line breaks, "" for none. */
static char *
load_problems (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  runbook = sitrep_runbook_load_bytes (bytes, "literal.json", &problems, &error);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_string_append_printf (out, "%s%s", out->len > 0 ? "\n" : "", line);
    }
  g_assert_true ((runbook != NULL) == (out->len == 0));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What the loader asks of an action, it reads with the engine's parser: "{{target}}" and
 * "{{input.token}}" are text, not a variable the service must have or a secret shown. */
static void
test_loader_literal_braces (void)
{
  const char *literal = LITERAL_RUNBOOK ("jsonpath={{target}}", "Type {{input.token}} to go on");
  const char *placeholders = LITERAL_RUNBOOK ("jsonpath={target}", "Type {input.token} to go on");
  g_autofree char *none = load_problems (literal);
  g_autofree char *both = load_problems (placeholders);
  g_autofree char *expected = NULL;

  g_assert_cmpstr (none, ==, "");

  /* The same texts with the braces single are a variable and a secret, each at its column. */
  expected = g_strdup_printf ("literal.json:6:%u: action \"rotate\" uses {target} but service "
                              "\"db\" has no \"target\"\n"
                              "literal.json:9:%u: {input.token} is a secret input and cannot be "
                              "used in \"confirm\": anything there can end up on the command "
                              "line or on screen; it reaches the command through its "
                              "\"pass_as\"",
                              column_of (placeholders, "\"rotate\"]"),
                              column_of (placeholders, "{input.token}"));
  g_assert_cmpstr (both, ==, expected);
}

/* The same engine fills what the loader accepted: a command line's elements stay one argument
 * each, a person's value is checked again there, and texts for people keep what they do not
 * know as written. */
static void
test_runbook_uses (void)
{
  const char *json = ENGINE_RUNBOOK ("Severity {severity}: {summary} {{json}}");
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "engine.json", NULL, &error);
  g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  const SitrepService *api;
  const SitrepAction *pods, *scale;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) shown = NULL;
  g_autofree char *label = NULL;
  g_autofree char *confirm = NULL;
  const char *const expected[] = {
    "kubectl", "--context", "prod", "--namespace", "app", "get", "pods", "-l",
    "tier in (web, api)", NULL
  };

  g_assert_no_error (error);
  api = sitrep_runbook_find_service (runbook, "api");
  pods = sitrep_runbook_find_action (runbook, "pods");
  scale = sitrep_runbook_find_action (runbook, "scale");

  argv = sitrep_argv_expand ((const char *const *) pods->argv, runbook, api, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (argv, expected);

  /* Before its value is known, {input.replicas} shows as written. */
  shown = sitrep_argv_expand_shown ((const char *const *) scale->argv, runbook, api, NULL, NULL);
  g_assert_cmpstr (shown[g_strv_length (shown) - 1], ==, "--replicas={input.replicas}");

  g_hash_table_insert (inputs, "replicas", "4");
  label = sitrep_action_fill_text (pods->label, runbook, api, NULL);
  g_assert_cmpstr (label, ==, "Pods of api }");
  confirm = sitrep_action_fill_text (scale->confirm, runbook, api, inputs);
  g_assert_cmpstr (confirm, ==, "Scale deployment/api to 4 in app? {{sure}}");
  g_clear_pointer (&confirm, g_free);
  confirm = sitrep_action_fill_text (scale->confirm, runbook, NULL, NULL);
  g_assert_cmpstr (confirm, ==, "Scale {target} to {input.replicas} in app? {{sure}}");
}

/* A value that went around the dialog's checks is refused when the command line is built: it
 * can add no option, no second argument and nothing a shell reads. */
static void
test_argv_refuses_values (void)
{
  static const struct
  {
    const char *replicas;
    const char *message;
  } cases[] = {
    { "4 --all-namespaces", "{input.replicas}: the value contains white space" },
    { "4\n--namespace=kube-system",
      "{input.replicas}: the value contains a line break or another control character" },
    { "4;id", "{input.replicas}: the value contains “;”, which a shell would interpret" },
    { "$(id)", "{input.replicas}: the value contains “$”, which a shell would interpret" },
    { "-A", "{input.replicas}: the value starts with “-”, so a command would read it as an "
            "option" },
    { "", "{input.replicas}: the value is empty" },
  };
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  const SitrepService *gateway = sitrep_runbook_find_service (runbook, "gateway");
  const SitrepAction *scale = sitrep_runbook_find_action (runbook, "scale");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = NULL;
      g_auto(GStrv) shown = NULL;

      g_hash_table_insert (inputs, "replicas", (gpointer) cases[i].replicas);
      argv = sitrep_argv_expand ((const char *const *) scale->argv, runbook, gateway, inputs,
                                 NULL, &error);
      g_assert_null (argv);
      g_assert_error (error, SITREP_ARGV_ERROR, SITREP_ARGV_ERROR_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      /* Nor is it shown as a command that could run. */
      shown = sitrep_argv_expand_shown ((const char *const *) scale->argv, runbook, gateway,
                                        inputs, NULL);
      g_assert_null (shown);
    }
}

/* The channel name: the runbook's form, filled with the date and a slug; nothing a person
 * typed is read as a placeholder. */
static void
test_channel (void)
{
  /* 2026-11-28 03:12 UTC */
  gint64 at = G_GINT64_CONSTANT (1795835520) * G_USEC_PER_SEC;
  static const struct
  {
    const char *format;
    const char *summary;
    const char *expected;
  } cases[] = {
    { "#incident-{date}-{slug}", "API returns 503s", "#incident-2026-11-28-api-returns-503s" },
    { "#nw-{date}-{slug}", "{date} $(id); rm -rf ~ {{slug}}", "#nw-2026-11-28-date-id-rm-rf-slug" },
    { "#nw-{slug}", "\n\n", "#nw-incident" },
    { "{{{date}}} {other} }", "x", "{2026-11-28} {other} }" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *channel = sitrep_incident_make_channel (cases[i].format, cases[i].summary,
                                                               at);

      g_assert_cmpstr (channel, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/template/parse", test_parse);
  g_test_add_func ("/template/render/plain", test_plain);
  g_test_add_func ("/template/render/markdown", test_markdown);
  g_test_add_func ("/template/render/argv", test_argv);
  g_test_add_func ("/template/render/url", test_url);
  g_test_add_func ("/template/missing", test_missing);
  g_test_add_func ("/template/escape-literal", test_escape_literal);
  g_test_add_func ("/template/loader-positions", test_loader_positions);
  g_test_add_func ("/template/loader-literal-braces", test_loader_literal_braces);
  g_test_add_func ("/template/runbook-uses", test_runbook_uses);
  g_test_add_func ("/template/argv-refuses-values", test_argv_refuses_values);
  g_test_add_func ("/template/channel", test_channel);

  return g_test_run ();
}
