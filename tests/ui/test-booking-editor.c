/* test-booking-editor.c: the booking editor, driven as a person would, on
 * the application's real booking store and a bridge onboarded on the
 * simulator; the exported .ics read back with libical
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingEditor"

#include "config.h"

#include <libical/ical.h>
#include <string.h>

#include "bk-booking-editor.h"
#include "bk-booking-export.h"
#include "bk-booking-file.h"
#include "bk-booking-ical.h"
#include "bk-calendar-util.h"
#include "bk-bridge-ui-test.h"
#include "bk-calendar-view.h"
#include "bk-ics-export.h"
#include "bk-ics-import.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS
#define ZONE "Europe/Berlin"
#define DOMAIN "meet.example.com"

static BkSimCluster *sim;
static BkSimCluster *second_sim;   /* a second bridge, for routing */
static BkDevice *bridge;   /* 3 slots */

/* Helpers */

static BkApplication *
app (void)
{
  return bk_ui_test_get_app ();
}

static BkBookingStore *
store (void)
{
  return bk_application_get_bookings (app ());
}

static gboolean
bookings_loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (app ());
}

/* The bridge, onboarded once for all tests; every booking removed. */
static void
setup (void)
{
  g_autoptr(GPtrArray) all = NULL;

  bk_test_wait_until (bookings_loaded, NULL, TIMEOUT_MS);
  g_assert_null (bk_booking_store_get_load_error (store ()));
  if (bridge == NULL)
    bridge = bk_bridge_ui_test_onboard (sim, "Taipei Bridge", DOMAIN, 3);
  all = bk_booking_store_dup_bookings (store ());
  for (guint i = 0; i < all->len; i++)
    bk_booking_store_remove (store (), ((BkBooking *) g_ptr_array_index (all, i))->uid);
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

static gboolean
check_done (gpointer data)
{
  return !bk_booking_editor_get_check_pending (data);
}

/* Waits for the check that follows typing. */
static void
wait_checked (BkBookingEditor *editor)
{
  bk_test_wait_until (check_done, editor, TIMEOUT_MS);
}

static gpointer
child (BkBookingEditor *editor,
       const char      *name)
{
  return bk_bridge_ui_test_child (editor, name);
}

static void
set_text (BkBookingEditor *editor,
          const char      *row,
          const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, row)), text);
}

static gboolean
save_sensitive (BkBookingEditor *editor)
{
  return gtk_widget_get_sensitive (child (editor, "save_button"));
}

static guint
bridge_position (void)
{
  /* "Automatic" first, then the listed bridges. */
  BkDeviceStore *devices = bk_application_get_store (app ());

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (devices)); i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (devices), i);

      if (d == bridge)
        return i + 1;
    }
  g_assert_not_reached ();
}

/* A booking on the bridge, saved through the store as the editor would. */
static BkBooking *
book (const char *title,
      GDateTime  *start,
      GDateTime  *end,
      guint       weekly_count)
{
  g_autoptr(BkBooking) b = bk_booking_new (title, ZONE, start, end);
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };

  b->automatic_bridge = FALSE;
  bk_booking_set_string (&b->bridge_id, bk_device_get_id (bridge));
  if (weekly_count > 0)
    {
      b->recurrence.kind = BK_RECURRENCE_WEEKLY;
      b->recurrence.interval = 1;
      b->recurrence.weekdays = BK_WEEKDAY_FROM_ISO (g_date_time_get_day_of_week (start));
      b->recurrence.count = weekly_count;
    }
  bk_application_fill_rules (app (), &rules, &bridges);
  g_assert_true (bk_booking_store_save (store (), &rules, b, NULL, &error));
  g_assert_no_error (error);
  return bk_booking_ref (bk_booking_store_lookup (store (), b->uid));
}

static gboolean
weak_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

typedef struct
{
  GObject      *source;
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *w = user_data;

  w->source = source;
  w->result = g_object_ref (result);
}

static gboolean
waiter_done (gpointer data)
{
  return ((Waiter *) data)->result != NULL;
}

