/* bk-test-util.c
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "bk-test-util.h"

static char *test_tmpdir;

void
bk_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            bk_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
bk_test_cleanup (void)
{
  if (test_tmpdir != NULL && g_getenv ("BK_TEST_KEEP_TMPDIR") == NULL)
    bk_test_rm_rf (test_tmpdir);
  g_clear_pointer (&test_tmpdir, g_free);
}

void
bk_test_init (int    *argc,
              char ***argv)
{
  static const char *subdirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };
  g_autoptr(GError) error = NULL;

  test_tmpdir = g_dir_make_tmp ("bktest-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (test_tmpdir, subdirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (subdirs[i][0], path, TRUE);
    }

  atexit (bk_test_cleanup);
  g_test_init (argc, argv, NULL);
}

const char *
bk_test_get_tmpdir (void)
{
  return test_tmpdir;
}

static gboolean
bk_test_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

guint
bk_test_scale_ms (guint ms)
{
  const char *scale_env = g_getenv ("BK_TEST_TIME_SCALE");
  guint scale = scale_env != NULL ? (guint) MAX (1, g_ascii_strtoull (scale_env, NULL, 10)) : 1;

  return ms * scale;
}

void
bk_test_wait_until (BkTestPredicate predicate,
                    gpointer        data,
                    guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id;

  /* Slow setups (asan, valgrind) stretch every wait by BK_TEST_TIME_SCALE. */
  timeout_ms = bk_test_scale_ms (timeout_ms);
  id = g_timeout_add (timeout_ms, bk_test_timeout_cb, &timed_out);
  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u ms waiting for a condition", timeout_ms);

  g_source_remove (id);
}

void
bk_test_spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, bk_test_timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}
