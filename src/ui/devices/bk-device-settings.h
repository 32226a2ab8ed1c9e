/* bk-device-settings.h: the device page's Settings tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_SETTINGS (bk_device_settings_get_type ())
G_DECLARE_FINAL_TYPE (BkDeviceSettings, bk_device_settings, BK, DEVICE_SETTINGS, AdwBin)

/*
 * TMS's settings of the bridge, on four sub-pages (GtkStack page names):
 * "view" (every value), "edit" (the form; Save writes the device, and a
 * new alternate is contacted first), "extended" (domain and numeric ID
 * range; Save changes the meeting spaces on the bridge), "filters"
 * (which problems open a ticket; written at once). Without the Edit
 * Settings access level the last three are read-only.
 *
 * Its buttons activate device.save-settings, device.save-extended and
 * device.refresh-extended, which BkDevicePage provides by calling the
 * functions below.
 */
/* Once, by the page. */
void bk_device_settings_set_bridge        (BkDeviceSettings *self,
                                           BkBridge         *bridge);
/* Shows a sub-page by name. */
void bk_device_settings_show              (BkDeviceSettings *self,
                                           const char       *page);
/* The ticket actions: the form, loaded from the device, shown and focused
 * on the name, the alternate, or the domain. */
void bk_device_settings_edit              (BkDeviceSettings *self);
void bk_device_settings_edit_alternate    (BkDeviceSettings *self);
void bk_device_settings_edit_extended     (BkDeviceSettings *self);
/* Asks to trust the certificate the alternate failed the last check with
 * (nothing when it did not fail on its certificate). */
void bk_device_settings_review_alternate_certificate (BkDeviceSettings *self);
void bk_device_settings_save              (BkDeviceSettings *self);
void bk_device_settings_save_extended     (BkDeviceSettings *self);
void bk_device_settings_refresh_extended  (BkDeviceSettings *self);

G_END_DECLS
