/* bk-device-summary.h: the device page's Summary tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-booking-store.h"
#include "bk-bridge.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_SUMMARY (bk_device_summary_get_type ())
G_DECLARE_FINAL_TYPE (BkDeviceSummary, bk_device_summary, BK, DEVICE_SUMMARY, AdwBin)

/*
 * The bridge's tickets (each with its action button: the device.* ticket
 * actions of BkDevicePage), its system status, this week's bookings.
 * While it is on screen (mapped) the bridge refreshes its status every
 * "status-refresh-seconds".
 */
/* Once, by the page. */
void bk_device_summary_set_bridge (BkDeviceSummary *self,
                                   BkBridge        *bridge);
/* Once, by the page: "This Week's Bookings" lists the bridge's occurrences
 * of the next 7 days from @bookings (kept up to date with the store and,
 * while on screen, with the clock); each row activates
 * win.open-booking ((sx): the UID and the occurrence's start). */
void bk_device_summary_set_bookings (BkDeviceSummary *self,
                                     BkBookingStore  *bookings);

G_END_DECLS
