/* fuzz-condition.c: the condition parser takes any text, and the judge any probe result
 *
 * The input is a condition, then a newline, then what a probe found: its first line is the
 * status code, the rest is the body (and the text of a redis or command result). Every condition
 * that parses is judged against that result and against results with empty and absent fields.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sitrep-condition-eval.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

static void
judge (const SitrepCondition   *condition,
       const SitrepProbeResult *result)
{
  g_autofree char *resolved = NULL;
  g_autoptr(SitrepReason) why = NULL;
  gboolean holds = sitrep_condition_evaluate (condition, result, &resolved, &why);
  g_autofree char *packed = why != NULL ? sitrep_reason_pack (why) : NULL;
  g_autofree char *rendered = packed != NULL ? sitrep_reason_render_packed (packed) : NULL;
  const char *reason = why != NULL ? sitrep_reason_to_string (why) : NULL;

  /* A condition holds, or says why not; never a silent failure. */
  g_assert_true (holds == (reason == NULL));
  g_assert_nonnull (resolved);
  g_assert_true (g_utf8_validate (resolved, -1, NULL));
  if (reason != NULL)
    {
      g_assert_cmpstr (reason, !=, "");
      g_assert_true (g_utf8_validate (reason, -1, NULL));
      /* Stored and read back, the reason says the same. */
      g_assert_cmpstr (rendered, ==, reason);
    }
  /* The same verdict without asking for the words. */
  g_assert_true (sitrep_condition_evaluate (condition, result, NULL, NULL) == holds);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *newline = memchr (data, '\n', size);
  gsize condition_length = newline != NULL ? (gsize) (newline - text) : size;
  g_autofree char *condition_text = g_strndup (text, condition_length);
  g_autoptr(SitrepCondition) condition = NULL;
  g_autoptr(GError) error = NULL;
  gsize offset = G_MAXSIZE;

  condition = sitrep_condition_parse (condition_text, &offset, &error);
  if (condition == NULL)
    {
      /* Refused with a reason and a place inside the text. */
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (offset, <=, strlen (condition_text));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_condition_get_text (condition), ==, condition_text);

  {
    const char *rest = newline != NULL ? newline + 1 : text + size;
    gsize rest_length = (gsize) (text + size - rest);
    const char *body_start = memchr (rest, '\n', rest_length);
    g_autofree char *status = g_strndup (rest, body_start ? (gsize) (body_start - rest) : rest_length);
    g_autoptr(GBytes) body = body_start != NULL
                               ? g_bytes_new (body_start + 1, text + size - body_start - 1)
                               : g_bytes_new (NULL, 0);
    g_autoptr(SitrepProbeResult) full = sitrep_probe_result_new ();
    g_autoptr(SitrepProbeResult) absent = sitrep_probe_result_new ();
    g_autoptr(SitrepProbeResult) empty = sitrep_probe_result_new ();
    g_autoptr(SitrepProbeResult) not_run = sitrep_probe_result_new ();
    g_autoptr(GBytes) nothing = g_bytes_new (NULL, 0);

    /* What an HTTP, redis or command probe found. */
    full->status = (int) g_ascii_strtoll (status, NULL, 10);
    full->connected = TRUE;
    full->response_time_ms = (double) g_bytes_get_size (body);
    sitrep_probe_result_set_body (full, body, FALSE);
    full->result = g_bytes_get_size (body) > 0
                     ? g_utf8_make_valid (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                     : g_strdup ("");
    judge (condition, full);

    /* A transport failure: no status, no body, no result, only an error. */
    absent->error = g_strdup ("connection refused");
    judge (condition, absent);

    /* Everything there but empty. */
    empty->status = 200;
    empty->connected = TRUE;
    sitrep_probe_result_set_body (empty, nothing, FALSE);
    empty->result = g_strdup ("");
    empty->error = g_strdup ("");
    judge (condition, empty);

    /* A probe that could not run at all. */
    not_run->ran = FALSE;
    judge (condition, not_run);
  }
  return 0;
}
