/* fuzz-replay.c: runs a fuzz target without libFuzzer: every corpus file, then bounded mutations
 *
 * The suite runs this with each harness so the corpus is exercised on every build; building with
 * clang and -Dfuzzing=true links libFuzzer instead for open-ended fuzzing.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Byte flips, insertions of Markdown punctuation and truncations, from a fixed seed. */
static void
mutate (GRand   *rand,
        GString *buf)
{
  static const char *const tokens[] = {
    "\n", "|", "- [ ] ", "```", "```bash\n", "# ", "### ", "**", "[", "]", "(", ")", "<", ">",
    "$(", "`", "\\", "\"", "'", "kubectl ", "-n ", "SEV-1", "P0", "{", "}", "\xc3\xb0\xc5\xb8",
    "\xff", "\x00", "15 minutes", " | ", "\n---\n", "escalation", "template", "\n\n",
  };
  guint edits = g_rand_int_range (rand, 1, 8);

  for (guint e = 0; e < edits; e++)
    {
      guint at = buf->len ? g_rand_int_range (rand, 0, buf->len) : 0;

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          if (buf->len)
            buf->str[at] = (char) g_rand_int_range (rand, 0, 256);
          break;
        case 1:
          {
            const char *t = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];

            g_string_insert_len (buf, at, t, t[0] ? (gssize) strlen (t) : 1);
          }
          break;
        case 2:
          if (buf->len)
            {
              gsize cut = (gsize) g_rand_int_range (rand, 1, 64);

              g_string_erase (buf, at, MIN (buf->len - at, cut));
            }
          break;
        default:
          if (buf->len)
            g_string_insert_len (buf, at, buf->str, MIN (buf->len, 200));
          break;
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) corpus = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261203);
  guint rounds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 2000;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (argc < 2)
    {
      g_printerr ("usage: %s CORPUS-DIR [ROUNDS]\n", argv[0]);
      return 2;
    }
  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, NULL))
        continue;
      LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
      g_ptr_array_add (corpus, g_bytes_new_take (data, len));
    }
  g_print ("1..1\n");
  for (guint r = 0; r < rounds && corpus->len > 0; r++)
    {
      GBytes *seed = corpus->pdata[g_rand_int_range (rand, 0, corpus->len)];
      gsize len;
      const char *data = g_bytes_get_data (seed, &len);
      g_autoptr(GString) buf = g_string_new_len (data, len);

      mutate (rand, buf);
      LLVMFuzzerTestOneInput ((const uint8_t *) buf->str, buf->len);
    }
  g_print ("ok 1 - %u corpus files and %u mutations\n", corpus->len, rounds);
  return 0;
}
