/* test-done-when-engine.c: the conference engine's "done when", as a new
 * user in the demo: the simulated cluster onboarded, a meeting booked two
 * minutes ahead with three participants, the window closed, the "started"
 * notification, the window reopened, the legs connecting in the live
 * panel, the meeting's node taken down from the demo's Simulated Bridges
 * and the meeting failing over, extended, ended, and its slot reset on the
 * simulator.  Time is a fake clock (the engine's, injected), the bridges
 * are the demo's simulator, the notifications go to a notification server
 * on the test's session bus.  Run in English and in zh_TW; with
 * BK_SCREENSHOT_DIR each step is saved.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestDoneWhenEngine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-booking-editor.h"
#include "bk-bridge-ui-test.h"
#include "bk-demo-strip.h"
#include "bk-fake-clock.h"
#include "bk-meeting-panel.h"
#include "bk-notify-test.h"
#include "bk-value-row.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS
#define DOMAIN "meet.example.com"
#define TITLE "Project kickoff"

typedef struct
{
  BkApplication *app;
  BkClock       *clock;
  gboolean       started;   /* run_demo() began (a later activation reopens the window) */
  gboolean       ran;
} Demo;

static gboolean
loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (data);
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
no_window (gpointer data)
{
  return gtk_application_get_windows (data) == NULL;
}

typedef struct
{
  BkEngine      *engine;
  const char    *id;
  BkEngineState  state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *w = data;

  return bk_engine_get_state (w->engine, w->id) == w->state;
}

static void
wait_state (BkEngine      *engine,
            const char    *id,
            BkEngineState  state)
{
  StateWait w = { engine, id, state };

  bk_test_wait_until (state_is, &w, TIMEOUT_MS);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (engine, id)), ==,
                   bk_engine_state_to_string (state));
}

static gboolean
all_connected (gpointer data)
{
  BkMeeting *meeting = data;

  for (guint i = 0; i < bk_meeting_get_n_participants (meeting); i++)
    if (bk_meeting_get_participant_state (meeting, i) != BK_PARTICIPANT_CONNECTED)
      return FALSE;
  return TRUE;
}

/* The row of @id under Running Now, or NULL. */
static GtkListBoxRow *
running_row (BkWindow   *window,
             const char *id)
{
  GtkListBox *list = bk_window_get_running_list (window);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "bk-occurrence"), id) == 0)
      return row;
  return NULL;
}

typedef struct
{
  BkWindow   *window;
  const char *id;
} RowWait;

static gboolean
running_row_mapped (gpointer data)
{
  RowWait *w = data;
  GtkListBoxRow *row = running_row (w->window, w->id);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row));
}

typedef struct
{
  BkValueRow *row;
  const char *value;
} ValueWait;

static gboolean
value_is (gpointer data)
{
  ValueWait *w = data;

  return g_strcmp0 (bk_value_row_get_value (w->row), w->value) == 0;
}

/* The panel lists three participants as connected. */
static gboolean
three_connected (gpointer data)
{
  g_autoptr(GPtrArray) labels = bk_ui_test_find_all_by_type (data, GTK_TYPE_LABEL);
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (label)) &&
          g_str_has_suffix (gtk_label_get_text (label), _("Connected")))
        n++;
    }
  return n == 3;
}

/* The row's value names the node (its "host:port"). */
static gboolean
value_node_on (gpointer data)
{
  ValueWait *w = data;
  const char *colon = strrchr (w->value, ':');

  return colon != NULL && strstr (bk_value_row_get_value (w->row), colon) != NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return bk_bridge_ui_test_find_dialog (data) != NULL;
}

/* The clock's now as "HH:MM" in the local zone, @minutes ahead. */
static char *
clock_time (BkClock *clock,
            int      minutes)
{
  g_autoptr(GDateTime) now = bk_clock_now (clock);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, minutes);
  g_autoptr(GDateTime) local = g_date_time_to_local (later);

  return g_date_time_format (local, "%H:%M");
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

/* Books TITLE in the editor, two minutes ahead of the clock, 30 minutes
 * long, Automatic Connect, three participants dialled out; returns the
 * occurrence id. */
