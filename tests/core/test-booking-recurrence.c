/* test-booking-recurrence.c: occurrences of a booking, over DST and midnight
 *
 * The expected UTC times are worked out by hand from the zone rules, and
 * checked once more against libical's own time zone conversion.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingRecurrence"

#include "config.h"

#include <string.h>
#include <libical/ical.h>

#include "bk-booking.h"
#include "bk-test-util.h"

static gint64
utc (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static GDateTime *
local (const char *zone,
       int y, int mo, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);

  g_assert_nonnull (tz);
  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

static BkBooking *
make (const char *zone,
      int y, int mo, int d, int h, int mi,
      int minutes)
{
  g_autoptr(GDateTime) start = local (zone, y, mo, d, h, mi);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);

  return bk_booking_new ("Weekly sync", zone, start, end);
}

/* libical's own reading of a local time in @zone. */
static gint64
libical_utc (const char *zone,
             int y, int mo, int d, int h, int mi)
{
  icaltimezone *tz = icaltimezone_get_builtin_timezone (zone);
  struct icaltimetype t = icaltime_null_time ();

  g_assert_nonnull (tz);
  t.year = y; t.month = mo; t.day = d; t.hour = h; t.minute = mi;
  t.is_date = 0;
  t = icaltime_set_timezone (&t, tz);
  return (gint64) icaltime_as_timet_with_zone (t, tz);
}

