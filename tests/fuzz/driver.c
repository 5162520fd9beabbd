/* driver.c: runs a fuzz target where libFuzzer is not available: replays the corpus, then
 * mutates it for a time budget
 *
 * It takes the libFuzzer options the test command uses, so the same command line drives both:
 *
 *   fuzz-NAME [-runs=N] [-max_total_time=S] [-timeout=S] [-max_len=N] [-seed=N]
 *             [-dict=FILE] [-artifact_prefix=PATH] [-print_final_stats=1] CORPUS_DIR_OR_FILE…
 *
 * Every corpus file is run once; then, unless -runs=0, inputs made by mutating corpus files
 * (bit flips, byte changes, insertions and deletions, duplicated ranges, dictionary tokens,
 * splices of two files) are run until -runs or -max_total_time is reached. It has no coverage
 * feedback, so it finds less than libFuzzer, but it always fuzzes. An input that crashes, or
 * runs longer than -timeout, is written to ARTIFACT_PREFIX{crash,timeout}-HASH before the
 * process dies, for the developer to replay: fuzz-NAME FILE.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <glib.h>

#include "fuzz-common.h"

/* AddressSanitizer calls this before it ends the process, when it is linked in. */
void __sanitizer_set_death_callback (void (*callback) (void)) __attribute__ ((weak));

typedef struct
{
  guint8 *data;
  gsize size;
} Input;

static GArray *corpus;       /* Input */
static GPtrArray *tokens;    /* GBytes, from -dict and the built-in ones */
static const guint8 *current;
static gsize current_size;
static char *artifact_prefix;
static volatile sig_atomic_t dying;

/* Written with write(2) only: it runs inside a signal handler. */
static void
save_current (const char *kind)
{
  char path[4096];
  guint32 hash = 2166136261u;
  int fd;

  if (current == NULL)
    return;
  for (gsize i = 0; i < current_size; i++)
    hash = (hash ^ current[i]) * 16777619u;
  snprintf (path, sizeof path, "%s%s-%08x", artifact_prefix, kind, hash);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0)
    {
      gsize done = 0;

      while (done < current_size)
        {
          ssize_t n = write (fd, current + done, current_size - done);

          if (n <= 0)
            break;
          done += n;
        }
      close (fd);
      dprintf (STDERR_FILENO, "driver: the input is saved in %s: replay it with %s\n", path, path);
    }
}

static void
death_cb (void)
{
  if (!dying)
    {
      dying = 1;
      save_current ("crash");
    }
}

static void
crash_handler (int sig)
{
  death_cb ();
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
timeout_handler (int sig)
{
  dying = 1;
  dprintf (STDERR_FILENO, "driver: an input ran longer than the -timeout\n");
  save_current ("timeout");
  _exit (70);
}

static void
add_input (const guint8 *data,
           gsize         size)
{
  Input input = { g_memdup2 (data, size), size };

  g_array_append_val (corpus, input);
}

static void
load_path (const char *path)
{
  g_autoptr(GError) error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        g_error ("driver: %s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      /* Sorted, so that two runs with one seed do the same. */
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        if (g_file_test (names->pdata[i], G_FILE_TEST_IS_REGULAR))
          load_path (names->pdata[i]);
      return;
    }
  {
    g_autofree char *contents = NULL;
    gsize size;

    if (!g_file_get_contents (path, &contents, &size, &error))
      g_error ("driver: %s", error->message);
    add_input ((const guint8 *) contents, size);
  }
}

/* libFuzzer's dictionary format: one "token" per line, with \xNN and \" escapes; # comments. */
static void
load_dict (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("driver: %s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *open = strchr (lines[i], '"');
      const char *close = strrchr (lines[i], '"');
      GByteArray *token;

      if (g_str_has_prefix (g_strchug (lines[i]), "#") || open == NULL || close <= open)
        continue;
      token = g_byte_array_new ();
      for (const char *p = open + 1; p < close; p++)
        {
          guint8 c = (guint8) *p;

          if (*p == '\\' && p[1] == 'x' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]))
            {
              c = (guint8) (g_ascii_xdigit_value (p[2]) * 16 + g_ascii_xdigit_value (p[3]));
              p += 3;
            }
          else if (*p == '\\' && p + 1 < close)
            c = (guint8) *++p;
          g_byte_array_append (token, &c, 1);
        }
      g_ptr_array_add (tokens, g_byte_array_free_to_bytes (token));
    }
}

