/* test-engine-app.c: the application owns the conference engine: a booked
 * meeting starts on the simulator with no window open, the application
 * holds itself while meetings are pending and lets go after the end, and
 * the notifications reach the session bus (org.gtk.Notifications, served
 * by this test on the private bus of build-aux/run-headless)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestEngineApp"

#include "config.h"

#include "bk-booking-editor.h"
#include "bk-engine-ui-test.h"
#include "bk-fake-clock.h"
#include "bk-meeting-panel.h"
#include "bk-notify-test.h"
#include "bk-ui-test.h"

#define WAIT_MS 60000
#define TITLE   "Board meeting"

/* The notification server (bk-notify-test.c). */
#define wait_call(text) bk_notify_test_wait_call ((text), WAIT_MS)
#define assert_button bk_notify_test_assert_button

/* ---- the simulator, the bridge, the booking ---- */

typedef struct
{
  BkApplication *app;
  BkEngine      *engine;
  BkClock       *clock;
  BkSimCluster  *sim;
  BkDevice      *device;
  char          *space;
  const char    *second_participant;   /* book(): instead of bob */
  BkExtendMode   extend_mode;          /* book(): the booking's */
} Fixture;

static Fixture fx;

static GDateTime *
at (int h, int m)
{
  return et_at (7, h, m, 0);
}

static void
advance_to (int h, int m)
{
  g_autoptr(GDateTime) now = bk_clock_now (fx.clock);
  g_autoptr(GDateTime) then = at (h, m);

  bk_fake_clock_advance (BK_FAKE_CLOCK (fx.clock), g_date_time_difference (then, now));
}

static gboolean
deadline_is (gpointer data)
{
  GDateTime *d = bk_clock_get_deadline (fx.clock);

  return d != NULL && g_date_time_equal (d, data);
}

/* The engine armed its one timer for @h:@m (after finishing what it did). */
static void
wait_deadline (int h, int m)
{
  g_autoptr(GDateTime) want = at (h, m);

  bk_test_wait_until (deadline_is, want, WAIT_MS);
  g_assert_true (deadline_is (want));
}

static void
wait_state (const char    *id,
            BkEngineState  state)
{
  et_wait_state_within (fx.engine, id, state, WAIT_MS);
}

/* Books through the booking rules (which bind the slot); returns the
 * occurrence id. An Automatic Connect calls alice and bob (or
 * fx.second_participant). */
static char *
book (const char    *title,
      BkBookingType  type,
      int            h,
      int            m,
      int            minutes)
{
  const char *dial_out[] = { "alice@ex.example",
                             fx.second_participant != NULL ? fx.second_participant : "bob@ex.example",
                             NULL };
  g_autoptr(GDateTime) start = at (h, m);

  return bk_engine_ui_test_book (fx.app, fx.clock, fx.device, title, type, fx.extend_mode, start, minutes,
                                 type == BK_BOOKING_TYPE_AUTOMATIC_CONNECT ? dial_out : NULL);
}

static gboolean
held_is (gpointer data)
{
  return bk_application_get_held_in_background (fx.app) == GPOINTER_TO_INT (data);
}

static void
wait_held (gboolean held)
{
  bk_test_wait_until (held_is, GINT_TO_POINTER (held), WAIT_MS);
  g_assert_cmpint (bk_application_get_held_in_background (fx.app), ==, held);
}

/* ---- the test ---- */

/* One engine, owned by the application, with the injected clock; a
 * meeting booked a little ahead starts with the window closed (2
 * requests at the early join, the "started" notification; k legs at its
 * start), warns 5 minutes before its end
 * ("Ending Soon", whose "Extend 15 Minutes" button extends it; a refusal
 * is said in a notification), the application stays held while
 * it runs and lets go after its end (the notification withdrawn); the
 * "run-in-background" setting turns the hold off; a check that finds the
 * bridge silent sends "Problem With a Booked Meeting", and the start that
 * then fails "Meeting Not Started", with the engine's sentences and a
 * "Retry" button that, once the bridge is back, starts it (one call). */
