/* test-meeting-panel.c: the live meeting panel and Running Now, driven in
 * the real window of the real application (fake clock) against the
 * simulator: a meeting booked a minute ahead starts, its row appears under
 * Running Now, its panel shows the legs connecting; Add Participant dials
 * out (and refuses a bad address inline), Drop hangs a leg up (and it is
 * not called again), Redial calls it back, Extend +15 moves the end, End
 * Now (confirmed) ends it and the slot is reset on the simulator.
 * Opening the booking from the calendar's path shows the panel.
 * BK_SCREENSHOT_DIR saves meeting-panel.png (and -narrow), in the
 * language of the environment (built twice: English and zh_TW).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestMeetingPanel"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-bridge-ui-test.h"
#include "bk-engine-ui-test.h"
#include "bk-fake-clock.h"
#include "bk-meeting-panel.h"
#include "bk-notify-test.h"
#include "bk-value-row.h"

#define WAIT_MS 30000
#define TITLE   "Board meeting"

/* ---- the fixture ---- */

typedef struct
{
  BkApplication *app;
  BkEngine      *engine;
  BkClock       *clock;
  BkSimCluster  *sim;
  BkDevice      *device;
  char          *space;
  BkWindow      *window;
  char          *id;
} Fixture;

static Fixture fx;

static GDateTime *
at (int h, int m)
{
  return et_at (7, h, m, 0);
}

static void
wait_state (BkEngineState state)
{
  et_wait_state_within (fx.engine, fx.id, state, WAIT_MS);
}

static char *
book (const char *title,
      int         h,
      int         m,
      int         minutes)
{
  static const char * const two_out[] = { "alice@ex.example", "bob@ex.example", NULL };
  g_autoptr(GDateTime) start = at (h, m);

  return bk_engine_ui_test_book (fx.app, fx.clock, fx.device, title, BK_BOOKING_TYPE_AUTOMATIC_CONNECT,
                                 BK_EXTEND_NONE, start, minutes, two_out);
}

/* ---- reading the window ---- */

static GtkListBoxRow *
running_row (void)
{
  GtkListBox *list = bk_window_get_running_list (fx.window);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "bk-occurrence"), fx.id) == 0)
      return row;
  return NULL;
}

static gboolean
running_row_shown (gpointer data)
{
  GtkListBoxRow *row = running_row ();

  return (row != NULL) == GPOINTER_TO_INT (data) &&
         (row == NULL || gtk_widget_get_mapped (GTK_WIDGET (row)));
}

static BkMeetingPanel *
panel (void)
{
  GtkWidget *p = bk_ui_test_find_by_type (GTK_WIDGET (fx.window), BK_TYPE_MEETING_PANEL);

  g_assert_nonnull (p);
  return BK_MEETING_PANEL (p);
}

/* The participant row of @uri in the panel, or NULL. */
static GtkWidget *
participant_row (const char *uri)
{
  GtkListBox *list = bk_bridge_ui_test_child (panel (), "participants_list");
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (ADW_IS_PREFERENCES_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), uri) == 0)
      return GTK_WIDGET (row);
  return NULL;
}

typedef struct
{
  const char *uri;
  const char *state;
} RowState;

static gboolean
row_state_is (gpointer data)
{
  RowState *w = data;
  GtkWidget *row = participant_row (w->uri);

  return row != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (row), "bk-state"), w->state) == 0;
}

static void
wait_row_state (const char *uri,
                const char *state)
{
  RowState w = { uri, state };
  GtkWidget *row;

  bk_test_wait_until (row_state_is, &w, WAIT_MS);
  row = participant_row (uri);
  g_assert_nonnull (row);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "bk-state"), ==, state);
}

static gboolean
count_at_least (gpointer data)
{
  guint *want = data;

  return bk_sim_cluster_get_request_count (fx.sim, -1, NULL, NULL) >= *want;
}

/* Waits until the engine polled the legs twice more (no fixed sleep). */
static void
wait_two_polls (void)
{
  guint lists = bk_sim_cluster_get_request_count (fx.sim, -1, "GET", "/api/v1/calls/");
  guint want = bk_sim_cluster_get_request_count (fx.sim, -1, NULL, NULL) + 2;

  bk_test_wait_until (count_at_least, &want, WAIT_MS);
  while (bk_sim_cluster_get_request_count (fx.sim, -1, "GET", "/api/v1/calls/") < lists + 2)
    {
      want = bk_sim_cluster_get_request_count (fx.sim, -1, NULL, NULL) + 1;
      bk_test_wait_until (count_at_least, &want, WAIT_MS);
    }
}