static void
add_builtin_tokens (void)
{
  static const char *const builtin[] = {
    "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u0000", "\\ud800", "null", "true", "false",
    "0", "-1", "1e999", "-0", "4294967296", "9223372036854775808", "\xff", "\xc3", "\xf0\x9f",
    "\n", "\r\n", "\t", " ", "{{", "}}", "[BODY]", "[STATUS]", "==", "len(", "has(", "pat(",
    "any(", ")", ".", "[0]", "\"\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    g_ptr_array_add (tokens, g_bytes_new_static (builtin[i], strlen (builtin[i])));
}

static void
insert_bytes (GByteArray   *buffer,
              guint         at,
              const guint8 *data,
              guint         n)
{
  guint len = buffer->len;

  g_byte_array_set_size (buffer, len + n);
  memmove (buffer->data + at + n, buffer->data + at, len - at);
  memcpy (buffer->data + at, data, n);
}

/* One random change to @buffer, within @max_len. */
static void
mutate (GByteArray *buffer,
        GRand      *rand,
        gsize       max_len)
{
  guint len = buffer->len;
  guint at = len > 0 ? g_rand_int_range (rand, 0, len) : 0;

  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0: /* flip a bit */
      if (len > 0)
        buffer->data[at] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
      break;
    case 1: /* set a byte */
      if (len > 0)
        buffer->data[at] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    case 2: /* insert a byte */
      {
        guint8 c = (guint8) g_rand_int_range (rand, 0, 256);

        insert_bytes (buffer, at, &c, 1);
        break;
      }
    case 3: /* delete a range */
      if (len > 0)
        g_byte_array_remove_range (buffer, at, g_rand_int_range (rand, 1, MIN (len - at, 64) + 1));
      break;
    case 4: /* duplicate a range, as deep nesting and long repetitions come from */
      if (len > 0)
        {
          guint n = g_rand_int_range (rand, 1, MIN (len - at, 256) + 1);
          g_autofree guint8 *copy = g_memdup2 (buffer->data + at, n);
          guint times = g_rand_int_range (rand, 1, 64);

          for (guint t = 0; t < times && buffer->len + n <= max_len; t++)
            insert_bytes (buffer, at, copy, n);
        }
      break;
    case 5: /* insert a token */
    case 6:
      {
        GBytes *token = tokens->pdata[g_rand_int_range (rand, 0, tokens->len)];
        gsize n;
        const guint8 *data = g_bytes_get_data (token, &n);

        insert_bytes (buffer, at, data, n);
        break;
      }
    case 7: /* splice in a piece of another input */
      {
        Input *other = &g_array_index (corpus, Input, g_rand_int_range (rand, 0, corpus->len));

        if (other->size > 0)
          {
            guint from = g_rand_int_range (rand, 0, other->size);
            guint n = g_rand_int_range (rand, 1, MIN (other->size - from, 512) + 1);

            insert_bytes (buffer, at, other->data + from, n);
          }
        break;
      }
    }
  if (buffer->len > max_len)
    g_byte_array_set_size (buffer, max_len);
}

static void
run_one (const guint8 *data,
         gsize         size,
         guint         timeout)
{
  /* A copy of exactly @size bytes, so that reading past the end is caught by the sanitizer;
   * malloc (0) is a pointer to nothing, not NULL, as libFuzzer passes for an empty input. */
  guint8 *copy = malloc (size);

  g_assert (copy != NULL || size == 0);
  if (size > 0)
    memcpy (copy, data, size);

  current = copy;
  current_size = size;
  if (timeout > 0)
    alarm (timeout);
  LLVMFuzzerTestOneInput (copy, size);
  if (timeout > 0)
    alarm (0);
  current = NULL;
  free (copy);
}

