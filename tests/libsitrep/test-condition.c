/* test-condition.c: the condition language parses strictly, points at its mistakes and judges results with reasons */
#include "config.h"

#include <string.h>

#include "sitrep-condition-eval.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"

static const char BODY[] =
  "{\"status\": \"up\", \"code\": 200, \"id\": 9007199254740993, \"ratio\": 0.75, \"neg\": -5, \"big\": 1e3,"
  " \"checks\": {\"database\": \"up\", \"redis\": \"down\"},"
  " \"items\": [{\"name\": \"a\"}, {\"name\": \"b-1\"}], \"empty\": [], \"flag\": true, \"nothing\": null,"
  " \"quote\": \"say \\\"hi\\\" \\\\ bye\", \"text\": \"h\xc3\xa9llo\","
  " \"spec\": {\"replicas\": 3}, \"ready\": {\"replicas\": 3}, \"half\": {\"replicas\": 2}}";

/* A result of a probe that ran and answered 200 in 123.5 ms with @body. */
static SitrepProbeResult *
make_result (const char *body,
             gsize       length,
             gboolean    truncated)
{
  SitrepProbeResult *result = sitrep_probe_result_new ();

  result->status = 200;
  result->connected = TRUE;
  result->response_time_ms = 123.5;
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (body, length);

      sitrep_probe_result_set_body (result, bytes, truncated);
    }
  return result;
}

/* Evaluates @text against @result; @reason NULL means it must hold, otherwise it must fail with
 * exactly this reason (or, ending in "…", a reason that starts with it). */
static void
check (SitrepProbeResult *result,
       const char        *text,
       const char        *reason,
       const char        *resolved)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepCondition) condition = sitrep_condition_parse (text, NULL, &error);
  g_autofree char *got_resolved = NULL;
  g_autoptr(SitrepReason) why = NULL;
  const char *got_reason;
  gboolean held;

  g_test_message ("%s", text);
  g_assert_no_error (error);
  g_assert_nonnull (condition);
  g_assert_cmpstr (sitrep_condition_get_text (condition), ==, text);
  held = sitrep_condition_evaluate (condition, result, &got_resolved, &why);
  got_reason = why != NULL ? sitrep_reason_to_string (why) : NULL;
  g_test_message ("  -> %s: %s [%s]", held ? "holds" : "fails", got_reason, got_resolved);
  g_assert_cmpint (held, ==, reason == NULL);
  if (reason == NULL)
    g_assert_null (got_reason);
  else if (g_str_has_suffix (reason, "…"))
    {
      g_autofree char *start = g_strndup (reason, strlen (reason) - strlen ("…"));

      g_assert_true (g_str_has_prefix (got_reason, start));
    }
  else
    g_assert_cmpstr (got_reason, ==, reason);
  g_assert_nonnull (got_resolved);
  if (resolved != NULL)
    g_assert_cmpstr (got_resolved, ==, resolved);
  /* the out arguments are optional */
  g_assert_cmpint (sitrep_condition_evaluate (condition, result, NULL, NULL), ==, held);
}

typedef struct
{
  const char *text;
  const char *reason; /* NULL: holds */
  const char *resolved;
} Case;

static void
check_cases (SitrepProbeResult *result,
             const Case        *cases,
             gsize              n)
{
  for (gsize i = 0; i < n; i++)
    check (result, cases[i].text, cases[i].reason, cases[i].resolved);
}

static void
test_operators (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (BODY, strlen (BODY), FALSE);
  static const Case cases[] = {
    { "[STATUS] == 200", NULL, "[STATUS] (200) == 200" },
    { "[STATUS]==200", NULL, NULL },
    { "  [STATUS]   ==   200  ", NULL, NULL },
    { "[STATUS] == 503", "status 200, expected 503", "[STATUS] (200) == 503" },
    { "[STATUS] != 503", NULL, NULL },
    { "[STATUS] != 200", "status 200, expected anything but 200", NULL },
    { "[STATUS] < 300", NULL, NULL },
    { "[STATUS] < 200", "status 200, expected less than 200", NULL },
    { "[STATUS] <= 200", NULL, NULL },
    { "[STATUS] <= 199", "status 200, expected at most 199", NULL },
    { "[STATUS] > 199", NULL, NULL },
    { "[STATUS] > 200", "status 200, expected more than 200", NULL },
    { "[STATUS] >= 200", NULL, NULL },
    { "[STATUS] >= 201", "status 200, expected at least 201", NULL },
    { "200 == [STATUS]", NULL, "200 == [STATUS] (200)" },
    { "300 < [STATUS]", "300, expected less than [STATUS] (200)", NULL },
  };

  check_cases (result, cases, G_N_ELEMENTS (cases));
}

