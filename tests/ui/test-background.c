/* test-background.c: Bridgekeeper runs after login while meetings are due.
 *
 * /background/autostart: outside Flatpak, the autostart entry in the
 *   (private) XDG_CONFIG_HOME is written while meetings are due and
 *   removed when the "run-in-background" setting is turned off.
 * /background/portal: inside Flatpak, the Background portal is asked, a
 *   fake org.freedesktop.portal.Desktop on the private session bus of
 *   build-aux/run-headless answers (the D-Bus boundary: the real portal
 *   does not run headless); a refusal is said in Preferences.
 * /background/launch: `bridgekeeper --background` starts with no window
 *   and the engine running; launching Bridgekeeper again (the real
 *   program, in another process) opens the window in this process, again
 *   after it was closed; Quit asks first while meetings are due, then
 *   quits although held.
 * /background/launch-idle: `--background` with nothing due plans, then
 *   quits, never showing a window.
 * /background/demo-reopen: the demo is unique under its own ID: a closed
 *   demo window is reopened by launching the demo again, and by a
 *   notification's default action.
 * The portal and launch cases also run in zh_TW (-zh): the sentences
 * compared are the translations.
 *
 * Each runs in its own process (meson runs it with -p): applications of
 * one ID cannot be registered twice on one connection.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBackground"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-booking-file.h"
#include "bk-bridge-ui-test.h"
#include "bk-fake-clock.h"
#include "bk-ui-test.h"

#define WAIT_MS 60000

static GDateTime *
at (int h, int m)
{
  return g_date_time_new_utc (2030, 1, 7, h, m, 0);
}

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

static gboolean
loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (data);
}

/* A bridge with one slot (nothing listens there: the fake clock never
 * reaches the meeting's check). */
static BkDevice *
new_device (void)
{
  BkDevice *device = g_object_new (BK_TYPE_DEVICE, "id", "bridge-a", "address", "127.0.0.1",
                                   "port", 9, NULL);

  bk_device_set_name (device, "CMS A");
  bk_device_set_domain (device, "meet.example.com");
  bk_device_set_numeric_id_base (device, 7001);
  bk_device_set_numeric_id_quantity (device, 1);
  bk_device_set_username (device, "admin");
  return device;
}

/* Books a Reservation on @device at @h:00 (30 minutes), the rules'
 * "now" 08:00; returns the occurrence id. */
static char *
book (BkBookingStore *bookings,
      BkDevice       *device,
      int             h)
{
  g_autoptr(GDateTime) start = at (h, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 30);
  g_autoptr(GDateTime) now = at (8, 0);
  g_autoptr(BkBooking) b = bk_booking_new ("Board meeting", "UTC", start, end);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new ();
  BkBookingRules rules = { g_date_time_to_unix (now), bridges, NULL };
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (bridges, device);
  b->type = BK_BOOKING_TYPE_RESERVATION;
  g_assert_true (bk_booking_store_save (bookings, &rules, b, NULL, &error));
  g_assert_no_error (error);
  return bk_engine_occurrence_id (b->uid, g_date_time_to_unix (start));
}

static gboolean
held_is (gpointer data)
{
  return bk_application_get_held_in_background (g_object_get_data (data, "app"))
         == GPOINTER_TO_INT (g_object_get_data (data, "want"));
}

static void
wait_held (BkApplication *app,
           gboolean       held)
{
  g_autoptr(GObject) w = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (w, "app", app);
  g_object_set_data (w, "want", GINT_TO_POINTER (held));
  bk_test_wait_until (held_is, w, WAIT_MS);
  g_assert_cmpint (bk_application_get_held_in_background (app), ==, held);
}

/* A registered application (not unique: tests share the bus) with a fake
 * clock at 08:00. */
static BkApplication *
new_app (int sandboxed)
{
  g_autoptr(BkClock) clock = NULL;
  g_autoptr(GDateTime) start = at (8, 0);
  g_autoptr(GError) error = NULL;
  BkApplication *app = bk_application_new ();

  clock = bk_fake_clock_new (start);
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  bk_application_set_clock_for_testing (app, clock);
  if (sandboxed >= 0)
    bk_application_set_sandboxed_for_testing (app, sandboxed);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  bk_test_wait_until (loaded, app, WAIT_MS);
  return app;
}

static char *
autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APPLICATION_ID ".desktop", NULL);
}

