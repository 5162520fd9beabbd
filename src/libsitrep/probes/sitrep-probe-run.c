/* sitrep-probe-run.c: running one probe: the kind from the registry, and what every run shares
 *
 * sitrep_probe_run_async () finds the probe's kind by name and hands it a SitrepProbeRun: the
 * task the caller waits on, the result, a cancellable of the run's own tied to the caller's and
 * to the deadline, and the clock. The kind does its check and ends the run once; the run then
 * returns the result on the next turn of the main loop, after the kind's stop hook closed what
 * the cancellable could not. The keyring and the resolver, which the redis and postgres kinds
 * both wait on before they connect, are here too, with what a deadline passing there means.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-probe-run.h"
#include "sitrep-secrets.h"

/* A run's own timeout when its spec has none, as the loader's default. */
#define DEFAULT_TIMEOUT_MS 5000

typedef struct
{
  SitrepProbeRun run; /* first: what the kind sees */
  const SitrepProbeKind *kind;
  GTask *task;        /* whose data the run is: the run lives as long as it; the run holds it
                       * itself from its start until the result goes */
  GCancellable *caller;
  gulong caller_id;
  gpointer data;
  GDestroyNotify destroy_data;
  gint64 started;     /* monotonic */
  gboolean over;
  SitrepReason *cannot_run; /* why the probe could not run at all, once the run is over */

  char *awaiting_secret; /* the keyring entry being read */
  SitrepProbeSecretFunc secret_func;
  char *resolving;       /* the host name being looked up */
  SitrepProbeResolvedFunc resolved_func;

  gboolean loading;      /* a client library is being opened on a thread */
  SitrepProbeRunFunc loaded_func;

  GSource *deadline_source;
  GSource *cancel_source;
  GSource *later_source;
  SitrepProbeRunFunc later_func;
  GSource *end_source;
} Run;

#define RUN(run) ((Run *) (run))

/* Destroys *@source, if any, and clears it: for the sources a kind attaches to the run's main
 * context (a socket watch, an adapter's source), as for the run's own. */
void
sitrep_probe_destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
disconnect_caller (Run *priv)
{
  if (priv->caller_id != 0)
    g_cancellable_disconnect (priv->caller, priv->caller_id);
  priv->caller_id = 0;
}

static void
run_free (Run *priv)
{
  SitrepProbeRun *run = &priv->run;

  /* The kind's state first: it may still disconnect from the run's cancellable. */
  if (priv->destroy_data != NULL)
    g_clear_pointer (&priv->data, priv->destroy_data);
  disconnect_caller (priv);
  sitrep_probe_destroy_source (&priv->deadline_source);
  sitrep_probe_destroy_source (&priv->cancel_source);
  sitrep_probe_destroy_source (&priv->later_source);
  sitrep_probe_destroy_source (&priv->end_source);
  g_clear_object (&priv->caller);
  g_clear_pointer (&priv->cannot_run, sitrep_reason_unref);
  g_free (priv->awaiting_secret);
  g_free (priv->resolving);
  g_clear_pointer (&run->context, sitrep_probe_context_unref);
  g_clear_pointer (&run->result, sitrep_probe_result_unref);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->main_context, g_main_context_unref);
  g_free (priv);
}

SitrepProbeRun *
sitrep_probe_run_ref (SitrepProbeRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  g_object_ref (RUN (run)->task);
  return run;
}

void
sitrep_probe_run_unref (SitrepProbeRun *run)
{
  g_return_if_fail (run != NULL);
  g_object_unref (RUN (run)->task);
}

/* The kind's state for this run, destroyed with the run. */
void
sitrep_probe_run_set_data (SitrepProbeRun *run,
                           gpointer        data,
                           GDestroyNotify  destroy)
{
  Run *priv = RUN (run);

  g_return_if_fail (priv->data == NULL);
  priv->data = data;
  priv->destroy_data = destroy;
}

gpointer
sitrep_probe_run_get_data (SitrepProbeRun *run)
{
  return RUN (run)->data;
}

/* The response time counts from now: the check itself starts, past what came before it (the
 * keyring, the system's certificates). */
void
sitrep_probe_run_start_clock (SitrepProbeRun *run)
{
  RUN (run)->started = g_get_monotonic_time ();
  run->result->started_at = g_get_real_time ();
}

