/* sitrep-secrets.h: tokens, passwords and URLs kept in the desktop keyring, never on disk */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SITREP_SECRETS_ERROR (sitrep_secrets_error_quark ())

typedef enum
{
  SITREP_SECRETS_ERROR_NOT_FOUND,
  SITREP_SECRETS_ERROR_UNAVAILABLE,
  SITREP_SECRETS_ERROR_INVALID,
} SitrepSecretsError;

GQuark    sitrep_secrets_error_quark     (void);

void      sitrep_secrets_lookup_async    (const char         *name,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
char     *sitrep_secrets_lookup_finish   (GAsyncResult       *result,
                                          GError            **error);
gboolean  sitrep_secrets_store_sync      (const char         *name,
                                          const char         *value,
                                          GCancellable       *cancellable,
                                          GError            **error);
gboolean  sitrep_secrets_clear_sync      (const char         *name,
                                          GCancellable       *cancellable,
                                          GError            **error);
char     *sitrep_secrets_expand_finish   (GAsyncResult       *result,
                                          GError            **error);
void      sitrep_secrets_expand_async    (const char         *text,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);

char       *sitrep_secrets_lookup_database_password_sync (const char   *address,
                                                          GCancellable *cancellable,
                                                          GError      **error);
gboolean    sitrep_secrets_store_database_password_sync  (const char   *address,
                                                          const char   *password,
                                                          GCancellable *cancellable,
                                                          GError      **error);
void        sitrep_secrets_free_password                 (char         *password);

gboolean    sitrep_secrets_is_valid_name     (const char         *name);
gboolean    sitrep_secrets_check_source      (const char         *reference,
                                              GError            **error);
GStrv       sitrep_secrets_split_references  (const char         *text,
                                              gsize              *error_offset,
                                              GError            **error);
void        sitrep_secrets_lookup_all_async  (const char *const  *names,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GHashTable *sitrep_secrets_lookup_all_finish (GAsyncResult       *result,
                                              GError            **error);

G_END_DECLS
