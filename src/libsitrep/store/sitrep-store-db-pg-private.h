/* sitrep-store-db-pg-private.h: what the PostgreSQL backend's files share: the connection */
#pragma once

#include <libpq-fe.h>

#include "sitrep-store-db-pg.h"

G_BEGIN_DECLS

typedef struct
{
  SitrepDb parent;
  PGconn *conn;
  char *error;
  gint64 changes;
  SitrepDbSocketSlot *slot;  /* where its socket is shown, that of the thread that made it */
} PgDb;

#define PG(db) ((PgDb *) (db))

/* Called on the thread that is about to connect to a team database; only the tests set it
 * (sitrep-store-writer-testing.c). */
extern void (*sitrep_db_postgres_connecting) (void);
/* Called with each statement just before it is sent to a team database; only the tests set it
 * (sitrep_store_testing_set_asking()), to see which thread asks what. */
extern void (*sitrep_db_postgres_asking) (const char *sql);

/* Shows @db's socket in the slot of the thread that made it, right after connecting; hides it
 * before it closes (sitrep-store-db-pg-sockets.c). */
void  sitrep_db_pg_show_socket (PgDb *db);
void  sitrep_db_pg_hide_socket (PgDb *db);
void  sitrep_db_pg_set_asking  (PgDb     *db,
                                gboolean  asking);

/* libpq's message on one line. */
char *sitrep_db_pg_one_line (const char *message);

G_END_DECLS