static void
test_engine_in_background (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *add = NULL;
  g_autofree char *remove = NULL;
  GSettings *settings;
  BkWindow *window;

  g_assert_nonnull (fx.engine);
  g_assert_true (bk_application_get_engine (fx.app) == fx.engine);
  settings = bk_application_get_settings (fx.app);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  /* Nothing booked: not held. */
  g_assert_cmpuint (bk_engine_get_n_pending (fx.engine), ==, 0);
  g_assert_false (bk_application_get_held_in_background (fx.app));

  /* A window opened and closed: the application owns the engine, not the
   * window. */
  g_application_activate (G_APPLICATION (fx.app));
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);
  {
    /* Preferences lists the setting: its switch changes it. */
    GtkWindow *except[] = { GTK_WINDOW (window), NULL };
    GtkWindow *prefs;
    GtkWidget *row;
    GtkWidget *toggle;

    g_action_group_activate_action (G_ACTION_GROUP (fx.app), "preferences", NULL);
    prefs = bk_ui_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW, except, WAIT_MS);
    row = bk_ui_test_find_by_text (GTK_WIDGET (prefs), "Run in the Background");
    g_assert_nonnull (row);
    toggle = bk_ui_test_find_by_type (row, GTK_TYPE_SWITCH);
    g_assert_nonnull (toggle);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
    gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
    g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
    g_settings_set_boolean (settings, "run-in-background", TRUE);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
    /* New bookings' Extend Automatically: off unless chosen. */
    row = bk_ui_test_find_by_text (GTK_WIDGET (prefs), "Extend Automatically");
    g_assert_nonnull (row);
    toggle = bk_ui_test_find_by_type (row, GTK_TYPE_SWITCH);
    g_assert_nonnull (toggle);
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
    gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
    g_assert_true (g_settings_get_boolean (settings, "extend-automatically"));
    g_settings_reset (settings, "extend-automatically");
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
    gtk_window_destroy (prefs);
  }
  bk_ui_test_close_window (GTK_WINDOW (window));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fx.app)));
  g_assert_true (bk_application_get_engine (fx.app) == fx.engine);

  fx.device = bk_engine_ui_test_add_bridge (fx.app, fx.sim);
  id = book (TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, 9, 0, 30);
  /* Due within 24 hours: held, with no window open. */
  wait_held (TRUE);
  g_assert_cmpint (bk_engine_get_state (fx.engine, id), ==, BK_ENGINE_STATE_SCHEDULED);

  /* The setting turns the hold off and on again. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  wait_held (FALSE);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_held (TRUE);

  advance_to (8, 45);
  wait_deadline (8, 55);   /* the check is done */
  bk_sim_cluster_reset_counters (fx.sim);
  advance_to (8, 55);
  wait_state (id, BK_ENGINE_STATE_RUNNING);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fx.app)));
  wait_deadline (9, 0);   /* the dial, at its start */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, NULL, NULL), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (fx.sim, -1), ==, 0);
  add = g_strdup_printf ("add booking-%s Meeting Started normal|", id);
  wait_call (add);
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), TITLE));
  g_assert_true (bk_application_get_held_in_background (fx.app));

  /* A click on it (its default action) opens the window, closed until
   * now, on the meeting: it runs, so its live panel; the panel's Edit
   * Booking opens its booking at that occurrence. */
  {
    g_autofree char *click = g_strdup_printf ("app.show-meeting %s", id);
    g_autofree char *uid = g_strndup (id, strrchr (id, '@') - id);
    BkBooking *booking = bk_booking_store_lookup (bk_application_get_bookings (fx.app), uid);
    GtkWindow *except[] = { NULL, NULL };
    GtkWindow *editor;

    g_assert_cmpstr (bk_notify_test_get_last_default (), ==, click);
    g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fx.app)));
    g_action_group_activate_action (G_ACTION_GROUP (fx.app), "show-meeting", g_variant_new_string (id));
    window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
    g_assert_nonnull (window);
    except[0] = GTK_WINDOW (window);
    g_assert_true (bk_window_get_meeting_shown (window));
    {
      GtkWidget *panel = bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_MEETING_PANEL);

      g_assert_nonnull (panel);
      g_assert_cmpstr (bk_meeting_panel_get_occurrence (BK_MEETING_PANEL (panel)), ==, id);
      g_assert_true (gtk_widget_activate_action (panel, "meeting.edit-booking", NULL));
    }
    editor = bk_ui_test_wait_for_toplevel (g_type_from_name ("BkBookingEditor"), except, WAIT_MS);
    g_assert_nonnull (editor);
    g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (window));
    g_assert_nonnull (booking);
    g_assert_nonnull (booking->slot_address);
    g_assert_cmpstr (bk_booking_editor_get_slot_address ((BkBookingEditor *) editor), ==, booking->slot_address);
    gtk_window_destroy (editor);
    bk_ui_test_close_window (GTK_WINDOW (window));
    g_assert_true (bk_application_get_held_in_background (fx.app));
  }

  /* Its start: one leg per participant (k = 2), nothing else written (the
   * engine's watch may read the legs meanwhile). */
  bk_sim_cluster_reset_counters (fx.sim);
  advance_to (9, 0);
  wait_deadline (9, 25);   /* the first end warning */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", NULL), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (fx.sim, -1), ==, 2);

  /* The engine moved it to another node of the cluster (its failover is
   * tested in test-engine-failover): "Meeting Moved to Another Call
   * Bridge", high priority, naming the meeting and the node; it replaces
   * "started" and goes with the next state. */
  {
    g_autofree char *moved = g_strdup_printf ("add booking-%s Meeting Moved to Another Call Bridge high|", id);
    g_autofree char *click = NULL;

    g_signal_emit_by_name (fx.engine, "failed-over", id, "CallBridge-Core2 (10.0.0.2:443)");
    wait_call (moved);
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), TITLE));
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "CallBridge-Core2 (10.0.0.2:443)"));
    click = g_strdup_printf ("app.show-meeting %s", id);
    g_assert_cmpstr (bk_notify_test_get_last_default (), ==, click);
  }

  /* 5 minutes before its end: "Ending Soon", with the title, the minutes
   * left and "Extend 15 Minutes" (app.extend-meeting, the occurrence). */
  {
    g_autofree char *ending = g_strdup_printf ("add booking-%s Ending Soon normal|", id);
    g_autofree char *withdrawn = g_strdup_printf ("add booking-%s Ending Soon normal|remove booking-%s|",
                                                  id, id);
    g_autoptr(GDateTime) old_end = at (9, 30);
    g_autoptr(GDateTime) new_end = at (9, 45);

    advance_to (9, 25);
    wait_call (ending);
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), TITLE));
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "5 minutes"));
    assert_button ("Extend 15 Minutes", "app.extend-meeting", id);
    assert_button ("End Now", "app.end-meeting", id);
    g_assert_cmpint (bk_engine_get_end (fx.engine, id), ==, g_date_time_to_unix (old_end));

    /* The button (as the shell activates it): extended, the warning withdrawn. */
    g_action_group_activate_action (G_ACTION_GROUP (fx.app), "extend-meeting", g_variant_new_string (id));
    g_assert_cmpint (bk_engine_get_end (fx.engine, id), ==, g_date_time_to_unix (new_end));
    wait_call (withdrawn);
    advance_to (9, 30);
    g_assert_cmpint (bk_engine_get_state (fx.engine, id), ==, BK_ENGINE_STATE_RUNNING);

    /* A refusal is said with the engine's sentence. */
    g_action_group_activate_action (G_ACTION_GROUP (fx.app), "extend-meeting",
                                    g_variant_new_string ("gone@1"));
    wait_call ("add booking-gone@1 Meeting Not Extended high|");
    g_assert_cmpstr (bk_notify_test_get_last_body (), ==, "This meeting is not known to the engine.");
    /* End Now of a meeting the engine does not run: said too. */
    g_action_group_activate_action (G_ACTION_GROUP (fx.app), "end-meeting", g_variant_new_string ("gone@1"));
    wait_call ("add booking-gone@1 Meeting Not Ended high|");
    g_assert_nonnull (bk_notify_test_get_last_body ());
    g_assert_cmpstr (bk_notify_test_get_last_body (), !=, "");
  }

  /* Its end: the call deleted, the notification withdrawn, nothing else
   * due: released. */
  advance_to (9, 45);
  wait_state (id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
  remove = g_strdup_printf ("remove booking-%s|", id);
  wait_call (remove);
  wait_held (FALSE);
  g_assert_cmpuint (bk_engine_get_n_pending (fx.engine), ==, 0);

  /* A start that fails: the bridge does not answer (the simulator
   * stopped). "Meeting Not Started", high priority, with the sentence. */
  {
    g_autofree char *failed_id = book ("Budget", BK_BOOKING_TYPE_RESERVATION, 11, 0, 30);
    g_autofree char *failed = g_strdup_printf ("add booking-%s Meeting Not Started high|", failed_id);

    g_autofree char *problem = g_strdup_printf ("add booking-%s Problem With a Booked Meeting high|",
                                                 failed_id);

    wait_held (TRUE);
    bk_sim_cluster_set_node_up (fx.sim, 0, FALSE);
    /* The check finds the bridge silent: said at once. */
    advance_to (10, 45);
    wait_call (problem);
    g_assert_cmpstr (bk_notify_test_get_last_body (), ==, bk_engine_get_problem (fx.engine, failed_id));
    advance_to (10, 55);
    wait_state (failed_id, BK_ENGINE_STATE_FAILED);
    wait_call (failed);
    g_assert_cmpstr (bk_notify_test_get_last_body (), ==, bk_engine_get_error (fx.engine, failed_id));
    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "Budget"));
    assert_button ("Retry", "app.retry-meeting", failed_id);
    wait_held (FALSE);

    /* The bridge is back: Retry starts it (verified first), once. */
    {
      g_autofree char *started = g_strdup_printf ("add booking-%s Meeting Started normal|", failed_id);

      bk_sim_cluster_set_node_up (fx.sim, 0, TRUE);
      bk_sim_cluster_reset_counters (fx.sim);
      g_action_group_activate_action (G_ACTION_GROUP (fx.app), "retry-meeting",
                                      g_variant_new_string (failed_id));
      wait_state (failed_id, BK_ENGINE_STATE_RUNNING);
      wait_call (started);
      g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 1);
      g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", "/api/v1/calls"), ==, 1);
      wait_held (TRUE);
      /* A notification's End Now (as the shell activates it) ends it
       * before its time: the call deleted, the slot reset. */
      bk_sim_cluster_reset_counters (fx.sim);
      g_action_group_activate_action (G_ACTION_GROUP (fx.app), "end-meeting", g_variant_new_string (failed_id));
      wait_state (failed_id, BK_ENGINE_STATE_ENDED);
      g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
      g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
      wait_held (FALSE);
    }
  }
}

