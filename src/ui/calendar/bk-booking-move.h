/* bk-booking-move.h: a booking moved in the calendar (drag to move)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking.h"

G_BEGIN_DECLS

/*
 * The booking as it would be after the person moved one of its occurrences
 * (originally at @recurrence_id, UTC seconds; now starting at
 * @occurrence_start) to @new_start.  A copy, for the store's rules and
 * save; @booking is not changed.
 *
 * A one-off booking keeps its length.  For a series, @whole_series FALSE
 * moves that occurrence only (an exception with that RECURRENCE-ID, keeping
 * the occurrence's length); TRUE moves the series by the same days and
 * wall-clock minutes in the booking's time zone: its start and end, the
 * weekdays of a weekly series, the until date, and the exceptions (their
 * RECURRENCE-IDs and their moved times).
 */
BkBooking *bk_booking_move (const BkBooking *booking,
                            gint64           recurrence_id,
                            GDateTime       *occurrence_start,
                            GDateTime       *new_start,
                            gboolean         whole_series);

G_END_DECLS
