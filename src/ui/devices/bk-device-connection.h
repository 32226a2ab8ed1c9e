/* bk-device-connection.h: the device page's Connection tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_CONNECTION (bk_device_connection_get_type ())
G_DECLARE_FINAL_TYPE (BkDeviceConnection, bk_device_connection, BK, DEVICE_CONNECTION, AdwBin)

/*
 * Where the bridge is, Test Connection, its trusted certificate (and
 * trusting a changed one after confirmation), the API credentials. Its
 * buttons activate device.test-connection, device.repin and
 * device.change-credentials, which BkDevicePage provides by calling the
 * functions below.
 */
/* Once, by the page. */
void bk_device_connection_set_bridge          (BkDeviceConnection *self,
                                               BkBridge           *bridge);
void bk_device_connection_test                (BkDeviceConnection *self);
/* Asks to trust the changed certificate seen by the last test. */
void bk_device_connection_repin               (BkDeviceConnection *self);
void bk_device_connection_change_credentials  (BkDeviceConnection *self);

G_END_DECLS
