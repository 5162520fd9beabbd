/* sitrep-cli-output.c: what the verbs print alike: times for people, JSON for scripts */
#include "config.h"

#include "sitrep-cli-output.h"

/* @at in microseconds, as the store keeps it; "?" for a time past the year 9999, which a
 * tampered database can hold. */
char *
sitrep_cli_format_time (gint64   at,
                        gboolean utc)
{
  g_autoptr(GDateTime) time = utc ? g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC)
                                  : g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);

  if (time == NULL)
    return g_strdup ("?");
  return g_date_time_format (time, utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z");
}

/* A string member, null for NULL. */
void
sitrep_cli_add_string (JsonBuilder *builder,
                       const char  *name,
                       const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

/* A time member in ISO 8601, UTC, to the second; null for none (0) or one out of range. */
void
sitrep_cli_add_time (JsonBuilder *builder,
                     const char  *name,
                     gint64       at)
{
  g_autoptr(GDateTime) time = at != 0 ? g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC)
                                       : NULL;
  g_autofree char *iso = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  sitrep_cli_add_string (builder, name, iso);
}

/* The document @builder holds, indented, on standard output. */
void
sitrep_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
