/* bk-booking-editor.h: the window that books a meeting or changes one
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-application.h"
#include "bk-booking.h"

G_BEGIN_DECLS

#define BK_TYPE_BOOKING_EDITOR (bk_booking_editor_get_type ())

G_DECLARE_FINAL_TYPE (BkBookingEditor, bk_booking_editor, BK, BOOKING_EDITOR, AdwWindow)

/*
 * A modal window, transient for @parent, on the application's booking
 * store.  Every change to a field is checked against the booking rules
 * after a short pause (as the person types); the rules' sentence is shown
 * at the top and Save stays off while the booking would be refused.  Save
 * keeps the booking (its PIN in the keyring) and closes the window.
 *
 * New booking: @booking NULL; @start and @end (may be NULL: the next full
 * hour, one hour long) are shown in the local time zone.
 * Existing booking: @booking (not changed: the editor saves a copy);
 * @occurrence_start (UTC seconds, 0 when none) is the occurrence it was
 * opened from, which "Cancel This Meeting" cancels.
 *
 * Signal ::saved (const char *uid): the booking was kept.
 * Signal ::cancelled (const char *uid): an occurrence or the whole booking
 * was cancelled.
 */
BkBookingEditor *bk_booking_editor_new              (GtkWindow       *parent,
                                                     BkApplication   *app,
                                                     BkBooking       *booking,
                                                     GDateTime       *start,
                                                     GDateTime       *end,
                                                     gint64           occurrence_start);

/* The sentence shown (why Save is off), or NULL. */
const char      *bk_booking_editor_get_problem      (BkBookingEditor *self);
/* TRUE while a check waits for the person to pause typing. */
gboolean         bk_booking_editor_get_check_pending (BkBookingEditor *self);
/* The time zone chosen (an IANA name GLib knows; never NULL). */
const char      *bk_booking_editor_get_time_zone    (BkBookingEditor *self);
/* The meeting address the rules chose ("" for No Connect), or NULL while
 * the booking is refused. */
const char      *bk_booking_editor_get_slot_address (BkBookingEditor *self);

/* For tests and the window: a participant row, filled.  Returns its
 * index. */
guint            bk_booking_editor_add_participant  (BkBookingEditor *self,
                                                     const char      *name,
                                                     const char      *address,
                                                     BkDialDirection  direction);
/* The widgets of participant @index (transfer none). */
GtkEditable     *bk_booking_editor_get_participant_address (BkBookingEditor *self,
                                                            guint            index);
GtkLabel        *bk_booking_editor_get_participant_error   (BkBookingEditor *self,
                                                            guint            index);

/* The local IANA time zone name ("UTC" when the system's is unknown). */
char            *bk_booking_editor_local_zone_name  (void);

G_END_DECLS
