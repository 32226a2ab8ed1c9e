/* bk-bridge-ui-test.h: helpers of the onboarding and device page GUI tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-ui-test.h"
#include "bk-device-page.h"
#include "bk-onboarding-window.h"
#include "bk-sim.h"

G_BEGIN_DECLS

#define BK_BRIDGE_UI_TEST_TIMEOUT_MS 20000

/* A started simulated cluster: TLS, @n_nodes nodes, fast bulk syncs. */
BkSimCluster *bk_bridge_ui_test_start_sim        (guint         n_nodes);

/* Saves a PNG of @widget's window (or of @widget when it is a window) to
 * $BK_SCREENSHOT_DIR/<name><$BK_SCREENSHOT_SUFFIX>.png; does nothing when
 * BK_SCREENSHOT_DIR is unset. */
void          bk_bridge_ui_test_screenshot       (GtkWidget    *widget,
                                                  const char   *name);

/* The mapped AdwMessageDialog transient for @parent, or NULL. */
AdwMessageDialog *bk_bridge_ui_test_find_dialog  (GtkWindow    *parent);
/* Waits for it. */
AdwMessageDialog *bk_bridge_ui_test_wait_dialog  (GtkWindow    *parent);

/* Template child @name of @widget (of its own type), or of a composite
 * widget inside it (e.g. a tab of the device page). */
gpointer      bk_bridge_ui_test_child            (gpointer      widget,
                                                  const char   *name);

/* Clicks @button as a person would (GtkButton::activate, then waits for
 * the clicked it emits 250 ms later). */
void          bk_bridge_ui_test_click            (gpointer      button);

/* Removes every device of the app's store (no clean-up on the bridge). */
void          bk_bridge_ui_test_clear_store      (void);

/* Onboards node 0 of @sim with the domain API (no UI): trusted, named
 * @name, slots base 1 .. @quantity, alternate node 1 when there is one.
 * The device is in the app's store; transfer none. */
BkDevice     *bk_bridge_ui_test_onboard          (BkSimCluster *sim,
                                                  const char   *name,
                                                  const char   *domain,
                                                  guint         quantity);

/* Waits until @window is no longer a toplevel (destroyed). Hold a
 * reference to it while the action that closes it runs. */
void          bk_bridge_ui_test_wait_destroyed   (gpointer      window);

/* Fails when an interactive widget below @root (hidden pages and menus
 * included) has no accessible name; lists each one in the test log.
 * Needs GTK_A11Y=test. */

/* In the demo: the strip's "Add It", then every page of the assistant
 * (certificates trusted when asked): the simulated cluster named "Demo
 * Cluster", @domain, slots 1 .. @quantity, node 2 as the alternate with its
 * own API user. Screenshots "done-1-demo", "done-2-range". Returns the
 * device (transfer none). */
BkDevice     *bk_bridge_ui_test_onboard_demo     (BkWindow     *window,
                                                  const char   *domain,
                                                  guint         quantity);
/* In a booking editor: opens the time zone chooser, searches @search and
 * picks @zone from what is found (asserting it is found). */
void          bk_bridge_ui_test_choose_zone (gpointer    editor,
                                             const char *search,
                                             const char *zone);

G_END_DECLS
