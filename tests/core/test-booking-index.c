/* test-booking-index.c: the occurrence index against a plain scan
 *
 * Random puts, changes and removals (enough to merge the pending buffer
 * many times and to drop removed bookings' spans), each followed by random
 * queries whose answers must equal a scan of every booking's occurrences.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingIndex"

#include "config.h"

#include "bk-booking-index.h"
#include "bk-test-util.h"

#define DAY  (24 * 3600)
#define EARLY 300

static const char * const bridges[] = { "a", "b", "c" };

static BkBooking *
random_booking (GRand      *rand,
                gint64      origin,
                const char *uid)
{
  gint64 start = origin + (gint64) g_rand_int_range (rand, 0, 60) * DAY + g_rand_int_range (rand, 0, 96) * 900;
  g_autoptr(GDateTime) s = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) e = g_date_time_add_minutes (s, g_rand_int_range (rand, 1, 12) * 15);
  BkBooking *b = bk_booking_new ("Random", g_rand_boolean (rand) ? "Europe/Berlin" : "UTC", s, e);

  bk_booking_set_string (&b->uid, uid);
  b->automatic_bridge = FALSE;
  bk_booking_set_string (&b->bridge_id, bridges[g_rand_int_range (rand, 0, G_N_ELEMENTS (bridges))]);
  if (g_rand_int_range (rand, 0, 10) == 0)
    b->type = BK_BOOKING_TYPE_NO_CONNECT;
  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      b->recurrence.kind = BK_RECURRENCE_DAILY;
      b->recurrence.count = g_rand_int_range (rand, 2, 40);
      break;
    case 1:
      b->recurrence.kind = BK_RECURRENCE_WEEKLY;
      b->recurrence.weekdays = BK_WEEKDAY_FROM_ISO (g_date_time_get_day_of_week (b->start)) | BK_WEEKDAY_FRIDAY;
      b->recurrence.count = g_rand_int_range (rand, 2, 20);
      break;
    default:
      break;
    }
  return b;
}

/* Occurrences of @bookings overlapping [from, to) found by a scan, as
 * "uid start" strings (slot holdings when @bridge is given). */
static GPtrArray *
scan (GHashTable *bookings,
      const char *bridge,
      gint64      from,
      gint64      to,
      gboolean    holdings)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, bookings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BkBooking *b = value;
      g_autoptr(GArray) all = NULL;

      if (bridge != NULL && (!bk_booking_uses_bridge (b) || g_strcmp0 (b->bridge_id, bridge) != 0))
        continue;
      all = bk_booking_expand_all (b, NULL);
      for (guint i = 0; i < all->len; i++)
        {
          const BkOccurrence *o = &g_array_index (all, BkOccurrence, i);
          gint64 start = holdings ? o->start - EARLY : o->start;

          if (start < to && o->end > from)
            g_ptr_array_add (out, g_strdup_printf ("%s %" G_GINT64_FORMAT, b->uid, start));
        }
    }
  return out;
}

static GPtrArray *
names (GArray *found)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < found->len; i++)
    {
      const BkIndexedOccurrence *io = &g_array_index (found, BkIndexedOccurrence, i);

      g_ptr_array_add (out, g_strdup_printf ("%s %" G_GINT64_FORMAT, io->booking->uid, io->occurrence.start));
    }
  return out;
}

static int
str_cmp (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
assert_same_sets (GPtrArray *a,
                  GPtrArray *b)
{
  g_ptr_array_sort (a, str_cmp);
  g_ptr_array_sort (b, str_cmp);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

static void
check_queries (BkBookingIndex *index,
               GHashTable     *bookings,
               GRand          *rand,
               gint64          origin)
{
  for (guint q = 0; q < 5; q++)
    {
      gint64 from = origin + (gint64) g_rand_int_range (rand, -2, 70) * DAY + g_rand_int_range (rand, 0, 96) * 900;
      gint64 to = from + g_rand_int_range (rand, 1, 8 * 96) * 900;
      const char *bridge = bridges[g_rand_int_range (rand, 0, G_N_ELEMENTS (bridges))];
      g_autoptr(GArray) all = bk_booking_index_query (index, NULL, from, to);
      g_autoptr(GArray) slots = bk_booking_index_query_slots (index, bridge, from, to, NULL);
      g_autoptr(GPtrArray) expected_all = scan (bookings, NULL, from, to, FALSE);
      g_autoptr(GPtrArray) expected_slots = scan (bookings, bridge, from, to, TRUE);
      g_autoptr(GPtrArray) got_all = names (all);
      g_autoptr(GPtrArray) got_slots = names (slots);

      /* Sorted by start. */
      for (guint i = 1; i < all->len; i++)
        g_assert_cmpint (g_array_index (all, BkIndexedOccurrence, i - 1).occurrence.start, <=,
                         g_array_index (all, BkIndexedOccurrence, i).occurrence.start);
      assert_same_sets (got_all, expected_all);
      assert_same_sets (got_slots, expected_slots);
    }
}

static void
test_against_scan (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GHashTable) bookings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) bk_booking_unref);
  g_autoptr(GDateTime) o = g_date_time_new_utc (2027, 1, 4, 0, 0, 0);
  gint64 origin = g_date_time_to_unix (o);
  BkBookingIndex *index = bk_booking_index_new (EARLY);

  for (guint step = 0; step < 1500; step++)
    {
      guint action = g_rand_int_range (rand, 0, 10);
      g_autofree char *uid = g_strdup_printf ("b%u", g_rand_int_range (rand, 0, 400));

      if (action < 7)
        {
          /* Add, or change the booking with that UID. */
          BkBooking *b = random_booking (rand, origin, uid);

          g_assert_true (bk_booking_index_put (index, b));
          g_hash_table_replace (bookings, g_strdup (uid), b);
        }
      else
        {
          gboolean had = g_hash_table_remove (bookings, uid);

          g_assert_cmpint (bk_booking_index_remove (index, uid), ==, had);
        }
      g_assert_cmpuint (bk_booking_index_get_n_bookings (index), ==, g_hash_table_size (bookings));
      if (step % 10 == 0)
        check_queries (index, bookings, rand, origin);
    }
  check_queries (index, bookings, rand, origin);

  /* Built in one go, the same answers. */
  {
    g_autoptr(GPtrArray) list = g_ptr_array_new ();
    GHashTableIter iter;
    gpointer value;
    BkBookingIndex *bulk;

    g_hash_table_iter_init (&iter, bookings);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_add (list, value);
    bulk = bk_booking_index_new_from (EARLY, list);
    g_assert_cmpuint (bk_booking_index_get_n_bookings (bulk), ==, g_hash_table_size (bookings));
    check_queries (bulk, bookings, rand, origin);
    bk_booking_index_free (bulk);
  }

  bk_booking_index_free (index);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/booking/index/against-scan", test_against_scan);

  return g_test_run ();
}
