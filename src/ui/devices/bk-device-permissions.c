/* bk-device-permissions.c: the device page's Permissions tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include "bk-device-permissions.h"

/* The switches in the template's order. */
static const struct {
  const char    *id;
  BkAccessLevel  level;
} access_switches[] = {
  { "read_switch", BK_ACCESS_LEVEL_READ },
  { "book_switch", BK_ACCESS_LEVEL_BOOK },
  { "edit_settings_switch", BK_ACCESS_LEVEL_EDIT_SETTINGS },
  { "manage_calls_switch", BK_ACCESS_LEVEL_MANAGE_CALLS },
  { "set_permissions_switch", BK_ACCESS_LEVEL_SET_PERMISSIONS },
};

#define N_SWITCHES G_N_ELEMENTS (access_switches)

struct _BkDevicePermissions
{
  AdwBin     parent_instance;

  BkDevice  *device;
  gboolean   loading;

  /* Template widgets */
  GtkSwitch *switches[N_SWITCHES];
};

G_DEFINE_FINAL_TYPE (BkDevicePermissions, bk_device_permissions, ADW_TYPE_BIN)

static void
load_levels (BkDevicePermissions *self)
{
  BkAccessLevel levels = bk_device_get_access_levels (self->device);

  self->loading = TRUE;
  for (guint i = 0; i < N_SWITCHES; i++)
    if (gtk_switch_get_active (self->switches[i]) != ((levels & access_switches[i].level) != 0))
      gtk_switch_set_active (self->switches[i], (levels & access_switches[i].level) != 0);
  self->loading = FALSE;
}

static void
access_switch_cb (GtkSwitch           *sw,
                  GParamSpec          *pspec,
                  BkDevicePermissions *self)
{
  BkAccessLevel levels;

  if (self->device == NULL || self->loading)
    return;

  levels = bk_device_get_access_levels (self->device);
  for (guint i = 0; i < N_SWITCHES; i++)
    if (self->switches[i] == sw)
      {
        if (gtk_switch_get_active (sw))
          levels |= access_switches[i].level;
        else
          levels &= ~access_switches[i].level;
      }
  bk_device_set_access_levels (self->device, levels);
}

void
bk_device_permissions_set_bridge (BkDevicePermissions *self,
                                  BkBridge            *bridge)
{
  g_return_if_fail (BK_IS_DEVICE_PERMISSIONS (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));
  g_return_if_fail (self->device == NULL);

  self->device = g_object_ref (bk_bridge_get_device (bridge));
  load_levels (self);
  g_signal_connect_object (self->device, "notify::access-levels", G_CALLBACK (load_levels), self, G_CONNECT_SWAPPED);
}

static void
bk_device_permissions_dispose (GObject *object)
{
  BkDevicePermissions *self = BK_DEVICE_PERMISSIONS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_PERMISSIONS);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (bk_device_permissions_parent_class)->dispose (object);
}

static void
bk_device_permissions_class_init (BkDevicePermissionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_permissions_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-permissions.ui");
  for (guint i = 0; i < N_SWITCHES; i++)
    gtk_widget_class_bind_template_child_full (widget_class, access_switches[i].id, FALSE,
                                               G_STRUCT_OFFSET (BkDevicePermissions, switches)
                                               + i * sizeof (GtkSwitch *));
  gtk_widget_class_bind_template_callback (widget_class, access_switch_cb);
}

static void
bk_device_permissions_init (BkDevicePermissions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