static void
test_placeholders (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (BODY, strlen (BODY), FALSE);
  g_autoptr(SitrepProbeResult) text = make_result ("OK\n", 3, FALSE);
  g_autoptr(SitrepProbeResult) failed = make_result (NULL, 0, FALSE);
  static const Case cases[] = {
    { "[RESPONSE_TIME] < 300", NULL, "[RESPONSE_TIME] (123.5) < 300" },
    { "[RESPONSE_TIME] > 200", "response time 123.5 ms, expected more than 200", NULL },
    { "[RESPONSE_TIME] == 123.5", NULL, NULL },
    { "[BODY].status == \"up\"", NULL, "[BODY].status (\"up\") == \"up\"" },
    { "[BODY].status == \"down\"", "`.status` is \"up\", expected \"down\"", NULL },
    { "[BODY].checks.database == \"up\"", NULL, NULL },
    { "[BODY].checks.redis != \"down\"", "`.checks.redis` is \"down\", expected anything but \"down\"", NULL },
    { "[BODY].flag == true", NULL, NULL },
    { "[BODY].flag == false", "`.flag` is true, expected false", NULL },
    { "[BODY].nothing == null", NULL, NULL },
    { "[BODY].code == null", "`.code` is 200, expected null", NULL },
    { "[BODY].code != null", NULL, NULL },
    { "[BODY] == pat(*\"status\": \"up\"*)", NULL, NULL },
    { "[BODY] != null", NULL, NULL },
    { "[CONNECTED] == true", NULL, "[CONNECTED] (true) == true" },
    { "[CONNECTED] == false", "connected is true, expected false", NULL },
    { "[ERROR] == \"\"", NULL, "[ERROR] (\"\") == \"\"" },
  };
  static const Case text_cases[] = {
    { "[BODY] == \"OK\"", NULL, "[BODY] (\"OK\") == \"OK\"" },
    { "[BODY] == \"ok\"", "the body is \"OK\", expected \"ok\"", NULL },
    { "len([BODY]) == 2", NULL, NULL },
    { "[BODY].status == \"up\"", "`.status` cannot be read: the body is not JSON…", NULL },
  };
  static const Case failed_cases[] = {
    { "[CONNECTED] == false", NULL, NULL },
    { "[CONNECTED] == true", "connected is false, expected true", NULL },
    { "[ERROR] == pat(*refused*)", NULL, NULL },
    { "[ERROR] == \"\"", "the error is \"connection refused\", expected \"\"", NULL },
    { "[BODY] == \"\"", "no body: connection refused", "[BODY] (no value) == \"\"" },
    { "[BODY].x == 1", "no body: connection refused", NULL },
    { "[RESULT] == \"PONG\"", "no result: connection refused", NULL },
    { "[RESPONSE_TIME] < 1000", NULL, NULL },
  };

  check_cases (result, cases, G_N_ELEMENTS (cases));
  check_cases (text, text_cases, G_N_ELEMENTS (text_cases));
  failed->connected = FALSE;
  failed->error = g_strdup ("connection refused");
  check_cases (failed, failed_cases, G_N_ELEMENTS (failed_cases));
}

static void
test_status_none (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (NULL, 0, FALSE);

  result->status = -1;
  check (result, "[STATUS] == 200", "no status", "[STATUS] (no value) == 200");
  result->error = g_strdup ("Could not connect to api.example.com: Connection refused");
  check (result, "[STATUS] == 200", "no status: Could not connect to api.example.com: Connection refused",
         "[STATUS] (no value) == 200");
  /* no status is not 200, nor any other status */
  check (result, "[STATUS] != 200", NULL, "[STATUS] (no value) != 200");
  check (result, "[STATUS] == any(200, 204)", "no status: Could not connect…", NULL);
  check (result, "[STATUS] != any(200, 204)", NULL, NULL);
  check (result, "[STATUS] < 500", "no status: Could not connect…", NULL);
  /* a probe that could not run at all: no condition holds, not even != */
  result->ran = FALSE;
  result->connected = TRUE;
  g_free (result->error);
  result->error = g_strdup ("no secret \"api-token\"");
  check (result, "[CONNECTED] == true", "the check could not run: no secret \"api-token\"",
         "[CONNECTED] (no value) == true");
  check (result, "[STATUS] != 200", "the check could not run: no secret \"api-token\"", NULL);
}

