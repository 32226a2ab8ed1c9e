/* bk-day-layout.h: the calendar's time arithmetic, without GTK
 *
 * Where a booking sits in a day of the week grid (local wall-clock minutes,
 * over days of 23 or 25 hours and across midnight), and which column it
 * takes beside the bookings it overlaps.  GLib only, so it is unit-tested
 * without a display (tests/ui/test-calendar-layout.c).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BK_MINUTES_PER_DAY 1440

/**
 * BkLayoutItem:
 * @first: in: its first minute (any scale, e.g. minutes of the day)
 * @last: in: the minute it ends (exclusive); > @first
 * @column: out: its column (0 = leftmost) in its block
 * @span: out: how many columns it covers (it widens into the free columns
 *   to its right)
 * @n_columns: out: the number of columns of its block
 * @block: out: its block's number (0, 1, ... in time order)
 * @data: the caller's
 *
 * A block is a run of items each overlapping the run before it; items
 * that touch (one ends when the next starts) do not overlap.
 */
typedef struct
{
  int      first;
  int      last;
  guint    column;
  guint    span;
  guint    n_columns;
  guint    block;
  gpointer data;
} BkLayoutItem;

/* Sorts @items by @first (longer first on a tie) and sets @column, @span
 * and @n_columns: each item takes the lowest column that is free over its
 * whole time, within its block. */
void      bk_day_layout_columns    (BkLayoutItem *items,
                                    guint         n_items);

/* The UTC bounds [@start, @end) of the local day @date in @tz: from its
 * midnight to the next day's (23 or 25 hours on a DST day). */
void      bk_day_bounds            (GTimeZone    *tz,
                                    const GDate  *date,
                                    gint64       *start,
                                    gint64       *end);

/* Where [@from, @to) (UTC seconds) falls in the local day @date of @tz, on
 * the grid's 24-hour wall-clock scale: @first and @last in minutes
 * 0..1440 (@last exclusive).  A time before the day's start is 0, after
 * its end 1440.  When the clocks go back and the end's wall-clock time
 * comes before the start's, @last is @first plus the real duration.
 * FALSE when it does not touch the day (a zero-length item at the day's
 * start is in it). */
gboolean  bk_day_span              (GTimeZone    *tz,
                                    const GDate  *date,
                                    gint64        from,
                                    gint64        to,
                                    int          *first,
                                    int          *last);

/* The UTC time of @minute (0..1439) of the local day @date in @tz, as
 * wall-clock time: a minute the clocks skip (spring forward) is read with
 * the offset before the gap, a repeated one is the first. */
gint64    bk_day_minute_to_utc     (GTimeZone    *tz,
                                    const GDate  *date,
                                    int           minute);

/* The date (local, in @tz) of @utc. */
void      bk_day_date_of           (GTimeZone    *tz,
                                    gint64        utc,
                                    GDate        *date);

/* The 30-minute cell of a point: floor(@minute / 30). */
static inline int
bk_day_cell (int minute)
{
  return CLAMP (minute, 0, BK_MINUTES_PER_DAY - 1) / 30;
}

G_END_DECLS
