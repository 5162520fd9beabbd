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
  /* Nothing to write: its caller waits for what was queued before it; one that closes does
   * not have the server tried again for it (sitrep_store_finish_writes()). */
  gboolean wait_only;
  gboolean closing;
  /* A change that may take long on a server that answers (sitrep_store_write_patient_async()):
   * not given up when it waits (sitrep-store-writer-stalls.c). */
  gboolean patient;
  /* Only the store's audit key, or why it cannot be had (sitrep_store_writer_key_changed()). */
  gboolean key_only;
  char *key_problem;

  /* A change a team database's journal can keep: its id, kind and JSON body. */
  char *change_id;
  char *journal_kind;
  char *journal_body;
  gboolean journaled;

  /* Filled by the writer thread. */
  gboolean ok;
  GError *error;

  /* sitrep_store_write_sync (): the caller waits for these. */
  GMutex *mutex;
  GCond *cond;
  gboolean done;
} SitrepWriterJob;

/* What a queued change's task carries: the caller's data, and what its callback may ask of
 * the change (sitrep_store_write_was_journaled(), sitrep_store_write_get_change_id()), filled
 * in on the task's context just before it returns. */
typedef struct
{
  gpointer data;
  GDestroyNotify destroy;
  gboolean journaled;
  char *change_id;
} SitrepWriterTaskData;

/* What the thread starts with: the store's key as it is when the first change is queued, so
 * that the first replay can sign what the journal kept. */
typedef struct
{
  SitrepStore *self;
  GBytes *audit_key;
  char *key_problem;
} WriterStart;

SitrepWriterJob *sitrep_writer_job_new        (SitrepStore          *self,
                                               SitrepStoreWriteFunc  func,
                                               gpointer              data);
void             sitrep_writer_job_free       (SitrepWriterJob      *job);
gboolean         sitrep_writer_run_with_retry (SitrepStore          *store,
                                               SitrepStoreWriteFunc  func,
                                               gpointer              data,
                                               GError              **error);
/* The thread's function: @start is a WriterStart, the thread's to free. */
gpointer         sitrep_writer_thread         (gpointer              start);

G_END_DECLS
