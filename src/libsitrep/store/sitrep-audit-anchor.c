/* sitrep-audit-anchor.c: the audit log's head (entry and hash), kept outside the database, signed
 *
 * A hash chain cannot see entries cut off its end, nor a log rewritten from the start with
 * fresh hashes. The anchor can: after every append Sitrep writes the head (the last entry's
 * number and hash) into a small file in the user's state folder, named after the database's id,
 * signed with the database's key (HMAC-SHA256). `sitrep audit verify` compares it with the log.
 *
 * The file, version 1, one "NAME VALUE" line each:
 *   sitrep-audit-anchor 1
 *   database-id ID
 *   database PATH           (C-escaped)
 *   keyed-from ENTRY
 *   sequence ENTRY
 *   hash HEX
 *   break ENTRY REASON      (zero or more)
 *   mac HEX                 (HMAC of every byte before this line)
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-audit-anchor.h"
#include "sitrep-store.h"

#define MAGIC "sitrep-audit-anchor 1"

void
sitrep_audit_anchor_free (SitrepAuditAnchor *anchor)
{
  if (anchor == NULL)
    return;
  g_free (anchor->database_id);
  g_free (anchor->database_path);
  g_free (anchor->hash);
  g_strfreev (anchor->breaks);
  g_free (anchor->mac);
  g_free (anchor);
}

/* HMAC-SHA256 of @data under @key, in lowercase hex. */
char *
sitrep_audit_hmac_hex (GBytes     *key,
                       const char *data,
                       gsize       length)
{
  gsize key_length;
  const guchar *key_data = g_bytes_get_data (key, &key_length);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_length);

  g_hmac_update (hmac, (const guchar *) data, length);
  return g_strdup (g_hmac_get_string (hmac));
}

char *
sitrep_audit_anchor_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "sitrep", "audit-anchors", NULL);
}

char *
sitrep_audit_anchor_path (const char *database_id)
{
  g_autofree char *dir = sitrep_audit_anchor_dir ();
  g_autofree char *name = g_strconcat (database_id, ".anchor", NULL);

  return g_build_filename (dir, name, NULL);
}

/* Everything the signature covers. */
static char *
serialize (const SitrepAuditAnchor *anchor)
{
  g_autoptr(GString) text = g_string_new (MAGIC "\n");
  g_autofree char *path = g_strescape (anchor->database_path ? anchor->database_path : "", NULL);

  g_string_append_printf (text, "database-id %s\n", anchor->database_id);
  g_string_append_printf (text, "database %s\n", path);
  g_string_append_printf (text, "keyed-from %" G_GINT64_FORMAT "\n", anchor->keyed_from);
  g_string_append_printf (text, "sequence %" G_GINT64_FORMAT "\n", anchor->sequence);
  g_string_append_printf (text, "hash %s\n", anchor->hash);
  for (guint i = 0; anchor->breaks != NULL && anchor->breaks[i] != NULL; i++)
    g_string_append_printf (text, "break %s\n", anchor->breaks[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
sitrep_audit_anchor_check_mac (const SitrepAuditAnchor *anchor,
                               GBytes                  *key)
{
  g_autofree char *text = serialize (anchor);
  g_autofree char *mac = sitrep_audit_hmac_hex (key, text, strlen (text));

  return anchor->mac != NULL && g_str_equal (mac, anchor->mac);
}

/**
 * sitrep_audit_anchor_write:
 *
 * Signs @anchor (its mac is replaced) and writes it to @path atomically, synced to disk.
 */
gboolean
sitrep_audit_anchor_write (SitrepAuditAnchor *anchor,
                           const char        *path,
                           GBytes            *key,
                           GError           **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = serialize (anchor);
  g_autofree char *signed_text = NULL;

  g_free (anchor->mac);
  anchor->mac = sitrep_audit_hmac_hex (key, text, strlen (text));
  signed_text = g_strdup_printf ("%smac %s\n", text, anchor->mac);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("cannot create the folder %s for the audit log's anchor: %s"), dir,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, signed_text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT
                                     | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static gboolean
parse_int (const char *text,
           gint64     *value)
{
  return g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, value, NULL);
}

/**
 * sitrep_audit_anchor_read:
 *
 * Returns: the anchor at @path, or NULL with @error set: G_FILE_ERROR_NOENT when there is none,
 *   SITREP_STORE_ERROR_CORRUPT when the file is not an anchor Sitrep wrote
 */
SitrepAuditAnchor *
sitrep_audit_anchor_read (const char *path,
                          GError    **error)
{
  g_autoptr(SitrepAuditAnchor) anchor = g_new0 (SitrepAuditAnchor, 1);
  g_autoptr(GStrvBuilder) breaks = g_strv_builder_new ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean have_sequence = FALSE, have_keyed = FALSE;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  if (lines[0] == NULL || !g_str_equal (lines[0], MAGIC))
    goto corrupt;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *space = strchr (line, ' ');
      g_autofree char *name = NULL;
      const char *value;

      if (*line == '\0')
        continue;
      if (space == NULL || anchor->mac != NULL)
        goto corrupt;
      name = g_strndup (line, space - line);
      value = space + 1;
      if (g_str_equal (name, "database-id") && anchor->database_id == NULL)
        anchor->database_id = g_strdup (value);
      else if (g_str_equal (name, "database") && anchor->database_path == NULL)
        anchor->database_path = g_strcompress (value);
      else if (g_str_equal (name, "keyed-from") && !have_keyed)
        have_keyed = parse_int (value, &anchor->keyed_from);
      else if (g_str_equal (name, "sequence") && !have_sequence)
        have_sequence = parse_int (value, &anchor->sequence);
      else if (g_str_equal (name, "hash") && anchor->hash == NULL)
        anchor->hash = g_strdup (value);
      else if (g_str_equal (name, "break"))
        g_strv_builder_add (breaks, value);
      else if (g_str_equal (name, "mac"))
        anchor->mac = g_strdup (value);
      else
        goto corrupt;
    }
  if (anchor->database_id == NULL || anchor->hash == NULL || anchor->mac == NULL
      || !have_sequence || !have_keyed)
    goto corrupt;
  anchor->breaks = g_strv_builder_end (breaks);
  return g_steal_pointer (&anchor);

corrupt:
  g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
               _("%s is not an audit log anchor Sitrep wrote"), path);
  return NULL;
}
