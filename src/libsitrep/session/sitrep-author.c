/* sitrep-author.c: whose name a console records on the timeline and in the audit log
 *
 * The console and the headless verbs record the same person for the same account: a chat bot's
 * note and a click in the window must not read as two people.
 */
#include "config.h"

#include "sitrep-author.h"

/**
 * sitrep_author_name:
 * @settings: (nullable): the org.carecircle.Sitrep settings
 *
 * The name set in Preferences ("lead-name"), else the account's real name, else its user name.
 *
 * Returns: (transfer full): the name, never empty
 */
char *
sitrep_author_name (GSettings *settings)
{
  g_autofree char *name = NULL;
  const char *real = g_get_real_name ();

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings != NULL)
    name = g_strstrip (g_settings_get_string (settings, "lead-name"));
  if (name != NULL && *name != '\0')
    return g_steal_pointer (&name);
  /* GLib says "Unknown" when the account has no real name. */
  if (real != NULL && *real != '\0' && g_strcmp0 (real, "Unknown") != 0)
    return g_strdup (real);
  return g_strdup (g_get_user_name ());
}
