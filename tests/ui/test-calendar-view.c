/* test-calendar-view.c: the booking calendar's views in a real window:
 * a store's bookings in week, month and agenda; overlapping bookings side
 * by side; dragging over free time emits create-booking; clicking a
 * booking emits open-booking; navigation, the bridge filter, a narrow
 * window.  BK_SCREENSHOT_DIR saves calendar-week.png, calendar-month.png,
 * calendar-agenda.png (and -narrow).
 *
 * The drag is driven through the grid's own GtkGestureDrag: GTK 4.8 has
 * no gtk_test_widget_* event API, so the test emits the gesture's
 * drag-begin / drag-update / drag-end signals with grid coordinates (what
 * GTK emits for a real pointer drag).  The grid's handlers do not ask the
 * gesture for its sequence's points, so this runs exactly the code a real
 * drag runs after GTK's event delivery.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestCalendarView"

#include "config.h"

#include <dlfcn.h>
#include <locale.h>

#include <gdk/x11/gdkx.h>

#include "bk-agenda-view.h"
#include "bk-booking-file.h"
#include "bk-bridge-ui-test.h"
#include "bk-calendar-util.h"
#include "bk-calendar-view.h"
#include "bk-month-view.h"
#include "bk-ui-test.h"
#include "bk-week-view.h"

/* The expected text in the test's language (English, or zh_TW when
 * LANGUAGE says so: the same test then proves the translations load). */
static const char *
T (const char *english,
   const char *chinese)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "zh_TW") ? chinese : english;
}

typedef struct
{
  char           *dir;
  BkBookingFile  *file;
  BkBookingStore *store;
  GListStore     *bridges;
  BkBookingRules  rules;
  GPtrArray      *rule_bridges;
  GtkWindow      *window;
  BkCalendarView *view;
  GDate           monday;      /* of the test week, in 2030 */

  /* signals seen */
  guint           n_created;
  GDateTime      *created_start;
  GDateTime      *created_end;
  guint           n_opened;
  char           *opened_uid;
  GDateTime      *opened_start;
} Fixture;


