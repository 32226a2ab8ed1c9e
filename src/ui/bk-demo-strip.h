/* bk-demo-strip.h: the strip that says the window runs in demo mode
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-device-store.h"

G_BEGIN_DECLS

#define BK_TYPE_DEMO_STRIP (bk_demo_strip_get_type ())
G_DECLARE_FINAL_TYPE (BkDemoStrip, bk_demo_strip, BK, DEMO_STRIP, GtkBox)

/* libadwaita 1.2 has no AdwBanner: a styled box with the simulated
 * cluster's address, username and password, and an "Add It" button that
 * activates "win.add-demo-bridge". @error: why the simulator did not
 * start (then there is no button), or NULL. */
GtkWidget  *bk_demo_strip_new          (const char  *address,
                                        const char  *username,
                                        const char  *password,
                                        const char  *error);
/* Shows "Added" in place of "Add It" while @store lists a device at the
 * strip's address. */
void        bk_demo_strip_set_store    (BkDemoStrip   *self,
                                        BkDeviceStore *store);
/* The "Simulated Bridges" menu button: a switch per node of the demo
 * cluster takes it down and brings it back. NULL without the cluster. */
GtkWidget  *bk_demo_strip_get_nodes_button (BkDemoStrip *self);
GtkWidget  *bk_demo_strip_get_node_switch  (BkDemoStrip *self,
                                            guint        node);
const char *bk_demo_strip_get_address  (BkDemoStrip *self);
const char *bk_demo_strip_get_username (BkDemoStrip *self);
const char *bk_demo_strip_get_password (BkDemoStrip *self);

G_END_DECLS
