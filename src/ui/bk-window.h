/* bk-window.h
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-application.h"
#include "bk-device.h"

G_BEGIN_DECLS

#define BK_TYPE_WINDOW (bk_window_get_type ())

G_DECLARE_FINAL_TYPE (BkWindow, bk_window, BK, WINDOW, AdwApplicationWindow)

BkWindow *bk_window_new              (BkApplication *application);
void      bk_window_show_preferences (BkWindow      *self);
void      bk_window_add_toast        (BkWindow      *self,
                                      AdwToast      *toast);

/* Bridges (bk-device-page.h, bk-onboarding-window.h). */
typedef struct _BkDevicePage BkDevicePage;
typedef struct _BkOnboardingWindow BkOnboardingWindow;

/* Opens the Add Bridge assistant, pre-filled with what is not NULL; on
 * success it selects the new bridge. transfer none. */
BkOnboardingWindow *bk_window_open_onboarding (BkWindow   *self,
                                               const char *address,
                                               const char *username,
                                               const char *password);
/* Selects @device in the sidebar and shows its page (NULL: none). */
void          bk_window_select_device     (BkWindow   *self,
                                           BkDevice   *device);
/* The device page shown, or NULL. transfer none. */
BkDevicePage *bk_window_get_device_page   (BkWindow   *self);

/* Bookings (calendar/bk-booking-editor.h). */
typedef struct _BkBookingEditor BkBookingEditor;

/*
 * The calendar page: @view is the calendar (BkCalendarView,
 * calendar/bk-calendar-view.h), added once; the window gives it the
 * application's booking store as its "store" (and the bridge manager as
 * "bridges" when it has that property), lists "Calendar" above the bridges
 * and connects:
 *   ::create-booking (GDateTime *start, GDateTime *end) to
 *     bk_window_new_booking(),
 *   ::open-booking (const char *uid, GDateTime *occurrence_start) to
 *     bk_window_open_booking().
 * While the calendar is shown,
 * Ctrl+N books a meeting (win.new-booking) instead of adding a bridge.
 */
void          bk_window_set_calendar_view (BkWindow   *self,
                                           GtkWidget  *view);
/* Shows the calendar page (when there is one). */
void          bk_window_select_calendar   (BkWindow   *self);
gboolean      bk_window_get_calendar_shown (BkWindow  *self);
/* Opens the booking editor for a new booking (@start, @end may be NULL),
 * or for the booking @uid opened at its occurrence @occurrence_start (may
 * be NULL).  NULL (and a toast) when @uid is no longer booked.
 * transfer none. */
BkBookingEditor *bk_window_new_booking    (BkWindow   *self,
                                           GDateTime  *start,
                                           GDateTime  *end);
BkBookingEditor *bk_window_open_booking   (BkWindow   *self,
                                           const char *uid,
                                           GDateTime  *occurrence_start);

/* Running meetings (meeting/bk-meeting-panel.h). The sidebar's "Running
 * Now" list (hidden when nothing runs) has a row per meeting the engine
 * starts, runs or ends ("<title>" / "until HH:MM"); choosing one shows its
 * live panel. bk_window_open_booking() (the calendar, win.open-booking)
 * shows the panel instead of the editor, and returns NULL, when that
 * occurrence runs; win.edit-booking ((sx), as win.open-booking) always
 * opens the editor. */
GtkWidget    *bk_window_show_meeting      (BkWindow   *self,
                                           const char *occurrence_id);
gboolean      bk_window_get_meeting_shown (BkWindow   *self);
GtkListBox   *bk_window_get_running_list  (BkWindow   *self);

G_END_DECLS
