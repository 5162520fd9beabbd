/* fuzz-common.h: what every fuzz target shares: the libFuzzer entry points and fatal criticals */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
/* Optional: the driver, like libFuzzer, calls it when the target defines it. */
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv) __attribute__ ((weak));

static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  /* abort(), not GLib's breakpoint trap, which the fuzzers would not catch. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

/* A critical is a broken precondition, and a warning on input the code was meant to take
 * apart is a bug too: both abort, so the fuzzer reports them as crashes with their input. */
static inline void
fuzz_make_warnings_fatal (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

G_END_DECLS
