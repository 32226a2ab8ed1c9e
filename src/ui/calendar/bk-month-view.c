/* bk-month-view.c: a month as a grid of days with their bookings' titles
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkMonthView"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-calendar-util.h"
#include "bk-day-layout.h"
#include "bk-month-view.h"

enum {
  SIGNAL_OPEN_BOOKING,
  SIGNAL_SHOW_DAY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _BkMonthView
{
  GtkWidget  parent_instance;

  GtkWidget *grid;
  GTimeZone *tz;
  GPtrArray *items;
};

G_DEFINE_FINAL_TYPE (BkMonthView, bk_month_view, GTK_TYPE_WIDGET)

static void
booking_clicked_cb (GtkButton   *button,
                    BkMonthView *self)
{
  BkCalendarItem *item = g_object_get_data (G_OBJECT (button), "bk-item");
  g_autoptr(GDateTime) start = bk_calendar_date_time (self->tz, item->start);

  g_signal_emit (self, signals[SIGNAL_OPEN_BOOKING], 0, item->uid, start);
}

static void
day_clicked_cb (GtkButton   *button,
                BkMonthView *self)
{
  GDate *date = g_object_get_data (G_OBJECT (button), "bk-date");
  g_autoptr(GDateTime) midnight = g_date_time_new (self->tz, g_date_get_year (date), g_date_get_month (date),
                                                   g_date_get_day (date), 0, 0, 0);

  g_signal_emit (self, signals[SIGNAL_SHOW_DAY], 0, midnight);
}

static GtkWidget *
day_button_new (BkMonthView *self,
                const char  *text,
                const char  *description,
                const GDate *date)
{
  GtkWidget *button = gtk_button_new_with_label (text);

  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_set_tooltip_text (button, description);
  g_object_set_data_full (G_OBJECT (button), "bk-date", g_memdup2 (date, sizeof *date), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (day_clicked_cb), self);
  return button;
}

static void
clear_grid (BkMonthView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
}

static void
bk_month_view_dispose (GObject *object)
{
  BkMonthView *self = BK_MONTH_VIEW (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);
  G_OBJECT_CLASS (bk_month_view_parent_class)->dispose (object);
}

static void
bk_month_view_finalize (GObject *object)
{
  BkMonthView *self = BK_MONTH_VIEW (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  G_OBJECT_CLASS (bk_month_view_parent_class)->finalize (object);
}

static void
bk_month_view_class_init (BkMonthViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_month_view_dispose;
  object_class->finalize = bk_month_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bk-month-view");

  signals[SIGNAL_OPEN_BOOKING] =
    g_signal_new ("open-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DATE_TIME);
  signals[SIGNAL_SHOW_DAY] =
    g_signal_new ("show-day", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_DATE_TIME);
}

static void
bk_month_view_init (BkMonthView *self)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_column_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_grid_set_row_homogeneous (GTK_GRID (self->grid), FALSE);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
}

GtkWidget *
bk_month_view_new (void)
{
  return g_object_new (BK_TYPE_MONTH_VIEW, NULL);
}

void
bk_month_view_set_month (BkMonthView *self,
                         GTimeZone   *tz,
                         const GDate *first,
                         int          month,
                         GPtrArray   *items)
{
  g_autoptr(GDateTime) now = NULL;
  GDate today;

  g_return_if_fail (BK_IS_MONTH_VIEW (self));
  g_return_if_fail (tz != NULL && g_date_valid (first) && items != NULL);

  g_clear_pointer (&self->tz, g_time_zone_unref);
  self->tz = g_time_zone_ref (tz);
  g_ptr_array_ref (items);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;

  now = g_date_time_new_now (tz);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  clear_grid (self);
  /* The columns start on @first's weekday (the locale's first day). */
  for (int column = 0; column < 7; column++)
    {
      GDate day = *first;
      GtkWidget *heading;

      g_date_add_days (&day, column);
      heading = gtk_label_new (bk_calendar_weekday_name (g_date_get_weekday (&day), TRUE));
      gtk_widget_add_css_class (heading, "bk-cal-heading");
      gtk_grid_attach (GTK_GRID (self->grid), heading, column, 0, 1, 1);
    }

  for (guint cell = 0; cell < 42; cell++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
      GtkWidget *number;
      g_autofree char *number_text = NULL;
      g_autofree char *description = NULL;
      gint64 day_start, day_end;
      guint n_day = 0;
      GDate date = *first;

      g_date_add_days (&date, cell);
      bk_day_bounds (tz, &date, &day_start, &day_end);
      number_text = g_strdup_printf ("%d", g_date_get_day (&date));
      description = bk_calendar_format_day_long (&date);
      number = day_button_new (self, number_text, description, &date);
      gtk_widget_set_halign (number, GTK_ALIGN_START);
      gtk_widget_add_css_class (number, "bk-cal-day-number");
      gtk_box_append (GTK_BOX (box), number);

      gtk_widget_add_css_class (box, "bk-cal-month-day");
      if ((int) g_date_get_month (&date) != month)
        gtk_widget_add_css_class (box, "bk-cal-other-month");
      if (g_date_compare (&date, &today) == 0)
        gtk_widget_add_css_class (box, "bk-cal-today");

      for (guint i = 0; i < items->len; i++)
        {
          BkCalendarItem *item = g_ptr_array_index (items, i);

          if (!(item->start < day_end && (item->end > day_start || item->start == day_start)))
            continue;
          if (n_day < BK_MONTH_VIEW_MAX_SHOWN)
            {
              g_autofree char *time = bk_calendar_format_time (tz, MAX (item->start, day_start));
              g_autofree char *text = g_strdup_printf ("%s %s", time, item->title);
              g_autofree char *label = bk_calendar_describe_item (tz, item);
              GtkWidget *button = gtk_button_new_with_label (text);
              GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

              gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
              gtk_label_set_xalign (GTK_LABEL (child), 0);
              gtk_widget_add_css_class (button, "bk-cal-booking");
              gtk_widget_add_css_class (button, "bk-cal-month-booking");
              bk_calendar_set_color_class (button, item->color);
              gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
              gtk_widget_set_tooltip_text (button, label);
              g_object_set_data (G_OBJECT (button), "bk-item", item);
              g_signal_connect (button, "clicked", G_CALLBACK (booking_clicked_cb), self);
              gtk_box_append (GTK_BOX (box), button);
            }
          n_day++;
        }

      if (n_day > BK_MONTH_VIEW_MAX_SHOWN)
        {
          guint more = n_day - BK_MONTH_VIEW_MAX_SHOWN;
          /* Translators: in a day of the month view, when more bookings
           * than fit are on that day. */
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "+%u more", "+%u more", more),
                                                   more);
          g_autofree char *label = NULL;
          GtkWidget *button;

          /* Translators: what a screen reader says for "+N more": the
           * number, the date. */
          label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u more booking on %2$s",
                                                "%1$u more bookings on %2$s", more), more, description);
          button = day_button_new (self, text, label, &date);
          gtk_widget_add_css_class (button, "bk-cal-more");
          gtk_widget_set_halign (button, GTK_ALIGN_START);
          gtk_box_append (GTK_BOX (box), button);
        }

      gtk_widget_set_hexpand (box, TRUE);
      gtk_widget_set_vexpand (box, TRUE);
      gtk_grid_attach (GTK_GRID (self->grid), box, cell % 7, 1 + cell / 7, 1, 1);
    }
}