/* Whether the run has ended: a callback that comes after leaves the run alone. */
gboolean
sitrep_probe_run_is_over (SitrepProbeRun *run)
{
  return RUN (run)->over;
}

static gboolean
end_cb (gpointer user_data)
{
  Run *priv = user_data;
  SitrepProbeRun *run = &priv->run;
  GTask *task = priv->task;

  g_clear_pointer (&priv->end_source, g_source_unref);
  sitrep_probe_destroy_source (&priv->deadline_source);
  sitrep_probe_destroy_source (&priv->cancel_source);
  sitrep_probe_destroy_source (&priv->later_source);
  if (priv->kind->stop != NULL)
    priv->kind->stop (run);
  disconnect_caller (priv);
  /* Whatever the kind left waiting on the keyring or the resolver stops now. */
  g_cancellable_cancel (run->cancellable);

  if (priv->cannot_run != NULL)
    g_task_return_error (task,
                         sitrep_probe_error_new_cannot_run (g_steal_pointer (&priv->cannot_run)));
  else
    g_task_return_pointer (task, sitrep_probe_result_ref (run->result),
                           (GDestroyNotify) sitrep_probe_result_unref);
  /* The run's hold on itself: this frees it, unless a callback still holds it. */
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Marks the run over; FALSE when it was already. */
static gboolean
end_run (Run *priv)
{
  if (priv->over)
    return FALSE;
  priv->over = TRUE;
  priv->run.result->response_time_ms = (g_get_monotonic_time () - priv->started) / 1000.0;
  priv->end_source = g_idle_source_new ();
  g_source_set_priority (priv->end_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (priv->end_source, end_cb, priv, NULL);
  g_source_attach (priv->end_source, priv->run.main_context);
  return TRUE;
}

/* Ends the run with the result as the kind filled it. Only the first end counts. */
void
sitrep_probe_run_complete (SitrepProbeRun *run)
{
  end_run (RUN (run));
}

/* Ends the run as a check that did not complete, for the reason @why (transfer full): never
 * up. */
void
sitrep_probe_run_fail (SitrepProbeRun *run,
                       SitrepReason   *why)
{
  if (end_run (RUN (run)))
    sitrep_probe_result_fail_because (run->result, why);
  else
    sitrep_reason_unref (why);
}

/* Ends the run as a probe that could not run at all (a missing secret or program), for the
 * reason @why (transfer full): the service's state is unknown, not down. */
void
sitrep_probe_run_cannot_run (SitrepProbeRun *run,
                             SitrepReason   *why)
{
  Run *priv = RUN (run);

  if (end_run (priv))
    priv->cannot_run = why;
  else
    sitrep_reason_unref (why);
}

/* Ends the run as a probe that could not run, for what a library said (@error's message). */
void
sitrep_probe_run_cannot_run_error (SitrepProbeRun *run,
                                   const GError   *error)
{
  sitrep_probe_run_cannot_run (run, sitrep_reason_from_error (error));
}

static gboolean
later_cb (gpointer user_data)
{
  Run *priv = user_data;

  g_clear_pointer (&priv->later_source, g_source_unref);
  if (!priv->over)
    priv->later_func (&priv->run);
  return G_SOURCE_REMOVE;
}

/* Calls @func on the next turn of the main loop, unless the run is over by then: for what a
 * library must not see done inside its own callback. One at a time. */
void
sitrep_probe_run_later (SitrepProbeRun    *run,
                        SitrepProbeRunFunc func)
{
  Run *priv = RUN (run);

  g_return_if_fail (priv->later_source == NULL);

  priv->later_func = func;
  priv->later_source = g_idle_source_new ();
  g_source_set_priority (priv->later_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (priv->later_source, later_cb, priv, NULL);
  g_source_attach (priv->later_source, run->main_context);
}

/* A time in seconds with one decimal, "2.5": the same for readers of every language. */
SitrepReason *
sitrep_probe_seconds_reason (gint64 ms)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  return sitrep_reason_new_text (g_ascii_formatd (number, sizeof number, "%.1f", ms / 1000.0));
}

/* A probe's time limit as a reason shows it: "3 s", "2.5 s". */
SitrepReason *
sitrep_probe_timeout_reason (gint64 ms)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (ms % 1000 == 0)
    g_snprintf (number, sizeof number, "%d", (int) (ms / 1000));
  else
    g_ascii_formatd (number, sizeof number, "%.1f", ms / 1000.0);
  /* Translators: a probe's time limit, %s is a number of seconds: "3 s" */
  return sitrep_reason_new (N_("%s s"), sitrep_reason_new_text (number));
}

/* Frees a secret, or text that held one, wiping it first. */
void
sitrep_probe_scrub_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
secret_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  Run *priv = RUN (run);
  g_autoptr(GError) error = NULL;
  char *secret = sitrep_secrets_lookup_finish (res, &error);

  g_clear_pointer (&priv->awaiting_secret, g_free);
  if (priv->over)
    {
      sitrep_probe_scrub_free (secret);
      return;
    }
  if (secret == NULL)
    {
      sitrep_probe_run_cannot_run_error (run, error);
      return;
    }
  priv->secret_func (run, secret);
}

