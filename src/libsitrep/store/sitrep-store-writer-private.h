/* sitrep-store-writer-private.h: what the writer thread and its queue share: a queued change */
#pragma once

#include "sitrep-store-writer.h"

G_BEGIN_DECLS

typedef struct
{
  SitrepStoreWriteFunc func;
  gpointer data;
  GBytes *audit_key;        /* a copy of the caller's store's key when the change was queued */
  GTask *task;              /* owned and released on the task's own context */
  gboolean stop;
  /* Only the store's audit key, or why it cannot be had (sitrep_store_writer_key_changed()). */
  gboolean key_only;
  char *key_problem;

  /* A change a team database's journal can keep: its id, kind and JSON body. */
  char *change_id;
  char *journal_kind;
  char *journal_body;
  gboolean journaled;

  /* The store stopped waiting for the thread and kept this change in the journal
   * (sitrep_store_finish_writes()): the thread does not run it. Under the shared lock. */
  gboolean kept;

  /* Filled by the writer thread. */
  gboolean ok;
  GError *error;

  /* sitrep_store_write_sync (): the caller waits for these, as long as it likes; the job is
   * freed by whichever of the caller and the thread is done with it last. */
  gboolean sync;
  gint refs;
  GMutex mutex;
  GCond cond;
  gboolean done;
} SitrepWriterJob;

/* What the store and its writer thread share, held by both. The thread needs nothing else of
 * the store, so the store may go first. */
struct _SitrepWriterShared
{
  gatomicrefcount ref_count;
  GAsyncQueue *queue;
  /* The store, to tell it what the thread learns: empty once its last reference is going, so
   * that the thread never takes one on a store being finalized. */
  GWeakRef store;
  GMainContext *context;    /* where the store is told */
  char *address;            /* the store's path */
  char *journal_path;       /* the journal's; NULL for the address's default */

  GMutex lock;
  /* The changes with a journal body queued and not finished yet, in order. */
  GPtrArray *unfinished;
  /* The store stopped waiting: the thread runs nothing more, and what it is left with the
   * journal keeps. */
  gboolean abandoned;
};

/* What the thread starts with: the store's key as it is when the first change is queued, so
 * that the first replay can sign what the journal kept. */
typedef struct
{
  SitrepWriterShared *shared;
  GBytes *audit_key;
  char *key_problem;
} WriterStart;

SitrepWriterJob *sitrep_writer_job_new        (SitrepStore          *self,
                                               SitrepStoreWriteFunc  func,
                                               gpointer              data);
void             sitrep_writer_job_free       (SitrepWriterJob      *job);
/* For a job made with sync set: the caller's or the thread's hold. */
void             sitrep_writer_job_release    (SitrepWriterJob      *job);
void             sitrep_writer_shared_unref   (SitrepWriterShared   *shared);
gboolean         sitrep_writer_run_with_retry (SitrepStore          *store,
                                               SitrepStoreWriteFunc  func,
                                               gpointer              data,
                                               GError              **error);
/* The thread's function: @start is a WriterStart, the thread's to free. */
gpointer         sitrep_writer_thread         (gpointer              start);

G_END_DECLS
