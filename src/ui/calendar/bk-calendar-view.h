/* bk-calendar-view.h: the booking calendar: week, month and agenda views
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bk-booking-store.h"

G_BEGIN_DECLS

typedef enum
{
  BK_CALENDAR_MODE_WEEK,
  BK_CALENDAR_MODE_MONTH,
  BK_CALENDAR_MODE_AGENDA,
} BkCalendarMode;

#define BK_TYPE_CALENDAR_MODE (bk_calendar_mode_get_type ())
GType bk_calendar_mode_get_type (void) G_GNUC_CONST;

#define BK_TYPE_CALENDAR_VIEW (bk_calendar_view_get_type ())
G_DECLARE_FINAL_TYPE (BkCalendarView, bk_calendar_view, BK, CALENDAR_VIEW, GtkWidget)

/*
 * The calendar a window embeds: Today / previous / next, a date picker, the
 * Week / Month / Agenda switcher and a filter by bridge over the views of
 * the bookings of a BkBookingStore (refreshed on its ::changed).  Each
 * bridge has its colour (its place in the "bridges" list); bookings without
 * a bridge are grey.  All times are local.
 *
 * Keyboard: Alt+Left / Page Up and Alt+Right / Page Down move back and
 * forward, Ctrl+T goes to today, Ctrl+1 / 2 / 3 show week, month, agenda
 * (actions calendar.previous, calendar.next, calendar.today,
 * calendar.mode).
 *
 * Properties: "store" (BkBookingStore), "bridges" (a GListModel of
 * BkDevice or BkBridge, e.g. the BkBridgeManager), "mode", "title" (the
 * visible range as text).
 * Signals: ::create-booking (GDateTime *start, GDateTime *end): the person
 * dragged over free time in the week grid; ::open-booking (const char
 * *uid, GDateTime *occurrence_start): the person opened a booking (the
 * start of the occurrence they opened, after any move).
 *
 * Dragging a booking in the week grid moves it (15-minute steps, to another
 * day too): the view checks the rules and saves it to the store; a refused
 * move shows the rules' sentence in a toast (of the AdwToastOverlay the
 * view is in) and the booking stays; a series asks whether to move this
 * occurrence (an exception) or the whole series.
 */
GtkWidget      *bk_calendar_view_new        (void);

void            bk_calendar_view_set_store  (BkCalendarView *self,
                                             BkBookingStore *store);
BkBookingStore *bk_calendar_view_get_store  (BkCalendarView *self);
void            bk_calendar_view_set_bridges (BkCalendarView *self,
                                              GListModel     *bridges);

/* Shows the day of @date (its local date). */
void            bk_calendar_view_set_date   (BkCalendarView *self,
                                             GDateTime      *date);
/* The selected day at local midnight; transfer full. */
GDateTime      *bk_calendar_view_get_date   (BkCalendarView *self);
void            bk_calendar_view_set_mode   (BkCalendarView *self,
                                             BkCalendarMode  mode);
BkCalendarMode  bk_calendar_view_get_mode   (BkCalendarView *self);
const char     *bk_calendar_view_get_title  (BkCalendarView *self);

/* The UTC range the present mode shows (queried from the store). */
void            bk_calendar_view_get_range  (BkCalendarView *self,
                                             gint64         *from,
                                             gint64         *to);
/* Shows only the bookings of the bridge with this device id (NULL: all). */
void            bk_calendar_view_set_bridge_filter (BkCalendarView *self,
                                                    const char     *bridge_id);

/* Fills @rules as the application applies them now; returns what keeps
 * rules->bridges alive (unreffed once the check is done), or NULL (and
 * @rules untouched) for the default. */
typedef GPtrArray *(*BkCalendarRulesFunc) (BkBookingRules *rules,
                                           gpointer        user_data);

/* The rules a drag-to-move is checked with (default: every listed bridge,
 * no preferred bridge, the present time). */
void            bk_calendar_view_set_rules_func (BkCalendarView      *self,
                                                 BkCalendarRulesFunc  func,
                                                 gpointer             user_data,
                                                 GDestroyNotify       destroy);

/* Queries the store now instead of at the next idle. */
void            bk_calendar_view_refresh    (BkCalendarView *self);

G_END_DECLS