static gboolean
file_exists_is (gpointer data)
{
  g_autofree char *path = autostart_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS) == GPOINTER_TO_INT (data);
}

static void
wait_autostart (gboolean exists)
{
  g_autofree char *path = autostart_path ();

  bk_test_wait_until (file_exists_is, GINT_TO_POINTER (exists), WAIT_MS);
  if (g_file_test (path, G_FILE_TEST_EXISTS) != exists)
    g_error ("The autostart entry %s %s", path, exists ? "was not written" : "was not removed");
}

static gboolean problem_is_set (gpointer data);

/* ---- /background/autostart ---- */

static void
test_autostart (void)
{
  g_autoptr(BkApplication) app = NULL;
  g_autoptr(BkDevice) device = new_device ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = autostart_path ();
  g_autofree char *exec = NULL;
  g_autofree char *want_exec = g_strdup_printf ("%s/bridgekeeper --background", BINDIR);
  g_autofree char *id = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autofree char *uid = NULL;
  GSettings *settings;

  /* Never the user's own autostart folder: bk_test_init() made a private
   * XDG_CONFIG_HOME. */
  g_assert_true (g_str_has_prefix (g_get_user_config_dir (), bk_test_get_tmpdir ()));

  app = new_app (FALSE);
  settings = bk_application_get_settings (app);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_cmpstr (bk_background_get_autostart_path (bk_application_get_background (app)), ==, path);

  /* Nothing due: no entry. */
  g_assert_false (bk_application_get_held_in_background (app));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (bk_device_store_add (bk_application_get_store (app), device, &error));
  g_assert_no_error (error);
  id = book (bk_application_get_bookings (app), device, 10);
  wait_held (app, TRUE);
  wait_autostart (TRUE);

  /* A valid desktop entry that starts Bridgekeeper without a window. */
  g_assert_true (g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (key_file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, want_exec);
  {
    g_autofree char *type = g_key_file_get_value (key_file, G_KEY_FILE_DESKTOP_GROUP, "Type", NULL);

    g_assert_cmpstr (type, ==, "Application");
  }
  g_assert_true (g_key_file_get_boolean (key_file, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL));
  g_assert_true (g_key_file_get_boolean (key_file, G_KEY_FILE_DESKTOP_GROUP, "NoDisplay", NULL));
  {
    g_autofree char *validate = g_find_program_in_path ("desktop-file-validate");

    if (validate != NULL)
      {
        const char *argv[] = { validate, path, NULL };
        g_autofree char *out = NULL;
        int status;

        g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                     &out, NULL, &status, &error));
        g_assert_no_error (error);
        if (!g_spawn_check_wait_status (status, NULL))
          g_error ("desktop-file-validate refused the autostart entry: %s", out);
      }
  }
  /* No temporary file left beside it (written atomically). */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
    const char *name;
    guint n = 0;

    g_assert_no_error (error);
    while ((name = g_dir_read_name (d)) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }

  /* Turned off: removed (the hold goes too); on again: written again. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  wait_held (app, FALSE);
  wait_autostart (FALSE);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_held (app, TRUE);
  wait_autostart (TRUE);

  /* Turned off while nothing is due: removed all the same. */
  uid = g_strndup (id, strrchr (id, '@') - id);
  g_assert_true (bk_booking_store_remove (bk_application_get_bookings (app), uid));
  wait_held (app, FALSE);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  wait_autostart (FALSE);
  g_assert_null (bk_background_get_problem (bk_application_get_background (app)));

  /* The entry cannot be written (a file where its folder should be): said
   * in a sentence, nothing else lost. */
  {
    BkBackground *background = bk_application_get_background (app);
    g_autofree char *again = NULL;

    bk_test_rm_rf (dir);
    g_assert_true (g_file_set_contents (dir, "", 0, &error));
    g_assert_no_error (error);
    g_settings_set_boolean (settings, "run-in-background", TRUE);
    again = book (bk_application_get_bookings (app), device, 11);
    wait_held (app, TRUE);
    bk_test_wait_until (problem_is_set, background, WAIT_MS);
    g_assert_true (g_str_has_prefix (bk_background_get_problem (background),
                                     "Bridgekeeper could not set itself to start after you log in ("));
    g_assert_true (g_str_has_suffix (bk_background_get_problem (background),
                                     "). Open it after logging in so that booked meetings start."));
    g_assert_nonnull (strstr (bk_background_get_problem (background), dir));
    g_assert_true (g_file_test (dir, G_FILE_TEST_IS_REGULAR));
    g_assert_true (bk_application_get_held_in_background (app));
  }
}