static char *
lookup_pin (const char *uid)
{
  Waiter w = { NULL };
  g_autoptr(GError) error = NULL;
  char *pin;

  bk_secrets_lookup_async (bk_application_get_secrets (app ()), uid, BK_SECRET_KIND_BOOKING_PIN,
                           NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, TIMEOUT_MS);
  pin = bk_secrets_lookup_finish (bk_application_get_secrets (app ()), w.result, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return pin;
}

static gboolean
pin_shown (gpointer data)
{
  return *gtk_editable_get_text (child (data, "pin_row")) != '\0';
}

static gboolean
pin_gone (gpointer data)
{
  g_autofree char *pin = lookup_pin (data);

  return pin == NULL;
}

/* Presses Undo on the main window's toast. */
static void
click_undo (BkWindow *window)
{
  GtkWidget *undo = bk_ui_test_find_by_text (GTK_WIDGET (window), "Undo");

  g_assert_nonnull (undo);
  g_assert_true (GTK_IS_BUTTON (undo));
  bk_bridge_ui_test_click (undo);
}

/* As a click on the dialog's button: the response, then the dialog
 * closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  bk_bridge_ui_test_wait_destroyed (dialog);
  g_object_unref (dialog);
}

/* An editor on @window for @booking's occurrence at @rid (@booking NULL:
 * a new one from @start to @end), shown. */
static BkBookingEditor *
open_editor (BkWindow  *window,
             BkBooking *booking,
             GDateTime *start,
             GDateTime *end,
             gint64     rid)
{
  BkBookingEditor *editor = bk_booking_editor_new (GTK_WINDOW (window), app (), booking, start, end, rid);

  gtk_window_present (GTK_WINDOW (editor));
  bk_ui_test_wait_mapped (GTK_WIDGET (editor));
  return editor;
}

/* Clicks Save on *@editor, which saves without asking and closes; waits
 * until it has (*@editor NULL). */
static void
save_and_wait_closed (BkBookingEditor **editor)
{
  g_object_add_weak_pointer (G_OBJECT (*editor), (gpointer *) editor);
  bk_bridge_ui_test_click (child (*editor, "save_button"));
  bk_test_wait_until (weak_cleared, editor, TIMEOUT_MS);
}

/* Clicks @button on *@editor, which asks in a dialog (returned) and is
 * to close once answered: *@editor is cleared when it has (see
 * answer_and_wait_closed()). */
static AdwMessageDialog *
click_and_ask (BkBookingEditor **editor,
               const char       *button)
{
  g_object_add_weak_pointer (G_OBJECT (*editor), (gpointer *) editor);
  bk_bridge_ui_test_click (child (*editor, button));
  return bk_bridge_ui_test_wait_dialog (GTK_WINDOW (*editor));
}

/* Answers @dialog with @response and waits until the editor it asked for
 * has closed (*@editor NULL). */
static void
answer_and_wait_closed (AdwMessageDialog  *dialog,
                        const char        *response,
                        BkBookingEditor  **editor)
{
  respond (dialog, response);
  bk_test_wait_until (weak_cleared, editor, TIMEOUT_MS);
}

/* Tests */

/* A weekly meeting with three participants and a PIN, booked through the
 * form: the store keeps it on the bridge's lowest free slot, the PIN goes
 * to the keyring; a wrong address on the way is shown on its row and keeps
 * Save off. */
static void
test_create (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (2, 10);
  g_autoptr(GDateTime) end = day_at (2, 11);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *expected_address = NULL;
  BkBooking *b;
  guint bad;

  setup ();
  window = bk_ui_test_open_window ();
  editor = open_editor (window, NULL, start, end, 0);
  bk_ui_test_assert_all_named (GTK_WIDGET (editor));

  /* An empty title is refused before anything is typed. */
  g_assert_nonnull (bk_booking_editor_get_problem (editor));
  g_assert_false (save_sensitive (editor));

  set_text (editor, "title_row", "Weekly operations review");
  bk_bridge_ui_test_choose_zone (editor, ZONE, ZONE);
  set_text (editor, "start_row", "10:00");
  set_text (editor, "end_row", "11:00");
  adw_combo_row_set_selected (child (editor, "repeat_row"), 2 /* weekly */);
  g_assert_true (gtk_widget_get_visible (child (editor, "weekdays_row")));
  adw_combo_row_set_selected (child (editor, "ends_row"), 1 /* after a count */);
  gtk_spin_button_set_value (child (editor, "count_spin"), 6);
  adw_combo_row_set_selected (child (editor, "bridge_row"), bridge_position ());
  set_text (editor, "pin_row", "4321");
  bk_booking_editor_add_participant (editor, "Alice", "alice@example.com", BK_DIAL_OUT);
  bk_booking_editor_add_participant (editor, "Bob", "+886 2 1234 5678", BK_DIAL_OUT);
  bad = bk_booking_editor_add_participant (editor, "Carol", "carol at example", BK_DIAL_IN);

  /* Nothing is checked while the person is still typing. */
  g_assert_true (bk_booking_editor_get_check_pending (editor));

  /* It fits a phone's 360 pixels, participants included. */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (editor), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_test_message ("editor minimum width %d", minimum);
    g_assert_cmpint (minimum, <=, 360 + 2 * 24 /* the client-side shadow */);
    gtk_window_set_default_size (GTK_WINDOW (editor), 360, 720);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (editor), "booking-editor-narrow");
    gtk_window_set_default_size (GTK_WINDOW (editor), 640, 760);
  }
  wait_checked (editor);
  g_assert_nonnull (bk_booking_editor_get_problem (editor));
  g_assert_false (save_sensitive (editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bk_booking_editor_get_participant_error (editor, bad))));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (bk_booking_editor_get_participant_address (editor, bad)), "error"));
  g_assert_true (gtk_revealer_get_reveal_child (child (editor, "problem_revealer")));

  gtk_editable_set_text (bk_booking_editor_get_participant_address (editor, bad), "sip:carol@example.com");
  /* A PIN is typed on a keypad: digits only. */
  set_text (editor, "pin_row", "43a1");
  wait_checked (editor);
  g_assert_nonnull (strstr (bk_booking_editor_get_problem (editor), "PIN"));
  g_assert_false (save_sensitive (editor));
  set_text (editor, "pin_row", "4321");
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bk_booking_editor_get_participant_error (editor, bad))));
  g_assert_true (save_sensitive (editor));
  /* The slot the rules bound: the lowest free numeric ID of the bridge. */
  expected_address = g_strdup_printf ("%" G_GUINT64_FORMAT "@" DOMAIN, bk_device_get_numeric_id_base (bridge));
  g_assert_cmpstr (bk_booking_editor_get_slot_address (editor), ==, expected_address);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (editor, "slot_row")), expected_address));

  save_and_wait_closed (&editor);

  all = bk_booking_store_dup_bookings (store ());
  g_assert_cmpuint (all->len, ==, 1);
  b = g_ptr_array_index (all, 0);
  g_assert_cmpstr (b->title, ==, "Weekly operations review");
  g_assert_cmpstr (b->time_zone, ==, ZONE);
  g_assert_true (g_date_time_equal (b->start, start));
  g_assert_true (g_date_time_equal (b->end, end));
  g_assert_cmpint (b->recurrence.kind, ==, BK_RECURRENCE_WEEKLY);
  g_assert_cmpuint (b->recurrence.count, ==, 6);
  g_assert_cmpuint (b->recurrence.weekdays, ==, BK_WEEKDAY_FROM_ISO (g_date_time_get_day_of_week (start)));
  g_assert_cmpstr (b->bridge_id, ==, bk_device_get_id (bridge));
  g_assert_false (b->automatic_bridge);
  g_assert_cmpstr (b->slot_address, ==, expected_address);
  g_assert_cmpuint (b->participants->len, ==, 3);
  g_assert_cmpstr (((BkParticipant *) g_ptr_array_index (b->participants, 2))->address, ==, "sip:carol@example.com");
  g_assert_cmpint (((BkParticipant *) g_ptr_array_index (b->participants, 2))->direction, ==, BK_DIAL_IN);
  g_assert_true (b->has_pin);
  pin = lookup_pin (b->uid);
  g_assert_cmpstr (pin, ==, "4321");
  g_assert_true (bk_ui_test_window_has_toast (GTK_WIDGET (window)));

  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* The bridge has 3 slots: a fourth meeting at the same time is refused
 * inline, naming the bookings in the way, with Save off; moved to a free
 * time it is accepted, without Save being pressed in between. */
static void
test_conflict (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (3, 14);
  g_autoptr(GDateTime) end = day_at (3, 15);
  g_autoptr(BkBooking) a = NULL;
  g_autoptr(BkBooking) b = NULL;
  g_autoptr(BkBooking) c = NULL;
  const char *problem;

  setup ();
  a = book ("Board meeting", start, end, 0);
  b = book ("Sales call", start, end, 0);
  c = book ("Engineering sync", start, end, 0);
  window = bk_ui_test_open_window ();
  editor = open_editor (window, NULL, start, end, 0);

  set_text (editor, "title_row", "A fourth meeting");
  /* The times stay as typed when the zone changes. */
  bk_bridge_ui_test_choose_zone (editor, ZONE, ZONE);
  set_text (editor, "start_row", "14:00");
  set_text (editor, "end_row", "15:00");
  adw_combo_row_set_selected (child (editor, "bridge_row"), bridge_position ());
  wait_checked (editor);
  problem = bk_booking_editor_get_problem (editor);
  g_test_message ("refused: %s", problem);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "Board meeting"));
  g_assert_nonnull (strstr (problem, "Engineering sync"));
  /* The next free start (their end plus the early join) is offered. */
  g_assert_nonnull (strstr (problem, "15:05"));
  g_assert_false (save_sensitive (editor));
  g_assert_true (gtk_revealer_get_reveal_child (child (editor, "problem_revealer")));
  g_assert_cmpstr (gtk_label_get_text (child (editor, "problem_label")), ==, problem);
  g_assert_null (bk_booking_editor_get_slot_address (editor));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (editor), "booking-editor-conflict");

  /* Pressing Save anyway (by its signal) saves nothing. */
  g_signal_emit_by_name (child (editor, "save_button"), "clicked");
  g_assert_cmpuint (bk_booking_store_get_n_bookings (store ()), ==, 3);

  /* An hour later there is room. */
  set_text (editor, "start_row", "15:10");
  set_text (editor, "end_row", "16:00");
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  g_assert_true (save_sensitive (editor));
  g_assert_false (gtk_revealer_get_reveal_child (child (editor, "problem_revealer")));

  gtk_window_destroy (GTK_WINDOW (editor));
  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* Opening a booking shows it; a change is saved under the same UID with a
 * higher SEQUENCE, on the same slot. */
