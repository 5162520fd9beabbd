/* sitrep-session-store.c: the session's database: opened once (a file in the call, a team
 * database on a thread by sitrep-session-team.c), what is built once it is open, and what the
 * session says of it
 */
#include "config.h"

#include "sitrep-session-private.h"

/**
 * sitrep_session_open_store:
 * @path: (nullable): the database file, or %NULL for the default one (created when missing), or
 *   a team database's address (sitrep_store_is_team_address())
 *
 * Opens the session's database, once. When it cannot be opened the session carries on without
 * it (probes run, nothing is recorded) and #SitrepSession:store-error says why. A database a
 * person named is checked first with sitrep_store_check_file(). A team database is connected
 * to on a thread: meanwhile #SitrepSession:store-connecting is %TRUE and there is no store.
 *
 * Returns: whether the database is open
 */
gboolean
sitrep_session_open_store (SitrepSession *self,
                           const char    *path)
{
  g_autofree char *default_path = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->store == NULL && !self->store_connecting, FALSE);

  if (!self->home_known)
    {
      self->home_known = TRUE;
      if (path != NULL && !sitrep_store_is_team_address (path))
        self->home_path = g_strdup (path);
    }
  if (path != NULL && sitrep_store_is_team_address (path))
    {
      sitrep_session_open_team_store (self, path);
      return FALSE;
    }
  if (path == NULL)
    path = default_path = sitrep_store_default_path ();

  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->store_address);
  self->store_address = g_strdup (path);
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE_ADDRESS);
  self->store = sitrep_store_open (path, &error);
  sitrep_session_set_store_error (self, self->store == NULL ? error->message : NULL);
  if (self->store != NULL)
    sitrep_session_store_opened (self);
  g_object_thaw_notify (G_OBJECT (self));
  return self->store != NULL;
}

/**
 * sitrep_session_new_headless:
 * @settings: (nullable): the org.carecircle.Sitrep settings (the trusted runbooks, the
 *   commander's name), or %NULL to remember nothing
 *
 * A session for a command-line verb: the same runbook, database, incidents, trust and
 * read-only as a console's, without what a console runs around them: no probes, no chat
 * webhook, no clocks, no commands. Its database is opened in the call with
 * sitrep_session_open_existing_store(), and its incidents are read, in the call too, only when
 * the verb asks for them with sitrep_session_read_incidents().
 */
SitrepSession *
sitrep_session_new_headless (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SITREP_TYPE_SESSION, "settings", settings, "headless", TRUE, NULL);
}

/**
 * sitrep_session_open_existing_store:
 * @address: (nullable): a database a person named (a file, or a team database's address), or
 *   %NULL for the default database file
 *
 * Opens a headless session's database, in the call, once: a file must exist already
 * (sitrep_store_open_existing(): a mistyped path must not look like an empty database), a
 * team database is connected to here.
 *
 * Returns: whether the database is open; @error says why not
 */
gboolean
sitrep_session_open_existing_store (SitrepSession *self,
                                    const char    *address,
                                    GError       **error)
{
  g_autofree char *default_path = NULL;

  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  /* A console never waits for its database: it opens it with sitrep_session_open_store(). */
  g_return_val_if_fail (self->headless, FALSE);
  g_return_val_if_fail (self->store == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The default database's missing file has a message of its own. */
  self->store = sitrep_store_open_existing (address, error);
  if (self->store == NULL)
    return FALSE;
  if (address == NULL)
    address = default_path = sitrep_store_default_path ();
  g_object_freeze_notify (G_OBJECT (self));
  self->home_known = TRUE;
  self->store_address = g_strdup (address);
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE_ADDRESS);
  sitrep_session_store_opened (self);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/* The store is open (here or from a thread): what needs it is built. */
void
sitrep_session_store_opened (SitrepSession *self)
{
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE);
  /* A runbook already open gets what needs the database: health history, incidents,
   * commands. */
  if (self->runbook != NULL)
    sitrep_session_replace_monitor (self);
  sitrep_session_replace_incidents (self);
}

void
sitrep_session_set_store_error (SitrepSession *self,
                                const char    *message)
{
  if (g_strcmp0 (self->store_error, message) == 0)
    return;
  g_free (self->store_error);
  self->store_error = g_strdup (message);
  sitrep_session_notify (self, SITREP_SESSION_PROP_STORE_ERROR);
}

SitrepStore *
sitrep_session_get_store (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->store;
}

const char *
sitrep_session_get_store_error (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->store_error;
}

/* Returns: (nullable): the database asked for: a file's path or a team database's address */
const char *
sitrep_session_get_store_address (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->store_address;
}

gboolean
sitrep_session_get_store_connecting (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  return self->store_connecting;
}

/* Returns: (nullable) (transfer none): who else is on the team database */
SitrepStorePresence *
sitrep_session_get_presence (SitrepSession *self)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), NULL);
  return self->presence;
}
