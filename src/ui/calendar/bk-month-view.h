/* bk-month-view.h: a month as a grid of days with their bookings' titles
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BK_TYPE_MONTH_VIEW (bk_month_view_get_type ())
G_DECLARE_FINAL_TYPE (BkMonthView, bk_month_view, BK, MONTH_VIEW, GtkWidget)

/* At most this many titles a day; the rest is "+N more". */
#define BK_MONTH_VIEW_MAX_SHOWN 3

/*
 * Six weeks from the Monday on or before the month's first day.  Each day
 * shows its number (a button that shows the day in the week grid), the
 * titles of its first bookings (buttons that open them) and "+N more"
 * (which shows the day too).
 *
 * Signals: ::open-booking (const char *uid, GDateTime *occurrence_start),
 * ::show-day (GDateTime *midnight).
 */
GtkWidget *bk_month_view_new       (void);

/* @first: the first day shown (a Monday); @month: the month (1..12) whose
 * days are not dimmed; @items: BkCalendarItem over the 42 days. */
void       bk_month_view_set_month (BkMonthView *self,
                                    GTimeZone   *tz,
                                    const GDate *first,
                                    int          month,
                                    GPtrArray   *items);

G_END_DECLS