static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_assert_true (bk_booking_store_load_finish (BK_BOOKING_STORE (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static BkDevice *
new_bridge (const char *id,
            const char *name)
{
  BkDevice *d = g_object_new (BK_TYPE_DEVICE, "id", id, "address", "cms.example.com", NULL);

  bk_device_set_name (d, name);
  bk_device_set_domain (d, "example.com");
  bk_device_set_numeric_id_base (d, 1001);
  bk_device_set_numeric_id_quantity (d, 5);
  return d;
}

/* A booking on day @day (0 = Monday of the test week) from @h:@m for
 * @minutes, on @bridge_id (NULL: No Connect). */
static char *
book_full (Fixture    *f,
           const char *title,
           int         day,
           int         h,
           int         m,
           int         minutes,
           const char *bridge_id,
           const char *participant,
           guint       daily_count)
{
  g_autoptr(GError) error = NULL;
  GDate date = f->monday;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(BkBooking) b = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  g_date_add_days (&date, day);
  start = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), h, m, 0);
  end = g_date_time_add_minutes (start, minutes);
  b = bk_booking_new (title, "UTC", start, end);
  if (bridge_id != NULL)
    {
      b->automatic_bridge = FALSE;
      bk_booking_set_string (&b->bridge_id, bridge_id);
    }
  else
    b->type = BK_BOOKING_TYPE_NO_CONNECT;
  if (participant != NULL)
    bk_booking_add_participant (b, "", participant, BK_DIAL_OUT);
  if (daily_count > 0)
    {
      b->recurrence.kind = BK_RECURRENCE_DAILY;
      b->recurrence.interval = 1;
      b->recurrence.count = daily_count;
    }
  g_assert_true (bk_booking_store_save (f->store, &f->rules, b, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (b->uid);
}

static char *
book (Fixture    *f,
      const char *title,
      int         day,
      int         h,
      int         m,
      int         minutes,
      const char *bridge_id)
{
  return book_full (f, title, day, h, m, minutes, bridge_id, NULL, 0);
}

static void
created_cb (BkCalendarView *view,
            GDateTime      *start,
            GDateTime      *end,
            Fixture        *f)
{
  f->n_created++;
  g_clear_pointer (&f->created_start, g_date_time_unref);
  g_clear_pointer (&f->created_end, g_date_time_unref);
  f->created_start = g_date_time_ref (start);
  f->created_end = g_date_time_ref (end);
}

static void
opened_cb (BkCalendarView *view,
           const char     *uid,
           GDateTime      *start,
           Fixture        *f)
{
  f->n_opened++;
  g_free (f->opened_uid);
  f->opened_uid = g_strdup (uid);
  g_clear_pointer (&f->opened_start, g_date_time_unref);
  f->opened_start = g_date_time_ref (start);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  gboolean loaded = FALSE;
  g_autoptr(GDateTime) when = NULL;
  int width = GPOINTER_TO_INT (data) > 0 ? GPOINTER_TO_INT (data) : 1100;
  GtkWidget *overlay;

  f->dir = g_build_filename (bk_test_get_tmpdir (), "calendar-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (f->dir));
  f->file = bk_booking_file_new (f->dir);
  f->store = bk_booking_store_new (BK_BOOKING_BACKEND (f->file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  bk_booking_store_load_async (f->store, NULL, load_cb, &loaded);
  bk_test_wait_until (flag_set, &loaded, 10000);

  f->bridges = g_list_store_new (BK_TYPE_DEVICE);
  f->rule_bridges = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(BkDevice) d = new_bridge (i == 0 ? "bridge-a" : "bridge-b", i == 0 ? "Taipei CMS" : "Berlin CMS");

      g_list_store_append (f->bridges, d);
      g_ptr_array_add (f->rule_bridges, g_object_ref (d));
    }
  f->rules.now = 0;
  f->rules.bridges = f->rule_bridges;

  /* Monday 3 June 2030. */
  g_date_clear (&f->monday, 1);
  g_date_set_dmy (&f->monday, 3, 6, 2030);
  g_assert_cmpint (g_date_get_weekday (&f->monday), ==, G_DATE_MONDAY);

  f->view = BK_CALENDAR_VIEW (bk_calendar_view_new ());
  bk_calendar_view_set_store (f->view, f->store);
  bk_calendar_view_set_bridges (f->view, G_LIST_MODEL (f->bridges));
  g_signal_connect (f->view, "create-booking", G_CALLBACK (created_cb), f);
  g_signal_connect (f->view, "open-booking", G_CALLBACK (opened_cb), f);
  /* Wednesday of the test week. */
  when = g_date_time_new_local (2030, 6, 5, 12, 0, 0);
  bk_calendar_view_set_date (f->view, when);

  f->window = GTK_WINDOW (adw_window_new ());
  /* As in the main window: toasts (a refused move) show over the view. */
  overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->view));
  adw_window_set_content (ADW_WINDOW (f->window), overlay);
  gtk_window_set_default_size (f->window, width, 760);
  gtk_window_present (f->window);
  bk_ui_test_wait_mapped (GTK_WIDGET (f->view));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  bk_ui_test_close_window (f->window);
  g_clear_object (&f->store);
  g_clear_object (&f->file);
  g_clear_object (&f->bridges);
  g_clear_pointer (&f->rule_bridges, g_ptr_array_unref);
  g_clear_pointer (&f->created_start, g_date_time_unref);
  g_clear_pointer (&f->created_end, g_date_time_unref);
  g_clear_pointer (&f->opened_start, g_date_time_unref);
  g_free (f->opened_uid);
  bk_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* The booking buttons shown in @root (visible ones only). */
static GPtrArray *
booking_buttons (GtkWidget *root)
{
  g_autoptr(GPtrArray) all = bk_ui_test_find_all_by_type (root, GTK_TYPE_BUTTON);
  GPtrArray *shown = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (all, i);

      if (gtk_widget_has_css_class (b, "bk-cal-booking") && gtk_widget_get_child_visible (b) &&
          gtk_widget_get_mapped (b))
        g_ptr_array_add (shown, b);
    }
  return shown;
}

static GtkWidget *
find_booking (GtkWidget  *root,
              const char *title)
{
  g_autoptr(GPtrArray) buttons = booking_buttons (root);

  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *name = bk_ui_test_get_accessible_name (g_ptr_array_index (buttons, i));

      /* "Title, date, times" (zh_TW: "Title，…"). */
      if (name != NULL && g_str_has_prefix (name, title) &&
          (g_str_has_prefix (name + strlen (title), ",") || g_str_has_prefix (name + strlen (title), "，")))
        return g_ptr_array_index (buttons, i);
    }
  return NULL;
}

typedef struct
{
  GtkWidget *root;
  guint      n;
} CountWait;

static gboolean
n_buttons_is (gpointer data)
{
  CountWait *w = data;
  g_autoptr(GPtrArray) buttons = booking_buttons (w->root);

  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_get_width (g_ptr_array_index (buttons, i)) == 0)
      return FALSE;
  return buttons->len == w->n;
}

static void
wait_n_buttons (GtkWidget *root,
                guint      n)
{
  CountWait w = { root, n };

  bk_test_wait_until (n_buttons_is, &w, 10000);
}

static GtkWidget *
week_view (Fixture *f)
{
  return bk_ui_test_find_by_type (GTK_WIDGET (f->view), BK_TYPE_WEEK_VIEW);
}

static void
bounds_of (GtkWidget       *widget,
           GtkWidget       *relative,
           graphene_rect_t *rect)
{
  g_assert_true (gtk_widget_compute_bounds (widget, relative, rect));
}

/* The grid draws the booking at @r in @color. */
static void
assert_booking_color (GtkWidget             *grid,
                      const graphene_rect_t *r,
                      const char            *color)
{
  GdkRGBA expected, drawn;

  g_assert_true (gdk_rgba_parse (&expected, color));
  bk_ui_test_pixel (grid, r->origin.x + r->size.width - 4, r->origin.y + r->size.height - 4, &drawn);
  if (!bk_ui_test_color_near (&drawn, &expected, 0.02))
    {
      g_autofree char *got = gdk_rgba_to_string (&drawn);

      g_error ("booking drawn in %s, not %s", got, color);
    }
}

static gboolean
text_drawn (gpointer data)
{
  return !bk_week_view_get_text_pending (data);
}

/* Some pixel of the first line of the booking at @r is not its
 * background: its title is drawn. */
static void
assert_title_drawn (GtkWidget             *grid,
                    const graphene_rect_t *r,
                    const char            *background)
{
  GdkRGBA bg;

  g_assert_true (gdk_rgba_parse (&bg, background));
  for (double x = r->origin.x + 4; x < r->origin.x + MIN (r->size.width - 4, 40); x++)
    {
      GdkRGBA drawn;

      bk_ui_test_pixel (grid, x, r->origin.y + 7, &drawn);
      if (!bk_ui_test_color_near (&drawn, &bg, 0.2))
        return;
    }
  g_error ("no text drawn in the booking at %g, %g", r->origin.x, r->origin.y);
}

typedef struct
{
  GtkWidget       *grid;
  graphene_rect_t  r;
  GdkRGBA          before;
} TintWait;

/* The booking is drawn darker than before. */
static gboolean
booking_tinted (gpointer data)
{
  TintWait *w = data;
  GdkRGBA now;

  bk_ui_test_pixel (w->grid, w->r.origin.x + w->r.size.width - 4, w->r.origin.y + w->r.size.height - 4, &now);
  return now.red + now.green + now.blue < w->before.red + w->before.green + w->before.blue - 0.1;
}

static void
test_week (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *c = NULL;
  GtkWidget *week = week_view (f);
  GtkWidget *grid = bk_week_view_get_grid (BK_WEEK_VIEW (week));
  GtkWidget *board, *standup, *review;
  graphene_rect_t rb, rs, rr;

  g_free (book (f, "Board", 0, 9, 0, 60, "bridge-a"));
  g_free (book (f, "Standup", 0, 9, 30, 60, "bridge-b"));
  c = book (f, "Review", 2, 14, 0, 60, NULL);
  g_free (book (f, "Next week", 7, 9, 0, 60, "bridge-a"));
  g_assert_cmpint (bk_calendar_view_get_mode (f->view), ==, BK_CALENDAR_MODE_WEEK);
  wait_n_buttons (week, 3);
  g_assert_cmpuint (bk_week_view_get_n_days (BK_WEEK_VIEW (week)), ==, 7);
  board = find_booking (week, "Board");
  standup = find_booking (week, "Standup");
  review = find_booking (week, "Review");
  g_assert_nonnull (board);
  g_assert_nonnull (standup);
  g_assert_nonnull (review);
  g_assert_null (find_booking (week, "Next week"));

  /* Overlapping: side by side in distinct columns of the same day. */
  bounds_of (board, grid, &rb);
  bounds_of (standup, grid, &rs);
  bounds_of (review, grid, &rr);
  g_assert_cmpfloat (rb.origin.x + rb.size.width, <=, rs.origin.x);
  g_assert_cmpfloat (rs.origin.y, >, rb.origin.y);
  g_assert_cmpfloat (ABS (rb.size.width - rs.size.width), <, 2);
  /* Alone on its day: the whole column, twice as wide. */
  g_assert_cmpfloat (rr.size.width, >, 1.8 * rb.size.width);
  g_assert_cmpfloat (rr.origin.x, >, rs.origin.x);

  /* The text is laid out over the frames after the grid shows (a few
   * milliseconds' worth in each), then drawn on the booking. */
  bk_test_wait_until (text_drawn, week, 10000);
  assert_title_drawn (grid, &rb, "#99c1f1");

  /* One colour per bridge, drawn by the grid under each button (near
   * the bottom right corner, away from the text); a tint of the text
   * colour without one. */
  assert_booking_color (grid, &rb, "#99c1f1");
  assert_booking_color (grid, &rs, "#8ff0a4");
  /* The button over a booking tints it while the pointer is on it. */
  {
    TintWait w = { grid, rs };

    g_assert_true (gdk_rgba_parse (&w.before, "#8ff0a4"));
    gtk_widget_set_state_flags (standup, GTK_STATE_FLAG_PRELIGHT, FALSE);
    bk_test_wait_until (booking_tinted, &w, 10000);
    gtk_widget_unset_state_flags (standup, GTK_STATE_FLAG_PRELIGHT);
  }
  {
    GdkRGBA free_time, tinted;

    bk_ui_test_pixel (grid, rr.origin.x - 3, rr.origin.y + rr.size.height - 4, &free_time);
    bk_ui_test_pixel (grid, rr.origin.x + rr.size.width - 4, rr.origin.y + rr.size.height - 4, &tinted);
    g_assert_false (bk_ui_test_color_near (&free_time, &tinted, 0.02));
    g_assert_true (bk_ui_test_color_near (&free_time, &tinted, 0.2));
  }

  /* Clicking a booking opens it, with its occurrence's start. */
  bk_bridge_ui_test_click (review);
  g_assert_cmpuint (f->n_opened, ==, 1);
  g_assert_cmpstr (f->opened_uid, ==, c);
  g_assert_cmpint (g_date_time_get_day_of_month (f->opened_start), ==, 5);
  g_assert_cmpint (g_date_time_get_hour (f->opened_start), ==, 14);

  /* A change of the store shows at once. */
  g_free (book (f, "Added", 4, 16, 0, 30, "bridge-a"));
  wait_n_buttons (week, 4);

  bk_ui_test_assert_all_named (GTK_WIDGET (f->view));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week");
}

static gboolean
laid_out (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

/* A one-hour booking's long title wraps over the lines its block allows,
 * the times under it; a half-hour booking keeps one line.  The grid's
 * buttons draw their text themselves: the test reads the layouts they
 * draw. */
/* What a screen reader says for a booking in @week: @n buttons whose
 * accessible name is @title's sentence from bk_calendar_describe_item()
 * (the date it starts on, even on the next day's part of it). */
static void
assert_described (GtkWidget  *week,
                  const char *title,
                  const char *bridge_name,
                  int         day,
                  int         h,
                  int         m,
                  int         minutes,
                  guint       n,
                  Fixture    *f)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GPtrArray) buttons = booking_buttons (week);
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *expected = NULL;
  BkCalendarItem item = { 0 };
  GDate date = f->monday;
  guint found = 0;

  g_date_add_days (&date, day);
  start = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), h, m, 0);
  item.title = (char *) title;
  item.bridge_name = (char *) bridge_name;
  item.start = g_date_time_to_unix (start);
  item.end = item.start + minutes * 60;
  expected = bk_calendar_describe_item (tz, &item);
  prefix = g_strdup (title);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *name = bk_ui_test_get_accessible_name (g_ptr_array_index (buttons, i));

      if (name != NULL && g_str_has_prefix (name, prefix) && !g_ascii_isalnum (name[strlen (prefix)]))
        {
          g_assert_cmpstr (name, ==, expected);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, n);
}

