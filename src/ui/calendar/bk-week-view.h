/* bk-week-view.h: the week grid (days side by side, hours down)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BK_TYPE_WEEK_VIEW (bk_week_view_get_type ())
G_DECLARE_FINAL_TYPE (BkWeekView, bk_week_view, BK, WEEK_VIEW, GtkWidget)

/*
 * Day headings over a scrolled time grid of 24 hours (local wall-clock
 * time; see bk-day-layout.h for days of 23 and 25 hours).  Bookings are
 * buttons laid out in size_allocate, side by side when they overlap; the
 * grid draws their backgrounds and text.  A line marks now.  Dragging over empty time selects 30-minute cells and
 * emits ::create-booking on release; clicking a booking emits
 * ::open-booking.  When the widget is too narrow for seven days it shows
 * fewer (as many as fit, at least one), including the selected day.  A
 * block of more than 4 overlapping columns shows 3 and a "+N" strip.
 *
 * Signals: ::create-booking (GDateTime *start, GDateTime *end),
 * ::open-booking (const char *uid, GDateTime *occurrence_start),
 * ::show-day (GDateTime *midnight): the person asked for the bookings
 * that did not fit ("+N"); ::move-booking (const char *uid, gint64
 * recurrence_id, GDateTime *occurrence_start, GDateTime *new_start): the
 * person dragged a booking past the drag threshold and dropped it (the
 * start snapped to 15 minutes, on the day it was dropped on; the length is
 * kept); a press and release without moving is a click (::open-booking).
 * ::resize-booking (const char *uid, gint64 recurrence_id, GDateTime
 * *occurrence_start, GDateTime *new_end): the person dragged a booking's
 * bottom edge (its last 6 px, where the pointer shows "ns-resize") and
 * dropped it (the end snapped to 15 minutes, at least 15 minutes after
 * the start, in the day of the block dragged).
 *
 * The keyboard, a booking focused: Alt+Up and Down move it 15 minutes
 * earlier or later (to the 15-minute mark before or after its start),
 * Alt+Left and Right to the day before or after (the other way round in
 * a right-to-left locale, as the grid is mirrored), each press a
 * ::move-booking; Shift+Alt+Up and Down make it 15 minutes shorter or
 * longer (::resize-booking).  A move out of the days shown, or out of
 * its day, rings the bell.  The focus stays on the booking (found by its
 * uid and occurrence) when the week is shown again, and the grid scrolls
 * to where a key sent it.
 */
GtkWidget  *bk_week_view_new            (void);

/* Shows the week starting @monday, with @selected in it, the @items
 * (BkCalendarItem; referenced) in @tz. */
void        bk_week_view_set_week       (BkWeekView  *self,
                                         GTimeZone   *tz,
                                         const GDate *monday,
                                         const GDate *selected,
                                         GPtrArray   *items);
/* The days shown (1..7) at the present width, and the first (0 = Monday). */
guint       bk_week_view_get_n_days     (BkWeekView  *self);
guint       bk_week_view_get_first_day  (BkWeekView  *self);

/* For tests: the grid (the widget with the drag gesture and the booking
 * buttons) and the point in its coordinates of @minute of day @day (0 =
 * Monday). */
GtkWidget  *bk_week_view_get_grid       (BkWeekView  *self);
void        bk_week_view_get_point      (BkWeekView  *self,
                                         guint        day,
                                         int          minute,
                                         double      *x,
                                         double      *y);

/* Whether a booking in view still waits for its text: a frame lays out
 * new text for a few milliseconds only, and the next frames go on (so
 * opening a busy week never holds the main loop for long). */
gboolean    bk_week_view_get_text_pending (BkWeekView *self);

/* For tests: what a booking button of the grid draws: its title's
 * layout and its times' (NULL when they do not fit under the title, or
 * are on the title's line), @times_y px under the top of its content.
 * FALSE when @booking is no booking of a week grid. */
gboolean    bk_week_view_get_booking_text (GtkWidget    *booking,
                                           PangoLayout **title,
                                           PangoLayout **times,
                                           int          *times_y);

G_END_DECLS