static char *
book_two_minutes_ahead (Demo     *demo,
                        BkWindow *window,
                        BkDevice *device)
{
  BkBookingStore *store = bk_application_get_bookings (demo->app);
  g_autoptr(GDateTime) now = bk_clock_now (demo->clock);
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, 2);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 32);
  g_autofree char *start_text = clock_time (demo->clock, 2);
  g_autofree char *end_text = clock_time (demo->clock, 32);
  g_autoptr(GPtrArray) all = NULL;
  BkBookingEditor *editor = bk_window_new_booking (window, start, end);
  BkBooking *booking;

  bk_ui_test_wait_mapped (GTK_WIDGET (editor));
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "title_row"), TITLE);
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "start_row"), start_text);
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "end_row"), end_text);
  adw_combo_row_set_selected (bk_bridge_ui_test_child (editor, "type_row"), BK_BOOKING_TYPE_AUTOMATIC_CONNECT);
  adw_combo_row_set_selected (bk_bridge_ui_test_child (editor, "bridge_row"),
                              bridge_position (demo->app, device));
  bk_booking_editor_add_participant (editor, "Alice Chen", "alice@example.com", BK_DIAL_OUT);
  bk_booking_editor_add_participant (editor, "Bob Lin", "bob@example.com", BK_DIAL_OUT);
  bk_booking_editor_add_participant (editor, "Carol Wu", "carol@example.com", BK_DIAL_OUT);
  bk_test_wait_until (check_done, editor, TIMEOUT_MS);
  if (bk_booking_editor_get_problem (editor) != NULL)
    g_error ("the booking is refused: %s", bk_booking_editor_get_problem (editor));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (editor), "engine-1-editor");
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (editor, "save_button"));
  bk_test_wait_until (weak_cleared, &editor, TIMEOUT_MS);

  all = bk_booking_store_dup_bookings (store);
  g_assert_cmpuint (all->len, ==, 1);
  booking = g_ptr_array_index (all, 0);
  g_assert_cmpstr (booking->title, ==, TITLE);
  g_assert_cmpint (booking->type, ==, BK_BOOKING_TYPE_AUTOMATIC_CONNECT);
  g_assert_cmpuint (booking->participants->len, ==, 3);
  g_assert_cmpuint (booking->slot_number, !=, 0);
  return bk_engine_occurrence_id (booking->uid, g_date_time_to_unix (booking->start));
}

