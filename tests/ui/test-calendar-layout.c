/* test-calendar-layout.c: the week grid's arithmetic (columns of
 * overlapping bookings, days of 23 and 25 hours, midnight) and a dragged
 * booking's new times, without GTK
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestCalendarLayout"

#include "config.h"

#include "bk-booking-move.h"
#include "bk-day-layout.h"
#include "bk-test-util.h"

#define HM(h, m) ((h) * 60 + (m))

static BkLayoutItem *
find (BkLayoutItem *items,
      guint         n,
      const char   *name)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (items[i].data, name))
      return &items[i];
  g_assert_not_reached ();
}

#define ASSERT_PLACE(items, n, name, col, sp, ncol) G_STMT_START { \
  BkLayoutItem *it_ = find (items, n, name); \
  g_assert_cmpuint (it_->column, ==, col); \
  g_assert_cmpuint (it_->span, ==, sp); \
  g_assert_cmpuint (it_->n_columns, ==, ncol); \
} G_STMT_END

static void
test_columns_overlap (void)
{
  /* Given out of order: the layout sorts them. */
  BkLayoutItem items[] = {
    { HM (10, 0), HM (11, 0), 0, 0, 0, 0, "C" },
    { HM (9, 30), HM (10, 30), 0, 0, 0, 0, "B" },
    { HM (9, 0), HM (10, 0), 0, 0, 0, 0, "A" },
  };

  bk_day_layout_columns (items, G_N_ELEMENTS (items));
  /* C starts when A ends: it reuses A's column, beside B. */
  ASSERT_PLACE (items, 3, "A", 0, 1, 2);
  ASSERT_PLACE (items, 3, "B", 1, 1, 2);
  ASSERT_PLACE (items, 3, "C", 0, 1, 2);
}

static void
test_columns_widen (void)
{
  BkLayoutItem items[] = {
    { HM (9, 0), HM (12, 0), 0, 0, 0, 0, "long" },
    { HM (9, 0), HM (10, 0), 0, 0, 0, 0, "B" },
    { HM (9, 0), HM (9, 45), 0, 0, 0, 0, "C" },
    { HM (10, 0), HM (11, 0), 0, 0, 0, 0, "D" },
    { HM (11, 0), HM (11, 30), 0, 0, 0, 0, "E" },
  };

  bk_day_layout_columns (items, G_N_ELEMENTS (items));
  ASSERT_PLACE (items, 5, "long", 0, 1, 3);
  ASSERT_PLACE (items, 5, "B", 1, 1, 3);
  ASSERT_PLACE (items, 5, "C", 2, 1, 3);
  /* D takes B's column (B has ended) and widens into C's, free by then. */
  ASSERT_PLACE (items, 5, "D", 1, 2, 3);
  ASSERT_PLACE (items, 5, "E", 1, 2, 3);
}

static void
test_columns_blocks (void)
{
  BkLayoutItem items[] = {
    { HM (8, 0), HM (9, 0), 0, 0, 0, 0, "A" },
    { HM (8, 30), HM (9, 30), 0, 0, 0, 0, "B" },
    /* Touches B's end: not an overlap, a block of its own. */
    { HM (9, 30), HM (10, 0), 0, 0, 0, 0, "alone" },
    { HM (14, 0), HM (15, 0), 0, 0, 0, 0, "X" },
    { HM (14, 0), HM (15, 0), 0, 0, 0, 0, "Y" },
    { HM (14, 0), HM (15, 0), 0, 0, 0, 0, "Z" },
  };
  BkLayoutItem *x, *y, *z;

  bk_day_layout_columns (items, G_N_ELEMENTS (items));
  ASSERT_PLACE (items, 6, "A", 0, 1, 2);
  ASSERT_PLACE (items, 6, "B", 1, 1, 2);
  ASSERT_PLACE (items, 6, "alone", 0, 1, 1);
  g_assert_cmpuint (find (items, 6, "A")->block, ==, 0);
  g_assert_cmpuint (find (items, 6, "B")->block, ==, 0);
  g_assert_cmpuint (find (items, 6, "alone")->block, ==, 1);
  g_assert_cmpuint (find (items, 6, "Z")->block, ==, 2);
  /* Three at the same time: three distinct columns. */
  x = find (items, 6, "X");
  y = find (items, 6, "Y");
  z = find (items, 6, "Z");
  g_assert_cmpuint (x->n_columns, ==, 3);
  g_assert_cmpuint (x->column + y->column + z->column, ==, 0 + 1 + 2);
  g_assert_cmpuint (x->column * y->column * z->column, ==, 0);
  g_assert_cmpuint (x->column, !=, y->column);
  g_assert_cmpuint (x->span + y->span + z->span, ==, 3);

  bk_day_layout_columns (NULL, 0);
}

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (t);
}

