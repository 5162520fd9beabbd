/* test-reason.c: reasons kept as data, packed for the store and read in another language */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fixture-language.h"
#include "sitrep-condition-eval.h"
#include "sitrep-probe-run.h"
#include "sitrep-reason.h"
#include "sitrep-secrets.h"

/* A reason as a redis probe that timed out says it, nested three deep. */
static SitrepReason *
timed_out (void)
{
  return sitrep_reason_new ("%s: %s", sitrep_reason_new_text ("queue"),
                            sitrep_reason_new (N_("no answer within %s"),
                                               sitrep_probe_timeout_reason (2500)));
}

/* What the condition evaluator says of a slow answer: "response time 812 ms, expected less
 * than 500", with a phrase of its own in the middle. */
static SitrepReason *
too_slow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepCondition) condition = sitrep_condition_parse ("[RESPONSE_TIME] < 500", NULL,
                                                                 &error);
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();
  SitrepReason *why = NULL;

  g_assert_no_error (error);
  result->connected = TRUE;
  result->status = 200;
  result->response_time_ms = 812;
  g_assert_false (sitrep_condition_evaluate (condition, result, NULL, &why));
  g_assert_nonnull (why);
  return why;
}

static char *
pack_and_render (SitrepReason *reason)
{
  g_autofree char *packed = sitrep_reason_pack (reason);

  return sitrep_reason_render_packed (packed);
}

/* Each of @bad (NULL-terminated) is no packed reason: no words at all, so the caller shows the
 * reason as its recorder worded it. */
static void
assert_unreadable (const char *const *bad)
{
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *rendered = sitrep_reason_render_packed (bad[i]);
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("%s", shown);
      g_assert_null (rendered);
    }
}

/* Why [BODY].items == "x" fails for a body whose items are @items. */
static SitrepReason *
mismatch (const char *items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepCondition) condition = sitrep_condition_parse ("[BODY].items == \"x\"", NULL,
                                                                 &error);
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();
  g_autofree char *json = g_strdup_printf ("{\"items\": %s}", items);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  SitrepReason *why = NULL;

  g_assert_no_error (error);
  result->connected = TRUE;
  result->status = 200;
  sitrep_probe_result_set_body (result, body, FALSE);
  g_assert_false (sitrep_condition_evaluate (condition, result, NULL, &why));
  return why;
}

/* A count in a reason takes the plural form of the reader's language, not the recorder's. */
static void
test_reason_plural (void)
{
  g_autoptr(SitrepReason) three = NULL;
  g_autoptr(SitrepReason) one = NULL;
  g_autofree char *three_packed = NULL;
  g_autofree char *one_packed = NULL;
  g_autofree char *german_three = NULL;
  g_autofree char *german_one = NULL;
  const char *bad[] = { "[[\"a %s\",\"b %s\",\"x\"],\"1\"]", "[[\"a %s\",\"b %s\"],\"1\"]",
                        "[[\"a %s\",\"b %s\",\"99999999999999999999999\"],\"1\"]",
                        "[[\"a %s\",\"b %s\",\"-1\"],\"1\"]", "[[\"a %s\",\"b %d\",\"2\"],\"1\"]",
                        "[[\"a %s\",\"b %s\",\"2\",\"3\"],\"1\"]",
                        /* the header of the reader's catalogue is no message */
                        "[[\"\",\"x\",\"1\"]]",
                        /* a form the reader's plural rule may take is checked too */
                        "[[\"a %s\",\"b %d\",\"1\"],\"1\"]", NULL };

  if (fixture_in_parent_process ())
    return;

  fixture_use_language (NULL);
  three = mismatch ("[1, 2, 3]");
  one = mismatch ("[1]");
  g_assert_cmpstr (sitrep_reason_to_string (three), ==,
                   "type mismatch: [BODY].items (a list of 3 items) is a list, \"x\" is a string");
  g_assert_cmpstr (sitrep_reason_to_string (one), ==,
                   "type mismatch: [BODY].items (a list of 1 item) is a list, \"x\" is a string");
  three_packed = sitrep_reason_pack (three);
  one_packed = sitrep_reason_pack (one);
  g_assert_nonnull (strstr (three_packed, "[[\"a list of %s item\",\"a list of %s items\",\"3\"],\"3\"]"));

  fixture_use_language ("de");
  german_three = sitrep_reason_render_packed (three_packed);
  german_one = sitrep_reason_render_packed (one_packed);
  g_test_message ("%s / %s", german_three, german_one);
  g_assert_nonnull (strstr (german_three, "(eine Liste mit 3 Einträgen)"));
  g_assert_nonnull (strstr (german_one, "(eine Liste mit 1 Eintrag)"));

  /* A count or forms that are not one: no words at all. */
  assert_unreadable (bad);
}