static void
test_result (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (NULL, 0, FALSE);
  static const Case numbers[] = {
    { "[RESULT] < 1073741824", NULL, "[RESULT] (123456) < 1073741824" },
    { "[RESULT] > 1000000", "the result is 123456, expected more than 1000000", NULL },
    { "[RESULT] == 123456", NULL, NULL },
    { "[RESULT] == 123456.0", NULL, NULL },
    { "[RESULT] == \"123456\"", NULL, NULL },
    { "[RESULT] == any(1, 123456)", NULL, NULL },
  };
  static const Case words[] = {
    { "[RESULT] == \"PONG\"", NULL, NULL },
    { "[RESULT] != \"PONG\"", "the result is \"PONG\", expected anything but \"PONG\"", NULL },
    { "[RESULT] < 1000", "the result is \"PONG\", not a number", NULL },
    { "[RESULT] == 5", "type mismatch: [RESULT] (\"PONG\") is a string, 5 is a number", NULL },
  };

  result->result = g_strdup ("123456");
  check_cases (result, numbers, G_N_ELEMENTS (numbers));
  g_free (result->result);
  result->result = g_strdup ("PONG");
  check_cases (result, words, G_N_ELEMENTS (words));
  g_free (result->result);
  result->result = g_strdup ("12abc"); /* all of it must be a number, not a prefix */
  check (result, "[RESULT] < 1000", "the result is \"12abc\", not a number", NULL);
  g_free (result->result);
  result->result = g_strdup ("0x10");
  check (result, "[RESULT] > 1", "the result is \"0x10\", not a number", NULL);
}

static void
test_paths (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (BODY, strlen (BODY), FALSE);
  static const Case cases[] = {
    { "[BODY].items[0].name == \"a\"", NULL, NULL },
    { "[BODY].items[1].name == \"b-1\"", NULL, "[BODY].items[1].name (\"b-1\") == \"b-1\"" },
    { "[BODY].items[2].name == \"c\"", "`.items[2].name` not found in body",
      "[BODY].items[2].name (not found) == \"c\"" },
    { "[BODY].checks.cache == \"up\"", "`.checks.cache` not found in body", NULL },
    { "[BODY].checks.cache != \"up\"", NULL, "[BODY].checks.cache (not found) != \"up\"" },
    { "[BODY].checks.cache < 3", "`.checks.cache` not found in body", NULL },
    { "[BODY].checks.database.x == 1", "`.checks.database.x` not found in body", NULL },
    { "[BODY].status[0] == 1", "`.status[0]` not found in body", NULL },
    { "[BODY].items.name == \"a\"", "`.items.name` not found in body", NULL },
    /* both sides */
    { "[BODY].ready.replicas == [BODY].spec.replicas", NULL,
      "[BODY].ready.replicas (3) == [BODY].spec.replicas (3)" },
    { "[BODY].half.replicas == [BODY].spec.replicas",
      "`.half.replicas` is 2, expected [BODY].spec.replicas (3)", NULL },
    { "[BODY].half.replicas >= [BODY].spec.replicas",
      "`.half.replicas` is 2, expected at least [BODY].spec.replicas (3)", NULL },
    { "[BODY].spec == [BODY].ready", NULL, NULL },
    { "[BODY].spec == [BODY].half", "`.spec` is an object of 1 member, expected [BODY].half (an object of 1 member)", NULL },
    { "[BODY].ready.replicas == [BODY].spec.missing", "`.spec.missing` not found in body", NULL },
  };

  check_cases (result, cases, G_N_ELEMENTS (cases));
}