static void
test_day_bounds (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) taipei = g_time_zone_new_identifier ("Asia/Taipei");
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  GDate date;
  gint64 start, end;

  g_assert_nonnull (berlin);
  g_date_set_dmy (&date, 30, 3, 2025);
  bk_day_bounds (berlin, &date, &start, &end);
  g_assert_cmpint (start, ==, utc (2025, 3, 29, 23, 0));
  g_assert_cmpint (end - start, ==, 23 * 3600);

  g_date_set_dmy (&date, 26, 10, 2025);
  bk_day_bounds (berlin, &date, &start, &end);
  g_assert_cmpint (start, ==, utc (2025, 10, 25, 22, 0));
  g_assert_cmpint (end - start, ==, 25 * 3600);

  g_date_set_dmy (&date, 2, 11, 2025);
  bk_day_bounds (new_york, &date, &start, &end);
  g_assert_cmpint (end - start, ==, 25 * 3600);

  g_date_set_dmy (&date, 30, 3, 2025);
  bk_day_bounds (taipei, &date, &start, &end);
  g_assert_cmpint (start, ==, utc (2025, 3, 29, 16, 0));
  g_assert_cmpint (end - start, ==, 24 * 3600);

  bk_day_date_of (new_york, utc (2026, 12, 7, 3, 0), &date);
  g_assert_cmpint (g_date_get_day (&date), ==, 6);
  bk_day_date_of (taipei, utc (2026, 12, 6, 17, 0), &date);
  g_assert_cmpint (g_date_get_day (&date), ==, 7);
}

static void
assert_span (GTimeZone *tz,
             int        day,
             int        month,
             gint64     from,
             gint64     to,
             gboolean   in_day,
             int        first,
             int        last)
{
  GDate date;
  int f = -1, l = -1;

  g_date_set_dmy (&date, day, month, 2025);
  g_assert_cmpint (bk_day_span (tz, &date, from, to, &f, &l), ==, in_day);
  if (in_day)
    {
      g_assert_cmpint (f, ==, first);
      g_assert_cmpint (l, ==, last);
    }
}

static void
test_day_span (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) taipei = g_time_zone_new_identifier ("Asia/Taipei");

  /* Across midnight in Taipei (UTC+8): 23:00 to 01:00. */
  assert_span (taipei, 3, 6, utc (2025, 6, 3, 15, 0), utc (2025, 6, 3, 17, 0), TRUE, HM (23, 0), 1440);
  assert_span (taipei, 4, 6, utc (2025, 6, 3, 15, 0), utc (2025, 6, 3, 17, 0), TRUE, 0, HM (1, 0));
  assert_span (taipei, 5, 6, utc (2025, 6, 3, 15, 0), utc (2025, 6, 3, 17, 0), FALSE, 0, 0);
  /* Ends exactly at midnight: not in the next day. */
  assert_span (taipei, 4, 6, utc (2025, 6, 3, 15, 0), utc (2025, 6, 3, 16, 0), FALSE, 0, 0);
  assert_span (taipei, 3, 6, utc (2025, 6, 3, 15, 0), utc (2025, 6, 3, 16, 0), TRUE, HM (23, 0), 1440);

  /* Berlin springs forward at 02:00 (to 03:00): 01:00 to 04:00 local is two
   * hours, shown on the wall-clock scale from 01:00 to 04:00. */
  assert_span (berlin, 30, 3, utc (2025, 3, 30, 0, 0), utc (2025, 3, 30, 2, 0), TRUE, HM (1, 0), HM (4, 0));
  /* The last hour of the 23-hour day reaches the bottom of the grid. */
  assert_span (berlin, 30, 3, utc (2025, 3, 30, 21, 0), utc (2025, 3, 30, 22, 0), TRUE, HM (23, 0), 1440);
  /* Berlin falls back at 03:00 (to 02:00): the last hour of the 25-hour day. */
  assert_span (berlin, 26, 10, utc (2025, 10, 26, 22, 0), utc (2025, 10, 26, 23, 0), TRUE, HM (23, 0), 1440);
  /* From the first 02:30 (CEST) to the second 02:15 (CET): the end's
   * wall-clock time comes first, so it lasts its real 45 minutes. */
  assert_span (berlin, 26, 10, utc (2025, 10, 26, 0, 30), utc (2025, 10, 26, 1, 15), TRUE, HM (2, 30), HM (3, 15));
  /* A day-long booking covers the whole 25-hour day. */
  assert_span (berlin, 26, 10, utc (2025, 10, 20, 0, 0), utc (2025, 10, 30, 0, 0), TRUE, 0, 1440);
}

