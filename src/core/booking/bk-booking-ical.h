/* bk-booking-ical.h: bookings as iCalendar text (RFC 5545, with libical)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking.h"

G_BEGIN_DECLS

#define BK_BOOKING_STORE_ERROR (bk_booking_store_error_quark ())

typedef enum
{
  BK_BOOKING_STORE_ERROR_CORRUPT,    /* unreadable; moved aside */
  BK_BOOKING_STORE_ERROR_TOO_NEW,    /* written by a newer Bridgekeeper; left untouched */
  BK_BOOKING_STORE_ERROR_IO,         /* reading or writing failed */
  BK_BOOKING_STORE_ERROR_READ_ONLY,  /* not saved: the file on disk could not be read */
} BkBookingStoreError;

GQuark      bk_booking_store_error_quark (void);

/* The newest X-BRIDGEKEEPER-FORMAT read.  2: a meeting of a series may
 * have its own participants (an older version would read it with the
 * series' and lose them when it saved).  A file is written in the oldest
 * format that holds its bookings: 1 when no meeting has its own
 * participants, so that an older version still reads it. */
#define BK_BOOKING_ICAL_FORMAT_VERSION 2

/*
 * One VCALENDAR; per booking one VEVENT with UID, SEQUENCE, DTSTAMP
 * (= modified), CREATED, LAST-MODIFIED, SUMMARY, DESCRIPTION (notes),
 * DTSTART/DTEND with TZID (the IANA name), RRULE (UNTIL in UTC), EXDATE
 * (cancelled occurrences), LOCATION (the slot address, for other calendar
 * programs), ATTENDEE (CN, the address as a sip: or tel: URI) and
 * X-BRIDGEKEEPER-TYPE, -ROUTING, -BRIDGE, -SLOT, -SLOT-ADDRESS, -PIN,
 * -EXTEND ("automatic"; absent: none),
 * -OWNER; plus one VEVENT with the same UID and a RECURRENCE-ID per moved
 * occurrence.  The PIN itself is never written.
 *
 * Both functions may run in any thread: they do not touch libical's time
 * zone tables (times are converted with GTimeZone).  Call
 * bk_booking_ical_init() once from the main thread first.
 */
void        bk_booking_ical_init          (void);

/* The calendar text for @bookings (BkBooking*). */
char       *bk_booking_ical_write         (GPtrArray   *bookings);

/* Parses text written by bk_booking_ical_write() (or by another program
 * within what a booking can hold).  Returns BkBooking* (a new array) or NULL
 * with BK_BOOKING_STORE_ERROR_CORRUPT / _TOO_NEW and a short reason (the
 * caller words the sentence). */
GPtrArray  *bk_booking_ical_read          (const char  *text,
                                           GError     **error);

G_END_DECLS