/* Each booking's button names it as the agenda and the tooltips do, on
 * every day it is drawn on. */
static void
test_week_described (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  g_autofree char *a = book (f, "Board", 1, 9, 0, 60, "bridge-a");
  g_autofree char *b = book (f, "Night", 0, 23, 0, 120, NULL);
  g_autofree char *c = book (f, "Late", 1, 23, 30, 60, "bridge-b");
  g_autofree char *d = book (f, "Early", 2, 0, 30, 30, NULL);

  /* Night: Monday and Tuesday; Late: Tuesday and Wednesday. */
  wait_n_buttons (week, 6);
  assert_described (week, "Board", "Taipei CMS", 1, 9, 0, 60, 1, f);
  assert_described (week, "Night", "", 0, 23, 0, 120, 2, f);
  assert_described (week, "Late", "Berlin CMS", 1, 23, 30, 60, 2, f);
  assert_described (week, "Early", "", 2, 0, 30, 30, 1, f);
}

static void
test_week_wrap (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  GtkWidget *hour, *half;
  PangoLayout *title, *times;
  int times_y, title_h, times_h;
  graphene_rect_t rb;

  g_free (book (f, "Weekly operations review with the regional team", 1, 10, 0, 60, "bridge-a"));
  g_free (book (f, "Quick sync with the regional team", 3, 10, 0, 30, "bridge-b"));
  wait_n_buttons (week, 2);
  hour = find_booking (week, "Weekly operations review with the regional team");
  half = find_booking (week, "Quick sync with the regional team");
  g_assert_nonnull (hour);
  g_assert_nonnull (half);
  bk_test_wait_until (laid_out, hour, 10000);

  g_assert_true (bk_week_view_get_booking_text (hour, &title, &times, &times_y));
  g_assert_cmpint (pango_layout_get_line_count (title), >=, 2);
  g_assert_true (pango_layout_is_wrapped (title));
  g_assert_null (strstr (pango_layout_get_text (title), "10:00"));
  /* The times under the title, inside the block. */
  g_assert_nonnull (times);
  g_assert_nonnull (strstr (pango_layout_get_text (times), "10:00"));
  pango_layout_get_pixel_size (title, NULL, &title_h);
  pango_layout_get_pixel_size (times, NULL, &times_h);
  g_assert_cmpint (times_y, >=, title_h);
  g_assert_cmpint (times_y + times_h, <=, gtk_widget_get_height (hour));
  bounds_of (hour, hour, &rb);
  /* The block keeps its hour's height (48 px an hour). */
  g_assert_cmpfloat (rb.size.height, <=, 48);

  /* Half an hour: one line, title and times. */
  bk_test_wait_until (laid_out, half, 10000);
  g_assert_true (bk_week_view_get_booking_text (half, &title, &times, &times_y));
  g_assert_cmpint (pango_layout_get_line_count (title), ==, 1);
  g_assert_nonnull (strstr (pango_layout_get_text (title), "10:00"));
  g_assert_null (times);
  bounds_of (half, half, &rb);
  g_assert_cmpfloat (rb.size.height, <=, 24);

  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week-wrap");
}

typedef struct
{
  GtkWidget *week;
  GtkWidget *button;
} InView;

/* @button lies wholly inside the week's scrolled area. */
static gboolean
in_view (gpointer data)
{
  InView *v = data;
  GtkWidget *scroller = bk_ui_test_find_by_type (v->week, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t r;

  if (!gtk_widget_get_mapped (v->button) || gtk_widget_get_height (v->button) == 0 ||
      !gtk_widget_compute_bounds (v->button, scroller, &r))
    return FALSE;
  return r.origin.y >= 0 && r.origin.y + r.size.height <= gtk_widget_get_height (scroller);
}

static double
scroll_value (GtkWidget *week)
{
  GtkWidget *scroller = bk_ui_test_find_by_type (week, GTK_TYPE_SCROLLED_WINDOW);

  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)));
}

static gboolean
scrolled_to_morning (gpointer data)
{
  return scroll_value (data) == 8 * 48 - 24;
}

/* The grid opens at the week's first booking (08:00 without one), and a
 * new week at its own. */
static void
test_week_opens_at_first_booking (Fixture       *f,
                                  gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  g_autoptr(GDateTime) next = g_date_time_new_local (2030, 6, 12, 12, 0, 0);
  g_autoptr(GDateTime) empty = g_date_time_new_local (2030, 6, 19, 12, 0, 0);
  InView v = { week, NULL };

  /* Empty: the morning, as before. */
  bk_test_wait_until (scrolled_to_morning, week, 10000);

  g_free (book (f, "Late call", 1, 21, 0, 60, "bridge-a"));
  g_free (book (f, "Late call 2", 2, 22, 0, 60, "bridge-a"));
  g_free (book (f, "Early call", 7, 5, 0, 60, "bridge-b"));
  g_free (book (f, "Later that day", 7, 20, 0, 60, "bridge-b"));
  wait_n_buttons (week, 2);
  v.button = find_booking (week, "Late call");
  g_assert_nonnull (v.button);
  bk_test_wait_until (in_view, &v, 10000);
  /* Scrolled to the evening: the bookings there show their text. */
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week-evening");

  bk_calendar_view_set_date (f->view, next);
  wait_n_buttons (week, 2);
  v.button = find_booking (week, "Early call");
  g_assert_nonnull (v.button);
  bk_test_wait_until (in_view, &v, 10000);

  bk_calendar_view_set_date (f->view, empty);
  wait_n_buttons (week, 0);
  bk_test_wait_until (scrolled_to_morning, week, 10000);
}

/* Six at once: three side by side and "+3 more", which shows the day in
 * the agenda. */
static void
test_week_crowded (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  GtkWidget *more;
  BkAgendaView *agenda;
  g_autoptr(GDateTime) date = NULL;

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *title = g_strdup_printf ("Crowd %d", i);

      g_free (book (f, title, 1, 10, 0, 60 + i, i % 2 ? "bridge-a" : "bridge-b"));
    }
  wait_n_buttons (week, 3);
  more = bk_ui_test_find_by_text (week, "+3");
  g_assert_nonnull (more);
  more = bk_ui_test_find_by_accessible_label (week, T ("3 more bookings on Tuesday 4 June 2030", "2030 年 6 月 4 日 星期二 另有 3 個預約"));
  g_assert_nonnull (more);
  bk_ui_test_assert_all_named (GTK_WIDGET (f->view));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week-crowded");

  bk_bridge_ui_test_click (more);
  g_assert_cmpint (bk_calendar_view_get_mode (f->view), ==, BK_CALENDAR_MODE_AGENDA);
  date = bk_calendar_view_get_date (f->view);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 4);
  agenda = BK_AGENDA_VIEW (bk_ui_test_find_by_type (GTK_WIDGET (f->view), BK_TYPE_AGENDA_VIEW));
  g_assert_cmpuint (bk_agenda_view_get_n_bookings (agenda), ==, 6);

  /* Back in the week: the same buttons, reused. */
  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_WEEK);
  wait_n_buttons (week, 3);
  g_assert_nonnull (find_booking (week, "Crowd 5"));
}

/* @widget's event controller of @type (the widget keeps it). */
static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  g_assert_not_reached ();
}

static void
drag (GtkWidget *grid,
      double     x,
      double     y1,
      double     y2)
{
  GtkGesture *gesture = find_controller (grid, GTK_TYPE_GESTURE_DRAG);

  g_signal_emit_by_name (gesture, "drag-begin", x, y1);
  g_signal_emit_by_name (gesture, "drag-update", 0.0, (y2 - y1) / 2);
  g_signal_emit_by_name (gesture, "drag-update", 0.0, y2 - y1);
  g_signal_emit_by_name (gesture, "drag-end", 0.0, y2 - y1);
}

static void
assert_local (GDateTime *t,
              int        day,
              int        hour,
              int        minute)
{
  g_autofree char *text = g_date_time_format_iso8601 (t);

  g_test_message ("got %s", text);
  g_assert_cmpint (g_date_time_get_year (t), ==, 2030);
  g_assert_cmpint (g_date_time_get_month (t), ==, 6);
  g_assert_cmpint (g_date_time_get_day_of_month (t), ==, day);
  g_assert_cmpint (g_date_time_get_hour (t), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (t), ==, minute);
}