static void
run_demo (Demo *demo)
{
  BkApplication *app = demo->app;
  BkEngine *engine = bk_application_get_engine (app);
  BkSimCluster *cluster = bk_application_get_demo_cluster (app);
  g_autofree char *id = NULL;
  g_autofree char *started = NULL;
  g_autofree char *space = NULL;
  BkMeetingPanel *panel;
  BkWindow *window;
  BkDevice *device;
  BkMeeting *meeting;

  g_assert_true (bk_application_is_demo (app));
  g_assert_nonnull (engine);
  g_assert_nonnull (cluster);
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, TIMEOUT_MS));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  bk_test_wait_until (loaded, app, TIMEOUT_MS);

  /* 1. The simulated cluster, onboarded. */
  device = bk_bridge_ui_test_onboard_demo (window, DOMAIN, 3);
  g_assert_nonnull (device);

  g_test_message ("step: %s", "2. Booked two minutes ahead");
  /* 2. A meeting two minutes ahead with three participants. Its early
   * join (5 minutes) has passed: it is activated now, and its
   * participants are called at its start (TMS does not dial out before
   * the scheduled start). */
  id = book_two_minutes_ahead (demo, window, device);

  g_test_message ("step: %s", "3. The window closed");
  /* 3. The window closed: the application runs the meeting and says so. */
  bk_ui_test_close_window (GTK_WINDOW (window));
  bk_test_wait_until (no_window, app, TIMEOUT_MS);
  g_assert_true (bk_application_get_held_in_background (app));
  wait_state (engine, id, BK_ENGINE_STATE_RUNNING);
  started = g_strdup_printf ("add booking-%s %s normal|", id, _("Meeting Started"));
  bk_notify_test_wait_call (started, TIMEOUT_MS);
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), TITLE));
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (cluster, -1), ==, 1);
  /* Not before its start: nobody called yet. */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (cluster, -1, "POST", "/api/v1/calls/"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (cluster, -1), ==, 0);

  g_test_message ("step: %s", "4. Reopened");
  /* 4. Three minutes later (its start has passed: it dialled then),
   * reopened (as a launch would): the legs connect, each dialled once. */
  bk_fake_clock_advance (BK_FAKE_CLOCK (demo->clock), 3 * 60 * G_USEC_PER_SEC);
  g_application_activate (G_APPLICATION (app));
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, TIMEOUT_MS));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  meeting = bk_engine_get_meeting (engine, id);
  g_assert_nonnull (meeting);
  g_assert_cmpuint (bk_meeting_get_n_participants (meeting), ==, 3);
  bk_test_wait_until (all_connected, meeting, TIMEOUT_MS);
  g_assert_true (all_connected (meeting));
  g_assert_cmpuint (bk_sim_cluster_get_request_count (cluster, -1, "POST", "/api/v1/calls/"), ==, 3);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "engine-2-reopened");

  g_test_message ("step: %s", "5. The live panel");
  /* 5. Running Now lists it; chosen, its live panel shows the legs
   * connected and the node it runs on. */
  {
    RowWait rw = { window, id };

    bk_test_wait_until (running_row_mapped, &rw, TIMEOUT_MS);
    gtk_list_box_select_row (bk_window_get_running_list (window), running_row (window, id));
  }
  g_assert_true (bk_window_get_meeting_shown (window));
  panel = BK_MEETING_PANEL (bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_MEETING_PANEL));
  g_assert_nonnull (panel);
  bk_ui_test_wait_mapped (GTK_WIDGET (panel));
  g_assert_cmpstr (bk_meeting_panel_get_occurrence (panel), ==, id);
  {
    const char *node = bk_value_row_get_value (bk_bridge_ui_test_child (panel, "node_row"));
    g_autofree char *port = g_strdup_printf (":%u", bk_sim_cluster_get_node_port (cluster, 0));

    g_assert_nonnull (strstr (node, port));
  }
  bk_test_wait_until (three_connected, panel, TIMEOUT_MS);
  g_assert_true (three_connected (panel));
  /* Named as booked. */
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (panel), "Alice Chen"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (panel), "Carol Wu"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "engine-3-panel");
  space = g_strdup (bk_meeting_get_space_id (meeting));
  g_assert_nonnull (space);

  g_test_message ("step: %s", "6. Failover");
  /* 6. The meeting's node taken down from the demo's Simulated Bridges:
   * the engine notices (two silent polls), re-creates the call on the
   * alternate and dials the participants again; a notification says so
   * and the panel shows the new node. */
  {
    GtkWidget *revealer = bk_bridge_ui_test_child (window, "demo_revealer");
    BkDemoStrip *strip = BK_DEMO_STRIP (gtk_revealer_get_child (GTK_REVEALER (revealer)));
    GtkWidget *nodes = bk_demo_strip_get_nodes_button (strip);
    GtkWidget *toggle = bk_demo_strip_get_node_switch (strip, 0);
    g_autofree char *moved = g_strdup_printf ("add booking-%s %s high|", id, _("Meeting Moved to Another Call Bridge"));
    g_autofree char *port1 = g_strdup_printf (":%u", bk_sim_cluster_get_node_port (cluster, 1));
    ValueWait vw = { bk_bridge_ui_test_child (panel, "node_row"), NULL };

    gtk_menu_button_popup (GTK_MENU_BUTTON (nodes));
    bk_ui_test_wait_mapped (toggle);
    gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
    g_assert_false (bk_sim_cluster_get_node_up (cluster, 0));
    gtk_menu_button_popdown (GTK_MENU_BUTTON (nodes));

    bk_notify_test_wait_call (moved, 60000);
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), TITLE));
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), bk_sim_cluster_get_node_name (cluster, 1)));
    g_assert_cmpint (bk_engine_get_state (engine, id), ==, BK_ENGINE_STATE_RUNNING);
    g_assert_nonnull (strstr (bk_engine_get_node_label (engine, id), port1));
    g_assert_cmpuint (bk_sim_cluster_get_n_calls (cluster, 1), ==, 1);
    meeting = bk_engine_get_meeting (engine, id);
    g_assert_nonnull (meeting);
    bk_test_wait_until (all_connected, meeting, TIMEOUT_MS);
    g_assert_true (all_connected (meeting));
    g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (cluster, 1), ==, 3);
    vw.value = bk_engine_get_node_label (engine, id);
    bk_test_wait_until (value_node_on, &vw, TIMEOUT_MS);
    g_assert_nonnull (strstr (bk_value_row_get_value (vw.row), port1));
    bk_test_wait_until (three_connected, panel, TIMEOUT_MS);
    {
      /* Said on the page, naming both nodes. */
      GtkLabel *notice = bk_bridge_ui_test_child (panel, "notice_label");

      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (notice)));
      g_assert_nonnull (strstr (gtk_label_get_text (notice), bk_sim_cluster_get_node_name (cluster, 0)));
      g_assert_nonnull (strstr (gtk_label_get_text (notice), bk_sim_cluster_get_node_name (cluster, 1)));
    }
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "engine-4-failed-over");

    /* The node comes back (its old call is still on it, as after a
     * network outage: the end removes it too). */
    bk_sim_cluster_set_node_up (cluster, 0, TRUE);
  }

  g_test_message ("step: %s", "7. Extended");
  /* 7. Extended by 15 minutes from the panel's Extend menu. */
  {
    g_autoptr(GDateTime) now = bk_clock_now (demo->clock);
    gint64 end = bk_engine_get_end (engine, id);
    g_autoptr(GDateTime) new_end = g_date_time_new_from_unix_local (end + 15 * 60);
    g_autofree char *new_text = g_date_time_format (new_end, "%H:%M");
    ValueWait vw = { bk_bridge_ui_test_child (panel, "end_row"), new_text };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "meeting.extend", "u", 15));
    g_assert_cmpint (bk_engine_get_end (engine, id), ==, end + 15 * 60);
    bk_test_wait_until (value_is, &vw, TIMEOUT_MS);
    g_assert_cmpstr (bk_value_row_get_value (vw.row), ==, new_text);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "engine-5-extended");
  }

  g_test_message ("step: %s", "8. Ended");
  /* 8. End Now, confirmed: the call is gone and the slot reset (its idle
   * name, no passcode, closed to non-members). */
  {
    AdwMessageDialog *dialog;
    g_autofree char *name = NULL;
    g_autofree char *passcode = NULL;
    g_autofree char *access = NULL;

    bk_bridge_ui_test_click (bk_bridge_ui_test_child (panel, "end_button"));
    bk_test_wait_until (dialog_shown, window, TIMEOUT_MS);
    dialog = bk_bridge_ui_test_find_dialog (GTK_WINDOW (window));
    g_assert_nonnull (dialog);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "engine-6-end-now");
    adw_message_dialog_response (dialog, "end");
    wait_state (engine, id, BK_ENGINE_STATE_ENDED);
    g_assert_cmpuint (bk_sim_cluster_get_n_calls (cluster, -1), ==, 0);
    name = bk_sim_cluster_dup_cospace_field (cluster, space, "name");
    passcode = bk_sim_cluster_dup_cospace_field (cluster, space, "passcode");
    access = bk_sim_cluster_dup_cospace_field (cluster, space, "nonMemberAccess");
    g_assert_true (g_str_has_prefix (name, "TMS_Scheduled_Meeting_"));
    g_assert_true (passcode == NULL || *passcode == '\0');
    g_assert_cmpstr (access, ==, "false");
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "engine-7-ended");
  }

  demo->ran = TRUE;
  /* A meeting runs: Quit asks first. */
  bk_ui_test_quit (app);
}

