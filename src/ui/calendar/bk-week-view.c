/* bk-week-view.c: the week grid (days side by side, hours down)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkWeekView"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "bk-calendar-util.h"
#include "bk-day-layout.h"
#include "bk-week-view.h"

#define HOUR_HEIGHT   48     /* px per hour */
#define GUTTER        56     /* px of the hour labels */
#define MIN_COLUMN    96     /* a day column is never narrower */
#define MIN_MINUTES   20     /* a short booking is drawn this long */
#define HEADING_SPACE 6
/* At most this many columns side by side in a block of overlapping
 * bookings; the last shows "+N" for the rest (the agenda lists them). */
#define MAX_COLUMNS   4
/* The bottom of a booking's block that resizes it when dragged, px. */
#define RESIZE_EDGE   6
/* Moves and resizes snap to this many minutes (and the keyboard steps
 * by as many). */
#define SNAP_MINUTES  15

enum {
  SIGNAL_CREATE_BOOKING,
  SIGNAL_OPEN_BOOKING,
  SIGNAL_SHOW_DAY,
  SIGNAL_MOVE_BOOKING,
  SIGNAL_RESIZE_BOOKING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------
 * BkWeekGrid: the scrolled time grid with the booking buttons
 */

#define BK_TYPE_WEEK_GRID (bk_week_grid_get_type ())
G_DECLARE_FINAL_TYPE (BkWeekGrid, bk_week_grid, BK, WEEK_GRID, GtkWidget)

typedef struct
{
  GtkWidget      *button;
  BkCalendarItem *item;         /* NULL for a "+N" strip */
  guint           day;         /* 0 = Monday */
  int             first;       /* minutes on the grid's scale */
  int             last;
  guint           column;
  guint           span;
  guint           n_columns;
  gboolean        wrapped;     /* title over several lines, time under it */
} Segment;

struct _BkWeekGrid
{
  GtkWidget  parent_instance;

  GTimeZone *tz;
  GDate      monday;
  GPtrArray *items;
  GArray    *segments;          /* Segment */
  /* Buttons are reused from one week to the next (creating and styling
   * hundreds of widgets is what a step would cost otherwise); the unused
   * ones are hidden. */
  GPtrArray *booking_pool;
  GDate      other_day;        /* see booking_day_long */
  char      *other_day_long;
  GPtrArray *more_pool;
  guint      booking_used;
  guint      more_used;
  guint      first_day;         /* visible days */
  guint      n_days;
  /* Heights of a line of a booking's title and of its times, in px
   * (measured once from the buttons' style). */
  int        title_line;
  int        time_line;
  /* The text of the bookings, laid out once and shared: a daily series
   * shows the same title and times on every day of every week.  Keyed
   * by width, lines and text; emptied when it grows large or the font
   * changes. */
  GHashTable *layouts;
  PangoLayout *hour_layouts[24];  /* "01:00" .. "23:00", made once */
  /* The scrolled window's: which hours are in view (not owned). */
  GtkAdjustment *vadjustment;
  /* Laying text out is spread over frames: past TEXT_BUDGET in a frame,
   * the bookings left get their text in the next one. */
  gint64     snapshot_start;
  gint64     text_budget;       /* of this frame, µs */
  /* The first frame since the grid was mapped: everything in the window
   * is drawn anew in it, so it lays out less text (FIRST_TEXT_BUDGET). */
  gboolean   first_frame;
  guint      text_tick;

  /* drag to create */
  gboolean   selecting;
  guint      select_day;
  int        select_from;       /* 30-minute cells */
  int        select_to;
  double     start_x, start_y;

  /* drag to move: the booking pressed on, and once the pointer moved
   * past the drag threshold, where it would go */
  GtkWidget *move_booking;
  gboolean   moving;
  guint      move_from_day;
  guint      move_to_day;
  int        move_minutes;      /* raw, from the vertical offset */
  gint64     move_start;        /* UTC, snapped to 15 minutes */
  /* ... or, pressed on its bottom edge (RESIZE_EDGE), where its end
   * would go, on the day of the block pressed */
  gboolean   resizing;
  gint64     resize_end;        /* UTC, snapped to 15 minutes */
  gboolean   edge_cursor;       /* "ns-resize" shown over a bottom edge */

  /* The booking with the keyboard focus, found again when the week is
   * built anew (the pooled buttons then show other bookings): its uid,
   * occurrence and day, and where a key sent it (0: nowhere; the
   * move may wait for the person's answer about a series). */
  GtkWidget *keep_button;
  char      *keep_uid;
  gint64     keep_rid;
  gint64     keep_target;
  guint      keep_day;
  gboolean   keep_in_view;      /* a key moved it: scrolled into view where it arrives */

  guint      clock_id;
};

G_DEFINE_FINAL_TYPE (BkWeekGrid, bk_week_grid, GTK_TYPE_WIDGET)

static double
grid_column_width (BkWeekGrid *self,
                   int         width)
{
  return MAX (1.0, (double) (width - GUTTER) / self->n_days);
}

/* In a right-to-left locale the grid is mirrored: the hours on the
 * right, Monday next to them, the days running leftwards. */
static gboolean
is_rtl (GtkWidget *widget)
{
  return gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
}

/* The left edge of the column @index places from the hours (0 = the
 * first visible day), @column px wide, in a grid @width px wide. */
static double
column_x (GtkWidget *widget,
          int        width,
          double     column,
          double     index)
{
  if (is_rtl (widget))
    return width - GUTTER - (index + 1) * column;
  return GUTTER + index * column;
}

static void
grid_date_of_day (BkWeekGrid *self,
                  guint       day,
                  GDate      *date)
{
  *date = self->monday;
  g_date_add_days (date, day);
}

static BkCalendarItem *booking_get_item (GtkWidget *button);

static void
booking_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  BkWeekGrid *self = user_data;
  BkCalendarItem *item = booking_get_item (GTK_WIDGET (button));
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), BK_TYPE_WEEK_VIEW);
  g_autoptr(GDateTime) start = NULL;

  g_assert (item != NULL);
  start = bk_calendar_date_time (self->tz, item->start);
  g_signal_emit (view, signals[SIGNAL_OPEN_BOOKING], 0, item->uid, start);
}

/* A booking's tooltip is written when asked for: setting a tooltip text
 * on each of hundreds of buttons made GTK look for the widget under the
 * pointer each time, most of the cost of moving a week. */
static gboolean
booking_query_tooltip_cb (GtkWidget  *button,
                          int         x,
                          int         y,
                          gboolean    keyboard_mode,
                          GtkTooltip *tooltip,
                          gpointer    user_data)
{
  BkWeekGrid *self = user_data;
  BkCalendarItem *item = booking_get_item (button);
  g_autofree char *description = NULL;
  g_autofree char *text = NULL;

  if (item == NULL || self->tz == NULL)
    return FALSE;
  description = bk_calendar_describe_item (self->tz, item);
  /* Translators: the last line of a booking's tooltip in the week
   * grid: its keyboard shortcuts (for when it has the focus). */
  text = g_strconcat (description, "\n", _("Alt+Arrow keys move it; Shift+Alt+Up or Down make it shorter or longer."),
                      NULL);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The tooltip of a heading or a "+N" strip: its sentence, kept as data.
 * Set with gtk_widget_set_tooltip_text(), each new week would make GTK
 * ask the X server where the pointer is, once per widget. */
static gboolean
text_query_tooltip_cb (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "bk-tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_lazy_tooltip (GtkWidget  *widget,
                  const char *text)
{
  if (!gtk_widget_get_has_tooltip (widget))
    {
      gtk_widget_set_has_tooltip (widget, TRUE);
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (text_query_tooltip_cb), NULL);
    }
  g_object_set_data_full (G_OBJECT (widget), "bk-tooltip", g_strdup (text), g_free);
}

static void
more_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  BkWeekGrid *self = user_data;
  GDate *date = g_object_get_data (G_OBJECT (button), "bk-date");
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), BK_TYPE_WEEK_VIEW);
  g_autoptr(GDateTime) midnight = g_date_time_new (self->tz, g_date_get_year (date), g_date_get_month (date),
                                                   g_date_get_day (date), 0, 0, 0);

  g_signal_emit (view, signals[SIGNAL_SHOW_DAY], 0, midnight);
}

static GtkWidget *
grid_take_more_button (BkWeekGrid  *self,
                       guint        hidden,
                       const GDate *date)
{
  g_autofree char *day = bk_calendar_format_day_long (date);
  /* A narrow strip: the number only; the tooltip and screen readers get
   * the sentence. */
  g_autofree char *text = g_strdup_printf ("+%u", hidden);
  /* Translators: what a screen reader says for "+N more": the
   * number, the date. */
  g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u more booking on %2$s",
                                                         "%1$u more bookings on %2$s", hidden), hidden, day);
  GtkWidget *button;

  if (self->more_used < self->more_pool->len)
    button = g_ptr_array_index (self->more_pool, self->more_used);
  else
    {
      button = gtk_button_new_with_label (text);
      gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), PANGO_ELLIPSIZE_END);
      gtk_label_set_yalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
      gtk_widget_add_css_class (button, "bk-cal-more");
      gtk_widget_add_css_class (button, "bk-cal-week-more");
      g_signal_connect (button, "clicked", G_CALLBACK (more_clicked_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
      g_ptr_array_add (self->more_pool, button);
    }
  self->more_used++;

  gtk_button_set_label (GTK_BUTTON (button), text);
  set_lazy_tooltip (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "bk-date", g_memdup2 (date, sizeof *date), g_free);
  gtk_widget_set_visible (button, TRUE);
  return button;
}

