/* sitrep-argv.h: turns a runbook's argv template into the exact command line to run */
#pragma once

#include "sitrep-runbook.h"
#include "sitrep-template.h"

G_BEGIN_DECLS

#define SITREP_ARGV_ERROR (sitrep_argv_error_quark ())

typedef enum
{
  SITREP_ARGV_ERROR_MISSING,
  SITREP_ARGV_ERROR_ESCAPE,
  SITREP_ARGV_ERROR_VALUE,
} SitrepArgvError;

/* One way a command could act outside the environment: the argv element and why. */
typedef struct
{
  guint index;
  char *message;
} SitrepArgvEscape;

/* What an action's {variables} are filled from, for sitrep_argv_lookup_value(). */
typedef struct
{
  const SitrepEnvironment *env;
  const SitrepService *service; /* nullable */
  GHashTable *inputs;           /* nullable: input name → value */
} SitrepArgvValues;

GQuark  sitrep_argv_error_quark (void);

const char *sitrep_argv_lookup_value (const char              *name,
                                      SitrepTemplateValueKind *kind,
                                      gpointer                 values);

GStrv   sitrep_argv_expand      (const char *const   *argv_template,
                                 SitrepRunbook       *runbook,
                                 const SitrepService *service,
                                 GHashTable          *inputs,
                                 const char          *kubectl,
                                 GError             **error);
GStrv   sitrep_argv_expand_shown (const char *const  *argv_template,
                                  SitrepRunbook       *runbook,
                                  const SitrepService *service,
                                  GHashTable          *inputs,
                                  const char          *kubectl);
char   *sitrep_argv_to_string   (const char *const   *argv);
GStrv   sitrep_argv_for_spawn   (const char *const   *argv);
gboolean sitrep_argv_spawns_on_host (void);

guint      sitrep_argv_kubectl_prefix_length (const SitrepEnvironment *env);
gboolean   sitrep_argv_is_kubectl    (const char              *program,
                                      const SitrepEnvironment *env);
char      *sitrep_argv_check_program (const char              *program,
                                      const SitrepEnvironment *env);
GPtrArray *sitrep_argv_find_escapes  (const char *const       *argv,
                                      const SitrepEnvironment *env,
                                      gboolean                 template_);
void       sitrep_argv_escape_free   (SitrepArgvEscape        *escape);

G_END_DECLS