/* In a right-to-left locale the grid is mirrored: Monday on the right,
 * next to the hours; dragging still finds the day under the pointer. */
static void
test_week_rtl (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  GtkWidget *grid = bk_week_view_get_grid (BK_WEEK_VIEW (week));
  GtkWidget *monday, *tuesday;
  graphene_rect_t rm, rt;
  double x, y1, y2;

  /* As an RTL locale sets it (gtk_init() reads the translation of
   * "default:LTR"). */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  g_assert_cmpint (gtk_widget_get_direction (grid), ==, GTK_TEXT_DIR_RTL);
  g_free (book (f, "On Monday", 0, 9, 0, 60, "bridge-a"));
  g_free (book (f, "On Tuesday", 1, 9, 0, 60, "bridge-b"));
  wait_n_buttons (week, 2);
  monday = find_booking (week, "On Monday");
  tuesday = find_booking (week, "On Tuesday");
  bounds_of (monday, grid, &rm);
  bounds_of (tuesday, grid, &rt);
  g_assert_cmpfloat (rm.origin.x, >, rt.origin.x + rt.size.width - 0.5);
  /* The hours on the right: Monday's column ends before them. */
  g_assert_cmpfloat (rm.origin.x + rm.size.width, <, gtk_widget_get_width (grid) - 40);
  g_assert_cmpfloat (rt.origin.x, >, 0);

  /* Dragging over free time on Wednesday creates on Wednesday. */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 2, 10 * 60 + 5, &x, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 2, 11 * 60 + 20, &x, &y2);
  g_assert_cmpfloat (x, <, rt.origin.x);
  drag (grid, x, y1, y2);
  g_assert_cmpuint (f->n_created, ==, 1);
  assert_local (f->created_start, 5, 10, 0);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week-rtl");
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

static void
test_drag_create (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  GtkWidget *grid = bk_week_view_get_grid (BK_WEEK_VIEW (week));
  double x, y1, y2, xb, yb;

  g_free (book (f, "Board", 0, 9, 0, 60, "bridge-a"));
  wait_n_buttons (week, 1);

  /* Tuesday, from 10:05 down to 11:20: the cells 10:00 to 11:30. */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 10 * 60 + 5, &x, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 11 * 60 + 20, &x, &y2);
  drag (grid, x, y1, y2);
  g_assert_cmpuint (f->n_created, ==, 1);
  assert_local (f->created_start, 4, 10, 0);
  assert_local (f->created_end, 4, 11, 30);

  /* Upwards on Sunday, from 16:40 to 15:00: 15:00 to 17:00. */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 6, 16 * 60 + 40, &x, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 6, 15 * 60, &x, &y2);
  drag (grid, x, y1, y2);
  g_assert_cmpuint (f->n_created, ==, 2);
  assert_local (f->created_start, 9, 15, 0);
  assert_local (f->created_end, 9, 17, 0);

  /* A click without moving: one 30-minute cell. */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 2, 8 * 60 + 45, &x, &y1);
  drag (grid, x, y1, y1);
  g_assert_cmpuint (f->n_created, ==, 3);
  assert_local (f->created_start, 5, 8, 30);
  assert_local (f->created_end, 5, 9, 0);

  /* To the end of the day: ends at the next midnight. */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 3, 23 * 60 + 10, &x, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 3, 23 * 60 + 59, &x, &y2);
  drag (grid, x, y1, y2 + 100);
  g_assert_cmpuint (f->n_created, ==, 4);
  assert_local (f->created_start, 6, 23, 0);
  assert_local (f->created_end, 7, 0, 0);

  /* Starting on a booking is no drag over free time (it moves the
   * booking: test_drag_move). */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 0, 9 * 60 + 30, &xb, &yb);
  g_assert_true (gtk_widget_pick (grid, xb, yb, GTK_PICK_DEFAULT) != grid);
  drag (grid, xb, yb, yb + 100);
  g_assert_cmpuint (f->n_created, ==, 4);
  g_assert_cmpuint (f->n_opened, ==, 0);
}

static void
drag_to (GtkWidget *grid,
         double     x1,
         double     y1,
         double     x2,
         double     y2)
{
  GtkGesture *gesture = find_controller (grid, GTK_TYPE_GESTURE_DRAG);

  g_signal_emit_by_name (gesture, "drag-begin", x1, y1);
  g_signal_emit_by_name (gesture, "drag-update", (x2 - x1) / 2, (y2 - y1) / 2);
  g_signal_emit_by_name (gesture, "drag-update", x2 - x1, y2 - y1);
  g_signal_emit_by_name (gesture, "drag-end", x2 - x1, y2 - y1);
}

static void
assert_local_time (GDateTime *t,
                   int        day,
                   int        hour,
                   int        minute)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (t);

  assert_local (local, day, hour, minute);
}

/* A label below @root whose text starts with @prefix. */
static GtkWidget *
find_label_prefix (GtkWidget  *root,
                   const char *prefix)
{
  g_autoptr(GPtrArray) labels = bk_ui_test_find_all_by_type (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), prefix))
      return g_ptr_array_index (labels, i);
  return NULL;
}

static gboolean
has_toast (gpointer data)
{
  return bk_ui_test_window_has_toast (data);
}

static gint64
local_unix (GDate *monday,
            int    day,
            int    h,
            int    m)
{
  GDate date = *monday;
  g_autoptr(GDateTime) t = NULL;

  g_date_add_days (&date, day);
  t = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), h, m, 0);
  return g_date_time_to_unix (t);
}

/* The dialog closes after its response (as its buttons close it). */
static void
close_dialog (GtkWindow *dialog)
{
  GtkWindow *w = dialog;

  g_object_add_weak_pointer (G_OBJECT (w), (gpointer *) &w);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (w != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (w), (gpointer *) &w);
      gtk_window_destroy (w);
    }
}

/* Dragging a booking moves it in 15-minute steps, to another day too;
 * the rules refuse a move with their sentence (the booking stays); a
 * series asks whether to move one occurrence (an exception) or all. */
static void
test_drag_move (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  GtkWidget *grid = bk_week_view_get_grid (BK_WEEK_VIEW (week));
  g_autofree char *board = NULL;
  g_autofree char *beta = NULL;
  g_autofree char *daily = NULL;
  GtkWindow *dialog;
  const BkBookingException *e;
  BkBooking *b;
  double x1, y1, x2, y2;

  board = book (f, "Board", 0, 9, 0, 60, "bridge-a");
  wait_n_buttons (week, 1);

  /* From Monday 9:30 to Wednesday, 80 minutes lower: 9:00 + 80 min
   * snaps to 10:15, on Wednesday; the hour is kept. */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 0, 9 * 60 + 30, &x1, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 2, 9 * 60 + 30 + 80, &x2, &y2);
  drag_to (grid, x1, y1, x2, y2);
  b = bk_booking_store_lookup (f->store, board);
  assert_local_time (b->start, 5, 10, 15);
  assert_local_time (b->end, 5, 11, 15);
  /* A move is not a click. */
  g_assert_cmpuint (f->n_opened, ==, 0);
  g_assert_cmpuint (f->n_created, ==, 0);
  wait_n_buttons (week, 1);
  g_assert_nonnull (find_booking (week, "Board"));

  /* Refused: the participant is in another meeting then.  The sentence
   * shows; the booking stays where it was. */
  g_free (book_full (f, "Alpha", 1, 9, 0, 60, "bridge-b", "alice@example.com", 0));
  beta = book_full (f, "Beta", 1, 13, 0, 60, "bridge-b", "alice@example.com", 0);
  wait_n_buttons (week, 3);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 13 * 60 + 30, &x1, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 9 * 60 + 30, &x2, &y2);
  drag_to (grid, x1, y1, x2, y2);
  b = bk_booking_store_lookup (f->store, beta);
  assert_local_time (b->start, 4, 13, 0);
  bk_test_wait_until (has_toast, f->window, 10000);
  g_assert_nonnull (find_label_prefix (GTK_WIDGET (f->window), T ("“Beta” was not moved: ", "「Beta」沒有移動：")));

  /* A daily series, Monday to Friday 8:00: Tuesday's to 11:00, that
   * occurrence only. */
  daily = book_full (f, "Daily", 0, 8, 0, 30, NULL, NULL, 5);
  wait_n_buttons (week, 8);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 8 * 60 + 10, &x1, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 11 * 60 + 10, &x2, &y2);
  drag_to (grid, x1, y1, x2, y2);
  dialog = bk_ui_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, 10000);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "occurrence");
  b = bk_booking_store_lookup (f->store, daily);
  assert_local_time (b->start, 3, 8, 0);
  g_assert_cmpuint (b->exceptions->len, ==, 1);
  e = bk_booking_find_exception (b, local_unix (&f->monday, 1, 8, 0));
  g_assert_nonnull (e);
  g_assert_false (e->cancelled);
  assert_local_time (e->start, 4, 11, 0);
  assert_local_time (e->end, 4, 11, 30);

  /* Thursday's an hour later, the whole series: every occurrence, the
   * moved one too. */
  close_dialog (dialog);
  wait_n_buttons (week, 8);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 3, 8 * 60 + 10, &x1, &y1);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 3, 9 * 60 + 10, &x2, &y2);
  drag_to (grid, x1, y1, x2, y2);
  dialog = bk_ui_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, 10000);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "series");
  close_dialog (dialog);
  b = bk_booking_store_lookup (f->store, daily);
  assert_local_time (b->start, 3, 9, 0);
  assert_local_time (b->end, 3, 9, 30);
  g_assert_cmpuint (b->recurrence.count, ==, 5);
  g_assert_cmpuint (b->exceptions->len, ==, 1);
  e = bk_booking_find_exception (b, local_unix (&f->monday, 1, 9, 0));
  g_assert_nonnull (e);
  assert_local_time (e->start, 4, 12, 0);
}

