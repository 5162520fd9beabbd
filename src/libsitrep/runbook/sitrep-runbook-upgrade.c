/* sitrep-runbook-upgrade.c: rewrites a runbook in an older format as the newest, in place
 *
 * Every format-1 runbook means the same in format 2: format 2 only adds keys. So the upgrade
 * changes the version number and nothing else, byte for byte, keeping the author's key order,
 * layout and values; and it writes only a runbook that passes check before and after.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sitrep-runbook-loader-private.h"

/* The number's text at @offset: what JSON allows a number to be written with. */
static gsize
number_length (const char *data,
               gsize       length,
               gsize       offset)
{
  gsize end = offset;

  while (end < length && strchr ("+-0123456789.eE", data[end]) != NULL && data[end] != '\0')
    end++;
  return end - offset;
}

GBytes *
sitrep_runbook_upgrade_bytes (GBytes     *bytes,
                              const char *display_name,
                              guint      *out_from,
                              GPtrArray **out_problems,
                              GError    **error)
{
  g_autoptr(SitrepRunbook) before = NULL;
  g_autoptr(SitrepRunbook) after = NULL;
  g_autoptr(SitrepJsonDoc) doc = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GBytes) upgraded = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length, offset, old_length;
  JsonNode *version;
  GString *text;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (out_problems != NULL)
    *out_problems = NULL;
  before = sitrep_runbook_load_bytes (bytes, display_name, out_problems, error);
  if (before == NULL)
    return NULL;
  if (out_from != NULL)
    *out_from = before->format;
  if (before->format == SITREP_RUNBOOK_FORMAT)
    return g_bytes_ref (bytes);

  /* The loader has read this document already: it parses, and its version is an integer. */
  data = g_bytes_get_data (bytes, &length);
  doc = sitrep_json_doc_parse (data, length, SITREP_RUNBOOK_MAX_DEPTH, NULL, &local_error);
  g_assert (doc != NULL);
  version = json_object_get_member (json_node_get_object (sitrep_json_doc_get_root (doc)),
                                    "sitrep_runbook");
  offset = sitrep_json_doc_get_offset (doc, version);
  old_length = number_length (data, length, offset);
  g_assert (old_length > 0);

  text = g_string_new_len (data, offset);
  g_string_append_printf (text, "%d", SITREP_RUNBOOK_FORMAT);
  g_string_append_len (text, data + offset + old_length, length - offset - old_length);
  upgraded = g_string_free_to_bytes (text);

  /* Format 2 reads every format-1 key the same way, so this cannot fail; if it ever did, the
   * file is left as it was rather than written in a state check refuses. */
  after = sitrep_runbook_load_bytes (upgraded, display_name, &problems, &local_error);
  if (after == NULL)
    {
      g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_INVALID,
                   _("%s: the upgraded runbook would not pass check (%s); the file is left "
                     "unchanged: please report this"),
                   display_name, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&upgraded);
}

/* Upgrades @file in place. TRUE when it is in the newest format now (*out_from says which
 * format it was in: if that is the newest, nothing was written). FALSE with @problems when the
 * runbook does not pass check, and then the file is untouched. The new content replaces the old
 * by a rename, so a crash or a full disk leaves either the old file or the new one, never half. */
gboolean
sitrep_runbook_upgrade_file (GFile      *file,
                             guint      *out_from,
                             GPtrArray **out_problems,
                             GError    **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *real_path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) upgraded = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat st;
  guint from = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (out_problems != NULL)
    *out_problems = NULL;
  display_name = g_file_get_path (file);
  if (display_name == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                   _("%s: only a local file can be upgraded in place: copy it to this computer "
                     "first"),
                   uri);
      return FALSE;
    }

  bytes = sitrep_runbook_read_file (file, NULL, &local_error);
  if (bytes == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", display_name);
      return FALSE;
    }
  upgraded = sitrep_runbook_upgrade_bytes (bytes, display_name, &from, out_problems, error);
  if (upgraded == NULL)
    return FALSE;
  if (out_from != NULL)
    *out_from = from;
  if (from == SITREP_RUNBOOK_FORMAT)
    return TRUE;

  /* Through a symbolic link, the file it points to is upgraded; the link stays a link. */
  real_path = realpath (display_name, NULL);
  if (real_path == NULL || g_stat (real_path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                   _("%s: the file went away while it was upgraded (%s): it was not written"),
                   display_name, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (real_path, g_bytes_get_data (upgraded, NULL),
                                 g_bytes_get_size (upgraded),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                 st.st_mode & 07777, &local_error))
    {
      g_set_error (error, SITREP_RUNBOOK_ERROR, SITREP_RUNBOOK_ERROR_IO,
                   _("%s: the upgraded runbook could not be written (%s): the file is "
                     "unchanged; check that its folder is writable"),
                   display_name, local_error->message);
      return FALSE;
    }
  return TRUE;
}
