/* sitrep-lazy-hiredis.c: hiredis, loaded the first time a Redis function is called
 *
 * As libpq (sitrep-lazy-libpq.c): Sitrep does not link hiredis, most runbooks have no Redis
 * probe. Each hiredis function Sitrep calls is defined here with hiredis.h's signature; the
 * first call opens hiredis (SITREP_HIREDIS_SONAME, found when Sitrep was configured) and
 * forwards to it. A function Sitrep calls for the first time must be added here. When hiredis
 * cannot be opened, nothing is connected or read: redisConnectWithTimeout() and
 * redisReaderCreate() return NULL; callers say why with sitrep_lazy_hiredis_load().
 */
#include "config.h"

#include <gmodule.h>
#include <glib/gi18n-lib.h>
#include <hiredis/hiredis.h>
#include <stdarg.h>

#include "sitrep-lazy-libraries.h"

#define SYMBOLS(X) \
  X (freeReplyObject) X (redisCommandArgv) X (redisConnectWithTimeout) X (redisFormatCommandArgv) X (redisFree) \
  X (redisFreeCommand) X (redisReaderCreate) X (redisReaderFeed) X (redisReaderFree) \
  X (redisReaderGetReply) X (redisSetTimeout) X (redisvCommand)

SITREP_DEFINE_LAZY_LIBRARY (hiredis, SITREP_HIREDIS_SONAME)

static char *
describe (const char *why_not,
          const char *missing)
{
  if (why_not != NULL)
    /* Translators: %s is a library file name (libhiredis.so.0.14), the second %s why it did
     * not open */
    return g_strdup_printf (_("The Redis client library %s cannot be loaded (%s): install it "
                              "(Debian: libhiredis0.14) to use Redis"),
                            SITREP_HIREDIS_SONAME, why_not);
  return g_strdup_printf (_("The Redis client library %s lacks%s: install hiredis 0.14 or "
                            "later"), SITREP_HIREDIS_SONAME, missing);
}

#define CALL(fallback, name, ...) return loaded () ? lib.name (__VA_ARGS__) : (fallback)
#define CALL_VOID(name, ...) if (loaded ()) lib.name (__VA_ARGS__)

void freeReplyObject (void *reply) { CALL_VOID (freeReplyObject, reply); }

redisContext *
redisConnectWithTimeout (const char *ip, int port, const struct timeval tv)
{
  CALL (NULL, redisConnectWithTimeout, ip, port, tv);
}

int
redisFormatCommandArgv (char **target, int argc, const char **argv, const size_t *argvlen)
{
  CALL (-1, redisFormatCommandArgv, target, argc, argv, argvlen);
}

void redisFree (redisContext *c) { CALL_VOID (redisFree, c); }
void redisFreeCommand (char *cmd) { CALL_VOID (redisFreeCommand, cmd); }
redisReader *redisReaderCreate (void) { return loaded () ? lib.redisReaderCreate () : NULL; }

int
redisReaderFeed (redisReader *r, const char *buf, size_t len)
{
  CALL (REDIS_ERR, redisReaderFeed, r, buf, len);
}

void redisReaderFree (redisReader *r) { CALL_VOID (redisReaderFree, r); }

int
redisReaderGetReply (redisReader *r, void **reply)
{
  CALL (REDIS_ERR, redisReaderGetReply, r, reply);
}

int
redisSetTimeout (redisContext *c, const struct timeval tv)
{
  CALL (REDIS_ERR, redisSetTimeout, c, tv);
}

void *
redisvCommand (redisContext *c, const char *format, va_list ap)
{
  CALL (NULL, redisvCommand, c, format, ap);
}

void *
redisCommandArgv (redisContext *c, int argc, const char **argv, const size_t *argvlen)
{
  CALL (NULL, redisCommandArgv, c, argc, argv, argvlen);
}

void *
redisCommand (redisContext *c, const char *format, ...)
{
  va_list ap;
  void *reply;

  va_start (ap, format);
  reply = redisvCommand (c, format, ap);
  va_end (ap);
  return reply;
}
