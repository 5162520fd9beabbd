/* fixture-runbook.h: the tests' second runbook (Northwind Freight), aimed at the test's servers */
#pragma once

#include "sitrep-runbook.h"

G_BEGIN_DECLS

/* tests/support/data/northwind.json is a runbook that is not CareCircle: other severities (P1–P3),
 * services, escalation, checklist and templates. Its probes aim at tokens the test fills in:
 *
 *   @HTTP_URL@    base URL of the gateway's health endpoint   (default http://127.0.0.1:9)
 *   @REDIS_PORT@  port of the cache and the dispatch queue    (default 9)
 *   @TCP_PORT@    port of the mail relay                      (default 9)
 *   @COMMAND@     program of the billing export probe         (default /bin/true)
 *   @KUBECTL@     environment.kubectl                         (default kubectl)
 *
 * Pass KEY, VALUE pairs (keys without the @), NULL-terminated. */
char          *fixture_runbook_text  (const char *first_key,
                                      ...);
/* Writes the filled runbook to a new temporary folder; returns the file's path. */
char          *fixture_runbook_write (const char *first_key,
                                      ...);
/* Loads the filled runbook, asserting that it is valid. */
SitrepRunbook *fixture_runbook_load  (const char *first_key,
                                      ...);

/* Northwind as a drill's runbook ("drill": true) whose drill began at @started_at (ISO 8601). */
SitrepRunbook *fixture_runbook_load_drill (const char *started_at);

G_END_DECLS
