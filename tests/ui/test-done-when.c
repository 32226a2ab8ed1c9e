/* test-done-when.c: the bookings' "done when", as a new user in the demo:
 * the simulated cluster onboarded through the Add Bridge assistant, a
 * weekly meeting with three participants booked in the editor, seen in the
 * week, month and agenda views and on the bridge's Summary, a fourth
 * overlapping booking refused when the bridge has three slots, the meeting
 * exported as .ics and read back.  Run in English and in zh_TW; with
 * BK_SCREENSHOT_DIR each step is saved.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestDoneWhen"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>
#include <locale.h>
#include <string.h>

#include "bk-booking-editor.h"
#include "bk-bridge-ui-test.h"
#include "bk-calendar-view.h"
#include "bk-demo-strip.h"
#include "bk-ics-export.h"
#include "bk-week-view.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS
#define DOMAIN "meet.example.com"
#define TITLE "Weekly operations review"

typedef struct
{
  BkApplication *app;
  gboolean       ran;
} Demo;

/* The window was closed (it may be kept for reuse, hidden). */
static gboolean
chooser_gone (gpointer data)
{
  GtkWidget *chooser = *(gpointer *) data;

  return chooser == NULL || !gtk_widget_get_visible (chooser);
}

typedef struct
{
  GtkFileChooser *chooser;
  const char     *path;
} FolderWait;

static gboolean
chooser_file_is (gpointer data)
{
  FolderWait *w = data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (w->chooser);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  return g_strcmp0 (path, w->path) == 0;
}

/* The zh_TW run (LANGUAGE=zh_TW). */
static gboolean
in_chinese (void)
{
  return g_str_has_prefix (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "", "zh");
}

static gboolean
check_done (gpointer data)
{
  return !bk_booking_editor_get_check_pending (data);
}

static gboolean
weak_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (data);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TextWait;

/* A mapped label below @root whose text holds @text (or a week-grid
 * block whose title does), or a row titled @text. */
static gboolean
find_mapped (GtkWidget  *root,
             const char *text)
{
  if (!gtk_widget_get_mapped (root))
    return FALSE;
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  {
    /* A week-grid block draws its text itself. */
    PangoLayout *title, *times;
    int times_y;

    if (bk_week_view_get_booking_text (root, &title, &times, &times_y) &&
        strstr (pango_layout_get_text (title), text) != NULL)
      return TRUE;
  }
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    if (find_mapped (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
text_mapped (gpointer data)
{
  TextWait *wait = data;

  return find_mapped (wait->root, wait->text);
}

static void
wait_text (GtkWidget  *root,
           const char *text)
{
  TextWait wait = { root, text };

  bk_test_wait_until (text_mapped, &wait, TIMEOUT_MS);
}

/* The meetings are booked in the local time zone, as a new user would
 * (and the views show them at the hours typed). */
static char *zone;
#define ZONE zone

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

/* Scrolls the page of @widget to its end, as a person would to see This
 * Week's Bookings. */
static void
scroll_to_end (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;

  g_assert_nonnull (scrolled);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
bridge_position (BkApplication *app,
                 BkDevice      *device)
{
  GListModel *devices = G_LIST_MODEL (bk_application_get_store (app));

  /* "Automatic" first, then the listed bridges. */
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (devices, i);

      if (d == device)
        return i + 1;
    }
  g_assert_not_reached ();
}

/* The editor filled with a meeting on @device at @days from today,
 * 10:00–11:00. */
static BkBookingEditor *
fill_editor (BkWindow   *window,
             BkDevice   *device,
             const char *title,
             int         days,
             guint       weekly_count)
{
  BkApplication *app = BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autoptr(GDateTime) start = day_at (days, 10);
  g_autoptr(GDateTime) end = day_at (days, 11);
  BkBookingEditor *editor = bk_window_new_booking (window, start, end);

  bk_ui_test_wait_mapped (GTK_WIDGET (editor));
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "title_row"), title);
  bk_bridge_ui_test_choose_zone (editor, ZONE, ZONE);
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "start_row"), "10:00");
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "end_row"), "11:00");
  if (weekly_count > 0)
    {
      adw_combo_row_set_selected (bk_bridge_ui_test_child (editor, "repeat_row"), 2 /* weekly */);
      adw_combo_row_set_selected (bk_bridge_ui_test_child (editor, "ends_row"), 1 /* after a count */);
      gtk_spin_button_set_value (bk_bridge_ui_test_child (editor, "count_spin"), weekly_count);
    }
  adw_combo_row_set_selected (bk_bridge_ui_test_child (editor, "bridge_row"), bridge_position (app, device));
  return editor;
}

static void
save_editor (BkBookingEditor *editor)
{
  bk_test_wait_until (check_done, editor, TIMEOUT_MS);
  g_assert_null (bk_booking_editor_get_problem (editor));
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (editor, "save_button"));
  bk_test_wait_until (weak_cleared, &editor, TIMEOUT_MS);
}