static void
test_functions (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (BODY, strlen (BODY), FALSE);
  static const Case cases[] = {
    { "len([BODY].items) == 2", NULL, "len([BODY].items) (2) == 2" },
    { "len([BODY].empty) > 0", "len([BODY].empty) is 0, expected more than 0", NULL },
    { "len([BODY].checks) == 2", NULL, NULL },
    { "len([BODY].status) == 2", NULL, NULL },
    { "len([BODY].text) == 5", NULL, NULL },
    { "len([BODY].code) > 0", "len() needs text, a list or an object, but `.code` is 200", NULL },
    { "len([BODY].gone) > 0", "`.gone` not found in body", "len([BODY].gone) (not found) > 0" },
    { "has([BODY].checks.database)", NULL, "has([BODY].checks.database) (true)" },
    { "has([BODY].checks.cache)", "`.checks.cache` not found in body", "has([BODY].checks.cache) (false)" },
    { "has([BODY].nothing)", NULL, NULL },
    { "has([BODY].errors) == false", NULL, NULL },
    { "has([BODY].status) == false", "has([BODY].status) is true, expected false", NULL },
    { "[BODY].status == pat(*u*)", NULL, "[BODY].status (\"up\") == pat(*u*)" },
    { "[BODY].status == pat(\"d*\")", "`.status` is \"up\", expected to match d*", NULL },
    { "[BODY].status != pat(*down*)", NULL, NULL },
    { "[BODY].status != pat(u?)", "`.status` is \"up\", expected not to match u?", NULL },
    { "[STATUS] == pat(2*)", NULL, NULL },
    { "[BODY].quote == pat(\"say \\\"hi\\\" *\")", NULL, NULL },
    { "[BODY].items == pat(*)", "type mismatch: `.items` is a list of 2 items, not text that pat(*) can match", NULL },
    { "[STATUS] == any(200, 204)", NULL, "[STATUS] (200) == any(200, 204)" },
    { "[STATUS] == any(201, 204)", "status 200, expected one of 201, 204", NULL },
    { "[STATUS] != any(500, 503)", NULL, NULL },
    { "[STATUS] != any(500, 200)", "status 200, expected none of 500, 200", NULL },
    { "[BODY].status == any(\"up\", \"ok\")", NULL, NULL },
    { "[BODY].code == any(\"up\", \"ok\")", "type mismatch: `.code` is 200, expected one of \"up\", \"ok\"", NULL },
    { "[BODY].ready.replicas == any(1, [BODY].spec.replicas)", NULL, NULL },
    { "[BODY].half.replicas == any(1, [BODY].spec.replicas)",
      "`.half.replicas` is 2, expected one of 1, [BODY].spec.replicas (3)", NULL },
    /* a missing value matches nothing, so the others decide */
    { "[BODY].code == any(200, [BODY].gone)", NULL, "[BODY].code (200) == any(200, [BODY].gone)" },
    { "[BODY].code == any(201, [BODY].gone)", "`.code` is 200, expected one of 201, [BODY].gone (not found)", NULL },
    { "[BODY].code == any([BODY].gone)", "`.gone` not found in body", NULL },
    { "[BODY].code != any([BODY].gone)", NULL, NULL },
    { "[BODY].gone != any(1, 2)", NULL, "[BODY].gone (not found) != any(1, 2)" },
    { "[BODY].gone == any(1, 2)", "`.gone` not found in body", NULL },
    { "[BODY].items != pat(*)", NULL, NULL },
    { "len([BODY].gone) != 0", NULL, NULL },
  };

  check_cases (result, cases, G_N_ELEMENTS (cases));
}

static void
test_numbers_and_strings (void)
{
  g_autoptr(SitrepProbeResult) result = make_result (BODY, strlen (BODY), FALSE);
  static const Case cases[] = {
    { "[BODY].ratio < 0.8", NULL, "[BODY].ratio (0.75) < 0.8" },
    { "[BODY].ratio > 0.8", "`.ratio` is 0.75, expected more than 0.8", NULL },
    { "[BODY].ratio == 0.75", NULL, NULL },
    { "[BODY].big == 1000", NULL, NULL },
    { "[BODY].code == 200.0", NULL, NULL },
    { "[BODY].code == 2e2", NULL, NULL },
    { "[BODY].code < 200.5", NULL, NULL },
    /* integers compare exactly, even where doubles cannot tell them apart */
    { "[BODY].id == 9007199254740993", NULL, NULL },
    { "[BODY].id == 9007199254740992", "`.id` is 9007199254740993, expected 9007199254740992", NULL },
    { "[BODY].id > 9007199254740992", NULL, NULL },
    { "[BODY].neg == -5", NULL, NULL },
    { "[BODY].neg < -4.5", NULL, NULL },
    { "[BODY].neg > -1", "`.neg` is -5, expected more than -1", NULL },
    { "-6 < [BODY].neg", NULL, NULL },
    { "[BODY].quote == \"say \\\"hi\\\" \\\\ bye\"", NULL, NULL },
    { "[BODY].quote == \"say hi\"", "`.quote` is \"say \\\"hi\\\" \\\\ bye\", expected \"say hi\"", NULL },
    { "[BODY].text == \"h\xc3\xa9llo\"", NULL, NULL },
    { "[BODY].status == \"\"", "`.status` is \"up\", expected \"\"", NULL },
    /* type mismatches fail with a reason, they are never quietly false or 0 */
    { "[BODY].status < 5", "`.status` is \"up\", not a number", NULL },
    { "[BODY].status >= [BODY].code", "`.status` is \"up\", not a number", NULL },
    { "[BODY].code <= [BODY].status", "`.status` is \"up\", not a number", NULL },
    { "[BODY].flag > 0", "`.flag` is true, not a number", NULL },
    { "[BODY].code == \"200\"", "type mismatch: [BODY].code (200) is a number, \"200\" is a string", NULL },
    /* != is the negation of ==: values that cannot be equal are different */
    { "[BODY].code != \"200\"", NULL, NULL },
    { "[BODY].status != 5", NULL, NULL },
    { "[BODY].flag == 1", "type mismatch: [BODY].flag (true) is true or false, 1 is a number", NULL },
    { "[BODY].status == true", "type mismatch: [BODY].status (\"up\") is a string, true is true or false", NULL },
    { "[BODY].items == 2", "type mismatch: [BODY].items (a list of 2 items) is a list, 2 is a number", NULL },
    { "[STATUS] == \"200\"", "type mismatch: [STATUS] (200) is a number, \"200\" is a string", NULL },
  };

  check_cases (result, cases, G_N_ELEMENTS (cases));
}