static void
test_minute_to_utc (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  GDate date;

  g_date_set_dmy (&date, 30, 3, 2025);
  g_assert_cmpint (bk_day_minute_to_utc (berlin, &date, HM (1, 0)), ==, utc (2025, 3, 30, 0, 0));
  /* 02:30 does not exist: read with the offset before the gap (+01:00). */
  g_assert_cmpint (bk_day_minute_to_utc (berlin, &date, HM (2, 30)), ==, utc (2025, 3, 30, 1, 30));
  g_assert_cmpint (bk_day_minute_to_utc (berlin, &date, HM (3, 0)), ==, utc (2025, 3, 30, 1, 0));

  g_date_set_dmy (&date, 26, 10, 2025);
  /* 02:30 happens twice: the first (CEST, +02:00). */
  g_assert_cmpint (bk_day_minute_to_utc (berlin, &date, HM (2, 30)), ==, utc (2025, 10, 26, 0, 30));
  g_assert_cmpint (bk_day_minute_to_utc (berlin, &date, HM (23, 30)), ==, utc (2025, 10, 26, 22, 30));

  g_assert_cmpint (bk_day_cell (HM (9, 0)), ==, 18);
  g_assert_cmpint (bk_day_cell (HM (9, 29)), ==, 18);
  g_assert_cmpint (bk_day_cell (HM (9, 30)), ==, 19);
  g_assert_cmpint (bk_day_cell (1440), ==, 47);
}

static GDateTime *
berlin (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");

  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

static void
assert_wall (GDateTime *t,
             int        y,
             int        mo,
             int        d,
             int        h,
             int        mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (t, tz);
  g_autofree char *text = g_date_time_format_iso8601 (local);

  g_test_message ("got %s", text);
  g_assert_cmpint (g_date_time_get_year (local), ==, y);
  g_assert_cmpint (g_date_time_get_month (local), ==, mo);
  g_assert_cmpint (g_date_time_get_day_of_month (local), ==, d);
  g_assert_cmpint (g_date_time_get_hour (local), ==, h);
  g_assert_cmpint (g_date_time_get_minute (local), ==, mi);
}

/* A weekly series on Monday and Wednesday 9:00 (Berlin), one occurrence
 * already moved: its Wednesday dragged to Thursday 9:30. */
static void
test_move_weekly (void)
{
  g_autoptr(GDateTime) start = berlin (2030, 3, 4, 9, 0);
  g_autoptr(GDateTime) end = berlin (2030, 3, 4, 10, 0);
  g_autoptr(GDateTime) rid = berlin (2030, 3, 11, 9, 0);
  g_autoptr(GDateTime) rid_start = berlin (2030, 3, 11, 14, 0);
  g_autoptr(GDateTime) rid_end = berlin (2030, 3, 11, 14, 30);
  g_autoptr(GDateTime) occurrence = berlin (2030, 4, 3, 9, 0);
  g_autoptr(GDateTime) dropped = berlin (2030, 4, 4, 9, 30);
  g_autoptr(BkBooking) b = bk_booking_new ("Weekly", "Europe/Berlin", start, end);
  g_autoptr(BkBooking) one = NULL;
  g_autoptr(BkBooking) all = NULL;
  g_autoptr(GDateTime) moved_rid = NULL;
  const BkBookingException *e;

  b->recurrence.kind = BK_RECURRENCE_WEEKLY;
  b->recurrence.interval = 1;
  b->recurrence.weekdays = BK_WEEKDAY_MONDAY | BK_WEEKDAY_WEDNESDAY;
  g_date_clear (&b->recurrence.until, 1);
  g_date_set_dmy (&b->recurrence.until, 30, 6, 2030);
  bk_booking_set_exception (b, rid, rid_start, rid_end);
  /* That meeting has its own title, notes and participants. */
  bk_booking_add_participant (b, "Alice", "alice@example.com", BK_DIAL_OUT);
  {
    g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);

    g_ptr_array_add (own, bk_participant_new ("Bob", "bob@example.com", BK_DIAL_OUT));
    bk_booking_set_exception_details (b, g_date_time_to_unix (rid), "Weekly, in Hall B", "Bring the slides");
    bk_booking_set_exception_participants (b, g_date_time_to_unix (rid), own);
  }

  /* This occurrence only: an exception at its RECURRENCE-ID, an hour
   * long; the series is as it was. */
  one = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, dropped, NULL, FALSE);
  g_assert_true (g_date_time_equal (one->start, b->start));
  g_assert_cmpuint (one->exceptions->len, ==, 2);
  e = bk_booking_find_exception (one, g_date_time_to_unix (occurrence));
  g_assert_nonnull (e);
  assert_wall (e->start, 2030, 4, 4, 9, 30);
  assert_wall (e->end, 2030, 4, 4, 10, 30);
  /* The original is not changed. */
  g_assert_cmpuint (b->exceptions->len, ==, 1);

  /* The whole series: a day and 30 minutes later. */
  all = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, dropped, NULL, TRUE);
  assert_wall (all->start, 2030, 3, 5, 9, 30);
  assert_wall (all->end, 2030, 3, 5, 10, 30);
  g_assert_cmpuint (all->recurrence.weekdays, ==, BK_WEEKDAY_TUESDAY | BK_WEEKDAY_THURSDAY);
  g_assert_cmpint (g_date_get_day (&all->recurrence.until), ==, 1);
  g_assert_cmpint (g_date_get_month (&all->recurrence.until), ==, 7);
  /* The moved occurrence keeps its place in the series. */
  moved_rid = berlin (2030, 3, 12, 9, 30);
  g_assert_cmpuint (all->exceptions->len, ==, 1);
  e = bk_booking_find_exception (all, g_date_time_to_unix (moved_rid));
  g_assert_nonnull (e);
  assert_wall (e->start, 2030, 3, 12, 14, 30);
  assert_wall (e->end, 2030, 3, 12, 15, 0);
  /* It still has its own title, notes and participants. */
  g_assert_cmpstr (e->title, ==, "Weekly, in Hall B");
  g_assert_cmpstr (e->notes, ==, "Bring the slides");
  g_assert_nonnull (e->participants);
  g_assert_cmpuint (e->participants->len, ==, 1);
  g_assert_cmpstr (((BkParticipant *) g_ptr_array_index (e->participants, 0))->address, ==, "bob@example.com");
  g_assert_cmpstr (all->uid, ==, b->uid);
}

