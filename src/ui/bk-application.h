/* bk-application.h
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-background.h"
#include "bk-booking-store.h"
#include "bk-bridge-manager.h"
#include "bk-device-store.h"
#include "bk-engine.h"
#include "bk-secrets.h"
#include "bk-sim.h"

G_BEGIN_DECLS

#define BK_TYPE_APPLICATION (bk_application_get_type ())

G_DECLARE_FINAL_TYPE (BkApplication, bk_application, BK, APPLICATION, AdwApplication)

/* Options: --demo (a simulated cluster and a throwaway profile, under the
 * application ID "<id>.Demo", unique: launching the demo again opens the
 * running demo's window), --background (starts without a window, the
 * engine running; it quits once planned when nothing is due; launching
 * Bridgekeeper again opens the window in that same process; when one runs
 * already, it does nothing).
 * Actions: app.quit (asks first while meetings are due: none starts while
 * Bridgekeeper is not running), app.show-meeting (s, an occurrence: the
 * window, reopened if need be, with that booking; the notifications'
 * default action), app.extend-meeting, app.retry-meeting (s). */
BkApplication *bk_application_new          (void);
GSettings     *bk_application_get_settings (BkApplication *self);
gboolean       bk_application_is_demo      (BkApplication *self);
/* The bridge list and the password store: the user's own, or in demo mode
 * a throwaway directory (removed at exit) and session-only secrets.
 * Available after startup. transfer none. */
BkDeviceStore *bk_application_get_store    (BkApplication *self);
BkSecrets     *bk_application_get_secrets  (BkApplication *self);
/* The live bridge of every listed device (core, works with no window
 * open): pages get their bridge from here. Available after startup.
 * transfer none. */
BkBridgeManager *bk_application_get_bridge_manager (BkApplication *self);
/* Demo mode: the in-process simulated cluster (NULL otherwise, or when it
 * could not start: then get_demo_error() says why). */
BkSimCluster  *bk_application_get_demo_cluster (BkApplication *self);
const char    *bk_application_get_demo_error   (BkApplication *self);

/* The bookings: kept in the same folder as the bridge list, loading from
 * startup on ("bookings-loaded" turns TRUE when done; a failure leaves its
 * sentence in the store's "load-error"), written when Bridgekeeper quits.
 * transfer none. */
BkBookingStore *bk_application_get_bookings        (BkApplication  *self);
gboolean        bk_application_get_bookings_loaded (BkApplication  *self);
/* Fills @rules for a check made now: the time, every listed bridge (in
 * *@bridges_out, which the caller keeps alive while @rules is used and then
 * unrefs) and the preferred bridge of the settings (valid until the next
 * call). */
void            bk_application_fill_rules          (BkApplication  *self,
                                                    BkBookingRules *rules,
                                                    GPtrArray     **bridges_out);

/* The conference engine (BkEngine): created at startup with the wall
 * clock, on the bookings, the bridge manager and the secrets; it plans
 * once the bookings are loaded and runs meetings whether a window is open
 * or not. Notifications "booking-<occurrence>": "Meeting Started",
 * "Meeting Not Started" with the engine's sentence, "Problem With a Booked
 * Meeting" with the check's sentence; withdrawn when the occurrence's
 * state changes. NULL when no wall-clock timer could be
 * made. transfer none. */
BkEngine       *bk_application_get_engine          (BkApplication  *self);
/* TRUE while the application holds itself (g_application_hold) because
 * the engine has meetings pending (due in the next 24 hours, or running)
 * and the "run-in-background" setting is on: closing the last window then
 * leaves the engine running. Property "held-in-background". */
gboolean        bk_application_get_held_in_background (BkApplication *self);
/* Tests only: the engine's clock (e.g. a BkFakeClock) instead of the wall
 * clock. Call before the application is registered (its startup makes
 * the engine). */
void            bk_application_set_clock_for_testing (BkApplication *self,
                                                      BkClock       *clock);
/* Making sure Bridgekeeper runs after login while it is held (see
 * bk-background.h): its "problem" is shown in Preferences. Available after
 * startup. transfer none. */
BkBackground   *bk_application_get_background      (BkApplication  *self);
/* Tests only: TRUE to use the Background portal as inside Flatpak, FALSE
 * for the autostart entry (default: /.flatpak-info decides). Call before
 * the application is registered. */
void            bk_application_set_sandboxed_for_testing (BkApplication *self,
                                                          gboolean       sandboxed);
/* The Preferences row for the "run-in-background" setting (a switch); it
 * shows the background's problem when there is one. */
GtkWidget      *bk_application_new_run_in_background_row (BkApplication *self);

G_END_DECLS
