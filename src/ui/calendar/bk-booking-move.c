/* bk-booking-move.c: a booking moved or resized in the calendar (drag,
 * or the keyboard)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingMove"

#include "config.h"

#include "bk-booking-move.h"

#define MINUTES_PER_DAY 1440

/* @t moved by @days and @minutes of wall-clock time in @tz (a time that
 * falls in a DST gap or overlap is read as RFC 5545 reads it). */
static GDateTime *
shift_wall (GDateTime *t,
            GTimeZone *tz,
            int        days,
            int        minutes)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (t, tz);
  g_autoptr(GDateTime) utc = NULL;
  int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local) + minutes;
  int carry;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  /* Minutes past midnight (or before it) carry into the days. */
  carry = minute >= 0 ? minute / MINUTES_PER_DAY : -((MINUTES_PER_DAY - 1 - minute) / MINUTES_PER_DAY);
  days += carry;
  minute -= carry * MINUTES_PER_DAY;
  if (days > 0)
    g_date_add_days (&date, days);
  else if (days < 0)
    g_date_subtract_days (&date, -days);
  utc = g_date_time_new_from_unix_utc (bk_local_to_utc (tz, g_date_get_year (&date), g_date_get_month (&date),
                                                        g_date_get_day (&date), minute / 60, minute % 60,
                                                        g_date_time_get_second (local)));
  return g_date_time_to_timezone (utc, tz);
}

/* The days and wall-clock minutes from @from to @to in @tz. */
static void
wall_delta (GDateTime *from,
            GDateTime *to,
            GTimeZone *tz,
            int       *days,
            int       *minutes)
{
  g_autoptr(GDateTime) a = g_date_time_to_timezone (from, tz);
  g_autoptr(GDateTime) b = g_date_time_to_timezone (to, tz);
  GDate da, db;

  g_date_clear (&da, 1);
  g_date_clear (&db, 1);
  g_date_set_dmy (&da, g_date_time_get_day_of_month (a), g_date_time_get_month (a), g_date_time_get_year (a));
  g_date_set_dmy (&db, g_date_time_get_day_of_month (b), g_date_time_get_month (b), g_date_time_get_year (b));
  *days = g_date_days_between (&da, &db);
  *minutes = (g_date_time_get_hour (b) * 60 + g_date_time_get_minute (b)) -
             (g_date_time_get_hour (a) * 60 + g_date_time_get_minute (a));
}

/* The weekday flags moved by @days (Monday + 1 = Tuesday, Sunday + 1 = Monday). */
static BkWeekdays
rotate_weekdays (BkWeekdays weekdays,
                 int        days)
{
  BkWeekdays moved = 0;
  int shift = ((days % 7) + 7) % 7;

  for (int d = 0; d < 7; d++)
    if (weekdays & (1u << d))
      moved |= 1u << ((d + shift) % 7);
  return moved;
}

/* @t moved by @days and @minutes; when that is not after @after (an
 * end shortened past its start), @fallback. */
static GDateTime *
shift_end (GDateTime *t,
           GTimeZone *tz,
           int        days,
           int        minutes,
           GDateTime *after,
           GDateTime *fallback)
{
  GDateTime *end = shift_wall (t, tz, days, minutes);

  if (g_date_time_compare (end, after) > 0)
    return end;
  g_date_time_unref (end);
  return g_date_time_ref (fallback);
}

