/* sitrep-runbook-trust.h: what an opened runbook may run or open, and whether the user trusts it */
#pragma once

#include <gio/gio.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_TRUST_ERROR (sitrep_trust_error_quark ())

typedef enum
{
  SITREP_TRUST_ERROR_LINK,
} SitrepTrustError;

/* The GSettings key (type "as") that holds the digests of the runbooks the user trusted. */
#define SITREP_TRUST_SETTINGS_KEY "trusted-runbooks"
/* How many trusted digests are remembered; the oldest go first. */
#define SITREP_TRUST_MAX_REMEMBERED 200

/* One program the runbook would have Sitrep run. */
typedef struct
{
  char *what;         /* "Restart · Label Gateway", "Probe “export” · Billing Export" */
  char *command_line; /* exactly as it would run (inputs still as {input.NAME}) */
} SitrepTrustCommand;

GQuark     sitrep_trust_error_quark            (void);
void       sitrep_trust_command_free           (SitrepTrustCommand *command);

GPtrArray *sitrep_runbook_trust_list_commands  (SitrepRunbook      *runbook);
gboolean   sitrep_runbook_trust_is_trusted     (SitrepRunbook      *runbook,
                                                GSettings          *settings);
void       sitrep_runbook_trust_remember       (SitrepRunbook      *runbook,
                                                GSettings          *settings);
gboolean   sitrep_runbook_trust_check_link     (const char         *uri,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepTrustCommand, sitrep_trust_command_free)

G_END_DECLS
