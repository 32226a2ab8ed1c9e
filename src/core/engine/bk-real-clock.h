/* bk-real-clock.h: the system's wall clock (timerfd on CLOCK_REALTIME)
 *
 * The deadline is an absolute CLOCK_REALTIME timerfd (TFD_TIMER_ABSTIME |
 * TFD_TIMER_CANCEL_ON_SET) watched with g_unix_fd_add() on the thread-default
 * main context of the thread that made the clock. It fires at the wall-clock
 * time even across a suspend (at once on resume when the time has passed).
 * When the clock is set (by hand, by an NTP step, or by the kernel on
 * resume) the kernel cancels the timer: the clock re-arms it, and emits
 * "changed" when the wall clock moved against the monotonic clock by a
 * second or more in all since the last "changed" (some hosts step it by
 * half a millisecond many times a second). The timer stays armed (far in the future) when no deadline is
 * set, so jumps are noticed at any time.
 *
 * With watch-sleep (the default), it also listens on the system bus for
 * logind's PrepareForSleep(false) and emits "changed" on resume. Without a
 * system bus or logind it simply does not (a debug message says so).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-clock.h"

G_BEGIN_DECLS

#define BK_TYPE_REAL_CLOCK (bk_real_clock_get_type ())
G_DECLARE_FINAL_TYPE (BkRealClock, bk_real_clock, BK, REAL_CLOCK, BkClock)

/* NULL (with @error set) when no timerfd can be made. */
BkClock  *bk_real_clock_new             (gboolean      watch_sleep,
                                         GError      **error);
/* TRUE once the logind signal subscription is in place (for tests). */
gboolean  bk_real_clock_is_watching_sleep (BkRealClock *self);

G_END_DECLS
