/* bk-calendar-util.h: what the calendar's views share: the occurrences they
 * show and the dates they print
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Number of bridge colours (CSS classes bk-cal-color-1 .. -6); 0 = none. */
#define BK_CALENDAR_N_COLORS 6

/* One occurrence as a view shows it: a copy, so it outlives a change of
 * the store until the view refreshes. */
typedef struct
{
  char   *uid;
  char   *title;
  char   *bridge_name;   /* "" when none */
  gint64  start;         /* UTC seconds */
  gint64  end;
  gint64  recurrence_id; /* the occurrence's original start (== start unless moved) */
  guint   color;         /* 0 .. BK_CALENDAR_N_COLORS */
} BkCalendarItem;

void        bk_calendar_item_free       (BkCalendarItem *item);

/* Colour @color's background and text, for a text colour @fg (the colour
 * of the widget drawing it): what the CSS classes of
 * bk_calendar_color_css() give a widget, for drawing without one. */
void        bk_calendar_color_rgba      (guint           color,
                                         const GdkRGBA  *fg,
                                         GdkRGBA        *background,
                                         GdkRGBA        *text);
/* The style sheet of the colour classes bk-cal-color-0 .. -N. */
char       *bk_calendar_color_css       (void);
/* Sets the widget's colour class (bk-cal-color-N), replacing another. */
void        bk_calendar_set_color_class (GtkWidget      *widget,
                                         guint           color);

/* The first day of the week in the locale's time conventions (LC_TIME):
 * 1 (Monday) .. 7 (Sunday), as GDateWeekday.  Monday in the C and POSIX
 * locales (ISO 8601). */
int         bk_calendar_first_weekday   (void);
/* The first day of the week holding @date. */
void        bk_calendar_week_start      (const GDate    *date,
                                         GDate          *start);

/* Weekday 1 (Monday) .. 7, abbreviated ("Mon") or full ("Monday"). */
const char *bk_calendar_weekday_name    (int             weekday,
                                         gboolean        abbreviated);
/* Month 1 .. 12 ("December"). */
const char *bk_calendar_month_name      (int             month);
/* "December 2026" */
char       *bk_calendar_format_month    (const GDate    *date);
/* "Mon 7" */
char       *bk_calendar_format_day_short (const GDate   *date);
/* "Monday 7 December 2026" */
char       *bk_calendar_format_day_long (const GDate    *date);
/* "09:00" in @tz */
char       *bk_calendar_format_time     (GTimeZone      *tz,
                                         gint64          utc);
/* "09:00 – 10:00" in @tz */
char       *bk_calendar_format_times    (GTimeZone      *tz,
                                         gint64          start,
                                         gint64          end);
/* What a screen reader says for a booking: "Title, Monday 7 December
 * 2026, 09:00 – 10:00, bridge". */
char       *bk_calendar_describe_item   (GTimeZone      *tz,
                                         const BkCalendarItem *item);
/* A GDateTime of @utc in @tz. */
GDateTime  *bk_calendar_date_time       (GTimeZone      *tz,
                                         gint64          utc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkCalendarItem, bk_calendar_item_free)

G_END_DECLS