static void
test_bad_bodies (void)
{
  static const char html[] = "<html>oops</html>";
  static const char bad_utf8[] = "{\"status\": \"\xff\xfe\"}";
  static const char cut[] = "{\"status\": \"up\", \"che";
  g_autoptr(SitrepProbeResult) not_json = make_result (html, strlen (html), FALSE);
  g_autoptr(SitrepProbeResult) invalid = make_result (bad_utf8, strlen (bad_utf8), FALSE);
  g_autoptr(SitrepProbeResult) truncated = make_result (cut, strlen (cut), TRUE);
  g_autoptr(SitrepProbeResult) whole = make_result (BODY, 40, TRUE);
  g_autoptr(SitrepProbeResult) empty = make_result ("", 0, FALSE);

  check (not_json, "[BODY].status == \"up\"", "`.status` cannot be read: the body is not JSON (line 1, column 1…",
         "[BODY].status (no value) == \"up\"");
  check (not_json, "has([BODY].status)", "`.status` cannot be read: the body is not JSON…", NULL);
  check (not_json, "has([BODY].status) == false", "`.status` cannot be read: the body is not JSON…", NULL);
  check (not_json, "[BODY] == pat(*oops*)", NULL, NULL);
  check (not_json, "[BODY] == \"<html>oops</html>\"", NULL, NULL);

  check (invalid, "[BODY].status == \"up\"", "`.status` cannot be read: the body is not valid UTF-8", NULL);
  check (invalid, "[BODY] == pat(*)", "the body is not valid UTF-8", NULL);
  check (invalid, "len([BODY]) > 0", "the body is not valid UTF-8", NULL);

  check (truncated, "[BODY].status == \"up\"", "`.status` cannot be read: the body was cut at the size limit", NULL);
  check (truncated, "[BODY] == pat(*up*)", "the body was cut at the size limit, so it cannot be compared", NULL);
  /* even a cut that happens to be valid JSON is not read as JSON */
  check (whole, "[BODY].status == \"up\"", "`.status` cannot be read: the body was cut at the size limit", NULL);

  check (empty, "[BODY] == \"\"", NULL, NULL);
  check (empty, "[BODY].status == \"up\"", "`.status` cannot be read: the body is empty", NULL);
}

/* An empty body as the probes make it: libsoup's and GSubprocess' empty reads give a GBytes
 * whose data is NULL, and a command that prints nothing gives an empty [RESULT] too. */
static void
test_empty_body (void)
{
  g_autoptr(SitrepProbeResult) http = make_result (NULL, 0, FALSE);
  g_autoptr(SitrepProbeResult) command = make_result (NULL, 0, FALSE);
  g_autoptr(GBytes) none = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) drained = g_byte_array_free_to_bytes (g_byte_array_new ());
  static const Case cases[] = {
    { "[BODY] == \"ok\"", "the body is empty, expected \"ok\"", "[BODY] (\"\") == \"ok\"" },
    { "[BODY] != \"\"", "the body is empty, expected anything but \"\"", NULL },
    { "[BODY] == \"\"", NULL, NULL },
    { "[BODY] != \"ok\"", NULL, NULL },
    { "len([BODY]) == 0", NULL, "len([BODY]) (0) == 0" },
    { "len([BODY]) > 0", "len([BODY]) is 0, expected more than 0", NULL },
    { "[BODY] == pat(*ok*)", "the body is empty, expected to match *ok*", NULL },
    { "[BODY] != pat(*ok*)", NULL, NULL },
    { "[BODY] == any(\"ok\", \"up\")", "the body is empty, expected one of \"ok\", \"up\"", NULL },
    { "[BODY] < 5", "the body is empty, not a number", NULL },
    { "[BODY] != 5", NULL, NULL },
    { "[BODY].status == \"up\"", "`.status` cannot be read: the body is empty", "[BODY].status (no value) == \"up\"" },
    { "[BODY].status != \"down\"", NULL, "[BODY].status (no value) != \"down\"" },
    { "has([BODY].status)", "`.status` cannot be read: the body is empty", NULL },
    { "len([BODY].items) > 0", "`.items` cannot be read: the body is empty", NULL },
  };
  static const Case result_cases[] = {
    { "[RESULT] == \"exported\"", "the result is \"\", expected \"exported\"", NULL },
    { "[RESULT] < 100", "the result is \"\", not a number", NULL },
    { "[RESULT] == 0", "type mismatch: [RESULT] (\"\") is a string, 0 is a number", NULL },
    { "[RESULT] != 0", NULL, NULL },
  };

  g_assert_null (g_bytes_get_data (none, NULL));
  sitrep_probe_result_set_body (http, none, FALSE);
  check_cases (http, cases, G_N_ELEMENTS (cases));

  sitrep_probe_result_set_body (command, drained, FALSE);
  command->result = g_strdup ("");
  command->status = 0;
  check_cases (command, cases, G_N_ELEMENTS (cases));
  check_cases (command, result_cases, G_N_ELEMENTS (result_cases));
}

