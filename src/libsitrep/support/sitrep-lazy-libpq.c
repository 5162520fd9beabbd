/* sitrep-lazy-libpq.c: libpq, loaded the first time a PostgreSQL function is called
 *
 * libpq (with Kerberos, LDAP and GnuTLS behind it) costs a start about 27 ms and 6 MB when it
 * is linked (issue 13), and most runbooks never talk to PostgreSQL. So Sitrep does not link it:
 * this file defines each libpq function Sitrep calls, with libpq-fe.h's signature, and the first
 * call opens libpq (its SONAME, found when Sitrep was configured: SITREP_LIBPQ_SONAME) and
 * forwards to it. Callers are plain libpq code and need not know.
 *
 * A function Sitrep calls for the first time must be added here, or the link fails with an
 * undefined reference to it. When libpq cannot be opened, a connection is never made:
 * PQconnectStartParams() and PQconnectdbParams() return NULL, PQconninfoParse() NULL with
 * the reason, PQerrorMessage() the reason; callers say it with sitrep_lazy_libpq_load().
 */
#include "config.h"

#include <gmodule.h>
#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep-lazy-libraries.h"

#define SYMBOLS(X) \
  X (PQclear) X (PQcmdStatus) X (PQcmdTuples) X (PQconninfoFree) X (PQconninfoParse) \
  X (PQconnectPoll) X (PQconnectStartParams) X (PQconnectdb) X (PQconnectdbParams) \
  X (PQconnectionNeedsPassword) X (PQconnectionUsedPassword) X (PQconsumeInput) X (PQdb) X (PQerrorMessage) X (PQexec) \
  X (PQexecParams) X (PQfinish) X (PQflush) X (PQfname) X (PQfreemem) X (PQftype) \
  X (PQgetResult) X (PQgetisnull) X (PQgetlength) X (PQgetvalue) X (PQhost) X (PQisBusy) \
  X (PQnfields) X (PQnotifies) X (PQntuples) X (PQport) X (PQreset) X (PQresultErrorField) \
  X (PQresultErrorMessage) X (PQresultStatus) X (PQsendQuery) X (PQsendQueryParams) X (PQserverVersion) \
  X (PQsetNoticeProcessor) X (PQsetnonblocking) X (PQsocket) X (PQsslInUse) X (PQstatus) \
  X (PQtransactionStatus) X (PQunescapeBytea) X (PQuser)

SITREP_DEFINE_LAZY_LIBRARY (libpq, SITREP_LIBPQ_SONAME)

static char *
describe (const char *why_not,
          const char *missing)
{
  if (why_not != NULL)
    /* Translators: %s is a library file name (libpq.so.5), the second %s why it did not open */
    return g_strdup_printf (_("PostgreSQL’s client library %s cannot be loaded (%s): "
                              "install it (Debian: libpq5) to use PostgreSQL"),
                            SITREP_LIBPQ_SONAME, why_not);
  return g_strdup_printf (_("PostgreSQL’s client library %s lacks%s: install libpq 10 or "
                            "later"), SITREP_LIBPQ_SONAME, missing);
}

/* What libpq gives for a connection that could not be made, when it is not there. */
#define CALL(fallback, name, ...) return loaded () ? lib.name (__VA_ARGS__) : (fallback)
#define CALL_VOID(name, ...) if (loaded ()) lib.name (__VA_ARGS__)

void PQclear (PGresult *res) { CALL_VOID (PQclear, res); }
char *PQcmdStatus (PGresult *res) { CALL ((char *) "", PQcmdStatus, res); }
char *PQcmdTuples (PGresult *res) { CALL ((char *) "", PQcmdTuples, res); }
void PQconninfoFree (PQconninfoOption *options) { CALL_VOID (PQconninfoFree, options); }

PQconninfoOption *
PQconninfoParse (const char *conninfo,
                 char      **errmsg)
{
  if (loaded ())
    return lib.PQconninfoParse (conninfo, errmsg);
  if (errmsg != NULL)
    *errmsg = strdup (sitrep_lazy_library_error (&library)); /* freed with PQfreemem(), free() then */
  return NULL;
}

PostgresPollingStatusType
PQconnectPoll (PGconn *conn)
{
  CALL (PGRES_POLLING_FAILED, PQconnectPoll, conn);
}

PGconn *
PQconnectStartParams (const char *const *keywords,
                      const char *const *values,
                      int                expand_dbname)
{
  CALL (NULL, PQconnectStartParams, keywords, values, expand_dbname);
}

PGconn *PQconnectdb (const char *conninfo) { CALL (NULL, PQconnectdb, conninfo); }

PGconn *
PQconnectdbParams (const char *const *keywords,
                   const char *const *values,
                   int                expand_dbname)
{
  CALL (NULL, PQconnectdbParams, keywords, values, expand_dbname);
}

