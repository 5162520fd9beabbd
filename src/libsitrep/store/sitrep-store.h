/* sitrep-store.h: the database (a SQLite file, or a team's PostgreSQL) that keeps incidents,
 * timelines and the audit log; the incidents' calls are in sitrep-store-incidents.h */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sitrep-incident.h"
#include "sitrep-store-error.h"

G_BEGIN_DECLS

/* The schema version this build writes; PRAGMA user_version holds a database's. */
#define SITREP_STORE_SCHEMA_VERSION 14

#define SITREP_TYPE_STORE (sitrep_store_get_type ())

G_DECLARE_FINAL_TYPE (SitrepStore, sitrep_store, SITREP, STORE, GObject)

char        *sitrep_store_default_path       (void);
SitrepStore *sitrep_store_open               (const char   *path,
                                              GError      **error);
SitrepStore *sitrep_store_open_away          (const char   *address,
                                              GError      **error);
gboolean     sitrep_store_check_file         (const char   *path,
                                              gboolean      is_default,
                                              GError      **error);
SitrepStore *sitrep_store_open_existing      (const char   *path,
                                              GError      **error);
const char  *sitrep_store_get_path           (SitrepStore  *self);
gboolean     sitrep_store_is_shared          (SitrepStore  *self);
gboolean     sitrep_store_is_team_address    (const char   *address);
gboolean     sitrep_store_get_offline        (SitrepStore  *self);
gboolean     sitrep_store_get_never_connected (SitrepStore *self);
guint        sitrep_store_get_pending_changes (SitrepStore *self);
const char  *sitrep_store_get_journal_problem (SitrepStore *self);
guint        sitrep_store_get_refused_changes (SitrepStore *self);
void         sitrep_store_set_journal_path   (SitrepStore  *self,
                                              const char   *path);
gboolean     sitrep_store_address_has_password (const char *address);
void         sitrep_store_set_busy_timeout   (SitrepStore  *self,
                                              guint         milliseconds);
int          sitrep_store_get_schema_version (SitrepStore  *self);

/* What sitrep_store_copy_into() copied. */
typedef struct
{
  gint64 incidents;
  gint64 events;
  gint64 messages;
  gint64 action_items;
  gint64 audit_entries;
} SitrepStoreCopyCounts;

gboolean     sitrep_store_copy_into          (SitrepStore            *self,
                                              SitrepStore            *target,
                                              SitrepStoreCopyCounts  *counts,
                                              GError                **error);


/* One probe result as the store keeps it; strings belong to the caller. */
typedef struct
{
  const char *service_id;
  const char *probe_id;
  gint64 at;
  const char *health; /* "up", "unknown", "degraded" or "down" */
  double latency_ms;  /* < 0 when there was none */
  const char *error;  /* why it was not up, in the words of the console that recorded it */
  const char *why;    /* the same as data (sitrep_reason_pack()): NULL when recorded before */
} SitrepHealthSample;

/* A service's change of health as the store keeps it; strings belong to the caller. */
typedef struct
{
  const char *service_id;
  gint64 at;
  const char *old_health;
  const char *new_health;
  const char *reason; /* in the words of the console that recorded it */
  const char *why;    /* the same as data (sitrep_reason_pack()): NULL when recorded before */
} SitrepHealthChange;

typedef void (*SitrepHealthSampleFunc) (const SitrepHealthSample *sample,
                                        gpointer                  user_data);

gboolean     sitrep_store_add_health            (SitrepStore              *self,
                                                 const SitrepHealthSample *samples,
                                                 guint                     n_samples,
                                                 const SitrepHealthChange *changes,
                                                 guint                     n_changes,
                                                 GError                  **error);
gboolean     sitrep_store_foreach_health_sample (SitrepStore              *self,
                                                 const char               *service_id,
                                                 const char               *probe_id,
                                                 guint                     limit,
                                                 SitrepHealthSampleFunc    func,
                                                 gpointer                  user_data,
                                                 GError                  **error);
gboolean     sitrep_store_foreach_health_sample_between (SitrepStore           *self,
                                                         gint64                 from,
                                                         gint64                 to,
                                                         SitrepHealthSampleFunc func,
                                                         gpointer               user_data,
                                                         GError               **error);
gint64       sitrep_store_prune_health          (SitrepStore              *self,
                                                 gint64                    before,
                                                 GError                  **error);

G_END_DECLS