static void
test_edit (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (4, 9);
  g_autoptr(GDateTime) end = day_at (4, 10);
  g_autoptr(BkBooking) before = NULL;
  BkBooking *after;
  g_autofree char *uid = NULL;

  setup ();
  before = book ("Budget", start, end, 0);
  uid = g_strdup (before->uid);
  window = bk_ui_test_open_window ();
  editor = open_editor (window, before, NULL, NULL, g_date_time_to_unix (start));

  g_assert_cmpstr (gtk_editable_get_text (child (editor, "title_row")), ==, "Budget");
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "start_row")), ==, "09:00");
  g_assert_cmpstr (bk_booking_editor_get_time_zone (editor), ==, ZONE);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (editor, "zone_row")), ==, ZONE);
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "bridge_row")), ==, bridge_position ());
  g_assert_true (gtk_widget_get_visible (child (editor, "manage_group")));
  /* A one-off meeting has no "this meeting only". */
  g_assert_false (gtk_widget_get_visible (child (editor, "cancel_occurrence_button")));
  g_assert_null (bk_booking_editor_get_problem (editor));

  set_text (editor, "title_row", "Budget (final)");
  set_text (editor, "end_row", "10:30");
  wait_checked (editor);
  g_assert_true (save_sensitive (editor));
  save_and_wait_closed (&editor);

  g_assert_cmpuint (bk_booking_store_get_n_bookings (store ()), ==, 1);
  after = bk_booking_store_lookup (store (), uid);
  g_assert_nonnull (after);
  g_assert_cmpstr (after->title, ==, "Budget (final)");
  g_assert_cmpint (bk_booking_get_duration (after), ==, 90 * 60);
  g_assert_cmpuint (after->sequence, >, before->sequence);
  g_assert_cmpstr (after->slot_address, ==, before->slot_address);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* "Extend Automatically": a new booking's switch follows Preferences (the
 * "extend-automatically" setting, off by default); the booking keeps what
 * was chosen, and a booking opened again shows its own mode (turning it
 * off is saved too). */
static void
test_extend_switch (void)
{
  GSettings *settings = bk_application_get_settings (app ());
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (5, 9);
  g_autoptr(GDateTime) end = day_at (5, 10);
  g_autoptr(BkBooking) before = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *uid = NULL;
  BkBooking *after;

  setup ();
  g_assert_false (g_settings_get_boolean (settings, "extend-automatically"));
  window = bk_ui_test_open_window ();

  /* Off by default. */
  editor = bk_booking_editor_new (GTK_WINDOW (window), app (), NULL, start, end, 0);
  g_assert_false (gtk_switch_get_active (child (editor, "extend_switch")));
  gtk_window_destroy (GTK_WINDOW (editor));

  /* On in Preferences: on for a new booking, and saved so. */
  g_settings_set_boolean (settings, "extend-automatically", TRUE);
  editor = open_editor (window, NULL, start, end, 0);
  bk_ui_test_assert_all_named (GTK_WIDGET (editor));
  g_assert_true (gtk_switch_get_active (child (editor, "extend_switch")));
  g_assert_true (gtk_widget_get_sensitive (child (editor, "extend_row")));
  set_text (editor, "title_row", "Long review");
  bk_bridge_ui_test_choose_zone (editor, ZONE, ZONE);
  set_text (editor, "start_row", "09:00");
  set_text (editor, "end_row", "10:00");
  adw_combo_row_set_selected (child (editor, "bridge_row"), bridge_position ());
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  save_and_wait_closed (&editor);
  g_settings_reset (settings, "extend-automatically");
  all = bk_booking_store_dup_bookings (store ());
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (((BkBooking *) g_ptr_array_index (all, 0))->extend_mode, ==, BK_EXTEND_AUTOMATIC);

  /* Opened again (Preferences now off): its own mode; switched off, saved. */
  before = bk_booking_ref (g_ptr_array_index (all, 0));
  uid = g_strdup (before->uid);
  editor = open_editor (window, before, NULL, NULL, g_date_time_to_unix (start));
  g_assert_true (gtk_switch_get_active (child (editor, "extend_switch")));
  wait_checked (editor);
  gtk_switch_set_active (child (editor, "extend_switch"), FALSE);
  wait_checked (editor);
  g_assert_true (save_sensitive (editor));
  save_and_wait_closed (&editor);
  after = bk_booking_store_lookup (store (), uid);
  g_assert_nonnull (after);
  g_assert_cmpint (after->extend_mode, ==, BK_EXTEND_NONE);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
nothing_listed (gpointer model)
{
  return g_list_model_get_n_items (model) == 0;
}

/* The time zone is chosen from a searchable list of the zones that exist
 * (nothing can be typed that is not one), the local one by default. */
static void
test_time_zone (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (3, 10);
  g_autoptr(GDateTime) end = day_at (3, 11);
  g_autofree char *local = bk_booking_editor_local_zone_name ();
  GtkListView *list;
  GListModel *shown;
  BkBooking *saved;
  g_autoptr(GPtrArray) all = NULL;

  setup ();
  window = bk_ui_test_open_window ();
  editor = open_editor (window, NULL, start, end, 0);
  bk_ui_test_assert_all_named (GTK_WIDGET (editor));

  /* The local zone, shown; no text field to type a zone into. */
  g_assert_cmpstr (bk_booking_editor_get_time_zone (editor), ==, local);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (editor, "zone_row")), ==, local);
  g_assert_false (GTK_IS_EDITABLE (child (editor, "zone_row")));

  list = child (editor, "zone_list");
  shown = G_LIST_MODEL (gtk_list_view_get_model (list));
  /* Every IANA zone is offered (libical's list: over 300). */
  g_assert_cmpuint (g_list_model_get_n_items (shown), >, 300);

  /* Any part of the name, any case, a space for an underscore. */
  bk_bridge_ui_test_choose_zone (editor, "new york", "America/New_York");
  g_assert_cmpstr (bk_booking_editor_get_time_zone (editor), ==, "America/New_York");
  bk_bridge_ui_test_choose_zone (editor, "TAIPEI", "Asia/Taipei");
  g_assert_cmpstr (bk_booking_editor_get_time_zone (editor), ==, "Asia/Taipei");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (editor, "zone_row")), ==, "Asia/Taipei");
  bk_bridge_ui_test_screenshot (GTK_WIDGET (editor), "booking-editor-time-zone");

  /* A search that finds nothing lists nothing, and Enter keeps the zone. */
  gtk_menu_button_popup (child (editor, "zone_button"));
  gtk_editable_set_text (child (editor, "zone_search"), "Atlantis");
  bk_test_wait_until (nothing_listed, shown, TIMEOUT_MS);
  g_signal_emit_by_name (child (editor, "zone_search"), "activate");
  g_assert_cmpstr (bk_booking_editor_get_time_zone (editor), ==, "Asia/Taipei");
  gtk_popover_popdown (child (editor, "zone_popover"));

  /* The times are read in the chosen zone. */
  set_text (editor, "title_row", "Taipei stand-up");
  set_text (editor, "start_row", "10:00");
  set_text (editor, "end_row", "11:00");
  adw_combo_row_set_selected (child (editor, "bridge_row"), bridge_position ());
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  save_and_wait_closed (&editor);

  all = bk_booking_store_dup_bookings (store ());
  g_assert_cmpuint (all->len, ==, 1);
  saved = g_ptr_array_index (all, 0);
  g_assert_cmpstr (saved->time_zone, ==, "Asia/Taipei");
  g_assert_cmpint (g_date_time_get_hour (saved->start), ==, 10);
  g_assert_cmpint (g_date_time_get_utc_offset (saved->start) / G_TIME_SPAN_HOUR, ==, 8);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  if (!gtk_widget_get_mapped (root))
    return FALSE;
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;

  return has_label (w->root, w->text);
}