typedef struct
{
  const char *text;
  SitrepConditionError code;
  gsize offset;
  const char *message; /* a part of the message */
} BadCase;

static void
test_parse_errors (void)
{
  static const BadCase cases[] = {
    { "", SITREP_CONDITION_ERROR_EMPTY, 0, "empty" },
    { "   ", SITREP_CONDITION_ERROR_EMPTY, 0, "empty" },
    { "[STAUS] == 200", SITREP_CONDITION_ERROR_UNKNOWN_PLACEHOLDER, 0, "unknown placeholder [STAUS]; did you mean [STATUS]?" },
    { "[status] == 200", SITREP_CONDITION_ERROR_UNKNOWN_PLACEHOLDER, 0, "did you mean [STATUS]?" },
    { "[BODY].a == [NOPE_NOPE]", SITREP_CONDITION_ERROR_UNKNOWN_PLACEHOLDER, 12, "expected [STATUS], [RESPONSE_TIME]" },
    { "  [STATUS == 200", SITREP_CONDITION_ERROR_UNKNOWN_PLACEHOLDER, 2, "unterminated placeholder [STATUS: expected ]" },
    { "[BODY.status] == 1", SITREP_CONDITION_ERROR_UNKNOWN_PLACEHOLDER, 0, "unterminated placeholder [BODY: expected ]" },
    { "[STATUS] 200", SITREP_CONDITION_ERROR_MISSING_OPERATOR, 9,
      "expected an operator (==, !=, <, <=, >, >=) after [STATUS], found `200`" },
    { "[STATUS]", SITREP_CONDITION_ERROR_MISSING_OPERATOR, 8, "expected an operator (==, !=, <, <=, >, >=) after [STATUS]" },
    { "[STATUS] = 200", SITREP_CONDITION_ERROR_MISSING_OPERATOR, 9, "`=` is not an operator" },
    { "[STATUS] =< 200", SITREP_CONDITION_ERROR_MISSING_OPERATOR, 9, "`=` is not an operator" },
    { "len([BODY].items)", SITREP_CONDITION_ERROR_MISSING_OPERATOR, 17, "after len([BODY].items)" },
    { "[STATUS] ==", SITREP_CONDITION_ERROR_MISSING_OPERAND, 11, "nothing after ==" },
    { "[STATUS] >= ", SITREP_CONDITION_ERROR_MISSING_OPERAND, 12, "nothing after >=" },
    { "[STATUS] == !", SITREP_CONDITION_ERROR_MISSING_OPERAND, 12, "expected a value, found `!`" },
    { "[STATUS] == any()", SITREP_CONDITION_ERROR_MISSING_OPERAND, 16, "any() needs at least one value" },
    { "[STATUS] == any(200,)", SITREP_CONDITION_ERROR_MISSING_OPERAND, 20, "expected a value" },
    { "[BODY].a == pat()", SITREP_CONDITION_ERROR_MISSING_OPERAND, 16, "pat() needs a pattern" },
    { "len() > 0", SITREP_CONDITION_ERROR_MISSING_OPERAND, 4, "len() needs a placeholder" },
    { "[BODY].status == \"up", SITREP_CONDITION_ERROR_UNTERMINATED_STRING, 17, "unterminated string" },
    { "[BODY].status == \"up\\\"", SITREP_CONDITION_ERROR_UNTERMINATED_STRING, 17, "unterminated string" },
    { "[BODY].s == pat(\"a*)", SITREP_CONDITION_ERROR_UNTERMINATED_STRING, 16, "unterminated string" },
    { "len([BODY].items > 0", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 17, "expected ) to close len(" },
    { "has([BODY].x", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 12, "expected ) to close has(" },
    { "[STATUS] == any(200, 204", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 24, "expected ) to close any(" },
    { "[BODY].s == pat(*up*", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 20, "expected ) to close pat(" },
    { "[STATUS] == 200)", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 15, ") without a matching (" },
    { "[STATUS]) == 200", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 8, ") without a matching (" },
    { ") == 200", SITREP_CONDITION_ERROR_UNBALANCED_PARENTHESES, 0, ") without a matching (" },
    { "size([BODY].items) > 0", SITREP_CONDITION_ERROR_UNKNOWN_FUNCTION, 0, "unknown function size(); known: len()" },
    { "[STATUS] == lne([BODY].items)", SITREP_CONDITION_ERROR_UNKNOWN_FUNCTION, 12, "did you mean len()?" },
    { "[STATUS] == 200 foo", SITREP_CONDITION_ERROR_TRAILING_GARBAGE, 16, "unexpected `foo` after the condition" },
    { "[STATUS] == 200 && [BODY].x == 1", SITREP_CONDITION_ERROR_TRAILING_GARBAGE, 16, "unexpected `&&`" },
    { "[STATUS] == 200 == 200", SITREP_CONDITION_ERROR_TRAILING_GARBAGE, 16, "unexpected `==`" },
    { "has([BODY].x) extra", SITREP_CONDITION_ERROR_MISSING_OPERATOR, 14, "found `extra`" },
    { "[BODY].status == up", SITREP_CONDITION_ERROR_INVALID, 17, "`up` is not a value: write text in double quotes (\"up\")" },
    { "[STATUS].code == 1", SITREP_CONDITION_ERROR_INVALID, 8, "only [BODY] has a path" },
    { "[BODY]. == 1", SITREP_CONDITION_ERROR_INVALID, 7, "expected a key name" },
    { "[BODY].\xc3\xa9 == 1", SITREP_CONDITION_ERROR_INVALID, 7, "expected a key name" },
    { "[BODY].items[x] == 1", SITREP_CONDITION_ERROR_INVALID, 13, "expected an array index" },
    { "[BODY].items[0 == 1", SITREP_CONDITION_ERROR_INVALID, 14, "expected ]" },
    { "[BODY].items[99999999999] == 1", SITREP_CONDITION_ERROR_INVALID, 13, "too large" },
    { "[STATUS] == 12abc", SITREP_CONDITION_ERROR_INVALID, 12, "`12abc` is not a number" },
    { "[STATUS] == 1.2.3", SITREP_CONDITION_ERROR_INVALID, 12, "is not a number" },
    { "[STATUS] == -", SITREP_CONDITION_ERROR_INVALID, 12, "is not a number" },
    { "[BODY].s == \"a\\n\"", SITREP_CONDITION_ERROR_INVALID, 14, "unknown escape" },
    { "pat(*x*) == [BODY]", SITREP_CONDITION_ERROR_INVALID, 0, "pat() belongs on the right side" },
    { "[STATUS] == any(1, any(2))", SITREP_CONDITION_ERROR_INVALID, 19, "any() belongs on the right side" },
    { "[STATUS] < any(1, 2)", SITREP_CONDITION_ERROR_INVALID, 11, "only works with == or !=" },
    { "[BODY].s >= pat(a*)", SITREP_CONDITION_ERROR_INVALID, 12, "only works with == or !=" },
    { "[STATUS] == any(1 2)", SITREP_CONDITION_ERROR_INVALID, 18, "expected , or ) in any(), found `2)`" },
    { "len([STATUS]) > 0", SITREP_CONDITION_ERROR_INVALID, 4, "len() takes a placeholder holding text or a list" },
    { "len(\"abc\") > 0", SITREP_CONDITION_ERROR_INVALID, 4, "len() takes a placeholder" },
    { "has([RESULT])", SITREP_CONDITION_ERROR_INVALID, 4, "has() takes a [BODY] path" },
    { "[BODY].a == \"\xff\"", SITREP_CONDITION_ERROR_INVALID, 13, "not valid UTF-8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SitrepCondition) condition = NULL;
      gsize offset = G_MAXSIZE;

      g_test_message ("%s", g_utf8_validate (cases[i].text, -1, NULL) ? cases[i].text : "(invalid UTF-8)");
      condition = sitrep_condition_parse (cases[i].text, &offset, &error);
      g_assert_null (condition);
      g_assert_error (error, SITREP_CONDITION_ERROR, (int) cases[i].code);
      g_test_message ("  -> %" G_GSIZE_FORMAT ": %s", offset, error->message);
      g_assert_cmpuint (offset, ==, cases[i].offset);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      /* the offset is optional */
      g_clear_error (&error);
      g_assert_null (sitrep_condition_parse (cases[i].text, NULL, &error));
      g_assert_nonnull (error);
    }
}

/* The smallest valid runbook, with one condition on line 8. */
static const char RUNBOOK[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Payments\",\n"
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
  "  \"environment\": { \"context\": \"payments-production\", \"namespace\": \"payments\" },\n"
  "  \"services\": [{ \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/payments-api\",\n"
  "    \"probes\": [{ \"id\": \"health\", \"type\": \"http\", \"url\": \"https://payments.example.com/health\",\n"
  "      \"conditions\": [{ \"check\": \"%s\" }] }] }]\n"
  "}\n";
#define CHECK_COLUMN 34 /* where the check string's first character is on line 8 */

static GPtrArray *
load_with_check (const char *check_json)
{
  char *text = g_strdup_printf (RUNBOOK, check_json);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "payments.json", &problems, &error);

  if (runbook != NULL)
    {
      const SitrepService *service = sitrep_runbook_find_service (runbook, "api");
      const SitrepProbeSpec *probe = g_ptr_array_index (service->probes, 0);
      const SitrepConditionSpec *spec = g_ptr_array_index (probe->conditions, 0);

      g_assert_no_error (error);
      g_assert_nonnull (spec->parsed);
      return NULL;
    }
  g_assert_nonnull (error);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_test_message ("%s", line);
    }
  return g_steal_pointer (&problems);
}

