/* bk-booking-rules.h: what a booking must satisfy before it is saved
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking.h"
#include "bk-booking-index.h"
#include "bk-device.h"

G_BEGIN_DECLS

/**
 * BkBookingRules:
 * @now: the current time (UTC seconds): nothing may be booked before it
 * @bridges: (element-type BkDevice): the bridges, in the list's order; each
 *   device is one bridge or one whole cluster (a cluster's slots are shared,
 *   so it counts once)
 * @preferred_bridge_id: TMS's "Prefer MCU Type in Routing": the bridge
 *   Automatic routing tries first (NULL or "" = the list's order)
 *
 * Pure code: no I/O, no clock (the caller gives @now), no main loop.  The
 * index's early join is the time a booking holds its slot before its start.
 */
typedef struct
{
  gint64      now;
  GPtrArray  *bridges;
  const char *preferred_bridge_id;
} BkBookingRules;

/* What the rules chose for an accepted booking. */
typedef struct
{
  BkDevice *bridge;        /* NULL for No Connect */
  guint64   slot_number;   /* 0 for No Connect */
  char     *slot_address;  /* "<call ID>@<domain>"; "" for No Connect */
} BkBookingPlan;

/* Details of a refused booking, for the editor to show beside the sentence. */
typedef struct
{
  char      *bridge_id;    /* the bridge that is full (capacity), else NULL */
  gint64     busy_start;   /* the first time that is full, or the first clash */
  gint64     busy_end;
  GPtrArray *in_the_way;   /* BkBooking*: bookings in the way at that time */
  GArray    *dates;        /* gint64: starts of every occurrence refused */
  gint64     next_free;    /* capacity: the next start that fits (same
                            * length) for the first refused occurrence; 0 = none found */
  GArray    *next_free_times; /* gint64, capacity: beside each of @dates, the
                               * next start that fits for that occurrence
                               * (0 = none found, or not looked for: only
                               * the first five refused are) */
} BkBookingConflict;

void      bk_booking_plan_free      (BkBookingPlan     *plan);
void      bk_booking_conflict_free  (BkBookingConflict *conflict);

/*
 * Checks @candidate (new, or a changed copy of a booking in @index with the
 * same UID, which is then left out of the comparisons) against every rule:
 * a title; a known time zone; an end after the start; a valid repeat
 * pattern; no start in the past (for a change: unless the start is
 * unchanged; occurrences already over are not checked); valid participant
 * addresses; no participant (same address, case-insensitive) in an
 * overlapping booking; for every type but No Connect a bridge with extended
 * settings, Book permission and booking allowed, where at every instant of
 * every occurrence (from the early join to the end) fewer than its
 * numeric-id-quantity bookings hold a slot, and one slot number is free
 * for all of them.  Automatic routing tries the preferred bridge, then the
 * others in order, and takes the first with room.
 *
 * Returns TRUE and @plan (the bridge and the lowest free slot; a change
 * keeps its slot while it is free), or FALSE with @error
 * (BK_BOOKING_ERROR_*) whose message is the sentence to show (naming the
 * busy time, the bookings in the way, the dates refused and the next free
 * time) and, for clashes, @conflict.
 */
gboolean  bk_booking_rules_check    (const BkBookingRules  *rules,
                                     BkBookingIndex        *index,
                                     BkBooking             *candidate,
                                     BkBookingPlan        **plan,
                                     BkBookingConflict    **conflict,
                                     GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkBookingPlan, bk_booking_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkBookingConflict, bk_booking_conflict_free)

G_END_DECLS