/* ---- /background/portal: a fake org.freedesktop.portal.Desktop ---- */

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *bus;
  guint            n_requests;
  guint            n_answered;
  gboolean         last_autostart;
  char            *last_reason;
  char            *last_commandline;   /* space-separated */
  char            *last_parent;
  /* The next answer. */
  guint32          response;
  gboolean         background;
  gboolean         autostart;
} Portal;

static Portal portal;

typedef struct
{
  char *sender;
  char *path;
} Answer;

static gboolean
portal_answer_cb (gpointer data)
{
  Answer *a = data;
  GVariantBuilder results;
  g_autoptr(GError) error = NULL;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (portal.background));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (portal.autostart));
  /* As xdg-desktop-portal: to the caller only. */
  g_dbus_connection_emit_signal (portal.bus, a->sender, a->path, "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", portal.response, &results), &error);
  g_assert_no_error (error);
  portal.n_answered++;
  g_free (a->sender);
  g_free (a->path);
  g_free (a);
  return G_SOURCE_REMOVE;
}

static void
portal_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  g_autoptr(GVariant) options = NULL;
  g_autofree const char **commandline = NULL;
  g_autofree char *unique = g_strdup (sender + 1);
  const char *parent;
  const char *token = NULL;
  const char *reason = NULL;
  Answer *a;

  g_assert_cmpstr (method_name, ==, "RequestBackground");
  g_variant_get (parameters, "(&s@a{sv})", &parent, &options);
  g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
  g_assert_true (g_variant_lookup (options, "reason", "&s", &reason));
  g_assert_true (g_variant_lookup (options, "autostart", "b", &portal.last_autostart));
  g_assert_true (g_variant_lookup (options, "commandline", "^a&s", &commandline));
  g_free (portal.last_reason);
  portal.last_reason = g_strdup (reason);
  g_free (portal.last_commandline);
  portal.last_commandline = g_strjoinv (" ", (char **) commandline);
  g_free (portal.last_parent);
  portal.last_parent = g_strdup (parent);
  portal.n_requests++;

  g_strdelimit (unique, ".", '_');
  a = g_new0 (Answer, 1);
  a->sender = g_strdup (sender);
  a->path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", unique, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", a->path));
  /* The user answers the portal's dialog a little later. */
  g_idle_add (portal_answer_cb, a);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
