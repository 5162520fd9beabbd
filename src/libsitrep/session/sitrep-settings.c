/* sitrep-settings.c: the console's settings, for the app and the headless verbs alike */
#include "config.h"

#include "sitrep-settings.h"

/**
 * sitrep_settings_new:
 *
 * The settings of APP_ID (the name recorded, the runbooks trusted, the team database, the
 * window's size…), looked up rather than assumed: an uninstalled build without
 * GSETTINGS_SCHEMA_DIR has none, and g_settings_new() would abort.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL when the schema is not installed
 */
GSettings *
sitrep_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}