/* Made in English, stored, read back in English and in German. */
static void
test_reason_languages (void)
{
  g_autoptr(SitrepReason) queue = NULL;
  g_autoptr(SitrepReason) slow = NULL;
  g_autofree char *queue_packed = NULL;
  g_autofree char *slow_packed = NULL;
  g_autofree char *english = NULL;
  g_autofree char *german = NULL;

  if (fixture_in_parent_process ())
    return;

  fixture_use_language (NULL);
  queue = timed_out ();
  slow = too_slow ();
  g_assert_cmpstr (sitrep_reason_to_string (queue), ==, "queue: no answer within 2.5 s");
  g_assert_cmpstr (sitrep_reason_to_string (slow), ==,
                   "response time 812 ms, expected less than 500");
  queue_packed = sitrep_reason_pack (queue);
  slow_packed = sitrep_reason_pack (slow);
  /* What the store keeps: the messages untranslated, the words from elsewhere as they are. */
  g_assert_cmpstr (queue_packed, ==,
                   "[\"%s: %s\",\"queue\",[\"no answer within %s\",[\"%s s\",\"2.5\"]]]");
  english = sitrep_reason_render_packed (queue_packed);
  g_assert_cmpstr (english, ==, "queue: no answer within 2.5 s");

  /* Read by a German console. */
  fixture_use_language ("de");
  german = sitrep_reason_render_packed (queue_packed);
  g_assert_cmpstr (german, ==, "queue: keine Antwort innerhalb von 2.5 s");
  g_clear_pointer (&german, g_free);
  german = sitrep_reason_render_packed (slow_packed);
  g_assert_cmpstr (german, ==, "Antwortzeit 812 ms, erwartet wurde weniger als 500");
  /* The reason made earlier keeps the words it was made with; equal whatever the language. */
  g_assert_cmpstr (sitrep_reason_to_string (queue), ==, "queue: no answer within 2.5 s");
  {
    g_autoptr(SitrepReason) again = timed_out ();

    g_assert_cmpstr (sitrep_reason_to_string (again), ==,
                     "queue: keine Antwort innerhalb von 2.5 s");
    g_assert_true (sitrep_reason_equal (again, queue));
  }
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  g_autofree char *value = sitrep_secrets_lookup_finish (result, error);

  g_assert_null (value);
}

/* A secret a probe cannot have says why in an error that keeps the reason as data: the probe
 * records it, and a German reader reads it in German. */
static void
test_reason_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(SitrepReason) why = NULL;
  g_autoptr(SitrepReason) prefixed = NULL;
  g_autofree char *packed = NULL;
  g_autofree char *german = NULL;

  if (fixture_in_parent_process ())
    return;

  fixture_use_language (NULL);
  g_unsetenv ("SITREP_TEST_NEVER_SET");
  sitrep_secrets_lookup_async ("env:SITREP_TEST_NEVER_SET", NULL, looked_up_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "the environment variable SITREP_TEST_NEVER_SET is not "
                                       "set: export it before starting Sitrep");
  /* A copy keeps the reason too. */
  copy = g_error_copy (error);
  why = sitrep_reason_from_error (copy);
  packed = sitrep_reason_pack (why);
  g_assert_true (g_str_has_prefix (packed, "[\"the environment variable %s is not set"));

  fixture_use_language ("de");
  german = sitrep_reason_render_packed (packed);
  g_assert_cmpstr (german, ==, "die Umgebungsvariable SITREP_TEST_NEVER_SET ist nicht gesetzt: "
                               "Exportieren Sie sie, bevor Sie Sitrep starten");

  /* A message someone added to since is what the reason is: words, as they now read. */
  g_prefix_error (&copy, "header X-Token: ");
  prefixed = sitrep_reason_from_error (copy);
  g_clear_pointer (&packed, g_free);
  packed = sitrep_reason_pack (prefixed);
  g_assert_cmpstr (sitrep_reason_to_string (prefixed), ==, copy->message);
  g_assert_true (g_str_has_prefix (packed, "\"header X-Token: the environment"));
}

/* Words from elsewhere are shown as they are, whatever they hold: quotes, backslashes,
 * control characters, percent signs, something that looks like a message. */
