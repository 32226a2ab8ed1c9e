/* bench-calendar.c: the calendar's week view over 10,000 bookings
 * (including daily series over two years) on 5 bridges, in a real window.
 * Prints figures; not a test.  Needs a display: run it through
 * build-aux/run-headless (GSK_RENDERER=cairo as the tests use).
 *
 * Figures: opening the week view, as the application does: its window is
 * on screen with another page (the bridges), and the calendar page is
 * chosen; from choosing it to the first painted frame, and on to the
 * frame that drew the last booking's text (the grid spreads new text over
 * frames).  With "cold", the window is presented with the calendar as its
 * first page instead (the process's first frame: fonts, icons and styles
 * are loaded in it).  Then moving a week forward 50 times (each from the
 * action to the next painted frame).  For each, the longest main-loop
 * iteration: its busy time (wall clock less the time the loop waited in
 * poll() for the next frame or event: a loop waiting there answers at
 * once) and the main thread's CPU time; and the number of bookings shown.
 * Then two baselines in the same window: opening the page again, and
 * opening a week view with no booking (opened last, with every cache
 * warm: what the page costs GTK without bookings).
 *
 * The bookings are written to the store's file before anything is
 * measured: that write runs on a thread, and would otherwise take one of
 * the machine's cores during the measurement.
 *
 * Usage: bench-calendar [BOOKINGS [SERIES [cold]]]   (defaults 10000 and 200)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BenchCalendar"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bk-booking-file.h"
#include "bk-calendar-view.h"
#include "bk-week-view.h"

#define N_BRIDGES 5
#define SLOTS     60
#define N_PEOPLE  4000
#define DAY       (24 * 3600)

static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
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
  guint  painted;           /* frames painted so far */
  double longest_ms;        /* wall clock of the longest iteration */
  double longest_cpu_ms;
  guint  iterations;
  /* Where a frame's CPU time goes: GTK's own layout and paint handlers
   * run before ours (connected after the window is realized), so the
   * time from the frame's start to our "layout" handler is the layout,
   * from there to our "paint" handler the snapshot and rendering. */
  gint64 frame_start;
  gint64 layout_done;
  double layout_ms, layout_max_ms;
  double paint_ms, paint_max_ms;
  guint  frames;
} Loop;

static void
before_paint_cb (GdkFrameClock *clock,
                 Loop          *loop)
{
  loop->frame_start = cpu_now ();
}

static void
layout_cb (GdkFrameClock *clock,
           Loop          *loop)
{
  double ms;

  loop->layout_done = cpu_now ();
  ms = (loop->layout_done - loop->frame_start) / 1000.0;
  loop->layout_ms += ms;
  loop->layout_max_ms = MAX (loop->layout_max_ms, ms);
}

static void
paint_cb (GdkFrameClock *clock,
          Loop          *loop)
{
  double ms = (cpu_now () - loop->layout_done) / 1000.0;

  loop->paint_ms += ms;
  loop->paint_max_ms = MAX (loop->paint_max_ms, ms);
  loop->frames++;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Loop          *loop)
{
  loop->painted++;
}

/* Time the main loop spent waiting in poll() for something to do (the
 * frame clock's next frame, an event): an iteration is busy for its wall
 * time minus this; blocking inside a handler (Xlib waiting for the X
 * server's reply) counts as busy. */
static gint64 poll_wait_us;

static int
timed_poll (GPollFD *fds,
            guint    n_fds,
            int      timeout)
{
  gint64 start = g_get_monotonic_time ();
  int r = g_poll (fds, n_fds, timeout);

  poll_wait_us += g_get_monotonic_time () - start;
  return r;
}

/* One main-loop iteration: the longest is kept (busy wall time, CPU). */
static void
iterate (Loop *loop)
{
  gint64 wall = g_get_monotonic_time ();
  gint64 cpu = cpu_now ();
  gint64 waited = poll_wait_us;

  g_main_context_iteration (NULL, TRUE);
  loop->longest_ms = MAX (loop->longest_ms, (g_get_monotonic_time () - wall - (poll_wait_us - waited)) / 1000.0);
  loop->longest_cpu_ms = MAX (loop->longest_cpu_ms, (cpu_now () - cpu) / 1000.0);
  loop->iterations++;
}