typedef struct
{
  BkMeeting          *meeting;
  guint               index;
  BkParticipantState  state;
  gboolean            polling;
} PollWait;

static void
poll_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PollWait *w = user_data;

  /* A round of the engine's own watch may be under way: PENDING. */
  bk_meeting_poll_finish (BK_MEETING (object), result, NULL);
  w->polling = FALSE;
}

static gboolean
polled_to_state (gpointer data)
{
  PollWait *w = data;

  if (bk_meeting_get_participant_state (w->meeting, w->index) == w->state)
    return TRUE;
  if (!w->polling)
    {
      w->polling = TRUE;
      bk_meeting_poll_async (w->meeting, NULL, poll_done_cb, w);
    }
  return FALSE;
}

/* Polls (sooner than the engine's watch would) until participant @index
 * is in @state. */
static void
poll_until (BkMeeting          *meeting,
            guint               index,
            BkParticipantState  state)
{
  PollWait w = { meeting, index, state, FALSE };

  bk_test_wait_until (polled_to_state, &w, WAIT_MS);
  while (w.polling)
    bk_test_spin (5);
  g_assert_cmpint (bk_meeting_get_participant_state (meeting, index), ==, state);
}

/* A participant who never answers: "Participant Did Not Answer" (high
 * priority) names them and the meeting, with "Redial"
 * (app.redial-participant, (occurrence, index)); the button withdraws it
 * and dials them afresh (the engine's ticket goes); they answer. A Redial
 * for a meeting that is not running is refused in a notification. */
