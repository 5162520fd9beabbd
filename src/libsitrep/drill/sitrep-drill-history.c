/* sitrep-drill-history.c: a drill's health history, kept apart from production's
 *
 * A drill's services bear production's names: were their samples kept in the same database,
 * the drill's tiles would show production's history of the same service, and production's
 * tiles the drill's outage. A drill keeps its own database in its own folder, beside the
 * runbook it wrote, which goes when the drill ends.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-drill-history.h"

/**
 * sitrep_drill_open_health_store:
 * @runbook: a drill's runbook, read from its file
 *
 * Opens the database of the drill's health history, in the folder of its runbook.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
SitrepStore *
sitrep_drill_open_health_store (SitrepRunbook *runbook,
                                GError       **error)
{
  const char *source;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  source = sitrep_runbook_get_source (runbook);
  if (!sitrep_runbook_get_environment (runbook)->drill || source == NULL
      || !g_path_is_absolute (source))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The runbook %s is not a drill's runbook read from its folder: its health "
                     "history is not kept."),
                   sitrep_runbook_get_name (runbook));
      return NULL;
    }
  dir = g_path_get_dirname (source);
  path = g_build_filename (dir, SITREP_DRILL_HEALTH_DATABASE, NULL);
  return sitrep_store_open (path, error);
}

/* Removes the health history of the drill whose folder is @dir, with SQLite's side files. */
void
sitrep_drill_remove_health_store (const char *dir)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (SITREP_DRILL_HEALTH_DATABASE, suffixes[i], NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}
