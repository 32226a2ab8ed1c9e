/* bk-device-common.c: small helpers shared by the device page's tabs
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-device-common.h"
#include "bk-format.h"
#include "bk-validate.h"
#include "bk-window.h"

gboolean
bk_device_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
bk_device_show_message (GtkLabel   *label,
                        const char *text,
                        gboolean    error)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

void
bk_device_add_toast (GtkWidget  *widget,
                     const char *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (widget, BK_TYPE_WINDOW);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (window == NULL)
    return;
  /* A toast's title is markup: names and error messages are text. */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  bk_window_add_toast (BK_WINDOW (window), toast);
}

const char *
bk_device_reachability_text (BkReachability reachability)
{
  switch (reachability)
    {
    case BK_REACHABILITY_REACHABLE:
      return _("Reachable");
    case BK_REACHABILITY_UNREACHABLE:
      return _("Unreachable");
    case BK_REACHABILITY_UNKNOWN:
    default:
      return _("Not checked yet");
    }
}

const char *
bk_device_status_text (BkBridge *bridge)
{
  if (bk_bridge_get_status (bridge) == NULL)
    return _("Unknown");
  return bk_bridge_get_in_call (bridge) ? _("In call") : _("Idle");
}

char *
bk_device_dup_address (BkDevice *device)
{
  return bk_format_address (bk_device_get_address (device), bk_device_get_port (device), BK_ADDRESS_FORMAT_DEFAULT);
}

GWeakRef *
bk_device_weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

gpointer
bk_device_weak_ref_steal (GWeakRef *ref)
{
  gpointer object = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return object;
}