/* ------------------------------------------------------------------------
 * The keyboard and the bottom edge
 */

typedef int (*FakeKeyFunc) (Display *, unsigned int, int, unsigned long);

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (data);
}

/* Presses @keyval with @mods (Shift, Alt) as a keyboard does: through the
 * X server (XTest), so that GTK delivers it to the focused widget and up
 * through its ancestors, as a person's key press. */
static void
press_key (GtkWindow       *window,
           guint            keyval,
           GdkModifierType  mods)
{
  static FakeKeyFunc fake_key;
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  Display *xdpy;
  KeyCode alt, shift, key;

  /* The tests run under build-aux/run-headless: an X server (Xvfb). */
  if (!GDK_IS_X11_DISPLAY (display))
    g_error ("The keyboard test presses keys through X11 (XTest): run it under build-aux/run-headless");
  if (fake_key == NULL)
    {
      void *lib = dlopen ("libXtst.so.6", RTLD_NOW);

      g_assert_nonnull (lib);
      fake_key = (FakeKeyFunc) dlsym (lib, "XTestFakeKeyEvent");
      g_assert_nonnull (fake_key);
    }
  xdpy = gdk_x11_display_get_xdisplay (display);
  /* No window manager here: the window gets the keyboard back after a
   * dialog closed as a window manager would give it. */
  if (!gtk_window_is_active (window))
    XSetInputFocus (xdpy, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))), RevertToParent,
                    CurrentTime);
  bk_test_wait_until (window_active, window, 10000);
  alt = XKeysymToKeycode (xdpy, XK_Alt_L);
  shift = XKeysymToKeycode (xdpy, XK_Shift_L);
  key = XKeysymToKeycode (xdpy, keyval);
  if (mods & GDK_SHIFT_MASK)
    fake_key (xdpy, shift, True, 0);
  if (mods & GDK_ALT_MASK)
    fake_key (xdpy, alt, True, 0);
  fake_key (xdpy, key, True, 0);
  fake_key (xdpy, key, False, 0);
  if (mods & GDK_ALT_MASK)
    fake_key (xdpy, alt, False, 0);
  if (mods & GDK_SHIFT_MASK)
    fake_key (xdpy, shift, False, 0);
  XSync (xdpy, False);
}

typedef struct
{
  Fixture    *f;
  const char *uid;
  gint64      start;
  gint64      end;
} TimesWait;

/* The stored booking @uid (a one-off) is at @start .. @end. */
static gboolean
booking_at (gpointer data)
{
  TimesWait *w = data;
  BkBooking *b = bk_booking_store_lookup (w->f->store, w->uid);

  return b != NULL && g_date_time_to_unix (b->start) == w->start && g_date_time_to_unix (b->end) == w->end;
}

static void
wait_booking_at (Fixture    *f,
                 const char *uid,
                 gint64      start,
                 gint64      end)
{
  TimesWait w = { f, uid, start, end };


  bk_test_wait_until (booking_at, &w, 10000);
}

typedef struct
{
  GtkWindow  *window;
  GtkWidget  *week;
  const char *prefix;
  const char *times;
  guint       day;
} FocusWait;

/* The window's focus is on the booking named "@prefix, ..." (its title) shown at
 * @times (in its name) on day @day (0 = Monday), once the grid shows the
 * week again. */
static gboolean
focus_on (gpointer data)
{
  FocusWait *w = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (w->window));
  g_autofree char *name = NULL;
  graphene_rect_t r;
  double x, y;

  if (focus == NULL || !gtk_widget_has_css_class (focus, "bk-cal-booking") || !gtk_widget_get_mapped (focus))
    return FALSE;
  name = bk_ui_test_get_accessible_name (focus);
  /* "Title, date, times" (zh_TW: "Title，…"). */
  if (name == NULL || !g_str_has_prefix (name, w->prefix) ||
      !(g_str_has_prefix (name + strlen (w->prefix), ",") || g_str_has_prefix (name + strlen (w->prefix), "，")) ||
      strstr (name, w->times) == NULL)
    return FALSE;
  /* On that day's column. */
  bk_week_view_get_point (BK_WEEK_VIEW (w->week), w->day, 0, &x, &y);
  bounds_of (focus, bk_week_view_get_grid (BK_WEEK_VIEW (w->week)), &r);
  return r.origin.x <= x && x <= r.origin.x + r.size.width;
}

static void
wait_focus_on (Fixture    *f,
               const char *prefix,
               guint       day,
               const char *times)
{
  FocusWait w = { f->window, week_view (f), prefix, times, day };

  bk_test_wait_until (focus_on, &w, 10000);
}

static gint64 week_from;

static gboolean
week_changed (gpointer data)
{
  Fixture *f = data;
  gint64 from, to;

  bk_calendar_view_get_range (f->view, &from, &to);
  return from > week_from;
}

/* Alt+Arrow keys move the focused booking (15 minutes, a day; mirrored
 * in a right-to-left locale), Shift+Alt+Up and Down make it shorter and
 * longer; the focus stays on it as the week is shown again; the rules
 * and the question about a series are a drop's.  Without a booking
 * focused, Alt+Right is still the next week. */