/* The bookings as the file holds them: flushed, then read by a new store. */
static BkBooking *
reload (const char *uid)
{
  const char *dir = bk_device_store_get_directory (bk_application_get_store (app ()));
  g_autoptr(BkBookingFile) file = bk_booking_file_new (dir);
  g_autoptr(BkBookingStore) again = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  g_autoptr(GError) error = NULL;
  Waiter w = { NULL };
  BkBooking *b;

  bk_booking_store_flush_async (store (), NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, TIMEOUT_MS);
  g_assert_true (bk_booking_store_flush_finish (store (), w.result, &error));
  g_clear_object (&w.result);
  bk_booking_store_load_async (again, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, TIMEOUT_MS);
  g_assert_true (bk_booking_store_load_finish (again, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
  b = bk_booking_store_lookup (again, uid);
  g_assert_nonnull (b);
  return bk_booking_ref (b);
}

static gboolean
early_join_is (gpointer data)
{
  return bk_booking_store_get_early_join (store ()) == GPOINTER_TO_INT (data);
}

/* Preferences' Early Join (a setting) is followed by the application's
 * store while it runs, not only read when the store is made. */
static void
test_early_join_setting (void)
{
  GSettings *settings = bk_application_get_settings (app ());

  setup ();
  g_assert_cmpuint (g_settings_get_uint (settings, "early-join-minutes"), ==, 5);
  g_assert_cmpint (bk_booking_store_get_early_join (store ()), ==, 5 * 60);
  g_settings_set_uint (settings, "early-join-minutes", 12);
  bk_test_wait_until (early_join_is, GINT_TO_POINTER (12 * 60), TIMEOUT_MS);
  g_assert_cmpint (bk_booking_index_get_early_join (bk_booking_store_get_index (store ())), ==, 12 * 60);
  g_settings_set_uint (settings, "early-join-minutes", 0);
  bk_test_wait_until (early_join_is, GINT_TO_POINTER (0), TIMEOUT_MS);
  g_settings_reset (settings, "early-join-minutes");
  bk_test_wait_until (early_join_is, GINT_TO_POINTER (5 * 60), TIMEOUT_MS);
}

/* One meeting of a weekly series, opened from the calendar, moved: Save
 * asks "This Occurrence" or "All Occurrences".  This Occurrence keeps an
 * exception (RECURRENCE-ID) checked by the rules, shown moved in the
 * calendar and kept in the file; All Occurrences moves the series by as
 * much; a change only the series can take leaves This Occurrence off. */
static void
test_edit_occurrence (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  AdwMessageDialog *dialog;
  g_autoptr(GDateTime) start = day_at (1, 16);
  g_autoptr(GDateTime) end = day_at (1, 17);
  g_autoptr(GDateTime) third = g_date_time_add_weeks (start, 2);
  g_autoptr(GDateTime) third_end = g_date_time_add_weeks (end, 2);
  g_autoptr(GDateTime) moved = g_date_time_add_hours (third, 2);        /* 18:00 */
  g_autoptr(GDateTime) moved_end = g_date_time_add_hours (third_end, 2);
  g_autoptr(GDateTime) full = g_date_time_add_hours (third, 4);         /* 20:00 */
  g_autoptr(GDateTime) full_end = g_date_time_add_hours (third, 5);
  g_autoptr(BkBooking) series = NULL;
  g_autoptr(BkBooking) from_file = NULL;
  g_autoptr(GArray) that_day = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (ZONE);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *date_label = NULL;
  const BkBookingException *e;
  BkBooking *after;
  guint sequence;

  setup ();
  series = book ("Stand-up", start, end, 4);
  /* Every slot is taken on the third meeting's day from 20:00 to 21:00. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("Evening %u", i);
      g_autoptr(BkBooking) b = book (title, full, full_end, 0);
    }
  window = bk_ui_test_open_window ();
  editor = open_editor (window, series, NULL, NULL, g_date_time_to_unix (third));

  /* The form shows the meeting opened, not the series' first. */
  date_label = g_date_time_format (third, "%Y-%m-%d");
  g_assert_nonnull (strstr (gtk_menu_button_get_label (child (editor, "date_button")), date_label));
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "start_row")), ==, "16:00");
  g_assert_null (bk_booking_editor_get_problem (editor));

  /* Moved into the full evening: refused inline, as that one meeting. */
  set_text (editor, "start_row", "20:00");
  set_text (editor, "end_row", "21:00");
  wait_checked (editor);
  g_assert_nonnull (bk_booking_editor_get_problem (editor));
  g_assert_nonnull (strstr (bk_booking_editor_get_problem (editor), "no free meeting slot"));
  g_assert_false (save_sensitive (editor));

  /* To 18:00: accepted; Save asks. */
  set_text (editor, "start_row", "18:00");
  set_text (editor, "end_row", "19:00");
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  bk_bridge_ui_test_click (child (editor, "save_button"));
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (editor));
  g_assert_true (adw_message_dialog_has_response (dialog, "this"));
  g_assert_true (adw_message_dialog_has_response (dialog, "all"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "this"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "booking-editor-this-or-all");
  /* Cancel saves nothing and leaves the editor open. */
  respond (dialog, "cancel");
  g_assert_cmpuint (bk_booking_store_lookup (store (), series->uid)->exceptions->len, ==, 0);
  dialog = click_and_ask (&editor, "save_button");
  answer_and_wait_closed (dialog, "this", &editor);

  after = bk_booking_store_lookup (store (), series->uid);
  g_assert_cmpuint (after->sequence, >, series->sequence);
  sequence = after->sequence;
  g_assert_cmpuint (after->exceptions->len, ==, 1);
  e = g_ptr_array_index (after->exceptions, 0);
  g_assert_false (e->cancelled);
  g_assert_cmpint (g_date_time_to_unix (e->recurrence_id), ==, g_date_time_to_unix (third));
  g_assert_cmpint (g_date_time_to_unix (e->start), ==, g_date_time_to_unix (moved));
  g_assert_cmpint (g_date_time_to_unix (e->end), ==, g_date_time_to_unix (moved_end));
  /* The series itself is as it was. */
  g_assert_cmpint (g_date_time_to_unix (after->start), ==, g_date_time_to_unix (start));

  /* What the calendar is shown: that day has the meeting at 18:00 only. */
  that_day = bk_booking_store_query (store (), NULL, g_date_time_to_unix (third) - 12 * 3600,
                                     g_date_time_to_unix (third) + 12 * 3600);
  {
    guint n = 0;

    for (guint i = 0; i < that_day->len; i++)
      {
        const BkIndexedOccurrence *io = &g_array_index (that_day, BkIndexedOccurrence, i);

        if (g_strcmp0 (io->booking->uid, series->uid) != 0)
          continue;
        n++;
        g_assert_true (io->occurrence.moved);
        g_assert_cmpint (io->occurrence.start, ==, g_date_time_to_unix (moved));
      }
    g_assert_cmpuint (n, ==, 1);
  }
  /* And the calendar's agenda shows its new times. */
  {
    GtkWidget *view = bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_CALENDAR_VIEW);
    g_autofree char *times = bk_calendar_format_times (local, g_date_time_to_unix (moved),
                                                       g_date_time_to_unix (moved_end));
    LabelWait lw = { view, times };

    bk_window_select_calendar (window);
    bk_calendar_view_set_date (BK_CALENDAR_VIEW (view), third);
    bk_calendar_view_set_mode (BK_CALENDAR_VIEW (view), BK_CALENDAR_MODE_AGENDA);
    bk_test_wait_until (label_shown, &lw, TIMEOUT_MS);
  }

  /* Through the file: the exception is read back. */
  from_file = reload (series->uid);
  g_assert_cmpuint (from_file->exceptions->len, ==, 1);
  e = g_ptr_array_index (from_file->exceptions, 0);
  g_assert_false (e->cancelled);
  g_assert_cmpint (g_date_time_to_unix (e->recurrence_id), ==, g_date_time_to_unix (third));
  g_assert_cmpint (g_date_time_to_unix (e->start), ==, g_date_time_to_unix (moved));
  g_assert_cmpint (g_date_time_to_unix (e->end), ==, g_date_time_to_unix (moved_end));

  /* The second meeting alone gets its own title and notes (kept as its
   * exception, in the file too); the series keeps its own. */
  {
    gint64 second = g_date_time_to_unix (start) + 7 * 86400;
    g_autoptr(BkBooking) reread = NULL;

    editor = open_editor (window, after, NULL, NULL, second);
    set_text (editor, "title_row", "Stand-up (demo day)");
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (editor, "notes_view")), "Bring the demo", -1);
    wait_checked (editor);
    g_assert_null (bk_booking_editor_get_problem (editor));
    dialog = click_and_ask (&editor, "save_button");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "this"));
    answer_and_wait_closed (dialog, "this", &editor);

    after = bk_booking_store_lookup (store (), series->uid);
    g_assert_cmpstr (after->title, ==, "Stand-up");
    g_assert_cmpuint (after->exceptions->len, ==, 2);
    g_assert_cmpstr (bk_booking_get_occurrence_title (after, second), ==, "Stand-up (demo day)");
    g_assert_cmpstr (bk_booking_get_occurrence_notes (after, second), ==, "Bring the demo");
    g_assert_cmpstr (bk_booking_get_occurrence_title (after, g_date_time_to_unix (start)), ==, "Stand-up");
    /* The calendar names that meeting by its own title. */
    {
      GtkWidget *view = bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_CALENDAR_VIEW);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (second);
      LabelWait lw = { view, "Stand-up (demo day)" };

      bk_calendar_view_set_date (BK_CALENDAR_VIEW (view), when);
      bk_test_wait_until (label_shown, &lw, TIMEOUT_MS);
    }
    reread = reload (series->uid);
    g_assert_cmpstr (bk_booking_get_occurrence_title (reread, second), ==, "Stand-up (demo day)");
    g_assert_cmpstr (bk_booking_get_occurrence_notes (reread, second), ==, "Bring the demo");
    g_assert_cmpstr (bk_booking_get_occurrence_title (reread, g_date_time_to_unix (third)), ==, "Stand-up");
    /* Opened again, the form shows that meeting's own title. */
    editor = bk_booking_editor_new (GTK_WINDOW (window), app (), after, NULL, NULL, second);
    g_assert_cmpstr (gtk_editable_get_text (child (editor, "title_row")), ==, "Stand-up (demo day)");
    g_object_ref (editor);
    gtk_window_destroy (GTK_WINDOW (editor));
    bk_bridge_ui_test_wait_destroyed (editor);
    g_object_unref (editor);
    sequence = after->sequence;
  }

  /* Another type can only be the series': This Occurrence is off (a new
   * participant goes with it to every meeting). */
  editor = open_editor (window, after, NULL, NULL, g_date_time_to_unix (start) + 21 * 86400);
  bk_booking_editor_add_participant (editor, "Alice", "alice@example.com", BK_DIAL_OUT);
  adw_combo_row_set_selected (child (editor, "type_row"), BK_BOOKING_TYPE_RESERVATION);
  /* And 15:00 for every meeting. */
  set_text (editor, "start_row", "15:00");
  set_text (editor, "end_row", "16:00");
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  dialog = click_and_ask (&editor, "save_button");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "this"));
  answer_and_wait_closed (dialog, "all", &editor);

  after = bk_booking_store_lookup (store (), series->uid);
  g_assert_cmpuint (after->sequence, >, sequence);
  g_assert_cmpstr (after->title, ==, "Stand-up");
  g_assert_cmpuint (after->participants->len, ==, 1);
  g_assert_cmpint (after->type, ==, BK_BOOKING_TYPE_RESERVATION);
  /* The first meeting stays on its day, at 15:00; the changed ones stay. */
  {
    g_autoptr(GDateTime) first = g_date_time_to_timezone (after->start, tz);

    g_assert_cmpint (g_date_time_get_day_of_month (first), ==, g_date_time_get_day_of_month (start));
    g_assert_cmpint (g_date_time_get_hour (first), ==, 15);
    g_assert_cmpint (bk_booking_get_duration (after), ==, 3600);
  }
  g_assert_cmpuint (after->exceptions->len, ==, 2);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* Participant addresses of the occurrence originally at @rid, joined. */
