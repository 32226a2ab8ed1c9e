/* bk-fake-clock.h: a wall clock that tests move by hand
 *
 * Time stands still until the test moves it:
 *   - advance: time passes normally (an armed deadline that is reached
 *     fires, "changed" is not emitted);
 *   - step: the clock is set (either way), as by hand or by an NTP step:
 *     "changed", then the deadline fires if it was jumped over;
 *   - suspend: the machine sleeps for a while and resumes: the deadline
 *     fires if it passed during the sleep, then "changed" (a real clock's
 *     timer fires on resume, and logind then says it resumed).
 * Signals are emitted synchronously from these calls, except that arming a
 * deadline that has already passed fires it from an idle callback on the
 * thread-default main context (as a real timer does).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-clock.h"

G_BEGIN_DECLS

#define BK_TYPE_FAKE_CLOCK (bk_fake_clock_get_type ())
G_DECLARE_FINAL_TYPE (BkFakeClock, bk_fake_clock, BK, FAKE_CLOCK, BkClock)

/* Starts at @start (any zone; NULL: the real time now). */
BkClock *bk_fake_clock_new      (GDateTime   *start);
void     bk_fake_clock_set_now  (BkFakeClock *self,
                                 GDateTime   *now);   /* a step to @now */
void     bk_fake_clock_advance  (BkFakeClock *self,
                                 GTimeSpan    span);  /* >= 0 */
void     bk_fake_clock_step     (BkFakeClock *self,
                                 GTimeSpan    span);  /* either sign */
void     bk_fake_clock_suspend  (BkFakeClock *self,
                                 GTimeSpan    span);  /* >= 0 */

G_END_DECLS