static GArray *
expand_all (BkBooking *b)
{
  g_autoptr(GError) error = NULL;
  GArray *a;

  g_assert_true (bk_booking_validate_recurrence (b, &error));
  g_assert_no_error (error);
  a = bk_booking_expand_all (b, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

#define OCC(a, i) (&g_array_index ((a), BkOccurrence, (i)))

static void
test_berlin_dst (void)
{
  /* Daily 09:00-10:00 Berlin from Wed 2026-03-25, 10 meetings: clocks go
   * forward on Sun 2026-03-29 and the meeting stays at 09:00 local. */
  g_autoptr(BkBooking) b = make ("Europe/Berlin", 2026, 3, 25, 9, 0, 60);
  g_autoptr(GArray) a = NULL;

  b->recurrence.kind = BK_RECURRENCE_DAILY;
  b->recurrence.count = 10;
  a = expand_all (b);

  g_assert_cmpuint (a->len, ==, 10);
  g_assert_cmpint (OCC (a, 0)->start, ==, utc ("2026-03-25T08:00:00Z"));
  g_assert_cmpint (OCC (a, 3)->start, ==, utc ("2026-03-28T08:00:00Z"));
  g_assert_cmpint (OCC (a, 4)->start, ==, utc ("2026-03-29T07:00:00Z"));
  g_assert_cmpint (OCC (a, 4)->end, ==, utc ("2026-03-29T08:00:00Z"));
  g_assert_cmpint (OCC (a, 9)->start, ==, utc ("2026-04-03T07:00:00Z"));
  for (guint i = 0; i < a->len; i++)
    {
      int day = 25 + (int) i;

      g_assert_cmpint (OCC (a, i)->start, ==,
                       libical_utc ("Europe/Berlin", 2026, day > 31 ? 4 : 3, day > 31 ? day - 31 : day, 9, 0));
    }

  /* Back in autumn: Sun 2026-10-25. */
  {
    g_autoptr(BkBooking) autumn = make ("Europe/Berlin", 2026, 10, 23, 9, 0, 60);
    g_autoptr(GArray) b2 = NULL;

    autumn->recurrence.kind = BK_RECURRENCE_DAILY;
    autumn->recurrence.count = 4;
    b2 = expand_all (autumn);
    g_assert_cmpuint (b2->len, ==, 4);
    g_assert_cmpint (OCC (b2, 1)->start, ==, utc ("2026-10-24T07:00:00Z"));
    g_assert_cmpint (OCC (b2, 2)->start, ==, utc ("2026-10-25T08:00:00Z"));
    g_assert_cmpint (OCC (b2, 2)->start, ==, libical_utc ("Europe/Berlin", 2026, 10, 25, 9, 0));
  }
}

static void
test_new_york_gap_and_overlap (void)
{
  /* Weekly on Sunday 01:30-02:30 New York.  On 2026-11-01 01:30 happens
   * twice: the first (EDT, -4) counts.  Weekly Sunday 02:30 on 2026-03-08
   * does not exist: the offset before the gap (EST, -5) gives 07:30Z, i.e.
   * 03:30 EDT. */
  g_autoptr(BkBooking) autumn = make ("America/New_York", 2026, 10, 25, 1, 30, 60);
  g_autoptr(BkBooking) spring = make ("America/New_York", 2026, 3, 1, 2, 30, 60);
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) s = NULL;

  autumn->recurrence.kind = BK_RECURRENCE_WEEKLY;
  autumn->recurrence.weekdays = BK_WEEKDAY_SUNDAY;
  autumn->recurrence.count = 3;
  a = expand_all (autumn);
  g_assert_cmpuint (a->len, ==, 3);
  g_assert_cmpint (OCC (a, 0)->start, ==, utc ("2026-10-25T05:30:00Z"));
  g_assert_cmpint (OCC (a, 1)->start, ==, utc ("2026-11-01T05:30:00Z"));
  g_assert_cmpint (OCC (a, 1)->end, ==, utc ("2026-11-01T06:30:00Z"));
  g_assert_cmpint (OCC (a, 2)->start, ==, utc ("2026-11-08T06:30:00Z"));
  g_assert_cmpint (OCC (a, 2)->start, ==, libical_utc ("America/New_York", 2026, 11, 8, 1, 30));

  spring->recurrence.kind = BK_RECURRENCE_WEEKLY;
  spring->recurrence.weekdays = BK_WEEKDAY_SUNDAY;
  g_date_set_dmy (&spring->recurrence.until, 15, 3, 2026);
  s = expand_all (spring);
  g_assert_cmpuint (s->len, ==, 3);
  g_assert_cmpint (OCC (s, 0)->start, ==, utc ("2026-03-01T07:30:00Z"));
  g_assert_cmpint (OCC (s, 1)->start, ==, utc ("2026-03-08T07:30:00Z"));
  g_assert_cmpint (OCC (s, 2)->start, ==, utc ("2026-03-15T06:30:00Z"));
  g_assert_cmpint (OCC (s, 2)->start, ==, libical_utc ("America/New_York", 2026, 3, 15, 2, 30));
}

static void
test_taipei_no_dst (void)
{
  g_autoptr(BkBooking) b = make ("Asia/Taipei", 2026, 1, 1, 9, 0, 30);
  g_autoptr(GArray) a = NULL;

  b->recurrence.kind = BK_RECURRENCE_DAILY;
  g_date_set_dmy (&b->recurrence.until, 31, 12, 2026);
  a = expand_all (b);
  g_assert_cmpuint (a->len, ==, 365);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpint (OCC (a, i)->start, ==, utc ("2026-01-01T01:00:00Z") + (gint64) i * 86400);
      g_assert_cmpint (OCC (a, i)->end - OCC (a, i)->start, ==, 1800);
    }
}

