/* bk-booking-store.h: the bookings of this Bridgekeeper, checked and kept
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-booking.h"
#include "bk-booking-backend.h"
#include "bk-booking-index.h"
#include "bk-booking-rules.h"

G_BEGIN_DECLS

#define BK_TYPE_BOOKING_STORE (bk_booking_store_get_type ())

G_DECLARE_FINAL_TYPE (BkBookingStore, bk_booking_store, BK, BOOKING_STORE, GObject)

/*
 * What the calendar UI and the engine talk to: the bookings in memory (an
 * occurrence index), the booking rules applied on every save, and a
 * BkBookingBackend that keeps them (the file now; CalDAV can be another
 * backend without touching this API or the rules).
 *
 * Signal ::changed (const char *uid): a booking was added, changed or
 * removed (after load: uid NULL).
 * Properties: "backend" (construct-only), "early-join" (seconds, default
 * BK_BOOKING_DEFAULT_EARLY_JOIN; may change at any time: the rules use the
 * new value from then on and ::changed is emitted with NULL), "load-error",
 * "save-error" (sentences or NULL), "n-bookings".
 */

BkBookingStore   *bk_booking_store_new            (BkBookingBackend     *backend,
                                                   gint64                early_join);

BkBookingBackend *bk_booking_store_get_backend    (BkBookingStore       *self);
/* Seconds a booking holds its slot before its start (TMS's early join). */
gint64            bk_booking_store_get_early_join (BkBookingStore       *self);
void              bk_booking_store_set_early_join (BkBookingStore       *self,
                                                   gint64                early_join);
/* transfer none: for range queries (bk_booking_index_query()). */
BkBookingIndex   *bk_booking_store_get_index      (BkBookingStore       *self);
const char       *bk_booking_store_get_load_error (BkBookingStore       *self);
const char       *bk_booking_store_get_save_error (BkBookingStore       *self);
guint             bk_booking_store_get_n_bookings (BkBookingStore       *self);

/* Loads through the backend (parsing and indexing run in worker threads).
 * On failure the store is usable (empty, or read-only: see the backend)
 * and the sentence is in "load-error".  Save nothing before it finishes:
 * the loaded bookings replace the store's contents. */
void              bk_booking_store_load_async     (BkBookingStore       *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          bk_booking_store_load_finish    (BkBookingStore       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* transfer none; NULL when unknown. */
BkBooking        *bk_booking_store_lookup         (BkBookingStore       *self,
                                                   const char           *uid);
/* Every booking (BkBooking*, a new array of new references). */
GPtrArray        *bk_booking_store_dup_bookings   (BkBookingStore       *self);

/* The occurrences (BkIndexedOccurrence, sorted by start) overlapping
 * [@from, @to) (UTC seconds), of every booking or (@bridge_id) of one
 * bridge's: what a week, month or agenda view and the bridge's "This
 * Week's Bookings" show.  The pointers are valid until the store changes. */
GArray           *bk_booking_store_query          (BkBookingStore       *self,
                                                   const char           *bridge_id,
                                                   gint64                from,
                                                   gint64                to);

/* The rules only (nothing saved): for the editor's inline check. */
gboolean          bk_booking_store_check          (BkBookingStore       *self,
                                                   const BkBookingRules *rules,
                                                   BkBooking            *candidate,
                                                   BkBookingPlan       **plan,
                                                   BkBookingConflict   **conflict,
                                                   GError              **error);

/* Checks @booking (new, or a changed copy with the UID of a stored one)
 * and, when the rules accept it, sets its bridge and slot from the plan,
 * raises its SEQUENCE above the stored one, stamps it modified now, keeps
 * it (the store takes a reference: do not change it afterwards) and hands
 * it to the backend.  FALSE with the rules' error (and @conflict): nothing
 * is saved. */
gboolean          bk_booking_store_save           (BkBookingStore       *self,
                                                   const BkBookingRules *rules,
                                                   BkBooking            *booking,
                                                   BkBookingConflict   **conflict,
                                                   GError              **error);

/* Cancels one occurrence of a series (the one originally at
 * @recurrence_id, UTC seconds): a new SEQUENCE, saved.  FALSE when the
 * booking is unknown or has no such occurrence. */
gboolean          bk_booking_store_cancel_occurrence (BkBookingStore    *self,
                                                      const char        *uid,
                                                      gint64             recurrence_id);

/* Changes one occurrence of a series (the one originally at
 * @recurrence_id, UTC seconds): its times to @start - @end, its own
 * @title, @notes and @participants (NULL, or the same as the series':
 * the series'), kept as an exception
 * (RECURRENCE-ID), checked by the rules with the whole series and saved as
 * bk_booking_store_save() does.  FALSE with the rules' error (and
 * @conflict), or when the booking is unknown or has no such occurrence:
 * nothing is saved. */
gboolean          bk_booking_store_change_occurrence (BkBookingStore       *self,
                                                      const BkBookingRules *rules,
                                                      const char           *uid,
                                                      gint64                recurrence_id,
                                                      GDateTime            *start,
                                                      GDateTime            *end,
                                                      const char           *title,
                                                      const char           *notes,
                                                      GPtrArray            *participants,
                                                      BkBookingConflict   **conflict,
                                                      GError              **error);

/* Removes a booking (a whole series). */
gboolean          bk_booking_store_remove         (BkBookingStore       *self,
                                                   const char           *uid);

/* Completes when everything saved so far is written. */
void              bk_booking_store_flush_async    (BkBookingStore       *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          bk_booking_store_flush_finish   (BkBookingStore       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