static char *
people_of (BkBooking *b,
           gint64     rid)
{
  GPtrArray *list = bk_booking_get_occurrence_participants (b, rid);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                            ((BkParticipant *) g_ptr_array_index (list, i))->address);
  return g_string_free (out, FALSE);
}

/* One meeting of a weekly series gets its own participants (Carol joins
 * only that week): This Occurrence is allowed, only that meeting has her
 * (in the store, in the file, in an exported .ics), and the form shows her
 * when that meeting is opened again; a series-only change is still refused
 * for one meeting. */
static void
test_occurrence_participants (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  AdwMessageDialog *dialog;
  g_autoptr(GDateTime) start = day_at (1, 9);
  g_autoptr(GDateTime) end = day_at (1, 10);
  g_autoptr(BkBooking) series = NULL;
  g_autoptr(BkBooking) from_file = NULL;
  gint64 first = g_date_time_to_unix (start);
  gint64 second = first + 7 * 86400;
  gint64 third = first + 14 * 86400;
  BkBooking *after;

  setup ();
  {
    g_autoptr(BkBooking) plain = book ("Weekly sync", start, end, 4);
    g_autoptr(BkBooking) with_alice = bk_booking_copy (plain);
    g_autoptr(GPtrArray) bridges = NULL;
    g_autoptr(GError) error = NULL;
    BkBookingRules rules = { 0 };

    bk_booking_add_participant (with_alice, "Alice", "alice@example.com", BK_DIAL_OUT);
    bk_application_fill_rules (app (), &rules, &bridges);
    g_assert_true (bk_booking_store_save (store (), &rules, with_alice, NULL, &error));
    g_assert_no_error (error);
    series = bk_booking_ref (bk_booking_store_lookup (store (), plain->uid));
  }
  window = bk_ui_test_open_window ();

  editor = open_editor (window, series, NULL, NULL, second);
  g_assert_cmpstr (gtk_editable_get_text (bk_booking_editor_get_participant_address (editor, 0)), ==,
                   "alice@example.com");
  bk_booking_editor_add_participant (editor, "Carol", "carol@example.com", BK_DIAL_OUT);
  /* Any typing runs the check; the form is checked as that one meeting. */
  set_text (editor, "title_row", "Weekly sync");
  wait_checked (editor);
  g_assert_null (bk_booking_editor_get_problem (editor));
  dialog = click_and_ask (&editor, "save_button");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "this"));
  answer_and_wait_closed (dialog, "this", &editor);

  /* In the store: only the second meeting has Carol. */
  after = bk_booking_store_lookup (store (), series->uid);
  g_assert_cmpuint (after->sequence, >, series->sequence);
  g_assert_cmpuint (after->participants->len, ==, 1);
  {
    g_autofree char *p1 = people_of (after, first);
    g_autofree char *p2 = people_of (after, second);
    g_autofree char *p3 = people_of (after, third);

    g_assert_cmpstr (p1, ==, "alice@example.com");
    g_assert_cmpstr (p2, ==, "alice@example.com carol@example.com");
    g_assert_cmpstr (p3, ==, "alice@example.com");
  }
  /* Its times are the series' still. */
  {
    const BkBookingException *e = bk_booking_find_exception (after, second);

    g_assert_nonnull (e);
    g_assert_cmpint (g_date_time_to_unix (e->start), ==, second);
  }

  /* Through the file. */
  from_file = reload (series->uid);
  g_assert_true (bk_booking_equal (from_file, after));
  {
    g_autofree char *p1 = people_of (from_file, first);
    g_autofree char *p2 = people_of (from_file, second);

    g_assert_cmpstr (p1, ==, "alice@example.com");
    g_assert_cmpstr (p2, ==, "alice@example.com carol@example.com");
  }

  /* Through an exported .ics read back (as an import does). */
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();
    g_autofree char *ics = NULL;
    g_autoptr(GPtrArray) read = NULL;
    g_autoptr(GError) error = NULL;

    g_ptr_array_add (one, after);
    ics = bk_booking_export_ics (one, NULL);
    g_assert_nonnull (strstr (ics, "carol@example.com"));
    read = bk_booking_ical_read (ics, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (read->len, ==, 1);
    {
      g_autofree char *p1 = people_of (g_ptr_array_index (read, 0), first);
      g_autofree char *p2 = people_of (g_ptr_array_index (read, 0), second);

      g_assert_cmpstr (p1, ==, "alice@example.com");
      g_assert_cmpstr (p2, ==, "alice@example.com carol@example.com");
    }
  }

  /* Opened again: the second meeting's form lists Carol, the first's not. */
  editor = bk_booking_editor_new (GTK_WINDOW (window), app (), after, NULL, NULL, second);
  g_assert_cmpstr (gtk_editable_get_text (bk_booking_editor_get_participant_address (editor, 1)), ==,
                   "carol@example.com");
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);
  editor = bk_booking_editor_new (GTK_WINDOW (window), app (), after, NULL, NULL, third);
  g_assert_nonnull (bk_booking_editor_get_participant_address (editor, 0));
  g_assert_null (bk_booking_editor_get_participant_address (editor, 1));
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);

  /* Participants and another type: the type is the series'; This
   * Occurrence is off, with its sentence. */
  editor = open_editor (window, after, NULL, NULL, third);
  bk_booking_editor_add_participant (editor, "Dave", "dave@example.com", BK_DIAL_OUT);
  adw_combo_row_set_selected (child (editor, "type_row"), BK_BOOKING_TYPE_RESERVATION);
  wait_checked (editor);
  bk_bridge_ui_test_click (child (editor, "save_button"));
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (editor));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "this"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "notes or participants can be given to one meeting"));
  respond (dialog, "cancel");
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);
  g_assert_cmpuint (bk_booking_store_lookup (store (), series->uid)->sequence, ==, after->sequence);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* One meeting of a weekly series is cancelled after a confirmation; the
 * others stay, and Undo is offered on the main window. */
