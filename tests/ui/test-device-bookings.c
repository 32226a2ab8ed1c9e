/* test-device-bookings.c: the bridge's Summary lists its bookings of the
 * next 7 days (TMS's "This Week's Bookings") from the application's booking
 * store, follows the store, and opens a booking in the editor
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestDeviceBookings"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-booking-editor.h"
#include "bk-bridge-ui-test.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS
#define ZONE "Asia/Taipei"

static BkSimCluster *sim;
static BkSimCluster *other_sim;
static BkDevice *bridge;        /* the page's bridge (a two-node cluster) */
static BkDevice *other_bridge;

static BkBookingStore *
store (void)
{
  return bk_application_get_bookings (bk_ui_test_get_app ());
}

static gboolean
bookings_loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (bk_ui_test_get_app ());
}

/* @days from today at @hour:00 in ZONE. */
static GDateTime *
day_at (int days,
        int hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (ZONE);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, days);

  return g_date_time_new (tz, g_date_time_get_year (later), g_date_time_get_month (later),
                          g_date_time_get_day_of_month (later), hour, 0, 0);
}

/* A booking on @device, saved through the store's rules as the editor
 * would; returns its UID. */
static char *
book (BkDevice   *device,
      const char *title,
      int         days,
      int         hour,
      guint       weekly_count)
{
  g_autoptr(GDateTime) start = day_at (days, hour);
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, 1);
  g_autoptr(BkBooking) b = bk_booking_new (title, ZONE, start, end);
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };

  b->automatic_bridge = FALSE;
  b->type = BK_BOOKING_TYPE_RESERVATION;
  bk_booking_set_string (&b->bridge_id, bk_device_get_id (device));
  if (weekly_count > 0)
    {
      b->recurrence.kind = BK_RECURRENCE_WEEKLY;
      b->recurrence.interval = 1;
      b->recurrence.weekdays = BK_WEEKDAY_FROM_ISO (g_date_time_get_day_of_week (start));
      b->recurrence.count = weekly_count;
    }
  bk_application_fill_rules (bk_ui_test_get_app (), &rules, &bridges);
  g_assert_true (bk_booking_store_save (store (), &rules, b, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (b->uid);
}

static GPtrArray *
booking_rows (GtkWidget *list)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (ADW_IS_ACTION_ROW (c))
      g_ptr_array_add (rows, c);
  return rows;
}

static gboolean
empty_text_shown (GtkWidget *list)
{
  GtkWidget *label = bk_ui_test_find_by_text (list, _("There are no bookings for this system in the next 7 days."));

  return label != NULL && gtk_widget_get_child_visible (label) && gtk_widget_get_visible (label);
}

static void
test_week_bookings (void)
{
  g_autofree char *weekly = NULL;
  g_autofree char *next_month = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *tomorrow = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWindow *except[2] = { NULL, NULL };
  const BkBooking *booking;
  BkBookingEditor *editor;
  BkDevicePage *page;
  BkWindow *window;
  GtkWidget *list;
  const char *subtitle;

  bk_test_wait_until (bookings_loaded, NULL, TIMEOUT_MS);
  bridge = bk_bridge_ui_test_onboard (sim, "Taipei Cluster", "meet.example.com", 3);
  other_bridge = bk_bridge_ui_test_onboard (other_sim, "Other Bridge", "other.example.com", 3);

  window = bk_ui_test_open_window ();
  except[0] = GTK_WINDOW (window);
  bk_window_select_device (window, bridge);
  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  bk_device_page_show_tab (page, "summary", NULL);
  list = bk_bridge_ui_test_child (page, "bookings_list");
  bk_ui_test_wait_mapped (list);

  /* None: TMS's sentence. */
  rows = booking_rows (list);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_true (empty_text_shown (list));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A weekly meeting in two days (its next one, in nine days, is past the
   * week), one next month, one on the other bridge: only the first
   * occurrence of the weekly one is listed. */
  weekly = book (bridge, "Weekly review", 2, 10, 4);
  next_month = book (bridge, "Next month", 35, 10, 0);
  elsewhere = book (other_bridge, "On the other bridge", 2, 10, 0);
  rows = booking_rows (list);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_false (empty_text_shown (list));
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Weekly review");
  booking = bk_booking_store_lookup (store (), weekly);
  g_assert_cmpstr (booking->bridge_id, ==, bk_device_get_id (bridge));
  g_assert_cmpstr (booking->slot_address, !=, "");
  subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, 0));
  g_test_message ("row: %s", subtitle);
  /* Day and time (local), the slot's address, the booking type. */
  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    g_autoptr(GDateTime) start = g_date_time_to_timezone (booking->start, local);
    g_autoptr(GDateTime) end = g_date_time_to_timezone (booking->end, local);
    g_autofree char *from = g_date_time_format (start, "%H:%M");
    g_autofree char *to = g_date_time_format (end, "%H:%M");

    g_assert_nonnull (strstr (subtitle, from));
    g_assert_nonnull (strstr (subtitle, to));
  }
  g_assert_nonnull (strstr (subtitle, booking->slot_address));
  g_assert_nonnull (strstr (subtitle, bk_booking_type_get_label (BK_BOOKING_TYPE_RESERVATION)));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The store changes: a booking tomorrow comes first; removed, it goes. */
  tomorrow = book (bridge, "Tomorrow's call", 1, 9, 0);
  rows = booking_rows (list);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Tomorrow's call");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "Weekly review");
  g_clear_pointer (&rows, g_ptr_array_unref);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-summary-bookings");

  g_assert_true (bk_booking_store_remove (store (), tomorrow));
  rows = booking_rows (list);
  g_assert_cmpuint (rows->len, ==, 1);

  /* A row opens the booking editor on that booking. */
  gtk_widget_activate (g_ptr_array_index (rows, 0));
  editor = BK_BOOKING_EDITOR (bk_ui_test_wait_for_toplevel (BK_TYPE_BOOKING_EDITOR, except, TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (editor, "title_row"))), ==,
                   "Weekly review");
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Moved to the other bridge, it leaves this bridge's list. */
  {
    g_autoptr(BkBooking) moved = bk_booking_copy (bk_booking_store_lookup (store (), weekly));
    g_autoptr(GPtrArray) bridges = NULL;
    g_autoptr(GError) error = NULL;
    BkBookingRules rules = { 0 };

    bk_booking_set_string (&moved->bridge_id, bk_device_get_id (other_bridge));
    bk_booking_set_string (&moved->slot_address, "");
    moved->slot_number = 0;
    bk_application_fill_rules (bk_ui_test_get_app (), &rules, &bridges);
    g_assert_true (bk_booking_store_save (store (), &rules, moved, NULL, &error));
    g_assert_no_error (error);
  }
  rows = booking_rows (list);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_true (empty_text_shown (list));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The other bridge's page lists both of its bookings. */
  bk_window_select_device (window, other_bridge);
  page = bk_window_get_device_page (window);
  list = bk_bridge_ui_test_child (page, "bookings_list");
  bk_ui_test_wait_mapped (list);
  rows = booking_rows (list);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  bk_ui_test_init (&argc, &argv);
  sim = bk_bridge_ui_test_start_sim (2);
  other_sim = bk_bridge_ui_test_start_sim (1);

  g_test_add_func ("/device-bookings/week", test_week_bookings);

  status = g_test_run ();

  bk_sim_cluster_stop (sim);
  g_clear_object (&sim);
  bk_sim_cluster_stop (other_sim);
  g_clear_object (&other_sim);
  return status;
}
