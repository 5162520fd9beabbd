/* sitrep-runbook-loader-private.h: what the loader's files share */
#pragma once

#include "sitrep-runbook-loader.h"
#include "sitrep-runbook-schema.h"

G_BEGIN_DECLS

/* Fills @self from @doc; returns FALSE and appends to @problems when the runbook is invalid. */
gboolean  sitrep_runbook_loader_fill    (SitrepRunbook *self,
                                         SitrepJsonDoc *doc,
                                         const char    *file,
                                         GPtrArray     *problems);

/* The parts of a runbook, each read by a file of the loader's. */
void sitrep_runbook_load_actions (SitrepLoader *l, JsonObject *root);
void sitrep_runbook_load_services (SitrepLoader *l, JsonObject *root);
void sitrep_runbook_load_statuses (SitrepLoader *l, JsonObject *root);
void sitrep_runbook_load_environments (SitrepLoader *l, JsonObject *root);
gboolean sitrep_runbook_check_link_ref (SitrepLoader *l, JsonNode *node, const char *id);
void sitrep_runbook_check_url (SitrepLoader *l, JsonObject *object, const char *url);
void sitrep_runbook_load_postmortem_sections (SitrepLoader *l, JsonObject *root);

/* Reads a regular file, at most SITREP_RUNBOOK_MAX_SIZE bytes of it. */
GBytes   *sitrep_runbook_read_file      (GFile         *file,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
