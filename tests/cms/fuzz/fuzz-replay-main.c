/* fuzz-replay-main.c: runs the fuzz target over files (the seed corpus)
 * without libFuzzer, so every build exercises the decoders on them.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
run_path (const char *path,
          guint      *n)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          run_path (child, n);
        }
      return;
    }
  {
    g_autofree char *contents = NULL;
    gsize len;

    if (!g_file_get_contents (path, &contents, &len, NULL))
      g_error ("cannot read %s", path);
    LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
    /* every other selector too, to cover all decoders with each seed */
    for (guint s = 0; s < 64 && len > 0; s++)
      {
        contents[0] = (char) s;
        LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
      }
    (*n)++;
  }
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    run_path (argv[i], &n);
  g_print ("1..1\nok 1 - replayed %u inputs\n", n);
  return n > 0 ? 0 : 1;
}