portal_acquired_cb (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* On a connection of its own, as another process would be. */
static void
portal_start (void)
{
  static const GDBusInterfaceVTable vtable = { portal_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  static gboolean owned;

  g_assert_no_error (error);
  portal.bus = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (portal.bus, "/org/freedesktop/portal/desktop", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (portal.bus, "org.freedesktop.portal.Desktop", G_BUS_NAME_OWNER_FLAGS_NONE,
                                portal_acquired_cb, NULL, &owned, NULL);
  bk_test_wait_until (flag_set, &owned, WAIT_MS);
  g_assert_true (owned);
}

static gboolean
answered (gpointer data)
{
  return portal.n_answered >= GPOINTER_TO_UINT (data);
}

static gboolean
problem_is_set (gpointer data)
{
  return bk_background_get_problem (data) != NULL;
}

static gboolean
problem_is_clear (gpointer data)
{
  return bk_background_get_problem (data) == NULL;
}

/* Preferences' "Run in the Background" row: its subtitle (NULL when the
 * window shows no such row). */
static char *
prefs_row_subtitle (BkApplication *app,
                    gboolean      *warning)
{
  BkWindow *window;
  GtkWindow *prefs;
  GtkWidget *row;
  char *subtitle;

  g_application_activate (G_APPLICATION (app));
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);
  {
    GtkWindow *except[] = { GTK_WINDOW (window), NULL };

    g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
    prefs = bk_ui_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW, except, WAIT_MS);
  }
  g_assert_nonnull (prefs);
  row = bk_ui_test_find_by_text (GTK_WIDGET (prefs), _("Run in the Background"));
  while (row != NULL && !ADW_IS_ACTION_ROW (row))
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  *warning = gtk_widget_has_css_class (row, "warning");
  if (*warning)
    bk_bridge_ui_test_screenshot (GTK_WIDGET (prefs), "background-refused");
  gtk_window_destroy (prefs);
  bk_ui_test_close_window (GTK_WINDOW (window));
  return subtitle;
}

static void
test_portal (void)
{
  g_autoptr(BkApplication) app = NULL;
  g_autoptr(BkDevice) device = new_device ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = autostart_path ();
  g_autofree char *subtitle = NULL;
  g_autofree char *id = NULL;
  BkBackground *background;
  GSettings *settings;
  gboolean warning = TRUE;

  portal_start ();
  /* First the user says no. */
  portal.response = 1;
  portal.background = FALSE;
  portal.autostart = FALSE;

  app = new_app (TRUE);
  settings = bk_application_get_settings (app);
  background = bk_application_get_background (app);
  g_assert_cmpuint (portal.n_requests, ==, 0);

  g_assert_true (bk_device_store_add (bk_application_get_store (app), device, &error));
  g_assert_no_error (error);
  id = book (bk_application_get_bookings (app), device, 10);
  wait_held (app, TRUE);

  /* Asked once, for autostart with `bridgekeeper --background` and a reason. */
  bk_test_wait_until (answered, GUINT_TO_POINTER (1), WAIT_MS);
  g_assert_cmpuint (portal.n_requests, ==, 1);
  g_assert_true (portal.last_autostart);
  g_assert_cmpstr (portal.last_commandline, ==, "bridgekeeper --background");
  g_assert_cmpstr (portal.last_reason, ==, _("Start and end booked meetings on time while the window is closed"));
  g_assert_cmpstr (portal.last_parent, ==, "");
  /* Inside Flatpak the portal writes the entry; Bridgekeeper writes none. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The refusal is said in Preferences, with a warning. */
  bk_test_wait_until (problem_is_set, background, WAIT_MS);
  g_assert_cmpstr (bk_background_get_problem (background), ==,
                   _("Bridgekeeper is not allowed to run in the background: booked meetings will not start "
                     "while its window is closed. Allow it in the system settings (Apps), or keep the window open."));
  subtitle = prefs_row_subtitle (app, &warning);
  g_assert_cmpstr (subtitle, ==, bk_background_get_problem (background));
  g_assert_true (warning);
  g_clear_pointer (&subtitle, g_free);

  /* Not asked again while held. */
  {
    g_autofree char *later = book (bk_application_get_bookings (app), device, 12);

    g_assert_cmpuint (portal.n_requests, ==, 1);
  }

  /* Turned off: the portal is asked to remove its autostart entry; on
   * again and allowed: no sentence. */
  portal.response = 0;
  portal.background = TRUE;
  portal.autostart = FALSE;
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  bk_test_wait_until (answered, GUINT_TO_POINTER (2), WAIT_MS);
  g_assert_false (portal.last_autostart);
  bk_test_wait_until (problem_is_clear, background, WAIT_MS);

  portal.autostart = TRUE;
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  bk_test_wait_until (answered, GUINT_TO_POINTER (3), WAIT_MS);
  g_assert_true (portal.last_autostart);
  bk_test_wait_until (problem_is_clear, background, WAIT_MS);
  g_assert_null (bk_background_get_problem (background));
  subtitle = prefs_row_subtitle (app, &warning);
  g_assert_cmpstr (subtitle, ==, _("Keep running booked meetings after the window is closed, "
                                   "while meetings are due in the next 24 hours"));
  g_assert_false (warning);
  g_clear_pointer (&subtitle, g_free);

  /* Allowed in the background but not at login: said too. */
  portal.autostart = FALSE;
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  bk_test_wait_until (answered, GUINT_TO_POINTER (4), WAIT_MS);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  bk_test_wait_until (answered, GUINT_TO_POINTER (5), WAIT_MS);
  bk_test_wait_until (problem_is_set, background, WAIT_MS);
  g_assert_cmpstr (bk_background_get_problem (background), ==,
                   _("Bridgekeeper may run in the background but not start by itself after you log in: "
                     "open it after logging in so that booked meetings start."));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (portal.n_requests, ==, 5);
}

/* ---- /background/launch ---- */

static char *
program_path (void)
{
  return g_build_filename (g_getenv ("BK_TOP_BUILDDIR"), "src", "bridgekeeper", NULL);
}

static gboolean
subprocess_done (gpointer data)
{
  return g_object_get_data (data, "done") != NULL;
}

static void
subprocess_wait_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_object_set_data (source, "done", GINT_TO_POINTER (1));
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the real program as a launch from the shell would, and waits for
 * it to exit (a second instance hands over to the running one). */
static void
launch (const char *option)
{
  g_autofree char *program = program_path ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, option, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, subprocess_wait_cb, NULL);
  /* Not bk_test_wait_until(): on a time-out the process must be ended. */
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add (bk_test_scale_ms (30000), timed_out_cb, &timed_out);

    while (!subprocess_done (process) && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    if (!timed_out)
      g_source_remove (id);
  }
  if (!subprocess_done (process))
    {
      /* A second instance that stayed (its own window): the defect. */
      g_subprocess_force_exit (process);
      g_error ("`bridgekeeper %s` did not hand over to the running instance", option ? option : "");
    }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Whatever a launch sent this process has been handled: a round trip
 * through the bus, then the main context drained. */
static void
settle (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
  for (int i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static guint
n_windows (BkApplication *app)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

typedef struct
{
  char     *id;
  gboolean  done;
} Launch;

static gboolean
run_launch_cb (gpointer data)
{
  BkApplication *app = g_object_get_data (data, "app");
  Launch *l = g_object_get_data (data, "launch");
  BkEngine *engine = bk_application_get_engine (app);
  BkWindow *window;
  GtkWindow *dialog;

  /* Started in the background: no window, the engine planned the
   * meeting, the application holds itself. */
  wait_held (app, TRUE);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_assert_cmpuint (n_windows (app), ==, 0);
  g_assert_nonnull (engine);
  g_assert_cmpuint (bk_engine_get_n_pending (engine), ==, 1);
  g_assert_cmpint (bk_engine_get_state (engine, l->id), ==, BK_ENGINE_STATE_SCHEDULED);

  /* Launched again from the shell: the window opens in this process. */
  launch (NULL);
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));

  /* Closed: still running, the engine too; reopened by a launch. */
  bk_ui_test_close_window (GTK_WINDOW (window));
  g_assert_cmpuint (n_windows (app), ==, 0);
  g_assert_true (bk_application_get_held_in_background (app));
  g_assert_true (bk_application_get_engine (app) == engine);
  launch (NULL);
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);
  g_assert_cmpuint (n_windows (app), ==, 1);

  /* `--background` while it runs: nothing more opens. */
  launch ("--background");
  settle ();
  g_assert_cmpuint (n_windows (app), ==, 1);

  /* Quit while a meeting is due: asked first; Cancel keeps it running. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  {
    GtkWindow *except[] = { GTK_WINDOW (window), NULL };

    dialog = bk_ui_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, except, WAIT_MS);
  }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, _("Quit Bridgekeeper?"));
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   _("Meetings booked in the next 24 hours will not start while Bridgekeeper is not running."));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "quit-confirm");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  settle ();
  g_assert_cmpuint (n_windows (app), >=, 1);
  g_assert_true (bk_application_get_held_in_background (app));

  /* Quit confirmed: it quits although held (g_application_run returns). */
  l->done = TRUE;
  bk_ui_test_quit (app);
  return G_SOURCE_REMOVE;
}

