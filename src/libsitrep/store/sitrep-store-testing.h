/* sitrep-store-testing.h: the store's hooks and reads that only the tests link
 * (sitrep-store-testing.c, sitrep-store-writer-testing.c) */
#pragma once

#include "sitrep-store.h"

G_BEGIN_DECLS

void sitrep_store_testing_hold_keyring    (void);
void sitrep_store_testing_release_keyring (void);
/* @func is told of every statement sent to a team database, on the thread that sends it;
 * %NULL for none. */
void sitrep_store_testing_set_asking      (void (*func) (const char *sql));

gboolean     sitrep_store_check_integrity    (SitrepStore  *self,
                                              char        **report,
                                              GError      **error);
gint64       sitrep_store_insert_incident    (SitrepStore  *self,
                                              const char   *runbook,
                                              const char   *severity,
                                              const char   *summary,
                                              gint64        declared_at,
                                              GError      **error);
gint64       sitrep_store_count_events       (SitrepStore  *self,
                                              gint64        incident_id,
                                              GError      **error);
gboolean     sitrep_store_has_event          (SitrepStore  *self,
                                              gint64        event_id,
                                              GError      **error);
gint64       sitrep_store_count_health_samples  (SitrepStore              *self,
                                                 GError                  **error);

G_END_DECLS