static void
test_keyboard_move (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  g_autofree char *board = NULL;
  g_autofree char *beta = NULL;
  g_autofree char *daily = NULL;
  GtkAdjustment *adj;
  GtkWindow *dialog;
  const BkBookingException *e;
  BkBooking *b;
  gint64 to;

  board = book (f, "Board", 0, 9, 0, 60, "bridge-a");
  g_free (book (f, "Standup", 0, 11, 0, 30, "bridge-b"));
  wait_n_buttons (week, 2);
  g_assert_true (gtk_widget_grab_focus (find_booking (week, "Board")));

  /* 15 minutes later, then to Tuesday: Board is then the second button
   * of the week (after Monday's Standup); the focus follows it. */
  press_key (f->window, GDK_KEY_Down, GDK_ALT_MASK);
  wait_booking_at (f, board, local_unix (&f->monday, 0, 9, 15), local_unix (&f->monday, 0, 10, 15));
  wait_focus_on (f, "Board", 0, "09:15");
  press_key (f->window, GDK_KEY_Right, GDK_ALT_MASK);
  wait_booking_at (f, board, local_unix (&f->monday, 1, 9, 15), local_unix (&f->monday, 1, 10, 15));
  wait_focus_on (f, "Board", 1, "09:15");
  g_assert_nonnull (find_booking (week, "Standup"));
  press_key (f->window, GDK_KEY_Up, GDK_ALT_MASK);
  wait_booking_at (f, board, local_unix (&f->monday, 1, 9, 0), local_unix (&f->monday, 1, 10, 0));
  wait_focus_on (f, "Board", 1, "09:00");
  /* A move is not a click. */
  g_assert_cmpuint (f->n_opened, ==, 0);

  /* Longer, then shorter, by 15 minutes; never under 15 minutes. */
  press_key (f->window, GDK_KEY_Down, GDK_ALT_MASK | GDK_SHIFT_MASK);
  wait_booking_at (f, board, local_unix (&f->monday, 1, 9, 0), local_unix (&f->monday, 1, 10, 15));
  wait_focus_on (f, "Board", 1, "10:15");
  for (int i = 0; i < 4; i++)
    press_key (f->window, GDK_KEY_Up, GDK_ALT_MASK | GDK_SHIFT_MASK);
  wait_booking_at (f, board, local_unix (&f->monday, 1, 9, 0), local_unix (&f->monday, 1, 9, 15));
  wait_focus_on (f, "Board", 1, "09:15");
  /* Not shorter (the bell); the next key shows it kept its 15 minutes. */
  press_key (f->window, GDK_KEY_Up, GDK_ALT_MASK | GDK_SHIFT_MASK);

  /* Mirrored: Left is the next day. */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  press_key (f->window, GDK_KEY_Left, GDK_ALT_MASK);
  wait_booking_at (f, board, local_unix (&f->monday, 2, 9, 0), local_unix (&f->monday, 2, 9, 15));
  wait_focus_on (f, "Board", 2, "09:00");
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);

  /* Refused by the rules: the sentence shows, the booking stays, the
   * focus on it. */
  g_free (book_full (f, "Alpha", 3, 12, 0, 60, "bridge-b", "alice@example.com", 0));
  beta = book_full (f, "Beta", 3, 13, 0, 60, "bridge-b", "alice@example.com", 0);
  wait_n_buttons (week, 4);
  g_assert_true (gtk_widget_grab_focus (find_booking (week, "Beta")));
  press_key (f->window, GDK_KEY_Up, GDK_ALT_MASK);
  bk_test_wait_until (has_toast, f->window, 10000);
  g_assert_nonnull (find_label_prefix (GTK_WIDGET (f->window), T ("“Beta” was not moved: ", "「Beta」沒有移動：")));
  b = bk_booking_store_lookup (f->store, beta);
  assert_local_time (b->start, 6, 13, 0);
  wait_focus_on (f, "Beta", 3, "13:00");

  /* A series asks, as a drop does: Tuesday's occurrence only, 15
   * minutes later; the focus on that occurrence. */
  daily = book_full (f, "Daily", 0, 8, 0, 30, NULL, NULL, 5);
  wait_n_buttons (week, 9);
  {
    g_autoptr(GPtrArray) buttons = booking_buttons (week);
    GtkWidget *tuesday = NULL;

    for (guint i = 0; i < buttons->len; i++)
      {
        g_autofree char *name = bk_ui_test_get_accessible_name (g_ptr_array_index (buttons, i));

        if (g_str_has_prefix (name, "Daily") && strstr (name, "08:00") != NULL)
          {
            graphene_rect_t r;
            double x, y;

            bounds_of (g_ptr_array_index (buttons, i), bk_week_view_get_grid (BK_WEEK_VIEW (week)), &r);
            bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 8 * 60 + 10, &x, &y);
            if (graphene_rect_contains_point (&r, &GRAPHENE_POINT_INIT (x, y)))
              tuesday = g_ptr_array_index (buttons, i);
          }
      }
    g_assert_nonnull (tuesday);
    g_assert_true (gtk_widget_grab_focus (tuesday));
  }
  /* Scrolled away from it (to noon): the view follows it. */
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (bk_ui_test_find_by_type (week, GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adj, 12 * 48);
  press_key (f->window, GDK_KEY_Down, GDK_ALT_MASK);
  dialog = bk_ui_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, 10000);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "occurrence");
  close_dialog (dialog);
  b = bk_booking_store_lookup (f->store, daily);
  e = bk_booking_find_exception (b, local_unix (&f->monday, 1, 8, 0));
  g_assert_nonnull (e);
  assert_local_time (e->start, 4, 8, 15);
  assert_local_time (e->end, 4, 8, 45);
  wait_focus_on (f, "Daily", 1, "08:15");
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), <=, (8 * 60 + 15) * 48 / 60.0);

  /* No booking focused (the date button is): Alt+Right is the next
   * week. */
  bk_calendar_view_get_range (f->view, &week_from, &to);
  g_assert_true (gtk_widget_grab_focus (bk_ui_test_find_by_type (GTK_WIDGET (f->view), GTK_TYPE_MENU_BUTTON)));
  press_key (f->window, GDK_KEY_Right, GDK_ALT_MASK);
  bk_test_wait_until (week_changed, f, 10000);
  b = bk_booking_store_lookup (f->store, board);
  assert_local_time (b->start, 5, 9, 0);
}

static const char *
cursor_name (GtkWidget *widget)
{
  GdkCursor *cursor = gtk_widget_get_cursor (widget);

  return cursor != NULL ? gdk_cursor_get_name (cursor) : NULL;
}

/* Dragging a booking's bottom edge (its last 6 px; the pointer shows
 * "ns-resize" there) changes its end, snapped to 15 minutes, at least 15
 * minutes after its start, in its day; the grid draws the new extent
 * while dragging; the rules refuse with their sentence; a series asks.
 * (The blocks are placed at the next frame after a change: each step
 * waits for it before it reads where a block is.) */
static void
test_drag_resize (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *week = week_view (f);
  GtkWidget *grid = bk_week_view_get_grid (BK_WEEK_VIEW (week));
  GtkGesture *gesture = find_controller (grid, GTK_TYPE_GESTURE_DRAG);
  g_autofree char *board = NULL;
  g_autofree char *alpha = NULL;
  g_autofree char *daily = NULL;
  GtkWindow *dialog;
  const BkBookingException *e;
  graphene_rect_t r;
  GdkRGBA before, during;
  BkBooking *b;
  double x, y, xt, yt;

  board = book (f, "Board", 0, 9, 0, 60, "bridge-a");
  wait_n_buttons (week, 1);
  gtk_test_widget_wait_for_draw (grid);
  bounds_of (find_booking (week, "Board"), grid, &r);
  x = r.origin.x + r.size.width / 2;
  y = r.origin.y + r.size.height - 2;

  /* The pointer over the bottom edge, and over the rest of it. */
  g_signal_emit_by_name (find_controller (grid, GTK_TYPE_EVENT_CONTROLLER_MOTION), "motion", x, y);
  g_assert_cmpstr (cursor_name (grid), ==, "ns-resize");
  g_signal_emit_by_name (find_controller (grid, GTK_TYPE_EVENT_CONTROLLER_MOTION), "motion", x, r.origin.y + r.size.height / 2);
  g_assert_null (cursor_name (grid));

  /* Down by 50 minutes: 10:50 snaps to 10:45.  While dragging, the new
   * extent is drawn (the grid at 10:30 is tinted). */
  bk_week_view_get_point (BK_WEEK_VIEW (week), 0, 10 * 60 + 30, &xt, &yt);
  gtk_test_widget_wait_for_draw (grid);
  bk_test_wait_until (text_drawn, week, 10000);
  bk_ui_test_pixel (grid, xt, yt, &before);
  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", 0.0, 20.0);
  g_signal_emit_by_name (gesture, "drag-update", 30.0, 50 * 48 / 60.0);
  gtk_test_widget_wait_for_draw (grid);
  bk_ui_test_pixel (grid, xt, yt, &during);
  g_assert_false (bk_ui_test_color_near (&before, &during, 0.05));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week-resize");
  g_signal_emit_by_name (gesture, "drag-end", 30.0, 50 * 48 / 60.0);
  wait_booking_at (f, board, local_unix (&f->monday, 0, 9, 0), local_unix (&f->monday, 0, 10, 45));
  /* A resize is not a click. */
  g_assert_cmpuint (f->n_opened, ==, 0);
  g_assert_cmpuint (f->n_created, ==, 0);

  /* Up past its start: 15 minutes long. */
  wait_n_buttons (week, 1);
  gtk_test_widget_wait_for_draw (grid);
  bounds_of (find_booking (week, "Board"), grid, &r);
  drag_to (grid, x, r.origin.y + r.size.height - 2, x, r.origin.y - 200);
  wait_booking_at (f, board, local_unix (&f->monday, 0, 9, 0), local_unix (&f->monday, 0, 9, 15));
  /* Down past midnight: to the end of its day. */
  wait_n_buttons (week, 1);
  gtk_test_widget_wait_for_draw (grid);
  bounds_of (find_booking (week, "Board"), grid, &r);
  drag_to (grid, x, r.origin.y + r.size.height - 2, x, 24 * 48 + 300);
  wait_booking_at (f, board, local_unix (&f->monday, 0, 9, 0), local_unix (&f->monday, 1, 0, 0));

  /* Refused: Alice is in another meeting then; the booking stays. */
  alpha = book_full (f, "Alpha", 2, 12, 0, 60, "bridge-b", "alice@example.com", 0);
  g_free (book_full (f, "Beta", 2, 14, 0, 60, "bridge-b", "alice@example.com", 0));
  wait_n_buttons (week, 3);
  gtk_test_widget_wait_for_draw (grid);
  bounds_of (find_booking (week, "Alpha"), grid, &r);
  drag_to (grid, r.origin.x + 10, r.origin.y + r.size.height - 2, r.origin.x + 10, r.origin.y + r.size.height + 96);
  bk_test_wait_until (has_toast, f->window, 10000);
  g_assert_nonnull (find_label_prefix (GTK_WIDGET (f->window),
                                       T ("The length of “Alpha” was not changed: ", "「Alpha」的長度沒有變更：")));
  b = bk_booking_store_lookup (f->store, alpha);
  assert_local_time (b->end, 5, 13, 0);

  /* A daily series, Thursday's occurrence 30 minutes longer: the whole
   * series. */
  daily = book_full (f, "Daily", 0, 8, 0, 30, NULL, NULL, 5);
  wait_n_buttons (week, 8);
  gtk_test_widget_wait_for_draw (grid);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 3, 8 * 60 + 10, &x, &y);
  y = 8 * 48 + 30 * 48 / 60.0 - 2;
  drag_to (grid, x, y, x, y + 24);
  dialog = bk_ui_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, 10000);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   T ("Change the Length of a Repeating Booking?", "要變更週期預約的長度嗎？"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "calendar-resize-series");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "series");
  close_dialog (dialog);
  b = bk_booking_store_lookup (f->store, daily);
  assert_local_time (b->start, 3, 8, 0);
  assert_local_time (b->end, 3, 9, 0);
  g_assert_cmpuint (b->exceptions->len, ==, 0);

  /* Its Tuesday only, 15 minutes shorter. */
  wait_n_buttons (week, 8);
  gtk_test_widget_wait_for_draw (grid);
  bk_week_view_get_point (BK_WEEK_VIEW (week), 1, 8 * 60 + 10, &x, &y);
  y = 9 * 48 - 3;
  drag_to (grid, x, y, x, y - 12);
  dialog = bk_ui_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, 10000);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "occurrence");
  close_dialog (dialog);
  b = bk_booking_store_lookup (f->store, daily);
  e = bk_booking_find_exception (b, local_unix (&f->monday, 1, 8, 0));
  g_assert_nonnull (e);
  assert_local_time (e->start, 4, 8, 0);
  assert_local_time (e->end, 4, 8, 45);
}

