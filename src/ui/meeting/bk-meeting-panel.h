/* bk-meeting-panel.h: the live meeting panel of a running booked meeting
 *
 * Observes the application's BkEngine (it owns nothing): the meeting's
 * title, state, duration (one one-second timer while mapped), end, the
 * node it runs on and its participants with their state, refreshed from
 * the meeting's "participant-changed" and "n-participants" (the engine
 * polls the legs; the panel asks for one poll now when it is shown).
 * Actions (group "meeting"): add-participant, extend(u minutes),
 * end-now (asks first), redial(u index), drop(u index), edit-booking.
 * What an action did and why one was refused are sentences in a strip on
 * the page (until dismissed or the meeting is over); the engine's failure
 * in another.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-booking-store.h"
#include "bk-device-store.h"
#include "bk-engine.h"

G_BEGIN_DECLS

#define BK_TYPE_MEETING_PANEL (bk_meeting_panel_get_type ())
G_DECLARE_FINAL_TYPE (BkMeetingPanel, bk_meeting_panel, BK, MEETING_PANEL, AdwBin)

/* @devices (the node's bridge name) and @bookings (the title, the
 * occurrence's booking) may be NULL. */
GtkWidget  *bk_meeting_panel_new                (BkEngine       *engine,
                                                 BkBookingStore *bookings,
                                                 BkDeviceStore  *devices);
/* Shows the occurrence @occurrence_id (bk_engine_occurrence_id()). */
void        bk_meeting_panel_set_occurrence     (BkMeetingPanel *self,
                                                 const char     *occurrence_id);
const char *bk_meeting_panel_get_occurrence     (BkMeetingPanel *self);
/* The title shown (for the window's header). */
const char *bk_meeting_panel_get_title          (BkMeetingPanel *self);

/* The booking's UID of an occurrence id (new string). */

G_END_DECLS
