/* bk-notify-test.c: a notification server for the GUI tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkNotifyTest"

#include "config.h"

#include <string.h>

#include "bk-notify-test.h"
#include "bk-test-util.h"

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

static struct
{
  char    *app_id;
  GString *calls;
  char    *last_body;
  char    *last_buttons;
  char    *last_default;
  gboolean owned;
} server;

static char *
describe_buttons (GVariant *dict)
{
  g_autoptr(GVariant) buttons = g_variant_lookup_value (dict, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  GString *text = g_string_new ("");

  for (gsize i = 0; buttons != NULL && i < g_variant_n_children (buttons); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
      g_autoptr(GVariant) target = g_variant_lookup_value (button, "target", NULL);
      g_autofree char *printed = NULL;
      const char *label = "";
      const char *action = "";

      g_variant_lookup (button, "label", "&s", &label);
      g_variant_lookup (button, "action", "&s", &action);
      /* A string as it is; another target as GVariant text: "('id', 1)". */
      if (target != NULL && !g_variant_is_of_type (target, G_VARIANT_TYPE_STRING))
        printed = g_variant_print (target, FALSE);
      g_string_append_printf (text, "%s %s %s|", label, action,
                              printed != NULL ? printed
                              : target != NULL ? g_variant_get_string (target, NULL) : "-");
    }
  return g_string_free (text, FALSE);
}

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
      g_autoptr(GVariant) target = NULL;
      const char *title = "";
      const char *body = "";
      const char *priority = "normal";
      const char *action = NULL;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &dict);
      g_variant_lookup (dict, "title", "&s", &title);
      g_variant_lookup (dict, "body", "&s", &body);
      g_variant_lookup (dict, "priority", "&s", &priority);
      g_string_append_printf (server.calls, "add %s %s %s|", id, title, priority);
      g_free (server.last_body);
      server.last_body = g_strdup (body);
      g_free (server.last_buttons);
      server.last_buttons = describe_buttons (dict);
      g_variant_lookup (dict, "default-action", "&s", &action);
      target = g_variant_lookup_value (dict, "default-action-target", G_VARIANT_TYPE_STRING);
      g_free (server.last_default);
      server.last_default = action == NULL ? g_strdup ("")
                                           : g_strdup_printf ("%s %s", action,
                                                              target != NULL ? g_variant_get_string (target, NULL) : "-");
    }
  else
    {
      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_string_append_printf (server.calls, "remove %s|", id);
    }
  g_assert_cmpstr (app_id, ==, server.app_id);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
name_owned (gpointer data)
{
  return server.owned;
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  server.owned = TRUE;
}

void
bk_notify_test_start (const char *app_id)
{
  static const GDBusInterfaceVTable vtable = { server_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (server.calls);
  server.app_id = g_strdup (app_id);
  server.calls = g_string_new ("");
  server.last_body = g_strdup ("");
  server.last_buttons = g_strdup ("");
  server.last_default = g_strdup ("");
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                name_acquired_cb, NULL, NULL, NULL);
  bk_test_wait_until (name_owned, NULL, 60000);
  g_assert_true (server.owned);
}

const char *
bk_notify_test_get_calls (void)
{
  return server.calls->str;
}

const char *
bk_notify_test_get_last_body (void)
{
  return server.last_body;
}

const char *
bk_notify_test_get_last_buttons (void)
{
  return server.last_buttons;
}

const char *
bk_notify_test_get_last_default (void)
{
  return server.last_default;
}

static gboolean
calls_have (gpointer data)
{
  return strstr (server.calls->str, data) != NULL;
}

void
bk_notify_test_wait_call (const char *text,
                          guint       timeout_ms)
{
  bk_test_wait_until (calls_have, (gpointer) text, timeout_ms);
  if (strstr (server.calls->str, text) == NULL)
    g_error ("No “%s” in the notification calls: %s", text, server.calls->str);
}

void
bk_notify_test_assert_button (const char *label,
                              const char *action,
                              const char *target)
{
  g_autofree char *want = g_strdup_printf ("%s %s %s|", label, action, target);

  if (strstr (server.last_buttons, want) == NULL)
    g_error ("No button “%s” in the last notification: %s", want, server.last_buttons);
}