static void
activate_cb (GApplication *app,
             Demo         *demo)
{
  if (!demo->started)
    {
      demo->started = TRUE;
      run_demo (demo);
    }
}

static void
test_done_when_engine (void)
{
  Demo demo = { NULL, NULL, FALSE, FALSE };
  char *argv[] = { (char *) "bridgekeeper", (char *) "--demo", NULL };
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) nine = NULL;
  int status;

  /* Tomorrow 09:00 local: the editor's times are on one day. */
  nine = g_date_time_new_local (g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                g_date_time_get_day_of_month (tomorrow), 9, 0, 0);
  demo.clock = bk_fake_clock_new (nine);
  demo.app = bk_application_new ();
  /* Tests run in parallel on one session bus: the demo's unique ID must
   * not make this one activate another test's demo. */
  g_application_set_flags (G_APPLICATION (demo.app),
                           g_application_get_flags (G_APPLICATION (demo.app)) | G_APPLICATION_NON_UNIQUE);
  bk_application_set_clock_for_testing (demo.app, demo.clock);
  g_signal_connect_after (demo.app, "activate", G_CALLBACK (activate_cb), &demo);
  status = g_application_run (G_APPLICATION (demo.app), 2, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (demo.ran);
  g_object_unref (demo.app);
  g_object_unref (demo.clock);
}

int
main (int    argc,
      char **argv)
{
  bk_ui_test_init (&argc, &argv);
  /* The demo runs under an ID of its own. */
  bk_notify_test_start (APPLICATION_ID ".Demo");

  g_test_add_func ("/done-when/engine", test_done_when_engine);

  return g_test_run ();
}