/* ------------------------------------------------------------------------
 * BkWeekBooking: one booking in the grid.  A button with no child widgets
 * that draws nothing of its own but its hover and pressed tints and its
 * focus ring (bk-calendar.css): the grid draws every booking's background
 * and text in its own snapshot (grid_snapshot_bookings), from layouts it
 * shares, so a new week costs no label to measure, no widget to build and
 * no style to draw per booking (a week of the benchmark shows some 360).
 * It stays a real button: focusable, activated by the keyboard, named for
 * screen readers, with a tooltip.
 */

#define BK_TYPE_WEEK_BOOKING (bk_week_booking_get_type ())
G_DECLARE_FINAL_TYPE (BkWeekBooking, bk_week_booking, BK, WEEK_BOOKING, GtkButton)

struct _BkWeekBooking
{
  GtkButton       parent_instance;

  BkWeekGrid     *grid;          /* unowned: the grid is the parent */
  BkCalendarItem *item;          /* owned by the grid's items */
  guint           day;           /* of its block, 0 = Monday */
  gboolean        ends_here;     /* the booking ends on that day (its block can be resized) */
  char           *title;
  char           *times;
  guint           color;
  int             lines;         /* of the title; 1 = title and times on one line */
  gboolean        wrapped;

  /* Where the grid placed it (grid coordinates, px), and whether its
   * text was left out of the last frame, as out of view (see
   * booking_in_view) or over the frame's budget. */
  GtkAllocation   rect;
  gboolean        text_skipped;

  /* Laid out for @layout_width x @layout_height, when first drawn. */
  int             layout_width;
  int             layout_height;
  PangoLayout    *title_layout;
  PangoLayout    *time_layout;   /* NULL when the times do not fit under the title */
};

G_DEFINE_FINAL_TYPE (BkWeekBooking, bk_week_booking, GTK_TYPE_BUTTON)

/* The space around the text inside a booking, px (the button's CSS has
 * none: the grid draws the text). */
#define BOOKING_PAD_X 4
#define BOOKING_PAD_Y 1

static void
booking_invalidate (BkWeekBooking *self)
{
  g_clear_object (&self->title_layout);
  g_clear_object (&self->time_layout);
  self->layout_width = -1;
  if (self->grid != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->grid));
}

/* The size of the booking's text, px. */
static void
booking_text_size (BkWeekBooking *self,
                   int           *width,
                   int           *height)
{
  *width = MAX (1, self->rect.width - 2 * BOOKING_PAD_X);
  *height = MAX (1, self->rect.height - 2 * BOOKING_PAD_Y);
}

/* The grid's shared layout for @key, made by the caller when missing. */
static PangoLayout *
grid_lookup_layout (BkWeekGrid *self,
                    const char *key)
{
  PangoLayout *layout = g_hash_table_lookup (self->layouts, key);

  return layout != NULL ? g_object_ref (layout) : NULL;
}

static void
grid_keep_layout (BkWeekGrid  *self,
                  char        *key,
                  PangoLayout *layout)
{
  /* A bound, so that browsing years does not keep every text. */
  if (g_hash_table_size (self->layouts) > 4000)
    g_hash_table_remove_all (self->layouts);
  g_hash_table_insert (self->layouts, key, g_object_ref (layout));
}

static PangoAttrList *
bold_attrs (guint start,
            guint end)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *a = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

  a->start_index = start;
  a->end_index = end;
  pango_attr_list_insert (attrs, a);
  return attrs;
}

static void
small_attr (PangoAttrList *attrs,
            guint          start,
            guint          end)
{
  PangoAttribute *a = pango_attr_scale_new (PANGO_SCALE_SMALL);

  a->start_index = start;
  a->end_index = end;
  pango_attr_list_insert (attrs, a);
}

/* The times read left to right (09:00 – 10:00) in a right-to-left
 * paragraph too: an isolate, which leaves the paragraph its direction. */
#define LRI "\u2066"
#define PDI "\u2069"

/* A mirrored grid's text starts on the right, whatever its script (as a
 * label's in a right-to-left locale). */
static void
set_direction (PangoLayout *layout,
               gboolean     rtl)
{
  if (!rtl)
    return;
  pango_layout_set_auto_dir (layout, FALSE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
}

static gboolean
booking_has_layouts (BkWeekBooking *self,
                     int            width,
                     int            height)
{
  return self->title_layout != NULL && self->layout_width == width && self->layout_height == height;
}

/* Lays the booking's text out for @width x @height px: the title over as
 * many lines as the block allows and the times under it when there is
 * room; a short block shows both on one line. */
static void
booking_ensure_layouts (BkWeekBooking *self,
                        int            width,
                        int            height)
{
  BkWeekGrid *grid = self->grid;
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  g_autofree char *title_key = NULL;

  if (booking_has_layouts (self, width, height))
    return;
  g_clear_object (&self->title_layout);
  g_clear_object (&self->time_layout);
  self->layout_width = width;
  self->layout_height = height;
  if (self->title == NULL)
    return;

  if (self->wrapped)
    title_key = g_strdup_printf ("t%c%d|%d|%s", rtl ? 'r' : 'l', width, self->lines, self->title);
  else
    title_key = g_strdup_printf ("l%c%d|%s\x1f%s", rtl ? 'r' : 'l', width, self->title, self->times);
  self->title_layout = grid_lookup_layout (grid, title_key);
  if (self->title_layout == NULL)
    {
      PangoLayout *layout;
      g_autoptr(PangoAttrList) attrs = NULL;

      if (self->wrapped)
        {
          layout = gtk_widget_create_pango_layout (widget, self->title);
          attrs = bold_attrs (0, strlen (self->title));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_height (layout, -self->lines);
        }
      else
        {
          g_autofree char *text = g_strconcat (self->title, " " LRI, self->times, PDI, NULL);
          guint n = strlen (self->title);

          layout = gtk_widget_create_pango_layout (widget, text);
          attrs = bold_attrs (0, n);
          small_attr (attrs, n + 1, strlen (text));
        }
      pango_layout_set_attributes (layout, attrs);
      pango_layout_set_width (layout, MAX (1, width) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      set_direction (layout, rtl);
      self->title_layout = layout;
      grid_keep_layout (grid, g_steal_pointer (&title_key), layout);
    }

  if (self->wrapped)
    {
      int title_h;

      pango_layout_get_pixel_size (self->title_layout, NULL, &title_h);
      /* The times under the title if the wrapped title leaves room. */
      if (title_h + grid->time_line <= height)
        {
          g_autofree char *time_key = g_strdup_printf ("s%c%d|%s", rtl ? 'r' : 'l', width, self->times);

          self->time_layout = grid_lookup_layout (grid, time_key);
          if (self->time_layout == NULL)
            {
              g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
              g_autofree char *text = g_strconcat (LRI, self->times, PDI, NULL);
              PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

              small_attr (attrs, 0, strlen (text));
              pango_layout_set_attributes (layout, attrs);
              pango_layout_set_width (layout, MAX (1, width) * PANGO_SCALE);
              pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
              set_direction (layout, rtl);
              self->time_layout = layout;
              grid_keep_layout (grid, g_steal_pointer (&time_key), layout);
            }
        }
    }
}

static void
bk_week_booking_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  BkWeekBooking *self = BK_WEEK_BOOKING (widget);

  /* As a label would: one line high; as narrow as need be. */
  if (orientation == GTK_ORIENTATION_VERTICAL && self->grid != NULL)
    *minimum = *natural = self->grid->title_line + 2 * BOOKING_PAD_Y;
  else
    *minimum = *natural = 0;
}

/* Microseconds of a frame's snapshot after which the bookings left are
 * drawn without text, and with it in the next frame. */
#define TEXT_BUDGET 5000
/* The same for the first frame of the page: it draws the whole window
 * for the first time, and rendering new text costs more than laying it
 * out (glyphs are rasterized for the first time), so the bookings show
 * without text in it and get their text in the next frame
 * (bench-calendar: the first frame 10 ms of CPU instead of 16 with a
 * budget of 2.5 ms). */
#define FIRST_TEXT_BUDGET 0

static gboolean
text_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data);

static void
grid_queue_text (BkWeekGrid *self)
{
  if (self->text_tick == 0)
    self->text_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), text_tick_cb, NULL, NULL);
}

/* Whether the booking is in the scrolled window's view.  A week opens on
 * a part of the day: the text of the bookings out of view is laid out
 * when they scroll into it (grid_scrolled_cb draws them again). */
static gboolean
booking_in_view (BkWeekBooking *self)
{
  GtkAdjustment *adj = self->grid != NULL ? self->grid->vadjustment : NULL;
  double top, page;

  if (adj == NULL)
    return TRUE;
  top = gtk_adjustment_get_value (adj);
  page = gtk_adjustment_get_page_size (adj);
  if (page <= 0)
    return TRUE;
  return self->rect.y + self->rect.height >= top && self->rect.y <= top + page;
}

/* Appends the booking's text (the caller has translated to the corner of
 * its text), in @color; leaves it for a later frame when it is out of
 * view or the frame's budget for new text is spent. */