static void
test_runbook (void)
{
  static const struct
  {
    const char *check;
    guint column; /* of the mistake, on line 8 */
    const char *message;
  } bad[] = {
    { "[STAUS] == 200", CHECK_COLUMN, "did you mean [STATUS]?" },
    { "[STATUS] == 200 foo", CHECK_COLUMN + 16, "unexpected `foo`" },
    /* escapes in the file do not shift the column: \\\" is two bytes in the file, one in the check */
    { "[BODY].s == \\\"up\\\" x", CHECK_COLUMN + 19, "unexpected `x`" },
    { "[BODY].s == \\\"caf\\u00e9\\\" )", CHECK_COLUMN + 26, ") without a matching (" },
  };

  g_assert_null (load_with_check ("[STATUS] == 200"));
  g_assert_null (load_with_check ("[BODY].s == \\\"up\\\""));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) problems = load_with_check (bad[i].check);
      const SitrepRunbookProblem *problem = g_ptr_array_index (problems, 0);

      g_assert_cmpuint (problems->len, ==, 1);
      g_assert_cmpstr (problem->file, ==, "payments.json");
      g_assert_cmpuint (problem->line, ==, 8);
      g_assert_cmpuint (problem->column, ==, bad[i].column);
      g_assert_nonnull (strstr (problem->message, bad[i].message));
    }
}

