/* bk-calendar-util.c: what the calendar's views share
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCalendarUtil"

#include "config.h"

#include <glib/gi18n.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "bk-booking.h"
#include "bk-calendar-util.h"
#include "bk-day-layout.h"

void
bk_calendar_item_free (BkCalendarItem *item)
{
  if (item == NULL)
    return;
  g_free (item->uid);
  g_free (item->title);
  g_free (item->bridge_name);
  g_free (item);
}

int
bk_calendar_first_weekday (void)
{
#if HAVE_NL_TIME_FIRST_WEEKDAY
  const char *name = setlocale (LC_TIME, NULL);
  union { unsigned int word; char *string; } origin;
  int first;
  int origin_day;   /* 0 = Sunday */

  /* The C and POSIX locales name no country: their week is the POSIX
   * (American) default only by accident.  ISO 8601 there. */
  if (name == NULL || strcmp (name, "C") == 0 || strcmp (name, "POSIX") == 0 ||
      g_str_has_prefix (name, "C.") || g_str_has_prefix (name, "POSIX."))
    return G_DATE_MONDAY;

  /* glibc gives the first weekday (1 = the week's origin day) and the week's
   * origin as a date: 19971130 is a Sunday, 19971201 a Monday (some
   * locales count from Monday, most from Sunday). */
  first = nl_langinfo (_NL_TIME_FIRST_WEEKDAY)[0];
  origin.string = nl_langinfo (_NL_TIME_WEEK_1STDAY);
  switch (origin.word)
    {
    case 19971130: origin_day = 0; break;
    case 19971201: origin_day = 1; break;
    default: return G_DATE_MONDAY;
    }
  if (first < 1 || first > 7)
    return G_DATE_MONDAY;
  /* 0 = Sunday .. 6 = Saturday, then ISO (Sunday = 7). */
  first = (origin_day + first - 1) % 7;
  return first == 0 ? G_DATE_SUNDAY : first;
#else
  return G_DATE_MONDAY;
#endif
}

void
bk_calendar_week_start (const GDate *date,
                        GDate       *start)
{
  int back = ((int) g_date_get_weekday (date) - bk_calendar_first_weekday () + 7) % 7;

  *start = *date;
  g_date_subtract_days (start, back);
}

/* The bridges' colours: the background of a booking, with dark text on
 * it (the pale tones of the GNOME palette read the same in the light and
 * the dark style).  Colour 0 (no bridge) is a tint of the text colour. */
static const char *const palette[BK_CALENDAR_N_COLORS] = {
  "#99c1f1", "#8ff0a4", "#f9f06b", "#ffbe6f", "#dc8add", "#cdab8f",
};
#define PALETTE_TEXT "#1c1c1c"
#define NO_COLOR_ALPHA 0.15

void
bk_calendar_color_rgba (guint          color,
                        const GdkRGBA *fg,
                        GdkRGBA       *background,
                        GdkRGBA       *text)
{
  if (color == 0 || color > BK_CALENDAR_N_COLORS)
    {
      *background = *fg;
      background->alpha *= NO_COLOR_ALPHA;
      *text = *fg;
      return;
    }
  gdk_rgba_parse (background, palette[color - 1]);
  gdk_rgba_parse (text, PALETTE_TEXT);
}

char *
bk_calendar_color_css (void)
{
  GString *css = g_string_new (NULL);

  g_string_append_printf (css, ".bk-cal-color-0 { background-color: alpha(currentColor, %g); }\n", NO_COLOR_ALPHA);
  for (guint i = 0; i < BK_CALENDAR_N_COLORS; i++)
    g_string_append_printf (css, ".bk-cal-color-%u { background-color: %s; color: " PALETTE_TEXT "; }\n", i + 1,
                            palette[i]);
  return g_string_free (css, FALSE);
}

