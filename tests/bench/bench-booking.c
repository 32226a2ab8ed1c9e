/* bench-booking.c: 10,000 bookings (including daily series over two years)
 * on 5 bridges.  Prints figures; not a test.
 *
 * Figures: booking them all through the rules; writing and reading
 * bookings.ics (and the longest main-loop iteration while it is written);
 * one week's occurrences through the index, against the fair baseline of
 * expanding every booking lazily with libical for that week (what a
 * calendar without an index must do); moving a week forward 50 times;
 * a conflict check of a one-off and of a daily series over two years; the
 * memory used.
 *
 * Usage: bench-booking [BOOKINGS [SERIES]]   (defaults 10000 and 200)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BenchBooking"

#include "config.h"

#include <stdlib.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "bk-booking-file.h"
#include "bk-booking-store.h"

#define N_BRIDGES     5
#define SLOTS         60
#define N_PEOPLE      4000
#define DAY           (24 * 3600)

/* The main thread's CPU time, in microseconds: the machine is shared, so
 * wall-clock times of synchronous work are printed beside it. */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
cpu_ms_since (gint64 start)
{
  return (cpu_now () - start) / 1000.0;
}

static double
rss_mib (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  double   longest_ms;       /* wall: the ticker's longest gap */
  double   longest_cpu_ms;   /* the main thread's CPU time in one iteration */
  guint    iterations;
} Wait;

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = bk_booking_store_flush_finish (BK_BOOKING_STORE (source), result, NULL);
  w->done = TRUE;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = bk_booking_store_load_finish (BK_BOOKING_STORE (source), result, NULL);
  w->done = TRUE;
}

/* A 1 ms ticker: the longest gap between two ticks is the longest time the
 * main loop was kept from turning. */