static void
booking_append_text (BkWeekBooking *self,
                     GtkSnapshot   *snapshot,
                     const GdkRGBA *color)
{
  int width, height;

  booking_text_size (self, &width, &height);
  self->text_skipped = !booking_in_view (self);
  if (self->text_skipped)
    return;
  if (!booking_has_layouts (self, width, height) &&
      g_get_monotonic_time () - self->grid->snapshot_start > self->grid->text_budget)
    {
      /* Enough text for this frame: the next one draws it. */
      self->text_skipped = TRUE;
      grid_queue_text (self->grid);
      return;
    }
  booking_ensure_layouts (self, width, height);
  if (self->title_layout == NULL)
    return;

  /* No clip: the text is cut to the width and to the lines that fit,
   * and the booking is at least a line high (bk_week_booking_measure). */
  gtk_snapshot_append_layout (snapshot, self->title_layout, color);
  if (self->time_layout != NULL)
    {
      int title_h;

      pango_layout_get_pixel_size (self->title_layout, NULL, &title_h);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, title_h));
      gtk_snapshot_append_layout (snapshot, self->time_layout, color);
      gtk_snapshot_restore (snapshot);
    }
}

static void
bk_week_booking_finalize (GObject *object)
{
  BkWeekBooking *self = BK_WEEK_BOOKING (object);

  g_clear_object (&self->title_layout);
  g_clear_object (&self->time_layout);
  g_free (self->title);
  g_free (self->times);
  G_OBJECT_CLASS (bk_week_booking_parent_class)->finalize (object);
}

static void
bk_week_booking_class_init (BkWeekBookingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bk_week_booking_finalize;
  widget_class->measure = bk_week_booking_measure;
}

static void
bk_week_booking_init (BkWeekBooking *self)
{
  self->layout_width = -1;
  self->lines = 1;
}

static BkCalendarItem *
booking_get_item (GtkWidget *button)
{
  return BK_IS_WEEK_BOOKING (button) ? BK_WEEK_BOOKING (button)->item : NULL;
}

/* Shows @item; the layouts are made again only when the text changes. */
static void
booking_set (BkWeekBooking  *self,
             BkCalendarItem *item,
             const char     *times,
             int             lines,
             gboolean        wrapped)
{
  if (g_strcmp0 (self->title, item->title) != 0 || g_strcmp0 (self->times, times) != 0 ||
      self->lines != lines || self->wrapped != wrapped)
    {
      g_free (self->title);
      self->title = g_strdup (item->title);
      g_free (self->times);
      self->times = g_strdup (times);
      self->lines = lines;
      self->wrapped = wrapped;
      booking_invalidate (self);
    }
  if (self->color != item->color)
    {
      self->color = item->color;
      gtk_widget_queue_draw (GTK_WIDGET (self->grid));
    }
  self->item = item;
}

static void
grid_ensure_line_heights (BkWeekGrid *self,
                          GtkWidget  *button)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (self->title_line > 0)
    return;
  layout = gtk_widget_create_pango_layout (button, NULL);
  pango_layout_set_markup (layout, "<b>Hg</b>", -1);
  pango_layout_get_pixel_size (layout, NULL, &self->title_line);
  pango_layout_set_markup (layout, "<small>Hg</small>", -1);
  pango_layout_get_pixel_size (layout, NULL, &self->time_line);
  self->title_line = MAX (self->title_line, 1);
}

/* The space above and under the text. */
#define BOOKING_CHROME (2 * BOOKING_PAD_Y)

/* What a screen reader says for the booking, as
 * bk_calendar_describe_item() writes it, from its times and the date of
 * its day already written (a week has hundreds of bookings and seven
 * dates). */
static char *
describe_booking (const BkCalendarItem *item,
                  const char           *day,
                  const char           *times)
{
  if (item->bridge_name[0] != '\0')
    /* Translators: a booking as a screen reader says it: title, date,
     * times, bridge. */
    return g_strdup_printf (_("%1$s, %2$s, %3$s, on %4$s"), item->title, day, times, item->bridge_name);
  /* Translators: a booking as a screen reader says it: title, date, times. */
  return g_strdup_printf (_("%1$s, %2$s, %3$s"), item->title, day, times);
}

/* The states in which a booking's button draws something of its own (a
 * tint, the focus ring: bk-calendar.css); in the others it draws nothing
 * and the grid does not ask it to (grid_snapshot_buttons). */
#define BOOKING_DRAWN_STATES \
  (GTK_STATE_FLAG_PRELIGHT | GTK_STATE_FLAG_ACTIVE | GTK_STATE_FLAG_FOCUSED | GTK_STATE_FLAG_FOCUS_VISIBLE)

/* A button not asked to draw does not pass its redraws on to the grid:
 * its state changes redraw the grid instead. */
static void
booking_state_flags_changed_cb (GtkWidget     *button,
                                GtkStateFlags  previous,
                                BkWeekGrid    *self)
{
  if ((previous ^ gtk_widget_get_state_flags (button)) & BOOKING_DRAWN_STATES)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* @day: the long date of the day the booking starts on. */
static GtkWidget *
grid_take_button (BkWeekGrid     *self,
                  BkCalendarItem *item,
                  const char     *day,
                  int             height,
                  gboolean       *wrapped)
{
  g_autofree char *times = bk_calendar_format_times (self->tz, item->start, item->end);
  g_autofree char *description = describe_booking (item, day, times);
  BkWeekBooking *booking;
  GtkWidget *button;
  int lines;

  if (self->booking_used < self->booking_pool->len)
    button = g_ptr_array_index (self->booking_pool, self->booking_used);
  else
    {
      button = g_object_new (BK_TYPE_WEEK_BOOKING, NULL);
      BK_WEEK_BOOKING (button)->grid = self;
      gtk_widget_add_css_class (button, "bk-cal-booking");
      gtk_widget_add_css_class (button, "bk-cal-week-booking");
      g_signal_connect (button, "clicked", G_CALLBACK (booking_clicked_cb), self);
      gtk_widget_set_has_tooltip (button, TRUE);
      g_signal_connect (button, "query-tooltip", G_CALLBACK (booking_query_tooltip_cb), self);
      g_signal_connect (button, "state-flags-changed", G_CALLBACK (booking_state_flags_changed_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
      g_ptr_array_add (self->booking_pool, button);
    }
  self->booking_used++;
  booking = BK_WEEK_BOOKING (button);
  grid_ensure_line_heights (self, button);

  /* Room for a line of times under the title when that still leaves
   * the title two lines; otherwise the title takes every line. */
  lines = (height - BOOKING_CHROME - self->time_line) / self->title_line;
  if (lines < 2)
    lines = (height - BOOKING_CHROME) / self->title_line;
  *wrapped = lines >= 2;
  booking_set (booking, item, times, *wrapped ? lines : 1, *wrapped);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_set_visible (button, TRUE);
  return button;
}

/* Hides the pooled buttons this layout did not take. */
static void
grid_hide_unused (BkWeekGrid *self)
{
  for (guint i = self->booking_used; i < self->booking_pool->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->booking_pool, i);

      gtk_widget_set_visible (button, FALSE);
      BK_WEEK_BOOKING (button)->item = NULL;
    }
  for (guint i = self->more_used; i < self->more_pool->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->more_pool, i), FALSE);
}

static void
grid_clear (BkWeekGrid *self)
{
  self->move_booking = NULL;
  self->moving = FALSE;
  self->resizing = FALSE;
  g_array_set_size (self->segments, 0);
  self->booking_used = 0;
  self->more_used = 0;
}

static void
grid_destroy_buttons (BkWeekGrid *self)
{
  grid_clear (self);
  for (guint i = 0; self->booking_pool != NULL && i < self->booking_pool->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->booking_pool, i));
  for (guint i = 0; self->more_pool != NULL && i < self->more_pool->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->more_pool, i));
  g_clear_pointer (&self->booking_pool, g_ptr_array_unref);
  g_clear_pointer (&self->more_pool, g_ptr_array_unref);
}

/* The long date of the day @item starts on: @date's, written once in
 * @day_long, when it starts on or after @day_start; else (it started a
 * day before) that day's, kept for the next such booking. */
static const char *
booking_day_long (BkWeekGrid           *self,
                  const BkCalendarItem *item,
                  gint64                day_start,
                  const GDate          *date,
                  char                **day_long)
{
  GDate start;

  if (item->start >= day_start)
    {
      if (*day_long == NULL)
        *day_long = bk_calendar_format_day_long (date);
      return *day_long;
    }
  bk_day_date_of (self->tz, item->start, &start);
  if (self->other_day_long == NULL || !g_date_valid (&self->other_day) ||
      g_date_compare (&start, &self->other_day) != 0)
    {
      g_free (self->other_day_long);
      self->other_day_long = bk_calendar_format_day_long (&start);
      self->other_day = start;
    }
  return self->other_day_long;
}

/* Cuts each item into the days of the week it touches and lays out the
 * columns of each day. */