static void
test_midnight_crossing (void)
{
  /* 23:30-00:30 Berlin, daily: each meeting ends the next day, and a range
   * that starts at midnight still sees the meeting that began before it. */
  g_autoptr(BkBooking) b = make ("Europe/Berlin", 2026, 3, 27, 23, 30, 60);
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) range = NULL;
  g_autoptr(GError) error = NULL;

  b->recurrence.kind = BK_RECURRENCE_DAILY;
  b->recurrence.count = 4;
  a = expand_all (b);
  g_assert_cmpuint (a->len, ==, 4);
  /* Sat 28th 23:30 CET = 22:30Z; on the night of the change the local
   * meeting still lasts an exact hour. */
  g_assert_cmpint (OCC (a, 1)->start, ==, utc ("2026-03-28T22:30:00Z"));
  g_assert_cmpint (OCC (a, 1)->end, ==, utc ("2026-03-28T23:30:00Z"));
  g_assert_cmpint (OCC (a, 2)->start, ==, utc ("2026-03-29T21:30:00Z"));

  /* Sunday 29th 00:00-01:00 local (23:00Z on the 28th to 23:30Z... the
   * first hour of the 29th) overlaps the meeting of Saturday night only. */
  range = bk_booking_expand (b, utc ("2026-03-28T23:00:00Z"), utc ("2026-03-29T00:00:00Z"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (range->len, ==, 1);
  g_assert_cmpint (OCC (range, 0)->start, ==, utc ("2026-03-28T22:30:00Z"));
}

static void
test_count_and_until (void)
{
  /* Weekly Monday and Wednesday 10:00 UTC from Mon 2026-12-07. */
  g_autoptr(BkBooking) b = make ("UTC", 2026, 12, 7, 10, 0, 60);
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) u = NULL;

  b->recurrence.kind = BK_RECURRENCE_WEEKLY;
  b->recurrence.weekdays = BK_WEEKDAY_MONDAY | BK_WEEKDAY_WEDNESDAY;
  b->recurrence.count = 5;
  a = expand_all (b);
  g_assert_cmpuint (a->len, ==, 5);
  g_assert_cmpint (OCC (a, 1)->start, ==, utc ("2026-12-09T10:00:00Z"));
  g_assert_cmpint (OCC (a, 4)->start, ==, utc ("2026-12-21T10:00:00Z"));
  g_assert_cmpint (bk_booking_get_last_start (b), ==, utc ("2026-12-21T10:00:00Z"));

  /* Until is inclusive: Wed 2026-12-16 is the last. */
  b->recurrence.count = 0;
  b->cache_last_start = 0;
  g_date_set_dmy (&b->recurrence.until, 16, 12, 2026);
  u = expand_all (b);
  g_assert_cmpuint (u->len, ==, 4);
  g_assert_cmpint (OCC (u, 3)->start, ==, utc ("2026-12-16T10:00:00Z"));

  /* Every second week. */
  {
    g_autoptr(GArray) e = NULL;

    b->recurrence.interval = 2;
    b->recurrence.weekdays = BK_WEEKDAY_MONDAY;
    b->cache_last_start = 0;
    g_date_set_dmy (&b->recurrence.until, 31, 1, 2027);
    e = expand_all (b);
    g_assert_cmpuint (e->len, ==, 4);   /* Dec 7, Dec 21, Jan 4, Jan 18 */
    g_assert_cmpint (OCC (e, 3)->start, ==, utc ("2027-01-18T10:00:00Z"));
  }
}

static void
test_monthly (void)
{
  /* By date, the 31st: months without one are skipped (RFC 5545). */
  g_autoptr(BkBooking) d = make ("Europe/Berlin", 2027, 1, 31, 14, 0, 60);
  g_autoptr(BkBooking) w = make ("Europe/Berlin", 2027, 1, 12, 14, 0, 60);
  g_autoptr(BkBooking) last = make ("Europe/Berlin", 2027, 1, 29, 14, 0, 60);
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) c = NULL;

  d->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_DATE;
  d->recurrence.count = 3;
  a = expand_all (d);
  g_assert_cmpuint (a->len, ==, 3);
  g_assert_cmpint (OCC (a, 1)->start, ==, utc ("2027-03-31T12:00:00Z"));  /* CEST from 28 March */
  g_assert_cmpint (OCC (a, 2)->start, ==, utc ("2027-05-31T12:00:00Z"));

  /* By weekday: the second Tuesday. */
  w->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_WEEKDAY;
  w->recurrence.weekdays = BK_WEEKDAY_TUESDAY;
  w->recurrence.position = 2;
  w->recurrence.count = 3;
  b = expand_all (w);
  g_assert_cmpuint (b->len, ==, 3);
  g_assert_cmpint (OCC (b, 1)->start, ==, utc ("2027-02-09T13:00:00Z"));
  g_assert_cmpint (OCC (b, 2)->start, ==, utc ("2027-03-09T13:00:00Z"));

  /* The last Friday. */
  last->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_WEEKDAY;
  last->recurrence.weekdays = BK_WEEKDAY_FRIDAY;
  last->recurrence.position = -1;
  last->recurrence.count = 3;
  c = expand_all (last);
  g_assert_cmpuint (c->len, ==, 3);
  g_assert_cmpint (OCC (c, 1)->start, ==, utc ("2027-02-26T13:00:00Z"));
  g_assert_cmpint (OCC (c, 2)->start, ==, utc ("2027-03-26T13:00:00Z"));

  /* A second Tuesday is not a last Friday. */
  {
    g_autoptr(GError) error = NULL;

    w->recurrence.weekdays = BK_WEEKDAY_FRIDAY;
    g_assert_false (bk_booking_validate_recurrence (w, &error));
    g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE);
  }
}

