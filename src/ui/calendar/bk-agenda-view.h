/* bk-agenda-view.h: the coming occurrences, a list grouped by day
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BK_TYPE_AGENDA_VIEW (bk_agenda_view_get_type ())
G_DECLARE_FINAL_TYPE (BkAgendaView, bk_agenda_view, BK, AGENDA_VIEW, GtkWidget)

/* How many days the agenda lists from its first day. */
#define BK_AGENDA_VIEW_N_DAYS 14

/*
 * A GtkListView of the occurrences from a day on, each day a heading row
 * followed by its bookings (time, title, bridge); a status page when there
 * are none.  Activating a booking's row emits ::open-booking (const char
 * *uid, GDateTime *occurrence_start).
 */
GtkWidget  *bk_agenda_view_new        (void);

/* @items: BkCalendarItem sorted by start, over BK_AGENDA_VIEW_N_DAYS days
 * from @first. */
void        bk_agenda_view_set_range  (BkAgendaView *self,
                                       GTimeZone    *tz,
                                       const GDate  *first,
                                       GPtrArray    *items);

/* For tests: the list's model (rows) and the number of booking rows. */
GListModel *bk_agenda_view_get_model  (BkAgendaView *self);
guint       bk_agenda_view_get_n_bookings (BkAgendaView *self);
GtkWidget  *bk_agenda_view_get_list   (BkAgendaView *self);

G_END_DECLS