static void
run_demo (Demo *demo)
{
  BkApplication *app = demo->app;
  BkBookingStore *store = bk_application_get_bookings (app);
  g_autoptr(GDateTime) start = day_at (2, 10);
  BkBookingEditor *editor;
  BkCalendarView *view;
  BkDevicePage *page;
  BkWindow *window;
  BkDevice *device;
  BkBooking *booking;
  g_autoptr(GPtrArray) all = NULL;
  const char *problem;

  g_assert_true (bk_application_is_demo (app));
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, TIMEOUT_MS));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  bk_test_wait_until (loaded, app, TIMEOUT_MS);

  /* 1. The simulated cluster, onboarded with three slots. */
  device = bk_bridge_ui_test_onboard_demo (window, DOMAIN, 3);
  g_assert_nonnull (device);
  g_assert_cmpuint (bk_device_get_numeric_id_quantity (device), ==, 3);

  g_test_message ("step: %s", "2. A weekly");
  /* 2. A weekly meeting with three participants, in the editor. */
  editor = fill_editor (window, device, TITLE, 2, 6);
  bk_booking_editor_add_participant (editor, "Alice Chen", "alice@example.com", BK_DIAL_OUT);
  bk_booking_editor_add_participant (editor, "Bob Lin", "+886 2 1234 5678", BK_DIAL_OUT);
  bk_booking_editor_add_participant (editor, "Carol Wu", "sip:carol@example.com", BK_DIAL_IN);
  bk_test_wait_until (check_done, editor, TIMEOUT_MS);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (editor), "done-3-editor");
  save_editor (editor);
  all = bk_booking_store_dup_bookings (store);
  g_assert_cmpuint (all->len, ==, 1);
  booking = g_ptr_array_index (all, 0);
  g_assert_cmpstr (booking->title, ==, TITLE);
  g_assert_cmpint (booking->recurrence.kind, ==, BK_RECURRENCE_WEEKLY);
  g_assert_cmpuint (booking->participants->len, ==, 3);
  g_assert_cmpstr (booking->bridge_id, ==, bk_device_get_id (device));

  g_test_message ("step: %s", "3. In the week");
  /* 3. In the week, month and agenda views. */
  bk_window_select_calendar (window);
  view = BK_CALENDAR_VIEW (bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_CALENDAR_VIEW));
  bk_calendar_view_set_date (view, start);
  bk_calendar_view_set_mode (view, BK_CALENDAR_MODE_WEEK);
  wait_text (GTK_WIDGET (view), TITLE);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "done-4-week");
  bk_calendar_view_set_mode (view, BK_CALENDAR_MODE_MONTH);
  wait_text (GTK_WIDGET (view), TITLE);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "done-5-month");
  bk_calendar_view_set_mode (view, BK_CALENDAR_MODE_AGENDA);
  wait_text (GTK_WIDGET (view), TITLE);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "done-6-agenda");

  g_test_message ("step: %s", "4. On the");
  /* 4. On the bridge's Summary. */
  bk_window_select_device (window, device);
  page = bk_window_get_device_page (window);
  bk_device_page_show_tab (page, "summary", NULL);
  wait_text (bk_bridge_ui_test_child (page, "bookings_list"), TITLE);
  {
    GtkWidget *list = bk_bridge_ui_test_child (page, "bookings_list");
    GtkWidget *row = bk_ui_test_find_by_type (list, ADW_TYPE_ACTION_ROW);
    GtkWidget *group = gtk_widget_get_ancestor (list, ADW_TYPE_PREFERENCES_GROUP);

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), booking->slot_address));
    g_assert_nonnull (group);
    scroll_to_end (list);
  }
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "done-7-summary");

  g_test_message ("step: %s", "5. Two more");
  /* 5. Two more meetings at that time fill the three slots; a fourth is
   * refused inline, naming the meetings in the way. */
  save_editor (fill_editor (window, device, "Sales call", 2, 0));
  save_editor (fill_editor (window, device, "Engineering sync", 2, 0));
  editor = fill_editor (window, device, "A fourth meeting", 2, 0);
  bk_test_wait_until (check_done, editor, TIMEOUT_MS);
  problem = bk_booking_editor_get_problem (editor);
  g_test_message ("refused: %s", problem);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, TITLE));
  /* The busy time names its weekday in the language of the window:
   * "Tue 2026-12-08", "2026-12-08（週二）" (not the C library's "Tue" or
   * zh_TW's bare "二"). */
  {
    static const char *en[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static const char *zh[] = { "一", "二", "三", "四", "五", "六", "日" };
    int wd = g_date_time_get_day_of_week (start);
    g_autofree char *date = g_date_time_format (start, "%Y-%m-%d");
    g_autofree char *expected = in_chinese ()
      ? g_strdup_printf ("%s（週%s）", date, zh[wd - 1])
      : g_strdup_printf ("%s %s", en[wd - 1], date);

    g_assert_nonnull (strstr (problem, expected));
  }
  g_assert_false (gtk_widget_get_sensitive (bk_bridge_ui_test_child (editor, "save_button")));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (editor), "done-8-refused");
  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_cmpuint (bk_booking_store_get_n_bookings (store), ==, 3);
  scroll_to_end (bk_bridge_ui_test_child (page, "bookings_list"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "done-9-summary-full");

  g_test_message ("step: %s", "6. Exported");
  /* 6. Exported as .ics through the file chooser (GTK's own dialog when
   * there is no portal), and read back. */
  {
    g_autofree char *dir = g_build_filename (bk_test_get_tmpdir (), "export", NULL);
    g_autofree char *path = g_build_filename (dir, "weekly.ics", NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    GtkWindow *except[3] = { GTK_WINDOW (window), NULL, NULL };
    GtkWindow *chooser;
    GtkWidget *accept;
    icalcomponent *calendar;
    icalcomponent *event;

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    editor = bk_booking_editor_new (GTK_WINDOW (window), app, booking, NULL, NULL, 0);
    gtk_window_present (GTK_WINDOW (editor));
    bk_ui_test_wait_mapped (GTK_WIDGET (editor));
    except[1] = GTK_WINDOW (editor);
    /* Its date button names the weekday in the window's language too. */
    if (in_chinese ())
      g_assert_nonnull (strstr (gtk_menu_button_get_label (bk_bridge_ui_test_child (editor, "date_button")), "（週"));
    bk_bridge_ui_test_click (bk_bridge_ui_test_child (editor, "export_button"));
    chooser = bk_ui_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, except, TIMEOUT_MS);
    bk_ui_test_wait_mapped (GTK_WIDGET (chooser));
    g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
    /* The meeting's title is offered as the name. */
    {
      g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

      g_assert_cmpstr (name, ==, TITLE ".ics");
    }
    /* No PIN unless asked. */
    g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "pin"), ==, "false");
    bk_bridge_ui_test_screenshot (GTK_WIDGET (chooser), "done-10-export");
    /* The whole path typed as the name, as a person may. */
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
    /* The chooser reads it as that file. */
    {
      FolderWait fw = { GTK_FILE_CHOOSER (chooser), path };

      bk_test_wait_until (chooser_file_is, &fw, TIMEOUT_MS);
    }
    /* Its Export button, as a click. */
    accept = gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
    g_assert_nonnull (accept);
    g_assert_true (gtk_widget_is_sensitive (accept));
    g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);
    bk_bridge_ui_test_click (accept);
    bk_test_wait_until (chooser_gone, &chooser, TIMEOUT_MS);
    /* Written off the main loop; "Saved as" says when. */
    wait_text (GTK_WIDGET (window), "weekly.ics");
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    calendar = icalparser_parse_string (text);
    g_assert_nonnull (calendar);
    event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
    g_assert_nonnull (event);
    g_assert_cmpstr (icalcomponent_get_summary (event), ==, TITLE);
    g_assert_cmpstr (icalcomponent_get_location (event), ==, booking->slot_address);
    g_assert_nonnull (icalcomponent_get_first_property (event, ICAL_RRULE_PROPERTY));
    g_assert_nonnull (strstr (icalcomponent_get_description (event), booking->slot_address));
    icalcomponent_free (calendar);
    gtk_window_destroy (GTK_WINDOW (editor));
  }

  demo->ran = TRUE;
  /* Meetings may be due tomorrow: Quit asks first. */
  bk_ui_test_quit (app);
}