static void
test_cancel_occurrence (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (1, 16);
  g_autoptr(GDateTime) end = day_at (1, 17);
  g_autoptr(GDateTime) second = g_date_time_add_weeks (start, 1);
  g_autoptr(BkBooking) series = NULL;
  g_autoptr(GArray) occurrences = NULL;
  AdwMessageDialog *dialog;
  BkBooking *after;

  setup ();
  series = book ("Stand-up", start, end, 4);
  window = bk_ui_test_open_window ();
  editor = open_editor (window, series, NULL, NULL, g_date_time_to_unix (second));
  g_assert_true (gtk_widget_get_visible (child (editor, "cancel_occurrence_button")));

  /* "Keep" changes nothing. */
  bk_bridge_ui_test_click (child (editor, "cancel_occurrence_button"));
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (editor));
  respond (dialog, "keep");
  g_assert_cmpuint (bk_booking_store_lookup (store (), series->uid)->exceptions->len, ==, 0);

  dialog = click_and_ask (&editor, "cancel_occurrence_button");
  answer_and_wait_closed (dialog, "cancel-booking", &editor);

  after = bk_booking_store_lookup (store (), series->uid);
  g_assert_nonnull (after);
  g_assert_cmpuint (after->exceptions->len, ==, 1);
  g_assert_true (((BkBookingException *) g_ptr_array_index (after->exceptions, 0))->cancelled);
  occurrences = bk_booking_expand_all (after, NULL);
  g_assert_cmpuint (occurrences->len, ==, 3);
  for (guint i = 0; i < occurrences->len; i++)
    g_assert_cmpint (g_array_index (occurrences, BkOccurrence, i).start, !=, g_date_time_to_unix (second));
  g_assert_true (bk_ui_test_window_has_toast (GTK_WIDGET (window)));

  /* Undo brings the meeting back. */
  click_undo (window);
  g_assert_cmpuint (bk_booking_store_lookup (store (), series->uid)->exceptions->len, ==, 0);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* The whole series, cancelled and brought back with Undo (its PIN
 * kept), then cancelled for good: its PIN leaves the keyring once Undo is
 * no longer offered. */
static void
test_cancel_series (void)
{
  BkWindow *window;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (2, 8);
  g_autoptr(GDateTime) end = day_at (2, 9);
  g_autoptr(BkBooking) series = NULL;
  g_autoptr(BkBooking) with_pin = NULL;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  BkBookingRules rules = { 0 };
  Waiter w = { NULL };

  setup ();
  series = book ("Daily check", start, end, 3);
  with_pin = bk_booking_copy (series);
  with_pin->has_pin = TRUE;
  bk_application_fill_rules (app (), &rules, &bridges);
  g_assert_true (bk_booking_store_save (store (), &rules, with_pin, NULL, &error));
  bk_secrets_store_booking_pin_async (bk_application_get_secrets (app ()), series->uid, series->title, "55123",
                                      NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, TIMEOUT_MS);
  g_assert_true (bk_secrets_store_finish (bk_application_get_secrets (app ()), w.result, &error));
  g_clear_object (&w.result);

  window = bk_ui_test_open_window ();
  editor = bk_window_open_booking (window, series->uid, start);
  g_assert_nonnull (editor);
  bk_ui_test_wait_mapped (GTK_WIDGET (editor));
  /* The PIN is read back from the keyring into the form. */
  bk_test_wait_until (pin_shown, editor, TIMEOUT_MS);

  answer_and_wait_closed (click_and_ask (&editor, "cancel_series_button"), "cancel-booking", &editor);
  g_assert_null (bk_booking_store_lookup (store (), series->uid));

  click_undo (window);
  g_assert_nonnull (bk_booking_store_lookup (store (), series->uid));
  pin = lookup_pin (series->uid);
  g_assert_cmpstr (pin, ==, "55123");
  g_clear_pointer (&pin, g_free);

  /* Cancelled again, and the window closes: no Undo any more. */
  editor = bk_window_open_booking (window, series->uid, start);
  bk_ui_test_wait_mapped (GTK_WIDGET (editor));
  answer_and_wait_closed (click_and_ask (&editor, "cancel_series_button"), "cancel-booking", &editor);
  g_assert_null (bk_booking_store_lookup (store (), series->uid));
  bk_ui_test_close_window (GTK_WINDOW (window));
  bk_test_wait_until (pin_gone, series->uid, TIMEOUT_MS);
}

/* Export */