/* Across the change to summer time (Berlin, 31 March 2030 02:00), a day
 * later is 23 hours later: the series moves by a day of wall-clock time,
 * not by the seconds between the two. */
static void
test_move_dst (void)
{
  g_autoptr(GDateTime) start = berlin (2030, 3, 25, 9, 0);
  g_autoptr(GDateTime) end = berlin (2030, 3, 25, 9, 30);
  g_autoptr(GDateTime) occurrence = berlin (2030, 3, 30, 9, 0);
  g_autoptr(GDateTime) dropped = berlin (2030, 3, 31, 9, 0);
  g_autoptr(BkBooking) b = bk_booking_new ("Daily", "Europe/Berlin", start, end);
  g_autoptr(BkBooking) all = NULL;

  g_assert_cmpint (g_date_time_difference (dropped, occurrence), ==, 23 * G_TIME_SPAN_HOUR);
  b->recurrence.kind = BK_RECURRENCE_DAILY;
  b->recurrence.interval = 1;
  b->recurrence.count = 10;
  all = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, dropped, NULL, TRUE);
  assert_wall (all->start, 2030, 3, 26, 9, 0);
  assert_wall (all->end, 2030, 3, 26, 9, 30);
}

/* A Sunday 23:00 series dragged past midnight: Monday 00:30, the days
 * turn over the end of the week. */
static void
test_move_past_midnight (void)
{
  g_autoptr(GDateTime) start = berlin (2030, 6, 2, 23, 0);
  g_autoptr(GDateTime) end = berlin (2030, 6, 2, 23, 45);
  g_autoptr(GDateTime) occurrence = berlin (2030, 6, 9, 23, 0);
  g_autoptr(GDateTime) dropped = berlin (2030, 6, 10, 0, 30);
  g_autoptr(BkBooking) b = bk_booking_new ("Late", "Europe/Berlin", start, end);
  g_autoptr(BkBooking) all = NULL;
  g_autoptr(BkBooking) single = NULL;

  b->recurrence.kind = BK_RECURRENCE_WEEKLY;
  b->recurrence.interval = 1;
  b->recurrence.weekdays = BK_WEEKDAY_SUNDAY;
  b->recurrence.count = 4;
  all = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, dropped, NULL, TRUE);
  assert_wall (all->start, 2030, 6, 3, 0, 30);
  assert_wall (all->end, 2030, 6, 3, 1, 15);
  g_assert_cmpuint (all->recurrence.weekdays, ==, BK_WEEKDAY_MONDAY);
  g_assert_cmpuint (all->recurrence.count, ==, 4);

  /* A one-off keeps its length. */
  b->recurrence.kind = BK_RECURRENCE_NONE;
  single = bk_booking_move (b, g_date_time_to_unix (start), start, dropped, NULL, FALSE);
  assert_wall (single->start, 2030, 6, 10, 0, 30);
  assert_wall (single->end, 2030, 6, 10, 1, 15);
}