void
bk_calendar_set_color_class (GtkWidget *widget,
                             guint      color)
{
  for (guint i = 0; i <= BK_CALENDAR_N_COLORS; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "bk-cal-color-%u", i);
      if (i == color)
        gtk_widget_add_css_class (widget, name);
      else
        gtk_widget_remove_css_class (widget, name);
    }
}

static const char *months[] = {
  NC_("month", "January"), NC_("month", "February"), NC_("month", "March"), NC_("month", "April"),
  NC_("month", "May"), NC_("month", "June"), NC_("month", "July"), NC_("month", "August"),
  NC_("month", "September"), NC_("month", "October"), NC_("month", "November"),
  NC_("month", "December"),
};

const char *
bk_calendar_weekday_name (int      weekday,
                          gboolean abbreviated)
{
  /* The same names as the booking sentences'. */
  return bk_booking_weekday_name (weekday, abbreviated);
}

const char *
bk_calendar_month_name (int month)
{
  g_return_val_if_fail (month >= 1 && month <= 12, "");

  return g_dpgettext2 (GETTEXT_PACKAGE, "month", months[month - 1]);
}

char *
bk_calendar_format_month (const GDate *date)
{
  /* Translators: a month's title: the month's name, the year. */
  return g_strdup_printf (C_("month title", "%1$s %2$d"),
                          bk_calendar_month_name (g_date_get_month (date)), g_date_get_year (date));
}

char *
bk_calendar_format_day_short (const GDate *date)
{
  /* Translators: a day's heading in the week grid: abbreviated weekday,
   * day of the month. */
  return g_strdup_printf (C_("week day heading", "%1$s %2$d"),
                          bk_calendar_weekday_name (g_date_get_weekday (date), TRUE),
                          g_date_get_day (date));
}

char *
bk_calendar_format_day_long (const GDate *date)
{
  /* Translators: a date: weekday, day of the month, month name, year. */
  return g_strdup_printf (C_("long date", "%1$s %2$d %3$s %4$d"),
                          bk_calendar_weekday_name (g_date_get_weekday (date), FALSE),
                          g_date_get_day (date), bk_calendar_month_name (g_date_get_month (date)),
                          g_date_get_year (date));
}

GDateTime *
bk_calendar_date_time (GTimeZone *tz,
                       gint64     utc)
{
  g_autoptr(GDateTime) utc_time = g_date_time_new_from_unix_utc (utc);

  return g_date_time_to_timezone (utc_time, tz);
}

char *
bk_calendar_format_time (GTimeZone *tz,
                         gint64     utc)
{
  g_autoptr(GDateTime) local = bk_calendar_date_time (tz, utc);

  return g_strdup_printf ("%02d:%02d", g_date_time_get_hour (local), g_date_time_get_minute (local));
}

char *
bk_calendar_format_times (GTimeZone *tz,
                          gint64     start,
                          gint64     end)
{
  g_autofree char *s = bk_calendar_format_time (tz, start);
  g_autofree char *e = bk_calendar_format_time (tz, end);

  /* Translators: a meeting's times: start, end. */
  return g_strdup_printf (C_("time range", "%1$s – %2$s"), s, e);
}

char *
bk_calendar_describe_item (GTimeZone            *tz,
                           const BkCalendarItem *item)
{
  g_autofree char *times = bk_calendar_format_times (tz, item->start, item->end);
  g_autofree char *day = NULL;
  GDate date;

  bk_day_date_of (tz, item->start, &date);
  day = bk_calendar_format_day_long (&date);
  if (item->bridge_name[0] != '\0')
    /* Translators: a booking as a screen reader says it: title, date,
     * times, bridge. */
    return g_strdup_printf (_("%1$s, %2$s, %3$s, on %4$s"), item->title, day, times, item->bridge_name);
  /* Translators: a booking as a screen reader says it: title, date, times. */
  return g_strdup_printf (_("%1$s, %2$s, %3$s"), item->title, day, times);
}