static void
grid_rebuild (BkWeekGrid *self)
{
  gint64 bounds[8];

  grid_clear (self);
  if (self->items == NULL || self->tz == NULL)
    {
      grid_hide_unused (self);
      return;
    }

  for (guint d = 0; d <= 7; d++)
    {
      GDate date;
      gint64 end;

      grid_date_of_day (self, d, &date);
      bk_day_bounds (self->tz, &date, &bounds[d], &end);
    }

  for (guint d = 0; d < 7; d++)
    {
      g_autoptr(GArray) layout = g_array_new (FALSE, FALSE, sizeof (BkLayoutItem));
      g_autofree char *day_long = NULL;
      GDate date;

      grid_date_of_day (self, d, &date);
      for (guint i = 0; i < self->items->len; i++)
        {
          BkCalendarItem *item = g_ptr_array_index (self->items, i);
          BkLayoutItem li = { 0 };

          if ((item->start >= bounds[d + 1] || item->end <= bounds[d]) &&
              !(item->start == item->end && item->start == bounds[d]))
            continue;
          if (!bk_day_span (self->tz, &date, item->start, item->end, &li.first, &li.last))
            continue;
          if (li.last - li.first < MIN_MINUTES)
            {
              li.first = MIN (li.first, BK_MINUTES_PER_DAY - MIN_MINUTES);
              li.last = li.first + MIN_MINUTES;
            }
          li.data = item;
          g_array_append_val (layout, li);
        }

      bk_day_layout_columns ((BkLayoutItem *) (void *) layout->data, layout->len);
      for (guint i = 0; i < layout->len;)
        {
          BkLayoutItem *block = &g_array_index (layout, BkLayoutItem, i);
          guint end = i, hidden = 0;
          int first = block->first, last = block->last;
          gboolean crowded = block->n_columns > MAX_COLUMNS;

          while (end < layout->len && g_array_index (layout, BkLayoutItem, end).block == block->block)
            end++;

          for (; i < end; i++)
            {
              BkLayoutItem *li = &g_array_index (layout, BkLayoutItem, i);
              Segment seg = {
                .item = li->data,
                .day = d,
                .first = li->first,
                .last = li->last,
                .column = li->column,
                .span = li->span,
                .n_columns = li->n_columns,
              };

              last = MAX (last, li->last);
              if (crowded)
                {
                  if (li->column >= MAX_COLUMNS - 1)
                    {
                      hidden++;
                      continue;
                    }
                  seg.n_columns = MAX_COLUMNS;
                  seg.span = MIN (seg.span, MAX_COLUMNS - 1 - seg.column);
                }
              seg.button = grid_take_button (self, seg.item, booking_day_long (self, seg.item, bounds[d], &date, &day_long),
                                             (seg.last - seg.first) * HOUR_HEIGHT / 60 - 2, &seg.wrapped);
              BK_WEEK_BOOKING (seg.button)->day = d;
              BK_WEEK_BOOKING (seg.button)->ends_here = seg.item->end <= bounds[d + 1];
              g_array_append_val (self->segments, seg);
            }

          if (hidden > 0)
            {
              Segment more = {
                .day = d,
                .first = first,
                .last = last,
                .column = MAX_COLUMNS - 1,
                .span = 1,
                .n_columns = MAX_COLUMNS,
              };

              more.button = grid_take_more_button (self, hidden, &date);
              g_array_append_val (self->segments, more);
            }
        }
    }
  grid_hide_unused (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
bk_week_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GUTTER + MIN_COLUMN;
      *natural = GUTTER + 7 * MIN_COLUMN;
    }
  else
    *minimum = *natural = 24 * HOUR_HEIGHT + 1;
}

static void
bk_week_grid_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  BkWeekGrid *self = BK_WEEK_GRID (widget);
  double column = grid_column_width (self, width);

  for (guint i = 0; i < self->segments->len; i++)
    {
      Segment *s = &g_array_index (self->segments, Segment, i);
      double sub = column / s->n_columns;
      int x, y, w, h, min_w, min_h;

      if (s->day < self->first_day || s->day >= self->first_day + self->n_days)
        {
          gtk_widget_set_child_visible (s->button, FALSE);
          continue;
        }
      gtk_widget_set_child_visible (s->button, TRUE);

      if (is_rtl (widget))
        x = (int) (column_x (widget, width, column, s->day - self->first_day) +
                   column - (s->column + s->span) * sub) + 1;
      else
        x = GUTTER + (int) ((s->day - self->first_day) * column + s->column * sub) + 1;
      w = (int) (s->span * sub) - 2;
      y = s->first * HOUR_HEIGHT / 60 + 1;
      h = (s->last - s->first) * HOUR_HEIGHT / 60 - 2;

      gtk_widget_measure (s->button, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      w = MAX (w, min_w);
      gtk_widget_measure (s->button, GTK_ORIENTATION_VERTICAL, w, &min_h, NULL, NULL, NULL);
      h = MAX (h, min_h);
      if (BK_IS_WEEK_BOOKING (s->button))
        {
          BkWeekBooking *booking = BK_WEEK_BOOKING (s->button);

          if (booking->rect.x != x || booking->rect.y != y || booking->rect.width != w || booking->rect.height != h)
            {
              booking->rect = (GtkAllocation) { x, y, w, h };
              gtk_widget_queue_draw (widget);
            }
        }
      gtk_widget_size_allocate (s->button, &(GtkAllocation) { x, y, w, h }, -1);
    }
}

static void
append_line (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         w,
             double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

/* A booking's background: a rectangle with its corners cut in two steps
 * (a rounded clip would cost more than the rest of the booking). */
static void
append_booking_background (GtkSnapshot         *snapshot,
                           const GdkRGBA       *color,
                           const GtkAllocation *r)
{
  if (r->width < 6 || r->height < 6)
    {
      append_line (snapshot, color, r->x, r->y, r->width, r->height);
      return;
    }
  append_line (snapshot, color, r->x + 2, r->y, r->width - 4, 1);
  append_line (snapshot, color, r->x + 1, r->y + 1, r->width - 2, 1);
  append_line (snapshot, color, r->x, r->y + 2, r->width, r->height - 4);
  append_line (snapshot, color, r->x + 1, r->y + r->height - 2, r->width - 2, 1);
  append_line (snapshot, color, r->x + 2, r->y + r->height - 1, r->width - 4, 1);
}

/* Every booking's background and text; the buttons over them draw only
 * their hover and pressed tints and focus rings.  The booking being
 * dragged is faded. */
static void
grid_snapshot_bookings (BkWeekGrid    *self,
                        GtkSnapshot   *snapshot,
                        const GdkRGBA *fg)
{
  for (guint i = 0; i < self->booking_used && i < self->booking_pool->len; i++)
    {
      BkWeekBooking *booking = g_ptr_array_index (self->booking_pool, i);
      gboolean faded = self->moving && GTK_WIDGET (booking) == self->move_booking;
      GdkRGBA background, text;

      if (!gtk_widget_get_child_visible (GTK_WIDGET (booking)))
        continue;
      bk_calendar_color_rgba (booking->color, fg, &background, &text);
      if (faded)
        gtk_snapshot_push_opacity (snapshot, 0.5);
      append_booking_background (snapshot, &background, &booking->rect);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (booking->rect.x + BOOKING_PAD_X,
                                                              booking->rect.y + BOOKING_PAD_Y));
      booking_append_text (booking, snapshot, &text);
      gtk_snapshot_restore (snapshot);
      if (faded)
        gtk_snapshot_pop (snapshot);
    }
}

/* The "+N" strips, and the buttons of the bookings hovered, pressed or
 * focused: the others draw nothing (some 360 snapshots a frame saved). */
static void
grid_snapshot_buttons (BkWeekGrid  *self,
                       GtkSnapshot *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!BK_IS_WEEK_BOOKING (child) || (gtk_widget_get_state_flags (child) & BOOKING_DRAWN_STATES) != 0)
      gtk_widget_snapshot_child (widget, child, snapshot);
}

static void
bk_week_grid_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  BkWeekGrid *self = BK_WEEK_GRID (widget);
  int width = gtk_widget_get_width (widget);
  double column = grid_column_width (self, width);
  GdkRGBA fg, line, dim, tint, now_color = { 0.88, 0.11, 0.14, 1.0 };
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  g_autoptr(GDateTime) now = NULL;
  GDate today;

  self->snapshot_start = g_get_monotonic_time ();
  self->text_budget = self->first_frame ? FIRST_TEXT_BUDGET : TEXT_BUDGET;
  self->first_frame = FALSE;
  if (self->tz == NULL)
    {
      GTK_WIDGET_CLASS (bk_week_grid_parent_class)->snapshot (widget, snapshot);
      return;
    }
  now = g_date_time_new_now (self->tz);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  line = fg;
  line.alpha = 0.12;
  dim = fg;
  dim.alpha = 0.55;
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &tint))
    tint = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  /* Today's column, tinted. */
  for (guint d = self->first_day; d < self->first_day + self->n_days; d++)
    {
      GDate date;

      grid_date_of_day (self, d, &date);
      if (g_date_compare (&date, &today) == 0)
        {
          GdkRGBA light = tint;

          light.alpha = 0.07;
          append_line (snapshot, &light, column_x (widget, width, column, d - self->first_day), 0, column,
                       24 * HOUR_HEIGHT);
        }
    }

  for (int h = 0; h <= 24; h++)
    {
      append_line (snapshot, &line, is_rtl (widget) ? 0 : GUTTER, h * HOUR_HEIGHT, width - GUTTER, 1);
      if (h > 0 && h < 24)
        {
          PangoLayout *layout = self->hour_layouts[h];
          int lw, lh;

          if (layout == NULL)
            {
              g_autofree char *text = g_strdup_printf ("%02d:00", h);

              layout = self->hour_layouts[h] = gtk_widget_create_pango_layout (widget, text);
            }

          pango_layout_get_pixel_size (layout, &lw, &lh);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (is_rtl (widget) ? width - GUTTER + 6 : GUTTER - 6 - lw,
                                                                  h * HOUR_HEIGHT - lh / 2.0));
          gtk_snapshot_append_layout (snapshot, layout, &dim);
          gtk_snapshot_restore (snapshot);
        }
    }
  for (guint d = 0; d <= self->n_days; d++)
    append_line (snapshot, &line, is_rtl (widget) ? width - GUTTER - d * column - 1 : GUTTER + d * column, 0, 1,
                 24 * HOUR_HEIGHT);

  if (self->selecting)
    {
      GdkRGBA sel = tint;
      int from = MIN (self->select_from, self->select_to);
      int to = MAX (self->select_from, self->select_to) + 1;

      sel.alpha = 0.35;
      append_line (snapshot, &sel, column_x (widget, width, column, self->select_day - self->first_day) + 1,
                   from * 30 * HOUR_HEIGHT / 60.0, column - 2, (to - from) * 30 * HOUR_HEIGHT / 60.0);
    }

  grid_snapshot_bookings (self, snapshot, &fg);
  grid_snapshot_buttons (self, snapshot);

  /* Where the booking being dragged would go (or its new extent), over
   * the bookings. */
  if (self->moving && booking_get_item (self->move_booking) != NULL)
    {
      BkCalendarItem *item = booking_get_item (self->move_booking);
      GdkRGBA sel = tint;
      GDate date;
      guint day = self->resizing ? BK_WEEK_BOOKING (self->move_booking)->day : self->move_to_day;
      gint64 from = self->resizing ? item->start : self->move_start;
      gint64 to = self->resizing ? self->resize_end : self->move_start + MAX (item->end - item->start, 60);
      int first, last;

      sel.alpha = 0.45;
      grid_date_of_day (self, day, &date);
      if (day >= self->first_day && day < self->first_day + self->n_days &&
          bk_day_span (self->tz, &date, from, MAX (to, from + 60), &first, &last))
        {
          double x = column_x (widget, width, column, day - self->first_day) + 1;
          double y = first * HOUR_HEIGHT / 60.0 + 1;
          double h = MAX (last - first, MIN_MINUTES) * HOUR_HEIGHT / 60.0 - 2;
          GskRoundedRect outline;

          gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, column - 2, h), 5);
          gtk_snapshot_push_rounded_clip (snapshot, &outline);
          gtk_snapshot_append_color (snapshot, &sel, &outline.bounds);
          gtk_snapshot_pop (snapshot);
        }
    }

  /* The line at now, over the bookings. */
  for (guint d = self->first_day; d < self->first_day + self->n_days; d++)
    {
      GDate date;

      grid_date_of_day (self, d, &date);
      if (g_date_compare (&date, &today) == 0)
        {
          double y = (g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now)) * HOUR_HEIGHT / 60.0;
          double x = column_x (widget, width, column, d - self->first_day);

          append_line (snapshot, &now_color, x, y - 1, column, 2);
          gtk_snapshot_append_color (snapshot, &now_color, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8));
        }
    }
}

