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

#include "bk-fake-clock.h"
#include "bk-ui-test.h"

#define WAIT_MS 60000
#define TITLE   "Board meeting"

/* ---- a notification server: org.gtk.Notifications, as GNOME Shell ---- */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GString *calls;   /* "add <id> <title> <priority>|" and "remove <id>|" */
  char    *last_body;
  char    *last_buttons;   /* "<label> <action> <target>|" per button */
} Server;

static Server server;

static void
server_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  const char *app_id;
  const char *id;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) dict = NULL;
      const char *title = "";
      const char *body = "";
      const char *priority = "normal";

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &dict);
      g_variant_lookup (dict, "title", "&s", &title);
      g_variant_lookup (dict, "body", "&s", &body);
      g_variant_lookup (dict, "priority", "&s", &priority);
      g_string_append_printf (server.calls, "add %s %s %s|", id, title, priority);
      g_free (server.last_body);
      server.last_body = g_strdup (body);
      {
        g_autoptr(GVariant) buttons = g_variant_lookup_value (dict, "buttons", G_VARIANT_TYPE ("aa{sv}"));
        GString *text = g_string_new ("");

        for (gsize i = 0; buttons != NULL && i < g_variant_n_children (buttons); i++)
          {
            g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
            g_autoptr(GVariant) target = g_variant_lookup_value (button, "target", G_VARIANT_TYPE_STRING);
            const char *label = "";
            const char *action = "";

            g_variant_lookup (button, "label", "&s", &label);
            g_variant_lookup (button, "action", "&s", &action);
            g_string_append_printf (text, "%s %s %s|", label, action,
                                    target != NULL ? g_variant_get_string (target, NULL) : "-");
          }
        g_free (server.last_buttons);
        server.last_buttons = g_string_free (text, FALSE);
      }
    }
  else
    {
      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_string_append_printf (server.calls, "remove %s|", id);
    }
  g_assert_cmpstr (app_id, ==, APPLICATION_ID);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
name_owned (gpointer data)
{
  return *(gboolean *) data;
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Serves org.gtk.Notifications on the session bus before the application
 * registers (GApplication picks its notification backend then: the
 * "gtk" one when this name has an owner). */
static void
server_start (void)
{
  static const GDBusInterfaceVTable vtable = { server_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  static gboolean owned;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                name_acquired_cb, NULL, &owned, NULL);
  bk_test_wait_until (name_owned, &owned, WAIT_MS);
  g_assert_true (owned);
  server.calls = g_string_new ("");
}

/* A button of the last notification ("<label> app.<action> <target>"). */
static void
assert_button (const char *label,
               const char *action,
               const char *target)
{
  g_autofree char *want = g_strdup_printf ("%s %s %s|", label, action, target);

  if (strstr (server.last_buttons, want) == NULL)
    g_error ("No button “%s” in the last notification: %s", want, server.last_buttons);
}

static gboolean
calls_have (gpointer data)
{
  return strstr (server.calls->str, data) != NULL;
}

static void
wait_call (const char *text)
{
  bk_test_wait_until (calls_have, (gpointer) text, WAIT_MS);
  if (strstr (server.calls->str, text) == NULL)
    g_error ("No “%s” in the notification calls: %s", text, server.calls->str);
}

/* ---- the simulator, the bridge, the booking ---- */

typedef struct
{
  BkApplication *app;
  BkEngine      *engine;
  BkClock       *clock;
  BkSimCluster  *sim;
  BkDevice      *device;
  char          *space;
} Fixture;

static Fixture fx;

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GDateTime *
at (int h, int m)
{
  return g_date_time_new_utc (2030, 1, 7, h, m, 0);
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

static gboolean
loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (data);
}

typedef struct
{
  const char    *id;
  BkEngineState  state;
} WaitState;

static gboolean
state_reached (gpointer data)
{
  WaitState *w = data;

  return bk_engine_get_state (fx.engine, w->id) == w->state;
}

static void
wait_state (const char    *id,
            BkEngineState  state)
{
  WaitState w = { id, state };

  bk_test_wait_until (state_reached, &w, WAIT_MS);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (fx.engine, id)), ==,
                   bk_engine_state_to_string (state));
}

/* The simulator's node as a listed bridge of the application, with its
 * password in the application's secrets (the real keyring). */
static void
add_bridge (void)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  BkSecrets *secrets = bk_application_get_secrets (fx.app);

  fx.device = g_object_new (BK_TYPE_DEVICE, "id", "bridge-a", "address", "127.0.0.1",
                            "port", bk_sim_cluster_get_node_port (fx.sim, 0), NULL);
  bk_device_set_name (fx.device, "CMS A");
  bk_device_set_domain (fx.device, "meet.example.com");
  bk_device_set_numeric_id_base (fx.device, 7001);
  bk_device_set_numeric_id_quantity (fx.device, 1);
  bk_device_set_certificate_pin (fx.device, bk_sim_cluster_get_certificate_sha256 (fx.sim));
  bk_device_set_username (fx.device, BK_SIM_DEFAULT_USERNAME);
  bk_secrets_store_async (secrets, fx.device, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_PASSWORD,
                          NULL, result_cb, &res);
  bk_test_wait_until (result_ready, &res, WAIT_MS);
  g_assert_nonnull (res);
  g_assert_true (bk_secrets_store_finish (secrets, res, &error));
  g_assert_no_error (error);
  g_object_unref (res);
  g_assert_true (bk_device_store_add (bk_application_get_store (fx.app), fx.device, &error));
  g_assert_no_error (error);
}

