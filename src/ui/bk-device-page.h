/* bk-device-page.h: one bridge's page (TMS's device view: Summary,
 * Settings, Clustering, Connection, Permissions, Logs)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-booking-store.h"
#include "bk-bridge.h"
#include "bk-device-store.h"
#include "bk-secrets.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_PAGE (bk_device_page_get_type ())
G_DECLARE_FINAL_TYPE (BkDevicePage, bk_device_page, BK, DEVICE_PAGE, AdwBin)

/*
 * The page observes @bridge (the application's BkBridgeManager owns it,
 * one per listed device): it checks the bridge when first shown and
 * refreshes the system status every "status-refresh-seconds"
 * while the Summary tab is on screen.
 *
 * Tabs (AdwViewStack page names), each a composite template of its own
 * under devices/: "summary" (BkDeviceSummary), "settings" (BkDeviceSettings,
 * sub-pages "view", "edit", "extended", "filters"), "clustering"
 * (BkDeviceClustering), "connection" (BkDeviceConnection), "permissions"
 * (BkDevicePermissions), "logs" (BkDeviceLogView).
 *
 * Actions (group "device"): edit-settings, edit-extended-settings,
 * repair-slots, check-now, edit-alternate, show-alarms,
 * review-alternate-certificate (the ticket actions), remove,
 * continue-setup; and those of the tabs' buttons, handed to the tab:
 * save-settings, save-extended, refresh-extended, test-connection,
 * change-credentials, repin, copy-log, save-log.
 *
 * Operations the person starts that change the bridge (range change,
 * repair, new alternate, new credentials, removal) are not cancelled when
 * the page goes away: the bridge is core's and finishes them. Only the
 * page's own checks and Test Connection, which only read, are.
 */
BkDevicePage *bk_device_page_new          (BkBridge      *bridge,
                                           BkDeviceStore *store,
                                           BkSecrets     *secrets);
/* Once: the application's bookings, for the Summary's This Week's
 * Bookings (the page observes them). */
void          bk_device_page_set_bookings (BkDevicePage   *self,
                                           BkBookingStore *bookings);
BkDevice     *bk_device_page_get_device   (BkDevicePage  *self);
BkBridge     *bk_device_page_get_bridge   (BkDevicePage  *self);
/* Shows a tab, and for "settings" optionally a sub-page (NULL: keep). */
void          bk_device_page_show_tab     (BkDevicePage  *self,
                                           const char    *tab,
                                           const char    *settings_page);
/* The requests shown in the Logs tab after filtering. transfer none. */
GListModel   *bk_device_page_get_log_model (BkDevicePage *self);

G_END_DECLS