/* Reads the keyring entry @name and gives it to @func. Without it the probe cannot run; a
 * keyring that does not answer by the deadline is the same, and not the service's fault. */
void
sitrep_probe_run_lookup_secret (SitrepProbeRun       *run,
                                const char           *name,
                                SitrepProbeSecretFunc func)
{
  Run *priv = RUN (run);

  g_free (priv->awaiting_secret);
  priv->awaiting_secret = g_strdup (name);
  priv->secret_func = func;
  sitrep_secrets_lookup_async (name, run->cancellable, secret_cb, sitrep_probe_run_ref (run));
}

static void
resolve_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  Run *priv = RUN (run);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res, &error);

  g_clear_pointer (&priv->resolving, g_free);
  if (priv->over)
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  priv->resolved_func (run, addresses, error);
}

/* Looks @host up off the main thread (GResolver answers a numeric address at once) and gives
 * @func its addresses; a lookup still waiting at the deadline fails the run. */
void
sitrep_probe_run_resolve (SitrepProbeRun         *run,
                          const char             *host,
                          SitrepProbeResolvedFunc func)
{
  Run *priv = RUN (run);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  g_free (priv->resolving);
  priv->resolving = g_strdup (host);
  priv->resolved_func = func;
  g_resolver_lookup_by_name_async (resolver, host, run->cancellable, resolve_cb,
                                   sitrep_probe_run_ref (run));
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SitrepLazyLoadFunc load = task_data;
  GError *error = NULL;

  if (load (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  Run *priv = RUN (run);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);

  priv->loading = FALSE;
  if (priv->over)
    return;
  if (!ok)
    {
      sitrep_probe_run_cannot_run_error (run, error);
      return;
    }
  priv->loaded_func (run);
}

/* Opens the client library the kind needs (sitrep-lazy-libraries.h), then calls @func; without
 * it the probe cannot run, and says what to install. The first time, the library is opened on a
 * thread: reading it and what it needs from disk takes tens of milliseconds, more on a busy
 * machine, which the main loop (the window, the clocks of the other probes) must not wait for.
 * The run's clock starts after it, in the kind. */
void
sitrep_probe_run_load_library (SitrepProbeRun       *run,
                               SitrepLazySettledFunc settled,
                               SitrepLazyLoadFunc    load,
                               SitrepProbeRunFunc    func)
{
  Run *priv = RUN (run);
  g_autoptr(GTask) task = NULL;

  if (settled ())
    {
      g_autoptr(GError) error = NULL;

      if (load (&error))
        func (run);
      else
        sitrep_probe_run_cannot_run_error (run, error);
      return;
    }
  priv->loading = TRUE;
  priv->loaded_func = func;
  task = g_task_new (NULL, NULL, loaded_cb, sitrep_probe_run_ref (run));
  g_task_set_source_tag (task, sitrep_probe_run_load_library);
  g_task_set_task_data (task, load, NULL);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Run *priv = user_data;
  SitrepProbeRun *run = &priv->run;

  g_clear_pointer (&priv->deadline_source, g_source_unref);
  run->timed_out = TRUE;
  /* What the run itself waits on, then the kind's own say, before the cancellable tells the
   * rest: a resolver answering "cancelled" first must not be what the user reads. */
  if (!priv->over)
    {
      SitrepReason *within = sitrep_probe_timeout_reason (run->timeout_ms);

      if (priv->awaiting_secret != NULL)
        sitrep_probe_run_cannot_run (run, sitrep_reason_new (
          N_("the keyring did not give secret \"%s\" within %s"),
          sitrep_reason_new_text (priv->awaiting_secret), within));
      else if (priv->resolving != NULL)
        sitrep_probe_run_fail (run, sitrep_reason_new (N_("cannot resolve %s: no answer within %s"),
                                                       sitrep_reason_new_text (priv->resolving),
                                                       within));
      else if (priv->loading)
        sitrep_probe_run_cannot_run (run, sitrep_reason_new (
          /* Translators: %s is a time (5 s) */
          N_("the client library for this probe did not load within %s: the computer may be "
             "very busy"), within));
      else
        sitrep_reason_unref (within);
      if (priv->awaiting_secret == NULL && priv->resolving == NULL && !priv->loading
          && priv->kind->timed_out != NULL)
        priv->kind->timed_out (run);
    }
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
cancelled_cb (GCancellable *caller,
              gpointer      user_data)
{
  Run *priv = user_data;

  g_clear_pointer (&priv->cancel_source, g_source_unref);
  if (!priv->over)
    priv->kind->cancelled (&priv->run);
  return G_SOURCE_REMOVE;
}

static Run *
run_new (GTask                 *task,
         const SitrepProbeKind *kind,
         SitrepProbeContext    *context,
         const SitrepService   *service,
         const SitrepProbeSpec *spec,
         GCancellable          *caller)
{
  Run *priv = g_new0 (Run, 1);
  SitrepProbeRun *run = &priv->run;

  priv->kind = kind;
  priv->task = task;
  run->context = sitrep_probe_context_ref (context);
  run->service = service;
  run->spec = spec;
  run->result = sitrep_probe_result_new ();
  run->cancellable = g_cancellable_new ();
  run->main_context = g_main_context_ref_thread_default ();
  run->timeout_ms = spec->timeout_ms > 0 ? spec->timeout_ms : DEFAULT_TIMEOUT_MS;
  priv->started = g_get_monotonic_time ();

  /* At once, in the caller's own call: a program the probe started must not wait for the main
   * loop to come round, which a quitting application may not let it. */
  if (caller != NULL)
    {
      priv->caller = g_object_ref (caller);
      priv->caller_id = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled_cb),
                                               run->cancellable, NULL);
      if (kind->cancelled != NULL)
        {
          priv->cancel_source = g_cancellable_source_new (caller);
          g_source_set_callback (priv->cancel_source, G_SOURCE_FUNC (cancelled_cb), priv, NULL);
          g_source_attach (priv->cancel_source, run->main_context);
        }
    }
  /* One deadline for the whole check, whatever it waits on: a server dripping one byte a
   * second must not hold the probe for ever. */
  priv->deadline_source = g_timeout_source_new (run->timeout_ms);
  g_source_set_callback (priv->deadline_source, deadline_cb, priv, NULL);
  g_source_attach (priv->deadline_source, run->main_context);
  return priv;
}