/* The day (0 = Monday) and minute of a point; FALSE in the hour labels. */
static gboolean
grid_point_to_time (BkWeekGrid *self,
                    double      x,
                    double      y,
                    guint      *day,
                    int        *minute)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  double column = grid_column_width (self, width);
  int d;

  if (is_rtl (GTK_WIDGET (self)))
    {
      if (x > width - GUTTER)
        return FALSE;
      d = (int) ((width - GUTTER - x) / column);
    }
  else
    {
      if (x < GUTTER)
        return FALSE;
      d = (int) ((x - GUTTER) / column);
    }
  *day = self->first_day + CLAMP (d, 0, (int) self->n_days - 1);
  *minute = CLAMP ((int) (y * 60 / HOUR_HEIGHT), 0, BK_MINUTES_PER_DAY - 1);
  return TRUE;
}

/* Where the booking being dragged would start: moved by whole days as
 * the pointer crosses columns and by the pointer's vertical offset,
 * snapped to 15 minutes. */
static gint64
grid_move_target (BkWeekGrid *self)
{
  BkCalendarItem *item = booking_get_item (self->move_booking);
  GDate date;
  int first, last, minute;

  bk_day_date_of (self->tz, item->start, &date);
  if (!bk_day_span (self->tz, &date, item->start, MAX (item->end, item->start + 60), &first, &last))
    first = 0;
  if (self->move_to_day >= self->move_from_day)
    g_date_add_days (&date, self->move_to_day - self->move_from_day);
  else
    g_date_subtract_days (&date, self->move_from_day - self->move_to_day);
  minute = first + self->move_minutes;
  minute = (int) (floor ((minute + 7.5) / 15.0) * 15);
  /* Kept in the day it is dropped on. */
  minute = CLAMP (minute, 0, BK_MINUTES_PER_DAY - 15);
  return bk_day_minute_to_utc (self->tz, &date, minute);
}

static void
grid_end_move (BkWeekGrid *self)
{
  self->move_booking = NULL;
  self->moving = FALSE;
  self->resizing = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The UTC time of @minute (0..1440) of day @date. */
static gint64
grid_minute_to_utc (BkWeekGrid  *self,
                    const GDate *date,
                    int          minute)
{
  gint64 start, end;

  if (minute < BK_MINUTES_PER_DAY)
    return bk_day_minute_to_utc (self->tz, date, minute);
  bk_day_bounds (self->tz, date, &start, &end);
  return end;
}

/* @minute snapped to SNAP_MINUTES: to the nearest mark (@step 0), or to
 * the next mark before it (@step < 0) or after it (@step > 0). */
static int
snap_minute (int minute,
             int step)
{
  int down = (int) floor (minute / (double) SNAP_MINUTES) * SNAP_MINUTES;

  if (step < 0)
    return minute == down ? down - SNAP_MINUTES : down;
  if (step > 0)
    return down + SNAP_MINUTES;
  return (int) (floor ((minute + SNAP_MINUTES / 2.0) / SNAP_MINUTES) * SNAP_MINUTES);
}

/* Where @item's end would be at @minute (snapped) of day @date: at least
 * SNAP_MINUTES after its start (the next mark that is), in that day.  0
 * when no end in that day is. */
static gint64
grid_resize_end (BkWeekGrid           *self,
                 const BkCalendarItem *item,
                 const GDate          *date,
                 int                   minute)
{
  minute = MAX (minute, SNAP_MINUTES);
  for (; minute <= BK_MINUTES_PER_DAY; minute += SNAP_MINUTES)
    {
      gint64 end = grid_minute_to_utc (self, date, minute);

      if (end >= item->start + SNAP_MINUTES * 60)
        return end;
    }
  return 0;
}

/* Where the booking whose bottom edge is dragged would end: its end in
 * the day of the block pressed, moved by the pointer's vertical offset,
 * snapped to 15 minutes. */
static gint64
grid_resize_target (BkWeekGrid *self)
{
  BkWeekBooking *booking = BK_WEEK_BOOKING (self->move_booking);
  const BkCalendarItem *item = booking->item;
  gint64 end;
  GDate date;
  int first, last;

  grid_date_of_day (self, booking->day, &date);
  if (!bk_day_span (self->tz, &date, item->start, MAX (item->end, item->start + 60), &first, &last))
    return item->end;
  end = grid_resize_end (self, item, &date, snap_minute (CLAMP (last + self->move_minutes, 0, BK_MINUTES_PER_DAY), 0));
  return end != 0 ? end : item->end;
}

/* The booking (of the block) at @x, @y when that is its bottom edge and
 * its end is in that block; else NULL. */
static BkWeekBooking *
grid_edge_at (BkWeekGrid *self,
              double      x,
              double      y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  BkWeekBooking *booking;

  if (picked == NULL || !BK_IS_WEEK_BOOKING (picked))
    return NULL;
  booking = BK_WEEK_BOOKING (picked);
  if (booking->item == NULL || !booking->ends_here || y < booking->rect.y + booking->rect.height - RESIZE_EDGE)
    return NULL;
  return booking;
}

static void
grid_show_edge_cursor (BkWeekGrid *self,
                       gboolean    edge)
{
  if (edge == self->edge_cursor)
    return;
  self->edge_cursor = edge;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), edge ? "ns-resize" : NULL);
}

/* The pointer over a booking's bottom edge shows that it resizes. */
static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           gpointer                  user_data)
{
  BkWeekGrid *self = user_data;

  if (self->move_booking != NULL)
    return;   /* kept as it was at the press while dragging */
  grid_show_edge_cursor (self, grid_edge_at (self, x, y) != NULL);
}