static gboolean
legs_are (gpointer data)
{
  return bk_sim_cluster_get_n_call_legs (fx.sim, -1) == GPOINTER_TO_UINT (data);
}

static void
wait_legs (guint n)
{
  bk_test_wait_until (legs_are, GUINT_TO_POINTER (n), WAIT_MS);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (fx.sim, -1), ==, n);
}

static char *
local_hm (int h, int m)
{
  g_autoptr(GDateTime) u = at (h, m);
  g_autoptr(GDateTime) local = g_date_time_to_local (u);

  return g_date_time_format (local, "%H:%M");
}

static gboolean
duration_changed (gpointer data)
{
  BkValueRow *row = bk_bridge_ui_test_child (panel (), "duration_row");

  return g_strcmp0 (bk_value_row_get_value (row), data) != 0;
}

static gboolean
text_shown (gpointer data)
{
  GtkWidget *label = bk_ui_test_find_by_text (GTK_WIDGET (fx.window), data);

  return label != NULL && gtk_widget_get_mapped (label);
}

static gboolean
width_is (gpointer data)
{
  int want = GPOINTER_TO_INT (data);
  int width = gtk_widget_get_width (GTK_WIDGET (fx.window));

  /* Narrow: at most @want; wide: at least @want. */
  return want <= 360 ? width <= want : width >= want;
}

static gboolean
no_dialog (gpointer data)
{
  return bk_bridge_ui_test_find_dialog (GTK_WINDOW (fx.window)) == NULL;
}

/* ---- the test ---- */

