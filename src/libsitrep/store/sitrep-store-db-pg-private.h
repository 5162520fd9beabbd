/* sitrep-store-db-pg-private.h: what the PostgreSQL backend's files share: the connection */
#pragma once

#include <libpq-fe.h>

#include "sitrep-store-db.h"

G_BEGIN_DECLS

typedef struct
{
  SitrepDb parent;
  PGconn *conn;
  char *error;
  gint64 changes;
} PgDb;

#define PG(db) ((PgDb *) (db))

/* libpq's message on one line. */
char *sitrep_db_pg_one_line (const char *message);

G_END_DECLS
