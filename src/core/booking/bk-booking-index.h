/* bk-booking-index.h: every occurrence of every booking, by time, bridge
 * and participant, for the calendar's ranges and the booking rules
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking.h"

G_BEGIN_DECLS

/* TMS's "Allow Participants to Join 5 Minutes Early": a booking holds its
 * slot from this long before its start. */
#define BK_BOOKING_DEFAULT_EARLY_JOIN (5 * 60)

typedef struct _BkBookingIndex BkBookingIndex;

/* One occurrence of one booking (transfer none: valid until the index
 * changes). */
typedef struct
{
  BkBooking    *booking;
  BkOccurrence  occurrence;
} BkIndexedOccurrence;

/*
 * Pure in-memory code, no I/O.  Each booking's series is expanded once
 * when it is put (a series is bounded: see BK_RECURRENCE_MAX_OCCURRENCES);
 * the occurrences go into sorted arrays (one for all bookings, one per
 * bridge holding the slot times [start - early join, end)) that are
 * searched by binary search, so a query costs O(log n + what it returns).
 */
BkBookingIndex *bk_booking_index_new          (gint64          early_join);
void            bk_booking_index_free         (BkBookingIndex *index);
/* An index of @bookings (BkBooking*) built in one go (sorted once): may run
 * in a worker thread while the bookings are not shared yet. */
BkBookingIndex *bk_booking_index_new_from     (gint64          early_join,
                                               GPtrArray      *bookings);
gint64          bk_booking_index_get_early_join (BkBookingIndex *index);
/* Changes the time every booking holds its slot before its start (the
 * bridges' slot lists move; nothing is expanded again). */
void            bk_booking_index_set_early_join (BkBookingIndex *index,
                                                 gint64          early_join);

/* Adds @booking, or replaces the booking with its UID.  FALSE (nothing
 * changed) when its occurrences cannot be expanded. */
gboolean        bk_booking_index_put          (BkBookingIndex *index,
                                               BkBooking      *booking);
gboolean        bk_booking_index_remove       (BkBookingIndex *index,
                                               const char     *uid);
/* transfer none */
BkBooking      *bk_booking_index_lookup       (BkBookingIndex *index,
                                               const char     *uid);
guint           bk_booking_index_get_n_bookings (BkBookingIndex *index);
/* Every booking (BkBooking*, new references), in the order they were put. */
GPtrArray      *bk_booking_index_dup_bookings (BkBookingIndex *index);
/* Every occurrence of @uid (BkOccurrence, sorted); transfer none; NULL when unknown. */
GArray         *bk_booking_index_get_occurrences (BkBookingIndex *index,
                                                  const char     *uid);

/* Occurrences (BkIndexedOccurrence) overlapping [@from, @to), sorted by
 * start.  @bridge_id: only bookings on that bridge (NULL: all bookings). */
GArray         *bk_booking_index_query        (BkBookingIndex *index,
                                               const char     *bridge_id,
                                               gint64          from,
                                               gint64          to);

/* For the rules: the slot holdings (BkIndexedOccurrence whose start is
 * already moved earlier by the early join) on @bridge_id that overlap
 * [@from, @to), leaving out the booking @except_uid (may be NULL). */
GArray         *bk_booking_index_query_slots  (BkBookingIndex *index,
                                               const char     *bridge_id,
                                               gint64          from,
                                               gint64          to,
                                               const char     *except_uid);

/* The same into @out (BkIndexedOccurrence; emptied first), for loops. */
void            bk_booking_index_query_slots_into (BkBookingIndex *index,
                                                   const char     *bridge_id,
                                                   gint64          from,
                                                   gint64          to,
                                                   const char     *except_uid,
                                                   GArray         *out);

/* The bookings (other than @except_uid) with a participant (of the series,
 * or of one of its meetings with their own participants) whose address
 * has key @key (bk_participant_address_key()).  transfer container. */
GPtrArray      *bk_booking_index_bookings_with_participant (BkBookingIndex *index,
                                                            const char     *key,
                                                            const char     *except_uid);

G_END_DECLS
