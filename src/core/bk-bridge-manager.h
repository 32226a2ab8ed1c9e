/* bk-bridge-manager.h: the live bridges, one per listed device
 *
 * The application owns one BkBridgeManager beside the device store and the
 * secrets (as GNOME Calendar's manager owns its sources).  It owns exactly
 * one BkBridge per device of the store: made when the device is added or
 * loaded, disposed (its requests cancelled, its refresh stopped) when the
 * device is removed.  It works with no window open: pages and the
 * conference engine get the bridges from here and only observe them.
 *
 * Every request sent for a bridge lands in that bridge's log, onboarding
 * included: watch_onboarding() makes the onboarding's clients log into the
 * log that the device's bridge will have (or has, when resuming).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-bridge.h"
#include "bk-device-store.h"
#include "bk-onboarding.h"
#include "bk-secrets.h"

G_BEGIN_DECLS

#define BK_TYPE_BRIDGE_MANAGER (bk_bridge_manager_get_type ())
G_DECLARE_FINAL_TYPE (BkBridgeManager, bk_bridge_manager, BK, BRIDGE_MANAGER, GObject)

/*
 * A GListModel of BkBridge in the store's order (items-changed follows the
 * store's).  Properties: "store", "secrets" (construct-only), "n-items".
 */
BkBridgeManager *bk_bridge_manager_new         (BkDeviceStore   *store,
                                                BkSecrets       *secrets);
BkDeviceStore   *bk_bridge_manager_get_store   (BkBridgeManager *self);
BkSecrets       *bk_bridge_manager_get_secrets (BkBridgeManager *self);
/* The bridge of the listed device with this id; transfer none; NULL when
 * the device is not listed. */
BkBridge        *bk_bridge_manager_lookup      (BkBridgeManager *self,
                                                const char      *device_id);

/* Every request @onboarding sends from now on (every client it makes)
 * is logged into the log of its device's bridge: the bridge's own log when
 * the device is listed already (resuming), else a log the bridge takes
 * over when the onboarding adds the device to the store.  Call it right
 * after creating the onboarding.  The watch ends with the onboarding. */
void             bk_bridge_manager_watch_onboarding (BkBridgeManager *self,
                                                     BkOnboarding    *onboarding);

G_END_DECLS