static gboolean
option (const char  *arg,
        const char  *name,
        const char **value)
{
  gsize n = strlen (name);

  if (arg[0] != '-' || strncmp (arg + 1, name, n) != 0 || arg[n + 1] != '=')
    return FALSE;
  *value = arg + n + 2;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  gint64 runs = -1, max_total_time = 0, started, executed = 0;
  guint timeout = 0, seed = (guint) time (NULL);
  gsize max_len = 64 * 1024;
  guint n_paths = 0;
  gboolean any_dir = FALSE;

  corpus = g_array_new (FALSE, FALSE, sizeof (Input));
  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  artifact_prefix = g_strdup ("./");
  add_builtin_tokens ();
  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      const char *value;

      if (option (argv[i], "runs", &value))
        runs = g_ascii_strtoll (value, NULL, 10);
      else if (option (argv[i], "max_total_time", &value))
        max_total_time = g_ascii_strtoll (value, NULL, 10);
      else if (option (argv[i], "timeout", &value))
        timeout = (guint) g_ascii_strtoull (value, NULL, 10);
      else if (option (argv[i], "max_len", &value))
        max_len = (gsize) g_ascii_strtoull (value, NULL, 10);
      else if (option (argv[i], "seed", &value))
        seed = (guint) g_ascii_strtoull (value, NULL, 10);
      else if (option (argv[i], "dict", &value))
        load_dict (value);
      else if (option (argv[i], "artifact_prefix", &value))
        {
          g_free (artifact_prefix);
          artifact_prefix = g_strdup (value);
        }
      else if (argv[i][0] == '-')
        g_printerr ("driver: ignoring %s, a libFuzzer option this driver does not know\n",
                    argv[i]);
      else
        {
          any_dir = any_dir || g_file_test (argv[i], G_FILE_TEST_IS_DIR);
          load_path (argv[i]);
          n_paths++;
        }
    }
  if (n_paths == 0)
    {
      g_printerr ("usage: %s [-runs=N] [-max_total_time=S] [-timeout=S] [-seed=N] [-dict=FILE] "
                  "[-artifact_prefix=PATH] CORPUS_DIR_OR_FILE…\n", argv[0]);
      return 2;
    }

  if (__sanitizer_set_death_callback != NULL)
    __sanitizer_set_death_callback (death_cb);
  signal (SIGSEGV, crash_handler);
  signal (SIGBUS, crash_handler);
  signal (SIGFPE, crash_handler);
  signal (SIGILL, crash_handler);
  signal (SIGABRT, crash_handler);
  signal (SIGTRAP, crash_handler);
  signal (SIGALRM, timeout_handler);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < corpus->len; i++)
    {
      Input *input = &g_array_index (corpus, Input, i);

      run_one (input->data, input->size, timeout);
      executed++;
    }
  g_printerr ("driver: replayed %u corpus inputs\n", corpus->len);
  /* As libFuzzer: files alone are replayed, a corpus folder is fuzzed. */
  if (!any_dir)
    runs = 0;

  if (runs != 0 && corpus->len == 0)
    add_input ((const guint8 *) "", 0);
  rand = g_rand_new_with_seed (seed);
  if (runs != 0)
    g_printerr ("driver: mutating with -seed=%u for %s\n", seed,
                max_total_time > 0 ? "the time budget" : "ever (no -max_total_time)");
  for (gint64 n = 0; runs != 0 && (runs < 0 || n < runs); n++)
    {
      Input *base = &g_array_index (corpus, Input, g_rand_int_range (rand, 0, corpus->len));
      guint changes = g_rand_int_range (rand, 1, 6);

      if (max_total_time > 0 && (n & 63) == 0
          && g_get_monotonic_time () - started >= max_total_time * G_USEC_PER_SEC)
        break;
      g_byte_array_set_size (buffer, 0);
      g_byte_array_append (buffer, base->data, MIN (base->size, max_len));
      for (guint c = 0; c < changes; c++)
        mutate (buffer, rand, max_len);
      run_one (buffer->data, buffer->len, timeout);
      executed++;
    }

  {
    double seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

    g_printerr ("driver: %" G_GINT64_FORMAT " runs in %.0f s (%.0f exec/s), no crash\n", executed,
                seconds, seconds > 0 ? executed / seconds : 0.0);
  }
  for (guint i = 0; i < corpus->len; i++)
    g_free (g_array_index (corpus, Input, i).data);
  g_array_unref (corpus);
  g_ptr_array_unref (tokens);
  g_free (artifact_prefix);
  return 0;
}
