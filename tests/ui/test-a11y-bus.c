/* test-a11y-bus.c: the application as a screen reader sees it, over the
 * real accessibility bus (GTK_A11Y=atspi), after a dialog has closed
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestA11yBus"

#include "config.h"

#include "bk-onboarding-window.h"
#include "bk-ui-test.h"

#define TIMEOUT_MS 20000

#define ATSPI_ROOT_PATH "/org/a11y/atspi/accessible/root"
#define ATSPI_ACCESSIBLE "org.a11y.atspi.Accessible"

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} Call;

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

static gboolean
call_is_done (gpointer data)
{
  return ((Call *) data)->done;
}

/* Calls a method and iterates the main loop meanwhile: the application
 * answers from this very process. */
static GVariant *
call (GDBusConnection     *bus,
      const char          *name,
      const char          *path,
      const char          *interface,
      const char          *method,
      GVariant            *parameters,
      const GVariantType  *reply_type,
      GError             **error)
{
  Call c = { NULL, NULL, FALSE };

  g_dbus_connection_call (bus, name, path, interface, method, parameters, reply_type,
                          G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, call_done_cb, &c);
  bk_test_wait_until (call_is_done, &c, TIMEOUT_MS + 1000);
  if (c.error != NULL)
    g_propagate_error (error, c.error);
  return c.reply;
}

static GDBusConnection *
open_a11y_bus (void)
{
  g_autoptr(GDBusConnection) session = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *address;
  GDBusConnection *bus;

  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = call (session, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                NULL, G_VARIANT_TYPE ("(s)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &address);

  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  return bus;
}

typedef struct
{
  GDBusConnection *bus;
  char            *name;   /* the application's name on the bus */
} AppFind;

/* The registry lists the application once GTK has registered it. */
static gboolean
app_registered (gpointer data)
{
  AppFind *find = data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  const char *name;
  const char *path;

  reply = call (find->bus, "org.a11y.atspi.Registry", ATSPI_ROOT_PATH, ATSPI_ACCESSIBLE,
                "GetChildren", NULL, G_VARIANT_TYPE ("(a(so))"), &error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(a(so))", &iter);
  while (g_variant_iter_next (iter, "(&s&o)", &name, &path))
    if (g_str_equal (path, ATSPI_ROOT_PATH))
      {
        g_free (find->name);
        find->name = g_strdup (name);
      }

  return find->name != NULL;
}

static int
get_child_count (GDBusConnection *bus,
                 const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reply = call (bus, name, ATSPI_ROOT_PATH, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", ATSPI_ACCESSIBLE, "ChildCount"),
                G_VARIANT_TYPE ("(v)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_int32 (value);
}

static gboolean
widget_gone (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

/* A screen reader walks the application's windows by index. When a dialog
 * closes, it may still ask for the index the dialog had: GTK 4.8 then
 * answers with the last window in its list of toplevels, visible or not,
 * and a hidden window has no object path: GLib is handed a NULL object
 * path (g_variant_new_object_path), and the application crashed right after
 * the Add Bridge assistant closed. So the application keeps no hidden
 * window around (the keyboard shortcuts window is built when shown), and
 * every index a reader may ask for gets a valid answer. */
static void
test_stale_index_after_dialog (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  g_autoptr(GDBusConnection) bus = open_a11y_bus ();
  AppFind find = { bus, NULL };
  GtkWidget *ow;
  GListModel *toplevels = gtk_window_get_toplevels ();
  int n_with_dialog;

  bk_test_wait_until (app_registered, &find, TIMEOUT_MS);

  /* The assistant open: two windows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-bridge", NULL));
  ow = GTK_WIDGET (bk_ui_test_wait_for_toplevel (BK_TYPE_ONBOARDING_WINDOW, NULL, TIMEOUT_MS));
  n_with_dialog = get_child_count (bus, find.name);
  g_assert_cmpint (n_with_dialog, ==, 2);

  /* It closes. */
  g_object_add_weak_pointer (G_OBJECT (ow), (gpointer *) &ow);
  gtk_window_close (GTK_WINDOW (ow));
  bk_test_wait_until (widget_gone, &ow, TIMEOUT_MS);
  g_assert_cmpint (get_child_count (bus, find.name), ==, 1);

  /* No hidden window is left in GTK's list of toplevels. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (!gtk_widget_get_visible (toplevel))
        g_error ("A hidden %s is kept in the list of windows", G_OBJECT_TYPE_NAME (toplevel));
    }

  /* A reader asks for every index it knew, the closed dialog's included. */
  for (int i = 0; i <= n_with_dialog; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;
      const char *name;
      const char *path;

      reply = call (bus, find.name, ATSPI_ROOT_PATH, ATSPI_ACCESSIBLE, "GetChildAtIndex",
                    g_variant_new ("(i)", i), G_VARIANT_TYPE ("((so))"), &error);
      g_assert_no_error (error);
      g_variant_get (reply, "((&s&o))", &name, &path);
      g_assert_true (g_variant_is_object_path (path));
    }

  {
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) error = NULL;

    reply = call (bus, find.name, ATSPI_ROOT_PATH, ATSPI_ACCESSIBLE, "GetChildren",
                  NULL, G_VARIANT_TYPE ("(a(so))"), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_variant_n_children (g_variant_get_child_value (reply, 0)), ==, 1);
  }

  g_free (find.name);
}

/* The window of an earlier test, or a new one. */
static BkWindow *
get_window (void)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (bk_ui_test_get_app ()));

  return BK_IS_WINDOW (active) ? BK_WINDOW (active) : bk_ui_test_open_window ();
}

static gboolean
n_toplevels_is (gpointer data)
{
  return g_list_model_get_n_items (gtk_window_get_toplevels ()) == GPOINTER_TO_UINT (data);
}

/* The keyboard shortcuts window is still there for the person who asks for
 * it (Ctrl+?), and leaves no hidden window behind when closed. */
static void
test_shortcuts_window (void)
{
  BkWindow *window = get_window ();
  GtkWidget *shortcuts;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_before = g_list_model_get_n_items (toplevels);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = GTK_WIDGET (bk_ui_test_wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, NULL, TIMEOUT_MS));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (shortcuts)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (shortcuts)));
  g_assert_nonnull (bk_ui_test_find_by_type (shortcuts, GTK_TYPE_SHORTCUTS_SHORTCUT));

  gtk_window_close (GTK_WINDOW (shortcuts));
  bk_test_wait_until (n_toplevels_is, GUINT_TO_POINTER (n_before), TIMEOUT_MS);
  for (guint i = 0; i < n_before; i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      g_assert_true (toplevel != shortcuts);
    }

  /* And again: a new one each time. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = GTK_WIDGET (bk_ui_test_wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, NULL, TIMEOUT_MS));
  gtk_window_close (GTK_WINDOW (shortcuts));
  bk_test_wait_until (n_toplevels_is, GUINT_TO_POINTER (n_before), TIMEOUT_MS);
}

int
main (int   argc,
      char *argv[])
{
  bk_ui_test_init (&argc, &argv);

  g_test_add_func ("/a11y-bus/stale-index-after-dialog", test_stale_index_after_dialog);
  g_test_add_func ("/a11y-bus/shortcuts-window", test_shortcuts_window);

  return g_test_run ();
}