static icalcomponent *
export_and_read (GPtrArray *bookings,
                 gboolean   include_pin,
                 char     **text_out)
{
  g_autofree char *path = g_build_filename (bk_test_get_tmpdir (), "export.ics", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  Waiter w = { NULL };
  char *text = NULL;
  icalcomponent *calendar;

  bk_ics_export_write_async (app (), bookings, include_pin, file, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, TIMEOUT_MS);
  g_assert_true (bk_ics_export_write_finish (w.result, &error));
  g_assert_no_error (error);
  g_object_unref (w.result);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  *text_out = text;
  return calendar;
}

static void
test_export (void)
{
  g_autoptr(GDateTime) start = day_at (5, 10);
  g_autoptr(GDateTime) end = day_at (5, 11);
  g_autoptr(BkBooking) saved = NULL;
  g_autoptr(BkBooking) with_pin = NULL;
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_pin = NULL;
  g_autofree char *call_id = NULL;
  BkBookingRules rules = { 0 };
  icalcomponent *calendar;
  icalcomponent *vtz;
  icalcomponent *event;
  icalproperty *p;
  struct icaltimetype dtstart;
  Waiter w = { NULL };

  setup ();
  saved = book ("Quarterly results", start, end, 0);
  /* With a PIN in the keyring. */
  with_pin = bk_booking_copy (saved);
  with_pin->has_pin = TRUE;
  bk_application_fill_rules (app (), &rules, &bridges);
  g_assert_true (bk_booking_store_save (store (), &rules, with_pin, NULL, &error));
  bk_secrets_store_booking_pin_async (bk_application_get_secrets (app ()), saved->uid, saved->title, "80917",
                                      NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, TIMEOUT_MS);
  g_assert_true (bk_secrets_store_finish (bk_application_get_secrets (app ()), w.result, &error));
  g_object_unref (w.result);
  g_ptr_array_add (bookings, bk_booking_ref (bk_booking_store_lookup (store (), saved->uid)));

  calendar = export_and_read (bookings, FALSE, &text);
  g_test_message ("%s", text);
  /* The time zone is described, under the name the event uses. */
  vtz = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
  g_assert_nonnull (vtz);
  g_assert_cmpstr (icalproperty_get_tzid (icalcomponent_get_first_property (vtz, ICAL_TZID_PROPERTY)), ==, ZONE);
  g_assert_nonnull (icalcomponent_get_first_component (vtz, ICAL_XSTANDARD_COMPONENT));
  event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, "Quarterly results");
  p = icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY);
  g_assert_cmpstr (icalparameter_get_tzid (icalproperty_get_first_parameter (p, ICAL_TZID_PARAMETER)), ==, ZONE);
  dtstart = icalproperty_get_dtstart (p);
  g_assert_cmpint (dtstart.hour, ==, 10);
  g_assert_cmpint (dtstart.day, ==, g_date_time_get_day_of_month (start));
  /* The zone in the file gives the same instant as the booking. */
  {
    icaltimezone *zone = icaltimezone_new ();
    struct icaltimetype utc;

    g_assert_true (icaltimezone_set_component (zone, icalcomponent_new_clone (vtz)));
    dtstart.zone = zone;
    utc = icaltime_convert_to_zone (dtstart, icaltimezone_get_utc_timezone ());
    g_assert_cmpint (icaltime_as_timet (utc), ==, g_date_time_to_unix (start));
    icaltimezone_free (zone, TRUE);
  }
  g_assert_cmpstr (icalcomponent_get_location (event), ==, saved->slot_address);
  call_id = g_strdup_printf ("%" G_GUINT64_FORMAT, saved->slot_number);
  g_assert_nonnull (strstr (icalcomponent_get_description (event), saved->slot_address));
  g_assert_nonnull (strstr (icalcomponent_get_description (event), call_id));
  /* The PIN only when asked for; Bridgekeeper's own fields never. */
  g_assert_null (strstr (text, "80917"));
  g_assert_null (strstr (text, "X-BRIDGEKEEPER"));
  icalcomponent_free (calendar);

  calendar = export_and_read (bookings, TRUE, &text_pin);
  event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  g_assert_nonnull (strstr (icalcomponent_get_description (event), "80917"));
  icalcomponent_free (calendar);

  /* A range holds the bookings with a meeting in it, once each. */
  {
    g_autoptr(GDateTime) other_start = day_at (12, 10);
    g_autoptr(GDateTime) other_end = day_at (12, 11);
    g_autoptr(BkBooking) other = book ("Later", other_start, other_end, 0);
    g_autoptr(GPtrArray) everything = bk_booking_export_collect (store (), 0, G_MAXINT64);
    g_autoptr(GPtrArray) in_range = bk_booking_export_collect (store (), g_date_time_to_unix (start) - 86400,
                                                               g_date_time_to_unix (start) + 86400);

    g_assert_cmpuint (everything->len, ==, 2);
    g_assert_cmpstr (((BkBooking *) g_ptr_array_index (everything, 1))->uid, ==, other->uid);
    g_assert_cmpuint (in_range->len, ==, 1);
    g_assert_cmpstr (((BkBooking *) g_ptr_array_index (in_range, 0))->uid, ==, saved->uid);
  }
}

/* The main menu's New Booking opens the editor over the main window; a
 * booking that is gone is said so instead. */
static void
test_window (void)
{
  BkWindow *window;
  GtkWindow *except[2] = { NULL, NULL };
  GtkWindow *editor;

  setup ();
  window = bk_ui_test_open_window ();
  except[0] = GTK_WINDOW (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-booking", NULL));
  editor = bk_ui_test_wait_for_toplevel (BK_TYPE_BOOKING_EDITOR, except, TIMEOUT_MS);
  g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (editor));
  g_object_ref (editor);
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);

  g_assert_false (bk_ui_test_window_has_toast (GTK_WIDGET (window)));
  g_assert_null (bk_window_open_booking (window, "no-such-booking", NULL));
  g_assert_true (bk_ui_test_window_has_toast (GTK_WIDGET (window)));

  bk_ui_test_close_window (GTK_WINDOW (window));
}

static AdwComboRow *
find_combo_row (GtkWidget  *root,
                const char *title)
{
  g_autoptr(GPtrArray) rows = bk_ui_test_find_all_by_type (root, ADW_TYPE_COMBO_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* TMS's "Prefer MCU Type in Routing": the bridge chosen in Preferences is
 * the one an Automatic booking gets while it has room. */
static void
test_preferred_bridge (void)
{
  static BkDevice *second;
  GSettings *settings = bk_application_get_settings (app ());
  BkWindow *window;
  GtkWindow *except[2] = { NULL, NULL };
  GtkWindow *prefs;
  AdwComboRow *row;
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (6, 10);
  g_autoptr(GDateTime) end = day_at (6, 11);
  g_autofree char *preferred = NULL;

  setup ();
  if (second == NULL)
    {
      second_sim = bk_bridge_ui_test_start_sim (1);
      second = bk_bridge_ui_test_onboard (second_sim, "Berlin Bridge", "berlin.example.com", 3);
    }
  window = bk_ui_test_open_window ();
  except[0] = GTK_WINDOW (window);

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app ()), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (app ()), "preferences", NULL);
  prefs = bk_ui_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW, except, TIMEOUT_MS);
  row = find_combo_row (GTK_WIDGET (prefs), "Preferred Bridge");
  g_assert_nonnull (row);
  /* None, then the bridges in the list's order. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (bk_application_get_store (app ()))) + 1);
  for (guint i = 1; i < g_list_model_get_n_items (adw_combo_row_get_model (row)); i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (bk_application_get_store (app ())), i - 1);

      if (d == second)
        adw_combo_row_set_selected (row, i);
    }
  preferred = g_settings_get_string (settings, "preferred-bridge");
  g_assert_cmpstr (preferred, ==, bk_device_get_id (second));
  g_object_ref (prefs);
  gtk_window_destroy (prefs);
  g_object_unref (prefs);

  editor = open_editor (window, NULL, start, end, 0);
  set_text (editor, "title_row", "Routed meeting");
  wait_checked (editor);
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "bridge_row")), ==, 0);
  g_assert_null (bk_booking_editor_get_problem (editor));
  g_assert_true (g_str_has_suffix (bk_booking_editor_get_slot_address (editor), "@berlin.example.com"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (editor, "slot_row")), "Berlin Bridge"));

  /* Another preference, another bridge, as the person types on. */
  g_settings_set_string (settings, "preferred-bridge", bk_device_get_id (bridge));
  set_text (editor, "title_row", "Routed meeting 2");
  wait_checked (editor);
  g_assert_true (g_str_has_suffix (bk_booking_editor_get_slot_address (editor), "@" DOMAIN));

  g_settings_reset (settings, "preferred-bridge");
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* An exported file books its meetings again (the rules choose the slot);
 * meetings already booked are skipped; what the rules refuse is named. */