static void
activate_cb (GApplication *app,
             Demo         *demo)
{
  if (!demo->ran)
    run_demo (demo);
}

static void
test_done_when (void)
{
  Demo demo = { NULL, FALSE };
  char *argv[] = { (char *) "bridgekeeper", (char *) "--demo", NULL };
  int status;

  demo.app = bk_application_new ();
  /* Tests run in parallel on one session bus: the demo's unique ID must
   * not make this one activate another test's demo. */
  g_application_set_flags (G_APPLICATION (demo.app),
                           g_application_get_flags (G_APPLICATION (demo.app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (demo.app, "activate", G_CALLBACK (activate_cb), &demo);
  status = g_application_run (G_APPLICATION (demo.app), 2, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (demo.ran);
  g_object_unref (demo.app);
}

int
main (int    argc,
      char **argv)
{
  bk_ui_test_init (&argc, &argv);
  zone = bk_booking_editor_local_zone_name ();
  /* The zh_TW run is under a real zh_TW.UTF-8 locale (compiled into the
   * build tree, LOCPATH) when the machine can make one; CI must. */
  if (in_chinese ())
    {
      const char *time_locale = setlocale (LC_TIME, NULL);

      g_test_message ("LC_TIME is %s", time_locale);
      if (g_getenv ("CI") != NULL)
        g_assert_cmpstr (time_locale, ==, "zh_TW.UTF-8");
    }

  g_test_add_func ("/done-when/bookings", test_done_when);

  return g_test_run ();
}
