/* sitrep-audit-anchor.h: the audit log's head (entry and hash), kept outside the database */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why an append found the anchor not as the log had left it: written into the next anchor, so
 * verify reports it even after the log moved on. */
#define SITREP_ANCHOR_BREAK_MISSING "missing"  /* the anchor was gone */
#define SITREP_ANCHOR_BREAK_ALTERED "altered"  /* its signature did not match */
#define SITREP_ANCHOR_BREAK_CUT     "cut"      /* the log no longer held the entry it named */

typedef struct
{
  char *database_id;
  char *database_path; /* where the database was when the anchor was written */
  gint64 keyed_from;
  gint64 sequence;     /* the last entry's id, 0 for an empty log */
  char *hash;          /* its hash */
  GStrv breaks;        /* "ENTRY REASON", oldest first */
  char *mac;           /* of everything above, with the database's key */
} SitrepAuditAnchor;

char              *sitrep_audit_anchor_dir        (void);
char              *sitrep_audit_anchor_path       (const char              *database_id);
SitrepAuditAnchor *sitrep_audit_anchor_read       (const char              *path,
                                                   GError                 **error);
gboolean           sitrep_audit_anchor_write      (SitrepAuditAnchor       *anchor,
                                                   const char              *path,
                                                   GBytes                  *key,
                                                   GError                 **error);
gboolean           sitrep_audit_anchor_check_mac  (const SitrepAuditAnchor *anchor,
                                                   GBytes                  *key);
void               sitrep_audit_anchor_free       (SitrepAuditAnchor       *anchor);

char              *sitrep_audit_hmac_hex          (GBytes                  *key,
                                                   const char              *data,
                                                   gsize                    length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepAuditAnchor, sitrep_audit_anchor_free)

G_END_DECLS
