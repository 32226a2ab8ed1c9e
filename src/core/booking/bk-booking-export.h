/* bk-booking-export.h: bookings as an iCalendar file for other calendar
 * programs and for the invitation (TMS's confirmation attachment)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking.h"
#include "bk-booking-store.h"

G_BEGIN_DECLS

/*
 * One VCALENDAR (METHOD:PUBLISH) with one VTIMEZONE per time zone used (so
 * that other programs read the times right) and the bookings' VEVENTs (as
 * the store writes them: SUMMARY, DTSTART/DTEND with TZID, RRULE, EXDATE,
 * moved occurrences, ATTENDEE, LOCATION = the meeting address) without
 * Bridgekeeper's own X- properties, and a DESCRIPTION that carries the
 * notes and the join details: the address "<call ID>@<domain>" (as a sip:
 * URI), the call ID and, only for the bookings whose UID is in @pins
 * (uid -> PIN; may be NULL), the PIN.
 *
 * Main thread only (it reads libical's built-in time zones).  The text can
 * then be written anywhere.
 */
char      *bk_booking_export_ics     (GPtrArray      *bookings,
                                      GHashTable     *pins);

/* The bookings (BkBooking*, new references, each once, by first start)
 * with an occurrence overlapping [@from, @to) (UTC seconds). */
GPtrArray *bk_booking_export_collect (BkBookingStore *store,
                                      gint64          from,
                                      gint64          to);

G_END_DECLS
