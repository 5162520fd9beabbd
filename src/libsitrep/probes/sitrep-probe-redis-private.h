/* sitrep-probe-redis-private.h: what the redis probe's checks and its wire (GIO, TLS, RESP) share */
#pragma once

#include <hiredis/hiredis.h>

#include "sitrep-probe-run.h"

G_BEGIN_DECLS

/* Before it connects, the run itself waits on the TLS files, the keyring and the resolver. */
typedef enum
{
  STAGE_CONNECT,
  STAGE_HANDSHAKE,
  STAGE_TALK,
} RedisStage;

typedef struct _RedisProbe RedisProbe;

/* A reply to one command, in the order the commands went out; never called once the run is
 * over. @reply is freed after the call. */
typedef void (*RedisReplyFunc) (RedisProbe *p,
                                redisReply *reply,
                                gpointer    data);

struct _RedisProbe
{
  SitrepProbeRun *run;
  char *host;
  guint port;
  char *password;

  GList *addresses;                    /* GInetAddress, not tried yet */
  GTlsDatabase *ca_database;           /* the runbook's "ca_file", read for this check */
  GTlsCertificate *client_certificate; /* the runbook's "client_certificate" and key */
  GTlsCertificateFlags certificate_errors; /* why the server's certificate was refused */

  GIOStream *stream;    /* the connection, TLS or not */
  redisReader *reader;
  GQueue *waiting;      /* Waiting: the commands sent, in order, whose replies are to come */
  GByteArray *out;      /* commands not written yet */
  GBytes *writing;      /* the commands being written */
  guint8 buffer[16384];
  gboolean answered;    /* a reply came */

  RedisStage stage;
  guint pending;
  gint64 counts[6];
  char *ends[4]; /* the elements at either end of wait and paused */
};

void redis_wire_connect (RedisProbe     *p);
void redis_wire_send    (RedisProbe     *p,
                         RedisReplyFunc  func,
                         gpointer        data,
                         int             argc,
                         const char    **argv);
void redis_wire_free    (RedisProbe     *p);
void redis_fail         (RedisProbe     *p,
                         SitrepReason   *why);
/* Connected (and through TLS): the probe's own conversation starts. */
void redis_talk         (RedisProbe     *p);

G_END_DECLS
