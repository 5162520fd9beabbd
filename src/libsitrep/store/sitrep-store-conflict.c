/* sitrep-store-conflict.c: an edit refused because someone else changed the same text meanwhile
 *
 * The error travels like any other (through the writer thread's GTask, g_error_copy() and all)
 * and keeps the versions with it: an extended error domain (GLib 2.68).
 */
#include "config.h"

#include "sitrep-store-conflict.h"

typedef struct
{
  GPtrArray *conflicts; /* (element-type SitrepEditConflict) */
} SitrepEditConflictErrorPrivate;

static void
conflict_free (SitrepEditConflict *conflict)
{
  g_free (conflict->field);
  g_free (conflict->base);
  g_free (conflict->theirs);
  g_free (conflict->yours);
  g_free (conflict);
}

static void
sitrep_edit_conflict_error_private_init (SitrepEditConflictErrorPrivate *priv)
{
  priv->conflicts = NULL;
}

static void
sitrep_edit_conflict_error_private_copy (const SitrepEditConflictErrorPrivate *src,
                                         SitrepEditConflictErrorPrivate       *dest)
{
  dest->conflicts = src->conflicts ? g_ptr_array_ref (src->conflicts) : NULL;
}

static void
sitrep_edit_conflict_error_private_clear (SitrepEditConflictErrorPrivate *priv)
{
  g_clear_pointer (&priv->conflicts, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (SitrepEditConflictError, sitrep_edit_conflict_error)

/* Returns: (transfer full): an empty list for sitrep_edit_conflict_add() */
GPtrArray *
sitrep_edit_conflicts_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);
}

void
sitrep_edit_conflict_add (GPtrArray  *conflicts,
                          const char *field,
                          const char *base,
                          const char *theirs,
                          const char *yours)
{
  SitrepEditConflict *conflict = g_new0 (SitrepEditConflict, 1);

  conflict->field = g_strdup (field);
  conflict->base = g_strdup (base ? base : "");
  conflict->theirs = g_strdup (theirs ? theirs : "");
  conflict->yours = g_strdup (yours ? yours : "");
  g_ptr_array_add (conflicts, conflict);
}

/* Returns: (transfer full): %SITREP_EDIT_CONFLICT_ERROR_CHANGED carrying @conflicts */
GError *
sitrep_edit_conflict_error_new (GPtrArray  *conflicts,
                                const char *message)
{
  GError *error = g_error_new_literal (SITREP_EDIT_CONFLICT_ERROR,
                                       SITREP_EDIT_CONFLICT_ERROR_CHANGED, message);
  SitrepEditConflictErrorPrivate *priv = sitrep_edit_conflict_error_get_private (error);

  priv->conflicts = g_ptr_array_ref (conflicts);
  return error;
}

/* How many texts @error is about; 0 for any other error. */
guint
sitrep_edit_conflict_get_n (const GError *error)
{
  SitrepEditConflictErrorPrivate *priv;

  if (error == NULL || error->domain != SITREP_EDIT_CONFLICT_ERROR)
    return 0;
  priv = sitrep_edit_conflict_error_get_private (error);
  return priv->conflicts ? priv->conflicts->len : 0;
}

const SitrepEditConflict *
sitrep_edit_conflict_get (const GError *error,
                          guint         index)
{
  g_return_val_if_fail (index < sitrep_edit_conflict_get_n (error), NULL);
  return g_ptr_array_index (sitrep_edit_conflict_error_get_private (error)->conflicts, index);
}
