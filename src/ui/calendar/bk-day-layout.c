/* bk-day-layout.c: the calendar's time arithmetic, without GTK
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDayLayout"

#include "config.h"

#include <stdlib.h>

#include "bk-booking.h"
#include "bk-day-layout.h"

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const BkLayoutItem *x = a, *y = b;

  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  if (x->last != y->last)
    return x->last > y->last ? -1 : 1;
  return 0;
}

static gboolean
overlaps (const BkLayoutItem *a,
          const BkLayoutItem *b)
{
  return a->first < b->last && b->first < a->last;
}

/* Columns of one block, items [begin, end) sorted by start. */
static void
layout_block (BkLayoutItem *items,
              guint         begin,
              guint         end,
              guint         block)
{
  g_autoptr(GArray) column_ends = g_array_new (FALSE, FALSE, sizeof (int));
  guint n_columns;

  for (guint i = begin; i < end; i++)
    {
      guint c;

      /* The lowest column whose last item ended by this one's start. */
      for (c = 0; c < column_ends->len; c++)
        if (g_array_index (column_ends, int, c) <= items[i].first)
          break;
      if (c == column_ends->len)
        g_array_append_val (column_ends, items[i].last);
      else
        g_array_index (column_ends, int, c) = items[i].last;
      items[i].column = c;
    }
  n_columns = column_ends->len;

  /* Widen each item into the columns to its right that nothing it
   * overlaps uses. */
  for (guint i = begin; i < end; i++)
    {
      guint span = 1;

      for (guint c = items[i].column + 1; c < n_columns; c++)
        {
          gboolean taken = FALSE;

          for (guint j = begin; j < end && !taken; j++)
            taken = j != i && items[j].column == c && overlaps (&items[i], &items[j]);
          if (taken)
            break;
          span++;
        }
      items[i].span = span;
      items[i].n_columns = n_columns;
      items[i].block = block;
    }
}

void
bk_day_layout_columns (BkLayoutItem *items,
                       guint         n_items)
{
  guint begin = 0;
  guint block = 0;
  int block_end = G_MININT;

  g_return_if_fail (items != NULL || n_items == 0);

  qsort (items, n_items, sizeof (BkLayoutItem), compare_items);

  for (guint i = 0; i < n_items; i++)
    {
      g_assert (items[i].last > items[i].first);
      if (i > begin && items[i].first >= block_end)
        {
          layout_block (items, begin, i, block++);
          begin = i;
          block_end = G_MININT;
        }
      block_end = MAX (block_end, items[i].last);
    }
  if (n_items > 0)
    layout_block (items, begin, n_items, block);
}

void
bk_day_bounds (GTimeZone   *tz,
               const GDate *date,
               gint64      *start,
               gint64      *end)
{
  GDate next = *date;

  g_return_if_fail (tz != NULL && g_date_valid (date));

  g_date_add_days (&next, 1);
  *start = bk_local_to_utc (tz, g_date_get_year (date), g_date_get_month (date),
                            g_date_get_day (date), 0, 0, 0);
  *end = bk_local_to_utc (tz, g_date_get_year (&next), g_date_get_month (&next),
                          g_date_get_day (&next), 0, 0, 0);
}

static int
wall_minutes (GTimeZone *tz,
              gint64     utc)
{
  g_autoptr(GDateTime) utc_time = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc_time, tz);

  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

gboolean
bk_day_span (GTimeZone   *tz,
             const GDate *date,
             gint64       from,
             gint64       to,
             int         *first,
             int         *last)
{
  gint64 day_start, day_end;
  int f, l;

  g_return_val_if_fail (tz != NULL && g_date_valid (date), FALSE);

  bk_day_bounds (tz, date, &day_start, &day_end);
  if (from >= day_end || to < day_start || (to == day_start && from < to))
    return FALSE;

  f = from <= day_start ? 0 : wall_minutes (tz, from);
  l = to >= day_end ? BK_MINUTES_PER_DAY : wall_minutes (tz, to);
  if (l < f)
    l = (int) MIN ((gint64) BK_MINUTES_PER_DAY, f + (MIN (to, day_end) - MAX (from, day_start)) / 60);

  *first = f;
  *last = l;
  return TRUE;
}

gint64
bk_day_minute_to_utc (GTimeZone   *tz,
                      const GDate *date,
                      int          minute)
{
  g_return_val_if_fail (tz != NULL && g_date_valid (date), 0);

  minute = CLAMP (minute, 0, BK_MINUTES_PER_DAY - 1);
  return bk_local_to_utc (tz, g_date_get_year (date), g_date_get_month (date), g_date_get_day (date),
                          minute / 60, minute % 60, 0);
}

void
bk_day_date_of (GTimeZone *tz,
                gint64     utc,
                GDate     *date)
{
  g_autoptr(GDateTime) utc_time = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc_time, tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}