static void
test_default_runbook (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_default (&error);
  GPtrArray *services;
  guint count = 0;

  g_assert_no_error (error);
  services = sitrep_runbook_get_services (runbook);
  for (guint i = 0; i < services->len; i++)
    {
      const SitrepService *service = g_ptr_array_index (services, i);

      for (guint j = 0; j < service->probes->len; j++)
        {
          const SitrepProbeSpec *probe = g_ptr_array_index (service->probes, j);

          for (guint k = 0; k < probe->conditions->len; k++, count++)
            {
              const SitrepConditionSpec *spec = g_ptr_array_index (probe->conditions, k);

              g_assert_nonnull (spec->parsed);
              g_assert_cmpstr (sitrep_condition_get_text (spec->parsed), ==, spec->check);
            }
        }
    }
  g_assert_cmpuint (count, >=, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/condition/operators", test_operators);
  g_test_add_func ("/condition/placeholders", test_placeholders);
  g_test_add_func ("/condition/status-none", test_status_none);
  g_test_add_func ("/condition/result", test_result);
  g_test_add_func ("/condition/paths", test_paths);
  g_test_add_func ("/condition/functions", test_functions);
  g_test_add_func ("/condition/numbers-and-strings", test_numbers_and_strings);
  g_test_add_func ("/condition/bad-bodies", test_bad_bodies);
  g_test_add_func ("/condition/empty-body", test_empty_body);
  g_test_add_func ("/condition/parse-errors", test_parse_errors);
  g_test_add_func ("/condition/runbook", test_runbook);
  g_test_add_func ("/condition/default-runbook", test_default_runbook);

  return g_test_run ();
}