static void
test_import (void)
{
  g_autoptr(GDateTime) start = day_at (8, 9);
  g_autoptr(GDateTime) end = day_at (8, 10);
  g_autoptr(BkBooking) weekly = NULL;
  g_autoptr(BkBooking) a = NULL;
  g_autoptr(BkBooking) b = NULL;
  g_autoptr(BkBooking) c = NULL;
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *uid = NULL;
  guint booked, already, refused;
  BkBooking *back;

  setup ();
  weekly = book ("Imported review", start, end, 3);
  uid = g_strdup (weekly->uid);
  g_ptr_array_add (bookings, bk_booking_ref (weekly));
  text = bk_booking_export_ics (bookings, NULL);
  g_assert_true (bk_booking_store_remove (store (), uid));

  g_assert_true (bk_ics_import_text (app (), text, &booked, &already, &refused, &refusal, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (booked, ==, 1);
  g_assert_cmpuint (already, ==, 0);
  g_assert_cmpuint (refused, ==, 0);
  g_assert_null (refusal);
  back = bk_booking_store_lookup (store (), uid);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->title, ==, "Imported review");
  g_assert_cmpstr (back->time_zone, ==, ZONE);
  g_assert_true (g_date_time_equal (back->start, start));
  g_assert_cmpint (back->recurrence.kind, ==, BK_RECURRENCE_WEEKLY);
  g_assert_cmpuint (back->recurrence.count, ==, 3);
  g_assert_true (back->automatic_bridge);
  g_assert_cmpstr (back->slot_address, !=, "");

  /* Again: already booked. */
  g_assert_true (bk_ics_import_text (app (), text, &booked, &already, &refused, &refusal, &error));
  g_assert_cmpuint (booked, ==, 0);
  g_assert_cmpuint (already, ==, 1);

  /* With every slot taken at that time, it is refused with the rules'
   * sentence, and nothing is booked. */
  g_assert_true (bk_booking_store_remove (store (), uid));
  a = book ("Slot one", start, end, 0);
  b = book ("Slot two", start, end, 0);
  c = book ("Slot three", start, end, 0);
  g_assert_true (bk_ics_import_text (app (), text, &booked, &already, &refused, &refusal, &error));
  g_assert_cmpuint (booked, ==, 0);
  g_assert_cmpuint (refused, ==, 1);
  g_test_message ("refused: %s", refusal);
  g_assert_nonnull (strstr (refusal, "Imported review"));
  g_assert_nonnull (strstr (refusal, "Slot one"));
  g_assert_null (bk_booking_store_lookup (store (), uid));

  /* Not a calendar at all. */
  g_clear_pointer (&refusal, g_free);
  g_assert_false (bk_ics_import_text (app (), "hello", &booked, &already, &refused, &refusal, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static gboolean
ctrl_n_means (const char *action)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app ()), "<Control>n");

  return actions != NULL && g_strv_length (actions) == 1 && g_strcmp0 (actions[0], action) == 0;
}

static gboolean
ctrl_n_means_cb (gpointer data)
{
  return ctrl_n_means (data);
}

/* The window changes the accelerators once the page has switched. */
static void
wait_ctrl_n_means (const char *action)
{
  bk_test_wait_until (ctrl_n_means_cb, (gpointer) action, TIMEOUT_MS);
}

/* The calendar beside the bridges: Ctrl+N books a meeting while it is
 * shown; dragging over free time and opening a booking open the editor. */
static void
test_calendar (void)
{
  BkWindow *window;
  GtkWidget *view;
  GtkWindow *except[2] = { NULL, NULL };
  BkBookingEditor *editor;
  g_autoptr(GDateTime) start = day_at (3, 11);
  g_autoptr(GDateTime) end = day_at (3, 12);
  g_autoptr(GDateTime) local_start = g_date_time_to_local (start);
  g_autoptr(BkBooking) booking = NULL;
  g_autofree char *local_hhmm = g_date_time_format (local_start, "%H:%M");

  setup ();
  booking = book ("Calendar meeting", start, end, 0);
  window = bk_ui_test_open_window ();
  except[0] = GTK_WINDOW (window);
  view = bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_CALENDAR_VIEW);
  g_assert_nonnull (view);
  g_assert_true (bk_calendar_view_get_store (BK_CALENDAR_VIEW (view)) == store ());

  wait_ctrl_n_means ("win.add-bridge");
  g_assert_false (bk_window_get_calendar_shown (window));
  bk_window_select_calendar (window);
  g_assert_true (bk_window_get_calendar_shown (window));
  wait_ctrl_n_means ("win.new-booking");
  g_assert_true (gtk_widget_get_visible (bk_bridge_ui_test_child (window, "new_booking_button")));
  bk_calendar_view_set_date (BK_CALENDAR_VIEW (view), start);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "main-calendar");

  /* Dragging over free time: the editor with those times. */
  g_signal_emit_by_name (view, "create-booking", start, end);
  editor = BK_BOOKING_EDITOR (bk_ui_test_wait_for_toplevel (BK_TYPE_BOOKING_EDITOR, except, TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "start_row")), ==, local_hhmm);
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);

  /* Opening a booking: the editor on it. */
  g_signal_emit_by_name (view, "open-booking", booking->uid, start);
  editor = BK_BOOKING_EDITOR (bk_ui_test_wait_for_toplevel (BK_TYPE_BOOKING_EDITOR, except, TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (child (editor, "title_row")), ==, "Calendar meeting");
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  bk_bridge_ui_test_wait_destroyed (editor);
  g_object_unref (editor);

  /* Back to a bridge: Ctrl+N adds a bridge again. */
  bk_window_select_device (window, bridge);
  g_assert_false (bk_window_get_calendar_shown (window));
  g_assert_false (gtk_widget_get_visible (bk_bridge_ui_test_child (window, "new_booking_button")));
  wait_ctrl_n_means ("win.add-bridge");

  bk_ui_test_close_window (GTK_WINDOW (window));
}


int
main (int    argc,
      char **argv)
{
  int status;

  bk_ui_test_init (&argc, &argv);
  sim = bk_bridge_ui_test_start_sim (1);

  g_test_add_func ("/booking-editor/create", test_create);
  g_test_add_func ("/booking-editor/conflict", test_conflict);
  g_test_add_func ("/booking-editor/edit", test_edit);
  g_test_add_func ("/booking-editor/extend-switch", test_extend_switch);
  g_test_add_func ("/booking-editor/time-zone", test_time_zone);
  g_test_add_func ("/booking-editor/edit-occurrence", test_edit_occurrence);
  g_test_add_func ("/booking-editor/occurrence-participants", test_occurrence_participants);
  g_test_add_func ("/booking-editor/early-join-setting", test_early_join_setting);
  g_test_add_func ("/booking-editor/cancel-occurrence", test_cancel_occurrence);
  g_test_add_func ("/booking-editor/cancel-series", test_cancel_series);
  g_test_add_func ("/booking-editor/export", test_export);
  g_test_add_func ("/booking-editor/import", test_import);
  g_test_add_func ("/booking-editor/window", test_window);
  g_test_add_func ("/booking-editor/calendar", test_calendar);
  g_test_add_func ("/booking-editor/preferred-bridge", test_preferred_bridge);

  status = g_test_run ();

  bk_sim_cluster_stop (sim);
  g_clear_object (&sim);
  if (second_sim != NULL)
    bk_sim_cluster_stop (second_sim);
  g_clear_object (&second_sim);
  return status;
}