static void
test_meeting_panel (void)
{
  g_autoptr(GDateTime) start = at (8, 1);
  g_autofree char *until = NULL;
  g_autofree char *name = NULL;
  g_autofree char *end_text = NULL;
  BkMeetingPanel *p;
  GtkWidget *add_row;
  GtkWidget *add_error;
  GtkWidget *button;
  GtkListBoxRow *row;
  const char *call_id;
  g_autofree char *legs_path = NULL;

  /* The legs are polled every 200 ms (the application's default: 5 s). */
  bk_engine_set_poll_interval (fx.engine, 200);

  g_application_activate (G_APPLICATION (fx.app));
  fx.window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (fx.window);
  gtk_window_set_default_size (GTK_WINDOW (fx.window), 1000, 800);

  /* Nothing runs: no Running Now section. */
  g_assert_null (running_row ());
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (bk_window_get_running_list (fx.window)))));

  /* A booking one minute ahead (within its early join): it starts now. */
  fx.device = bk_engine_ui_test_add_bridge (fx.app, fx.sim);
  fx.id = book (TITLE, 8, 1, 30);
  wait_state (BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 1);

  /* Its row under Running Now: the title and "until 08:31", one name for
   * a screen reader. */
  bk_test_wait_until (running_row_shown, GINT_TO_POINTER (TRUE), WAIT_MS);
  row = running_row ();
  g_assert_nonnull (row);
  end_text = local_hm (8, 31);
  until = g_strdup_printf (_("until %s"), end_text);
  name = g_strdup_printf ("%s, %s", TITLE, until);
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (row), TITLE));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (row), until));
  {
    g_autofree char *accessible = bk_ui_test_get_accessible_name (GTK_WIDGET (row));

    g_assert_cmpstr (accessible, ==, name);
  }

  /* Chosen: its live panel, titled with the meeting. */
  gtk_list_box_select_row (bk_window_get_running_list (fx.window), row);
  g_assert_true (bk_window_get_meeting_shown (fx.window));
  p = panel ();
  bk_ui_test_wait_mapped (GTK_WIDGET (p));
  g_assert_cmpstr (bk_meeting_panel_get_occurrence (p), ==, fx.id);
  g_assert_cmpstr (bk_meeting_panel_get_title (p), ==, TITLE);
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (p), TITLE));
  g_assert_cmpstr (bk_value_row_get_value (bk_bridge_ui_test_child (p, "end_row")), ==, end_text);
  {
    const char *node = bk_value_row_get_value (bk_bridge_ui_test_child (p, "node_row"));
    g_autofree char *port = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (fx.sim, 0));

    g_assert_nonnull (strstr (node, "CMS A"));
    g_assert_nonnull (strstr (node, port));
  }
  g_assert_cmpstr (bk_value_row_get_value (bk_bridge_ui_test_child (p, "duration_row")), !=, "—");

  /* Nobody is called before the meeting's start (08:01): the space is
   * ready, no leg yet. */
  bk_test_spin (3 * 200);   /* a few of the engine's polls */
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (fx.sim, -1), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", "/api/v1/calls/"), ==, 0);
  {
    /* The panel says when they will be called. */
    g_autofree char *start_text = local_hm (8, 1);
    g_autofree char *called = g_strdup_printf (_("Called at %s"), start_text);
    GtkWidget *alice = participant_row ("alice@ex.example");

    g_assert_nonnull (alice);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (alice)), ==, called);
  }

  /* Add Participant during the early join dials at once (the call exists:
   * one POST of a leg); the booked ones still wait for the start. Erin is
   * then dropped: the start does not call her again. */
  {
    const char *early_call = bk_meeting_get_call_id (bk_engine_get_meeting (fx.engine, fx.id));
    g_autofree char *early_legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", early_call);
    g_autofree char *start_text = local_hm (8, 1);
    g_autofree char *called = g_strdup_printf (_("Called at %s"), start_text);
    g_autofree char *drop = g_strdup_printf (_("Drop %s"), "erin@ex.example");
    GtkWidget *early_row = bk_bridge_ui_test_child (p, "add_row");
    GtkWidget *erin;

    bk_sim_cluster_reset_counters (fx.sim);
    gtk_editable_set_text (GTK_EDITABLE (early_row), "erin@ex.example");
    bk_bridge_ui_test_click (bk_bridge_ui_test_child (p, "add_button"));
    erin = participant_row ("erin@ex.example");
    g_assert_nonnull (erin);
    g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (erin)), called));
    wait_row_state ("erin@ex.example", "connected");
    wait_legs (1);
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", early_legs), ==, 1);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (participant_row ("alice@ex.example"))), ==, called);
    g_assert_cmpint (bk_engine_get_state (fx.engine, fx.id), ==, BK_ENGINE_STATE_RUNNING);

    button = bk_ui_test_find_by_accessible_label (participant_row ("erin@ex.example"), drop);
    g_assert_nonnull (button);
    bk_bridge_ui_test_click (button);
    wait_legs (0);
    wait_row_state ("erin@ex.example", "gone");
  }

  /* Its start: the legs connect (the simulator: initial, ringing, connected). */
  bk_fake_clock_advance (BK_FAKE_CLOCK (fx.clock), G_TIME_SPAN_MINUTE);
  wait_row_state ("alice@ex.example", "connected");
  wait_row_state ("bob@ex.example", "connected");
  wait_legs (2);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (participant_row ("erin@ex.example")), "bk-state"), ==, "gone");
  call_id = bk_meeting_get_call_id (bk_engine_get_meeting (fx.engine, fx.id));
  legs_path = g_strdup_printf ("/api/v1/calls/%s/callLegs", call_id);
  bk_ui_test_assert_all_named (GTK_WIDGET (p));

  /* The duration counts up with the clock (its one-second timer). */
  {
    g_autofree char *before = g_strdup (bk_value_row_get_value (bk_bridge_ui_test_child (p, "duration_row")));

    bk_fake_clock_advance (BK_FAKE_CLOCK (fx.clock), 65 * G_TIME_SPAN_SECOND);
    bk_test_wait_until (duration_changed, before, WAIT_MS);
    g_assert_cmpstr (bk_value_row_get_value (bk_bridge_ui_test_child (p, "duration_row")), !=, before);
  }

  /* Add Participant: a bad address is said inline, nothing is dialled. */
  add_row = bk_bridge_ui_test_child (p, "add_row");
  add_error = bk_bridge_ui_test_child (p, "add_error_label");
  bk_sim_cluster_reset_counters (fx.sim);
  gtk_editable_set_text (GTK_EDITABLE (add_row), "not an address");
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (p, "add_button"));
  g_assert_true (gtk_widget_get_visible (add_error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (add_error)), !=, "");
  g_assert_true (gtk_widget_has_css_class (add_row, "error"));
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", legs_path), ==, 0);
  /* Typing again clears the sentence. */
  gtk_editable_set_text (GTK_EDITABLE (add_row), "carol@ex.example");
  g_assert_false (gtk_widget_get_visible (add_error));

  /* ... a good one is dialled out: one POST of a leg, a new row, connected. */
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (p, "add_button"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_row)), ==, "");
  wait_row_state ("carol@ex.example", "connected");
  wait_legs (3);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", legs_path), ==, 1);

  /* Dave does not pick up: his row says ringing, with Drop. */
  bk_sim_cluster_set_unanswered_pattern (fx.sim, "*@busy.example");
  gtk_editable_set_text (GTK_EDITABLE (add_row), "dave@busy.example");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p), "meeting.add-participant", NULL));
  wait_row_state ("dave@busy.example", "ringing");
  wait_legs (4);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (fx.window), "meeting-panel");

  /* At 360 pixels wide. */
  if (g_getenv ("BK_SCREENSHOT_DIR") != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (fx.window), 360, 800);
      bk_test_wait_until (width_is, GINT_TO_POINTER (360), WAIT_MS);
      bk_bridge_ui_test_screenshot (GTK_WIDGET (fx.window), "meeting-panel-narrow");
      gtk_window_set_default_size (GTK_WINDOW (fx.window), 1000, 800);
      bk_test_wait_until (width_is, GINT_TO_POINTER (900), WAIT_MS);
      g_test_message ("wide again: %d", gtk_widget_get_width (GTK_WIDGET (fx.window)));
    }

  /* Drop: the leg is deleted, the row says gone, and nobody calls them
   * again. */
  {
    g_autofree char *label = g_strdup_printf (_("Drop %s"), "bob@ex.example");

    bk_sim_cluster_reset_counters (fx.sim);
    button = bk_ui_test_find_by_accessible_label (participant_row ("bob@ex.example"), label);
    g_assert_nonnull (button);
    bk_bridge_ui_test_click (button);
    wait_legs (3);
    wait_row_state ("bob@ex.example", "gone");
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "DELETE", "/api/v1/callLegs/"), ==, 1);
    wait_two_polls ();
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", legs_path), ==, 0);
    g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (fx.sim, -1), ==, 3);
    g_assert_false (gtk_widget_is_sensitive (button));
  }

  /* Redial calls them back (one POST). */
  {
    g_autofree char *label = g_strdup_printf (_("Redial %s"), "bob@ex.example");

    button = bk_ui_test_find_by_accessible_label (participant_row ("bob@ex.example"), label);
    g_assert_nonnull (button);
    bk_bridge_ui_test_click (button);
    wait_row_state ("bob@ex.example", "connected");
    wait_legs (4);
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "POST", legs_path), ==, 1);
  }

  /* Extend +15: the end moves, in the panel and in Running Now. */
  {
    g_autoptr(GDateTime) new_end = at (8, 46);
    g_autofree char *new_text = local_hm (8, 46);
    g_autofree char *new_until = g_strdup_printf (_("until %s"), new_text);

    g_assert_true (gtk_widget_is_sensitive (bk_bridge_ui_test_child (p, "extend_button")));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p), "meeting.extend", "u", 15));
    g_assert_cmpint (bk_engine_get_end (fx.engine, fx.id), ==, g_date_time_to_unix (new_end));
    g_assert_cmpstr (bk_value_row_get_value (bk_bridge_ui_test_child (p, "end_row")), ==, new_text);
    {
      /* Said on the page. */
      g_autofree char *said = g_strdup_printf (_("The meeting now ends at %s."), new_text);

      g_assert_true (gtk_widget_get_visible (bk_bridge_ui_test_child (p, "notice_box")));
      g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (p, "notice_label")), ==, said);
    }
    g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (running_row ()), new_until));
    /* +60 would reach into the next booking on its meeting space (from
     * 9:00, early join 8:55): refused, the engine's sentence in a toast,
     * the end unchanged. */
    {
      g_autofree char *next = book ("Next on the slot", 9, 0, 30);

      g_autoptr(GError) refusal = NULL;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p), "meeting.extend", "u", 60));
      g_assert_cmpint (bk_engine_get_end (fx.engine, fx.id), ==, g_date_time_to_unix (new_end));
      /* The same refusal, asked directly: that sentence is on screen. */
      g_assert_false (bk_engine_extend (fx.engine, fx.id, 60, &refusal));
      g_assert_error (refusal, BK_ENGINE_ERROR, BK_ENGINE_ERROR_SLOT_BOOKED);
      bk_test_wait_until (text_shown, refusal->message, WAIT_MS);
      g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (p, "notice_label")), ==, refusal->message);
      g_assert_true (gtk_widget_has_css_class (bk_bridge_ui_test_child (p, "notice_box"), "error-strip"));
      bk_bridge_ui_test_screenshot (GTK_WIDGET (fx.window), "meeting-panel-extend-refused");
      g_assert_cmpint (bk_engine_get_state (fx.engine, next), ==, BK_ENGINE_STATE_SCHEDULED);
    }
    /* The panel stays shown (its row rebuilt and still selected). */
    g_assert_true (bk_window_get_meeting_shown (fx.window));
    g_assert_true (gtk_list_box_get_selected_row (bk_window_get_running_list (fx.window)) == running_row ());
  }

  /* The calendar's path (win.open-booking) shows this panel, not the
   * editor, while it runs. */
  {
    g_autofree char *uid = bk_engine_occurrence_uid (fx.id);

    bk_window_select_calendar (fx.window);
    g_assert_false (bk_window_get_meeting_shown (fx.window));
    g_assert_null (bk_window_open_booking (fx.window, uid, start));
    g_assert_true (bk_window_get_meeting_shown (fx.window));
    g_assert_true (gtk_list_box_get_selected_row (bk_window_get_running_list (fx.window)) == running_row ());
  }

  /* End Now, confirmed: the call deleted, the slot reset on the
   * simulator (its idle name, no passcode), the row gone. */
  {
    AdwMessageDialog *dialog;
    g_autofree char *name_now = NULL;
    g_autofree char *passcode = NULL;
    g_autofree char *access = NULL;

    bk_sim_cluster_reset_counters (fx.sim);
    bk_bridge_ui_test_click (bk_bridge_ui_test_child (p, "end_button"));
    dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (fx.window));
    g_assert_nonnull (dialog);
    /* Cancel first: nothing happens. */
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpint (bk_engine_get_state (fx.engine, fx.id), ==, BK_ENGINE_STATE_RUNNING);
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "DELETE", NULL), ==, 0);

    bk_test_wait_until (no_dialog, NULL, WAIT_MS);
    bk_bridge_ui_test_click (bk_bridge_ui_test_child (p, "end_button"));
    dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (fx.window));
    g_assert_nonnull (dialog);
    adw_message_dialog_response (dialog, "end");
    gtk_window_destroy (GTK_WINDOW (dialog));
    wait_state (BK_ENGINE_STATE_ENDED);
    g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
    g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
    name_now = bk_sim_cluster_dup_cospace_field (fx.sim, fx.space, "name");
    passcode = bk_sim_cluster_dup_cospace_field (fx.sim, fx.space, "passcode");
    access = bk_sim_cluster_dup_cospace_field (fx.sim, fx.space, "nonMemberAccess");
    g_assert_cmpstr (name_now, ==, "TMS_Scheduled_Meeting_7001");
    g_assert_true (passcode == NULL || *passcode == '\0');
    g_assert_cmpstr (access, ==, "false");

    bk_test_wait_until (running_row_shown, GINT_TO_POINTER (FALSE), WAIT_MS);
    g_assert_null (running_row ());
    g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (bk_window_get_running_list (fx.window)))));
    /* The panel stays, saying so, with its actions off (and without the
     * sentence about its end, no longer true). */
    g_assert_false (gtk_widget_get_visible (bk_bridge_ui_test_child (p, "notice_box")));
    g_assert_true (bk_window_get_meeting_shown (fx.window));
    g_assert_false (gtk_widget_is_sensitive (bk_bridge_ui_test_child (p, "end_button")));
    g_assert_false (gtk_widget_is_sensitive (bk_bridge_ui_test_child (p, "extend_button")));
    g_assert_false (gtk_widget_is_sensitive (bk_bridge_ui_test_child (p, "add_row")));
    wait_row_state ("alice@ex.example", "gone");
    bk_bridge_ui_test_screenshot (GTK_WIDGET (fx.window), "meeting-panel-ended");
  }

  /* A meeting that no longer runs opens in the editor again. */
  {
    g_autofree char *uid = bk_engine_occurrence_uid (fx.id);
    BkBookingEditor *editor = bk_window_open_booking (fx.window, uid, start);

    g_assert_nonnull (editor);
    gtk_window_destroy (GTK_WINDOW (editor));
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GDateTime) start = at (8, 0);
  int status;

  bk_ui_test_init (&argc, &argv);
  /* The engine's notifications have somewhere to go on the private bus. */
  bk_notify_test_start (APPLICATION_ID);

  /* Legs ring a little before they connect. */
  fx.sim = bk_engine_ui_test_start_sim (300, &fx.space);
  fx.clock = bk_fake_clock_new (start);
  fx.app = bk_engine_ui_test_app_new (fx.clock);
  fx.engine = bk_application_get_engine (fx.app);

  g_test_add_func ("/meeting-panel/live", test_meeting_panel);
  status = g_test_run ();

  if (fx.window != NULL)
    bk_ui_test_close_window (GTK_WINDOW (fx.window));
  bk_sim_cluster_stop (fx.sim);
  g_clear_object (&fx.sim);
  g_clear_object (&fx.device);
  g_free (fx.space);
  g_free (fx.id);
  return status;
}