static gint64
utc (int y, int m, int d)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (y, m, d, 0, 0, 0);

  return g_date_time_to_unix (t);
}

/* Switches LC_TIME to @locale, compiled into the build tree
 * (BK_TEST_LOCPATH, set by meson test); the test fails when it is not
 * there. */
static void
use_time_locale (const char *locale)
{
  const char *locpath = g_getenv ("BK_TEST_LOCPATH");

  if (locpath != NULL)
    g_setenv ("LOCPATH", locpath, TRUE);
  if (setlocale (LC_TIME, locale) == NULL)
    g_error ("The locale %s is not there: run the test through meson test (build-aux/make-test-locales "
             "compiles it into the build tree with localedef and Debian's locales)", locale);
}

/* The first label of the month's grid: its first column's weekday. */
static const char *
month_first_heading (Fixture *f)
{
  GtkWidget *month = bk_ui_test_find_by_type (GTK_WIDGET (f->view), BK_TYPE_MONTH_VIEW);
  GtkWidget *grid = bk_ui_test_find_by_type (month, GTK_TYPE_GRID);

  return gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, 0)));
}

/* The week starts on the locale's first day: Sunday in zh_TW, Monday in
 * de_DE (and in C: ISO 8601), in the week and month views. */
static void
test_week_start (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) wednesday = g_date_time_new_local (2030, 6, 5, 12, 0, 0);
  gint64 from, to;

  g_assert_cmpint (bk_calendar_first_weekday (), ==, G_DATE_MONDAY);
  use_time_locale ("zh_TW.UTF-8");
  g_assert_cmpint (bk_calendar_first_weekday (), ==, G_DATE_SUNDAY);
  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_WEEK);
  bk_calendar_view_set_date (f->view, wednesday);
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 2));   /* Sunday */
  g_assert_cmpint (to, ==, utc (2030, 6, 9));
  /* Week steps keep to Sundays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL));
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 9));
  /* June 2030 begins on a Saturday: the grid from Sunday 26 May. */
  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_MONTH);
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 5, 26));
  g_assert_cmpstr (month_first_heading (f), ==, bk_calendar_weekday_name (G_DATE_SUNDAY, TRUE));

  use_time_locale ("de_DE.UTF-8");
  g_assert_cmpint (bk_calendar_first_weekday (), ==, G_DATE_MONDAY);
  bk_calendar_view_set_date (f->view, wednesday);
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 5, 27));
  g_assert_cmpstr (month_first_heading (f), ==, bk_calendar_weekday_name (G_DATE_MONDAY, TRUE));
  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_WEEK);
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 3));

  g_assert_nonnull (setlocale (LC_TIME, "C.UTF-8"));
  g_assert_cmpint (bk_calendar_first_weekday (), ==, G_DATE_MONDAY);
}

static void
test_navigation (Fixture       *f,
                 gconstpointer  data)
{
  gint64 from, to;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) date = NULL;
  GtkWidget *week = week_view (f);

  g_free (book (f, "Next week", 7, 9, 0, 60, "bridge-a"));
  wait_n_buttons (week, 0);

  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 3));
  g_assert_cmpint (to, ==, utc (2030, 6, 10));
  g_assert_cmpstr (bk_calendar_view_get_title (f->view), ==, T ("Week 23, June 2030", "2030 年 6 月 第 23 週"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL));
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 10));
  g_assert_cmpint (to, ==, utc (2030, 6, 17));
  wait_n_buttons (week, 1);
  g_assert_nonnull (find_booking (week, "Next week"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.previous", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.previous", NULL));
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 5, 27));

  /* Month: six weeks from the Monday before the first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.mode", "s", "month"));
  g_assert_cmpint (bk_calendar_view_get_mode (f->view), ==, BK_CALENDAR_MODE_MONTH);
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 4, 29));
  g_assert_cmpint (to, ==, utc (2030, 6, 10));
  g_assert_cmpstr (bk_calendar_view_get_title (f->view), ==, T ("May 2030", "2030 年 5 月"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL));
  g_assert_cmpstr (bk_calendar_view_get_title (f->view), ==, T ("June 2030", "2030 年 6 月"));
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 5, 27));

  /* Agenda: two weeks from the day. */
  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_AGENDA);
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 1));
  g_assert_cmpint (to, ==, utc (2030, 6, 15));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL));
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (from, ==, utc (2030, 6, 15));

  /* The date picker: its month arrows only browse; a day picked is shown. */
  {
    GtkWidget *button = bk_ui_test_find_by_accessible_label (GTK_WIDGET (f->view), T ("Choose a Date", "選擇日期"));
    GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
    GtkWidget *picker = bk_ui_test_find_by_type (GTK_WIDGET (popover), GTK_TYPE_CALENDAR);
    GtkWidget *arrow;
    g_autoptr(GDateTime) before = bk_calendar_view_get_date (f->view);
    g_autoptr(GDateTime) after = NULL;
    g_autoptr(GDateTime) pick = g_date_time_new_local (2030, 9, 17, 0, 0, 0);

    g_assert_nonnull (button);
    g_assert_nonnull (picker);
    /* Shown at once ("show" runs now); under Xvfb without a window manager
     * the popup surface is sometimes never mapped, so nothing here waits
     * for it. */
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
    arrow = bk_ui_test_find_by_accessible_label (picker, T ("Next Month", "下個月"));
    g_assert_nonnull (arrow);
    g_signal_emit_by_name (arrow, "clicked");
    after = bk_calendar_view_get_date (f->view);
    g_assert_true (g_date_time_equal (before, after));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));

    gtk_calendar_select_day (GTK_CALENDAR (picker), pick);
    g_clear_pointer (&after, g_date_time_unref);
    after = bk_calendar_view_get_date (f->view);
    g_assert_true (g_date_time_equal (pick, after));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  }

  /* Today. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.today", NULL));
  date = bk_calendar_view_get_date (f->view);
  g_assert_cmpint (g_date_time_get_day_of_year (date), ==, g_date_time_get_day_of_year (now));
  g_assert_cmpint (g_date_time_get_year (date), ==, g_date_time_get_year (now));
}

static void
test_month (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *month;
  GtkWidget *more;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Busy %d", i);

      g_free (book (f, title, 3, 8 + i, 0, 30, i % 2 ? "bridge-a" : "bridge-b"));
    }
  g_free (book (f, "Quiet", 1, 10, 0, 30, "bridge-a"));
  g_free (book (f, "Later", 14, 10, 0, 30, "bridge-b"));

  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_MONTH);
  month = bk_ui_test_find_by_type (GTK_WIDGET (f->view), BK_TYPE_MONTH_VIEW);
  /* Three of the busy day's five, Quiet and Later. */
  wait_n_buttons (month, BK_MONTH_VIEW_MAX_SHOWN + 2);
  g_assert_nonnull (find_booking (month, "Busy 0"));
  g_assert_nonnull (find_booking (month, "Busy 2"));
  g_assert_null (find_booking (month, "Busy 3"));
  g_assert_nonnull (find_booking (month, "Later"));
  more = bk_ui_test_find_by_text (month, T ("+2 more", "另有 2 個"));
  g_assert_nonnull (more);

  /* "+2 more" shows that day in the week grid. */
  bk_bridge_ui_test_click (more);
  g_assert_cmpint (bk_calendar_view_get_mode (f->view), ==, BK_CALENDAR_MODE_WEEK);
  wait_n_buttons (week_view (f), 6);

  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_MONTH);
  wait_n_buttons (month, BK_MONTH_VIEW_MAX_SHOWN + 2);
  bk_bridge_ui_test_click (find_booking (month, "Quiet"));
  g_assert_cmpuint (f->n_opened, ==, 1);
  bk_ui_test_assert_all_named (GTK_WIDGET (f->view));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-month");
}

