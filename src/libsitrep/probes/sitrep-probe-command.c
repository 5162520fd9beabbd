/* sitrep-probe-command.c: the command probe kind: runs the probe's argv, no shell */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-argv.h"
#include "sitrep-probe-program.h"

static void
command_start (SitrepProbeRun *run)
{
  sitrep_probe_run_program (run, (const char *const *) run->spec->argv, FALSE);
}

static void
command_load (SitrepLoader        *l,
              JsonNode            *node,
              const SitrepService *service,
              SitrepProbeSpec     *spec)
{
  JsonObject *object = json_node_get_object (node);
  JsonNode *argv = sitrep_schema_member (object, "argv");
  guint needs;

  spec->argv = sitrep_schema_strv (l, object, "argv");
  if (argv == NULL)
    {
      sitrep_schema_problem (l, AT_VALUE (node), _("a command probe needs an \"argv\""));
      return;
    }
  if (spec->argv == NULL)
    return;
  needs = sitrep_schema_check_argv (l, object, "argv", spec->argv, NULL);
  if ((needs & NEEDS_TARGET) && service->target == NULL)
    sitrep_schema_problem (l, AT_VALUE (argv),
                           _("this probe uses {target} but service \"%s\" has no \"target\""),
                           service->id);
  if ((needs & NEEDS_SELECTOR) && service->selector == NULL)
    sitrep_schema_problem (l, AT_VALUE (argv),
                           _("this probe uses {selector} but service \"%s\" has no "
                             "\"selector\""),
                           service->id);
}

static char *
command_describe (const SitrepProbeSpec *spec)
{
  return spec->argv != NULL ? sitrep_argv_to_string ((const char *const *) spec->argv) : NULL;
}

static GStrv
command_program (const SitrepProbeSpec *spec)
{
  return g_strdupv (spec->argv);
}

static const SitrepProbeKind command_kind = {
  .load = command_load,
  .default_ok = sitrep_probe_program_exited_zero,
  .describe = command_describe,
  .program = command_program,
  .start = command_start,
};

static const char *const command_keys[] = { "argv", NULL };

SITREP_DEFINE_PROBE_KIND (command, "command", command_keys, command_kind)