static void
leave_cb (GtkEventControllerMotion *motion,
          gpointer                  user_data)
{
  BkWeekGrid *self = user_data;

  if (self->move_booking == NULL)
    grid_show_edge_cursor (self, FALSE);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               gpointer        user_data)
{
  BkWeekGrid *self = user_data;
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  GtkWidget *booking = picked != NULL ? gtk_widget_get_ancestor (picked, BK_TYPE_WEEK_BOOKING) : NULL;
  guint day;
  int minute;

  grid_end_move (self);
  self->selecting = FALSE;

  /* On a booking: a click opens it (the button's own gesture), a drag
   * past the threshold moves it (see drag_update_cb). */
  if (booking != NULL && booking_get_item (booking) != NULL && grid_point_to_time (self, x, y, &day, &minute))
    {
      self->move_booking = booking;
      self->resizing = grid_edge_at (self, x, y) == BK_WEEK_BOOKING (booking);
      self->move_from_day = self->move_to_day = day;
      self->move_minutes = 0;
      self->start_x = x;
      self->start_y = y;
      return;
    }

  /* Else only over empty time. */
  if ((picked != NULL && picked != GTK_WIDGET (self)) || !grid_point_to_time (self, x, y, &day, &minute))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->selecting = TRUE;
  self->start_x = x;
  self->start_y = y;
  self->select_day = day;
  self->select_from = self->select_to = bk_day_cell (minute);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                gpointer        user_data)
{
  BkWeekGrid *self = user_data;
  int minute = CLAMP ((int) ((self->start_y + offset_y) * 60 / HOUR_HEIGHT), 0, BK_MINUTES_PER_DAY - 1);

  if (self->move_booking != NULL)
    {
      guint day;
      int unused;
      double x;

      if (booking_get_item (self->move_booking) == NULL)
        {
          /* The week changed under the pointer. */
          grid_end_move (self);
          return;
        }
      if (!self->moving)
        {
          if (!gtk_drag_check_threshold (GTK_WIDGET (self), (int) self->start_x, (int) self->start_y,
                                         (int) (self->start_x + offset_x), (int) (self->start_y + offset_y)))
            return;
          /* A move, not a click: the button does not see the release. */
          self->moving = TRUE;
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
        }
      self->move_minutes = (int) lround (offset_y * 60 / HOUR_HEIGHT);
      if (self->resizing)
        {
          self->resize_end = grid_resize_target (self);
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return;
        }
      x = self->start_x + offset_x;
      x = is_rtl (GTK_WIDGET (self)) ? MIN (x, gtk_widget_get_width (GTK_WIDGET (self)) - GUTTER) : MAX (x, GUTTER);
      if (grid_point_to_time (self, x, self->start_y, &day, &unused))
        self->move_to_day = day;
      self->move_start = grid_move_target (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  if (!self->selecting)
    return;
  /* A booking is made on one day: the selection stays in its column. */
  self->select_to = bk_day_cell (minute);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             gpointer        user_data)
{
  BkWeekGrid *self = user_data;
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), BK_TYPE_WEEK_VIEW);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  int from, to;
  gint64 start_utc, end_utc, day_start;
  GDate date;

  if (self->move_booking != NULL)
    {
      BkCalendarItem *item;

      drag_update_cb (gesture, offset_x, offset_y, self);
      item = booking_get_item (self->move_booking);
      if (self->moving && self->resizing && item != NULL && self->resize_end != item->end)
        {
          g_autoptr(GDateTime) occurrence = bk_calendar_date_time (self->tz, item->start);
          g_autoptr(GDateTime) new_end = bk_calendar_date_time (self->tz, self->resize_end);
          g_autofree char *uid = g_strdup (item->uid);
          gint64 recurrence_id = item->recurrence_id;

          grid_end_move (self);
          g_signal_emit (view, signals[SIGNAL_RESIZE_BOOKING], 0, uid, recurrence_id, occurrence, new_end);
        }
      else if (self->moving && !self->resizing && item != NULL && self->move_start != item->start)
        {
          g_autoptr(GDateTime) occurrence = bk_calendar_date_time (self->tz, item->start);
          g_autoptr(GDateTime) moved = bk_calendar_date_time (self->tz, self->move_start);
          g_autofree char *uid = g_strdup (item->uid);
          gint64 recurrence_id = item->recurrence_id;

          grid_end_move (self);
          g_signal_emit (view, signals[SIGNAL_MOVE_BOOKING], 0, uid, recurrence_id, occurrence, moved);
        }
      else
        grid_end_move (self);
      return;
    }

  if (!self->selecting)
    return;
  drag_update_cb (gesture, offset_x, offset_y, self);
  self->selecting = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  from = MIN (self->select_from, self->select_to) * 30;
  to = (MAX (self->select_from, self->select_to) + 1) * 30;
  grid_date_of_day (self, self->select_day, &date);
  start_utc = bk_day_minute_to_utc (self->tz, &date, from);
  if (to >= BK_MINUTES_PER_DAY)
    bk_day_bounds (self->tz, &date, &day_start, &end_utc);
  else
    end_utc = bk_day_minute_to_utc (self->tz, &date, to);

  start = bk_calendar_date_time (self->tz, start_utc);
  end = bk_calendar_date_time (self->tz, end_utc);
  g_signal_emit (view, signals[SIGNAL_CREATE_BOOKING], 0, start, end);
}

static void
drag_cancel_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                gpointer          user_data)
{
  BkWeekGrid *self = user_data;

  grid_end_move (self);
  grid_show_edge_cursor (self, FALSE);
  self->selecting = FALSE;
}

/* ------------------------------------------------------------------------
 * The keyboard: the focus kept on a booking across rebuilds, and the keys
 * that move and resize the focused booking
 */

/* The booking button with the window's focus, if it is one of ours. */
static BkWeekBooking *
grid_focused_booking (BkWeekGrid *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !BK_IS_WEEK_BOOKING (focus) || gtk_widget_get_parent (focus) != GTK_WIDGET (self) ||
      BK_WEEK_BOOKING (focus)->item == NULL)
    return NULL;
  return BK_WEEK_BOOKING (focus);
}

static void
grid_forget_focus (BkWeekGrid *self)
{
  self->keep_button = NULL;
  g_clear_pointer (&self->keep_uid, g_free);
  self->keep_target = 0;
  self->keep_in_view = FALSE;
}

static void
grid_keep_focus (BkWeekGrid    *self,
                 BkWeekBooking *booking,
                 guint          day,
                 gint64         target)
{
  g_free (self->keep_uid);
  self->keep_button = GTK_WIDGET (booking);
  self->keep_uid = g_strdup (booking->item->uid);
  self->keep_rid = booking->item->recurrence_id;
  self->keep_day = day;
  self->keep_target = target;
  self->keep_in_view = FALSE;
}

/* Before the week's items are replaced: which booking has the focus
 * (unless a key sent it somewhere and it still has the focus). */
static void
grid_remember_focus (BkWeekGrid *self)
{
  BkWeekBooking *focus = grid_focused_booking (self);

  if (focus == NULL)
    grid_forget_focus (self);
  else if (GTK_WIDGET (focus) != self->keep_button || self->keep_uid == NULL)
    grid_keep_focus (self, focus, focus->day, 0);
}

/* Scrolls the least that shows @seg's block (its top, when the view is
 * shorter). */
static void
grid_scroll_to (BkWeekGrid    *self,
                const Segment *seg)
{
  GtkAdjustment *adj = self->vadjustment;
  double top = seg->first * HOUR_HEIGHT / 60.0;
  double bottom = seg->last * HOUR_HEIGHT / 60.0;
  double value, page;

  if (adj == NULL)
    return;
  value = gtk_adjustment_get_value (adj);
  page = gtk_adjustment_get_page_size (adj);
  if (top < value)
    gtk_adjustment_set_value (adj, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (adj, MIN (top, bottom - page));
}

/* After a rebuild: the focus to the button that now shows the booking
 * kept, where a key sent it, else where it was (refused, or waiting for
 * the answer about a series); on its day when it spans several. */
static void
grid_restore_focus (BkWeekGrid *self)
{
  const Segment *best = NULL;
  int best_score = 0;

  if (self->keep_uid == NULL)
    return;
  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *seg = &g_array_index (self->segments, Segment, i);
      int score;

      if (seg->item == NULL || strcmp (seg->item->uid, self->keep_uid) != 0)
        continue;
      if (self->keep_target != 0 && seg->item->start == self->keep_target)
        score = 4;
      else if (seg->item->recurrence_id == self->keep_rid)
        score = 2;
      else
        continue;
      if (seg->day == self->keep_day)
        score++;
      if (score > best_score)
        {
          best = seg;
          best_score = score;
        }
    }
  if (best == NULL)
    {
      grid_forget_focus (self);
      return;
    }
  if (self->keep_in_view && (best_score >= 4 || self->keep_target == 0))
    {
      grid_scroll_to (self, best);
      self->keep_in_view = FALSE;
    }
  if (best_score >= 4)
    grid_keep_focus (self, BK_WEEK_BOOKING (best->button), best->day, 0);
  else
    self->keep_button = best->button;
  gtk_widget_grab_focus (best->button);
}

/* Where a key would move the booking: @days days (kept in the days
 * shown, where the focus can follow it) and a 15-minute step (@step -1
 * or 1, to the mark before or after its start, kept in its day as a drop
 * is).  0 when it cannot go there. */
static gint64
grid_key_move_target (BkWeekGrid    *self,
                      BkWeekBooking *booking,
                      int            days,
                      int            step)
{
  const BkCalendarItem *item = booking->item;
  int to_day = (int) booking->day + days;
  int first, last, minute;
  GDate date;

  if (to_day < (int) self->first_day || to_day >= (int) (self->first_day + self->n_days))
    return 0;
  bk_day_date_of (self->tz, item->start, &date);
  if (!bk_day_span (self->tz, &date, item->start, MAX (item->end, item->start + 60), &first, &last))
    return 0;
  minute = first;
  if (step != 0)
    {
      minute = snap_minute (first, step);
      if (minute < 0 || minute > BK_MINUTES_PER_DAY - SNAP_MINUTES)
        return 0;
    }
  if (days > 0)
    g_date_add_days (&date, days);
  else if (days < 0)
    g_date_subtract_days (&date, -days);
  return bk_day_minute_to_utc (self->tz, &date, minute);
}

/* Where a key would put the booking's end: the 15-minute mark before
 * (@step -1) or after (1) it, in its day, at least 15 minutes after the
 * start.  0 when it cannot. */
static gint64
grid_key_resize_target (BkWeekGrid           *self,
                        const BkCalendarItem *item,
                        int                   step)
{
  gint64 end = MAX (item->end, item->start + 60);
  gint64 new_end;
  int first, last, minute;
  GDate date;

  bk_day_date_of (self->tz, end - 1, &date);
  if (!bk_day_span (self->tz, &date, item->start, end, &first, &last))
    return 0;
  minute = snap_minute (last, step);
  if (minute < 0 || minute > BK_MINUTES_PER_DAY)
    return 0;
  new_end = grid_minute_to_utc (self, &date, minute);
  if (new_end < item->start + SNAP_MINUTES * 60)
    return 0;
  return new_end;
}

