/* fixture-runbook.c: the tests' second runbook (Northwind Freight), aimed at the test's servers */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "fixture-runbook.h"
#include "sitrep-runbook-loader.h"

static const char *defaults[][2] = {
  { "HTTP_URL", "http://127.0.0.1:9" },
  { "REDIS_PORT", "9" },
  { "TCP_PORT", "9" },
  { "COMMAND", "/bin/true" },
  { "KUBECTL", "kubectl" },
};

static char *
fill_valist (const char *first_key,
             va_list     args)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GString *out;
  const char *p;

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_hash_table_insert (values, (gpointer) defaults[i][0], (gpointer) defaults[i][1]);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (values, (gpointer) key, va_arg (args, char *));

  path = g_test_build_filename (G_TEST_DIST, "data", "northwind.json", NULL);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  out = g_string_new (NULL);
  for (p = text; *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *key = NULL;
      const char *value;

      if (*p != '@' || (end = strchr (p + 1, '@')) == NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }
      key = g_strndup (p + 1, end - p - 1);
      value = g_hash_table_lookup (values, key);
      if (value == NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }
      g_string_append (out, value);
      p = end;
    }
  return g_string_free (out, FALSE);
}

char *
fixture_runbook_text (const char *first_key,
                      ...)
{
  va_list args;
  char *text;

  va_start (args, first_key);
  text = fill_valist (first_key, args);
  va_end (args);
  return text;
}

char *
fixture_runbook_write (const char *first_key,
                       ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  char *path;
  va_list args;

  va_start (args, first_key);
  text = fill_valist (first_key, args);
  va_end (args);

  dir = g_dir_make_tmp ("sitrep-northwind-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "northwind.json", NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

SitrepRunbook *
fixture_runbook_load (const char *first_key,
                      ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SitrepRunbook *runbook;
  char *text;
  va_list args;

  va_start (args, first_key);
  text = fill_valist (first_key, args);
  va_end (args);

  bytes = g_bytes_new_take (text, strlen (text));
  runbook = sitrep_runbook_load_bytes (bytes, "northwind.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

/**
 * fixture_runbook_load_drill:
 * @started_at: when the drill began, in ISO 8601 ("2025-11-28T03:20:00Z")
 *
 * Northwind (aimed at nothing) as the runbook of a drill: what `sitrep drill` marks in the
 * runbook it writes, on another team's runbook.
 */
SitrepRunbook *
fixture_runbook_load_drill (const char *started_at)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  g_autofree char *drill_text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *environment;
  SitrepRunbook *runbook;

  g_assert_nonnull (root);
  environment = json_object_get_object_member (json_node_get_object (root), "environment");
  json_object_set_boolean_member (environment, "drill", TRUE);
  json_object_set_string_member (environment, "drill_started_at", started_at);
  drill_text = json_to_string (root, TRUE);
  bytes = g_bytes_new (drill_text, strlen (drill_text));
  runbook = sitrep_runbook_load_bytes (bytes, "northwind-drill.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  g_assert_true (sitrep_runbook_get_environment (runbook)->drill);
  return runbook;
}
