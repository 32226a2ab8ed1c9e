/* bk-engine-ui-test.h: helpers of the GUI tests of the conference engine
 * inside the application (test-engine-app, test-meeting-panel): the
 * simulator with an idle slot, the application on a fake clock, the
 * simulator's node as a bridge, a booking through the rules; on top of
 * the engine's core tests' helpers (engine-test-util.h: waiting for a
 * meeting's state, ...)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-ui-test.h"
#include "bk-engine.h"
#include "bk-sim.h"
#include "engine-test-util.h"

G_BEGIN_DECLS

/* A started one-node simulator over TLS whose call legs connect after
 * @leg_delay_ms, with slot 7001's space idle as onboarding leaves it
 * (members only); its id in @space. */
BkSimCluster  *bk_engine_ui_test_start_sim   (guint          leg_delay_ms,
                                              char         **space);

/* The application as bk_ui_test_get_app() makes it, on @clock:
 * registered, its bookings loaded, its engine there. */
BkApplication *bk_engine_ui_test_app_new     (BkClock       *clock);

/* Node 0 of @sim as the application's listed bridge "bridge-a" (slot
 * 7001 alone, the certificate pinned), with its password in the
 * application's secrets (the real keyring). Transfer full. */
BkDevice      *bk_engine_ui_test_add_bridge  (BkApplication *app,
                                              BkSimCluster  *sim);

/* Books @title from @start for @minutes on @device through the booking
 * rules (now: @clock's; they bind the slot) into the application's
 * bookings, with @extend_mode and @dial_out (NULL-terminated, or NULL)
 * called; returns the occurrence id. */
char          *bk_engine_ui_test_book        (BkApplication      *app,
                                              BkClock            *clock,
                                              BkDevice           *device,
                                              const char         *title,
                                              BkBookingType       type,
                                              BkExtendMode        extend_mode,
                                              GDateTime          *start,
                                              int                 minutes,
                                              const char * const *dial_out);

G_END_DECLS
