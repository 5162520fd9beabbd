/* probe-test-util.h: one probe run in a turning main loop, and the servers the probe tests share
 *
 * Also free ports and keyring entries. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "sitrep-probe.h"

G_BEGIN_DECLS

typedef struct
{
  GMainLoop *loop;
  SitrepProbeResult *result;
  GError *error;
  gboolean done;
  guint ticks;
  gint64 last_tick;
  gint64 max_gap_us;
  gint64 elapsed_us;
} ProbeRun;

void            probe_run_clear                     (ProbeRun      *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProbeRun, probe_run_clear)

void            probe_test_run                      (ProbeRun      *run,
                                                     const char    *service_id,
                                                     const char    *probe,
                                                     GCancellable  *cancellable);
void            probe_test_run_format               (ProbeRun      *run,
                                                     const char    *service_id,
                                                     const char    *probe,
                                                     guint          format,
                                                     GCancellable  *cancellable);
void            probe_test_assert_loop_kept_ticking (ProbeRun      *run);
void            probe_test_assert_unresolvable      (const char    *service_id,
                                                     const char    *probe);
void            probe_test_assert_missing_secret    (const char    *service_id,
                                                     const char    *probe,
                                                     const char    *secret);

SitrepProbeResult *probe_test_run_spec (SitrepProbeContext *context,
                                        const char         *service_id,
                                        const char         *probe_id,
                                        guint               hung_after_s,
                                        gint64              max_gap_us,
                                        gint64             *elapsed_ms,
                                        GError            **error);

gboolean        probe_test_contains_nocase          (const char    *text,
                                                     const char    *needle);
gboolean        probe_test_cancel_cb                (gpointer       cancellable);
guint           probe_test_free_port                (void);
GSocketService *probe_test_silent_server            (GPtrArray     *held,
                                                     guint         *port);
void            probe_test_store_secret             (const char    *name,
                                                     const char    *value);

/* Loopback servers: a port of @listener's own, a connection reset at once, a body that drips. */
guint16         probe_test_listen_loopback          (GSocketListener   *listener);
gboolean        probe_test_reset_cb                 (GSocketService    *service,
                                                     GSocketConnection *connection,
                                                     GObject           *source,
                                                     gpointer           user_data);
gboolean        probe_test_drip_cb                  (gpointer           msg);
void            probe_test_drip_handler             (SoupServer        *server,
                                                     SoupServerMessage *msg,
                                                     const char        *path,
                                                     GHashTable        *query,
                                                     gpointer           first);
gboolean        probe_test_hold_cb                  (GSocketService    *service,
                                                     GSocketConnection *connection,
                                                     GObject           *source,
                                                     gpointer           held);
guint           probe_test_first_port               (SoupServer        *server);

/* Certificates made by openssl for a test, in a folder of its own. */
gboolean        probe_test_make_ca                  (const char        *dir,
                                                     const char        *name,
                                                     GError           **error);
gboolean        probe_test_make_signed              (const char        *dir,
                                                     const char        *name,
                                                     const char        *ca,
                                                     const char        *subject,
                                                     const char        *extensions,
                                                     GError           **error);
void            probe_test_remove_folder            (const char        *dir);
G_END_DECLS