static gboolean
agenda_has (gpointer data)
{
  gpointer *args = data;

  return bk_agenda_view_get_n_bookings (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
test_agenda (Fixture       *f,
             gconstpointer  data)
{
  BkAgendaView *agenda;
  GListModel *rows;
  gpointer args[2];
  GtkWidget *stack;

  g_free (book (f, "Board", 2, 9, 0, 60, "bridge-a"));
  g_free (book (f, "Standup", 2, 9, 30, 15, "bridge-b"));
  g_free (book (f, "Review", 4, 14, 0, 60, NULL));
  g_free (book (f, "Far away", 40, 14, 0, 60, NULL));

  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_AGENDA);
  agenda = BK_AGENDA_VIEW (bk_ui_test_find_by_type (GTK_WIDGET (f->view), BK_TYPE_AGENDA_VIEW));
  args[0] = agenda;
  args[1] = GUINT_TO_POINTER (3);
  bk_test_wait_until (agenda_has, args, 10000);
  rows = bk_agenda_view_get_model (agenda);
  /* Wednesday's heading, two bookings, Friday's heading, one booking. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);
  stack = gtk_widget_get_first_child (GTK_WIDGET (agenda));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "list");
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (agenda), "Board"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (agenda), T ("Wednesday 5 June 2030", "2030 年 6 月 5 日 星期三")));

  /* Activating a booking's row opens it (row 1: Board). */
  g_signal_emit_by_name (bk_agenda_view_get_list (agenda), "activate", 1);
  g_assert_cmpuint (f->n_opened, ==, 1);
  g_assert_cmpint (g_date_time_get_hour (f->opened_start), ==, 9);
  /* A heading does nothing. */
  g_signal_emit_by_name (bk_agenda_view_get_list (agenda), "activate", 0);
  g_assert_cmpuint (f->n_opened, ==, 1);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-agenda");

  /* Forward twice: nothing booked, the status page says so. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL);
  g_assert_cmpuint (bk_agenda_view_get_n_bookings (agenda), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (bk_ui_test_find_by_text (GTK_WIDGET (agenda), T ("No Meetings", "沒有會議"))));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-agenda-empty");
}

static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *week = week_view (f);

  g_free (book (f, "Board", 0, 9, 0, 60, "bridge-a"));
  g_free (book (f, "Standup", 0, 9, 30, 60, "bridge-b"));
  g_free (book (f, "Review", 2, 14, 0, 60, NULL));
  wait_n_buttons (week, 3);

  bk_calendar_view_set_bridge_filter (f->view, "bridge-b");
  wait_n_buttons (week, 1);
  g_assert_nonnull (find_booking (week, "Standup"));
  bk_calendar_view_set_bridge_filter (f->view, NULL);
  wait_n_buttons (week, 3);
}

static gboolean
fewer_days (gpointer data)
{
  return bk_week_view_get_n_days (data) < 7;
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  BkWeekView *week = BK_WEEK_VIEW (week_view (f));
  guint n, first;
  gint64 from, to;
  int min_width;

  g_free (book (f, "Board", 2, 9, 0, 60, "bridge-a"));
  g_free (book (f, "Monday", 0, 9, 0, 60, "bridge-a"));
  bk_test_wait_until (fewer_days, week, 10000);
  n = bk_week_view_get_n_days (week);
  first = bk_week_view_get_first_day (week);
  g_test_message ("%u days from day %u at %d px", n, first, gtk_widget_get_width (GTK_WIDGET (f->view)));
  g_assert_cmpuint (n, >=, 1);
  /* The selected Wednesday is among the days shown, Monday is not. */
  g_assert_cmpuint (first, <=, 2);
  g_assert_cmpuint (first + n, >, 2);
  wait_n_buttons (GTK_WIDGET (week), 1);
  g_assert_nonnull (find_booking (GTK_WIDGET (week), "Board"));

  /* The whole calendar fits in 360 px. */
  gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->view)), <=, 360);

  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-week-narrow");

  /* Forward moves by the days shown. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "calendar.next", NULL);
  {
    g_autoptr(GDateTime) date = bk_calendar_view_get_date (f->view);

    g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 5 + (int) n);
  }
  bk_calendar_view_get_range (f->view, &from, &to);
  g_assert_cmpint (to - from, ==, 7 * 86400);

  bk_ui_test_assert_all_named (GTK_WIDGET (f->view));
  bk_calendar_view_set_mode (f->view, BK_CALENDAR_MODE_MONTH);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (f->window), "calendar-month-narrow");
}

int
main (int   argc,
      char *argv[])
{
  bk_ui_test_init (&argc, &argv);

  g_test_add ("/calendar/week", Fixture, NULL, setup, test_week, teardown);
  g_test_add ("/calendar/week-wrap", Fixture, NULL, setup, test_week_wrap, teardown);
  g_test_add ("/calendar/week-described", Fixture, NULL, setup, test_week_described, teardown);
  g_test_add ("/calendar/week-opens-at-first-booking", Fixture, NULL, setup, test_week_opens_at_first_booking,
              teardown);
  g_test_add ("/calendar/week-crowded", Fixture, NULL, setup, test_week_crowded, teardown);
  g_test_add ("/calendar/drag-to-create", Fixture, NULL, setup, test_drag_create, teardown);
  g_test_add ("/calendar/drag-to-move", Fixture, NULL, setup, test_drag_move, teardown);
  g_test_add ("/calendar/keyboard-move", Fixture, NULL, setup, test_keyboard_move, teardown);
  g_test_add ("/calendar/drag-to-resize", Fixture, NULL, setup, test_drag_resize, teardown);
  g_test_add ("/calendar/week-rtl", Fixture, NULL, setup, test_week_rtl, teardown);
  g_test_add ("/calendar/navigation", Fixture, NULL, setup, test_navigation, teardown);
  g_test_add ("/calendar/week-start", Fixture, NULL, setup, test_week_start, teardown);
  g_test_add ("/calendar/month", Fixture, NULL, setup, test_month, teardown);
  g_test_add ("/calendar/agenda", Fixture, NULL, setup, test_agenda, teardown);
  g_test_add ("/calendar/filter", Fixture, NULL, setup, test_filter, teardown);
  g_test_add ("/calendar/narrow", Fixture, GINT_TO_POINTER (360), setup, test_narrow, teardown);

  return g_test_run ();
}