static void
test_reason_words (void)
{
  const char *words[] = { "", "Connection refused", "a \"quoted\" \\ path\n\ttab\x01",
                          "100% of %s and %d", "[\"status %s\",\"503\"]", "Grüße ✓ 🔴", NULL };
  g_autoptr(SitrepReason) broken = sitrep_reason_new_text ("ERR \xff\xfe reply");
  g_autofree char *broken_rendered = pack_and_render (broken);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(SitrepReason) reason = sitrep_reason_new_text (words[i]);
      g_autoptr(SitrepReason) inside = sitrep_reason_new (N_("status %s"),
                                                          sitrep_reason_new_text (words[i]));
      g_autofree char *rendered = pack_and_render (reason);
      g_autofree char *rendered_inside = pack_and_render (inside);
      g_autofree char *expected = g_strdup_printf ("status %s", words[i]);

      g_assert_cmpstr (sitrep_reason_to_string (reason), ==, words[i]);
      g_assert_cmpstr (rendered, ==, words[i]);
      g_assert_cmpstr (rendered_inside, ==, expected);
      g_assert_false (sitrep_reason_equal (reason, inside));
    }
  /* A server's reply that is not UTF-8 is stored and read back, its bad bytes replaced. */
  g_assert_cmpstr (sitrep_reason_to_string (broken), ==, "ERR \357\277\275\357\277\275 reply");
  g_assert_cmpstr (broken_rendered, ==, sitrep_reason_to_string (broken));
}

/* %%, and conversions by position as a translation may reorder them. */
static void
test_reason_conversions (void)
{
  g_autoptr(SitrepReason) ordered = sitrep_reason_new ("%2$s before %1$s, 100%%",
                                                       sitrep_reason_new_text ("b"),
                                                       sitrep_reason_new_text ("a"));
  g_autoptr(SitrepReason) missing = sitrep_reason_new ("%s and %s", sitrep_reason_new_text ("x"),
                                                       NULL);
  g_autofree char *rendered = pack_and_render (ordered);

  g_assert_cmpstr (sitrep_reason_to_string (ordered), ==, "a before b, 100%");
  g_assert_cmpstr (rendered, ==, "a before b, 100%");
  /* A NULL argument reads as empty, never as a crash. */
  g_assert_cmpstr (sitrep_reason_to_string (missing), ==, "x and ");
}

/* What a tampered database or another program may hold where a packed reason belongs: never a
 * crash, never a read past the text, never a format string run; no words at all, so the caller
 * shows the reason as its recorder worded it. */
static void
test_reason_hostile (void)
{
  const char *bad[] = {
    "", " ", "[", "]", "[]", "[1]", "{\"m\":\"status %s\"}", "[\"status %s\"]",
    "[\"status %s\",\"503\"", "[\"status %s\",\"503\"] tail", "[\"status %s\",503]",
    "[\"%d\",\"x\"]", "[\"%n\",\"x\"]", "[\"%s %99$s\",\"x\"]", "[\"%0$s\",\"x\"]",
    "[\"status %s\",\"\\x\"]", "[\"status %s\",\"\\ud800\"]", "\"unterminated",
    "[\"a %s\",\"\xff\"]", "null", "[\"%s\",[]]",
    NULL,
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new ("[\"");
  g_autofree char *fine = NULL;

  assert_unreadable (bad);
  g_assert_null (sitrep_reason_render_packed (NULL));

  /* Nested past any reason Sitrep makes. */
  for (guint i = 0; i < 10000; i++)
    g_string_append (deep, "[\"%s\",");
  g_string_append (deep, "\"x\"");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, ']');
  g_assert_null (sitrep_reason_render_packed (deep->str));

  /* More arguments than any message takes. */
  for (guint i = 0; i < 100; i++)
    g_string_append (wide, "%s");
  g_string_append_c (wide, '"');
  for (guint i = 0; i < 100; i++)
    g_string_append (wide, ",\"x\"");
  g_string_append_c (wide, ']');
  g_assert_null (sitrep_reason_render_packed (wide->str));

  /* A message may use an argument many times: nested, small text would render to terabytes. */
  {
    g_autoptr(GString) bomb = g_string_new ("\"x\"");

    for (guint level = 0; level < 7; level++)
      {
        g_autoptr(GString) message = g_string_new ("[\"");

        for (guint i = 0; i < 50; i++)
          g_string_append (message, "%1$s");
        g_string_append_printf (message, "\",%s]", bomb->str);
        g_string_assign (bomb, message->str);
      }
    g_assert_cmpuint (bomb->len, <, 4096);
    g_assert_null (sitrep_reason_render_packed (bomb->str));
  }

  /* Extra arguments a message does not use do no harm; white space is JSON's. */
  fine = sitrep_reason_render_packed (" [ \"status %s\" , \"503\" , \"spare\" ] ");
  g_assert_cmpstr (fine, ==, "status 503");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reason/languages", test_reason_languages);
  g_test_add_func ("/reason/secret", test_reason_secret);
  g_test_add_func ("/reason/plural", test_reason_plural);
  g_test_add_func ("/reason/words", test_reason_words);
  g_test_add_func ("/reason/conversions", test_reason_conversions);
  g_test_add_func ("/reason/hostile", test_reason_hostile);

  return g_test_run ();
}
