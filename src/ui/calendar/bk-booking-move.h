/* bk-booking-move.h: a booking moved or resized in the calendar
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking.h"

G_BEGIN_DECLS

/*
 * The booking as it would be after the person moved or resized one of its
 * occurrences (originally at @recurrence_id, UTC seconds; now from
 * @occurrence_start) to @new_start .. @new_end (NULL: the occurrence keeps
 * its length: a move).  A copy, for the store's rules and save; @booking
 * is not changed.
 *
 * For a series, @whole_series FALSE changes that occurrence only (an
 * exception with that RECURRENCE-ID); TRUE moves every start of the series
 * by the days and wall-clock minutes the occurrence's start moved, and
 * every end by those its end moved, in the booking's time zone: its start
 * and end, the weekdays of a weekly series, the until date, and the
 * exceptions (their RECURRENCE-IDs and their times; one that would end
 * before it starts keeps its length, and the series its occurrence's new
 * length).
 */
BkBooking *bk_booking_move (const BkBooking *booking,
                            gint64           recurrence_id,
                            GDateTime       *occurrence_start,
                            GDateTime       *new_start,
                            GDateTime       *new_end,
                            gboolean         whole_series);

G_END_DECLS
