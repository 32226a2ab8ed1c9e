/* bk-device-permissions.h: the device page's Permissions tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_PERMISSIONS (bk_device_permissions_get_type ())
G_DECLARE_FINAL_TYPE (BkDevicePermissions, bk_device_permissions, BK, DEVICE_PERMISSIONS, AdwBin)

/* What the person may do with the bridge: one switch per access level,
 * written to the device at once (the store saves it). */
/* Once, by the page. */
void bk_device_permissions_set_bridge (BkDevicePermissions *self,
                                       BkBridge            *bridge);

G_END_DECLS