/* Alt+Arrow keys move the focused booking as a drop would (::move-booking);
 * Shift+Alt+Up and Down resize it (::resize-booking).  The focus stays on
 * it when the week is built again.  Without a booking focused, the keys
 * go on (Alt+Left and Right then change the calendar's week). */
static gboolean
grid_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  BkWeekGrid *self = BK_WEEK_GRID (widget);
  GtkWidget *view = gtk_widget_get_ancestor (widget, BK_TYPE_WEEK_VIEW);
  BkWeekBooking *booking = grid_focused_booking (self);
  g_autoptr(GDateTime) occurrence = NULL;
  g_autoptr(GDateTime) target = NULL;
  g_autofree char *uid = NULL;
  gint64 recurrence_id, to;
  gboolean resize;
  int days, step;

  if (booking == NULL || self->tz == NULL || view == NULL)
    return FALSE;
  g_variant_get (args, "(bii)", &resize, &days, &step);
  /* The mirrored grid: Left is the next day. */
  if (is_rtl (widget))
    days = -days;
  to = resize ? grid_key_resize_target (self, booking->item, step)
              : grid_key_move_target (self, booking, days, step);
  if (to == 0 || to == (resize ? booking->item->end : booking->item->start))
    {
      gtk_widget_error_bell (widget);
      return TRUE;
    }

  uid = g_strdup (booking->item->uid);
  recurrence_id = booking->item->recurrence_id;
  occurrence = bk_calendar_date_time (self->tz, booking->item->start);
  target = bk_calendar_date_time (self->tz, to);
  grid_end_move (self);
  if (resize)
    {
      grid_keep_focus (self, booking, booking->day, 0);
      self->keep_in_view = TRUE;
      g_signal_emit (view, signals[SIGNAL_RESIZE_BOOKING], 0, uid, recurrence_id, occurrence, target);
    }
  else
    {
      grid_keep_focus (self, booking, booking->day + days, to);
      self->keep_in_view = TRUE;
      g_signal_emit (view, signals[SIGNAL_MOVE_BOOKING], 0, uid, recurrence_id, occurrence, target);
    }
  return TRUE;
}

static void
add_key (GtkWidgetClass *widget_class,
         guint           keyval,
         guint           kp_keyval,
         GdkModifierType mods,
         gboolean        resize,
         int             days,
         int             step)
{
  gtk_widget_class_add_binding (widget_class, keyval, mods, grid_key_cb, "(bii)", resize, days, step);
  gtk_widget_class_add_binding (widget_class, kp_keyval, mods, grid_key_cb, "(bii)", resize, days, step);
}

static gboolean
clock_cb (gpointer user_data)
{
  gtk_widget_queue_draw (user_data);
  return G_SOURCE_CONTINUE;
}

/* Whether a booking in view was left without text. */
static gboolean
grid_text_pending (BkWeekGrid *self)
{
  for (guint i = 0; i < self->booking_used && i < self->booking_pool->len; i++)
    {
      BkWeekBooking *booking = g_ptr_array_index (self->booking_pool, i);

      if (booking->text_skipped && booking_in_view (booking) &&
          gtk_widget_get_child_visible (GTK_WIDGET (booking)))
        return TRUE;
    }
  return FALSE;
}

static void
grid_draw_skipped_text (BkWeekGrid *self)
{
  if (grid_text_pending (self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The next frame: the bookings left without text get it. */
static gboolean
text_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  BkWeekGrid *self = BK_WEEK_GRID (widget);

  self->text_tick = 0;
  grid_draw_skipped_text (self);
  return G_SOURCE_REMOVE;
}

/* Bookings scrolled into view get their text. */
static void
grid_scrolled_cb (GtkAdjustment *adjustment,
                  BkWeekGrid    *self)
{
  grid_draw_skipped_text (self);
}

static void
grid_forget_layouts (BkWeekGrid *self)
{
  g_hash_table_remove_all (self->layouts);
  for (guint h = 0; h < G_N_ELEMENTS (self->hour_layouts); h++)
    g_clear_object (&self->hour_layouts[h]);
  for (guint i = 0; i < self->booking_pool->len; i++)
    booking_invalidate (g_ptr_array_index (self->booking_pool, i));
}

static void
bk_week_grid_direction_changed (GtkWidget        *widget,
                                GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (bk_week_grid_parent_class)->direction_changed (widget, previous);
  grid_forget_layouts (BK_WEEK_GRID (widget));
}

/* A new font: every text is laid out again. */
static void
bk_week_grid_system_setting_changed (GtkWidget         *widget,
                                     GtkSystemSetting   setting)
{
  BkWeekGrid *self = BK_WEEK_GRID (widget);

  GTK_WIDGET_CLASS (bk_week_grid_parent_class)->system_setting_changed (widget, setting);
  if (setting != GTK_SYSTEM_SETTING_FONT_NAME && setting != GTK_SYSTEM_SETTING_FONT_CONFIG &&
      setting != GTK_SYSTEM_SETTING_DPI)
    return;
  grid_forget_layouts (self);
  self->title_line = self->time_line = 0;
  grid_rebuild (self);
}

static void
bk_week_grid_map (GtkWidget *widget)
{
  BK_WEEK_GRID (widget)->first_frame = TRUE;
  GTK_WIDGET_CLASS (bk_week_grid_parent_class)->map (widget);
}

static void
bk_week_grid_dispose (GObject *object)
{
  BkWeekGrid *self = BK_WEEK_GRID (object);

  if (self->text_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->text_tick);
  self->text_tick = 0;
  grid_destroy_buttons (self);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  G_OBJECT_CLASS (bk_week_grid_parent_class)->dispose (object);
}

static void
bk_week_grid_finalize (GObject *object)
{
  BkWeekGrid *self = BK_WEEK_GRID (object);

  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->layouts, g_hash_table_unref);
  for (guint h = 0; h < G_N_ELEMENTS (self->hour_layouts); h++)
    g_clear_object (&self->hour_layouts[h]);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->other_day_long);
  g_free (self->keep_uid);
  G_OBJECT_CLASS (bk_week_grid_parent_class)->finalize (object);
}

static void
bk_week_grid_class_init (BkWeekGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_week_grid_dispose;
  object_class->finalize = bk_week_grid_finalize;
  widget_class->measure = bk_week_grid_measure;
  widget_class->size_allocate = bk_week_grid_size_allocate;
  widget_class->snapshot = bk_week_grid_snapshot;
  widget_class->map = bk_week_grid_map;
  widget_class->system_setting_changed = bk_week_grid_system_setting_changed;
  widget_class->direction_changed = bk_week_grid_direction_changed;
  gtk_widget_class_set_css_name (widget_class, "bk-week-grid");

  add_key (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, GDK_ALT_MASK, FALSE, 0, -1);
  add_key (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, GDK_ALT_MASK, FALSE, 0, 1);
  add_key (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, GDK_ALT_MASK, FALSE, -1, 0);
  add_key (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, GDK_ALT_MASK, FALSE, 1, 0);
  add_key (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, GDK_ALT_MASK | GDK_SHIFT_MASK, TRUE, 0, -1);
  add_key (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, GDK_ALT_MASK | GDK_SHIFT_MASK, TRUE, 0, 1);
}

static void
bk_week_grid_init (BkWeekGrid *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->booking_pool = g_ptr_array_new ();
  self->more_pool = g_ptr_array_new ();
  self->n_days = 7;
  self->text_budget = TEXT_BUDGET;
  g_date_clear (&self->monday, 1);
  g_date_clear (&self->other_day, 1);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (drag_cancel_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  /* The line at now moves once a minute. */
  self->clock_id = g_timeout_add_seconds (60, clock_cb, self);
}

/* ------------------------------------------------------------------------
 * BkWeekView: headings over the scrolled grid
 */

struct _BkWeekView
{
  GtkWidget   parent_instance;

  GtkWidget  *scroller;
  BkWeekGrid *grid;
  GtkWidget  *headings[7];
  GDate       selected;
  /* Scrolling to the opening hour (see grid_opening_minute) waits for
   * the first layout of a week. */
  gboolean    scroll_pending;
  guint       scroll_tick;
};

G_DEFINE_FINAL_TYPE (BkWeekView, bk_week_view, GTK_TYPE_WIDGET)

static int
heading_height (BkWeekView *self)
{
  int h = 0;

  for (guint d = 0; d < 7; d++)
    {
      int min;

      gtk_widget_measure (self->headings[d], GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);
      h = MAX (h, min);
    }
  return h + 2 * HEADING_SPACE;
}

static void
bk_week_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  BkWeekView *self = BK_WEEK_VIEW (widget);

  gtk_widget_measure (self->scroller, orientation, -1, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      int h = heading_height (self);

      *minimum += h;
      *natural += h;
    }
  else
    {
      *minimum = MAX (*minimum, GUTTER + MIN_COLUMN);
      *natural = MAX (*natural, GUTTER + 7 * MIN_COLUMN);
    }
}