/* Books through the booking rules (which bind the slot); returns the
 * occurrence id. */
static char *
book (const char    *title,
      BkBookingType  type,
      int            h,
      int            m,
      int            minutes)
{
  g_autoptr(GDateTime) start = at (h, m);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  g_autoptr(BkBooking) b = bk_booking_new (title, "UTC", start, end);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new ();
  g_autoptr(GDateTime) now = bk_clock_now (fx.clock);
  BkBookingRules rules = { g_date_time_to_unix (now), bridges, NULL };
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (bridges, fx.device);
  b->type = type;
  if (type == BK_BOOKING_TYPE_AUTOMATIC_CONNECT)
    {
      bk_booking_add_participant (b, "", "alice@ex.example", BK_DIAL_OUT);
      bk_booking_add_participant (b, "", "bob@ex.example", BK_DIAL_OUT);
    }
  g_assert_true (bk_booking_store_save (bk_application_get_bookings (fx.app), &rules, b, NULL, &error));
  g_assert_no_error (error);
  return bk_engine_occurrence_id (b->uid, g_date_time_to_unix (start));
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
 * meeting booked a little ahead starts with the window closed (2 + k
 * requests, the "started" notification), warns 5 minutes before its end
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
    gtk_window_destroy (prefs);
  }
  bk_ui_test_close_window (GTK_WINDOW (window));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fx.app)));
  g_assert_true (bk_application_get_engine (fx.app) == fx.engine);

  add_bridge ();
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
  g_assert_cmpuint (bk_sim_cluster_get_request_count (fx.sim, -1, NULL, NULL), ==, 2 + 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 1);
  add = g_strdup_printf ("add booking-%s Meeting Started normal|", id);
  wait_call (add);
  g_assert_nonnull (strstr (server.last_body, TITLE));
  g_assert_true (bk_application_get_held_in_background (fx.app));

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
    g_assert_nonnull (strstr (server.last_body, TITLE));
    g_assert_nonnull (strstr (server.last_body, "5 minutes"));
    assert_button ("Extend 15 Minutes", "app.extend-meeting", id);
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
    g_assert_cmpstr (server.last_body, ==, "This meeting is not known to the engine.");
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
    g_assert_cmpstr (server.last_body, ==, bk_engine_get_problem (fx.engine, failed_id));
    advance_to (10, 55);
    wait_state (failed_id, BK_ENGINE_STATE_FAILED);
    wait_call (failed);
    g_assert_cmpstr (server.last_body, ==, bk_engine_get_error (fx.engine, failed_id));
    g_assert_nonnull (strstr (server.last_body, "Budget"));
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
      advance_to (11, 30);
      wait_state (failed_id, BK_ENGINE_STATE_ENDED);
      g_assert_cmpuint (bk_sim_cluster_get_n_calls (fx.sim, -1), ==, 0);
      wait_held (FALSE);
    }
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GDateTime) start = at (8, 0);
  g_autoptr(GError) error = NULL;
  int status;

  bk_ui_test_init (&argc, &argv);
  server_start ();

  fx.sim = bk_sim_cluster_new (1);
  bk_sim_cluster_set_tls (fx.sim, TRUE);
  g_assert_true (bk_sim_cluster_start (fx.sim, &error));
  g_assert_no_error (error);
  fx.space = bk_sim_cluster_add_cospace (fx.sim, "TMS_Scheduled_Meeting_7001", "7001", "7001");
  {
    /* An idle slot, as onboarding leaves it. */
    static const char * const idle[] = { "nonMemberAccess", "false", NULL };
    g_autoptr(BkCmsClient) probe =
      bk_cms_client_new (bk_sim_cluster_get_node_url (fx.sim, 0), BK_SIM_DEFAULT_USERNAME,
                         BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (fx.sim));
    g_autofree char *path = g_strdup_printf ("coSpaces/%s", fx.space);
    g_autoptr(BkCmsReply) reply = NULL;
    GAsyncResult *res = NULL;

    bk_cms_client_request_async (probe, "PUT", path, idle, NULL, result_cb, &res);
    bk_test_wait_until (result_ready, &res, WAIT_MS);
    reply = bk_cms_client_request_finish (probe, res, &error);
    g_assert_no_error (error);
    g_object_unref (res);
  }

  /* The application, as bk_ui_test_get_app() makes it, with a fake clock. */
  fx.clock = bk_fake_clock_new (start);
  fx.app = bk_application_new ();
  g_application_set_flags (G_APPLICATION (fx.app),
                           g_application_get_flags (G_APPLICATION (fx.app)) | G_APPLICATION_NON_UNIQUE);
  bk_application_set_clock_for_testing (fx.app, fx.clock);
  g_application_register (G_APPLICATION (fx.app), NULL, &error);
  g_assert_no_error (error);
  bk_test_wait_until (loaded, fx.app, WAIT_MS);
  fx.engine = bk_application_get_engine (fx.app);

  g_test_add_func ("/engine-app/in-background", test_engine_in_background);
  status = g_test_run ();

  bk_sim_cluster_stop (fx.sim);
  g_clear_object (&fx.sim);
  g_clear_object (&fx.device);
  g_free (fx.space);
  return status;
}