/* Iterates until one more frame is painted; returns the wall time. */
static double
run_until_painted (Loop *loop)
{
  guint target = loop->painted + 1;
  gint64 start = g_get_monotonic_time ();

  while (loop->painted < target)
    iterate (loop);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The CPU time of the action itself (query and rebuild of the grid); the
 * rest of a step is GTK's layout, drawing and the frame. */
static double action_max_ms, action_sum_ms;
/* Frames painted when the last action ran (G_MAXUINT: not run yet). */
static guint painted_at_action;

static void
next_week_cb (gpointer user_data)
{
  GtkWidget *view = user_data;
  Loop *loop = g_object_get_data (G_OBJECT (view), "bench-loop");
  gint64 cpu = cpu_now ();
  double ms;

  gtk_widget_activate_action (view, "calendar.next", NULL);
  ms = (cpu_now () - cpu) / 1000.0;
  action_max_ms = MAX (action_max_ms, ms);
  action_sum_ms += ms;
  painted_at_action = loop->painted;
}

/* One step: the action, then iterations until a frame painted after it
 * (a frame painted before the action ran, for something else, does not
 * end the step: the next action would then pile up on this one in one
 * iteration). */
static double
run_step (GtkWidget *view,
          Loop      *loop)
{
  gint64 start = g_get_monotonic_time ();

  painted_at_action = G_MAXUINT;
  g_idle_add_once (next_week_cb, view);
  while (painted_at_action == G_MAXUINT || loop->painted <= painted_at_action)
    iterate (loop);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
reset_stats (Loop *loop)
{
  loop->longest_ms = loop->longest_cpu_ms = 0;
  loop->layout_ms = loop->layout_max_ms = loop->paint_ms = loop->paint_max_ms = 0;
  loop->frames = 0;
}

static GtkWidget *
find_week_view (GtkWidget *root)
{
  if (BK_IS_WEEK_VIEW (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_week_view (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  double first_ms;      /* to the first frame painted with the page */
  double complete_ms;   /* to the frame that drew the last text */
  guint  frames;        /* painted up to that one */
} Opening;

/* Shows @page of @stack (or presents @window when @stack is NULL), up to
 * the first frame painted with it, then on while the week view lays its
 * text out over the next frames. */
static Opening
open_page (GtkWidget *window,
           GtkStack  *stack,
           GtkWidget *page,
           Loop      *loop)
{
  gint64 start = g_get_monotonic_time ();
  guint painted = loop->painted;
  GtkWidget *week = find_week_view (page);
  Opening o;

  reset_stats (loop);
  if (stack == NULL)
    gtk_window_present (GTK_WINDOW (window));
  else
    gtk_stack_set_visible_child (stack, page);
  while (!gtk_widget_get_mapped (page) || loop->painted == painted)
    run_until_painted (loop);
  o.first_ms = (g_get_monotonic_time () - start) / 1000.0;
  while (week != NULL && bk_week_view_get_text_pending (BK_WEEK_VIEW (week)))
    run_until_painted (loop);
  o.complete_ms = (g_get_monotonic_time () - start) / 1000.0;
  o.frames = loop->painted - painted;
  return o;
}

static void
print_open (const char *what,
            Opening     o,
            Loop       *loop)
{
  g_print ("%s: %.1f ms to the first painted frame, %.1f ms to every text drawn (%u frames); longest main-loop "
           "iteration %.1f ms busy (%.1f ms CPU); CPU of its frames at most: layout %.1f ms, snapshot and "
           "rendering %.1f ms\n",
           what, o.first_ms, o.complete_ms, o.frames, loop->longest_ms, loop->longest_cpu_ms, loop->layout_max_ms,
           loop->paint_max_ms);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = bk_booking_store_load_finish (BK_BOOKING_STORE (source), result, NULL) ? 1 : 2;
}

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  bk_booking_store_flush_finish (BK_BOOKING_STORE (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static BkBooking *
random_booking (GRand  *rand,
                gint64  first_day,
                guint   i,
                gboolean series)
{
  gint64 day = first_day + (gint64) g_rand_int_range (rand, 0, series ? 30 : 730) * DAY;
  g_autoptr(GDateTime) d = g_date_time_new_from_unix_utc (day);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (i % 3 == 0 ? "Europe/Berlin" :
                                                        i % 3 == 1 ? "America/New_York" : "Asia/Taipei");
  g_autoptr(GDateTime) start = g_date_time_new (tz, g_date_time_get_year (d), g_date_time_get_month (d),
                                                g_date_time_get_day_of_month (d), g_rand_int_range (rand, 7, 19),
                                                g_rand_int_range (rand, 0, 4) * 15, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, g_rand_int_range (rand, 1, 9) * 15);
  g_autofree char *title = g_strdup_printf ("%s %u", series ? "Daily" : "Meeting", i);
  g_autofree char *bridge = g_strdup_printf ("bridge-%u", i % N_BRIDGES);
  BkBooking *b = bk_booking_new (title, g_time_zone_get_identifier (tz), start, end);

  b->automatic_bridge = FALSE;
  bk_booking_set_string (&b->bridge_id, bridge);
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


static guint
count_bookings_shown (GtkWidget *root)
{
  guint n = 0;

  if (!gtk_widget_get_visible (root))
    return 0;
  if (GTK_IS_BUTTON (root) && gtk_widget_has_css_class (root, "bk-cal-booking") &&
      gtk_widget_get_child_visible (root))
    return 1;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_bookings_shown (c);
  return n;
}

int
main (int   argc,
      char *argv[])
{
  guint n_bookings = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_series = argc > 2 ? (guint) atoi (argv[2]) : 200;
  gboolean cold = argc > 3 && g_str_equal (argv[3], "cold");
  g_autofree char *dir = g_dir_make_tmp ("bench-calendar-XXXXXX", NULL);
  g_autoptr(GListStore) bridges = g_list_store_new (BK_TYPE_DEVICE);
  g_autoptr(GPtrArray) rule_bridges = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BkBookingFile) file = bk_booking_file_new (dir);
  g_autoptr(BkBookingStore) store = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) shown = NULL;
  BkBookingRules rules = { 0 };
  gint64 first_day = g_date_time_to_unix (now) + DAY;
  gboolean loaded = FALSE;
  GtkWidget *window, *view, *stack, *start;
  Loop loop = { 0 };
  Opening opened;
  double step_ms, step_max = 0, step_sum = 0, rss_before;
  guint shown_min = G_MAXUINT, shown_max = 0, n_saved = 0;
  GdkFrameClock *clock;

  if (!gtk_init_check ())
    {
      g_printerr ("bench-calendar needs a display: run it through build-aux/run-headless\n");
      return 77;
    }
  adw_init ();
  g_main_context_set_poll_func (NULL, timed_poll);

  for (guint i = 0; i < N_BRIDGES; i++)
    {
      g_autofree char *id = g_strdup_printf ("bridge-%u", i);
      g_autofree char *domain = g_strdup_printf ("b%u.example.com", i);
      g_autoptr(BkDevice) d = g_object_new (BK_TYPE_DEVICE, "id", id, "address", domain, NULL);

      bk_device_set_name (d, id);
      bk_device_set_domain (d, domain);
      bk_device_set_numeric_id_base (d, 1001);
      bk_device_set_numeric_id_quantity (d, SLOTS);
      g_list_store_append (bridges, d);
      g_ptr_array_add (rule_bridges, g_object_ref (d));
    }
  rules.now = g_date_time_to_unix (now);
  rules.bridges = rule_bridges;

  bk_booking_store_load_async (store, NULL, load_cb, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < n_bookings; i++)
    {
      g_autoptr(BkBooking) b = random_booking (rand, first_day, i, i < n_series);

      n_saved += bk_booking_store_save (store, &rules, b, NULL, NULL);
    }
  g_print ("Bookings: %u asked, %u accepted by the rules (%u daily series over two years), %u bridges\n",
           n_bookings, n_saved, n_series, N_BRIDGES);
  /* Written before the measurement (see the top of this file). */
  loaded = FALSE;
  bk_booking_store_flush_async (store, NULL, flush_cb, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);

  rss_before = rss_mib ();
  view = bk_calendar_view_new ();
  bk_calendar_view_set_store (BK_CALENDAR_VIEW (view), store);
  bk_calendar_view_set_bridges (BK_CALENDAR_VIEW (view), G_LIST_MODEL (bridges));
  shown = g_date_time_new_from_unix_local (first_day + 180 * DAY);
  bk_calendar_view_set_date (BK_CALENDAR_VIEW (view), shown);

  /* The application's window: a page of bridges, the calendar beside it. */
  start = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (start), "network-server-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (start), "Bridges");
  adw_status_page_set_description (ADW_STATUS_PAGE (start), "Add a bridge to book meetings on it.");
  adw_status_page_set_child (ADW_STATUS_PAGE (start), gtk_button_new_with_label ("Add Bridge"));
  stack = gtk_stack_new ();
  if (cold)
    gtk_stack_add_named (GTK_STACK (stack), view, "calendar");
  gtk_stack_add_named (GTK_STACK (stack), start, "bridges");
  if (!cold)
    gtk_stack_add_named (GTK_STACK (stack), view, "calendar");
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  adw_window_set_content (ADW_WINDOW (window), stack);
  gtk_widget_realize (window);
  clock = gtk_widget_get_frame_clock (window);
  g_object_set_data (G_OBJECT (view), "bench-loop", &loop);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &loop);
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), &loop);
  g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), &loop);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &loop);

  if (!cold)
    {
      open_page (window, NULL, start, &loop);
      opened = open_page (window, GTK_STACK (stack), view, &loop);
    }
  else
    opened = open_page (window, NULL, view, &loop);
  {
    g_autofree char *what = g_strdup_printf ("Opening the week view (%u bookings shown; %s)", count_bookings_shown (view),
                                             cold ? "cold: a new window presented with it"
                                                  : "its page chosen in a window on screen");

    print_open (what, opened, &loop);
  }

  reset_stats (&loop);
  for (guint i = 0; i < 50; i++)
    {
      guint n;

      step_ms = run_step (view, &loop);
      step_sum += step_ms;
      step_max = MAX (step_max, step_ms);
      n = count_bookings_shown (view);
      shown_min = MIN (shown_min, n);
      shown_max = MAX (shown_max, n);
    }
  g_print ("Moving a week forward 50 times (%u to %u bookings a week): %.1f ms a week on average "
           "(action to painted frame), slowest %.1f ms; longest main-loop iteration %.1f ms busy (%.1f ms CPU)\n",
           shown_min, shown_max, step_sum / 50, step_max, loop.longest_ms, loop.longest_cpu_ms);
  g_print ("  of which the query and the rebuild of the grid's widgets: %.1f ms CPU on average, at most %.1f ms\n",
           action_sum_ms / 50, action_max_ms);
  g_print ("  GTK's frames (%u), CPU: layout %.1f ms on average, at most %.1f ms; snapshot and rendering %.1f ms "
           "on average, at most %.1f ms\n",
           loop.frames, loop.layout_ms / MAX (loop.frames, 1), loop.layout_max_ms,
           loop.paint_ms / MAX (loop.frames, 1), loop.paint_max_ms);
  g_print ("Memory: %.1f MiB resident (%.1f MiB with the bookings, before the window)\n", rss_mib (), rss_before);

  /* Baselines, in the same window: the page again (its texts laid out),
   * and a calendar with no booking at all (what GTK's renderer costs for
   * the page alone; opened last, with every cache warm, so the figure is
   * if anything low). */
  if (!cold)
    {
      GtkWidget *empty_view = bk_calendar_view_new ();
      g_autoptr(BkBookingFile) empty_file = NULL;
      g_autoptr(BkBookingStore) empty_store = NULL;
      g_autofree char *empty_dir = g_dir_make_tmp ("bench-calendar-XXXXXX", NULL);

      empty_file = bk_booking_file_new (empty_dir);
      empty_store = bk_booking_store_new (BK_BOOKING_BACKEND (empty_file), BK_BOOKING_DEFAULT_EARLY_JOIN);
      loaded = FALSE;
      bk_booking_store_load_async (empty_store, NULL, load_cb, &loaded);
      while (!loaded)
        g_main_context_iteration (NULL, TRUE);
      bk_calendar_view_set_store (BK_CALENDAR_VIEW (empty_view), empty_store);
      bk_calendar_view_set_bridges (BK_CALENDAR_VIEW (empty_view), G_LIST_MODEL (bridges));
      bk_calendar_view_set_date (BK_CALENDAR_VIEW (empty_view), shown);
      gtk_stack_add_named (GTK_STACK (stack), empty_view, "empty");

      open_page (window, GTK_STACK (stack), start, &loop);
      opened = open_page (window, GTK_STACK (stack), view, &loop);
      print_open ("Opening it again (another page chosen, then the calendar)", opened, &loop);
      open_page (window, GTK_STACK (stack), start, &loop);
      opened = open_page (window, GTK_STACK (stack), empty_view, &loop);
      print_open ("Baseline: opening a week view with no booking in the same window", opened, &loop);
      g_rmdir (empty_dir);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  loaded = FALSE;
  bk_booking_store_flush_async (store, NULL, flush_cb, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autofree char *path = g_build_filename (dir, "bookings.ics", NULL);

    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