static void
test_participant_unanswered (void)
{
  g_autofree char *id = NULL;
  g_autofree char *add = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *target = NULL;
  BkMeeting *m;

  fx.second_participant = "broken@fail.example";
  id = book ("Design review", BK_BOOKING_TYPE_AUTOMATIC_CONNECT, 13, 0, 30);
  fx.second_participant = NULL;
  bk_sim_cluster_set_failing_pattern (fx.sim, "*@fail.example");
  advance_to (12, 45);
  wait_deadline (12, 55);
  advance_to (12, 55);
  wait_state (id, BK_ENGINE_STATE_RUNNING);
  m = bk_engine_get_meeting (fx.engine, id);
  advance_to (13, 0);   /* its start: the participants are called */
  wait_deadline (13, 25);
  poll_until (m, 1, BK_PARTICIPANT_UNANSWERED);

  add = g_strdup_printf ("add participant-%s-1 Participant Did Not Answer high|", id);
  wait_call (add);
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "broken@fail.example"));
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "Design review"));
  target = g_strdup_printf ("('%s', 1)", id);
  assert_button ("Redial", "app.redial-participant", target);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (fx.engine)), ==, 1);
  {
    /* The bridge's Tickets (the device page's Summary) has it too. */
    BkBridge *bridge = bk_bridge_manager_lookup (bk_application_get_bridge_manager (fx.app), "bridge-a");
    GListModel *tickets = bk_bridge_get_tickets (bridge);
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
      {
        g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

        found |= g_strcmp0 (bk_ticket_get_action_name (t), "app.redial-participant") == 0;
      }
    g_assert_true (found);
  }

  /* The button, as the shell activates it. */
  bk_sim_cluster_set_failing_pattern (fx.sim, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "redial-participant",
                                  g_variant_new ("(su)", id, 1));
  removed = g_strdup_printf ("remove participant-%s-1|", id);
  wait_call (removed);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), !=, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (fx.engine)), ==, 0);
  poll_until (m, 1, BK_PARTICIPANT_CONNECTED);

  /* A Redial for a meeting that is not running. */
  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "redial-participant",
                                  g_variant_new ("(su)", "gone@2", 0));
  wait_call ("add booking-gone@2 Participant Not Redialled high|");
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "no longer running"));

  advance_to (13, 30);
  wait_state (id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
}