void
sitrep_probe_run_async (SitrepProbeContext    *context,
                        const SitrepService   *service,
                        const SitrepProbeSpec *spec,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  const SitrepProbeKind *kind;
  GTask *task;
  Run *priv;

  g_return_if_fail (context != NULL);
  g_return_if_fail (spec != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_probe_run_async);

  kind = sitrep_probe_kind_get (spec->type_name);
  if (kind == NULL)
    {
      g_task_return_error (task, sitrep_probe_error_new_cannot_run (sitrep_reason_new (
        N_("no kind of probe is called \"%s\""),
        sitrep_reason_new_text (spec->type_name != NULL ? spec->type_name : ""))));
      g_object_unref (task);
      return;
    }
  if (kind->program != NULL && !sitrep_probe_context_get_trusted (context))
    {
      /* Not the service's fault: unknown, with what to do. */
      g_task_return_error (task, sitrep_probe_error_new_cannot_run (
        sitrep_reason_new (N_("Waiting for you to trust this runbook"))));
      g_object_unref (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  priv = run_new (task, kind, context, service, spec, cancellable);
  g_task_set_task_data (task, priv, (GDestroyNotify) run_free);
  if (kind->library_load != NULL)
    sitrep_probe_run_load_library (&priv->run, kind->library_settled, kind->library_load,
                                   kind->start);
  else
    kind->start (&priv->run);
}

SitrepProbeResult *
sitrep_probe_run_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sitrep_probe_run_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