/* The test's body runs in the application's main loop, from its first
 * activation on. */
static void
first_activate_cb (GApplication *app,
                   gpointer      data)
{
  if (g_object_get_data (G_OBJECT (app), "scheduled") != NULL)
    return;
  g_object_set_data (G_OBJECT (app), "scheduled", GINT_TO_POINTER (1));
  g_idle_add (g_object_get_data (G_OBJECT (app), "body"), data);
}

static void
test_launch (void)
{
  g_autoptr(GDateTime) start = at (8, 0);
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  g_autoptr(BkApplication) app = NULL;
  g_autoptr(GObject) data = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "bridgekeeper", (char *) "--background", NULL };
  Launch l = { NULL, FALSE };
  int status;

  /* Yesterday's Bridgekeeper left a bridge and a meeting at 10:00. */
  {
    g_autoptr(BkDeviceStore) store = bk_device_store_new (NULL);
    g_autoptr(BkDevice) device = new_device ();
    g_autoptr(BkBookingFile) file = bk_booking_file_new (bk_device_store_get_directory (store));
    g_autoptr(BkBookingStore) bookings = bk_booking_store_new (BK_BOOKING_BACKEND (file),
                                                               BK_BOOKING_DEFAULT_EARLY_JOIN);
    GAsyncResult *res = NULL;

    g_assert_true (bk_device_store_add (store, device, &error));
    g_assert_no_error (error);
    g_assert_true (bk_device_store_flush (store, &error));
    g_assert_no_error (error);
    bk_booking_store_load_async (bookings, NULL, result_cb, &res);
    bk_test_wait_until (result_ready, &res, WAIT_MS);
    g_assert_nonnull (res);
    bk_booking_store_load_finish (bookings, res, NULL);
    g_clear_object (&res);
    l.id = book (bookings, device, 10);
    bk_booking_store_flush_async (bookings, NULL, result_cb, &res);
    bk_test_wait_until (result_ready, &res, WAIT_MS);
    g_assert_nonnull (res);
    g_assert_true (bk_booking_store_flush_finish (bookings, res, &error));
    g_assert_no_error (error);
    g_clear_object (&res);
  }

  /* The real application ID, unique, as at login. */
  app = bk_application_new ();
  bk_application_set_clock_for_testing (app, clock);
  g_object_set_data (G_OBJECT (app), "body", run_launch_cb);
  g_object_set_data (data, "app", app);
  g_object_set_data (data, "launch", &l);
  g_signal_connect_after (app, "activate", G_CALLBACK (first_activate_cb), data);
  status = g_application_run (G_APPLICATION (app), 2, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (l.done);
  g_assert_cmpuint (n_windows (app), ==, 0);
  g_free (l.id);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  g_object_set_data (G_OBJECT (app), "window-seen", GINT_TO_POINTER (1));
}