static void
bk_week_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  BkWeekView *self = BK_WEEK_VIEW (widget);
  BkWeekGrid *grid = self->grid;
  int top = heading_height (self);
  guint n = (guint) CLAMP ((width - GUTTER) / MIN_COLUMN, 1, 7);
  guint selected = 0;
  double column;

  /* As many days as fit, the selected one among them. */
  if (g_date_valid (&grid->monday) && g_date_valid (&self->selected))
    selected = (guint) CLAMP (g_date_days_between (&grid->monday, &self->selected), 0, 6);
  if (n != grid->n_days || grid->first_day != MIN (selected, 7 - n))
    {
      grid->n_days = n;
      grid->first_day = MIN (selected, 7 - n);
      gtk_widget_queue_draw (GTK_WIDGET (grid));
    }

  column = (double) (width - GUTTER) / n;
  for (guint d = 0; d < 7; d++)
    {
      int min_w, min_h;

      if (d < grid->first_day || d >= grid->first_day + n)
        {
          gtk_widget_set_child_visible (self->headings[d], FALSE);
          continue;
        }
      gtk_widget_set_child_visible (self->headings[d], TRUE);
      gtk_widget_measure (self->headings[d], GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      gtk_widget_measure (self->headings[d], GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
      gtk_widget_size_allocate (self->headings[d],
                                &(GtkAllocation) {
                                  (int) column_x (widget, width, column, d - grid->first_day), HEADING_SPACE,
                                  MAX ((int) column, min_w), min_h
                                }, -1);
    }

  gtk_widget_size_allocate (self->scroller, &(GtkAllocation) { 0, top, width, MAX (0, height - top) }, -1);
}

/* The minute the grid opens at: 08:00, or earlier or later so that the
 * first booking of the visible days is in view. */
static int
grid_opening_minute (BkWeekGrid *self,
                     int         page_minutes)
{
  const Segment *first = NULL;
  int minute = 8 * 60 - 30;

  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *s = &g_array_index (self->segments, Segment, i);

      if (s->day < self->first_day || s->day >= self->first_day + self->n_days)
        continue;
      if (first == NULL || s->day < first->day || (s->day == first->day && s->first < first->first))
        first = s;
    }
  if (first != NULL && (first->first < minute || MIN (first->last, first->first + 60) > minute + page_minutes))
    minute = MAX (0, first->first - 30);
  return minute;
}

static void
scroll_to_opening (BkWeekView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  double page = gtk_adjustment_get_page_size (adj);

  if (gtk_adjustment_get_upper (adj) > page)
    {
      int minute = grid_opening_minute (self->grid, (int) (page * 60 / HOUR_HEIGHT));

      /* On a whole pixel: a fractional offset blurs every line and edge. */
      gtk_adjustment_set_value (adj, round (minute * HOUR_HEIGHT / 60.0));
      self->scroll_pending = FALSE;
    }
}

static gboolean
opening_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  BkWeekView *self = BK_WEEK_VIEW (widget);

  if (self->scroll_pending)
    scroll_to_opening (self);
  if (self->scroll_pending)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Scrolls to the opening hour once the grid is laid out. */
static void
queue_scroll_to_opening (BkWeekView *self)
{
  self->scroll_pending = TRUE;
  if (self->scroll_tick == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), opening_tick_cb, NULL, NULL);
}

static void
bk_week_view_map (GtkWidget *widget)
{
  BkWeekView *self = BK_WEEK_VIEW (widget);

  GTK_WIDGET_CLASS (bk_week_view_parent_class)->map (widget);
  if (self->scroll_pending)
    {
      self->scroll_tick = 0;
      queue_scroll_to_opening (self);
    }
}

static void
bk_week_view_unmap (GtkWidget *widget)
{
  BkWeekView *self = BK_WEEK_VIEW (widget);

  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (widget, self->scroll_tick);
  self->scroll_tick = 0;
  GTK_WIDGET_CLASS (bk_week_view_parent_class)->unmap (widget);
}

static void
bk_week_view_dispose (GObject *object)
{
  BkWeekView *self = BK_WEEK_VIEW (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  for (guint d = 0; d < 7; d++)
    g_clear_pointer (&self->headings[d], gtk_widget_unparent);
  G_OBJECT_CLASS (bk_week_view_parent_class)->dispose (object);
}

static void
bk_week_view_class_init (BkWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_week_view_dispose;
  widget_class->measure = bk_week_view_measure;
  widget_class->size_allocate = bk_week_view_size_allocate;
  widget_class->map = bk_week_view_map;
  widget_class->unmap = bk_week_view_unmap;
  gtk_widget_class_set_css_name (widget_class, "bk-week-view");

  signals[SIGNAL_CREATE_BOOKING] =
    g_signal_new ("create-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DATE_TIME, G_TYPE_DATE_TIME);
  signals[SIGNAL_OPEN_BOOKING] =
    g_signal_new ("open-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DATE_TIME);
  signals[SIGNAL_MOVE_BOOKING] =
    g_signal_new ("move-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_DATE_TIME, G_TYPE_DATE_TIME);
  signals[SIGNAL_RESIZE_BOOKING] =
    g_signal_new ("resize-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_DATE_TIME, G_TYPE_DATE_TIME);
  signals[SIGNAL_SHOW_DAY] =
    g_signal_new ("show-day", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_DATE_TIME);
}

static void
bk_week_view_init (BkWeekView *self)
{
  for (guint d = 0; d < 7; d++)
    {
      self->headings[d] = gtk_label_new (NULL);
      gtk_label_set_ellipsize (GTK_LABEL (self->headings[d]), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (self->headings[d], "bk-cal-heading");
      gtk_widget_set_parent (self->headings[d], GTK_WIDGET (self));
    }

  self->grid = g_object_new (BK_TYPE_WEEK_GRID, NULL);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->grid));
  self->grid->vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  g_signal_connect_object (self->grid->vadjustment, "value-changed", G_CALLBACK (grid_scrolled_cb), self->grid, 0);
  g_signal_connect_object (self->grid->vadjustment, "changed", G_CALLBACK (grid_scrolled_cb), self->grid, 0);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  g_date_clear (&self->selected, 1);
  self->scroll_pending = TRUE;
}

GtkWidget *
bk_week_view_new (void)
{
  return g_object_new (BK_TYPE_WEEK_VIEW, NULL);
}

void
bk_week_view_set_week (BkWeekView  *self,
                       GTimeZone   *tz,
                       const GDate *monday,
                       const GDate *selected,
                       GPtrArray   *items)
{
  BkWeekGrid *grid;
  g_autoptr(GDateTime) now = NULL;
  GDate today;

  g_return_if_fail (BK_IS_WEEK_VIEW (self));
  g_return_if_fail (tz != NULL && g_date_valid (monday) && g_date_valid (selected) && items != NULL);

  grid = self->grid;
  /* A new week opens at its first booking; a change within the week
   * keeps the place, unless the week had no booking shown yet. */
  if (!g_date_valid (&grid->monday) || g_date_compare (&grid->monday, monday) != 0 ||
      grid->segments->len == 0)
    queue_scroll_to_opening (self);
  g_clear_pointer (&grid->tz, g_time_zone_unref);
  grid->tz = g_time_zone_ref (tz);
  grid->monday = *monday;
  self->selected = *selected;
  grid_remember_focus (grid);
  g_ptr_array_ref (items);
  g_clear_pointer (&grid->items, g_ptr_array_unref);
  grid->items = items;
  grid->selecting = FALSE;
  grid_rebuild (grid);
  grid_restore_focus (grid);

  now = g_date_time_new_now (tz);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *text = NULL;
      g_autofree char *description = NULL;
      GDate date = *monday;

      g_date_add_days (&date, d);
      text = bk_calendar_format_day_short (&date);
      description = bk_calendar_format_day_long (&date);
      gtk_label_set_text (GTK_LABEL (self->headings[d]), text);
      set_lazy_tooltip (self->headings[d], description);
      if (g_date_compare (&date, &today) == 0)
        gtk_widget_add_css_class (self->headings[d], "bk-cal-today");
      else
        gtk_widget_remove_css_class (self->headings[d], "bk-cal-today");
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
bk_week_view_get_n_days (BkWeekView *self)
{
  g_return_val_if_fail (BK_IS_WEEK_VIEW (self), 7);

  return self->grid->n_days;
}

guint
bk_week_view_get_first_day (BkWeekView *self)
{
  g_return_val_if_fail (BK_IS_WEEK_VIEW (self), 0);

  return self->grid->first_day;
}

GtkWidget *
bk_week_view_get_grid (BkWeekView *self)
{
  g_return_val_if_fail (BK_IS_WEEK_VIEW (self), NULL);

  return GTK_WIDGET (self->grid);
}

void
bk_week_view_get_point (BkWeekView *self,
                        guint       day,
                        int         minute,
                        double     *x,
                        double     *y)
{
  BkWeekGrid *grid;
  double column;

  g_return_if_fail (BK_IS_WEEK_VIEW (self));

  grid = self->grid;
  column = grid_column_width (grid, gtk_widget_get_width (GTK_WIDGET (grid)));
  *x = column_x (GTK_WIDGET (grid), gtk_widget_get_width (GTK_WIDGET (grid)), column, (double) day - grid->first_day) +
       column / 2;
  *y = minute * HOUR_HEIGHT / 60.0 + 1;
}

gboolean
bk_week_view_get_text_pending (BkWeekView *self)
{
  g_return_val_if_fail (BK_IS_WEEK_VIEW (self), FALSE);

  return grid_text_pending (self->grid);
}

gboolean
bk_week_view_get_booking_text (GtkWidget    *booking,
                               PangoLayout **title,
                               PangoLayout **times,
                               int          *times_y)
{
  BkWeekBooking *self;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (booking), FALSE);

  if (!BK_IS_WEEK_BOOKING (booking))
    return FALSE;
  self = BK_WEEK_BOOKING (booking);
  booking_text_size (self, &width, &height);
  booking_ensure_layouts (self, width, height);
  if (self->title_layout == NULL)
    return FALSE;
  *title = self->title_layout;
  *times = self->time_layout;
  pango_layout_get_pixel_size (self->title_layout, NULL, times_y);
  return TRUE;
}
