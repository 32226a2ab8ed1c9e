/* bk-reservation.h: the reservation of a slot range on a CMS, and its
 * clean-up
 *
 * Internal to bkcore (BkOnboarding and BkBridge use it; the UI does not).
 * The reservation makes the call profile and the call leg profile (both
 * POSTs at once), the bulk parameter set (or takes over one with TMS's
 * mappings that no listed bridge uses), posts a bulk sync, polls it, and
 * verifies it with one filtered count of the slot spaces. It is resumable
 * and idempotent: the device's saved ids are reused, nothing is duplicated.
 * The per-slot check (every slot's URI and call ID) is the live bridge's
 * background check (bk_bridge_check_async), with bk_reservation_scan_async.
 *
 * Lists are read as CMS sends them, as summaries: only ids (and the
 * fields a real list carries) are read from a list; the details of a
 * profile, a bulk parameter set or a bulk sync come from a GET of it.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cms.h"
#include "bk-device.h"
#include "bk-device-store.h"
#include "bk-slot-range.h"

G_BEGIN_DECLS

/* First poll of a bulk sync after this many ms; each next wait is 1.5 times
 * longer, up to BK_RESERVATION_POLL_MAX_MS. */
#define BK_RESERVATION_POLL_FIRST_MS 500
#define BK_RESERVATION_POLL_MAX_MS   2000

/* Lists the spaces (all of them, or with @slot_spaces_only only those whose
 * name contains BK_SLOT_NAME_FILTER, the CMS free-text filter) and
 * classifies them against base..base+quantity-1. */
void         bk_reservation_scan_async      (BkCmsClient         *client,
                                             guint64              base,
                                             guint                quantity,
                                             gboolean             slot_spaces_only,
                                             BkCmsProgressFunc    progress,
                                             gpointer             progress_data,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
BkSlotScan  *bk_reservation_scan_finish     (GAsyncResult        *result,
                                             GError             **error);

/* Progress of reserve/remove: @fraction 0..1 or -1, @text translated. */
typedef void (*BkReservationProgressFunc) (double      fraction,
                                           const char *text,
                                           gpointer    user_data);

typedef enum
{
  BK_RESERVATION_NONE             = 0,
  /* List all spaces first (unless @scan is given) and refuse collisions. */
  BK_RESERVATION_CHECK_COLLISIONS = 1 << 0,
  /* Post a new bulk sync even when the spaces look right (repair). */
  BK_RESERVATION_FORCE_SYNC       = 1 << 1,
} BkReservationFlags;

/* Reserves base..base+quantity-1 on the bridge for @device: reuses or
 * creates the call profile and call leg profile, creates or updates the bulk
 * parameter set, posts a bulk sync (or follows the device's unfinished
 * one), polls it and counts the slot spaces. Every id is stored on @device
 * at once and, when @device is listed in @store, the store is saved. The
 * device's stage goes up to PROFILES_CREATED / SLOTS_REQUESTED (never down);
 * COMPLETE is the caller's. @scan (optional) is a fresh full scan of the
 * same range. */
void         bk_reservation_reserve_async   (BkCmsClient               *client,
                                             BkDevice                  *device,
                                             BkDeviceStore             *store,
                                             guint64                    base,
                                             guint                      quantity,
                                             const BkSlotScan          *scan,
                                             BkReservationFlags         flags,
                                             BkReservationProgressFunc  progress,
                                             gpointer                   progress_data,
                                             GCancellable              *cancellable,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);
gboolean     bk_reservation_reserve_finish  (GAsyncResult              *result,
                                             GError                   **error);

/* Clean-up: a removeAll bulk sync (polled), then DELETE of the parameter
 * set, the call leg profile and the call profile (the device's ids; a 404
 * counts as gone). Each id is cleared on @device as soon as its object is
 * gone; on failure the message says what is left on the bridge. */
void         bk_reservation_remove_async    (BkCmsClient               *client,
                                             BkDevice                  *device,
                                             BkDeviceStore             *store,
                                             BkReservationProgressFunc  progress,
                                             gpointer                   progress_data,
                                             GCancellable              *cancellable,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);
gboolean     bk_reservation_remove_finish   (GAsyncResult              *result,
                                             GError                   **error);

/* Saves the store now when @device is listed in it (warns on failure). */
void         bk_reservation_save_device     (BkDeviceStore             *store,
                                             BkDevice                  *device);

G_END_DECLS