int PQconnectionNeedsPassword (const PGconn *conn) { CALL (0, PQconnectionNeedsPassword, conn); }
int PQconnectionUsedPassword (const PGconn *conn) { CALL (0, PQconnectionUsedPassword, conn); }
int PQconsumeInput (PGconn *conn) { CALL (0, PQconsumeInput, conn); }
char *PQdb (const PGconn *conn) { CALL (NULL, PQdb, conn); }

char *
PQerrorMessage (const PGconn *conn)
{
  CALL ((char *) sitrep_lazy_library_error (&library), PQerrorMessage, conn);
}

PGresult *PQexec (PGconn *conn, const char *query) { CALL (NULL, PQexec, conn, query); }

PGresult *
PQexecParams (PGconn            *conn,
              const char        *command,
              int                nParams,
              const Oid         *paramTypes,
              const char *const *paramValues,
              const int         *paramLengths,
              const int         *paramFormats,
              int                resultFormat)
{
  CALL (NULL, PQexecParams, conn, command, nParams, paramTypes, paramValues, paramLengths,
        paramFormats, resultFormat);
}

void PQfinish (PGconn *conn) { CALL_VOID (PQfinish, conn); }
int PQflush (PGconn *conn) { CALL (-1, PQflush, conn); }
char *PQfname (const PGresult *res, int field_num) { CALL (NULL, PQfname, res, field_num); }

void
PQfreemem (void *ptr)
{
  if (loaded ())
    lib.PQfreemem (ptr);
  else
    free (ptr);
}

Oid PQftype (const PGresult *res, int field_num) { CALL (0, PQftype, res, field_num); }
PGresult *PQgetResult (PGconn *conn) { CALL (NULL, PQgetResult, conn); }

int
PQgetisnull (const PGresult *res, int tup_num, int field_num)
{
  CALL (1, PQgetisnull, res, tup_num, field_num);
}

int
PQgetlength (const PGresult *res, int tup_num, int field_num)
{
  CALL (0, PQgetlength, res, tup_num, field_num);
}

char *
PQgetvalue (const PGresult *res, int tup_num, int field_num)
{
  CALL ((char *) "", PQgetvalue, res, tup_num, field_num);
}

char *PQhost (const PGconn *conn) { CALL (NULL, PQhost, conn); }
int PQisBusy (PGconn *conn) { CALL (0, PQisBusy, conn); }
int PQnfields (const PGresult *res) { CALL (0, PQnfields, res); }
PGnotify *PQnotifies (PGconn *conn) { CALL (NULL, PQnotifies, conn); }
int PQntuples (const PGresult *res) { CALL (0, PQntuples, res); }
char *PQport (const PGconn *conn) { CALL (NULL, PQport, conn); }
int PQserverVersion (const PGconn *conn) { CALL (0, PQserverVersion, conn); }

void PQreset (PGconn *conn) { CALL_VOID (PQreset, conn); }

char *
PQresultErrorField (const PGresult *res, int fieldcode)
{
  CALL (NULL, PQresultErrorField, res, fieldcode);
}

char *
PQresultErrorMessage (const PGresult *res)
{
  CALL ((char *) sitrep_lazy_library_error (&library), PQresultErrorMessage, res);
}

ExecStatusType
PQresultStatus (const PGresult *res)
{
  CALL (PGRES_FATAL_ERROR, PQresultStatus, res);
}

int PQsendQuery (PGconn *conn, const char *query) { CALL (0, PQsendQuery, conn, query); }

int
PQsendQueryParams (PGconn            *conn,
                   const char        *command,
                   int                nParams,
                   const Oid         *paramTypes,
                   const char *const *paramValues,
                   const int         *paramLengths,
                   const int         *paramFormats,
                   int                resultFormat)
{
  CALL (0, PQsendQueryParams, conn, command, nParams, paramTypes, paramValues, paramLengths,
        paramFormats, resultFormat);
}

PQnoticeProcessor
PQsetNoticeProcessor (PGconn *conn, PQnoticeProcessor proc, void *arg)
{
  CALL (NULL, PQsetNoticeProcessor, conn, proc, arg);
}

int PQsetnonblocking (PGconn *conn, int arg) { CALL (-1, PQsetnonblocking, conn, arg); }
int PQsocket (const PGconn *conn) { CALL (-1, PQsocket, conn); }
int PQsslInUse (PGconn *conn) { CALL (0, PQsslInUse, conn); }
ConnStatusType PQstatus (const PGconn *conn) { CALL (CONNECTION_BAD, PQstatus, conn); }

PGTransactionStatusType
PQtransactionStatus (const PGconn *conn)
{
  CALL (PQTRANS_UNKNOWN, PQtransactionStatus, conn);
}

unsigned char *
PQunescapeBytea (const unsigned char *strtext, size_t *retbuflength)
{
  CALL (NULL, PQunescapeBytea, strtext, retbuflength);
}

char *PQuser (const PGconn *conn) { CALL (NULL, PQuser, conn); }