static void
test_moved_and_cancelled (void)
{
  g_autoptr(BkBooking) b = make ("Europe/Berlin", 2026, 12, 7, 9, 0, 60);
  g_autoptr(GDateTime) third = local ("Europe/Berlin", 2026, 12, 9, 9, 0);
  g_autoptr(GDateTime) fourth = local ("Europe/Berlin", 2026, 12, 10, 9, 0);
  g_autoptr(GDateTime) moved_start = local ("Europe/Berlin", 2026, 12, 20, 15, 0);
  g_autoptr(GDateTime) moved_end = local ("Europe/Berlin", 2026, 12, 20, 16, 30);
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) week = NULL;
  g_autoptr(GError) error = NULL;

  b->recurrence.kind = BK_RECURRENCE_DAILY;
  b->recurrence.count = 5;   /* 7th .. 11th */
  bk_booking_set_exception (b, third, NULL, NULL);
  bk_booking_set_exception (b, fourth, moved_start, moved_end);
  a = expand_all (b);

  g_assert_cmpuint (a->len, ==, 4);
  g_assert_cmpint (OCC (a, 0)->start, ==, utc ("2026-12-07T08:00:00Z"));
  g_assert_cmpint (OCC (a, 1)->start, ==, utc ("2026-12-08T08:00:00Z"));
  g_assert_cmpint (OCC (a, 2)->start, ==, utc ("2026-12-11T08:00:00Z"));
  g_assert_false (OCC (a, 2)->moved);
  g_assert_cmpint (OCC (a, 3)->start, ==, utc ("2026-12-20T14:00:00Z"));
  g_assert_cmpint (OCC (a, 3)->end, ==, utc ("2026-12-20T15:30:00Z"));
  g_assert_cmpint (OCC (a, 3)->recurrence_id, ==, utc ("2026-12-10T08:00:00Z"));
  g_assert_true (OCC (a, 3)->moved);

  /* A range that holds only the moved meeting's new day shows it; its old
   * day does not. */
  week = bk_booking_expand (b, utc ("2026-12-10T00:00:00Z"), utc ("2026-12-11T00:00:00Z"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (week->len, ==, 0);
  g_clear_pointer (&week, g_array_unref);
  week = bk_booking_expand (b, utc ("2026-12-14T00:00:00Z"), utc ("2026-12-21T00:00:00Z"), &error);
  g_assert_cmpuint (week->len, ==, 1);
  g_assert_true (OCC (week, 0)->moved);

  /* Cancelling it again replaces the move. */
  bk_booking_set_exception (b, fourth, NULL, NULL);
  g_assert_cmpuint (b->exceptions->len, ==, 2);
  g_clear_pointer (&a, g_array_unref);
  a = expand_all (b);
  g_assert_cmpuint (a->len, ==, 3);
}

/* Lazy expansion of any range gives exactly the occurrences of the full
 * expansion that overlap it, for long series too. */
static void
check_ranges (BkBooking *b)
{
  g_autoptr(GArray) all = expand_all (b);
  gint64 first = OCC (all, 0)->start - 3 * 86400;
  gint64 span = OCC (all, all->len - 1)->end + 3 * 86400 - first;

  for (guint round = 0; round < 60; round++)
    {
      gint64 from = first + (gint64) (g_test_rand_double () * span);
      gint64 to = from + g_test_rand_int_range (1, 40) * 3600 * (round % 3 == 0 ? 24 : 1);
      g_autoptr(GArray) part = NULL;
      g_autoptr(GError) error = NULL;
      guint j = 0;

      part = bk_booking_expand (b, from, to, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < all->len; i++)
        {
          const BkOccurrence *o = OCC (all, i);

          if (o->start < to && o->end > from)
            {
              g_assert_cmpuint (j, <, part->len);
              g_assert_cmpint (OCC (part, j)->start, ==, o->start);
              g_assert_cmpint (OCC (part, j)->end, ==, o->end);
              j++;
            }
        }
      g_assert_cmpuint (j, ==, part->len);
    }
}

static void
test_lazy_ranges (void)
{
  g_autoptr(BkBooking) daily = make ("Europe/Berlin", 2026, 12, 7, 23, 0, 120);
  g_autoptr(BkBooking) weekly = make ("America/New_York", 2026, 12, 8, 1, 30, 90);
  g_autoptr(BkBooking) monthly = make ("Asia/Taipei", 2026, 12, 25, 18, 0, 60);
  g_autoptr(GArray) all = NULL;

  /* Daily for two years, both ends included, 2028 a leap year. */
  daily->recurrence.kind = BK_RECURRENCE_DAILY;
  g_date_set_dmy (&daily->recurrence.until, 7, 12, 2028);
  all = expand_all (daily);
  g_assert_cmpuint (all->len, ==, 732);
  check_ranges (daily);

  weekly->recurrence.kind = BK_RECURRENCE_WEEKLY;
  weekly->recurrence.interval = 3;
  weekly->recurrence.weekdays = BK_WEEKDAY_TUESDAY | BK_WEEKDAY_SUNDAY;
  weekly->recurrence.count = 150;
  check_ranges (weekly);

  monthly->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_WEEKDAY;
  monthly->recurrence.weekdays = BK_WEEKDAY_FRIDAY;
  monthly->recurrence.position = -1;
  g_date_set_dmy (&monthly->recurrence.until, 1, 1, 2031);
  check_ranges (monthly);
}

static void
test_invalid_series (void)
{
  g_autoptr(BkBooking) b = make ("Europe/Berlin", 2026, 12, 7, 9, 0, 60);  /* a Monday */
  g_autoptr(GError) error = NULL;

  b->recurrence.kind = BK_RECURRENCE_DAILY;
  g_assert_false (bk_booking_validate_recurrence (b, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE);
  g_assert_nonnull (strstr (error->message, "needs an end"));
  g_clear_error (&error);

  b->recurrence.count = BK_RECURRENCE_MAX_OCCURRENCES + 1;
  g_assert_false (bk_booking_validate_recurrence (b, &error));
  g_assert_nonnull (strstr (error->message, "at most 5000 meetings"));
  g_clear_error (&error);

  b->recurrence.count = 0;
  g_date_set_dmy (&b->recurrence.until, 1, 12, 2026);
  g_assert_false (bk_booking_validate_recurrence (b, &error));
  g_assert_nonnull (strstr (error->message, "ends before its first meeting"));
  g_clear_error (&error);

  b->recurrence.kind = BK_RECURRENCE_WEEKLY;
  b->recurrence.count = 4;
  b->recurrence.weekdays = BK_WEEKDAY_TUESDAY;
  g_assert_false (bk_booking_validate_recurrence (b, &error));
  g_assert_nonnull (strstr (error->message, "must be on one of the chosen days"));
  g_clear_error (&error);

  b->recurrence.weekdays = 0;
  g_assert_false (bk_booking_validate_recurrence (b, &error));
  g_assert_nonnull (strstr (error->message, "at least one day"));
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/booking/recurrence/berlin-dst", test_berlin_dst);
  g_test_add_func ("/core/booking/recurrence/new-york-gap-and-overlap", test_new_york_gap_and_overlap);
  g_test_add_func ("/core/booking/recurrence/taipei-no-dst", test_taipei_no_dst);
  g_test_add_func ("/core/booking/recurrence/midnight-crossing", test_midnight_crossing);
  g_test_add_func ("/core/booking/recurrence/count-and-until", test_count_and_until);
  g_test_add_func ("/core/booking/recurrence/monthly", test_monthly);
  g_test_add_func ("/core/booking/recurrence/moved-and-cancelled", test_moved_and_cancelled);
  g_test_add_func ("/core/booking/recurrence/lazy-ranges", test_lazy_ranges);
  g_test_add_func ("/core/booking/recurrence/invalid-series", test_invalid_series);

  return g_test_run ();
}
