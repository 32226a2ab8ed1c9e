/* test-booking-load-error.c: a bookings file that cannot be read is said
 * so in the window, and kept aside, never silently replaced
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingLoadError"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bk-booking-file.h"
#include "bk-ui-test.h"

#define TIMEOUT_MS 20000
#define GARBAGE "BEGIN:VCALENDAR\r\nthis is not iCalendar\r\n"

static gboolean
bookings_loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (bk_ui_test_get_app ());
}

static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label_containing (c, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_corrupt_file (void)
{
  BkApplication *app;
  BkBookingStore *store;
  BkBookingFile *file;
  BkWindow *window;
  const char *sentence;
  g_autofree char *kept = NULL;

  /* The application starts (and loads) only now, on the file written by
   * main(). */
  app = bk_ui_test_get_app ();
  bk_test_wait_until (bookings_loaded, NULL, TIMEOUT_MS);
  store = bk_application_get_bookings (app);
  sentence = bk_booking_store_get_load_error (store);
  g_test_message ("load error: %s", sentence);
  g_assert_nonnull (sentence);

  /* The unreadable file is kept under another name, as it was. */
  file = BK_BOOKING_FILE (bk_booking_store_get_backend (store));
  g_assert_nonnull (bk_booking_file_get_corrupt_path (file));
  g_assert_true (g_file_get_contents (bk_booking_file_get_corrupt_path (file), &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, GARBAGE);

  /* The window says it, and the toast stays until dismissed. */
  window = bk_ui_test_open_window ();
  g_assert_true (bk_ui_test_window_has_toast (GTK_WIDGET (window)));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), sentence));

  bk_ui_test_close_window (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  bk_ui_test_init (&argc, &argv);

  /* The bookings file the application will find: not iCalendar. */
  dir = g_build_filename (g_get_user_data_dir (), "bridgekeeper", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = g_build_filename (dir, "bookings.ics", NULL);
  g_assert_true (g_file_set_contents (path, GARBAGE, -1, NULL));

  g_test_add_func ("/booking-load-error/corrupt-file", test_corrupt_file);

  return g_test_run ();
}