BkBooking *
bk_booking_move (const BkBooking *booking,
                 gint64           recurrence_id,
                 GDateTime       *occurrence_start,
                 GDateTime       *new_start,
                 GDateTime       *new_end,
                 gboolean         whole_series)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) occurrence_end = NULL;
  const BkBookingException *exception;
  BkBooking *moved;
  gint64 length;
  int days, minutes, end_days, end_minutes;

  g_return_val_if_fail (booking != NULL, NULL);
  g_return_val_if_fail (occurrence_start != NULL && new_start != NULL, NULL);
  g_return_val_if_fail (new_end == NULL || g_date_time_compare (new_end, new_start) > 0, NULL);

  tz = g_time_zone_new_identifier (booking->time_zone);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  moved = bk_booking_copy (booking);

  /* The occurrence's length: a moved one keeps its own. */
  exception = booking->recurrence.kind != BK_RECURRENCE_NONE ?
              bk_booking_find_exception (booking, recurrence_id) : NULL;
  length = exception != NULL && !exception->cancelled ?
           g_date_time_to_unix (exception->end) - g_date_time_to_unix (exception->start) :
           bk_booking_get_duration (booking);

  if (booking->recurrence.kind == BK_RECURRENCE_NONE || !whole_series)
    {
      g_autoptr(GDateTime) start = g_date_time_to_timezone (new_start, tz);
      g_autoptr(GDateTime) end = new_end != NULL ? g_date_time_to_timezone (new_end, tz)
                                                 : g_date_time_add_seconds (start, length);

      if (booking->recurrence.kind == BK_RECURRENCE_NONE)
        bk_booking_set_times (moved, booking->time_zone, start, end);
      else
        {
          g_autoptr(GDateTime) rid_utc = g_date_time_new_from_unix_utc (recurrence_id);
          g_autoptr(GDateTime) rid = g_date_time_to_timezone (rid_utc, tz);

          bk_booking_set_exception (moved, rid, start, end);
        }
      return moved;
    }

  /* The whole series: its starts move as the occurrence's start did,
   * its ends as the occurrence's end did (by the same days and
   * wall-clock minutes). */
  wall_delta (occurrence_start, new_start, tz, &days, &minutes);
  occurrence_end = g_date_time_add_seconds (occurrence_start, length);
  if (new_end != NULL)
    wall_delta (occurrence_end, new_end, tz, &end_days, &end_minutes);
  else
    {
      end_days = days;
      end_minutes = minutes;
    }
  {
    g_autoptr(GDateTime) start = shift_wall (booking->start, tz, days, minutes);
    /* A series shortened past its own start (the occurrence was a
     * longer exception) takes the occurrence's new length. */
    g_autoptr(GDateTime) fallback = new_end != NULL
      ? g_date_time_add_seconds (start, g_date_time_to_unix (new_end) - g_date_time_to_unix (new_start))
      : NULL;
    g_autoptr(GDateTime) end = fallback != NULL
      ? shift_end (booking->end, tz, end_days, end_minutes, start, fallback)
      : shift_wall (booking->end, tz, end_days, end_minutes);

    bk_booking_set_times (moved, booking->time_zone, start, end);
  }
  /* A start moved past midnight moves the days it repeats on. */
  {
    int day_shift;
    int m;

    wall_delta (booking->start, moved->start, tz, &day_shift, &m);
    if (day_shift != 0)
      {
        if (booking->recurrence.kind == BK_RECURRENCE_WEEKLY ||
            booking->recurrence.kind == BK_RECURRENCE_MONTHLY_BY_WEEKDAY)
          moved->recurrence.weekdays = rotate_weekdays (booking->recurrence.weekdays, day_shift);
        if (booking->recurrence.count == 0 && g_date_valid (&booking->recurrence.until))
          {
            if (day_shift > 0)
              g_date_add_days (&moved->recurrence.until, day_shift);
            else
              g_date_subtract_days (&moved->recurrence.until, -day_shift);
          }
      }
  }
  g_ptr_array_set_size (moved->exceptions, 0);
  for (guint i = 0; i < booking->exceptions->len; i++)
    {
      const BkBookingException *e = g_ptr_array_index (booking->exceptions, i);
      g_autoptr(GDateTime) rid = shift_wall (e->recurrence_id, tz, days, minutes);
      g_autoptr(GDateTime) start = e->cancelled ? NULL : shift_wall (e->start, tz, days, minutes);
      g_autoptr(GDateTime) own = e->cancelled ? NULL : g_date_time_add_seconds (start, g_date_time_to_unix (e->end) -
                                                                                g_date_time_to_unix (e->start));
      /* An exception shortened past its start keeps its length. */
      g_autoptr(GDateTime) end = e->cancelled ? NULL : shift_end (e->end, tz, end_days, end_minutes, start, own);

      bk_booking_set_exception (moved, rid, start, end);
      /* A meeting with its own title, notes or participants keeps them. */
      if (!e->cancelled)
        {
          bk_booking_set_exception_details (moved, g_date_time_to_unix (rid), e->title, e->notes);
          bk_booking_set_exception_participants (moved, g_date_time_to_unix (rid), e->participants);
        }
    }
  return moved;
}
