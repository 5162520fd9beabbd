/* sitrep-probe-kube.c: the kube probe kind: `kubectl get TARGET -o json` */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-probe-program.h"

static void
kube_load (SitrepLoader        *l,
           JsonNode            *node,
           const SitrepService *service,
           SitrepProbeSpec     *spec)
{
  JsonObject *object = json_node_get_object (node);

  spec->target = sitrep_schema_text (l, object, "target");
  if (spec->target != NULL || sitrep_schema_member (object, "target") != NULL)
    return;
  if (service->target == NULL)
    sitrep_schema_problem (l, AT_VALUE (node),
                           _("a kube probe needs a \"target\", or a service with one"));
  else
    spec->target = g_strdup (service->target);
}

static char *
kube_describe (const SitrepProbeSpec *spec)
{
  return g_strdup_printf ("kubectl get %s", spec->target);
}

static GStrv
kube_program (const SitrepProbeSpec *spec)
{
  const char *kube_argv[] = { "kubectl", "get", spec->target, "-o", "json", NULL };

  return g_strdupv ((char **) kube_argv);
}

/* A command probe's run, with kubectl failing as a check that did not complete. */
static void
kube_start (SitrepProbeRun *run)
{
  g_auto(GStrv) argv = kube_program (run->spec);

  sitrep_probe_run_program (run, (const char *const *) argv, TRUE);
}

static const SitrepProbeKind kube_kind = {
  .load = kube_load,
  .default_ok = sitrep_probe_program_exited_zero,
  .describe = kube_describe,
  .program = kube_program,
  .start = kube_start,
};

static const char *const kube_keys[] = { "target", NULL };

SITREP_DEFINE_PROBE_KIND (kube, "kube", kube_keys, kube_kind)
