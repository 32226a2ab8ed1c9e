/* bk-device-log-view.h: the device page's Logs tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_LOG_VIEW (bk_device_log_view_get_type ())
G_DECLARE_FINAL_TYPE (BkDeviceLogView, bk_device_log_view, BK, DEVICE_LOG_VIEW, AdwBin)

/*
 * Every request sent for the bridge (its log), filterable by method, path,
 * host, status or reason. Its buttons activate device.copy-log and
 * device.save-log, which BkDevicePage provides (by calling copy_trace()
 * and save_trace()).
 */
/* Once, by the page: the bridge whose log is shown. */
void        bk_device_log_view_set_bridge  (BkDeviceLogView *self,
                                            BkBridge        *bridge);
/* The requests shown after filtering. transfer none. */
GListModel *bk_device_log_view_get_model   (BkDeviceLogView *self);
/* Copies the API trace to the clipboard. */
void        bk_device_log_view_copy_trace  (BkDeviceLogView *self);
/* Asks where to save the API trace, then saves it. */
void        bk_device_log_view_save_trace  (BkDeviceLogView *self,
                                            const char      *file_name);

G_END_DECLS
