/* bk-bridge-row.c: one bridge in the sidebar list
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBridgeRow"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-bridge-row.h"
#include "bk-validate.h"

struct _BkBridgeRow
{
  GtkListBoxRow  parent_instance;

  BkDevice      *device;
  GtkLabel      *name_label;
  GtkLabel      *address_label;
  GtkImage      *status_icon;
};

G_DEFINE_FINAL_TYPE (BkBridgeRow, bk_bridge_row, GTK_TYPE_LIST_BOX_ROW)

static void
bk_bridge_row_update (BkBridgeRow *self)
{
  const char *icon;
  const char *status;
  const char *style = NULL;
  g_autofree char *address = NULL;
  g_autofree char *spoken = NULL;
  gboolean unfinished = bk_device_get_onboarding_stage (self->device) != BK_ONBOARDING_STAGE_COMPLETE;

  if (unfinished)
    {
      icon = "dialog-warning-symbolic";
      status = _("Set-up not finished");
      style = "warning";
    }
  else
    {
      switch (bk_device_get_reachability (self->device))
        {
        case BK_REACHABILITY_REACHABLE:
          icon = "emblem-ok-symbolic";
          status = _("Reachable");
          style = "success";
          break;
        case BK_REACHABILITY_UNREACHABLE:
          icon = "network-error-symbolic";
          status = _("Unreachable");
          style = "error";
          break;
        case BK_REACHABILITY_UNKNOWN:
        default:
          icon = "network-server-symbolic";
          status = _("Not checked yet");
          break;
        }
    }

  address = bk_format_address (bk_device_get_address (self->device), bk_device_get_port (self->device),
                               BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT);

  /* A set-up that stopped half-way: the bridge is known by its address
   * (its name, if it got one), and says that its set-up is not finished. */
  gtk_label_set_text (self->name_label,
                      bk_device_get_name (self->device)[0] != '\0' ? bk_device_get_name (self->device) : address);
  gtk_label_set_text (self->address_label, unfinished ? status : address);
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), status);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style);

  /* Translators: how a screen reader names a bridge in the list: name,
   * address, status. */
  spoken = g_strdup_printf (_("%s, %s, %s"), bk_device_get_display_name (self->device), address, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
bk_bridge_row_dispose (GObject *object)
{
  BkBridgeRow *self = BK_BRIDGE_ROW (object);

  g_clear_object (&self->device);

  G_OBJECT_CLASS (bk_bridge_row_parent_class)->dispose (object);
}

static void
bk_bridge_row_class_init (BkBridgeRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bk_bridge_row_dispose;
}

static void
bk_bridge_row_init (BkBridgeRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  self->status_icon = GTK_IMAGE (gtk_image_new ());
  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  self->address_label = GTK_LABEL (gtk_label_new (NULL));

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  gtk_label_set_xalign (self->address_label, 0);
  gtk_label_set_ellipsize (self->address_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->address_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->address_label), "caption");
  gtk_widget_set_hexpand (text, TRUE);

  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->address_label));
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_icon));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
}

GtkWidget *
bk_bridge_row_new (BkDevice *device)
{
  BkBridgeRow *self;

  g_return_val_if_fail (BK_IS_DEVICE (device), NULL);

  self = g_object_new (BK_TYPE_BRIDGE_ROW, NULL);
  self->device = g_object_ref (device);
  g_signal_connect_object (device, "notify", G_CALLBACK (bk_bridge_row_update), self, G_CONNECT_SWAPPED);
  bk_bridge_row_update (self);

  return GTK_WIDGET (self);
}

BkDevice *
bk_bridge_row_get_device (BkBridgeRow *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE_ROW (self), NULL);

  return self->device;
}