/* The end fails (the bridge does not answer at the end): "Meeting Not
 * Ended", high priority, with the engine's sentence and Retry; once the
 * bridge is back, Retry ends it: the call is gone. */
static void
test_meeting_not_ended (void)
{
  g_autofree char *id = book ("Wrap-up", BK_BOOKING_TYPE_RESERVATION, 15, 0, 30);
  g_autofree char *not_ended = g_strdup_printf ("add booking-%s Meeting Not Ended high|", id);

  advance_to (14, 45);
  wait_deadline (14, 55);
  advance_to (14, 55);
  wait_state (id, BK_ENGINE_STATE_RUNNING);
  bk_sim_cluster_set_node_up (fx.sim, 0, FALSE);
  advance_to (15, 30);
  wait_state (id, BK_ENGINE_STATE_FAILED);
  wait_call (not_ended);
  g_assert_cmpstr (bk_notify_test_get_last_body (), ==, bk_engine_get_error (fx.engine, id));
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "could not be ended"));
  assert_button ("Retry", "app.retry-meeting", id);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 1);

  bk_sim_cluster_set_node_up (fx.sim, 0, TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "retry-meeting", g_variant_new_string (id));
  wait_state (id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
}

static gboolean
connected_is (gpointer data)
{
  const char *id = data;
  BkMeeting *m = bk_engine_get_meeting (fx.engine, id);

  return m != NULL && bk_meeting_get_n_connected (m) == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (m), "want"));
}