/* A resize: a new end for the occurrence (its start kept).  One
 * occurrence: an exception with the new end; the whole series: every end
 * moves as the occurrence's did, the exceptions' too; an exception that
 * would end before it starts keeps its length. */
static void
test_resize (void)
{
  g_autoptr(GDateTime) start = berlin (2030, 3, 4, 9, 0);
  g_autoptr(GDateTime) end = berlin (2030, 3, 4, 10, 0);
  g_autoptr(GDateTime) rid = berlin (2030, 3, 5, 9, 0);
  g_autoptr(GDateTime) rid_start = berlin (2030, 3, 5, 14, 0);
  g_autoptr(GDateTime) rid_end = berlin (2030, 3, 5, 14, 30);
  g_autoptr(GDateTime) occurrence = berlin (2030, 3, 6, 9, 0);
  g_autoptr(GDateTime) longer = berlin (2030, 3, 6, 10, 45);
  g_autoptr(GDateTime) shorter = berlin (2030, 3, 6, 9, 15);
  g_autoptr(BkBooking) b = bk_booking_new ("Daily", "Europe/Berlin", start, end);
  g_autoptr(BkBooking) one = NULL;
  g_autoptr(BkBooking) all = NULL;
  g_autoptr(BkBooking) cut = NULL;
  g_autoptr(BkBooking) single = NULL;
  const BkBookingException *e;

  b->recurrence.kind = BK_RECURRENCE_DAILY;
  b->recurrence.interval = 1;
  b->recurrence.count = 5;
  bk_booking_set_exception (b, rid, rid_start, rid_end);

  one = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, occurrence, longer, FALSE);
  g_assert_true (g_date_time_equal (one->start, b->start));
  g_assert_true (g_date_time_equal (one->end, b->end));
  e = bk_booking_find_exception (one, g_date_time_to_unix (occurrence));
  g_assert_nonnull (e);
  assert_wall (e->start, 2030, 3, 6, 9, 0);
  assert_wall (e->end, 2030, 3, 6, 10, 45);

  /* 45 minutes longer, every occurrence. */
  all = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, occurrence, longer, TRUE);
  assert_wall (all->start, 2030, 3, 4, 9, 0);
  assert_wall (all->end, 2030, 3, 4, 10, 45);
  g_assert_cmpuint (all->recurrence.count, ==, 5);
  e = bk_booking_find_exception (all, g_date_time_to_unix (rid));
  g_assert_nonnull (e);
  assert_wall (e->start, 2030, 3, 5, 14, 0);
  assert_wall (e->end, 2030, 3, 5, 15, 15);

  /* 45 minutes shorter: the 30-minute exception keeps its length. */
  cut = bk_booking_move (b, g_date_time_to_unix (occurrence), occurrence, occurrence, shorter, TRUE);
  assert_wall (cut->end, 2030, 3, 4, 9, 15);
  e = bk_booking_find_exception (cut, g_date_time_to_unix (rid));
  assert_wall (e->end, 2030, 3, 5, 14, 30);

  /* A one-off: its new times. */
  b->recurrence.kind = BK_RECURRENCE_NONE;
  g_ptr_array_set_size (b->exceptions, 0);
  single = bk_booking_move (b, g_date_time_to_unix (start), start, start, shorter, FALSE);
  assert_wall (single->start, 2030, 3, 4, 9, 0);
  assert_wall (single->end, 2030, 3, 6, 9, 15);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/calendar-layout/columns/overlap", test_columns_overlap);
  g_test_add_func ("/calendar-layout/columns/widen", test_columns_widen);
  g_test_add_func ("/calendar-layout/columns/blocks", test_columns_blocks);
  g_test_add_func ("/calendar-layout/day/bounds", test_day_bounds);
  g_test_add_func ("/calendar-layout/day/span", test_day_span);
  g_test_add_func ("/calendar-layout/day/minute-to-utc", test_minute_to_utc);
  g_test_add_func ("/calendar-layout/move/weekly", test_move_weekly);
  g_test_add_func ("/calendar-layout/move/past-midnight", test_move_past_midnight);
  g_test_add_func ("/calendar-layout/move/dst", test_move_dst);
  g_test_add_func ("/calendar-layout/move/resize", test_resize);

  return g_test_run ();
}
