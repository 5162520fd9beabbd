/* sitrep-store-db-pg.h: the team database's engine (PostgreSQL, through libpq), as the store uses
 * it besides sitrep-store-db.h: opening, advisory locks, notifications, and the socket slots that
 * let another thread cut a connection that does not answer */
#pragma once

#include "sitrep-store-db.h"

G_BEGIN_DECLS

gboolean       sitrep_db_is_postgres_uri (const char *location);
gboolean       sitrep_db_postgres_has_password (const char *conninfo);
SitrepDb      *sitrep_db_postgres_open (const char  *conninfo,
                                        char       **display_name,
                                        GError     **error);
SitrepDb      *sitrep_db_postgres_new_lost (void);
gboolean       sitrep_db_postgres_lock (SitrepDb    *db,
                                        const char  *name,
                                        gboolean     session,
                                        GError     **error);
void           sitrep_db_postgres_unlock (SitrepDb  *db,
                                        const char  *name);
int            sitrep_db_postgres_socket (SitrepDb  *db);

/* Where the connections a thread makes show their socket, so that another thread can cut
 * them (a console that closes and will not wait for a server that does not answer). */
typedef struct
{
  GMutex lock;
  int socket;        /* a duplicate of the connection's socket, or -1 */
  gpointer owner;    /* the connection it is of */
  gboolean cut;      /* cut, and every connection made from now on at once */
  gboolean cut_made; /* a connection was cut as soon as it was made */
  gint64 asking_since; /* monotonic: when the statement awaiting its answer was sent, or 0 */
  gboolean limited;    /* its statements are held to a limit (_cut_stalled()) */
} SitrepDbSocketSlot;

void           sitrep_db_socket_slot_init  (SitrepDbSocketSlot *slot);
void           sitrep_db_socket_slot_clear (SitrepDbSocketSlot *slot);
gboolean       sitrep_db_socket_slot_cut   (SitrepDbSocketSlot *slot);
gboolean       sitrep_db_socket_slot_is_cut (SitrepDbSocketSlot *slot);
gboolean       sitrep_db_socket_slot_cut_made (SitrepDbSocketSlot *slot);
void           sitrep_db_socket_slot_set_limited (SitrepDbSocketSlot *slot,
                                                  gboolean            limited);
gboolean       sitrep_db_socket_slot_cut_stalled (SitrepDbSocketSlot *slot,
                                                  gint64              limit);
void           sitrep_db_postgres_show_sockets (SitrepDbSocketSlot *slot);
gboolean       sitrep_db_postgres_is_lost (SitrepDb *db);
void           sitrep_db_postgres_adopt (SitrepDb   *db,
                                         SitrepDb   *fresh);
gboolean       sitrep_db_postgres_take_notifications (SitrepDb  *db,
                                                      GPtrArray *payloads,
                                                      GError   **error);

G_END_DECLS
