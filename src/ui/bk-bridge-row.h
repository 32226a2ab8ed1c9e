/* bk-bridge-row.h: one bridge in the sidebar list
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-device.h"

G_BEGIN_DECLS

#define BK_TYPE_BRIDGE_ROW (bk_bridge_row_get_type ())
G_DECLARE_FINAL_TYPE (BkBridgeRow, bk_bridge_row, BK, BRIDGE_ROW, GtkListBoxRow)

/* Shows the display name, the address and a status icon (reachable,
 * unreachable, set-up not finished, not checked), kept up to date. */
GtkWidget *bk_bridge_row_new        (BkDevice    *device);
BkDevice  *bk_bridge_row_get_device (BkBridgeRow *self);

G_END_DECLS