typedef struct
{
  gint64 last;
  double longest_ms;
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *t = user_data;
  gint64 now = g_get_monotonic_time ();

  if (t->last != 0)
    t->longest_ms = MAX (t->longest_ms, (now - t->last) / 1000.0);
  t->last = now;
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @w is done, timing each iteration's CPU time
 * and how late the ticker gets (wall clock, so it includes the time other
 * processes took the CPU). */
static void
spin (Wait *w)
{
  Ticker ticker = { 0, 0 };
  guint id = g_timeout_add (1, tick_cb, &ticker);

  while (!w->done)
    {
      gint64 cpu = cpu_now ();

      g_main_context_iteration (NULL, TRUE);
      w->longest_cpu_ms = MAX (w->longest_cpu_ms, cpu_ms_since (cpu));
      w->iterations++;
    }
  g_source_remove (id);
  w->longest_ms = ticker.longest_ms;
}

static BkBooking *
random_booking (GRand      *rand,
                gint64      first_day,
                guint       i,
                gboolean    series)
{
  gint64 day = first_day + (gint64) g_rand_int_range (rand, 0, series ? 30 : 730) * DAY;
  int hour = g_rand_int_range (rand, 7, 19);
  int minute = g_rand_int_range (rand, 0, 4) * 15;
  int length = g_rand_int_range (rand, 1, 9) * 15;
  g_autoptr(GDateTime) d = g_date_time_new_from_unix_utc (day);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (i % 3 == 0 ? "Europe/Berlin" :
                                                        i % 3 == 1 ? "America/New_York" : "Asia/Taipei");
  g_autoptr(GDateTime) start = g_date_time_new (tz, g_date_time_get_year (d), g_date_time_get_month (d),
                                                g_date_time_get_day_of_month (d), hour, minute, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, length);
  g_autofree char *title = g_strdup_printf ("%s %u", series ? "Daily" : "Meeting", i);
  BkBooking *b = bk_booking_new (title, g_time_zone_get_identifier (tz), start, end);

  /* Most bookings name their bridge; every tenth is routed automatically. */
  if (i % 10 != 0)
    {
      g_autofree char *bridge = g_strdup_printf ("bridge-%u", i % N_BRIDGES);

      b->automatic_bridge = FALSE;
      bk_booking_set_string (&b->bridge_id, bridge);
    }
  if (series)
    {
      g_autoptr(GDateTime) until = g_date_time_add_days (start, 730);

      b->recurrence.kind = BK_RECURRENCE_DAILY;
      g_date_set_dmy (&b->recurrence.until, g_date_time_get_day_of_month (until),
                      g_date_time_get_month (until), g_date_time_get_year (until));
    }
  for (guint p = 0; p < 2; p++)
    {
      g_autofree char *address = g_strdup_printf ("person%u@example.com", g_rand_int_range (rand, 0, N_PEOPLE));

      bk_booking_add_participant (b, "", address, BK_DIAL_OUT);
    }
  return b;
}

int
main (int   argc,
      char *argv[])
{
  guint n_bookings = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_series = argc > 2 ? (guint) atoi (argv[2]) : 200;
  g_autofree char *dir = g_dir_make_tmp ("bench-booking-XXXXXX", NULL);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BkBookingFile) file = bk_booking_file_new (dir);
  g_autoptr(BkBookingStore) store = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
  BkBookingRules rules = { 0 };
  BkBookingIndex *index;
  guint refused_capacity = 0, refused_participant = 0, refused_other = 0;
  gint64 first_day = g_date_time_to_unix (now) + DAY;
  double rss_start = rss_mib ();
  double rss_booked;
  gint64 t;
  double total_ms, longest_ms;
  guint n_occurrences = 0;

  for (guint i = 0; i < N_BRIDGES; i++)
    {
      g_autofree char *id = g_strdup_printf ("bridge-%u", i);
      g_autofree char *domain = g_strdup_printf ("b%u.example.com", i);
      BkDevice *d = g_object_new (BK_TYPE_DEVICE, "id", id, "address", domain, NULL);

      bk_device_set_name (d, id);
      bk_device_set_domain (d, domain);
      bk_device_set_numeric_id_base (d, 1001);
      bk_device_set_numeric_id_quantity (d, SLOTS);
      g_ptr_array_add (bridges, d);
    }
  rules.now = g_date_time_to_unix (now);
  rules.bridges = bridges;
  rules.preferred_bridge_id = "bridge-2";

  g_print ("Bookings: %u (of which %u daily series over two years), %u bridges of %u slots, %u people; "
           "9 in 10 name their bridge, 1 in 10 is routed automatically (preferred: bridge-2)\n",
           n_bookings, n_series, N_BRIDGES, SLOTS, N_PEOPLE);

  {
    Wait w = { 0 };

    bk_booking_store_load_async (store, NULL, load_cb, &w);
    spin (&w);
  }
  index = bk_booking_store_get_index (store);

  /* Book them all through the rules. */
  t = cpu_now ();
  longest_ms = 0;
  for (guint i = 0; i < n_bookings; i++)
    {
      g_autoptr(BkBooking) b = random_booking (rand, first_day, i, i < n_series);
      g_autoptr(GError) error = NULL;
      gint64 one = cpu_now ();

      if (!bk_booking_store_save (store, &rules, b, NULL, &error))
        {
          if (g_error_matches (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY))
            refused_capacity++;
          else if (g_error_matches (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_PARTICIPANT_BUSY))
            refused_participant++;
          else
            refused_other++;
        }
      longest_ms = MAX (longest_ms, cpu_ms_since (one));
    }
  total_ms = cpu_ms_since (t);
  {
    g_autoptr(GArray) all = bk_booking_index_query (index, NULL, G_MININT64 / 4, G_MAXINT64 / 4);

    n_occurrences = all->len;
  }
  g_print ("Booked %u (refused: %u full, %u participant busy, %u other) with %u occurrences: "
           "%.0f ms CPU, %.3f ms each on average, longest %.2f ms\n",
           bk_booking_store_get_n_bookings (store), refused_capacity, refused_participant, refused_other,
           n_occurrences, total_ms, total_ms / n_bookings, longest_ms);

  rss_booked = rss_mib ();

  /* Written in the background: the main loop keeps turning. */
  {
    Wait w = { 0 };
    struct stat st;
    g_autofree char *path = g_build_filename (dir, "bookings.ics", NULL);

    t = g_get_monotonic_time ();
    bk_booking_store_flush_async (store, NULL, flush_cb, &w);
    spin (&w);
    g_stat (path, &st);
    g_print ("Saved bookings.ics (%.1f MiB, fsync'd): %.0f ms in a worker thread; meanwhile the longest "
             "main-loop iteration took %.2f ms CPU, a 1 ms timer was late by at most %.2f ms (%u iterations)\n",
             st.st_size / (1024.0 * 1024.0), ms_since (t), w.longest_cpu_ms, w.longest_ms, w.iterations);
  }
  {
    g_autoptr(BkBookingFile) file2 = bk_booking_file_new (dir);
    g_autoptr(BkBookingStore) store2 = bk_booking_store_new (BK_BOOKING_BACKEND (file2), BK_BOOKING_DEFAULT_EARLY_JOIN);
    Wait w = { 0 };

    t = g_get_monotonic_time ();
    bk_booking_store_load_async (store2, NULL, load_cb, &w);
    spin (&w);
    g_print ("Loaded it again (%u bookings, parsed and indexed in worker threads): %.0f ms; meanwhile the "
             "longest main-loop iteration took %.2f ms CPU, a 1 ms timer was late by at most %.2f ms\n",
             bk_booking_store_get_n_bookings (store2), ms_since (t), w.longest_cpu_ms, w.longest_ms);
  }

  /* One week, through the index and the naive way. */
  {
    gint64 week = first_day + 180 * DAY;
    g_autoptr(GPtrArray) all = bk_booking_store_dup_bookings (store);
    guint n_index = 0, n_naive = 0, n_weeks = 0;
    double index_ms, naive_ms, step_max = 0;

    t = cpu_now ();
    {
      g_autoptr(GArray) occ = bk_booking_index_query (index, NULL, week, week + 7 * DAY);

      n_index = occ->len;
    }
    index_ms = cpu_ms_since (t);

    t = cpu_now ();
    for (guint i = 0; i < all->len; i++)
      {
        g_autoptr(GArray) occ = bk_booking_expand (g_ptr_array_index (all, i), week, week + 7 * DAY, NULL);

        n_naive += occ->len;
      }
    naive_ms = cpu_ms_since (t);
    g_print ("One week (%u occurrences): %.3f ms CPU through the index; %.1f ms expanding every booking "
             "lazily with libical (%u occurrences): %.0fx\n",
             n_index, index_ms, naive_ms, n_naive, naive_ms / MAX (index_ms, 0.001));

    t = cpu_now ();
    for (guint i = 0; i < 50; i++)
      {
        gint64 one = cpu_now ();
        g_autoptr(GArray) occ = bk_booking_index_query (index, NULL, week + i * 7 * DAY, week + (i + 1) * 7 * DAY);

        step_max = MAX (step_max, cpu_ms_since (one));
        n_weeks += occ->len;
      }
    g_print ("Moving a week forward 50 times (%u occurrences in all): %.2f ms CPU in all, longest step %.3f ms\n",
             n_weeks, cpu_ms_since (t), step_max);

    /* One bridge's week, as "This Week's Bookings" asks. */
    t = cpu_now ();
    {
      g_autoptr(GArray) occ = bk_booking_index_query (index, "bridge-2", week, week + 7 * DAY);

      g_print ("One bridge's week (%u occurrences): %.3f ms CPU\n", occ->len, cpu_ms_since (t));
    }
  }

  /* What one long series costs libical. */
  {
    g_autoptr(GDateTime) s = g_date_time_new_utc (2027, 1, 4, 9, 0, 0);
    g_autoptr(GDateTime) e = g_date_time_add_minutes (s, 30);
    g_autoptr(BkBooking) daily = bk_booking_new ("Daily", "Europe/Berlin", s, e);
    g_autoptr(GArray) occ = NULL;

    daily->recurrence.kind = BK_RECURRENCE_DAILY;
    g_date_set_dmy (&daily->recurrence.until, 3, 1, 2029);
    t = cpu_now ();
    occ = bk_booking_expand_all (daily, NULL);
    g_print ("Expanding one daily series over two years (%u meetings) with libical: %.2f ms CPU\n",
             occ->len, cpu_ms_since (t));
  }

  /* Conflict checks of new bookings in the busiest part. */
  {
    gint64 when = first_day + 10 * DAY;
    g_autoptr(GDateTime) s = g_date_time_new_from_unix_utc (when + 9 * 3600);
    g_autoptr(GDateTime) e = g_date_time_add_minutes (s, 60);
    g_autoptr(BkBooking) one = bk_booking_new ("New one-off", "UTC", s, e);
    g_autoptr(BkBooking) daily = bk_booking_new ("New daily", "UTC", s, e);
    g_autoptr(GDateTime) until = g_date_time_add_days (s, 730);
    double worst = 0, sum = 0;
    guint rounds = 100;

    bk_booking_add_participant (one, "", "person1@example.com", BK_DIAL_OUT);
    bk_booking_add_participant (one, "", "newcomer@example.com", BK_DIAL_OUT);
    for (guint i = 0; i < rounds; i++)
      {
        g_autoptr(BkBookingPlan) plan = NULL;
        g_autoptr(BkBookingConflict) conflict = NULL;

        t = cpu_now ();
        bk_booking_store_check (store, &rules, one, &plan, &conflict, NULL);
        worst = MAX (worst, cpu_ms_since (t));
        sum += cpu_ms_since (t);
      }
    g_print ("Conflict check, one-off with 2 participants: %.3f ms CPU on average, worst %.3f ms (%u runs)\n",
             sum / rounds, worst, rounds);

    daily->recurrence.kind = BK_RECURRENCE_DAILY;
    g_date_set_dmy (&daily->recurrence.until, g_date_time_get_day_of_month (until),
                    g_date_time_get_month (until), g_date_time_get_year (until));
    bk_booking_add_participant (daily, "", "newcomer@example.com", BK_DIAL_OUT);
    worst = sum = 0;
    rounds = 20;
    for (guint i = 0; i < rounds; i++)
      {
        g_autoptr(BkBookingPlan) plan = NULL;
        g_autoptr(BkBookingConflict) conflict = NULL;
        g_autoptr(GError) error = NULL;
        gboolean ok;

        t = cpu_now ();
        ok = bk_booking_store_check (store, &rules, daily, &plan, &conflict, &error);
        worst = MAX (worst, cpu_ms_since (t));
        sum += cpu_ms_since (t);
        if (i == 0)
          g_print ("  (the daily series is %s%s%s)\n", ok ? "accepted on " : "refused: ",
                   ok ? bk_device_get_id (plan->bridge) : error->message, "");
      }
    g_print ("Conflict check, daily series over two years (731 meetings): %.2f ms CPU on average, worst %.2f ms (%u runs)\n",
             sum / rounds, worst, rounds);
  }

  g_print ("Memory: resident %.1f MiB at start, %.1f MiB with every booking and its index "
           "(+%.1f MiB), %.1f MiB at the end (after a second copy was loaded and freed)\n",
           rss_start, rss_booked, rss_booked - rss_start, rss_mib ());

  {
    g_autofree char *path = g_build_filename (dir, "bookings.ics", NULL);

    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