/* The meeting's own poll has seen @n people in the call. */
static void
wait_connected (const char *id,
                guint       n)
{
  BkMeeting *m = bk_engine_get_meeting (fx.engine, id);

  g_assert_nonnull (m);
  g_object_set_data (G_OBJECT (m), "want", GUINT_TO_POINTER (n));
  bk_meeting_refresh (m);
  bk_test_wait_until (connected_is, (gpointer) id, WAIT_MS);
  g_assert_cmpuint (bk_meeting_get_n_connected (m), ==, n);
}

/* Booked to extend automatically: someone who dialled in is still there
 * at the end: "Meeting Extended" (title, new end, 1 of 16); once they have
 * left, the next end ends it: "Meeting Ended", saying why it was not
 * extended. */
static void
test_auto_extended (void)
{
  g_autofree char *id = NULL;
  g_autofree char *extended = NULL;
  g_autofree char *ended = NULL;
  g_autoptr(BkCmsClient) probe = et_client_new (fx.sim);
  static const char * const carol[] = { "remoteParty", "carol@ex.example", NULL };
  g_autofree char *path = NULL;
  g_autoptr(BkCmsReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  const char *leg_id;

  fx.extend_mode = BK_EXTEND_AUTOMATIC;
  id = book ("Long planning", BK_BOOKING_TYPE_RESERVATION, 17, 0, 30);
  fx.extend_mode = BK_EXTEND_NONE;
  extended = g_strdup_printf ("add booking-%s Meeting Extended normal|", id);
  ended = g_strdup_printf ("add booking-%s Meeting Ended normal|", id);

  advance_to (16, 45);
  wait_deadline (16, 55);
  advance_to (16, 55);
  wait_state (id, BK_ENGINE_STATE_RUNNING);
  /* Carol dials in (a leg on the call that the engine did not make). */
  path = g_strdup_printf ("calls/%s/callLegs", bk_meeting_get_call_id (bk_engine_get_meeting (fx.engine, id)));
  bk_cms_client_request_async (probe, "POST", path, carol, NULL, et_result_cb, &res);
  reply = bk_cms_client_request_finish (probe, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_nonnull (reply->id);
  leg_id = reply->id;
  wait_connected (id, 1);

  advance_to (17, 30);
  wait_call (extended);
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "Long planning"));
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "1 of 16"));
  assert_button ("End Now", "app.end-meeting", id);
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
    g_autoptr(GDateTime) new_end = at (17, 45);
    g_autofree char *when = bk_booking_format_time (g_date_time_to_unix (new_end), tz);

    g_assert_nonnull (strstr (bk_notify_test_get_last_body (), when));
  }
  g_assert_cmpint (bk_engine_get_state (fx.engine, id), ==, BK_ENGINE_STATE_RUNNING);

  /* Carol leaves. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("callLegs/%s", leg_id);
  bk_cms_client_delete_async (probe, path, NULL, et_result_cb, &res);
  g_assert_true (bk_cms_client_delete_finish (probe, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  wait_connected (id, 0);

  advance_to (17, 45);
  wait_state (id, BK_ENGINE_STATE_ENDED);
  wait_call (ended);
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "Long planning"));
  g_assert_nonnull (strstr (bk_notify_test_get_last_body (), "Not extended: Nobody was connected any more."));
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GDateTime) start = at (8, 0);
  int status;

  bk_ui_test_init (&argc, &argv);
  bk_notify_test_start (APPLICATION_ID);

  fx.sim = bk_engine_ui_test_start_sim (0, &fx.space);
  /* The application, as bk_ui_test_get_app() makes it, with a fake clock. */
  fx.clock = bk_fake_clock_new (start);
  fx.app = bk_engine_ui_test_app_new (fx.clock);
  fx.engine = bk_application_get_engine (fx.app);

  g_test_add_func ("/engine-app/in-background", test_engine_in_background);
  g_test_add_func ("/engine-app/participant-unanswered", test_participant_unanswered);
  g_test_add_func ("/engine-app/meeting-not-ended", test_meeting_not_ended);
  g_test_add_func ("/engine-app/auto-extended", test_auto_extended);
  status = g_test_run ();

  bk_sim_cluster_stop (fx.sim);
  g_clear_object (&fx.sim);
  g_clear_object (&fx.device);
  g_free (fx.space);
  return status;
}
