/* bk-clock.h: an injectable wall clock for the conference engine
 *
 * The engine never counts a monotonic timeout down to a wall-clock deadline
 * (g_timeout_add does not count time spent suspended, so after a two-hour
 * suspend it fires two hours late). It asks a BkClock instead:
 *
 *   - bk_clock_now(): the current time, in UTC;
 *   - bk_clock_arm(): one wall-clock deadline; "alarm" is emitted once, on
 *     the clock's main context, when the wall clock reaches it (at once,
 *     from the main loop, if it has already passed). Arming again replaces
 *     the deadline; NULL disarms;
 *   - "changed": the wall clock jumped (set by hand or by an NTP step) or
 *     the machine resumed from suspend: plans made on the old time must be
 *     made again. An armed deadline stays armed across "changed" (and fires
 *     right after it if the jump carried the clock past it).
 *
 * BkRealClock (timerfd on CLOCK_REALTIME) runs the application; BkFakeClock
 * lets tests move time by hand.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BK_TYPE_CLOCK (bk_clock_get_type ())
G_DECLARE_DERIVABLE_TYPE (BkClock, bk_clock, BK, CLOCK, GObject)

struct _BkClockClass
{
  GObjectClass parent_class;

  /* The current wall-clock time in UTC (transfer full). */
  GDateTime *(*now)   (BkClock   *self);
  /* Make the underlying timer fire at @deadline (UTC), or never when NULL.
   * The subclass calls bk_clock_expired() when its timer fires. */
  void       (*rearm) (BkClock   *self,
                       GDateTime *deadline);

  gpointer padding[8];
};

GDateTime *bk_clock_now           (BkClock   *self);
/* Arms the clock's one deadline (any time zone; kept in UTC); NULL disarms. */
void       bk_clock_arm           (BkClock   *self,
                                   GDateTime *deadline);
void       bk_clock_disarm        (BkClock   *self);
/* The armed deadline (UTC) or NULL; transfer none. */
GDateTime *bk_clock_get_deadline  (BkClock   *self);

/* For subclasses: the timer fired. Emits "alarm" (and disarms) when the
 * deadline has been reached; otherwise re-arms the timer. */
void       bk_clock_expired       (BkClock   *self);
/* For subclasses: the wall clock jumped or the machine resumed. Emits
 * "changed", then re-arms the timer for the deadline still armed. */
void       bk_clock_changed       (BkClock   *self);

G_END_DECLS