/* Started in the background with nothing due: it plans, then quits,
 * never showing a window. */
static void
test_launch_idle (void)
{
  g_autoptr(GDateTime) start = at (8, 0);
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  g_autoptr(BkApplication) app = bk_application_new ();
  char *argv[] = { (char *) "bridgekeeper", (char *) "--background", NULL };
  int status;

  bk_application_set_clock_for_testing (app, clock);
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (bk_application_get_bookings_loaded (app));
  g_assert_false (bk_application_get_held_in_background (app));
  g_assert_cmpuint (n_windows (app), ==, 0);
  g_assert_null (g_object_get_data (G_OBJECT (app), "window-seen"));
}

/* ---- /background/demo-reopen ---- */

static gboolean
run_demo_cb (gpointer data)
{
  BkApplication *app = data;
  BkWindow *window;

  g_assert_true (bk_application_is_demo (app));
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID ".Demo");
  g_assert_false (g_application_get_flags (G_APPLICATION (app)) & G_APPLICATION_NON_UNIQUE);
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);

  /* Held (as while its meetings are due), the window closed: the demo
   * launched again reopens this one's window. */
  g_application_hold (G_APPLICATION (app));
  bk_ui_test_close_window (GTK_WINDOW (window));
  g_assert_cmpuint (n_windows (app), ==, 0);
  launch ("--demo");
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));

  /* A notification clicked (its default action) reopens it too, on the
   * meeting (one that no longer exists: said in a toast). */
  bk_ui_test_close_window (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-meeting", g_variant_new_string ("gone@1893916800"));
  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, WAIT_MS));
  g_assert_nonnull (window);
  g_assert_true (bk_ui_test_window_has_toast (GTK_WIDGET (window)));

  g_application_release (G_APPLICATION (app));
  g_object_set_data (G_OBJECT (app), "done", GINT_TO_POINTER (1));
  bk_ui_test_quit (app);
  return G_SOURCE_REMOVE;
}

static void
test_demo_reopen (void)
{
  g_autoptr(BkApplication) app = bk_application_new ();
  char *argv[] = { (char *) "bridgekeeper", (char *) "--demo", NULL };
  int status;

  g_object_set_data (G_OBJECT (app), "body", run_demo_cb);
  g_signal_connect_after (app, "activate", G_CALLBACK (first_activate_cb), app);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (g_object_get_data (G_OBJECT (app), "done"));
}

int
main (int argc, char **argv)
{
  bk_ui_test_init (&argc, &argv);

  g_test_add_func ("/background/autostart", test_autostart);
  g_test_add_func ("/background/portal", test_portal);
  g_test_add_func ("/background/launch", test_launch);
  g_test_add_func ("/background/launch-idle", test_launch_idle);
  g_test_add_func ("/background/demo-reopen", test_demo_reopen);

  return g_test_run ();
}
